/*
 * sarif.c - SARIF 2.1.0 (OASIS), the format code-scanning services upload:
 * one log, one run, written at the end.
 *
 * tool.driver.rules holds one reportingDescriptor per rule that has a finding,
 * in order of first appearance (findings arrive sorted, so the order does not
 * depend on --jobs); results point at them with ruleId and ruleIndex. Rule
 * metadata comes from the ruleset; a finding whose rule is not in it (lints)
 * still gets a descriptor made from the finding itself.
 *
 * Why some details are the way they are:
 * - partialFingerprints carries our content fingerprint, so a code-scanning
 *   service tracks a secret across edits that move it, as our baselines do.
 * - Artifact URIs are URI references relative to %SRCROOT%: every byte that is
 *   not allowed unencoded in a path (space, '%', '#', '?', ':', controls,
 *   non-ASCII...) is percent-encoded, byte by byte, so a file name with invalid
 *   UTF-8 still round-trips exactly.
 * - Our end_column is inclusive and SARIF's endColumn exclusive: +1. Columns
 *   count bytes, as in the other reports.
 * - The message holds the preview the finding carries (redacted unless
 *   --show-secrets), never more.
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "leakscan/lint.h"
#include "leakscan/ruleset.h"
#include "report_int.h"

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"
#define SARIF_INFO_URI "https://github.com/leakscan/leakscan"
#define SARIF_FINGERPRINT_KEY "leakscan/v1"

struct sarif_state {
    cJSON *root, *run, *rules, *results;
    char **ids; /* rule ids in tool.driver.rules, same order */
    size_t nids, capids;
    int oom;
};

static const char *sev_level(enum leakscan_severity s)
{
    switch (s) {
    case LEAKSCAN_SEV_CRITICAL:
    case LEAKSCAN_SEV_HIGH:
        return "error";
    case LEAKSCAN_SEV_MEDIUM:
        return "warning";
    default:
        return "note";
    }
}

/* GitHub's scale: over 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low */
static const char *sev_score(enum leakscan_severity s)
{
    switch (s) {
    case LEAKSCAN_SEV_CRITICAL:
        return "9.5";
    case LEAKSCAN_SEV_HIGH:
        return "8.0";
    case LEAKSCAN_SEV_MEDIUM:
        return "5.5";
    case LEAKSCAN_SEV_LOW:
        return "3.0";
    default:
        return "1.0";
    }
}

static void add_strn(struct sarif_state *st, cJSON *obj, const char *key, const char *s, size_t len)
{
    char *safe = leakscan_utf8_sanitize(s, len);

    if (!safe || !cJSON_AddStringToObject(obj, key, safe))
        st->oom = 1;
    free(safe);
}

static void add_str(struct sarif_state *st, cJSON *obj, const char *key, const char *s)
{
    add_strn(st, obj, key, s, strlen(s));
}

static void add_num(struct sarif_state *st, cJSON *obj, const char *key, double v)
{
    if (!cJSON_AddNumberToObject(obj, key, v))
        st->oom = 1;
}

static cJSON *add_obj(struct sarif_state *st, cJSON *obj, const char *key)
{
    cJSON *o = cJSON_AddObjectToObject(obj, key);

    if (!o)
        st->oom = 1;
    return o;
}

static cJSON *add_arr(struct sarif_state *st, cJSON *obj, const char *key)
{
    cJSON *a = cJSON_AddArrayToObject(obj, key);

    if (!a)
        st->oom = 1;
    return a;
}

/* A new object appended to an array; NULL (and oom set) on failure. */
static cJSON *push_obj(struct sarif_state *st, cJSON *arr)
{
    cJSON *o = cJSON_CreateObject();

    if (!arr || !o || !cJSON_AddItemToArray(arr, o)) {
        cJSON_Delete(o);
        st->oom = 1;
        return NULL;
    }
    return o;
}

static void push_str(struct sarif_state *st, cJSON *arr, const char *s)
{
    cJSON *v = cJSON_CreateString(s);

    if (!arr || !v || !cJSON_AddItemToArray(arr, v)) {
        cJSON_Delete(v);
        st->oom = 1;
    }
}

/* obj[key] = {"text": s} (a SARIF message or multiformatMessageString) */
static void add_text(struct sarif_state *st, cJSON *obj, const char *key, const char *s)
{
    cJSON *m = add_obj(st, obj, key);

    if (m)
        add_str(st, m, "text", s);
}

/* The n strings of parts joined into a malloc'd string; NULL on ENOMEM. */
static char *join(const char *const *parts, size_t n)
{
    size_t i, len = 0, k;
    char *s, *o;

    for (i = 0; i < n; i++)
        len += strlen(parts[i]);
    if (!(s = malloc(len + 1)))
        return NULL;
    for (i = 0, o = s; i < n; i++) {
        k = strlen(parts[i]);
        memcpy(o, parts[i], k);
        o += k;
    }
    *o = '\0';
    return s;
}

/*
 * The path as a URI reference: RFC 3986 unreserved characters, sub-delims,
 * '@' and '/' stay; every other byte becomes %XX. ':' is encoded too, so a
 * first segment such as "c:x" is not read as a scheme.
 */
static char *uri_encode(const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *p = (const unsigned char *)path;
    size_t n = strlen(path);
    char *out = malloc(n * 3 + 1), *o = out;

    if (!out)
        return NULL;
    for (; *p; p++) {
        unsigned c = *p;
        int keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   (c && strchr("-._~!$&'()*+,;=@/", (int)c));

        if (keep) {
            *o++ = (char)c;
        } else {
            *o++ = '%';
            *o++ = hex[c >> 4];
            *o++ = hex[c & 15];
        }
    }
    *o = '\0';
    return out;
}

/*
 * location.physicalLocation.artifactLocation for a path: relative paths are
 * relative to %SRCROOT% (the scanned root); an absolute one (a file named on
 * the command line) becomes a file:// URI.
 */
static cJSON *add_artifact(struct sarif_state *st, cJSON *location, const char *path)
{
    cJSON *phys = add_obj(st, location, "physicalLocation");
    cJSON *art = phys ? add_obj(st, phys, "artifactLocation") : NULL;
    char *enc = uri_encode(path), *uri = NULL;

    if (!art || !enc) {
        st->oom = 1;
        free(enc);
        return NULL;
    }
    if (path[0] == '/') {
        const char *parts[] = {"file://", enc};
        uri = join(parts, 2);
        if (!uri)
            st->oom = 1;
        else
            add_str(st, art, "uri", uri);
    } else {
        add_str(st, art, "uri", enc);
        add_str(st, art, "uriBaseId", "%SRCROOT%");
    }
    free(uri);
    free(enc);
    return phys;
}

static const char *help_text(const char *category)
{
    if (strcmp(category, "secret") != 0)
        return "Fix the configuration as the message says, then scan again.";
    return "Treat this credential as compromised. 1. Rotate it: revoke it with its provider and "
           "issue a new one. 2. Remove it from the code and from the git history (for example "
           "with git filter-repo), then force-push and have every clone re-fetch. 3. Load the "
           "new one at run time from a secret manager (Vault, a cloud secret manager, CI "
           "secrets) or an environment variable that is never committed.";
}

/* The index of rule `id` in tool.driver.rules, adding its descriptor if new; -1 on ENOMEM. */
static long rule_index(struct sarif_state *st, const struct leakscan_report_opts *opts,
                       const struct leakscan_finding *f)
{
    const struct leakscan_rule *rule = NULL;
    enum leakscan_severity sev = f->severity;
    const char *name = f->message;
    char *full = NULL, *id;
    cJSON *d, *cfg, *props;
    size_t i;

    for (i = 0; i < st->nids; i++)
        if (!strcmp(st->ids[i], f->rule_id))
            return (long)i;
    if (st->nids == st->capids) {
        size_t cap = st->capids ? st->capids * 2 : 16;
        char **v = realloc(st->ids, cap * sizeof(*v));
        if (!v)
            return -1;
        st->ids = v;
        st->capids = cap;
    }
    if (!(id = strdup(f->rule_id)))
        return -1;
    st->ids[st->nids++] = id;

    if (opts->ruleset)
        rule = leakscan_ruleset_find(opts->ruleset, f->rule_id);
    if (rule) {
        sev = rule->severity;
        if (rule->name)
            name = rule->name;
    } else {
        /* a lint check: its summary describes the rule, not one finding */
        const struct leakscan_check *c = leakscan_lint_check(f->rule_id);
        if (c) {
            sev = c->severity;
            name = c->summary;
        }
    }
    if (!(d = push_obj(st, st->rules)))
        return -1;
    add_str(st, d, "id", f->rule_id);
    add_str(st, d, "name", name);
    add_text(st, d, "shortDescription", name);
    if (rule) {
        const char *parts[] = {name, ", found by leakscan rule ", f->rule_id,
                               ". A credential committed to a repository can be used by anyone "
                               "who can read the repository or any copy of its history."};
        if (!(full = join(parts, 4)))
            st->oom = 1;
    }
    add_text(st, d, "fullDescription", full ? full : name);
    free(full);
    cfg = add_obj(st, d, "defaultConfiguration");
    if (cfg)
        add_str(st, cfg, "level", sev_level(sev));
    add_text(st, d, "help", help_text(f->category));
    props = add_obj(st, d, "properties");
    if (props) {
        cJSON *tags = add_arr(st, props, "tags");
        add_str(st, props, "security-severity", sev_score(sev));
        push_str(st, tags, "security");
        push_str(st, tags, f->category);
    }
    return st->oom ? -1 : (long)(st->nids - 1);
}

static int sarif_begin(struct leakscan_reporter *r, struct leakscan_err *err)
{
    struct sarif_state *st = calloc(1, sizeof(*st));
    cJSON *runs, *tool, *driver;

    if (!st)
        return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
    r->state = st;
    if (!(st->root = cJSON_CreateObject()))
        return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
    add_str(st, st->root, "$schema", SARIF_SCHEMA);
    add_str(st, st->root, "version", "2.1.0");
    runs = add_arr(st, st->root, "runs");
    st->run = push_obj(st, runs);
    tool = st->run ? add_obj(st, st->run, "tool") : NULL;
    driver = tool ? add_obj(st, tool, "driver") : NULL;
    if (!driver)
        return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
    add_str(st, driver, "name", "leakscan");
    add_str(st, driver, "version", r->opts.version);
    add_str(st, driver, "semanticVersion", r->opts.version);
    add_str(st, driver, "informationUri", SARIF_INFO_URI);
    st->rules = add_arr(st, driver, "rules");
    st->results = add_arr(st, st->run, "results");
    if (st->oom)
        return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
    return 0;
}

static int sarif_finding(struct leakscan_reporter *r, const struct leakscan_finding *f,
                         struct leakscan_err *err)
{
    struct sarif_state *st = r->state;
    long idx = rule_index(st, &r->opts, f);
    cJSON *res, *fp, *props;
    char *text, *secret = NULL;

    if (idx < 0 || !(res = push_obj(st, st->results)))
        return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
    add_str(st, res, "ruleId", f->rule_id);
    add_num(st, res, "ruleIndex", (double)idx);
    add_str(st, res, "level", sev_level(f->severity));

    /* rule name, then the preview (made valid UTF-8 before it is joined) */
    if (f->secret && !(secret = leakscan_utf8_sanitize(f->secret, f->secret_len)))
        return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
    {
        const char *parts[] = {f->message, secret ? ": " : "", secret ? secret : "",
                               f->validated == 0 ? " (checksum mismatch)" : ""};
        text = join(parts, 4);
    }
    free(secret);
    if (!text)
        return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
    add_text(st, res, "message", text);
    free(text);

    if (f->origin.path) {
        cJSON *locs = add_arr(st, res, "locations");
        cJSON *loc = push_obj(st, locs);
        cJSON *phys = loc ? add_artifact(st, loc, f->origin.path) : NULL;
        cJSON *region = phys && f->line ? add_obj(st, phys, "region") : NULL;

        if (region) {
            add_num(st, region, "startLine", f->line);
            add_num(st, region, "startColumn", f->column ? f->column : 1);
            add_num(st, region, "endLine", f->end_line ? f->end_line : f->line);
            add_num(st, region, "endColumn", (double)f->end_column + 1);
        }
    }
    fp = add_obj(st, res, "partialFingerprints");
    if (fp)
        add_str(st, fp, SARIF_FINGERPRINT_KEY, f->fingerprint);
    props = add_obj(st, res, "properties");
    if (props) {
        add_str(st, props, "category", f->category);
        add_str(st, props, "severity", leakscan_severity_name(f->severity));
        if (f->object)
            add_str(st, props, "object", f->object);
        if (f->validated >= 0 && !cJSON_AddBoolToObject(props, "validated", f->validated))
            st->oom = 1;
        if (f->origin.commit)
            add_str(st, props, "commit", f->origin.commit);
        if (f->origin.author)
            add_str(st, props, "author", f->origin.author);
        if (f->origin.email)
            add_str(st, props, "email", f->origin.email);
        if (f->origin.date)
            add_str(st, props, "date", f->origin.date);
    }
    if (st->oom)
        return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
    return 0;
}

static int sarif_end(struct leakscan_reporter *r, const struct leakscan_report_end *e,
                     struct leakscan_err *err)
{
    struct sarif_state *st = r->state;
    const struct leakscan_run_stats *s = e->stats;
    cJSON *invs = add_arr(st, st->run, "invocations");
    cJSON *inv = push_obj(st, invs), *notes, *props, *skipped;
    char *text;
    size_t i;

    if (!inv)
        return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
    /* an unreadable file makes the scan incomplete: not a successful one */
    if (!cJSON_AddBoolToObject(inv, "executionSuccessful", s->errors == 0 && e->nproblems == 0))
        st->oom = 1;
    notes = add_arr(st, inv, "toolExecutionNotifications");
    for (i = 0; i < e->nproblems; i++) {
        const struct leakscan_problem *p = &e->problems[i];
        const char *parts[] = {p->path, ": ", p->message};
        cJSON *n = push_obj(st, notes), *locs, *loc;

        if (!n)
            break;
        if (!(text = join(parts, 3))) {
            st->oom = 1;
            break;
        }
        add_str(st, n, "level", "error");
        add_text(st, n, "message", text);
        free(text);
        locs = add_arr(st, n, "locations");
        loc = push_obj(st, locs);
        if (loc)
            add_artifact(st, loc, p->path);
    }
    props = add_obj(st, inv, "properties");
    if (props) {
        add_str(st, props, "mode", r->opts.mode);
        add_num(st, props, "files", (double)s->files);
        add_num(st, props, "bytes", (double)s->bytes);
        add_num(st, props, "findings", (double)e->findings);
        add_num(st, props, "errors", (double)s->errors);
        skipped = add_obj(st, props, "skipped");
        if (skipped) {
            add_num(st, skipped, "binary", (double)s->skipped_binary);
            add_num(st, skipped, "too_large", (double)s->skipped_size);
            add_num(st, skipped, "other", (double)s->skipped_other);
        }
    }
    if (st->oom)
        return leakscan_err_set(err, LEAKSCAN_ENOMEM, "out of memory");
    return leakscan_json_print(r->fp, st->root, err);
}

static void sarif_release(struct leakscan_reporter *r)
{
    struct sarif_state *st = r->state;
    size_t i;

    if (!st)
        return;
    for (i = 0; i < st->nids; i++)
        free(st->ids[i]);
    free(st->ids);
    cJSON_Delete(st->root);
    free(st);
}

void leakscan_sarif_reporter_init(struct leakscan_reporter *r)
{
    r->begin = sarif_begin;
    r->finding = sarif_finding;
    r->end = sarif_end;
    r->release = sarif_release;
}
