/*
 * test_prefilter.c - prefilters compiled ahead of time. A ruleset that takes
 * a saved prefilter must scan exactly as one that compiles its own: every
 * built-in rule's examples and negative examples, in scanning and in
 * redaction mode. An offer is taken only for the very keywords it was made
 * from: a config that adds or disables a rule, the other mode, or damaged
 * bytes all mean a compile. The prefilters the build embeds are taken by
 * the built-in rules on the CPU they were built on (under Valgrind, whose
 * CPU has other features, they are compiled).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "leakscan/ruleset.h"
#include "leakscan/scanner.h"

/* made by gen_prefilter at build time (linked into this test) */
extern const unsigned char *const leakscan_builtin_prefilters[2];
extern const size_t leakscan_builtin_prefilter_sizes[2];

/* The built-in rules (and `extra` YAML, a rule `off` disabled), offered `offer`, compiled. */
static struct leakscan_ruleset *builtin(int redact, const void *offer, size_t len,
                                        const char *extra, const char *off)
{
    struct leakscan_ruleset *rs = NULL;
    struct leakscan_err err;

    leakscan_err_init(&err);
    assert_int_equal(leakscan_ruleset_new(&rs, &err), 0);
    assert_int_equal(leakscan_ruleset_load_builtin(rs, &err), 0);
    if (extra)
        assert_int_equal(
            leakscan_ruleset_load_yaml(rs, "extra.yaml", extra, strlen(extra), 1, &err), 0);
    if (off)
        assert_int_equal(leakscan_ruleset_disable(rs, off, &err), 0);
    leakscan_ruleset_set_redact(rs, redact);
    leakscan_ruleset_offer_prefilter(rs, offer, len);
    assert_int_equal(leakscan_ruleset_compile(rs, &err), 0);
    return rs;
}

/* Every rule against its examples and negative examples: no failure. */
static void selftest_passes(const struct leakscan_ruleset *rs)
{
    struct leakscan_selftest_stats st;
    struct leakscan_err err;

    memset(&st, 0, sizeof(st));
    leakscan_err_init(&err);
    assert_int_equal(leakscan_ruleset_selftest(rs, stderr, &st, &err), 0);
    assert_true(st.examples > 500);
    assert_int_equal(st.failures, 0);
}

static unsigned char *saved(int redact, size_t *len)
{
    struct leakscan_ruleset *rs = builtin(redact, NULL, 0, NULL, NULL);
    struct leakscan_err err;
    unsigned char *b = NULL;

    leakscan_err_init(&err);
    assert_false(leakscan_ruleset_prebuilt(rs));
    assert_int_equal(leakscan_ruleset_save_prefilter(rs, &b, len, &err), 0);
    leakscan_ruleset_free(rs);
    return b;
}

static void test_same_as_compiled(void **state)
{
    int redact;

    (void)state;
    for (redact = 0; redact <= 1; redact++) {
        size_t len;
        unsigned char *b = saved(redact, &len);
        struct leakscan_ruleset *rs = builtin(redact, b, len, NULL, NULL);
        assert_true(leakscan_ruleset_prebuilt(rs));
        free(b); /* borrowed only until compile */
        selftest_passes(rs);
        leakscan_ruleset_free(rs);
    }
}

/* 1 when the embedded prefilter of a mode was made on this CPU with this libhs: its key is ours. */
static int same_platform(int redact)
{
    const unsigned char *e = leakscan_builtin_prefilters[redact];
    size_t len, key_len, kw;
    unsigned char *b = saved(redact, &len);
    int same;

    key_len = (size_t)b[4] | (size_t)b[5] << 8 | (size_t)b[6] << 16 | (size_t)b[7] << 24;
    assert_true(leakscan_builtin_prefilter_sizes[redact] > 8 + key_len);
    /* the keywords (after the version, its NUL and the platform) are the same wherever it runs */
    kw = 8 + strlen((const char *)b + 8) + 1 + 12;
    assert_true(kw < 8 + key_len);
    assert_memory_equal(e + 4, b + 4, 4);
    assert_memory_equal(e + kw, b + kw, 8 + key_len - kw);
    same = !memcmp(e, b, 8 + key_len);
    free(b);
    return same;
}

static void test_embedded(void **state)
{
    int redact;

    (void)state;
    for (redact = 0; redact <= 1; redact++) {
        struct leakscan_ruleset *rs = NULL;
        struct leakscan_err err;
        int i;
        leakscan_err_init(&err);
        assert_int_equal(leakscan_ruleset_new(&rs, &err), 0);
        assert_int_equal(leakscan_ruleset_load_builtin(rs, &err), 0);
        leakscan_ruleset_set_redact(rs, redact);
        for (i = 0; i < 2; i++)
            leakscan_ruleset_offer_prefilter(rs, leakscan_builtin_prefilters[i],
                                             leakscan_builtin_prefilter_sizes[i]);
        assert_int_equal(leakscan_ruleset_compile(rs, &err), 0);
        /* taken where it was built (here: the tests run where they are built) */
        assert_int_equal(leakscan_ruleset_prebuilt(rs), same_platform(redact));
        if (!getenv("LEAKSCAN_VALGRIND")) /* Valgrind's CPU has other features */
            assert_true(same_platform(redact));
        leakscan_ruleset_free(rs);
    }
}

static const char *const EXTRA = "rules:\n"
                                 "  - id: house-token\n"
                                 "    name: House token\n"
                                 "    severity: high\n"
                                 "    keywords: [hqtok_]\n"
                                 "    pattern: '\\b(hqtok_[A-Za-z0-9]{20})\\b'\n"
                                 "    examples: ['t = hqtok_Z8m2Qp4Lr7Vt1Kw9Xy3B']\n"
                                 "    negative_examples: ['hqtok_short']\n";

static void test_other_keywords(void **state)
{
    size_t len, i;
    unsigned char *b = saved(0, &len);
    struct leakscan_ruleset *rs;

    (void)state;
    /* a rule added by a config: compiled, and its keyword is in the prefilter */
    rs = builtin(0, b, len, EXTRA, NULL);
    assert_false(leakscan_ruleset_prebuilt(rs));
    selftest_passes(rs);
    leakscan_ruleset_free(rs);
    /* a rule disabled */
    rs = builtin(0, b, len, NULL, "openai-project-key");
    assert_false(leakscan_ruleset_prebuilt(rs));
    leakscan_ruleset_free(rs);
    /* the other mode's keywords */
    rs = builtin(1, b, len, NULL, NULL);
    assert_false(leakscan_ruleset_prebuilt(rs));
    leakscan_ruleset_free(rs);
    /* damaged: the magic, the key's length, a keyword's byte, or cut short anywhere */
    for (i = 0; i < 3; i++) {
        static const size_t at[] = {0, 4, 40};
        b[at[i]] ^= 0x20;
        rs = builtin(0, b, len, NULL, NULL);
        assert_false(leakscan_ruleset_prebuilt(rs));
        leakscan_ruleset_free(rs);
        b[at[i]] ^= 0x20;
    }
    for (i = 0; i < len; i += len / 7) {
        rs = builtin(0, b, i, NULL, NULL);
        assert_false(leakscan_ruleset_prebuilt(rs));
        leakscan_ruleset_free(rs);
    }
    rs = builtin(0, b, len, NULL, NULL);
    assert_true(leakscan_ruleset_prebuilt(rs));
    leakscan_ruleset_free(rs);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_same_as_compiled),
                                       cmocka_unit_test(test_embedded),
                                       cmocka_unit_test(test_other_keywords)};

    return cmocka_run_group_tests(tests, NULL, NULL);
}
