/*
 * err.c - the caller-provided error struct.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "leakscan/errors.h"

void leakscan_err_init(struct leakscan_err *err)
{
    if (!err)
        return;
    err->code = LEAKSCAN_OK;
    err->msg[0] = '\0';
}

int leakscan_err_set(struct leakscan_err *err, int code, const char *fmt, ...)
{
    va_list ap;

    if (!err)
        return code;
    err->code = code;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
    return code;
}

void leakscan_err_prefix(struct leakscan_err *err, const char *fmt, ...)
{
    char head[LEAKSCAN_ERR_MSG];
    size_t hl, ol;
    va_list ap;

    if (!err)
        return;
    va_start(ap, fmt);
    vsnprintf(head, sizeof(head), fmt, ap);
    va_end(ap);
    hl = strlen(head);
    ol = strlen(err->msg);
    if (hl >= sizeof(err->msg))
        hl = sizeof(err->msg) - 1;
    if (hl + ol >= sizeof(err->msg))
        ol = sizeof(err->msg) - 1 - hl;
    memmove(err->msg + hl, err->msg, ol);
    memcpy(err->msg, head, hl);
    err->msg[hl + ol] = '\0';
}

const char *leakscan_strerror(int code)
{
    switch (code) {
    case LEAKSCAN_OK:
        return "success";
    case LEAKSCAN_ENOMEM:
        return "out of memory";
    case LEAKSCAN_EIO:
        return "I/O error";
    case LEAKSCAN_ENOTFOUND:
        return "not found";
    case LEAKSCAN_EPARSE:
        return "parse error";
    case LEAKSCAN_EREGEX:
        return "regex error";
    case LEAKSCAN_EGIT:
        return "git error";
    case LEAKSCAN_ETOOBIG:
        return "too big";
    case LEAKSCAN_EUSAGE:
        return "usage error";
    case LEAKSCAN_ITEROVER:
        return "no more items";
    case LEAKSCAN_STOP:
        return "stopped";
    case LEAKSCAN_SKIP:
        return "skipped";
    default:
        return "error";
    }
}
