/*
 * iam.c - the IAM policy lint. (Stub: being written.)
 */
#include "config.h"

#include <stddef.h>

#include "iam.h"

const struct leakscan_check iam_checks[] = {{NULL, NULL, LEAKSCAN_SEV_INFO, NULL}};

int iam_lint_doc(const struct leakscan_lint_opts *o, const struct leakscan_doc *doc,
                 const struct leakscan_blob *blob, const struct leakscan_sink *sink,
                 struct leakscan_lint_stats *stats, struct leakscan_err *err)
{
    (void)o, (void)doc, (void)blob, (void)sink, (void)stats, (void)err;
    return 0;
}
