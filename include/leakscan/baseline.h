/*
 * baseline.h - findings already known: an earlier JSON report.
 *
 * A finding whose fingerprint (rule id + secret content, never the line) is
 * in the baseline is not reported, so a baseline survives moved lines,
 * rebases and squashes. Entries that matched nothing are "stale": the secret
 * is gone (or the rule changed) and the entry can be dropped.
 */
#ifndef LEAKSCAN_BASELINE_H
#define LEAKSCAN_BASELINE_H

#include <stddef.h>

#include "errors.h"
#include "finding.h"

struct leakscan_baseline_entry {
    char *fingerprint;
    char *rule_id; /* for messages */
    char *path;
    int used;
};

struct leakscan_baseline {
    struct leakscan_baseline_entry *v;
    size_t n;
};

/* Parse a leakscan JSON report. 0, LEAKSCAN_ENOTFOUND, LEAKSCAN_EIO or LEAKSCAN_EPARSE. */
int leakscan_baseline_load(struct leakscan_baseline *bl, const char *path,
                           struct leakscan_err *err);
void leakscan_baseline_release(struct leakscan_baseline *bl);

/* 1 (and the entry marked used) when f's fingerprint is in the baseline. */
int leakscan_baseline_match(struct leakscan_baseline *bl, const struct leakscan_finding *f);

#endif
