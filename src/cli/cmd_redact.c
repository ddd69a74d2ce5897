/*
 * cmd_redact.c - `leakscan redact [OPTIONS] [FILE...]`: stdin (or the files,
 * in order) to stdout with every secret masked.
 *
 * Output goes out with write(2) after every read, so `tail -f | leakscan
 * redact` is live; --buffered collects up to 1 MiB first. A closed pipe
 * downstream ends the process with SIGPIPE, quietly, as any shell filter.
 */
#include "config.h"

/* F_SETPIPE_SZ (Linux) */
#define _GNU_SOURCE 1

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "cli.h"
#include "leakscan/buf.h"
#include "leakscan/cpus.h"
#include "leakscan/redact.h"
#include "leakscan/run.h"

/* pieces of a round gathered for one writev (their bytes stay valid until the round ends) */
#define GATHER 256

struct out {
    int fd;
    int buffered;
    struct leakscan_buf buf;
    struct iovec iov[GATHER];
    int niov;
};

static int write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t k = write(fd, p, n);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

static int flush_out(struct out *o)
{
    int rc = o->buf.len ? write_all(o->fd, o->buf.data, o->buf.len) : 0;

    leakscan_buf_clear(&o->buf);
    return rc;
}

/* The gathered pieces, in one writev (more when the pipe takes less). */
static int write_gathered(struct out *o)
{
    struct iovec *v = o->iov;
    int n = o->niov;

    o->niov = 0;
    while (n) {
        ssize_t k = writev(o->fd, v, n);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        while (n && (size_t)k >= v->iov_len) {
            k -= (ssize_t)v->iov_len;
            v++;
            n--;
        }
        if (n) {
            v->iov_base = (char *)v->iov_base + k;
            v->iov_len -= (size_t)k;
        }
    }
    return 0;
}

/*
 * Unbuffered, a round goes out as soon as it is masked, in one writev (not
 * a write per piece between secrets: a pipe's reader is woken once).
 */
static int on_output(void *payload, const char *data, size_t len)
{
    struct out *o = payload;

    if (!o->buffered) {
        if (!data)
            return write_gathered(o);
        if (o->niov == GATHER && write_gathered(o))
            return -1;
        o->iov[o->niov].iov_base = (void *)(uintptr_t)data;
        o->iov[o->niov++].iov_len = len;
        return 0;
    }
    if (!data)
        return 0;
    if (leakscan_buf_add(&o->buf, data, len))
        return -1;
    return o->buf.len >= 1024 * 1024 ? flush_out(o) : 0;
}

/* Known values: --values-from-env NAME[,NAME...] and --values-file FILE (one per line). */
static int add_values(struct leakscan_ruleset *rs, const struct cli_opts *o)
{
    struct leakscan_err err;
    size_t i;

    leakscan_err_init(&err);
    for (i = 0; i < o->nvalue_envs; i++) {
        const char *v = getenv(o->value_envs[i]);
        if (!v || !*v) {
            cli_error("--values-from-env: %s is not set (or empty): nothing to mask for it",
                      o->value_envs[i]);
            continue;
        }
        if (leakscan_redact_add_value(rs, v, strlen(v), &err)) {
            cli_error("--values-from-env %s: %s", o->value_envs[i], err.msg);
            return EXIT_USAGE;
        }
    }
    if (o->values_file) {
        struct leakscan_buf b;
        size_t start = 0, k, line = 1;
        leakscan_buf_init(&b);
        if (leakscan_buf_read_file(&b, o->values_file, 16u * 1024 * 1024, &err)) {
            cli_error("%s", err.msg);
            leakscan_buf_release(&b);
            return EXIT_USAGE;
        }
        for (k = 0; k <= b.len; k++) {
            if (k < b.len && b.data[k] != '\n')
                continue;
            {
                size_t e = k;
                if (e > start && b.data[e - 1] == '\r')
                    e--;
                if (e > start && leakscan_redact_add_value(rs, b.data + start, e - start, &err)) {
                    cli_error("%s:%zu: %s", o->values_file, line, err.msg);
                    leakscan_buf_release(&b);
                    return EXIT_USAGE;
                }
            }
            start = k + 1;
            line++;
        }
        leakscan_buf_release(&b);
    }
    return 0;
}

static int load(struct leakscan_ruleset **out, struct cli_opts *o)
{
    struct leakscan_ruleset *rs = NULL;
    struct leakscan_config cfg;
    struct leakscan_err err;
    size_t i;
    int rc;

    /* cli_load_rules compiles; known values must be added before: load by hand */
    leakscan_err_init(&err);
    leakscan_config_init(&cfg);
    rc = leakscan_ruleset_new(&rs, &err);
    if (!rc)
        rc = leakscan_ruleset_load_builtin(rs, &err);
    if (!rc)
        cli_offer_prefilters(rs);
    for (i = 0; !rc && i < o->nconfigs; i++)
        rc = leakscan_config_load(&cfg, rs, o->configs[i], &err);
    leakscan_config_release(&cfg);
    if (rc) {
        cli_error("%s", err.msg);
        leakscan_ruleset_free(rs);
        return EXIT_USAGE;
    }
    if ((rc = add_values(rs, o))) {
        leakscan_ruleset_free(rs);
        return rc;
    }
    leakscan_ruleset_set_redact(rs, 1);
    if ((rc = leakscan_ruleset_compile(rs, &err))) {
        cli_error("%s", err.msg);
        leakscan_ruleset_free(rs);
        return EXIT_USAGE;
    }
    *out = rs;
    return 0;
}

/*
 * A pipe holds 64 KiB by default: a filter between two processes then
 * wakes up for every 64 KiB. Asking for 1 MiB (the unprivileged maximum)
 * cuts the switches; refused or not a pipe, nothing changes.
 */
static void grow_pipe(int fd)
{
#ifdef F_SETPIPE_SZ
    (void)fcntl(fd, F_SETPIPE_SZ, 1024 * 1024);
#else
    (void)fd;
#endif
}

/* 1 when a read would not wait (data, end of file, or an error to report). */
static int ready(int fd)
{
    struct pollfd p;

    p.fd = fd;
    p.events = POLLIN;
    p.revents = 0;
    return poll(&p, 1, 0) != 0;
}

/* Stream one input; 0, or EXIT_RUNTIME after a message. */
static int stream(struct leakscan_redactor *r, int fd, const char *name, struct out *out)
{
    static char chunk[1024 * 1024];
    struct leakscan_err err;
    ssize_t n;

    leakscan_err_init(&err);
    for (;;) {
        /*
         * Nothing to read right now (a live log): write every whole line
         * first, so `tail -f | leakscan redact` shows them without delay.
         */
        if (!out->buffered && !ready(fd) &&
            (leakscan_redactor_flush(r, on_output, out, &err) || flush_out(out)))
            goto write_failed;
        n = read(fd, chunk, sizeof(chunk));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        if (leakscan_redactor_feed(r, chunk, (size_t)n, on_output, out, &err))
            goto write_failed;
    }
    if (n < 0) {
        int e = errno;
        /* what was read is written before the error is reported */
        if (leakscan_redactor_finish(r, on_output, out, &err) || flush_out(out))
            goto write_failed;
        cli_error("%s: read error: %s", name, strerror(e));
        return EXIT_RUNTIME;
    }
    if (leakscan_redactor_finish(r, on_output, out, &err))
        goto write_failed;
    return 0;
write_failed:
    if (errno == EPIPE)
        _exit(141); /* downstream closed: quietly, as a shell filter */
    cli_error("write error: %s", err.code == LEAKSCAN_ENOMEM ? err.msg : strerror(errno));
    return EXIT_RUNTIME;
}

int cmd_redact(struct cli_opts *o)
{
    struct leakscan_ruleset *rs = NULL;
    struct leakscan_redactor *r = NULL;
    struct leakscan_redact_opts ro;
    struct leakscan_err err;
    struct out out;
    size_t i;
    int ex, rc = 0;

    if ((ex = load(&rs, o)))
        return ex;
    cli_git_ready(o); /* fingerprints are git blob ids */
    memset(&ro, 0, sizeof(ro));
    ro.mask = o->mask;
    ro.keep_prefix = o->keep_prefix;
    /* a pipe is the ceiling: beyond four scanning threads only memory grows */
    ro.threads = o->jobs ? o->jobs : leakscan_ncpus() < 4 ? leakscan_ncpus() : 4;
    leakscan_err_init(&err);
    if (leakscan_redactor_new(&r, rs, &ro, &err)) {
        cli_error("%s", err.msg);
        leakscan_ruleset_free(rs);
        return EXIT_RUNTIME;
    }
    out.fd = STDOUT_FILENO;
    out.niov = 0;
    out.buffered = o->buffered;
    grow_pipe(STDIN_FILENO);
    grow_pipe(STDOUT_FILENO);
    leakscan_buf_init(&out.buf);
    if (!o->nargs) {
        rc = stream(r, STDIN_FILENO, "stdin", &out);
    } else {
        for (i = 0; i < o->nargs && !rc; i++) {
            int fd = strcmp(o->args[i], "-") ? open(o->args[i], O_RDONLY | O_CLOEXEC) : 0;
            if (fd < 0) {
                cli_error("%s: cannot open: %s", o->args[i], strerror(errno));
                rc = EXIT_RUNTIME;
                break;
            }
            rc = stream(r, fd, o->args[i], &out);
            if (fd)
                close(fd);
        }
    }
    if (flush_out(&out) && !rc) {
        if (errno == EPIPE)
            _exit(141);
        cli_error("write error: %s", strerror(errno));
        rc = EXIT_RUNTIME;
    }
    if (o->stats) {
        const char *id;
        size_t count;
        fprintf(stderr, "leakscan: redacted %zu secret%s\n", leakscan_redactor_total(r),
                leakscan_redactor_total(r) == 1 ? "" : "s");
        for (i = 0; (id = leakscan_redactor_rule_at(r, i, &count)) != NULL; i++)
            fprintf(stderr, "leakscan:   %-36s %zu\n", id, count);
    }
    if (!rc && o->check && leakscan_redactor_total(r))
        rc = EXIT_FINDINGS;
    leakscan_buf_release(&out.buf);
    leakscan_redactor_free(r);
    leakscan_ruleset_free(rs);
    return rc;
}
