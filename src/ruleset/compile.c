/*
 * compile.c - PCRE2 patterns (JIT, with the interpreter as fallback) and the
 * multi-literal keyword prefilter (Vectorscan).
 *
 * Why Vectorscan for the keywords and PCRE2 for the rules: a PCRE2
 * alternation of 30 literals runs at ~256 MB/s, Vectorscan runs the same
 * literals at 5-11 GB/s, and one literal-prefixed PCRE2 JIT pattern runs at
 * 25-34 GB/s (shared/landscape/limits.md). So one prefilter pass finds which
 * rules can match, then each of those runs its own pattern.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ruleset_int.h"

/* JIT-compile now (jit: 1 when it took) or leave it for leakscan_rule_jit (jit: NULL). */
static int compile_one(pcre2_code **out, int *jit, const char *pattern, const char *what,
                       const struct leakscan_rule *r, struct leakscan_err *err)
{
    PCRE2_UCHAR msg[256];
    PCRE2_SIZE off;
    size_t jitsize = 0;
    int code;

    *out = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, PCRE2_MULTILINE, &code, &off,
                         NULL);
    if (!*out) {
        pcre2_get_error_message(code, msg, sizeof(msg));
        /* the pattern's own position when it is the pattern, else the rule's */
        int own = pattern == r->pattern && r->pattern_line;
        return leakscan_err_set(
            err, LEAKSCAN_EREGEX, "%s:%u:%u: rule '%s': %s does not compile at offset %zu: %s",
            r->file, own ? r->pattern_line : r->line, own ? r->pattern_column : 1u, r->id, what,
            (size_t)off, (const char *)msg);
    }
    /*
     * JIT can be refused (W^X policies, no executable memory); the
     * interpreter gives the same results, slower. (*NO_JIT) in a pattern
     * also leaves JITSIZE at 0, which is why it is checked after compiling.
     */
    if (!jit)
        return 0;
    if (pcre2_jit_compile(*out, PCRE2_JIT_COMPLETE) == 0 &&
        pcre2_pattern_info(*out, PCRE2_INFO_JITSIZE, &jitsize) == 0 && jitsize > 0)
        *jit = 1;
    else
        *jit = 0;
    return 0;
}

int leakscan_rule_jit(const struct leakscan_ruleset *rs, const struct leakscan_rule *r)
{
    struct leakscan_rule_compiled *c = r->c;
    size_t jitsize = 0;
    int state = atomic_load_explicit(&c->jit_state, memory_order_acquire);

    if (state)
        return state == 1;
    /* first use of the rule: JIT-compile it, once, whichever thread comes first */
    pthread_mutex_lock(rs->jit_lock);
    state = atomic_load_explicit(&c->jit_state, memory_order_relaxed);
    if (!state && rs->no_jit) {
        state = 2;
        atomic_store_explicit(&c->jit_state, state, memory_order_release);
    } else if (!state) {
        state = pcre2_jit_compile(c->re, PCRE2_JIT_COMPLETE) == 0 &&
                        pcre2_pattern_info(c->re, PCRE2_INFO_JITSIZE, &jitsize) == 0 && jitsize > 0
                    ? 1
                    : 2;
        atomic_store_explicit(&c->jit_state, state, memory_order_release);
    }
    pthread_mutex_unlock(rs->jit_lock);
    return state == 1;
}

/*
 * How far from a keyword a match can lie. Every match of a built-in rule
 * holds one of its keywords (tests/unit/test_window.c checks it), starts at most `reach`
 * bytes before that keyword ends and reads at most `reach` bytes from its
 * start, lookaheads included; a lookbehind reads before it. So the span is
 * reach + the longest lookbehind + the longest keyword + 1 (the byte that
 * \b or $ looks at). 0 (unknown) when the pattern is unbounded.
 */
static void rule_span(const struct leakscan_ruleset *rs, struct leakscan_rule *r)
{
    size_t reach = 0, kw = 0, j;
    uint32_t lookbehind = 0;

    r->c->span = 0;
    /*
     * A config's rule may have keywords that only gate it (gitleaks rules
     * do: `keywords: [aws]` with a pattern for AKIA...): it runs whole.
     */
    if (!r->builtin || leakscan_rule_line_mode(rs, r) || r->npaths || !r->nkeywords)
        return;
    if (leakscan_pattern_reach(r->pattern, NULL, &reach) != 0)
        return;
    pcre2_pattern_info(r->c->re, PCRE2_INFO_MAXLOOKBEHIND, &lookbehind);
    for (j = 0; j < r->nkeywords; j++)
        if (strlen(r->keywords[j]) > kw)
            kw = strlen(r->keywords[j]);
    if (reach + lookbehind + kw + 1 <= LEAKSCAN_MAX_SPAN)
        r->c->span = reach + lookbehind + kw + 1;
}

/*
 * The keyword every match starts with: the longest keyword that begins the
 * pattern's literal start (case aside: keywords are found caseless). Built-in
 * rules only, like windows; not rules scoped to file names.
 */
static void rule_anchor(struct leakscan_rule *r)
{
    char pre[128];
    size_t n, j, best = 0;

    r->c->anchor = 0;
    if (!r->builtin || r->npaths || !r->nkeywords)
        return;
    n = leakscan_pattern_prefix(r->pattern, pre, sizeof(pre));
    for (j = 0; j < r->nkeywords; j++) {
        size_t k = strlen(r->keywords[j]);
        if (k && k <= n && k > best && !strncasecmp(pre, r->keywords[j], k)) {
            best = k;
            r->c->anchor = j + 1;
        }
    }
    /* what must follow the keyword, when the keyword is the whole literal start */
    r->c->nfollow =
        r->c->anchor && best == n ? leakscan_pattern_follow(r->pattern, n, r->c->follow) : 0;
    /* and the run of that class up to a byte it does not hold (it writes the same class) */
    r->c->has_stop = r->c->anchor && best == n &&
                     leakscan_pattern_stop(r->pattern, n, r->c->follow, &r->c->stop_min,
                                           &r->c->stop_max, &r->c->stop);
}

/*
 * No start optimizations: one try at one place. With them, PCRE2 first looks
 * for a byte every match needs ('@' in a URL password) through the rest of the
 * subject, on every try: 4 us a try where the try itself takes 0.1.
 */
pcre2_code *leakscan_rule_anchored(const struct leakscan_ruleset *rs, const struct leakscan_rule *r,
                                   int *jit)
{
    struct leakscan_rule_compiled *c = r->c;
    int state = atomic_load_explicit(&c->anchored_state, memory_order_acquire), code;
    PCRE2_SIZE off;
    size_t jitsize = 0;

    if (!state) {
        pthread_mutex_lock(rs->jit_lock);
        state = atomic_load_explicit(&c->anchored_state, memory_order_relaxed);
        if (!state) {
            c->anchored = pcre2_compile((PCRE2_SPTR)r->pattern, PCRE2_ZERO_TERMINATED,
                                        PCRE2_MULTILINE | PCRE2_ANCHORED | PCRE2_NO_START_OPTIMIZE,
                                        &code, &off, NULL);
            if (!c->anchored)
                state = 0; /* out of memory: tried again on the next use */
            else if (!rs->no_jit && pcre2_jit_compile(c->anchored, PCRE2_JIT_COMPLETE) == 0 &&
                     pcre2_pattern_info(c->anchored, PCRE2_INFO_JITSIZE, &jitsize) == 0 &&
                     jitsize > 0)
                state = 1;
            else
                state = 2;
            atomic_store_explicit(&c->anchored_state, state, memory_order_release);
        }
        pthread_mutex_unlock(rs->jit_lock);
    }
    *jit = state == 1;
    return state ? c->anchored : NULL;
}

/* The literal end of a glob ("*.php" -> ".php"): a file name must end with it to match. */
static const char *glob_tail(const char *g)
{
    const char *t = g, *p;

    for (p = g; *p; p++)
        if (*p == '*' || *p == '?' || *p == '[' || *p == ']' || *p == '\\')
            t = p + 1;
    return t;
}

static int lit_cmp(const char *a, const char *b)
{
    return strcasecmp(a, b);
}

int leakscan_ruleset_compile(struct leakscan_ruleset *rs, struct leakscan_err *err)
{
    const char **lits = NULL;
    size_t *litlen = NULL;
    unsigned *ids = NULL, *flags = NULL;
    size_t *owner = NULL, *owner_lit = NULL; /* (active position, literal) pairs */
    unsigned char *owner_anchor = NULL;      /* ... 1 when the literal anchors the rule */
    size_t npairs = 0, pairs_cap = 0, i, j, k;
    int rc = 0, jit;
    uint32_t ncap;

    if (rs->compiled)
        return 0;
    rs->active = calloc(rs->n ? rs->n : 1, sizeof(*rs->active));
    if (!rs->active)
        return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
    for (i = 0; i < rs->n; i++) {
        struct leakscan_rule *r = rs->rules[i];

        if (r->disabled || (r->redact && !rs->redact_mode))
            continue;
        if (r->path_only) {
            if (!rs->path_rules && !(rs->path_rules = calloc(rs->n, sizeof(*rs->path_rules))))
                return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
            rs->path_rules[rs->npath_rules++] = i;
            continue;
        }
        r->c = calloc(1, sizeof(*r->c));
        if (!r->c)
            return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
        /* compiled now (a bad pattern is a usage error), JIT-compiled on first use */
        rc = compile_one(&r->c->re, NULL, r->pattern, "pattern", r, err);
        if (rc)
            return rc;
        pcre2_pattern_info(r->c->re, PCRE2_INFO_CAPTURECOUNT, &ncap);
        rule_span(rs, r);
        rule_anchor(r);
        if (r->secret_group < 0)
            r->c->group = ncap >= 1 ? 1 : 0;
        else if ((uint32_t)r->secret_group > ncap)
            return leakscan_err_set(err, LEAKSCAN_EREGEX,
                                    "%s:%u: rule '%s': secret_group %d but the pattern has %u "
                                    "group(s)",
                                    r->file, r->line, r->id, r->secret_group, ncap);
        else
            r->c->group = r->secret_group;
        if (r->nallow) {
            r->c->allow = calloc(r->nallow, sizeof(*r->c->allow));
            if (!r->c->allow)
                return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
            for (j = 0; j < r->nallow; j++) {
                rc = compile_one(&r->c->allow[j], rs->no_jit ? NULL : &jit, r->allow[j],
                                 "an allow regex", r, err);
                if (rc)
                    return rc;
            }
        }
        if (r->npaths) {
            rs->any_paths = 1;
            r->c->tails = calloc(r->npaths, sizeof(*r->c->tails));
            r->c->tail_len = calloc(r->npaths, sizeof(*r->c->tail_len));
            r->c->slash = calloc(r->npaths, 1);
            if (!r->c->tails || !r->c->tail_len || !r->c->slash)
                return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
            for (j = 0; j < r->npaths; j++) {
                r->c->tails[j] = glob_tail(r->paths[j]);
                r->c->tail_len[j] = strlen(r->c->tails[j]);
                r->c->slash[j] = strchr(r->paths[j], '/') != NULL;
            }
            if (!rs->scoped && !(rs->scoped = calloc(rs->n, sizeof(*rs->scoped))))
                return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
            rs->scoped[rs->nscoped++] = rs->nactive;
        }
        rs->active[rs->nactive++] = i;
    }

    if (rs->nallow) {
        rs->allow_re = calloc(rs->nallow, sizeof(*rs->allow_re));
        if (!rs->allow_re)
            return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
        for (i = 0; i < rs->nallow; i++) {
            PCRE2_UCHAR msg[256];
            PCRE2_SIZE off;
            int code;
            rs->allow_re[i] = pcre2_compile((PCRE2_SPTR)rs->allow[2 * i], PCRE2_ZERO_TERMINATED, 0,
                                            &code, &off, NULL);
            if (!rs->allow_re[i]) {
                pcre2_get_error_message(code, msg, sizeof(msg));
                return leakscan_err_set(err, LEAKSCAN_EREGEX,
                                        "%s: allow regex does not compile at offset %zu: %s",
                                        rs->allow[2 * i + 1], (size_t)off, (const char *)msg);
            }
            if (!rs->no_jit)
                pcre2_jit_compile(rs->allow_re[i], PCRE2_JIT_COMPLETE);
        }
    }
    /*
     * Distinct keywords (case-insensitive), each mapped to the rules using
     * it. A rule scoped to file names (.pgpass, *.php) is left out: it runs
     * on the files it names, and its keywords (':' for .pgpass) would
     * otherwise slow the pass over every other file.
     */
    for (i = 0; i < rs->nactive; i++)
        pairs_cap += rs->rules[rs->active[i]]->nkeywords;
    lits = calloc(pairs_cap ? pairs_cap : 1, sizeof(*lits));
    litlen = calloc(pairs_cap ? pairs_cap : 1, sizeof(*litlen));
    ids = calloc(pairs_cap ? pairs_cap : 1, sizeof(*ids));
    flags = calloc(pairs_cap ? pairs_cap : 1, sizeof(*flags));
    owner = calloc(pairs_cap ? pairs_cap : 1, sizeof(*owner));
    owner_lit = calloc(pairs_cap ? pairs_cap : 1, sizeof(*owner_lit));
    owner_anchor = calloc(pairs_cap ? pairs_cap : 1, 1);
    if (!lits || !litlen || !ids || !flags || !owner || !owner_lit || !owner_anchor) {
        rc = leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
        goto out;
    }
    rs->nlits = 0; /* lits[0..nlits) are the ones set below (a new ruleset has none) */
    for (i = 0; i < rs->nactive; i++) {
        const struct leakscan_rule *r = rs->rules[rs->active[i]];
        for (j = 0; !r->npaths && j < r->nkeywords; j++) {
            for (k = 0; k < rs->nlits; k++)
                if (!lit_cmp(lits[k], r->keywords[j]))
                    break;
            if (k == rs->nlits) {
                lits[k] = r->keywords[j];
                litlen[k] = strlen(r->keywords[j]);
                ids[k] = (unsigned)k;
                /* a line-mode, windowed or anchored rule needs every position of its keywords */
                flags[k] = HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH;
                if (litlen[k] > rs->max_lit_len)
                    rs->max_lit_len = litlen[k];
                rs->nlits++;
            }
            if (leakscan_rule_line_mode(rs, r) || leakscan_rule_windowed(r) || r->c->anchor) {
                flags[k] &= ~(unsigned)HS_FLAG_SINGLEMATCH;
                rs->line_rules = 1;
            }
            owner[npairs] = i;
            owner_lit[npairs] = k;
            owner_anchor[npairs] = r->c->anchor == j + 1;
            npairs++;
        }
    }
    rs->lit_first = calloc(rs->nlits + 1, sizeof(*rs->lit_first));
    rs->lit_rules = calloc(npairs ? npairs : 1, sizeof(*rs->lit_rules));
    rs->lit_anchor = calloc(npairs ? npairs : 1, 1);
    rs->lit_len = calloc(rs->nlits ? rs->nlits : 1, sizeof(*rs->lit_len));
    if (!rs->lit_first || !rs->lit_rules || !rs->lit_anchor || !rs->lit_len) {
        rc = leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
        goto out;
    }
    for (i = 0; i < npairs; i++)
        rs->lit_first[owner_lit[i] + 1]++;
    for (k = 0; k < rs->nlits; k++) {
        rs->lit_first[k + 1] += rs->lit_first[k];
        rs->lit_len[k] = litlen[k];
    }
    {
        size_t *fill = calloc(rs->nlits + 1, sizeof(*fill));
        if (!fill) {
            rc = leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
            goto out;
        }
        for (i = 0; i < npairs; i++) {
            k = owner_lit[i];
            rs->lit_anchor[rs->lit_first[k] + fill[k]] = owner_anchor[i];
            rs->lit_rules[rs->lit_first[k] + fill[k]++] = owner[i];
        }
        free(fill);
    }
    if (rs->nlits && (rc = leakscan_prefilter_build(rs, lits, flags, ids, litlen, rs->nlits, err)))
        goto out;
    rs->compiled = 1;
out:
    free(lits);
    free(litlen);
    free(ids);
    free(flags);
    free(owner);
    free(owner_lit);
    free(owner_anchor);
    return rc;
}
