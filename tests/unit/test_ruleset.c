/*
 * test_ruleset.c - rule loading (good and bad files), compilation, the
 * keyword prefilter and the scanner's filters and positions.
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

/* Load YAML text as a ruleset; returns the load/compile code, message in err. */
static int load(struct leakscan_ruleset **rs, const char *yaml, struct leakscan_err *err)
{
    int rc;

    leakscan_err_init(err);
    rc = leakscan_ruleset_new(rs, err);
    if (!rc)
        rc = leakscan_ruleset_load_yaml(*rs, "r.yaml", yaml, strlen(yaml), 0, err);
    if (!rc)
        rc = leakscan_ruleset_compile(*rs, err);
    return rc;
}

static int load_error(const char *yaml, const char *want, int code)
{
    struct leakscan_ruleset *rs = NULL;
    struct leakscan_err err;
    int rc = load(&rs, yaml, &err);

    leakscan_ruleset_free(rs);
    if (rc != code || !strstr(err.msg, want)) {
        fprintf(stderr, "want code %d with '%s', got %d: %s\n", code, want, rc, err.msg);
        return 0;
    }
    return 1;
}

struct hits {
    struct leakscan_findings f;
    size_t diags;
};

static int collect(void *p, const struct leakscan_finding *f)
{
    return leakscan_findings_push(&((struct hits *)p)->f, f);
}

static void count_diag(void *p, const struct leakscan_origin *o, const char *msg)
{
    (void)o;
    (void)msg;
    ((struct hits *)p)->diags++;
}

static void scan(const struct leakscan_ruleset *rs, const char *path, const char *text,
                 struct hits *h, int show)
{
    struct leakscan_scan_opts opts = {show, NULL, 0, 0};
    struct leakscan_scanner *sc = NULL;
    struct leakscan_sink sink = {collect, count_diag, h};
    struct leakscan_blob blob;
    struct leakscan_err err;

    memset(h, 0, sizeof(*h));
    memset(&blob, 0, sizeof(blob));
    blob.origin.path = path;
    blob.data = text;
    blob.len = strlen(text);
    leakscan_err_init(&err);
    assert_int_equal(leakscan_scanner_new(&sc, rs, &opts, &err), 0);
    assert_int_equal(leakscan_scanner_scan(sc, &blob, &sink, &err), 0);
    leakscan_scanner_free(sc);
}

static const char *const TOKEN_RULES =
    "rules:\n"
    "  - id: tok-a\n"
    "    name: Token A\n"
    "    severity: critical\n"
    "    keywords: [tka_]\n"
    "    pattern: '\\b(tka_[A-Za-z0-9]{16})\\b'\n"
    "    examples: ['x = tka_Q8m2Zp4Lr7Vt1Kw9']\n"
    "    negative_examples: ['tka_short']\n"
    "  - id: tok-b\n"
    "    name: Token B\n"
    "    severity: medium\n"
    "    keywords: [TKB-, other]\n"
    "    pattern: 'TKB-([0-9a-f]{12})'\n"
    "    min_entropy: 3.0\n"
    "    allow: ['^0f0f']\n"
    "    examples: ['TKB-9c3e71a04bd2']\n"
    "    negative_examples: ['TKB-aaaabbbbaaaa']\n"
    "  - id: generic-pw\n"
    "    name: Password assignment\n"
    "    severity: high\n"
    "    generic: true\n"
    "    keywords: [password]\n"
    "    pattern: 'password\\s*=\\s*(\\S{8,})'\n"
    "    examples: ['password = Zq8#mK2!vB']\n"
    "    negative_examples: ['password = short']\n"
    "  - id: json-only\n"
    "    name: JSON only\n"
    "    severity: low\n"
    "    keywords: [jso_]\n"
    "    paths: ['*.json', 'conf/**']\n"
    "    pattern: 'jso_[a-z]{8}'\n"
    "    examples: [{text: 'jso_qmvkzrwp', path: a.json}]\n"
    "    negative_examples: [{text: 'jso_qmvkzrwp', path: a.txt}]\n";

static void test_ruleset__loads_and_lists(void **state)
{
    struct leakscan_ruleset *rs = NULL;
    struct leakscan_err err;
    const struct leakscan_rule *r;

    (void)state;
    assert_int_equal(load(&rs, TOKEN_RULES, &err), 0);
    assert_int_equal(leakscan_ruleset_count(rs), 4);
    r = leakscan_ruleset_find(rs, "tok-b");
    assert_non_null(r);
    assert_int_equal(r->severity, LEAKSCAN_SEV_MEDIUM);
    assert_int_equal(r->nkeywords, 2);
    assert_int_equal(r->line, 9);
    assert_string_equal(r->file, "r.yaml");
    assert_int_equal(leakscan_ruleset_find(rs, "json-only")->examples[0].line, 32);
    assert_null(leakscan_ruleset_find(rs, "nope"));
    leakscan_ruleset_free(rs);
}

static void test_ruleset__bad_files(void **state)
{
    (void)state;
    assert_true(load_error("rules:\n  - id: x\n    name: X\n    severity: high\n    keywords: [a]\n"
                           "    pattren: 'a'\n",
                           "r.yaml:6:5: unknown rule key 'pattren'", LEAKSCAN_EPARSE));
    assert_true(load_error("rules:\n  - id: x\n    name: X\n    severity: severe\n    keywords: "
                           "[a]\n    pattern: a\n",
                           "r.yaml:4:15: unknown severity 'severe'", LEAKSCAN_EPARSE));
    assert_true(load_error("rules:\n  - id: x\n    name: X\n    severity: high\n    pattern: a\n",
                           "rule 'x' has no 'keywords'", LEAKSCAN_EPARSE));
    assert_true(load_error("rules:\n  - id: x\n    name: X\n    severity: high\n    keywords: [a]\n"
                           "    pattern: 'a(b'\n",
                           "r.yaml:6:14: rule 'x': pattern does not compile at offset 3",
                           LEAKSCAN_EREGEX));
    assert_true(load_error("rules:\n  - id: x\n    name: X\n    severity: high\n    keywords: [a]\n"
                           "    pattern: 'a'\n    secret_group: 2\n",
                           "secret_group 2 but the pattern has 0 group(s)", LEAKSCAN_EREGEX));
    assert_true(load_error("rules:\n  - {id: x, name: X, severity: high, keywords: [a], pattern: "
                           "a}\n  - {id: x, name: Y, severity: low, keywords: [b], pattern: b}\n",
                           "duplicate rule id 'x' (first in r.yaml:2)", LEAKSCAN_EPARSE));
    assert_true(
        load_error("rules:\n  - id: Bad_Id\n", "rule id 'Bad_Id' must be", LEAKSCAN_EPARSE));
    assert_true(load_error("rule: []\n", "unknown top-level key 'rule'", LEAKSCAN_EPARSE));
    assert_true(load_error("rules: {a: 1}\n", "'rules' must be a list", LEAKSCAN_EPARSE));
    assert_true(load_error("rules:\n  - [1]\n", "a rule must be a mapping", LEAKSCAN_EPARSE));
    assert_true(load_error("rules: [\n", "r.yaml:", LEAKSCAN_EPARSE));
    assert_true(load_error("rules:\n  - {id: x, name: X, severity: high, keywords: [a], pattern: "
                           "a, min_entropy: lots}\n",
                           "'min_entropy' must be a number", LEAKSCAN_EPARSE));
    assert_true(load_error("rules:\n  - {id: x, name: X, severity: high, keywords: [a], pattern: "
                           "a, validate: md5}\n",
                           "'validate' must be", LEAKSCAN_EPARSE));
    assert_true(load_error("rules:\n  - {id: x, name: X, severity: high, keywords: [a], pattern: "
                           "a, examples: [{txt: a}]}\n",
                           "unknown key 'txt' in an example", LEAKSCAN_EPARSE));
    /* found by fuzz_rules: a repeated key in an example leaked the first value */
    assert_true(load_error("rules:\n  - {id: x, name: X, severity: high, keywords: [a], pattern: "
                           "a, examples: [{text: a, secret: b, secret: c}]}\n",
                           "key 'secret' appears twice in this example", LEAKSCAN_EPARSE));
}

static void test_ruleset__prefilter_gates_rules(void **state)
{
    struct leakscan_ruleset *rs = NULL;
    struct leakscan_err err;
    struct hits h;

    (void)state;
    assert_int_equal(load(&rs, TOKEN_RULES, &err), 0);
    /* the keyword is matched case-insensitively, the pattern decides */
    scan(rs, "a.txt", "nothing here at all", &h, 1);
    assert_int_equal(h.f.n, 0);
    leakscan_findings_release(&h.f);
    scan(rs, "a.txt", "line one\n  key: tka_Q8m2Zp4Lr7Vt1Kw9 and TKB-9c3e71a04bd2\n", &h, 1);
    assert_int_equal(h.f.n, 2);
    assert_string_equal(h.f.v[0].rule_id, "tok-a");
    assert_int_equal(h.f.v[0].line, 2);
    assert_int_equal(h.f.v[0].column, 8);
    assert_int_equal(h.f.v[0].end_line, 2);
    assert_int_equal(h.f.v[0].end_column, 27);
    assert_string_equal(h.f.v[0].secret, "tka_Q8m2Zp4Lr7Vt1Kw9");
    assert_string_equal(h.f.v[1].rule_id, "tok-b");
    /* group 1 only: the secret is the hex part, its column is after "TKB-" */
    assert_string_equal(h.f.v[1].secret, "9c3e71a04bd2");
    assert_int_equal(h.f.v[1].column, 37);
    assert_int_equal(h.f.v[1].validated, -1);
    leakscan_findings_release(&h.f);
    leakscan_ruleset_free(rs);
}

static void test_ruleset__filters(void **state)
{
    struct leakscan_ruleset *rs = NULL;
    struct leakscan_err err;
    struct hits h;

    (void)state;
    assert_int_equal(load(&rs, TOKEN_RULES, &err), 0);
    /* below min_entropy, allowed by regex, placeholder: all dropped */
    scan(rs, "a.txt", "TKB-aaaabbbbaaaa\nTKB-0f0f12345678\nTKB-${SECRET_VAL}\n", &h, 1);
    assert_int_equal(h.f.n, 0);
    leakscan_findings_release(&h.f);
    /* path globs: by file name, and with a directory */
    scan(rs, "x/a.json", "jso_qmvkzrwp", &h, 1);
    assert_int_equal(h.f.n, 1);
    leakscan_findings_release(&h.f);
    scan(rs, "conf/deep/a.txt", "jso_qmvkzrwp", &h, 1);
    assert_int_equal(h.f.n, 1);
    leakscan_findings_release(&h.f);
    scan(rs, "a.txt", "jso_qmvkzrwp", &h, 1);
    assert_int_equal(h.f.n, 0);
    leakscan_findings_release(&h.f);
    leakscan_ruleset_free(rs);
}

static void test_ruleset__generic_yields_to_specific(void **state)
{
    struct leakscan_ruleset *rs = NULL;
    struct leakscan_err err;
    struct hits h;

    (void)state;
    assert_int_equal(load(&rs, TOKEN_RULES, &err), 0);
    scan(rs, "a.txt", "password = tka_Q8m2Zp4Lr7Vt1Kw9\npassword = Zq8#mK2!vB\n", &h, 1);
    assert_int_equal(h.f.n, 2);
    assert_string_equal(h.f.v[0].rule_id, "tok-a");
    assert_string_equal(h.f.v[1].rule_id, "generic-pw");
    assert_int_equal(h.f.v[1].line, 2);
    leakscan_findings_release(&h.f);
    leakscan_ruleset_free(rs);
}

static void test_ruleset__inline_allow(void **state)
{
    struct leakscan_ruleset *rs = NULL;
    struct leakscan_err err;
    struct hits h;

    (void)state;
    assert_int_equal(load(&rs, TOKEN_RULES, &err), 0);
    scan(rs, "a.txt",
         "a = tka_Q8m2Zp4Lr7Vt1Kw9  # leakscan:allow\n"
         "b = tka_Z7n3Yq5Ms8Wu2Lx0\n"
         "c = tka_P4k8Hd2Rf6Tj9Nb3 # leakscan:allo\n",
         &h, 1);
    assert_int_equal(h.f.n, 2);
    assert_int_equal(h.f.v[0].line, 2);
    assert_int_equal(h.f.v[1].line, 3);
    leakscan_findings_release(&h.f);
    leakscan_ruleset_free(rs);
}

static void test_ruleset__decode_and_rescan(void **state)
{
    struct leakscan_ruleset *rs = NULL;
    struct leakscan_err err;
    struct hits h;

    (void)state;
    assert_int_equal(load(&rs, TOKEN_RULES, &err), 0);
    /* base64 of "key tka_... end", and a percent-encoded query: found at the encoded text */
    scan(rs, "a.txt",
         "blob: a2V5IHRrYV9ROG0yWnA0THI3VnQxS3c5IGVuZA==\n"
         "url: ?q=x%3Dtka_Q8m2Zp4Lr7Vt1Kw9%26y%3D%2Fa%20b\n",
         &h, 1);
    assert_int_equal(h.f.n, 2);
    assert_string_equal(h.f.v[0].rule_id, "tok-a");
    assert_int_equal(h.f.v[0].line, 1);
    assert_int_equal(h.f.v[0].column, 7);
    assert_int_equal(h.f.v[1].line, 2);
    assert_int_equal(h.f.v[1].column, 9);
    leakscan_findings_release(&h.f);
    /* a long identifier is not base64 worth decoding: no finding, no error */
    scan(rs, "a.txt", "SomeVeryLongIdentifierName2WithDigits3AndCase\n", &h, 1);
    assert_int_equal(h.f.n, 0);
    leakscan_findings_release(&h.f);
    leakscan_ruleset_free(rs);
}

static void test_ruleset__preview_by_default(void **state)
{
    struct leakscan_ruleset *rs = NULL;
    struct leakscan_err err;
    struct hits h;

    (void)state;
    assert_int_equal(load(&rs, TOKEN_RULES, &err), 0);
    scan(rs, "a.txt", "tka_Q8m2Zp4Lr7Vt1Kw9", &h, 0);
    assert_int_equal(h.f.n, 1);
    assert_null(strstr(h.f.v[0].secret, "Q8m2Zp4Lr7Vt1Kw9"));
    assert_int_equal(strlen(h.f.v[0].fingerprint), 40);
    leakscan_findings_release(&h.f);
    leakscan_ruleset_free(rs);
}

static void test_ruleset__pathological_pattern_bounded(void **state)
{
    /*
     * Catastrophic backtracking: the match limit stops it on the bad line,
     * the rule goes on with the next line (and finds what is there), and
     * one diagnostic says so.
     */
    const char *yaml = "rules:\n  - id: evil\n    name: Evil\n    severity: low\n"
                       "    keywords: [aaaa]\n    pattern: '(?:a|aa)+\\d([A-Za-z0-9]{8})'\n";
    struct leakscan_ruleset *rs = NULL;
    struct leakscan_err err;
    struct hits h;
    char text[4200];

    (void)state;
    memset(text, 'a', 4096);
    memcpy(text + 4096, "\naaaa7Kq9Zt3Wm\n", 16);
    text[4112] = '\0';
    assert_int_equal(load(&rs, yaml, &err), 0);
    scan(rs, "a.txt", text, &h, 1);
    assert_int_equal(h.f.n, 1);
    assert_int_equal(h.f.v[0].line, 2);
    assert_int_equal(h.diags, 1);
    leakscan_findings_release(&h.f);
    leakscan_ruleset_free(rs);
}

static void test_ruleset__builtin_rules_load(void **state)
{
    struct leakscan_ruleset *rs = NULL;
    struct leakscan_err err;
    struct leakscan_selftest_stats st;
    FILE *devnull = fopen("/dev/null", "w");

    (void)state;
    leakscan_err_init(&err);
    assert_non_null(devnull);
    assert_int_equal(leakscan_ruleset_new(&rs, &err), 0);
    assert_int_equal(leakscan_ruleset_load_builtin(rs, &err), 0);
    leakscan_ruleset_set_redact(rs, 1); /* every rule, the log ones too */
    assert_int_equal(leakscan_ruleset_compile(rs, &err), 0);
    assert_true(leakscan_ruleset_count(rs) >= 1);
    assert_non_null(leakscan_ruleset_find(rs, "anthropic-api-key"));
    assert_int_equal(leakscan_ruleset_selftest(rs, devnull, &st, &err), 0);
    assert_int_equal(st.failures, 0);
    assert_int_equal(st.rules, leakscan_ruleset_count(rs));
    fclose(devnull);
    leakscan_ruleset_free(rs);
}

static void test_ruleset__selftest_reports_failures(void **state)
{
    const char *yaml = "rules:\n  - id: t\n    name: T\n    severity: low\n    keywords: [zz_]\n"
                       "    pattern: 'zz_[0-9]{4}'\n    examples: ['zz_12', 'zz_9071']\n"
                       "    negative_examples: ['zz_4829']\n";
    struct leakscan_ruleset *rs = NULL;
    struct leakscan_err err;
    struct leakscan_selftest_stats st;
    char *out = NULL;
    size_t outlen = 0;
    FILE *fp = open_memstream(&out, &outlen);

    (void)state;
    assert_non_null(fp);
    assert_int_equal(load(&rs, yaml, &err), 0);
    assert_int_equal(leakscan_ruleset_selftest(rs, fp, &st, &err), 0);
    fclose(fp);
    assert_int_equal(st.failures, 2);
    assert_int_equal(st.examples, 2);
    assert_int_equal(st.negatives, 1);
    assert_non_null(strstr(out, "FAIL t (r.yaml:2): example 1 (line 7)"));
    assert_non_null(strstr(out, "FAIL t (r.yaml:2): negative example 1 (line 8)"));
    assert_non_null(strstr(out, "matched at 1:1: zz_4829"));
    free(out);
    leakscan_ruleset_free(rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ruleset__loads_and_lists),
        cmocka_unit_test(test_ruleset__bad_files),
        cmocka_unit_test(test_ruleset__prefilter_gates_rules),
        cmocka_unit_test(test_ruleset__filters),
        cmocka_unit_test(test_ruleset__generic_yields_to_specific),
        cmocka_unit_test(test_ruleset__inline_allow),
        cmocka_unit_test(test_ruleset__decode_and_rescan),
        cmocka_unit_test(test_ruleset__preview_by_default),
        cmocka_unit_test(test_ruleset__pathological_pattern_bounded),
        cmocka_unit_test(test_ruleset__builtin_rules_load),
        cmocka_unit_test(test_ruleset__selftest_reports_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
