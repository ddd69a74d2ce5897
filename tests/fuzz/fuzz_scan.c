/*
 * fuzz_scan.c - the whole built-in ruleset over arbitrary bytes: findings lie
 * inside the buffer, positions are consistent, nothing crashes or hangs.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "leakscan/ruleset.h"
#include "leakscan/scanner.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct leakscan_ruleset *rules(void)
{
    static struct leakscan_ruleset *rs; /* fuzzing harness: built once per process */
    struct leakscan_err err;

    if (!rs) {
        leakscan_err_init(&err);
        if (leakscan_ruleset_new(&rs, &err) || leakscan_ruleset_load_builtin(rs, &err) ||
            leakscan_ruleset_compile(rs, &err))
            abort();
    }
    return rs;
}

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
    if (!sc && leakscan_scanner_new(&sc, rules(), NULL, &err))
        abort();
    leakscan_scanner_scan(sc, &blob, &sink, &err);
    return 0;
}
