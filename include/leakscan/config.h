/*
 * config.h - `.leakscan.yaml` at the scanned root, or `--config FILE`.
 *
 *   rules:     [rule, ...]         added to the built-in rules (same id: replaced)
 *   disable:   [rule-id, ...]      built-in rules turned off
 *   paths:     [glob, ...]         files not scanned (as .gitignore: `*.min.js`, `vendor/`)
 *   allow:     [regex, ...]        secret values never reported (PCRE2, on the secret)
 *   fail_on:   critical|high|medium|low|info|none
 *   baseline:  FILE                an earlier JSON report (relative to the config file)
 *
 * Unknown keys and wrong types are configuration errors with file:line:column.
 */
#ifndef LEAKSCAN_CONFIG_H
#define LEAKSCAN_CONFIG_H

#include <stddef.h>

#include "errors.h"
#include "ruleset.h"
#include "severity.h"

struct leakscan_config {
    char **exclude; /* `paths:` globs */
    size_t nexclude;
    int has_fail_on;
    int fail_never; /* fail_on: none */
    enum leakscan_severity fail_on;
    char *baseline; /* resolved against the config file's directory */
};

/* Embedded: _init, any number of _load, _release. */
void leakscan_config_init(struct leakscan_config *cfg);
void leakscan_config_release(struct leakscan_config *cfg);

/*
 * Load `path` into cfg, adding its rules, disables and allows to rs (which
 * must not be compiled yet). Later files add to earlier ones; scalars
 * (fail_on, baseline) are overridden. 0, LEAKSCAN_ENOTFOUND, LEAKSCAN_EIO or
 * LEAKSCAN_EPARSE.
 */
int leakscan_config_load(struct leakscan_config *cfg, struct leakscan_ruleset *rs, const char *path,
                         struct leakscan_err *err);

/*
 * The same from text in memory (a config read from a git revision); `name`
 * names it in messages ("origin/main:.leakscan.yaml"), and relative baseline
 * paths resolve against its directory part.
 */
int leakscan_config_load_text(struct leakscan_config *cfg, struct leakscan_ruleset *rs,
                              const char *name, const char *data, size_t len,
                              struct leakscan_err *err);

#endif
