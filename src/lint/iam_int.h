/*
 * iam_int.h - what the parts of the IAM lint share (private to
 * src/lint/iam*.c): the escalation table, the per-file context, the
 * reporter, node and glob helpers.
 *
 * Files: iam.c (check table, escalation table, finding the policies in a
 * file: plain documents, CloudFormation templates, JSON strings), iam_aws.c
 * (AWS policy documents), iam_cloud.c (GCP IAM policies, Azure role
 * definitions), iam_util.c (globs, node helpers, the reporter).
 */
#ifndef LEAKSCAN_LINT_IAM_INT_H
#define LEAKSCAN_LINT_IAM_INT_H

#include <stddef.h>

#include "iam.h"
#include "leakscan/doc.h"

/* ---- the escalation sets (rules/iam/escalation.yaml) ---- */

struct iam_esc_set {
    const char *id;          /* "passrole-ec2" */
    const char *description; /* one line */
    const char **actions;    /* "iam:PassRole", ... (no wildcards) */
    size_t nactions;
};

/* A parsed escalation file. Read-only once built; strings borrowed from `doc`. */
struct iam_esc_table {
    struct iam_esc_set *sets;
    size_t n;
    /* private */
    struct leakscan_doc *doc;
    const char **actions; /* one array for every set's actions */
};

/*
 * Parse an escalation file (the format is documented at the top of
 * rules/iam/escalation.yaml). `name` names it in messages. 0, or
 * LEAKSCAN_EPARSE ("name:line:column: ...") / LEAKSCAN_ENOMEM with err set.
 * The caller frees *out with iam_esc_free() (NULL is a no-op).
 */
int iam_esc_parse(struct iam_esc_table **out, const char *name, const char *data, size_t len,
                  struct leakscan_err *err);
void iam_esc_free(struct iam_esc_table *t);

/*
 * The built-in table, parsed once for the process (pthread_once) and never
 * freed: *out is borrowed and read-only. An error here is a bug in the
 * embedded file (the unit test catches it); it is returned on every call.
 */
int iam_esc_builtin(const struct iam_esc_table **out, struct leakscan_err *err);

/* ---- one file, one policy document ---- */

struct iam_file {
    const struct leakscan_origin *origin;
    const struct leakscan_sink *sink;
    struct leakscan_err *err;
    const struct iam_esc_table *esc;
};

/* Where a policy document sits. */
struct iam_where {
    const struct iam_file *f;
    const char *prefix; /* object prefix: "" or "AppRole/Policies[0]" (no trailing '/') */
    /* a document parsed out of a string: every finding points at that string's node */
    const struct leakscan_node *at;
    int endpoint; /* a VPC endpoint policy, where Principal "*" is the default */
};

/*
 * Report a finding of `check` at node `at` (w->at wins when set) on object
 * prefix/object. `severity` -1 means the check's default. `detail` tells
 * apart several findings of one check on one object (fingerprint). Returns 0
 * or the sink's code.
 */
int iam_report(const struct iam_where *w, const char *check, int severity,
               const struct leakscan_node *at, const char *object, const char *detail,
               const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 7, 8)))
#endif
    ;

/* One severity lower, never below low. */
int iam_lower(int sev);

/* ---- node helpers ---- */

/* Map lookup that also gives the key node; NULL when absent. */
const struct leakscan_node *iam_get(const struct leakscan_node *map, const char *key,
                                    const struct leakscan_node **keyp);
/* The same, with an ASCII case-insensitive key (Azure writes Actions and actions). */
const struct leakscan_node *iam_get_icase(const struct leakscan_node *map, const char *key,
                                          const struct leakscan_node **keyp);
/* The text of a scalar, or NULL for anything else. */
const char *iam_str(const struct leakscan_node *n);

/*
 * A field that is a string or a list of strings ("Action": "s3:GetObject" or
 * [...]): the number of elements and the i-th one (NULL past the end).
 */
size_t iam_nelems(const struct leakscan_node *v);
const struct leakscan_node *iam_elem(const struct leakscan_node *v, size_t i);
/*
 * The text of an element: a scalar, or the template string of a
 * CloudFormation {"Fn::Sub": ...}. NULL for other intrinsic functions (Ref,
 * Fn::Join...), which name something concrete but unknown here.
 */
const char *iam_elem_text(const struct leakscan_node *e);

/* ASCII case-insensitive equality. */
int iam_streq_icase(const char *a, const char *b);

/* ---- globs: `*` any run, `?` one character ---- */

/* 1 when pattern `pat` matches the text `s`. */
int iam_glob(const char *pat, const char *s, int icase);
/* 1 when `wide` matches every string that `narrow` (a pattern too) matches. */
int iam_glob_covers(const char *wide, const char *narrow, int icase);
/* 1 when some string matches both patterns (conservatively 1 for huge ones). */
int iam_glob_meets(const char *a, const char *b, int icase);

/* ---- the document kinds ---- */

/* An AWS policy document: {"Version"?, "Statement": ...}. */
int iam_is_aws_policy(const struct leakscan_node *n);
/* A list of bare statements (Serverless iamRoleStatements). */
int iam_is_aws_statements(const struct leakscan_node *n);
int iam_aws_policy(const struct iam_where *w, const struct leakscan_node *doc);
int iam_aws_statements(const struct iam_where *w, const struct leakscan_node *list);

/* A GCP IAM policy: {"bindings": [{"role", "members", "condition"?}]}. */
int iam_is_gcp_policy(const struct leakscan_node *n);
int iam_gcp_policy(const struct iam_where *w, const struct leakscan_node *policy);

/* An Azure role definition (az CLI, REST or ARM form). */
int iam_is_azure_role(const struct leakscan_node *n);
int iam_azure_role(const struct iam_where *w, const struct leakscan_node *role);

#endif
