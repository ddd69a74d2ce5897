/*
 * fuzz_rules.h - the built-in ruleset for the fuzzing harnesses: built once
 * per process (plus the log rules when `redact`), libgit2 held initialised
 * so that each scanner does not start it anew.
 */
#ifndef LEAKSCAN_FUZZ_RULES_H
#define LEAKSCAN_FUZZ_RULES_H

#include <git2.h>
#include <stdlib.h>

#include "leakscan/ruleset.h"

static struct leakscan_ruleset *fuzz_builtin_rules(int redact)
{
    static struct leakscan_ruleset *rs; /* one per fuzzing process */
    struct leakscan_err err;

    if (!rs) {
        git_libgit2_init();
        leakscan_err_init(&err);
        if (leakscan_ruleset_new(&rs, &err) || leakscan_ruleset_load_builtin(rs, &err))
            abort();
        leakscan_ruleset_set_redact(rs, redact);
        if (leakscan_ruleset_compile(rs, &err))
            abort();
    }
    return rs;
}

#endif
