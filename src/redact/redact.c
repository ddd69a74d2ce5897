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
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "leakscan/buf.h"
#include "leakscan/redact.h"
#include "leakscan/scanner.h"

#define DEFAULT_WINDOW (1024u * 1024u)
/* a forced cut (no newline in the window) keeps this much for the next round */
#define OVERLAP (16u * 1024u)
/* a private key block is held until its END line, up to this size (keys are < 16 KiB) */
#define PEM_HOLD (64u * 1024u)

struct span {
    size_t start, end;
    size_t mstart;       /* where the whole match starts: its context must stay together */
    const char *rule_id; /* borrowed from the ruleset */
};

struct rule_count {
    const char *rule_id;
    size_t count;
};

struct leakscan_redactor {
    struct leakscan_scanner *sc;
    struct leakscan_redact_opts opts;
    size_t window;
    struct leakscan_buf pending; /* input not written yet */
    size_t last_nl;              /* pending[0..last_nl) ends with a newline; 0: none */
    struct leakscan_buf out;     /* output of one round */
    struct leakscan_buf view;    /* pending with escape codes blanked, when it has any */
    struct span *spans;
    size_t nspans, scap;
    struct rule_count *counts;
    size_t ncounts;
    size_t total;
};

int leakscan_redactor_new(struct leakscan_redactor **out, const struct leakscan_ruleset *rs,
                          const struct leakscan_redact_opts *opts, struct leakscan_err *err)
{
    struct leakscan_scan_opts so;
    struct leakscan_redactor *r = calloc(1, sizeof(*r));
    int rc;

    *out = NULL;
    if (!r)
        return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
    if (opts)
        r->opts = *opts;
    r->window = r->opts.window ? r->opts.window : DEFAULT_WINDOW;
    if (r->window < 2 * OVERLAP)
        r->window = 2 * OVERLAP;
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
    leakscan_buf_init(&r->view);
    *out = r;
    return 0;
}

void leakscan_redactor_free(struct leakscan_redactor *r)
{
    if (!r)
        return;
    leakscan_scanner_free(r->sc);
    leakscan_buf_release(&r->pending);
    leakscan_buf_release(&r->out);
    leakscan_buf_release(&r->view);
    free(r->spans);
    free(r->counts);
    free(r);
}

static int on_span(void *payload, const struct leakscan_finding *f)
{
    struct leakscan_redactor *r = payload;

    if (r->nspans == r->scap) {
        size_t cap = r->scap ? r->scap * 2 : 64;
        struct span *p = realloc(r->spans, cap * sizeof(*p));
        if (!p)
            return LEAKSCAN_ENOMEM;
        r->spans = p;
        r->scap = cap;
    }
    r->spans[r->nspans].start = f->offset;
    r->spans[r->nspans].mstart = f->match_offset;
    r->spans[r->nspans].end = f->end_offset;
    r->spans[r->nspans].rule_id = f->rule_id;
    r->nspans++;
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

/*
 * The last `needle` (it starts with five dashes) in s[from..to), or
 * (size_t)-1. One byte in five is looked at: every five dashes in a row
 * hold one of them. Logs are full of single dashes (dates, ids), which a
 * memchr() for '-' would stop at.
 */
static size_t rfind(const char *s, size_t from, size_t to, const char *needle)
{
    size_t n = strlen(needle), last = (size_t)-1, i, p;

    for (i = from + 4; i < to; i += 5) {
        if (s[i] != '-')
            continue;
        for (p = i - 4; p <= i && p + n <= to; p++)
            if (s[p] == '-' && !memcmp(s + p, needle, n))
                last = p;
    }
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
    size_t n = r->pending.len, cut, begin, line;

    if (final)
        return n;
    cut = r->last_nl; /* after the last newline: whole lines only */
    /*
     * A PEM block not closed yet: hold it, from its BEGIN line, until its END
     * line is complete (an END line still arriving does not close it).
     */
    begin = rfind(d, 0, cut, "-----BEGIN ");
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
 * What the rules look at: the pending bytes, with terminal escape sequences
 * (CSI: ESC [ ... final byte) turned into spaces of the same length. A
 * highlighted value (ESC[1m KEY ESC[0m) then has word boundaries around it
 * as it has on screen; offsets do not move, and the output keeps the codes.
 */
static const char *scan_view(struct leakscan_redactor *r)
{
    const char *d = r->pending.data;
    size_t n = r->pending.len, i, j;
    char *v;

    if (!n || !memchr(d, 0x1b, n))
        return d ? d : "";
    leakscan_buf_clear(&r->view);
    if (leakscan_buf_add(&r->view, d, n))
        return NULL;
    v = r->view.data;
    for (i = 0; i + 1 < n; i++) {
        if (v[i] != 0x1b || v[i + 1] != '[')
            continue;
        for (j = i + 2; j < n && (unsigned char)v[j] >= 0x20 && (unsigned char)v[j] <= 0x3f; j++)
            ;
        if (j < n && (unsigned char)v[j] >= 0x40 && (unsigned char)v[j] <= 0x7e) {
            memset(v + i, ' ', j - i + 1);
            i = j;
        }
    }
    return v;
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

static int round_(struct leakscan_redactor *r, int final, leakscan_write_fn w, void *payload,
                  struct leakscan_err *err)
{
    struct leakscan_sink sink = {on_span, NULL, r};
    struct leakscan_blob blob;
    size_t cut, pos, i, end;
    int rc;

    for (;;) {
        cut = choose_cut(r, final);
        if (!cut)
            return 0;
        memset(&blob, 0, sizeof(blob));
        blob.data = scan_view(r);
        if (!blob.data)
            return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
        blob.len = r->pending.len;
        r->nspans = 0;
        rc = leakscan_scanner_scan(r->sc, &blob, &sink, err);
        if (rc)
            return rc == LEAKSCAN_ENOMEM ? leakscan_err_set(err, rc, "out of memory") : rc;
        if (r->nspans > 1)
            qsort(r->spans, r->nspans, sizeof(*r->spans), by_start);
        if (!final) {
            /* a match whose context is before the cut and secret after it: keep it whole */
            for (i = 0; i < r->nspans; i++)
                if (r->spans[i].mstart < cut && r->spans[i].start >= cut)
                    cut = r->spans[i].mstart;
            if (!cut)
                return 0;
        }
        /* a secret across the cut is complete in the buffer: cut after it */
        for (i = 0; i < r->nspans; i++)
            if (r->spans[i].start < cut && r->spans[i].end > cut)
                cut = r->spans[i].end;
        leakscan_buf_clear(&r->out);
        pos = 0;
        for (i = 0; i < r->nspans && r->spans[i].start < cut; i++) {
            const struct span *s = &r->spans[i];
            if (s->end <= pos)
                continue; /* inside a span already masked */
            if (s->start > pos && leakscan_buf_add(&r->out, r->pending.data + pos, s->start - pos))
                return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
            /* overlapping spans are masked as one: the union, named by the first */
            end = s->end;
            while (i + 1 < r->nspans && r->spans[i + 1].start < end) {
                if (r->spans[i + 1].end > end)
                    end = r->spans[i + 1].end;
                i++;
            }
            if (put_mask(r, r->pending.data + (s->start > pos ? s->start : pos),
                         end - (s->start > pos ? s->start : pos), s->rule_id) ||
                count_rule(r, s->rule_id))
                return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
            pos = end;
        }
        if (pos < cut && leakscan_buf_add(&r->out, r->pending.data + pos, cut - pos))
            return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
        if (pos > cut)
            cut = pos;
        if (r->out.len && w(payload, r->out.data, r->out.len) != 0)
            return leakscan_err_set(err, LEAKSCAN_EIO, "write error");
        memmove(r->pending.data, r->pending.data + cut, r->pending.len - cut);
        r->pending.len -= cut;
        r->last_nl = r->last_nl > cut ? r->last_nl - cut : 0;
        if (final && !r->pending.len)
            return 0;
        if (!final)
            return 0;
    }
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
            rc = round_(r, 0, w, payload, err);
            if (rc)
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
    }
    return round_(r, 0, w, payload, err);
}

int leakscan_redactor_finish(struct leakscan_redactor *r, leakscan_write_fn w, void *payload,
                             struct leakscan_err *err)
{
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

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* base64 of the value placed at byte offset `shift` (0..2) of an encoded stream,
   keeping only the characters that depend on the value alone */
static char *b64_stable(const unsigned char *v, size_t len, unsigned shift, size_t *outlen)
{
    size_t total = len + shift, n = 0, i, first, last;
    unsigned char *in = calloc(total + 3, 1);
    char *enc = malloc((total + 2) / 3 * 4 + 4), *res;

    if (!in || !enc) {
        free(in);
        free(enc);
        return NULL;
    }
    memcpy(in + shift, v, len);
    for (i = 0; i < total; i += 3) {
        unsigned x = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8 | in[i + 2];
        size_t rest = total - i, k;
        /*
         * A last group of 1 or 2 bytes: its first 1 or 2 characters depend on
         * the value alone, whatever follows it in the stream.
         */
        size_t chars = rest >= 3 ? 4 : rest;
        for (k = 0; k < chars; k++)
            enc[n++] = b64[x >> (18 - 6 * k) & 63];
    }
    /* chars touching the shifted-in bytes, and a trailing partial group, vary with context */
    first = shift == 0 ? 0 : shift == 1 ? 2 : 3;
    last = n;
    free(in);
    if (last <= first) {
        free(enc);
        return NULL;
    }
    res = malloc(last - first + 1);
    if (res) {
        memcpy(res, enc + first, last - first);
        res[last - first] = '\0';
        *outlen = last - first;
    }
    free(enc);
    return res;
}

/*
 * The value percent-encoded as different encoders write it: `keep` are the
 * bytes left as they are (RFC 3986 unreserved; encodeURIComponent also keeps
 * !'()*), `lower` hex digits in lower case, `plus` a space as '+' (forms).
 */
static char *url_encode(const char *v, size_t len, const char *keep, int lower, int plus,
                        size_t *outlen)
{
    const char *hex = lower ? "0123456789abcdef" : "0123456789ABCDEF";
    char *o = malloc(len * 3 + 1);
    size_t i, n = 0;

    if (!o)
        return NULL;
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)v[i];
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            (c && strchr(keep, c))) {
            o[n++] = (char)c;
        } else if (c == ' ' && plus) {
            o[n++] = '+';
        } else {
            o[n++] = '%';
            o[n++] = hex[c >> 4];
            o[n++] = hex[c & 15];
        }
    }
    o[n] = '\0';
    *outlen = n;
    return o;
}

int leakscan_redact_add_value(struct leakscan_ruleset *rs, const char *value, size_t len,
                              struct leakscan_err *err)
{
    unsigned shift;
    size_t n;
    char *enc;
    int rc;

    if (len < 4)
        return leakscan_err_set(
            err, LEAKSCAN_EUSAGE,
            "a known value of %zu byte(s) would mask ordinary text (4 at least)", len);
    rc = leakscan_ruleset_add_literal(rs, "known-value", "known secret value", value, len, err);
    for (shift = 0; !rc && shift < 3; shift++) {
        enc = b64_stable((const unsigned char *)value, len, shift, &n);
        if (enc && n >= 8)
            rc = leakscan_ruleset_add_literal(rs, "known-value-base64",
                                              "known secret value, base64-encoded", enc, n, err);
        free(enc);
    }
    {
        /* RFC 3986, encodeURIComponent, lower-case hex, and form encoding */
        static const struct {
            const char *keep;
            int lower, plus;
        } forms[] = {{"-_.~", 0, 0}, {"-_.~!'()*", 0, 0}, {"-_.~", 1, 0}, {"-_.*", 0, 1}};
        char *seen[4] = {NULL, NULL, NULL, NULL};
        size_t f, k, lens[4] = {0, 0, 0, 0};
        for (f = 0; !rc && f < 4; f++) {
            int dup = 0;
            if (!(enc = url_encode(value, len, forms[f].keep, forms[f].lower, forms[f].plus, &n)))
                break;
            dup = n == len && !memcmp(enc, value, len);
            for (k = 0; k < f && !dup; k++)
                dup = seen[k] && lens[k] == n && !memcmp(seen[k], enc, n);
            if (!dup)
                rc = leakscan_ruleset_add_literal(rs, "known-value-url",
                                                  "known secret value, URL-encoded", enc, n, err);
            seen[f] = enc;
            lens[f] = n;
        }
        for (f = 0; f < 4; f++)
            free(seen[f]);
    }
    return rc;
}
