/*
 * k8s_int.h - what the parts of the Kubernetes lint share (private to
 * src/lint/k8s*.c): the per-file and per-object context, the reporter that
 * applies `leakscan.io/allow` annotations, node helpers, and the records kept
 * in the shared state for the checks that run in k8s_lint_finish().
 *
 * Files: k8s.c (table, state, parsing, dispatch, finish), k8s_rbac.c (Role
 * rules, bindings), k8s_pod.c (pod security), k8s_data.c (Secret,
 * ConfigMap, env literals).
 */
#ifndef LEAKSCAN_LINT_K8S_INT_H
#define LEAKSCAN_LINT_K8S_INT_H

#include <pthread.h>
#include <stddef.h>

#include "k8s.h"
#include "leakscan/doc.h"

/* One file being linted (or, in k8s_lint_finish, one recorded origin). */
struct k8s_file {
    struct k8s_state *s;
    const struct leakscan_lint_opts *o;
    struct leakscan_scanner *sc; /* NULL in finish */
    const struct leakscan_origin *origin;
    const struct leakscan_sink *sink;
    struct leakscan_lint_stats *stats;
    struct leakscan_err *err;
    /*
     * The file holds Go template syntax ({{ }}) yet parsed: a field that is
     * absent may be injected when the chart renders, so checks that fire on
     * an absent field (run as root, allowPrivilegeEscalation, token
     * automount) stay quiet; explicit settings are still checked.
     */
    int templated;
};

/* One object of that file. */
struct k8s_obj {
    struct k8s_file *f;
    const struct leakscan_node *root;
    const char *kind;
    const char *ns;         /* metadata.namespace, or NULL */
    const char *name;       /* metadata.name (or generateName), or NULL */
    const char *object;     /* "Kind/namespace/name", see k8s_object_name() */
    const char *allow;      /* the object's leakscan.io/allow annotation, or NULL */
    const char *tmpl_allow; /* the pod template's, while its spec is checked */
};

/* The annotation that suppresses checks: `leakscan.io/allow: id[,id]`. */
#define K8S_ALLOW_ANNOTATION "leakscan.io/allow"

/* 1 when `list` (ids separated by commas and/or blanks) names `id`. */
int k8s_allow_has(const char *list, const char *id);

/*
 * Report a finding of check `check` on the object at node `at` (its line and
 * column; NULL: the object's), unless an annotation allows it (then
 * stats->suppressed++). `severity` -1 means the check's default. `detail`
 * tells apart several findings of one check on one object (fingerprint).
 * Returns 0 or the sink's code.
 */
int k8s_report(const struct k8s_obj *ob, const char *check, int severity,
               const struct leakscan_node *at, const char *detail, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

/* Node helpers. */
/* Map lookup that also gives the key node (for positions); NULL when absent. */
const struct leakscan_node *k8s_get(const struct leakscan_node *map, const char *key,
                                    const struct leakscan_node **keyp);
/* The text of a scalar, or NULL for anything else. */
const char *k8s_str(const struct leakscan_node *n);
/* YAML 1.1 booleans as sigs.k8s.io/yaml reads them (true/yes/on...). */
int k8s_is_true(const struct leakscan_node *n);
int k8s_is_false(const struct leakscan_node *n);
/* A scalar integer into *v: 1 when it is one. */
int k8s_int(const struct leakscan_node *n, long long *v);
/* 1 when a scalar holds a template or placeholder ({{ }}, ${X}, <your-key>, changeme...). */
int k8s_is_placeholder(const char *s, size_t len);

/* k8s_data.c */
int k8s_check_secret(const struct k8s_obj *ob);
int k8s_check_configmap(const struct k8s_obj *ob);
/* env[] literals of one container; `cname` names it in messages. */
int k8s_check_env(const struct k8s_obj *ob, const struct leakscan_node *container,
                  const char *cname);
/* 1 when a variable or key name looks like it holds a credential (DB_PASSWORD, apiKey...). */
int k8s_credential_name(const char *s, size_t len);
/* 1 when a literal value under a credential name looks like a real credential. */
int k8s_credential_value(const char *s, size_t len);

/* k8s_pod.c: the pod spec of Pods and workload templates. */
int k8s_check_workload(struct k8s_obj *ob);
/* Token automount left to the ServiceAccount: decided against the scan's ServiceAccounts. */
int k8s_pod_finish(struct k8s_state *s, const struct k8s_file *f);

/* k8s_rbac.c */
int k8s_check_role(const struct k8s_obj *ob, int cluster);
int k8s_check_binding(const struct k8s_obj *ob, int cluster);
int k8s_rbac_finish(struct k8s_state *s, const struct k8s_file *f);

/* The shared state (k8s.c): records copied under the state's lock. */

struct k8s_kv {
    const char *k, *v;
};

/* A Role or ClusterRole: what a binding to it grants. */
struct k8s_role_rec {
    int cluster;
    const char *ns; /* "-" when absent or cluster-scoped */
    const char *name;
    const char *path;
    unsigned line, column;
    struct k8s_kv *labels;
    size_t nlabels;
    /* aggregationRule: a ClusterRole matching any selector (all of its labels) adds its rules */
    struct k8s_kv **selectors;
    size_t *nselector;
    size_t nselectors;
    unsigned risks; /* K8S_RISK_* of its own rules */
};

struct k8s_subject {
    const char *kind, *name, *ns; /* ns NULL when absent */
    unsigned line, column;
};

struct k8s_binding_rec {
    int cluster;
    const char *ns; /* "-" when absent */
    const char *object;
    const char *path;
    const char *allow; /* the annotation, or NULL (already NULL under --no-annotations) */
    const char *ref_kind, *ref_name;
    unsigned line, column;         /* the object */
    unsigned ref_line, ref_column; /* roleRef */
    struct k8s_subject *subjects;
    size_t nsubjects;
};

/* A ServiceAccount that turns off token automounting for its pods. */
struct k8s_sa_rec {
    const char *ns, *name;
};

/* A pod spec that leaves automountServiceAccountToken unset: decided in finish. */
struct k8s_automount_rec {
    const char *path, *object, *allow;
    const char *ns, *sa; /* the ServiceAccount whose setting it inherits */
    unsigned line, column;
};

/* Strings and arrays copied into the state live in an arena freed with it. */
struct k8s_chunk;

struct k8s_state {
    pthread_mutex_t lock; /* k8s_lint_file runs on several threads */
    struct k8s_chunk *arena;
    struct k8s_role_rec *roles;
    size_t nroles, cap_roles;
    struct k8s_binding_rec *bindings;
    size_t nbindings, cap_bindings;
    struct k8s_sa_rec *sas;
    size_t nsas, cap_sas;
    struct k8s_automount_rec *automounts;
    size_t nautomounts, cap_automounts;
};

/* Copy into the state (locks it). The strings of `r` are borrowed. 0 or LEAKSCAN_ENOMEM. */
int k8s_state_add_role(struct k8s_state *s, const struct k8s_role_rec *r);
int k8s_state_add_binding(struct k8s_state *s, const struct k8s_binding_rec *b);
int k8s_state_add_sa(struct k8s_state *s, const struct k8s_sa_rec *sa);
int k8s_state_add_automount(struct k8s_state *s, const struct k8s_automount_rec *a);

/* Risks that a role grants (a binding inherits them). */
enum {
    K8S_RISK_WILDCARD_ALL = 1u << 0,  /* * verbs on * resources in * groups */
    K8S_RISK_ESCALATE = 1u << 1,      /* bind/escalate on roles, impersonate */
    K8S_RISK_SECRETS_READ = 1u << 2,  /* get/list/watch secrets, no resourceNames */
    K8S_RISK_TOKEN_CREATE = 1u << 3,  /* create serviceaccounts/token */
    K8S_RISK_POD_EXEC = 1u << 4,      /* pods/exec, pods/attach */
    K8S_RISK_NODE_PROXY = 1u << 5,    /* nodes/proxy */
    K8S_RISK_WORKLOAD = 1u << 6,      /* create/update pods or workloads */
    K8S_RISK_WILDCARD_VERBS = 1u << 7 /* * verbs on a sensitive resource */
};

#endif
