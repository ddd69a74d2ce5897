/*
 * run.h - scan every item of a source with N threads.
 *
 * Each thread owns a scanner (match data, scratch) and a read buffer; the
 * ruleset is shared read-only. Items are taken in order from a shared
 * counter; their outcomes are recorded per item, and findings are merged and
 * sorted at the end, so output does not depend on the number of jobs.
 * With an `emit` sink, findings are not kept: each item's are handed over as
 * soon as it and every item before it are done, so memory does not grow with
 * findings and the order is still the same for any number of jobs.
 */
#ifndef LEAKSCAN_RUN_H
#define LEAKSCAN_RUN_H

#include <stddef.h>

#include "finding.h"
#include "ruleset.h"
#include "scanner.h"
#include "source.h"

struct leakscan_lint;

struct leakscan_run_opts {
    unsigned jobs;        /* 0: one per online CPU */
    size_t max_file_size; /* 0: no limit */
    struct leakscan_scan_opts scan;
    char *const *exclude; /* path globs whose items are not scanned (config `paths:`) */
    size_t nexclude;
    /* optional, called from one thread about every 200 ms and once at the end */
    void (*progress)(void *payload, size_t done, size_t total, size_t bytes, double ms);
    void *progress_payload;
    struct leakscan_lint *lint; /* optional: lint every scanned text blob, then finish */
    /*
     * optional: where findings go instead of leakscan_run.findings. Item by
     * item in item order (an item's findings sorted), then the checks across
     * files; called by one thread at a time. A nonzero return stops the run,
     * which returns it.
     */
    const struct leakscan_sink *emit;
};

struct leakscan_item_result {
    int state; /* enum leakscan_item_state */
    size_t bytes;
    char *msg;      /* errors and scan notes (match limits); owned */
    int incomplete; /* scanned, but a rule stopped early on it (match limit) */
};

struct leakscan_run_stats {
    size_t items, files, bytes;
    size_t skipped_binary, skipped_size, skipped_other, errors;
    size_t missing;    /* missing or corrupt git objects */
    size_t excluded;   /* excluded by config path globs */
    size_t incomplete; /* scanned files some rule could not finish (match limits) */
    struct leakscan_scan_stats scan;
    double duration_ms;
};

struct leakscan_run {
    struct leakscan_findings findings;  /* sorted; empty with opts->emit */
    struct leakscan_item_result *items; /* src->count results */
    size_t nitems;
    struct leakscan_run_stats stats;
};

/* Embedded: filled by leakscan_run_scan, released by leakscan_run_release. */
int leakscan_run_scan(struct leakscan_run *out, const struct leakscan_source *src,
                      const struct leakscan_ruleset *rs, const struct leakscan_run_opts *opts,
                      struct leakscan_err *err);
void leakscan_run_release(struct leakscan_run *r);

/*
 * 1 when `path` matches one of the globs: a glob without '/' matches the file
 * name (as in .gitignore), one with '/' the whole path; `dir/` matches
 * everything below dir.
 */
int leakscan_path_matches(const char *path, char *const *globs, size_t n);

#endif
