/*
 * k8s.h - the Kubernetes manifest lint (private to src/lint/).
 *
 * k8s_lint_file() parses one YAML/JSON file (multi-document, `kind: List`
 * items) with leakscan_doc_parse (positions from libyaml marks) and checks
 * every object with apiVersion and kind: Secret objects, ConfigMaps, env
 * literals, RBAC rules, pod security of Pods and workload templates. Roles
 * and bindings are also recorded in the shared state (thread-safe) so that
 * k8s_lint_finish() can resolve every binding against the roles of the
 * whole scan.
 */
#ifndef LEAKSCAN_LINT_K8S_H
#define LEAKSCAN_LINT_K8S_H

#include "leakscan/lint.h"

struct k8s_state;

int k8s_state_new(struct k8s_state **out);
void k8s_state_free(struct k8s_state *s);

/*
 * Returns 0 (also for files that are not manifests or do not parse: those
 * get a diag and count in stats->unparsed), or LEAKSCAN_ENOMEM / a sink error.
 */
int k8s_lint_file(struct k8s_state *s, const struct leakscan_lint_opts *o,
                  struct leakscan_scanner *sc, const struct leakscan_blob *blob,
                  const struct leakscan_sink *sink, struct leakscan_lint_stats *stats,
                  struct leakscan_err *err);

int k8s_lint_finish(struct k8s_state *s, const struct leakscan_lint_opts *o,
                    const struct leakscan_sink *sink, struct leakscan_lint_stats *stats,
                    struct leakscan_err *err);

/* The checks of this lint (id == NULL ends the list). */
extern const struct leakscan_check k8s_checks[];

#endif
