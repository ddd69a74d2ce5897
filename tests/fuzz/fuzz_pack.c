/*
 * fuzz_pack.c - the pack reader on arbitrary packs, and the delta applier on
 * arbitrary deltas.
 *
 * Input, first byte even: a delta. The second byte times 8 is the base's
 * length, taken from the bytes after it; the rest is the delta.
 * First byte odd: a pack. The next 8 bytes are four 16-bit offsets (taken
 * modulo the body's length) of four objects whose ids are 00..01 to
 * 00..04; the rest is the pack's body after its 12-byte header. An index
 * is written for it (each CRC-32 over the bytes from an object's offset to
 * the next one's, which is right when the objects are consecutive), and
 * each object is read with and without a size limit.
 */
#include "config.h"

#include <fcntl.h>
#include <libdeflate.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "leakscan/pack.h"

#define NOBJ 4

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int put(const char *path, const unsigned char *a, size_t na, const unsigned char *b,
               size_t nb, const unsigned char *c, size_t nc)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600), ok;

    if (fd < 0)
        return 0;
    ok = write(fd, a, na) == (ssize_t)na && write(fd, b, nb) == (ssize_t)nb &&
         write(fd, c, nc) == (ssize_t)nc;
    close(fd);
    return ok;
}

static void be32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static void delta(const uint8_t *data, size_t size)
{
    size_t base_len = (size_t)data[1] * 8;
    unsigned char *out;
    size_t len;

    if (size < 2 + base_len)
        return;
    if (leakscan_pack_apply_delta(data + 2, base_len, data + 2 + base_len, size - 2 - base_len,
                                  &out, &len) == 0 &&
        len)
        out[len - 1] ^= 1; /* the result is as long as it says */
    free(out);
}

static void pack(const uint8_t *data, size_t size)
{
    static const unsigned char zero[40];
    unsigned char head[12] = {'P', 'A', 'C', 'K', 0, 0, 0, 2, 0, 0, 0, NOBJ};
    unsigned char idx[8 + 256 * 4 + NOBJ * (20 + 4 + 4)];
    char dir[] = "/tmp/leakscan-fuzz-pack-XXXXXX", path[128];
    const uint8_t *body = data + 1 + 2 * NOBJ;
    size_t body_len = size - 1 - 2 * NOBJ, i, offs[NOBJ];
    struct leakscan_packs *packs = NULL;
    struct leakscan_pack_reader *r = NULL;

    if (!body_len || !mkdtemp(dir))
        return;
    memset(idx, 0, sizeof(idx));
    be32(idx, 0xff744f63);
    be32(idx + 4, 2);
    for (i = 0; i < 256; i++)
        be32(idx + 8 + 4 * i, NOBJ); /* every id starts with 00 */
    for (i = 0; i < NOBJ; i++)
        offs[i] = 12 + ((size_t)data[1 + 2 * i] << 8 | data[2 + 2 * i]) % body_len;
    for (i = 0; i < NOBJ; i++) {
        unsigned char *id = idx + 8 + 1024 + 20 * i;
        size_t end = 12 + body_len, k;
        for (k = 0; k < NOBJ; k++)
            if (offs[k] > offs[i] && offs[k] < end)
                end = offs[k];
        id[19] = (unsigned char)(i + 1);
        be32(idx + 8 + 1024 + NOBJ * 20 + 4 * i,
             (uint32_t)libdeflate_crc32(0, body + (offs[i] - 12), end - offs[i]));
        be32(idx + 8 + 1024 + NOBJ * 24 + 4 * i, (uint32_t)offs[i]);
    }
    snprintf(path, sizeof(path), "%s/pack", dir);
    mkdir(path, 0700);
    snprintf(path, sizeof(path), "%s/pack/pack-f.idx", dir);
    if (!put(path, idx, sizeof(idx), zero, 40, zero, 0))
        goto out;
    snprintf(path, sizeof(path), "%s/pack/pack-f.pack", dir);
    if (!put(path, head, sizeof(head), body, body_len, zero, 20))
        goto out;
    if (leakscan_packs_open(&packs, dir) || leakscan_pack_reader_new(&r, packs, 1 << 16))
        goto out;
    for (i = 0; i < 2 * NOBJ; i++) {
        unsigned char id[20] = {0};
        const unsigned char *d;
        size_t len;
        int type;
        id[19] = (unsigned char)(i % NOBJ + 1);
        if (leakscan_pack_read(r, id, i < NOBJ ? 0 : 100, &type, &d, &len) == 0 && len &&
            d[len - 1] == 0xff)
            type = 0; /* the data is readable to its end */
    }
out:
    leakscan_pack_reader_free(r);
    leakscan_packs_free(packs);
    snprintf(path, sizeof(path), "%s/pack/pack-f.idx", dir);
    unlink(path);
    snprintf(path, sizeof(path), "%s/pack/pack-f.pack", dir);
    unlink(path);
    snprintf(path, sizeof(path), "%s/pack", dir);
    rmdir(path);
    rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    if (data[0] & 1) {
        if (size > 1 + 2 * NOBJ)
            pack(data, size);
    } else {
        delta(data, size);
    }
    return 0;
}
