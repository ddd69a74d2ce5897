/*
 * worktree.c - working-tree files: git's view inside a repository (libgit2
 * decides what is ignored), a plain walk outside one.
 *
 * Why libgit2 and not our own .gitignore matcher: hand-written matchers keep
 * getting negations, nested files and core.excludesFile wrong (ag's issue
 * history); libgit2 is git's semantics.
 *
 * One directory root is listed while it is scanned: the scanning threads
 * list the next directories when they run out of files (wt_available), so
 * listing and reading overlap and no thread is added. Inside a repository
 * the index's entries are merged with the walk's untracked files. Several
 * roots are listed first, then sorted.
 */
#define _DEFAULT_SOURCE /* dirent's DT_ constants */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "leakscan/buf.h"
#include "leakscan/lint.h"
#include "leakscan/worktree.h"

struct item {
    char *display;  /* path shown in reports */
    char *fspath;   /* path to open */
    int state;      /* preset state (errors found while listing, specials), or 0 */
    char *msg;      /* preset message */
    unsigned flags; /* enum leakscan_item_flag */
};

/*
 * A listed list is one array; a list that grows while threads read it lives
 * in chunks that never move.
 */
#define WCHUNK_BITS 12u
#define WCHUNK (1u << WCHUNK_BITS)
#define WMAX_CHUNKS 65536u

struct walker;

struct repo_list;

struct lazy {
    pthread_mutex_t lock;
    struct walker *w;
    struct repo_list *rl; /* inside a repository: the index merged with the walk */
    int done, rc;
    struct leakscan_source *src; /* its count is set when the listing is over */
};

struct worktree {
    struct item *v;       /* listed first: items, sorted */
    struct item **chunks; /* listed while scanned: WMAX_CHUNKS slots */
    size_t n, cap;
    int in_repo;
    int may_defer; /* one root: a plain walk may list while scanning */
    struct lazy *lazy;
};

static void walker_free(struct walker *w);
static void repo_list_free(struct repo_list *rl);

/* An item's strings (the item itself lives in an array or a chunk). */
static void item_free(struct item *it)
{
    free(it->display);
    free(it->fspath);
    free(it->msg);
}

static struct item *item_at(const struct worktree *wt, size_t i)
{
    return wt->chunks ? &wt->chunks[i >> WCHUNK_BITS][i & (WCHUNK - 1)] : &wt->v[i];
}

static void wt_free(void *payload)
{
    struct worktree *wt = payload;
    size_t i;

    if (!wt)
        return;
    for (i = 0; i < wt->n; i++)
        item_free(item_at(wt, i));
    free(wt->v);
    for (i = 0; wt->chunks && i < WMAX_CHUNKS && wt->chunks[i]; i++)
        free(wt->chunks[i]);
    free(wt->chunks);
    if (wt->lazy) {
        walker_free(wt->lazy->w);
        repo_list_free(wt->lazy->rl);
        pthread_mutex_destroy(&wt->lazy->lock);
        free(wt->lazy);
    }
    free(wt);
}

static char *join(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    int slash = la && a[la - 1] != '/' && lb;
    char *s = malloc(la + lb + 2);

    if (!s)
        return NULL;
    memcpy(s, a, la); /* NOLINT(bugprone-not-null-terminated-result): b's copy ends it */
    if (slash)
        s[la++] = '/';
    memcpy(s + la, b, lb + 1);
    return s;
}

/* Room for one more item; NULL when out of memory. */
static struct item *new_slot(struct worktree *wt)
{
    if (wt->chunks) {
        size_t c = wt->n >> WCHUNK_BITS;
        if (c >= WMAX_CHUNKS)
            return NULL;
        if (!wt->chunks[c] && !(wt->chunks[c] = malloc(WCHUNK * sizeof(struct item))))
            return NULL;
        return &wt->chunks[c][wt->n & (WCHUNK - 1)];
    }
    if (wt->n == wt->cap) {
        size_t cap = wt->cap ? wt->cap * 2 : 256;
        struct item *p = realloc(wt->v, cap * sizeof(*p));
        if (!p)
            return NULL;
        wt->v = p;
        wt->cap = cap;
    }
    return &wt->v[wt->n];
}

static int add_item(struct worktree *wt, const char *display, const char *fspath, int state,
                    const char *msg)
{
    struct item *it = new_slot(wt);

    if (!it)
        return LEAKSCAN_ENOMEM;
    memset(it, 0, sizeof(*it));
    it->display = strdup(display);
    it->fspath = strdup(fspath);
    it->state = state;
    it->msg = msg ? strdup(msg) : NULL;
    if (!it->display || !it->fspath || (msg && !it->msg)) {
        item_free(it);
        return LEAKSCAN_ENOMEM;
    }
    wt->n++;
    return 0;
}

static void flag_last(struct worktree *wt, unsigned flags)
{
    if (wt->n)
        item_at(wt, wt->n - 1)->flags |= flags;
}

/*
 * Inside a repository, when libgit2's status cannot list untracked files
 * (it stops at the first tracked file it cannot read), the walk asks git's
 * ignore rules itself and skips what the index already lists.
 */
struct gitview {
    git_repository *repo;
    git_index *idx;
};

/*
 * 1 when git would not list `rel` as untracked: tracked (a file, or a
 * directory the index holds as a submodule) or ignored (*ignored set).
 */
static int git_skips(const struct gitview *gv, const char *rel, int is_dir, int *ignored_out)
{
    int ignored = 0;

    *ignored_out = 0;
    if (is_dir) {
        /* a submodule; a directory where the index has a file is untracked */
        const git_index_entry *ie = git_index_get_bypath(gv->idx, rel, 0);
        if (ie && (ie->mode & 0170000) == 0160000)
            return 1;
    } else {
        size_t pos;
        /* any stage: a file in conflict has no stage 0 */
        if (git_index_find(&pos, gv->idx, rel) == 0)
            return 1;
    }
    if (is_dir) {
        size_t n = strlen(rel), pos;
        char *d = malloc(n + 2);
        if (!d)
            return 0;
        memcpy(d, rel, n);
        memcpy(d + n, "/", 2);
        /*
         * A directory with tracked files is entered without asking the
         * ignore rules (a question that reads every .gitignore above it):
         * its untracked files are asked one by one, and a file is ignored
         * when a directory above it is.
         */
        if (git_index_find_prefix(&pos, gv->idx, d) != 0 &&
            git_ignore_path_is_ignored(&ignored, gv->repo, d) < 0)
            ignored = 0;
        free(d);
        return *ignored_out = ignored;
    }
    return *ignored_out = git_ignore_path_is_ignored(&ignored, gv->repo, rel) == 0 && ignored;
}

static int has_dotgit(const char *dir)
{
    struct stat st;
    char *p = join(dir, ".git");
    int yes = p && lstat(p, &st) == 0;

    free(p);
    return yes;
}

/*
 * The walk: never follows symlinks, skips .git directories, and yields
 * paths in the order strcmp sorts them (so a walk listed while it is
 * scanned needs no sort). A directory's entries are read at once and
 * sorted; a subdirectory is opened at the place its own name sorts (where
 * the error item goes when it cannot be listed) and descended at the place
 * "name/" sorts, where the paths below it go. An explicit stack: no
 * recursion depth limit to hit on deep trees.
 */
enum entry_kind {
    ENT_FILE,
    ENT_LINK,
    ENT_SPECIAL,
    ENT_DIR,
    ENT_STATERR,
    ENT_IGNORED_TEMPLATE /* an ignored .env template: listed, not scanned, for the .env lint */
};

struct frame;

struct entry {
    char *name;
    int kind;             /* enum entry_kind */
    int err;              /* ENT_STATERR: errno */
    struct frame *listed; /* a directory: its listing, from its name's turn to "name/"'s */
};

struct rec {
    struct entry *e;
    int descend; /* a directory's second turn: "name/" */
};

struct frame {
    char *fs, *disp, *rel;
    int plain; /* outside a repository, or a nested one: git's rules do not reach inside */
    struct entry *e;
    struct rec *r;
    size_t ne, nr, pos;
};

struct walker {
    const struct gitview *gv;
    struct frame **stack;
    size_t depth, cap;
};

static void frame_free(struct frame *f)
{
    size_t i;

    if (!f)
        return;
    for (i = 0; i < f->ne; i++) {
        free(f->e[i].name);
        frame_free(f->e[i].listed);
    }
    free(f->e);
    free(f->r);
    free(f->fs);
    free(f->disp);
    free(f->rel);
    free(f);
}

static void walker_free(struct walker *w)
{
    if (!w)
        return;
    while (w->depth)
        frame_free(w->stack[--w->depth]);
    free(w->stack);
    free(w);
}

/* strcmp order of "name" or "name/" */
static int cmp_rec(const void *pa, const void *pb)
{
    const struct rec *a = pa, *b = pb;
    const unsigned char *x = (const unsigned char *)a->e->name;
    const unsigned char *y = (const unsigned char *)b->e->name;

    while (*x && *x == *y)
        x++, y++;
    if (*x || *y) {
        int cx = *x ? *x : a->descend ? '/' : 0;
        int cy = *y ? *y : b->descend ? '/' : 0;
        if (cx != cy)
            return cx - cy;
        /* one name ends where the other has a '/': names have none, so only "n" vs "n/" */
    }
    return a->descend - b->descend;
}

/*
 * Read directory `fs` into a new frame (*out), or set *eno when it cannot
 * be opened. A directory below the root is opened without following a
 * symlink: one that replaced it during the scan leads nowhere. Returns 0 or
 * LEAKSCAN_ENOMEM.
 */
static int read_dir(const struct walker *w, const char *fs, const char *disp, const char *rel,
                    int plain, int below_root, struct frame **out, int *eno)
{
    struct frame *f;
    struct dirent *de;
    size_t cap = 0, i;
    DIR *d;
    int rc = 0;

    *out = NULL;
    *eno = 0;
    if (below_root) {
        int fd = open(fs, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        d = fd < 0 ? NULL : fdopendir(fd);
        if (fd >= 0 && !d)
            close(fd);
    } else {
        d = opendir(fs);
    }
    if (!d) {
        *eno = errno;
        return 0;
    }
    f = calloc(1, sizeof(*f));
    if (!f || !(f->fs = strdup(fs)) || !(f->disp = strdup(disp)) ||
        !(f->rel = strdup(rel ? rel : ""))) {
        rc = LEAKSCAN_ENOMEM;
        goto out;
    }
    f->plain = plain;
    while ((de = readdir(d)) != NULL) {
        struct entry *e;
        int kind = -1, serr = 0;

        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") || !strcmp(de->d_name, ".git"))
            continue;
#ifdef _DIRENT_HAVE_D_TYPE
        switch (de->d_type) {
        case DT_REG:
            kind = ENT_FILE;
            break;
        case DT_DIR:
            kind = ENT_DIR;
            break;
        case DT_LNK:
            kind = ENT_LINK;
            break;
        case DT_UNKNOWN:
            break;
        default:
            kind = ENT_SPECIAL;
            break;
        }
#endif
        if (kind < 0) {
            /* the file system does not say: ask */
            struct stat st;
            if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
                kind = ENT_STATERR;
                serr = errno;
            } else {
                kind = S_ISDIR(st.st_mode)   ? ENT_DIR
                       : S_ISLNK(st.st_mode) ? ENT_LINK
                       : S_ISREG(st.st_mode) ? ENT_FILE
                                             : ENT_SPECIAL;
            }
        }
        if (!plain && kind != ENT_STATERR) {
            /* inside a repository: only what git would list as untracked */
            char *r = join(f->rel, de->d_name);
            int skip, ignored;
            if (!r) {
                rc = LEAKSCAN_ENOMEM;
                goto out;
            }
            skip = git_skips(w->gv, r, kind == ENT_DIR, &ignored);
            free(r);
            if (skip && ignored && kind == ENT_FILE && leakscan_dotenv_kind(de->d_name) == 2)
                kind = ENT_IGNORED_TEMPLATE;
            else if (skip)
                continue;
        }
        if (f->ne == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            struct entry *p = realloc(f->e, ncap * sizeof(*p));
            if (!p) {
                rc = LEAKSCAN_ENOMEM;
                goto out;
            }
            f->e = p;
            cap = ncap;
        }
        e = &f->e[f->ne];
        memset(e, 0, sizeof(*e));
        if (!(e->name = strdup(de->d_name))) {
            rc = LEAKSCAN_ENOMEM;
            goto out;
        }
        e->kind = kind;
        e->err = serr;
        f->ne++;
    }
    /* a directory takes two turns: its name, then "name/" */
    for (i = 0; i < f->ne; i++)
        f->nr += f->e[i].kind == ENT_DIR ? 2 : 1;
    f->r = malloc((f->nr ? f->nr : 1) * sizeof(*f->r));
    if (!f->r) {
        rc = LEAKSCAN_ENOMEM;
        goto out;
    }
    f->nr = 0;
    for (i = 0; i < f->ne; i++) {
        f->r[f->nr].e = &f->e[i];
        f->r[f->nr++].descend = 0;
        if (f->e[i].kind == ENT_DIR) {
            f->r[f->nr].e = &f->e[i];
            f->r[f->nr++].descend = 1;
        }
    }
    qsort(f->r, f->nr, sizeof(*f->r), cmp_rec);
out:
    closedir(d);
    if (rc) {
        frame_free(f);
        return rc;
    }
    *out = f;
    return 0;
}

static int push(struct walker *w, struct frame *f)
{
    if (w->depth == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 16;
        struct frame **p = realloc(w->stack, cap * sizeof(*p));
        if (!p)
            return LEAKSCAN_ENOMEM;
        w->stack = p;
        w->cap = cap;
    }
    w->stack[w->depth++] = f;
    return 0;
}

static int list_error(struct worktree *wt, const char *disp, const char *fs, int eno)
{
    char msg[300];

    snprintf(msg, sizeof(msg), "cannot list directory: %s", strerror(eno));
    return add_item(wt, disp, fs, LEAKSCAN_ITEM_ERROR, msg);
}

/*
 * Start a walk of `dir` (display path `display`, "" for the root; `rel` its
 * path in the repository when gv is given). A root that cannot be listed
 * becomes an error item named as the user gave it.
 */
static int walker_new(struct worktree *wt, struct walker **out, const char *dir,
                      const char *display, const struct gitview *gv, const char *rel)
{
    struct walker *w = calloc(1, sizeof(*w));
    struct frame *f = NULL;
    int rc, eno;

    *out = NULL;
    if (!w)
        return LEAKSCAN_ENOMEM;
    w->gv = gv;
    rc = read_dir(w, dir, display, rel, gv == NULL, 0, &f, &eno);
    if (!rc && !f)
        rc = list_error(wt, *display ? display : dir, dir, eno);
    if (!rc && f && (rc = push(w, f)) != 0)
        frame_free(f);
    if (rc) {
        walker_free(w);
        return rc;
    }
    *out = w;
    return 0;
}

/* List until `until` items exist or the walk is over (w->depth == 0). */
static int walker_step(struct worktree *wt, struct walker *w, size_t until)
{
    while (w->depth && wt->n < until) {
        struct frame *f = w->stack[w->depth - 1];
        struct rec r;
        char *fs, *disp;
        int rc = 0;

        if (f->pos == f->nr) {
            frame_free(f);
            w->depth--;
            continue;
        }
        r = f->r[f->pos++];
        if (r.e->kind == ENT_DIR && r.descend) {
            if (r.e->listed) {
                if ((rc = push(w, r.e->listed)) != 0)
                    return rc;
                r.e->listed = NULL;
            }
            continue;
        }
        fs = join(f->fs, r.e->name);
        disp = join(f->disp, r.e->name);
        if (!fs || !disp) {
            rc = LEAKSCAN_ENOMEM;
        } else if (r.e->kind == ENT_DIR) {
            char *rel = join(f->rel, r.e->name);
            int eno;
            if (!rel)
                rc = LEAKSCAN_ENOMEM;
            else if ((rc = read_dir(w, fs, disp, rel, f->plain || has_dotgit(fs), 1, &r.e->listed,
                                    &eno)) == 0 &&
                     !r.e->listed) {
                /*
                 * Changed since its parent was read (the tree is listed while
                 * it is scanned): gone, or now a file or a symlink, which is
                 * read (or not followed) as it is now, like any file.
                 */
                if (eno == ENOENT)
                    rc = add_item(wt, disp, fs, LEAKSCAN_ITEM_SKIP_GONE, NULL);
                else if (eno == ENOTDIR || eno == ELOOP)
                    rc = add_item(wt, disp, fs, 0, NULL);
                else
                    rc = list_error(wt, disp, fs, eno);
                if (!rc && !f->plain)
                    flag_last(wt, LEAKSCAN_ITEMF_IN_REPO);
            }
            free(rel);
        } else {
            char msg[300];
            int state = 0;
            const char *m = NULL;
            if (r.e->kind == ENT_STATERR) {
                snprintf(msg, sizeof(msg), "cannot stat: %s", strerror(r.e->err));
                state = LEAKSCAN_ITEM_ERROR;
                m = msg;
            } else if (r.e->kind == ENT_IGNORED_TEMPLATE) {
                state = LEAKSCAN_ITEM_IGNORED;
            } else if (r.e->kind == ENT_LINK) {
                state = LEAKSCAN_ITEM_SKIP_SYMLINK;
            } else if (r.e->kind == ENT_SPECIAL) {
                state = LEAKSCAN_ITEM_SKIP_SPECIAL;
                m = "not a regular file";
            }
            rc = add_item(wt, disp, fs, state, m);
            /* untracked in the repository (the .env lint asks), unless in a nested one */
            if (!rc && !f->plain)
                flag_last(
                    wt, LEAKSCAN_ITEMF_IN_REPO |
                            (r.e->kind == ENT_IGNORED_TEMPLATE ? LEAKSCAN_ITEMF_IGNORE_MATCH : 0));
        }
        free(fs);
        free(disp);
        if (rc)
            return rc;
    }
    return 0;
}

/* A whole walk, listed now. */
static int walk_in(struct worktree *wt, const char *dir, const char *display,
                   const struct gitview *gv, const char *rel)
{
    struct walker *w = NULL;
    int rc = walker_new(wt, &w, dir, display, gv, rel);

    if (!rc)
        rc = walker_step(wt, w, SIZE_MAX);
    walker_free(w);
    return rc;
}

static int walk(struct worktree *wt, const char *dir, const char *display)
{
    return walk_in(wt, dir, display, NULL, NULL);
}

/* Make wt a list that grows while it is scanned; NULL when out of memory. */
static struct lazy *start_lazy(struct worktree *wt)
{
    struct lazy *lz;

    if (!(wt->chunks = calloc(WMAX_CHUNKS, sizeof(*wt->chunks))) || !(lz = calloc(1, sizeof(*lz))))
        return NULL;
    pthread_mutex_init(&lz->lock, NULL);
    return wt->lazy = lz;
}

/* One root outside a repository: listed while it is scanned (see wt_available). */
static int walk_deferred(struct worktree *wt, const char *dir, const char *display)
{
    struct lazy *lz = start_lazy(wt);
    int rc;

    if (!lz)
        return LEAKSCAN_ENOMEM;
    rc = walker_new(wt, &lz->w, dir, display, NULL, NULL);
    if (!rc && !lz->w->depth)
        lz->done = 1;
    return rc;
}

static int git_fail(struct leakscan_err *err, const char *root, const char *what)
{
    const git_error *e = git_error_last();

    return leakscan_err_set(err, LEAKSCAN_EGIT, "%s: %s: %s", root, what,
                            e && e->message ? e->message : "libgit2 error");
}

/* `rel` is under `prefix` (a directory prefix ending in '/', or "") */
static const char *under(const char *rel, const char *prefix)
{
    size_t n = strlen(prefix);

    return strncmp(rel, prefix, n) == 0 ? rel + n : NULL;
}

/* An index entry below `prefix` as an item. */
static int add_tracked(struct worktree *wt, git_repository *repo, const git_index_entry *e,
                       const char *workdir, const char *prefix, const char *disp_base)
{
    const char *rel = under(e->path, prefix), *msg = NULL;
    char *fs = join(workdir, e->path), *disp = join(disp_base, rel);
    int rc, state = 0;

    if ((e->mode & 0170000) == 0160000) {
        state = LEAKSCAN_ITEM_SKIP_SPECIAL;
        msg = "submodule (scan it on its own)";
    } else if ((e->mode & 0170000) == 0120000) {
        state = LEAKSCAN_ITEM_SKIP_SYMLINK;
    }
    rc = fs && disp ? add_item(wt, disp, fs, state, msg) : LEAKSCAN_ENOMEM;
    if (!rc) {
        int ign = 0;
        /* a tracked .env stays tracked even when .gitignore matches it: say so */
        if (leakscan_dotenv_kind(e->path) && git_ignore_path_is_ignored(&ign, repo, e->path) == 0 &&
            ign)
            flag_last(wt, LEAKSCAN_ITEMF_IGNORE_MATCH);
        flag_last(wt, LEAKSCAN_ITEMF_IN_REPO | LEAKSCAN_ITEMF_TRACKED);
    }
    free(fs);
    free(disp);
    return rc;
}

/*
 * A repository root listed while it is scanned: the index's entries (in
 * path order) merged with the walk's untracked files (in path order too).
 */
struct repo_list {
    git_repository *repo;
    git_index *idx;
    struct gitview gv;
    char *workdir, *prefix;
    size_t ipos, icount;
    const char *last;
    struct worktree q; /* untracked items from the walk, not merged yet: q.v[qhead..q.n) */
    size_t qhead;
};

static void repo_list_free(struct repo_list *rl)
{
    size_t i;

    if (!rl)
        return;
    for (i = rl->qhead; i < rl->q.n; i++)
        item_free(&rl->q.v[i]);
    free(rl->q.v);
    git_index_free(rl->idx);
    git_repository_free(rl->repo);
    free(rl->workdir);
    free(rl->prefix);
    free(rl);
    git_libgit2_shutdown();
}

/* The next index entry below the prefix, or NULL. */
static const git_index_entry *next_tracked(struct repo_list *rl)
{
    while (rl->ipos < rl->icount) {
        const git_index_entry *e = git_index_get_byindex(rl->idx, rl->ipos);
        if (e && !(rl->last && !strcmp(rl->last, e->path))) {
            if (under(e->path, rl->prefix))
                return e;
            rl->last = e->path;
        }
        rl->ipos++;
    }
    return NULL;
}

/* Merge until `until` items exist; *over when nothing is left. */
static int repo_step(struct worktree *wt, struct repo_list *rl, struct walker *w, size_t until,
                     int *over)
{
    *over = 0;
    while (wt->n < until) {
        const git_index_entry *e;
        struct item *qi, *to;
        int rc, order;

        if (rl->qhead == rl->q.n && w->depth) {
            rl->q.n = rl->qhead = 0;
            if ((rc = walker_step(&rl->q, w, 64)) != 0)
                return rc;
            continue;
        }
        e = next_tracked(rl);
        qi = rl->qhead < rl->q.n ? &rl->q.v[rl->qhead] : NULL;
        if (!e && !qi) {
            *over = 1;
            break;
        }
        /* one root: display paths are the paths below the prefix; < 0: the index's goes first */
        order = !e ? 1 : !qi ? -1 : strcmp(under(e->path, rl->prefix), qi->display);
        if (order == 0) {
            /* a tracked file the walk found too (inside a nested clone): the index's */
            item_free(qi);
            rl->qhead++;
            continue;
        }
        if (order < 0) {
            if ((rc = add_tracked(wt, rl->repo, e, rl->workdir, rl->prefix, "")) != 0)
                return rc;
            rl->last = e->path;
            rl->ipos++;
            continue;
        }
        if (!(to = new_slot(wt)))
            return LEAKSCAN_ENOMEM;
        *to = *qi; /* moved */
        wt->n++;
        rl->qhead++;
    }
    return 0;
}

/*
 * One root inside a repository, listed while it is scanned: takes the
 * repository (*repop set to NULL), which the source keeps until it is freed.
 */
static int list_repo_deferred(struct worktree *wt, git_repository **repop, const char *workdir,
                              const char *prefix, const char *root, struct leakscan_err *err)
{
    struct repo_list *rl;
    struct lazy *lz = start_lazy(wt);
    char *dir = NULL, *rel = NULL;
    int rc;

    if (!lz || !(rl = calloc(1, sizeof(*rl))))
        return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
    git_libgit2_init(); /* until the source is freed (repo_list_free) */
    lz->rl = rl;
    rl->repo = *repop;
    *repop = NULL;
    if (git_repository_index(&rl->idx, rl->repo) < 0)
        return git_fail(err, root, "cannot read the index");
    rl->icount = git_index_entrycount(rl->idx);
    rl->gv.repo = rl->repo;
    rl->gv.idx = rl->idx;
    rl->workdir = strdup(workdir);
    rl->prefix = strdup(prefix);
    dir = join(workdir, prefix);
    rel = strdup(prefix);
    if (!rl->workdir || !rl->prefix || !dir || !rel) {
        rc = LEAKSCAN_ENOMEM;
        goto out;
    }
    if (*rel)
        rel[strlen(rel) - 1] = '\0';
    rc = walker_new(&rl->q, &lz->w, dir, "", &rl->gv, rel);
out:
    free(dir);
    free(rel);
    return rc ? leakscan_err_set(err, rc, "out of memory") : 0;
}

/*
 * The repository view: index entries plus untracked, non-ignored files.
 * `workdir` ends with '/'; `prefix` is the root's path inside it ("" or
 * "sub/dir/"); display paths are `disp_base` + path below the prefix.
 */
static int list_repo(struct worktree *wt, git_repository **repop, const char *workdir,
                     const char *prefix, const char *disp_base, const char *root,
                     struct leakscan_err *err)
{
    git_repository *repo = *repop;
    git_index *idx = NULL;
    size_t i, n;
    int rc = 0;
    const char *last = NULL;

    if (wt->may_defer) {
        /* an index sorted without case (core.ignorecase) is not in path order: sort it all */
        int icase = 0;
        if (git_repository_index(&idx, repo) == 0)
            icase = (git_index_caps(idx) & GIT_INDEX_CAPABILITY_IGNORE_CASE) != 0;
        git_index_free(idx);
        idx = NULL;
        if (!icase)
            return list_repo_deferred(wt, repop, workdir, prefix, root, err);
    }
    if (git_repository_index(&idx, repo) < 0)
        return git_fail(err, root, "cannot read the index");
    n = git_index_entrycount(idx);
    for (i = 0; i < n && !rc; i++) {
        const git_index_entry *e = git_index_get_byindex(idx, i);

        if (!e || (last && !strcmp(last, e->path)))
            continue; /* conflict stages repeat a path */
        last = e->path;
        if (under(e->path, prefix))
            rc = add_tracked(wt, repo, e, workdir, prefix, disp_base);
    }
    if (rc) {
        git_index_free(idx);
        return leakscan_err_set(err, rc, "out of memory");
    }

    {
        /*
         * Untracked files from our own walk under git's ignore rules, not
         * from libgit2's status: status also compares every tracked file
         * with the index, and re-reads and hashes each one whose time
         * stamp is as new as the index (after a checkout, all of them),
         * only for us to read it again. It also stops at the first
         * tracked file it cannot read.
         */
        struct gitview gv = {repo, idx};
        char *dir = join(workdir, prefix);
        char *rel = strdup(prefix);
        if (rel && *rel)
            rel[strlen(rel) - 1] = '\0';
        rc = dir && rel ? walk_in(wt, dir, disp_base, &gv, rel) : LEAKSCAN_ENOMEM;
        free(dir);
        free(rel);
    }
    git_index_free(idx);
    return rc ? leakscan_err_set(err, rc, "out of memory") : 0;
}

static int cmp_item(const void *a, const void *b)
{
    return strcmp(((const struct item *)a)->display, ((const struct item *)b)->display);
}

/* A root as a display prefix: "" for one root, else the root without trailing '/'. */
static char *display_base(const char *root, size_t nroots)
{
    size_t n = strlen(root);
    char *s;

    if (nroots == 1 || !strcmp(root, "."))
        return strdup("");
    while (n > 1 && root[n - 1] == '/')
        n--;
    s = malloc(n + 1);
    if (s) {
        memcpy(s, root, n);
        s[n] = '\0';
    }
    return s;
}

static int open_root(struct worktree *wt, const char *root, size_t nroots, int first,
                     struct leakscan_err *err)
{
    git_repository *repo = NULL;
    char *base = NULL, *real_root = NULL, *real_wd = NULL, *prefix = NULL;
    struct stat st;
    int rc = 0, grc;

    if (stat(root, &st) != 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            return leakscan_err_set(err, LEAKSCAN_ENOTFOUND, "%s: no such file or directory", root);
        return leakscan_err_set(err, LEAKSCAN_EIO, "%s: %s", root, strerror(errno));
    }
    if (!S_ISDIR(st.st_mode)) {
        /* a file named on the command line is scanned, ignored or not */
        return add_item(wt, root, root, S_ISREG(st.st_mode) ? 0 : LEAKSCAN_ITEM_SKIP_SPECIAL,
                        S_ISREG(st.st_mode) ? NULL : "not a regular file")
                   ? leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory")
                   : 0;
    }
    base = display_base(root, nroots);
    if (!base)
        return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
    grc = git_repository_open_ext(&repo, root, 0, NULL);
    if (grc == GIT_ENOTFOUND) {
        rc = wt->may_defer ? walk_deferred(wt, root, base) : walk(wt, root, base);
        if (rc)
            leakscan_err_set(err, rc, "out of memory");
        goto out;
    }
    if (grc < 0) {
        rc = git_fail(err, root, "cannot open the repository");
        goto out;
    }
    if (git_repository_is_bare(repo)) {
        rc = leakscan_err_set(err, LEAKSCAN_EUSAGE,
                              "%s: a bare repository has no working tree (scan its history)", root);
        goto out;
    }
    if (first)
        wt->in_repo = 1;
    real_root = realpath(root, NULL);
    real_wd = realpath(git_repository_workdir(repo), NULL);
    if (!real_root || !real_wd) {
        rc = leakscan_err_set(err, LEAKSCAN_EIO, "%s: %s", root, strerror(errno));
        goto out;
    }
    {
        size_t lw = strlen(real_wd), lr = strlen(real_root);
        const char *rest;

        if (strncmp(real_root, real_wd, lw) != 0 || (lr > lw && real_root[lw] != '/')) {
            /* inside the .git directory or similar: nothing of the tree */
            rc = leakscan_err_set(err, LEAKSCAN_EUSAGE, "%s: not inside the working tree", root);
            goto out;
        }
        rest = real_root + lw;
        while (*rest == '/')
            rest++;
        if (!strcmp(rest, ".git") || !strncmp(rest, ".git/", 5)) {
            rc = leakscan_err_set(err, LEAKSCAN_EUSAGE,
                                  "%s: inside the .git directory (not a working tree)", root);
            goto out;
        }
        {
            /*
             * A directory named on the command line that git ignores is
             * scanned whole, as a named file is: the user asked for it.
             */
            int ign = 0;
            if (*rest && git_ignore_path_is_ignored(&ign, repo, rest) == 0 && ign) {
                size_t from = wt->n, k;
                rc = walk(wt, root, base);
                if (rc)
                    leakscan_err_set(err, rc, "out of memory");
                /* still git's files: in the repository, and ignored (the .env lint asks) */
                for (k = from; k < wt->n; k++)
                    item_at(wt, k)->flags |= LEAKSCAN_ITEMF_IN_REPO | LEAKSCAN_ITEMF_IGNORE_MATCH;
                goto out;
            }
        }
        /* "" for the top, else "sub/dir/" */
        prefix = malloc(strlen(rest) + 2);
        if (!prefix) {
            rc = leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
            goto out;
        }
        snprintf(prefix, strlen(rest) + 2, "%s%s", rest, *rest ? "/" : "");
    }
    {
        /* the paths we open: the real workdir, ending with '/' */
        size_t lw = strlen(real_wd) + 2;
        char *wd = malloc(lw);
        if (!wd) {
            rc = leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
            goto out;
        }
        snprintf(wd, lw, "%s%s", real_wd, real_wd[strlen(real_wd) - 1] == '/' ? "" : "/");
        rc = list_repo(wt, &repo, wd, prefix, base, root, err);
        free(wd);
    }
out:
    git_repository_free(repo);
    free(real_root);
    free(real_wd);
    free(prefix);
    free(base);
    return rc;
}

static const char *wt_item_path(void *payload, size_t i)
{
    return item_at(payload, i)->display;
}

static unsigned wt_item_flags(void *payload, size_t i)
{
    return item_at(payload, i)->flags;
}

/*
 * A list made while it is scanned: the thread that needs item `want - 1`
 * lists on (a little ahead, so the lock is taken once per batch) while the
 * others read the files they have.
 */
static int wt_available(void *payload, size_t want, size_t *count, int *complete,
                        struct leakscan_err *err)
{
    struct worktree *wt = payload;
    struct lazy *lz = wt->lazy;
    int rc;

    pthread_mutex_lock(&lz->lock);
    if (!lz->done && wt->n < want) {
        int over = 0;
        if (lz->rl) {
            lz->rc = repo_step(wt, lz->rl, lz->w, want + 63, &over);
        } else {
            lz->rc = walker_step(wt, lz->w, want + 63);
            over = !lz->w->depth;
        }
        if (lz->rc || over)
            lz->done = 1;
    }
    if (lz->done)
        lz->src->count = wt->n;
    *count = wt->n;
    *complete = lz->done;
    rc = lz->rc;
    if (rc && err)
        leakscan_err_set(err, rc, "out of memory");
    pthread_mutex_unlock(&lz->lock);
    return rc;
}

static int wt_load(void *payload, void *tctx, size_t i, size_t max_size, struct leakscan_buf *buf,
                   struct leakscan_blob *blob, int *state, size_t *size, struct leakscan_err *err)
{
    struct worktree *wt = payload;
    const struct item *it = item_at(wt, i);
    struct stat st;
    int fd;

    (void)tctx;
    if (it->state) {
        *state = it->state;
        if (it->msg)
            leakscan_err_set(err, LEAKSCAN_SKIP, "%s", it->msg);
        return LEAKSCAN_SKIP;
    }
    if (lstat(it->fspath, &st) != 0) {
        if (errno == ENOENT) {
            *state = LEAKSCAN_ITEM_SKIP_GONE;
            return LEAKSCAN_SKIP;
        }
        *state = LEAKSCAN_ITEM_ERROR;
        leakscan_err_set(err, LEAKSCAN_SKIP, "cannot stat: %s", strerror(errno));
        return LEAKSCAN_SKIP;
    }
    *size = (size_t)st.st_size;
    if (S_ISLNK(st.st_mode)) {
        *state = LEAKSCAN_ITEM_SKIP_SYMLINK;
        return LEAKSCAN_SKIP;
    }
    if (!S_ISREG(st.st_mode)) {
        /* FIFOs and devices are never opened: opening can block or act */
        *state = LEAKSCAN_ITEM_SKIP_SPECIAL;
        leakscan_err_set(err, LEAKSCAN_SKIP, "not a regular file");
        return LEAKSCAN_SKIP;
    }
    if (max_size && (size_t)st.st_size > max_size) {
        *state = LEAKSCAN_ITEM_SKIP_SIZE;
        return LEAKSCAN_SKIP;
    }
    fd = open(it->fspath, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        *state = errno == ENOENT ? LEAKSCAN_ITEM_SKIP_GONE : LEAKSCAN_ITEM_ERROR;
        if (errno != ENOENT)
            leakscan_err_set(err, LEAKSCAN_SKIP, "cannot open: %s", strerror(errno));
        return LEAKSCAN_SKIP;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        /* replaced between lstat and open */
        close(fd);
        *state = LEAKSCAN_ITEM_SKIP_SPECIAL;
        leakscan_err_set(err, LEAKSCAN_SKIP, "not a regular file");
        return LEAKSCAN_SKIP;
    }
    leakscan_buf_clear(buf);
    if (leakscan_buf_grow(buf, (size_t)st.st_size + 1)) {
        close(fd);
        return leakscan_err_set(err, LEAKSCAN_ENOMEM, "%s: out of memory", it->display);
    }
    for (;;) {
        ssize_t got;
        size_t want;

        if (buf->cap - buf->len < 2 && leakscan_buf_grow(buf, 65536)) {
            close(fd);
            return leakscan_err_set(err, LEAKSCAN_ENOMEM, "%s: out of memory", it->display);
        }
        want = buf->cap - buf->len - 1;
        got = read(fd, buf->data + buf->len, want);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            *state = LEAKSCAN_ITEM_ERROR;
            leakscan_err_set(err, LEAKSCAN_SKIP, "read error: %s", strerror(errno));
            close(fd);
            return LEAKSCAN_SKIP;
        }
        if (got == 0)
            break;
        buf->len += (size_t)got;
        if (max_size && buf->len > max_size) {
            /* grew while we read it */
            close(fd);
            *size = buf->len;
            *state = LEAKSCAN_ITEM_SKIP_SIZE;
            return LEAKSCAN_SKIP;
        }
        /*
         * Less than asked, and all the size said: the end of the file (one
         * read more would only say so). Files that report no size (/proc,
         * /sys) read on to the end.
         */
        if ((size_t)got < want && st.st_size > 0 && buf->len >= (size_t)st.st_size)
            break;
    }
    close(fd);
    buf->data[buf->len] = '\0';
    blob->origin.path = it->display;
    blob->data = buf->data;
    blob->len = buf->len;
    return 0;
}

int leakscan_worktree_open(struct leakscan_source **out, const char *const *roots, size_t nroots,
                           struct leakscan_err *err)
{
    struct leakscan_source *src = NULL;
    struct worktree *wt;
    size_t i, j;
    int rc = 0;

    *out = NULL;
    wt = calloc(1, sizeof(*wt));
    if (!wt)
        return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
    if (git_libgit2_init() < 0) {
        free(wt);
        return leakscan_err_set(err, LEAKSCAN_EGIT, "libgit2 does not initialise");
    }
    /*
     * A scanner only reads: it runs no hook, filter or fsmonitor from the
     * repository's config, which is what git's ownership check protects
     * against. CI jobs often scan a checkout owned by another user, so the
     * check would only turn those scans into errors.
     */
    git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
    wt->may_defer = nroots == 1;
    for (i = 0; i < nroots && !rc; i++)
        rc = open_root(wt, roots[i], nroots, i == 0, err);
    git_libgit2_shutdown();
    if (rc) {
        wt_free(wt);
        return rc;
    }
    if (wt->n > 1 && !wt->lazy)
        qsort(wt->v, wt->n, sizeof(*wt->v), cmp_item);
    /* the same file reached from two roots is scanned once */
    for (i = j = 0; i < wt->n && !wt->lazy; i++) {
        if (j && !strcmp(wt->v[j - 1].display, wt->v[i].display)) {
            /* a tracked file also found by a walk (a nested clone) keeps what git says */
            wt->v[j - 1].flags |= wt->v[i].flags;
            item_free(&wt->v[i]);
            continue;
        }
        wt->v[j++] = wt->v[i];
    }
    if (!wt->lazy)
        wt->n = j;
    src = calloc(1, sizeof(*src));
    if (!src) {
        wt_free(wt);
        return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
    }
    src->count = wt->n;
    src->payload = wt;
    if (wt->lazy) {
        /* the count is known when the listing is over */
        wt->lazy->src = src;
        src->available = wt_available;
        pthread_mutex_lock(&wt->lazy->lock);
        src->count = wt->lazy->done ? wt->n : 0;
        pthread_mutex_unlock(&wt->lazy->lock);
    }
    src->load = wt_load;
    src->item_path = wt_item_path;
    src->item_flags = wt_item_flags;
    src->free = wt_free;
    *out = src;
    return 0;
}

int leakscan_worktree_in_repo(const struct leakscan_source *src)
{
    return src && src->free == wt_free && ((struct worktree *)src->payload)->in_repo;
}
