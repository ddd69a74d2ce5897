/*
 * doc.h - YAML (and JSON, which libyaml reads as YAML flow syntax) parsed into
 * a small tree that keeps the line and column of every node.
 *
 * Aliases are expanded by copy under a node budget, so an alias bomb is an
 * error ("too many nodes"), never an explosion; nesting is bounded too.
 * Multi-document streams give one root per document.
 *
 * Ownership: leakscan_doc_parse() returns a tree in *out that the caller frees
 * with leakscan_doc_free(). Nodes are borrowed from the tree.
 */
#ifndef LEAKSCAN_DOC_H
#define LEAKSCAN_DOC_H

#include <stddef.h>

#include "errors.h"

enum leakscan_node_type { LEAKSCAN_NODE_SCALAR, LEAKSCAN_NODE_SEQ, LEAKSCAN_NODE_MAP };

struct leakscan_node {
    enum leakscan_node_type type;
    unsigned line;   /* 1-based */
    unsigned column; /* 1-based, bytes */
    char *value;     /* scalars: NUL-terminated text (may contain NULs: use len) */
    size_t len;      /* scalars: length of value */
    int quoted;      /* scalars: 1 when written quoted or as a block (never null/bool) */
    size_t count;    /* SEQ: items; MAP: pairs */
    struct leakscan_node **items; /* SEQ: count items; MAP: 2*count (key, value, ...) */
};

struct leakscan_doc {
    size_t ndocs;
    struct leakscan_node **docs; /* one root per document (an empty one: empty scalar) */
    /* private */
    size_t nodes;
};

struct leakscan_doc_limits {
    size_t max_nodes;   /* total nodes after alias expansion (0: default 1,000,000) */
    unsigned max_depth; /* nesting (0: default 256) */
};

/*
 * Parse `len` bytes of `data`. `name` is used in error messages only
 * ("rules/llm.yaml:12:5: ..."). Returns 0, LEAKSCAN_EPARSE (message in err with
 * name:line:column) or LEAKSCAN_ENOMEM.
 */
int leakscan_doc_parse(struct leakscan_doc **out, const char *name, const char *data, size_t len,
                       const struct leakscan_doc_limits *limits, struct leakscan_err *err);

void leakscan_doc_free(struct leakscan_doc *doc);

/* Map lookup by key (first match); NULL when absent or node is not a map. */
const struct leakscan_node *leakscan_node_get(const struct leakscan_node *map, const char *key);

/* 1 when the node is a scalar equal to s. */
int leakscan_node_is(const struct leakscan_node *n, const char *s);

/* A name for the node type, for messages ("a mapping"). */
const char *leakscan_node_kind(const struct leakscan_node *n);

#endif
