/*
 * worktree.h - files of working trees as a source.
 *
 * For each root: inside a git repository (found upwards from the root), every
 * tracked file plus every untracked file git does not ignore, as libgit2
 * decides (nested .gitignore, .git/info/exclude, core.excludesFile,
 * negations); a root that is a subdirectory limits the list to it. Outside a
 * repository, a recursive walk that never follows symlinks (so loops are
 * impossible) and skips .git directories. A root that is a file is that file.
 *
 * Display paths are relative to the root when there is one root, and start
 * with the root as given when there are several. Items are sorted by display
 * path. A directory that cannot be listed becomes an item in the error state,
 * so it is reported and counted like an unreadable file.
 *
 * One directory root is listed while it is scanned: the source then has
 * `available` (the scanning threads list on as they need files; in a
 * repository, the index's entries merged with the walk's untracked files),
 * its items still come in sorted order, and `count` is set when the listing
 * is over. Several roots (sorted and deduplicated across them) and a root
 * git ignores are listed by leakscan_worktree_open.
 */
#ifndef LEAKSCAN_WORKTREE_H
#define LEAKSCAN_WORKTREE_H

#include <stddef.h>

#include "errors.h"
#include "source.h"

/*
 * Returns 0 with a source in *out (free with leakscan_source_free), or
 * LEAKSCAN_ENOTFOUND (a root does not exist), LEAKSCAN_EUSAGE (a bare
 * repository), LEAKSCAN_EGIT or LEAKSCAN_EIO (the root cannot be read).
 */
int leakscan_worktree_open(struct leakscan_source **out, const char *const *roots, size_t nroots,
                           struct leakscan_err *err);

/* 1 when the source's first root is inside a git working tree. */
int leakscan_worktree_in_repo(const struct leakscan_source *src);

#endif
