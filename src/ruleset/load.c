/*
 * load.c - rule files (YAML) into struct leakscan_rule.
 *
 * Every key is checked: an unknown key, a wrong type or a missing field is
 * an error naming the file, line and column, so a typo never turns a rule
 * off silently.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "leakscan/buf.h"
#include "leakscan/doc.h"
#include "ruleset_int.h"

#define AT(n) name, (n)->line, (n)->column

static char *dup_scalar(const struct leakscan_node *n)
{
    char *s = malloc(n->len + 1);

    if (s) {
        memcpy(s, n->value, n->len);
        s[n->len] = '\0';
    }
    return s;
}

static int want_string(const char *name, const struct leakscan_node *n, const char *what,
                       struct leakscan_err *err)
{
    if (!n)
        return leakscan_err_set(err, LEAKSCAN_EPARSE, "%s: '%s' is missing", name, what);
    if (n->type != LEAKSCAN_NODE_SCALAR)
        return leakscan_err_set(err, LEAKSCAN_EPARSE, "%s:%u:%u: '%s' must be a string, not %s",
                                AT(n), what, leakscan_node_kind(n));
    if (n->len == 0)
        return leakscan_err_set(err, LEAKSCAN_EPARSE, "%s:%u:%u: '%s' is empty", AT(n), what);
    if (memchr(n->value, '\0', n->len))
        return leakscan_err_set(err, LEAKSCAN_EPARSE, "%s:%u:%u: '%s' holds a NUL byte", AT(n),
                                what);
    return 0;
}

/* A string, or a list of strings, into a NULL-free array. */
static int load_strings(const char *name, const struct leakscan_node *n, const char *what,
                        char ***out, size_t *count, struct leakscan_err *err)
{
    size_t i, k = n->type == LEAKSCAN_NODE_SEQ ? n->count : 1;
    int rc;

    if (n->type == LEAKSCAN_NODE_MAP)
        return leakscan_err_set(err, LEAKSCAN_EPARSE,
                                "%s:%u:%u: '%s' must be a string or a list of strings", AT(n),
                                what);
    *out = calloc(k ? k : 1, sizeof(char *));
    if (!*out)
        return LEAKSCAN_ENOMEM;
    *count = k;
    for (i = 0; i < k; i++) {
        const struct leakscan_node *s = n->type == LEAKSCAN_NODE_SEQ ? n->items[i] : n;
        rc = want_string(name, s, what, err);
        if (rc)
            return rc;
        (*out)[i] = dup_scalar(s);
        if (!(*out)[i])
            return LEAKSCAN_ENOMEM;
    }
    return 0;
}

static int parse_bool(const struct leakscan_node *n, int *out)
{
    static const char *const yes[] = {"true", "True", "TRUE", "yes", "on"};
    static const char *const no[] = {"false", "False", "FALSE", "no", "off"};
    size_t i;

    if (!n || n->type != LEAKSCAN_NODE_SCALAR || n->quoted)
        return -1;
    for (i = 0; i < sizeof(yes) / sizeof(*yes); i++) {
        if (leakscan_node_is(n, yes[i])) {
            *out = 1;
            return 0;
        }
        if (leakscan_node_is(n, no[i])) {
            *out = 0;
            return 0;
        }
    }
    return -1;
}

static int load_examples(const char *name, const struct leakscan_node *n, const char *what,
                         struct leakscan_example **out, size_t *count, struct leakscan_err *err)
{
    size_t i, j;
    int rc;

    if (n->type != LEAKSCAN_NODE_SEQ)
        return leakscan_err_set(err, LEAKSCAN_EPARSE, "%s:%u:%u: '%s' must be a list", AT(n), what);
    *out = calloc(n->count ? n->count : 1, sizeof(**out));
    if (!*out)
        return LEAKSCAN_ENOMEM;
    *count = n->count;
    for (i = 0; i < n->count; i++) {
        const struct leakscan_node *e = n->items[i];
        struct leakscan_example *ex = &(*out)[i];
        const struct leakscan_node *text = e;

        ex->validated = -1;
        ex->line = e->line;
        if (e->type == LEAKSCAN_NODE_MAP) {
            text = NULL;
            for (j = 0; j < e->count; j++) {
                const struct leakscan_node *k = e->items[2 * j], *v = e->items[2 * j + 1];
                size_t d;
                /* a repeated key would replace (and leak) the first */
                for (d = 0; d < j && k->type == LEAKSCAN_NODE_SCALAR; d++)
                    if (leakscan_node_is(e->items[2 * d], k->value))
                        return leakscan_err_set(err, LEAKSCAN_EPARSE,
                                                "%s:%u:%u: key '%s' appears twice in this example",
                                                AT(k), k->value);
                if (leakscan_node_is(k, "text")) {
                    text = v;
                } else if (leakscan_node_is(k, "path")) {
                    if ((rc = want_string(name, v, "path", err)))
                        return rc;
                    if (!(ex->path = dup_scalar(v)))
                        return LEAKSCAN_ENOMEM;
                } else if (leakscan_node_is(k, "secret")) {
                    if ((rc = want_string(name, v, "secret", err)))
                        return rc;
                    if (!(ex->secret = dup_scalar(v)))
                        return LEAKSCAN_ENOMEM;
                } else if (leakscan_node_is(k, "validated")) {
                    if (parse_bool(v, &ex->validated))
                        return leakscan_err_set(err, LEAKSCAN_EPARSE,
                                                "%s:%u:%u: 'validated' must be true or false",
                                                AT(v));
                } else {
                    return leakscan_err_set(err, LEAKSCAN_EPARSE,
                                            "%s:%u:%u: unknown key '%s' in an example (known: "
                                            "text, path, secret, validated)",
                                            AT(k),
                                            k->type == LEAKSCAN_NODE_SCALAR ? k->value : "?");
                }
            }
            if (!text)
                return leakscan_err_set(err, LEAKSCAN_EPARSE, "%s:%u:%u: example without 'text'",
                                        AT(e));
        }
        if (text->type != LEAKSCAN_NODE_SCALAR)
            return leakscan_err_set(err, LEAKSCAN_EPARSE,
                                    "%s:%u:%u: an example must be a string or a mapping with "
                                    "'text', not %s",
                                    AT(text), leakscan_node_kind(text));
        if (!(ex->text = dup_scalar(text)))
            return LEAKSCAN_ENOMEM;
        ex->len = text->len;
    }
    return 0;
}

static int valid_id(const char *s)
{
    const char *p;

    if (!*s || *s == '-')
        return 0;
    for (p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' ||
              *p == '_'))
            return 0;
    return 1;
}

static int load_rule(const char *name, const struct leakscan_node *m, struct leakscan_rule *r,
                     struct leakscan_err *err)
{
    size_t i;
    int rc;

    r->secret_group = -1;
    r->line = m->line;
    if (m->type != LEAKSCAN_NODE_MAP)
        return leakscan_err_set(err, LEAKSCAN_EPARSE, "%s:%u:%u: a rule must be a mapping, not %s",
                                AT(m), leakscan_node_kind(m));
    for (i = 0; i < m->count; i++) {
        const struct leakscan_node *k = m->items[2 * i], *v = m->items[2 * i + 1];
        char *end;

        if (k->type != LEAKSCAN_NODE_SCALAR)
            return leakscan_err_set(err, LEAKSCAN_EPARSE, "%s:%u:%u: rule keys must be strings",
                                    AT(k));
        {
            /* a repeated key would silently replace the first: say so */
            size_t j;
            for (j = 0; j < i; j++)
                if (leakscan_node_is(m->items[2 * j], k->value))
                    return leakscan_err_set(err, LEAKSCAN_EPARSE,
                                            "%s:%u:%u: key '%s' appears twice in this rule (first "
                                            "at line %u)",
                                            AT(k), k->value, m->items[2 * j]->line);
        }
        if (leakscan_node_is(k, "id")) {
            if ((rc = want_string(name, v, "id", err)))
                return rc;
            if (!(r->id = dup_scalar(v)))
                return LEAKSCAN_ENOMEM;
            if (!valid_id(r->id))
                return leakscan_err_set(err, LEAKSCAN_EPARSE,
                                        "%s:%u:%u: rule id '%s' must be lowercase letters, digits "
                                        "and '-'",
                                        AT(v), r->id);
        } else if (leakscan_node_is(k, "name")) {
            if ((rc = want_string(name, v, "name", err)))
                return rc;
            if (!(r->name = dup_scalar(v)))
                return LEAKSCAN_ENOMEM;
        } else if (leakscan_node_is(k, "severity")) {
            if ((rc = want_string(name, v, "severity", err)))
                return rc;
            if (leakscan_severity_parse(&r->severity, v->value))
                return leakscan_err_set(err, LEAKSCAN_EPARSE,
                                        "%s:%u:%u: unknown severity '%s' (critical, high, medium, "
                                        "low, info)",
                                        AT(v), v->value);
        } else if (leakscan_node_is(k, "keywords")) {
            if ((rc = load_strings(name, v, "keywords", &r->keywords, &r->nkeywords, err)))
                return rc;
        } else if (leakscan_node_is(k, "pattern")) {
            if ((rc = want_string(name, v, "pattern", err)))
                return rc;
            if (!(r->pattern = dup_scalar(v)))
                return LEAKSCAN_ENOMEM;
            r->pattern_line = v->line;
            r->pattern_column = v->column;
        } else if (leakscan_node_is(k, "secret_group")) {
            long g;
            if (v->type != LEAKSCAN_NODE_SCALAR)
                return leakscan_err_set(err, LEAKSCAN_EPARSE,
                                        "%s:%u:%u: 'secret_group' must be a number", AT(v));
            errno = 0;
            g = strtol(v->value, &end, 10);
            if (errno || *end || end == v->value || g < 0 || g > 99)
                return leakscan_err_set(err, LEAKSCAN_EPARSE,
                                        "%s:%u:%u: 'secret_group' must be a number from 0 to 99",
                                        AT(v));
            r->secret_group = (int)g;
        } else if (leakscan_node_is(k, "min_entropy")) {
            double e;
            if (v->type != LEAKSCAN_NODE_SCALAR)
                return leakscan_err_set(err, LEAKSCAN_EPARSE,
                                        "%s:%u:%u: 'min_entropy' must be a number", AT(v));
            errno = 0;
            e = strtod(v->value, &end);
            if (errno || *end || end == v->value || !(e >= 0.0 && e <= 8.0))
                return leakscan_err_set(err, LEAKSCAN_EPARSE,
                                        "%s:%u:%u: 'min_entropy' must be a number from 0 to 8",
                                        AT(v));
            r->min_entropy = e;
        } else if (leakscan_node_is(k, "validate")) {
            if (leakscan_node_is(v, "github-crc32"))
                r->validate = LEAKSCAN_VALIDATE_GITHUB_CRC32;
            else if (leakscan_node_is(v, "npm-crc32"))
                r->validate = LEAKSCAN_VALIDATE_NPM_CRC32;
            else if (leakscan_node_is(v, "marker"))
                r->validate = LEAKSCAN_VALIDATE_MARKER;
            else if (leakscan_node_is(v, "jwt"))
                r->validate = LEAKSCAN_VALIDATE_JWT;
            else if (leakscan_node_is(v, "none"))
                r->validate = LEAKSCAN_VALIDATE_NONE;
            else
                return leakscan_err_set(err, LEAKSCAN_EPARSE,
                                        "%s:%u:%u: 'validate' must be github-crc32, npm-crc32, "
                                        "marker, jwt or none",
                                        AT(v));
        } else if (leakscan_node_is(k, "allow")) {
            if ((rc = load_strings(name, v, "allow", &r->allow, &r->nallow, err)))
                return rc;
        } else if (leakscan_node_is(k, "paths")) {
            if ((rc = load_strings(name, v, "paths", &r->paths, &r->npaths, err)))
                return rc;
        } else if (leakscan_node_is(k, "match")) {
            if (leakscan_node_is(v, "path"))
                r->path_only = 1;
            else if (!leakscan_node_is(v, "content"))
                return leakscan_err_set(err, LEAKSCAN_EPARSE,
                                        "%s:%u:%u: 'match' must be content or path", AT(v));
        } else if (leakscan_node_is(k, "line")) {
            if (parse_bool(v, &r->line_only))
                return leakscan_err_set(err, LEAKSCAN_EPARSE,
                                        "%s:%u:%u: 'line' must be true or false", AT(v));
        } else if (leakscan_node_is(k, "redact")) {
            if (parse_bool(v, &r->redact))
                return leakscan_err_set(err, LEAKSCAN_EPARSE,
                                        "%s:%u:%u: 'redact' must be true or false", AT(v));
        } else if (leakscan_node_is(k, "generic")) {
            if (parse_bool(v, &r->generic))
                return leakscan_err_set(err, LEAKSCAN_EPARSE,
                                        "%s:%u:%u: 'generic' must be true or false", AT(v));
        } else if (leakscan_node_is(k, "examples")) {
            if ((rc = load_examples(name, v, "examples", &r->examples, &r->nexamples, err)))
                return rc;
        } else if (leakscan_node_is(k, "negative_examples")) {
            if ((rc = load_examples(name, v, "negative_examples", &r->negatives, &r->nnegatives,
                                    err)))
                return rc;
        } else {
            return leakscan_err_set(err, LEAKSCAN_EPARSE,
                                    "%s:%u:%u: unknown rule key '%s' (see docs/rules.md)", AT(k),
                                    k->value);
        }
    }
    if (!r->id)
        return leakscan_err_set(err, LEAKSCAN_EPARSE, "%s:%u:%u: rule without 'id'", AT(m));
    if (!r->name)
        return leakscan_err_set(err, LEAKSCAN_EPARSE, "%s:%u:%u: rule '%s' has no 'name'", AT(m),
                                r->id);
    if (r->path_only) {
        /* a file that is a credential by its name: no content pattern */
        if (!r->npaths)
            return leakscan_err_set(err, LEAKSCAN_EPARSE,
                                    "%s:%u:%u: rule '%s' has 'match: path' but no 'paths'", AT(m),
                                    r->id);
        if (r->pattern || r->nkeywords)
            return leakscan_err_set(err, LEAKSCAN_EPARSE,
                                    "%s:%u:%u: rule '%s' has 'match: path': no 'pattern' or "
                                    "'keywords'",
                                    AT(m), r->id);
    } else if (!r->pattern)
        return leakscan_err_set(err, LEAKSCAN_EPARSE, "%s:%u:%u: rule '%s' has no 'pattern'", AT(m),
                                r->id);
    else if (!r->nkeywords)
        return leakscan_err_set(err, LEAKSCAN_EPARSE,
                                "%s:%u:%u: rule '%s' has no 'keywords' (the prefilter needs at "
                                "least one literal)",
                                AT(m), r->id);
    if (!leakscan_node_get(m, "severity"))
        return leakscan_err_set(err, LEAKSCAN_EPARSE, "%s:%u:%u: rule '%s' has no 'severity'",
                                AT(m), r->id);
    if (!(r->file = strdup(name)))
        return LEAKSCAN_ENOMEM;
    return 0;
}

void leakscan_rule_free(struct leakscan_rule *r)
{
    size_t i;

    if (!r)
        return;
    free(r->id);
    free(r->name);
    for (i = 0; i < r->nkeywords; i++)
        free(r->keywords[i]);
    free(r->keywords);
    free(r->pattern);
    for (i = 0; i < r->nallow; i++)
        free(r->allow[i]);
    free(r->allow);
    for (i = 0; i < r->npaths; i++)
        free(r->paths[i]);
    free(r->paths);
    for (i = 0; i < r->nexamples; i++) {
        free(r->examples[i].text);
        free(r->examples[i].path);
        free(r->examples[i].secret);
    }
    free(r->examples);
    for (i = 0; i < r->nnegatives; i++) {
        free(r->negatives[i].text);
        free(r->negatives[i].path);
        free(r->negatives[i].secret);
    }
    free(r->negatives);
    free(r->file);
    if (r->c) {
        pcre2_code_free(r->c->re);
        pcre2_code_free(r->c->anchored);
        for (i = 0; i < r->nallow; i++)
            pcre2_code_free(r->c->allow ? r->c->allow[i] : NULL);
        free(r->c->allow);
        free(r->c->tails);
        free(r->c->tail_len);
        free(r->c->slash);
        free(r->c);
    }
    free(r);
}

int leakscan_ruleset_new(struct leakscan_ruleset **out, struct leakscan_err *err)
{
    *out = calloc(1, sizeof(**out));
    if (!*out)
        return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
    (*out)->no_jit = getenv("LEAKSCAN_NO_JIT") != NULL;
    (*out)->jit_lock = malloc(sizeof(pthread_mutex_t));
    if (!(*out)->jit_lock || pthread_mutex_init((*out)->jit_lock, NULL) != 0) {
        free((*out)->jit_lock);
        free(*out);
        *out = NULL;
        return leakscan_err_set(err, LEAKSCAN_ERROR, "cannot create a lock");
    }
    return 0;
}

void leakscan_ruleset_free(struct leakscan_ruleset *rs)
{
    size_t i;

    if (!rs)
        return;
    for (i = 0; i < rs->n; i++)
        leakscan_rule_free(rs->rules[i]);
    free(rs->rules);
    pthread_mutex_destroy(rs->jit_lock);
    free(rs->jit_lock);
    free(rs->active);
    free(rs->path_rules);
    free(rs->scoped);
    free(rs->lit_first);
    free(rs->lit_rules);
    free(rs->lit_anchor);
    free(rs->lit_len);
    hs_free_database(rs->db);
    free(rs->pf_key);
    for (i = 0; i < rs->nallow; i++) {
        free(rs->allow[2 * i]);
        free(rs->allow[2 * i + 1]);
        pcre2_code_free(rs->allow_re ? rs->allow_re[i] : NULL);
    }
    free(rs->allow);
    free(rs->allow_re);
    free(rs);
}

static ssize_t find_index(const struct leakscan_ruleset *rs, const char *id)
{
    size_t i;

    for (i = 0; i < rs->n; i++)
        if (!strcmp(rs->rules[i]->id, id))
            return (ssize_t)i;
    return -1;
}

int leakscan_ruleset_load_node(struct leakscan_ruleset *rs, const char *name,
                               const struct leakscan_node *list, int replace,
                               struct leakscan_err *err)
{
    size_t i;
    int rc;

    if (rs->compiled)
        return leakscan_err_set(err, LEAKSCAN_EUSAGE, "%s: the ruleset is already compiled", name);
    if (list->type != LEAKSCAN_NODE_SEQ)
        return leakscan_err_set(err, LEAKSCAN_EPARSE, "%s:%u:%u: 'rules' must be a list, not %s",
                                AT(list), leakscan_node_kind(list));
    for (i = 0; i < list->count; i++) {
        struct leakscan_rule *r = calloc(1, sizeof(*r));
        ssize_t at;

        if (!r)
            return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
        rc = load_rule(name, list->items[i], r, err);
        if (rc) {
            if (rc == LEAKSCAN_ENOMEM)
                leakscan_err_set(err, rc, "out of memory");
            leakscan_rule_free(r);
            return rc;
        }
        at = find_index(rs, r->id);
        if (at >= 0 && !replace) {
            rc = leakscan_err_set(
                err, LEAKSCAN_EPARSE, "%s:%u:%u: duplicate rule id '%s' (first in %s:%u)",
                AT(list->items[i]), r->id, rs->rules[at]->file, rs->rules[at]->line);
            leakscan_rule_free(r);
            return rc;
        }
        if (at >= 0) {
            leakscan_rule_free(rs->rules[at]);
            rs->rules[at] = r;
            continue;
        }
        if (rs->n == rs->cap) {
            size_t cap = rs->cap ? rs->cap * 2 : 64;
            struct leakscan_rule **p = realloc(rs->rules, cap * sizeof(*p));
            if (!p) {
                leakscan_rule_free(r);
                return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
            }
            rs->rules = p;
            rs->cap = cap;
        }
        rs->rules[rs->n++] = r;
    }
    return 0;
}

int leakscan_ruleset_load_yaml(struct leakscan_ruleset *rs, const char *name, const char *data,
                               size_t len, int replace, struct leakscan_err *err)
{
    struct leakscan_doc *doc = NULL;
    const struct leakscan_node *root, *rules;
    size_t i;
    int rc;

    rc = leakscan_doc_parse(&doc, name, data, len, NULL, err);
    if (rc)
        return rc == LEAKSCAN_ETOOBIG ? LEAKSCAN_EPARSE : rc;
    if (doc->ndocs != 1 || !doc->docs[0] || doc->docs[0]->type != LEAKSCAN_NODE_MAP) {
        rc = leakscan_err_set(err, LEAKSCAN_EPARSE,
                              "%s: a rule file must be one YAML mapping with a 'rules' list", name);
        goto out;
    }
    root = doc->docs[0];
    for (i = 0; i < root->count; i++) {
        const struct leakscan_node *k = root->items[2 * i];
        if (!leakscan_node_is(k, "rules")) {
            rc = leakscan_err_set(err, LEAKSCAN_EPARSE,
                                  "%s:%u:%u: unknown top-level key '%s' in a rule file (expected "
                                  "'rules')",
                                  AT(k), k->type == LEAKSCAN_NODE_SCALAR ? k->value : "?");
            goto out;
        }
    }
    rules = leakscan_node_get(root, "rules");
    if (!rules) {
        rc = leakscan_err_set(err, LEAKSCAN_EPARSE, "%s: no 'rules' list", name);
        goto out;
    }
    rc = leakscan_ruleset_load_node(rs, name, rules, replace, err);
out:
    leakscan_doc_free(doc);
    return rc;
}

int leakscan_ruleset_load_file(struct leakscan_ruleset *rs, const char *path, int replace,
                               struct leakscan_err *err)
{
    struct leakscan_buf b;
    int rc;

    leakscan_buf_init(&b);
    rc = leakscan_buf_read_file(&b, path, 64u * 1024 * 1024, err);
    if (!rc)
        rc = leakscan_ruleset_load_yaml(rs, path, b.data ? b.data : "", b.len, replace, err);
    leakscan_buf_release(&b);
    return rc;
}

int leakscan_ruleset_load_builtin(struct leakscan_ruleset *rs, struct leakscan_err *err)
{
    size_t i;
    int rc;

    size_t first = rs->n;

    for (i = 0; i < leakscan_builtin_rules_count; i++) {
        rc = leakscan_ruleset_load_yaml(rs, leakscan_builtin_rules[i].name,
                                        leakscan_builtin_rules[i].data,
                                        leakscan_builtin_rules[i].len, 0, err);
        if (rc)
            return rc;
    }
    /* their keywords occur in every match (checked by the tests): they may run in windows */
    for (i = first; i < rs->n; i++)
        rs->rules[i]->builtin = 1;
    return 0;
}

int leakscan_ruleset_disable(struct leakscan_ruleset *rs, const char *id, struct leakscan_err *err)
{
    ssize_t at = find_index(rs, id);

    if (at < 0)
        return leakscan_err_set(err, LEAKSCAN_ENOTFOUND, "no rule with id '%s'", id);
    if (rs->compiled)
        return leakscan_err_set(err, LEAKSCAN_EUSAGE, "the ruleset is already compiled");
    rs->rules[at]->disabled = 1;
    return 0;
}

size_t leakscan_ruleset_count(const struct leakscan_ruleset *rs)
{
    return rs->n;
}

const struct leakscan_rule *leakscan_ruleset_rule(const struct leakscan_ruleset *rs, size_t i)
{
    return i < rs->n ? rs->rules[i] : NULL;
}

const struct leakscan_rule *leakscan_ruleset_find(const struct leakscan_ruleset *rs, const char *id)
{
    ssize_t at = find_index(rs, id);

    return at < 0 ? NULL : rs->rules[at];
}

void leakscan_ruleset_set_redact(struct leakscan_ruleset *rs, int on)
{
    rs->redact_mode = on;
}

int leakscan_ruleset_add_literal(struct leakscan_ruleset *rs, const char *id, const char *name,
                                 const char *value, size_t len, struct leakscan_err *err)
{
    struct leakscan_rule *r = calloc(1, sizeof(*r));
    struct leakscan_rule **p;
    size_t i, n = 0;

    if (!r)
        return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
    r->id = strdup(id);
    r->name = strdup(name);
    r->file = strdup("(known values)");
    r->keywords = calloc(1, sizeof(char *));
    r->keywords ? (r->keywords[0] = malloc(len + 1)) : NULL;
    /* the value itself, quoted for PCRE2: \x{hh} for every byte, no metacharacter survives */
    r->pattern = malloc(len * 6 + 1);
    if (!r->id || !r->name || !r->file || !r->keywords || !r->keywords[0] || !r->pattern) {
        leakscan_rule_free(r);
        return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
    }
    memcpy(r->keywords[0], value, len);
    r->keywords[0][len] = '\0';
    r->nkeywords = 1;
    for (i = 0; i < len; i++)
        n += (size_t)snprintf(r->pattern + n, 7, "\\x{%02x}", (unsigned char)value[i]);
    r->pattern[n] = '\0';
    r->severity = LEAKSCAN_SEV_HIGH;
    r->secret_group = 0;
    r->redact = 2; /* a known value: masked even when it looks like a placeholder */
    p = realloc(rs->rules, (rs->n + 1) * sizeof(*p));
    if (!p) {
        leakscan_rule_free(r);
        return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
    }
    rs->rules = p;
    rs->cap = rs->n + 1;
    rs->rules[rs->n++] = r;
    return 0;
}

int leakscan_ruleset_add_allow(struct leakscan_ruleset *rs, const char *regex, const char *where,
                               struct leakscan_err *err)
{
    char **p;
    char *r = strdup(regex), *w = strdup(where);

    if (!r || !w || !(p = realloc(rs->allow, (rs->nallow + 1) * 2 * sizeof(*p)))) {
        free(r);
        free(w);
        return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
    }
    rs->allow = p;
    /* pairs: the regex, and where it was written */
    p[2 * rs->nallow] = r;
    p[2 * rs->nallow + 1] = w;
    rs->nallow++;
    return 0;
}
