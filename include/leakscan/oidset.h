/*
 * oidset.h - a hash map from git object ids to a size_t value (open
 * addressing). Used by the history walk to see each tree and blob once.
 *
 * Embedded: leakscan_oidset_init / leakscan_oidset_release.
 */
#ifndef LEAKSCAN_OIDSET_H
#define LEAKSCAN_OIDSET_H

#include <git2.h>
#include <stddef.h>

struct leakscan_oidset_slot {
    git_oid oid;
    size_t value;
    int used;
};

struct leakscan_oidset {
    struct leakscan_oidset_slot *slots;
    size_t cap; /* a power of two */
    size_t n;
};

void leakscan_oidset_init(struct leakscan_oidset *s);
void leakscan_oidset_release(struct leakscan_oidset *s);

/*
 * Insert oid with value if absent. Returns 1 when inserted, 0 when it was
 * already there (*existing, if non-NULL, gets its value), -1 on ENOMEM.
 */
int leakscan_oidset_add(struct leakscan_oidset *s, const git_oid *oid, size_t value,
                        size_t *existing);

/* 1 and *value when present, else 0. value may be NULL. */
int leakscan_oidset_get(const struct leakscan_oidset *s, const git_oid *oid, size_t *value);

#endif
