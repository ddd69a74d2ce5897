/*
 * cmd_scan.c - `leakscan [PATH...]`, `--history`, `--staged`.
 *
 * source (worktree | history | staged) -> run (threads, scanner) ->
 * findings (history: one per rule, secret and path, earliest commit) ->
 * baseline filter -> reporter. Every item that was not scanned is counted,
 * and problems are named on stderr whatever the format.
 */
#include "config.h"

#include <pthread.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "leakscan/baseline.h"
#include "leakscan/history.h"
#include "leakscan/lint.h"
#include "leakscan/oidset.h"
#include "leakscan/run.h"
#include "leakscan/secret.h"
#include "leakscan/staged.h"
#include "leakscan/worktree.h"

static const char *const mode_names[] = {"worktree", "history", "staged", "lint"};

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
    case LEAKSCAN_ITEM_EXCLUDED:
        return "excluded by config paths";
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

static void say_path(const char *lead, const char *path, const char *msg)
{
    size_t pl = strlen(path);

    fputs(lead, stderr);
    /* a message that already starts with "path:line:col" (a parser's) names it itself */
    if (msg && !strncmp(msg, path, pl) && msg[pl] == ':') {
        leakscan_write_escaped(stderr, msg, strlen(msg));
        fputc('\n', stderr);
        return;
    }
    leakscan_write_escaped(stderr, path, pl);
    if (msg) {
        fputs(": ", stderr);
        leakscan_write_escaped(stderr, msg, strlen(msg));
    }
    fputc('\n', stderr);
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
            say_path("leakscan: ", path, it->msg ? it->msg : "cannot read");
        } else if (it->state == LEAKSCAN_ITEM_MISSING) {
            fputs(o->ignore_missing ? "leakscan: warning: " : "leakscan: ", stderr);
            leakscan_write_escaped(stderr, it->msg ? it->msg : "missing object",
                                   strlen(it->msg ? it->msg : "missing object"));
            fputc('\n', stderr);
        } else if (it->state == LEAKSCAN_ITEM_SCANNED && it->incomplete) {
            say_path("leakscan: ", path, it->msg);
        } else if (it->state == LEAKSCAN_ITEM_SCANNED && it->msg) {
            /* lint notes: a template that does not parse is only worth --verbose */
            if (o->verbose || strncmp(it->msg, "note: ", 6))
                say_path("leakscan: warning: ", path, it->msg);
        } else if (o->verbose && it->state != LEAKSCAN_ITEM_SCANNED &&
                   it->state != LEAKSCAN_ITEM_SKIP_GONE && it->state != LEAKSCAN_ITEM_IGNORED) {
            char lead[80];
            snprintf(lead, sizeof(lead), "leakscan: skipped (%s): ", skip_reason(it->state));
            say_path(lead, path, NULL);
        }
    }
}

static void print_summary(const struct leakscan_run *run, size_t reported, const size_t *bysev,
                          size_t baselined, enum cli_mode mode)
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
    fprintf(stderr, " in %zu %s%s (%s), %.0f ms", s->files,
            mode == MODE_HISTORY ? "object" : "file", s->files == 1 ? "" : "s", bytes,
            s->duration_ms);
    if (baselined)
        fprintf(stderr, "; %zu in the baseline", baselined);
    if (s->skipped_binary || s->skipped_size || s->skipped_other)
        fprintf(stderr, "; skipped %zu binary, %zu too large, %zu other", s->skipped_binary,
                s->skipped_size, s->skipped_other);
    if (s->excluded)
        fprintf(stderr, "; %zu excluded by config", s->excluded);
    if (s->errors)
        fprintf(stderr, "; %zu unreadable", s->errors);
    if (s->incomplete)
        fprintf(stderr, "; %zu not fully checked (match limit)", s->incomplete);
    if (s->missing)
        fprintf(stderr, "; %zu missing object%s", s->missing, s->missing == 1 ? "" : "s");
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

static void progress(void *payload, size_t done, size_t total, size_t bytes, double ms)
{
    (void)payload;
    fprintf(stderr, "\rleakscan: %zu/%zu scanned, %.1f MB, %.0f MB/s   ", done, total,
            (double)bytes / 1e6, ms > 0 ? (double)bytes / 1e3 / ms : 0.0);
    if (done == total)
        fputc('\n', stderr);
}

static int push_finding(void *payload, const struct leakscan_finding *f)
{
    return leakscan_findings_push(payload, f);
}

static int show_progress(const struct cli_opts *o)
{
    /* by default not under findings streamed to the same terminal */
    int streaming_here =
        (o->stream || o->format == LEAKSCAN_FORMAT_JSONL) && !o->output && isatty(STDOUT_FILENO);

    return o->progress == 1 || (o->progress < 0 && o->mode == MODE_HISTORY && !o->quiet &&
                                isatty(STDERR_FILENO) && !streaming_here);
}

static int open_source(struct leakscan_source **src, const struct cli_opts *o,
                       struct leakscan_err *err)
{
    static const char *const here[] = {"."};
    const char *const *roots = o->nargs ? o->args : here;
    size_t nroots = o->nargs ? o->nargs : 1;
    int rc;

    if (o->mode == MODE_HISTORY) {
        struct leakscan_history_opts ho = {o->since_commit, o->log_range, o->branch};
        struct leakscan_history_info info;

        rc = leakscan_history_open(src, roots[0], &ho, &info, err);
        if (!rc && info.shallow && !o->quiet)
            fprintf(stderr,
                    "leakscan: %s is a shallow clone: scanning the %zu commit(s) it has; older "
                    "history is not in it (%zu parent(s) beyond its boundary)\n",
                    roots[0], info.commits, info.shallow_boundary);
        if (!rc && show_progress(o))
            fprintf(stderr,
                    "leakscan: %zu commits; their blobs are scanned as the walk finds them\n",
                    info.commits);
        return rc;
    }
    if (o->mode == MODE_STAGED)
        return leakscan_staged_open(src, roots[0], err);
    return leakscan_worktree_open(src, roots, nroots, err);
}

/* Where every finding goes: filters (lint mode, history dedup, baseline), then the reporter. */
struct reporting {
    const struct cli_opts *o;
    struct leakscan_reporter *rep;
    struct leakscan_baseline *bl;
    enum leakscan_severity fail_on;
    int fail_never, failing;
    size_t reported, baselined;
    size_t bysev[LEAKSCAN_SEV_CRITICAL + 1];
    /* streaming: */
    int stream;
    int dedup;                   /* history: report a secret once per path (the first is oldest) */
    struct leakscan_oidset seen; /* (fingerprint, path) reported */
    struct leakscan_findings env_secrets; /* secrets in .env files, for the hygiene check */
    int rc;                               /* the reporter's error */
    struct leakscan_err err;
};

/* 1 when f was reported before (history streams: fingerprint and path), -1 on ENOMEM. */
static int seen_before(struct reporting *r, const struct leakscan_finding *f)
{
    const char *path = f->origin.path ? f->origin.path : "";
    char hex[41];
    git_oid key;
    int added;

    if (leakscan_fingerprint(hex, f->fingerprint, path, strlen(path)) || git_oid_fromstr(&key, hex))
        return -1;
    added = leakscan_oidset_add(&r->seen, &key, 0, NULL);
    return added < 0 ? -1 : !added;
}

static int report_finding(void *payload, const struct leakscan_finding *f)
{
    struct reporting *r = payload;
    int secret = !strcmp(f->category, "secret"), rc;

    if (r->dedup && (rc = seen_before(r, f)) != 0)
        return rc < 0 ? (r->rc = leakscan_err_set(&r->err, LEAKSCAN_ENOMEM, "out of memory")) : 0;
    if (r->stream) {
        /* the .env check after the scan asks whether a .env file held a secret */
        if (secret && f->origin.path && leakscan_dotenv_kind(f->origin.path) &&
            leakscan_findings_push(&r->env_secrets, f))
            return r->rc = leakscan_err_set(&r->err, LEAKSCAN_ENOMEM, "out of memory");
    }
    if (r->o->mode == MODE_LINT && secret)
        return 0; /* `leakscan lint`: the lints alone */
    if (r->bl->n && leakscan_baseline_match(r->bl, f)) {
        r->baselined++;
        return 0;
    }
    if ((rc = leakscan_reporter_finding(r->rep, f, &r->err)) != 0)
        return r->rc = rc;
    r->reported++;
    r->bysev[f->severity]++;
    if (!r->fail_never && f->severity >= r->fail_on)
        r->failing = 1;
    return 0;
}

/*
 * Open --output (or keep stdout) and begin the report. 0, or the exit code
 * after saying what failed.
 */
static int open_report(const struct cli_opts *o, const struct leakscan_ruleset *rs,
                       struct reporting *rp, FILE **out, struct leakscan_err *err)
{
    struct leakscan_report_opts po;

    if (o->output && !(*out = fopen(o->output, "w"))) {
        cli_error("%s: cannot open for writing: %s", o->output, strerror(errno));
        *out = stdout;
        return EXIT_RUNTIME;
    }
    memset(&po, 0, sizeof(po));
    po.format = o->format;
    po.color = use_color(o);
    po.mode = mode_names[o->mode];
    po.version = LEAKSCAN_VERSION;
    po.ruleset = rs;
    po.stream = rp->stream;
    if (leakscan_reporter_new(&rp->rep, *out, &po, err) || leakscan_reporter_begin(rp->rep, err)) {
        cli_error("%s", err->msg);
        return EXIT_RUNTIME;
    }
    return 0;
}

struct compile_job {
    struct leakscan_ruleset *rs;
    int rc;
    struct leakscan_err err;
};

static void *compile_rules(void *arg)
{
    struct compile_job *cj = arg;

    cj->rc = leakscan_ruleset_compile(cj->rs, &cj->err);
    return NULL;
}

int cmd_scan(struct cli_opts *o)
{
    size_t i, nprob = 0;
    struct leakscan_ruleset *rs = NULL;
    struct leakscan_source *src = NULL;
    struct leakscan_lint *lint = NULL;
    struct leakscan_problem *probs = NULL;
    struct leakscan_config cfg;
    struct leakscan_baseline bl;
    struct leakscan_run run;
    struct leakscan_run_stats rstats;
    struct leakscan_run_opts ro;
    struct leakscan_report_end end;
    struct leakscan_err err;
    struct reporting rp;
    struct leakscan_sink emit = {report_finding, NULL, &rp};
    const char *baseline;
    FILE *out = stdout;
    int rc, ex = EXIT_CLEAN;

    memset(&run, 0, sizeof(run));
    memset(&bl, 0, sizeof(bl));
    memset(&rp, 0, sizeof(rp));
    leakscan_oidset_init(&rp.seen);
    leakscan_findings_init(&rp.env_secrets);
    leakscan_err_init(&rp.err);
    leakscan_err_init(&err);
    o->use_auto_config = 1;
    if ((ex = cli_read_rules(&rs, &cfg, o)) != 0)
        return ex;
    cli_git_ready(o);
    rp.o = o;
    rp.bl = &bl;
    /* the command line wins over the config file */
    rp.fail_on = o->fail_on_given || !cfg.has_fail_on ? o->fail_on : cfg.fail_on;
    rp.fail_never = o->fail_on_given || !cfg.has_fail_on ? o->fail_never : cfg.fail_never;
    rp.stream = o->stream || o->format == LEAKSCAN_FORMAT_JSONL;
    rp.dedup = rp.stream && o->mode == MODE_HISTORY;
    baseline = o->baseline ? o->baseline : cfg.baseline;
    if (baseline && (rc = leakscan_baseline_load(&bl, baseline, &err))) {
        cli_error("%s", err.msg);
        ex = rc == LEAKSCAN_EPARSE || rc == LEAKSCAN_ENOTFOUND ? EXIT_USAGE : EXIT_RUNTIME;
        goto out;
    }
    /* the rules compile while the files are listed (or the history walk starts) */
    {
        struct compile_job cj = {rs, 0, {0, {0}}};
        pthread_t tid;
        int threaded;
        leakscan_err_init(&cj.err);
        threaded = pthread_create(&tid, NULL, compile_rules, &cj) == 0;
        if (!threaded)
            compile_rules(&cj);
        rc = open_source(&src, o, &err);
        if (threaded)
            pthread_join(tid, NULL);
        if (cj.rc) {
            cli_error("%s", cj.err.msg);
            ex = cli_exit_for(cj.rc);
            goto out;
        }
    }
    if (rc) {
        cli_error("%s", err.msg);
        ex = rc == LEAKSCAN_ENOTFOUND || rc == LEAKSCAN_EUSAGE ? EXIT_USAGE : EXIT_RUNTIME;
        goto out;
    }
    /* a stream is written while the scan runs; a sorted report after it */
    if (rp.stream && (ex = open_report(o, rs, &rp, &out, &err)) != 0)
        goto out;
    memset(&ro, 0, sizeof(ro));
    ro.jobs = o->jobs;
    ro.max_file_size = o->max_file_size;
    ro.scan.show_secrets = o->show_secrets;
    ro.exclude = cfg.exclude;
    ro.nexclude = cfg.nexclude;
    if (rp.stream)
        ro.emit = &emit;
    if (show_progress(o))
        ro.progress = progress;
    if (o->mode == MODE_WORKTREE || o->mode == MODE_LINT) {
        struct leakscan_lint_opts lo = {o->no_annotations};
        if ((rc = leakscan_lint_new(&lint, &lo, &err))) {
            cli_error("%s", err.msg);
            ex = EXIT_RUNTIME;
            goto out;
        }
        ro.lint = lint;
    }
    rc = leakscan_run_scan(&run, src, rs, &ro, &err);
    if (!rc) {
        /* .env hygiene needs the whole scan: severity depends on secrets found */
        struct leakscan_findings env;
        struct leakscan_sink sink = {push_finding, NULL, &env};
        leakscan_findings_init(&env);
        rc = leakscan_dotenv_check(src, run.items, rp.stream ? &rp.env_secrets : &run.findings,
                                   &sink);
        if (!rc)
            rc = leakscan_findings_move(&run.findings, &env);
        leakscan_findings_release(&env);
        if (rc)
            leakscan_err_set(&err, rc, "out of memory");
        leakscan_findings_sort(&run.findings);
    }
    if (rc) {
        /* a report that could not be written says why */
        cli_error("%s", rp.rc ? rp.err.msg : err.msg);
        ex = EXIT_RUNTIME;
        goto out;
    }
    if (o->mode == MODE_HISTORY && !rp.stream)
        leakscan_findings_dedup_earliest(&run.findings);
    print_items(src, &run, o);
    if (!rp.stream && (ex = open_report(o, rs, &rp, &out, &err)) != 0)
        goto out;

    /* sorted (or, streaming, what needed the whole scan: .env hygiene) */
    for (i = 0; i < run.findings.n; i++)
        if ((rc = report_finding(&rp, &run.findings.v[i])) != 0) {
            err = rp.err;
            goto report_error;
        }
    probs = calloc(run.stats.errors + run.stats.missing + run.stats.incomplete + 1, sizeof(*probs));
    if (!probs) {
        rc = leakscan_err_set(&err, LEAKSCAN_ENOMEM, "out of memory");
        goto report_error;
    }
    for (i = 0; i < run.nitems; i++) {
        int st = run.items[i].state;
        if (st != LEAKSCAN_ITEM_ERROR && st != LEAKSCAN_ITEM_MISSING && !run.items[i].incomplete)
            continue;
        probs[nprob].path = src->item_path(src->payload, i);
        probs[nprob].message = run.items[i].msg ? run.items[i].msg : "cannot read";
        nprob++;
    }
    /* for reports, a missing object is an error like an unreadable file */
    rstats = run.stats;
    rstats.errors += rstats.missing + rstats.incomplete;
    memset(&end, 0, sizeof(end));
    if (lint) {
        end.has_lint = 1;
        end.lint = leakscan_lint_stats(lint);
    }
    end.stats = &rstats;
    end.findings = rp.reported;
    end.problems = probs;
    end.nproblems = nprob;
    if ((rc = leakscan_reporter_end(rp.rep, &end, &err)))
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
    for (i = 0; i < bl.n; i++)
        if (!bl.v[i].used)
            cli_error("baseline: stale entry %s %s %.12s (no longer found)", bl.v[i].rule_id,
                      bl.v[i].path, bl.v[i].fingerprint);
    if (!o->quiet)
        print_summary(&run, rp.reported, rp.bysev, rp.baselined, o->mode);
    if (run.stats.errors || run.stats.incomplete || (run.stats.missing && !o->ignore_missing))
        ex = EXIT_RUNTIME; /* an incomplete scan is never a clean one */
    else
        ex = rp.failing && !o->exit_zero ? EXIT_FINDINGS : EXIT_CLEAN;
    goto out;

report_error:
    cli_error("%s", err.msg);
    ex = EXIT_RUNTIME;
out:
    if (out != stdout)
        fclose(out);
    free(probs);
    leakscan_reporter_free(rp.rep);
    leakscan_oidset_release(&rp.seen);
    leakscan_findings_release(&rp.env_secrets);
    leakscan_run_release(&run);
    leakscan_source_free(src);
    leakscan_lint_free(lint);
    leakscan_ruleset_free(rs);
    leakscan_baseline_release(&bl);
    leakscan_config_release(&cfg);
    return ex;
}
