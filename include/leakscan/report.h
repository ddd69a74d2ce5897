/*
 * report.h - reporters: sinks that write findings for people (text) or
 * machines (JSON, SARIF 2.1.0).
 *
 * A reporter gets begin(), then every finding in order, then end() with the
 * run's statistics and the list of problems (unreadable files...). Writes go
 * to a FILE * the caller owns; write errors are returned as LEAKSCAN_EIO, so
 * a full disk or a closed stdout is never a silent success.
 */
#ifndef LEAKSCAN_REPORT_H
#define LEAKSCAN_REPORT_H

#include <stdio.h>

#include "finding.h"
#include "lint.h"
#include "ruleset.h"
#include "run.h"

enum leakscan_format {
    LEAKSCAN_FORMAT_TEXT,
    LEAKSCAN_FORMAT_JSON,
    LEAKSCAN_FORMAT_SARIF,
    LEAKSCAN_FORMAT_JSONL /* a line per finding, flushed as written, then a summary line */
};

struct leakscan_problem {
    const char *path;
    const char *message;
};

struct leakscan_report_opts {
    enum leakscan_format format;
    int color;        /* text: ANSI colours */
    const char *mode; /* "worktree", "history", "staged" */
    const char *version;
    /* sarif: rule metadata (names, default levels); borrowed, may be NULL */
    const struct leakscan_ruleset *ruleset;
    int stream; /* flush after every finding (findings are reported as found) */
};

struct leakscan_report_end {
    const struct leakscan_run_stats *stats;
    size_t findings; /* findings reported */
    const struct leakscan_problem *problems;
    size_t nproblems;
    int has_lint;                    /* lints ran (working-tree scans) */
    struct leakscan_lint_stats lint; /* manifests checked, suppressed by annotation */
};

struct leakscan_reporter;

int leakscan_reporter_new(struct leakscan_reporter **out, FILE *fp,
                          const struct leakscan_report_opts *opts, struct leakscan_err *err);
int leakscan_reporter_begin(struct leakscan_reporter *r, struct leakscan_err *err);
int leakscan_reporter_finding(struct leakscan_reporter *r, const struct leakscan_finding *f,
                              struct leakscan_err *err);
int leakscan_reporter_end(struct leakscan_reporter *r, const struct leakscan_report_end *end,
                          struct leakscan_err *err);
void leakscan_reporter_free(struct leakscan_reporter *r);

/*
 * Write s[0..len) to fp with control characters (C0, DEL, C1) escaped as
 * \xNN / \u{NN}, so scanned content and file names cannot inject terminal
 * escapes or break a line. Returns 0 or -1 on a write error.
 */
int leakscan_write_escaped(FILE *fp, const char *s, size_t len);

/* s as valid UTF-8 (invalid bytes become U+FFFD), malloc'd; NULL on ENOMEM. */
char *leakscan_utf8_sanitize(const char *s, size_t len);

#endif
