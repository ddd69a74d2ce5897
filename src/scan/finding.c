/*
 * finding.c - owned copies of findings, and their order.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "leakscan/finding.h"

void leakscan_findings_init(struct leakscan_findings *fs)
{
    fs->v = NULL;
    fs->n = fs->cap = 0;
}

/* findings expose const strings; owned copies are freed through this */
static void free_const(const char *p)
{
    free((void *)(uintptr_t)p);
}

static void finding_release(struct leakscan_finding *f)
{
    free_const(f->rule_id);
    free_const(f->category);
    free_const(f->message);
    free_const(f->origin.path);
    free_const(f->origin.commit);
    free_const(f->origin.author);
    free_const(f->origin.email);
    free_const(f->origin.date);
    free_const(f->origin.label);
    free_const(f->object);
    free_const(f->secret);
}

void leakscan_findings_release(struct leakscan_findings *fs)
{
    size_t i;

    for (i = 0; i < fs->n; i++)
        finding_release(&fs->v[i]);
    free(fs->v);
    leakscan_findings_init(fs);
}

static int dup_str(const char **dst, const char *src)
{
    if (!src) {
        *dst = NULL;
        return 0;
    }
    *dst = strdup(src);
    return *dst ? 0 : -1;
}

int leakscan_findings_push(struct leakscan_findings *fs, const struct leakscan_finding *f)
{
    struct leakscan_finding *c;
    char *secret = NULL;
    int bad = 0;

    if (fs->n == fs->cap) {
        size_t cap = fs->cap ? fs->cap * 2 : 16;
        struct leakscan_finding *p = realloc(fs->v, cap * sizeof(*p));
        if (!p)
            return LEAKSCAN_ENOMEM;
        fs->v = p;
        fs->cap = cap;
    }
    c = &fs->v[fs->n];
    *c = *f;
    bad |= dup_str(&c->rule_id, f->rule_id);
    bad |= dup_str(&c->category, f->category);
    bad |= dup_str(&c->message, f->message);
    bad |= dup_str(&c->origin.path, f->origin.path);
    bad |= dup_str(&c->origin.commit, f->origin.commit);
    bad |= dup_str(&c->origin.author, f->origin.author);
    bad |= dup_str(&c->origin.email, f->origin.email);
    bad |= dup_str(&c->origin.date, f->origin.date);
    bad |= dup_str(&c->origin.label, f->origin.label);
    bad |= dup_str(&c->object, f->object);
    if (f->secret) {
        /* secrets are bytes (may hold NUL); keep the length */
        secret = malloc(f->secret_len + 1);
        if (secret) {
            memcpy(secret, f->secret, f->secret_len);
            secret[f->secret_len] = '\0';
        } else {
            bad = 1;
        }
    }
    c->secret = secret;
    if (bad) {
        finding_release(c);
        return LEAKSCAN_ENOMEM;
    }
    fs->n++;
    return 0;
}

int leakscan_findings_move(struct leakscan_findings *dst, struct leakscan_findings *src)
{
    if (!src->n)
        return 0;
    if (dst->n + src->n > dst->cap) {
        size_t cap = dst->n + src->n;
        struct leakscan_finding *p = realloc(dst->v, cap * sizeof(*p));
        if (!p)
            return LEAKSCAN_ENOMEM;
        dst->v = p;
        dst->cap = cap;
    }
    memcpy(dst->v + dst->n, src->v, src->n * sizeof(*src->v));
    dst->n += src->n;
    free(src->v);
    leakscan_findings_init(src);
    return 0;
}

static int strcmp0(const char *a, const char *b)
{
    if (!a || !b)
        return a ? 1 : b ? -1 : 0;
    return strcmp(a, b);
}

static int cmp(const void *pa, const void *pb)
{
    const struct leakscan_finding *a = pa, *b = pb;
    int c;

    if ((c = strcmp0(a->origin.path, b->origin.path)))
        return c;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    if (a->column != b->column)
        return a->column < b->column ? -1 : 1;
    if ((c = strcmp0(a->rule_id, b->rule_id)))
        return c;
    if (a->end_offset != b->end_offset)
        return a->end_offset < b->end_offset ? -1 : 1;
    if ((c = strcmp0(a->origin.commit, b->origin.commit)))
        return c;
    return strcmp0(a->object, b->object);
}

void leakscan_findings_sort(struct leakscan_findings *fs)
{
    if (fs->n > 1)
        qsort(fs->v, fs->n, sizeof(*fs->v), cmp);
}

static int cmp_key(const void *pa, const void *pb)
{
    const struct leakscan_finding *a = pa, *b = pb;
    int c;

    if ((c = strcmp0(a->rule_id, b->rule_id)))
        return c;
    if ((c = strcmp(a->fingerprint, b->fingerprint)))
        return c;
    if ((c = strcmp0(a->origin.path, b->origin.path)))
        return c;
    if (a->origin.seq != b->origin.seq)
        return a->origin.seq < b->origin.seq ? -1 : 1;
    /* same commit: the first position in the blob */
    return a->offset < b->offset ? -1 : a->offset > b->offset;
}

void leakscan_findings_dedup_earliest(struct leakscan_findings *fs)
{
    size_t i, j;

    if (fs->n < 2)
        return;
    qsort(fs->v, fs->n, sizeof(*fs->v), cmp_key);
    for (i = 1, j = 0; i < fs->n; i++) {
        const struct leakscan_finding *k = &fs->v[j];
        if (!strcmp0(k->rule_id, fs->v[i].rule_id) &&
            !strcmp(k->fingerprint, fs->v[i].fingerprint) &&
            !strcmp0(k->origin.path, fs->v[i].origin.path)) {
            finding_release(&fs->v[i]);
            continue;
        }
        fs->v[++j] = fs->v[i];
    }
    fs->n = j + 1;
    leakscan_findings_sort(fs);
}
