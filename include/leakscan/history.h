/*
 * history.h - every blob ever committed, and every commit message, as a
 * source.
 *
 * One walk of the reachable commits (all refs: branches, tags, remotes,
 * stash, and a detached HEAD), oldest first, visiting each tree once, gives
 * every blob its first path and the commit that introduced it; the blobs are
 * then read in the object database's own (pack) order, each exactly once,
 * with one repository handle per thread and hash verification off.
 * Commit messages follow as items of their own (no path).
 *
 * Missing or corrupt objects become items in the MISSING state naming the
 * object and the commit; the walk goes on.
 */
#ifndef LEAKSCAN_HISTORY_H
#define LEAKSCAN_HISTORY_H

#include <stddef.h>

#include "errors.h"
#include "source.h"

struct leakscan_history_opts {
    const char *since_commit; /* only commits not reachable from this revision */
    const char *log_range;    /* "A..B": reachable from B, not from A */
    const char *branch;       /* only commits reachable from this ref */
};

struct leakscan_history_info {
    size_t commits;          /* commits to walk (their blobs are listed as the walk goes) */
    int shallow;             /* a shallow clone: older history is not here */
    size_t shallow_boundary; /* parents missing because of the shallow boundary */
};

/*
 * Open the repository at or above `path` (bare repositories too) and walk
 * it. Returns 0 with *out (free with leakscan_source_free); LEAKSCAN_ENOTFOUND
 * when there is no repository or a revision does not resolve; LEAKSCAN_EGIT.
 */
int leakscan_history_open(struct leakscan_source **out, const char *path,
                          const struct leakscan_history_opts *opts,
                          struct leakscan_history_info *info, struct leakscan_err *err);

#endif
