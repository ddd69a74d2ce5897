/*
 * lint.h - checks that are not secret patterns: .env hygiene, Kubernetes
 * manifests (and, later, IAM policies). They emit the same finding type as
 * the scanner (category "dotenv", "kubernetes", "iam"; a stable check id in
 * rule_id; the object in `object`; no secret) and go through the same
 * filters and reporters.
 *
 * Lifecycle: leakscan_lint_new(); leakscan_lint_blob() from any thread for
 * every text blob of a working-tree scan; leakscan_lint_finish() once, after
 * every blob, for checks across files (RBAC bindings against the roles of the
 * whole scan); leakscan_lint_free().
 */
#ifndef LEAKSCAN_LINT_H
#define LEAKSCAN_LINT_H

#include <stddef.h>

#include "errors.h"
#include "finding.h"
#include "scanner.h"
#include "severity.h"
#include "source.h"

/* A check that lints can report, for `leakscan rules list --lints` and the README. */
struct leakscan_check {
    const char *id;                  /* stable: "k8s-rbac-wildcard-verbs" */
    const char *category;            /* "dotenv", "kubernetes", "iam" */
    enum leakscan_severity severity; /* default severity */
    const char *summary;             /* one line */
};

/* The i-th check of all lints (0, 1, ...), NULL past the last. */
const struct leakscan_check *leakscan_lint_check_at(size_t i);
/* The check with this id, or NULL. */
const struct leakscan_check *leakscan_lint_check(const char *id);

/*
 * What a path is to the .env lint: 0 not a .env file; 1 a .env file (`.env`,
 * `.env.*`, `*.env`); 2 a documented template expected to be committed
 * (`.env.example`, `.env.sample`, `.env.template`, `.env.dist`, `*.example`
 * of a .env name).
 */
int leakscan_dotenv_kind(const char *path);

struct leakscan_lint_opts {
    int no_annotations; /* ignore `leakscan.io/allow` annotations (CI: no self-exemption) */
};

struct leakscan_lint_stats {
    size_t manifests;  /* Kubernetes objects checked */
    size_t suppressed; /* findings suppressed by a leakscan.io/allow annotation */
    size_t unparsed;   /* YAML/JSON files that did not parse (templates...) */
};

struct leakscan_lint;

int leakscan_lint_new(struct leakscan_lint **out, const struct leakscan_lint_opts *opts,
                      struct leakscan_err *err);
void leakscan_lint_free(struct leakscan_lint *l);

/*
 * Lint one blob (any thread; `sc` is the calling thread's scanner, used to
 * run the secret rules over decoded values). Findings go to sink->finding;
 * notes (a file that does not parse) go to sink->diag, prefixed "note: " when
 * they are worth showing only with --verbose (templates), else a warning.
 */
int leakscan_lint_blob(struct leakscan_lint *l, struct leakscan_scanner *sc,
                       const struct leakscan_blob *blob, const struct leakscan_sink *sink,
                       struct leakscan_err *err);

/* After every blob, one thread: checks across files. */
int leakscan_lint_finish(struct leakscan_lint *l, const struct leakscan_sink *sink,
                         struct leakscan_err *err);

/* Counters so far (after finish: final). */
struct leakscan_lint_stats leakscan_lint_stats(const struct leakscan_lint *l);

/* Item results of a finished run, as run.h defines them. */
struct leakscan_item_result;

/*
 * .env hygiene over the items of a finished scan (working tree, staged or
 * history): what git says of each .env file (source `item_flags`) and
 * whether the scan found a secret in it (`found`). Returns 0 or a sink error.
 */
int leakscan_dotenv_check(const struct leakscan_source *src,
                          const struct leakscan_item_result *items,
                          const struct leakscan_findings *found, const struct leakscan_sink *sink);

/*
 * Emit a lint finding: fills category, check id, severity (the check's
 * default unless `severity` >= 0), message, object and position, and a
 * fingerprint over (check id, path, object, detail) so baselines work for
 * lints too. `detail` distinguishes several findings of one check on one
 * object (e.g. the rule index); may be NULL.
 */
int leakscan_lint_emit(const struct leakscan_sink *sink, const struct leakscan_origin *origin,
                       const char *check_id, int severity, const char *message, const char *object,
                       unsigned line, unsigned column, const char *detail);

#endif
