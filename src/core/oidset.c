/*
 * oidset.c - open-addressing hash map keyed by git_oid. Object ids are
 * already uniformly distributed, so their first bytes are the hash. An
 * all-zero id marks an empty slot; the zero id is kept outside the slots.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "leakscan/oidset.h"

void leakscan_oidset_init(struct leakscan_oidset *s)
{
    memset(s, 0, sizeof(*s));
}

void leakscan_oidset_release(struct leakscan_oidset *s)
{
    free(s->slots);
    leakscan_oidset_init(s);
}

static size_t hash(const git_oid *oid)
{
    size_t h;

    memcpy(&h, oid->id, sizeof(h));
    return h;
}

static int is_zero(const git_oid *oid)
{
    uint64_t a, b;
    uint32_t c;

    memcpy(&a, oid->id, 8);
    memcpy(&b, oid->id + 8, 8);
    memcpy(&c, oid->id + 16, 4);
    return (a | b | c) == 0;
}

static struct leakscan_oidset_slot *find(const struct leakscan_oidset *s, const git_oid *oid)
{
    size_t mask = s->cap - 1, i = hash(oid) & mask;

    while (!is_zero(&s->slots[i].oid)) {
        /* a fixed-size compare inlines; git_oid_cmp is a call into libgit2 */
        if (!memcmp(s->slots[i].oid.id, oid->id, GIT_OID_RAWSZ))
            return &s->slots[i];
        i = (i + 1) & mask;
    }
    return &s->slots[i];
}

static int grow(struct leakscan_oidset *s)
{
    struct leakscan_oidset old = *s;
    size_t i;

    s->cap = old.cap ? old.cap * 2 : 1024;
    s->slots = calloc(s->cap, sizeof(*s->slots));
    if (!s->slots) {
        *s = old;
        return -1;
    }
    for (i = 0; i < old.cap; i++)
        if (!is_zero(&old.slots[i].oid))
            *find(s, &old.slots[i].oid) = old.slots[i];
    free(old.slots);
    return 0;
}

int leakscan_oidset_add(struct leakscan_oidset *s, const git_oid *oid, size_t value,
                        size_t *existing)
{
    struct leakscan_oidset_slot *slot;

    if (value > UINT32_MAX)
        return -1;
    if (is_zero(oid)) {
        if (s->has_zero) {
            if (existing)
                *existing = s->zero_value;
            return 0;
        }
        s->has_zero = 1;
        s->zero_value = (uint32_t)value;
        return 1;
    }
    /* keep the load factor under 1/2 */
    if ((s->n + 1) * 2 > s->cap && grow(s))
        return -1;
    slot = find(s, oid);
    if (!is_zero(&slot->oid)) {
        if (existing)
            *existing = slot->value;
        return 0;
    }
    git_oid_cpy(&slot->oid, oid);
    slot->value = (uint32_t)value;
    s->n++;
    return 1;
}

int leakscan_oidset_get(const struct leakscan_oidset *s, const git_oid *oid, size_t *value)
{
    const struct leakscan_oidset_slot *slot;

    if (is_zero(oid)) {
        if (s->has_zero && value)
            *value = s->zero_value;
        return s->has_zero;
    }
    if (!s->cap)
        return 0;
    slot = find(s, oid);
    if (is_zero(&slot->oid))
        return 0;
    if (value)
        *value = slot->value;
    return 1;
}
