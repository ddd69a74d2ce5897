/*
 * finding.h - the one finding type every check emits (secrets and lints),
 * and a vector of owned findings.
 *
 * A finding passed to a sink callback is borrowed: its strings live until the
 * callback returns. leakscan_findings_push() stores an owned deep copy.
 */
#ifndef LEAKSCAN_FINDING_H
#define LEAKSCAN_FINDING_H

#include <stddef.h>

#include "errors.h"
#include "severity.h"

/* Where bytes came from. Borrowed strings; NULL when unknown. */
struct leakscan_origin {
    const char *path;   /* relative to the scanned root */
    const char *commit; /* history only */
    const char *author;
    const char *email;
    const char *date;  /* ISO 8601 UTC */
    size_t seq;        /* order of the origin (history: commit, oldest first) */
    const char *label; /* what it is when there is no path: "commit message", "tag v1 message" */
};

struct leakscan_finding {
    const char *rule_id;
    const char *category; /* "secret", "dotenv", "kubernetes", "iam" */
    enum leakscan_severity severity;
    const char *message;
    struct leakscan_origin origin;
    const char *object;            /* lints: kind/namespace/name; NULL for secrets */
    unsigned line, column;         /* 1-based; column in bytes */
    unsigned end_line, end_column; /* the secret's last byte, inclusive */
    size_t offset, end_offset;     /* byte span of the secret in the blob */
    size_t match_offset;           /* where the whole match starts (<= offset) */
    const char *secret;            /* preview, or the raw secret with show_secrets */
    size_t secret_len;
    char fingerprint[41]; /* hex SHA-1 of rule id and secret content */
    int validated;        /* -1: no structural check; 0 failed; 1 confirmed */
};

/* A growable vector of owned findings. Embedded: _init / _release. */
struct leakscan_findings {
    struct leakscan_finding *v;
    size_t n, cap;
};

void leakscan_findings_init(struct leakscan_findings *fs);
void leakscan_findings_release(struct leakscan_findings *fs);
/* Append a deep copy of f. 0 or LEAKSCAN_ENOMEM. */
int leakscan_findings_push(struct leakscan_findings *fs, const struct leakscan_finding *f);
/* Move every finding of src to the end of dst; src is left empty. */
int leakscan_findings_move(struct leakscan_findings *dst, struct leakscan_findings *src);
/* Sort by (path, line, column, rule id, end offset): output independent of --jobs. */
void leakscan_findings_sort(struct leakscan_findings *fs);

/*
 * Keep one finding per (rule, fingerprint, path): the one with the lowest
 * origin.seq (history: the earliest commit). Leaves the vector sorted.
 */
void leakscan_findings_dedup_earliest(struct leakscan_findings *fs);

/*
 * A sink receives findings and non-fatal diagnostics. `finding` returns 0,
 * LEAKSCAN_STOP to end the scan early, or a negative error. `diag` may be NULL.
 */
struct leakscan_sink {
    int (*finding)(void *payload, const struct leakscan_finding *f);
    void (*diag)(void *payload, const struct leakscan_origin *o, const char *msg);
    void *payload;
};

#endif
