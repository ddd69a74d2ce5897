/*
 * fuzz_rules.c - the rule file loader and compiler on arbitrary bytes; when a
 * file loads, its rules are also run over the input itself.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include "leakscan/ruleset.h"
#include "leakscan/scanner.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int drop(void *p, const struct leakscan_finding *f)
{
    (void)p;
    (void)f;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct leakscan_ruleset *rs = NULL;
    struct leakscan_scanner *sc = NULL;
    struct leakscan_sink sink = {drop, NULL, NULL};
    struct leakscan_blob blob = {{0}, (const char *)data, size};
    struct leakscan_err err;

    leakscan_err_init(&err);
    if (leakscan_ruleset_new(&rs, &err))
        return 0;
    if (leakscan_ruleset_load_yaml(rs, "fuzz.yaml", (const char *)data, size, 0, &err) == 0 &&
        leakscan_ruleset_compile(rs, &err) == 0 && leakscan_scanner_new(&sc, rs, NULL, &err) == 0)
        leakscan_scanner_scan(sc, &blob, &sink, &err);
    leakscan_scanner_free(sc);
    leakscan_ruleset_free(rs);
    return 0;
}
