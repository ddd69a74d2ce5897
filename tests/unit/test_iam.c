/*
 * test_iam.c - the IAM policy lint: for every check id a document that fires
 * it (id, line, column, object) and a narrowly scoped look-alike that stays
 * silent; the seed guide's policy; Deny that cancels and conditional Deny
 * that does not; CloudFormation with a JSON-string policy; GCP and Azure;
 * malformed statements; the escalation table (built-in and malformed); and
 * concurrent calls.
 */
#include "config.h"

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "leakscan/doc.h"
#include "leakscan/lint.h"
#include "lint/iam.h"
#include "lint/iam_int.h"

#include "check_table.h"

/* ---- running the lint ---- */

struct run {
    struct leakscan_findings f;
    pthread_mutex_t lock;
};

static int collect(void *p, const struct leakscan_finding *f)
{
    struct run *r = p;
    int rc;

    pthread_mutex_lock(&r->lock);
    rc = leakscan_findings_push(&r->f, f);
    pthread_mutex_unlock(&r->lock);
    return rc;
}

static void on_diag(void *p, const struct leakscan_origin *o, const char *msg)
{
    (void)p;
    (void)o;
    fprintf(stderr, "unexpected diag: %s\n", msg);
    fail();
}

static int lint_path(const char *path, const char *text, struct run *r)
{
    struct leakscan_sink sink = {collect, on_diag, r};
    struct leakscan_doc *doc = NULL;
    struct leakscan_blob blob;
    struct leakscan_lint_stats st;
    struct leakscan_err err;
    int rc;

    leakscan_err_init(&err);
    memset(&blob, 0, sizeof(blob));
    memset(&st, 0, sizeof(st));
    blob.origin.path = path;
    blob.data = text;
    blob.len = strlen(text);
    if (leakscan_doc_parse(&doc, path, text, strlen(text), NULL, &err)) {
        fprintf(stderr, "test document does not parse: %s\n", err.msg);
        fail();
    }
    rc = iam_lint_doc(NULL, doc, &blob, &sink, &st, &err);
    leakscan_doc_free(doc);
    return rc;
}

static void lint(const char *text, struct run *r)
{
    memset(r, 0, sizeof(*r));
    pthread_mutex_init(&r->lock, NULL);
    assert_int_equal(lint_path("policy.json", text, r), 0);
    leakscan_findings_sort(&r->f);
}

static void done(struct run *r)
{
    leakscan_findings_release(&r->f);
    pthread_mutex_destroy(&r->lock);
}

static void dump(const struct run *r)
{
    size_t i;

    for (i = 0; i < r->f.n; i++)
        fprintf(stderr, "  %u:%u %s %s [%s] %s\n", r->f.v[i].line, r->f.v[i].column,
                r->f.v[i].rule_id, leakscan_severity_name(r->f.v[i].severity), r->f.v[i].object,
                r->f.v[i].message);
}

static size_t count(const struct run *r, const char *id)
{
    size_t i, n = 0;

    for (i = 0; i < r->f.n; i++)
        n += !strcmp(r->f.v[i].rule_id, id);
    return n;
}

/* The 1-based column of `needle` on line `line` of `text` (0 when absent: fails the test). */
static unsigned col(const char *text, unsigned line, const char *needle)
{
    const char *p = text, *end, *hit;
    unsigned l;

    for (l = 1; l < line && p; l++) {
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    assert_non_null(p);
    end = strchr(p, '\n');
    hit = strstr(p, needle);
    assert_non_null(hit);
    assert_true(!end || hit < end);
    return (unsigned)(hit - p) + 1;
}

/* The finding of `id` at line:column on `object`, or a failed test that lists what was found. */
static const struct leakscan_finding *expect(const struct run *r, const char *id, unsigned line,
                                             unsigned column, const char *object)
{
    size_t i;

    for (i = 0; i < r->f.n; i++) {
        const struct leakscan_finding *f = &r->f.v[i];
        if (!strcmp(f->rule_id, id) && f->line == line && f->column == column &&
            !strcmp(f->object, object)) {
            assert_string_equal(f->category, "iam");
            assert_non_null(f->message);
            return f;
        }
    }
    fprintf(stderr, "expected %s at %u:%u on %s; found:\n", id, line, column, object);
    dump(r);
    fail();
    return NULL;
}

static void expect_none(const struct run *r, const char *id)
{
    if (count(r, id)) {
        fprintf(stderr, "expected no %s; found:\n", id);
        dump(r);
        fail();
    }
}

static void expect_clean(const struct run *r)
{
    if (r->f.n) {
        fprintf(stderr, "expected no finding; found:\n");
        dump(r);
        fail();
    }
}

static void expect_total(const struct run *r, size_t n)
{
    if (r->f.n != n) {
        fprintf(stderr, "expected %zu findings; found %zu:\n", n, r->f.n);
        dump(r);
        fail();
    }
}

/* ---- the check table ---- */

static const char *const TESTED[] = {"iam-admin-access",
                                     "iam-service-wildcard",
                                     "iam-resource-wildcard",
                                     "iam-arn-wildcard",
                                     "iam-not-action",
                                     "iam-not-resource",
                                     "iam-not-principal",
                                     "iam-public-principal",
                                     "iam-passrole-wildcard",
                                     "iam-privilege-escalation",
                                     "iam-credential-exposure",
                                     "iam-invalid-statement",
                                     "iam-gcp-primitive-role",
                                     "iam-gcp-admin-to-sa",
                                     "iam-gcp-public-member",
                                     "iam-gcp-unconditional-broad",
                                     "iam-azure-wildcard-actions",
                                     "iam-azure-broad-scope",
                                     "iam-azure-authorization-write",
                                     NULL};

static void test_iam__check_table(void **state)
{
    (void)state;
    check_table_verify(iam_checks, "iam-", "iam", TESTED);
}

/* ---- the escalation table ---- */

static void test_iam__escalation_builtin(void **state)
{
    static const char *const want[] = {"create-policy-version",
                                       "set-default-policy-version",
                                       "passrole-ec2",
                                       "passrole-lambda-invoke",
                                       "passrole-lambda-event-source",
                                       "passrole-glue-dev-endpoint",
                                       "passrole-cloudformation",
                                       "passrole-datapipeline",
                                       "attach-user-policy",
                                       "attach-group-policy",
                                       "attach-role-policy",
                                       "put-user-policy",
                                       "put-group-policy",
                                       "put-role-policy",
                                       "add-user-to-group",
                                       "update-assume-role-policy",
                                       "create-access-key",
                                       "create-login-profile",
                                       "update-login-profile",
                                       "lambda-update-function-code",
                                       NULL};
    const struct iam_esc_table *t = NULL, *again = NULL;
    struct leakscan_err err;
    size_t i, j;

    (void)state;
    leakscan_err_init(&err);
    if (iam_esc_builtin(&t, &err)) {
        fprintf(stderr, "rules/iam/escalation.yaml: %s\n", err.msg);
        fail();
    }
    assert_non_null(t);
    assert_true(t->n >= 15);
    for (i = 0; i < t->n; i++) {
        assert_true(strlen(t->sets[i].description) > 10);
        assert_true(t->sets[i].nactions >= 1);
        for (j = 0; j < t->sets[i].nactions; j++)
            assert_non_null(strchr(t->sets[i].actions[j], ':'));
    }
    for (j = 0; want[j]; j++) {
        for (i = 0; i < t->n && strcmp(t->sets[i].id, want[j]); i++)
            ;
        if (i == t->n) {
            fprintf(stderr, "escalation set %s missing\n", want[j]);
            fail();
        }
    }
    /* built once, the same table every time */
    assert_int_equal(iam_esc_builtin(&again, &err), 0);
    assert_ptr_equal(again, t);
}

static void esc_bad(const char *yaml, const char *want)
{
    struct iam_esc_table *t = NULL;
    struct leakscan_err err;
    int rc;

    leakscan_err_init(&err);
    rc = iam_esc_parse(&t, "esc.yaml", yaml, strlen(yaml), &err);
    if (rc != LEAKSCAN_EPARSE || !strstr(err.msg, want) || t) {
        fprintf(stderr, "want EPARSE with '%s', got %d: %s\n", want, rc, err.msg);
        iam_esc_free(t);
        fail();
    }
}

static void test_iam__escalation_malformed(void **state)
{
    struct iam_esc_table *t = NULL;
    struct leakscan_err err;
    const char *ok = "sets:\n"
                     "  - id: passrole-ec2\n"
                     "    actions: [iam:PassRole, ec2:RunInstances]\n"
                     "    description: launch an instance with a role\n";

    (void)state;
    leakscan_err_init(&err);
    assert_int_equal(iam_esc_parse(&t, "esc.yaml", ok, strlen(ok), &err), 0);
    assert_int_equal(t->n, 1);
    assert_int_equal(t->sets[0].nactions, 2);
    assert_string_equal(t->sets[0].actions[1], "ec2:RunInstances");
    iam_esc_free(t);
    iam_esc_free(NULL);

    esc_bad("sets: [\n", "esc.yaml:");
    esc_bad("- id: x\n", "esc.yaml:1:1: one document with a `sets:` list");
    esc_bad("sets: []\n", "`sets:` list");
    esc_bad("sets:\n  - actions: [iam:PassRole]\n    description: d\n",
            "esc.yaml:2:5: a set needs an id");
    esc_bad("sets:\n  - id: Bad_Id\n    actions: [iam:PassRole]\n    description: d\n",
            "esc.yaml:2:9: a set needs an id of [a-z0-9-]");
    esc_bad("sets:\n  - id: x\n    actions: [iam:Pass*]\n    description: d\n",
            "esc.yaml:3:15: an action is written service:Action");
    esc_bad("sets:\n  - id: x\n    actions: [PassRole]\n    description: d\n",
            "esc.yaml:3:15: an action");
    esc_bad("sets:\n  - id: x\n    actions: []\n    description: d\n", "a list of actions");
    esc_bad("sets:\n  - id: x\n    actions: [iam:PassRole]\n", "a set needs a description");
    esc_bad("sets:\n  - id: x\n    actions: [iam:PassRole]\n    description: d\n    sev: high\n",
            "esc.yaml:5:5: unknown key in a set");
    esc_bad("sets:\n  - {id: x, actions: [a:B], description: d}\n"
            "  - {id: x, actions: [a:C], description: e}\n",
            "esc.yaml:3:10: duplicate set id");
}

/* ---- AWS: one check at a time ---- */

static void test_iam__admin_access(void **state)
{
    const char *t =
        "{\"Version\": \"2012-10-17\", \"Statement\": [\n"
        "  {\"Sid\": \"Admin\", \"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"},\n"
        "  {\"Effect\": \"Allow\", \"Action\": [\"*:*\"], \"Resource\": [\"*\"],\n"
        "   \"Condition\": {\"Bool\": {\"aws:MultiFactorAuthPresent\": \"true\"}}}\n"
        "]}\n";
    const struct leakscan_finding *f;
    struct run r;

    (void)state;
    lint(t, &r);
    f = expect(&r, "iam-admin-access", 2, col(t, 2, "\"*\", \"Res"), "Admin");
    assert_int_equal(f->severity, LEAKSCAN_SEV_CRITICAL);
    /* a Condition lowers it; the statement's other grants are not reported again */
    f = expect(&r, "iam-admin-access", 3, col(t, 3, "\"*:*\""), "Statement[1]");
    assert_int_equal(f->severity, LEAKSCAN_SEV_HIGH);
    expect_total(&r, 2);
    done(&r);

    /* look-alikes: "*" denied, "*" on one bucket (a service wildcard, not admin), named actions */
    lint("{\"Statement\": [\n"
         "  {\"Effect\": \"Deny\", \"Action\": \"*\", \"Resource\": \"*\"},\n"
         "  {\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": "
         "\"arn:aws:s3:::reports/*\"}\n"
         "]}\n",
         &r);
    expect_clean(&r);
    done(&r);
    lint("{\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": "
         "\"arn:aws:s3:::reports/*\"}}\n",
         &r);
    expect_none(&r, "iam-admin-access");
    assert_int_equal(count(&r, "iam-service-wildcard"), 1);
    assert_int_equal(r.f.v[0].severity, LEAKSCAN_SEV_MEDIUM);
    done(&r);
    /* every bucket is not the whole account: high, naming the resource */
    lint("{\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": "
         "\"arn:aws:s3:::*\"}}\n",
         &r);
    expect_none(&r, "iam-admin-access");
    assert_int_equal(count(&r, "iam-service-wildcard"), 1);
    assert_int_equal(r.f.v[0].severity, LEAKSCAN_SEV_HIGH);
    assert_non_null(strstr(r.f.v[0].message, "on arn:aws:s3:::*"));
    done(&r);
}

static void test_iam__service_wildcard(void **state)
{
    const char *t = "Version: '2012-10-17'\n"
                    "Statement:\n"
                    "  - Sid: Everything\n"
                    "    Effect: Allow\n"
                    "    Action: [s3:*, IAM:*, ec2:Describe*]\n"
                    "    Resource: '*'\n"
                    "  - Sid: OneTable\n"
                    "    Effect: Allow\n"
                    "    Action: dynamodb:*\n"
                    "    Resource: arn:aws:dynamodb:us-east-1:123456789012:table/orders\n";
    const struct leakscan_finding *f;
    struct run r;

    (void)state;
    lint(t, &r);
    f = expect(&r, "iam-service-wildcard", 5, col(t, 5, "s3:*"), "Everything");
    assert_int_equal(f->severity, LEAKSCAN_SEV_MEDIUM);
    /* a sensitive service (any case) is higher */
    f = expect(&r, "iam-service-wildcard", 5, col(t, 5, "IAM:*"), "Everything");
    assert_int_equal(f->severity, LEAKSCAN_SEV_HIGH);
    assert_non_null(strstr(f->message, "sensitive"));
    /* on a named resource: one lower */
    f = expect(&r, "iam-service-wildcard", 9, col(t, 9, "dynamodb:*"), "OneTable");
    assert_int_equal(f->severity, LEAKSCAN_SEV_LOW);
    assert_int_equal(count(&r, "iam-service-wildcard"), 3);
    /* ec2:Describe* is a pattern, not the whole service */
    expect_total(&r, 3);
    done(&r);

    /* look-alikes: a prefix pattern on a bucket, a service wildcard denied */
    lint(
        "Statement:\n"
        "  - {Effect: Allow, Action: ['s3:Get*', 's3:List*'], Resource: 'arn:aws:s3:::reports/*'}\n"
        "  - {Effect: Allow, Action: 'sqs:*', Resource: '*'}\n"
        "  - {Effect: Deny, Action: 'sqs:*', Resource: '*'}\n",
        &r);
    expect_clean(&r);
    done(&r);
}

static void test_iam__resource_wildcard(void **state)
{
    const char *t = "{\"Version\": \"2012-10-17\",\n"
                    " \"Statement\": [{\"Sid\": \"Data\", \"Effect\": \"Allow\",\n"
                    "   \"Action\": [\"s3:getobject\", \"kms:Decrypt\", \"dynamodb:Q*\"],\n"
                    "   \"Resource\": [\"arn:aws:s3:::reports/*\", \"*\"]}]}\n";
    const struct leakscan_finding *f;
    struct run r;

    (void)state;
    lint(t, &r);
    /* at the "*" element; actions matched case-insensitively and through patterns */
    f = expect(&r, "iam-resource-wildcard", 4, col(t, 4, "\"*\""), "Data");
    assert_int_equal(f->severity, LEAKSCAN_SEV_MEDIUM);
    assert_non_null(strstr(f->message, "s3:GetObject"));
    assert_non_null(strstr(f->message, "kms:Decrypt"));
    assert_non_null(strstr(f->message, "dynamodb:Query"));
    expect_total(&r, 1);
    done(&r);

    /* look-alikes: actions without resource-level scoping on "*", data actions on named ARNs */
    lint("{\"Statement\": [\n"
         "  {\"Effect\": \"Allow\", \"Action\": [\"ec2:DescribeInstances\", "
         "\"sts:GetCallerIdentity\", \"ecr:GetAuthorizationToken\"], \"Resource\": \"*\"},\n"
         "  {\"Effect\": \"Allow\", \"Action\": [\"s3:GetObject\", \"kms:Decrypt\"], \"Resource\": "
         "[\"arn:aws:s3:::reports/*\", \"arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab\"]}\n"
         "]}\n",
         &r);
    expect_clean(&r);
    done(&r);
}

/* The seed guide's policy, as written there: the wildcard account and region only. */
static const char SEED[] =
    "{\n"
    "    \"Version\": \"2012-10-17\",\n"
    "    \"Statement\": [\n"
    "        {\n"
    "            \"Effect\": \"Allow\",\n"
    "            \"Action\": [\n"
    "                \"secretsmanager:GetSecretValue\"\n"
    "            ],\n"
    "            \"Resource\": \"arn:aws:secretsmanager:*:*:secret:agentds/*\"\n"
    "        }\n"
    "    ]\n"
    "}\n";

static void test_iam__arn_wildcard_seed(void **state)
{
    const struct leakscan_finding *f;
    char filled[sizeof(SEED) + 64];
    const char *p;
    struct run r;

    (void)state;
    lint(SEED, &r);
    expect_total(&r, 1);
    f = expect(&r, "iam-arn-wildcard", 9, 25, "Statement[0]");
    assert_int_equal(f->severity, LEAKSCAN_SEV_MEDIUM);
    assert_non_null(strstr(f->message, "any region"));
    assert_non_null(strstr(f->message, "any account"));
    assert_non_null(
        strstr(f->message, "arn:aws:secretsmanager:<region>:<account-id>:secret:agentds/*"));
    done(&r);

    /* the same with account and region filled in: clean */
    p = strstr(SEED, "*:*:");
    snprintf(filled, sizeof(filled), "%.*sus-east-1:123456789012:%s", (int)(p - SEED), SEED, p + 4);
    assert_non_null(
        strstr(filled, "arn:aws:secretsmanager:us-east-1:123456789012:secret:agentds/*"));
    lint(filled, &r);
    expect_clean(&r);
    done(&r);
}

static void test_iam__arn_wildcard_forms(void **state)
{
    const char *t = "Statement:\n"
                    "  - Sid: Mixed\n"
                    "    Effect: Allow\n"
                    "    Action: [sqs:SendMessage, s3:PutObject, ssm:PutParameter]\n"
                    "    Resource:\n"
                    "      - arn:aws:sqs:*:123456789012:jobs\n"
                    "      - arn:aws:s3:::*/uploads/*\n"
                    "      - arn:aws:ssm:us-east-1:123456789012:parameter/*\n"
                    "      - arn:aws:ssm:us-east-1:123456789012:parameter/app/*\n"
                    "      - arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:jobs\n";
    const struct leakscan_finding *f;
    struct run r;

    (void)state;
    lint(t, &r);
    /* a wildcard region only: low */
    f = expect(&r, "iam-arn-wildcard", 6, 9, "Mixed");
    assert_int_equal(f->severity, LEAKSCAN_SEV_LOW);
    assert_non_null(strstr(f->message, "arn:aws:sqs:<region>:123456789012:jobs"));
    /* any bucket, any name: medium, with the narrower form */
    f = expect(&r, "iam-arn-wildcard", 7, 9, "Mixed");
    assert_int_equal(f->severity, LEAKSCAN_SEV_MEDIUM);
    assert_non_null(strstr(f->message, "arn:aws:s3:::<bucket>/uploads/*"));
    f = expect(&r, "iam-arn-wildcard", 8, 9, "Mixed");
    assert_non_null(strstr(f->message, "parameter/<name>"));
    /* a path prefix and CloudFormation substitutions are concrete */
    expect_total(&r, 3);
    done(&r);
}

static void test_iam__not_action_resource(void **state)
{
    const char *t = "Statement:\n"
                    "  - Sid: AllButIam\n"
                    "    Effect: Allow\n"
                    "    NotAction: iam:*\n"
                    "    Resource: '*'\n"
                    "  - Sid: NotTheVault\n"
                    "    Effect: Allow\n"
                    "    Action: s3:GetObject\n"
                    "    NotResource: arn:aws:s3:::vault/*\n"
                    "  - Sid: ScopedNotAction\n"
                    "    Effect: Allow\n"
                    "    NotAction: [s3:DeleteObject]\n"
                    "    Resource: arn:aws:s3:::reports/*\n";
    const struct leakscan_finding *f;
    struct run r;

    (void)state;
    lint(t, &r);
    f = expect(&r, "iam-not-action", 4, 5, "AllButIam");
    assert_int_equal(f->severity, LEAKSCAN_SEV_HIGH);
    f = expect(&r, "iam-not-action", 12, 5, "ScopedNotAction");
    assert_int_equal(f->severity, LEAKSCAN_SEV_MEDIUM);
    f = expect(&r, "iam-not-resource", 9, 5, "NotTheVault");
    assert_int_equal(f->severity, LEAKSCAN_SEV_MEDIUM);
    /* grants through NotAction are the NotAction finding's: no escalation set on top */
    expect_total(&r, 3);
    done(&r);

    /* look-alikes: NotAction and NotResource in a Deny are the usual guardrails */
    lint("Statement:\n"
         "  - {Effect: Deny, NotAction: ['iam:*', 'sts:*'], Resource: '*',\n"
         "     Condition: {StringNotEquals: {aws:RequestedRegion: eu-west-1}}}\n"
         "  - {Effect: Deny, Action: 's3:*', NotResource: ['arn:aws:s3:::reports/*']}\n",
         &r);
    expect_clean(&r);
    done(&r);
}

static void test_iam__principals(void **state)
{
    const char *t =
        "{\"Version\": \"2012-10-17\", \"Statement\": [\n"
        "  {\"Sid\": \"Public\", \"Effect\": \"Allow\", \"Principal\": \"*\",\n"
        "   \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::site/*\"},\n"
        "  {\"Sid\": \"AnyAws\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\": [\"*\"]},\n"
        "   \"Action\": \"sqs:SendMessage\", \"Resource\": \"arn:aws:sqs:us-east-1:1:q\",\n"
        "   \"Condition\": {\"ArnLike\": {\"aws:SourceArn\": "
        "\"arn:aws:sns:us-east-1:123456789012:topic\"}}},\n"
        "  {\"Sid\": \"Mfa\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\": "
        "\"arn:aws:iam::*:root\"},\n"
        "   \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::site/*\",\n"
        "   \"Condition\": {\"Bool\": {\"aws:SecureTransport\": \"true\"}}},\n"
        "  {\"Sid\": \"Others\", \"Effect\": \"Allow\", \"NotPrincipal\": {\"AWS\": "
        "\"arn:aws:iam::123456789012:root\"},\n"
        "   \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::site/*\"}\n"
        "]}\n";
    const struct leakscan_finding *f;
    struct run r;

    (void)state;
    lint(t, &r);
    f = expect(&r, "iam-public-principal", 2, col(t, 2, "\"*\""), "Public");
    assert_int_equal(f->severity, LEAKSCAN_SEV_CRITICAL);
    /* restricted by aws:SourceArn: lower */
    f = expect(&r, "iam-public-principal", 4, col(t, 4, "\"*\""), "AnyAws");
    assert_int_equal(f->severity, LEAKSCAN_SEV_LOW);
    /* a wildcard account ARN is public too; a Condition that does not say who: high */
    f = expect(&r, "iam-public-principal", 7, col(t, 7, "\"arn:aws:iam::*:root\""), "Mfa");
    assert_int_equal(f->severity, LEAKSCAN_SEV_HIGH);
    f = expect(&r, "iam-not-principal", 10, col(t, 10, "\"NotPrincipal\""), "Others");
    assert_int_equal(f->severity, LEAKSCAN_SEV_HIGH);
    expect_total(&r, 4);
    done(&r);

    /* look-alikes: named principals, a service principal, "*" in a Deny, NotPrincipal in a Deny */
    lint(
        "{\"Statement\": [\n"
        "  {\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::123456789012:root\"},\n"
        "   \"Action\": \"kms:*\", \"Resource\": \"*\"},\n"
        "  {\"Effect\": \"Allow\", \"Principal\": {\"Service\": \"lambda.amazonaws.com\"},\n"
        "   \"Action\": \"sts:AssumeRole\"},\n"
        "  {\"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\": \"s3:*\", \"Resource\": "
        "\"arn:aws:s3:::site/*\",\n"
        "   \"Condition\": {\"Bool\": {\"aws:SecureTransport\": \"false\"}}},\n"
        "  {\"Effect\": \"Deny\", \"NotPrincipal\": {\"AWS\": \"arn:aws:iam::123456789012:root\"},\n"
        "   \"Action\": \"s3:*\", \"Resource\": \"arn:aws:s3:::site/*\"}\n"
        "]}\n",
        &r);
    expect_clean(&r);
    done(&r);

    /* a trust policy that anyone can assume, and an unconditional Deny that takes it back */
    lint(
        "{\"Statement\": [\n"
        "  {\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"*\"}, \"Action\": \"sts:AssumeRole\"}\n"
        "]}\n",
        &r);
    expect(&r, "iam-public-principal", 2, 44, "Statement[0]");
    done(&r);
    lint(
        "{\"Statement\": [\n"
        "  {\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"*\"}, \"Action\": \"sts:AssumeRole\"},\n"
        "  {\"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\": \"sts:*\"}\n"
        "]}\n",
        &r);
    expect_clean(&r);
    done(&r);
}

static void test_iam__passrole(void **state)
{
    const char *t = "Statement:\n"
                    "  - Sid: Pass\n"
                    "    Effect: Allow\n"
                    "    Action: [iam:GetRole, iam:PassRole]\n"
                    "    Resource: '*'\n"
                    "  - Sid: PassAnyRoleOfTheAccount\n"
                    "    Effect: Allow\n"
                    "    Action: iam:Pass*\n"
                    "    Resource: arn:aws:iam::123456789012:role/*\n";
    const struct leakscan_finding *f;
    struct run r;

    (void)state;
    lint(t, &r);
    f = expect(&r, "iam-passrole-wildcard", 4, col(t, 4, "iam:PassRole"), "Pass");
    assert_int_equal(f->severity, LEAKSCAN_SEV_HIGH);
    expect(&r, "iam-passrole-wildcard", 8, 13, "PassAnyRoleOfTheAccount");
    assert_int_equal(count(&r, "iam-passrole-wildcard"), 2);
    done(&r);

    /* look-alikes: iam:PassedToService, a named role */
    lint("Statement:\n"
         "  - Effect: Allow\n"
         "    Action: iam:PassRole\n"
         "    Resource: '*'\n"
         "    Condition: {StringEquals: {iam:PassedToService: ecs-tasks.amazonaws.com}}\n"
         "  - Effect: Allow\n"
         "    Action: iam:PassRole\n"
         "    Resource: arn:aws:iam::123456789012:role/worker\n",
         &r);
    expect_clean(&r);
    done(&r);
}

static void test_iam__privilege_escalation(void **state)
{
    const char *t = "{\"Version\": \"2012-10-17\", \"Statement\": [\n"
                    "  {\"Sid\": \"Launch\", \"Effect\": \"Allow\", \"Action\": "
                    "[\"ec2:RunInstances\", \"ec2:Describe*\"], \"Resource\": \"*\"},\n"
                    "  {\"Sid\": \"Pass\", \"Effect\": \"Allow\", \"Action\": \"iam:PassRole\", "
                    "\"Resource\": \"*\"},\n"
                    "  {\"Sid\": \"Versions\", \"Effect\": \"Allow\", \"Action\": "
                    "\"iam:*PolicyVersion\", \"Resource\": \"*\"}\n"
                    "]}\n";
    const struct leakscan_finding *f;
    struct run r;

    (void)state;
    lint(t, &r);
    /* across statements; at the first action of the set, the message names the set */
    f = expect(&r, "iam-privilege-escalation", 3, col(t, 3, "\"iam:PassRole\""), "Pass");
    assert_int_equal(f->severity, LEAKSCAN_SEV_HIGH);
    assert_non_null(strstr(f->message, "'passrole-ec2'"));
    assert_non_null(strstr(f->message, "iam:PassRole + ec2:RunInstances"));
    /* a pattern grants the single-action sets it covers */
    f = expect(&r, "iam-privilege-escalation", 4, col(t, 4, "\"iam:*PolicyVersion\""), "Versions");
    assert_non_null(strstr(f->message, "'create-policy-version'") ||
                    strstr(f->message, "'set-default-policy-version'"));
    assert_int_equal(count(&r, "iam-privilege-escalation"), 3);
    done(&r);

    /* look-alikes: the role named, a Condition, one half only, the set denied */
    lint(
        "{\"Statement\": [\n"
        "  {\"Effect\": \"Allow\", \"Action\": \"ec2:RunInstances\", \"Resource\": \"*\"},\n"
        "  {\"Effect\": \"Allow\", \"Action\": \"iam:PassRole\", \"Resource\": "
        "\"arn:aws:iam::123456789012:role/worker\"},\n"
        "  {\"Effect\": \"Allow\", \"Action\": \"iam:CreatePolicyVersion\", \"Resource\": "
        "\"arn:aws:iam::123456789012:policy/app-*\"},\n"
        "  {\"Effect\": \"Allow\", \"Action\": \"iam:AttachUserPolicy\", \"Resource\": \"*\",\n"
        "   \"Condition\": {\"ArnEquals\": {\"iam:PolicyARN\": "
        "\"arn:aws:iam::aws:policy/ReadOnlyAccess\"}}},\n"
        "  {\"Effect\": \"Allow\", \"Action\": \"lambda:UpdateFunctionCode\", \"Resource\": \"*\"},\n"
        "  {\"Effect\": \"Deny\", \"Action\": \"lambda:Update*\", \"Resource\": \"*\"}\n"
        "]}\n",
        &r);
    expect_clean(&r);
    done(&r);

    /* a set granted only through service wildcards is the service wildcard's finding */
    lint("{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"iam:*\", \"Resource\": \"*\"}]}",
         &r);
    expect_none(&r, "iam-privilege-escalation");
    expect_none(&r, "iam-passrole-wildcard");
    assert_int_equal(count(&r, "iam-service-wildcard"), 1);
    done(&r);
}

static void test_iam__credential_exposure(void **state)
{
    const char *t = "Statement:\n"
                    "  - Sid: Config\n"
                    "    Effect: Allow\n"
                    "    Action:\n"
                    "      - ssm:DescribeParameters\n"
                    "      - ssm:GetParameter*\n"
                    "      - SecretsManager:GetSecretValue\n"
                    "    Resource: '*'\n"
                    "  - Sid: Federate\n"
                    "    Effect: Allow\n"
                    "    Action: sts:GetFederationToken\n"
                    "    Resource: '*'\n"
                    "    Condition: {StringEquals: {aws:RequestedRegion: us-east-1}}\n";
    const struct leakscan_finding *f;
    struct run r;

    (void)state;
    lint(t, &r);
    /* at the first granting element of the statement */
    f = expect(&r, "iam-credential-exposure", 6, 9, "Config");
    assert_int_equal(f->severity, LEAKSCAN_SEV_HIGH);
    assert_non_null(strstr(f->message, "secretsmanager:GetSecretValue"));
    assert_non_null(strstr(f->message, "ssm:GetParameters"));
    /* a Condition lowers it */
    f = expect(&r, "iam-credential-exposure", 11, 13, "Federate");
    assert_int_equal(f->severity, LEAKSCAN_SEV_MEDIUM);
    expect_total(&r, 2);
    done(&r);

    /* look-alikes: named secrets and parameters */
    lint("Statement:\n"
         "  - Effect: Allow\n"
         "    Action: [secretsmanager:GetSecretValue, ssm:GetParameters]\n"
         "    Resource:\n"
         "      - arn:aws:secretsmanager:us-east-1:123456789012:secret:agentds/*\n"
         "      - arn:aws:ssm:us-east-1:123456789012:parameter/agentds/*\n",
         &r);
    expect_clean(&r);
    done(&r);
}

static void test_iam__deny(void **state)
{
    const char *allow =
        "{\"Version\": \"2012-10-17\", \"Statement\": [\n"
        "  {\"Sid\": \"Read\", \"Effect\": \"Allow\", \"Action\": "
        "[\"secretsmanager:GetSecretValue\", \"s3:GetObject\"], \"Resource\": \"*\"},\n";
    char text[1024];
    struct run r;

    (void)state;
    /* an unconditional Deny of the same action (through a pattern) on "*" cancels */
    snprintf(text, sizeof(text),
             "%s  {\"Effect\": \"Deny\", \"Action\": [\"secretsmanager:Get*\", \"s3:*\"], "
             "\"Resource\": \"*\"}\n]}\n",
             allow);
    lint(text, &r);
    expect_clean(&r);
    done(&r);

    /* a Deny with a Condition cancels nothing */
    snprintf(text, sizeof(text),
             "%s  {\"Effect\": \"Deny\", \"Action\": [\"secretsmanager:Get*\", \"s3:*\"], "
             "\"Resource\": \"*\",\n"
             "   \"Condition\": {\"StringEquals\": {\"aws:ResourceTag/env\": \"prod\"}}}\n]}\n",
             allow);
    lint(text, &r);
    expect(&r, "iam-credential-exposure", 2, col(text, 2, "\"secretsmanager:"), "Read");
    expect(&r, "iam-resource-wildcard", 2, col(text, 2, "\"*\""), "Read");
    expect_total(&r, 2);
    done(&r);

    /* a Deny of one action cancels that one only; a Deny on a narrower resource cancels nothing */
    snprintf(
        text, sizeof(text),
        "%s  {\"Effect\": \"Deny\", \"Action\": \"SecretsManager:GetSecretValue\", "
        "\"Resource\": \"*\"},\n"
        "  {\"Effect\": \"Deny\", \"Action\": \"s3:*\", \"Resource\": \"arn:aws:s3:::vault/*\"}\n"
        "]}\n",
        allow);
    lint(text, &r);
    expect_none(&r, "iam-credential-exposure");
    expect(&r, "iam-resource-wildcard", 2, col(text, 2, "\"*\""), "Read");
    expect_total(&r, 1);
    done(&r);

    /* NotAction in a Deny: everything but the listed actions is denied */
    snprintf(text, sizeof(text),
             "%s  {\"Effect\": \"Deny\", \"NotAction\": \"s3:GetObject\", \"Resource\": \"*\"}\n"
             "]}\n",
             allow);
    lint(text, &r);
    expect_none(&r, "iam-credential-exposure");
    expect(&r, "iam-resource-wildcard", 2, col(text, 2, "\"*\""), "Read");
    done(&r);

    /* an escalation set taken back by a Deny of one of its actions */
    lint("{\"Statement\": [\n"
         "  {\"Effect\": \"Allow\", \"Action\": [\"iam:PassRole\", \"ec2:RunInstances\"], "
         "\"Resource\": \"*\", \"Condition\": {\"StringEquals\": {\"iam:PassedToService\": "
         "\"ec2.amazonaws.com\"}}},\n"
         "  {\"Effect\": \"Allow\", \"Action\": [\"iam:PassRole\", \"ec2:RunInstances\"], "
         "\"Resource\": \"*\"},\n"
         "  {\"Effect\": \"Deny\", \"Action\": \"ec2:Run*\", \"Resource\": \"*\"}\n"
         "]}\n",
         &r);
    expect_none(&r, "iam-privilege-escalation");
    assert_int_equal(count(&r, "iam-passrole-wildcard"), 1);
    done(&r);
}

/* ---- inputs ---- */

static void test_iam__cloudformation(void **state)
{
    const char *t =
        "AWSTemplateFormatVersion: '2010-09-09'\n"
        "Resources:\n"
        "  AppRole:\n"
        "    Type: AWS::IAM::Role\n"
        "    Properties:\n"
        "      AssumeRolePolicyDocument:\n"
        "        Statement:\n"
        "          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: "
        "sts:AssumeRole}\n"
        "      Policies:\n"
        "        - PolicyName: app\n"
        "          PolicyDocument: '{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": "
        "\"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::app/*\"}, "
        "{\"Effect\": \"Allow\", \"Action\": \"ssm:GetParameters\", \"Resource\": \"*\"}]}'\n"
        "        - PolicyName: queue\n"
        "          PolicyDocument:\n"
        "            Statement:\n"
        "              - Sid: Jobs\n"
        "                Effect: Allow\n"
        "                Action: sqs:*\n"
        "                Resource: !GetAtt Jobs.Arn\n"
        "  Key:\n"
        "    Type: AWS::KMS::Key\n"
        "    Properties:\n"
        "      KeyPolicy:\n"
        "        Version: '2012-10-17'\n"
        "        Statement:\n"
        "          - Effect: Allow\n"
        "            Principal: {AWS: !Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root'}\n"
        "            Action: kms:*\n"
        "            Resource: '*'\n"
        "          - Sid: Anyone\n"
        "            Effect: Allow\n"
        "            Principal: {AWS: '*'}\n"
        "            Action: kms:Decrypt\n"
        "            Resource: '*'\n"
        "  Deploy:\n"
        "    Type: AWS::IAM::ManagedPolicy\n"
        "    Properties:\n"
        "      PolicyDocument:\n"
        "        Fn::Sub: '{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"iam:PassRole\", "
        "\"Resource\": \"arn:aws:iam::${AWS::AccountId}:role/*\"}]}'\n";
    const struct leakscan_finding *f;
    struct run r;

    (void)state;
    lint(t, &r);
    /* inside the JSON string: the position is the string's, the object the logical id's */
    f = expect(&r, "iam-credential-exposure", 11, 27, "AppRole/Policies[0]/Statement[1]");
    assert_non_null(strstr(f->message, "ssm:GetParameters"));
    expect(&r, "iam-service-wildcard", 17, 25, "AppRole/Policies[1]/Jobs");
    /* a key policy: "*" is the key itself, the account root is not public; "*" principal is */
    expect(&r, "iam-public-principal", 31, col(t, 31, "'*'"), "Key/KeyPolicy/Anyone");
    /* Fn::Sub with a JSON string */
    expect(&r, "iam-passrole-wildcard", 38, 18, "Deploy/Statement[0]");
    expect_total(&r, 4);
    done(&r);
}

static void test_iam__inputs(void **state)
{
    const char *t;
    struct run r;

    (void)state;
    /* Serverless framework statements */
    t = "service: worker\n"
        "provider:\n"
        "  name: aws\n"
        "  iamRoleStatements:\n"
        "    - Effect: Allow\n"
        "      Action: [dynamodb:Query]\n"
        "      Resource: '*'\n";
    lint(t, &r);
    expect(&r, "iam-resource-wildcard", 7, 17, "provider/iamRoleStatements/Statement[0]");
    expect_total(&r, 1);
    done(&r);

    /* a policy nested in another document (Terraform JSON: a JSON string) */
    t = "{\"resource\": {\"aws_iam_policy\": {\"ci\": {\"name\": \"ci\",\n"
        "  \"policy\": \"{\\\"Version\\\": \\\"2012-10-17\\\", \\\"Statement\\\": "
        "{\\\"Effect\\\": \\\"Allow\\\", \\\"Action\\\": \\\"iam:CreateAccessKey\\\", "
        "\\\"Resource\\\": \\\"*\\\"}}\"}}}}\n";
    lint(t, &r);
    expect(&r, "iam-credential-exposure", 2, 13, "resource/aws_iam_policy/ci/policy/Statement[0]");
    expect(&r, "iam-privilege-escalation", 2, 13, "resource/aws_iam_policy/ci/policy/Statement[0]");
    expect_total(&r, 2);
    done(&r);

    /* CloudFormation short forms lose their tags in the tree: !If and !Join are not invalid */
    lint("Resources:\n"
         "  P:\n"
         "    Type: AWS::IAM::Policy\n"
         "    Properties:\n"
         "      PolicyDocument:\n"
         "        Statement:\n"
         "          - Effect: Allow\n"
         "            Action: !If [IsProd, [s3:GetObject], !Ref AWS::NoValue]\n"
         "            Resource: !Join ['', ['arn:aws:s3:::', !Ref Bucket, '/*']]\n",
         &r);
    expect_clean(&r);
    done(&r);

    /* multi-document YAML; other YAML and JSON stays silent */
    lint("version: '3'\n"
         "services: {web: {image: nginx}}\n"
         "---\n"
         "Statement: hello\n"
         "---\n"
         "kind: ConfigMap\n"
         "data: {policy: 'not a policy {Statement}'}\n"
         "---\n"
         "Version: '2012-10-17'\n"
         "Statement: {Effect: Allow, Action: 'kms:*', Resource: '*'}\n",
         &r);
    expect(&r, "iam-service-wildcard", 10,
           col("Statement: {Effect: Allow, Action: 'kms:*'", 1, "'kms"), "Statement[0]");
    expect_total(&r, 1);
    done(&r);
}

static void test_iam__invalid_statement(void **state)
{
    const char *t = "Version: '2012-10-18'\n"
                    "Statement:\n"
                    "  - Sid: NoEffect\n"
                    "    Action: s3:GetObject\n"
                    "    Resource: '*'\n"
                    "  - Sid: BadEffect\n"
                    "    Effect: allow\n"
                    "    Action: s3:GetObject\n"
                    "    Resource: '*'\n"
                    "  - Sid: Both\n"
                    "    Effect: Allow\n"
                    "    Action: s3:GetObject\n"
                    "    NotAction: s3:PutObject\n"
                    "    Resource: '*'\n"
                    "  - Sid: NoAction\n"
                    "    Effect: Allow\n"
                    "    Actions: [s3:GetObject]\n"
                    "    Resource: '*'\n"
                    "  - Sid: NoResource\n"
                    "    Effect: Allow\n"
                    "    Action: s3:GetObject\n"
                    "  - Sid: NotAnAction\n"
                    "    Effect: Deny\n"
                    "    Action: [GetObject]\n"
                    "    Resource: '*'\n"
                    "  - just a string\n"
                    "  - Sid: EmptyList\n"
                    "    Effect: Allow\n"
                    "    Action: []\n"
                    "    Resource: '*'\n";
    const struct leakscan_finding *f;
    struct run r;

    (void)state;
    lint(t, &r);
    f = expect(&r, "iam-invalid-statement", 1, 10, "Version");
    assert_int_equal(f->severity, LEAKSCAN_SEV_MEDIUM);
    f = expect(&r, "iam-invalid-statement", 3, 5, "NoEffect");
    assert_non_null(strstr(f->message, "no Effect"));
    f = expect(&r, "iam-invalid-statement", 7, 13, "BadEffect");
    assert_non_null(strstr(f->message, "'allow'"));
    f = expect(&r, "iam-invalid-statement", 13, 5, "Both");
    assert_non_null(strstr(f->message, "both Action and NotAction"));
    f = expect(&r, "iam-invalid-statement", 17, 5, "NoAction");
    assert_non_null(strstr(f->message, "did you mean 'Action'"));
    f = expect(&r, "iam-invalid-statement", 15, 5, "NoAction");
    assert_non_null(strstr(f->message, "no Action"));
    f = expect(&r, "iam-invalid-statement", 19, 5, "NoResource");
    assert_non_null(strstr(f->message, "no Resource"));
    f = expect(&r, "iam-invalid-statement", 24, 14, "NotAnAction");
    assert_non_null(strstr(f->message, "'GetObject'"));
    f = expect(&r, "iam-invalid-statement", 26, 5, "Statement[6]");
    assert_non_null(strstr(f->message, "a scalar"));
    f = expect(&r, "iam-invalid-statement", 29, 13, "EmptyList");
    assert_non_null(strstr(f->message, "empty list"));
    /* invalid statements take no further part: no resource-wildcard on any of them */
    expect_total(&r, 10);
    done(&r);

    /* a Statement that is a string; a JSON-string policy that does not parse */
    lint("{\"Version\": \"2012-10-17\", \"Statement\": \"Allow everything\"}\n", &r);
    expect(&r, "iam-invalid-statement", 1, 40, "Statement");
    done(&r);
    lint("Resources:\n"
         "  P:\n"
         "    Type: AWS::IAM::Policy\n"
         "    Properties:\n"
         "      PolicyDocument: '{\"Statement\": [{\"Effect\": \"Allow\",}'\n",
         &r);
    f = expect(&r, "iam-invalid-statement", 5, 23, "P");
    assert_non_null(strstr(f->message, "does not parse"));
    expect_total(&r, 1);
    done(&r);

    /* look-alike: a complete statement, a trust statement without Resource */
    lint("Version: '2008-10-17'\n"
         "Statement:\n"
         "  - {Sid: A, Effect: Allow, Action: 's3:GetObject', Resource: 'arn:aws:s3:::r/*'}\n"
         "  - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}\n",
         &r);
    expect_clean(&r);
    done(&r);
}

/* ---- GCP ---- */

static void test_iam__gcp(void **state)
{
    const char *t = "bindings:\n"
                    "- role: roles/owner\n"
                    "  members:\n"
                    "  - user:founder@example.com\n"
                    "- role: roles/editor\n"
                    "  members:\n"
                    "  - serviceAccount:deployer@p.iam.gserviceaccount.com\n"
                    "- role: roles/viewer\n"
                    "  members: [group:eng@example.com]\n"
                    "- role: roles/iam.serviceAccountAdmin\n"
                    "  members:\n"
                    "  - serviceAccount:ci@p.iam.gserviceaccount.com\n"
                    "  - user:ops@example.com\n"
                    "- role: roles/storage.objectViewer\n"
                    "  members: [allUsers]\n"
                    "- role: roles/pubsub.publisher\n"
                    "  members: [allAuthenticatedUsers]\n"
                    "etag: BwWKmjvelug=\n";
    const struct leakscan_finding *f;
    struct run r;

    (void)state;
    lint(t, &r);
    f = expect(&r, "iam-gcp-primitive-role", 2, 9, "roles/owner");
    assert_int_equal(f->severity, LEAKSCAN_SEV_HIGH);
    /* a basic role on a service account: critical */
    f = expect(&r, "iam-gcp-primitive-role", 5, 9, "roles/editor");
    assert_int_equal(f->severity, LEAKSCAN_SEV_CRITICAL);
    f = expect(&r, "iam-gcp-primitive-role", 8, 9, "roles/viewer");
    assert_int_equal(f->severity, LEAKSCAN_SEV_LOW);
    f = expect(&r, "iam-gcp-admin-to-sa", 12, 5, "roles/iam.serviceAccountAdmin");
    assert_int_equal(f->severity, LEAKSCAN_SEV_HIGH);
    /* the same binding also reaches a person without a condition */
    f = expect(&r, "iam-gcp-unconditional-broad", 10, 9, "roles/iam.serviceAccountAdmin");
    assert_int_equal(f->severity, LEAKSCAN_SEV_MEDIUM);
    f = expect(&r, "iam-gcp-public-member", 15, 13, "roles/storage.objectViewer");
    assert_int_equal(f->severity, LEAKSCAN_SEV_HIGH);
    f = expect(&r, "iam-gcp-public-member", 17, 13, "roles/pubsub.publisher");
    assert_int_equal(f->severity, LEAKSCAN_SEV_CRITICAL);
    expect_total(&r, 7);
    done(&r);

    /* look-alikes: predefined roles, an admin role with a condition, an admin role to a person
     * under a condition */
    lint("{\"bindings\": [\n"
         "  {\"role\": \"roles/secretmanager.secretAccessor\", \"members\": "
         "[\"serviceAccount:w@p.iam.gserviceaccount.com\"]},\n"
         "  {\"role\": \"roles/storage.admin\", \"members\": [\"group:data@example.com\"],\n"
         "   \"condition\": {\"title\": \"exports\", \"expression\": "
         "\"resource.name.startsWith('projects/_/buckets/exports')\"}},\n"
         "  {\"role\": \"roles/iam.serviceAccountUser\", \"members\": "
         "[\"serviceAccount:ci@p.iam.gserviceaccount.com\"]}\n"
         "], \"version\": 3}\n",
         &r);
    expect_clean(&r);
    done(&r);
}

/* ---- Azure ---- */

static void test_iam__azure(void **state)
{
    const char *t =
        "{\n"
        "  \"Name\": \"Platform Operator\",\n"
        "  \"IsCustom\": true,\n"
        "  \"Actions\": [\"*\", \"Microsoft.Authorization/*/write\"],\n"
        "  \"NotActions\": [],\n"
        "  \"DataActions\": [\"*\"],\n"
        "  \"AssignableScopes\": [\"/\", "
        "\"/subscriptions/00000000-0000-0000-0000-000000000000\",\n"
        "    \"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/app\"]\n"
        "}\n";
    const struct leakscan_finding *f;
    struct run r;

    (void)state;
    lint(t, &r);
    /* "*" with role assignments not excluded: Owner-equivalent */
    f = expect(&r, "iam-azure-wildcard-actions", 4, 15, "Platform Operator");
    assert_int_equal(f->severity, LEAKSCAN_SEV_CRITICAL);
    f = expect(&r, "iam-azure-wildcard-actions", 6, 19, "Platform Operator");
    assert_int_equal(f->severity, LEAKSCAN_SEV_HIGH);
    f = expect(&r, "iam-azure-authorization-write", 4, 20, "Platform Operator");
    assert_int_equal(f->severity, LEAKSCAN_SEV_HIGH);
    f = expect(&r, "iam-azure-broad-scope", 7, 24, "Platform Operator");
    assert_int_equal(f->severity, LEAKSCAN_SEV_HIGH);
    f = expect(&r, "iam-azure-broad-scope", 7, 29, "Platform Operator");
    assert_int_equal(f->severity, LEAKSCAN_SEV_MEDIUM);
    /* a resource group is a narrow scope */
    expect_total(&r, 5);
    done(&r);

    /* Contributor-like (role assignments excluded) in the REST form: high, not critical */
    t = "{\"properties\": {\"roleName\": \"Builder\", \"permissions\": [\n"
        "  {\"actions\": [\"*\"], \"notActions\": [\"Microsoft.Authorization/*/Write\",\n"
        "   \"Microsoft.Authorization/elevateAccess/Action\"]}],\n"
        " \"assignableScopes\": [\"/providers/Microsoft.Management/managementGroups/corp\"]}}\n";
    lint(t, &r);
    f = expect(&r, "iam-azure-wildcard-actions", 2, 16, "Builder");
    assert_int_equal(f->severity, LEAKSCAN_SEV_HIGH);
    expect_none(&r, "iam-azure-authorization-write");
    f = expect(&r, "iam-azure-broad-scope", 4, 23, "Builder");
    assert_int_equal(f->severity, LEAKSCAN_SEV_HIGH);
    expect_total(&r, 2);
    done(&r);

    /* look-alikes: read wildcards at a subscription, a named write action */
    lint("{\"Name\": \"Reader Plus\", \"IsCustom\": true,\n"
         " \"Actions\": [\"*/read\", \"Microsoft.Authorization/*/read\", "
         "\"Microsoft.Web/sites/restart/action\"],\n"
         " \"AssignableScopes\": [\"/subscriptions/00000000-0000-0000-0000-000000000000\"]}\n",
         &r);
    expect_clean(&r);
    done(&r);
}

/* ---- threads ---- */

struct job {
    const char *text;
    size_t findings;
    int rc;
};

static void *worker(void *p)
{
    struct job *j = p;
    struct run r;
    int i;

    memset(&r, 0, sizeof(r));
    pthread_mutex_init(&r.lock, NULL);
    for (i = 0; i < 20 && !j->rc; i++)
        j->rc = lint_path("p.json", j->text, &r);
    j->findings = r.f.n;
    leakscan_findings_release(&r.f);
    pthread_mutex_destroy(&r.lock);
    return NULL;
}

static void test_iam__threads(void **state)
{
    static const char text[] = "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": "
                               "[\"iam:PassRole\", \"ec2:RunInstances\"], \"Resource\": \"*\"}]}";
    pthread_t th[6];
    struct job jobs[6];
    size_t i;

    (void)state;
    for (i = 0; i < 6; i++) {
        jobs[i].text = text;
        jobs[i].findings = 0;
        jobs[i].rc = 0;
        assert_int_equal(pthread_create(&th[i], NULL, worker, &jobs[i]), 0);
    }
    for (i = 0; i < 6; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(jobs[i].rc, 0);
        /* passrole-wildcard and passrole-ec2, 20 times */
        assert_int_equal(jobs[i].findings, 40);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_iam__threads), /* first: the lazy table is built under contention */
        cmocka_unit_test(test_iam__check_table),
        cmocka_unit_test(test_iam__escalation_builtin),
        cmocka_unit_test(test_iam__escalation_malformed),
        cmocka_unit_test(test_iam__admin_access),
        cmocka_unit_test(test_iam__service_wildcard),
        cmocka_unit_test(test_iam__resource_wildcard),
        cmocka_unit_test(test_iam__arn_wildcard_seed),
        cmocka_unit_test(test_iam__arn_wildcard_forms),
        cmocka_unit_test(test_iam__not_action_resource),
        cmocka_unit_test(test_iam__principals),
        cmocka_unit_test(test_iam__passrole),
        cmocka_unit_test(test_iam__privilege_escalation),
        cmocka_unit_test(test_iam__credential_exposure),
        cmocka_unit_test(test_iam__deny),
        cmocka_unit_test(test_iam__cloudformation),
        cmocka_unit_test(test_iam__inputs),
        cmocka_unit_test(test_iam__invalid_statement),
        cmocka_unit_test(test_iam__gcp),
        cmocka_unit_test(test_iam__azure),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
