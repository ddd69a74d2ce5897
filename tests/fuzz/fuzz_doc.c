/*
 * fuzz_doc.c - the YAML/JSON document parser on arbitrary bytes: a tree or a
 * clear error, never a crash, never unbounded work (node and depth budgets).
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include "leakscan/doc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct leakscan_doc_limits lim = {20000, 64};
    struct leakscan_doc *doc = NULL;
    struct leakscan_err err;

    leakscan_err_init(&err);
    if (leakscan_doc_parse(&doc, "fuzz.yaml", (const char *)data, size, &lim, &err) == 0)
        leakscan_doc_free(doc);
    else if (!err.msg[0])
        __builtin_trap(); /* an error always says what it is */
    return 0;
}
