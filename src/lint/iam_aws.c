/*
 * iam_aws.c - AWS policy documents: identity policies, resource policies
 * (bucket, key, secret, queue...) and trust policies.
 *
 * A document is read whole before anything is reported: every statement is
 * validated (a malformed one is reported as iam-invalid-statement and takes
 * no further part), then each Allow is checked, and a finding is dropped
 * when an unconditional Deny of the same document covers its action and
 * resource (IAM evaluates an explicit Deny first; a Deny with a Condition
 * may not apply, so it cancels nothing). Escalation sets are matched over
 * the whole document last.
 *
 * Statements with a Principal (resource and trust policies) are judged by
 * whom they let in: there, Resource "*" means the resource the policy is
 * attached to (a key policy's "*" is that key), so the checks about actions
 * on every resource apply to identity statements only.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iam_int.h"

enum { EFFECT_NONE, EFFECT_ALLOW, EFFECT_DENY };

struct stmt {
    const struct leakscan_node *node;
    char name[256]; /* Sid, or Statement[i] */
    int effect;
    const struct leakscan_node *action, *action_key; /* Action, or NotAction */
    int not_action;
    const struct leakscan_node *resource, *resource_key; /* Resource, or NotResource */
    int not_resource;
    const struct leakscan_node *principal, *principal_key; /* Principal, or NotPrincipal */
    int not_principal;
    const struct leakscan_node *condition;
    int invalid;              /* reported as iam-invalid-statement: no other check */
    int admin;                /* reported as iam-admin-access: its grants are not reported again */
    const char *passrole_res; /* the role ARN reported by iam-passrole-wildcard */
};

struct policy {
    const struct iam_where *w;
    struct stmt *s;
    size_t n;
    size_t *deny; /* the valid, unconditional Deny statements that apply to everyone */
    size_t ndeny;
};

/* ---- tables ---- */

/* Services whose wildcard reaches identities, keys and secrets. */
static const char *const sensitive_services[] = {"iam",           "sts", "kms", "secretsmanager",
                                                 "organizations", NULL};

/*
 * Actions that return a credential or a secret, or mint one, and that can be
 * scoped to resources (ecr:GetAuthorizationToken and sts:GetSessionToken
 * cannot: "*" is the only way to grant them, so they are not here).
 */
static const char *const credential_actions[] = {
    "iam:CreateAccessKey",
    "iam:UpdateAccessKey",
    "iam:CreateLoginProfile",
    "iam:UpdateLoginProfile",
    "iam:CreateServiceSpecificCredential",
    "iam:ResetServiceSpecificCredential",
    "secretsmanager:GetSecretValue",
    "secretsmanager:BatchGetSecretValue",
    "ssm:GetParameter",
    "ssm:GetParameters",
    "ssm:GetParametersByPath",
    "ssm:GetParameterHistory",
    "sts:GetFederationToken",
    "ec2:GetPasswordData",
    "redshift:GetClusterCredentials",
    "lightsail:GetInstanceAccessDetails",
    "lightsail:GetRelationalDatabaseMasterUserPassword",
    "codeartifact:GetAuthorizationToken",
    NULL};

/* Data and control actions that support resource-level permissions. */
static const char *const scoped_actions[] = {"s3:GetObject",
                                             "s3:GetObjectVersion",
                                             "s3:PutObject",
                                             "s3:DeleteObject",
                                             "s3:DeleteObjectVersion",
                                             "s3:PutObjectAcl",
                                             "s3:ListBucket",
                                             "s3:DeleteBucket",
                                             "s3:PutBucketPolicy",
                                             "s3:PutBucketAcl",
                                             "kms:Decrypt",
                                             "kms:Encrypt",
                                             "kms:ReEncryptFrom",
                                             "kms:GenerateDataKey",
                                             "kms:GenerateDataKeyWithoutPlaintext",
                                             "kms:CreateGrant",
                                             "kms:PutKeyPolicy",
                                             "kms:ScheduleKeyDeletion",
                                             "secretsmanager:PutSecretValue",
                                             "secretsmanager:UpdateSecret",
                                             "secretsmanager:DeleteSecret",
                                             "secretsmanager:PutResourcePolicy",
                                             "ssm:PutParameter",
                                             "ssm:DeleteParameter",
                                             "dynamodb:GetItem",
                                             "dynamodb:BatchGetItem",
                                             "dynamodb:Query",
                                             "dynamodb:Scan",
                                             "dynamodb:PutItem",
                                             "dynamodb:UpdateItem",
                                             "dynamodb:DeleteItem",
                                             "dynamodb:DeleteTable",
                                             "sqs:ReceiveMessage",
                                             "sqs:SendMessage",
                                             "sqs:DeleteMessage",
                                             "sqs:PurgeQueue",
                                             "sns:Publish",
                                             "lambda:InvokeFunction",
                                             "logs:GetLogEvents",
                                             "logs:FilterLogEvents",
                                             "logs:DeleteLogGroup",
                                             "kinesis:GetRecords",
                                             "kinesis:PutRecord",
                                             "ecr:BatchGetImage",
                                             "ecr:PutImage",
                                             "rds-db:connect",
                                             "rds:DeleteDBInstance",
                                             "ec2:TerminateInstances",
                                             "cloudformation:DeleteStack",
                                             "states:StartExecution",
                                             "sts:AssumeRole",
                                             NULL};

/* Condition keys that say who (or from where) may use a public Principal. */
static const char *const restricting_keys[] = {"aws:SourceArn",
                                               "aws:SourceAccount",
                                               "aws:SourceOwner",
                                               "aws:SourceOrgID",
                                               "aws:SourceOrgPaths",
                                               "aws:PrincipalOrgID",
                                               "aws:PrincipalOrgPaths",
                                               "aws:PrincipalArn",
                                               "aws:PrincipalAccount",
                                               "aws:SourceVpce",
                                               "aws:SourceVpc",
                                               "aws:SourceIp",
                                               "aws:VpcSourceIp",
                                               "aws:userid",
                                               "aws:username",
                                               "kms:CallerAccount",
                                               NULL};

static const char *const statement_keys[] = {
    "Sid",         "Effect",    "Action",       "NotAction", "Resource",
    "NotResource", "Principal", "NotPrincipal", "Condition", NULL};

/* ---- text helpers ---- */

static int all_star(const char *s, size_t n)
{
    size_t i;

    if (!n)
        return 0;
    for (i = 0; i < n; i++)
        if (s[i] != '*')
            return 0;
    return 1;
}

/* A `*` or `?` outside ${...} (policy variables and CloudFormation substitutions are concrete). */
static int has_wild(const char *s, size_t n)
{
    size_t i, depth = 0;

    for (i = 0; i < n; i++) {
        if (s[i] == '$' && i + 1 < n && s[i + 1] == '{') {
            depth++;
            i++;
        } else if (s[i] == '}' && depth) {
            depth--;
        } else if (!depth && (s[i] == '*' || s[i] == '?')) {
            return 1;
        }
    }
    return 0;
}

static int word_in(const char *s, size_t n, const char *const *words)
{
    size_t i;

    for (i = 0; words[i]; i++)
        if (strlen(words[i]) == n && !strncmp(words[i], s, n))
            return 1;
    return 0;
}

/* Service prefixes are case-insensitive (IAM:* is iam:*). */
static int sensitive(const char *svc, size_t n)
{
    char buf[32];
    size_t i;

    if (n >= sizeof(buf))
        return 0;
    memcpy(buf, svc, n);
    buf[n] = '\0';
    for (i = 0; sensitive_services[i]; i++)
        if (iam_streq_icase(buf, sensitive_services[i]))
            return 1;
    return 0;
}

enum { ACT_OTHER, ACT_SERVICE, ACT_ALL };

/* "*", "*:*": every action; "s3:*": every action of a service; else ACT_OTHER. */
static int action_class(const char *a, const char **svc, size_t *svclen)
{
    const char *colon = strchr(a, ':');

    if (all_star(a, strlen(a)))
        return ACT_ALL;
    if (!colon)
        return ACT_OTHER;
    if (!all_star(colon + 1, strlen(colon + 1)))
        return ACT_OTHER;
    if (all_star(a, (size_t)(colon - a)))
        return ACT_ALL;
    if (svc) {
        *svc = a;
        *svclen = (size_t)(colon - a);
    }
    return ACT_SERVICE;
}

/* arn:partition:service:region:account:resource; ':' inside ${...} does not split. */
struct arn {
    const char *part[6];
    size_t len[6];
};

static int arn_split(const char *s, struct arn *a)
{
    const char *p, *start = s;
    size_t k = 0, depth = 0;

    if (strncmp(s, "arn:", 4))
        return 0;
    for (p = s; *p; p++) {
        if (p[0] == '$' && p[1] == '{') {
            depth++;
            p++;
        } else if (*p == '}' && depth) {
            depth--;
        } else if (*p == ':' && !depth && k < 5) {
            a->part[k] = start;
            a->len[k] = (size_t)(p - start);
            k++;
            start = p + 1;
        }
    }
    if (k < 5)
        return 0;
    a->part[5] = start;
    a->len[5] = strlen(start);
    return 1;
}

static int arn_is(const struct arn *a, size_t i, const char *s)
{
    return a->len[i] == strlen(s) && !strncmp(a->part[i], s, a->len[i]);
}

/* The separator after a resource type ("role/x", "secret:x"), or NULL. */
static const char *type_sep(const char *r, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (r[i] == '$' && i + 1 < n && r[i + 1] == '{')
            return NULL; /* ${Type}...: concrete, unknown shape */
        if (r[i] == '/' || r[i] == ':')
            return r + i;
    }
    return NULL;
}

/*
 * A wildcard where a name belongs: the S3 bucket, or the name after a
 * resource type ("secret:" or "role/" and a star), or the whole resource part.
 */
static int name_open(const struct arn *a)
{
    const char *r = a->part[5], *sep;
    size_t n = a->len[5];

    if (arn_is(a, 2, "s3")) {
        sep = memchr(r, '/', n);
        return all_star(r, sep ? (size_t)(sep - r) : n);
    }
    sep = type_sep(r, n);
    if (!sep)
        return all_star(r, n);
    return has_wild(r, (size_t)(sep - r)) || all_star(sep + 1, n - (size_t)(sep + 1 - r));
}

/*
 * The resource part names nothing at all: stars and separators only
 * ("*", "*" "/" "*"), or a resource type with a bare star name ("role/" "*";
 * not for S3, whose first segment is the bucket's name).
 */
static int all_open(const struct arn *a)
{
    const char *r = a->part[5], *sep;
    size_t n = a->len[5], i;

    for (i = 0; i < n && (r[i] == '*' || r[i] == '/' || r[i] == ':'); i++)
        ;
    if (i == n)
        return has_wild(r, n);
    if (arn_is(a, 2, "s3") || !(sep = type_sep(r, n)) || has_wild(r, (size_t)(sep - r)))
        return 0;
    return all_star(sep + 1, n - (size_t)(sep + 1 - r));
}

static int part_open(const struct arn *a, size_t i)
{
    return !a->len[i] || all_star(a->part[i], a->len[i]);
}

/*
 * Every resource: "*", or an ARN open in region, account and name
 * (arn:aws:s3:::*, arn:aws:iam::*:role/ followed by a star).
 */
static int unrestricted(const char *r)
{
    struct arn a;

    if (all_star(r, strlen(r)))
        return 1;
    if (!arn_split(r, &a))
        return 0;
    return part_open(&a, 3) && part_open(&a, 4) && all_open(&a);
}

/* ---- nodes of a statement ---- */

static const char *elem(const struct leakscan_node *v, size_t i, const struct leakscan_node **at)
{
    const struct leakscan_node *e = iam_elem(v, i);

    if (at)
        *at = e;
    return iam_elem_text(e);
}

/* The first Resource element that is unrestricted (and its text), or NULL. */
static const struct leakscan_node *open_resource(const struct stmt *st, const char **text)
{
    const struct leakscan_node *at;
    const char *t;
    size_t i;

    if (!st->resource || st->not_resource)
        return NULL;
    for (i = 0; i < iam_nelems(st->resource); i++) {
        t = elem(st->resource, i, &at);
        if (t && unrestricted(t)) {
            *text = t;
            return at;
        }
    }
    return NULL;
}

static int values_restrict(const struct leakscan_node *v)
{
    const char *t;
    size_t i;

    for (i = 0; i < iam_nelems(v); i++) {
        t = elem(v, i, NULL);
        if (!t || !all_star(t, strlen(t)))
            return 1; /* a value, or an intrinsic function: something concrete */
    }
    return 0;
}

/* The Condition tests one of `keys` (any operator) with a value other than "*". */
static int cond_has(const struct leakscan_node *cond, const char *const *keys)
{
    const struct leakscan_node *block, *k;
    size_t i, j, x;

    if (!cond || cond->type != LEAKSCAN_NODE_MAP)
        return 0;
    for (i = 0; i < cond->count; i++) {
        block = cond->items[2 * i + 1];
        if (block->type != LEAKSCAN_NODE_MAP)
            continue;
        for (j = 0; j < block->count; j++) {
            k = block->items[2 * j];
            if (k->type != LEAKSCAN_NODE_SCALAR)
                continue;
            for (x = 0; keys[x]; x++)
                if (iam_streq_icase(k->value, keys[x]) && values_restrict(block->items[2 * j + 1]))
                    return 1;
        }
    }
    return 0;
}

/* The element that makes a Principal public ("*", {"AWS": "*"}, arn:aws:iam::*:root), or NULL. */
static const struct leakscan_node *public_principal(const struct leakscan_node *pr)
{
    const struct leakscan_node *aws, *at;
    const char *t;
    struct arn a;
    size_t i;

    if (!pr)
        return NULL;
    if (pr->type == LEAKSCAN_NODE_SCALAR)
        return all_star(pr->value, pr->len) ? pr : NULL;
    aws = iam_get(pr, "AWS", NULL);
    for (i = 0; i < iam_nelems(aws); i++) {
        t = elem(aws, i, &at);
        if (!t)
            continue;
        if (all_star(t, strlen(t)))
            return at;
        if (arn_split(t, &a) && arn_is(&a, 2, "iam") && has_wild(a.part[4], a.len[4]))
            return at;
    }
    return NULL;
}

/* ---- Deny ---- */

static int deny_actions_cover(const struct stmt *d, const char *act)
{
    const char *t;
    size_t i;

    for (i = 0; i < iam_nelems(d->action); i++) {
        t = elem(d->action, i, NULL);
        if (!d->not_action) {
            if (t && iam_glob_covers(t, act, 1))
                return 1;
        } else if (!t || iam_glob_meets(t, act, 1)) {
            return 0; /* the exception may let some of `act` through */
        }
    }
    return d->not_action;
}

static int deny_resources_cover(const struct stmt *d, const char *res)
{
    const char *t;
    size_t i;

    if (!d->resource)
        return 1; /* a trust policy: the role itself */
    for (i = 0; i < iam_nelems(d->resource); i++) {
        t = elem(d->resource, i, NULL);
        if (!d->not_resource) {
            if (t && (all_star(t, strlen(t)) || (res && iam_glob_covers(t, res, 0))))
                return 1;
        } else if (!res || !t || iam_glob_meets(t, res, 0)) {
            return 0;
        }
    }
    return d->not_resource;
}

/*
 * 1 when an unconditional Deny of the document covers action pattern `act`
 * on resource `res` (NULL: the resource the policy is attached to).
 */
static int denied(const struct policy *p, const char *act, const char *res)
{
    const struct stmt *d;
    size_t i;

    for (i = 0; i < p->ndeny; i++) {
        d = &p->s[p->deny[i]];
        if (deny_actions_cover(d, act) && deny_resources_cover(d, res))
            return 1;
    }
    return 0;
}

/* A Deny that counts: valid, no Condition, for everyone (not a Deny for someone else). */
static int counts_as_deny(const struct stmt *d)
{
    if (d->invalid || d->effect != EFFECT_DENY || d->condition || d->not_principal)
        return 0;
    return !d->principal || public_principal(d->principal) != NULL;
}

/* Every action of `st` denied on resource `res`. */
static int denied_actions(const struct policy *p, const struct stmt *st, const char *res)
{
    const char *t;
    size_t i;

    if (st->not_action)
        return 0;
    for (i = 0; i < iam_nelems(st->action); i++)
        if (!(t = elem(st->action, i, NULL)) || !denied(p, t, res))
            return 0;
    return 1;
}

/* Action `act` denied on every resource of `st`. */
static int denied_resources(const struct policy *p, const struct stmt *st, const char *act)
{
    const char *t;
    size_t i;

    if (!st->resource)
        return denied(p, act, NULL);
    if (st->not_resource)
        return 0;
    for (i = 0; i < iam_nelems(st->resource); i++)
        if (!(t = elem(st->resource, i, NULL)) || !denied(p, act, t))
            return 0;
    return 1;
}

/* ---- parsing and validation ---- */

static int invalid(struct policy *p, struct stmt *st, const struct leakscan_node *at,
                   const char *detail, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

static int invalid(struct policy *p, struct stmt *st, const struct leakscan_node *at,
                   const char *detail, const char *fmt, ...)
{
    char msg[768];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    st->invalid = 1;
    return iam_report(p->w, "iam-invalid-statement", -1, at, st->name, detail, "%s", msg);
}

/* "Actions" -> "Action", "effect" -> "Effect": the key meant, or NULL. */
static const char *meant_key(const char *k)
{
    size_t i, n = strlen(k);
    char buf[64];

    for (i = 0; statement_keys[i]; i++)
        if (iam_streq_icase(k, statement_keys[i]))
            return statement_keys[i];
    if (n > 1 && n < sizeof(buf) && (k[n - 1] == 's' || k[n - 1] == 'S')) {
        memcpy(buf, k, n - 1);
        buf[n - 1] = '\0';
        for (i = 0; statement_keys[i]; i++)
            if (iam_streq_icase(buf, statement_keys[i]))
                return statement_keys[i];
    }
    return NULL;
}

/*
 * A list that holds a list, or AWS::NoValue, is a CloudFormation function
 * whose YAML tag the tree does not keep (!If [Cond, [...], !Ref
 * AWS::NoValue], !Join ['', [...]]): resolved at deploy time, not checked.
 */
static int opaque(const struct leakscan_node *v)
{
    size_t i;

    if (v->type == LEAKSCAN_NODE_MAP)
        return 1; /* Fn::If, Fn::Join... in JSON form */
    for (i = 0; v->type == LEAKSCAN_NODE_SEQ && i < v->count; i++)
        if (v->items[i]->type == LEAKSCAN_NODE_SEQ || leakscan_node_is(v->items[i], "AWS::NoValue"))
            return 1;
    return 0;
}

static int check_elems(struct policy *p, struct stmt *st, const struct leakscan_node *v,
                       const char *field, int actions)
{
    const struct leakscan_node *e;
    const char *t, *colon;
    size_t i;
    int rc;

    if (opaque(v))
        return 0;
    if (v->type == LEAKSCAN_NODE_SEQ && !v->count)
        return invalid(p, st, v, field, "%s is an empty list: IAM rejects the statement", field);
    for (i = 0; actions && i < iam_nelems(v); i++) {
        e = iam_elem(v, i);
        if (!(t = iam_str(e)) || all_star(t, e->len))
            continue;
        colon = strchr(t, ':');
        if ((!colon || colon == t || !colon[1]) &&
            (rc = invalid(p, st, e, t,
                          "'%s' in %s is not a service:action name: IAM rejects the statement", t,
                          field)) != 0)
            return rc;
    }
    return 0;
}

/* Fill p->s[i] from `item`; report what makes it invalid. 0 or the sink's code. */
static int parse_stmt(struct policy *p, size_t i, const struct leakscan_node *item)
{
    const struct leakscan_node *a, *na, *r, *nr, *pr, *npr, *k, *ek, *e;
    struct stmt *st = &p->s[i];
    const char *sid, *key, *hint;
    size_t j;
    int rc;

    memset(st, 0, sizeof(*st));
    st->node = item;
    sid = iam_str(iam_get(item, "Sid", NULL));
    if (sid && *sid)
        snprintf(st->name, sizeof(st->name), "%s", sid);
    else
        snprintf(st->name, sizeof(st->name), "Statement[%zu]", i);
    if (item->type != LEAKSCAN_NODE_MAP)
        return invalid(p, st, item, "type", "the statement is %s, not a mapping: IAM rejects it",
                       leakscan_node_kind(item));
    for (j = 0; j < item->count; j++) {
        k = item->items[2 * j];
        key = iam_str(k);
        if (key && word_in(key, k->len, statement_keys))
            continue;
        hint = key ? meant_key(key) : NULL;
        if ((rc = invalid(p, st, k, key ? key : "key",
                          "unknown key '%s'%s%s%s: IAM rejects the statement",
                          key ? key : "(not a string)", hint ? " (did you mean '" : "",
                          hint ? hint : "", hint ? "'?)" : "")) != 0)
            return rc;
    }

    e = iam_get(item, "Effect", &ek);
    if (!e) {
        if ((rc = invalid(p, st, item, "no-effect",
                          "no Effect: IAM rejects the statement; write \"Effect\": \"Allow\" or "
                          "\"Deny\"")) != 0)
            return rc;
    } else if (leakscan_node_is(e, "Allow")) {
        st->effect = EFFECT_ALLOW;
    } else if (leakscan_node_is(e, "Deny")) {
        st->effect = EFFECT_DENY;
    } else if ((rc = invalid(p, st, e, "effect",
                             "Effect '%s' is neither \"Allow\" nor \"Deny\" (case matters): IAM "
                             "rejects the statement",
                             e->type == LEAKSCAN_NODE_SCALAR ? e->value : leakscan_node_kind(e))) !=
               0) {
        return rc;
    }

    a = iam_get(item, "Action", &k);
    na = iam_get(item, "NotAction", &ek);
    if (a && na) {
        if ((rc = invalid(p, st, ek, "action-notaction",
                          "both Action and NotAction: a statement takes one of them")) != 0)
            return rc;
    } else if (!a && !na) {
        if ((rc = invalid(p, st, item, "no-action",
                          "no Action or NotAction: IAM rejects the statement")) != 0)
            return rc;
    } else {
        st->action = a ? a : na;
        st->action_key = a ? k : ek;
        st->not_action = !a;
        if ((rc = check_elems(p, st, st->action, a ? "Action" : "NotAction", 1)) != 0)
            return rc;
    }

    pr = iam_get(item, "Principal", &k);
    npr = iam_get(item, "NotPrincipal", &ek);
    if (pr && npr) {
        if ((rc = invalid(p, st, ek, "principal-notprincipal",
                          "both Principal and NotPrincipal: a statement takes one of them")) != 0)
            return rc;
    } else if (pr || npr) {
        st->principal = pr ? pr : npr;
        st->principal_key = pr ? k : ek;
        st->not_principal = !pr;
    }

    r = iam_get(item, "Resource", &k);
    nr = iam_get(item, "NotResource", &ek);
    if (r && nr) {
        if ((rc = invalid(p, st, ek, "resource-notresource",
                          "both Resource and NotResource: a statement takes one of them")) != 0)
            return rc;
    } else if (!r && !nr) {
        /* trust policies name no resource: the role is the resource */
        if (!pr && !npr &&
            (rc = invalid(p, st, item, "no-resource",
                          "no Resource or NotResource in a statement without a Principal: IAM "
                          "rejects it in an identity policy")) != 0)
            return rc;
    } else {
        st->resource = r ? r : nr;
        st->resource_key = r ? k : ek;
        st->not_resource = !r;
        if ((rc = check_elems(p, st, st->resource, r ? "Resource" : "NotResource", 0)) != 0)
            return rc;
    }

    st->condition = iam_get(item, "Condition", &k);
    if (st->condition && st->condition->type == LEAKSCAN_NODE_MAP && !st->condition->count)
        st->condition = NULL; /* {}: no condition */
    if (st->condition && st->condition->type != LEAKSCAN_NODE_MAP && !opaque(st->condition))
        return invalid(p, st, st->condition, "condition",
                       "Condition is %s, not a mapping of operators: IAM rejects the statement",
                       leakscan_node_kind(st->condition));
    return 0;
}

/* ---- the checks of one Allow ---- */

/* "s3:GetObject, kms:Decrypt and 3 more" */
struct names {
    char buf[200];
    size_t n;
};

static void names_add(struct names *nm, const char *s)
{
    size_t len = strlen(nm->buf);

    if (nm->n < 3)
        snprintf(nm->buf + len, sizeof(nm->buf) - len, "%s%s", nm->n ? ", " : "", s);
    nm->n++;
}

static const char *names_str(struct names *nm, char *out, size_t size)
{
    if (nm->n > 3)
        snprintf(out, size, "%s and %zu more", nm->buf, nm->n - 3);
    else
        snprintf(out, size, "%s", nm->buf);
    return out;
}

/*
 * The first element of an Action list that grants `act` (not a service-wide
 * or total wildcard: those have their own finding), and its index in *idx.
 */
static const struct leakscan_node *grants(const struct stmt *st, const char *act, size_t *idx)
{
    const struct leakscan_node *at;
    const char *t;
    size_t i;

    for (i = 0; i < iam_nelems(st->action); i++) {
        t = elem(st->action, i, &at);
        if (t && action_class(t, NULL, NULL) == ACT_OTHER && iam_glob(t, act, 1)) {
            if (idx)
                *idx = i;
            return at;
        }
    }
    return NULL;
}

/* Every action of `st` denied on every one of its resources. */
static int denied_all(const struct policy *p, const struct stmt *st)
{
    const char *t;
    size_t i;

    if (st->not_resource)
        return 0;
    if (!st->resource)
        return denied_actions(p, st, NULL);
    for (i = 0; i < iam_nelems(st->resource); i++)
        if (!(t = elem(st->resource, i, NULL)) || !denied_actions(p, st, t))
            return 0;
    return 1;
}

static int check_principal(struct policy *p, struct stmt *st)
{
    const struct leakscan_node *pub;
    const char *what;

    if (st->not_principal)
        return iam_report(p->w, "iam-not-principal", -1, st->principal_key, st->name, NULL,
                          "Allow with NotPrincipal lets in every principal not listed, anonymous "
                          "users included: name the principals in Principal instead");
    if (!(pub = public_principal(st->principal)) || denied_all(p, st))
        return 0;
    if (pub == st->principal)
        what = "Principal \"*\"";
    else if (pub->type == LEAKSCAN_NODE_SCALAR && all_star(pub->value, pub->len))
        what = "Principal {\"AWS\": \"*\"}";
    else
        what = "a Principal ARN with a wildcard account";
    if (cond_has(st->condition, restricting_keys))
        return iam_report(p->w, "iam-public-principal", LEAKSCAN_SEV_LOW, pub, st->name, NULL,
                          "%s on Allow, restricted by a Condition on the caller (source ARN, "
                          "account, organization or network): check that it names only what "
                          "should get in",
                          what);
    if (p->w->endpoint)
        return iam_report(p->w, "iam-public-principal", LEAKSCAN_SEV_LOW, pub, st->name, NULL,
                          "%s in a VPC endpoint policy (the default): every caller in the VPC may "
                          "use the endpoint; narrow the actions and resources if it should not",
                          what);
    if (st->condition)
        return iam_report(p->w, "iam-public-principal", LEAKSCAN_SEV_HIGH, pub, st->name, NULL,
                          "%s on Allow with a Condition that does not say who may call (no "
                          "aws:SourceArn, aws:SourceAccount, aws:PrincipalOrgID...): anyone who "
                          "meets it gets in",
                          what);
    return iam_report(p->w, "iam-public-principal", -1, pub, st->name, NULL,
                      "%s on Allow without a Condition: anyone, in any AWS account or none, gets "
                      "in; name the principals, or add aws:SourceArn/aws:SourceAccount for a "
                      "service and aws:PrincipalOrgID for your organization",
                      what);
}

static int check_not(struct policy *p, struct stmt *st, const char *open_text)
{
    int rc = 0;

    if (st->not_action)
        rc = iam_report(p->w, "iam-not-action", open_text ? -1 : LEAKSCAN_SEV_MEDIUM,
                        st->action_key, st->name, NULL,
                        "Allow with NotAction grants every action of every service except the "
                        "listed ones%s: list the actions in Action instead",
                        open_text ? ", on every resource" : "");
    if (!rc && st->not_resource)
        rc = iam_report(p->w, "iam-not-resource", -1, st->resource_key, st->name, NULL,
                        "Allow with NotResource grants the actions on every resource except the "
                        "listed ones, in every account: list the resources in Resource instead");
    return rc;
}

static int check_actions(struct policy *p, struct stmt *st, const char *open_text)
{
    const struct leakscan_node *at;
    const char *t, *svc = NULL, *on;
    size_t i, svclen = 0;
    char svcname[64];
    int cls, sev, rc;

    for (i = 0; i < iam_nelems(st->action); i++) {
        t = elem(st->action, i, &at);
        if (!t || (cls = action_class(t, &svc, &svclen)) == ACT_OTHER)
            continue;
        if (cls == ACT_ALL && open_text && all_star(open_text, strlen(open_text))) {
            if (denied(p, t, open_text))
                continue;
            st->admin = 1;
            return iam_report(p->w, "iam-admin-access", st->condition ? LEAKSCAN_SEV_HIGH : -1, at,
                              st->name, NULL,
                              "Allow of Action \"%s\" on Resource \"%s\"%s: administrator access "
                              "to the whole account; grant the actions this principal calls, on "
                              "the resources it uses",
                              t, open_text, st->condition ? " (with a Condition)" : "");
        }
        if (denied_resources(p, st, t))
            continue;
        if (cls == ACT_ALL) {
            sev = open_text ? LEAKSCAN_SEV_HIGH : LEAKSCAN_SEV_MEDIUM;
            snprintf(svcname, sizeof(svcname), "every service");
        } else {
            sev = sensitive(svc, svclen) ? LEAKSCAN_SEV_HIGH : LEAKSCAN_SEV_MEDIUM;
            if (!open_text)
                sev = iam_lower(sev);
            snprintf(svcname, sizeof(svcname), "%.*s%s", (int)(svclen < 40 ? svclen : 40), svc,
                     sensitive(svc, svclen) ? " (a sensitive service)" : "");
        }
        if (st->condition)
            sev = iam_lower(sev);
        if (!open_text)
            on = "the named resources";
        else if (all_star(open_text, strlen(open_text)))
            on = "every resource";
        else
            on = open_text; /* an ARN that names nothing: arn:aws:s3:::* */
        if ((rc = iam_report(p->w, "iam-service-wildcard", sev, at, st->name, t,
                             "Allow of every action of %s (\"%s\") on %s: list the actions the "
                             "workload calls",
                             svcname, t, on)) != 0)
            return rc;
    }
    return 0;
}

static int check_open(struct policy *p, struct stmt *st, const struct leakscan_node *open_at,
                      const char *open_text)
{
    static const char *const passed_to_service[] = {"iam:PassedToService", NULL};
    const struct leakscan_node *at, *first = NULL, *rat;
    struct names cred, scoped;
    size_t i, idx = 0, first_idx = 0;
    char list[300];
    const char *t;
    int rc;

    memset(&cred, 0, sizeof(cred));
    memset(&scoped, 0, sizeof(scoped));
    if (open_text) {
        for (i = 0; credential_actions[i]; i++) {
            if (!(at = grants(st, credential_actions[i], &idx)) ||
                denied(p, credential_actions[i], open_text))
                continue;
            if (!first || idx < first_idx) {
                first = at; /* the position: the first granting element of the statement */
                first_idx = idx;
            }
            names_add(&cred, credential_actions[i]);
        }
        if (cred.n &&
            (rc = iam_report(p->w, "iam-credential-exposure",
                             st->condition ? LEAKSCAN_SEV_MEDIUM : -1, first, st->name, NULL,
                             "%s on Resource \"%s\": reads or mints credentials for every secret, "
                             "parameter or user of the account; name the ones it needs",
                             names_str(&cred, list, sizeof(list)), open_text)) != 0)
            return rc;
        for (i = 0; scoped_actions[i]; i++)
            if (grants(st, scoped_actions[i], NULL) && !denied(p, scoped_actions[i], open_text))
                names_add(&scoped, scoped_actions[i]);
        if (scoped.n &&
            (rc = iam_report(p->w, "iam-resource-wildcard", st->condition ? LEAKSCAN_SEV_LOW : -1,
                             open_at, st->name, NULL,
                             "Resource \"%s\" for %s, which can be scoped to ARNs: name the "
                             "buckets, keys, tables or queues it uses",
                             open_text, names_str(&scoped, list, sizeof(list)))) != 0)
            return rc;
    }

    /* iam:PassRole on every role, or on every role of an account */
    if (!(at = grants(st, "iam:PassRole", NULL)) || cond_has(st->condition, passed_to_service))
        return 0;
    for (i = 0; i < iam_nelems(st->resource) && !st->not_resource; i++) {
        struct arn a;
        t = elem(st->resource, i, &rat);
        if (!t ||
            !(unrestricted(t) || (arn_split(t, &a) && arn_is(&a, 2, "iam") &&
                                  (arn_is(&a, 5, "role/*") || all_star(a.part[5], a.len[5])))))
            continue;
        if (denied(p, "iam:PassRole", t))
            continue;
        st->passrole_res = t; /* not reported again as an ARN wildcard */
        return iam_report(p->w, "iam-passrole-wildcard", st->condition ? LEAKSCAN_SEV_MEDIUM : -1,
                          at, st->name, NULL,
                          "iam:PassRole on \"%s\" without an iam:PassedToService condition: "
                          "hands any role, admin roles included, to any service; name the roles "
                          "and the service (\"iam:PassedToService\": \"ec2.amazonaws.com\")",
                          t);
    }
    return 0;
}

static void add_word(char *buf, size_t size, const char *w)
{
    size_t len = strlen(buf);

    snprintf(buf + len, size - len, "%s%s", len ? ", " : "", w);
}

static int check_arns(struct policy *p, struct stmt *st)
{
    const struct leakscan_node *at;
    char why[128], suggest[512], name[256];
    const char *t, *r, *sep;
    size_t i, n;
    int sev, rc, account, region, part, nm;
    struct arn a;

    if (!st->resource || st->not_resource)
        return 0;
    for (i = 0; i < iam_nelems(st->resource); i++) {
        t = elem(st->resource, i, &at);
        if (!t || t == st->passrole_res || !arn_split(t, &a) || unrestricted(t))
            continue;
        part = has_wild(a.part[1], a.len[1]);
        region = has_wild(a.part[3], a.len[3]);
        account = has_wild(a.part[4], a.len[4]);
        nm = name_open(&a);
        if (!part && !region && !account && !nm)
            continue;
        if (denied_actions(p, st, t))
            continue;
        why[0] = '\0';
        if (part)
            add_word(why, sizeof(why), "any partition");
        if (region)
            add_word(why, sizeof(why), "any region");
        if (account)
            add_word(why, sizeof(why), "any account");
        if (nm)
            add_word(why, sizeof(why), arn_is(&a, 2, "s3") ? "any bucket" : "any name");
        /* the narrower form: placeholders where the wildcards are */
        r = a.part[5];
        n = a.len[5];
        if (!nm) {
            snprintf(name, sizeof(name), "%.*s", (int)(n < 200 ? n : 200), r);
        } else if (arn_is(&a, 2, "s3")) {
            sep = memchr(r, '/', n);
            snprintf(name, sizeof(name), "<bucket>%.*s", sep ? (int)(n - (size_t)(sep - r)) : 0,
                     sep ? sep : "");
        } else if ((sep = type_sep(r, n)) != NULL && !has_wild(r, (size_t)(sep - r))) {
            snprintf(name, sizeof(name), "%.*s<name>", (int)(sep + 1 - r), r);
        } else {
            snprintf(name, sizeof(name), "<name>");
        }
        snprintf(suggest, sizeof(suggest), "arn:%.*s:%.*s:%s%.*s:%s%.*s:%s",
                 part ? 3 : (int)a.len[1], part ? "aws" : a.part[1], (int)a.len[2], a.part[2],
                 region ? "<region>" : "", region ? 0 : (int)a.len[3], a.part[3],
                 account ? "<account-id>" : "", account ? 0 : (int)a.len[4], a.part[4], name);
        sev = account || nm ? LEAKSCAN_SEV_MEDIUM : LEAKSCAN_SEV_LOW;
        if ((rc = iam_report(p->w, "iam-arn-wildcard", sev, at, st->name, t,
                             "%s matches %s: narrow it to %s", t, why, suggest)) != 0)
            return rc;
    }
    return 0;
}

static int check_allow(struct policy *p, struct stmt *st)
{
    const struct leakscan_node *open_at;
    const char *open_text = NULL;
    int identity = !st->principal, rc;

    open_at = open_resource(st, &open_text);
    if (st->principal && (rc = check_principal(p, st)) != 0)
        return rc;
    if ((rc = check_not(p, st, open_text || st->not_resource ? "*" : NULL)) != 0)
        return rc;
    if (identity && !st->not_action) {
        if ((rc = check_actions(p, st, open_text)) != 0)
            return rc;
        if (!st->admin && (rc = check_open(p, st, open_at, open_text)) != 0)
            return rc;
    }
    return st->admin ? 0 : check_arns(p, st);
}

/* ---- escalation sets over the whole document ---- */

struct grant {
    const struct stmt *st;
    const struct leakscan_node *at;
    int specific; /* by a named action or pattern, not a service-wide wildcard or NotAction */
};

/* Whether some Allow grants `act` on unrestricted resources, without a Condition, not denied. */
static int granted(const struct policy *p, const char *act, struct grant *g)
{
    const struct leakscan_node *at;
    const struct stmt *st;
    const char *open_text, *t;
    size_t i, j;
    int specific;

    memset(g, 0, sizeof(*g));
    for (i = 0; i < p->n; i++) {
        st = &p->s[i];
        open_text = NULL;
        if (st->invalid || st->effect != EFFECT_ALLOW || st->condition || st->principal ||
            st->admin || !open_resource(st, &open_text) || denied(p, act, open_text))
            continue;
        at = NULL;
        specific = 0;
        if (st->not_action) {
            for (j = 0; j < iam_nelems(st->action); j++)
                if (!(t = elem(st->action, j, NULL)) || iam_glob(t, act, 1))
                    break;
            if (j < iam_nelems(st->action))
                continue;
            at = st->action_key; /* broad, like a wildcard: iam-not-action reports it */
        } else {
            for (j = 0; j < iam_nelems(st->action) && !at; j++) {
                t = elem(st->action, j, &at);
                if (!t || !iam_glob(t, act, 1))
                    at = NULL;
                else
                    specific = action_class(t, NULL, NULL) == ACT_OTHER;
            }
            if (!at)
                continue;
        }
        if (!g->at || (specific && !g->specific)) {
            g->st = st;
            g->at = at;
            g->specific = specific;
        }
        if (g->specific)
            break;
    }
    return g->at != NULL;
}

static int check_escalation(struct policy *p)
{
    const struct iam_esc_table *esc = p->w->f->esc;
    const struct iam_esc_set *s;
    struct grant g, first;
    char acts[256];
    size_t i, j, len;
    int rc;

    for (i = 0; esc && i < esc->n; i++) {
        s = &esc->sets[i];
        memset(&first, 0, sizeof(first));
        acts[0] = '\0';
        for (j = 0; j < s->nactions; j++) {
            if (!granted(p, s->actions[j], &g))
                break;
            if (g.specific && !first.specific)
                first = g;
            len = strlen(acts);
            snprintf(acts + len, sizeof(acts) - len, "%s%s", j ? " + " : "", s->actions[j]);
        }
        /*
         * a set granted only through service wildcards or NotAction is left
         * to iam-service-wildcard and iam-not-action
         */
        if (j < s->nactions || !first.specific)
            continue;
        if ((rc = iam_report(p->w, "iam-privilege-escalation", -1, first.at, first.st->name, s->id,
                             "privilege escalation '%s' (%s) granted on every resource: %s", s->id,
                             acts, s->description)) != 0)
            return rc;
    }
    return 0;
}

/* ---- documents ---- */

static int has_statement_key(const struct leakscan_node *n)
{
    return n && n->type == LEAKSCAN_NODE_MAP &&
           (iam_get(n, "Effect", NULL) || iam_get(n, "Action", NULL) ||
            iam_get(n, "NotAction", NULL));
}

int iam_is_aws_policy(const struct leakscan_node *n)
{
    const struct leakscan_node *s = iam_get(n, "Statement", NULL);
    size_t i;

    if (!s)
        return 0;
    if (iam_get(n, "Version", NULL))
        return 1;
    if (s->type == LEAKSCAN_NODE_MAP)
        return has_statement_key(s);
    if (s->type == LEAKSCAN_NODE_SEQ)
        for (i = 0; i < s->count; i++)
            if (has_statement_key(s->items[i]))
                return 1;
    return 0;
}

int iam_is_aws_statements(const struct leakscan_node *n)
{
    size_t i;

    if (!n || n->type != LEAKSCAN_NODE_SEQ || !n->count)
        return 0;
    for (i = 0; i < n->count; i++)
        if (!iam_get(n->items[i], "Effect", NULL) ||
            !(iam_get(n->items[i], "Action", NULL) || iam_get(n->items[i], "NotAction", NULL)))
            return 0;
    return 1;
}

static int lint_statements(const struct iam_where *w, const struct leakscan_node *list)
{
    struct policy p;
    size_t i;
    int rc = 0;

    memset(&p, 0, sizeof(p));
    p.w = w;
    p.n = list->type == LEAKSCAN_NODE_SEQ ? list->count : 1;
    if (!p.n)
        return 0;
    p.s = calloc(p.n, sizeof(*p.s));
    p.deny = calloc(p.n, sizeof(*p.deny));
    if (!p.s || !p.deny) {
        free(p.s);
        free(p.deny);
        return leakscan_err_set(w->f->err, LEAKSCAN_ENOMEM, "out of memory");
    }
    for (i = 0; i < p.n && !rc; i++)
        rc = parse_stmt(&p, i, list->type == LEAKSCAN_NODE_SEQ ? list->items[i] : list);
    for (i = 0; i < p.n && !rc; i++)
        if (counts_as_deny(&p.s[i]))
            p.deny[p.ndeny++] = i;
    for (i = 0; i < p.n && !rc; i++)
        if (!p.s[i].invalid && p.s[i].effect == EFFECT_ALLOW)
            rc = check_allow(&p, &p.s[i]);
    if (!rc)
        rc = check_escalation(&p);
    free(p.s);
    free(p.deny);
    return rc;
}

int iam_aws_statements(const struct iam_where *w, const struct leakscan_node *list)
{
    return lint_statements(w, list);
}

int iam_aws_policy(const struct iam_where *w, const struct leakscan_node *doc)
{
    const struct leakscan_node *v, *vk, *s;
    int rc;

    v = iam_get(doc, "Version", &vk);
    if (v && !leakscan_node_is(v, "2012-10-17") && !leakscan_node_is(v, "2008-10-17") &&
        (rc = iam_report(w, "iam-invalid-statement", -1, v, "Version", "version",
                         "Version '%s' is not a policy language version (\"2012-10-17\"): IAM "
                         "rejects the policy",
                         v->type == LEAKSCAN_NODE_SCALAR ? v->value : leakscan_node_kind(v))) != 0)
        return rc;
    s = iam_get(doc, "Statement", NULL);
    if (s->type == LEAKSCAN_NODE_SCALAR)
        return iam_report(w, "iam-invalid-statement", -1, s, "Statement", "statement",
                          "Statement is a string, not a statement or a list of statements: IAM "
                          "rejects the policy");
    return lint_statements(w, s);
}
