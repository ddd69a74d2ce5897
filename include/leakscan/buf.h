/*
 * buf.h - a growable byte buffer (curl's dynbuf shape).
 *
 * Embedded struct: leakscan_buf_init(), then leakscan_buf_release(). The data
 * is always NUL-terminated (one spare byte) so it can be used as a C string
 * when it holds text. leakscan_buf_take() hands the allocation to the caller.
 */
#ifndef LEAKSCAN_BUF_H
#define LEAKSCAN_BUF_H

#include <stddef.h>

struct leakscan_buf {
    char *data; /* owned; NULL until the first append */
    size_t len; /* bytes in use, excluding the terminating NUL */
    size_t cap; /* bytes allocated */
};

void leakscan_buf_init(struct leakscan_buf *b);
void leakscan_buf_release(struct leakscan_buf *b);
/* Make room for at least `more` extra bytes. 0 or LEAKSCAN_ENOMEM. */
int leakscan_buf_grow(struct leakscan_buf *b, size_t more);
int leakscan_buf_add(struct leakscan_buf *b, const void *data, size_t len);
int leakscan_buf_puts(struct leakscan_buf *b, const char *s);
int leakscan_buf_printf(struct leakscan_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void leakscan_buf_clear(struct leakscan_buf *b);
struct leakscan_err;
/*
 * Append the whole file at `path` (at most `max` bytes, 0: no limit).
 * 0, LEAKSCAN_ENOTFOUND, LEAKSCAN_EIO, LEAKSCAN_ETOOBIG or LEAKSCAN_ENOMEM.
 */
int leakscan_buf_read_file(struct leakscan_buf *b, const char *path, size_t max,
                           struct leakscan_err *err);

/* Detach the data (caller frees with free()); the buffer is left empty. */
char *leakscan_buf_take(struct leakscan_buf *b, size_t *len);

#endif
