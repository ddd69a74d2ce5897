/*
 * fuzz_redact.c - the redactor on arbitrary bytes in arbitrary chunks: the
 * output with no rule that could match is the input, byte for byte; with the
 * full ruleset, fed in two different chunkings, the outputs are identical
 * (read boundaries do not matter).
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "leakscan/buf.h"
#include "leakscan/redact.h"

#include "fuzz_rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int collect(void *p, const char *d, size_t n)
{
    return leakscan_buf_add(p, d, n) ? -1 : 0;
}

static void run(const uint8_t *data, size_t size, size_t step, unsigned threads,
                struct leakscan_buf *out)
{
    struct leakscan_redact_opts o = {NULL, 0, 40000, threads};
    struct leakscan_redactor *r = NULL;
    struct leakscan_err err;
    size_t pos = 0, n;

    leakscan_err_init(&err);
    if (leakscan_redactor_new(&r, fuzz_builtin_rules(1), &o, &err))
        abort();
    while (pos < size) {
        n = size - pos < step ? size - pos : step;
        if (leakscan_redactor_feed(r, (const char *)data + pos, n, collect, out, &err))
            abort();
        pos += n;
    }
    if (leakscan_redactor_finish(r, collect, out, &err))
        abort();
    leakscan_redactor_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct leakscan_buf a, b;
    size_t step = size ? 1 + data[0] % 97 : 1;

    leakscan_buf_init(&a);
    leakscan_buf_init(&b);
    /* whole on one thread, then in pieces, on two worker threads for odd first bytes */
    run(data, size, size ? size : 1, 0, &a);
    run(data, size, step, size && data[0] & 1 ? 2 : 0, &b);
    if (a.len != b.len || (a.len && memcmp(a.data, b.data, a.len)))
        __builtin_trap();
    /* nothing masked: not one byte changed */
    if (!memchr(a.data ? a.data : "", '[', a.len) &&
        (a.len != size || (size && memcmp(a.data, data, size))))
        __builtin_trap();
    leakscan_buf_release(&a);
    leakscan_buf_release(&b);
    return 0;
}
