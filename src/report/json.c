/*
 * json.c - the JSON report of DESIGN.md: one document, written at the end;
 * and JSON Lines: a line per finding as soon as it is reported, then a
 * summary line, with the same fields (`"type"` says which line is which).
 *
 * Strings from scanned content (paths, secrets) are made valid UTF-8 first:
 * a path with invalid bytes must not make the whole report unparseable.
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"

struct json_state {
    cJSON *root, *findings;
    int oom;
};

static void add_str(struct json_state *st, cJSON *obj, const char *key, const char *s, size_t len)
{
    char *safe = leakscan_utf8_sanitize(s, len);

    if (!safe || !cJSON_AddStringToObject(obj, key, safe))
        st->oom = 1;
    free(safe);
}

static void add_num(struct json_state *st, cJSON *obj, const char *key, double v)
{
    if (!cJSON_AddNumberToObject(obj, key, v))
        st->oom = 1;
}

static int json_begin(struct leakscan_reporter *r, struct leakscan_err *err)
{
    struct json_state *st = calloc(1, sizeof(*st));
    cJSON *tool;

    if (!st)
        return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
    r->state = st;
    st->root = cJSON_CreateObject();
    tool = cJSON_AddObjectToObject(st->root, "tool");
    if (!st->root || !tool)
        return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
    add_str(st, tool, "name", "leakscan", 8);
    add_str(st, tool, "version", r->opts.version, strlen(r->opts.version));
    add_str(st, st->root, "mode", r->opts.mode, strlen(r->opts.mode));
    st->findings = cJSON_AddArrayToObject(st->root, "findings");
    if (!st->findings || st->oom)
        return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
    return 0;
}

/* The finding's fields, added to o. */
static void finding_fields(struct json_state *st, cJSON *o, const struct leakscan_finding *f)
{
    const char *sev = leakscan_severity_name(f->severity);

    add_str(st, o, "rule_id", f->rule_id, strlen(f->rule_id));
    add_str(st, o, "category", f->category, strlen(f->category));
    add_str(st, o, "severity", sev, strlen(sev));
    add_str(st, o, "message", f->message, strlen(f->message));
    if (f->origin.path)
        add_str(st, o, "path", f->origin.path, strlen(f->origin.path));
    if (f->object)
        add_str(st, o, "object", f->object, strlen(f->object));
    add_num(st, o, "line", f->line);
    add_num(st, o, "column", f->column);
    add_num(st, o, "end_line", f->end_line);
    add_num(st, o, "end_column", f->end_column);
    if (f->secret)
        add_str(st, o, "secret", f->secret, f->secret_len);
    add_str(st, o, "fingerprint", f->fingerprint, strlen(f->fingerprint));
    if (f->validated >= 0 && !cJSON_AddBoolToObject(o, "validated", f->validated))
        st->oom = 1;
    if (f->origin.commit)
        add_str(st, o, "commit", f->origin.commit, strlen(f->origin.commit));
    if (f->origin.author)
        add_str(st, o, "author", f->origin.author, strlen(f->origin.author));
    if (f->origin.email)
        add_str(st, o, "email", f->origin.email, strlen(f->origin.email));
    if (f->origin.date)
        add_str(st, o, "date", f->origin.date, strlen(f->origin.date));
}

static int json_finding(struct leakscan_reporter *r, const struct leakscan_finding *f,
                        struct leakscan_err *err)
{
    struct json_state *st = r->state;
    cJSON *o = cJSON_CreateObject();

    if (!o || !cJSON_AddItemToArray(st->findings, o)) {
        cJSON_Delete(o);
        return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
    }
    finding_fields(st, o, f);
    if (st->oom)
        return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
    return 0;
}

/* "stats" and "errors" of the run, added to root. */
static int summary_fields(struct json_state *st, cJSON *root, const struct leakscan_report_end *e,
                          struct leakscan_err *err)
{
    const struct leakscan_run_stats *s = e->stats;
    cJSON *stats = cJSON_AddObjectToObject(root, "stats");
    cJSON *skipped, *problems;
    size_t i;

    if (!stats)
        return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
    add_num(st, stats, "files", (double)s->files);
    add_num(st, stats, "bytes", (double)s->bytes);
    add_num(st, stats, "findings", (double)e->findings);
    add_num(st, stats, "duration_ms", (double)(long long)(s->duration_ms + 0.5));
    skipped = cJSON_AddObjectToObject(stats, "skipped");
    problems = cJSON_AddArrayToObject(root, "errors");
    if (!skipped || !problems)
        return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
    add_num(st, skipped, "binary", (double)s->skipped_binary);
    add_num(st, skipped, "too_large", (double)s->skipped_size);
    add_num(st, skipped, "other", (double)s->skipped_other);
    add_num(st, stats, "errors", (double)s->errors);
    if (e->has_lint) {
        /* lints: Kubernetes objects checked, findings an annotation suppressed */
        cJSON *lint = cJSON_AddObjectToObject(stats, "lint");
        if (!lint)
            return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
        add_num(st, lint, "manifests", (double)e->lint.manifests);
        add_num(st, lint, "suppressed", (double)e->lint.suppressed);
        add_num(st, lint, "unparsed", (double)e->lint.unparsed);
    }
    for (i = 0; i < e->nproblems; i++) {
        cJSON *p = cJSON_CreateObject();
        if (!p || !cJSON_AddItemToArray(problems, p)) {
            cJSON_Delete(p);
            return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
        }
        add_str(st, p, "path", e->problems[i].path, strlen(e->problems[i].path));
        add_str(st, p, "message", e->problems[i].message, strlen(e->problems[i].message));
    }
    if (st->oom)
        return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
    return 0;
}

static int json_end(struct leakscan_reporter *r, const struct leakscan_report_end *e,
                    struct leakscan_err *err)
{
    struct json_state *st = r->state;
    int rc = summary_fields(st, st->root, e, err);

    return rc ? rc : leakscan_json_print(r->fp, st->root, err);
}

static void json_release(struct leakscan_reporter *r)
{
    struct json_state *st = r->state;

    if (!st)
        return;
    cJSON_Delete(st->root);
    free(st);
}

void leakscan_json_reporter_init(struct leakscan_reporter *r)
{
    r->begin = json_begin;
    r->finding = json_finding;
    r->end = json_end;
    r->release = json_release;
}

/* JSON Lines: one compact object per line, written and flushed at once. */
static int jsonl_line(struct leakscan_reporter *r, cJSON *o, struct leakscan_err *err)
{
    char *text = cJSON_PrintUnformatted(o);
    size_t len;
    int rc = 0;

    if (!text)
        return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
    len = strlen(text);
    if (fwrite(text, 1, len, r->fp) != len || fputc('\n', r->fp) == EOF || fflush(r->fp) != 0)
        rc = leakscan_err_set(err, LEAKSCAN_EIO, "cannot write the report: %s", strerror(errno));
    free(text);
    return rc;
}

static int jsonl_begin(struct leakscan_reporter *r, struct leakscan_err *err)
{
    if (!(r->state = calloc(1, sizeof(struct json_state))))
        return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
    return 0;
}

static int jsonl_finding(struct leakscan_reporter *r, const struct leakscan_finding *f,
                         struct leakscan_err *err)
{
    struct json_state *st = r->state;
    cJSON *o = cJSON_CreateObject();
    int rc;

    if (!o)
        return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
    add_str(st, o, "type", "finding", 7);
    finding_fields(st, o, f);
    rc = st->oom ? leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory") : jsonl_line(r, o, err);
    cJSON_Delete(o);
    return rc;
}

static int jsonl_end(struct leakscan_reporter *r, const struct leakscan_report_end *e,
                     struct leakscan_err *err)
{
    struct json_state *st = r->state;
    cJSON *o = cJSON_CreateObject(), *tool;
    int rc;

    if (o)
        add_str(st, o, "type", "summary", 7);
    if (!o || !(tool = cJSON_AddObjectToObject(o, "tool"))) {
        cJSON_Delete(o);
        return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
    }
    add_str(st, tool, "name", "leakscan", 8);
    add_str(st, tool, "version", r->opts.version, strlen(r->opts.version));
    add_str(st, o, "mode", r->opts.mode, strlen(r->opts.mode));
    if (!(rc = summary_fields(st, o, e, err)))
        rc = jsonl_line(r, o, err);
    cJSON_Delete(o);
    return rc;
}

static void jsonl_release(struct leakscan_reporter *r)
{
    free(r->state);
}

void leakscan_jsonl_reporter_init(struct leakscan_reporter *r)
{
    r->begin = jsonl_begin;
    r->finding = jsonl_finding;
    r->end = jsonl_end;
    r->release = jsonl_release;
}
