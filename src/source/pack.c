/*
 * pack.c - objects read straight from pack files (see pack.h).
 *
 * A pack index (version 2) is 8 bytes of header, 256 fan-out counts, the
 * sorted ids, their CRCs, their 31-bit offsets and a table of 64-bit ones.
 * A pack object is a header (type and size in 7-bit groups), for an
 * offset delta the distance back to its base, for a reference delta the
 * base's id, then a zlib stream. A delta is the base's size, the result's
 * size, then copy and insert instructions.
 *
 * What is read is checked as git's own tools check it without hashing every
 * object: a pack is used only when its index names it (the pack checksum
 * the index records is the pack's trailer), each zlib stream's Adler-32 is
 * verified, and the packed bytes of the object asked for must have the
 * CRC-32 the index gives its id, so an index entry that points at another
 * object is caught.
 */
#define _POSIX_C_SOURCE 200809L
#include "leakscan/pack.h"

#include <dirent.h>
#include <fcntl.h>
#include <libdeflate.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "leakscan/errors.h"

#define ID_LEN 20
#define IDX_HEADER (8 + 256 * 4)
#define IDX_TRAILER 40
#define PACK_TRAILER 20
#define CACHE_SLOTS 4096             /* a power of two */
#define CACHE_MAX_OBJECT (1 << 20)   /* larger bases are not kept */
#define MAX_CHAIN 10000              /* longer delta chains are left to libgit2 */
#define MAX_PACKS 65535              /* a cache key has 16 bits for the pack */
#define MAX_OBJECT ((size_t)1 << 30) /* larger objects are left to libgit2 */
#define MAX_RATIO 1032               /* what deflate can expand a byte to, at most */

struct pack {
    unsigned char *map, *idx; /* mapped read-only */
    size_t size, idx_size;
    size_t end; /* where the objects end: the trailer follows */
    const unsigned char *ids, *crcs, *off32, *off64;
    size_t n, n64;
    uint32_t *fan;  /* a wider fan-out than the index's, for large packs (or NULL) */
    unsigned shift; /* an id's bucket there: its first 32 bits >> shift */
};

struct leakscan_packs {
    struct pack *v;
    size_t n;
};

struct slot {
    uint64_t key; /* pack number + 1 in the top 16 bits, offset below; 0 = empty */
    unsigned char *data;
    size_t len;
    size_t end; /* where the object's packed bytes end */
    int type;
};

struct link {
    size_t pack, off, pos, size; /* pos: where the zlib stream starts; size: the delta's */
    size_t end;                  /* where the stream ends, once inflated */
};

struct leakscan_pack_reader {
    const struct leakscan_packs *p;
    struct libdeflate_decompressor *z;
    struct slot *slots;
    size_t used, limit, evict;
    unsigned char *out; /* the last result when it is not in the cache */
    struct dbuf {
        unsigned char *d;
        size_t cap;
    } delta, top; /* inflated deltas: the one being applied, the asked object's */
    struct link *chain;
    size_t chain_cap, last_pack;
};

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t be64(const unsigned char *p)
{
    return (uint64_t)be32(p) << 32 | be32(p + 4);
}

static unsigned char *map_file(const char *path, size_t *size)
{
    struct stat st;
    void *m;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK); /* a FIFO there: no wait */

    if (fd < 0)
        return NULL;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size <= 0) {
        close(fd);
        return NULL;
    }
    m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (m == MAP_FAILED)
        return NULL;
    *size = (size_t)st.st_size;
    return m;
}

/* 1 when the index and its pack are ones this reader understands. */
static int check_pack(struct pack *k)
{
    const unsigned char *fan = k->idx + 8;
    size_t i, tables;

    if (k->idx_size < IDX_HEADER + IDX_TRAILER || be32(k->idx) != 0xff744f63 ||
        be32(k->idx + 4) != 2)
        return 0;
    for (i = 1; i < 256; i++)
        if (be32(fan + 4 * i) < be32(fan + 4 * (i - 1)))
            return 0;
    k->n = be32(fan + 4 * 255);
    tables = IDX_HEADER + k->n * (ID_LEN + 4 + 4);
    if (tables + IDX_TRAILER > k->idx_size || (k->idx_size - tables - IDX_TRAILER) % 8)
        return 0;
    k->ids = k->idx + IDX_HEADER;
    k->crcs = k->ids + k->n * ID_LEN;
    k->off32 = k->ids + k->n * (ID_LEN + 4);
    k->off64 = k->off32 + k->n * 4;
    k->n64 = (k->idx_size - tables - IDX_TRAILER) / 8;
    k->end = k->size - PACK_TRAILER;
    /* the index records the checksum of its pack, which is the pack's trailer */
    return k->size >= 12 + PACK_TRAILER && !memcmp(k->map, "PACK", 4) &&
           (be32(k->map + 4) == 2 || be32(k->map + 4) == 3) && be32(k->map + 8) == k->n &&
           !memcmp(k->idx + k->idx_size - IDX_TRAILER, k->map + k->end, PACK_TRAILER);
}

/*
 * A fan-out on the ids' first 10 to 20 bits, about 4 to 8 ids a bucket, so
 * that a lookup reads one or two cache lines of ids instead of halving a
 * range of thousands (on the bench pack, the lookups were a quarter of
 * reading its commits). Made in one pass over the ids; a pack of 2,048
 * objects or fewer keeps the index's. Left out when there is no memory for it.
 */
static void widen_fanout(struct pack *k)
{
    unsigned bits = 0;
    size_t i, b = 0, nb;

    while (bits < 20 && ((size_t)4 << bits) < k->n)
        bits++;
    if (bits < 10 || !(k->fan = malloc(((size_t)1 << bits) * sizeof(*k->fan) + sizeof(*k->fan))))
        return;
    k->shift = 32 - bits;
    nb = (size_t)1 << bits;
    for (i = 0; i < k->n; i++) {
        size_t at = be32(k->ids + i * ID_LEN) >> k->shift;
        while (b <= at)
            k->fan[b++] = (uint32_t)i;
    }
    while (b <= nb)
        k->fan[b++] = (uint32_t)k->n;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The packs of one objects directory, added to p (p->v grows); 0 or LEAKSCAN_ENOMEM. */
static int add_dir_packs(struct leakscan_packs *p, const char *objects_dir)
{
    char **names = NULL, *path = NULL;
    size_t nnames = 0, cap = 0, i, dlen = strlen(objects_dir);
    struct dirent *de;
    DIR *d;
    int rc = 0;

    if (!(path = malloc(dlen + 300)))
        return LEAKSCAN_ENOMEM;
    memcpy(path, objects_dir, dlen);
    memcpy(path + dlen, "/pack", 6);
    if (!(d = opendir(path))) {
        free(path);
        return 0;
    }
    while ((de = readdir(d))) {
        size_t l = strlen(de->d_name);
        if (l < 5 || l > 250 || strcmp(de->d_name + l - 4, ".idx"))
            continue;
        if (nnames == cap) {
            char **v = realloc(names, (cap = cap ? cap * 2 : 8) * sizeof(*v));
            if (!v) {
                rc = LEAKSCAN_ENOMEM;
                break;
            }
            names = v;
        }
        if (!(names[nnames] = strdup(de->d_name))) {
            rc = LEAKSCAN_ENOMEM;
            break;
        }
        nnames++;
    }
    closedir(d);
    if (!rc && nnames) {
        struct pack *v = realloc(p->v, (p->n + nnames) * sizeof(*v));
        if (v)
            p->v = v;
        else
            rc = LEAKSCAN_ENOMEM;
    }
    if (nnames)
        qsort(names, nnames, sizeof(*names), by_name);
    for (i = 0; !rc && i < nnames && p->n < MAX_PACKS; i++) {
        struct pack *k = &p->v[p->n];
        size_t l = strlen(names[i]);
        memset(k, 0, sizeof(*k));
        snprintf(path + dlen, 300, "/pack/%s", names[i]);
        k->idx = map_file(path, &k->idx_size);
        memcpy(path + dlen + 6 + l - 4, ".pack", 6);
        k->map = k->idx ? map_file(path, &k->size) : NULL;
        if (k->idx && k->map && check_pack(k)) {
            widen_fanout(k);
            p->n++;
            continue;
        }
        if (k->idx)
            munmap(k->idx, k->idx_size);
        if (k->map)
            munmap(k->map, k->size);
    }
    for (i = 0; i < nnames; i++)
        free(names[i]);
    free(names);
    free(path);
    return rc;
}

/*
 * The packs of objects_dir, then those of the directories its
 * info/alternates names (one a line, relative to objects_dir unless
 * absolute; '#' starts a comment), to the depth git follows (5).
 */
static int add_packs(struct leakscan_packs *p, const char *objects_dir, int depth)
{
    char *alt = NULL, line[4096];
    size_t dlen = strlen(objects_dir);
    FILE *fp;
    int rc = add_dir_packs(p, objects_dir);

    if (rc || depth >= 5)
        return rc;
    if (!(alt = malloc(dlen + 32)))
        return LEAKSCAN_ENOMEM;
    snprintf(alt, dlen + 32, "%s/info/alternates", objects_dir);
    fp = fopen(alt, "re");
    free(alt);
    if (!fp)
        return 0;
    while (!rc && fgets(line, sizeof(line), fp)) {
        size_t n = strcspn(line, "\r\n");
        char *dir;
        line[n] = '\0';
        if (!n || line[0] == '#')
            continue;
        if (!(dir = malloc(dlen + n + 2))) {
            rc = LEAKSCAN_ENOMEM;
            break;
        }
        if (line[0] == '/')
            memcpy(dir, line, n + 1);
        else
            snprintf(dir, dlen + n + 2, "%s/%s", objects_dir, line);
        rc = add_packs(p, dir, depth + 1);
        free(dir);
    }
    fclose(fp);
    return rc;
}

int leakscan_packs_open(struct leakscan_packs **out, const char *objects_dir)
{
    struct leakscan_packs *p = calloc(1, sizeof(*p));
    int rc;

    *out = NULL;
    if (!p)
        return LEAKSCAN_ENOMEM;
    if ((rc = add_packs(p, objects_dir, 0))) {
        leakscan_packs_free(p);
        return rc;
    }
    *out = p;
    return 0;
}

void leakscan_packs_free(struct leakscan_packs *p)
{
    size_t i;

    if (!p)
        return;
    for (i = 0; i < p->n; i++) {
        munmap(p->v[i].idx, p->v[i].idx_size);
        munmap(p->v[i].map, p->v[i].size);
        free(p->v[i].fan);
    }
    free(p->v);
    free(p);
}

size_t leakscan_packs_count(const struct leakscan_packs *p)
{
    return p ? p->n : 0;
}

/* The object's offset in pack k (*entry: its place in the index), or 0 when not there. */
static size_t find_in(const struct pack *k, const unsigned char *id, size_t *entry)
{
    const unsigned char *fan = k->idx + 8;
    size_t lo, hi;
    uint64_t off;

    if (k->fan) {
        size_t b = be32(id) >> k->shift;
        lo = k->fan[b];
        hi = k->fan[b + 1];
    } else {
        lo = id[0] ? be32(fan + 4 * (id[0] - 1)) : 0;
        hi = be32(fan + 4 * id[0]);
    }

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = memcmp(k->ids + mid * ID_LEN, id, ID_LEN);
        if (!c) {
            *entry = mid;
            off = be32(k->off32 + 4 * mid);
            if (off & 0x80000000u) {
                off &= 0x7fffffffu;
                if (off >= k->n64)
                    return 0;
                off = be64(k->off64 + 8 * off);
            }
            return off >= 12 && off < k->end ? (size_t)off : 0;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

static int find(struct leakscan_pack_reader *r, const unsigned char *id, size_t *pack, size_t *off,
                size_t *entry)
{
    size_t i, n = r->p->n;

    for (i = 0; i < n; i++) {
        size_t k = (r->last_pack + i) % n;
        if ((*off = find_in(&r->p->v[k], id, entry))) {
            *pack = k;
            r->last_pack = k;
            return 1;
        }
    }
    return 0;
}

int leakscan_pack_reader_new(struct leakscan_pack_reader **out, const struct leakscan_packs *p,
                             size_t cache_bytes)
{
    struct leakscan_pack_reader *r = calloc(1, sizeof(*r));

    *out = NULL;
    if (!r)
        return LEAKSCAN_ENOMEM;
    r->p = p;
    r->limit = cache_bytes;
    r->slots = calloc(CACHE_SLOTS, sizeof(*r->slots));
    r->z = libdeflate_alloc_decompressor();
    if (!r->slots || !r->z) {
        leakscan_pack_reader_free(r);
        return LEAKSCAN_ENOMEM;
    }
    *out = r;
    return 0;
}

void leakscan_pack_reader_free(struct leakscan_pack_reader *r)
{
    size_t i;

    if (!r)
        return;
    if (r->slots)
        for (i = 0; i < CACHE_SLOTS; i++)
            free(r->slots[i].data);
    free(r->slots);
    if (r->z)
        libdeflate_free_decompressor(r->z);
    free(r->out);
    free(r->delta.d);
    free(r->top.d);
    free(r->chain);
    free(r);
}

static size_t slot_of(uint64_t key)
{
    key *= 0x9e3779b97f4a7c15ull;
    return (size_t)(key >> 52) & (CACHE_SLOTS - 1);
}

static void drop(struct leakscan_pack_reader *r, struct slot *s)
{
    r->used -= s->len;
    free(s->data);
    memset(s, 0, sizeof(*s));
}

static const struct slot *cached(const struct leakscan_pack_reader *r, uint64_t key)
{
    const struct slot *s = &r->slots[slot_of(key)];

    return s->key == key ? s : NULL;
}

/* Keep data (taking it) under key; 0 when it was not kept (the caller still owns it). */
static int keep(struct leakscan_pack_reader *r, uint64_t key, unsigned char *data, size_t len,
                size_t end, int type)
{
    struct slot *s = &r->slots[slot_of(key)];

    if (len > CACHE_MAX_OBJECT || len > r->limit)
        return 0;
    if (s->key)
        drop(r, s);
    while (r->used + len > r->limit) {
        struct slot *e = &r->slots[r->evict++ & (CACHE_SLOTS - 1)];
        if (e->key)
            drop(r, e);
    }
    s->key = key;
    s->data = data;
    s->len = len;
    s->end = end;
    s->type = type;
    r->used += len;
    return 1;
}

/*
 * The header of the object at off: type, size, and where what follows it
 * starts. 0 when it runs past the end of the pack.
 */
static int header(const struct pack *k, size_t off, int *type, size_t *size, size_t *pos)
{
    size_t end = k->end, i = off, s;
    unsigned shift = 4;
    unsigned char c;

    if (i >= end)
        return 0;
    c = k->map[i++];
    *type = (c >> 4) & 7;
    s = c & 15;
    while (c & 0x80) {
        if (i >= end || shift > 57)
            return 0;
        c = k->map[i++];
        s |= (size_t)(c & 0x7f) << shift;
        shift += 7;
    }
    *size = s;
    *pos = i;
    return 1;
}

/* Inflate the zlib stream at pos into exactly size bytes of dst; *stop: where it ends. */
static int inflate_at(struct leakscan_pack_reader *r, const struct pack *k, size_t pos,
                      unsigned char *dst, size_t size, size_t *stop)
{
    size_t got = 0, used = 0;

    if (pos >= k->end ||
        libdeflate_zlib_decompress_ex(r->z, k->map + pos, k->end - pos, dst, size, &used, &got) !=
            LIBDEFLATE_SUCCESS ||
        got != size)
        return 0;
    *stop = pos + used;
    return 1;
}

/*
 * 1 when the stream at pos could make size bytes: a size it cannot make is
 * a damaged header, and nothing is allocated for it.
 */
static int makeable(const struct pack *k, size_t pos, size_t size)
{
    return size <= MAX_OBJECT && pos < k->end && size / MAX_RATIO <= k->end - pos;
}

/* A new buffer with the inflated object at pos (size bytes), or NULL. */
static unsigned char *inflate_new(struct leakscan_pack_reader *r, const struct pack *k, size_t pos,
                                  size_t size, size_t *stop)
{
    unsigned char *b;

    if (!makeable(k, pos, size) || !(b = malloc(size ? size : 1)))
        return NULL;
    if (!inflate_at(r, k, pos, b, size, stop)) {
        free(b);
        return NULL;
    }
    return b;
}

/* The delta of a chain link, inflated into b. */
static int inflate_delta(struct leakscan_pack_reader *r, struct link *l, struct dbuf *b)
{
    const struct pack *k = &r->p->v[l->pack];

    if (!makeable(k, l->pos, l->size))
        return 0;
    if (l->size + 1 > b->cap) {
        unsigned char *d = realloc(b->d, l->size + 1);
        if (!d)
            return 0;
        b->d = d;
        b->cap = l->size + 1;
    }
    return inflate_at(r, k, l->pos, b->d, l->size, &l->end);
}

static int varint(const unsigned char *d, size_t n, size_t *i, size_t *v)
{
    unsigned shift = 0;
    unsigned char c;

    *v = 0;
    do {
        if (*i >= n || shift > 57)
            return 0;
        c = d[(*i)++];
        *v |= (size_t)(c & 0x7f) << shift;
        shift += 7;
    } while (c & 0x80);
    return 1;
}

/* The size of the result of a delta, from its header. */
static int delta_target(const unsigned char *d, size_t n, size_t *target)
{
    size_t i = 0, src;

    return varint(d, n, &i, &src) && varint(d, n, &i, target);
}

int leakscan_pack_apply_delta(const unsigned char *base, size_t base_len,
                              const unsigned char *delta, size_t delta_len, unsigned char **out,
                              size_t *out_len)
{
    size_t i = 0, src, dst, w = 0;
    unsigned char *b;

    *out = NULL;
    *out_len = 0;
    if (!varint(delta, delta_len, &i, &src) || !varint(delta, delta_len, &i, &dst) ||
        src != base_len || dst > MAX_OBJECT ||
        dst / 0x1000000 > delta_len - i) /* an instruction makes under 16 MiB */
        return LEAKSCAN_EPARSE;
    if (!(b = malloc(dst ? dst : 1)))
        return LEAKSCAN_ENOMEM;
    while (i < delta_len) {
        unsigned char op = delta[i++];
        if (op & 0x80) {
            size_t off = 0, len = 0;
            unsigned bit;
            for (bit = 0; bit < 7; bit++) {
                if (!(op & (1u << bit)))
                    continue;
                if (i >= delta_len)
                    goto bad;
                if (bit < 4)
                    off |= (size_t)delta[i++] << (8 * bit);
                else
                    len |= (size_t)delta[i++] << (8 * (bit - 4));
            }
            if (!len)
                len = 0x10000;
            if (off > base_len || len > base_len - off || len > dst - w)
                goto bad;
            memcpy(b + w, base + off, len);
            w += len;
        } else if (op) {
            if (op > delta_len - i || op > dst - w)
                goto bad;
            memcpy(b + w, delta + i, op);
            i += op;
            w += op;
        } else {
            goto bad;
        }
    }
    if (w != dst)
        goto bad;
    *out = b;
    *out_len = dst;
    return 0;
bad:
    free(b);
    return LEAKSCAN_EPARSE;
}

static uint64_t key_of(size_t pack, size_t off)
{
    return (uint64_t)(pack + 1) << 48 | (uint64_t)off;
}

/* Add a link to the chain; 0 when out of memory or the chain is too long. */
static int push(struct leakscan_pack_reader *r, size_t depth, const struct link *l)
{
    if (depth >= MAX_CHAIN)
        return 0;
    if (depth == r->chain_cap) {
        size_t cap = r->chain_cap ? r->chain_cap * 2 : 64;
        struct link *c = realloc(r->chain, cap * sizeof(*c));
        if (!c)
            return 0;
        r->chain = c;
        r->chain_cap = cap;
    }
    r->chain[depth] = *l;
    return 1;
}

/* 1 when the packed bytes [off, end) of pack k have the CRC-32 the index gives entry. */
static int crc_ok(const struct pack *k, size_t entry, size_t off, size_t end)
{
    return end > off && libdeflate_crc32(0, k->map + off, end - off) == be32(k->crcs + 4 * entry);
}

int leakscan_pack_read(struct leakscan_pack_reader *r, const unsigned char *id, size_t max_size,
                       int *type, const unsigned char **data, size_t *len)
{
    const unsigned char *base = NULL;
    unsigned char *owned = NULL;
    size_t pack, off, entry = 0, want, depth = 0, base_len = 0, pos, size, i, stop = 0;
    int t, base_type = 0;
    const struct slot *s;

    free(r->out);
    r->out = NULL;
    if (!r->p->n || !find(r, id, &pack, &off, &want))
        return LEAKSCAN_ENOTFOUND;
    /* down the chain to an object in the cache or a whole one */
    for (;;) {
        const struct pack *k = &r->p->v[pack];
        struct link l;
        if ((s = cached(r, key_of(pack, off)))) {
            if (!depth) {
                /* what was asked for: its size, and that the index's entry is this object */
                if (max_size && s->len > max_size) {
                    *len = s->len;
                    return LEAKSCAN_ETOOBIG;
                }
                if (!crc_ok(k, want, off, s->end))
                    return LEAKSCAN_ENOTFOUND;
            }
            base = s->data;
            base_len = s->len;
            base_type = s->type;
            break;
        }
        if (!header(k, off, &t, &size, &pos))
            return LEAKSCAN_ENOTFOUND;
        if (t >= LEAKSCAN_PACK_COMMIT && t <= LEAKSCAN_PACK_TAG) {
            if (!depth && max_size && size > max_size) {
                *len = size;
                return LEAKSCAN_ETOOBIG;
            }
            if (!(owned = inflate_new(r, k, pos, size, &stop)) ||
                (!depth && !crc_ok(k, want, off, stop))) {
                free(owned);
                return LEAKSCAN_ENOTFOUND;
            }
            base = owned;
            base_len = size;
            base_type = t;
            if (depth && keep(r, key_of(pack, off), owned, size, stop, t))
                owned = NULL; /* the cache has it now */
            break;
        }
        l.pack = pack;
        l.off = off;
        l.size = size;
        l.end = 0;
        if (t == 6) { /* offset delta: the base is this far back in the same pack */
            size_t back;
            unsigned char c;
            if (pos >= k->end)
                return LEAKSCAN_ENOTFOUND;
            c = k->map[pos++];
            back = c & 0x7f;
            while (c & 0x80) {
                if (pos >= k->end || back >= (SIZE_MAX >> 8))
                    return LEAKSCAN_ENOTFOUND;
                c = k->map[pos++];
                back = ((back + 1) << 7) | (c & 0x7f);
            }
            if (!back || back > off - 12)
                return LEAKSCAN_ENOTFOUND;
            l.pos = pos;
            off -= back;
        } else if (t == 7) { /* reference delta: the base by id, in any pack */
            if (pos + ID_LEN > k->end)
                return LEAKSCAN_ENOTFOUND;
            l.pos = pos + ID_LEN;
            if (!find(r, k->map + pos, &pack, &off, &entry))
                return LEAKSCAN_ENOTFOUND;
        } else {
            return LEAKSCAN_ENOTFOUND;
        }
        if (!push(r, depth, &l))
            return LEAKSCAN_ENOTFOUND;
        /* what was asked for: the index's entry is this delta, and its size is in its header */
        if (!depth) {
            size_t target;
            struct link *top = &r->chain[0];
            if (!inflate_delta(r, top, &r->top) || !crc_ok(k, want, top->off, top->end) ||
                !delta_target(r->top.d, top->size, &target))
                return LEAKSCAN_ENOTFOUND;
            if (max_size && target > max_size) {
                *len = target;
                return LEAKSCAN_ETOOBIG;
            }
        }
        depth++;
    }
    /* up the chain: each delta applied to the result below it */
    for (i = depth; i-- > 0;) {
        struct link *l = &r->chain[i];
        struct dbuf *b = i == 0 ? &r->top : &r->delta; /* the top one: inflated on the way down */
        unsigned char *next;
        size_t next_len;
        int rc;
        if (i && !inflate_delta(r, l, b)) {
            free(owned);
            return LEAKSCAN_ENOTFOUND;
        }
        rc = leakscan_pack_apply_delta(base, base_len, b->d, l->size, &next, &next_len);
        free(owned);
        owned = NULL;
        if (rc)
            return LEAKSCAN_ENOTFOUND;
        base = next;
        base_len = next_len;
        if (i && keep(r, key_of(l->pack, l->off), next, next_len, l->end, base_type))
            continue;
        owned = next;
    }
    /* what was asked for: owned by the reader, or by its cache */
    r->out = owned;
    *type = base_type;
    *data = base;
    *len = base_len;
    return 0;
}
