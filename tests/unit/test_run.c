/*
 * test_run.c - the run driver handing findings on as items finish (emit
 * mode): item order whatever the jobs, nothing kept, the sink's error stops
 * the run.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "leakscan/run.h"

#define NITEMS 400

static const char rules_yaml[] = "rules:\n"
                                 "  - id: qzx\n"
                                 "    name: QZX token\n"
                                 "    severity: high\n"
                                 "    keywords: [QZX]\n"
                                 "    pattern: '\\b(QZX[0-9A-Z]{16})\\b'\n"
                                 "    examples: ['QZX7K2M9P4R8T1W6Y3B']\n"
                                 "    negative_examples: ['QZX0123']\n";

struct fake {
    char paths[NITEMS][16];
    atomic_int loaded; /* items other than 1 loaded */
    int hold;          /* item 1 (one finding) waits until every other item is loaded */
};

/* a token that differs per item and line, random-looking enough for any entropy check */
static void token(char out[20], unsigned i, unsigned line)
{
    static const char al[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    uint32_t x = (i + 1) * 2654435761u ^ (line + 7) * 40503u;
    int k;

    memcpy(out, "QZX", 3);
    for (k = 3; k < 19; k++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        out[k] = al[x % 36];
    }
    out[19] = '\0';
}

static int f_load(void *payload, void *tctx, size_t i, size_t max_size, struct leakscan_buf *buf,
                  struct leakscan_blob *blob, int *state, size_t *size, struct leakscan_err *err)
{
    struct fake *f = payload;
    unsigned line, n = (unsigned)(i % 3); /* 0, 1 or 2 findings */
    char tok[20], text[64];

    (void)tctx, (void)max_size, (void)state, (void)err;
    if (i == 1 && f->hold) {
        /* finish last: every later item must wait for this one */
        struct timespec ts = {0, 1000000};
        int waited = 0;
        while (atomic_load(&f->loaded) < NITEMS - 1 && waited++ < 5000)
            nanosleep(&ts, NULL);
    }
    leakscan_buf_clear(buf);
    for (line = 0; line < 3; line++) {
        token(tok, (unsigned)i, line);
        snprintf(text, sizeof(text), "%s %s\n", line < n ? "key" : "nothing", line < n ? tok : "");
        if (leakscan_buf_add(buf, text, strlen(text)))
            return LEAKSCAN_ENOMEM;
    }
    memset(blob, 0, sizeof(*blob));
    blob->origin.path = f->paths[i];
    blob->data = buf->data;
    blob->len = buf->len;
    *size = buf->len;
    if (i != 1)
        atomic_fetch_add(&f->loaded, 1);
    return 0;
}

static const char *f_path(void *payload, size_t i)
{
    return ((struct fake *)payload)->paths[i];
}

struct seen {
    char items[NITEMS * 3][32]; /* "path:line" in the order received */
    size_t n, fail_at;          /* fail_at: return LEAKSCAN_EIO on this call (1-based) */
};

static int record(void *payload, const struct leakscan_finding *f)
{
    struct seen *s = payload;

    if (s->n >= NITEMS * 3)
        return LEAKSCAN_EIO;
    snprintf(s->items[s->n++], sizeof(s->items[0]), "%s:%u", f->origin.path, f->line);
    return s->fail_at && s->n == s->fail_at ? LEAKSCAN_EIO : 0;
}

static struct leakscan_ruleset *rules(void)
{
    struct leakscan_ruleset *rs = NULL;
    struct leakscan_err err;

    leakscan_err_init(&err);
    assert_int_equal(leakscan_ruleset_new(&rs, &err), 0);
    assert_int_equal(
        leakscan_ruleset_load_yaml(rs, "t.yaml", rules_yaml, strlen(rules_yaml), 0, &err), 0);
    assert_int_equal(leakscan_ruleset_compile(rs, &err), 0);
    return rs;
}

static int run(struct seen *s, const struct leakscan_ruleset *rs, unsigned jobs, int hold)
{
    static struct fake f;
    struct leakscan_source src;
    struct leakscan_sink sink = {record, NULL, s};
    struct leakscan_run_opts ro;
    struct leakscan_run r;
    struct leakscan_err err;
    size_t i;
    int rc;

    memset(&f, 0, sizeof(f));
    for (i = 0; i < NITEMS; i++)
        snprintf(f.paths[i], sizeof(f.paths[i]), "f%04zu", i);
    atomic_init(&f.loaded, 0);
    f.hold = hold;
    memset(&src, 0, sizeof(src));
    src.count = NITEMS;
    src.payload = &f;
    src.load = f_load;
    src.item_path = f_path;
    memset(&ro, 0, sizeof(ro));
    ro.jobs = jobs;
    ro.emit = &sink;
    leakscan_err_init(&err);
    rc = leakscan_run_scan(&r, &src, rs, &ro, &err);
    /* nothing is kept: every finding went to the sink */
    assert_int_equal(r.findings.n, 0);
    if (!rc)
        assert_int_equal(r.stats.files, NITEMS);
    leakscan_run_release(&r);
    return rc;
}

static void test_emit_in_item_order(void **state)
{
    struct leakscan_ruleset *rs = rules();
    struct seen *one = calloc(1, sizeof(*one)), *two = calloc(1, sizeof(*two));
    struct seen *four = calloc(1, sizeof(*four));
    size_t i, want = 0;

    (void)state;
    assert_non_null(one), assert_non_null(two), assert_non_null(four);
    for (i = 0; i < NITEMS; i++)
        want += i % 3;
    assert_int_equal(run(one, rs, 1, 0), 0);
    assert_int_equal(one->n, want);
    /* sorted by item (path), then line */
    for (i = 1; i < one->n; i++)
        assert_true(strcmp(one->items[i - 1], one->items[i]) < 0);
    /* item 1 finishes last, so items 2..399 wait in the ring (it grows past 64) */
    assert_int_equal(run(two, rs, 2, 1), 0);
    assert_int_equal(run(four, rs, 4, 1), 0);
    assert_int_equal(two->n, want);
    assert_int_equal(four->n, want);
    for (i = 0; i < want; i++) {
        assert_string_equal(one->items[i], two->items[i]);
        assert_string_equal(one->items[i], four->items[i]);
    }
    free(one), free(two), free(four);
    leakscan_ruleset_free(rs);
}

static void test_emit_error_stops(void **state)
{
    struct leakscan_ruleset *rs = rules();
    struct seen *s = calloc(1, sizeof(*s));
    unsigned jobs;

    (void)state;
    assert_non_null(s);
    for (jobs = 1; jobs <= 3; jobs++) {
        memset(s, 0, sizeof(*s));
        s->fail_at = 5;
        assert_int_equal(run(s, rs, jobs, jobs > 1), LEAKSCAN_EIO);
        /* no finding after the one the sink refused */
        assert_int_equal(s->n, 5);
    }
    free(s);
    leakscan_ruleset_free(rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_emit_in_item_order),
                                       cmocka_unit_test(test_emit_error_stops)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
