/*
 * redact.c - the streaming redactor.
 *
 * Input accumulates in a pending buffer. Each round writes out a prefix of
 * it that is safe to judge: up to the last newline (a secret never spans a
 * line, except PEM blocks, held until their END line), or, for a line
 * longer than the window, up to the window minus an overlap. The scanner
 * looks at the whole pending buffer, so a secret that crosses the cut is
 * seen whole; the cut then moves to the secret's end. What was not written
 * stays pending and is scanned again with the bytes that follow: read
 * boundaries do not matter.
 *
 * With threads (leakscan_redact_opts.threads > 1), a round's scan runs on
 * a worker while the next rounds are read and started: the next round
 * starts where this one plans to cut, before the scan says whether the cut
 * moves. It rarely does (a secret across a newline); then the rounds
 * started after it are dropped and their bytes go back to pending, so the
 * output is what one thread writes.
 */
#include "config.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "leakscan/buf.h"
#include "leakscan/redact.h"
#include "leakscan/scanner.h"

#define DEFAULT_WINDOW (1024u * 1024u)
/* a forced cut (no newline in the window) keeps this much for the next round */
#define OVERLAP (16u * 1024u)
/* a private key block is held until its END line, up to this size (keys are < 16 KiB) */
#define PEM_HOLD (64u * 1024u)
/* with threads, a round starts once this much is pending (a quarter window at most) */
#define ROUND_MIN (256u * 1024u)
#define MAX_THREADS 16u
/* rounds queued per worker: the next is ready while the reader reads and writes */
#define QUEUE 2u
#define MAX_JOBS (QUEUE * MAX_THREADS)

struct span {
    size_t start, end;
    size_t mstart;       /* where the whole match starts: its context must stay together */
    const char *rule_id; /* borrowed from the ruleset */
};

struct rule_count {
    const char *rule_id;
    size_t count;
};

/* One round: the pending bytes it judges, the cut it plans, and what the scan found. */
struct job {
    struct leakscan_buf data; /* threads: a copy of pending; else unused */
    const char *bytes;        /* what is scanned: data.data or the redactor's pending */
    size_t len;
    size_t at;                /* stream offset of bytes[0] (threads) */
    size_t cut;               /* the planned cut */
    struct leakscan_buf view; /* bytes with escape codes blanked, when they have any */
    struct span *spans;
    size_t nspans, scap;
    int rc;
    struct leakscan_err err;
    int done;
};

struct worker {
    struct leakscan_redactor *r;
    struct leakscan_scanner *sc;
    pthread_t tid;
};

/* A secret of a round: bytes [start, end) of the job go out as out[off, off + len). */
struct piece {
    size_t start, end, off, len;
};

struct leakscan_redactor {
    const struct leakscan_ruleset *rs;
    struct leakscan_scanner *sc;
    struct leakscan_redact_opts opts;
    size_t window, round_min;
    struct leakscan_buf pending; /* input not written yet */
    size_t last_nl;              /* pending[0..last_nl) ends with a newline; 0: none */
    size_t at;                   /* stream offset of pending[0] (threads) */
    struct leakscan_buf out;     /* the masks of one round */
    struct piece *pieces;        /* the secrets of one round, masked in out */
    size_t npieces, cappieces;
    struct job one; /* the round, without threads */
    struct rule_count *counts;
    size_t ncounts;
    size_t total;

    /* threads: jobs[head..head+inflight) (mod njobs) are started, oldest first */
    unsigned nthreads, started, njobs;
    struct worker workers[MAX_THREADS];
    struct job jobs[MAX_JOBS];
    size_t head, inflight, next; /* next: the oldest job no worker took yet */
    pthread_mutex_t lock;
    pthread_cond_t cond; /* a job was started or finished, or the workers stop */
    int stop;
    size_t parallel, restarts; /* rounds started on workers; cuts that moved under them */
};

int leakscan_redactor_new(struct leakscan_redactor **out, const struct leakscan_ruleset *rs,
                          const struct leakscan_redact_opts *opts, struct leakscan_err *err)
{
    struct leakscan_scan_opts so;
    struct leakscan_redactor *r = calloc(1, sizeof(*r));
    unsigned i;
    int rc;

    *out = NULL;
    if (!r)
        return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
    if (opts)
        r->opts = *opts;
    r->rs = rs;
    r->window = r->opts.window ? r->opts.window : DEFAULT_WINDOW;
    if (r->window < 2 * OVERLAP)
        r->window = 2 * OVERLAP;
    r->round_min = r->window / 4 < ROUND_MIN ? r->window / 4 : ROUND_MIN;
    r->nthreads = r->opts.threads > MAX_THREADS ? MAX_THREADS : r->opts.threads;
    if (r->nthreads < 2)
        r->nthreads = 0;
    r->njobs = QUEUE * r->nthreads;
    memset(&so, 0, sizeof(so));
    so.show_secrets = 1;
    so.spans_only = 1;
    rc = leakscan_scanner_new(&r->sc, rs, &so, err);
    if (rc) {
        free(r);
        return rc;
    }
    leakscan_buf_init(&r->pending);
    leakscan_buf_init(&r->out);
    leakscan_buf_init(&r->one.view);
    for (i = 0; i < MAX_JOBS; i++) {
        leakscan_buf_init(&r->jobs[i].data);
        leakscan_buf_init(&r->jobs[i].view);
    }
    *out = r;
    return 0;
}

static void stop_workers(struct leakscan_redactor *r)
{
    unsigned i;

    if (!r->started)
        return;
    pthread_mutex_lock(&r->lock);
    r->stop = 1;
    pthread_cond_broadcast(&r->cond);
    pthread_mutex_unlock(&r->lock);
    for (i = 0; i < r->started; i++) {
        pthread_join(r->workers[i].tid, NULL);
        leakscan_scanner_free(r->workers[i].sc);
    }
    r->started = 0;
    pthread_cond_destroy(&r->cond);
    pthread_mutex_destroy(&r->lock);
}

void leakscan_redactor_free(struct leakscan_redactor *r)
{
    unsigned i;

    if (!r)
        return;
    stop_workers(r);
    leakscan_scanner_free(r->sc);
    leakscan_buf_release(&r->pending);
    leakscan_buf_release(&r->out);
    free(r->pieces);
    leakscan_buf_release(&r->one.view);
    free(r->one.spans);
    for (i = 0; i < MAX_JOBS; i++) {
        leakscan_buf_release(&r->jobs[i].data);
        leakscan_buf_release(&r->jobs[i].view);
        free(r->jobs[i].spans);
    }
    free(r->counts);
    free(r);
}

static int on_span(void *payload, const struct leakscan_finding *f)
{
    struct job *j = payload;

    if (j->nspans == j->scap) {
        size_t cap = j->scap ? j->scap * 2 : 64;
        struct span *p = realloc(j->spans, cap * sizeof(*p));
        if (!p)
            return LEAKSCAN_ENOMEM;
        j->spans = p;
        j->scap = cap;
    }
    j->spans[j->nspans].start = f->offset;
    j->spans[j->nspans].mstart = f->match_offset;
    j->spans[j->nspans].end = f->end_offset;
    j->spans[j->nspans].rule_id = f->rule_id;
    j->nspans++;
    return 0;
}

static int by_start(const void *a, const void *b)
{
    const struct span *x = a, *y = b;

    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return x->end > y->end ? -1 : x->end < y->end; /* the longer first */
}

static int count_rule(struct leakscan_redactor *r, const char *id)
{
    struct rule_count *p;
    size_t i;

    r->total++;
    for (i = 0; i < r->ncounts; i++) {
        if (!strcmp(r->counts[i].rule_id, id)) {
            r->counts[i].count++;
            return 0;
        }
    }
    p = realloc(r->counts, (r->ncounts + 1) * sizeof(*p));
    if (!p)
        return LEAKSCAN_ENOMEM;
    r->counts = p;
    r->counts[r->ncounts].rule_id = id;
    r->counts[r->ncounts].count = 1;
    r->ncounts++;
    return 0;
}

/* Bit k set: p[k] is a dash, for the 64 bytes at p. */
static uint64_t dashes(const char *p)
{
    uint64_t m = 0;
    unsigned k;

#ifdef __SSE2__
    const __m128i dash = _mm_set1_epi8('-');
    for (k = 0; k < 4; k++) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
        m |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, dash)) << (16 * k);
    }
#else
    for (k = 0; k < 64; k++)
        m |= (uint64_t)(p[k] == '-') << k;
#endif
    return m;
}

/*
 * The last `needle` (it starts with five dashes) in s[from..to), or
 * (size_t)-1. Logs are full of single dashes (dates, ids): five in a row
 * are looked for 64 bytes at a time, and only there the needle.
 */
static size_t rfind(const char *s, size_t from, size_t to, const char *needle)
{
    size_t n = strlen(needle), last = (size_t)-1, i = from, p;

    /* blocks 60 apart: five dashes that start in one lie wholly in its 64 bytes */
    for (; i + 64 <= to; i += 60) {
        uint64_t m = dashes(s + i);
        uint64_t e = m & m >> 1 & m >> 2 & m >> 3 & m >> 4 & (((uint64_t)1 << 60) - 1);
        for (; e; e &= e - 1) {
            p = i + (size_t)__builtin_ctzll(e);
            if (p + n <= to && !memcmp(s + p, needle, n))
                last = p;
        }
    }
    for (p = i; p + n <= to; p++)
        if (s[p] == '-' && !memcmp(s + p, needle, n))
            last = p;
    return last;
}

/* A private key's BEGIN line (certificates and the like are not held). */
static int is_key_begin(const char *s, size_t n)
{
    const char *nl = memchr(s, '\n', n);
    size_t len = nl ? (size_t)(nl - s) : n, i;

    for (i = 11; i + 11 <= len; i++)
        if (!memcmp(s + i, "PRIVATE KEY", 11))
            return 1;
    return 0;
}

/* Where this round may cut the pending buffer (0: wait for more input). */
static size_t choose_cut(const struct leakscan_redactor *r, int final)
{
    const char *d = r->pending.data;
    size_t n = r->pending.len, cut, begin, line, lo = n > PEM_HOLD ? n - PEM_HOLD : 0;

    if (final)
        return n;
    cut = r->last_nl; /* after the last newline: whole lines only */
    /*
     * A PEM block not closed yet: hold it, from its BEGIN line, until its END
     * line is complete (an END line still arriving does not close it). Only
     * a BEGIN in the last PEM_HOLD bytes is held: the last one is looked for
     * there, not through the whole round.
     */
    begin = lo < cut ? rfind(d, lo, cut, "-----BEGIN ") : (size_t)-1;
    if (begin != (size_t)-1 && is_key_begin(d + begin, n - begin) && n - begin <= PEM_HOLD &&
        rfind(d, begin, cut, "-----END ") == (size_t)-1) {
        for (line = begin; line > 0 && d[line - 1] != '\n'; line--)
            ;
        cut = line;
    }
    if (cut == 0 && n >= r->window)
        cut = n - OVERLAP; /* one very long line: go on, keep an overlap */
    return cut;
}

/*
 * What the rules look at: the job's bytes, with terminal escape sequences
 * (CSI: ESC [ ... final byte) turned into spaces of the same length. A
 * highlighted value (ESC[1m KEY ESC[0m) then has word boundaries around it
 * as it has on screen; offsets do not move, and the output keeps the codes.
 */
static const char *scan_view(struct job *j)
{
    const char *d = j->bytes;
    size_t n = j->len, i, k;
    char *v;

    if (!n || !memchr(d, 0x1b, n))
        return d ? d : "";
    leakscan_buf_clear(&j->view);
    if (leakscan_buf_add(&j->view, d, n))
        return NULL;
    v = j->view.data;
    for (i = 0; i + 1 < n; i++) {
        if (v[i] != 0x1b || v[i + 1] != '[')
            continue;
        for (k = i + 2; k < n && (unsigned char)v[k] >= 0x20 && (unsigned char)v[k] <= 0x3f; k++)
            ;
        if (k < n && (unsigned char)v[k] >= 0x40 && (unsigned char)v[k] <= 0x7e) {
            memset(v + i, ' ', k - i + 1);
            i = k;
        }
    }
    return v;
}

/* Scan a job's bytes: its spans, sorted. Touches nothing but the job (workers run it). */
static int scan_job(struct leakscan_scanner *sc, struct job *j)
{
    struct leakscan_sink sink = {on_span, NULL, j};
    struct leakscan_blob blob;
    int rc;

    memset(&blob, 0, sizeof(blob));
    j->nspans = 0;
    blob.data = scan_view(j);
    if (!blob.data)
        return leakscan_err_set(&j->err, LEAKSCAN_ENOMEM, "out of memory");
    blob.len = j->len;
    rc = leakscan_scanner_scan(sc, &blob, &sink, &j->err);
    if (rc)
        return rc == LEAKSCAN_ENOMEM ? leakscan_err_set(&j->err, rc, "out of memory") : rc;
    if (j->nspans > 1)
        qsort(j->spans, j->nspans, sizeof(*j->spans), by_start);
    return 0;
}

/* Where the scan moves the planned cut (0: wait for more input, when not final). */
static size_t settle_cut(const struct job *j, size_t cut, int final)
{
    size_t i;

    if (!final) {
        /* a match whose context is before the cut and secret after it: keep it whole */
        for (i = 0; i < j->nspans; i++)
            if (j->spans[i].mstart < cut && j->spans[i].start >= cut)
                cut = j->spans[i].mstart;
        if (!cut)
            return 0;
    }
    /* a secret across the cut is complete in the buffer: cut after it */
    for (i = 0; i < j->nspans; i++)
        if (j->spans[i].start < cut && j->spans[i].end > cut)
            cut = j->spans[i].end;
    return cut;
}

/* Write the mask for a span of length len that matched rule_id. */
static int put_mask(struct leakscan_redactor *r, const char *secret, size_t len,
                    const char *rule_id)
{
    size_t keep = r->opts.keep_prefix, bs = 0, i;

    /* never the whole secret: at least half of a short one and a quarter of a long one stay masked
     */
    if (keep > (len < 16 ? len / 2 : len - len / 4))
        keep = len < 16 ? len / 2 : len - len / 4;
    /* whole characters only: not inside a UTF-8 sequence */
    while (keep && ((unsigned char)secret[keep] & 0xc0) == 0x80)
        keep--;
    /* not half of a JSON or C escape: an odd run of backslashes at the end */
    for (i = keep; i > 0 && secret[i - 1] == '\\'; i--)
        bs++;
    if (bs % 2)
        keep--;

    if (keep && leakscan_buf_add(&r->out, secret, keep))
        return LEAKSCAN_ENOMEM;
    if (r->opts.mask)
        return leakscan_buf_puts(&r->out, r->opts.mask);
    return leakscan_buf_printf(&r->out, "[REDACTED:%s]", rule_id);
}

/*
 * Write the job's bytes before `cut` with its secrets masked; returns where
 * writing ended. The bytes between secrets go out from the job's buffer as
 * they are (no copy: most rounds hold no secret at all). The masks are made
 * first, all in r->out, so that every piece handed to the writer stays where
 * it is until the round's end, which the writer is told (w(NULL, 0)): it can
 * then write the whole round with one writev.
 */
static int emit(struct leakscan_redactor *r, const struct job *j, size_t *cutp, leakscan_write_fn w,
                void *payload, struct leakscan_err *err)
{
    size_t cut = *cutp, pos = 0, i, k, end;

    leakscan_buf_clear(&r->out);
    r->npieces = 0;
    for (i = 0; i < j->nspans && j->spans[i].start < cut; i++) {
        const struct span *s = &j->spans[i];
        struct piece *pc;
        size_t from, off = r->out.len;
        if (s->end <= pos)
            continue; /* inside a span already masked */
        /* overlapping spans are masked as one: the union, named by the first */
        end = s->end;
        while (i + 1 < j->nspans && j->spans[i + 1].start < end) {
            if (j->spans[i + 1].end > end)
                end = j->spans[i + 1].end;
            i++;
        }
        from = s->start > pos ? s->start : pos;
        if (put_mask(r, j->bytes + from, end - from, s->rule_id) || count_rule(r, s->rule_id))
            return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
        if (r->npieces == r->cappieces) {
            size_t cap = r->cappieces ? r->cappieces * 2 : 16;
            struct piece *p = realloc(r->pieces, cap * sizeof(*p));
            if (!p)
                return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
            r->pieces = p;
            r->cappieces = cap;
        }
        pc = &r->pieces[r->npieces++];
        pc->start = from;
        pc->end = end;
        pc->off = off;
        pc->len = r->out.len - off;
        pos = end;
    }
    pos = 0;
    for (k = 0; k < r->npieces; k++) {
        const struct piece *pc = &r->pieces[k];
        if (pc->start > pos && w(payload, j->bytes + pos, pc->start - pos) != 0)
            return leakscan_err_set(err, LEAKSCAN_EIO, "write error");
        if (pc->len && w(payload, r->out.data + pc->off, pc->len) != 0)
            return leakscan_err_set(err, LEAKSCAN_EIO, "write error");
        pos = pc->end;
    }
    if (pos < cut && w(payload, j->bytes + pos, cut - pos) != 0)
        return leakscan_err_set(err, LEAKSCAN_EIO, "write error");
    if (w(payload, NULL, 0) != 0)
        return leakscan_err_set(err, LEAKSCAN_EIO, "write error");
    if (pos > cut)
        cut = pos;
    *cutp = cut;
    return 0;
}

/* Pending now starts `cut` bytes further into the stream. */
static void moved_on(struct leakscan_redactor *r, size_t cut)
{
    r->at += cut;
    r->last_nl = r->last_nl > cut ? r->last_nl - cut : 0;
}

/* Drop pending[0..cut): it was written. */
static void consume(struct leakscan_redactor *r, size_t cut)
{
    memmove(r->pending.data, r->pending.data + cut, r->pending.len - cut);
    r->pending.len -= cut;
    moved_on(r, cut);
}

/* One round on this thread. */
static int round_(struct leakscan_redactor *r, int final, leakscan_write_fn w, void *payload,
                  struct leakscan_err *err)
{
    struct job *j = &r->one;
    size_t cut;
    int rc;

    for (;;) {
        cut = choose_cut(r, final);
        if (!cut)
            return 0;
        j->bytes = r->pending.data;
        j->len = r->pending.len;
        leakscan_err_init(&j->err);
        rc = scan_job(r->sc, j);
        if (rc) {
            *err = j->err;
            return rc;
        }
        cut = settle_cut(j, cut, final);
        if (!cut)
            return 0;
        if ((rc = emit(r, j, &cut, w, payload, err)))
            return rc;
        consume(r, cut);
        if (!final || !r->pending.len)
            return 0;
    }
}

/* ---- threads ---- */

static void *work(void *arg)
{
    struct worker *wk = arg;
    struct leakscan_redactor *r = wk->r;
    struct job *j;

    pthread_mutex_lock(&r->lock);
    for (;;) {
        while (!r->stop && r->next == r->head + r->inflight)
            pthread_cond_wait(&r->cond, &r->lock);
        if (r->stop)
            break;
        j = &r->jobs[r->next++ % r->njobs];
        pthread_mutex_unlock(&r->lock);
        j->rc = scan_job(wk->sc, j);
        pthread_mutex_lock(&r->lock);
        j->done = 1;
        pthread_cond_broadcast(&r->cond);
    }
    pthread_mutex_unlock(&r->lock);
    return NULL;
}

static int start_workers(struct leakscan_redactor *r, struct leakscan_err *err)
{
    struct leakscan_scan_opts so;
    unsigned i;

    memset(&so, 0, sizeof(so));
    so.show_secrets = 1;
    so.spans_only = 1;
    if (pthread_mutex_init(&r->lock, NULL) != 0)
        return leakscan_err_set(err, LEAKSCAN_ERROR, "cannot start threads");
    if (pthread_cond_init(&r->cond, NULL) != 0) {
        pthread_mutex_destroy(&r->lock);
        return leakscan_err_set(err, LEAKSCAN_ERROR, "cannot start threads");
    }
    r->head = r->inflight = r->next = 0;
    r->stop = 0;
    for (i = 0; i < r->nthreads; i++) {
        struct worker *wk = &r->workers[i];
        wk->r = r;
        if (leakscan_scanner_new(&wk->sc, r->rs, &so, err))
            break;
        if (pthread_create(&wk->tid, NULL, work, wk) != 0) {
            leakscan_scanner_free(wk->sc);
            break;
        }
        r->started++;
    }
    if (r->started < 2) {
        /* too few: one thread it is */
        if (r->started) {
            stop_workers(r);
        } else {
            pthread_cond_destroy(&r->cond);
            pthread_mutex_destroy(&r->lock);
        }
        r->nthreads = 0;
    }
    return 0;
}

/* Wait for the oldest started job; it leaves the queue. */
static struct job *wait_oldest(struct leakscan_redactor *r)
{
    struct job *j = &r->jobs[r->head % r->njobs];

    pthread_mutex_lock(&r->lock);
    while (!j->done)
        pthread_cond_wait(&r->cond, &r->lock);
    r->head++;
    r->inflight--;
    pthread_mutex_unlock(&r->lock);
    return j;
}

/* Append stream bytes [from, to) found in buffer b that starts at stream offset at. */
static int take_back(struct leakscan_buf *dst, const char *b, size_t blen, size_t at, size_t *from)
{
    if (*from < at || *from >= at + blen)
        return 0;
    if (leakscan_buf_add(dst, b + (*from - at), at + blen - *from))
        return -1;
    *from = at + blen;
    return 0;
}

/*
 * The oldest job's cut moved: the jobs started after it judged the wrong
 * bytes. Wait for them, drop them, and make pending again from the stream
 * offset `from` on: the oldest job's bytes, theirs, and pending's.
 */
static int restart_from(struct leakscan_redactor *r, const struct job *old, size_t from,
                        struct leakscan_err *err)
{
    struct leakscan_buf np;
    size_t k;
    int rc = 0;

    leakscan_buf_init(&np);
    rc = take_back(&np, old->bytes, old->len, old->at, &from);
    while (!rc && r->inflight) {
        struct job *j = wait_oldest(r);
        rc = take_back(&np, j->bytes, j->len, j->at, &from);
    }
    if (!rc)
        rc = take_back(&np, r->pending.data, r->pending.len, r->at, &from);
    if (rc) {
        leakscan_buf_release(&np);
        return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
    }
    leakscan_buf_release(&r->pending);
    r->pending = np;
    r->at = from - np.len;
    for (k = np.len; k > 0 && np.data[k - 1] != '\n'; k--)
        ;
    r->last_nl = k;
    return 0;
}

/* Finish the oldest job: write its bytes, or, if its cut moved, go back to it. */
static int complete_oldest(struct leakscan_redactor *r, leakscan_write_fn w, void *payload,
                           struct leakscan_err *err)
{
    struct job *j = wait_oldest(r);
    size_t cut;
    int rc;

    if (j->rc) {
        *err = j->err;
        return j->rc;
    }
    cut = settle_cut(j, j->cut, 0);
    if (cut && (rc = emit(r, j, &cut, w, payload, err)))
        return rc;
    if (cut != j->cut) {
        r->restarts++;
        return restart_from(r, j, j->at + cut, err);
    }
    return 0;
}

/* Start a round on a worker with pending's bytes; pending goes on from the cut. */
static int start_round(struct leakscan_redactor *r, size_t cut, struct leakscan_err *err)
{
    struct job *j = &r->jobs[(r->head + r->inflight) % r->njobs];
    struct leakscan_buf spare = j->data;

    /* the job takes pending's buffer; pending keeps what follows the cut (a partial line) */
    j->data = r->pending;
    r->pending = spare;
    leakscan_buf_clear(&r->pending);
    if (leakscan_buf_add(&r->pending, j->data.data + cut, j->data.len - cut)) {
        spare = r->pending;
        r->pending = j->data;
        j->data = spare;
        return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
    }
    j->bytes = j->data.data;
    j->len = j->data.len;
    j->at = r->at;
    j->cut = cut;
    j->done = 0;
    j->rc = 0;
    leakscan_err_init(&j->err);
    r->parallel++;
    pthread_mutex_lock(&r->lock);
    r->inflight++;
    pthread_cond_broadcast(&r->cond);
    pthread_mutex_unlock(&r->lock);
    moved_on(r, cut); /* pending already holds only what follows the cut */
    return 0;
}

/* Every started job written, in order. */
static int drain(struct leakscan_redactor *r, leakscan_write_fn w, void *payload,
                 struct leakscan_err *err)
{
    int rc;

    while (r->nthreads && r->inflight)
        if ((rc = complete_oldest(r, w, payload, err)))
            return rc;
    return 0;
}

/* Rounds for what is pending: on the workers when there is enough, else here. */
static int rounds(struct leakscan_redactor *r, leakscan_write_fn w, void *payload,
                  struct leakscan_err *err)
{
    size_t cut;
    int rc;

    if (r->nthreads && !r->started && r->pending.len >= r->round_min &&
        (rc = start_workers(r, err)))
        return rc;
    if (!r->nthreads)
        return round_(r, 0, w, payload, err);
    while (r->pending.len >= r->round_min) {
        if (r->inflight == r->njobs) {
            /* every job slot taken: write the oldest (pending may change: plan again) */
            if ((rc = complete_oldest(r, w, payload, err)))
                return rc;
            continue;
        }
        cut = choose_cut(r, 0);
        if (!cut)
            return 0; /* no whole line yet, or a PEM block held: more input */
        if ((rc = start_round(r, cut, err)))
            return rc;
    }
    return 0;
}

int leakscan_redactor_feed(struct leakscan_redactor *r, const char *data, size_t len,
                           leakscan_write_fn w, void *payload, struct leakscan_err *err)
{
    size_t room;
    int rc;

    /* never hold more than the window: feed it in window-sized steps */
    while (len) {
        room = r->window > r->pending.len ? r->window - r->pending.len : 0;
        if (!room) {
            if ((rc = drain(r, w, payload, err)) || (rc = round_(r, 0, w, payload, err)))
                return rc;
            room = r->window > r->pending.len ? r->window - r->pending.len : 0;
            if (!room) /* a PEM block held back: let it go */
                if ((rc = round_(r, 1, w, payload, err)))
                    return rc;
            continue;
        }
        if (room > len)
            room = len;
        if (leakscan_buf_add(&r->pending, data, room))
            return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
        {
            /* only the new bytes are searched for the last newline */
            size_t k = room;
            while (k > 0 && r->pending.data[r->pending.len - room + k - 1] != '\n')
                k--;
            if (k)
                r->last_nl = r->pending.len - room + k;
        }
        data += room;
        len -= room;
        if (r->nthreads && (rc = rounds(r, w, payload, err)))
            return rc;
    }
    return rounds(r, w, payload, err);
}

int leakscan_redactor_flush(struct leakscan_redactor *r, leakscan_write_fn w, void *payload,
                            struct leakscan_err *err)
{
    int rc = drain(r, w, payload, err);

    return rc ? rc : round_(r, 0, w, payload, err);
}

int leakscan_redactor_finish(struct leakscan_redactor *r, leakscan_write_fn w, void *payload,
                             struct leakscan_err *err)
{
    int rc = drain(r, w, payload, err);

    if (rc)
        return rc;
    return r->pending.len ? round_(r, 1, w, payload, err) : 0;
}

size_t leakscan_redactor_total(const struct leakscan_redactor *r)
{
    return r->total;
}

const char *leakscan_redactor_rule_at(const struct leakscan_redactor *r, size_t i, size_t *count)
{
    if (i >= r->ncounts)
        return NULL;
    if (count)
        *count = r->counts[i].count;
    return r->counts[i].rule_id;
}

void leakscan_redactor_rounds(const struct leakscan_redactor *r, size_t *parallel, size_t *restarts)
{
    *parallel = r->parallel;
    *restarts = r->restarts;
}
