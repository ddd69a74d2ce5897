/*
 * iam_util.c - the IAM lint's helpers: the reporter, node lookups, the
 * string-or-list fields of policies, and glob matching (IAM action and
 * resource patterns use `*` and `?`).
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iam_int.h"

int iam_report(const struct iam_where *w, const char *check, int severity,
               const struct leakscan_node *at, const char *object, const char *detail,
               const char *fmt, ...)
{
    char msg[1024], obj[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (w->prefix && *w->prefix && object && *object)
        snprintf(obj, sizeof(obj), "%s/%s", w->prefix, object);
    else if (object && *object)
        snprintf(obj, sizeof(obj), "%s", object);
    else
        snprintf(obj, sizeof(obj), "%s", w->prefix && *w->prefix ? w->prefix : "-");
    if (w->at)
        at = w->at;
    return leakscan_lint_emit(w->f->sink, w->f->origin, check, severity, msg, obj,
                              at ? at->line : 1, at ? at->column : 1, detail);
}

int iam_lower(int sev)
{
    return sev > LEAKSCAN_SEV_LOW ? sev - 1 : LEAKSCAN_SEV_LOW;
}

/* ---- nodes ---- */

static char lower(char c)
{
    if (c >= 'A' && c <= 'Z')
        return (char)(c - 'A' + 'a');
    return c;
}

int iam_streq_icase(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (lower(*a) != lower(*b))
            return 0;
    return *a == *b;
}

static const struct leakscan_node *get(const struct leakscan_node *map, const char *key,
                                       const struct leakscan_node **keyp, int icase)
{
    const struct leakscan_node *k;
    size_t i;

    if (keyp)
        *keyp = NULL;
    if (!map || map->type != LEAKSCAN_NODE_MAP)
        return NULL;
    for (i = 0; i < map->count; i++) {
        k = map->items[2 * i];
        if (icase ? k->type == LEAKSCAN_NODE_SCALAR && iam_streq_icase(k->value, key)
                  : leakscan_node_is(k, key)) {
            if (keyp)
                *keyp = k;
            return map->items[2 * i + 1];
        }
    }
    return NULL;
}

const struct leakscan_node *iam_get(const struct leakscan_node *map, const char *key,
                                    const struct leakscan_node **keyp)
{
    return get(map, key, keyp, 0);
}

const struct leakscan_node *iam_get_icase(const struct leakscan_node *map, const char *key,
                                          const struct leakscan_node **keyp)
{
    return get(map, key, keyp, 1);
}

const char *iam_str(const struct leakscan_node *n)
{
    return n && n->type == LEAKSCAN_NODE_SCALAR ? n->value : NULL;
}

size_t iam_nelems(const struct leakscan_node *v)
{
    if (!v)
        return 0;
    return v->type == LEAKSCAN_NODE_SEQ ? v->count : 1;
}

const struct leakscan_node *iam_elem(const struct leakscan_node *v, size_t i)
{
    if (!v)
        return NULL;
    if (v->type == LEAKSCAN_NODE_SEQ)
        return i < v->count ? v->items[i] : NULL;
    return i == 0 ? v : NULL;
}

const char *iam_elem_text(const struct leakscan_node *e)
{
    const struct leakscan_node *sub;

    if (!e)
        return NULL;
    if (e->type == LEAKSCAN_NODE_SCALAR)
        return e->value;
    /* {"Fn::Sub": "arn:...${AWS::AccountId}..."} or {"Fn::Sub": ["...", {vars}]} */
    if (e->type == LEAKSCAN_NODE_MAP && e->count == 1 && (sub = iam_get(e, "Fn::Sub", NULL))) {
        if (sub->type == LEAKSCAN_NODE_SEQ && sub->count)
            sub = sub->items[0];
        return iam_str(sub);
    }
    return NULL;
}

/* ---- globs ---- */

static int same(char a, char b, int icase)
{
    return icase ? lower(a) == lower(b) : a == b;
}

int iam_glob(const char *p, const char *s, int icase)
{
    const char *star = NULL, *ss = NULL;

    /* greedy with backtracking to the last star: linear enough for IAM patterns */
    while (*s) {
        if (*p == '*') {
            star = p++;
            ss = s;
            continue;
        }
        if (*p && (*p == '?' || same(*p, *s, icase))) {
            p++;
            s++;
            continue;
        }
        if (star) {
            p = star + 1;
            s = ++ss;
            continue;
        }
        return 0;
    }
    while (*p == '*')
        p++;
    return !*p;
}

/*
 * The same walk over the symbols of `n`: a `*` of `n` stands for any run, so
 * only a `*` of `w` may take it; a `?` of `n` only a `?` or `*` of `w`.
 */
int iam_glob_covers(const char *w, const char *n, int icase)
{
    const char *star = NULL, *ns = NULL;

    while (*n) {
        if (*w == '*') {
            star = w++;
            ns = n;
            continue;
        }
        if (*w && *n != '*' && (*w == '?' || (*n != '?' && same(*w, *n, icase)))) {
            w++;
            n++;
            continue;
        }
        if (star) {
            w = star + 1;
            n = ++ns;
            continue;
        }
        return 0;
    }
    while (*w == '*')
        w++;
    return !*w;
}

#define MEET_MAX 1024
#define MEET_STACK 4096

static int only_stars(const char *s)
{
    for (; *s; s++)
        if (*s != '*')
            return 0;
    return 1;
}

/*
 * Reachability over (i, j) = (symbols of a consumed, symbols of b consumed):
 * a star may produce nothing or swallow the other side's next symbol; two
 * plain symbols must agree. The common cases (a star alone, a plain string,
 * different literal prefixes) are answered without the table.
 */
int iam_glob_meets(const char *a, const char *b, int icase)
{
    size_t n = strlen(a), m = strlen(b), i, j, w;
    unsigned char stack[MEET_STACK], *r;
    int ok;

    if (only_stars(a) || only_stars(b))
        return 1;
    if (!strpbrk(a, "*?"))
        return iam_glob(b, a, icase);
    if (!strpbrk(b, "*?"))
        return iam_glob(a, b, icase);
    for (i = 0; a[i] && b[i] && a[i] != '*' && b[i] != '*' && a[i] != '?' && b[i] != '?'; i++)
        if (!same(a[i], b[i], icase))
            return 0;
    if (n > MEET_MAX || m > MEET_MAX)
        return 1;
    w = m + 1;
    if ((n + 1) * w <= sizeof(stack)) {
        r = stack;
        memset(r, 0, (n + 1) * w);
    } else if (!(r = calloc((n + 1) * w, 1))) {
        return 1;
    }
    r[0] = 1;
    for (i = 0; i <= n; i++) {
        for (j = 0; j <= m; j++) {
            if (!r[i * w + j])
                continue;
            if (i < n && a[i] == '*') {
                r[(i + 1) * w + j] = 1;
                if (j < m)
                    r[i * w + j + 1] = 1;
            }
            if (j < m && b[j] == '*') {
                r[i * w + j + 1] = 1;
                if (i < n)
                    r[(i + 1) * w + j] = 1;
            }
            if (i < n && j < m && a[i] != '*' && b[j] != '*' &&
                (a[i] == '?' || b[j] == '?' || same(a[i], b[j], icase)))
                r[(i + 1) * w + j + 1] = 1;
        }
    }
    ok = r[n * w + m];
    if (r != stack)
        free(r);
    return ok;
}
