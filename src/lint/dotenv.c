/*
 * dotenv.c - .env hygiene: .env files must be ignored, untracked and absent
 * from history; their documented templates must be committed.
 *
 * The facts come from the sources (what git says of each item: tracked,
 * matched by an ignore rule, staged, from history); this file judges them
 * after the scan, so a .env file's severity can depend on whether the scan
 * found a secret in it.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "dotenv.h"
#include "leakscan/run.h"

const struct leakscan_check dotenv_checks[] = {
    {"dotenv-tracked", "dotenv", LEAKSCAN_SEV_HIGH,
     "a .env file is committed or staged (critical when it holds a secret)"},
    {"dotenv-not-ignored", "dotenv", LEAKSCAN_SEV_HIGH,
     "a .env file is untracked but no ignore rule covers it: the next `git add .` commits it"},
    {"dotenv-in-history", "dotenv", LEAKSCAN_SEV_HIGH,
     "a .env file was committed in the past: it stays in history"},
    {"dotenv-template-ignored", "dotenv", LEAKSCAN_SEV_INFO,
     "a .env template (.env.example...) is ignored, so it never reaches the team"},
    {"dotenv-unknown-ignore-status", "dotenv", LEAKSCAN_SEV_INFO,
     "a .env file outside a git repository: whether it is ignored cannot be judged"},
    {NULL, NULL, LEAKSCAN_SEV_INFO, NULL}};

static int ends_with(const char *s, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);

    return n >= k && !memcmp(s + n - k, suffix, k);
}

/* 1 when b[0..n) is a .env name: `.env`, `.env.*`, `*.env`. */
static int env_name(const char *b, size_t n)
{
    if (n == 4 && !memcmp(b, ".env", 4))
        return 1;
    if (n > 5 && !memcmp(b, ".env.", 5))
        return 1;
    return n > 4 && ends_with(b, n, ".env");
}

int leakscan_dotenv_kind(const char *path)
{
    static const char *const templates[] = {".example", ".sample", ".template", ".dist"};
    const char *b;
    size_t n, i;

    if (!path)
        return 0;
    b = strrchr(path, '/');
    b = b ? b + 1 : path;
    n = strlen(b);
    for (i = 0; i < sizeof(templates) / sizeof(*templates); i++) {
        size_t k = strlen(templates[i]);
        /* `.env.example` (the suffix right after `.env`) or `prod.env.example` */
        if (ends_with(b, n, templates[i]) && env_name(b, n - k))
            return 2;
    }
    return env_name(b, n) ? 1 : 0;
}

static int has_secret(const struct leakscan_findings *found, const char *path)
{
    size_t i;

    for (i = 0; found && i < found->n; i++)
        if (found->v[i].origin.path && !strcmp(found->v[i].origin.path, path) &&
            !strcmp(found->v[i].category, "secret"))
            return 1;
    return 0;
}

int leakscan_dotenv_check(const struct leakscan_source *src,
                          const struct leakscan_item_result *items,
                          const struct leakscan_findings *found, const struct leakscan_sink *sink)
{
    char msg[600];
    size_t i;
    int rc = 0;

    for (i = 0; i < src->count && !rc; i++) {
        const char *path = src->item_path(src->payload, i);
        unsigned flags = src->item_flags ? src->item_flags(src->payload, i) : 0;
        int kind = leakscan_dotenv_kind(path), secret, state = items[i].state;
        struct leakscan_origin o;

        if (!kind || state == LEAKSCAN_ITEM_EXCLUDED)
            continue;
        memset(&o, 0, sizeof(o));
        if (src->item_origin)
            src->item_origin(src->payload, i, &o);
        else
            o.path = path;
        secret = has_secret(found, path);
        if (flags & LEAKSCAN_ITEMF_HISTORY) {
            if (kind != 1)
                continue;
            snprintf(msg, sizeof(msg),
                     ".env file committed%s%.12s: it stays in the history after it is deleted; "
                     "rotate what it held%s",
                     o.commit ? " in " : "", o.commit ? o.commit : "",
                     secret ? " (it holds secrets)" : "");
            rc = leakscan_lint_emit(sink, &o, "dotenv-in-history",
                                    secret ? LEAKSCAN_SEV_CRITICAL : -1, msg, NULL, 1, 1, NULL);
        } else if (!(flags & LEAKSCAN_ITEMF_IN_REPO)) {
            if (kind != 1)
                continue;
            rc = leakscan_lint_emit(sink, &o, "dotenv-unknown-ignore-status", -1,
                                    ".env file outside a git repository: whether it is ignored "
                                    "cannot be judged",
                                    NULL, 1, 1, NULL);
        } else if (kind == 2) {
            if (state != LEAKSCAN_ITEM_IGNORED)
                continue;
            rc = leakscan_lint_emit(sink, &o, "dotenv-template-ignored", -1,
                                    ".env template is ignored, so it never reaches the team: "
                                    "un-ignore it (a `!name` line in .gitignore) and commit it",
                                    NULL, 1, 1, NULL);
        } else if (flags & (LEAKSCAN_ITEMF_TRACKED | LEAKSCAN_ITEMF_STAGED_NEW)) {
            snprintf(msg, sizeof(msg),
                     "%s .env file%s: `git rm --cached %s`, add it to "
                     ".gitignore, keep a .env.example instead%s",
                     flags & LEAKSCAN_ITEMF_STAGED_NEW ? "staged" : "committed",
                     flags & LEAKSCAN_ITEMF_IGNORE_MATCH
                         ? " (.gitignore matches it, but a tracked file stays tracked)"
                         : "",
                     path, secret ? "; it holds secrets: rotate them" : "");
            rc = leakscan_lint_emit(sink, &o, "dotenv-tracked", secret ? LEAKSCAN_SEV_CRITICAL : -1,
                                    msg, NULL, 1, 1, NULL);
        } else if (state != LEAKSCAN_ITEM_IGNORED && !(flags & LEAKSCAN_ITEMF_IGNORE_MATCH)) {
            snprintf(msg, sizeof(msg),
                     ".env file not ignored: the next `git add .` commits it; add `%s` (or "
                     "`.env*` with `!.env.example`) to .gitignore%s",
                     strrchr(path, '/') ? strrchr(path, '/') + 1 : path,
                     secret ? " (it holds secrets)" : "");
            rc = leakscan_lint_emit(sink, &o, "dotenv-not-ignored",
                                    secret ? LEAKSCAN_SEV_CRITICAL : -1, msg, NULL, 1, 1, NULL);
        }
    }
    return rc;
}
