/*
 * test_redact.c - the redactor passes every byte that is not a secret
 * through unchanged and in order, whatever the chunking of its input.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "leakscan/buf.h"
#include "leakscan/redact.h"

#define MASK "[REDACTED:anthropic-api-key]"

static uint64_t rng = 42;

static unsigned next(void)
{
    /* xorshift64*: reproducible across platforms */
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return (unsigned)((rng * 2685821657736338717ull) >> 33);
}

static struct leakscan_ruleset *ruleset(void)
{
    struct leakscan_ruleset *rs = NULL;
    struct leakscan_err err;

    leakscan_err_init(&err);
    assert_int_equal(leakscan_ruleset_new(&rs, &err), 0);
    assert_int_equal(leakscan_ruleset_load_builtin(rs, &err), 0);
    leakscan_ruleset_set_redact(rs, 1);
    assert_int_equal(leakscan_ruleset_compile(rs, &err), 0);
    return rs;
}

static int collect(void *payload, const char *data, size_t len)
{
    return leakscan_buf_add(payload, data, len) ? -1 : 0;
}

/* Noise that cannot form any rule's keyword, with CRLF, LF, NUL and invalid UTF-8. */
static void noise(struct leakscan_buf *in, size_t n)
{
    static const char alpha[] = "abcd0123 .,;:!\t";
    size_t i;

    for (i = 0; i < n; i++) {
        unsigned r = next() % 100;
        char c = r < 3    ? '\n'
                 : r < 5  ? '\r'
                 : r == 5 ? '\0'
                 : r == 6 ? (char)0xff
                          : alpha[next() % (sizeof(alpha) - 1)];
        assert_int_equal(leakscan_buf_add(in, &c, 1), 0);
    }
}

static void plant(struct leakscan_buf *in, struct leakscan_buf *want)
{
    static const char body[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    char key[13 + 93 + 2 + 1];
    size_t i;

    memcpy(key, "sk-ant-api03-", 13);
    for (i = 0; i < 93; i++)
        key[13 + i] = body[next() % 64];
    memcpy(key + 106, "AA", 3);
    /* separated from the noise so the boundaries are clean */
    assert_int_equal(leakscan_buf_add(in, " ", 1), 0);
    assert_int_equal(leakscan_buf_add(in, key, 108), 0);
    assert_int_equal(leakscan_buf_add(in, " ", 1), 0);
    assert_int_equal(leakscan_buf_add(want, " ", 1), 0);
    assert_int_equal(leakscan_buf_puts(want, MASK), 0);
    assert_int_equal(leakscan_buf_add(want, " ", 1), 0);
}

/* rounds run on workers, over the whole test program */
static size_t parallel_rounds;

static void run(struct leakscan_ruleset *rs, const struct leakscan_buf *in,
                struct leakscan_buf *out, size_t window, size_t maxchunk, unsigned threads)
{
    size_t par, re;
    struct leakscan_redact_opts o = {NULL, 0, window, threads};
    struct leakscan_redactor *r = NULL;
    struct leakscan_err err;
    size_t pos = 0, n;

    leakscan_err_init(&err);
    assert_int_equal(leakscan_redactor_new(&r, rs, &o, &err), 0);
    while (pos < in->len) {
        n = 1 + next() % maxchunk;
        if (n > in->len - pos)
            n = in->len - pos;
        assert_int_equal(leakscan_redactor_feed(r, in->data + pos, n, collect, out, &err), 0);
        pos += n;
    }
    assert_int_equal(leakscan_redactor_finish(r, collect, out, &err), 0);
    leakscan_redactor_rounds(r, &par, &re);
    parallel_rounds += par;
    (void)re;
    leakscan_redactor_free(r);
}

static void test_redact__random_chunks_property(void **state)
{
    struct leakscan_ruleset *rs = ruleset();
    int round;

    (void)state;
    for (round = 0; round < 40; round++) {
        struct leakscan_buf in, want, out;
        int k, secrets = 1 + (int)(next() % 20);
        /* chunks of 1 byte to 64 KiB; a small window forces long-line cuts too */
        size_t maxchunk = round % 4 == 0 ? 1 : round % 4 == 1 ? 7 : 65536;
        size_t window = round % 2 ? 0 : 40000;

        leakscan_buf_init(&in);
        leakscan_buf_init(&want);
        leakscan_buf_init(&out);
        for (k = 0; k < secrets; k++) {
            size_t before = in.len;
            /* sometimes a line longer than the window, without any newline */
            if (k == 3 && round % 5 == 0) {
                size_t i;
                for (i = 0; i < 90000; i++)
                    assert_int_equal(leakscan_buf_add(&in, "a", 1), 0);
            } else {
                noise(&in, next() % (round % 4 < 2 ? 300 : 20000));
            }
            assert_int_equal(leakscan_buf_add(&want, in.data + before, in.len - before), 0);
            plant(&in, &want);
        }
        {
            size_t before = in.len;
            noise(&in, next() % 100); /* maybe no newline at the end */
            assert_int_equal(leakscan_buf_add(&want, in.data + before, in.len - before), 0);
        }
        /* with 0, 2 or 3 worker threads: the same output */
        run(rs, &in, &out, window, maxchunk, (unsigned)(round % 3 ? round % 3 + 1 : 0));
        if (out.len != want.len || memcmp(out.data, want.data, want.len)) {
            size_t i = 0;
            while (i < out.len && i < want.len && out.data[i] == want.data[i])
                i++;
            fail_msg("round %d: output differs at byte %zu (got %zu bytes, want %zu)", round, i,
                     out.len, want.len);
        }
        leakscan_buf_release(&in);
        leakscan_buf_release(&want);
        leakscan_buf_release(&out);
    }
    /* the threaded rounds ran */
    assert_true(parallel_rounds > 20);
    leakscan_ruleset_free(rs);
}

/*
 * A key whose context is on the line before it (deepseek ... sk-...): when
 * a round's planned cut falls between the two, the scan moves the cut back
 * and the rounds started after it on other threads are redone. The output
 * is the one-thread output, and every key is masked.
 */
static void test_redact__threads_redo_rounds_when_the_cut_moves(void **state)
{
    struct leakscan_ruleset *rs = ruleset();
    struct leakscan_buf in, out[2];
    size_t *ends = NULL, nends = 0, k, t;
    int i;

    (void)state;
    leakscan_buf_init(&in);
    for (i = 0; i < 300; i++) {
        char line[96];
        unsigned h;
        noise(&in, 200 + next() % 3000);
        assert_int_equal(leakscan_buf_puts(&in, "\ndeepseek settings follow\n  api_key: sk-"), 0);
        for (h = 0; h < 32; h++)
            line[h] = "0123456789abcdef"[next() % 16];
        assert_int_equal(leakscan_buf_add(&in, line, 32), 0);
        ends = realloc(ends, (nends + 1) * sizeof(*ends));
        assert_non_null(ends);
        ends[nends++] = in.len; /* just after the key, before its newline */
        assert_int_equal(leakscan_buf_puts(&in, "\n"), 0);
    }
    for (t = 0; t < 2; t++) {
        struct leakscan_redact_opts o = {NULL, 0, 64 * 1024, t ? 2u : 0u};
        struct leakscan_redactor *r = NULL;
        struct leakscan_err err;
        size_t pos = 0, par = 0, re = 0;

        leakscan_err_init(&err);
        leakscan_buf_init(&out[t]);
        assert_int_equal(leakscan_redactor_new(&r, rs, &o, &err), 0);
        /* pieces that end right after a key: the last newline is the context line's */
        for (k = 0; k < nends; k += 1 + next() % 4) {
            assert_int_equal(
                leakscan_redactor_feed(r, in.data + pos, ends[k] - pos, collect, &out[t], &err), 0);
            pos = ends[k];
        }
        assert_int_equal(
            leakscan_redactor_feed(r, in.data + pos, in.len - pos, collect, &out[t], &err), 0);
        assert_int_equal(leakscan_redactor_finish(r, collect, &out[t], &err), 0);
        leakscan_redactor_rounds(r, &par, &re);
        if (t) {
            assert_true(par > 10);
            assert_true(re > 0);
        }
        assert_int_equal(leakscan_redactor_total(r), 300);
        leakscan_redactor_free(r);
    }
    assert_int_equal(out[0].len, out[1].len);
    assert_memory_equal(out[0].data, out[1].data, out[0].len);
    leakscan_buf_release(&in);
    leakscan_buf_release(&out[0]);
    leakscan_buf_release(&out[1]);
    free(ends);
    leakscan_ruleset_free(rs);
}

static void test_redact__pem_block_whole(void **state)
{
    const char *pem = "-----BEGIN RSA PRIVATE KEY-----\n"
                      "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n"
                      "VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\n"
                      "LxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW/VDL5AaWTg0nLVkjRo\n"
                      "-----END RSA PRIVATE KEY-----\n";
    struct leakscan_ruleset *rs = ruleset();
    struct leakscan_buf in, out;

    (void)state;
    leakscan_buf_init(&in);
    leakscan_buf_init(&out);
    assert_int_equal(leakscan_buf_puts(&in, "log line before\n"), 0);
    assert_int_equal(leakscan_buf_puts(&in, pem), 0);
    assert_int_equal(leakscan_buf_puts(&in, "after\r\n"), 0);
    run(rs, &in, &out, 0, 5, 0); /* fed 1 to 5 bytes at a time */
    assert_non_null(strstr(out.data, "log line before\n[REDACTED:"));
    assert_null(strstr(out.data, "MIIEow"));
    assert_null(strstr(out.data, "Lxo"));
    assert_non_null(strstr(out.data, "]\nafter\r\n"));
    leakscan_buf_release(&in);
    leakscan_buf_release(&out);
    leakscan_ruleset_free(rs);
}

static void test_redact__known_values_and_encodings(void **state)
{
    struct leakscan_ruleset *rs = NULL;
    struct leakscan_err err;
    struct leakscan_buf in, out;
    const char *v = "hunter2-correct-horse";

    (void)state;
    leakscan_err_init(&err);
    assert_int_equal(leakscan_ruleset_new(&rs, &err), 0);
    assert_int_equal(leakscan_redact_add_value(rs, v, strlen(v), &err), 0);
    assert_int_equal(leakscan_redact_add_value(rs, "abc", 3, &err), LEAKSCAN_EUSAGE);
    leakscan_ruleset_set_redact(rs, 1);
    assert_int_equal(leakscan_ruleset_compile(rs, &err), 0);
    leakscan_buf_init(&in);
    leakscan_buf_init(&out);
    /* raw, base64 at offsets 0 and 1 (inside a longer blob), URL-encoded */
    assert_int_equal(
        leakscan_buf_puts(&in, "raw=hunter2-correct-horse b64=aHVudGVyMi1jb3JyZWN0LWhvcnNl "
                               "b64x=eGh1bnRlcjItY29ycmVjdC1ob3JzZQ== url=hunter2-correct-horse\n"),
        0);
    run(rs, &in, &out, 0, 65536, 2);
    assert_null(strstr(out.data, "hunter2"));
    assert_null(strstr(out.data, "aHVudGVyMi1jb3JyZWN0"));
    assert_null(strstr(out.data, "bnRlcjItY29ycmVjdC1ob3"));
    assert_non_null(strstr(out.data, "raw=[REDACTED:known-value] b64=[REDACTED:known-value] "));
    leakscan_buf_release(&in);
    leakscan_buf_release(&out);
    leakscan_ruleset_free(rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_redact__random_chunks_property),
        cmocka_unit_test(test_redact__threads_redo_rounds_when_the_cut_moves),
        cmocka_unit_test(test_redact__pem_block_whole),
        cmocka_unit_test(test_redact__known_values_and_encodings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
