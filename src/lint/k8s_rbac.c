/*
 * k8s_rbac.c - over-broad RBAC: every rule of every Role and ClusterRole,
 * and, at finish, every RoleBinding and ClusterRoleBinding resolved against
 * the roles of the whole scan (RoleBinding -> Role in its namespace,
 * RoleBinding -> ClusterRole, ClusterRoleBinding -> ClusterRole, and
 * aggregationRule followed).
 *
 * A rule grants a risk when its apiGroups, resources and verbs all match
 * the risk's (group, resource, verbs), where `*` matches anything. Rule
 * findings name a risk only when the rule names the resource (or, for
 * bind/escalate/impersonate, the verb); a risk that comes through `*` is
 * reported once by the wildcard check, which lists what the `*` grants, so
 * one `*` does not give seven findings. Bindings inherit every risk, however
 * it was granted.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8s_int.h"

#define RBAC_GROUP "rbac.authorization.k8s.io"

/* What a risk is called, the check that reports it and its severity by scope. */
struct risk_info {
    unsigned bit;
    const char *what;
    const char *check;
    int sev_cluster; /* ClusterRole / ClusterRoleBinding */
    int sev_ns;      /* Role / RoleBinding; -1: does not apply in a namespace */
};

static const struct risk_info RISKS[] = {
    {K8S_RISK_WILDCARD_ALL, "every verb on every resource (full control)", "k8s-rbac-wildcard-all",
     LEAKSCAN_SEV_CRITICAL, LEAKSCAN_SEV_HIGH},
    {K8S_RISK_ESCALATE, "binding or escalating roles, impersonation", "k8s-rbac-escalation-verbs",
     LEAKSCAN_SEV_CRITICAL, LEAKSCAN_SEV_HIGH},
    {K8S_RISK_SECRETS_READ, "reading secrets", "k8s-rbac-secrets-read", LEAKSCAN_SEV_CRITICAL,
     LEAKSCAN_SEV_HIGH},
    {K8S_RISK_TOKEN_CREATE, "minting service account tokens", "k8s-rbac-token-create",
     LEAKSCAN_SEV_CRITICAL, LEAKSCAN_SEV_HIGH},
    {K8S_RISK_POD_EXEC, "exec/attach into pods", "k8s-rbac-pod-exec", LEAKSCAN_SEV_HIGH,
     LEAKSCAN_SEV_HIGH},
    {K8S_RISK_NODE_PROXY, "the kubelet API through nodes/proxy", "k8s-rbac-node-proxy",
     LEAKSCAN_SEV_HIGH, -1},
    {K8S_RISK_WORKLOAD, "creating or changing pods and workloads", "k8s-rbac-workload-create",
     LEAKSCAN_SEV_HIGH, LEAKSCAN_SEV_MEDIUM},
    {K8S_RISK_WILDCARD_VERBS, "every verb on sensitive resources", "k8s-rbac-wildcard-verbs",
     LEAKSCAN_SEV_HIGH, LEAKSCAN_SEV_MEDIUM},
};

#define NRISKS (sizeof(RISKS) / sizeof(*RISKS))

/* "reading secrets, exec/attach into pods" for a risk mask, into buf. */
static void risk_names(unsigned risks, char *buf, size_t size)
{
    size_t i, used = 0;

    if (size)
        buf[0] = '\0';
    for (i = 0; i < NRISKS && used < size; i++)
        if (risks & RISKS[i].bit)
            used +=
                (size_t)snprintf(buf + used, size - used, "%s%s", used ? ", " : "", RISKS[i].what);
}

/* A (group, resource, verbs) that grants a risk. */
struct risk_spec {
    unsigned bit;
    const char *group;
    const char *resource;
    const char *verbs[6];
    int by_verb; /* named by the verb (impersonate...), not by the resource */
};

static const struct risk_spec SPECS[] = {
    {K8S_RISK_SECRETS_READ, "", "secrets", {"get", "list", "watch"}, 0},
    /* exec over WebSocket needs only get on older API servers */
    {K8S_RISK_POD_EXEC, "", "pods/exec", {"create", "get"}, 0},
    {K8S_RISK_POD_EXEC, "", "pods/attach", {"create", "get"}, 0},
    {K8S_RISK_NODE_PROXY, "", "nodes/proxy", {"get", "create", "update", "patch", "delete"}, 0},
    {K8S_RISK_TOKEN_CREATE, "", "serviceaccounts/token", {"create"}, 0},
    /* a new pod (or a changed image) runs as any ServiceAccount and mounts any Secret */
    {K8S_RISK_WORKLOAD, "", "pods", {"create", "update", "patch"}, 0},
    {K8S_RISK_WORKLOAD, "", "replicationcontrollers", {"create", "update", "patch"}, 0},
    {K8S_RISK_WORKLOAD, "apps", "deployments", {"create", "update", "patch"}, 0},
    {K8S_RISK_WORKLOAD, "apps", "daemonsets", {"create", "update", "patch"}, 0},
    {K8S_RISK_WORKLOAD, "apps", "statefulsets", {"create", "update", "patch"}, 0},
    {K8S_RISK_WORKLOAD, "apps", "replicasets", {"create", "update", "patch"}, 0},
    {K8S_RISK_WORKLOAD, "extensions", "deployments", {"create", "update", "patch"}, 0},
    {K8S_RISK_WORKLOAD, "extensions", "daemonsets", {"create", "update", "patch"}, 0},
    {K8S_RISK_WORKLOAD, "extensions", "replicasets", {"create", "update", "patch"}, 0},
    {K8S_RISK_WORKLOAD, "batch", "jobs", {"create", "update", "patch"}, 0},
    {K8S_RISK_WORKLOAD, "batch", "cronjobs", {"create", "update", "patch"}, 0},
    {K8S_RISK_ESCALATE, RBAC_GROUP, "roles", {"bind", "escalate"}, 1},
    {K8S_RISK_ESCALATE, RBAC_GROUP, "clusterroles", {"bind", "escalate"}, 1},
    {K8S_RISK_ESCALATE, "", "users", {"impersonate"}, 1},
    {K8S_RISK_ESCALATE, "", "groups", {"impersonate"}, 1},
    {K8S_RISK_ESCALATE, "", "serviceaccounts", {"impersonate"}, 1},
    {K8S_RISK_ESCALATE, "authentication.k8s.io", "uids", {"impersonate"}, 1},
    {K8S_RISK_ESCALATE, "authentication.k8s.io", "userextras", {"impersonate"}, 1},
};

/* Resources where `*` verbs are dangerous in themselves (group, resource). */
static const char *const SENSITIVE[][2] = {
    {"", "secrets"},
    {"", "pods"},
    {"", "pods/exec"},
    {"", "pods/attach"},
    {"", "serviceaccounts"},
    {"", "serviceaccounts/token"},
    {"", "nodes"},
    {"", "nodes/proxy"},
    {"", "persistentvolumes"},
    {"", "users"},
    {"", "groups"},
    {RBAC_GROUP, "roles"},
    {RBAC_GROUP, "rolebindings"},
    {RBAC_GROUP, "clusterroles"},
    {RBAC_GROUP, "clusterrolebindings"},
    {"apps", "deployments"},
    {"apps", "daemonsets"},
    {"apps", "statefulsets"},
    {"apps", "replicasets"},
    {"batch", "jobs"},
    {"batch", "cronjobs"},
    {"certificates.k8s.io", "certificatesigningrequests"},
    {"certificates.k8s.io", "certificatesigningrequests/approval"},
    {"admissionregistration.k8s.io", "mutatingwebhookconfigurations"},
    {"admissionregistration.k8s.io", "validatingwebhookconfigurations"},
};

/* The i-th string of a list (a lone scalar counts as a list of one). */
static const char *item(const struct leakscan_node *n, size_t i)
{
    if (!n)
        return NULL;
    if (n->type == LEAKSCAN_NODE_SCALAR)
        return i == 0 ? n->value : NULL;
    if (n->type != LEAKSCAN_NODE_SEQ || i >= n->count)
        return NULL;
    return k8s_str(n->items[i]);
}

static size_t nitems(const struct leakscan_node *n)
{
    if (!n)
        return 0;
    return n->type == LEAKSCAN_NODE_SCALAR ? 1 : n->type == LEAKSCAN_NODE_SEQ ? n->count : 0;
}

static int has_star(const struct leakscan_node *n)
{
    size_t i;

    for (i = 0; i < nitems(n); i++)
        if (item(n, i) && !strcmp(item(n, i), "*"))
            return 1;
    return 0;
}

/* 2: `want` is named; 1: it is matched by `*`; 0: not granted. */
static int match_plain(const struct leakscan_node *n, const char *want)
{
    const char *s;
    size_t i;
    int best = 0;

    for (i = 0; i < nitems(n); i++) {
        if (!(s = item(n, i)))
            continue;
        if (!strcmp(s, want))
            return 2;
        if (!strcmp(s, "*"))
            best = 1;
    }
    return best;
}

/* Resources also match by subresource: pods/exec is named by "pods/<star>" and "<star>/exec". */
static int match_resource(const struct leakscan_node *n, const char *want)
{
    const char *s, *slash = strchr(want, '/');
    size_t i, base = slash ? (size_t)(slash - want) : 0, slen;
    int best = 0;

    for (i = 0; i < nitems(n); i++) {
        if (!(s = item(n, i)))
            continue;
        if (!strcmp(s, want))
            return 2;
        if (!strcmp(s, "*")) {
            best = 1;
            continue;
        }
        slen = strlen(s);
        if (slash && slen == base + 2 && !memcmp(s, want, base) && !strcmp(s + base, "/*"))
            return 2;
        if (slash && s[0] == '*' && s[1] == '/' && !strcmp(s + 1, slash))
            return 2;
    }
    return best;
}

/* Rule-level findings and the risks the rule grants. */
struct rule_eval {
    unsigned risks; /* every risk, through * too */
    unsigned named; /* risks whose resource (or verb) the rule names */
    int sensitive;  /* names a SENSITIVE resource */
};

static void eval_rule(const struct leakscan_node *rule, struct rule_eval *e)
{
    static char empty[1];
    static const struct leakscan_node core = {.type = LEAKSCAN_NODE_SCALAR, .value = empty};
    const struct leakscan_node *groups = k8s_get(rule, "apiGroups", NULL);
    const struct leakscan_node *res = k8s_get(rule, "resources", NULL);
    const struct leakscan_node *verbs = k8s_get(rule, "verbs", NULL);
    size_t i, j;
    int g, r, v, m;

    memset(e, 0, sizeof(*e));
    /* the API requires apiGroups on resource rules; read a missing one as the core group */
    if (!groups)
        groups = &core;
    for (i = 0; i < sizeof(SPECS) / sizeof(*SPECS); i++) {
        const struct risk_spec *sp = &SPECS[i];

        g = match_plain(groups, sp->group);
        r = match_resource(res, sp->resource);
        for (v = 0, j = 0; j < sizeof(sp->verbs) / sizeof(*sp->verbs) && sp->verbs[j]; j++)
            if ((m = match_plain(verbs, sp->verbs[j])) > v)
                v = m;
        if (!g || !r || !v)
            continue;
        /* resourceNames narrows reading secrets to the ones named */
        if (sp->bit == K8S_RISK_SECRETS_READ && nitems(k8s_get(rule, "resourceNames", NULL)))
            continue;
        e->risks |= sp->bit;
        if ((sp->by_verb ? v : r) == 2)
            e->named |= sp->bit;
    }
    for (i = 0; i < sizeof(SENSITIVE) / sizeof(*SENSITIVE) && !e->sensitive; i++)
        e->sensitive =
            match_plain(groups, SENSITIVE[i][0]) && match_resource(res, SENSITIVE[i][1]) == 2;
    if (has_star(verbs) && e->sensitive)
        e->risks |= K8S_RISK_WILDCARD_VERBS;
    if (has_star(groups) && has_star(res) && has_star(verbs))
        e->risks |= K8S_RISK_WILDCARD_ALL;
}

static int rule_findings(const struct k8s_obj *ob, int cluster, const struct leakscan_node *rule,
                         size_t idx, const struct rule_eval *e)
{
    const struct leakscan_node *gk, *rk, *vk;
    const char *scope = cluster ? "cluster-wide" : "in its namespace";
    char detail[32], grants[256];
    size_t i;
    int rc;

    k8s_get(rule, "apiGroups", &gk);
    k8s_get(rule, "resources", &rk);
    k8s_get(rule, "verbs", &vk);
    snprintf(detail, sizeof(detail), "rules[%zu]", idx);
    risk_names(e->risks & ~(unsigned)K8S_RISK_WILDCARD_ALL, grants, sizeof(grants));
    if (e->risks & K8S_RISK_WILDCARD_ALL)
        /* the rule is the admin role: anything more would repeat it */
        return k8s_report(ob, "k8s-rbac-wildcard-all",
                          cluster ? LEAKSCAN_SEV_CRITICAL : LEAKSCAN_SEV_HIGH, rule, detail,
                          "rules[%zu] grants every verb on every resource of every API group "
                          "(%s): that is %s; grant the verbs and resources the subject needs",
                          idx, scope, cluster ? "cluster-admin" : "namespace admin");
    if (has_star(k8s_get(rule, "verbs", NULL))) {
        const struct leakscan_node *res = k8s_get(rule, "resources", NULL);
        char list[128] = "";
        size_t used = 0;

        for (i = 0; i < nitems(res) && used < sizeof(list); i++)
            if (item(res, i))
                used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s", used ? ", " : "",
                                         item(res, i));
        rc = k8s_report(ob, "k8s-rbac-wildcard-verbs",
                        e->sensitive || has_star(res) ? LEAKSCAN_SEV_HIGH : -1, vk, detail,
                        "rules[%zu] allows verbs '*'%s%s (also verbs added in future "
                        "versions)%s%s",
                        idx, *list ? " on " : "", list, *grants ? ": grants " : "", grants);
        if (rc)
            return rc;
    }
    if (has_star(k8s_get(rule, "resources", NULL)) &&
        (rc = k8s_report(ob, "k8s-rbac-wildcard-resources", e->risks ? LEAKSCAN_SEV_HIGH : -1, rk,
                         detail, "rules[%zu] covers resources '*' (also resources added later)%s%s",
                         idx, *grants ? ": grants " : "", grants)) != 0)
        return rc;
    if (has_star(k8s_get(rule, "apiGroups", NULL)) &&
        (rc = k8s_report(ob, "k8s-rbac-wildcard-apigroups", e->risks ? LEAKSCAN_SEV_MEDIUM : -1, gk,
                         detail,
                         "rules[%zu] covers apiGroups '*': the resources in every API group, "
                         "custom ones included%s%s",
                         idx, *grants ? "; grants " : "", grants)) != 0)
        return rc;
    for (i = 0; i < NRISKS; i++) {
        const struct risk_info *ri = &RISKS[i];
        const struct leakscan_node *at = ri->bit == K8S_RISK_ESCALATE ? vk : rk;

        if (!(e->named & ri->bit))
            continue;
        switch (ri->bit) {
        case K8S_RISK_SECRETS_READ:
            rc = k8s_report(ob, ri->check, -1, at, detail,
                            "rules[%zu] reads secrets %s without resourceNames: every Secret, "
                            "service account tokens and TLS keys included",
                            idx, scope);
            break;
        case K8S_RISK_ESCALATE:
            rc = k8s_report(ob, ri->check, cluster ? LEAKSCAN_SEV_CRITICAL : LEAKSCAN_SEV_HIGH, at,
                            detail,
                            "rules[%zu] grants bind/escalate/impersonate (%s): the subject can "
                            "give itself, or act with, permissions it does not have",
                            idx, scope);
            break;
        case K8S_RISK_POD_EXEC:
            rc = k8s_report(ob, ri->check, -1, at, detail,
                            "rules[%zu] allows pods/exec or pods/attach (%s): a shell in any pod, "
                            "with its ServiceAccount and mounted secrets",
                            idx, scope);
            break;
        case K8S_RISK_NODE_PROXY:
            /* nodes are cluster-scoped: in a Role the rule is dead, a mistake rather than a risk */
            rc = k8s_report(ob, ri->check, cluster ? -1 : LEAKSCAN_SEV_LOW, at, detail,
                            cluster ? "rules[%zu] allows nodes/proxy: the kubelet API of every "
                                      "node, which runs commands in any pod of the node"
                                    : "rules[%zu] allows nodes/proxy, which has no effect in a "
                                      "namespaced Role (nodes are cluster-scoped)",
                            idx);
            break;
        case K8S_RISK_TOKEN_CREATE:
            rc = k8s_report(ob, ri->check, -1, at, detail,
                            "rules[%zu] allows create on serviceaccounts/token (%s): it mints "
                            "tokens for other ServiceAccounts, taking their permissions",
                            idx, scope);
            break;
        case K8S_RISK_WORKLOAD:
            rc = k8s_report(ob, ri->check, -1, at, detail,
                            "rules[%zu] allows creating or changing pods or workloads (%s): a "
                            "pod can run as any ServiceAccount of the namespace and mount any "
                            "of its Secrets",
                            idx, scope);
            break;
        default:
            rc = 0; /* K8S_RISK_WILDCARD_VERBS: the wildcard-verbs finding said it */
            break;
        }
        if (rc)
            return rc;
    }
    return 0;
}

/*
 * A mapping of strings (labels, matchLabels) as kv pairs borrowed from the
 * tree, into *out (caller frees) and *n. 0 or LEAKSCAN_ENOMEM.
 */
static int kvs(const struct leakscan_node *map, struct k8s_kv **out, size_t *n)
{
    struct k8s_kv *v;
    size_t i;

    *out = NULL;
    *n = 0;
    if (!map || map->type != LEAKSCAN_NODE_MAP || !map->count)
        return 0;
    v = calloc(map->count, sizeof(*v));
    if (!v)
        return LEAKSCAN_ENOMEM;
    for (i = 0; i < map->count; i++) {
        const char *k = k8s_str(map->items[2 * i]), *val = k8s_str(map->items[2 * i + 1]);
        if (k && val) {
            v[*n].k = k;
            v[(*n)++].v = val;
        }
    }
    *out = v;
    return 0;
}

int k8s_check_role(const struct k8s_obj *ob, int cluster)
{
    const struct leakscan_node *rules = k8s_get(ob->root, "rules", NULL);
    const struct leakscan_node *meta = k8s_get(ob->root, "metadata", NULL);
    const struct leakscan_node *sel =
        k8s_get(k8s_get(ob->root, "aggregationRule", NULL), "clusterRoleSelectors", NULL);
    struct k8s_role_rec rec;
    struct rule_eval e;
    size_t i;
    int rc = 0;

    memset(&rec, 0, sizeof(rec));
    if (rules && rules->type == LEAKSCAN_NODE_SEQ) {
        for (i = 0; i < rules->count; i++) {
            if (rules->items[i]->type != LEAKSCAN_NODE_MAP)
                continue;
            eval_rule(rules->items[i], &e);
            rec.risks |= e.risks;
            if ((rc = rule_findings(ob, cluster, rules->items[i], i, &e)) != 0)
                return rc;
        }
    }
    if (!ob->name)
        return 0; /* nothing can bind to it */
    rec.cluster = cluster;
    rec.ns = cluster || !ob->ns ? "-" : ob->ns;
    rec.name = ob->name;
    rec.path = ob->f->origin->path;
    rec.line = ob->root->line;
    rec.column = ob->root->column;
    if ((rc = kvs(k8s_get(meta, "labels", NULL), &rec.labels, &rec.nlabels)) != 0)
        return rc;
    /*
     * NEEDSWORK: matchExpressions of aggregation selectors are not followed;
     * every aggregated role in the wild (admin/edit/view extensions) uses
     * matchLabels.
     */
    if (cluster && sel && sel->type == LEAKSCAN_NODE_SEQ && sel->count) {
        rec.selectors = calloc(sel->count, sizeof(*rec.selectors));
        rec.nselector = calloc(sel->count, sizeof(*rec.nselector));
        if (!rec.selectors || !rec.nselector) {
            rc = LEAKSCAN_ENOMEM;
            goto out;
        }
        for (i = 0; i < sel->count; i++) {
            const struct leakscan_node *ml = k8s_get(sel->items[i], "matchLabels", NULL);

            rc = kvs(ml, &rec.selectors[rec.nselectors], &rec.nselector[rec.nselectors]);
            if (rc)
                goto out;
            /* an empty selector would match every ClusterRole: the API rejects it */
            if (rec.nselector[rec.nselectors])
                rec.nselectors++;
            else
                free(rec.selectors[rec.nselectors]);
        }
    }
    rc = k8s_state_add_role(ob->f->s, &rec);
out:
    for (i = 0; i < rec.nselectors; i++)
        free(rec.selectors[i]);
    free(rec.selectors);
    free(rec.nselector);
    free(rec.labels);
    return rc;
}

int k8s_check_binding(const struct k8s_obj *ob, int cluster)
{
    const struct leakscan_node *refkey, *ref = k8s_get(ob->root, "roleRef", &refkey);
    const struct leakscan_node *subj = k8s_get(ob->root, "subjects", NULL);
    struct k8s_binding_rec rec;
    size_t i;
    int rc;

    memset(&rec, 0, sizeof(rec));
    rec.ref_kind = k8s_str(k8s_get(ref, "kind", NULL));
    rec.ref_name = k8s_str(k8s_get(ref, "name", NULL));
    if (!rec.ref_kind || !rec.ref_name || !subj || subj->type != LEAKSCAN_NODE_SEQ)
        return 0;
    rec.cluster = cluster;
    rec.ns = cluster || !ob->ns ? "-" : ob->ns;
    rec.object = ob->object;
    rec.path = ob->f->origin->path;
    rec.allow = ob->allow;
    rec.line = ob->root->line;
    rec.column = ob->root->column;
    rec.ref_line = refkey->line;
    rec.ref_column = refkey->column;
    if (subj->count) {
        rec.subjects = calloc(subj->count, sizeof(*rec.subjects));
        if (!rec.subjects)
            return LEAKSCAN_ENOMEM;
    }
    for (i = 0; i < subj->count; i++) {
        const struct leakscan_node *s = subj->items[i];
        struct k8s_subject *d = &rec.subjects[rec.nsubjects];

        d->kind = k8s_str(k8s_get(s, "kind", NULL));
        d->name = k8s_str(k8s_get(s, "name", NULL));
        d->ns = k8s_str(k8s_get(s, "namespace", NULL));
        if (!d->kind || !d->name)
            continue;
        d->line = s->line;
        d->column = s->column;
        rec.nsubjects++;
    }
    rc = k8s_state_add_binding(ob->f->s, &rec);
    free(rec.subjects);
    return rc;
}

/* ---- finish ---- */

struct role_key {
    int cluster;
    const char *ns, *name;
};

static int cmp_role_key(const void *a, const void *b)
{
    const struct role_key *k = a;
    const struct k8s_role_rec *r = b;
    int c;

    if (k->cluster != r->cluster)
        return k->cluster - r->cluster;
    if ((c = strcmp(k->ns, r->ns)) != 0)
        return c;
    return strcmp(k->name, r->name);
}

/* Every label of the selector is on the role. */
static int selector_matches(const struct k8s_kv *sel, size_t n, const struct k8s_role_rec *r)
{
    size_t i, j;

    for (i = 0; i < n; i++) {
        for (j = 0; j < r->nlabels; j++)
            if (!strcmp(sel[i].k, r->labels[j].k) && !strcmp(sel[i].v, r->labels[j].v))
                break;
        if (j == r->nlabels)
            return 0;
    }
    return 1;
}

/* Risks of every role with aggregation followed to a fixed point: eff[i] for roles[i]. */
static void aggregate(const struct k8s_state *s, unsigned *eff, unsigned char *agg)
{
    size_t i, j, k, round;
    int changed = 1;

    for (i = 0; i < s->nroles; i++)
        eff[i] = s->roles[i].risks;
    /* each round adds at least one role's risks, so nroles rounds reach the fixed point */
    for (round = 0; changed && round <= s->nroles; round++) {
        changed = 0;
        for (i = 0; i < s->nroles; i++) {
            const struct k8s_role_rec *r = &s->roles[i];

            for (k = 0; k < r->nselectors; k++) {
                for (j = 0; j < s->nroles; j++) {
                    if (j == i || !s->roles[j].cluster ||
                        !selector_matches(r->selectors[k], r->nselector[k], &s->roles[j]))
                        continue;
                    if ((eff[i] | eff[j]) != eff[i]) {
                        eff[i] |= eff[j];
                        changed = 1;
                    }
                    agg[i] = 1;
                }
            }
        }
    }
}

/* The risks of the role a binding refers to; *found when the scan has it. */
static unsigned resolve(const struct k8s_state *s, const unsigned *eff, const unsigned char *agg,
                        const struct k8s_binding_rec *b, int *found, int *via_agg)
{
    struct role_key key;
    const struct k8s_role_rec *hit;
    size_t i, lo, hi;
    unsigned risks = 0;

    *found = *via_agg = 0;
    key.cluster = !strcmp(b->ref_kind, "ClusterRole");
    if (!key.cluster && (strcmp(b->ref_kind, "Role") || b->cluster))
        return 0; /* a ClusterRoleBinding cannot refer to a Role */
    key.ns = key.cluster ? "-" : b->ns;
    key.name = b->ref_name;
    if (!s->nroles)
        return 0;
    hit = bsearch(&key, s->roles, s->nroles, sizeof(*s->roles), cmp_role_key);
    if (!hit)
        return 0;
    /* the same role in several files (overlays...): a binding may get any of them */
    i = (size_t)(hit - s->roles);
    for (lo = i; lo > 0 && !cmp_role_key(&key, &s->roles[lo - 1]); lo--)
        ;
    for (hi = i; hi + 1 < s->nroles && !cmp_role_key(&key, &s->roles[hi + 1]); hi++)
        ;
    for (i = lo; i <= hi; i++) {
        risks |= eff[i];
        *via_agg |= agg[i];
    }
    *found = 1;
    return risks;
}

static void subject_name(const struct k8s_subject *sj, const char *bns, char *buf, size_t size)
{
    if (!strcmp(sj->kind, "ServiceAccount"))
        snprintf(buf, size, "ServiceAccount %s/%s", sj->ns ? sj->ns : bns, sj->name);
    else
        snprintf(buf, size, "%s %s", sj->kind, sj->name);
}

static void subject_list(const struct k8s_binding_rec *b, char *buf, size_t size)
{
    char one[300];
    size_t i, used = 0;

    buf[0] = '\0';
    for (i = 0; i < b->nsubjects && used < size; i++) {
        if (i == 4) {
            snprintf(buf + used, size - used, ", ... (%zu subjects)", b->nsubjects);
            break;
        }
        subject_name(&b->subjects[i], b->ns, one, sizeof(one));
        used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? ", " : "", one);
    }
}

/* The default ServiceAccount of a namespace, or all service accounts at once. */
static int default_sa(const struct k8s_subject *sj)
{
    const char *n = sj->name;
    size_t len = strlen(n);

    if (!strcmp(sj->kind, "ServiceAccount"))
        return !strcmp(n, "default");
    if (!strcmp(sj->kind, "User"))
        return !strncmp(n, "system:serviceaccount:", 22) && len > 30 &&
               !strcmp(n + len - 8, ":default");
    if (!strcmp(sj->kind, "Group"))
        return !strcmp(n, "system:serviceaccounts") || !strncmp(n, "system:serviceaccounts:", 23);
    return 0;
}

static int check_subjects(const struct k8s_obj *ob, const struct k8s_binding_rec *b,
                          const char *role, int found, int risky)
{
    struct leakscan_node at;
    char who[300];
    size_t i;
    int rc;

    memset(&at, 0, sizeof(at));
    for (i = 0; i < b->nsubjects; i++) {
        const struct k8s_subject *sj = &b->subjects[i];

        at.line = sj->line;
        at.column = sj->column;
        if (strcmp(sj->kind, "ServiceAccount") &&
            (!strcmp(sj->name, "system:anonymous") || !strcmp(sj->name, "system:unauthenticated") ||
             !strcmp(sj->name, "system:authenticated"))) {
            int everyone = strcmp(sj->name, "system:authenticated") != 0;

            rc = k8s_report(ob, "k8s-binding-anonymous", everyone ? -1 : LEAKSCAN_SEV_HIGH, &at,
                            sj->name, "%s grants %s to %s %s: %s",
                            b->cluster ? "cluster-wide" : "the binding", role, sj->kind, sj->name,
                            everyone ? "anyone who can reach the API server, without credentials"
                                     : "every authenticated identity, service accounts of all "
                                       "namespaces and (on some clouds) any account of the "
                                       "provider included");
            if (rc)
                return rc;
        }
        if (default_sa(sj)) {
            subject_name(sj, b->ns, who, sizeof(who));
            rc = k8s_report(
                ob, "k8s-binding-default-sa",
                risky   ? LEAKSCAN_SEV_HIGH
                : found ? LEAKSCAN_SEV_LOW
                        : -1,
                &at, sj->name,
                "%s grants %s to %s%s: every pod that does not name its own ServiceAccount gets "
                "it; create a dedicated ServiceAccount",
                b->cluster ? "cluster-wide, the binding" : "the binding", role, who,
                strcmp(sj->kind, "ServiceAccount")
                    ? " (every service account, default ones included)"
                    : "");
            if (rc)
                return rc;
        }
    }
    return 0;
}

static int admin_role(const struct k8s_binding_rec *b)
{
    return !strcmp(b->ref_kind, "ClusterRole") &&
           (!strcmp(b->ref_name, "cluster-admin") || !strcmp(b->ref_name, "admin") ||
            !strcmp(b->ref_name, "edit"));
}

static int check_binding_rec(struct k8s_file *f, const struct k8s_binding_rec *b, unsigned risks,
                             int found, int via_agg)
{
    struct leakscan_node ref;
    struct k8s_obj ob;
    char role[300], who[600], grants[256];
    int admin = admin_role(b), sev = -1, rc;
    unsigned applied = 0;
    size_t i;

    memset(&ob, 0, sizeof(ob));
    memset(&ref, 0, sizeof(ref));
    ref.line = b->ref_line;
    ref.column = b->ref_column;
    ob.f = f;
    ob.root = &ref;
    ob.object = b->object;
    ob.allow = b->allow;
    snprintf(role, sizeof(role), "%s '%s'", b->ref_kind, b->ref_name);
    subject_list(b, who, sizeof(who));

    if (admin) {
        int cadmin = !strcmp(b->ref_name, "cluster-admin");

        sev = b->cluster ? (cadmin ? LEAKSCAN_SEV_CRITICAL : LEAKSCAN_SEV_HIGH)
                         : (cadmin ? LEAKSCAN_SEV_HIGH : LEAKSCAN_SEV_MEDIUM);
        rc = k8s_report(
            &ob, "k8s-binding-admin-role", sev, &ref, b->ref_name,
            "%s grants %s to %s: %s; bind a role with the permissions needed",
            b->cluster ? "cluster-wide, the binding" : "in its namespace, the binding", role, who,
            cadmin ? "full control" : "read and write of nearly everything, Secrets included");
        if (rc)
            return rc;
    } else if (risks) {
        for (i = 0; i < NRISKS; i++) {
            int s = b->cluster ? RISKS[i].sev_cluster : RISKS[i].sev_ns;

            if (!(risks & RISKS[i].bit) || s < 0)
                continue;
            applied |= RISKS[i].bit;
            if (s > sev)
                sev = s;
        }
        if (applied) {
            /* full control says it all */
            risk_names(applied & K8S_RISK_WILDCARD_ALL ? (unsigned)K8S_RISK_WILDCARD_ALL : applied,
                       grants, sizeof(grants));
            rc = k8s_report(&ob, "k8s-binding-risky-role", sev, &ref, b->ref_name,
                            "%s grants %s%s to %s: it allows %s",
                            b->cluster ? "cluster-wide, the binding" : "the binding", role,
                            via_agg ? " (with the roles it aggregates)" : "", who, grants);
            if (rc)
                return rc;
        }
    }
    return check_subjects(&ob, b, role, found, admin || applied);
}

int k8s_rbac_finish(struct k8s_state *s, const struct k8s_file *fin)
{
    struct leakscan_origin origin;
    struct k8s_file lf = *fin, *f = &lf;
    unsigned *eff = NULL;
    unsigned char *agg = NULL;
    size_t i;
    int rc = 0, found, via_agg;

    if (!s->nbindings)
        return 0;
    if (s->nroles) {
        eff = calloc(s->nroles, sizeof(*eff));
        agg = calloc(s->nroles, sizeof(*agg));
        if (!eff || !agg) {
            rc = leakscan_err_set(f->err, LEAKSCAN_ENOMEM, "out of memory");
            goto out;
        }
        aggregate(s, eff, agg);
    }
    memset(&origin, 0, sizeof(origin));
    f->origin = &origin;
    for (i = 0; i < s->nbindings && !rc; i++) {
        const struct k8s_binding_rec *b = &s->bindings[i];
        unsigned risks = resolve(s, eff, agg, b, &found, &via_agg);

        origin.path = b->path;
        rc = check_binding_rec(f, b, risks, found, via_agg);
    }
out:
    free(eff);
    free(agg);
    return rc;
}
