/*
 * fuzz_lint.c - the manifest linters on arbitrary bytes: the same bytes as a
 * Kubernetes manifest (YAML), an IAM policy (JSON) and a .env file, then the
 * checks across files (RBAC bindings). Findings or notes, never a crash.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "leakscan/lint.h"
#include "leakscan/scanner.h"

#include "fuzz_rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int check(void *p, const struct leakscan_finding *f)
{
    (void)p;
    if (!f->rule_id || !f->message || f->line == 0)
        __builtin_trap();
    return 0;
}

static void note(void *p, const struct leakscan_origin *o, const char *msg)
{
    (void)p;
    (void)o;
    if (!msg || strchr(msg, '\n'))
        __builtin_trap(); /* one line */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const paths[] = {"deploy/app.yaml", "iam/policy.json", "svc/.env"};
    struct leakscan_lint_opts lo = {0};
    struct leakscan_sink sink = {check, note, NULL};
    static struct leakscan_scanner *sc; /* one per process, as a scanning thread has */
    struct leakscan_lint *l = NULL;
    struct leakscan_scan_opts so;
    struct leakscan_err err;
    size_t i;

    leakscan_err_init(&err);
    memset(&so, 0, sizeof(so));
    if ((!sc && leakscan_scanner_new(&sc, fuzz_builtin_rules(0), &so, &err)) ||
        leakscan_lint_new(&l, &lo, &err))
        abort();
    for (i = 0; i < sizeof(paths) / sizeof(*paths); i++) {
        struct leakscan_blob blob;
        memset(&blob, 0, sizeof(blob));
        blob.origin.path = paths[i];
        blob.data = (const char *)data;
        blob.len = size;
        leakscan_lint_blob(l, sc, &blob, &sink, &err);
    }
    leakscan_lint_finish(l, &sink, &err);
    leakscan_lint_free(l);
    return 0;
}
