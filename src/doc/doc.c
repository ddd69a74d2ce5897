/*
 * doc.c - YAML/JSON into a tree with line and column marks, using libyaml's
 * event parser.
 *
 * Why events and not yaml_parser_load(): the document API shares aliased
 * nodes, so a consumer that walks the tree can still be made to walk a
 * "billion laughs" graph. Here an alias is a copy counted against a node
 * budget, so the tree's size is the work any consumer will do.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "leakscan/doc.h"

#define DEFAULT_MAX_NODES 1000000
#define DEFAULT_MAX_DEPTH 256

struct anchor {
    char *name;
    struct leakscan_node *node;
};

struct builder {
    const char *name;
    struct leakscan_doc *doc;
    size_t max_nodes;
    unsigned max_depth;
    struct leakscan_node **stack; /* open containers */
    size_t depth, stack_cap;
    char **stack_anchor; /* anchor of each open container, or NULL */
    struct anchor *anchors;
    size_t nanchors, anchors_cap;
    struct leakscan_err *err;
};

static void node_free(struct leakscan_node *n)
{
    size_t i, k;

    if (!n)
        return;
    if (n->type == LEAKSCAN_NODE_SCALAR) {
        free(n->value);
    } else {
        /* an unclosed map may hold a pending key (len set, see push_item) */
        k = n->type == LEAKSCAN_NODE_MAP ? 2 * n->count + (n->len ? 1 : 0) : n->count;
        for (i = 0; i < k; i++)
            node_free(n->items[i]);
        free(n->items);
    }
    free(n);
}

void leakscan_doc_free(struct leakscan_doc *doc)
{
    size_t i;

    if (!doc)
        return;
    for (i = 0; i < doc->ndocs; i++)
        node_free(doc->docs[i]);
    free(doc->docs);
    free(doc);
}

static int budget(struct builder *b, unsigned line, unsigned col)
{
    if (++b->doc->nodes > b->max_nodes)
        return leakscan_err_set(b->err, LEAKSCAN_ETOOBIG,
                                "%s:%u:%u: too many nodes (more than %zu, after alias expansion)",
                                b->name, line, col, b->max_nodes);
    return 0;
}

static struct leakscan_node *node_new(enum leakscan_node_type t, const yaml_mark_t *m)
{
    struct leakscan_node *n = calloc(1, sizeof(*n));

    if (!n)
        return NULL;
    n->type = t;
    n->line = (unsigned)m->line + 1;
    n->column = (unsigned)m->column + 1;
    return n;
}

static int push_item(struct leakscan_node *parent, struct leakscan_node *child)
{
    /*
     * A map holds a pending key as an odd trailing item and counts pairs;
     * while it is open, `len` doubles as "a key is pending".
     */
    size_t used = parent->type == LEAKSCAN_NODE_MAP ? parent->count * 2 + (parent->len ? 1 : 0)
                                                    : parent->count;
    struct leakscan_node **p;

    /* capacity is the next power of two: grow when `used` reaches one */
    if (used == 0 || (used & (used - 1)) == 0) {
        p = realloc(parent->items, (used ? used * 2 : 2) * sizeof(*p));
        if (!p)
            return LEAKSCAN_ENOMEM;
        parent->items = p;
    }
    parent->items[used] = child;
    if (parent->type == LEAKSCAN_NODE_SEQ) {
        parent->count++;
    } else if (parent->len) {
        parent->len = 0;
        parent->count++;
    } else {
        parent->len = 1;
    }
    return 0;
}

static struct leakscan_node *node_copy(struct builder *b, const struct leakscan_node *src, int *rc)
{
    struct leakscan_node *n;
    size_t i, k;

    *rc = budget(b, src->line, src->column);
    if (*rc)
        return NULL;
    n = calloc(1, sizeof(*n));
    if (!n)
        goto nomem;
    *n = *src;
    n->items = NULL;
    n->value = NULL;
    if (src->type == LEAKSCAN_NODE_SCALAR) {
        n->value = malloc(src->len + 1);
        if (!n->value)
            goto nomem;
        memcpy(n->value, src->value, src->len + 1);
        return n;
    }
    k = src->type == LEAKSCAN_NODE_MAP ? 2 * src->count : src->count;
    if (k) {
        n->items = calloc(k, sizeof(*n->items));
        if (!n->items)
            goto nomem;
    }
    for (i = 0; i < k; i++) {
        n->items[i] = node_copy(b, src->items[i], rc);
        if (!n->items[i]) {
            node_free(n);
            return NULL;
        }
    }
    return n;
nomem:
    node_free(n);
    *rc = leakscan_err_set(b->err, LEAKSCAN_ENOMEM, "%s: out of memory", b->name);
    return NULL;
}

static int add_anchor(struct builder *b, const char *name, struct leakscan_node *n)
{
    struct anchor *a;

    if (b->nanchors == b->anchors_cap) {
        size_t cap = b->anchors_cap ? b->anchors_cap * 2 : 8;
        a = realloc(b->anchors, cap * sizeof(*a));
        if (!a)
            return LEAKSCAN_ENOMEM;
        b->anchors = a;
        b->anchors_cap = cap;
    }
    a = &b->anchors[b->nanchors];
    a->name = strdup(name);
    if (!a->name)
        return LEAKSCAN_ENOMEM;
    a->node = n;
    b->nanchors++;
    return 0;
}

static struct leakscan_node *find_anchor(struct builder *b, const char *name)
{
    size_t i;

    /* the latest definition wins, as YAML allows redefining an anchor */
    for (i = b->nanchors; i > 0; i--)
        if (!strcmp(b->anchors[i - 1].name, name))
            return b->anchors[i - 1].node;
    return NULL;
}

/* Attach a completed node to the open container, or make it a document root. */
static int attach(struct builder *b, struct leakscan_node *n)
{
    struct leakscan_doc *d = b->doc;

    if (b->depth)
        return push_item(b->stack[b->depth - 1], n);
    if (d->ndocs && d->docs[d->ndocs - 1] == NULL) {
        d->docs[d->ndocs - 1] = n;
        return 0;
    }
    return LEAKSCAN_ERROR;
}

static int open_container(struct builder *b, struct leakscan_node *n, const yaml_char_t *anchor)
{
    if (b->depth >= b->max_depth)
        return leakscan_err_set(b->err, LEAKSCAN_ETOOBIG, "%s:%u:%u: nesting deeper than %u levels",
                                b->name, n->line, n->column, b->max_depth);
    if (b->depth == b->stack_cap) {
        size_t cap = b->stack_cap ? b->stack_cap * 2 : 16;
        struct leakscan_node **s = realloc(b->stack, cap * sizeof(*s));
        char **sa;

        if (!s)
            return LEAKSCAN_ENOMEM;
        b->stack = s;
        sa = realloc(b->stack_anchor, cap * sizeof(*sa));
        if (!sa)
            return LEAKSCAN_ENOMEM;
        b->stack_anchor = sa;
        b->stack_cap = cap;
    }
    b->stack[b->depth] = n;
    b->stack_anchor[b->depth] = NULL;
    if (anchor) {
        b->stack_anchor[b->depth] = strdup((const char *)anchor);
        if (!b->stack_anchor[b->depth])
            return LEAKSCAN_ENOMEM;
    }
    b->depth++;
    return 0;
}

static int close_container(struct builder *b)
{
    struct leakscan_node *n;
    char *anchor;
    int rc;

    if (!b->depth)
        return LEAKSCAN_ERROR;
    b->depth--;
    n = b->stack[b->depth];
    anchor = b->stack_anchor[b->depth];
    n->len = 0;
    rc = attach(b, n);
    if (rc) {
        free(anchor);
        node_free(n);
        return rc;
    }
    if (anchor) {
        rc = add_anchor(b, anchor, n);
        free(anchor);
    }
    return rc;
}

static int on_event(struct builder *b, const yaml_event_t *ev)
{
    struct leakscan_node *n = NULL, *src;
    struct leakscan_doc *d = b->doc;
    int rc = 0;

    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT: {
        struct leakscan_node **docs = realloc(d->docs, (d->ndocs + 1) * sizeof(*docs));
        if (!docs)
            return LEAKSCAN_ENOMEM;
        d->docs = docs;
        d->docs[d->ndocs++] = NULL;
        /* anchors are local to a document */
        while (b->nanchors)
            free(b->anchors[--b->nanchors].name);
        return 0;
    }
    case YAML_SCALAR_EVENT:
        rc = budget(b, (unsigned)ev->start_mark.line + 1, (unsigned)ev->start_mark.column + 1);
        if (rc)
            return rc;
        n = node_new(LEAKSCAN_NODE_SCALAR, &ev->start_mark);
        if (!n)
            return LEAKSCAN_ENOMEM;
        n->len = ev->data.scalar.length;
        n->value = malloc(n->len + 1);
        if (!n->value) {
            node_free(n);
            return LEAKSCAN_ENOMEM;
        }
        memcpy(n->value, ev->data.scalar.value, n->len);
        n->value[n->len] = '\0';
        n->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE &&
                    ev->data.scalar.style != YAML_ANY_SCALAR_STYLE;
        rc = attach(b, n);
        if (rc) {
            node_free(n);
            return rc;
        }
        if (ev->data.scalar.anchor)
            rc = add_anchor(b, (const char *)ev->data.scalar.anchor, n);
        return rc;
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:
        rc = budget(b, (unsigned)ev->start_mark.line + 1, (unsigned)ev->start_mark.column + 1);
        if (rc)
            return rc;
        n = node_new(ev->type == YAML_SEQUENCE_START_EVENT ? LEAKSCAN_NODE_SEQ : LEAKSCAN_NODE_MAP,
                     &ev->start_mark);
        if (!n)
            return LEAKSCAN_ENOMEM;
        rc = open_container(b, n,
                            ev->type == YAML_SEQUENCE_START_EVENT ? ev->data.sequence_start.anchor
                                                                  : ev->data.mapping_start.anchor);
        if (rc)
            node_free(n);
        return rc;
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        return close_container(b);
    case YAML_ALIAS_EVENT:
        src = find_anchor(b, (const char *)ev->data.alias.anchor);
        if (!src)
            return leakscan_err_set(b->err, LEAKSCAN_EPARSE, "%s:%u:%u: unknown alias '*%s'",
                                    b->name, (unsigned)ev->start_mark.line + 1,
                                    (unsigned)ev->start_mark.column + 1,
                                    (const char *)ev->data.alias.anchor);
        n = node_copy(b, src, &rc);
        if (!n)
            return rc;
        n->line = (unsigned)ev->start_mark.line + 1;
        n->column = (unsigned)ev->start_mark.column + 1;
        rc = attach(b, n);
        if (rc)
            node_free(n);
        return rc;
    default:
        return 0;
    }
}

int leakscan_doc_parse(struct leakscan_doc **out, const char *name, const char *data, size_t len,
                       const struct leakscan_doc_limits *limits, struct leakscan_err *err)
{
    yaml_parser_t parser;
    yaml_event_t ev;
    struct builder b;
    int rc = 0, done = 0;
    size_t i;

    *out = NULL;
    memset(&b, 0, sizeof(b));
    b.name = name;
    b.err = err;
    b.max_nodes = limits && limits->max_nodes ? limits->max_nodes : DEFAULT_MAX_NODES;
    b.max_depth = limits && limits->max_depth ? limits->max_depth : DEFAULT_MAX_DEPTH;
    b.doc = calloc(1, sizeof(*b.doc));
    if (!b.doc)
        return leakscan_err_set(err, LEAKSCAN_ENOMEM, "%s: out of memory", name);
    if (!yaml_parser_initialize(&parser)) {
        free(b.doc);
        return leakscan_err_set(err, LEAKSCAN_ENOMEM, "%s: out of memory", name);
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
    while (!done) {
        if (!yaml_parser_parse(&parser, &ev)) {
            const yaml_mark_t *m = parser.problem_mark.line || parser.problem_mark.column
                                       ? &parser.problem_mark
                                       : &parser.context_mark;
            if (parser.error == YAML_MEMORY_ERROR)
                rc = leakscan_err_set(err, LEAKSCAN_ENOMEM, "%s: out of memory", name);
            else if (parser.error == YAML_READER_ERROR)
                rc = leakscan_err_set(err, LEAKSCAN_EPARSE, "%s: byte %zu: %s", name,
                                      parser.problem_offset,
                                      parser.problem ? parser.problem : "unreadable input");
            else
                rc = leakscan_err_set(
                    err, LEAKSCAN_EPARSE, "%s:%u:%u: %s%s%s", name, (unsigned)m->line + 1,
                    (unsigned)m->column + 1, parser.problem ? parser.problem : "malformed YAML",
                    parser.context ? " " : "", parser.context ? parser.context : "");
            break;
        }
        done = ev.type == YAML_STREAM_END_EVENT;
        rc = on_event(&b, &ev);
        yaml_event_delete(&ev);
        if (rc) {
            if (rc == LEAKSCAN_ENOMEM)
                leakscan_err_set(err, rc, "%s: out of memory", name);
            break;
        }
    }
    yaml_parser_delete(&parser);
    for (i = 0; i < b.depth; i++) {
        node_free(b.stack[i]);
        free(b.stack_anchor[i]);
    }
    free(b.stack);
    free(b.stack_anchor);
    for (i = 0; i < b.nanchors; i++)
        free(b.anchors[i].name);
    free(b.anchors);
    if (rc) {
        leakscan_doc_free(b.doc);
        return rc;
    }
    *out = b.doc;
    return 0;
}

const struct leakscan_node *leakscan_node_get(const struct leakscan_node *map, const char *key)
{
    size_t i;

    if (!map || map->type != LEAKSCAN_NODE_MAP)
        return NULL;
    for (i = 0; i < map->count; i++)
        if (leakscan_node_is(map->items[2 * i], key))
            return map->items[2 * i + 1];
    return NULL;
}

int leakscan_node_is(const struct leakscan_node *n, const char *s)
{
    return n && n->type == LEAKSCAN_NODE_SCALAR && strlen(s) == n->len &&
           !memcmp(n->value, s, n->len);
}

const char *leakscan_node_kind(const struct leakscan_node *n)
{
    if (!n)
        return "nothing";
    switch (n->type) {
    case LEAKSCAN_NODE_SCALAR:
        return "a scalar";
    case LEAKSCAN_NODE_SEQ:
        return "a list";
    default:
        return "a mapping";
    }
}
