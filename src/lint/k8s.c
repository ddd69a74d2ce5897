/*
 * k8s.c - the Kubernetes manifest lint. (Stub: being written.)
 */
#include "config.h"

#include <stdlib.h>

#include "k8s.h"

const struct leakscan_check k8s_checks[] = {{NULL, NULL, LEAKSCAN_SEV_INFO, NULL}};

struct k8s_state {
    int unused;
};

int k8s_state_new(struct k8s_state **out)
{
    *out = calloc(1, sizeof(**out));
    return *out ? 0 : LEAKSCAN_ENOMEM;
}

void k8s_state_free(struct k8s_state *s)
{
    free(s);
}

int k8s_lint_file(struct k8s_state *s, const struct leakscan_lint_opts *o,
                  struct leakscan_scanner *sc, const struct leakscan_blob *blob,
                  const struct leakscan_sink *sink, struct leakscan_lint_stats *stats,
                  struct leakscan_err *err)
{
    (void)s, (void)o, (void)sc, (void)blob, (void)sink, (void)stats, (void)err;
    return 0;
}

int k8s_lint_finish(struct k8s_state *s, const struct leakscan_lint_opts *o,
                    const struct leakscan_sink *sink, struct leakscan_lint_stats *stats,
                    struct leakscan_err *err)
{
    (void)s, (void)o, (void)sink, (void)stats, (void)err;
    return 0;
}
