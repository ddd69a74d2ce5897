/*
 * ruleset_int.h - the ruleset's private layout, shared by load.c,
 * compile.c and the scanner.
 */
#ifndef LEAKSCAN_RULESET_INT_H
#define LEAKSCAN_RULESET_INT_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <hs/hs.h>
#include <pcre2.h>
#include <pthread.h>
#include <stdatomic.h>

#include "leakscan/ruleset.h"

struct leakscan_rule_compiled {
    pcre2_code *re;       /* the rule's pattern */
    atomic_int jit_state; /* 0: not tried yet, 1: JIT-compiled, 2: refused (interpreter) */
    int group;            /* the effective secret group */
    pcre2_code **allow;   /* nallow compiled allow regexes */
    const char **tails;   /* per path glob: the literal text after its last wildcard */
    size_t *tail_len;     /* ... its length */
    unsigned char *slash; /* ... 1 when the glob has a '/' (matched against the whole path) */
    size_t span;          /* a match lies within span bytes of a keyword's end; 0: unknown */
    /*
     * 1 + the index of the keyword every match starts with (the pattern's
     * literal start, leakscan_pattern_prefix); 0: none. Such a rule is tried
     * only where that keyword occurs, anchored there (scanner.c).
     */
    size_t anchor;
    /*
     * The nfollow bytes right after the anchor keyword must be in `follow` (a
     * bit per byte value; leakscan_pattern_follow): a keyword not followed so
     * is no place to try ("path" for Airtable's "pat" + 14 letters or digits).
     */
    unsigned char follow[32];
    size_t nfollow;
    /*
     * After the anchor keyword, a run of `follow` bytes stop_min to stop_max
     * long must end at the byte `stop` (leakscan_pattern_stop: the same
     * class, so this implies the follow check): "://" not followed by
     * "user:" is no place to try a URL password.
     */
    int has_stop;
    unsigned char stop;
    size_t stop_min, stop_max;
    pcre2_code *anchored;      /* the pattern compiled PCRE2_ANCHORED, on first use */
    atomic_int anchored_state; /* 0: not yet (or out of memory), 1: JIT, 2: interpreter */
};

/* Prefilters a ruleset takes before compile (the built-in rules: scanning, redaction). */
#define LEAKSCAN_MAX_OFFERS 4

/* Windows wider than this are not worth their bookkeeping: the rule runs whole. */
#define LEAKSCAN_MAX_SPAN (64u * 1024u)

struct leakscan_ruleset {
    struct leakscan_rule **rules; /* load order */
    size_t n, cap;
    int compiled;
    int line_rules;  /* some enabled rule is line-mode or windowed: keep all keyword hits */
    int redact_mode; /* compile the `redact: true` rules too (leakscan redact) */

    /* set by compile: the enabled rules, and the keyword prefilter */
    size_t *path_rules; /* indices of the enabled `match: path` rules */
    size_t npath_rules;
    size_t *scoped; /* positions in `active` of the content rules with path globs */
    size_t nscoped; /* (they are not in the keyword prefilter: they run when the path matches) */
    size_t *active; /* indices into rules */
    size_t nactive;
    hs_database_t *db; /* all keywords, caseless, single-match; NULL if none */
    size_t nlits;
    size_t max_lit_len;
    size_t *lit_first;         /* nlits + 1 offsets into lit_rules (CSR) */
    size_t *lit_rules;         /* positions in `active` */
    unsigned char *lit_anchor; /* per lit_rules entry: 1 when the literal is that rule's anchor */
    size_t *lit_len;           /* nlits literal lengths */
    int any_paths;             /* some active rule has path globs */
    char **allow;              /* config allow regexes: (regex, "file:line") pairs */
    size_t nallow;
    pcre2_code **allow_re;
    pthread_mutex_t *jit_lock; /* leakscan_rule_jit */
    int no_jit; /* LEAKSCAN_NO_JIT set: the interpreter only (for Valgrind, which JIT code confuses)
                 */
    /* prefilters compiled ahead of time (borrowed until compile), see prefilter.c */
    const unsigned char *offer[LEAKSCAN_MAX_OFFERS];
    size_t offer_len[LEAKSCAN_MAX_OFFERS];
    size_t noffers;
    int prebuilt;          /* compile took its database from an offer */
    unsigned char *pf_key; /* the keywords the database was made from (their flags, lengths) */
    size_t pf_key_len;
};

/*
 * The keyword prefilter's database for lits[0, n) (flags, ids and lengths
 * as hs_compile_lit_multi takes them): from an offer made for exactly these
 * keywords, else compiled. Sets rs->db and rs->pf_key. LEAKSCAN_EREGEX
 * names the keyword Vectorscan refused.
 */
int leakscan_prefilter_build(struct leakscan_ruleset *rs, const char *const *lits,
                             const unsigned *flags, const unsigned *ids, const size_t *litlen,
                             size_t n, struct leakscan_err *err);

/*
 * JIT-compile a rule's pattern on its first use (most rules never match a
 * given input: compiling all of them up front cost more than a small scan).
 * Thread-safe; 1 when the JIT code is there, 0 to use the interpreter.
 */
int leakscan_rule_jit(const struct leakscan_ruleset *rs, const struct leakscan_rule *r);

/*
 * The pattern compiled to match only where the search starts (for a rule with
 * an anchor keyword), on first use, JIT-compiled when it can be (*jit = 1).
 * Thread-safe. NULL when it cannot be compiled (out of memory).
 */
pcre2_code *leakscan_rule_anchored(const struct leakscan_ruleset *rs, const struct leakscan_rule *r,
                                   int *jit);

void leakscan_rule_free(struct leakscan_rule *r);

/* Window mode: the rule runs only within c->span bytes of its keywords (see scanner.c). */
static inline int leakscan_rule_windowed(const struct leakscan_rule *r)
{
    return r->c && r->c->span && !r->npaths;
}

/* Line mode: the rule runs only on lines holding one of its keywords (see scanner.c). */
static inline int leakscan_rule_line_mode(const struct leakscan_ruleset *rs,
                                          const struct leakscan_rule *r)
{
    (void)rs;
    return r->redact == 1 || r->line_only;
}

#endif
