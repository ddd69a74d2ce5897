/*
 * iam.h - the IAM policy lint (private to src/lint/): AWS policy documents
 * (also inside CloudFormation templates), GCP IAM policies, Azure role
 * definitions, in YAML or JSON files. Deny-aware. Per file; no state across
 * files.
 */
#ifndef LEAKSCAN_LINT_IAM_H
#define LEAKSCAN_LINT_IAM_H

#include "leakscan/lint.h"

/*
 * Lint one file already parsed as a YAML/JSON document tree. Returns 0 (bad
 * documents get a diag, never an error return), or LEAKSCAN_ENOMEM / a sink
 * error. Thread-safe: called from several threads at once.
 */
struct leakscan_doc;
int iam_lint_doc(const struct leakscan_lint_opts *o, const struct leakscan_doc *doc,
                 const struct leakscan_blob *blob, const struct leakscan_sink *sink,
                 struct leakscan_lint_stats *stats, struct leakscan_err *err);

/* The checks of this lint (id == NULL ends the list). */
extern const struct leakscan_check iam_checks[];

#endif
