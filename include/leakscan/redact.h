/*
 * redact.h - the streaming log redactor: bytes in, the same bytes out, with
 * every secret replaced by a mask.
 *
 * Every byte that is not part of a secret passes through unchanged and in
 * order (line endings, invalid UTF-8, NUL bytes, escape codes). Input is
 * pushed in pieces of any size; where the pieces are cut does not matter.
 * Memory is bounded by the window (1 MiB, and one more per thread) whatever
 * the input: a line longer
 * than the window is still passed through whole, redacting what matches
 * inside the window. A PEM block is held until its END line (up to the
 * window) so it is masked as a whole.
 *
 * Ownership: leakscan_redactor_new() returns a redactor the caller frees
 * with leakscan_redactor_free(); it borrows the ruleset (compiled in
 * redaction mode, see leakscan_ruleset_set_redact()).
 */
#ifndef LEAKSCAN_REDACT_H
#define LEAKSCAN_REDACT_H

#include <stddef.h>

#include "errors.h"
#include "ruleset.h"

struct leakscan_redact_opts {
    const char *mask;   /* NULL: "[REDACTED:<rule-id>]"; else this string */
    size_t keep_prefix; /* keep the first N bytes of each secret before the mask */
    size_t window;      /* 0: 1 MiB; the most input held before it is written */
    unsigned threads;   /* scan on this many worker threads (0 or 1: none); same output */
};

/*
 * Where output goes: returns 0, or -1 (errno set) to stop. The pieces of a
 * round stay valid until a call with data NULL (len 0) ends the round: a
 * writer may gather them and write them then, in one system call.
 */
typedef int (*leakscan_write_fn)(void *payload, const char *data, size_t len);

struct leakscan_redactor;

int leakscan_redactor_new(struct leakscan_redactor **out, const struct leakscan_ruleset *rs,
                          const struct leakscan_redact_opts *opts, struct leakscan_err *err);
void leakscan_redactor_free(struct leakscan_redactor *r);

/*
 * Push len bytes. Output that is final is written through w (maybe none,
 * maybe several calls). 0, LEAKSCAN_EIO (w failed; errno kept), or
 * LEAKSCAN_ENOMEM.
 */
int leakscan_redactor_feed(struct leakscan_redactor *r, const char *data, size_t len,
                           leakscan_write_fn w, void *payload, struct leakscan_err *err);

/*
 * Write every whole line pushed so far (with threads, rounds still being
 * scanned are waited for). For live input: call it before waiting for more.
 */
int leakscan_redactor_flush(struct leakscan_redactor *r, leakscan_write_fn w, void *payload,
                            struct leakscan_err *err);

/* End of one input: write everything still held. The redactor can be fed again. */
int leakscan_redactor_finish(struct leakscan_redactor *r, leakscan_write_fn w, void *payload,
                             struct leakscan_err *err);

/* Secrets masked so far, in total and per rule id (i-th rule hit; NULL past the end). */
size_t leakscan_redactor_total(const struct leakscan_redactor *r);
const char *leakscan_redactor_rule_at(const struct leakscan_redactor *r, size_t i, size_t *count);

/* With threads: rounds scanned on workers, and those redone because a secret moved the cut. */
void leakscan_redactor_rounds(const struct leakscan_redactor *r, size_t *parallel,
                              size_t *restarts);

/*
 * Add the rules that mask a known value and its encodings (base64 at any
 * alignment, URL-encoded) to rs, before compiling. Values shorter than 4
 * bytes are refused (LEAKSCAN_EUSAGE): they would mask ordinary text.
 */
int leakscan_redact_add_value(struct leakscan_ruleset *rs, const char *value, size_t len,
                              struct leakscan_err *err);

#endif
