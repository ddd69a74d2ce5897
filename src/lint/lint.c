/*
 * lint.c - the lint registry and the finding emitter shared by all lints.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dotenv.h"
#include "iam.h"
#include "k8s.h"
#include "leakscan/doc.h"
#include "leakscan/lint.h"
#include "leakscan/secret.h"

struct leakscan_lint {
    struct leakscan_lint_opts opts;
    struct k8s_state *k8s;
    pthread_mutex_t lock; /* guards stats */
    struct leakscan_lint_stats stats;
};

static const struct leakscan_check *const check_tables[] = {dotenv_checks, k8s_checks, iam_checks};

const struct leakscan_check *leakscan_lint_check_at(size_t i)
{
    size_t t, n;

    for (t = 0; t < sizeof(check_tables) / sizeof(*check_tables); t++) {
        for (n = 0; check_tables[t][n].id; n++)
            ;
        if (i < n)
            return &check_tables[t][i];
        i -= n;
    }
    return NULL;
}

const struct leakscan_check *leakscan_lint_check(const char *id)
{
    const struct leakscan_check *c;
    size_t i;

    for (i = 0; (c = leakscan_lint_check_at(i)) != NULL; i++)
        if (!strcmp(c->id, id))
            return c;
    return NULL;
}

int leakscan_lint_new(struct leakscan_lint **out, const struct leakscan_lint_opts *opts,
                      struct leakscan_err *err)
{
    struct leakscan_lint *l = calloc(1, sizeof(*l));

    *out = NULL;
    if (!l || k8s_state_new(&l->k8s)) {
        free(l);
        return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
    }
    if (opts)
        l->opts = *opts;
    pthread_mutex_init(&l->lock, NULL);
    *out = l;
    return 0;
}

void leakscan_lint_free(struct leakscan_lint *l)
{
    if (!l)
        return;
    k8s_state_free(l->k8s);
    pthread_mutex_destroy(&l->lock);
    free(l);
}

static int is_manifest_name(const char *path)
{
    const char *dot = path ? strrchr(path, '.') : NULL;

    return dot && (!strcmp(dot, ".yaml") || !strcmp(dot, ".yml") || !strcmp(dot, ".json"));
}

static void add_stats(struct leakscan_lint *l, const struct leakscan_lint_stats *s)
{
    pthread_mutex_lock(&l->lock);
    l->stats.manifests += s->manifests;
    l->stats.suppressed += s->suppressed;
    l->stats.unparsed += s->unparsed;
    pthread_mutex_unlock(&l->lock);
}

static int has(const struct leakscan_blob *b, const char *needle)
{
    size_t n = strlen(needle), i;
    const char *p;

    for (i = 0; i + n <= b->len; i++) {
        p = memchr(b->data + i, needle[0], b->len - i - n + 1);
        if (!p)
            return 0;
        i = (size_t)(p - b->data);
        if (!memcmp(p, needle, n))
            return 1;
    }
    return 0;
}

/* The keys every policy form has: AWS Statement, GCP bindings, Azure (A|a)ctions. */
static int may_hold_policy(const struct leakscan_blob *b)
{
    return has(b, "Statement") || has(b, "bindings") || has(b, "ctions") ||
           has(b, "iamRoleStatements");
}

int leakscan_lint_blob(struct leakscan_lint *l, struct leakscan_scanner *sc,
                       const struct leakscan_blob *blob, const struct leakscan_sink *sink,
                       struct leakscan_err *err)
{
    struct leakscan_lint_stats s;
    int rc;

    if (!is_manifest_name(blob->origin.path))
        return 0;
    memset(&s, 0, sizeof(s));
    rc = k8s_lint_file(l->k8s, &l->opts, sc, blob, sink, &s, err);
    if (!rc && may_hold_policy(blob)) {
        /*
         * NEEDSWORK: the Kubernetes lint parses the file itself; parse once
         * here and hand the tree to both. A file that does not parse was
         * already reported by the Kubernetes lint. Files without a policy's
         * keys are not parsed a second time at all.
         */
        struct leakscan_doc *doc = NULL;
        struct leakscan_err perr;
        leakscan_err_init(&perr);
        if (leakscan_doc_parse(&doc, blob->origin.path ? blob->origin.path : "-", blob->data,
                               blob->len, NULL, &perr) == 0)
            rc = iam_lint_doc(&l->opts, doc, blob, sink, &s, err);
        leakscan_doc_free(doc);
    }
    add_stats(l, &s);
    return rc;
}

int leakscan_lint_finish(struct leakscan_lint *l, const struct leakscan_sink *sink,
                         struct leakscan_err *err)
{
    struct leakscan_lint_stats s;
    int rc;

    memset(&s, 0, sizeof(s));
    rc = k8s_lint_finish(l->k8s, &l->opts, sink, &s, err);
    add_stats(l, &s);
    return rc;
}

struct leakscan_lint_stats leakscan_lint_stats(const struct leakscan_lint *l)
{
    return l->stats;
}

int leakscan_lint_emit(const struct leakscan_sink *sink, const struct leakscan_origin *origin,
                       const char *check_id, int severity, const char *message, const char *object,
                       unsigned line, unsigned column, const char *detail)
{
    const struct leakscan_check *c = leakscan_lint_check(check_id);
    struct leakscan_finding f;
    char key[2048];
    int n;

    memset(&f, 0, sizeof(f));
    f.rule_id = check_id;
    f.category = c ? c->category : "lint";
    f.severity = severity >= 0 ? (enum leakscan_severity)severity
                 : c           ? c->severity
                               : LEAKSCAN_SEV_MEDIUM;
    f.message = message;
    f.origin = *origin;
    f.object = object;
    f.line = line ? line : 1;
    f.column = column ? column : 1;
    f.end_line = f.line;
    f.end_column = f.column;
    f.validated = -1;
    /* content, not position: a moved object keeps its fingerprint */
    n = snprintf(key, sizeof(key), "%s%c%s%c%s", origin->path ? origin->path : "", 0,
                 object ? object : "", 0, detail ? detail : "");
    if (n < 0)
        n = 0;
    if ((size_t)n >= sizeof(key))
        n = (int)sizeof(key) - 1;
    if (leakscan_fingerprint(f.fingerprint, check_id, key, (size_t)n))
        return LEAKSCAN_ERROR;
    return sink->finding(sink->payload, &f);
}
