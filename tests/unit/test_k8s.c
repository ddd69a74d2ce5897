/*
 * test_k8s.c - the Kubernetes manifest lint: for every check id a manifest
 * that fires it (id, line, column, object) and a look-alike that must stay
 * silent; inputs (multi-document, List, JSON, no apiVersion), skips
 * (SealedSecret, ExternalSecret, SOPS, templates), annotation suppression,
 * malformed input (a diag naming file:line, never a crash), and bindings
 * resolved across files recorded from several threads.
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

#include "leakscan/lint.h"
#include "leakscan/ruleset.h"
#include "leakscan/scanner.h"
#include "lint/k8s.h"
#include "lint/k8s_int.h"

#include "check_table.h"

static struct leakscan_ruleset *rules;

static int setup(void **state)
{
    struct leakscan_err err;

    (void)state;
    leakscan_err_init(&err);
    if (leakscan_ruleset_new(&rules, &err) || leakscan_ruleset_load_builtin(rules, &err) ||
        leakscan_ruleset_compile(rules, &err)) {
        fprintf(stderr, "rules: %s\n", err.msg);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    leakscan_ruleset_free(rules);
    return 0;
}

/* ---- running the lint ---- */

struct run {
    struct leakscan_findings f;
    char diags[8][LEAKSCAN_ERR_MSG + 128];
    size_t ndiags;
    struct leakscan_lint_stats st;
    pthread_mutex_t lock; /* the thread test calls the sink concurrently */
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
    struct run *r = p;

    (void)o;
    pthread_mutex_lock(&r->lock);
    if (r->ndiags < 8)
        snprintf(r->diags[r->ndiags], sizeof(r->diags[0]), "%s", msg);
    r->ndiags++;
    pthread_mutex_unlock(&r->lock);
}

struct file {
    const char *path;
    const char *text;
};

/* Lint the files in order with one state, then finish; findings sorted. */
static void lint_files(const struct file *files, size_t n, int no_annotations, struct run *r)
{
    struct leakscan_lint_opts o;
    struct leakscan_scan_opts so;
    struct leakscan_sink sink = {collect, on_diag, r};
    struct leakscan_scanner *sc = NULL;
    struct k8s_state *s = NULL;
    struct leakscan_blob blob;
    struct leakscan_err err;
    size_t i;

    memset(r, 0, sizeof(*r));
    pthread_mutex_init(&r->lock, NULL);
    leakscan_err_init(&err);
    memset(&o, 0, sizeof(o));
    o.no_annotations = no_annotations;
    memset(&so, 0, sizeof(so));
    assert_int_equal(leakscan_scanner_new(&sc, rules, &so, &err), 0);
    assert_int_equal(k8s_state_new(&s), 0);
    for (i = 0; i < n; i++) {
        memset(&blob, 0, sizeof(blob));
        blob.origin.path = files[i].path;
        blob.data = files[i].text;
        blob.len = strlen(files[i].text);
        assert_int_equal(k8s_lint_file(s, &o, sc, &blob, &sink, &r->st, &err), 0);
    }
    assert_int_equal(k8s_lint_finish(s, &o, &sink, &r->st, &err), 0);
    k8s_state_free(s);
    leakscan_scanner_free(sc);
    leakscan_findings_sort(&r->f);
}

static void lint(const char *text, struct run *r)
{
    struct file f = {"k.yaml", text};

    lint_files(&f, 1, 0, r);
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
        fprintf(stderr, "  %s:%u:%u %s %s [%s] %s\n", r->f.v[i].origin.path, r->f.v[i].line,
                r->f.v[i].column, r->f.v[i].rule_id, leakscan_severity_name(r->f.v[i].severity),
                r->f.v[i].object, r->f.v[i].message);
    for (i = 0; i < r->ndiags && i < 8; i++)
        fprintf(stderr, "  diag: %s\n", r->diags[i]);
}

static size_t count(const struct run *r, const char *id)
{
    size_t i, n = 0;

    for (i = 0; i < r->f.n; i++)
        n += !strcmp(r->f.v[i].rule_id, id);
    return n;
}

/* The finding of `id` at line:col on `object`, or a failed test that lists what was found. */
static const struct leakscan_finding *expect(const struct run *r, const char *id, unsigned line,
                                             unsigned col, const char *object)
{
    size_t i;

    for (i = 0; i < r->f.n; i++) {
        const struct leakscan_finding *f = &r->f.v[i];
        if (!strcmp(f->rule_id, id) && f->line == line && f->column == col &&
            !strcmp(f->object, object)) {
            assert_string_equal(f->category, "kubernetes");
            return f;
        }
    }
    fprintf(stderr, "expected %s at %u:%u on %s; found:\n", id, line, col, object);
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

/* ---- the check table ---- */

/* Every check id this file tests; the table may not hold one that is not here. */
static const char *const TESTED[] = {"k8s-secret-value",
                                     "k8s-secret-literal",
                                     "k8s-configmap-credential",
                                     "k8s-env-credential-literal",
                                     "k8s-rbac-wildcard-all",
                                     "k8s-rbac-wildcard-verbs",
                                     "k8s-rbac-wildcard-resources",
                                     "k8s-rbac-wildcard-apigroups",
                                     "k8s-rbac-secrets-read",
                                     "k8s-rbac-escalation-verbs",
                                     "k8s-rbac-pod-exec",
                                     "k8s-rbac-node-proxy",
                                     "k8s-rbac-token-create",
                                     "k8s-rbac-workload-create",
                                     "k8s-binding-admin-role",
                                     "k8s-binding-risky-role",
                                     "k8s-binding-anonymous",
                                     "k8s-binding-default-sa",
                                     "k8s-pod-privileged",
                                     "k8s-pod-privilege-escalation",
                                     "k8s-pod-host-network",
                                     "k8s-pod-host-pid",
                                     "k8s-pod-host-ipc",
                                     "k8s-pod-hostpath",
                                     "k8s-pod-capabilities",
                                     "k8s-pod-run-as-root",
                                     "k8s-pod-automount-token",
                                     NULL};

static void test_k8s__check_table(void **state)
{
    (void)state;
    check_table_verify(k8s_checks, "k8s-", "kubernetes", TESTED);
}

/* ---- secrets ---- */

/* base64 of a fake Anthropic key (rules/llm.yaml example) */
#define B64_ANTHROPIC                                                                              \
    "c2stYW50LWFwaTAzLVlHTVFtNHlCbHRBQ25UNU9CaVgteXI5QkJ5YTdJQWw4LVd5T0VDa3hvVXF6dGZSMEZKaGx6V1F"  \
    "OZWpNNXJBSkRiWmw1WEJGUXplb1RMVXNzSktzX2V5dlFEcE5Kc0FB"
/* base64 of a fake Slack bot token (rules/saas.yaml example) */
#define B64_SLACK "eG94Yi02NjQyNzgzODQ5MzItMTY2NTg5NjMzODcwMy10VVVLSlpObDBPbHpEYk5kSE0wRzByN3k="
/* base64 of "your-api-key-here" */
#define B64_PLACEHOLDER "eW91ci1hcGkta2V5LWhlcmU="
/* base64 of a PEM certificate: public */
#define B64_CERT                                                                                   \
    "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJzekNDQVZtZ0F3SUJBZ0lVUTJ4bVIzWmtUMHBZY1d0T1YxbDZk" \
    "REJoWjBadlRRPT0KLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo="

static void test_k8s__secret_value(void **state)
{
    const struct leakscan_finding *f;
    struct run r;

    (void)state;
    lint("apiVersion: v1\n"
         "kind: Secret\n"
         "metadata:\n"
         "  name: llm\n"
         "  namespace: agents\n"
         "data:\n"
         "  ANTHROPIC_API_KEY: " B64_ANTHROPIC "\n"
         "  slack: \"" B64_SLACK "\"\n"
         "  level: ZGVidWc=\n",
         &r);
    /* at the value, with the rule id in the message */
    f = expect(&r, "k8s-secret-value", 7, 22, "Secret/agents/llm");
    assert_int_equal(f->severity, LEAKSCAN_SEV_CRITICAL);
    assert_non_null(strstr(f->message, "anthropic-api-key"));
    assert_non_null(strstr(f->message, "data.ANTHROPIC_API_KEY"));
    assert_null(strstr(f->message, "YGMQm4yBltACnT5OBiX-yr9BBya7IAl8")); /* a preview only */
    f = expect(&r, "k8s-secret-value", 8, 10, "Secret/agents/llm");
    assert_non_null(strstr(f->message, "slack-bot-token"));
    assert_int_equal(count(&r, "k8s-secret-value"), 2);
    assert_int_equal(r.st.manifests, 1);
    done(&r);

    /*
     * Look-alikes: a base64 placeholder, and a key written literally in
     * stringData, which the byte scanner reports (no double report).
     */
    lint("apiVersion: v1\n"
         "kind: Secret\n"
         "metadata:\n"
         "  name: llm\n"
         "data:\n"
         "  ANTHROPIC_API_KEY: " B64_PLACEHOLDER "\n"
         "  broken: 'not base64 at all!'\n"
         "stringData:\n"
         "  SLACK: xoxb-664278384932-1665896338703-tUUKJZNl0OlzDbNdHM0G0r7y\n",
         &r);
    expect_none(&r, "k8s-secret-value");
    expect(&r, "k8s-secret-literal", 9, 3, "Secret/-/llm");
    done(&r);

    /* ConfigMap binaryData is base64 too */
    lint("apiVersion: v1\n"
         "kind: ConfigMap\n"
         "metadata: {name: blobs, namespace: app}\n"
         "binaryData:\n"
         "  token.bin: " B64_SLACK "\n",
         &r);
    expect(&r, "k8s-secret-value", 5, 14, "ConfigMap/app/blobs");
    done(&r);
}

static void test_k8s__secret_literal(void **state)
{
    const struct leakscan_finding *f;
    struct run r;

    (void)state;
    lint("# committed by mistake\n"
         "apiVersion: v1\n"
         "kind: Secret\n"
         "metadata:\n"
         "  name: db\n"
         "  namespace: billing\n"
         "stringData:\n"
         "  username: billing\n"
         "  password: Vq7tLw2nR9xe\n",
         &r);
    f = expect(&r, "k8s-secret-literal", 8, 3, "Secret/billing/db");
    assert_int_equal(f->severity, LEAKSCAN_SEV_MEDIUM);
    assert_non_null(strstr(f->message, "2 literal values"));
    assert_non_null(strstr(f->message, "stringData.password"));
    assert_int_equal(r.f.n, 1);
    done(&r);

    /* templated and placeholder values, a public certificate, an empty value */
    lint("apiVersion: v1\n"
         "kind: Secret\n"
         "metadata:\n"
         "  name: gateway\n"
         "stringData:\n"
         "  token: \"{{ .Values.token }}\"\n"
         "  openai: ${OPENAI_API_KEY}\n"
         "  slack: <your-slack-token>\n"
         "  empty: \"\"\n"
         "data:\n"
         "  ca.crt: " B64_CERT "\n"
         "  key: " B64_PLACEHOLDER "\n",
         &r);
    expect_clean(&r);
    done(&r);

    /* SealedSecret and ExternalSecret are the fix, not the problem */
    lint("apiVersion: bitnami.com/v1alpha1\n"
         "kind: SealedSecret\n"
         "metadata: {name: db}\n"
         "spec:\n"
         "  encryptedData:\n"
         "    password: AgBy3i4OJSWK+PiTySYZZA9rO43cGDEq7pWv0Xq3jLQ7mN8pS2uV1wX4yZ6aB9cD0eF3gH5\n"
         "  template:\n"
         "    data:\n"
         "      password: " B64_SLACK "\n"
         "---\n"
         "apiVersion: external-secrets.io/v1beta1\n"
         "kind: ExternalSecret\n"
         "metadata: {name: db}\n"
         "spec:\n"
         "  data:\n"
         "    - secretKey: password\n"
         "      remoteRef: {key: billing/db}\n",
         &r);
    expect_clean(&r);
    assert_int_equal(r.st.manifests, 0);
    done(&r);

    /* SOPS: the whole file is ciphertext plus a sops: block */
    lint("apiVersion: v1\n"
         "kind: Secret\n"
         "metadata: {name: db}\n"
         "stringData:\n"
         "  password: ENC[AES256_GCM,data:Xq2v9LmT4wRz,iv:8Yk3PqVnW2xZ7bTcR5mJ1sLd6f=,"
         "tag:Vw3xR8mKq2LzT5nY7pB1dQ==,type:str]\n"
         "data:\n"
         "  token: " B64_SLACK "\n"
         "sops:\n"
         "  age:\n"
         "    - recipient: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p\n"
         "  version: 3.8.1\n",
         &r);
    expect_clean(&r);
    done(&r);
}

static void test_k8s__configmap_credential(void **state)
{
    const struct leakscan_finding *f;
    struct run r;

    (void)state;
    lint("apiVersion: v1\n"
         "kind: ConfigMap\n"
         "metadata:\n"
         "  name: billing\n"
         "  namespace: billing\n"
         "data:\n"
         "  DB_HOST: postgres.billing.svc\n"
         "  DB_PASSWORD: Vq7tLw2nR9xe\n"
         "  stripeApiKey: Hn4xQ8wzKp2mTb\n"
         "  app.properties: |\n"
         "    server.port=8080\n"
         "    spring.datasource.password=Hn4xQ8wzKp2m\n",
         &r);
    f = expect(&r, "k8s-configmap-credential", 8, 3, "ConfigMap/billing/billing");
    assert_int_equal(f->severity, LEAKSCAN_SEV_HIGH);
    expect(&r, "k8s-configmap-credential", 9, 3, "ConfigMap/billing/billing");
    f = expect(&r, "k8s-configmap-credential", 10, 3, "ConfigMap/billing/billing");
    assert_non_null(strstr(f->message, "spring.datasource.password"));
    assert_non_null(strstr(f->message, "line 2"));
    assert_int_equal(r.f.n, 3);
    done(&r);

    /* names that describe a credential, values that are not one */
    lint("apiVersion: v1\n"
         "kind: ConfigMap\n"
         "metadata: {name: settings}\n"
         "data:\n"
         "  TOKEN_TTL: \"3600\"\n"
         "  PASSWORD_FILE: /run/secrets/db-password\n"
         "  DB_SECRET_NAME: billing-db\n"
         "  AWS_ACCESS_KEY_ID: AKIAPAWD36Q374DISDLD\n"
         "  DB_PASSWORD: db-password-secret\n"
         "  API_KEY: \"{{ .Values.apiKey }}\"\n"
         "  SECRET: changeme\n"
         "  TOKEN_URL: https://auth.example.com/oauth/token\n"
         "  REQUIRE_PASSWORD: \"true\"\n"
         "  tokenizer: bert-base-uncased\n",
         &r);
    expect_clean(&r);
    done(&r);
}

static void test_k8s__env_credential_literal(void **state)
{
    const struct leakscan_finding *f;
    struct run r;

    (void)state;
    lint("apiVersion: v1\n"
         "kind: Pod\n"
         "metadata: {name: api, namespace: web}\n"
         "spec:\n"
         "  automountServiceAccountToken: false\n"
         "  securityContext: {runAsNonRoot: true}\n"
         "  containers:\n"
         "    - name: api\n"
         "      image: api:1\n"
         "      securityContext: {allowPrivilegeEscalation: false}\n"
         "      env:\n"
         "        - name: PGPASSWORD\n"
         "          value: Zr8mQw3nTx6v\n"
         "        - name: LOG_LEVEL\n"
         "          value: debug\n"
         "        - name: API_TOKEN\n"
         "          valueFrom:\n"
         "            secretKeyRef: {name: api, key: token}\n"
         "        - name: PASSWORD_FILE\n"
         "          value: /run/secrets/pw\n"
         "        - name: OPENAI_API_KEY\n"
         "          value: $(OPENAI_API_KEY)\n",
         &r);
    /* at the `value` key, naming the container and the variable */
    f = expect(&r, "k8s-env-credential-literal", 13, 11, "Pod/web/api");
    assert_non_null(strstr(f->message, "'api'"));
    assert_non_null(strstr(f->message, "PGPASSWORD"));
    assert_int_equal(r.f.n, 1);
    done(&r);
}

static void test_k8s__credential_names(void **state)
{
    static const char *const yes[] = {"DB_PASSWORD",
                                      "PGPASSWORD",
                                      "dbPassword",
                                      "apiKey",
                                      "APIKey",
                                      "api-key",
                                      "STRIPE_SECRET_KEY",
                                      "GITHUB_TOKEN",
                                      "client_secret",
                                      "SECRET_KEY_BASE",
                                      "ADMIN_PASS",
                                      "spring.datasource.password",
                                      "privateKey",
                                      NULL};
    static const char *const no[] = {"PASSWORD_FILE",       "TOKEN_TTL",    "SECRET_NAME",
                                     "ACCESS_KEY_ID",       "TOKEN_URL",    "tokenizer",
                                     "BYPASS_CACHE",        "PUBLIC_KEY",   "LOG_LEVEL",
                                     "PASSWORD_MIN_LENGTH", "keySecretRef", NULL};
    static const char *const real[] = {"Vq7tLw2nR9xe", "hunter22", "mypassword123",
                                       "postgres://u:Pq9x2Lm4@db/app", NULL};
    static const char *const fake[] = {"true",
                                       "3600",
                                       "/run/secrets/pw",
                                       "db-password-secret",
                                       "${DB_PASSWORD}",
                                       "{{ .Values.pw }}",
                                       "changeme",
                                       "https://auth.example.com/token",
                                       "abc",
                                       "Enter the password of the admin here",
                                       NULL};
    size_t i;

    (void)state;
    for (i = 0; yes[i]; i++)
        if (!k8s_credential_name(yes[i], strlen(yes[i])))
            fail_msg("%s should name a credential", yes[i]);
    for (i = 0; no[i]; i++)
        if (k8s_credential_name(no[i], strlen(no[i])))
            fail_msg("%s should not name a credential", no[i]);
    for (i = 0; real[i]; i++)
        if (!k8s_credential_value(real[i], strlen(real[i])))
            fail_msg("%s should be a credential value", real[i]);
    for (i = 0; fake[i]; i++)
        if (k8s_credential_value(fake[i], strlen(fake[i])))
            fail_msg("%s should not be a credential value", fake[i]);
}

/* ---- RBAC rules ---- */

static void test_k8s__rbac_wildcards(void **state)
{
    const struct leakscan_finding *f;
    struct run r;

    (void)state;
    lint("apiVersion: rbac.authorization.k8s.io/v1\n"
         "kind: ClusterRole\n"
         "metadata:\n"
         "  name: superuser\n"
         "rules:\n"
         "  - apiGroups: [\"*\"]\n"
         "    resources: [\"*\"]\n"
         "    verbs: [\"*\"]\n"
         "---\n"
         "apiVersion: rbac.authorization.k8s.io/v1\n"
         "kind: Role\n"
         "metadata:\n"
         "  name: ns-admin\n"
         "  namespace: team\n"
         "rules:\n"
         "  - apiGroups: ['*']\n"
         "    resources: ['*']\n"
         "    verbs: ['*']\n",
         &r);
    /* one finding for the rule: cluster-wide critical, namespaced high */
    f = expect(&r, "k8s-rbac-wildcard-all", 6, 5, "ClusterRole/-/superuser");
    assert_int_equal(f->severity, LEAKSCAN_SEV_CRITICAL);
    f = expect(&r, "k8s-rbac-wildcard-all", 16, 5, "Role/team/ns-admin");
    assert_int_equal(f->severity, LEAKSCAN_SEV_HIGH);
    assert_int_equal(r.f.n, 2);
    done(&r);

    lint("apiVersion: rbac.authorization.k8s.io/v1\n"
         "kind: Role\n"
         "metadata: {name: ops, namespace: team}\n"
         "rules:\n"
         "  - apiGroups: [\"\"]\n"
         "    resources: [configmaps]\n"
         "    verbs: [\"*\"]\n"
         "  - apiGroups: [\"\"]\n"
         "    resources: [pods]\n"
         "    verbs: [\"*\"]\n"
         "  - apiGroups: [monitoring.coreos.com]\n"
         "    resources: [\"*\"]\n"
         "    verbs: [get, list]\n"
         "  - apiGroups: [\"\"]\n"
         "    resources: [\"*\"]\n"
         "    verbs: [list]\n"
         "  - apiGroups: [\"*\"]\n"
         "    resources: [ingresses]\n"
         "    verbs: [get]\n"
         "  - apiGroups: [metrics.k8s.io]\n"
         "    resources: [pods]\n"
         "    verbs: [\"*\"]\n",
         &r);
    f = expect(&r, "k8s-rbac-wildcard-verbs", 7, 5, "Role/team/ops");
    assert_int_equal(f->severity, LEAKSCAN_SEV_MEDIUM);
    /* pods are sensitive: high, and creating pods is reported too */
    f = expect(&r, "k8s-rbac-wildcard-verbs", 10, 5, "Role/team/ops");
    assert_int_equal(f->severity, LEAKSCAN_SEV_HIGH);
    expect(&r, "k8s-rbac-workload-create", 9, 5, "Role/team/ops");
    /* a custom group's resources: medium; the core group's (secrets included): high */
    f = expect(&r, "k8s-rbac-wildcard-resources", 12, 5, "Role/team/ops");
    assert_int_equal(f->severity, LEAKSCAN_SEV_MEDIUM);
    f = expect(&r, "k8s-rbac-wildcard-resources", 15, 5, "Role/team/ops");
    assert_int_equal(f->severity, LEAKSCAN_SEV_HIGH);
    assert_non_null(strstr(f->message, "reading secrets"));
    f = expect(&r, "k8s-rbac-wildcard-apigroups", 17, 5, "Role/team/ops");
    assert_int_equal(f->severity, LEAKSCAN_SEV_LOW);
    /* metrics.k8s.io pods are PodMetrics: `*` verbs there are not sensitive */
    f = expect(&r, "k8s-rbac-wildcard-verbs", 22, 5, "Role/team/ops");
    assert_int_equal(f->severity, LEAKSCAN_SEV_MEDIUM);
    assert_int_equal(r.f.n, 7);
    done(&r);

    /* the narrowly scoped look-alike */
    lint("apiVersion: rbac.authorization.k8s.io/v1\n"
         "kind: Role\n"
         "metadata: {name: reader, namespace: team}\n"
         "rules:\n"
         "  - apiGroups: [\"\", apps]\n"
         "    resources: [configmaps, deployments, pods, pods/log]\n"
         "    verbs: [get, list, watch]\n"
         "  - apiGroups: [\"\"]\n"
         "    resources: [secrets]\n"
         "    resourceNames: [app-tls]\n"
         "    verbs: [get]\n"
         "  - nonResourceURLs: [/healthz]\n"
         "    verbs: [get]\n",
         &r);
    expect_clean(&r);
    done(&r);
}

static void test_k8s__rbac_risks(void **state)
{
    const struct leakscan_finding *f;
    struct run r;

    (void)state;
    lint("apiVersion: rbac.authorization.k8s.io/v1\n"
         "kind: ClusterRole\n"
         "metadata:\n"
         "  name: ci\n"
         "rules:\n"
         "  - apiGroups: [\"\"]\n"
         "    resources: [secrets]\n"
         "    verbs: [get, list, watch]\n"
         "  - apiGroups: [\"\"]\n"
         "    resources: [pods/exec, pods/attach]\n"
         "    verbs: [create]\n"
         "  - apiGroups: [\"\"]\n"
         "    resources: [nodes/proxy]\n"
         "    verbs: [get]\n"
         "  - apiGroups: [\"\"]\n"
         "    resources: [serviceaccounts/token]\n"
         "    verbs: [create]\n"
         "  - apiGroups: [apps]\n"
         "    resources: [deployments]\n"
         "    verbs: [create, patch]\n"
         "  - apiGroups: [rbac.authorization.k8s.io]\n"
         "    resources: [clusterroles]\n"
         "    verbs: [bind, escalate]\n"
         "  - apiGroups: [\"\"]\n"
         "    resources: [users, groups]\n"
         "    verbs: [impersonate]\n",
         &r);
    f = expect(&r, "k8s-rbac-secrets-read", 7, 5, "ClusterRole/-/ci");
    assert_int_equal(f->severity, LEAKSCAN_SEV_HIGH);
    expect(&r, "k8s-rbac-pod-exec", 10, 5, "ClusterRole/-/ci");
    f = expect(&r, "k8s-rbac-node-proxy", 13, 5, "ClusterRole/-/ci");
    assert_int_equal(f->severity, LEAKSCAN_SEV_HIGH);
    expect(&r, "k8s-rbac-token-create", 16, 5, "ClusterRole/-/ci");
    f = expect(&r, "k8s-rbac-workload-create", 19, 5, "ClusterRole/-/ci");
    assert_int_equal(f->severity, LEAKSCAN_SEV_MEDIUM);
    /* bind/escalate/impersonate are reported at the verbs */
    f = expect(&r, "k8s-rbac-escalation-verbs", 23, 5, "ClusterRole/-/ci");
    assert_int_equal(f->severity, LEAKSCAN_SEV_CRITICAL);
    expect(&r, "k8s-rbac-escalation-verbs", 26, 5, "ClusterRole/-/ci");
    assert_int_equal(r.f.n, 7);
    done(&r);

    /* look-alikes: the same resources with harmless verbs, or neighbouring resources */
    lint("apiVersion: rbac.authorization.k8s.io/v1\n"
         "kind: Role\n"
         "metadata: {name: viewer, namespace: team}\n"
         "rules:\n"
         "  - apiGroups: [\"\"]\n"
         "    resources: [secrets]\n"
         "    verbs: [create, delete]\n"
         "  - apiGroups: [\"\"]\n"
         "    resources: [pods/log, pods/portforward-status]\n"
         "    verbs: [get]\n"
         "  - apiGroups: [\"\"]\n"
         "    resources: [nodes, nodes/status]\n"
         "    verbs: [get]\n"
         "  - apiGroups: [\"\"]\n"
         "    resources: [serviceaccounts]\n"
         "    verbs: [get, list]\n"
         "  - apiGroups: [apps]\n"
         "    resources: [deployments, deployments/scale]\n"
         "    verbs: [get, list]\n"
         "  - apiGroups: [rbac.authorization.k8s.io]\n"
         "    resources: [roles]\n"
         "    verbs: [get, list]\n"
         "  - apiGroups: [custom.example.com]\n"
         "    resources: [secrets]\n"
         "    verbs: [get]\n",
         &r);
    expect_clean(&r);
    done(&r);

    /* subresource wildcards name the subresource; in a Role nodes/proxy is ineffective */
    lint("apiVersion: rbac.authorization.k8s.io/v1\n"
         "kind: Role\n"
         "metadata: {name: debug, namespace: team}\n"
         "rules:\n"
         "  - apiGroups: [\"\"]\n"
         "    resources: [\"pods/*\"]\n"
         "    verbs: [get]\n"
         "  - apiGroups: [\"\"]\n"
         "    resources: [nodes/proxy]\n"
         "    verbs: [get]\n",
         &r);
    expect(&r, "k8s-rbac-pod-exec", 6, 5, "Role/team/debug");
    f = expect(&r, "k8s-rbac-node-proxy", 9, 5, "Role/team/debug");
    assert_int_equal(f->severity, LEAKSCAN_SEV_LOW);
    done(&r);
}

/* ---- bindings ---- */

static const char *const RISKY_ROLES =
    "apiVersion: rbac.authorization.k8s.io/v1\n"
    "kind: Role\n"
    "metadata: {name: secret-reader, namespace: billing}\n"
    "rules:\n"
    "  - {apiGroups: [\"\"], resources: [secrets], verbs: [list]}\n"
    "---\n"
    "apiVersion: rbac.authorization.k8s.io/v1\n"
    "kind: ClusterRole\n"
    "metadata: {name: exec}\n"
    "rules:\n"
    "  - {apiGroups: [\"\"], resources: [pods/exec], verbs: [create]}\n"
    "---\n"
    "apiVersion: rbac.authorization.k8s.io/v1\n"
    "kind: ClusterRole\n"
    "metadata: {name: harmless}\n"
    "rules:\n"
    "  - {apiGroups: [\"\"], resources: [configmaps], verbs: [get]}\n";

static void test_k8s__binding_risky_role(void **state)
{
    const struct leakscan_finding *f;
    struct file files[2];
    struct run r;

    (void)state;
    /* the bindings are in another file than the roles */
    files[0].path = "roles.yaml";
    files[0].text = RISKY_ROLES;
    files[1].path = "bindings.yaml";
    files[1].text = "apiVersion: rbac.authorization.k8s.io/v1\n"
                    "kind: RoleBinding\n"
                    "metadata: {name: read, namespace: billing}\n"
                    "roleRef:\n"
                    "  kind: Role\n"
                    "  name: secret-reader\n"
                    "subjects:\n"
                    "  - kind: ServiceAccount\n"
                    "    name: reporter\n"
                    "---\n"
                    "apiVersion: rbac.authorization.k8s.io/v1\n"
                    "kind: RoleBinding\n"
                    "metadata: {name: exec, namespace: dev}\n"
                    "roleRef: {kind: ClusterRole, name: exec}\n"
                    "subjects: [{kind: User, name: alice}]\n"
                    "---\n"
                    "apiVersion: rbac.authorization.k8s.io/v1\n"
                    "kind: ClusterRoleBinding\n"
                    "metadata: {name: exec-all}\n"
                    "roleRef: {kind: ClusterRole, name: exec}\n"
                    "subjects: [{kind: Group, name: oncall}]\n"
                    "---\n"
                    "apiVersion: rbac.authorization.k8s.io/v1\n"
                    "kind: RoleBinding\n"
                    "metadata: {name: other-ns, namespace: web}\n"
                    "roleRef: {kind: Role, name: secret-reader}\n"
                    "subjects: [{kind: User, name: bob}]\n"
                    "---\n"
                    "apiVersion: rbac.authorization.k8s.io/v1\n"
                    "kind: ClusterRoleBinding\n"
                    "metadata: {name: harmless}\n"
                    "roleRef: {kind: ClusterRole, name: harmless}\n"
                    "subjects: [{kind: User, name: carol}]\n";
    lint_files(files, 2, 0, &r);
    /* RoleBinding -> Role of its namespace, at roleRef, naming subject and role */
    f = expect(&r, "k8s-binding-risky-role", 4, 1, "RoleBinding/billing/read");
    assert_string_equal(f->origin.path, "bindings.yaml");
    assert_int_equal(f->severity, LEAKSCAN_SEV_HIGH);
    assert_non_null(strstr(f->message, "Role 'secret-reader'"));
    assert_non_null(strstr(f->message, "ServiceAccount billing/reporter"));
    assert_non_null(strstr(f->message, "reading secrets"));
    /* RoleBinding -> ClusterRole, and ClusterRoleBinding -> ClusterRole */
    f = expect(&r, "k8s-binding-risky-role", 14, 1, "RoleBinding/dev/exec");
    assert_non_null(strstr(f->message, "User alice"));
    f = expect(&r, "k8s-binding-risky-role", 20, 1, "ClusterRoleBinding/-/exec-all");
    assert_non_null(strstr(f->message, "cluster-wide"));
    /* a Role of another namespace and a harmless role: silent */
    assert_int_equal(count(&r, "k8s-binding-risky-role"), 3);
    done(&r);

    /* reverse file order: same result (finish sorts what threads recorded) */
    files[1].path = "a-bindings.yaml";
    {
        struct file rev[2];

        rev[0] = files[1];
        rev[1] = files[0];
        lint_files(rev, 2, 0, &r);
        assert_int_equal(count(&r, "k8s-binding-risky-role"), 3);
        done(&r);
    }

    /* aggregationRule: the aggregated role's rules reach the binding */
    lint("apiVersion: rbac.authorization.k8s.io/v1\n"
         "kind: ClusterRole\n"
         "metadata: {name: support}\n"
         "aggregationRule:\n"
         "  clusterRoleSelectors:\n"
         "    - matchLabels: {example.com/aggregate-to-support: \"true\"}\n"
         "rules: []\n"
         "---\n"
         "apiVersion: rbac.authorization.k8s.io/v1\n"
         "kind: ClusterRole\n"
         "metadata:\n"
         "  name: support-tokens\n"
         "  labels: {example.com/aggregate-to-support: \"true\"}\n"
         "rules:\n"
         "  - {apiGroups: [\"\"], resources: [serviceaccounts/token], verbs: [create]}\n"
         "---\n"
         "apiVersion: rbac.authorization.k8s.io/v1\n"
         "kind: ClusterRole\n"
         "metadata:\n"
         "  name: unrelated\n"
         "  labels: {example.com/aggregate-to-view: \"true\"}\n"
         "rules:\n"
         "  - {apiGroups: [\"\"], resources: [secrets], verbs: [get]}\n"
         "---\n"
         "apiVersion: rbac.authorization.k8s.io/v1\n"
         "kind: ClusterRoleBinding\n"
         "metadata: {name: support}\n"
         "roleRef: {kind: ClusterRole, name: support}\n"
         "subjects: [{kind: Group, name: support}]\n",
         &r);
    f = expect(&r, "k8s-binding-risky-role", 28, 1, "ClusterRoleBinding/-/support");
    assert_int_equal(f->severity, LEAKSCAN_SEV_CRITICAL);
    assert_non_null(strstr(f->message, "aggregates"));
    assert_non_null(strstr(f->message, "minting service account tokens"));
    assert_null(strstr(f->message, "reading secrets"));
    done(&r);
}

static void test_k8s__binding_admin_role(void **state)
{
    const struct leakscan_finding *f;
    struct run r;

    (void)state;
    lint("apiVersion: rbac.authorization.k8s.io/v1\n"
         "kind: ClusterRoleBinding\n"
         "metadata:\n"
         "  name: ops\n"
         "roleRef:\n"
         "  apiGroup: rbac.authorization.k8s.io\n"
         "  kind: ClusterRole\n"
         "  name: cluster-admin\n"
         "subjects:\n"
         "  - kind: Group\n"
         "    name: ops\n"
         "---\n"
         "apiVersion: rbac.authorization.k8s.io/v1\n"
         "kind: RoleBinding\n"
         "metadata: {name: devs, namespace: team}\n"
         "roleRef: {kind: ClusterRole, name: edit}\n"
         "subjects: [{kind: Group, name: devs}]\n"
         "---\n"
         "apiVersion: rbac.authorization.k8s.io/v1\n"
         "kind: RoleBinding\n"
         "metadata: {name: viewers, namespace: team}\n"
         "roleRef: {kind: ClusterRole, name: view}\n"
         "subjects: [{kind: Group, name: everyone-in-team}]\n",
         &r);
    f = expect(&r, "k8s-binding-admin-role", 5, 1, "ClusterRoleBinding/-/ops");
    assert_int_equal(f->severity, LEAKSCAN_SEV_CRITICAL);
    assert_non_null(strstr(f->message, "Group ops"));
    assert_non_null(strstr(f->message, "'cluster-admin'"));
    f = expect(&r, "k8s-binding-admin-role", 16, 1, "RoleBinding/team/devs");
    assert_int_equal(f->severity, LEAKSCAN_SEV_MEDIUM);
    /* view is harmless */
    assert_int_equal(r.f.n, 2);
    done(&r);
}

static void test_k8s__binding_subjects(void **state)
{
    const struct leakscan_finding *f;
    struct run r;

    (void)state;
    lint("apiVersion: rbac.authorization.k8s.io/v1\n"
         "kind: ClusterRole\n"
         "metadata: {name: status-reader}\n"
         "rules:\n"
         "  - {apiGroups: [\"\"], resources: [configmaps], verbs: [get]}\n"
         "---\n"
         "apiVersion: rbac.authorization.k8s.io/v1\n"
         "kind: ClusterRoleBinding\n"
         "metadata: {name: public}\n"
         "roleRef: {kind: ClusterRole, name: status-reader}\n"
         "subjects:\n"
         "  - kind: User\n"
         "    name: system:anonymous\n"
         "  - kind: Group\n"
         "    name: system:unauthenticated\n"
         "  - kind: Group\n"
         "    name: system:authenticated\n"
         "  - kind: User\n"
         "    name: anonymous\n"
         "---\n"
         "apiVersion: rbac.authorization.k8s.io/v1\n"
         "kind: RoleBinding\n"
         "metadata: {name: app, namespace: web}\n"
         "roleRef: {kind: ClusterRole, name: status-reader}\n"
         "subjects:\n"
         "  - kind: ServiceAccount\n"
         "    name: default\n"
         "  - kind: ServiceAccount\n"
         "    name: default-backend\n"
         "  - kind: User\n"
         "    name: system:serviceaccount:web:default\n",
         &r);
    f = expect(&r, "k8s-binding-anonymous", 12, 5, "ClusterRoleBinding/-/public");
    assert_int_equal(f->severity, LEAKSCAN_SEV_CRITICAL);
    assert_non_null(strstr(f->message, "ClusterRole 'status-reader'"));
    expect(&r, "k8s-binding-anonymous", 14, 5, "ClusterRoleBinding/-/public");
    f = expect(&r, "k8s-binding-anonymous", 16, 5, "ClusterRoleBinding/-/public");
    assert_int_equal(f->severity, LEAKSCAN_SEV_HIGH);
    /* User "anonymous" is just a name */
    assert_int_equal(count(&r, "k8s-binding-anonymous"), 3);
    /* a harmless role of the scan: low */
    f = expect(&r, "k8s-binding-default-sa", 26, 5, "RoleBinding/web/app");
    assert_int_equal(f->severity, LEAKSCAN_SEV_LOW);
    assert_non_null(strstr(f->message, "ServiceAccount web/default"));
    expect(&r, "k8s-binding-default-sa", 30, 5, "RoleBinding/web/app");
    assert_int_equal(count(&r, "k8s-binding-default-sa"), 2);
    expect_none(&r, "k8s-binding-risky-role");
    done(&r);

    /* the default ServiceAccount with a risky role: high */
    lint("apiVersion: rbac.authorization.k8s.io/v1\n"
         "kind: RoleBinding\n"
         "metadata: {name: app, namespace: web}\n"
         "roleRef: {kind: ClusterRole, name: admin}\n"
         "subjects: [{kind: ServiceAccount, name: default, namespace: web}]\n",
         &r);
    expect(&r, "k8s-binding-admin-role", 4, 1, "RoleBinding/web/app");
    f = expect(&r, "k8s-binding-default-sa", 5, 12, "RoleBinding/web/app");
    assert_int_equal(f->severity, LEAKSCAN_SEV_HIGH);
    done(&r);
}

/* ---- pod security ---- */

static void test_k8s__pod_security(void **state)
{
    const struct leakscan_finding *f;
    struct run r;

    (void)state;
    lint("apiVersion: apps/v1\n"
         "kind: Deployment\n"
         "metadata:\n"
         "  name: agent\n"
         "  namespace: mon\n"
         "spec:\n"
         "  template:\n"
         "    spec:\n"
         "      hostNetwork: true\n"
         "      hostPID: true\n"
         "      hostIPC: true\n"
         "      containers:\n"
         "        - name: agent\n"
         "          image: agent:1\n"
         "          securityContext:\n"
         "            privileged: true\n"
         "        - name: side\n"
         "          image: side:1\n"
         "          securityContext:\n"
         "            capabilities:\n"
         "              add: [SYS_ADMIN]\n"
         "        - name: shipper\n"
         "          image: shipper:1\n"
         "          securityContext:\n"
         "            capabilities:\n"
         "              add: [\"CAP_SYS_TIME\"]\n"
         "      volumes:\n"
         "        - name: sock\n"
         "          hostPath: {path: /var/run/docker.sock}\n"
         "        - name: root\n"
         "          hostPath:\n"
         "            path: /\n"
         "        - name: cache\n"
         "          hostPath: {path: /opt/cache}\n"
         "        - name: tmp\n"
         "          emptyDir: {}\n",
         &r);
    expect(&r, "k8s-pod-host-network", 9, 7, "Deployment/mon/agent");
    expect(&r, "k8s-pod-host-pid", 10, 7, "Deployment/mon/agent");
    expect(&r, "k8s-pod-host-ipc", 11, 7, "Deployment/mon/agent");
    f = expect(&r, "k8s-pod-privileged", 16, 13, "Deployment/mon/agent");
    assert_non_null(strstr(f->message, "'agent'"));
    f = expect(&r, "k8s-pod-capabilities", 21, 15, "Deployment/mon/agent");
    assert_int_equal(f->severity, LEAKSCAN_SEV_HIGH);
    f = expect(&r, "k8s-pod-capabilities", 26, 15, "Deployment/mon/agent");
    assert_int_equal(f->severity, LEAKSCAN_SEV_LOW);
    assert_non_null(strstr(f->message, "SYS_TIME"));
    f = expect(&r, "k8s-pod-hostpath", 29, 11, "Deployment/mon/agent");
    assert_int_equal(f->severity, LEAKSCAN_SEV_HIGH);
    f = expect(&r, "k8s-pod-hostpath", 31, 11, "Deployment/mon/agent");
    assert_int_equal(f->severity, LEAKSCAN_SEV_HIGH);
    f = expect(&r, "k8s-pod-hostpath", 34, 11, "Deployment/mon/agent");
    assert_int_equal(f->severity, LEAKSCAN_SEV_MEDIUM);
    assert_int_equal(count(&r, "k8s-pod-hostpath"), 3);
    /* privileged and SYS_ADMIN imply escalation: only the shipper is told */
    expect(&r, "k8s-pod-privilege-escalation", 22, 11, "Deployment/mon/agent");
    assert_int_equal(count(&r, "k8s-pod-privilege-escalation"), 1);
    /* nothing set anywhere: one finding at the pod spec, naming the containers */
    f = expect(&r, "k8s-pod-run-as-root", 8, 5, "Deployment/mon/agent");
    assert_int_equal(f->severity, LEAKSCAN_SEV_MEDIUM);
    assert_non_null(strstr(f->message, "'agent', 'side', 'shipper'"));
    expect(&r, "k8s-pod-automount-token", 8, 5, "Deployment/mon/agent");
    done(&r);

    /* the hardened look-alike */
    lint("apiVersion: apps/v1\n"
         "kind: Deployment\n"
         "metadata: {name: web, namespace: app}\n"
         "spec:\n"
         "  template:\n"
         "    spec:\n"
         "      hostNetwork: false\n"
         "      automountServiceAccountToken: false\n"
         "      securityContext:\n"
         "        runAsNonRoot: true\n"
         "      containers:\n"
         "        - name: web\n"
         "          image: web:1\n"
         "          securityContext:\n"
         "            privileged: false\n"
         "            allowPrivilegeEscalation: false\n"
         "            capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}\n"
         "        - name: side\n"
         "          image: side:1\n"
         "          securityContext: {allowPrivilegeEscalation: false, runAsUser: 1000}\n"
         "      volumes:\n"
         "        - {name: tmp, emptyDir: {}}\n",
         &r);
    expect_clean(&r);
    done(&r);
}

static void test_k8s__run_as_root(void **state)
{
    const struct leakscan_finding *f;
    struct run r;

    (void)state;
    lint("apiVersion: v1\n"
         "kind: Pod\n"
         "metadata: {name: p}\n"
         "spec:\n"
         "  automountServiceAccountToken: false\n"
         "  securityContext:\n"
         "    runAsUser: 0\n"
         "  containers:\n"
         "    - name: a\n"
         "      image: a\n"
         "      securityContext: {allowPrivilegeEscalation: false}\n"
         "    - name: b\n"
         "      image: b\n"
         "      securityContext: {allowPrivilegeEscalation: false, runAsUser: 1001}\n"
         "    - name: c\n"
         "      image: c\n"
         "      securityContext:\n"
         "        allowPrivilegeEscalation: false\n"
         "        runAsUser: 0\n"
         "        runAsNonRoot: false\n",
         &r);
    /* pod-level 0 inherited by a; b overrides; c sets 0 itself */
    f = expect(&r, "k8s-pod-run-as-root", 7, 5, "Pod/-/p");
    assert_int_equal(f->severity, LEAKSCAN_SEV_HIGH);
    assert_non_null(strstr(f->message, "'a'"));
    assert_null(strstr(f->message, "'b'"));
    f = expect(&r, "k8s-pod-run-as-root", 19, 9, "Pod/-/p");
    assert_int_equal(f->severity, LEAKSCAN_SEV_HIGH);
    assert_int_equal(r.f.n, 2);
    done(&r);

    /* runAsNonRoot at the pod, or a non-zero UID per container; Windows pods have no UIDs */
    lint("apiVersion: v1\n"
         "kind: Pod\n"
         "metadata: {name: p}\n"
         "spec:\n"
         "  automountServiceAccountToken: false\n"
         "  securityContext: {runAsNonRoot: true}\n"
         "  containers:\n"
         "    - {name: a, image: a, securityContext: {allowPrivilegeEscalation: false}}\n"
         "---\n"
         "apiVersion: v1\n"
         "kind: Pod\n"
         "metadata: {name: w}\n"
         "spec:\n"
         "  automountServiceAccountToken: false\n"
         "  os: {name: windows}\n"
         "  containers:\n"
         "    - {name: a, image: a}\n",
         &r);
    expect_clean(&r);
    done(&r);

    /* a securityContext shared with a YAML merge key is set */
    lint("apiVersion: v1\n"
         "kind: Pod\n"
         "metadata: {name: m}\n"
         "spec:\n"
         "  automountServiceAccountToken: false\n"
         "  containers:\n"
         "    - name: a\n"
         "      image: a\n"
         "      securityContext: &hardened\n"
         "        allowPrivilegeEscalation: false\n"
         "        runAsNonRoot: true\n"
         "    - name: b\n"
         "      image: b\n"
         "      securityContext:\n"
         "        <<: *hardened\n"
         "        readOnlyRootFilesystem: true\n",
         &r);
    expect_clean(&r);
    done(&r);
}

static void test_k8s__automount_token(void **state)
{
    const struct leakscan_finding *f;
    struct file files[2];
    struct run r;

    (void)state;
    files[0].path = "pods.yaml";
    files[0].text = "apiVersion: v1\n"
                    "kind: Pod\n"
                    "metadata: {name: a, namespace: web}\n"
                    "spec:\n"
                    "  securityContext: {runAsNonRoot: true}\n"
                    "  containers: [{name: a, image: a, securityContext: "
                    "{allowPrivilegeEscalation: false}}]\n"
                    "---\n"
                    "apiVersion: v1\n"
                    "kind: Pod\n"
                    "metadata: {name: b, namespace: web}\n"
                    "spec:\n"
                    "  serviceAccountName: quiet\n"
                    "  securityContext: {runAsNonRoot: true}\n"
                    "  containers: [{name: a, image: a, securityContext: "
                    "{allowPrivilegeEscalation: false}}]\n"
                    "---\n"
                    "apiVersion: v1\n"
                    "kind: Pod\n"
                    "metadata: {name: c, namespace: web}\n"
                    "spec:\n"
                    "  serviceAccountName: quiet\n"
                    "  automountServiceAccountToken: true\n"
                    "  securityContext: {runAsNonRoot: true}\n"
                    "  containers: [{name: a, image: a, securityContext: "
                    "{allowPrivilegeEscalation: false}}]\n"
                    "---\n"
                    "apiVersion: v1\n"
                    "kind: Pod\n"
                    "metadata: {name: d, namespace: other}\n"
                    "spec:\n"
                    "  serviceAccountName: quiet\n"
                    "  securityContext: {runAsNonRoot: true}\n"
                    "  containers: [{name: a, image: a, securityContext: "
                    "{allowPrivilegeEscalation: false}}]\n";
    /* the ServiceAccount that turns the token off is in another file */
    files[1].path = "sa.yaml";
    files[1].text = "apiVersion: v1\n"
                    "kind: ServiceAccount\n"
                    "metadata: {name: quiet, namespace: web}\n"
                    "automountServiceAccountToken: false\n";
    lint_files(files, 2, 0, &r);
    f = expect(&r, "k8s-pod-automount-token", 4, 1, "Pod/web/a");
    assert_int_equal(f->severity, LEAKSCAN_SEV_LOW);
    assert_non_null(strstr(f->message, "'default'"));
    /* b inherits false from its ServiceAccount; c overrides it with true */
    expect(&r, "k8s-pod-automount-token", 21, 3, "Pod/web/c");
    /* d's ServiceAccount "quiet" is another namespace's */
    expect(&r, "k8s-pod-automount-token", 28, 1, "Pod/other/d");
    assert_int_equal(r.f.n, 3);
    assert_int_equal(r.st.manifests, 5);
    done(&r);
}

static void test_k8s__every_workload_kind(void **state)
{
    static const struct {
        const char *api, *kind, *body;
        unsigned line, column; /* of hostPID */
    } kinds[] = {
        {"v1", "Pod", "spec:\n  hostPID: true\n", 5, 3},
        {"apps/v1", "Deployment", "spec:\n  template:\n    spec:\n      hostPID: true\n", 7, 7},
        {"apps/v1", "StatefulSet", "spec:\n  template:\n    spec:\n      hostPID: true\n", 7, 7},
        {"apps/v1", "DaemonSet", "spec:\n  template:\n    spec:\n      hostPID: true\n", 7, 7},
        {"apps/v1", "ReplicaSet", "spec:\n  template:\n    spec:\n      hostPID: true\n", 7, 7},
        {"extensions/v1beta1", "Deployment", "spec:\n  template:\n    spec:\n      hostPID: true\n",
         7, 7},
        {"v1", "ReplicationController", "spec:\n  template:\n    spec:\n      hostPID: true\n", 7,
         7},
        {"batch/v1", "Job", "spec:\n  template:\n    spec:\n      hostPID: true\n", 7, 7},
        {"batch/v1", "CronJob",
         "spec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n"
         "          hostPID: true\n",
         9, 11},
        {"v1", "PodTemplate", "template:\n  spec:\n    hostPID: true\n", 6, 5},
    };
    char text[1024], object[128];
    struct run r;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(kinds) / sizeof(*kinds); i++) {
        snprintf(text, sizeof(text),
                 "apiVersion: %s\nkind: %s\nmetadata: {name: w, namespace: ns}\n%s", kinds[i].api,
                 kinds[i].kind, kinds[i].body);
        snprintf(object, sizeof(object), "%s/ns/w", kinds[i].kind);
        lint(text, &r);
        expect(&r, "k8s-pod-host-pid", kinds[i].line, kinds[i].column, object);
        assert_int_equal(r.st.manifests, 1);
        done(&r);
    }

    /* a group that is not the workload's: a CRD of the same kind name */
    lint("apiVersion: example.com/v1\n"
         "kind: Deployment\n"
         "metadata: {name: w}\n"
         "spec: {template: {spec: {hostPID: true}}}\n",
         &r);
    expect_clean(&r);
    assert_int_equal(r.st.manifests, 1);
    done(&r);
}

/* ---- inputs ---- */

static void test_k8s__inputs(void **state)
{
    struct file f;
    struct run r;

    (void)state;
    /* JSON, kind: List, and documents that are not objects */
    f.path = "list.json";
    f.text = "{\n"
             "  \"apiVersion\": \"v1\",\n"
             "  \"kind\": \"List\",\n"
             "  \"items\": [\n"
             "    {\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": "
             "\"c\"}, \"data\": {\"API_KEY\": \"Hn4xQ8wzKp2mTb\"}},\n"
             "    {\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"p\"},\n"
             "     \"spec\": {\"hostNetwork\": true}}\n"
             "  ]\n"
             "}\n";
    lint_files(&f, 1, 0, &r);
    expect(&r, "k8s-configmap-credential", 5, 83, "ConfigMap/-/c");
    expect(&r, "k8s-pod-host-network", 7, 15, "Pod/-/p");
    assert_int_equal(r.st.manifests, 2);
    assert_int_equal(r.ndiags, 0);
    done(&r);

    /* no apiVersion or kind: not an object (docker-compose, CI, Helm values) */
    lint("services:\n"
         "  db:\n"
         "    environment: {POSTGRES_PASSWORD: Vq7tLw2nR9xe}\n"
         "---\n"
         "kind: Secret\n"
         "stringData: {password: Vq7tLw2nR9xe}\n"
         "---\n"
         "apiVersion: v1\n"
         "stringData: {password: Vq7tLw2nR9xe}\n"
         "---\n"
         "# empty document\n",
         &r);
    expect_clean(&r);
    assert_int_equal(r.st.manifests, 0);
    assert_int_equal(r.ndiags, 0);
    done(&r);

    /* YAML that is not a manifest and does not parse: never parsed, no diag */
    lint("key: [unclosed\n", &r);
    assert_int_equal(r.ndiags, 0);
    assert_int_equal(r.st.unparsed, 0);
    done(&r);
}

/* ---- suppression ---- */

static const char *const ANNOTATED =
    "apiVersion: apps/v1\n"
    "kind: DaemonSet\n"
    "metadata:\n"
    "  name: cni\n"
    "  namespace: kube-system\n"
    "  annotations:\n"
    "    leakscan.io/allow: k8s-pod-host-network, k8s-pod-capabilities\n"
    "spec:\n"
    "  template:\n"
    "    metadata:\n"
    "      annotations:\n"
    "        leakscan.io/allow: \"k8s-pod-hostpath,k8s-pod-run-as-root\"\n"
    "    spec:\n"
    "      hostNetwork: true\n"
    "      hostPID: true\n"
    "      automountServiceAccountToken: false\n"
    "      containers:\n"
    "        - name: cni\n"
    "          image: cni:1\n"
    "          securityContext:\n"
    "            allowPrivilegeEscalation: false\n"
    "            capabilities: {add: [NET_ADMIN]}\n"
    "      volumes:\n"
    "        - {name: bin, hostPath: {path: /opt/cni/bin}}\n";

static void test_k8s__suppression(void **state)
{
    struct file f = {"cni.yaml", ANNOTATED};
    struct run r;

    (void)state;
    lint_files(&f, 1, 0, &r);
    /* only the check nobody allowed */
    expect(&r, "k8s-pod-host-pid", 15, 7, "DaemonSet/kube-system/cni");
    assert_int_equal(r.f.n, 1);
    assert_int_equal(r.st.suppressed, 4);
    done(&r);

    /* --no-annotations: a deployer cannot exempt themselves in CI */
    lint_files(&f, 1, 1, &r);
    expect(&r, "k8s-pod-host-network", 14, 7, "DaemonSet/kube-system/cni");
    expect(&r, "k8s-pod-capabilities", 22, 28, "DaemonSet/kube-system/cni");
    expect(&r, "k8s-pod-hostpath", 24, 23, "DaemonSet/kube-system/cni");
    expect(&r, "k8s-pod-run-as-root", 13, 5, "DaemonSet/kube-system/cni");
    assert_int_equal(r.f.n, 5);
    assert_int_equal(r.st.suppressed, 0);
    done(&r);

    /* bindings (checked at finish) and Secrets honour it too; other ids do not match */
    lint("apiVersion: rbac.authorization.k8s.io/v1\n"
         "kind: ClusterRoleBinding\n"
         "metadata:\n"
         "  name: break-glass\n"
         "  annotations: {leakscan.io/allow: k8s-binding-admin-role}\n"
         "roleRef: {kind: ClusterRole, name: cluster-admin}\n"
         "subjects: [{kind: Group, name: sre}]\n"
         "---\n"
         "apiVersion: v1\n"
         "kind: Secret\n"
         "metadata:\n"
         "  name: s\n"
         "  annotations: {leakscan.io/allow: k8s-secret-lit}\n"
         "stringData: {password: Vq7tLw2nR9xe}\n",
         &r);
    expect(&r, "k8s-secret-literal", 14, 14, "Secret/-/s");
    assert_int_equal(r.f.n, 1);
    assert_int_equal(r.st.suppressed, 1);
    done(&r);
}

/* ---- templates and malformed input ---- */

static void test_k8s__helm_template(void **state)
{
    struct file f;
    struct run r;

    (void)state;
    f.path = "chart/templates/deployment.yaml";
    f.text = "apiVersion: apps/v1\n"
             "kind: Deployment\n"
             "metadata:\n"
             "  name: {{ include \"app.fullname\" . }}\n"
             "spec:\n"
             "  template:\n"
             "    spec:\n"
             "      {{- with .Values.securityContext }}\n"
             "      securityContext:\n"
             "        {{- toYaml . | nindent 8 }}\n"
             "      {{- end }}\n";
    lint_files(&f, 1, 0, &r);
    expect_clean(&r);
    assert_int_equal(r.ndiags, 1);
    assert_int_equal(r.st.unparsed, 1);
    assert_true(!strncmp(r.diags[0], "note: chart/templates/deployment.yaml:", 38));
    done(&r);

    /*
     * A template that happens to parse: explicit settings are checked, absent
     * ones may be injected at render time and are not reported.
     */
    f.text = "apiVersion: v1\n"
             "kind: Pod\n"
             "metadata:\n"
             "  name: \"{{ .Release.Name }}\"\n"
             "spec:\n"
             "  hostPID: true\n"
             "  containers:\n"
             "    - name: app\n"
             "      image: \"{{ .Values.image }}\"\n"
             "      env:\n"
             "        - name: API_TOKEN\n"
             "          value: \"{{ .Values.token }}\"\n";
    lint_files(&f, 1, 0, &r);
    expect(&r, "k8s-pod-host-pid", 6, 3, "Pod/-/{{ .Release.Name }}");
    assert_int_equal(r.f.n, 1);
    assert_int_equal(r.ndiags, 0);
    done(&r);
}

static void test_k8s__malformed(void **state)
{
    struct file f;
    struct run r;
    char *deep;
    size_t i, n = 10000;

    (void)state;
    /* a tab for indentation */
    f.path = "bad/tabs.yaml";
    f.text = "apiVersion: v1\n"
             "kind: ConfigMap\n"
             "metadata:\n"
             "\tname: x\n";
    lint_files(&f, 1, 0, &r);
    assert_int_equal(r.ndiags, 1);
    assert_int_equal(r.st.unparsed, 1);
    assert_true(!strncmp(r.diags[0], "bad/tabs.yaml:4:", 16));
    assert_null(strstr(r.diags[0], "note:"));
    done(&r);

    /* an unclosed quote */
    f.path = "bad/quote.yaml";
    f.text = "apiVersion: v1\n"
             "kind: Secret\n"
             "metadata:\n"
             "  name: \"db\n"
             "stringData:\n"
             "  password: Vq7tLw2nR9xe\n";
    lint_files(&f, 1, 0, &r);
    assert_int_equal(r.ndiags, 1);
    assert_true(!strncmp(r.diags[0], "bad/quote.yaml:", 15));
    assert_non_null(strstr(r.diags[0], "quoted scalar"));
    expect_clean(&r);
    done(&r);

    /* broken JSON */
    f.path = "bad/x.json";
    f.text = "{\"apiVersion\": \"v1\", \"kind\": \"Pod\",\n \"spec\": {\"hostPID\": true}\n";
    lint_files(&f, 1, 0, &r);
    assert_int_equal(r.ndiags, 1);
    assert_true(!strncmp(r.diags[0], "bad/x.json:", 11));
    done(&r);

    /* an alias bomb: a budget, not an explosion */
    f.path = "bad/bomb.yaml";
    f.text = "apiVersion: v1\n"
             "kind: ConfigMap\n"
             "metadata: {name: lol}\n"
             "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
             "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
             "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
             "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
             "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
             "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
             "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
             "h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
             "i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]\n";
    lint_files(&f, 1, 0, &r);
    assert_int_equal(r.ndiags, 1);
    assert_true(!strncmp(r.diags[0], "bad/bomb.yaml:", 14));
    assert_non_null(strstr(r.diags[0], "too many nodes"));
    done(&r);

    /* 10,000 levels of nesting */
    deep = malloc(2 * n + 64);
    assert_non_null(deep);
    i = (size_t)snprintf(deep, 64, "apiVersion: v1\nkind: Pod\nspec: ");
    memset(deep + i, '[', n);
    memset(deep + i + n, ']', n);
    deep[i + 2 * n] = '\n';
    deep[i + 2 * n + 1] = '\0';
    f.path = "bad/deep.yaml";
    f.text = deep;
    lint_files(&f, 1, 0, &r);
    assert_int_equal(r.ndiags, 1);
    assert_true(!strncmp(r.diags[0], "bad/deep.yaml:3:", 16));
    assert_int_equal(r.st.unparsed, 1);
    done(&r);
    free(deep);
}

/* ---- threads ---- */

#define NTHREADS 4
#define NFILES 64

struct worker {
    struct k8s_state *s;
    struct run *r;
    char (*texts)[1024];
    char (*paths)[32];
    size_t first;
};

static void *work(void *arg)
{
    struct worker *w = arg;
    struct leakscan_lint_opts o = {0};
    struct leakscan_scan_opts so;
    struct leakscan_sink sink = {collect, on_diag, w->r};
    struct leakscan_scanner *sc = NULL;
    struct leakscan_lint_stats st;
    struct leakscan_blob blob;
    struct leakscan_err err;
    size_t i;

    leakscan_err_init(&err);
    memset(&st, 0, sizeof(st));
    memset(&so, 0, sizeof(so));
    if (leakscan_scanner_new(&sc, rules, &so, &err))
        return (void *)1;
    for (i = w->first; i < NFILES; i += NTHREADS) {
        memset(&blob, 0, sizeof(blob));
        blob.origin.path = w->paths[i];
        blob.data = w->texts[i];
        blob.len = strlen(w->texts[i]);
        if (k8s_lint_file(w->s, &o, sc, &blob, &sink, &st, &err))
            return (void *)1;
    }
    leakscan_scanner_free(sc);
    return NULL;
}

/* Roles and bindings recorded from several threads give what one thread gives. */
static void test_k8s__threads(void **state)
{
    static char texts[NFILES][1024], paths[NFILES][32];
    struct leakscan_lint_opts o = {0};
    struct leakscan_sink sink;
    struct worker w[NTHREADS];
    pthread_t t[NTHREADS];
    struct k8s_state *s = NULL;
    struct leakscan_lint_stats st;
    struct leakscan_err err;
    struct file files[NFILES];
    struct run r, one;
    void *ret;
    size_t i;

    (void)state;
    for (i = 0; i < NFILES; i++) {
        snprintf(paths[i], sizeof(paths[i]), "f%02zu.yaml", i);
        if (i % 2 == 0)
            snprintf(texts[i], sizeof(texts[i]),
                     "apiVersion: rbac.authorization.k8s.io/v1\n"
                     "kind: Role\n"
                     "metadata: {name: r%zu, namespace: ns}\n"
                     "rules:\n"
                     "  - {apiGroups: [\"\"], resources: [%s], verbs: [get]}\n",
                     i + 1, i % 4 ? "secrets" : "configmaps");
        else
            snprintf(texts[i], sizeof(texts[i]),
                     "apiVersion: rbac.authorization.k8s.io/v1\n"
                     "kind: RoleBinding\n"
                     "metadata: {name: b%zu, namespace: ns}\n"
                     "roleRef: {kind: Role, name: r%zu}\n"
                     "subjects: [{kind: ServiceAccount, name: %s}]\n",
                     i, i, i % 3 ? "app" : "default");
        files[i].path = paths[i];
        files[i].text = texts[i];
    }
    lint_files(files, NFILES, 0, &one);

    memset(&r, 0, sizeof(r));
    pthread_mutex_init(&r.lock, NULL);
    sink.finding = collect;
    sink.diag = on_diag;
    sink.payload = &r;
    assert_int_equal(k8s_state_new(&s), 0);
    for (i = 0; i < NTHREADS; i++) {
        w[i].s = s;
        w[i].r = &r;
        w[i].texts = texts;
        w[i].paths = paths;
        w[i].first = i;
        assert_int_equal(pthread_create(&t[i], NULL, work, &w[i]), 0);
    }
    for (i = 0; i < NTHREADS; i++) {
        assert_int_equal(pthread_join(t[i], &ret), 0);
        assert_null(ret);
    }
    leakscan_err_init(&err);
    memset(&st, 0, sizeof(st));
    assert_int_equal(k8s_lint_finish(s, &o, &sink, &st, &err), 0);
    k8s_state_free(s);
    leakscan_findings_sort(&r.f);

    assert_true(count(&one, "k8s-binding-risky-role") > 0);
    assert_true(count(&one, "k8s-binding-default-sa") > 0);
    assert_int_equal(r.f.n, one.f.n);
    for (i = 0; i < r.f.n; i++) {
        assert_string_equal(r.f.v[i].rule_id, one.f.v[i].rule_id);
        assert_string_equal(r.f.v[i].origin.path, one.f.v[i].origin.path);
        assert_int_equal(r.f.v[i].line, one.f.v[i].line);
        assert_int_equal(r.f.v[i].severity, one.f.v[i].severity);
        assert_string_equal(r.f.v[i].message, one.f.v[i].message);
        assert_string_equal(r.f.v[i].fingerprint, one.f.v[i].fingerprint);
    }
    done(&r);
    done(&one);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_k8s__check_table),
        cmocka_unit_test(test_k8s__secret_value),
        cmocka_unit_test(test_k8s__secret_literal),
        cmocka_unit_test(test_k8s__configmap_credential),
        cmocka_unit_test(test_k8s__env_credential_literal),
        cmocka_unit_test(test_k8s__credential_names),
        cmocka_unit_test(test_k8s__rbac_wildcards),
        cmocka_unit_test(test_k8s__rbac_risks),
        cmocka_unit_test(test_k8s__binding_risky_role),
        cmocka_unit_test(test_k8s__binding_admin_role),
        cmocka_unit_test(test_k8s__binding_subjects),
        cmocka_unit_test(test_k8s__pod_security),
        cmocka_unit_test(test_k8s__run_as_root),
        cmocka_unit_test(test_k8s__automount_token),
        cmocka_unit_test(test_k8s__every_workload_kind),
        cmocka_unit_test(test_k8s__inputs),
        cmocka_unit_test(test_k8s__suppression),
        cmocka_unit_test(test_k8s__helm_template),
        cmocka_unit_test(test_k8s__malformed),
        cmocka_unit_test(test_k8s__threads),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
