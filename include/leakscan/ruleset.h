/*
 * ruleset.h - secret rules: loaded from YAML, compiled once, then immutable.
 *
 * Lifecycle: leakscan_ruleset_new(), any number of leakscan_ruleset_load_*()
 * and leakscan_ruleset_disable(), then leakscan_ruleset_compile(). After a
 * successful compile the ruleset is read-only and may be shared by any number
 * of threads (each thread scans with its own struct leakscan_scanner).
 * leakscan_ruleset_free() releases it; NULL is a no-op.
 *
 * The rule file format is documented in docs/rules.md.
 */
#ifndef LEAKSCAN_RULESET_H
#define LEAKSCAN_RULESET_H

#include <stddef.h>
#include <stdio.h>

#include "errors.h"
#include "severity.h"

enum leakscan_validate {
    LEAKSCAN_VALIDATE_NONE = 0,
    LEAKSCAN_VALIDATE_GITHUB_CRC32, /* prefix_ + 30 base62 + base62(crc32) in 6 */
    LEAKSCAN_VALIDATE_NPM_CRC32,    /* same layout for npm_ tokens */
    LEAKSCAN_VALIDATE_MARKER,       /* the pattern holds a fixed structural marker */
    LEAKSCAN_VALIDATE_JWT /* header and payload decode to JSON objects, "alg" in the header */
};

/* One example of a rule: text scanned as `path`, with optional expectations. */
struct leakscan_example {
    char *text;
    size_t len;
    char *path;    /* NULL: "example.txt" */
    char *secret;  /* NULL: any secret will do */
    int validated; /* -1: not checked; 0 or 1: the expected validation result */
    unsigned line; /* where the example is in the rule file */
};

struct leakscan_rule_compiled; /* private: PCRE2 code */

/* A rule. Owned by its ruleset; every pointer is borrowed from it. */
struct leakscan_rule {
    char *id;
    char *name;
    enum leakscan_severity severity;
    char **keywords;
    size_t nkeywords;
    char *pattern;
    unsigned pattern_line, pattern_column; /* where the pattern is written */
    int secret_group;   /* -1: default (1 when the pattern has a group, else 0) */
    double min_entropy; /* 0: none */
    enum leakscan_validate validate;
    char **allow; /* regexes on the secret */
    size_t nallow;
    char **paths; /* globs; none: every path */
    size_t npaths;
    int generic;   /* yields to specific rules on overlap */
    int path_only; /* `match: path`: the file itself is the finding (keystores...) */
    int line_only; /* matches never span lines: run only on lines that hold a keyword */
    int redact;    /* 1: only for `leakscan redact` (log patterns); 2: a known value */
    int builtin;   /* embedded in the binary (a config's rule with the same id replaces it) */
    struct leakscan_example *examples;
    size_t nexamples;
    struct leakscan_example *negatives;
    size_t nnegatives;
    char *file;    /* rule file it came from */
    unsigned line; /* line of the rule in that file */
    int disabled;
    struct leakscan_rule_compiled *c;
};

struct leakscan_ruleset;

int leakscan_ruleset_new(struct leakscan_ruleset **out, struct leakscan_err *err);
void leakscan_ruleset_free(struct leakscan_ruleset *rs);

/*
 * Load rules from YAML text; `name` names the text in messages. With
 * `replace`, a rule whose id already exists replaces it (config files);
 * without, a duplicate id is an error (built-in files). 0 or LEAKSCAN_EPARSE /
 * LEAKSCAN_EUSAGE with "name:line:column: ..." in err.
 */
int leakscan_ruleset_load_yaml(struct leakscan_ruleset *rs, const char *name, const char *data,
                               size_t len, int replace, struct leakscan_err *err);

struct leakscan_node;
/* Load the rules of a `rules:` list node already parsed (config files). */
int leakscan_ruleset_load_node(struct leakscan_ruleset *rs, const char *name,
                               const struct leakscan_node *list, int replace,
                               struct leakscan_err *err);

/* Load a rule file from disk (as load_yaml with replace). LEAKSCAN_EIO if unreadable. */
int leakscan_ruleset_load_file(struct leakscan_ruleset *rs, const char *path, int replace,
                               struct leakscan_err *err);

/*
 * A regex that suppresses any secret it matches, whatever the rule (config
 * `allow:`). `where` ("file:line") names it in errors. Before compile.
 */
int leakscan_ruleset_add_allow(struct leakscan_ruleset *rs, const char *regex, const char *where,
                               struct leakscan_err *err);

/* Load the rules embedded in the binary. */
int leakscan_ruleset_load_builtin(struct leakscan_ruleset *rs, struct leakscan_err *err);

/*
 * Redaction mode (`leakscan redact`): the rules marked `redact: true` (values
 * of sensitive keys in logs, headers, query parameters) are compiled too,
 * and their matches are not filtered as placeholders. Before compile.
 */
void leakscan_ruleset_set_redact(struct leakscan_ruleset *rs, int on);

/*
 * A rule that matches one exact value (redact --values-from-env / --values-file).
 * `id` and `name` are the rule id and message; the value is matched byte for
 * byte, whatever it contains. Before compile.
 */
int leakscan_ruleset_add_literal(struct leakscan_ruleset *rs, const char *id, const char *name,
                                 const char *value, size_t len, struct leakscan_err *err);

/* Disable a rule by id: LEAKSCAN_ENOTFOUND when no rule has it. */
int leakscan_ruleset_disable(struct leakscan_ruleset *rs, const char *id, struct leakscan_err *err);

/*
 * Compile every enabled rule's pattern (PCRE2 with JIT, falling back to the
 * interpreter when JIT memory is refused) and the keyword prefilter.
 * LEAKSCAN_EREGEX names the rule, its file and the pattern offset.
 */
int leakscan_ruleset_compile(struct leakscan_ruleset *rs, struct leakscan_err *err);

/*
 * Prefilters compiled ahead of time. Compiling the keyword prefilter's
 * Vectorscan database is most of a compile (about 7 of 10 ms for the
 * built-in rules), and a pre-commit hook pays it on every commit, so the
 * build compiles the built-in rules' prefilters and embeds them.
 *
 * leakscan_ruleset_save_prefilter: rs compiled; *out (malloc'd, the caller
 * frees it) holds the keywords and Vectorscan's serialized database.
 * leakscan_ruleset_offer_prefilter: before compile (up to 4 offers; the
 * bytes are borrowed until compile returns). Compile takes an offer saved
 * from exactly the keywords it is about to compile (same keywords, flags and
 * order) if Vectorscan accepts it (same version, a CPU with the features it
 * was made for); otherwise it compiles, as without offers.
 * leakscan_ruleset_prebuilt: 1 when compile took an offer.
 */
int leakscan_ruleset_save_prefilter(const struct leakscan_ruleset *rs, unsigned char **out,
                                    size_t *len, struct leakscan_err *err);
void leakscan_ruleset_offer_prefilter(struct leakscan_ruleset *rs, const void *data, size_t len);
int leakscan_ruleset_prebuilt(const struct leakscan_ruleset *rs);

/* Rules in load order (disabled ones included, with `disabled` set). */
size_t leakscan_ruleset_count(const struct leakscan_ruleset *rs);
const struct leakscan_rule *leakscan_ruleset_rule(const struct leakscan_ruleset *rs, size_t i);
const struct leakscan_rule *leakscan_ruleset_find(const struct leakscan_ruleset *rs,
                                                  const char *id);

/*
 * The most bytes a match of this PCRE2 pattern can span (*width) and the
 * most it can read from where it starts, its lookaheads included (*reach),
 * read from the pattern's syntax (byte mode). -1 when either is unbounded
 * ('*', '+', '{n,}', back references) or the syntax is not understood.
 */
int leakscan_pattern_reach(const char *pattern, size_t *width, size_t *reach);

/*
 * The literal text every match of the pattern starts with (after its
 * lookbehinds, \b and the groups it opens), into out (NUL-terminated, at most
 * outsz - 1 bytes); its length, 0 when there is none or the syntax is not
 * understood. The scanner tries such a rule only where that text occurs.
 */
size_t leakscan_pattern_prefix(const char *pattern, char *out, size_t outsz);

/*
 * When the pattern's literal start is prefix_len bytes long and is followed by
 * a class ([A-Za-z0-9], \d, \w, \s) that must match at least once: the bytes
 * of that class into set (a bit per byte value), and how many bytes right
 * after the literal start must be in it (at most 8). 0 when not known (then
 * anything may follow). Not for patterns with caseless parts.
 */
size_t leakscan_pattern_follow(const char *pattern, size_t prefix_len, unsigned char set[32]);

/*
 * When the pattern's literal start (prefix_len bytes) is followed by a class
 * repeated min to max times (max SIZE_MAX: no bound) and then a byte the
 * class does not hold, as in the URL rules ("://", [^\s:@/...]{0,100}, ':'):
 * every match has, right after the literal start, a run of exactly that
 * class between min and max bytes long, ending at that byte. Returns 1 with
 * set, min, max and stop filled; 0 when the pattern does not go so. Not for
 * patterns with caseless parts.
 */
int leakscan_pattern_stop(const char *pattern, size_t prefix_len, unsigned char set[32],
                          size_t *min, size_t *max, unsigned char *stop);

/* What leakscan_ruleset_selftest() counted. */
struct leakscan_selftest_stats {
    size_t rules, examples, negatives, failures;
};

/*
 * `rules test`: run every enabled rule over its own examples and negative
 * examples through the whole engine (prefilter, pattern, placeholders,
 * entropy, allow, validation). Each failure is written to fp as a readable
 * report (rule, file:line, the example, what was expected and found). A rule
 * without examples or negative examples is a failure. Returns 0 (see
 * st->failures) or a negative error. Needs a compiled ruleset.
 */
int leakscan_ruleset_selftest(const struct leakscan_ruleset *rs, FILE *fp,
                              struct leakscan_selftest_stats *st, struct leakscan_err *err);

/* Built-in rule files, embedded at build time (generated source). */
struct leakscan_builtin_file {
    const char *name;
    const char *data;
    size_t len;
};
extern const struct leakscan_builtin_file leakscan_builtin_rules[];
extern const size_t leakscan_builtin_rules_count;

#endif
