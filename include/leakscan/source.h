/*
 * source.h - where bytes come from.
 *
 * A source is a list of items known up front (files of a working tree; later
 * blobs of a history or an index), each loaded on demand into a caller's
 * buffer as a blob: (origin, bytes). A list rather than a bare iterator so
 * that the run driver can hand items to threads and report every item's
 * outcome in a stable order, whatever --jobs is.
 *
 * `load` is called from several threads at once, each with its own `tctx`
 * (from `thread_init`, e.g. a repository handle) and its own buffer.
 */
#ifndef LEAKSCAN_SOURCE_H
#define LEAKSCAN_SOURCE_H

#include <stddef.h>

#include "buf.h"
#include "errors.h"
#include "scanner.h"

/* What happened to an item. */
enum leakscan_item_state {
    LEAKSCAN_ITEM_PENDING = 0,
    LEAKSCAN_ITEM_SCANNED,
    LEAKSCAN_ITEM_SKIP_BINARY,  /* a NUL byte in the first 8 KiB */
    LEAKSCAN_ITEM_SKIP_SIZE,    /* over --max-file-size */
    LEAKSCAN_ITEM_SKIP_SPECIAL, /* FIFO, socket, device, submodule: never opened */
    LEAKSCAN_ITEM_SKIP_SYMLINK, /* symlinks are not followed */
    LEAKSCAN_ITEM_SKIP_GONE,    /* listed but deleted since (tracked, removed from disk) */
    LEAKSCAN_ITEM_ERROR,        /* unreadable: message kept, scan goes on */
    LEAKSCAN_ITEM_MISSING,      /* a missing or corrupt git object (--ignore-missing) */
    LEAKSCAN_ITEM_EXCLUDED,     /* excluded by a config `paths:` glob */
    LEAKSCAN_ITEM_IGNORED       /* listed for lints only (an ignored .env template) */
};

/* What git says of an item (source `item_flags`), for the .env lint. */
enum leakscan_item_flag {
    LEAKSCAN_ITEMF_IN_REPO = 1,      /* inside a git work tree: git status is known */
    LEAKSCAN_ITEMF_TRACKED = 2,      /* in the index */
    LEAKSCAN_ITEMF_IGNORE_MATCH = 4, /* an ignore rule matches it (tracked or not) */
    LEAKSCAN_ITEMF_STAGED_NEW = 8,   /* staged: added to the index */
    LEAKSCAN_ITEMF_HISTORY = 16      /* a blob of the history */
};

struct leakscan_source {
    size_t count; /* with `available`: 0 until the list is complete */
    void *payload;
    /*
     * Optional: a list that grows while it is scanned (history: blobs as the
     * walk finds them). Waits until `want` items exist or the list is
     * complete; sets how many exist and whether that is all. Returns 0 or
     * the error that ended the list. Called from the scanning threads,
     * before each run of items they claim with `want` one past the next
     * unclaimed item (so the source can list ahead of them), and with
     * want = 0 to ask how many there are without waiting.
     */
    int (*available)(void *payload, size_t want, size_t *count, int *complete,
                     struct leakscan_err *err);
    /* optional per-thread state; 0 or an error */
    int (*thread_init)(void *payload, void **tctx, struct leakscan_err *err);
    void (*thread_free)(void *payload, void *tctx);
    /*
     * Load item i: fill blob (origin borrowed from the source, data from buf
     * or the source). Returns 0; or LEAKSCAN_SKIP with *state set (and a
     * message in err for LEAKSCAN_ITEM_ERROR); or LEAKSCAN_ENOMEM.
     * *size gets the item's size in bytes when known.
     */
    int (*load)(void *payload, void *tctx, size_t i, size_t max_size, struct leakscan_buf *buf,
                struct leakscan_blob *blob, int *state, size_t *size, struct leakscan_err *err);
    /* the item's display path (for messages about items that failed) */
    const char *(*item_path)(void *payload, size_t i);
    /*
     * Optional: 0 to drop a finding of item i (staged: not on an added
     * line; history ranges: the secret was already there before the
     * range), 1 to keep it. Called while item i is loaded, on its thread.
     */
    int (*keep)(void *payload, void *tctx, size_t i, const struct leakscan_finding *f);
    /* Optional: enum leakscan_item_flag bits of item i. */
    unsigned (*item_flags)(void *payload, size_t i);
    /* Optional: the item's full origin (history: commit, author, date); else path only. */
    void (*item_origin)(void *payload, size_t i, struct leakscan_origin *out);
    void (*free)(void *payload);
};

/* Free a source made by a constructor (worktree_open...). NULL is a no-op. */
void leakscan_source_free(struct leakscan_source *src);

#endif
