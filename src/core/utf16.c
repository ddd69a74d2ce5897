/*
 * utf16.c - UTF-16 (with a byte order mark) to UTF-8.
 */
#include "config.h"

#include "leakscan/errors.h"
#include "leakscan/utf16.h"

int leakscan_utf16_bom(const char *data, size_t len)
{
    const unsigned char *d = (const unsigned char *)data;

    if (len >= 2 && d[0] == 0xff && d[1] == 0xfe)
        return 1;
    if (len >= 2 && d[0] == 0xfe && d[1] == 0xff)
        return 2;
    return 0;
}

static int put(struct leakscan_buf *out, unsigned long c)
{
    char b[4];
    size_t n;

    if (c < 0x80) {
        b[0] = (char)c;
        n = 1;
    } else if (c < 0x800) {
        b[0] = (char)(0xc0 | c >> 6);
        b[1] = (char)(0x80 | (c & 0x3f));
        n = 2;
    } else if (c < 0x10000) {
        b[0] = (char)(0xe0 | c >> 12);
        b[1] = (char)(0x80 | (c >> 6 & 0x3f));
        b[2] = (char)(0x80 | (c & 0x3f));
        n = 3;
    } else {
        b[0] = (char)(0xf0 | c >> 18);
        b[1] = (char)(0x80 | (c >> 12 & 0x3f));
        b[2] = (char)(0x80 | (c >> 6 & 0x3f));
        b[3] = (char)(0x80 | (c & 0x3f));
        n = 4;
    }
    return leakscan_buf_add(out, b, n) ? LEAKSCAN_ENOMEM : 0;
}

int leakscan_utf16_to_utf8(const char *data, size_t len, int order, struct leakscan_buf *out)
{
    const unsigned char *d = (const unsigned char *)data;
    size_t i;
    int rc = 0;

    for (i = 2; i + 1 < len && !rc; i += 2) {
        unsigned long u = order == 1 ? (unsigned long)d[i] | (unsigned long)d[i + 1] << 8
                                     : (unsigned long)d[i] << 8 | d[i + 1];
        if (u >= 0xd800 && u < 0xdc00 && i + 3 < len) {
            unsigned long lo = order == 1 ? (unsigned long)d[i + 2] | (unsigned long)d[i + 3] << 8
                                          : (unsigned long)d[i + 2] << 8 | d[i + 3];
            if (lo >= 0xdc00 && lo < 0xe000) {
                rc = put(out, 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00));
                i += 2;
                continue;
            }
        }
        rc = put(out, u >= 0xd800 && u < 0xe000 ? 0xfffd : u);
    }
    if (!rc && len > 2 && len % 2)
        rc = put(out, 0xfffd);
    return rc;
}
