/*
 * fuzz_scan.c - the whole built-in ruleset over arbitrary bytes: findings lie
 * inside the buffer, positions are consistent, nothing crashes or hangs.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "leakscan/scanner.h"

#include "fuzz_rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int check(void *p, const struct leakscan_finding *f)
{
    size_t size = *(const size_t *)p;

    if (f->end_offset > size || f->offset >= f->end_offset || f->line == 0 || f->end_line < f->line)
        __builtin_trap();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct leakscan_scanner *sc; /* one per process, as a scanning thread has */
    struct leakscan_sink sink = {check, NULL, &size};
    struct leakscan_blob blob = {
        {"fuzz/input.env", NULL, NULL, NULL, NULL, 0, NULL}, (const char *)data, size};
    struct leakscan_err err;

    leakscan_err_init(&err);
    if (!sc && leakscan_scanner_new(&sc, fuzz_builtin_rules(0), NULL, &err))
        abort();
    leakscan_scanner_scan(sc, &blob, &sink, &err);
    return 0;
}
