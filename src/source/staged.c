/*
 * staged.c - the index against HEAD: staged blobs and their added lines.
 */
#include "config.h"

#include <git2.h>
#include <stdlib.h>
#include <string.h>

#include "leakscan/staged.h"

struct range {
    unsigned first, last; /* 1-based, inclusive */
};

struct sitem {
    git_oid oid;
    char *path;
    struct range *ranges; /* NULL with all = 1: every line is new */
    size_t nranges;
    int all;
    int added; /* a new file in the index */
};

struct staged {
    char *gitdir;
    struct sitem *items;
    size_t n;
};

struct tctx {
    git_repository *repo;
    git_odb *odb;
    git_odb_object *obj;
};

static void staged_free(void *payload)
{
    struct staged *s = payload;
    size_t i;

    if (!s)
        return;
    for (i = 0; i < s->n; i++) {
        free(s->items[i].path);
        free(s->items[i].ranges);
    }
    free(s->items);
    free(s->gitdir);
    free(s);
}

static const char *git_msg(void)
{
    const git_error *e = git_error_last();

    return e && e->message ? e->message : "unknown libgit2 error";
}

/* The added line ranges of delta i (context 0: a hunk's new side is what changed). */
static int added_ranges(struct sitem *it, git_diff *diff, size_t i)
{
    git_patch *patch = NULL;
    size_t h, nh;

    if (git_patch_from_diff(&patch, diff, i) < 0)
        return -1;
    /*
     * Binary to git (a NUL byte, or `binary` / `-diff` in .gitattributes):
     * no hunks, so the whole new blob counts as added. The flag is only
     * known once the patch has looked at the content.
     */
    if (!patch || (git_patch_get_delta(patch)->flags & GIT_DIFF_FLAG_BINARY)) {
        git_patch_free(patch);
        it->all = 1;
        return 0;
    }
    nh = git_patch_num_hunks(patch);
    it->ranges = calloc(nh ? nh : 1, sizeof(*it->ranges));
    if (!it->ranges) {
        git_patch_free(patch);
        return -1;
    }
    for (h = 0; h < nh; h++) {
        const git_diff_hunk *hunk;
        size_t lines;
        if (git_patch_get_hunk(&hunk, &lines, patch, h) < 0 || hunk->new_lines <= 0)
            continue;
        it->ranges[it->nranges].first = (unsigned)hunk->new_start;
        it->ranges[it->nranges].last = (unsigned)(hunk->new_start + hunk->new_lines - 1);
        it->nranges++;
    }
    git_patch_free(patch);
    return 0;
}

static int s_keep(void *payload, void *tctx, size_t i, const struct leakscan_finding *f)
{
    const struct sitem *it = &((struct staged *)payload)->items[i];
    size_t k;

    (void)tctx;
    if (it->all)
        return 1;
    for (k = 0; k < it->nranges; k++)
        if (f->line <= it->ranges[k].last && f->end_line >= it->ranges[k].first)
            return 1;
    return 0;
}

static int s_thread_init(void *payload, void **out, struct leakscan_err *err)
{
    struct staged *s = payload;
    struct tctx *t = calloc(1, sizeof(*t));

    if (!t)
        return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
    if (git_repository_open(&t->repo, s->gitdir) < 0 || git_repository_odb(&t->odb, t->repo) < 0) {
        git_repository_free(t->repo);
        free(t);
        return leakscan_err_set(err, LEAKSCAN_EGIT, "%s: %s", s->gitdir, git_msg());
    }
    *out = t;
    return 0;
}

static void s_thread_free(void *payload, void *tctx)
{
    struct tctx *t = tctx;

    (void)payload;
    git_odb_object_free(t->obj);
    git_odb_free(t->odb);
    git_repository_free(t->repo);
    free(t);
}

static const char *s_item_path(void *payload, size_t i)
{
    return ((struct staged *)payload)->items[i].path;
}

static unsigned s_item_flags(void *payload, size_t i)
{
    return LEAKSCAN_ITEMF_IN_REPO | LEAKSCAN_ITEMF_TRACKED |
           (((struct staged *)payload)->items[i].added ? LEAKSCAN_ITEMF_STAGED_NEW : 0u);
}

static int s_load(void *payload, void *tctx, size_t i, size_t max_size, struct leakscan_buf *buf,
                  struct leakscan_blob *blob, int *state, size_t *size, struct leakscan_err *err)
{
    struct staged *s = payload;
    struct tctx *t = tctx;
    const struct sitem *it = &s->items[i];
    git_object_t type;
    size_t len;

    (void)buf;
    git_odb_object_free(t->obj);
    t->obj = NULL;
    if (git_odb_read_header(&len, &type, t->odb, &it->oid) < 0) {
        *state = LEAKSCAN_ITEM_ERROR;
        leakscan_err_set(err, LEAKSCAN_SKIP, "cannot read the staged blob: %s", git_msg());
        return LEAKSCAN_SKIP;
    }
    *size = len;
    if (max_size && len > max_size) {
        *state = LEAKSCAN_ITEM_SKIP_SIZE;
        return LEAKSCAN_SKIP;
    }
    if (git_odb_read(&t->obj, t->odb, &it->oid) < 0) {
        *state = LEAKSCAN_ITEM_ERROR;
        leakscan_err_set(err, LEAKSCAN_SKIP, "cannot read the staged blob: %s", git_msg());
        return LEAKSCAN_SKIP;
    }
    blob->origin.path = it->path;
    blob->data = git_odb_object_data(t->obj);
    blob->len = git_odb_object_size(t->obj);
    return 0;
}

int leakscan_staged_open(struct leakscan_source **out, const char *path, struct leakscan_err *err)
{
    git_repository *repo = NULL;
    git_index *index = NULL;
    git_object *head = NULL;
    git_tree *tree = NULL;
    git_diff *diff = NULL;
    git_diff_options dopts;
    git_diff_find_options fopts;
    struct leakscan_source *src = NULL;
    struct staged *s = NULL;
    size_t i, nd;
    int rc = 0, grc;

    *out = NULL;
    git_libgit2_init();
    git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
    grc = git_repository_open_ext(&repo, path, 0, NULL);
    if (grc < 0) {
        rc = leakscan_err_set(err, grc == GIT_ENOTFOUND ? LEAKSCAN_ENOTFOUND : LEAKSCAN_EGIT,
                              "%s: not in a git repository%s%s", path,
                              grc == GIT_ENOTFOUND ? "" : ": ",
                              grc == GIT_ENOTFOUND ? "" : git_msg());
        goto out;
    }
    if (git_repository_is_bare(repo)) {
        rc = leakscan_err_set(err, LEAKSCAN_EUSAGE, "%s: a bare repository has no index to scan",
                              path);
        goto out;
    }
    if (git_repository_index(&index, repo) < 0) {
        rc = leakscan_err_set(err, LEAKSCAN_EGIT, "%s: cannot read the index: %s", path, git_msg());
        goto out;
    }
    /* no commit yet: everything in the index is staged */
    grc = git_revparse_single(&head, repo, "HEAD^{tree}");
    if (grc == 0)
        tree = (git_tree *)head;
    else if (grc != GIT_ENOTFOUND && git_repository_head_unborn(repo) != 1) {
        rc = leakscan_err_set(err, LEAKSCAN_EGIT, "%s: cannot read HEAD: %s", path, git_msg());
        goto out;
    }
    git_diff_options_init(&dopts, GIT_DIFF_OPTIONS_VERSION);
    dopts.context_lines = 0;
    dopts.flags = GIT_DIFF_IGNORE_SUBMODULES;
    if (git_diff_tree_to_index(&diff, repo, tree, index, &dopts) < 0) {
        rc = leakscan_err_set(err, LEAKSCAN_EGIT, "%s: cannot diff the index: %s", path, git_msg());
        goto out;
    }
    /* a moved file adds no line */
    git_diff_find_options_init(&fopts, GIT_DIFF_FIND_OPTIONS_VERSION);
    fopts.flags = GIT_DIFF_FIND_RENAMES | GIT_DIFF_FIND_COPIES;
    if (git_diff_find_similar(diff, &fopts) < 0) {
        rc = leakscan_err_set(err, LEAKSCAN_EGIT, "%s: %s", path, git_msg());
        goto out;
    }
    s = calloc(1, sizeof(*s));
    nd = git_diff_num_deltas(diff);
    if (!s || !(s->items = calloc(nd ? nd : 1, sizeof(*s->items))) ||
        !(s->gitdir = strdup(git_repository_path(repo)))) {
        rc = leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
        goto out;
    }
    for (i = 0; i < nd; i++) {
        const git_diff_delta *d = git_diff_get_delta(diff, i);
        struct sitem *it;

        if (d->status == GIT_DELTA_DELETED || d->status == GIT_DELTA_UNMODIFIED)
            continue;
        if ((d->new_file.mode & 0170000) != 0100000 || git_oid_is_zero(&d->new_file.id))
            continue; /* symlinks, submodules, intent-to-add entries */
        it = &s->items[s->n];
        git_oid_cpy(&it->oid, &d->new_file.id);
        it->path = strdup(d->new_file.path);
        if (!it->path) {
            rc = leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
            goto out;
        }
        s->n++;
        it->added = d->status == GIT_DELTA_ADDED;
        if (d->status == GIT_DELTA_ADDED || d->status == GIT_DELTA_TYPECHANGE ||
            (d->flags & GIT_DIFF_FLAG_BINARY)) {
            it->all = 1;
        } else if (added_ranges(it, diff, i) < 0) {
            rc = leakscan_err_set(err, LEAKSCAN_EGIT, "%s: %s", it->path, git_msg());
            goto out;
        }
    }
    src = calloc(1, sizeof(*src));
    if (!src) {
        rc = leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
        goto out;
    }
    src->count = s->n;
    src->payload = s;
    src->thread_init = s_thread_init;
    src->thread_free = s_thread_free;
    src->load = s_load;
    src->item_path = s_item_path;
    src->keep = s_keep;
    src->item_flags = s_item_flags;
    src->free = staged_free;
    *out = src;
    s = NULL;
out:
    staged_free(s);
    git_diff_free(diff);
    git_object_free(head);
    git_index_free(index);
    git_repository_free(repo);
    git_libgit2_shutdown();
    return rc;
}
