/*
 * k8s_pod.c - pod security of Pods and of the pod templates of workloads
 * (Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController,
 * Job, CronJob, PodTemplate): privileged containers, privilege escalation,
 * host namespaces, hostPath volumes, added capabilities, running as root and
 * service account token automounting. Container env literals are checked
 * here too, as they live in the same containers.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8s_int.h"

static const char *const CONTAINER_LISTS[] = {"initContainers", "containers", "ephemeralContainers",
                                              NULL};

/* ---- hostPath ---- */

/*
 * Host paths that give the node away: its root, configuration, kernel
 * interfaces, kubelet credentials and container runtime sockets (a socket is
 * root on the node).
 */
static int sensitive_host_path(const char *p)
{
    static const char *const dirs[] = {"/etc",
                                       "/root",
                                       "/proc",
                                       "/sys",
                                       "/dev",
                                       "/boot",
                                       "/usr",
                                       "/lib",
                                       "/bin",
                                       "/sbin",
                                       "/var/lib/kubelet",
                                       "/var/lib/docker",
                                       "/var/lib/containerd",
                                       "/var/lib/etcd",
                                       "/etc/kubernetes",
                                       "/var/run",
                                       "/run",
                                       "/home",
                                       NULL};
    size_t len = strlen(p), i, n;

    while (len > 1 && p[len - 1] == '/')
        len--;
    if (len == 1 && p[0] == '/')
        return 1;
    if (len > 5 && !memcmp(p + len - 5, ".sock", 5))
        return 1;
    for (i = 0; dirs[i]; i++) {
        n = strlen(dirs[i]);
        if (len >= n && !memcmp(p, dirs[i], n) && (len == n || p[n] == '/'))
            return 1;
    }
    return 0;
}

static int check_host_paths(const struct k8s_obj *ob, const struct leakscan_node *spec)
{
    const struct leakscan_node *vols = k8s_get(spec, "volumes", NULL);
    size_t i;
    int rc;

    if (!vols || vols->type != LEAKSCAN_NODE_SEQ)
        return 0;
    for (i = 0; i < vols->count; i++) {
        const struct leakscan_node *hkey, *h = k8s_get(vols->items[i], "hostPath", &hkey);
        const char *vname = k8s_str(k8s_get(vols->items[i], "name", NULL));
        const char *path = k8s_str(k8s_get(h, "path", NULL));
        int high;

        if (!h || !path)
            continue;
        high = sensitive_host_path(path);
        rc = k8s_report(ob, "k8s-pod-hostpath", high ? LEAKSCAN_SEV_HIGH : -1, hkey,
                        vname ? vname : path, "volume '%s' mounts the node's %s%s",
                        vname ? vname : "?", path,
                        high ? ": a sensitive host path (node configuration, kernel, kubelet "
                               "credentials or a container runtime socket)"
                             : "");
        if (rc)
            return rc;
    }
    return 0;
}

/* ---- capabilities ---- */

static void cap_name(const char *s, char *out, size_t size)
{
    size_t i = 0;

    if (!strncmp(s, "CAP_", 4) || !strncmp(s, "cap_", 4))
        s += 4;
    for (; *s && i + 1 < size; s++)
        out[i++] = (char)(*s >= 'a' && *s <= 'z' ? *s - 'a' + 'A' : *s);
    out[i] = '\0';
}

/*
 * Capabilities that amount to root on the node or to the network of others.
 * NET_BIND_SERVICE is left alone: drop ALL, add NET_BIND_SERVICE is the
 * recommended way to listen on a low port.
 */
static int dangerous_cap(const char *c)
{
    static const char *const caps[] = {"ALL",        "SYS_ADMIN", "NET_ADMIN",       "SYS_MODULE",
                                       "SYS_PTRACE", "SYS_RAWIO", "DAC_READ_SEARCH", "BPF",
                                       "SYS_BOOT",   NULL};
    size_t i;

    for (i = 0; caps[i]; i++)
        if (!strcmp(c, caps[i]))
            return 1;
    return 0;
}

/* Report added capabilities; *sys_admin is set when they imply privilege escalation. */
static int check_caps(const struct k8s_obj *ob, const struct leakscan_node *csc, const char *cname,
                      int *sys_admin)
{
    const struct leakscan_node *akey,
        *add = k8s_get(k8s_get(csc, "capabilities", NULL), "add", &akey);
    char list[256] = "", c[64];
    size_t i, used = 0, n = 0;
    int high = 0;

    *sys_admin = 0;
    if (!add || add->type != LEAKSCAN_NODE_SEQ)
        return 0;
    for (i = 0; i < add->count; i++) {
        if (!k8s_str(add->items[i]))
            continue;
        cap_name(add->items[i]->value, c, sizeof(c));
        if (!strcmp(c, "NET_BIND_SERVICE") || !*c)
            continue;
        high |= dangerous_cap(c);
        if (!strcmp(c, "ALL") || !strcmp(c, "SYS_ADMIN"))
            *sys_admin = 1;
        if (used < sizeof(list))
            used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s", n ? ", " : "", c);
        n++;
    }
    if (!n)
        return 0;
    return k8s_report(ob, "k8s-pod-capabilities", high ? LEAKSCAN_SEV_HIGH : -1, akey, cname,
                      "container '%s' adds capabilit%s %s%s", cname, n == 1 ? "y" : "ies", list,
                      high ? " (root-equivalent on the node or its network)" : "");
}

/* ---- run as root ---- */

struct names {
    size_t n;
    char buf[200];
};

static void add_name(struct names *l, const char *name)
{
    size_t used = strlen(l->buf);

    if (l->n++ < 4)
        snprintf(l->buf + used, sizeof(l->buf) - used, "%s'%s'", used ? ", " : "", name);
    else if (l->n == 5)
        snprintf(l->buf + used, sizeof(l->buf) - used, ", ...");
}

struct root_check {
    const struct leakscan_node *psc;      /* pod securityContext (map or NULL) */
    const struct leakscan_node *pod_uid0; /* the pod's runAsUser: 0 key, when it applies */
    struct names pod_uid0_names;          /* containers that inherit it */
    struct names unset;                   /* containers with nothing set */
};

/* Decide one container; reports a container-level runAsUser: 0 at once. */
static int check_root(const struct k8s_obj *ob, struct root_check *rc,
                      const struct leakscan_node *csc, const char *cname)
{
    const struct leakscan_node *nrkey, *ukey, *nr, *uid;
    long long u;
    int pod_level = 0;

    nr = k8s_get(csc, "runAsNonRoot", &nrkey);
    if (!nr)
        nr = k8s_get(rc->psc, "runAsNonRoot", &nrkey);
    uid = k8s_get(csc, "runAsUser", &ukey);
    if (!uid) {
        uid = k8s_get(rc->psc, "runAsUser", &ukey);
        pod_level = 1;
    }
    /* runAsNonRoot: true with runAsUser: 0 does not start: not a risk */
    if (k8s_is_true(nr))
        return 0;
    if (uid && k8s_int(uid, &u)) {
        if (u > 0)
            return 0;
        if (pod_level) {
            rc->pod_uid0 = ukey;
            add_name(&rc->pod_uid0_names, cname);
            return 0;
        }
        return k8s_report(ob, "k8s-pod-run-as-root", LEAKSCAN_SEV_HIGH, ukey, cname,
                          "container '%s' runs as root (runAsUser: 0): a container escape "
                          "lands as root on the node",
                          cname);
    }
    if (!ob->f->templated)
        add_name(&rc->unset, cname);
    return 0;
}

static int report_root(const struct k8s_obj *ob, const struct root_check *rc,
                       const struct leakscan_node *at)
{
    int r = 0;

    if (rc->pod_uid0_names.n)
        r = k8s_report(ob, "k8s-pod-run-as-root", LEAKSCAN_SEV_HIGH, rc->pod_uid0, "pod",
                       "the pod sets runAsUser: 0, so container%s %s run%s as root",
                       rc->pod_uid0_names.n == 1 ? "" : "s", rc->pod_uid0_names.buf,
                       rc->pod_uid0_names.n == 1 ? "s" : "");
    if (!r && rc->unset.n)
        r = k8s_report(ob, "k8s-pod-run-as-root", -1, at, "unset",
                       "container%s %s may run as root: neither the pod nor the container sets "
                       "runAsNonRoot: true or runAsUser > 0, so the image's USER decides",
                       rc->unset.n == 1 ? "" : "s", rc->unset.buf);
    return r;
}

/* ---- containers ---- */

static int check_container(const struct k8s_obj *ob, const struct leakscan_node *c, int windows,
                           struct root_check *root)
{
    const struct leakscan_node *csc = k8s_get(c, "securityContext", NULL);
    const struct leakscan_node *pkey, *ekey, *priv, *esc;
    const char *cname = k8s_str(k8s_get(c, "name", NULL));
    int rc, sys_admin = 0, privileged;

    if (!cname || !*cname)
        cname = "?";
    priv = k8s_get(csc, "privileged", &pkey);
    privileged = k8s_is_true(priv);
    if (privileged &&
        (rc = k8s_report(ob, "k8s-pod-privileged", -1, pkey, cname,
                         "container '%s' is privileged: every capability and the node's devices, "
                         "root on the node",
                         cname)) != 0)
        return rc;
    if ((rc = check_caps(ob, csc, cname, &sys_admin)) != 0)
        return rc;
    /*
     * privileged and CAP_SYS_ADMIN imply escalation (the API even refuses
     * allowPrivilegeEscalation: false with them): reported above already.
     */
    esc = k8s_get(csc, "allowPrivilegeEscalation", &ekey);
    if (!privileged && !sys_admin && !windows && !k8s_is_false(esc)) {
        if (esc)
            rc = k8s_report(ob, "k8s-pod-privilege-escalation", -1, ekey, cname,
                            "container '%s' sets allowPrivilegeEscalation: %s: setuid binaries "
                            "can gain privileges; set it to false",
                            cname, k8s_str(esc) ? esc->value : "?");
        else if (!ob->f->templated)
            rc = k8s_report(ob, "k8s-pod-privilege-escalation", -1, c, cname,
                            "container '%s' does not set allowPrivilegeEscalation: false (the "
                            "default allows setuid binaries to gain privileges)",
                            cname);
        if (rc)
            return rc;
    }
    if (!windows && (rc = check_root(ob, root, csc, cname)) != 0)
        return rc;
    return k8s_check_env(ob, c, cname);
}

static int check_token(const struct k8s_obj *ob, const struct leakscan_node *spec,
                       const struct leakscan_node *speckey)
{
    const struct leakscan_node *akey, *am = k8s_get(spec, "automountServiceAccountToken", &akey);
    const char *sa = k8s_str(k8s_get(spec, "serviceAccountName", NULL));
    struct k8s_automount_rec rec;
    char allow[1024];

    if (!sa || !*sa)
        sa = k8s_str(k8s_get(spec, "serviceAccount", NULL)); /* deprecated alias */
    if (!sa || !*sa)
        sa = "default";
    if (k8s_is_false(am))
        return 0;
    if (am)
        return k8s_report(ob, "k8s-pod-automount-token", -1, akey, "pod",
                          "the pod sets automountServiceAccountToken: %s: every container gets "
                          "a token for ServiceAccount '%s'; set it to false unless the pod "
                          "calls the Kubernetes API",
                          k8s_str(am) ? am->value : "?", sa);
    if (ob->f->templated)
        return 0;
    /* unset: the ServiceAccount decides, and it may be in another file: see k8s_pod_finish */
    snprintf(allow, sizeof(allow), "%s,%s", ob->allow ? ob->allow : "",
             ob->tmpl_allow ? ob->tmpl_allow : "");
    memset(&rec, 0, sizeof(rec));
    rec.path = ob->f->origin->path;
    rec.object = ob->object;
    rec.allow = allow;
    rec.ns = ob->ns ? ob->ns : "-";
    rec.sa = sa;
    rec.line = speckey ? speckey->line : ob->root->line;
    rec.column = speckey ? speckey->column : ob->root->column;
    return k8s_state_add_automount(ob->f->s, &rec);
}

static int check_pod(const struct k8s_obj *ob, const struct leakscan_node *spec,
                     const struct leakscan_node *speckey)
{
    static const char *const host[][3] = {
        {"hostNetwork", "k8s-pod-host-network",
         "the pod shares the node's network (hostNetwork): it can reach node-local services and "
         "see all traffic of the node"},
        {"hostPID", "k8s-pod-host-pid",
         "the pod shares the node's process namespace (hostPID): it can see, signal and inspect "
         "every process on the node"},
        {"hostIPC", "k8s-pod-host-ipc",
         "the pod shares the node's IPC namespace (hostIPC): it can read shared memory of "
         "processes on the node"}};
    const struct leakscan_node *k, *v, *pkey, *list;
    struct root_check root;
    size_t i, j;
    int rc, windows;

    for (i = 0; i < sizeof(host) / sizeof(*host); i++) {
        v = k8s_get(spec, host[i][0], &k);
        if (k8s_is_true(v) && (rc = k8s_report(ob, host[i][1], -1, k, NULL, "%s", host[i][2])) != 0)
            return rc;
    }
    if ((rc = check_host_paths(ob, spec)) != 0)
        return rc;
    if ((rc = check_token(ob, spec, speckey)) != 0)
        return rc;
    /* Windows pods have no UIDs nor setuid */
    windows = leakscan_node_is(k8s_get(k8s_get(spec, "os", NULL), "name", NULL), "windows");
    memset(&root, 0, sizeof(root));
    root.psc = k8s_get(spec, "securityContext", &pkey);
    for (i = 0; CONTAINER_LISTS[i]; i++) {
        list = k8s_get(spec, CONTAINER_LISTS[i], NULL);
        if (!list || list->type != LEAKSCAN_NODE_SEQ)
            continue;
        for (j = 0; j < list->count; j++)
            if (list->items[j]->type == LEAKSCAN_NODE_MAP &&
                (rc = check_container(ob, list->items[j], windows, &root)) != 0)
                return rc;
    }
    /* the fix for containers with nothing set is one line in the pod's securityContext */
    return report_root(ob, &root, root.psc ? pkey : speckey);
}

int k8s_check_workload(struct k8s_obj *ob)
{
    const struct leakscan_node *root = ob->root, *tmpl, *spec, *speckey;
    int rc;

    if (!strcmp(ob->kind, "Pod")) {
        tmpl = NULL;
        spec = k8s_get(root, "spec", &speckey);
    } else {
        if (!strcmp(ob->kind, "PodTemplate"))
            tmpl = k8s_get(root, "template", NULL);
        else if (!strcmp(ob->kind, "CronJob"))
            tmpl = k8s_get(
                k8s_get(k8s_get(k8s_get(root, "spec", NULL), "jobTemplate", NULL), "spec", NULL),
                "template", NULL);
        else
            tmpl = k8s_get(k8s_get(root, "spec", NULL), "template", NULL);
        spec = k8s_get(tmpl, "spec", &speckey);
    }
    if (!spec || spec->type != LEAKSCAN_NODE_MAP)
        return 0;
    /* the pod template's own annotations suppress the checks of the pod too */
    if (tmpl && !ob->f->o->no_annotations)
        ob->tmpl_allow =
            k8s_str(k8s_get(k8s_get(k8s_get(tmpl, "metadata", NULL), "annotations", NULL),
                            K8S_ALLOW_ANNOTATION, NULL));
    rc = check_pod(ob, spec, speckey);
    ob->tmpl_allow = NULL;
    return rc;
}

/* ---- finish: token automount left to the ServiceAccount ---- */

static int cmp_sa(const void *a, const void *b)
{
    const struct k8s_sa_rec *x = a, *y = b;
    int c = strcmp(x->ns, y->ns);

    return c ? c : strcmp(x->name, y->name);
}

int k8s_pod_finish(struct k8s_state *s, const struct k8s_file *fin)
{
    struct leakscan_origin origin;
    struct leakscan_node at;
    struct k8s_sa_rec key;
    struct k8s_file f = *fin;
    struct k8s_obj ob;
    size_t i;
    int rc;

    memset(&origin, 0, sizeof(origin));
    memset(&at, 0, sizeof(at));
    f.origin = &origin;
    for (i = 0; i < s->nautomounts; i++) {
        const struct k8s_automount_rec *a = &s->automounts[i];

        key.ns = a->ns;
        key.name = a->sa;
        /* the ServiceAccount of the scan sets automountServiceAccountToken: false */
        if (s->nsas && bsearch(&key, s->sas, s->nsas, sizeof(*s->sas), cmp_sa))
            continue;
        origin.path = a->path;
        at.line = a->line;
        at.column = a->column;
        memset(&ob, 0, sizeof(ob));
        ob.f = &f;
        ob.root = &at;
        ob.object = a->object;
        ob.allow = a->allow;
        rc = k8s_report(&ob, "k8s-pod-automount-token", -1, &at, "pod",
                        "the pod does not set automountServiceAccountToken: false and neither "
                        "does ServiceAccount '%s' in this scan: every container gets an API "
                        "token; turn it off unless the pod calls the Kubernetes API",
                        a->sa);
        if (rc)
            return rc;
    }
    return 0;
}
