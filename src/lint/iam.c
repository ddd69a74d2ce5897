/*
 * iam.c - the IAM policy lint: the check table, the escalation sets (data in
 * rules/iam/escalation.yaml, embedded), and finding the policies of a file:
 * AWS policy documents anywhere in a YAML/JSON tree, CloudFormation
 * templates (named by logical id), policies written as JSON strings, GCP IAM
 * policies and Azure role definitions.
 *
 * The checks live in iam_aws.c and iam_cloud.c; helpers in iam_util.c.
 */
#include "config.h"

#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iam_int.h"
#include "leakscan/ruleset.h"

#define C(id, sev, summary)                                                                        \
    {                                                                                              \
        id, "iam", LEAKSCAN_SEV_##sev, summary                                                     \
    }

/*
 * Default severities; some checks raise or lower theirs (the summary says
 * when), the finding carries the one that applies.
 */
const struct leakscan_check iam_checks[] = {
    C("iam-admin-access", CRITICAL,
      "AWS: Allow of Action \"*\" (or \"*:*\") on Resource \"*\": administrator access (high with a "
      "Condition)"),
    C("iam-service-wildcard", MEDIUM,
      "AWS: Allow of every action of a service (s3:*); high for iam, sts, kms, secretsmanager, "
      "organizations; one lower on named resources or with a Condition"),
    C("iam-resource-wildcard", MEDIUM,
      "AWS: Resource \"*\" for actions that can be scoped to ARNs (s3:GetObject, kms:Decrypt, "
      "dynamodb:Query...)"),
    C("iam-arn-wildcard", MEDIUM,
      "AWS: an ARN with a wildcard account or where a name belongs (low: a wildcard region only)"),
    C("iam-not-action", HIGH,
      "AWS: Allow with NotAction grants every other action (medium on named resources)"),
    C("iam-not-resource", MEDIUM, "AWS: Allow with NotResource grants every other resource"),
    C("iam-not-principal", HIGH, "AWS: Allow with NotPrincipal lets in everyone not listed"),
    C("iam-public-principal", CRITICAL,
      "AWS: Principal \"*\" (or {\"AWS\": \"*\"}) on Allow without a Condition that names who (low "
      "with aws:SourceArn, aws:SourceAccount, aws:PrincipalOrgID...; high with another Condition)"),
    C("iam-passrole-wildcard", HIGH,
      "AWS: iam:PassRole on every role without an iam:PassedToService condition"),
    C("iam-privilege-escalation", HIGH,
      "AWS: a known privilege-escalation set of actions granted on unrestricted resources "
      "(rules/iam/escalation.yaml)"),
    C("iam-credential-exposure", HIGH,
      "AWS: actions that return or create credentials on Resource \"*\" (iam:CreateAccessKey, "
      "secretsmanager:GetSecretValue, ssm:GetParameters...; medium with a Condition)"),
    C("iam-invalid-statement", MEDIUM,
      "AWS: a statement IAM rejects or that cannot be checked (no Effect, Action and NotAction, no "
      "Action, unknown key...)"),
    C("iam-gcp-primitive-role", HIGH,
      "GCP: a binding of roles/owner or roles/editor (critical to a service account; low: "
      "roles/viewer)"),
    C("iam-gcp-admin-to-sa", HIGH, "GCP: an *Admin role granted to a service account"),
    C("iam-gcp-public-member", CRITICAL,
      "GCP: allUsers or allAuthenticatedUsers in a binding (high for viewer roles, medium for "
      "invoker roles)"),
    C("iam-gcp-unconditional-broad", MEDIUM,
      "GCP: an admin or impersonation role granted to people or groups without a condition"),
    C("iam-azure-wildcard-actions", HIGH,
      "Azure: \"*\" in a role's Actions or DataActions (critical when it can assign roles)"),
    C("iam-azure-broad-scope", MEDIUM,
      "Azure: a role with wildcard actions assignable at a whole subscription (high: \"/\" or a "
      "management group)"),
    C("iam-azure-authorization-write", HIGH,
      "Azure: Microsoft.Authorization write actions (role assignments, role definitions, "
      "elevateAccess)"),
    {NULL, NULL, LEAKSCAN_SEV_INFO, NULL}};

#undef C

/* ---- the escalation sets ---- */

extern const struct leakscan_builtin_file leakscan_builtin_iam[];
extern const size_t leakscan_builtin_iam_count;

void iam_esc_free(struct iam_esc_table *t)
{
    if (!t)
        return;
    leakscan_doc_free(t->doc);
    free(t->sets);
    free(t->actions);
    free(t);
}

static int esc_error(struct leakscan_err *err, const char *name, const struct leakscan_node *n,
                     const char *what)
{
    return leakscan_err_set(err, LEAKSCAN_EPARSE, "%s:%u:%u: %s", name, n ? n->line : 1,
                            n ? n->column : 1, what);
}

static int esc_id_ok(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
            return 0;
    return 1;
}

/* service:Action, both parts non-empty, no wildcard, no blank */
static int esc_action_ok(const char *s)
{
    const char *colon = strchr(s, ':');

    if (!colon || colon == s || !colon[1] || strchr(colon + 1, ':'))
        return 0;
    return !strpbrk(s, "*? \t");
}

static int esc_set(struct iam_esc_table *t, const char *name, const struct leakscan_node *item,
                   size_t *nact, struct leakscan_err *err)
{
    const struct leakscan_node *id, *desc, *acts, *k, *a;
    struct iam_esc_set *s = &t->sets[t->n];
    size_t i, j;

    if (item->type != LEAKSCAN_NODE_MAP)
        return esc_error(err, name, item, "a set must be a mapping");
    for (i = 0; i < item->count; i++) {
        k = item->items[2 * i];
        if (!leakscan_node_is(k, "id") && !leakscan_node_is(k, "actions") &&
            !leakscan_node_is(k, "description"))
            return esc_error(err, name, k, "unknown key in a set (id, actions, description)");
    }
    id = iam_get(item, "id", NULL);
    desc = iam_get(item, "description", NULL);
    acts = iam_get(item, "actions", NULL);
    if (!iam_str(id) || !esc_id_ok(id->value))
        return esc_error(err, name, id ? id : item, "a set needs an id of [a-z0-9-]");
    for (j = 0; j < t->n; j++)
        /* NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker): sets[0..n) have an id */
        if (!strcmp(t->sets[j].id, id->value))
            return esc_error(err, name, id, "duplicate set id");
    if (!iam_str(desc) || !*desc->value)
        return esc_error(err, name, desc ? desc : item, "a set needs a description");
    if (!acts || acts->type != LEAKSCAN_NODE_SEQ || !acts->count)
        return esc_error(err, name, acts ? acts : item, "a set needs a list of actions");
    s->id = id->value;
    s->description = desc->value;
    s->actions = &t->actions[*nact];
    s->nactions = acts->count;
    for (i = 0; i < acts->count; i++) {
        a = acts->items[i];
        if (!iam_str(a) || !esc_action_ok(a->value))
            return esc_error(err, name, a, "an action is written service:Action, no wildcard");
        t->actions[(*nact)++] = a->value;
    }
    t->n++;
    return 0;
}

int iam_esc_parse(struct iam_esc_table **out, const char *name, const char *data, size_t len,
                  struct leakscan_err *err)
{
    const struct leakscan_node *root, *sets;
    struct iam_esc_table *t;
    size_t i, nact = 0, total = 0;
    int rc;

    *out = NULL;
    t = calloc(1, sizeof(*t));
    if (!t)
        return leakscan_err_set(err, LEAKSCAN_ENOMEM, "%s: out of memory", name);
    if ((rc = leakscan_doc_parse(&t->doc, name, data, len, NULL, err)) != 0)
        goto fail;
    root = t->doc->ndocs == 1 ? t->doc->docs[0] : NULL;
    if (!root || root->type != LEAKSCAN_NODE_MAP || root->count != 1 ||
        !(sets = iam_get(root, "sets", NULL)) || sets->type != LEAKSCAN_NODE_SEQ || !sets->count) {
        rc = esc_error(err, name, root, "one document with a `sets:` list and nothing else");
        goto fail;
    }
    for (i = 0; i < sets->count; i++)
        total += iam_nelems(iam_get(sets->items[i], "actions", NULL));
    t->sets = calloc(sets->count, sizeof(*t->sets));
    t->actions = calloc(total ? total : 1, sizeof(*t->actions));
    if (!t->sets || !t->actions) {
        rc = leakscan_err_set(err, LEAKSCAN_ENOMEM, "%s: out of memory", name);
        goto fail;
    }
    for (i = 0; i < sets->count; i++)
        if ((rc = esc_set(t, name, sets->items[i], &nact, err)) != 0)
            goto fail;
    *out = t;
    return 0;
fail:
    iam_esc_free(t);
    return rc;
}

/*
 * The built-in table is the only state the lint keeps across calls: built
 * once by pthread_once (any thread may come first), read-only afterwards,
 * never freed (it lives as long as the embedded bytes it parses).
 */
static pthread_once_t esc_once = PTHREAD_ONCE_INIT;
static struct iam_esc_table *esc_table;
static struct leakscan_err esc_err;

static void esc_init(void)
{
    leakscan_err_init(&esc_err);
    if (leakscan_builtin_iam_count != 1) {
        leakscan_err_set(&esc_err, LEAKSCAN_ERROR, "rules/iam/escalation.yaml is not embedded");
        return;
    }
    iam_esc_parse(&esc_table, leakscan_builtin_iam[0].name, leakscan_builtin_iam[0].data,
                  leakscan_builtin_iam[0].len, &esc_err);
}

int iam_esc_builtin(const struct iam_esc_table **out, struct leakscan_err *err)
{
    pthread_once(&esc_once, esc_init);
    *out = esc_table;
    if (!esc_table)
        return leakscan_err_set(err, esc_err.code ? esc_err.code : LEAKSCAN_ERROR,
                                "built-in IAM escalation sets: %s", esc_err.msg);
    return 0;
}

/* ---- finding the policies of a file ---- */

#define MAX_DEPTH 64
#define MAX_STRING_DEPTH 2
#define PATH_MAX_LEN 512

struct walk {
    const struct iam_file *f;
    char path[PATH_MAX_LEN];
    size_t len;
    const struct leakscan_node *at; /* inside a string: its node */
    int endpoint;
    unsigned sdepth; /* strings parsed on the way here */
};

static size_t push(struct walk *wk, int slash, const char *comp)
{
    size_t old = wk->len, room = sizeof(wk->path) - wk->len;
    int n = snprintf(wk->path + wk->len, room, "%s%s", slash && wk->len ? "/" : "", comp);

    if (n > 0)
        wk->len += (size_t)n < room ? (size_t)n : room - 1;
    return old;
}

static void pop(struct walk *wk, size_t old)
{
    wk->len = old;
    wk->path[old] = '\0';
}

static int walk(struct walk *wk, const struct leakscan_node *n, unsigned depth);

/* The object prefix of a policy: the path, less a trailing PolicyDocument. */
static void where_of(struct walk *wk, struct iam_where *w, char *buf, size_t size)
{
    static const char suffix[] = "/PolicyDocument";
    size_t n = strlen(suffix);

    snprintf(buf, size, "%s", wk->path);
    if (wk->len > n && !strcmp(buf + wk->len - n, suffix))
        buf[wk->len - n] = '\0';
    w->f = wk->f;
    w->prefix = buf;
    w->at = wk->at;
    w->endpoint = wk->endpoint;
}

static const char aws_kind[] = "an AWS policy document";

/* A string that holds a JSON (or YAML flow) policy: "{ ... \"Statement\" ... }". */
static const char *embedded_kind(const struct leakscan_node *n)
{
    const char *s = n->value;
    size_t i = 0;

    while (i < n->len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    if (i >= n->len || s[i] != '{' || memchr(s, 0, n->len))
        return NULL;
    if (strstr(s, "\"Statement\""))
        return aws_kind;
    if (strstr(s, "\"bindings\""))
        return "a GCP IAM policy";
    return NULL;
}

static int walk_string(struct walk *wk, const struct leakscan_node *n, unsigned depth)
{
    const struct leakscan_node *saved = wk->at;
    struct leakscan_doc *doc = NULL;
    struct leakscan_err perr;
    struct iam_where w;
    char prefix[PATH_MAX_LEN];
    const char *kind;
    size_t i;
    int rc;

    if (wk->sdepth >= MAX_STRING_DEPTH || !(kind = embedded_kind(n)))
        return 0;
    leakscan_err_init(&perr);
    rc = leakscan_doc_parse(&doc, wk->f->origin->path ? wk->f->origin->path : "-", n->value, n->len,
                            NULL, &perr);
    if (rc == LEAKSCAN_ENOMEM)
        return leakscan_err_set(wk->f->err, rc, "%s", perr.msg);
    if (rc) {
        /* positions of the message are inside the string: drop the name */
        const char *msg = perr.msg, *p = strstr(perr.msg, ": ");
        if (p)
            msg = p + 2;
        if (kind != aws_kind)
            return 0;
        where_of(wk, &w, prefix, sizeof(prefix));
        return iam_report(&w, "iam-invalid-statement", -1, n, "", "unparsed",
                          "a string that holds %s does not parse (%s): it cannot be checked", kind,
                          msg);
    }
    wk->at = wk->at ? wk->at : n;
    wk->sdepth++;
    for (i = 0; i < doc->ndocs && !rc; i++)
        rc = walk(wk, doc->docs[i], depth + 1);
    wk->sdepth--;
    wk->at = saved;
    leakscan_doc_free(doc);
    return rc;
}

static int is_cfn(const struct leakscan_node *root)
{
    const struct leakscan_node *res = iam_get(root, "Resources", NULL);
    const char *type;
    size_t i;

    if (!res || res->type != LEAKSCAN_NODE_MAP)
        return 0;
    if (iam_get(root, "AWSTemplateFormatVersion", NULL))
        return 1;
    for (i = 0; i < res->count; i++) {
        type = iam_str(iam_get(res->items[2 * i + 1], "Type", NULL));
        if (type && !strncmp(type, "AWS::", 5))
            return 1;
    }
    return 0;
}

/* Resources by logical id: the object prefix starts with it. */
static int walk_cfn(struct walk *wk, const struct leakscan_node *root, unsigned depth)
{
    const struct leakscan_node *res = iam_get(root, "Resources", NULL), *r;
    const char *id, *type;
    size_t i, old;
    int rc = 0;

    for (i = 0; i < res->count && !rc; i++) {
        id = iam_str(res->items[2 * i]);
        r = res->items[2 * i + 1];
        if (!id)
            continue;
        type = iam_str(iam_get(r, "Type", NULL));
        wk->endpoint = type && !strcmp(type, "AWS::EC2::VPCEndpoint");
        old = push(wk, 1, id);
        rc = walk(wk, iam_get(r, "Properties", NULL), depth + 1);
        pop(wk, old);
        wk->endpoint = 0;
    }
    return rc;
}

static int walk(struct walk *wk, const struct leakscan_node *n, unsigned depth)
{
    const struct leakscan_node *k, *v;
    struct iam_where w;
    char prefix[PATH_MAX_LEN], idx[32];
    const char *key;
    size_t i, old;
    int rc = 0;

    if (!n || depth > MAX_DEPTH)
        return 0;
    switch (n->type) {
    case LEAKSCAN_NODE_SCALAR:
        return walk_string(wk, n, depth);
    case LEAKSCAN_NODE_SEQ:
        for (i = 0; i < n->count && !rc; i++) {
            snprintf(idx, sizeof(idx), "[%zu]", i);
            old = push(wk, 0, idx);
            rc = walk(wk, n->items[i], depth + 1);
            pop(wk, old);
        }
        return rc;
    case LEAKSCAN_NODE_MAP:
        break;
    }
    if (depth == 0 && !wk->sdepth && is_cfn(n))
        return walk_cfn(wk, n, depth);
    if (iam_is_aws_policy(n)) {
        where_of(wk, &w, prefix, sizeof(prefix));
        return iam_aws_policy(&w, n);
    }
    if (iam_is_gcp_policy(n)) {
        where_of(wk, &w, prefix, sizeof(prefix));
        return iam_gcp_policy(&w, n);
    }
    if (iam_is_azure_role(n)) {
        where_of(wk, &w, prefix, sizeof(prefix));
        return iam_azure_role(&w, n);
    }
    for (i = 0; i < n->count && !rc; i++) {
        k = n->items[2 * i];
        v = n->items[2 * i + 1];
        key = iam_str(k);
        if (!key)
            continue;
        if (!strcmp(key, "Fn::Sub")) {
            /* the template string stands for the value: no path component */
            rc = walk(wk, v->type == LEAKSCAN_NODE_SEQ && v->count ? v->items[0] : v, depth + 1);
            continue;
        }
        old = push(wk, 1, key);
        /* Serverless: provider.iamRoleStatements, provider.iam.role.statements */
        if ((!strcmp(key, "iamRoleStatements") || !strcmp(key, "statements")) &&
            iam_is_aws_statements(v)) {
            where_of(wk, &w, prefix, sizeof(prefix));
            rc = iam_aws_statements(&w, v);
        } else {
            rc = walk(wk, v, depth + 1);
        }
        pop(wk, old);
    }
    return rc;
}

int iam_lint_doc(const struct leakscan_lint_opts *o, const struct leakscan_doc *doc,
                 const struct leakscan_blob *blob, const struct leakscan_sink *sink,
                 struct leakscan_lint_stats *stats, struct leakscan_err *err)
{
    struct iam_file f;
    struct walk wk;
    size_t i;
    int rc = 0;

    (void)o; /* no in-file exemptions for IAM (JSON has no comments): use --baseline */
    (void)stats;
    if (!doc)
        return 0;
    memset(&f, 0, sizeof(f));
    f.origin = &blob->origin;
    f.sink = sink;
    f.err = err;
    if ((rc = iam_esc_builtin(&f.esc, err)) != 0)
        return rc;
    for (i = 0; i < doc->ndocs && !rc; i++) {
        memset(&wk, 0, sizeof(wk));
        wk.f = &f;
        rc = walk(&wk, doc->docs[i], 0);
    }
    return rc;
}
