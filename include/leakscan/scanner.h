/*
 * scanner.h - applies a compiled ruleset to a buffer.
 *
 * One scanner per thread: it owns the PCRE2 match data, the JIT stack and the
 * Vectorscan scratch that the libraries require per thread. The ruleset is
 * borrowed and must outlive the scanner.
 *
 * For each buffer: one prefilter pass finds the keywords that occur; each
 * rule with a keyword hit runs its pattern over the whole buffer; secrets
 * that are placeholders, below the rule's entropy or allowed are dropped;
 * generic findings yield to overlapping specific ones; line and column are
 * computed for the survivors only; findings reach the sink in offset order.
 */
#ifndef LEAKSCAN_SCANNER_H
#define LEAKSCAN_SCANNER_H

#include <stddef.h>

#include "errors.h"
#include "finding.h"
#include "ruleset.h"

struct leakscan_blob {
    struct leakscan_origin origin;
    const char *data;
    size_t len;
};

struct leakscan_scan_opts {
    int show_secrets;      /* put the raw secret in findings instead of a preview */
    const char *only_rule; /* run only this rule id (rules test); NULL: all */
    int spans_only;        /* redaction: no fingerprint, preview or inline allow (faster) */
    int whole_buffer;      /* run every rule over the whole blob, never in keyword windows
                              (the same findings, slower: for tests) */
};

struct leakscan_scan_stats {
    size_t suppressed_placeholder; /* matches dropped as placeholders */
    size_t suppressed_entropy;     /* below min_entropy */
    size_t suppressed_allow;       /* an allow regex matched */
    size_t suppressed_overlap;     /* generic finding under a specific one */
    size_t suppressed_inline;      /* `leakscan:allow` on the line */
    size_t decode_skipped;         /* encoded runs over the size or per-blob budget */
    size_t match_errors;           /* match limit or other PCRE2 errors */
    size_t window_runs;            /* rule runs limited to keyword windows */
    size_t anchored_runs;          /* rule runs tried only where their anchor keyword starts */
};

struct leakscan_scanner;

int leakscan_scanner_new(struct leakscan_scanner **out, const struct leakscan_ruleset *rs,
                         const struct leakscan_scan_opts *opts, struct leakscan_err *err);
void leakscan_scanner_free(struct leakscan_scanner *sc);

/*
 * Scan one blob. Findings go to sink->finding in offset order; a match error
 * (PCRE2 match limit) goes to sink->diag and the scan goes on with the next
 * rule. Returns 0, LEAKSCAN_STOP when the sink stopped, or a negative error.
 */
int leakscan_scanner_scan(struct leakscan_scanner *sc, const struct leakscan_blob *blob,
                          const struct leakscan_sink *sink, struct leakscan_err *err);

/*
 * The `match: path` rules: files that are credentials by their name
 * (keystores, .p12, .ppk...), binary or not. One finding per matching rule,
 * at 1:1, without a secret. Returns 0, LEAKSCAN_STOP or a negative error.
 */
int leakscan_scanner_scan_path(struct leakscan_scanner *sc, const struct leakscan_origin *origin,
                               const struct leakscan_sink *sink, struct leakscan_err *err);

/* Counters accumulated over every scan of this scanner. */
const struct leakscan_scan_stats *leakscan_scanner_stats(const struct leakscan_scanner *sc);

#endif
