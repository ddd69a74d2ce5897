/*
 * pack.h - reading objects straight from a repository's pack files.
 *
 * A history scan reads every tree and blob of a repository once, and most
 * of its time is inflating them and applying deltas. libgit2 does this
 * through zlib, verifies a checksum per object, takes a process-wide lock
 * for every window of a pack, and keeps one delta-base cache per
 * repository handle. This reader maps each pack once, inflates with
 * libdeflate, and keeps a small cache of delta bases per thread.
 *
 * It is only a faster path: an object that is not in a pack (a loose
 * object, here or in an alternate), or that it cannot read (a corrupt pack, a delta
 * base outside the packs, an object over the size limit), gets
 * LEAKSCAN_ENOTFOUND, and the caller reads it through libgit2, which also
 * names the error.
 *
 * Ownership: leakscan_packs is immutable once open and shared by threads;
 * free it after every reader. A reader belongs to one thread. Data returned
 * by leakscan_pack_read belongs to the reader and stays valid until its
 * next read or its free.
 */
#ifndef LEAKSCAN_PACK_H
#define LEAKSCAN_PACK_H

#include <stddef.h>

struct leakscan_packs;
struct leakscan_pack_reader;

/* git's object types, as numbered in a pack */
enum {
    LEAKSCAN_PACK_COMMIT = 1,
    LEAKSCAN_PACK_TREE = 2,
    LEAKSCAN_PACK_BLOB = 3,
    LEAKSCAN_PACK_TAG = 4
};

/*
 * Map the packs in `objects_dir`/pack (a repository's objects directory)
 * and in the object directories its info/alternates names.
 * Packs whose index or header is not understood are left to libgit2.
 * No packs at all is not an error. Returns 0 or LEAKSCAN_ENOMEM.
 */
int leakscan_packs_open(struct leakscan_packs **out, const char *objects_dir);
void leakscan_packs_free(struct leakscan_packs *p);
size_t leakscan_packs_count(const struct leakscan_packs *p);

/*
 * A reader with a delta-base cache of at most `cache_bytes`.
 * Returns 0 or LEAKSCAN_ENOMEM.
 */
int leakscan_pack_reader_new(struct leakscan_pack_reader **out, const struct leakscan_packs *p,
                             size_t cache_bytes);
void leakscan_pack_reader_free(struct leakscan_pack_reader *r);

/*
 * Object `id` (20 raw bytes). 0: *type, *data and *len are set.
 * LEAKSCAN_ETOOBIG: max_size (0: no limit) is exceeded; *len is the size
 * and the object itself was not made. LEAKSCAN_ENOTFOUND: not read here
 * (see above), which includes an allocation that failed: libgit2 tries.
 * Checked on the way: the pack's checksum against its index (at open), each
 * stream's Adler-32, and the CRC-32 the index gives the object's packed bytes.
 */
int leakscan_pack_read(struct leakscan_pack_reader *r, const unsigned char *id, size_t max_size,
                       int *type, const unsigned char **data, size_t *len);

/*
 * Apply a git delta to base. *out (malloc'd, caller frees) gets the
 * result. Returns 0, LEAKSCAN_EPARSE for a malformed delta or one that
 * does not fit base, LEAKSCAN_ENOMEM. Exposed for the fuzz target.
 */
int leakscan_pack_apply_delta(const unsigned char *base, size_t base_len,
                              const unsigned char *delta, size_t delta_len, unsigned char **out,
                              size_t *out_len);

#endif
