/*
 * buf.c - growable byte buffer.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leakscan/buf.h"
#include "leakscan/errors.h"

void leakscan_buf_init(struct leakscan_buf *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void leakscan_buf_release(struct leakscan_buf *b)
{
    free(b->data);
    leakscan_buf_init(b);
}

int leakscan_buf_grow(struct leakscan_buf *b, size_t more)
{
    size_t need, cap;
    char *p;

    if (more > (size_t)-1 - b->len - 1)
        return LEAKSCAN_ENOMEM;
    need = b->len + more + 1;
    if (need <= b->cap)
        return 0;
    cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > ((size_t)-1) / 2 ? need : cap * 2;
    p = realloc(b->data, cap);
    if (!p)
        return LEAKSCAN_ENOMEM;
    b->data = p;
    b->cap = cap;
    return 0;
}

int leakscan_buf_add(struct leakscan_buf *b, const void *data, size_t len)
{
    if (leakscan_buf_grow(b, len))
        return LEAKSCAN_ENOMEM;
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return 0;
}

int leakscan_buf_puts(struct leakscan_buf *b, const char *s)
{
    return leakscan_buf_add(b, s, strlen(s));
}

int leakscan_buf_printf(struct leakscan_buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return LEAKSCAN_ERROR;
    if (leakscan_buf_grow(b, (size_t)n))
        return LEAKSCAN_ENOMEM;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

void leakscan_buf_clear(struct leakscan_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

char *leakscan_buf_take(struct leakscan_buf *b, size_t *len)
{
    char *p = b->data;

    if (len)
        *len = b->len;
    if (!p)
        p = calloc(1, 1);
    leakscan_buf_init(b);
    return p;
}

int leakscan_buf_read_file(struct leakscan_buf *b, const char *path, size_t max,
                           struct leakscan_err *err)
{
    char chunk[65536];
    size_t n, start = b->len;
    FILE *f = fopen(path, "rb");
    int rc = 0;

    if (!f)
        return leakscan_err_set(err, errno == ENOENT ? LEAKSCAN_ENOTFOUND : LEAKSCAN_EIO,
                                "%s: cannot open: %s", path, strerror(errno));
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        if (leakscan_buf_add(b, chunk, n)) {
            rc = leakscan_err_set(err, LEAKSCAN_ENOMEM, "%s: out of memory", path);
            break;
        }
        if (max && b->len - start > max) {
            rc = leakscan_err_set(err, LEAKSCAN_ETOOBIG, "%s: larger than %zu bytes", path, max);
            break;
        }
    }
    if (!rc && ferror(f))
        rc = leakscan_err_set(err, LEAKSCAN_EIO, "%s: read error: %s", path, strerror(errno));
    fclose(f);
    return rc;
}
