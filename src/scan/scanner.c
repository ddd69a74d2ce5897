/*
 * scanner.c - the engine: prefilter, per-rule PCRE2 matches, filters,
 * positions, findings.
 */
#include "config.h"

#include <fnmatch.h>
#include <git2.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "../ruleset/ruleset_int.h"
#include "leakscan/base64.h"
#include "leakscan/scanner.h"
#include "leakscan/secret.h"

/* Bounds on any one match: no input can hang a scan. */
#define MATCH_LIMIT 5000000u
#define DEPTH_LIMIT 10000u
#define HEAP_LIMIT_KIB (64u * 1024u)
#define JIT_STACK_MAX (4u * 1024u * 1024u)
#define MAX_MATCH_FAILURES 3u
#define MAX_LINE_HITS (1u << 20)
#define NONE ((size_t)-1)

struct match {
    size_t rule;       /* index into rs->rules */
    size_t start, end; /* the secret's span */
    size_t mstart;     /* where the whole match starts (context before the secret) */
    int encoded; /* found in decoded base64 / percent-encoding: the span is the encoded text */
    enum leakscan_severity severity;
    int validated;
    int dropped;
};

struct leakscan_scanner {
    const struct leakscan_ruleset *rs;
    struct leakscan_scan_opts opts;
    pcre2_match_data *md;
    pcre2_match_context *mctx;
    pcre2_jit_stack *jit_stack;
    hs_scratch_t *scratch;
    unsigned char *hit; /* per active rule: keyword seen in this blob */
    size_t *hits;       /* active positions with hit set, in hit order */
    size_t nhits;
    struct match *m;
    size_t nm, mcap;
    struct leakscan_scan_stats stats;
    int git_inited;
    /*
     * Where line-mode and windowed rules run: per rule, a list (through
     * `next`) of lines or byte ranges around its keywords, in offset order;
     * a windowed rule's overlapping ranges are merged as they come.
     */
    struct khit {
        size_t from, to; /* line mode: a byte of the keyword (both); window: [from, to) */
        size_t next;     /* the rule's next entry, or NONE */
    } * khits;
    size_t nkhits, khcap;
    size_t *kfirst, *klast;     /* per active rule: its first and last entry, or NONE */
    size_t *covered;            /* per active rule: bytes inside its windows */
    unsigned char *whole;       /* per active rule: windows cover too much, match it whole */
    size_t blob_len, piece_off; /* the blob being prefiltered, the piece's offset in it */
    const char *blob_data;
    size_t *scoped_here; /* the scoped rules whose globs match this blob's path */
    size_t nscoped_here;
    int lines_overflow;     /* too many positions: match line-mode rules whole */
    int decoding;           /* inside decode_and_rescan: one level only */
    unsigned char cls[256]; /* byte classes for encoded runs */
};

static void build_classes(unsigned char cls[256]);

int leakscan_scanner_new(struct leakscan_scanner **out, const struct leakscan_ruleset *rs,
                         const struct leakscan_scan_opts *opts, struct leakscan_err *err)
{
    struct leakscan_scanner *sc;
    uint32_t maxcap = 0;
    size_t i;

    *out = NULL;
    if (!rs->compiled)
        return leakscan_err_set(err, LEAKSCAN_EUSAGE, "the ruleset is not compiled");
    sc = calloc(1, sizeof(*sc));
    if (!sc)
        return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
    sc->rs = rs;
    if (opts)
        sc->opts = *opts;
    /* fingerprints hash with libgit2; init is reference counted */
    if (git_libgit2_init() < 0) {
        free(sc);
        return leakscan_err_set(err, LEAKSCAN_EGIT, "libgit2 does not initialise");
    }
    sc->git_inited = 1;
    build_classes(sc->cls);
    for (i = 0; i < rs->nactive; i++) {
        uint32_t c = 0;
        pcre2_pattern_info(rs->rules[rs->active[i]]->c->re, PCRE2_INFO_CAPTURECOUNT, &c);
        if (c > maxcap)
            maxcap = c;
    }
    sc->md = pcre2_match_data_create(maxcap + 1, NULL);
    sc->mctx = pcre2_match_context_create(NULL);
    sc->jit_stack = pcre2_jit_stack_create(32 * 1024, JIT_STACK_MAX, NULL);
    sc->hit = calloc(rs->nactive ? rs->nactive : 1, 1);
    sc->hits = calloc(rs->nactive ? rs->nactive : 1, sizeof(*sc->hits));
    sc->kfirst = calloc(rs->nactive ? rs->nactive : 1, sizeof(*sc->kfirst));
    sc->klast = calloc(rs->nactive ? rs->nactive : 1, sizeof(*sc->klast));
    sc->covered = calloc(rs->nactive ? rs->nactive : 1, sizeof(*sc->covered));
    sc->whole = calloc(rs->nactive ? rs->nactive : 1, 1);
    sc->scoped_here = calloc(rs->nscoped ? rs->nscoped : 1, sizeof(*sc->scoped_here));
    if (!sc->md || !sc->mctx || !sc->jit_stack || !sc->hit || !sc->hits || !sc->kfirst ||
        !sc->klast || !sc->covered || !sc->whole || !sc->scoped_here)
        goto nomem;
    /* per rule: no keyword positions yet (see match_all) */
    memset(sc->kfirst, 0xff, (rs->nactive ? rs->nactive : 1) * sizeof(*sc->kfirst));
    memset(sc->klast, 0xff, (rs->nactive ? rs->nactive : 1) * sizeof(*sc->klast));
    pcre2_set_match_limit(sc->mctx, MATCH_LIMIT);
    pcre2_set_depth_limit(sc->mctx, DEPTH_LIMIT);
    pcre2_set_heap_limit(sc->mctx, HEAP_LIMIT_KIB);
    pcre2_jit_stack_assign(sc->mctx, NULL, sc->jit_stack);
    if (rs->db && hs_alloc_scratch(rs->db, &sc->scratch) != HS_SUCCESS)
        goto nomem;
    *out = sc;
    return 0;
nomem:
    leakscan_scanner_free(sc);
    return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
}

void leakscan_scanner_free(struct leakscan_scanner *sc)
{
    if (!sc)
        return;
    pcre2_match_data_free(sc->md);
    pcre2_match_context_free(sc->mctx);
    pcre2_jit_stack_free(sc->jit_stack);
    hs_free_scratch(sc->scratch);
    free(sc->hit);
    free(sc->hits);
    free(sc->m);
    free(sc->khits);
    free(sc->kfirst);
    free(sc->klast);
    free(sc->covered);
    free(sc->whole);
    free(sc->scoped_here);
    if (sc->git_inited)
        git_libgit2_shutdown();
    free(sc);
}

const struct leakscan_scan_stats *leakscan_scanner_stats(const struct leakscan_scanner *sc)
{
    return &sc->stats;
}

/* A new entry in rule a's list; 0, or -1 when there are too many (whole-buffer matching). */
static int add_khit(struct leakscan_scanner *sc, size_t a, size_t from, size_t to)
{
    if (sc->nkhits == sc->khcap) {
        size_t cap = sc->khcap ? sc->khcap * 2 : 256;
        struct khit *p = cap <= MAX_LINE_HITS ? realloc(sc->khits, cap * sizeof(*p)) : NULL;
        if (!p) {
            sc->lines_overflow = 1;
            return -1;
        }
        sc->khits = p;
        sc->khcap = cap;
    }
    sc->khits[sc->nkhits].from = from;
    sc->khits[sc->nkhits].to = to;
    sc->khits[sc->nkhits].next = NONE;
    if (sc->klast[a] == NONE)
        sc->kfirst[a] = sc->nkhits;
    else
        sc->khits[sc->klast[a]].next = sc->nkhits;
    sc->klast[a] = sc->nkhits++;
    return 0;
}

/* A keyword window for rule a around a keyword ending at `end`; merged with the last one. */
static void add_window(struct leakscan_scanner *sc, size_t a, size_t span, size_t end)
{
    size_t from = end > span ? end - span : 0, to = end + span;
    struct khit *last = sc->klast[a] == NONE ? NULL : &sc->khits[sc->klast[a]];

    if (to > sc->blob_len)
        to = sc->blob_len;
    if (last && from <= last->to) {
        if (to > last->to) {
            sc->covered[a] += to - last->to;
            last->to = to;
        }
    } else if (add_khit(sc, a, from, to) == 0) {
        sc->covered[a] += to - from;
    }
    /* windows over half the blob: one pass over all of it is cheaper */
    if (sc->covered[a] > sc->blob_len / 2)
        sc->whole[a] = 1;
}

/* 1 when the bytes after a keyword ending at `end` are what the rule needs there */
static int followed(const struct leakscan_scanner *sc, const struct leakscan_rule *r, size_t end)
{
    const unsigned char *d = (const unsigned char *)sc->blob_data + end, *set = r->c->follow;
    size_t k, n = r->c->nfollow, left = sc->blob_len - end, max = r->c->stop_max;

    if (r->c->has_stop) {
        /* the run of the class after the keyword, then the byte that ends it */
        for (k = 0; k < left && k <= max && (set[d[k] >> 3] & (1u << (d[k] & 7))); k++)
            ;
        return k >= r->c->stop_min && k <= max && k < left && d[k] == r->c->stop;
    }
    if (n > left)
        return 0; /* the blob ends first: no match can start here */
    for (k = 0; k < n; k++)
        if (!(set[d[k] >> 3] & (1u << (d[k] & 7))))
            return 0;
    return 1;
}

static int on_keyword(unsigned int id, unsigned long long from, unsigned long long to,
                      unsigned int flags, void *ctx)
{
    struct leakscan_scanner *sc = ctx;
    const struct leakscan_ruleset *rs = sc->rs;
    size_t i, end = sc->piece_off + (size_t)to;

    (void)from;
    (void)flags;
    for (i = rs->lit_first[id]; i < rs->lit_first[id + 1]; i++) {
        size_t a = rs->lit_rules[i];
        const struct leakscan_rule *r = rs->rules[rs->active[a]];
        /* anchors, line mode and windows: where, not just whether */
        if (sc->lines_overflow || sc->whole[a])
            ;
        else if (r->c->anchor) {
            /* where the anchor starts (other keywords of the rule: whether only) */
            if (rs->lit_anchor[i] && followed(sc, r, end))
                add_khit(sc, a, end - rs->lit_len[id], end - rs->lit_len[id]);
        } else if (leakscan_rule_line_mode(rs, r))
            add_khit(sc, a, end ? end - 1 : 0, end ? end - 1 : 0);
        else if (leakscan_rule_windowed(r))
            add_window(sc, a, r->c->span, end);
        if (!sc->hit[a]) {
            sc->hit[a] = 1;
            sc->hits[sc->nhits++] = a;
        }
    }
    /* every rule is already triggered (and no rule needs every position): stop the pass */
    return sc->nhits == rs->nactive - rs->nscoped && !rs->line_rules;
}

/* Run the prefilter over the blob; blobs above 4 GiB go in overlapping pieces. */
static int prefilter(struct leakscan_scanner *sc, const char *data, size_t len,
                     struct leakscan_err *err)
{
    const struct leakscan_ruleset *rs = sc->rs;
    size_t off = 0, piece, overlap = rs->max_lit_len ? rs->max_lit_len - 1 : 0;
    hs_error_t e;

    if (!rs->db)
        return 0;
    sc->blob_len = len;
    sc->blob_data = data;
    do {
        piece = len - off > (size_t)UINT_MAX ? (size_t)UINT_MAX : len - off;
        sc->piece_off = off;
        e = hs_scan(rs->db, data + off, (unsigned)piece, 0, sc->scratch, on_keyword, sc);
        if (e != HS_SUCCESS && e != HS_SCAN_TERMINATED)
            return leakscan_err_set(err, LEAKSCAN_EREGEX, "keyword prefilter failed (%d)", (int)e);
        if (e == HS_SCAN_TERMINATED || off + piece >= len)
            break;
        off += piece - overlap;
    } while (1);
    return 0;
}

static int path_matches(const struct leakscan_rule *r, const char *path)
{
    const char *base, *name, *tail;
    size_t i, n, t, plen, blen;

    if (!r->npaths)
        return 1;
    if (!path)
        return 0;
    base = strrchr(path, '/');
    base = base ? base + 1 : path;
    plen = strlen(path);
    blen = plen - (size_t)(base - path);
    for (i = 0; i < r->npaths; i++) {
        const char *g = r->paths[i];
        /* a glob without '/' matches the file name, as in .gitignore */
        int whole = r->c && r->c->tails ? r->c->slash[i] : strchr(g, '/') != NULL;
        name = whole ? path : base;
        n = whole ? plen : blen;
        /* most names fail on the glob's literal end, before fnmatch */
        tail = r->c && r->c->tails ? r->c->tails[i] : "";
        t = r->c && r->c->tails ? r->c->tail_len[i] : 0;
        if (t > n || memcmp(name + n - t, tail, t))
            continue;
        if (fnmatch(g, name, 0) == 0)
            return 1;
    }
    return 0;
}

static int push_match(struct leakscan_scanner *sc, const struct match *m)
{
    if (sc->nm == sc->mcap) {
        size_t cap = sc->mcap ? sc->mcap * 2 : 32;
        struct match *p = realloc(sc->m, cap * sizeof(*p));
        if (!p)
            return LEAKSCAN_ENOMEM;
        sc->m = p;
        sc->mcap = cap;
    }
    sc->m[sc->nm++] = *m;
    return 0;
}

static int allowed(struct leakscan_scanner *sc, const struct leakscan_rule *r, const char *s,
                   size_t len)
{
    size_t i;
    pcre2_match_data *md;
    int rc = 0;

    if (!r->nallow && !sc->rs->nallow)
        return 0;
    md = pcre2_match_data_create(1, NULL);
    if (!md)
        return 0;
    for (i = 0; i < r->nallow && !rc; i++)
        rc = pcre2_match(r->c->allow[i], (PCRE2_SPTR)s, len, 0, 0, md, sc->mctx) >= 0;
    for (i = 0; i < sc->rs->nallow && !rc; i++)
        rc = pcre2_match(sc->rs->allow_re[i], (PCRE2_SPTR)s, len, 0, 0, md, sc->mctx) >= 0;
    pcre2_match_data_free(md);
    return rc;
}

/* Matches that failed (match limit...): said aloud, once per rule and blob. */
static void match_failed(const struct leakscan_sink *sink, const struct leakscan_blob *blob,
                         const struct leakscan_rule *r, int code, unsigned times, int gave_up)
{
    char msg[512];
    PCRE2_UCHAR pmsg[200];

    if (!sink || !sink->diag)
        return;
    pcre2_get_error_message(code, pmsg, sizeof(pmsg));
    snprintf(msg, sizeof(msg), "rule '%s': %s on %u line%s%s", r->id, (const char *)pmsg, times,
             times == 1 ? "" : "s",
             gave_up ? "; the rule stopped on this file" : "; those lines were skipped by it");
    sink->diag(sink->payload, &blob->origin, msg);
}

/* 1 when a directory of the path is test data: test(s), fixtures, examples, testdata... */
static int in_test_path(const char *path)
{
    static const char *const dirs[] = {"test",      "tests",    "testdata", "test-data",
                                       "__tests__", "fixtures", "fixture",  "examples",
                                       "example",   "spec",     "mocks",    "__mocks__"};
    const char *p = path, *slash;
    size_t i, n;

    while (p && (slash = strchr(p, '/')) != NULL) {
        n = (size_t)(slash - p);
        for (i = 0; i < sizeof(dirs) / sizeof(*dirs); i++)
            if (strlen(dirs[i]) == n && !memcmp(p, dirs[i], n))
                return 1;
        p = slash + 1;
    }
    return 0;
}

/* One search of re from `at` in subject[0..len): pcre2's return, the ovector in sc->md. */
static int match_from(struct leakscan_scanner *sc, const pcre2_code *re, int jit,
                      const unsigned char *subject, size_t len, size_t at)
{
    if (jit)
        return pcre2_jit_match(re, subject, len, at, 0, sc->md, sc->mctx);
    return pcre2_match(re, subject, len, at, 0, sc->md, sc->mctx);
}

/* A match of rule ri (rc: pcre2's return, ov its ovector): filtered, then kept. */
static int take_match(struct leakscan_scanner *sc, size_t ri, const struct leakscan_blob *blob,
                      const PCRE2_SIZE *ov, int rc)
{
    const struct leakscan_rule *r = sc->rs->rules[ri];
    int g = r->c->group;
    struct match m;
    size_t s0, s1;

    if (rc <= g || ov[2 * g] == PCRE2_UNSET) {
        s0 = ov[0];
        s1 = ov[1];
    } else {
        s0 = ov[2 * g];
        s1 = ov[2 * g + 1];
    }
    if (s1 <= s0)
        return 0;
    if (!r->redact && leakscan_is_placeholder(blob->data + s0, s1 - s0)) {
        sc->stats.suppressed_placeholder++;
        return 0;
    }
    if (r->min_entropy > 0 && leakscan_entropy(blob->data + s0, s1 - s0) < r->min_entropy) {
        sc->stats.suppressed_entropy++;
        return 0;
    }
    if (allowed(sc, r, blob->data + s0, s1 - s0)) {
        sc->stats.suppressed_allow++;
        return 0;
    }
    memset(&m, 0, sizeof(m));
    m.rule = ri;
    m.start = s0;
    m.end = s1;
    m.mstart = ov[0];
    m.severity = r->severity;
    /* test data holds fake keys more often than real ones: lower, never hide */
    if (in_test_path(blob->origin.path) && m.severity > LEAKSCAN_SEV_LOW)
        m.severity--;
    m.validated = leakscan_validate(r->validate, blob->data + s0, s1 - s0);
    if (m.validated == 0 && m.severity > LEAKSCAN_SEV_LOW)
        m.severity = LEAKSCAN_SEV_LOW;
    return push_match(sc, &m) ? LEAKSCAN_ENOMEM : 0;
}

/* All matches of one rule over the whole buffer. */
static int run_rule_range(struct leakscan_scanner *sc, size_t ri, const struct leakscan_blob *blob,
                          const struct leakscan_sink *sink, size_t from, size_t to)
{
    const struct leakscan_rule *r = sc->rs->rules[ri];
    const unsigned char *subject = (const unsigned char *)blob->data;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(sc->md);
    size_t off = from;
    int rc, last_error = 0, jit = leakscan_rule_jit(sc->rs, r);
    unsigned failures = 0;

    while (off <= to) {
        rc = match_from(sc, r->c->re, jit, subject, to, off);
        if (rc == PCRE2_ERROR_NOMATCH)
            break;
        if (rc < 0) {
            /*
             * A limit was hit from `off` on: skip to the next line and go
             * on, so one pathological line does not hide later secrets;
             * after MAX_MATCH_FAILURES the rule gives up on this blob.
             */
            const char *nl = memchr(blob->data + off, '\n', to - off);
            sc->stats.match_errors++;
            last_error = rc;
            if (++failures >= MAX_MATCH_FAILURES || !nl)
                break;
            off = (size_t)(nl - blob->data) + 1;
            continue;
        }
        /* next search starts after this match (or one byte on, if empty) */
        off = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
        if (take_match(sc, ri, blob, ov, rc))
            return LEAKSCAN_ENOMEM;
    }
    if (failures)
        match_failed(sink, blob, r, last_error, failures, failures >= MAX_MATCH_FAILURES);
    return 0;
}

static int run_rule(struct leakscan_scanner *sc, size_t ri, const struct leakscan_blob *blob,
                    const struct leakscan_sink *sink)
{
    return run_rule_range(sc, ri, blob, sink, 0, blob->len);
}

/*
 * A line-mode rule (the redactor's log rules: a sensitive key and its value
 * on one line) runs only on the lines where one of its keywords occurs, not
 * over the whole buffer: in a log, "token" or "password" occur on a few lines
 * of many, and whole-buffer matching from every quote would dominate.
 */
static int run_rule_lines(struct leakscan_scanner *sc, size_t ri, size_t apos,
                          const struct leakscan_blob *blob, const struct leakscan_sink *sink)
{
    const char *d = blob->data;
    size_t k, done = 0; /* lines before `done` were matched */
    int rc;

    for (k = sc->kfirst[apos]; k != NONE; k = sc->khits[k].next) {
        size_t at = sc->khits[k].from, ls, le;
        const char *nl;

        if (at < done)
            continue;
        for (ls = at; ls > done && d[ls - 1] != '\n'; ls--)
            ;
        nl = memchr(d + at, '\n', blob->len - at);
        le = nl ? (size_t)(nl - d) : blob->len;
        rc = run_rule_range(sc, ri, blob, sink, ls, le);
        if (rc)
            return rc;
        done = le + 1;
    }
    return 0;
}

/*
 * An anchored rule (every match starts with its anchor keyword, compile.c:
 * rule_anchor) is tried only where that keyword starts, and matched from
 * there only: in logs "://" (URLs) and "pat" (path) are on most lines, and a
 * search from each, or over the buffer, reads most of it. Hits come in
 * order; the first where the match succeeds is the leftmost match, and the
 * next try is after its end: the matches a search over the whole buffer (or
 * the line, in line mode) finds.
 */
static int run_rule_anchored(struct leakscan_scanner *sc, size_t ri, size_t apos,
                             const struct leakscan_blob *blob, const struct leakscan_sink *sink)
{
    const struct leakscan_rule *r = sc->rs->rules[ri];
    const unsigned char *subject = (const unsigned char *)blob->data;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(sc->md);
    int jit = 0, rc, last_error = 0, lines = leakscan_rule_line_mode(sc->rs, r), tried = 0;
    pcre2_code *re = leakscan_rule_anchored(sc->rs, r, &jit);
    size_t k, done = 0, prev = 0, le = 0;
    unsigned failures = 0;

    if (!re) /* not compiled (out of memory): as the rule would run unanchored */
        return lines ? run_rule_lines(sc, ri, apos, blob, sink) : run_rule(sc, ri, blob, sink);
    for (k = sc->kfirst[apos]; k != NONE; k = sc->khits[k].next) {
        size_t at = sc->khits[k].from, to = blob->len;
        /* inside the last match, or seen (the overlap of pieces of a blob over 4 GiB) */
        if (at < done || (tried && at <= prev))
            continue;
        if (lines) {
            if (!tried || at > le) {
                const char *nl = memchr(blob->data + at, '\n', blob->len - at);
                le = nl ? (size_t)(nl - blob->data) : blob->len;
            }
            to = le;
        }
        tried = 1;
        prev = at;
        rc = match_from(sc, re, jit, subject, to, at);
        if (rc == PCRE2_ERROR_NOMATCH)
            continue;
        if (rc < 0) {
            /*
             * A limit hit from here: the rest of the line is skipped, as a
             * search does; a line-mode rule has a budget per line, so it
             * never stops for the blob.
             */
            const char *nl = memchr(blob->data + at, '\n', blob->len - at);
            sc->stats.match_errors++;
            last_error = rc;
            if ((++failures >= MAX_MATCH_FAILURES && !lines) || !nl)
                break;
            done = (size_t)(nl - blob->data) + 1;
            continue;
        }
        done = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
        if (take_match(sc, ri, blob, ov, rc))
            return LEAKSCAN_ENOMEM;
    }
    if (failures)
        match_failed(sink, blob, r, last_error, failures, !lines && failures >= MAX_MATCH_FAILURES);
    return 0;
}

/*
 * A windowed rule runs only on the byte ranges around its keywords (merged
 * where they overlap), not over the whole buffer. The range is the subject
 * PCRE2 sees for its end; a lookbehind still reads the bytes before it. No
 * match is lost: a match holds a keyword and lies, with what it reads,
 * inside that keyword's window (compile.c: rule_span), and a match never
 * meets a range's end, so the end of the subject changes nothing.
 */
static int run_rule_windows(struct leakscan_scanner *sc, size_t ri, size_t apos,
                            const struct leakscan_blob *blob, const struct leakscan_sink *sink)
{
    size_t k;
    int rc;

    for (k = sc->kfirst[apos]; k != NONE; k = sc->khits[k].next) {
        rc = run_rule_range(sc, ri, blob, sink, sc->khits[k].from, sc->khits[k].to);
        if (rc)
            return rc;
    }
    return 0;
}

static int by_start(const void *a, const void *b)
{
    const struct match *x = a, *y = b;

    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end < y->end ? -1 : 1;
    return x->rule < y->rule ? -1 : x->rule > y->rule;
}

/* Drop generic matches that overlap a specific one (matches sorted by start). */
static void drop_overlaps(struct leakscan_scanner *sc)
{
    const struct leakscan_ruleset *rs = sc->rs;
    size_t i, j, spec_end = 0; /* the furthest end of the specific matches so far */

    /* one sweep: matches are sorted by start */
    for (i = 0; i < sc->nm; i++) {
        struct match *a = &sc->m[i];
        if (!rs->rules[a->rule]->generic) {
            if (a->end > spec_end)
                spec_end = a->end;
            continue;
        }
        /* a specific match that started before a and reaches into it */
        if (spec_end > a->start) {
            a->dropped = 1;
            sc->stats.suppressed_overlap++;
            continue;
        }
        /* one that starts inside a */
        for (j = i + 1; j < sc->nm && sc->m[j].start < a->end; j++) {
            if (!rs->rules[sc->m[j].rule]->generic) {
                a->dropped = 1;
                sc->stats.suppressed_overlap++;
                break;
            }
        }
    }
}

#define ALLOW_MARK "leakscan:allow"

/* 1 when the line starting at `start` holds the inline allow marker. */
static int line_allows(const char *data, size_t len, size_t start)
{
    const char *end = memchr(data + start, '\n', len - start);
    size_t n = end ? (size_t)(end - data) - start : len - start, k = sizeof(ALLOW_MARK) - 1, i;
    const char *p = data + start;

    for (i = 0; i + k <= n; i++) {
        const char *hit = memchr(p + i, 'l', n - i - k + 1);
        if (!hit)
            return 0;
        i = (size_t)(hit - p);
        if (!memcmp(hit, ALLOW_MARK, k))
            return 1;
    }
    return 0;
}

/* Newlines in p[0..n), 16 bytes at a time where SSE2 is there. */
static size_t count_newlines(const char *p, size_t n)
{
    size_t i = 0, c = 0;

#ifdef __SSE2__
    const __m128i nl = _mm_set1_epi8('\n');
    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
        c += (size_t)__builtin_popcount((unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, nl)));
    }
#endif
    for (; i < n; i++)
        c += p[i] == '\n';
    return c;
}

/* Advance a (line, line start) cursor to `off`; offsets only grow. */
static void advance(const char *data, size_t *pos, unsigned *line, size_t *line_start, size_t off)
{
    size_t n;

    if (off <= *pos)
        return;
    n = count_newlines(data + *pos, off - *pos);
    if (n) {
        size_t p = off; /* the last newline: within the line before off */
        while (data[p - 1] != '\n')
            p--;
        *line += (unsigned)n;
        *line_start = p;
    }
    *pos = off;
}

/* Every rule with a keyword hit over the blob; matches appended to sc->m. */
static int match_all(struct leakscan_scanner *sc, const struct leakscan_blob *blob,
                     const struct leakscan_sink *sink, struct leakscan_err *err)
{
    const struct leakscan_ruleset *rs = sc->rs;
    size_t i;
    int rc;

    sc->nkhits = 0;
    sc->lines_overflow = 0;
    /* per-rule state is reset where the last blob touched it: the rules it hit */
    for (i = 0; i < sc->nhits; i++) {
        size_t a = sc->hits[i];
        sc->hit[a] = 0;
        sc->kfirst[a] = sc->klast[a] = NONE;
        sc->covered[a] = 0;
        sc->whole[a] = 0;
    }
    sc->nhits = 0;
    rc = prefilter(sc, blob->data, blob->len, err);
    if (rc)
        return rc;
    /* rules scoped to file names run on those files (see compile.c; looked up per blob) */
    for (i = 0; i < sc->nscoped_here; i++) {
        size_t a = sc->scoped_here[i];
        if (!sc->hit[a]) {
            sc->hit[a] = 1;
            sc->hits[sc->nhits++] = a;
        }
    }
    for (i = 0; i < sc->nhits; i++) {
        size_t ri = rs->active[sc->hits[i]];
        const struct leakscan_rule *r = rs->rules[ri];

        if (sc->opts.only_rule && strcmp(sc->opts.only_rule, r->id))
            continue;
        /* a scoped rule has no keyword positions: it runs on the whole file */
        if (r->c->anchor && !sc->lines_overflow && !sc->opts.whole_buffer) {
            sc->stats.anchored_runs++;
            rc = run_rule_anchored(sc, ri, sc->hits[i], blob, sink);
        } else if (leakscan_rule_line_mode(rs, r) && !sc->lines_overflow && !r->npaths)
            rc = run_rule_lines(sc, ri, sc->hits[i], blob, sink);
        else if (leakscan_rule_windowed(r) && !sc->lines_overflow && !sc->whole[sc->hits[i]] &&
                 !sc->opts.whole_buffer) {
            sc->stats.window_runs++;
            rc = run_rule_windows(sc, ri, sc->hits[i], blob, sink);
        } else
            rc = run_rule(sc, ri, blob, sink);
        if (rc)
            return leakscan_err_set(err, rc, "out of memory");
    }
    return 0;
}

static int hexval(unsigned char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Mostly printable text: decoded images and compressed data are not rescanned. */
static int texty(const unsigned char *d, size_t n)
{
    size_t i, bad = 0;

    for (i = 0; i < n; i++)
        bad += d[i] < 0x09 || (d[i] > 0x0d && d[i] < 0x20) || d[i] == 0x7f;
    return n && bad * 20 < n;
}

/* Scan decoded bytes; the matches found are moved onto the encoded span [s0, s1). */
static int rescan(struct leakscan_scanner *sc, const struct leakscan_blob *blob,
                  const unsigned char *dec, size_t dlen, size_t s0, size_t s1,
                  const struct leakscan_sink *sink, struct leakscan_err *err)
{
    struct leakscan_blob sub = *blob;
    size_t first = sc->nm, k;
    int rc;

    sub.data = (const char *)dec;
    sub.len = dlen;
    rc = match_all(sc, &sub, sink, err);
    for (k = first; k < sc->nm; k++) {
        sc->m[k].start = sc->m[k].mstart = s0;
        sc->m[k].end = s1;
        sc->m[k].encoded = 1;
    }
    return rc;
}

#define DECODE_MIN 24                      /* shorter runs are rarely an encoded secret */
#define DECODE_MAX (64u * 1024u)           /* one run */
#define DECODE_BUDGET (4u * 1024u * 1024u) /* per blob */

/*
 * Decode-and-rescan, one level: base64 runs (a base64-wrapped PEM key, a
 * Kubernetes-style value) and percent-encoded runs (a token in a URL) are
 * decoded and scanned again; what is found is reported at the encoded text.
 */
/* byte classes for finding encoded runs (the scanner's table, built once in _new) */
enum { C_B64 = 1, C_UP = 2, C_LO = 4, C_DIG = 8, C_PCT = 16 };

static void build_classes(unsigned char cls[256])
{
    unsigned c;

    for (c = 0; c < 256; c++) {
        unsigned char k = 0;
        if (c >= 'A' && c <= 'Z')
            k = C_B64 | C_UP | C_PCT;
        else if (c >= 'a' && c <= 'z')
            k = C_B64 | C_LO | C_PCT;
        else if (c >= '0' && c <= '9')
            k = C_B64 | C_DIG | C_PCT;
        else if (c == '+' || c == '/')
            k = C_B64 | C_DIG | (c == '+' ? C_PCT : 0);
        else if (c == '-' || c == '_')
            k = C_B64 | C_PCT;
        else if (c == '.' || c == '~' || c == '%')
            k = C_PCT;
        cls[c] = k;
    }
}

/* Which of 64 bytes are base64 characters (bit k: p[k]); n < 64 bytes are read when short. */
static uint64_t b64_mask(const unsigned char *p, size_t n, const unsigned char *cls)
{
    uint64_t m = 0;
    size_t k;

#ifdef __SSE2__
    if (n >= 64) {
        const __m128i up = _mm_set1_epi8(0x20), a = _mm_set1_epi8((char)(0x80 - 'a'));
        const __m128i alen = _mm_set1_epi8((char)(-128 + 26));
        const __m128i d0 = _mm_set1_epi8((char)(0x80 - '0')), dlen = _mm_set1_epi8(-128 + 10);
        for (k = 0; k < 4; k++) {
            __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
            __m128i alpha = _mm_cmplt_epi8(_mm_add_epi8(_mm_or_si128(x, up), a), alen);
            __m128i digit = _mm_cmplt_epi8(_mm_add_epi8(x, d0), dlen);
            __m128i sym = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('+')),
                                                    _mm_cmpeq_epi8(x, _mm_set1_epi8('/'))),
                                       _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('-')),
                                                    _mm_cmpeq_epi8(x, _mm_set1_epi8('_'))));
            m |=
                (uint64_t)(unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(alpha, digit), sym))
                << (16 * k);
        }
        return m;
    }
#endif
    for (k = 0; k < 64 && k < n; k++)
        if (cls[p[k]] & C_B64)
            m |= (uint64_t)1 << k;
    return m;
}

/*
 * A byte inside a run of base64 characters that may be DECODE_MIN long,
 * at or after `from`, or n. Counted in 8-byte groups from `from`, a run of
 * 24 or more holds two whole groups in a row: only where two neighbouring
 * groups are all base64 is the run measured, and ordinary text (words,
 * dates, paths) is passed 64 bytes at a time.
 */
static size_t b64_candidate(const unsigned char *d, size_t n, size_t from, const unsigned char *cls)
{
    size_t b;
    unsigned prev = 0; /* the previous block's last group was whole */

    for (b = from; b < n; b += 64) {
        uint64_t m = b64_mask(d + b, n - b, cls), t;
        unsigned f, pairs;
        t = m & (m >> 1);
        t &= t >> 2;
        t &= t >> 4;
        /* bit k of f: group k is all base64 */
        f = (unsigned)(((t & 0x0101010101010101ull) * 0x0102040810204080ull) >> 56);
        if (prev && (f & 1))
            return b - 8;
        pairs = f & (f >> 1);
        if (pairs) {
            unsigned g = 0;
            while (!(pairs & 1u << g))
                g++;
            return b + 8 * g;
        }
        prev = f >> 7 & 1;
    }
    return n;
}

/* Where the run of base64 characters holding d[p] ends (64 bytes at a time: runs are long). */
static size_t b64_run_end(const unsigned char *d, size_t n, size_t p, const unsigned char *cls)
{
    uint64_t m;

    while (p < n) {
        m = ~b64_mask(d + p, n - p, cls);
        if (m)
            return p + (size_t)__builtin_ctzll(m) > n ? n : p + (size_t)__builtin_ctzll(m);
        p += 64;
    }
    return n;
}

/* Where the run of base64 characters ending at d[p] (inclusive) starts, not before `lower`. */
static size_t b64_run_start(const unsigned char *d, size_t lower, size_t p,
                            const unsigned char *cls)
{
    size_t end = p + 1, s, len;
    uint64_t z;

    while (end > lower) {
        s = end - lower >= 64 ? end - 64 : lower;
        len = end - s;
        z = ~b64_mask(d + s, len, cls);
        if (len < 64)
            z &= ((uint64_t)1 << len) - 1;
        if (z)
            return s + (size_t)(63 - __builtin_clzll(z)) + 1;
        end = s;
    }
    return lower;
}

/* The C_UP, C_LO and C_DIG classes found in d[i..j) (16 bytes at a time; stops once all are). */
static unsigned char run_classes(const unsigned char *d, size_t i, size_t j,
                                 const unsigned char *cls)
{
    const unsigned char all = C_UP | C_LO | C_DIG;
    unsigned char f = 0;

#ifdef __SSE2__
    const __m128i bias = _mm_set1_epi8((char)0x80);
    const __m128i ua = _mm_set1_epi8('A'), la = _mm_set1_epi8('a'), da = _mm_set1_epi8('0');
    const __m128i n26 = _mm_set1_epi8((char)(0x80 + 26)), n10 = _mm_set1_epi8((char)(0x80 + 10));
    for (; i + 16 <= j && f != all; i += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(d + i));
        /* (x - first) + 0x80 below n + 0x80, signed: the byte is in [first, first + n) */
        __m128i up = _mm_cmplt_epi8(_mm_add_epi8(_mm_sub_epi8(x, ua), bias), n26);
        __m128i lo = _mm_cmplt_epi8(_mm_add_epi8(_mm_sub_epi8(x, la), bias), n26);
        /* '+' and '/' count as digits, as in build_classes */
        __m128i dg = _mm_or_si128(_mm_cmplt_epi8(_mm_add_epi8(_mm_sub_epi8(x, da), bias), n10),
                                  _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('+')),
                                               _mm_cmpeq_epi8(x, _mm_set1_epi8('/'))));
        f |= (unsigned char)((_mm_movemask_epi8(up) ? C_UP : 0) |
                             (_mm_movemask_epi8(lo) ? C_LO : 0) |
                             (_mm_movemask_epi8(dg) ? C_DIG : 0));
    }
#endif
    for (; i < j && f != all; i++)
        f |= cls[d[i]] & all;
    return f;
}

static int decode_and_rescan(struct leakscan_scanner *sc, const struct leakscan_blob *blob,
                             const struct leakscan_sink *sink, struct leakscan_err *err)
{
    const unsigned char *d = (const unsigned char *)blob->data;
    const unsigned char *cls = sc->cls;
    size_t n = blob->len, i, j, k, budget = DECODE_BUDGET, dl;
    unsigned char *dec = NULL, f;
    const unsigned char *p;
    int rc = 0;

    if (sc->decoding)
        return 0;
    sc->decoding = 1;
    /* base64 runs: long, mixed case, with a digit, + or / (see b64_candidate) */
    for (k = 0, j = 0; k < n && !rc && budget;) {
        size_t probe = b64_candidate(d, n, k, cls);
        if (probe >= n)
            break;
        i = b64_run_start(d, j, probe, cls);
        j = b64_run_end(d, n, probe, cls);
        if (j - i < DECODE_MIN) {
            k = j; /* the next run starts after j */
            continue;
        }
        /*
         * Wrapped base64 (PEM bodies, `base64` output): a line break and
         * another full-looking line continue the run; whitespace is skipped
         * when decoding.
         */
        {
            size_t w = j, nx;
            while (w < n && j - i < DECODE_MAX) {
                nx = w;
                while (nx < n && d[nx] == '=')
                    nx++;
                if (nx < n && d[nx] == '\r')
                    nx++;
                if (nx >= n || d[nx] != '\n')
                    break;
                nx++;
                for (w = nx; w < n && (cls[d[w]] & C_B64); w++)
                    ;
                if (w - nx < 16 && !(w < n && d[w] == '=') &&
                    !(w == n || d[w] == '\n' || d[w] == '\r'))
                    break;
                if (w == nx)
                    break;
                j = w;
            }
        }
        k = j;
        f = run_classes(d, i, j, cls);
        while (j < n && d[j] == '=' && j - i < DECODE_MAX)
            j++; /* padding */
        if (j - i > DECODE_MAX) {
            sc->stats.decode_skipped++;
            continue;
        }
        if ((f & (C_UP | C_LO | C_DIG)) == (C_UP | C_LO | C_DIG)) {
            size_t a;
            if (!dec && !(dec = malloc(DECODE_MAX + 4))) {
                rc = leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
                break;
            }
            /*
             * The run may start with a byte or three that are not part of
             * the encoded text ("k=x<base64>"): try the alignments.
             */
            for (a = 0; a < 4 && a + DECODE_MIN <= j - i; a++) {
                size_t got = leakscan_base64_decode(dec, (const char *)d + i + a, j - i - a, 1);
                if (got == (size_t)-1 || got < 16 || !texty(dec, got))
                    continue;
                budget = budget > got ? budget - got : 0;
                rc = rescan(sc, blob, dec, got, i + a, j, sink, err);
                break;
            }
        }
    }
    if (!budget)
        sc->stats.decode_skipped++;
    /* percent-encoded runs: around each %XX, at least two of them */
    for (i = 0; i < n && !rc && budget && (p = memchr(d + i, '%', n - i)) != NULL;) {
        size_t at = (size_t)(p - d), start = at, pct = 0;
        while (start > 0 && (cls[d[start - 1]] & C_PCT) && d[start - 1] != '%' && at - start < 256)
            start--;
        for (j = start; j < n && j - start < DECODE_MAX && (cls[d[j]] & C_PCT); j++) {
            if (d[j] == '%') {
                if (j + 2 >= n || hexval(d[j + 1]) < 0 || hexval(d[j + 2]) < 0)
                    break;
                pct++;
                j += 2;
            }
        }
        if (pct >= 2 && j - start >= DECODE_MIN) {
            if (!dec && !(dec = malloc(DECODE_MAX + 4))) {
                rc = leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
                break;
            }
            for (k = start, dl = 0; k < j; k++) {
                if (d[k] == '%') {
                    dec[dl++] = (unsigned char)(hexval(d[k + 1]) << 4 | hexval(d[k + 2]));
                    k += 2;
                } else {
                    dec[dl++] = d[k];
                }
            }
            if (dl >= 16 && texty(dec, dl)) {
                budget = budget > dl ? budget - dl : 0;
                rc = rescan(sc, blob, dec, dl, start, j, sink, err);
            }
        }
        i = j > at ? j : at + 1;
    }
    free(dec);
    sc->decoding = 0;
    return rc;
}

int leakscan_scanner_scan(struct leakscan_scanner *sc, const struct leakscan_blob *blob,
                          const struct leakscan_sink *sink, struct leakscan_err *err)
{
    const struct leakscan_ruleset *rs = sc->rs;
    size_t i, pos = 0, line_start = 0;
    unsigned line = 1;
    char preview[128];
    size_t allow_at = (size_t)-1; /* the line whose allow marker was looked up */
    int rc = 0, allow_here = 0;

    sc->nm = 0;
    if (!blob->len)
        return 0;
    sc->nscoped_here = 0;
    for (i = 0; blob->origin.path && i < rs->nscoped; i++)
        if (path_matches(rs->rules[rs->active[rs->scoped[i]]], blob->origin.path))
            sc->scoped_here[sc->nscoped_here++] = rs->scoped[i];
    rc = match_all(sc, blob, sink, err);
    if (!rc)
        rc = decode_and_rescan(sc, blob, sink, err);
    if (rc)
        return rc;
    if (!sc->nm)
        return 0;
    qsort(sc->m, sc->nm, sizeof(*sc->m), by_start);
    drop_overlaps(sc);
    for (i = 0; i < sc->nm; i++) {
        const struct match *m = &sc->m[i];
        const struct leakscan_rule *r = rs->rules[m->rule];
        struct leakscan_finding f;
        size_t last = m->end - 1;
        size_t p2, ls2;
        unsigned l2;

        if (m->dropped)
            continue;
        memset(&f, 0, sizeof(f));
        f.rule_id = r->id;
        f.category = "secret";
        f.severity = m->severity;
        f.message = r->name;
        f.origin = blob->origin;
        f.offset = m->start;
        f.end_offset = m->end;
        f.match_offset = m->mstart;
        f.validated = m->validated;
        /* positions: not for the redactor, which needs the span only (below) */
        if (!sc->opts.spans_only)
            advance(blob->data, &pos, &line, &line_start, m->start);
        f.line = line;
        f.column = (unsigned)(m->start - line_start + 1);
        p2 = pos;
        l2 = line;
        ls2 = line_start;
        if (!sc->opts.spans_only)
            advance(blob->data, &p2, &l2, &ls2, last);
        f.end_line = l2;
        f.end_column = (unsigned)(last - ls2 + 1);
        /* `leakscan:allow` on the secret's first or last line */
        if (sc->opts.spans_only) {
            /* the redactor needs the span and the rule, nothing else */
            f.secret = blob->data + m->start;
            f.secret_len = m->end - m->start;
            rc = sink->finding(sink->payload, &f);
            if (rc)
                return rc;
            continue;
        }
        /* looked up once per line: a minified file can hold thousands of matches on one */
        if (line_start != allow_at) {
            allow_at = line_start;
            allow_here = line_allows(blob->data, blob->len, line_start);
        }
        if (allow_here || (ls2 != line_start && line_allows(blob->data, blob->len, ls2))) {
            sc->stats.suppressed_inline++;
            continue;
        }
        if (leakscan_fingerprint(f.fingerprint, r->id, blob->data + m->start, m->end - m->start))
            return leakscan_err_set(err, LEAKSCAN_ERROR, "cannot hash a finding");
        if (sc->opts.show_secrets) {
            f.secret = blob->data + m->start;
            f.secret_len = m->end - m->start;
        } else {
            f.secret_len = leakscan_preview(preview, sizeof(preview), blob->data + m->start,
                                            m->end - m->start);
            f.secret = preview;
        }
        rc = sink->finding(sink->payload, &f);
        if (rc)
            return rc;
    }
    return 0;
}

int leakscan_scanner_scan_path(struct leakscan_scanner *sc, const struct leakscan_origin *origin,
                               const struct leakscan_sink *sink, struct leakscan_err *err)
{
    const struct leakscan_ruleset *rs = sc->rs;
    size_t i;
    int rc;

    for (i = 0; origin->path && i < rs->npath_rules; i++) {
        const struct leakscan_rule *r = rs->rules[rs->path_rules[i]];
        struct leakscan_finding f;

        if (sc->opts.only_rule && strcmp(sc->opts.only_rule, r->id))
            continue;
        if (!path_matches(r, origin->path))
            continue;
        memset(&f, 0, sizeof(f));
        f.rule_id = r->id;
        f.category = "secret";
        f.severity = r->severity;
        f.message = r->name;
        f.origin = *origin;
        f.line = f.column = f.end_line = f.end_column = 1;
        f.validated = -1;
        /* the file is the secret: its path is what the fingerprint follows */
        if (leakscan_fingerprint(f.fingerprint, r->id, origin->path, strlen(origin->path)))
            return leakscan_err_set(err, LEAKSCAN_ERROR, "cannot hash a finding");
        rc = sink->finding(sink->payload, &f);
        if (rc)
            return rc;
    }
    return 0;
}
