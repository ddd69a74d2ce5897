/*
 * history.c - the whole history, each unique blob once.
 *
 * Why blobs and not `git log -p`: reading every unique blob once with
 * libgit2 in pack order takes 2.0 s on a 19,252-commit repository where
 * `git log -p` takes 7.7 s before any scanning (shared/landscape/limits.md);
 * deleted files, renames and merges need no special case, because a blob is
 * a blob wherever it appears. What diffs give for free, the commit that
 * introduced a blob and its path, comes from one oldest-first walk that
 * visits each tree once.
 */
#include "config.h"

#include <errno.h>
#include <git2.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "leakscan/buf.h"
#include "leakscan/history.h"
#include "leakscan/oidset.h"
#include "leakscan/pack.h"

enum { KIND_BLOB, KIND_MESSAGE, KIND_TAG };

struct hcommit {
    git_oid oid;
    char hex[GIT_OID_HEXSZ + 1];
    char *author, *email;
    char date[32];
    size_t *parents; /* indices of included parents */
    git_oid tree;    /* the commit's root tree */
    git_oid *poids;  /* all parents' ids (npoids), included or not */
    unsigned npoids;
    size_t nparents;
    int hidden_parent; /* has a parent outside the range (a boundary) */
    size_t seq;        /* position in the walk, oldest first */
    git_time_t time;   /* committer time */
};

struct hitem {
    git_oid oid;   /* blob, or the commit for a message */
    char *path;    /* first path (blobs); NULL for messages */
    size_t commit; /* introducing commit */
    int kind;
    int state; /* preset state (missing objects) */
    char *msg;
};

/*
 * Items live in chunks that never move: the walking thread appends while the
 * scanning threads read the items published so far.
 */
/* delta bases kept by the walk and by each scanning thread (see pack.h) */
#define WALK_CACHE ((size_t)4 << 20)
#define READ_CACHE ((size_t)8 << 20)
#define CHUNK_BITS 14u
#define CHUNK (1u << CHUNK_BITS)
#define MAX_CHUNKS 65536u

struct history {
    char *gitdir;
    struct hcommit *commits;
    size_t ncommits, ccap;
    struct hitem **chunks; /* MAX_CHUNKS slots, allocated as needed */
    size_t nitems;
    size_t *order; /* commits, oldest first */
    git_repository *repo;
    /*
     * The walk is done by the scanning threads as they run low on items
     * (h_available), one at a time: items [0, published) are complete;
     * done when the walk is over.
     */
    pthread_mutex_t lock;
    pthread_cond_t more;
    size_t published;
    int busy, done, walk_rc, lock_inited;
    struct leakscan_err walk_err;
    size_t wnext;  /* the next commit (in order) whose tree is walked */
    git_odb *wodb; /* the walk's object database and pack reader (from walk()) */
    struct leakscan_pack_reader *wpr;
    struct leakscan_source *src;         /* its count is set when the walk is over */
    struct leakscan_oidset commit_index; /* commit oid -> index */
    struct leakscan_oidset seen;         /* trees and blobs visited */
    struct leakscan_oidset hidden;       /* commits excluded by a range */
    git_oid *boundary;                   /* trees of the hidden parents of the range */
    size_t nboundary;
    struct leakscan_history_info *info;
    struct leakscan_packs *packs; /* read by every thread; libgit2 for what is not there */
    /* the walk's trees on the way down, and the path there, kept between commits */
    struct frame {
        struct leakscan_buf data;
        git_oid id;
        size_t at, plen;
    } * frames;
    size_t fcap;
    struct leakscan_buf path;
};

struct tctx {
    git_repository *repo;
    git_odb *odb;
    struct leakscan_pack_reader *pr;
    const unsigned char *data; /* the blob loaded last, for keep() */
    git_odb_object *obj;
    git_commit *commit;
    git_tag *tag;
};

static struct hitem *item_at(const struct history *h, size_t i)
{
    return &h->chunks[i >> CHUNK_BITS][i & (CHUNK - 1)];
}

static void history_free(void *payload)
{
    struct history *h = payload;
    size_t i;

    if (!h)
        return;
    if (h->lock_inited) {
        pthread_cond_destroy(&h->more);
        pthread_mutex_destroy(&h->lock);
    }
    for (i = 0; i < h->ncommits; i++) {
        free(h->commits[i].author);
        free(h->commits[i].email);
        free(h->commits[i].parents);
        free(h->commits[i].poids);
    }
    free(h->commits);
    for (i = 0; i < h->nitems; i++) {
        free(item_at(h, i)->path);
        free(item_at(h, i)->msg);
    }
    for (i = 0; h->chunks && i < MAX_CHUNKS && h->chunks[i]; i++)
        free(h->chunks[i]);
    free(h->chunks);
    free(h->order);
    git_repository_free(h->repo);
    leakscan_oidset_release(&h->commit_index);
    leakscan_oidset_release(&h->seen);
    leakscan_oidset_release(&h->hidden);
    free(h->boundary);
    free(h->gitdir);
    for (i = 0; i < h->fcap; i++)
        leakscan_buf_release(&h->frames[i].data);
    free(h->frames);
    leakscan_buf_release(&h->path);
    leakscan_pack_reader_free(h->wpr);
    git_odb_free(h->wodb);
    leakscan_packs_free(h->packs);
    free(h);
}

static const char *git_msg(void)
{
    const git_error *e = git_error_last();

    return e && e->message ? e->message : "unknown libgit2 error";
}

/* Make items [0, nitems) visible to the other scanning threads while the walk goes on. */
static void publish(struct history *h)
{
    pthread_mutex_lock(&h->lock);
    h->published = h->nitems;
    pthread_cond_broadcast(&h->more);
    pthread_mutex_unlock(&h->lock);
}

static int add_item(struct history *h, const git_oid *oid, const char *path, size_t commit,
                    int kind, int state, const char *msg)
{
    struct hitem *it;
    size_t c = h->nitems >> CHUNK_BITS;

    if (c >= MAX_CHUNKS)
        return LEAKSCAN_ENOMEM;
    if (!h->chunks[c] && !(h->chunks[c] = malloc(CHUNK * sizeof(struct hitem))))
        return LEAKSCAN_ENOMEM;
    it = item_at(h, h->nitems);
    memset(it, 0, sizeof(*it));
    git_oid_cpy(&it->oid, oid);
    it->commit = commit;
    it->kind = kind;
    it->state = state;
    if (path && !(it->path = strdup(path)))
        return LEAKSCAN_ENOMEM;
    if (msg && !(it->msg = strdup(msg))) {
        free(it->path);
        return LEAKSCAN_ENOMEM;
    }
    h->nitems++;
    if (h->busy && h->nitems - h->published >= 64)
        publish(h);
    return 0;
}

/* A missing or corrupt object: an item that says so, and the walk goes on. */
static int missing(struct history *h, const git_oid *oid, const char *what, size_t commit,
                   const char *path)
{
    char msg[600], hex[GIT_OID_HEXSZ + 1];

    git_oid_tostr(hex, sizeof(hex), oid);
    if (commit != (size_t)-1)
        snprintf(msg, sizeof(msg), "missing or corrupt %s %s%s%s in commit %s: %s", what, hex,
                 path ? " at " : "", path ? path : "", h->commits[commit].hex, git_msg());
    else
        snprintf(msg, sizeof(msg), "missing or corrupt %s %s: %s", what, hex, git_msg());
    return add_item(h, oid, NULL, commit == (size_t)-1 ? 0 : commit, KIND_BLOB,
                    LEAKSCAN_ITEM_MISSING, msg);
}

static void iso_date(char out[32], git_time_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;

    if (!gmtime_r(&tt, &tm) || !strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(out, 32, "%lld", (long long)t);
}

/* Resolve a revision to a commit id. */
static int resolve(git_oid *out, git_repository *repo, const char *rev, struct leakscan_err *err)
{
    git_object *obj = NULL, *peeled = NULL;
    int rc;

    if (git_revparse_single(&obj, repo, rev) < 0)
        return leakscan_err_set(err, LEAKSCAN_ENOTFOUND, "unknown revision '%s': %s", rev,
                                git_msg());
    rc = git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT);
    git_object_free(obj);
    if (rc < 0)
        return leakscan_err_set(err, LEAKSCAN_ENOTFOUND, "'%s' is not a commit: %s", rev,
                                git_msg());
    git_oid_cpy(out, git_object_id(peeled));
    git_object_free(peeled);
    return 0;
}

/* A growable list of oids (walk queues, tips). */
struct oidvec {
    git_oid *v;
    size_t n, cap;
};

static int oidvec_push(struct oidvec *q, const git_oid *oid)
{
    if (q->n == q->cap) {
        size_t cap = q->cap ? q->cap * 2 : 256;
        git_oid *p = realloc(q->v, cap * sizeof(*p));
        if (!p)
            return -1;
        q->v = p;
        q->cap = cap;
    }
    git_oid_cpy(&q->v[q->n++], oid);
    return 0;
}

static int push_or_nomem(struct oidvec *q, const git_oid *oid)
{
    return oidvec_push(q, oid) ? LEAKSCAN_ENOMEM : 0;
}

/* Every commit reachable from the queue into `set` (the hidden side of a range). */
static int mark_ancestors(git_repository *repo, struct oidvec *q, struct leakscan_oidset *set)
{
    while (q->n) {
        git_oid oid = q->v[--q->n];
        git_commit *c = NULL;
        unsigned i, np;
        int added = leakscan_oidset_add(set, &oid, 0, NULL);

        if (added < 0)
            return LEAKSCAN_ENOMEM;
        if (!added)
            continue;
        if (git_commit_lookup(&c, repo, &oid) < 0)
            continue; /* beyond a shallow boundary: nothing to hide there */
        np = git_commit_parentcount(c);
        for (i = 0; i < np; i++)
            if (oidvec_push(q, git_commit_parent_id(c, i))) {
                git_commit_free(c);
                return LEAKSCAN_ENOMEM;
            }
        git_commit_free(c);
    }
    return 0;
}

/*
 * The tips of every ref (and a detached HEAD). A ref whose target is
 * missing or corrupt becomes a MISSING item naming it: a broken branch must
 * not turn into a clean scan.
 */
static int collect_tips(struct history *h, git_repository *repo, struct oidvec *tips,
                        struct leakscan_err *err)
{
    git_reference_iterator *it = NULL;
    git_reference *ref = NULL, *head = NULL;
    int rc = 0, next = 0;

    if (git_reference_iterator_new(&it, repo) < 0)
        return leakscan_err_set(err, LEAKSCAN_EGIT, "cannot list references: %s", git_msg());
    while (!rc && (next = git_reference_next(&ref, it)) == 0) {
        git_object *obj = NULL;
        int prc = git_reference_peel(&obj, ref, GIT_OBJECT_COMMIT);

        if (prc == 0) {
            rc = push_or_nomem(tips, git_object_id(obj));
            git_object_free(obj);
        } else if (prc == GIT_ENOTFOUND || prc == GIT_ERROR) {
            /* refs to trees or blobs (rare) peel with GIT_EPEEL / GIT_EINVALIDSPEC */
            char msg[600];
            const git_oid *target = git_reference_target(ref);
            git_oid zero;
            memset(&zero, 0, sizeof(zero));
            snprintf(msg, sizeof(msg), "ref %s: its target is missing or corrupt: %s",
                     git_reference_name(ref), git_msg());
            rc = add_item(h, target ? target : &zero, NULL, 0, KIND_BLOB, LEAKSCAN_ITEM_MISSING,
                          msg);
        }
        git_reference_free(ref);
    }
    git_reference_iterator_free(it);
    if (!rc && next != GIT_ITEROVER && next != 0)
        rc = leakscan_err_set(err, LEAKSCAN_EGIT, "cannot list references: %s", git_msg());
    if (!rc && git_repository_head_detached(repo) == 1 && git_repository_head(&head, repo) == 0) {
        const git_oid *oid = git_reference_target(head);
        if (oid)
            rc = push_or_nomem(tips, oid);
        git_reference_free(head);
    }
    if (rc == LEAKSCAN_ENOMEM)
        leakscan_err_set(err, rc, "out of memory");
    return rc;
}

/* What discover() needs of a commit, pointing into its raw bytes or libgit2's. */
struct commit_info {
    git_oid tree;
    const char *name, *email;
    size_t name_len, email_len;
    git_time_t author_time, time;
    unsigned np;
    const unsigned char *parents; /* raw: np lines "parent <hex>\n"; else NULL */
    git_commit *c;                /* libgit2's, when it was read there */
};

/* What libgit2 trims from both ends of a signature's name and e-mail. */
static int is_crud(char ch)
{
    unsigned char c = (unsigned char)ch;

    return c <= 32 || c == '.' || c == ',' || c == ':' || c == ';' || c == '<' || c == '>' ||
           c == '"' || c == '\\' || c == '\'';
}

/* Trim what libgit2 trims from both ends of s[0..*n). */
static void trim_crud(const char **s, size_t *n)
{
    while (*n && is_crud((*s)[*n - 1]))
        (*n)--;
    while (*n && is_crud(**s)) {
        (*s)++;
        (*n)--;
    }
}

/* A header line "<key> Name <email> time tz": as libgit2 reads it, or 0. */
static int parse_sig(const char *s, size_t n, const char **name, size_t *name_len,
                     const char **email, size_t *email_len, git_time_t *when)
{
    const char *lt = NULL, *gt = NULL, *p;
    long long t = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        if (s[i] == '<')
            lt = s + i;
        else if (s[i] == '>')
            gt = s + i;
    }
    if (!lt || !gt || gt < lt)
        return 0;
    *name = s;
    *name_len = (size_t)(lt - s);
    trim_crud(name, name_len);
    *email = lt + 1;
    *email_len = (size_t)(gt - lt - 1);
    trim_crud(email, email_len);
    p = gt + 1;
    if (p >= s + n || *p != ' ' || ++p >= s + n || *p < '0' || *p > '9')
        return 0;
    for (; p < s + n && *p >= '0' && *p <= '9'; p++) {
        if (t > (LLONG_MAX - 9) / 10)
            return 0;
        t = t * 10 + (*p - '0');
    }
    /* the time zone: " +hhmm" or " -hhmm", then the end of the line */
    if (s + n - p != 6 || p[0] != ' ' || (p[1] != '+' && p[1] != '-'))
        return 0;
    *when = (git_time_t)t;
    return 1;
}

/* The next header line of a raw commit at *at, "<key> ": its value, or NULL. */
static const char *header_line(const char *d, size_t n, size_t *at, const char *key, size_t *len)
{
    size_t k = strlen(key);
    const char *nl;

    if (n - *at <= k || memcmp(d + *at, key, k))
        return NULL;
    nl = memchr(d + *at + k, '\n', n - *at - k);
    if (!nl)
        return NULL;
    *len = (size_t)(nl - (d + *at + k));
    nl = d + *at + k;
    *at += k + *len + 1;
    return nl;
}

/*
 * A raw commit as libgit2 reads an ordinary one: tree, parents, author,
 * committer first. 0 for anything else (libgit2 then reads it).
 */
static int parse_commit(const unsigned char *raw, size_t n, struct commit_info *ci)
{
    const char *d = (const char *)raw, *v, *cname, *cemail;
    size_t at = 0, len, cname_len, cemail_len;

    if (memchr(d, '\0', n))
        return 0;
    if (!(v = header_line(d, n, &at, "tree ", &len)) || len != GIT_OID_HEXSZ ||
        git_oid_fromstrn(&ci->tree, v, len) < 0)
        return 0;
    ci->parents = raw + at;
    ci->np = 0;
    while ((v = header_line(d, n, &at, "parent ", &len))) {
        git_oid p;
        if (len != GIT_OID_HEXSZ || git_oid_fromstrn(&p, v, len) < 0)
            return 0;
        ci->np++;
    }
    if (!(v = header_line(d, n, &at, "author ", &len)) ||
        !parse_sig(v, len, &ci->name, &ci->name_len, &ci->email, &ci->email_len, &ci->author_time))
        return 0;
    /* of the committer, only the time is kept */
    if (!(v = header_line(d, n, &at, "committer ", &len)) ||
        !parse_sig(v, len, &cname, &cname_len, &cemail, &cemail_len, &ci->time))
        return 0;
    ci->c = NULL;
    return 1;
}

/* The parent ids of a commit read by discover(). */
static void parent_id(const struct commit_info *ci, unsigned i, git_oid *out)
{
    if (ci->c)
        git_oid_cpy(out, git_commit_parent_id(ci->c, i));
    else
        git_oid_fromstrn(out, (const char *)ci->parents + i * (7 + GIT_OID_HEXSZ + 1) + 7,
                         GIT_OID_HEXSZ);
}

/* A commit from the packs (pr may be NULL), else through libgit2. 0 when it cannot be read. */
static int read_commit(git_repository *repo, struct leakscan_pack_reader *pr, const git_oid *oid,
                       struct commit_info *ci)
{
    const git_signature *sig;
    const unsigned char *d;
    size_t n;
    int type;

    if (pr && leakscan_pack_read(pr, oid->id, 0, &type, &d, &n) == 0 &&
        type == LEAKSCAN_PACK_COMMIT && parse_commit(d, n, ci))
        return 1;
    if (git_commit_lookup(&ci->c, repo, oid) < 0)
        return 0;
    sig = git_commit_author(ci->c);
    ci->name = sig && sig->name ? sig->name : "";
    ci->email = sig && sig->email ? sig->email : "";
    ci->name_len = strlen(ci->name);
    ci->email_len = strlen(ci->email);
    ci->author_time = sig ? sig->when.time : 0;
    ci->time = git_commit_time(ci->c);
    ci->np = git_commit_parentcount(ci->c);
    git_oid_cpy(&ci->tree, git_commit_tree_id(ci->c));
    ci->parents = NULL;
    return 1;
}

/*
 * Discover the included commits from the tips, skipping hidden ones.
 * Commits are read from the packs and parsed here when they are ordinary
 * (libgit2 reads the rest): this runs before anything else can.
 */
static int discover(struct history *h, git_repository *repo, struct leakscan_pack_reader *pr,
                    struct oidvec *q)
{
    struct commit_info ci;
    int rc = 0;

    memset(&ci, 0, sizeof(ci));
    while (q->n && !rc) {
        git_oid oid = q->v[--q->n], p;
        struct hcommit *hc;
        unsigned i;
        size_t idx = h->ncommits;
        int added;

        git_commit_free(ci.c);
        ci.c = NULL;
        if (leakscan_oidset_get(&h->hidden, &oid, NULL))
            continue;
        added = leakscan_oidset_add(&h->commit_index, &oid, idx, NULL);
        if (added < 0)
            return LEAKSCAN_ENOMEM;
        if (!added)
            continue;
        if (!read_commit(repo, pr, &oid, &ci)) {
            /*
             * The index entry stays, pointing past the commits: link_parents
             * checks the oid, so nothing links to it.
             */
            if (h->info->shallow) {
                h->info->shallow_boundary++;
                continue;
            }
            rc = missing(h, &oid, "commit", (size_t)-1, NULL);
            continue;
        }
        if (h->ncommits == h->ccap) {
            size_t cap = h->ccap ? h->ccap * 2 : 1024;
            struct hcommit *v = realloc(h->commits, cap * sizeof(*v));
            if (!v) {
                rc = LEAKSCAN_ENOMEM;
                break;
            }
            h->commits = v;
            h->ccap = cap;
        }
        hc = &h->commits[h->ncommits++];
        memset(hc, 0, sizeof(*hc));
        git_oid_cpy(&hc->oid, &oid);
        git_oid_tostr(hc->hex, sizeof(hc->hex), &oid);
        hc->author = strndup(ci.name, ci.name_len);
        hc->email = strndup(ci.email, ci.email_len);
        iso_date(hc->date, ci.author_time);
        hc->time = ci.time;
        git_oid_cpy(&hc->tree, &ci.tree);
        /* parents are resolved to indices after discovery; keep their ids */
        hc->parents = ci.np ? calloc(ci.np, sizeof(size_t)) : NULL;
        hc->poids = ci.np ? calloc(ci.np, sizeof(git_oid)) : NULL;
        hc->npoids = ci.np;
        if (!hc->author || !hc->email || (ci.np && (!hc->parents || !hc->poids))) {
            rc = LEAKSCAN_ENOMEM;
            break;
        }
        for (i = 0; i < ci.np && !rc; i++) {
            parent_id(&ci, i, &p);
            git_oid_cpy(&hc->poids[i], &p);
            if (leakscan_oidset_get(&h->hidden, &p, NULL))
                hc->hidden_parent = 1;
            else if (oidvec_push(q, &p))
                rc = LEAKSCAN_ENOMEM;
        }
    }
    git_commit_free(ci.c);
    return rc;
}

/* Parent indices, from the ids kept by discover(). */
static void link_parents(struct history *h)
{
    size_t i, idx;
    unsigned k;

    for (i = 0; i < h->ncommits; i++) {
        struct hcommit *hc = &h->commits[i];
        for (k = 0; k < hc->npoids; k++)
            if (leakscan_oidset_get(&h->commit_index, &hc->poids[k], &idx) && idx < h->ncommits &&
                !git_oid_cmp(&h->commits[idx].oid, &hc->poids[k]))
                hc->parents[hc->nparents++] = idx;
    }
}

/* A min-heap of commit indices by commit time (then index, for a total order). */
struct heap {
    size_t *v, n;
    const struct hcommit *c;
};

static int heap_less(const struct heap *hp, size_t a, size_t b)
{
    const struct hcommit *x = &hp->c[a], *y = &hp->c[b];

    return x->time != y->time ? x->time < y->time : a < b;
}

static void heap_push(struct heap *hp, size_t c)
{
    size_t i = hp->n++;

    while (i && heap_less(hp, c, hp->v[(i - 1) / 2])) {
        hp->v[i] = hp->v[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    hp->v[i] = c;
}

static size_t heap_pop(struct heap *hp)
{
    size_t top = hp->v[0], last = hp->v[--hp->n], i = 0, k;

    while ((k = 2 * i + 1) < hp->n) {
        if (k + 1 < hp->n && heap_less(hp, hp->v[k + 1], hp->v[k]))
            k++;
        if (!heap_less(hp, hp->v[k], last))
            break;
        hp->v[i] = hp->v[k];
        i = k;
    }
    hp->v[i] = last;
    return top;
}

/*
 * Parents before children, and among commits ready at the same point the
 * oldest first (Kahn's algorithm with a heap on commit time): when two
 * branches add the same blob, the older commit introduced it.
 */
static int topo_order(struct history *h, size_t **out)
{
    size_t nc = h->ncommits ? h->ncommits : 1, n = 0, i, k, *first = NULL, *kids = NULL;
    size_t *order = malloc(nc * sizeof(*order)), *pending = calloc(nc, sizeof(size_t));
    struct heap hp = {malloc(nc * sizeof(size_t)), 0, h->commits};
    int rc = LEAKSCAN_ENOMEM;

    first = calloc(nc + 1, sizeof(*first));
    if (!order || !pending || !hp.v || !first)
        goto out;
    /* children lists (CSR) from the parent links */
    for (i = 0; i < h->ncommits; i++)
        for (k = 0; k < h->commits[i].nparents; k++)
            first[h->commits[i].parents[k] + 1]++;
    for (i = 0; i < h->ncommits; i++)
        first[i + 1] += first[i];
    kids = malloc((first[h->ncommits] ? first[h->ncommits] : 1) * sizeof(*kids));
    if (!kids)
        goto out;
    for (i = 0; i < h->ncommits; i++) {
        for (k = 0; k < h->commits[i].nparents; k++) {
            size_t p = h->commits[i].parents[k];
            kids[first[p] + pending[p]++] = i;
        }
    }
    for (i = 0; i < h->ncommits; i++) {
        pending[i] = h->commits[i].nparents;
        if (!pending[i])
            heap_push(&hp, i);
    }
    while (hp.n) {
        size_t c = heap_pop(&hp);
        order[n++] = c;
        for (k = first[c]; k < first[c + 1]; k++)
            if (--pending[kids[k]] == 0)
                heap_push(&hp, kids[k]);
    }
    /* a cycle is impossible in git; if the links were odd, keep what is left in index order */
    for (i = 0; n < h->ncommits && i < h->ncommits; i++)
        if (pending[i])
            order[n++] = i;
    *out = order;
    order = NULL;
    rc = 0;
out:
    free(order);
    free(pending);
    free(hp.v);
    free(first);
    free(kids);
    return rc;
}

/*
 * One tree entry of a raw tree object: "<mode> <name>\0<20-byte id>".
 * Returns the offset after it, or 0 when the object is malformed.
 */
static size_t tree_entry(const unsigned char *d, size_t n, size_t at, int *is_tree, int *is_blob,
                         const char **name, size_t *name_len, const unsigned char **id)
{
    size_t sp, nul;
    const unsigned char *p = memchr(d + at, ' ', n - at), *z;

    if (!p)
        return 0;
    sp = (size_t)(p - d);
    z = memchr(p + 1, '\0', n - sp - 1);
    if (!z)
        return 0;
    nul = (size_t)(z - d);
    if (nul + 1 + GIT_OID_RAWSZ > n || sp == at)
        return 0;
    /* 40000: a tree; 100644, 100755, 120000: a blob; 160000: a submodule commit */
    *is_tree = sp - at == 5 && d[at] == '4';
    *is_blob = sp - at == 6 && d[at] == '1' && d[at + 1] != '6';
    *name = (const char *)p + 1;
    *name_len = nul - sp - 1;
    *id = d + nul + 1;
    return nul + 1 + GIT_OID_RAWSZ;
}

/*
 * A tree's bytes into b: from the packs when it is there (pr may be NULL),
 * else through libgit2. 0; 1 when it is missing, corrupt or not a tree;
 * LEAKSCAN_ENOMEM.
 */
static int read_tree(git_odb *odb, struct leakscan_pack_reader *pr, const git_oid *id,
                     struct leakscan_buf *b)
{
    git_odb_object *o = NULL;
    const unsigned char *d;
    size_t n;
    int type = 0, rc = pr ? leakscan_pack_read(pr, id->id, 0, &type, &d, &n) : LEAKSCAN_ENOTFOUND;

    if (!rc) {
        b->len = 0;
        return type != LEAKSCAN_PACK_TREE ? 1 : leakscan_buf_add(b, d, n) ? LEAKSCAN_ENOMEM : 0;
    }
    if (git_odb_read(&o, odb, id) < 0 || git_odb_object_type(o) != GIT_OBJECT_TREE) {
        git_odb_object_free(o);
        return 1;
    }
    b->len = 0;
    rc = leakscan_buf_add(b, git_odb_object_data(o), git_odb_object_size(o)) ? LEAKSCAN_ENOMEM : 0;
    git_odb_object_free(o);
    return rc;
}

/*
 * Visit a tree once: record blobs not seen yet with their path and commit
 * (record = 0 only marks them, for the boundary of a range). Trees are read
 * raw and parsed here: libgit2's parsed trees cost an allocation per entry,
 * for entries that are almost all seen already. The frames (a copy of each
 * tree on the way down) are kept from one call to the next.
 */
static int walk_tree(struct history *h, git_odb *odb, struct leakscan_pack_reader *pr,
                     const git_oid *root, size_t commit, int record)
{
    size_t depth = 0, next, name_len;
    struct leakscan_buf *path = &h->path;
    const unsigned char *raw;
    const char *name;
    int rc = 0, added, is_tree, is_blob;
    git_oid oid;

    added = leakscan_oidset_add(&h->seen, root, 0, NULL);
    if (added <= 0)
        return added < 0 ? LEAKSCAN_ENOMEM : 0;
    if (!h->frames) {
        if (!(h->frames = calloc(32, sizeof(*h->frames))))
            return LEAKSCAN_ENOMEM;
        h->fcap = 32;
    }
    path->len = 0;
    if (leakscan_buf_grow(path, 256))
        return LEAKSCAN_ENOMEM;
    rc = read_tree(odb, pr, root, &h->frames[0].data);
    if (rc)
        return rc < 0 ? rc : record ? missing(h, root, "tree", commit, NULL) : 0;
    git_oid_cpy(&h->frames[0].id, root);
    h->frames[0].at = 0;
    h->frames[0].plen = 0;
    depth = 1;
    while (depth && !rc) {
        struct frame *f = &h->frames[depth - 1];
        const unsigned char *d = (const unsigned char *)f->data.data;
        size_t n = f->data.len;

        if (f->at >= n) {
            depth--;
            continue;
        }
        next = tree_entry(d, n, f->at, &is_tree, &is_blob, &name, &name_len, &raw);
        if (!next) {
            f->at = n; /* the rest of a malformed tree cannot be read */
            if (record)
                rc = missing(h, &f->id, "tree", commit, path->len ? path->data : NULL);
            continue;
        }
        f->at = next;
        if (!is_tree && !is_blob)
            continue; /* submodule commits live in other repositories */
        git_oid_fromraw(&oid, raw);
        /* most entries were seen in an earlier commit: no path is built for them */
        added = leakscan_oidset_add(&h->seen, &oid, 0, NULL);
        if (added < 0) {
            rc = LEAKSCAN_ENOMEM;
            break;
        }
        if (!added || (is_blob && !record))
            continue;
        path->len = f->plen;
        if ((f->plen && leakscan_buf_add(path, "/", 1)) || leakscan_buf_add(path, name, name_len)) {
            rc = LEAKSCAN_ENOMEM;
            break;
        }
        if (is_blob) {
            rc = add_item(h, &oid, path->data, commit, KIND_BLOB, 0, NULL);
            continue;
        }
        if (depth == h->fcap) {
            struct frame *p = realloc(h->frames, h->fcap * 2 * sizeof(*p));
            if (!p) {
                rc = LEAKSCAN_ENOMEM;
                break;
            }
            memset(p + h->fcap, 0, h->fcap * sizeof(*p));
            h->frames = p;
            h->fcap *= 2;
        }
        rc = read_tree(odb, pr, &oid, &h->frames[depth].data);
        if (rc) {
            if (rc > 0)
                rc = record ? missing(h, &oid, "tree", commit, path->data) : 0;
            continue;
        }
        git_oid_cpy(&h->frames[depth].id, &oid);
        h->frames[depth].at = 0;
        h->frames[depth].plen = path->len;
        depth++;
    }
    return rc;
}

/* Annotated tags whose commit is in the walk: their messages are scanned too. */
static int add_tags(struct history *h, git_repository *repo)
{
    git_reference_iterator *it = NULL;
    git_reference *ref = NULL;
    int rc = 0;

    if (git_reference_iterator_glob_new(&it, repo, "refs/tags/*") < 0)
        return 0;
    while (!rc && git_reference_next(&ref, it) == 0) {
        const git_oid *target = git_reference_target(ref);
        git_tag *tag = NULL;
        git_object *peeled = NULL;
        size_t idx;

        if (target && git_tag_lookup(&tag, repo, target) == 0 && git_tag_peel(&peeled, tag) == 0 &&
            leakscan_oidset_get(&h->commit_index, git_object_id(peeled), &idx) &&
            idx < h->ncommits && !git_oid_cmp(&h->commits[idx].oid, git_object_id(peeled)))
            rc = add_item(h, target, NULL, idx, KIND_TAG, 0, NULL);
        git_object_free(peeled);
        git_tag_free(tag);
        git_reference_free(ref);
    }
    git_reference_iterator_free(it);
    return rc;
}

static int add_boundary(struct history *h, const git_oid *tree)
{
    git_oid *p;
    size_t i;

    for (i = 0; i < h->nboundary; i++)
        if (!git_oid_cmp(&h->boundary[i], tree))
            return 0;
    p = realloc(h->boundary, (h->nboundary + 1) * sizeof(*p));
    if (!p)
        return LEAKSCAN_ENOMEM;
    h->boundary = p;
    git_oid_cpy(&h->boundary[h->nboundary++], tree);
    return 0;
}

static int walk(struct history *h, git_repository *repo, const struct leakscan_history_opts *o,
                struct leakscan_err *err)
{
    struct oidvec tips = {0}, hide = {0};
    size_t *order = NULL, i, k;
    git_oid oid;
    int rc = 0;

    /* the walk's reader: discovery, the range's boundary, then walk_more() */
    if (git_repository_odb(&h->wodb, repo) < 0)
        return leakscan_err_set(err, LEAKSCAN_EGIT, "cannot open the object database: %s",
                                git_msg());
    if (o->log_range) {
        const char *dots = strstr(o->log_range, "..");
        char *a;
        if (!dots || dots[2] == '.' || strstr(dots + 2, "..")) {
            rc = leakscan_err_set(err, LEAKSCAN_EUSAGE,
                                  "--log-range takes A..B (commits in B and not in A), not '%s'",
                                  o->log_range);
            goto out;
        }
        a = strndup(o->log_range, (size_t)(dots - o->log_range));
        if (!a) {
            rc = leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
            goto out;
        }
        rc = resolve(&oid, repo, *a ? a : "HEAD", err);
        free(a);
        if (!rc)
            rc = push_or_nomem(&hide, &oid);
        if (!rc && !(rc = resolve(&oid, repo, dots[2] ? dots + 2 : "HEAD", err)))
            rc = push_or_nomem(&tips, &oid);
    } else if (o->branch) {
        if (!(rc = resolve(&oid, repo, o->branch, err)))
            rc = push_or_nomem(&tips, &oid);
    } else {
        rc = collect_tips(h, repo, &tips, err);
    }
    if (!rc && o->since_commit && !(rc = resolve(&oid, repo, o->since_commit, err)))
        rc = push_or_nomem(&hide, &oid);
    if (rc)
        goto out;
    if (hide.n && (rc = mark_ancestors(repo, &hide, &h->hidden)))
        goto out;
    if (h->packs && (rc = leakscan_pack_reader_new(&h->wpr, h->packs, WALK_CACHE)))
        goto out;
    rc = discover(h, repo, h->wpr, &tips);
    if (rc)
        goto out;
    link_parents(h);
    if ((rc = topo_order(h, &order)))
        goto out;
    h->info->commits = h->ncommits;
    for (k = 0; k < h->ncommits; k++)
        h->commits[order[k]].seq = k;
    /* a range: what the boundary commits already had is not new */
    for (i = 0; i < h->ncommits && !rc; i++) {
        const struct hcommit *hc = &h->commits[i];
        unsigned p;
        if (!hc->hidden_parent)
            continue;
        for (p = 0; p < hc->npoids && !rc; p++) {
            git_commit *pc = NULL;
            if (!leakscan_oidset_get(&h->hidden, &hc->poids[p], NULL) ||
                git_commit_lookup(&pc, repo, &hc->poids[p]) < 0)
                continue;
            rc = add_boundary(h, git_commit_tree_id(pc));
            if (!rc)
                rc = walk_tree(h, h->wodb, h->wpr, git_commit_tree_id(pc), i, 0);
            git_commit_free(pc);
        }
    }
    h->order = order;
    order = NULL;
out:
    if (rc == LEAKSCAN_ENOMEM)
        leakscan_err_set(err, rc, "out of memory");
    else if (rc == LEAKSCAN_EGIT && !err->msg[0])
        leakscan_err_set(err, rc, "%s", git_msg());
    free(order);
    free(tips.v);
    free(hide.v);
    return rc;
}

/*
 * Walk on until `target` items exist or the walk is over (*over set):
 * every commit's tree, oldest first (each blob gets its first path and
 * commit), then commit messages and annotated tags. Blobs are scanned in
 * walk order, which reads faster than pack order here (consecutive versions
 * of a file are deltas of each other).
 */
static int walk_more(struct history *h, size_t target, int *over)
{
    size_t k;
    int rc = 0;

    while (h->wnext < h->ncommits && h->nitems < target && !rc) {
        k = h->order[h->wnext++];
        rc = walk_tree(h, h->wodb, h->wpr, &h->commits[k].tree, k, 1);
    }
    if (rc || h->wnext < h->ncommits)
        return rc;
    /* commit messages, oldest first, after the blobs; then annotated tags' messages */
    for (k = 0; k < h->ncommits && !rc; k++)
        rc = add_item(h, &h->commits[h->order[k]].oid, NULL, h->order[k], KIND_MESSAGE, 0, NULL);
    if (!rc)
        rc = add_tags(h, h->repo);
    *over = 1;
    return rc;
}

/*
 * Items there are now, waiting for `want` of them or the end of the walk.
 * There is no walk thread: a scanning thread that finds fewer than
 * WALK_LOW items ahead of `want` walks on to WALK_HIGH ahead, publishing as
 * it goes, while the others scan what there is. So `--jobs N` is N threads,
 * and the walk never waits for a core.
 */
#define WALK_LOW 512
#define WALK_HIGH 2048

static int h_available(void *payload, size_t want, size_t *count, int *complete,
                       struct leakscan_err *err)
{
    struct history *h = payload;
    int rc;

    pthread_mutex_lock(&h->lock);
    for (;;) {
        if (want && !h->done && !h->busy && h->published < want + WALK_LOW) {
            int over = 0;
            h->busy = 1;
            pthread_mutex_unlock(&h->lock);
            rc = walk_more(h, want + WALK_HIGH, &over);
            if (rc == LEAKSCAN_ENOMEM)
                leakscan_err_set(&h->walk_err, rc, "out of memory");
            else if (rc)
                leakscan_err_set(&h->walk_err, rc, "%s: %s", h->gitdir, git_msg());
            if (rc || over) {
                leakscan_pack_reader_free(h->wpr);
                git_odb_free(h->wodb);
                h->wpr = NULL;
                h->wodb = NULL;
            }
            pthread_mutex_lock(&h->lock);
            h->busy = 0;
            h->published = h->nitems;
            if (rc || over) {
                h->done = 1;
                h->walk_rc = rc;
                h->src->count = h->nitems;
            }
            pthread_cond_broadcast(&h->more);
            continue;
        }
        if (h->published >= want || h->done)
            break;
        pthread_cond_wait(&h->more, &h->lock);
    }
    *count = h->published;
    *complete = h->done;
    rc = h->done ? h->walk_rc : 0;
    if (rc && err)
        *err = h->walk_err;
    pthread_mutex_unlock(&h->lock);
    return rc;
}

static void h_thread_free(void *payload, void *tctx);

static int h_thread_init(void *payload, void **out, struct leakscan_err *err)
{
    struct history *h = payload;
    struct tctx *t = calloc(1, sizeof(*t));

    if (!t)
        return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
    /* libgit2 objects are not shared between threads: one handle each */
    if (git_repository_open(&t->repo, h->gitdir) < 0 || git_repository_odb(&t->odb, t->repo) < 0) {
        git_repository_free(t->repo);
        free(t);
        return leakscan_err_set(err, LEAKSCAN_EGIT, "%s: %s", h->gitdir, git_msg());
    }
    if (h->packs && leakscan_pack_reader_new(&t->pr, h->packs, READ_CACHE)) {
        h_thread_free(h, t);
        return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
    }
    *out = t;
    return 0;
}

static void h_thread_free(void *payload, void *tctx)
{
    struct tctx *t = tctx;

    (void)payload;
    leakscan_pack_reader_free(t->pr);
    git_odb_object_free(t->obj);
    git_commit_free(t->commit);
    git_tag_free(t->tag);
    git_odb_free(t->odb);
    git_repository_free(t->repo);
    free(t);
}

static const char *h_item_path(void *payload, size_t i)
{
    const struct hitem *it = item_at(payload, i);

    if (it->path)
        return it->path;
    return it->kind == KIND_MESSAGE ? "(commit message)"
           : it->kind == KIND_TAG   ? "(tag message)"
                                    : "(git object)";
}

static void set_origin(const struct history *h, const struct hitem *it, struct leakscan_blob *blob)
{
    const struct hcommit *c = &h->commits[it->commit];

    blob->origin.path = it->path;
    blob->origin.commit = c->hex;
    blob->origin.author = c->author;
    blob->origin.email = c->email;
    blob->origin.date = c->date;
    blob->origin.seq = c->seq;
    blob->origin.label = it->kind == KIND_TAG       ? "tag message"
                         : it->kind == KIND_MESSAGE ? "commit message"
                                                    : NULL;
}

static unsigned h_item_flags(void *payload, size_t i)
{
    (void)payload;
    (void)i;
    return LEAKSCAN_ITEMF_HISTORY;
}

static void h_item_origin(void *payload, size_t i, struct leakscan_origin *out)
{
    const struct history *h = payload;
    struct leakscan_blob b;

    memset(&b, 0, sizeof(b));
    set_origin(h, item_at(h, i), &b);
    *out = b.origin;
}

static int h_load(void *payload, void *tctx, size_t i, size_t max_size, struct leakscan_buf *buf,
                  struct leakscan_blob *blob, int *state, size_t *size, struct leakscan_err *err)
{
    struct history *h = payload;
    struct tctx *t = tctx;
    const struct hitem *it = item_at(h, i);
    char hex[GIT_OID_HEXSZ + 1];
    git_object_t type;
    size_t len;

    (void)buf;
    git_odb_object_free(t->obj);
    t->obj = NULL;
    t->data = NULL;
    git_commit_free(t->commit);
    t->commit = NULL;
    git_tag_free(t->tag);
    t->tag = NULL;
    if (it->state) {
        *state = it->state;
        if (it->msg)
            leakscan_err_set(err, LEAKSCAN_SKIP, "%s", it->msg);
        return LEAKSCAN_SKIP;
    }
    if (it->kind == KIND_TAG) {
        git_tag *tag = NULL;
        const char *msg;
        if (git_tag_lookup(&tag, t->repo, &it->oid) < 0) {
            *state = LEAKSCAN_ITEM_MISSING;
            git_oid_tostr(hex, sizeof(hex), &it->oid);
            leakscan_err_set(err, LEAKSCAN_SKIP, "tag %s: %s", hex, git_msg());
            return LEAKSCAN_SKIP;
        }
        /* the tag's message stays valid while the tag object lives: kept in tctx */
        t->tag = tag;
        msg = git_tag_message(tag);
        set_origin(h, it, blob);
        blob->data = msg ? msg : "";
        blob->len = msg ? strlen(msg) : 0;
        *size = blob->len;
        return 0;
    }
    if (it->kind == KIND_MESSAGE) {
        const char *msg;
        const unsigned char *d;
        struct commit_info ci;
        int ptype;
        if (t->pr && leakscan_pack_read(t->pr, it->oid.id, 0, &ptype, &d, &len) == 0 &&
            ptype == LEAKSCAN_PACK_COMMIT && parse_commit(d, len, &ci)) {
            /* the message starts after the first empty line, as libgit2 has it */
            const unsigned char *end = d + len, *m = d;
            while (m + 1 < end && !(m[0] == '\n' && m[1] == '\n'))
                m++;
            m = m + 1 < end ? m + 2 : end;
            set_origin(h, it, blob);
            blob->data = (const char *)m;
            blob->len = *size = (size_t)(end - m);
            return 0;
        }
        if (git_commit_lookup(&t->commit, t->repo, &it->oid) < 0) {
            *state = LEAKSCAN_ITEM_MISSING;
            leakscan_err_set(err, LEAKSCAN_SKIP, "commit %s: %s", h->commits[it->commit].hex,
                             git_msg());
            return LEAKSCAN_SKIP;
        }
        msg = git_commit_message_raw(t->commit);
        set_origin(h, it, blob);
        blob->data = msg ? msg : "";
        blob->len = msg ? strlen(msg) : 0;
        *size = blob->len;
        return 0;
    }
    set_origin(h, it, blob);
    if (t->pr) {
        const unsigned char *d;
        int ptype;
        int rc = leakscan_pack_read(t->pr, it->oid.id, max_size, &ptype, &d, &len);
        if (rc == LEAKSCAN_ETOOBIG) {
            *size = len;
            *state = LEAKSCAN_ITEM_SKIP_SIZE;
            return LEAKSCAN_SKIP;
        }
        if (!rc && ptype == LEAKSCAN_PACK_BLOB) {
            t->data = d;
            blob->data = (const char *)d;
            blob->len = *size = len;
            return 0;
        }
        /* not in a pack, or not readable here: libgit2 reads it or names the error */
    }
    git_oid_tostr(hex, sizeof(hex), &it->oid);
    if (git_odb_read_header(&len, &type, t->odb, &it->oid) < 0) {
        *state = LEAKSCAN_ITEM_MISSING;
        leakscan_err_set(err, LEAKSCAN_SKIP, "missing or corrupt blob %s (commit %s): %s", hex,
                         h->commits[it->commit].hex, git_msg());
        return LEAKSCAN_SKIP;
    }
    *size = len;
    if (max_size && len > max_size) {
        *state = LEAKSCAN_ITEM_SKIP_SIZE;
        return LEAKSCAN_SKIP;
    }
    if (git_odb_read(&t->obj, t->odb, &it->oid) < 0) {
        *state = LEAKSCAN_ITEM_MISSING;
        leakscan_err_set(err, LEAKSCAN_SKIP, "missing or corrupt blob %s (commit %s): %s", hex,
                         h->commits[it->commit].hex, git_msg());
        return LEAKSCAN_SKIP;
    }
    t->data = git_odb_object_data(t->obj);
    blob->data = git_odb_object_data(t->obj);
    blob->len = git_odb_object_size(t->obj);
    return 0;
}

/* 1 when s[0..n) occurs in the blob at `path` in `tree`. */
static int tree_has(git_repository *repo, const git_oid *tree, const char *path, const char *s,
                    size_t n)
{
    git_tree *t = NULL;
    git_tree_entry *e = NULL;
    git_blob *b = NULL;
    const char *data;
    size_t len, i;
    int found = 0;

    if (git_tree_lookup(&t, repo, tree) < 0)
        return 0;
    if (git_tree_entry_bypath(&e, t, path) == 0 && git_tree_entry_type(e) == GIT_OBJECT_BLOB &&
        git_blob_lookup(&b, repo, git_tree_entry_id(e)) == 0) {
        data = git_blob_rawcontent(b);
        len = (size_t)git_blob_rawsize(b);
        for (i = 0; n && i + n <= len && !found; i++) {
            const char *hit = memchr(data + i, s[0], len - i - n + 1);
            if (!hit)
                break;
            i = (size_t)(hit - data);
            found = !memcmp(hit, s, n);
        }
    }
    git_blob_free(b);
    git_tree_entry_free(e);
    git_tree_free(t);
    return found;
}

/*
 * A range (--since-commit, --log-range) reports what it adds: a secret that
 * the same file already held before the range is not new, even in a blob
 * the range introduced by editing other lines of that file.
 */
static int h_keep(void *payload, void *tctx, size_t i, const struct leakscan_finding *f)
{
    struct history *h = payload;
    struct tctx *t = tctx;
    const struct hitem *it = item_at(h, i);
    size_t k;

    if (!h->nboundary || !it->path || !t->data)
        return 1;
    for (k = 0; k < h->nboundary; k++)
        if (tree_has(t->repo, &h->boundary[k], it->path, (const char *)t->data + f->offset,
                     f->end_offset - f->offset))
            return 0;
    return 1;
}

/* The packs of the repository's object database (its common one, for a linked worktree). */
static int open_packs(struct history *h, git_repository *repo, struct leakscan_err *err)
{
    struct leakscan_buf dir;
    int rc;

    leakscan_buf_init(&dir);
    if (leakscan_buf_puts(&dir, git_repository_commondir(repo)) ||
        leakscan_buf_puts(&dir, "objects"))
        rc = LEAKSCAN_ENOMEM;
    else
        rc = leakscan_packs_open(&h->packs, dir.data);
    leakscan_buf_release(&dir);
    return rc ? leakscan_err_set(err, rc, "out of memory") : 0;
}

int leakscan_history_open(struct leakscan_source **out, const char *path,
                          const struct leakscan_history_opts *opts,
                          struct leakscan_history_info *info, struct leakscan_err *err)
{
    static const struct leakscan_history_opts none = {NULL, NULL, NULL};
    struct leakscan_source *src = NULL;
    git_repository *repo = NULL;
    struct history *h;
    int rc;

    *out = NULL;
    memset(info, 0, sizeof(*info));
    h = calloc(1, sizeof(*h));
    if (!h)
        return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
    h->info = info;
    h->chunks = calloc(MAX_CHUNKS, sizeof(*h->chunks));
    if (!h->chunks) {
        free(h);
        return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
    }
    leakscan_oidset_init(&h->commit_index);
    leakscan_oidset_init(&h->seen);
    leakscan_oidset_init(&h->hidden);
    git_libgit2_init();
    /* 2.7x faster reads (limits.md); content is scanned, not trusted */
    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
    /* every tree and commit is visited once: caching them only costs memory */
    git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 0);
    git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
    rc = git_repository_open_ext(&repo, path, 0, NULL);
    if (rc < 0) {
        rc = leakscan_err_set(err, rc == GIT_ENOTFOUND ? LEAKSCAN_ENOTFOUND : LEAKSCAN_EGIT,
                              "%s: not a git repository%s%s", path, rc == GIT_ENOTFOUND ? "" : ": ",
                              rc == GIT_ENOTFOUND ? "" : git_msg());
        goto out;
    }
    h->gitdir = strdup(git_repository_path(repo));
    if (!h->gitdir) {
        rc = leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
        goto out;
    }
    info->shallow = git_repository_is_shallow(repo) == 1;
    if ((rc = open_packs(h, repo, err)))
        goto out;
    leakscan_err_init(err);
    rc = walk(h, repo, opts ? opts : &none, err);
    if (rc)
        goto out;
    src = calloc(1, sizeof(*src));
    if (!src) {
        rc = leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
        goto out;
    }
    src->count = 0; /* known when the walk is over: see h_available */
    src->available = h_available;
    src->payload = h;
    src->thread_init = h_thread_init;
    src->thread_free = h_thread_free;
    src->load = h_load;
    src->item_path = h_item_path;
    src->keep = h_keep;
    src->item_flags = h_item_flags;
    src->item_origin = h_item_origin;
    src->free = history_free;
    h->src = src;
    h->repo = repo;
    repo = NULL;
    if (pthread_mutex_init(&h->lock, NULL) || pthread_cond_init(&h->more, NULL)) {
        rc = leakscan_err_set(err, LEAKSCAN_ERROR, "cannot start the history walk");
        free(src);
        src = NULL;
        goto out;
    }
    h->lock_inited = 1;
    h->info = NULL; /* the caller's: not to be touched once open returns */
    *out = src;
    h = NULL;
out:
    git_repository_free(repo);
    history_free(h);
    git_libgit2_shutdown();
    return rc;
}
