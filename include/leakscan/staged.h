/*
 * staged.h - what is staged for the next commit, as a source.
 *
 * The blobs of the index that differ from HEAD (all of the index when there
 * is no commit yet), with the line ranges each adds or changes; findings on
 * other lines are dropped (source `keep`). Pure renames add nothing; deleted
 * files are ignored. Costs time in proportion to the change: the working
 * tree is never walked. Paths are relative to the top of the repository.
 */
#ifndef LEAKSCAN_STAGED_H
#define LEAKSCAN_STAGED_H

#include "errors.h"
#include "source.h"

/*
 * Returns 0 with *out (free with leakscan_source_free), LEAKSCAN_ENOTFOUND
 * (not in a repository), LEAKSCAN_EUSAGE (a bare repository) or LEAKSCAN_EGIT.
 */
int leakscan_staged_open(struct leakscan_source **out, const char *path, struct leakscan_err *err);

#endif
