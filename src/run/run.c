/*
 * run.c - the parallel driver: items to threads, outcomes per item,
 * findings merged and sorted, or handed on in item order as items finish.
 */
#include "config.h"

#include <fnmatch.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "leakscan/cpus.h"
#include "leakscan/lint.h"
#include "leakscan/run.h"
#include "leakscan/utf16.h"

#define BINARY_PROBE 8192
/* the most consecutive items a thread takes at once */
#define CLAIM_MAX 32u

struct worker;

/* an item that finished before an earlier one: its findings wait (emit mode) */
struct parked {
    int done;
    struct leakscan_findings f;
};

/* a growing list's outcomes live in chunks that never move (see result()) */
#define RCHUNK_BITS 14u
#define RCHUNK (1u << RCHUNK_BITS)
#define MAX_RCHUNKS 65536u

struct shared {
    const struct leakscan_source *src;
    const struct leakscan_ruleset *rs;
    const struct leakscan_run_opts *opts;
    struct leakscan_item_result *items;   /* a fixed list's outcomes */
    struct leakscan_item_result **chunks; /* a growing list's */
    pthread_mutex_t lock;                 /* allocates chunks */
    atomic_size_t next;
    unsigned jobs;
    atomic_size_t done, bytes; /* for progress */
    atomic_int failed;         /* a fatal error (out of memory): stop taking items */
    double t0, last_progress;
    const struct worker *first; /* the one that reports progress */
    /* emit mode: items before emit_next are handed on; later ones wait in ring */
    pthread_mutex_t emit_lock;
    struct parked *ring; /* ringcap slots (a power of two), item i at i & (ringcap - 1) */
    size_t ringcap, emit_next;
    int emit_rc;
};

struct worker {
    struct shared *sh;
    pthread_t tid;
    struct leakscan_findings found;
    struct leakscan_scan_stats stats;
    size_t current; /* item being scanned, for diagnostics */
    void *tctx;     /* the source's per-thread state */
    int rc;
    struct leakscan_err err;
};

static int on_finding(void *payload, const struct leakscan_finding *f)
{
    struct worker *w = payload;
    const struct leakscan_source *src = w->sh->src;

    if (src->keep && !src->keep(src->payload, w->tctx, w->current, f))
        return 0;
    return leakscan_findings_push(&w->found, f);
}

int leakscan_path_matches(const char *path, char *const *globs, size_t n)
{
    const char *base;
    size_t i, len;

    if (!path)
        return 0;
    base = strrchr(path, '/');
    base = base ? base + 1 : path;
    for (i = 0; i < n; i++) {
        const char *g = globs[i];
        len = strlen(g);
        if (len && g[len - 1] == '/') {
            /* "dir/": that directory and everything below it, at any depth */
            const char *at = path;
            while ((at = strstr(at, g)) != NULL) {
                if (at == path || at[-1] == '/')
                    return 1;
                at++;
            }
            continue;
        }
        if (fnmatch(g, strchr(g, '/') ? path : base, 0) == 0)
            return 1;
    }
    return 0;
}

static void on_diag(void *payload, const struct leakscan_origin *o, const char *msg);
static struct leakscan_item_result *result(struct shared *sh, size_t i);

/* A scan note (a rule stopped by its match limit): the blob was not fully checked. */
static void on_scan_diag(void *payload, const struct leakscan_origin *o, const char *msg)
{
    struct worker *w = payload;
    /* a growing list (history) keeps its outcomes in chunks, not in sh->items */
    struct leakscan_item_result *it = result(w->sh, w->current);

    if (it)
        it->incomplete = 1;
    on_diag(payload, o, msg);
}

static double now_ms(void);

/* Item i's outcome; NULL when out of memory. */
static struct leakscan_item_result *result(struct shared *sh, size_t i)
{
    struct leakscan_item_result *c;

    if (sh->items)
        return &sh->items[i];
    if ((i >> RCHUNK_BITS) >= MAX_RCHUNKS)
        return NULL;
    pthread_mutex_lock(&sh->lock);
    c = sh->chunks[i >> RCHUNK_BITS];
    if (!c)
        c = sh->chunks[i >> RCHUNK_BITS] = calloc(RCHUNK, sizeof(*c));
    pthread_mutex_unlock(&sh->lock);
    return c ? &c[i & (RCHUNK - 1)] : NULL;
}

/* Append a note to the current item's message ("; "-separated). */
static void on_diag(void *payload, const struct leakscan_origin *o, const char *msg)
{
    struct worker *w = payload;
    struct leakscan_item_result *it = result(w->sh, w->current);
    size_t old, add = strlen(msg);
    char *p;

    (void)o;
    if (!it)
        return;
    old = it->msg ? strlen(it->msg) : 0;
    p = realloc(it->msg, old + add + 3);
    if (!p)
        return;
    if (old)
        /* NOLINTNEXTLINE(bugprone-not-null-terminated-result): msg's copy below ends it */
        memcpy(p + old, "; ", 2), old += 2;
    memcpy(p + old, msg, add + 1);
    it->msg = p;
}

static int emit_all(struct shared *sh, struct leakscan_findings *fs)
{
    size_t k;
    int rc = 0;

    leakscan_findings_sort(fs);
    for (k = 0; k < fs->n && !rc; k++)
        rc = sh->opts->emit->finding(sh->opts->emit->payload, &fs->v[k]);
    leakscan_findings_release(fs);
    leakscan_findings_init(fs);
    return rc;
}

/* Item i's slot in the ring, which grows to hold it; NULL when out of memory. */
static struct parked *park_slot(struct shared *sh, size_t i)
{
    size_t cap = sh->ringcap ? sh->ringcap : 64, k;
    struct parked *ring;

    if (i - sh->emit_next < sh->ringcap)
        return &sh->ring[i & (sh->ringcap - 1)];
    while (i - sh->emit_next >= cap)
        cap *= 2;
    if (!(ring = calloc(cap, sizeof(*ring))))
        return NULL;
    /* every parked item is in [emit_next, emit_next + ringcap) */
    for (k = sh->emit_next; k < sh->emit_next + sh->ringcap; k++)
        ring[k & (cap - 1)] = sh->ring[k & (sh->ringcap - 1)];
    free(sh->ring);
    sh->ring = ring;
    sh->ringcap = cap;
    return &ring[i & (cap - 1)];
}

/*
 * Emit mode: item i is done and its findings are in w->found. Hand them on
 * if every earlier item is done (then the items parked behind it), else park
 * them. Returns the sink's error, or LEAKSCAN_ENOMEM.
 */
static int item_done(struct worker *w, size_t i)
{
    struct shared *sh = w->sh;
    struct parked *p;
    int rc;

    if (!sh->opts->emit)
        return 0;
    pthread_mutex_lock(&sh->emit_lock);
    if ((rc = sh->emit_rc) != 0)
        goto out;
    if (i != sh->emit_next) {
        if (!(p = park_slot(sh, i))) {
            rc = LEAKSCAN_ENOMEM;
            goto out;
        }
        p->done = 1;
        p->f = w->found;
        leakscan_findings_init(&w->found);
        goto out;
    }
    rc = emit_all(sh, &w->found);
    sh->emit_next++;
    while (!rc && sh->ringcap && (p = &sh->ring[sh->emit_next & (sh->ringcap - 1)])->done) {
        p->done = 0;
        rc = emit_all(sh, &p->f);
        sh->emit_next++;
    }
out:
    if (rc && !sh->emit_rc)
        sh->emit_rc = rc;
    pthread_mutex_unlock(&sh->emit_lock);
    if (rc) {
        leakscan_findings_release(&w->found);
        leakscan_findings_init(&w->found);
        leakscan_err_set(&w->err, rc,
                         rc == LEAKSCAN_ENOMEM ? "out of memory"
                                               : "findings could not be reported");
    }
    return rc;
}

/*
 * The next items for this thread: a run of consecutive ones, so that a
 * thread reads neighbours (in history, versions of a file whose deltas
 * share their bases in this thread's cache) instead of every other item.
 * Runs shrink near the end of what is known, so the last items still
 * spread over the threads.
 */
static size_t claim(struct shared *sh, size_t known, size_t *count)
{
    size_t at = atomic_load(&sh->next), left, n;

    for (;;) {
        left = known > at ? known - at : 0;
        n = left / (4u * sh->jobs);
        n = n < 1 ? 1 : n > CLAIM_MAX ? CLAIM_MAX : n;
        if (atomic_compare_exchange_weak(&sh->next, &at, at + n)) {
            *count = n;
            return at;
        }
    }
}

static void *work(void *arg)
{
    struct worker *w = arg;
    struct shared *sh = w->sh;
    const struct leakscan_source *src = sh->src;
    struct leakscan_scanner *sc = NULL;
    struct leakscan_sink sink = {on_finding, on_scan_diag, w};
    struct leakscan_sink lint_sink = {on_finding, on_diag, w};
    struct leakscan_buf buf, u8;
    void *tctx = NULL;
    size_t i, known, claimed = 0, claim_end = 0;
    int order;

    leakscan_buf_init(&buf);
    leakscan_buf_init(&u8);
    leakscan_err_init(&w->err);
    w->rc = leakscan_scanner_new(&sc, sh->rs, &sh->opts->scan, &w->err);
    if (w->rc)
        goto out;
    if (src->thread_init && (w->rc = src->thread_init(src->payload, &tctx, &w->err)))
        goto out;
    w->tctx = tctx;
    known = src->available ? 0 : src->count;
    while (!atomic_load(&sh->failed)) {
        struct leakscan_item_result *it;
        struct leakscan_blob blob;
        struct leakscan_err ierr;
        int state = LEAKSCAN_ITEM_ERROR, rc, complete = 0;
        size_t size = 0;

        if (claimed == claim_end) {
            size_t n;
            /* a growing list learns where the threads are, to list ahead of them */
            if (src->available && (w->rc = src->available(src->payload, atomic_load(&sh->next) + 1,
                                                          &known, &complete, &w->err)))
                break;
            claimed = claim(sh, known, &n);
            claim_end = claimed + n;
        }
        i = claimed++;
        if (i >= known) {
            /* a growing list: wait for item i, or the end of the list */
            if (!src->available)
                break;
            if ((w->rc = src->available(src->payload, i + 1, &known, &complete, &w->err)))
                break;
            if (i >= known)
                break;
        }
        if (!(it = result(sh, i))) {
            w->rc = leakscan_err_set(&w->err, LEAKSCAN_ENOMEM, "out of memory");
            break;
        }

        leakscan_err_init(&ierr);
        memset(&blob, 0, sizeof(blob));
        w->current = i;
        if (w == sh->first && sh->opts->progress) {
            double t = now_ms();
            if (t - sh->last_progress >= 200) {
                sh->last_progress = t;
                sh->opts->progress(sh->opts->progress_payload, atomic_load(&sh->done), known,
                                   atomic_load(&sh->bytes), t - sh->t0);
            }
        }
        atomic_fetch_add(&sh->done, 1);
        if (sh->opts->nexclude && src->item_path &&
            leakscan_path_matches(src->item_path(src->payload, i), sh->opts->exclude,
                                  sh->opts->nexclude)) {
            it->state = LEAKSCAN_ITEM_EXCLUDED;
            goto done;
        }
        rc = src->load(src->payload, tctx, i, sh->opts->max_file_size, &buf, &blob, &state, &size,
                       &ierr);
        it->bytes = size;
        if (rc == 0 || (rc == LEAKSCAN_SKIP &&
                        (state == LEAKSCAN_ITEM_SKIP_BINARY || state == LEAKSCAN_ITEM_SKIP_SIZE))) {
            /* credential files by name: binary or too large, they still are */
            struct leakscan_origin o;
            int prc;
            if (rc == 0) {
                o = blob.origin;
            } else {
                memset(&o, 0, sizeof(o));
                if (src->item_origin)
                    src->item_origin(src->payload, i, &o);
                else if (src->item_path)
                    o.path = src->item_path(src->payload, i);
            }
            prc = leakscan_scanner_scan_path(sc, &o, &sink, &ierr);
            if (prc && prc != LEAKSCAN_STOP) {
                w->rc = prc;
                w->err = ierr;
                atomic_store(&sh->failed, 1);
                break;
            }
        }
        if (rc == LEAKSCAN_SKIP) {
            it->state = state;
            if (ierr.msg[0])
                it->msg = strdup(ierr.msg);
            goto done;
        }
        if (rc) {
            w->rc = rc;
            w->err = ierr;
            atomic_store(&sh->failed, 1);
            break;
        }
        it->bytes = blob.len;
        atomic_fetch_add(&sh->bytes, blob.len);
        /*
         * UTF-16 with a byte order mark (Windows editors): scanned as UTF-8,
         * positions in that text. Not where a source checks findings
         * against its own bytes (staged lines, history ranges).
         */
        if (!src->keep && (order = leakscan_utf16_bom(blob.data, blob.len)) != 0) {
            leakscan_buf_clear(&u8);
            if (leakscan_utf16_to_utf8(blob.data, blob.len, order, &u8)) {
                w->rc = leakscan_err_set(&w->err, LEAKSCAN_ENOMEM, "out of memory");
                break;
            }
            blob.data = u8.data ? u8.data : "";
            blob.len = u8.len;
        }
        if (memchr(blob.data, '\0', blob.len < BINARY_PROBE ? blob.len : BINARY_PROBE)) {
            it->state = LEAKSCAN_ITEM_SKIP_BINARY;
            goto done;
        }
        rc = leakscan_scanner_scan(sc, &blob, &sink, &ierr);
        if (!rc && sh->opts->lint)
            rc = leakscan_lint_blob(sh->opts->lint, sc, &blob, &lint_sink, &ierr);
        if (rc && rc != LEAKSCAN_STOP) {
            w->rc = rc;
            w->err = ierr;
            atomic_store(&sh->failed, 1);
            break;
        }
        it->state = LEAKSCAN_ITEM_SCANNED;
    done:
        if ((w->rc = item_done(w, i)) != 0)
            break;
    }
out:
    if (sc) {
        w->stats = *leakscan_scanner_stats(sc);
        leakscan_scanner_free(sc);
    }
    if (tctx && src->thread_free)
        src->thread_free(src->payload, tctx);
    leakscan_buf_release(&buf);
    leakscan_buf_release(&u8);
    if (w->rc)
        atomic_store(&sh->failed, 1);
    return NULL;
}

static int push_finding(void *payload, const struct leakscan_finding *f)
{
    return leakscan_findings_push(payload, f);
}

static double now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void add_stats(struct leakscan_scan_stats *a, const struct leakscan_scan_stats *b)
{
    a->suppressed_placeholder += b->suppressed_placeholder;
    a->suppressed_entropy += b->suppressed_entropy;
    a->suppressed_allow += b->suppressed_allow;
    a->suppressed_overlap += b->suppressed_overlap;
    a->match_errors += b->match_errors;
    a->suppressed_inline += b->suppressed_inline;
    a->decode_skipped += b->decode_skipped;
}

int leakscan_run_scan(struct leakscan_run *out, const struct leakscan_source *src,
                      const struct leakscan_ruleset *rs, const struct leakscan_run_opts *opts,
                      struct leakscan_err *err)
{
    struct shared sh;
    struct worker *w = NULL;
    unsigned jobs = opts->jobs ? opts->jobs : leakscan_ncpus(), j, started = 0;
    double t0 = now_ms();
    int rc = 0;
    size_t i;

    memset(out, 0, sizeof(*out));
    memset(&sh, 0, sizeof(sh));
    leakscan_findings_init(&out->findings);
    if (!jobs)
        jobs = 1;
    if (!src->available) {
        out->nitems = src->count;
        out->items = calloc(src->count ? src->count : 1, sizeof(*out->items));
        if (!out->items)
            return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
        if (jobs > src->count)
            jobs = src->count ? (unsigned)src->count : 1;
    } else {
        sh.chunks = calloc(MAX_RCHUNKS, sizeof(*sh.chunks));
        if (!sh.chunks)
            return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
        pthread_mutex_init(&sh.lock, NULL);
    }
    w = calloc(jobs, sizeof(*w));
    if (!w) {
        free(sh.chunks);
        return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
    }
    sh.src = src;
    sh.jobs = jobs;
    sh.rs = rs;
    sh.opts = opts;
    sh.items = out->items;
    atomic_init(&sh.next, 0);
    atomic_init(&sh.done, 0);
    atomic_init(&sh.bytes, 0);
    atomic_init(&sh.failed, 0);
    sh.t0 = t0;
    sh.last_progress = t0;
    sh.first = &w[0];
    pthread_mutex_init(&sh.emit_lock, NULL);
    for (j = 0; j < jobs; j++) {
        w[j].sh = &sh;
        leakscan_findings_init(&w[j].found);
    }
    /* the calling thread is worker 0 */
    for (j = 1; j < jobs; j++) {
        if (pthread_create(&w[j].tid, NULL, work, &w[j]) != 0)
            break;
        started++;
    }
    work(&w[0]);
    for (j = 1; j <= started; j++)
        pthread_join(w[j].tid, NULL);
    for (j = 0; j < jobs; j++) {
        if (w[j].rc && !rc) {
            rc = w[j].rc;
            if (err)
                *err = w[j].err;
        }
        add_stats(&out->stats.scan, &w[j].stats);
        if (!rc && leakscan_findings_move(&out->findings, &w[j].found))
            rc = leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
        leakscan_findings_release(&w[j].found);
    }
    free(w);
    /* what a failure left parked */
    for (i = 0; i < sh.ringcap; i++)
        if (sh.ring[i].done)
            leakscan_findings_release(&sh.ring[i].f);
    free(sh.ring);
    pthread_mutex_destroy(&sh.emit_lock);
    if (sh.chunks) {
        /* a growing list is complete now (or ended by an error): one array of outcomes */
        size_t n = 0, c;
        int complete = 0;
        src->available(src->payload, 0, &n, &complete, NULL);
        out->items = calloc(n ? n : 1, sizeof(*out->items));
        out->nitems = out->items ? n : 0;
        if (!out->items && !rc)
            rc = leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
        for (c = 0; c < MAX_RCHUNKS && (c << RCHUNK_BITS) < n; c++) {
            size_t k = n - (c << RCHUNK_BITS) < RCHUNK ? n - (c << RCHUNK_BITS) : RCHUNK;
            if (out->items && sh.chunks[c])
                memcpy(out->items + (c << RCHUNK_BITS), sh.chunks[c], k * sizeof(*out->items));
            else if (sh.chunks[c])
                for (i = 0; i < k; i++)
                    free(sh.chunks[c][i].msg);
        }
        for (c = 0; c < MAX_RCHUNKS; c++)
            free(sh.chunks[c]);
        free(sh.chunks);
        pthread_mutex_destroy(&sh.lock);
    }
    if (!rc && opts->lint) {
        /* checks across files (RBAC bindings), after every blob */
        struct leakscan_sink all = {push_finding, NULL, &out->findings};
        rc = leakscan_lint_finish(opts->lint, &all, err);
    }
    if (!rc && opts->emit && (rc = emit_all(&sh, &out->findings)) != 0)
        leakscan_err_set(err, rc, "findings could not be reported");
    leakscan_findings_sort(&out->findings);
    out->stats.items = out->nitems;
    for (i = 0; i < out->nitems; i++) {
        const struct leakscan_item_result *it = &out->items[i];
        switch (it->state) {
        case LEAKSCAN_ITEM_SCANNED:
            out->stats.files++;
            out->stats.bytes += it->bytes;
            out->stats.incomplete += it->incomplete;
            break;
        case LEAKSCAN_ITEM_SKIP_BINARY:
            out->stats.skipped_binary++;
            break;
        case LEAKSCAN_ITEM_SKIP_SIZE:
            out->stats.skipped_size++;
            break;
        case LEAKSCAN_ITEM_ERROR:
            out->stats.errors++;
            break;
        case LEAKSCAN_ITEM_MISSING:
            out->stats.missing++;
            break;
        case LEAKSCAN_ITEM_EXCLUDED:
            out->stats.excluded++;
            break;
        case LEAKSCAN_ITEM_SKIP_GONE:
        case LEAKSCAN_ITEM_IGNORED:
        case LEAKSCAN_ITEM_PENDING:
            break;
        default:
            out->stats.skipped_other++;
            break;
        }
    }
    out->stats.duration_ms = now_ms() - t0;
    if (opts->progress)
        opts->progress(opts->progress_payload, out->nitems, out->nitems, out->stats.bytes,
                       out->stats.duration_ms);
    return rc;
}

void leakscan_run_release(struct leakscan_run *r)
{
    size_t i;

    leakscan_findings_release(&r->findings);
    for (i = 0; i < r->nitems; i++)
        free(r->items[i].msg);
    free(r->items);
    memset(r, 0, sizeof(*r));
}
