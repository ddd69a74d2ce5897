/*
 * iam_cloud.c - GCP IAM policies (`gcloud ... get-iam-policy` output:
 * bindings of a role to members, with an optional condition) and Azure role
 * definitions (the az CLI form with Actions/NotActions/DataActions/
 * AssignableScopes, and the REST/ARM form with properties.permissions[]).
 */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "iam_int.h"

/* ---- shared ---- */

static int ends_icase(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);

    return n >= m && iam_streq_icase(s + n - m, suffix);
}

/* "user:a@example.com and 2 more" */
static void members_str(const struct leakscan_node *members, char *buf, size_t size)
{
    const char *first = NULL;
    size_t i, n = iam_nelems(members);

    for (i = 0; i < n && !first; i++)
        first = iam_str(iam_elem(members, i));
    if (!first)
        snprintf(buf, size, "no member");
    else if (n > 1)
        snprintf(buf, size, "%s and %zu more", first, n - 1);
    else
        snprintf(buf, size, "%s", first);
}

/* ---- GCP ---- */

int iam_is_gcp_policy(const struct leakscan_node *n)
{
    const struct leakscan_node *b = iam_get(n, "bindings", NULL);
    size_t i;

    if (!b || b->type != LEAKSCAN_NODE_SEQ)
        return 0;
    for (i = 0; i < b->count; i++)
        if (iam_get(b->items[i], "role", NULL) && iam_get(b->items[i], "members", NULL))
            return 1;
    return 0;
}

/* The last word of a role id: "roles/iam.serviceAccountAdmin" -> "serviceAccountAdmin". */
static const char *role_word(const char *role)
{
    const char *slash = strrchr(role, '/'), *dot;

    role = slash ? slash + 1 : role;
    dot = strrchr(role, '.');
    return dot ? dot + 1 : role;
}

static int gcp_admin(const char *role)
{
    return ends_icase(role_word(role), "admin");
}

/* Roles that act as other identities. */
static int gcp_impersonation(const char *role)
{
    static const char *const roles[] = {"roles/iam.serviceAccountUser",
                                        "roles/iam.serviceAccountTokenCreator",
                                        "roles/iam.workloadIdentityUser", NULL};
    size_t i;

    for (i = 0; roles[i]; i++)
        if (!strcmp(role, roles[i]))
            return 1;
    return 0;
}

static int gcp_public(const char *m)
{
    return !strcmp(m, "allUsers") || !strcmp(m, "allAuthenticatedUsers");
}

static int gcp_binding(const struct iam_where *w, const struct leakscan_node *b)
{
    const struct leakscan_node *rn = iam_get(b, "role", NULL), *members, *cn, *m;
    const char *role = iam_str(rn), *mt, *word;
    char who[256];
    int cond, sev, rc, sa = 0, people = 0;
    size_t i;

    members = iam_get(b, "members", NULL);
    if (!role || !members)
        return 0;
    cn = iam_get(b, "condition", NULL);
    cond = cn && (cn->type != LEAKSCAN_NODE_SCALAR || (cn->len && strcmp(cn->value, "null")));
    members_str(members, who, sizeof(who));
    for (i = 0; i < iam_nelems(members); i++) {
        if (!(mt = iam_str(iam_elem(members, i))))
            continue;
        if (!strncmp(mt, "serviceAccount:", 15))
            sa = 1;
        else if (!gcp_public(mt) && strncmp(mt, "deleted:", 8))
            people = 1;
    }

    if (!strcmp(role, "roles/owner") || !strcmp(role, "roles/editor") ||
        !strcmp(role, "roles/viewer")) {
        sev = role[6] == 'v' ? LEAKSCAN_SEV_LOW : sa ? LEAKSCAN_SEV_CRITICAL : LEAKSCAN_SEV_HIGH;
        if (cond && role[6] != 'v')
            sev = iam_lower(sev);
        if ((rc = iam_report(w, "iam-gcp-primitive-role", sev, rn, role, cond ? "condition" : NULL,
                             "%s granted to %s: a basic role spans every service of the resource; "
                             "grant the predefined roles for what %s",
                             role, who, iam_nelems(members) > 1 ? "they do" : "it does")) != 0)
            return rc;
    }

    for (i = 0; i < iam_nelems(members); i++) {
        m = iam_elem(members, i);
        if (!(mt = iam_str(m)))
            continue;
        if (gcp_public(mt)) {
            word = role_word(role);
            sev = ends_icase(word, "viewer") || ends_icase(word, "reader") ? LEAKSCAN_SEV_HIGH
                  : ends_icase(word, "invoker")                            ? LEAKSCAN_SEV_MEDIUM
                                                                           : -1;
            if ((rc = iam_report(w, "iam-gcp-public-member", sev, m, role, mt,
                                 "%s granted to %s: %s%s", role, mt,
                                 mt[3] == 'U' ? "anyone on the internet, without signing in"
                                              : "anyone with a Google account",
                                 sev == LEAKSCAN_SEV_MEDIUM
                                     ? " can call it (a public endpoint: intended?)"
                                     : "; grant it to the users or groups that need it")) != 0)
                return rc;
        } else if (!strncmp(mt, "serviceAccount:", 15) && gcp_admin(role)) {
            if ((rc = iam_report(w, "iam-gcp-admin-to-sa", cond ? LEAKSCAN_SEV_MEDIUM : -1, m, role,
                                 mt,
                                 "%s granted to %s: whoever holds its key or can impersonate it "
                                 "administers what the role covers; grant the narrower roles it "
                                 "uses",
                                 role, mt + 15)) != 0)
                return rc;
        }
    }

    if (!cond && people && (gcp_admin(role) || gcp_impersonation(role)))
        return iam_report(w, "iam-gcp-unconditional-broad", -1, rn, role, "unconditional",
                          "%s granted to %s without a condition: add an IAM condition (resource "
                          "name, expiry) or grant a narrower role",
                          role, who);
    return 0;
}

int iam_gcp_policy(const struct iam_where *w, const struct leakscan_node *policy)
{
    const struct leakscan_node *b = iam_get(policy, "bindings", NULL);
    size_t i;
    int rc = 0;

    for (i = 0; i < b->count && !rc; i++)
        rc = gcp_binding(w, b->items[i]);
    return rc;
}

/* ---- Azure ---- */

/* What assigning roles takes: a role that grants these can make itself Owner. */
static const char *const azure_auth_actions[] = {"Microsoft.Authorization/roleAssignments/write",
                                                 "Microsoft.Authorization/roleDefinitions/write",
                                                 "Microsoft.Authorization/elevateAccess/action",
                                                 NULL};

static const struct leakscan_node *az(const struct leakscan_node *n, const char *key)
{
    return iam_get_icase(n, key, NULL);
}

static int az_has_perms(const struct leakscan_node *n)
{
    const struct leakscan_node *p = az(n, "permissions");

    return az(n, "Actions") || az(n, "DataActions") || (p && p->type == LEAKSCAN_NODE_SEQ);
}

static int az_has_marker(const struct leakscan_node *n)
{
    return az(n, "AssignableScopes") || az(n, "roleName") || az(n, "IsCustom") || az(n, "roleType");
}

int iam_is_azure_role(const struct leakscan_node *n)
{
    const struct leakscan_node *props;

    if (!n || n->type != LEAKSCAN_NODE_MAP)
        return 0;
    if (az_has_perms(n) && az_has_marker(n))
        return 1;
    props = az(n, "properties");
    return props && az_has_perms(props) && az_has_marker(props);
}

/* NotActions takes `action` out. */
static int az_excluded(const struct leakscan_node * not, const char *action)
{
    const char *t;
    size_t i;

    for (i = 0; i < iam_nelems(not ); i++)
        if ((t = iam_elem_text(iam_elem(not, i))) && iam_glob(t, action, 1))
            return 1;
    return 0;
}

/* A wildcard that is not read-only: "*", "Microsoft.Compute/" and a star; not ".../read". */
static int az_broad(const char *a)
{
    return strchr(a, '*') && !ends_icase(a, "/read");
}

static int az_block(const struct iam_where *w, const struct leakscan_node *b, const char *name,
                    int *broad)
{
    const struct leakscan_node *acts = az(b, "Actions"), *nacts = az(b, "NotActions"), *e;
    const struct leakscan_node *dacts = az(b, "DataActions");
    const char *t;
    size_t i, j;
    int rc, assign;

    for (i = 0; i < iam_nelems(acts); i++) {
        e = iam_elem(acts, i);
        if (!(t = iam_elem_text(e)))
            continue;
        *broad |= az_broad(t);
        if (!strcmp(t, "*")) {
            assign = !az_excluded(nacts, azure_auth_actions[0]);
            if ((rc = iam_report(w, "iam-azure-wildcard-actions",
                                 assign ? LEAKSCAN_SEV_CRITICAL : -1, e, name, "Actions",
                                 "\"*\" in Actions: every management operation on every resource "
                                 "type%s; list the operations the role needs",
                                 assign ? ", role assignments included (Owner-equivalent)" : "")) !=
                0)
                return rc;
            continue;
        }
        for (j = 0; azure_auth_actions[j]; j++) {
            if (!iam_glob(t, azure_auth_actions[j], 1) || az_excluded(nacts, azure_auth_actions[j]))
                continue;
            if ((rc = iam_report(w, "iam-azure-authorization-write", -1, e, name, t,
                                 "%s grants %s: the role can give anyone (itself included) any "
                                 "role; leave access management to Owner or User Access "
                                 "Administrator",
                                 t, azure_auth_actions[j])) != 0)
                return rc;
            break;
        }
    }
    for (i = 0; i < iam_nelems(dacts); i++) {
        e = iam_elem(dacts, i);
        if (!(t = iam_elem_text(e)))
            continue;
        *broad |= az_broad(t);
        if (!strcmp(t, "*") &&
            (rc = iam_report(w, "iam-azure-wildcard-actions", -1, e, name, "DataActions",
                             "\"*\" in DataActions: read and write every blob, queue, secret and "
                             "key the role reaches; list the data operations it needs")) != 0)
            return rc;
    }
    return 0;
}

/* "/", a management group: high; a whole subscription: medium; else 0. */
static int az_scope_sev(const char *s, const char **what)
{
    const char *p;

    if (!strcmp(s, "/")) {
        *what = "the whole tenant";
        return LEAKSCAN_SEV_HIGH;
    }
    if (!strncmp(s, "/providers/Microsoft.Management/managementGroups/", 49)) {
        *what = "a management group";
        return LEAKSCAN_SEV_HIGH;
    }
    if (!strcmp(s, "[subscription().id]")) {
        *what = "the whole subscription";
        return LEAKSCAN_SEV_MEDIUM;
    }
    if (!strncmp(s, "/subscriptions/", 15)) {
        p = strchr(s + 15, '/');
        if (!p || !p[1]) {
            *what = "a whole subscription";
            return LEAKSCAN_SEV_MEDIUM;
        }
    }
    return 0;
}

int iam_azure_role(const struct iam_where *w, const struct leakscan_node *role)
{
    const struct leakscan_node *props = az(role, "properties"), *perms, *scopes, *e;
    const char *name, *t, *what = NULL;
    int broad = 0, rc = 0, sev;
    size_t i;

    name = iam_str(az(props, "roleName"));
    if (!name)
        name = iam_str(az(role, "roleName"));
    if (!name && (name = iam_str(az(role, "Name"))) != NULL && name[0] == '[')
        name = NULL; /* an ARM expression ("[guid(...)]") */
    if (!name || !*name)
        name = "roleDefinition";
    scopes = az(role, "AssignableScopes");
    if (!scopes)
        scopes = az(props, "assignableScopes");

    if (az(role, "Actions") || az(role, "DataActions")) {
        rc = az_block(w, role, name, &broad);
    } else {
        perms = az(role, "permissions");
        if (!perms)
            perms = az(props, "permissions");
        for (i = 0; perms && perms->type == LEAKSCAN_NODE_SEQ && i < perms->count && !rc; i++)
            rc = az_block(w, perms->items[i], name, &broad);
    }
    if (rc || !broad)
        return rc;
    for (i = 0; i < iam_nelems(scopes) && !rc; i++) {
        e = iam_elem(scopes, i);
        if (!(t = iam_elem_text(e)) || !(sev = az_scope_sev(t, &what)))
            continue;
        rc = iam_report(w, "iam-azure-broad-scope", sev, e, name, t,
                        "a role with wildcard actions assignable at %s (%s): list resource groups "
                        "or resources in AssignableScopes, or narrow the actions",
                        what, t);
    }
    return rc;
}
