/*
 * test_window.c - keyword windows: the pattern width reader against
 * Vectorscan's own analysis, and the scanner finding exactly the same
 * secrets with windows as over the whole buffer.
 */
#define _GNU_SOURCE /* memmem */
#include "config.h"

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <hs/hs.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "leakscan/buf.h"
#include "leakscan/ruleset.h"
#include "leakscan/scanner.h"

static void width_is(const char *pattern, long width, long reach)
{
    size_t w = 0, r = 0;
    int rc = leakscan_pattern_reach(pattern, &w, &r);

    if (width < 0) {
        if (rc != -1)
            fail_msg("%s: want unbounded, got width %zu", pattern, w);
        return;
    }
    if (rc != 0 || (long)w != width || (long)r != reach)
        fail_msg("%s: want %ld/%ld, got rc %d, %zu/%zu", pattern, width, reach, rc, w, r);
}

static void prefix_is(const char *pattern, const char *want)
{
    char got[64];
    size_t n = leakscan_pattern_prefix(pattern, got, sizeof(got));

    if (n != strlen(want) || strcmp(got, want))
        fail_msg("%s: want prefix '%s', got '%s' (%zu)", pattern, want, got, n);
}

/* The literal start every match has: where an anchored rule is tried. */
static void test_prefix_syntax(void **state)
{
    (void)state;
    prefix_is("\\b(pat[A-Za-z0-9]{14}\\.[a-f0-9]{64})\\b", "pat");
    prefix_is("(?<=[A-Za-z0-9])://[^\\s:@]{0,100}:([^\\s]{1,9})@", "://");
    prefix_is("(?<![a-z])(?:sk-ant-api0[0-9])-x", "sk-ant-api0");
    prefix_is("(?i)akia[0-9A-Z]{16}", "akia");
    prefix_is("(?<name>ghp_)[a-z]{36}", "ghp_");
    prefix_is("(?P<t>xoxb-)[0-9]", "xoxb-");
    prefix_is("(?=abc)abcd", "abcd");
    prefix_is("x\\.y\\-z", "x.y-z");
    prefix_is("^-----BEGIN [A-Z]+ KEY", "-----BEGIN ");
    /* the last byte is not certain when quantified; "+" keeps it once */
    prefix_is("ab?c", "a");
    prefix_is("ab*c", "a");
    prefix_is("ab{2}c", "a");
    prefix_is("ab+c", "ab");
    /* no common literal start */
    prefix_is("abc|abd", "");
    prefix_is("(abc|abd)x", "");
    prefix_is("(?:abc)?x", "");
    prefix_is("(?:abc){0,1}x", "");
    prefix_is("(?=x)?abc", "");
    prefix_is("\\d+abc", "");
    prefix_is("[a-z]abc", "");
    prefix_is(".abc", "");
    prefix_is("(?x) a b c", "");
    prefix_is("\\Qa|b\\E", "");
    prefix_is("(?|(a)|(b))", "");
    prefix_is("(?>abc)", "");
    prefix_is("abc)", "");
    prefix_is("(abc", "");
    /* named groups of every form */
    prefix_is("(?'tok'ghp_)[a-z]", "ghp_");
    /* syntax read differently by PCRE2 than a plain walk would: no prefix claimed */
    prefix_is("ab(?#x)?c", "");
    prefix_is("abc(?#(|)|xyz", "");
    prefix_is("ab\\E?c", "");
    prefix_is("abc\\c(|xyz", "");
    prefix_is("abc(?x)#(\n|xyz", "");
    prefix_is("(?-x:abc)", "");
    prefix_is("\\Gabc", "");
    prefix_is("abc(*COMMIT)def", "");
    prefix_is("(*UTF)abc", "");
}

/* The bytes of `in` are in the class set, those of `out` are not. */
static void class_is(const char *pattern, const unsigned char set[32], const char *in,
                     const char *out)
{
    for (; in && *in; in++)
        if (!(set[(unsigned char)*in >> 3] & (1u << (*in & 7))))
            fail_msg("%s: '%c' should be in the class", pattern, *in);
    for (; out && *out; out++)
        if (set[(unsigned char)*out >> 3] & (1u << (*out & 7)))
            fail_msg("%s: '%c' should not be in the class", pattern, *out);
}

static void follow_is(const char *pattern, size_t prefix_len, size_t want, const char *in,
                      const char *out)
{
    unsigned char set[32];
    size_t n = leakscan_pattern_follow(pattern, prefix_len, set);

    if (n != want)
        fail_msg("%s: want %zu bytes to follow, got %zu", pattern, want, n);
    class_is(pattern, set, in, out);
}

/* What must follow an anchor keyword: "pat" then 14 letters or digits, not "path\"". */
static void test_follow_syntax(void **state)
{
    (void)state;
    follow_is("(?<![a-z])(pat[A-Za-z0-9]{14}\\.[a-f0-9]{64})", 3, 8, "aZ09", "\"./:_");
    follow_is("(?<=[a-z])://[^\\s:/@\"]{1,128}:", 3, 1, "a.-_", " :/@\"\n");
    follow_is("abc\\d+", 3, 1, "059", "a");
    follow_is("abc\\w{2,5}", 3, 2, "aZ0_", "-.");
    follow_is("abc[a-z]x", 3, 1, "amz", "AZ0");
    follow_is("abc[]x]{2}", 3, 2, "]x", "a");
    follow_is("abc[^a]{2}", 3, 2, "b ", "a");
    follow_is("abc[a\\-z]{3}", 3, 3, "a-z", "b");
    /* none required, or not read here */
    follow_is("abc[a-z]?x", 3, 0, NULL, NULL);
    follow_is("abc[a-z]*x", 3, 0, NULL, NULL);
    follow_is("abc[a-z]{0,3}x", 3, 0, NULL, NULL);
    follow_is("(?i)abc[a-z]{3}", 3, 0, NULL, NULL);
    follow_is("abc(?i:[a-z]{3})", 3, 0, NULL, NULL);
    follow_is("abc[[:alpha:]]{3}", 3, 0, NULL, NULL);
    follow_is("abc[\\x41-\\x5a]{3}", 3, 0, NULL, NULL);
    follow_is("abc(?:x)", 3, 0, NULL, NULL);
    follow_is("abc.{3}", 3, 0, NULL, NULL);
    follow_is("abc[a-z]{3}", 2, 0, NULL, NULL); /* the keyword is not the whole literal start */
    follow_is("abc[z-a]", 3, 0, NULL, NULL);
}

static void stop_is(const char *pattern, size_t prefix_len, int want, size_t min, size_t max,
                    char stop, const char *in, const char *out)
{
    unsigned char set[32], c = 0;
    size_t mn = 0, mx = 0;
    int got = leakscan_pattern_stop(pattern, prefix_len, set, &mn, &mx, &c);

    if (got != want)
        fail_msg("%s: want %s stop, got %s", pattern, want ? "a" : "no", got ? "one" : "none");
    if (!want)
        return;
    if (mn != min || mx != max || c != (unsigned char)stop)
        fail_msg("%s: want %zu-%zu then '%c', got %zu-%zu then '%c'", pattern, min, max, stop, mn,
                 mx, c);
    class_is(pattern, set, in, out);
}

/* A run of a class ending at a byte it does not hold: "://" then "user:" for a URL password. */
static void test_stop_syntax(void **state)
{
    (void)state;
    stop_is("(?<=[A-Za-z0-9])://[^\\s:@/?#]{0,100}:([^\\s@]{1,256})@", 3, 1, 0, 100, ':', "ab.-",
            " :@/?#\n");
    stop_is("pat[A-Za-z0-9]{14}\\.[a-f0-9]{64}", 3, 1, 14, 14, '.', "aZ0", ".-");
    stop_is("abc\\d+x", 3, 1, 1, SIZE_MAX, 'x', "09", "x");
    stop_is("abc\\s*:", 3, 1, 0, SIZE_MAX, ':', " \t", ":");
    stop_is("abc[a-z]{2,}?_", 3, 1, 2, SIZE_MAX, '_', "az", "_");
    stop_is("abc[a-z]{3}+_", 3, 1, 3, 3, '_', "az", "_");
    stop_is("abc[a-z]?\\$", 3, 1, 0, 1, '$', "a", "$");
    /* no such byte, or one that need not be there */
    stop_is("abc[a-z]{3}x", 3, 0, 0, 0, 0, NULL, NULL);      /* x is in the class */
    stop_is("abc[a-z]{3}={0,2}", 3, 0, 0, 0, 0, NULL, NULL); /* maybe no '=' */
    stop_is("abc[a-z]{3}:?", 3, 0, 0, 0, 0, NULL, NULL);
    stop_is("abc[a-z]{3}:*", 3, 0, 0, 0, 0, NULL, NULL);
    stop_is("abc[a-z]{3}:+", 3, 0, 0, 0, 0, NULL, NULL);
    stop_is("(?:abc[a-z]{3}:|xyz)", 3, 0, 0, 0, 0, NULL, NULL);
    stop_is("abc[0-9]{3}:|xyz", 3, 0, 0, 0, 0, NULL, NULL);
    stop_is("abc[a-z]{3}(?::)", 3, 0, 0, 0, 0, NULL, NULL);
    stop_is("abc[a-z]{3}.", 3, 0, 0, 0, 0, NULL, NULL);
    stop_is("abc[a-z]{3}\\d", 3, 0, 0, 0, 0, NULL, NULL);
    stop_is("abc[a-z]{3}", 3, 0, 0, 0, 0, NULL, NULL);
    stop_is("(?i)abc[a-z]{3}:", 3, 0, 0, 0, 0, NULL, NULL);
    stop_is("abc[a-z]{3}:", 2, 0, 0, 0, 0, NULL, NULL);
    stop_is("abc[a-z]{5,3}:", 3, 0, 0, 0, 0, NULL, NULL);
}

/*
 * For every built-in rule with such a stop, random text after its keyword:
 * wherever PCRE2 matches there (anchored, as the scanner tries it), the run
 * and its stop byte are there too. The check may only skip places where no
 * match can start.
 */
static void test_stop_never_skips_a_match(void **state)
{
    struct leakscan_ruleset *rs = NULL;
    struct leakscan_err err;
    pcre2_match_data *md = pcre2_match_data_create(32, NULL);
    unsigned long long x = 0x9e3779b97f4a7c15ull;
    static const char other[] = "@:/. =-_\n\"aZ09+";
    size_t i, rules = 0, matched_rules = 0;

    (void)state;
    leakscan_err_init(&err);
    assert_non_null(md);
    assert_int_equal(leakscan_ruleset_new(&rs, &err), 0);
    assert_int_equal(leakscan_ruleset_load_builtin(rs, &err), 0);
    for (i = 0; i < leakscan_ruleset_count(rs); i++) {
        const struct leakscan_rule *r = leakscan_ruleset_rule(rs, i);
        unsigned char set[32], stop, members[256];
        char pre[128], subject[1200];
        size_t plen, min, max, nm = 0, t, matches = 0;
        pcre2_code *re;
        PCRE2_SIZE off;
        int code, b;
        if (!r->pattern || !(plen = leakscan_pattern_prefix(r->pattern, pre, sizeof(pre))) ||
            !leakscan_pattern_stop(r->pattern, plen, set, &min, &max, &stop))
            continue;
        rules++;
        for (b = 1; b < 256; b++)
            if (set[b >> 3] & (1u << (b & 7)))
                members[nm++] = (unsigned char)b;
        assert_true(nm > 0);
        re = pcre2_compile((PCRE2_SPTR)r->pattern, PCRE2_ZERO_TERMINATED, PCRE2_MULTILINE, &code,
                           &off, NULL);
        assert_non_null(re);
        for (t = 0; t < 3000; t++) {
            size_t n = 0, run, k, j, at = 1, cap = max < 600 ? max + 3 : 600;
            const struct leakscan_example *ex =
                r->nexamples ? &r->examples[t % r->nexamples] : NULL;
            const char *kw = ex ? memmem(ex->text, ex->len, pre, plen) : NULL;
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            if (kw && t % 2 && ex->len < sizeof(subject)) {
                /* one of the rule's examples, a few bytes after the keyword changed */
                memcpy(subject, ex->text, ex->len);
                n = ex->len;
                at = (size_t)(kw - ex->text);
                for (j = (t / 2) % 4; j > 0 && n > at + plen; j--) {
                    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
                    k = at + plen + (size_t)(x >> 7) % (n - at - plen);
                    subject[k] = (x >> 30) % 3   ? (char)members[(x >> 11) % nm]
                                 : (x >> 33) % 2 ? (char)stop
                                                 : other[(x >> 40) % (sizeof(other) - 1)];
                }
            } else {
                /* a byte before (lookbehinds), the keyword, a run near the bounds, then anything */
                subject[n++] = (x & 1) ? 'a' : ' ';
                memcpy(subject + n, pre, plen);
                n += plen;
                run = min > 2 ? min - 2 : 0;
                run += (size_t)(x >> 8) % (cap + 3 - run);
                for (k = 0; k < run && n < 700; k++) {
                    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
                    subject[n++] = (char)members[(x >> 11) % nm];
                }
                if ((x >> 20) % 4)
                    subject[n++] = (char)stop;
                for (j = 0; j < 400; j++) {
                    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
                    subject[n++] = (x >> 30) % 3 ? (char)members[(x >> 11) % nm]
                                                 : other[(x >> 40) % (sizeof(other) - 1)];
                }
            }
            if (pcre2_match(re, (PCRE2_SPTR)subject, n, at, PCRE2_ANCHORED, md, NULL) >= 0) {
                const unsigned char *d = (const unsigned char *)subject + at + plen;
                size_t left = n - at - plen;
                matches++;
                for (k = 0; k < left && k <= max && (set[d[k] >> 3] & (1u << (d[k] & 7))); k++)
                    ;
                if (k < min || k > max || k >= left || d[k] != stop)
                    fail_msg("%s: a match where the stop check would not try", r->id);
            }
        }
        matched_rules += matches > 0;
        pcre2_code_free(re);
    }
    print_message("%zu rules with a stop, %zu of them matched random text\n", rules, matched_rules);
    assert_true(rules >= 20);
    assert_int_equal(matched_rules, rules); /* every one of them was put to the test */
    pcre2_match_data_free(md);
    leakscan_ruleset_free(rs);
}

static void test_width_syntax(void **state)
{
    char deep[2 * 100000 + 2];
    size_t i;

    (void)state;
    /* nesting deeper than PCRE2 allows: unbounded, without spending the stack (fuzz_rules) */
    for (i = 0; i < 100000; i++)
        deep[i] = '(', deep[100000 + i] = ')';
    deep[200000] = '\0';
    width_is(deep, -1, -1);
    width_is("(((a)))", 1, 1);
    width_is("abc", 3, 3);
    width_is("a{2,5}b?", 6, 6);
    width_is("(?|ab|c)", 2, 2);
    width_is("(?i:AKIA)[A-Z2-7]{16}", 20, 20);
    width_is("(?<![A-Za-z0-9])x(?![A-Za-z0-9])", 1, 2);
    width_is("(?=abcd)a", 1, 4);
    width_is("\\Qa.b\\E", 3, 3);
    width_is("[]a]\\x41\\x{263a}\\d", 4, 4);
    width_is("[[:alpha:]_]{3}", 3, 3);
    width_is("\\bfoo\\b$", 3, 3);
    width_is("x{2,}", -1, -1);
    width_is("a+", -1, -1);
    width_is("a*", -1, -1);
    width_is("(a)\\1", -1, -1);
    width_is("(?x) a b", -1, -1);
    width_is("a{,3}", -1, -1);          /* literal in PCRE2 10.42, {0,3} in 10.43: not read */
    width_is("a{ 1,3}", -1, -1);        /* 10.43 allows spaces */
    width_is("(*UTF)a.", -1, -1);       /* '.' would be up to four bytes */
    width_is("a(?R)?", -1, -1);         /* recursion */
    width_is("[=[:]\\w{60}:]", 63, 63); /* "[:" does not start a POSIX class past ']' */
    width_is("key(?<=y(?=[a-z0-9]{40}))", 3, 44); /* a lookahead inside a lookbehind */
    width_is("(?:ab){0}c", 1, 1);
    width_is("(unclosed", -1, -1);
}

/* Vectorscan reads the same pattern (prefilter mode, branch resets as plain groups). */
static int hs_width(const char *pattern, unsigned *width)
{
    char *p = strdup(pattern), *q;
    hs_expr_info_t *info = NULL;
    hs_compile_error_t *e = NULL;
    int rc = -1;

    assert_non_null(p);
    for (q = p; (q = strstr(q, "(?|")) != NULL;)
        q[2] = ':';
    if (hs_expression_info(p, HS_FLAG_PREFILTER | HS_FLAG_ALLOWEMPTY | HS_FLAG_MULTILINE, &info,
                           &e) == HS_SUCCESS) {
        if (info->max_width != UINT_MAX) {
            *width = info->max_width;
            rc = 0;
        }
        free(info);
    } else {
        hs_free_compile_error(e);
    }
    free(p);
    return rc;
}

static void test_width_agrees_with_vectorscan(void **state)
{
    struct leakscan_ruleset *rs = NULL;
    struct leakscan_err err;
    size_t i, bounded = 0;

    (void)state;
    leakscan_err_init(&err);
    assert_int_equal(leakscan_ruleset_new(&rs, &err), 0);
    assert_int_equal(leakscan_ruleset_load_builtin(rs, &err), 0);
    for (i = 0; i < leakscan_ruleset_count(rs); i++) {
        const struct leakscan_rule *r = leakscan_ruleset_rule(rs, i);
        size_t w = 0;
        unsigned hw = 0;
        int ours, theirs;

        if (!r->pattern || r->path_only)
            continue;
        ours = leakscan_pattern_reach(r->pattern, &w, NULL);
        theirs = hs_width(r->pattern, &hw);
        /* bounded for us means bounded for Vectorscan, and never narrower */
        if (ours == 0 && (theirs != 0 || w < hw))
            fail_msg("rule %s: width %zu, Vectorscan says %s %u", r->id, w,
                     theirs ? "unbounded" : "", hw);
        if (ours == 0)
            bounded++;
    }
    /* most rules are bounded: they run in keyword windows */
    assert_true(bounded * 4 > leakscan_ruleset_count(rs) * 3);
    leakscan_ruleset_free(rs);
}

struct spans {
    struct {
        const char *rule;
        size_t off, end;
    } v[8192];
    size_t n;
};

static int collect(void *p, const struct leakscan_finding *f)
{
    struct spans *s = p;

    if (s->n < sizeof(s->v) / sizeof(s->v[0])) {
        s->v[s->n].rule = f->rule_id;
        s->v[s->n].off = f->offset;
        s->v[s->n].end = f->end_offset;
        s->n++;
    }
    return 0;
}

/* Scan; returns the number of rule runs that used keyword windows. */
static size_t scan(const struct leakscan_ruleset *rs, const char *data, size_t len, int whole,
                   struct spans *out, size_t *anchored)
{
    struct leakscan_scan_opts opts;
    struct leakscan_scanner *sc = NULL;
    struct leakscan_sink sink = {collect, NULL, out};
    struct leakscan_blob blob;
    struct leakscan_err err;
    size_t runs;

    memset(&opts, 0, sizeof(opts));
    opts.show_secrets = 1;
    opts.whole_buffer = whole;
    memset(&blob, 0, sizeof(blob));
    blob.origin.path = "logs/app.log";
    blob.data = data;
    blob.len = len;
    out->n = 0;
    leakscan_err_init(&err);
    assert_int_equal(leakscan_scanner_new(&sc, rs, &opts, &err), 0);
    assert_int_equal(leakscan_scanner_scan(sc, &blob, &sink, &err), 0);
    runs = leakscan_scanner_stats(sc)->window_runs;
    if (anchored)
        *anchored = leakscan_scanner_stats(sc)->anchored_runs;
    leakscan_scanner_free(sc);
    return runs;
}

/*
 * The same findings with and without windows and anchors; returns how many
 * rule runs used windows (*anchored: how many were anchored).
 */
static size_t same_findings(const struct leakscan_ruleset *rs, const struct leakscan_buf *b,
                            size_t at_least, size_t *anchored)
{
    static struct spans win, whole;
    size_t i, runs, none = 0;

    runs = scan(rs, b->data, b->len, 0, &win, anchored);
    assert_int_equal(scan(rs, b->data, b->len, 1, &whole, &none), 0);
    assert_int_equal(none, 0);
    assert_true(whole.n >= at_least);
    assert_int_equal(win.n, whole.n);
    for (i = 0; i < win.n; i++) {
        if (strcmp(win.v[i].rule, whole.v[i].rule) || win.v[i].off != whole.v[i].off ||
            win.v[i].end != whole.v[i].end)
            fail_msg("finding %zu: %s at %zu-%zu with windows, %s at %zu-%zu whole", i,
                     win.v[i].rule, win.v[i].off, win.v[i].end, whole.v[i].rule, whole.v[i].off,
                     whole.v[i].end);
    }
    return runs;
}

/* Filler lines full of keywords that start windows without completing a match. */
static const char *const filler[] = {
    "2026-11-25T10:00:00Z INFO aws region eu-west-1 loaded, secret store ready\n",
    "GET https://shop.example.com/path?token=&key= 200 redis://cache:6379/0\n",
    "{\"level\":\"debug\",\"password\":\"\",\"api_key\":null,\"pattern\":\"pat\"}\n",
    "export STRIPE=sk_ GITHUB=ghp_ SLACK=xoxb- OPENAI=sk-proj- ANTHROPIC=sk-ant-\n",
    "the quick brown fox jumps over the lazy dog; nothing to see on this line\n",
    "vault token secret_id heroku mistral cohere together fireworks wandb datadog\n",
};

/* Examples between 1..every filler lines; sparse: keyword lines only one in 25. */
static void build(struct leakscan_buf *b, const struct leakscan_ruleset *rs, unsigned every,
                  int sparse, size_t *examples)
{
    size_t i, k, line = 0;
    uint32_t x = 12345;

    leakscan_buf_init(b);
    *examples = 0;
    for (i = 0; i < leakscan_ruleset_count(rs); i++) {
        const struct leakscan_rule *r = leakscan_ruleset_rule(rs, i);
        for (k = 0; k < r->nexamples; k++) {
            unsigned n = 1 + (x = x * 1103515245u + 12345u) % every;
            if (r->examples[k].path)
                continue; /* scoped to a file name */
            while (n--) {
                const char *f = sparse && line % 25 ? filler[4] : filler[line % 6];
                line++;
                assert_int_equal(leakscan_buf_puts(b, f), 0);
            }
            assert_int_equal(leakscan_buf_add(b, r->examples[k].text, r->examples[k].len), 0);
            assert_int_equal(leakscan_buf_puts(b, "\n"), 0);
            (*examples)++;
        }
    }
}

static void windows_find_the_same(int redact, unsigned every, int sparse)
{
    struct leakscan_ruleset *rs = NULL;
    struct leakscan_err err;
    struct leakscan_buf b;
    size_t examples, runs, anchored = 0;

    leakscan_err_init(&err);
    assert_int_equal(leakscan_ruleset_new(&rs, &err), 0);
    assert_int_equal(leakscan_ruleset_load_builtin(rs, &err), 0);
    leakscan_ruleset_set_redact(rs, redact);
    assert_int_equal(leakscan_ruleset_compile(rs, &err), 0);
    build(&b, rs, every, sparse, &examples);
    /* most examples are found, several times over in a few cases */
    runs = same_findings(rs, &b, examples / 2, &anchored);
    /* in a sparse text, rules did run in windows (not all of them whole), and anchored */
    if (sparse)
        assert_true(runs > 20);
    assert_true(anchored > 100);
    leakscan_buf_release(&b);
    leakscan_ruleset_free(rs);
}

static void test_windows_dense(void **state)
{
    (void)state;
    windows_find_the_same(0, 3, 0);
}

static void test_windows_sparse(void **state)
{
    (void)state;
    windows_find_the_same(0, 200, 1);
}

static void test_windows_redact_rules(void **state)
{
    (void)state;
    windows_find_the_same(1, 60, 1);
}

/*
 * A config's rule may use keywords that only gate it, far from the match
 * (as gitleaks rules do): it runs over the whole buffer, never in windows.
 */
static void test_config_rules_run_whole(void **state)
{
    static const char yaml[] = "rules:\n"
                               "  - id: gated\n"
                               "    name: Gated\n"
                               "    severity: high\n"
                               "    keywords: [deployment]\n"
                               "    pattern: '\\b(QZX[0-9A-Z]{16})\\b'\n"
                               "    examples: ['deployment QZX7K2M9P4R8T1W6Y3B']\n"
                               "    negative_examples: ['QZX0123']\n";
    struct leakscan_ruleset *rs = NULL;
    struct leakscan_err err;
    struct leakscan_buf b;
    static struct spans found;
    size_t i;

    (void)state;
    leakscan_err_init(&err);
    leakscan_buf_init(&b);
    assert_int_equal(leakscan_ruleset_new(&rs, &err), 0);
    assert_int_equal(leakscan_ruleset_load_yaml(rs, "c.yaml", yaml, strlen(yaml), 0, &err), 0);
    assert_int_equal(leakscan_ruleset_compile(rs, &err), 0);
    assert_int_equal(leakscan_buf_puts(&b, "deployment notes\n"), 0);
    for (i = 0; i < 200; i++)
        assert_int_equal(leakscan_buf_puts(&b, filler[4]), 0);
    assert_int_equal(leakscan_buf_puts(&b, "key QZX7K2M9P4R8T1W6Y3B\n"), 0);
    scan(rs, b.data, b.len, 0, &found, NULL);
    assert_int_equal(found.n, 1);
    assert_string_equal(found.v[0].rule, "gated");
    leakscan_buf_release(&b);
    leakscan_ruleset_free(rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_width_syntax),
        cmocka_unit_test(test_prefix_syntax),
        cmocka_unit_test(test_follow_syntax),
        cmocka_unit_test(test_stop_syntax),
        cmocka_unit_test(test_stop_never_skips_a_match),
        cmocka_unit_test(test_width_agrees_with_vectorscan),
        cmocka_unit_test(test_windows_dense),
        cmocka_unit_test(test_windows_sparse),
        cmocka_unit_test(test_windows_redact_rules),
        cmocka_unit_test(test_config_rules_run_whole),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
