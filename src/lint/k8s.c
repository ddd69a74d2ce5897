/*
 * k8s.c - the Kubernetes manifest lint: the check table, the shared state,
 * parsing one file into objects, the reporter that honours
 * `leakscan.io/allow`, and the checks across files at finish.
 *
 * The checks themselves live in k8s_data.c (Secret, ConfigMap, env
 * literals), k8s_rbac.c (Role rules, bindings) and k8s_pod.c (pod security).
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8s_int.h"
#include "leakscan/secret.h"

#define C(id, sev, summary)                                                                        \
    {                                                                                              \
        id, "kubernetes", LEAKSCAN_SEV_##sev, summary                                              \
    }

/*
 * Default severities; some checks raise or lower theirs with the risk (the
 * summary says when), the finding carries the one that applies.
 */
const struct leakscan_check k8s_checks[] = {
    C("k8s-secret-value", CRITICAL,
      "a Secret's base64 data (or a ConfigMap's binaryData) decodes to a secret the rules recognise"),
    C("k8s-secret-literal", MEDIUM,
      "a Secret with literal values committed: keep them in a secret manager and sync them"),
    C("k8s-configmap-credential", HIGH,
      "a ConfigMap key named like a credential (password, token, api_key...) with a literal value"),
    C("k8s-env-credential-literal", HIGH,
      "a container env value written literally under a credential name (use valueFrom)"),
    C("k8s-rbac-wildcard-all", CRITICAL,
      "a rule with * verbs on * resources in * apiGroups (high in a namespaced Role)"),
    C("k8s-rbac-wildcard-verbs", MEDIUM,
      "* in a rule's verbs (high on sensitive resources: secrets, pods, roles, nodes...)"),
    C("k8s-rbac-wildcard-resources", MEDIUM,
      "* in a rule's resources (high when it covers secrets, pods or RBAC objects)"),
    C("k8s-rbac-wildcard-apigroups", LOW,
      "* in a rule's apiGroups (medium when the rule is risky)"),
    C("k8s-rbac-secrets-read", HIGH, "get/list/watch on secrets without resourceNames"),
    C("k8s-rbac-escalation-verbs", HIGH,
      "bind/escalate on roles or impersonate on users/groups/serviceaccounts (critical in a "
      "ClusterRole)"),
    C("k8s-rbac-pod-exec", HIGH, "create (or get) on pods/exec or pods/attach"),
    C("k8s-rbac-node-proxy", HIGH,
      "access to nodes/proxy: the kubelet API of every node (low in a Role, where it is dead)"),
    C("k8s-rbac-token-create", HIGH, "create on serviceaccounts/token: mint tokens for others"),
    C("k8s-rbac-workload-create", MEDIUM,
      "create/update on pods or workloads: run code as any ServiceAccount, mount any Secret"),
    C("k8s-binding-admin-role", HIGH,
      "a binding to cluster-admin, admin or edit (critical: ClusterRoleBinding to cluster-admin)"),
    C("k8s-binding-risky-role", HIGH,
      "a binding to a role of the scan that grants the RBAC risks above (critical cluster-wide)"),
    C("k8s-binding-anonymous", CRITICAL,
      "a binding for system:anonymous or system:unauthenticated (high: system:authenticated)"),
    C("k8s-binding-default-sa", MEDIUM,
      "a binding for a default ServiceAccount, which every pod without its own one uses (high "
      "with a risky role, low with a harmless one of the scan)"),
    C("k8s-pod-privileged", HIGH, "a privileged container: root on the node"),
    C("k8s-pod-privilege-escalation", MEDIUM,
      "a container whose allowPrivilegeEscalation is not false"),
    C("k8s-pod-host-network", MEDIUM, "hostNetwork: the pod shares the node's network stack"),
    C("k8s-pod-host-pid", HIGH, "hostPID: the pod sees and can signal the node's processes"),
    C("k8s-pod-host-ipc", MEDIUM, "hostIPC: the pod shares the node's IPC namespace"),
    C("k8s-pod-hostpath", MEDIUM,
      "a hostPath volume (high: /, /etc, /proc, /var/lib/kubelet, container runtime sockets...)"),
    C("k8s-pod-capabilities", LOW,
      "added Linux capabilities (high: ALL, SYS_ADMIN, NET_ADMIN, SYS_MODULE, SYS_PTRACE...)"),
    C("k8s-pod-run-as-root", MEDIUM,
      "no runAsNonRoot: true or runAsUser > 0 at pod or container level (high: runAsUser: 0)"),
    C("k8s-pod-automount-token", LOW,
      "automountServiceAccountToken not false on the pod or its ServiceAccount"),
    {NULL, NULL, LEAKSCAN_SEV_INFO, NULL}};

#undef C

/* ---- the state: an arena of copies, record vectors under a lock ---- */

struct k8s_chunk {
    struct k8s_chunk *next;
    size_t used, cap;
    max_align_t data[]; /* max_align_t: any record may be carved out of it */
};

#define CHUNK_MIN 65536

static void *arena_alloc(struct k8s_state *s, size_t n)
{
    struct k8s_chunk *c = s->arena;
    void *p;

    n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
    if (!n)
        n = sizeof(max_align_t);
    if (!c || c->cap - c->used < n) {
        size_t cap = n > CHUNK_MIN ? n : CHUNK_MIN;

        c = malloc(sizeof(*c) + cap);
        if (!c)
            return NULL;
        c->next = s->arena;
        c->used = 0;
        c->cap = cap;
        s->arena = c;
    }
    p = (char *)c->data + c->used;
    c->used += n;
    return p;
}

/* A copy of str in the arena; NULL stays NULL. *fail is set when memory runs out. */
static const char *arena_str(struct k8s_state *s, const char *str, int *fail)
{
    size_t n;
    char *p;

    if (!str)
        return NULL;
    n = strlen(str) + 1;
    p = arena_alloc(s, n);
    if (!p) {
        *fail = 1;
        return NULL;
    }
    memcpy(p, str, n);
    return p;
}

static struct k8s_kv *arena_kvs(struct k8s_state *s, const struct k8s_kv *kv, size_t n, int *fail)
{
    struct k8s_kv *p;
    size_t i;

    if (!n)
        return NULL;
    p = arena_alloc(s, n * sizeof(*p));
    if (!p) {
        *fail = 1;
        return NULL;
    }
    for (i = 0; i < n; i++) {
        p[i].k = arena_str(s, kv[i].k, fail);
        p[i].v = arena_str(s, kv[i].v, fail);
    }
    return p;
}

/* Make room for one more element of `size` bytes in *v. */
static int grow(void *vp, size_t *cap, size_t n, size_t size)
{
    void **v = vp;
    size_t ncap;
    void *p;

    if (n < *cap)
        return 0;
    ncap = *cap ? *cap * 2 : 16;
    p = realloc(*v, ncap * size);
    if (!p)
        return LEAKSCAN_ENOMEM;
    *v = p;
    *cap = ncap;
    return 0;
}

int k8s_state_new(struct k8s_state **out)
{
    struct k8s_state *s = calloc(1, sizeof(*s));

    *out = NULL;
    if (!s)
        return LEAKSCAN_ENOMEM;
    if (pthread_mutex_init(&s->lock, NULL)) {
        free(s);
        return LEAKSCAN_ENOMEM;
    }
    *out = s;
    return 0;
}

void k8s_state_free(struct k8s_state *s)
{
    struct k8s_chunk *c, *next;

    if (!s)
        return;
    for (c = s->arena; c; c = next) {
        next = c->next;
        free(c);
    }
    free(s->roles);
    free(s->bindings);
    free(s->sas);
    free(s->automounts);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

int k8s_state_add_role(struct k8s_state *s, const struct k8s_role_rec *r)
{
    struct k8s_role_rec *d;
    int fail = 0;
    size_t i;

    pthread_mutex_lock(&s->lock);
    if (grow(&s->roles, &s->cap_roles, s->nroles, sizeof(*s->roles))) {
        fail = 1;
        goto out;
    }
    d = &s->roles[s->nroles];
    *d = *r;
    d->ns = arena_str(s, r->ns, &fail);
    d->name = arena_str(s, r->name, &fail);
    d->path = arena_str(s, r->path, &fail);
    d->labels = arena_kvs(s, r->labels, r->nlabels, &fail);
    d->selectors = NULL;
    d->nselector = NULL;
    if (r->nselectors) {
        d->selectors = arena_alloc(s, r->nselectors * sizeof(*d->selectors));
        d->nselector = arena_alloc(s, r->nselectors * sizeof(*d->nselector));
        if (!d->selectors || !d->nselector) {
            fail = 1;
            goto out;
        }
        for (i = 0; i < r->nselectors; i++) {
            d->selectors[i] = arena_kvs(s, r->selectors[i], r->nselector[i], &fail);
            d->nselector[i] = r->nselector[i];
        }
    }
    if (!fail)
        s->nroles++;
out:
    pthread_mutex_unlock(&s->lock);
    return fail ? LEAKSCAN_ENOMEM : 0;
}

int k8s_state_add_binding(struct k8s_state *s, const struct k8s_binding_rec *b)
{
    struct k8s_binding_rec *d;
    int fail = 0;
    size_t i;

    pthread_mutex_lock(&s->lock);
    if (grow(&s->bindings, &s->cap_bindings, s->nbindings, sizeof(*s->bindings))) {
        fail = 1;
        goto out;
    }
    d = &s->bindings[s->nbindings];
    *d = *b;
    d->ns = arena_str(s, b->ns, &fail);
    d->object = arena_str(s, b->object, &fail);
    d->path = arena_str(s, b->path, &fail);
    d->allow = arena_str(s, b->allow, &fail);
    d->ref_kind = arena_str(s, b->ref_kind, &fail);
    d->ref_name = arena_str(s, b->ref_name, &fail);
    d->subjects = NULL;
    if (b->nsubjects) {
        d->subjects = arena_alloc(s, b->nsubjects * sizeof(*d->subjects));
        if (!d->subjects) {
            fail = 1;
            goto out;
        }
        for (i = 0; i < b->nsubjects; i++) {
            d->subjects[i] = b->subjects[i];
            d->subjects[i].kind = arena_str(s, b->subjects[i].kind, &fail);
            d->subjects[i].name = arena_str(s, b->subjects[i].name, &fail);
            d->subjects[i].ns = arena_str(s, b->subjects[i].ns, &fail);
        }
    }
    if (!fail)
        s->nbindings++;
out:
    pthread_mutex_unlock(&s->lock);
    return fail ? LEAKSCAN_ENOMEM : 0;
}

int k8s_state_add_sa(struct k8s_state *s, const struct k8s_sa_rec *sa)
{
    int fail = 0;

    pthread_mutex_lock(&s->lock);
    if (grow(&s->sas, &s->cap_sas, s->nsas, sizeof(*s->sas))) {
        fail = 1;
    } else {
        s->sas[s->nsas].ns = arena_str(s, sa->ns, &fail);
        s->sas[s->nsas].name = arena_str(s, sa->name, &fail);
        if (!fail)
            s->nsas++;
    }
    pthread_mutex_unlock(&s->lock);
    return fail ? LEAKSCAN_ENOMEM : 0;
}

int k8s_state_add_automount(struct k8s_state *s, const struct k8s_automount_rec *a)
{
    struct k8s_automount_rec *d;
    int fail = 0;

    pthread_mutex_lock(&s->lock);
    if (grow(&s->automounts, &s->cap_automounts, s->nautomounts, sizeof(*s->automounts))) {
        fail = 1;
    } else {
        d = &s->automounts[s->nautomounts];
        *d = *a;
        d->path = arena_str(s, a->path, &fail);
        d->object = arena_str(s, a->object, &fail);
        d->allow = arena_str(s, a->allow, &fail);
        d->ns = arena_str(s, a->ns, &fail);
        d->sa = arena_str(s, a->sa, &fail);
        if (!fail)
            s->nautomounts++;
    }
    pthread_mutex_unlock(&s->lock);
    return fail ? LEAKSCAN_ENOMEM : 0;
}

/* ---- node helpers ---- */

const struct leakscan_node *k8s_get(const struct leakscan_node *map, const char *key,
                                    const struct leakscan_node **keyp)
{
    size_t i;

    if (keyp)
        *keyp = NULL;
    if (!map || map->type != LEAKSCAN_NODE_MAP)
        return NULL;
    for (i = 0; i < map->count; i++) {
        if (leakscan_node_is(map->items[2 * i], key)) {
            if (keyp)
                *keyp = map->items[2 * i];
            return map->items[2 * i + 1];
        }
    }
    /*
     * YAML 1.1 merge keys (`<<: *defaults`, or a list of them), which
     * sigs.k8s.io/yaml honours: a securityContext shared through an anchor
     * is set. The recursion is bounded by the depth of the tree.
     */
    for (i = 0; i < map->count; i++) {
        const struct leakscan_node *m = map->items[2 * i + 1], *v;
        size_t j;

        if (!leakscan_node_is(map->items[2 * i], "<<"))
            continue;
        if (m->type == LEAKSCAN_NODE_MAP && (v = k8s_get(m, key, keyp)) != NULL)
            return v;
        for (j = 0; m->type == LEAKSCAN_NODE_SEQ && j < m->count; j++)
            if ((v = k8s_get(m->items[j], key, keyp)) != NULL)
                return v;
    }
    return NULL;
}

const char *k8s_str(const struct leakscan_node *n)
{
    return n && n->type == LEAKSCAN_NODE_SCALAR ? n->value : NULL;
}

static int word_in(const char *s, const char *const *words)
{
    size_t i;

    for (i = 0; words[i]; i++)
        if (!strcmp(s, words[i]))
            return 1;
    return 0;
}

/* sigs.k8s.io/yaml reads YAML 1.1, where yes/on/y are booleans too. */
int k8s_is_true(const struct leakscan_node *n)
{
    static const char *const t[] = {"true", "True", "TRUE", "yes", "Yes", "YES",
                                    "on",   "On",   "ON",   "y",   "Y",   NULL};
    const char *s = k8s_str(n);

    return s && word_in(s, t);
}

int k8s_is_false(const struct leakscan_node *n)
{
    static const char *const f[] = {"false", "False", "FALSE", "no", "No", "NO",
                                    "off",   "Off",   "OFF",   "n",  "N",  NULL};
    const char *s = k8s_str(n);

    return s && word_in(s, f);
}

int k8s_int(const struct leakscan_node *n, long long *v)
{
    const char *s = k8s_str(n);
    long long x = 0;
    int neg = 0;

    if (!s || !*s)
        return 0;
    if (*s == '-' || *s == '+')
        neg = *s++ == '-';
    if (!*s)
        return 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || x > 100000000000LL)
            return 0;
        x = x * 10 + (*s - '0');
    }
    *v = neg ? -x : x;
    return 1;
}

int k8s_is_placeholder(const char *s, size_t len)
{
    size_t i;

    for (i = 0; i + 1 < len; i++)
        if (s[i] == '{' && s[i + 1] == '{')
            return 1;
    return leakscan_is_placeholder(s, len);
}

/* ---- suppression and reporting ---- */

int k8s_allow_has(const char *list, const char *id)
{
    size_t n = strlen(id), len;
    const char *p = list;

    if (!p)
        return 0;
    while (*p) {
        while (*p == ',' || *p == ' ' || *p == '\t' || *p == '\n')
            p++;
        for (len = 0; p[len] && p[len] != ',' && p[len] != ' ' && p[len] != '\t' && p[len] != '\n';
             len++)
            ;
        if (len == n && !memcmp(p, id, n))
            return 1;
        p += len;
    }
    return 0;
}

int k8s_report(const struct k8s_obj *ob, const char *check, int severity,
               const struct leakscan_node *at, const char *detail, const char *fmt, ...)
{
    struct k8s_file *f = ob->f;
    char msg[1024];
    va_list ap;

    /* under --no-annotations the allow lists were never read (k8s_lint_file) */
    if (k8s_allow_has(ob->allow, check) || k8s_allow_has(ob->tmpl_allow, check)) {
        f->stats->suppressed++;
        return 0;
    }
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (!at)
        at = ob->root;
    return leakscan_lint_emit(f->sink, f->origin, check, severity, msg, ob->object,
                              at ? at->line : 1, at ? at->column : 1, detail);
}

/* ---- one file ---- */

static int contains(const char *data, size_t len, const char *needle)
{
    size_t n = strlen(needle), i;

    for (i = 0; i + n <= len; i++)
        if (data[i] == needle[0] && !memcmp(data + i, needle, n))
            return 1;
    return 0;
}

/* "apps/v1" is in group "apps"; "v1" is the core group "". */
static int in_group(const char *api, const char *group)
{
    const char *slash = strchr(api, '/');
    size_t n = strlen(group);

    if (!n)
        return !slash;
    return slash && (size_t)(slash - api) == n && !memcmp(api, group, n);
}

/*
 * The objects that carry secrets in another form, on purpose: their values
 * are ciphertext or references, and flagging them would push people away
 * from the very tools that fix the problem.
 */
static int encrypted_kind(const char *kind)
{
    static const char *const kinds[] = {
        "SealedSecret", "ExternalSecret",    "ClusterExternalSecret", "SopsSecret",
        "PushSecret",   "VaultStaticSecret", "VaultDynamicSecret",    NULL};

    return word_in(kind, kinds);
}

static int check_service_account(const struct k8s_obj *ob)
{
    struct k8s_sa_rec sa;

    if (!k8s_is_false(k8s_get(ob->root, "automountServiceAccountToken", NULL)) || !ob->name)
        return 0;
    sa.ns = ob->ns ? ob->ns : "-";
    sa.name = ob->name;
    return k8s_state_add_sa(ob->f->s, &sa);
}

static int check_object(struct k8s_file *f, const struct leakscan_node *root, const char *api,
                        const char *kind)
{
    const struct leakscan_node *meta = k8s_get(root, "metadata", NULL);
    const char *name = k8s_str(k8s_get(meta, "name", NULL));
    const char *gen = k8s_str(k8s_get(meta, "generateName", NULL));
    const char *ns = k8s_str(k8s_get(meta, "namespace", NULL));
    char object[768];
    struct k8s_obj ob;

    if (encrypted_kind(kind))
        return 0;
    if (name && !*name)
        name = NULL;
    if (ns && !*ns)
        ns = NULL;
    /*
     * The object names a finding as "Kind/namespace/name": the namespace is
     * "-" when metadata.namespace is absent (a cluster-scoped kind, or a
     * namespace chosen at deploy time with `kubectl -n`), the name is "-"
     * when absent and "prefix*" for a generateName.
     */
    if (name)
        snprintf(object, sizeof(object), "%s/%s/%s", kind, ns ? ns : "-", name);
    else if (gen && *gen)
        snprintf(object, sizeof(object), "%s/%s/%s*", kind, ns ? ns : "-", gen);
    else
        snprintf(object, sizeof(object), "%s/%s/-", kind, ns ? ns : "-");
    memset(&ob, 0, sizeof(ob));
    ob.f = f;
    ob.root = root;
    ob.kind = kind;
    ob.ns = ns;
    ob.name = name;
    ob.object = object;
    if (!f->o->no_annotations)
        ob.allow = k8s_str(k8s_get(k8s_get(meta, "annotations", NULL), K8S_ALLOW_ANNOTATION, NULL));
    f->stats->manifests++;

    if (in_group(api, "")) {
        if (!strcmp(kind, "Secret"))
            return k8s_check_secret(&ob);
        if (!strcmp(kind, "ConfigMap"))
            return k8s_check_configmap(&ob);
        if (!strcmp(kind, "ServiceAccount"))
            return check_service_account(&ob);
        if (!strcmp(kind, "Pod") || !strcmp(kind, "ReplicationController") ||
            !strcmp(kind, "PodTemplate"))
            return k8s_check_workload(&ob);
        return 0;
    }
    if (in_group(api, "apps") || in_group(api, "extensions")) {
        if (!strcmp(kind, "Deployment") || !strcmp(kind, "StatefulSet") ||
            !strcmp(kind, "DaemonSet") || !strcmp(kind, "ReplicaSet"))
            return k8s_check_workload(&ob);
        return 0;
    }
    if (in_group(api, "batch")) {
        if (!strcmp(kind, "Job") || !strcmp(kind, "CronJob"))
            return k8s_check_workload(&ob);
        return 0;
    }
    if (in_group(api, "rbac.authorization.k8s.io")) {
        if (!strcmp(kind, "Role") || !strcmp(kind, "ClusterRole"))
            return k8s_check_role(&ob, kind[0] == 'C');
        if (!strcmp(kind, "RoleBinding") || !strcmp(kind, "ClusterRoleBinding"))
            return k8s_check_binding(&ob, kind[0] == 'C');
    }
    return 0;
}

#define MAX_LIST_DEPTH 8

/* An object, or a `kind: List` (or FooList) whose items are objects. */
static int visit(struct k8s_file *f, const struct leakscan_node *n, unsigned depth)
{
    const char *api = k8s_str(k8s_get(n, "apiVersion", NULL));
    const char *kind = k8s_str(k8s_get(n, "kind", NULL));
    const struct leakscan_node *items;
    size_t klen, i;
    int rc;

    if (!api || !kind || !*api || !*kind)
        return 0; /* not a Kubernetes object: docker-compose, CI config... */
    klen = strlen(kind);
    items = k8s_get(n, "items", NULL);
    if (klen >= 4 && !strcmp(kind + klen - 4, "List") && items &&
        items->type == LEAKSCAN_NODE_SEQ) {
        if (depth >= MAX_LIST_DEPTH)
            return 0;
        for (i = 0; i < items->count; i++)
            if ((rc = visit(f, items->items[i], depth + 1)) != 0)
                return rc;
        return 0;
    }
    return check_object(f, n, api, kind);
}

/* SOPS keeps its metadata in a top-level `sops:` mapping of every document. */
static int sops_encrypted(const struct leakscan_doc *doc)
{
    const struct leakscan_node *s;
    size_t i;

    for (i = 0; i < doc->ndocs; i++) {
        s = k8s_get(doc->docs[i], "sops", NULL);
        if (s && s->type == LEAKSCAN_NODE_MAP)
            return 1;
    }
    return 0;
}

static void diag(const struct k8s_file *f, const char *msg)
{
    if (f->sink->diag)
        f->sink->diag(f->sink->payload, f->origin, msg);
}

int k8s_lint_file(struct k8s_state *s, const struct leakscan_lint_opts *o,
                  struct leakscan_scanner *sc, const struct leakscan_blob *blob,
                  const struct leakscan_sink *sink, struct leakscan_lint_stats *stats,
                  struct leakscan_err *err)
{
    static const struct leakscan_lint_opts no_opts;
    struct leakscan_doc *doc = NULL;
    struct leakscan_err perr;
    struct k8s_file f;
    char msg[LEAKSCAN_ERR_MSG + 64];
    size_t i;
    int rc;

    /* every object has both words: other YAML/JSON is neither parsed nor reported */
    if (!blob->data || !contains(blob->data, blob->len, "apiVersion") ||
        !contains(blob->data, blob->len, "kind"))
        return 0;
    memset(&f, 0, sizeof(f));
    f.s = s;
    f.o = o ? o : &no_opts;
    f.sc = sc;
    f.origin = &blob->origin;
    f.sink = sink;
    f.stats = stats;
    f.err = err;
    f.templated = contains(blob->data, blob->len, "{{");

    leakscan_err_init(&perr);
    rc = leakscan_doc_parse(&doc, blob->origin.path ? blob->origin.path : "-", blob->data,
                            blob->len, NULL, &perr);
    if (rc == LEAKSCAN_ENOMEM)
        return leakscan_err_set(err, rc, "%s", perr.msg);
    if (rc) {
        /*
         * Bad input is never an error of the scan. A chart template is
         * expected not to parse before rendering: a note for --verbose.
         */
        stats->unparsed++;
        if (f.templated)
            snprintf(msg, sizeof(msg), "note: %s (Helm/Go template syntax: not linted)", perr.msg);
        else
            snprintf(msg, sizeof(msg), "%s (not linted as a Kubernetes manifest)", perr.msg);
        diag(&f, msg);
        return 0;
    }
    if (sops_encrypted(doc))
        goto out; /* values are ciphertext; the key names alone say nothing */
    for (i = 0; i < doc->ndocs; i++)
        if ((rc = visit(&f, doc->docs[i], 0)) != 0)
            break;
    if (rc == LEAKSCAN_ENOMEM)
        leakscan_err_set(err, rc, "%s: out of memory", blob->origin.path ? blob->origin.path : "-");
out:
    leakscan_doc_free(doc);
    return rc;
}

/* ---- finish ---- */

static int cmp_str(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

static int cmp_pos(const char *pa, unsigned la, unsigned ca, const char *pb, unsigned lb,
                   unsigned cb)
{
    int c = cmp_str(pa, pb);

    if (c)
        return c;
    if (la != lb)
        return la < lb ? -1 : 1;
    return ca < cb ? -1 : ca > cb;
}

/* Roles by (cluster, namespace, name), then where they are: lookups take a run of equals. */
static int cmp_role(const void *a, const void *b)
{
    const struct k8s_role_rec *x = a, *y = b;
    int c;

    if (x->cluster != y->cluster)
        return x->cluster - y->cluster;
    if ((c = cmp_str(x->ns, y->ns)) != 0 || (c = cmp_str(x->name, y->name)) != 0)
        return c;
    return cmp_pos(x->path, x->line, x->column, y->path, y->line, y->column);
}

static int cmp_binding(const void *a, const void *b)
{
    const struct k8s_binding_rec *x = a, *y = b;

    return cmp_pos(x->path, x->line, x->column, y->path, y->line, y->column);
}

static int cmp_sa(const void *a, const void *b)
{
    const struct k8s_sa_rec *x = a, *y = b;
    int c = cmp_str(x->ns, y->ns);

    return c ? c : cmp_str(x->name, y->name);
}

static int cmp_automount(const void *a, const void *b)
{
    const struct k8s_automount_rec *x = a, *y = b;

    return cmp_pos(x->path, x->line, x->column, y->path, y->line, y->column);
}

int k8s_lint_finish(struct k8s_state *s, const struct leakscan_lint_opts *o,
                    const struct leakscan_sink *sink, struct leakscan_lint_stats *stats,
                    struct leakscan_err *err)
{
    static const struct leakscan_lint_opts no_opts;
    struct leakscan_origin origin;
    struct k8s_file f;
    int rc;

    /*
     * Threads recorded in any order: sort, so that what finish reads (and
     * which duplicate wins) does not depend on timing.
     */
    pthread_mutex_lock(&s->lock);
    if (s->nroles)
        qsort(s->roles, s->nroles, sizeof(*s->roles), cmp_role);
    if (s->nbindings)
        qsort(s->bindings, s->nbindings, sizeof(*s->bindings), cmp_binding);
    if (s->nsas)
        qsort(s->sas, s->nsas, sizeof(*s->sas), cmp_sa);
    if (s->nautomounts)
        qsort(s->automounts, s->nautomounts, sizeof(*s->automounts), cmp_automount);
    pthread_mutex_unlock(&s->lock);

    memset(&origin, 0, sizeof(origin));
    memset(&f, 0, sizeof(f));
    f.s = s;
    f.o = o ? o : &no_opts;
    f.origin = &origin; /* each finding sets the path of its record (arena: outlives the sink) */
    f.sink = sink;
    f.stats = stats;
    f.err = err;
    rc = k8s_rbac_finish(s, &f);
    if (!rc)
        rc = k8s_pod_finish(s, &f);
    return rc;
}
