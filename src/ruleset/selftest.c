/*
 * selftest.c - every rule against its own examples (`leakscan rules test`).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "leakscan/report.h"
#include "leakscan/scanner.h"
#include "ruleset_int.h"

struct collect {
    const char *rule_id;
    struct leakscan_findings found; /* findings of rule_id only */
    struct leakscan_findings any;   /* every finding, for context */
};

static int on_finding(void *payload, const struct leakscan_finding *f)
{
    struct collect *c = payload;

    if (!strcmp(f->rule_id, c->rule_id) && leakscan_findings_push(&c->found, f))
        return LEAKSCAN_ENOMEM;
    return leakscan_findings_push(&c->any, f);
}

static void on_diag(void *payload, const struct leakscan_origin *o, const char *msg)
{
    (void)payload;
    (void)o;
    fprintf(stderr, "leakscan: rules test: %s\n", msg);
}

static void show_text(FILE *fp, const struct leakscan_example *ex)
{
    fputs("    text: ", fp);
    leakscan_write_escaped(fp, ex->text, ex->len);
    fputc('\n', fp);
}

static int run_example(struct leakscan_scanner *sc, const struct leakscan_rule *r,
                       const struct leakscan_example *ex, struct collect *c,
                       struct leakscan_err *err)
{
    struct leakscan_sink sink = {on_finding, on_diag, c};
    struct leakscan_blob blob;

    memset(&blob, 0, sizeof(blob));
    blob.origin.path = ex->path ? ex->path : "example.txt";
    blob.data = ex->text;
    blob.len = ex->len;
    leakscan_findings_release(&c->found);
    leakscan_findings_release(&c->any);
    c->rule_id = r->id;
    if (r->path_only)
        return leakscan_scanner_scan_path(sc, &blob.origin, &sink, err);
    return leakscan_scanner_scan(sc, &blob, &sink, err);
}

static void fail_head(FILE *fp, const struct leakscan_rule *r, const char *what, size_t k,
                      const struct leakscan_example *ex)
{
    fprintf(fp, "FAIL %s (%s:%u): %s %zu (line %u)\n", r->id, r->file, r->line, what, k + 1,
            ex->line);
}

int leakscan_ruleset_selftest(const struct leakscan_ruleset *rs, FILE *fp,
                              struct leakscan_selftest_stats *st, struct leakscan_err *err)
{
    struct leakscan_scan_opts opts = {1, NULL, 0, 0};
    struct leakscan_scanner *sc = NULL;
    struct collect c;
    size_t i, k, j;
    int rc;

    memset(st, 0, sizeof(*st));
    memset(&c, 0, sizeof(c));
    rc = leakscan_scanner_new(&sc, rs, &opts, err);
    if (rc)
        return rc;
    /* the content rules, then the `match: path` ones */
    for (i = 0; i < rs->nactive + rs->npath_rules; i++) {
        const struct leakscan_rule *r =
            rs->rules[i < rs->nactive ? rs->active[i] : rs->path_rules[i - rs->nactive]];

        st->rules++;
        if (!r->nexamples || !r->nnegatives) {
            st->failures++;
            fprintf(fp, "FAIL %s (%s:%u): needs at least one example and one negative example\n",
                    r->id, r->file, r->line);
        }
        for (k = 0; k < r->nexamples; k++) {
            const struct leakscan_example *ex = &r->examples[k];
            const struct leakscan_finding *hit = NULL;

            st->examples++;
            if ((rc = run_example(sc, r, ex, &c, err)))
                goto out;
            for (j = 0; j < c.found.n && !hit; j++) {
                const struct leakscan_finding *f = &c.found.v[j];
                if (!ex->secret || !f->secret ||
                    (f->secret_len == strlen(ex->secret) &&
                     !memcmp(f->secret, ex->secret, f->secret_len)))
                    hit = f;
            }
            if (!hit) {
                st->failures++;
                fail_head(fp, r, "example", k, ex);
                show_text(fp, ex);
                if (ex->secret)
                    fprintf(fp, "    expected secret: %s\n", ex->secret);
                if (!c.found.n)
                    fputs("    found: nothing for this rule\n", fp);
                for (j = 0; j < c.found.n; j++) {
                    fputs("    found secret: ", fp);
                    /* NOLINTNEXTLINE(clang-analyzer-core.NullDereference): found.n > 0, v set */
                    leakscan_write_escaped(fp, c.found.v[j].secret, c.found.v[j].secret_len);
                    fputc('\n', fp);
                }
                for (j = 0; j < c.any.n; j++)
                    if (strcmp(c.any.v[j].rule_id, r->id))
                        fprintf(fp, "    (rule %s matched here)\n", c.any.v[j].rule_id);
                continue;
            }
            if (ex->validated >= 0 && hit->validated != ex->validated) {
                st->failures++;
                fail_head(fp, r, "example", k, ex);
                show_text(fp, ex);
                fprintf(fp, "    expected validated: %s, found: %s\n",
                        ex->validated ? "true" : "false", hit->validated ? "true" : "false");
            }
        }
        for (k = 0; k < r->nnegatives; k++) {
            const struct leakscan_example *ex = &r->negatives[k];

            st->negatives++;
            if ((rc = run_example(sc, r, ex, &c, err)))
                goto out;
            if (c.found.n) {
                st->failures++;
                fail_head(fp, r, "negative example", k, ex);
                show_text(fp, ex);
                for (j = 0; j < c.found.n; j++) {
                    fprintf(fp, "    matched at %u:%u: ", c.found.v[j].line, c.found.v[j].column);
                    leakscan_write_escaped(fp, c.found.v[j].secret, c.found.v[j].secret_len);
                    fputc('\n', fp);
                }
            }
        }
    }
out:
    leakscan_findings_release(&c.found);
    leakscan_findings_release(&c.any);
    leakscan_scanner_free(sc);
    return rc;
}
