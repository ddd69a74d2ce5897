/*
 * errors.h - error codes and the caller-provided error struct.
 *
 * Every fallible leakscan_* call returns an int: LEAKSCAN_OK (0) or a negative
 * code below. Details go into a struct leakscan_err the caller provides (NULL
 * is allowed: the detail is then dropped). Nothing is global or thread-local.
 */
#ifndef LEAKSCAN_ERRORS_H
#define LEAKSCAN_ERRORS_H

#include <stdarg.h>

enum leakscan_code {
    LEAKSCAN_OK = 0,
    LEAKSCAN_ERROR = -1,     /* generic failure */
    LEAKSCAN_ENOMEM = -2,    /* allocation failed */
    LEAKSCAN_EIO = -3,       /* read/write failure */
    LEAKSCAN_ENOTFOUND = -4, /* path, rule or object does not exist */
    LEAKSCAN_EPARSE = -5,    /* malformed YAML/JSON/rule file */
    LEAKSCAN_EREGEX = -6,    /* a pattern does not compile or a match failed */
    LEAKSCAN_EGIT = -7,      /* libgit2 failure */
    LEAKSCAN_ETOOBIG = -8,   /* input over a size limit */
    LEAKSCAN_EUSAGE = -9,    /* bad arguments or configuration */
    LEAKSCAN_ITEROVER = -30, /* flow control: no more items */
    LEAKSCAN_STOP = -31,     /* flow control: a sink asked to stop */
    LEAKSCAN_SKIP = -32      /* flow control: the item was skipped (reason in err) */
};

#define LEAKSCAN_ERR_MSG 1024

/* The error detail. Embedded: leakscan_err_init() before use, no release. */
struct leakscan_err {
    int code;                   /* the enum leakscan_code that was set */
    char msg[LEAKSCAN_ERR_MSG]; /* one line, no trailing newline */
};

void leakscan_err_init(struct leakscan_err *err);

/*
 * Set err (if non-NULL) to code and a printf-style message; returns code so
 * callers can write `return leakscan_err_set(err, LEAKSCAN_EIO, "...")`.
 */
int leakscan_err_set(struct leakscan_err *err, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Prefix the existing message with a formatted context ("file.yaml: "). */
void leakscan_err_prefix(struct leakscan_err *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* A short name for a code ("I/O error"). Never NULL. */
const char *leakscan_strerror(int code);

#endif
