/*
 * test_sarif.c - the SARIF reporter on findings the CLI cannot make yet:
 * no path (commit messages), rules that are not in the ruleset (lints), no
 * ruleset at all, odd and absolute paths, unreadable files. The schema
 * itself is checked by tests/sarif/check.sh on real scans.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "leakscan/report.h"

static struct leakscan_finding finding(const char *rule, const char *path, unsigned line)
{
    struct leakscan_finding f;

    memset(&f, 0, sizeof(f));
    f.rule_id = rule;
    f.category = "secret";
    f.severity = LEAKSCAN_SEV_HIGH;
    f.message = "Test token";
    f.origin.path = path;
    f.line = f.end_line = line;
    f.column = 5;
    f.end_column = 14;
    f.secret = "tok_ab\xe2\x80\xa6yz";
    f.secret_len = strlen(f.secret);
    memcpy(f.fingerprint, "0123456789abcdef0123456789abcdef01234567", 41);
    f.validated = -1;
    return f;
}

/* Run a reporter (no ruleset) over fs and parse what it wrote. */
static cJSON *report(const struct leakscan_finding *fs, size_t n,
                     const struct leakscan_problem *probs, size_t nprobs)
{
    struct leakscan_report_opts po;
    struct leakscan_reporter *rep = NULL;
    struct leakscan_run_stats stats;
    struct leakscan_report_end end;
    FILE *fp = tmpfile();
    char *text;
    long len;
    size_t i;
    cJSON *doc;

    assert_non_null(fp);
    memset(&po, 0, sizeof(po));
    po.format = LEAKSCAN_FORMAT_SARIF;
    po.mode = "history";
    po.version = "9.9.9";
    memset(&stats, 0, sizeof(stats));
    stats.errors = nprobs;
    memset(&end, 0, sizeof(end));
    end.stats = &stats;
    end.findings = n;
    end.problems = probs;
    end.nproblems = nprobs;
    assert_int_equal(leakscan_reporter_new(&rep, fp, &po, NULL), 0);
    assert_int_equal(leakscan_reporter_begin(rep, NULL), 0);
    for (i = 0; i < n; i++)
        assert_int_equal(leakscan_reporter_finding(rep, &fs[i], NULL), 0);
    assert_int_equal(leakscan_reporter_end(rep, &end, NULL), 0);
    leakscan_reporter_free(rep);
    len = ftell(fp);
    assert_true(len > 0);
    rewind(fp);
    text = malloc((size_t)len + 1);
    assert_non_null(text);
    assert_int_equal(fread(text, 1, (size_t)len, fp), (size_t)len);
    text[len] = '\0';
    fclose(fp);
    doc = cJSON_Parse(text);
    free(text);
    assert_non_null(doc);
    return doc;
}

static cJSON *at(const cJSON *o, const char *path)
{
    char key[64];
    const char *p = path, *dot;

    while (o && *p) {
        size_t k;
        dot = strchr(p, '.');
        k = dot ? (size_t)(dot - p) : strlen(p);
        assert_true(k < sizeof(key));
        memcpy(key, p, k);
        key[k] = '\0';
        if (cJSON_IsArray(o))
            o = cJSON_GetArrayItem(o, (int)strtol(key, NULL, 10));
        else
            o = cJSON_GetObjectItemCaseSensitive(o, key);
        p = dot ? dot + 1 : p + k;
    }
    return (cJSON *)(uintptr_t)o;
}

static const char *str_at(const cJSON *o, const char *path)
{
    const char *s = cJSON_GetStringValue(at(o, path));

    assert_non_null(s);
    return s;
}

static void test_sarif__commit_message_and_lint(void **state)
{
    struct leakscan_finding fs[3];
    cJSON *doc, *run;

    (void)state;
    /* a secret in a commit message: no path, the commit in properties */
    fs[0] = finding("test-token", NULL, 2);
    fs[0].origin.commit = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";
    fs[0].origin.author = "A U Thor";
    fs[0].origin.email = "author@example.com";
    fs[0].origin.date = "2024-01-02T03:04:05Z";
    /* a lint: no secret, its rule in no ruleset */
    fs[1] = finding("k8s-privileged", "k8s/pod.yaml", 7);
    fs[1].category = "kubernetes";
    fs[1].severity = LEAKSCAN_SEV_INFO;
    fs[1].message = "Container runs privileged";
    fs[1].object = "Pod/default/web";
    fs[1].secret = NULL;
    /* same rule again: same descriptor */
    fs[2] = finding("test-token", "b.txt", 1);
    doc = report(fs, 3, NULL, 0);
    run = at(doc, "runs.0");

    assert_string_equal(str_at(doc, "version"), "2.1.0");
    assert_string_equal(str_at(run, "tool.driver.version"), "9.9.9");
    assert_int_equal(cJSON_GetArraySize(at(run, "tool.driver.rules")), 2);
    assert_string_equal(str_at(run, "tool.driver.rules.0.id"), "test-token");
    /* no ruleset: the descriptor is made from the finding */
    assert_string_equal(str_at(run, "tool.driver.rules.0.name"), "Test token");
    assert_string_equal(str_at(run, "tool.driver.rules.0.defaultConfiguration.level"), "error");
    assert_string_equal(str_at(run, "tool.driver.rules.0.properties.security-severity"), "8.0");
    assert_string_equal(str_at(run, "tool.driver.rules.1.name"), "Container runs privileged");
    assert_string_equal(str_at(run, "tool.driver.rules.1.defaultConfiguration.level"), "note");
    assert_string_equal(str_at(run, "tool.driver.rules.1.properties.security-severity"), "1.0");
    assert_string_equal(str_at(run, "tool.driver.rules.1.properties.tags.1"), "kubernetes");

    assert_null(at(run, "results.0.locations"));
    assert_string_equal(str_at(run, "results.0.message.text"), "Test token: tok_ab\xe2\x80\xa6yz");
    assert_string_equal(str_at(run, "results.0.properties.commit"),
                        "4b825dc642cb6eb9a060e54bf8d69288fbee4904");
    assert_string_equal(str_at(run, "results.0.properties.author"), "A U Thor");
    assert_string_equal(str_at(run, "results.0.properties.email"), "author@example.com");
    assert_string_equal(str_at(run, "results.0.properties.date"), "2024-01-02T03:04:05Z");
    assert_string_equal(str_at(run, "results.0.partialFingerprints.leakscan/v1"),
                        "0123456789abcdef0123456789abcdef01234567");
    assert_null(at(run, "results.0.properties.validated"));

    assert_int_equal(at(run, "results.1.ruleIndex")->valueint, 1);
    assert_string_equal(str_at(run, "results.1.level"), "note");
    assert_string_equal(str_at(run, "results.1.message.text"), "Container runs privileged");
    assert_string_equal(str_at(run, "results.1.properties.object"), "Pod/default/web");
    assert_int_equal(at(run, "results.1.locations.0.physicalLocation.region.startColumn")->valueint,
                     5);
    assert_int_equal(at(run, "results.1.locations.0.physicalLocation.region.endColumn")->valueint,
                     15);

    assert_int_equal(at(run, "results.2.ruleIndex")->valueint, 0);
    assert_true(cJSON_IsTrue(at(run, "invocations.0.executionSuccessful")));
    assert_string_equal(str_at(run, "invocations.0.properties.mode"), "history");
    cJSON_Delete(doc);
}

static void test_sarif__uris(void **state)
{
    struct leakscan_finding fs[2];
    cJSON *doc, *run;

    (void)state;
    fs[0] = finding("test-token", "a b/c#d?e%f:g\x01\xc3\xa9[]\xff.txt", 1);
    fs[1] = finding("test-token", "/abs/x y.txt", 1);
    doc = report(fs, 2, NULL, 0);
    run = at(doc, "runs.0");
    assert_string_equal(str_at(run, "results.0.locations.0.physicalLocation.artifactLocation.uri"),
                        "a%20b/c%23d%3Fe%25f%3Ag%01%C3%A9%5B%5D%FF.txt");
    assert_string_equal(
        str_at(run, "results.0.locations.0.physicalLocation.artifactLocation.uriBaseId"),
        "%SRCROOT%");
    assert_string_equal(str_at(run, "results.1.locations.0.physicalLocation.artifactLocation.uri"),
                        "file:///abs/x%20y.txt");
    assert_null(at(run, "results.1.locations.0.physicalLocation.artifactLocation.uriBaseId"));
    cJSON_Delete(doc);
}

static void test_sarif__problems(void **state)
{
    struct leakscan_problem probs[] = {{"dir/secret.txt", "cannot open: Permission denied"}};
    cJSON *doc, *inv;

    (void)state;
    doc = report(NULL, 0, probs, 1);
    inv = at(doc, "runs.0.invocations.0");
    assert_int_equal(cJSON_GetArraySize(at(doc, "runs.0.results")), 0);
    assert_int_equal(cJSON_GetArraySize(at(doc, "runs.0.tool.driver.rules")), 0);
    assert_true(cJSON_IsFalse(at(inv, "executionSuccessful")));
    assert_string_equal(str_at(inv, "toolExecutionNotifications.0.level"), "error");
    assert_string_equal(str_at(inv, "toolExecutionNotifications.0.message.text"),
                        "dir/secret.txt: cannot open: Permission denied");
    assert_string_equal(
        str_at(inv,
               "toolExecutionNotifications.0.locations.0.physicalLocation.artifactLocation.uri"),
        "dir/secret.txt");
    cJSON_Delete(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sarif__commit_message_and_lint),
        cmocka_unit_test(test_sarif__uris),
        cmocka_unit_test(test_sarif__problems),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
