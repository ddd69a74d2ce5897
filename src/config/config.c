/*
 * config.c - `.leakscan.yaml` / `--config FILE`.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leakscan/buf.h"
#include "leakscan/config.h"
#include "leakscan/doc.h"

#define AT(n) path, (n)->line, (n)->column

void leakscan_config_init(struct leakscan_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->fail_on = LEAKSCAN_SEV_LOW;
}

void leakscan_config_release(struct leakscan_config *cfg)
{
    size_t i;

    for (i = 0; i < cfg->nexclude; i++)
        free(cfg->exclude[i]);
    free(cfg->exclude);
    free(cfg->baseline);
    leakscan_config_init(cfg);
}

/* A list of non-empty strings (a single string is a list of one). */
static int each_string(const char *path, const struct leakscan_node *v, const char *key,
                       int (*fn)(void *ctx, const struct leakscan_node *s), void *ctx,
                       struct leakscan_err *err)
{
    size_t i, n = v->type == LEAKSCAN_NODE_SEQ ? v->count : 1;
    int rc;

    if (v->type == LEAKSCAN_NODE_MAP)
        return leakscan_err_set(err, LEAKSCAN_EPARSE, "%s:%u:%u: '%s' must be a list of strings",
                                AT(v), key);
    for (i = 0; i < n; i++) {
        const struct leakscan_node *s = v->type == LEAKSCAN_NODE_SEQ ? v->items[i] : v;
        if (s->type != LEAKSCAN_NODE_SCALAR || !s->len || memchr(s->value, '\0', s->len))
            return leakscan_err_set(err, LEAKSCAN_EPARSE,
                                    "%s:%u:%u: '%s' must be a list of non-empty strings", AT(s),
                                    key);
        if ((rc = fn(ctx, s)))
            return rc;
    }
    return 0;
}

struct ctx {
    struct leakscan_config *cfg;
    struct leakscan_ruleset *rs;
    const char *path;
    struct leakscan_err *err;
};

static int add_exclude(void *p, const struct leakscan_node *s)
{
    struct ctx *c = p;
    char **v = realloc(c->cfg->exclude, (c->cfg->nexclude + 1) * sizeof(*v));

    if (!v)
        return leakscan_err_set(c->err, LEAKSCAN_ENOMEM, "out of memory");
    c->cfg->exclude = v;
    if (!(v[c->cfg->nexclude] = strdup(s->value)))
        return leakscan_err_set(c->err, LEAKSCAN_ENOMEM, "out of memory");
    c->cfg->nexclude++;
    return 0;
}

static int disable(void *p, const struct leakscan_node *s)
{
    struct ctx *c = p;

    if (leakscan_ruleset_disable(c->rs, s->value, NULL))
        return leakscan_err_set(c->err, LEAKSCAN_EPARSE,
                                "%s:%u:%u: no rule with id '%s' to disable (see leakscan rules "
                                "list)",
                                c->path, s->line, s->column, s->value);
    return 0;
}

static int allow(void *p, const struct leakscan_node *s)
{
    struct ctx *c = p;
    char where[512];

    snprintf(where, sizeof(where), "%s:%u:%u", c->path, s->line, s->column);
    return leakscan_ruleset_add_allow(c->rs, s->value, where, c->err);
}

/* The directory part of path joined with rel (rel itself when absolute). */
static char *relative_to(const char *path, const char *rel)
{
    const char *slash = strrchr(path, '/');
    size_t dl = slash ? (size_t)(slash - path) + 1 : 0, rl = strlen(rel);
    char *s;

    if (rel[0] == '/')
        dl = 0;
    s = malloc(dl + rl + 1);
    if (!s)
        return NULL;
    memcpy(s, path, dl);
    memcpy(s + dl, rel, rl + 1);
    return s;
}

int leakscan_config_load(struct leakscan_config *cfg, struct leakscan_ruleset *rs, const char *path,
                         struct leakscan_err *err)
{
    struct leakscan_buf b;
    int rc;

    leakscan_buf_init(&b);
    rc = leakscan_buf_read_file(&b, path, 16u * 1024 * 1024, err);
    if (!rc)
        rc = leakscan_config_load_text(cfg, rs, path, b.data ? b.data : "", b.len, err);
    leakscan_buf_release(&b);
    return rc == LEAKSCAN_ETOOBIG ? LEAKSCAN_EPARSE : rc;
}

int leakscan_config_load_text(struct leakscan_config *cfg, struct leakscan_ruleset *rs,
                              const char *path, const char *data, size_t len,
                              struct leakscan_err *err)
{
    struct leakscan_doc *doc = NULL;
    const struct leakscan_node *root;
    struct ctx c = {cfg, rs, path, err};
    size_t i;
    int rc;

    rc = leakscan_doc_parse(&doc, path, data, len, NULL, err);
    if (rc)
        goto out;
    if (doc->ndocs == 0 || (doc->docs[0]->type == LEAKSCAN_NODE_SCALAR && !doc->docs[0]->len))
        goto out; /* an empty config changes nothing */
    root = doc->docs[0];
    if (doc->ndocs != 1 || root->type != LEAKSCAN_NODE_MAP) {
        rc = leakscan_err_set(err, LEAKSCAN_EPARSE, "%s: a config file must be one YAML mapping",
                              path);
        goto out;
    }
    for (i = 0; i < root->count && !rc; i++) {
        const struct leakscan_node *k = root->items[2 * i], *v = root->items[2 * i + 1];

        if (leakscan_node_is(k, "rules")) {
            rc = leakscan_ruleset_load_node(rs, path, v, 1, err);
        } else if (leakscan_node_is(k, "disable") || leakscan_node_is(k, "disabled_rules")) {
            rc = each_string(path, v, "disable", disable, &c, err);
        } else if (leakscan_node_is(k, "paths")) {
            rc = each_string(path, v, "paths", add_exclude, &c, err);
        } else if (leakscan_node_is(k, "allow")) {
            rc = each_string(path, v, "allow", allow, &c, err);
        } else if (leakscan_node_is(k, "fail_on")) {
            if (leakscan_node_is(v, "none")) {
                cfg->fail_never = 1;
                cfg->has_fail_on = 1;
            } else if (v->type != LEAKSCAN_NODE_SCALAR ||
                       leakscan_severity_parse(&cfg->fail_on, v->value)) {
                rc = leakscan_err_set(err, LEAKSCAN_EPARSE,
                                      "%s:%u:%u: 'fail_on' must be critical, high, medium, low, "
                                      "info or none",
                                      AT(v));
            } else {
                cfg->has_fail_on = 1;
                cfg->fail_never = 0;
            }
        } else if (leakscan_node_is(k, "baseline")) {
            if (v->type != LEAKSCAN_NODE_SCALAR || !v->len) {
                rc = leakscan_err_set(err, LEAKSCAN_EPARSE,
                                      "%s:%u:%u: 'baseline' must be a file name", AT(v));
            } else {
                free(cfg->baseline);
                if (!(cfg->baseline = relative_to(path, v->value)))
                    rc = leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
            }
        } else {
            rc = leakscan_err_set(err, LEAKSCAN_EPARSE,
                                  "%s:%u:%u: unknown config key '%s' (known: rules, disable, "
                                  "paths, allow, fail_on, baseline)",
                                  AT(k), k->type == LEAKSCAN_NODE_SCALAR ? k->value : "?");
        }
    }
out:
    if (rc == LEAKSCAN_ETOOBIG)
        rc = LEAKSCAN_EPARSE;
    leakscan_doc_free(doc);
    return rc;
}
