/*
 * cmd_scan.c - `leakscan [PATH...]`: the working-tree scan.
 *
 * source (worktree) -> run (threads, scanner) -> sorted findings ->
 * reporter; every item that was not scanned is counted, and errors are named
 * on stderr whatever the format.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "leakscan/run.h"
#include "leakscan/worktree.h"

static const char *skip_reason(int state)
{
    switch (state) {
    case LEAKSCAN_ITEM_SKIP_BINARY:
        return "binary";
    case LEAKSCAN_ITEM_SKIP_SIZE:
        return "over --max-file-size";
    case LEAKSCAN_ITEM_SKIP_SPECIAL:
        return "not a regular file";
    case LEAKSCAN_ITEM_SKIP_SYMLINK:
        return "symlink, not followed";
    default:
        return "skipped";
    }
}

static void human_bytes(char *out, size_t n, size_t bytes)
{
    if (bytes < 1000)
        snprintf(out, n, "%zu B", bytes);
    else if (bytes < 1000000)
        snprintf(out, n, "%.1f KB", (double)bytes / 1e3);
    else if (bytes < 1000000000)
        snprintf(out, n, "%.1f MB", (double)bytes / 1e6);
    else
        snprintf(out, n, "%.2f GB", (double)bytes / 1e9);
}

/* stderr: one line per problem (always) and per skipped file (--verbose). */
static void print_items(const struct leakscan_source *src, const struct leakscan_run *run,
                        const struct cli_opts *o)
{
    size_t i;

    for (i = 0; i < run->nitems; i++) {
        const struct leakscan_item_result *it = &run->items[i];
        const char *path = src->item_path(src->payload, i);

        if (it->state == LEAKSCAN_ITEM_ERROR) {
            fputs("leakscan: ", stderr);
            leakscan_write_escaped(stderr, path, strlen(path));
            fprintf(stderr, ": %s\n", it->msg ? it->msg : "cannot read");
        } else if (it->state == LEAKSCAN_ITEM_SCANNED && it->msg) {
            fputs("leakscan: warning: ", stderr);
            leakscan_write_escaped(stderr, path, strlen(path));
            fprintf(stderr, ": %s\n", it->msg);
        } else if (o->verbose && it->state != LEAKSCAN_ITEM_SCANNED &&
                   it->state != LEAKSCAN_ITEM_SKIP_GONE) {
            fputs("leakscan: skipped (", stderr);
            fputs(skip_reason(it->state), stderr);
            fputs("): ", stderr);
            leakscan_write_escaped(stderr, path, strlen(path));
            fputc('\n', stderr);
        }
    }
}

static void print_summary(const struct leakscan_run *run, size_t reported, const size_t *bysev)
{
    const struct leakscan_run_stats *s = &run->stats;
    char bytes[32];
    int first = 1, sev;

    human_bytes(bytes, sizeof(bytes), s->bytes);
    fprintf(stderr, "leakscan: %zu finding%s", reported, reported == 1 ? "" : "s");
    if (reported) {
        fputs(" (", stderr);
        for (sev = LEAKSCAN_SEV_CRITICAL; sev >= LEAKSCAN_SEV_INFO; sev--) {
            if (!bysev[sev])
                continue;
            fprintf(stderr, "%s%zu %s", first ? "" : ", ", bysev[sev],
                    leakscan_severity_name((enum leakscan_severity)sev));
            first = 0;
        }
        fputc(')', stderr);
    }
    fprintf(stderr, " in %zu file%s (%s), %.0f ms", s->files, s->files == 1 ? "" : "s", bytes,
            s->duration_ms);
    if (s->skipped_binary || s->skipped_size || s->skipped_other)
        fprintf(stderr, "; skipped %zu binary, %zu too large, %zu other", s->skipped_binary,
                s->skipped_size, s->skipped_other);
    if (s->errors)
        fprintf(stderr, "; %zu unreadable", s->errors);
    fputc('\n', stderr);
}

static int use_color(const struct cli_opts *o)
{
    const char *nc = getenv("NO_COLOR");

    if (o->color >= 0)
        return o->color;
    if (o->output || o->format != LEAKSCAN_FORMAT_TEXT)
        return 0;
    if (nc && *nc)
        return 0;
    return isatty(STDOUT_FILENO);
}

int cmd_scan(struct cli_opts *o)
{
    static const char *const here[] = {"."};
    const char *const *roots = o->nargs ? o->args : here;
    size_t nroots = o->nargs ? o->nargs : 1, i, nprob = 0, reported = 0;
    size_t bysev[LEAKSCAN_SEV_CRITICAL + 1] = {0};
    struct leakscan_ruleset *rs = NULL;
    struct leakscan_source *src = NULL;
    struct leakscan_reporter *rep = NULL;
    struct leakscan_problem *probs = NULL;
    struct leakscan_run run;
    struct leakscan_run_opts ro;
    struct leakscan_report_opts po;
    struct leakscan_report_end end;
    struct leakscan_err err;
    FILE *out = stdout;
    int rc, ex = EXIT_CLEAN, failing = 0;

    memset(&run, 0, sizeof(run));
    leakscan_err_init(&err);
    if ((ex = cli_load_rules(&rs, o)) != 0)
        return ex;
    rc = leakscan_worktree_open(&src, roots, nroots, &err);
    if (rc) {
        cli_error("%s", err.msg);
        ex = rc == LEAKSCAN_ENOTFOUND || rc == LEAKSCAN_EUSAGE ? EXIT_USAGE : EXIT_RUNTIME;
        goto out;
    }
    memset(&ro, 0, sizeof(ro));
    ro.jobs = o->jobs;
    ro.max_file_size = o->max_file_size;
    ro.scan.show_secrets = o->show_secrets;
    rc = leakscan_run_scan(&run, src, rs, &ro, &err);
    if (rc) {
        cli_error("%s", err.msg);
        ex = EXIT_RUNTIME;
        goto out;
    }
    print_items(src, &run, o);

    if (o->output) {
        out = fopen(o->output, "w");
        if (!out) {
            cli_error("%s: cannot open for writing: %s", o->output, strerror(errno));
            out = stdout;
            ex = EXIT_RUNTIME;
            goto out;
        }
    }
    memset(&po, 0, sizeof(po));
    po.format = o->format;
    po.color = use_color(o);
    po.mode = "worktree";
    po.version = LEAKSCAN_VERSION;
    if ((rc = leakscan_reporter_new(&rep, out, &po, &err)) ||
        (rc = leakscan_reporter_begin(rep, &err)))
        goto report_error;
    for (i = 0; i < run.findings.n; i++) {
        const struct leakscan_finding *f = &run.findings.v[i];
        if ((rc = leakscan_reporter_finding(rep, f, &err)))
            goto report_error;
        reported++;
        bysev[f->severity]++;
        if (!o->fail_never && f->severity >= o->fail_on)
            failing = 1;
    }
    probs = calloc(run.stats.errors ? run.stats.errors : 1, sizeof(*probs));
    if (!probs) {
        rc = leakscan_err_set(&err, LEAKSCAN_ENOMEM, "out of memory");
        goto report_error;
    }
    for (i = 0; i < run.nitems; i++) {
        if (run.items[i].state != LEAKSCAN_ITEM_ERROR)
            continue;
        probs[nprob].path = src->item_path(src->payload, i);
        probs[nprob].message = run.items[i].msg ? run.items[i].msg : "cannot read";
        nprob++;
    }
    memset(&end, 0, sizeof(end));
    end.stats = &run.stats;
    end.findings = reported;
    end.problems = probs;
    end.nproblems = nprob;
    if ((rc = leakscan_reporter_end(rep, &end, &err)))
        goto report_error;
    if (out != stdout) {
        int bad = fclose(out) != 0;
        out = stdout;
        if (bad) {
            rc = leakscan_err_set(&err, LEAKSCAN_EIO, "%s: write error: %s", o->output,
                                  strerror(errno));
            goto report_error;
        }
    }
    if (!o->quiet)
        print_summary(&run, reported, bysev);
    if (run.stats.errors)
        ex = EXIT_RUNTIME; /* an incomplete scan is never a clean one */
    else
        ex = failing ? EXIT_FINDINGS : EXIT_CLEAN;
    goto out;

report_error:
    cli_error("%s", err.msg);
    ex = EXIT_RUNTIME;
out:
    if (out != stdout)
        fclose(out);
    free(probs);
    leakscan_reporter_free(rep);
    leakscan_run_release(&run);
    leakscan_source_free(src);
    leakscan_ruleset_free(rs);
    return ex;
}
