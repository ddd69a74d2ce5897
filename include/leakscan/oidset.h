/*
 * oidset.h - a hash map from git object ids to a 32-bit value (open
 * addressing). Used by the history walk to see each tree and blob once, and
 * by the streamed history report to say each secret once per path.
 *
 * A slot is the id and its value, 24 bytes: an empty slot is an all-zero id
 * (the zero id itself, which no object has, is kept aside). The walk of a
 * large history holds hundreds of thousands of ids, so the slot size is
 * most of its memory.
 *
 * Embedded: leakscan_oidset_init / leakscan_oidset_release.
 */
#ifndef LEAKSCAN_OIDSET_H
#define LEAKSCAN_OIDSET_H

#include <git2.h>
#include <stddef.h>
#include <stdint.h>

struct leakscan_oidset_slot {
    git_oid oid;
    uint32_t value;
};

struct leakscan_oidset {
    struct leakscan_oidset_slot *slots;
    size_t cap; /* a power of two */
    size_t n;   /* ids in slots */
    int has_zero;
    uint32_t zero_value;
};

void leakscan_oidset_init(struct leakscan_oidset *s);
void leakscan_oidset_release(struct leakscan_oidset *s);

/*
 * Insert oid with value (at most UINT32_MAX) if absent. Returns 1 when
 * inserted, 0 when it was already there (*existing, if non-NULL, gets its
 * value), -1 when out of memory (or the value does not fit).
 */
int leakscan_oidset_add(struct leakscan_oidset *s, const git_oid *oid, size_t value,
                        size_t *existing);

/* 1 and *value when present, else 0. value may be NULL. */
int leakscan_oidset_get(const struct leakscan_oidset *s, const git_oid *oid, size_t *value);

#endif
