/*
 * args.c - option parsing and help. Hand-written (no getopt_long, a GNU
 * extension): --name=value and --name value both work.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void cli_error(const char *fmt, ...)
{
    char msg[4096];
    va_list ap;
    int n;

    /*
     * Messages quote config files, paths and values from the scanned
     * repository: escaped, so they cannot drive the terminal.
     */
    va_start(ap, fmt);
    n = vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    fputs("leakscan: ", stderr);
    leakscan_write_escaped(stderr, msg, (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1);
    fputc('\n', stderr);
}

void cli_usage(void)
{
    fputs(
        "usage: leakscan [OPTIONS] [PATH...]      scan working trees for secrets (default: .)\n"
        "       leakscan --history [OPTIONS] [PATH] every blob ever committed, commit and tag messages\n"
        "       leakscan --staged [OPTIONS] [PATH]  what is staged for the next commit\n"
        "       leakscan lint [OPTIONS] [PATH...]  only the lints: .env hygiene, Kubernetes, IAM\n"
        "       leakscan redact [OPTIONS] [FILE...] stdin (or files) to stdout, secrets masked\n"
        "       leakscan install-hook [--force]    install the pre-commit hook\n"
        "       leakscan rules list|show ID|test [RULES.yaml...]\n"
        "\n"
        "Inside a git repository leakscan scans every tracked file and every untracked file\n"
        "that git does not ignore; elsewhere it walks the directory (symlinks not followed).\n"
        "\n"
        "Options:\n"
        "  -f, --format FORMAT      text (default), json, jsonl (a line per finding as it is\n"
        "                           found, then a summary line), or sarif (SARIF 2.1.0)\n"
        "  -o, --output FILE        write the report to FILE instead of stdout\n"
        "  -c, --config FILE        a config file instead of .leakscan.yaml (repeatable)\n"
        "      --fail-on SEVERITY   exit 1 only for findings at or above it: critical, high,\n"
        "                           medium, low (default), info, or none\n"
        "      --show-secrets       print secrets in full (default: a redacted preview)\n"
        "  -j, --jobs N             threads (default: the CPUs this process may use)\n"
        "      --max-file-size SIZE skip larger files (default 25M; K, M, G suffixes)\n"
        "      --color WHEN         auto (default: on a terminal, unless NO_COLOR), always, never\n"
        "      --since-commit REV   history: only commits not reachable from REV\n"
        "      --log-range A..B     history: commits reachable from B and not from A\n"
        "      --branch REF         history: only commits reachable from REF\n"
        "      --ignore-missing     history: missing objects are reported, not exit 3\n"
        "      --baseline FILE      hide findings whose fingerprint is in an earlier JSON report\n"
        "      --exit-zero          report findings but exit 0 (errors still exit 2 or 3)\n"
        "      --progress           progress on stderr (default: only on a terminal)\n"
        "      --stream             text: each finding as soon as it is known (history: oldest\n"
        "                           commit first) instead of sorted at the end (jsonl always)\n"
        "      --no-annotations     ignore leakscan.io/allow annotations in manifests\n"
        "  -q, --quiet              no summary line on stderr\n"

        "  -v, --verbose            name every skipped file on stderr\n"
        "  -V, --version            print the version\n"
        "  -h, --help               this help\n"
        "\n"
        "redact options:\n"
        "      --mask STRING        the replacement (default: [REDACTED:<rule-id>])\n"
        "      --keep-prefix N      keep the first N characters of each secret\n"
        "      --values-from-env NAME[,NAME]  mask these variables' values (and encodings)\n"
        "      --values-file FILE   mask the values listed in FILE, one per line\n"
        "      --buffered           write in large blocks (default: after every read)\n"
        "      --stats              counts per rule on stderr at the end\n"
        "      --check              exit 1 when anything was redacted\n"
        "\n"
        "Exit codes: 0 nothing at or above --fail-on, 1 findings, 2 usage or configuration\n"
        "error, 3 runtime error (unreadable path, I/O; findings are still reported).\n"
        "\n"
        "Examples:\n"
        "  leakscan                          scan the current repository\n"
        "  leakscan --format json -o r.json  a JSON report for CI\n"
        "  leakscan -f sarif -o r.sarif      SARIF 2.1.0 for code-scanning services\n"
        "  leakscan --history -f jsonl | jq  an audit, each finding as it is found\n"
        "  leakscan --fail-on high src/      fail only on high and critical findings\n"
        "  leakscan --history --since-commit origin/main   what a pull request adds\n"
        "  leakscan --staged                 the pre-commit check\n"
        "  leakscan rules list [--lints]     the built-in rules (or the lint checks)\n"
        "  leakscan rules test my-rules.yaml check rules against their own examples\n",
        stdout);
}

static void version(void)
{
    printf("leakscan %s\n", LEAKSCAN_VERSION);
}

static int parse_size(const char *s, size_t *out)
{
    char *end;
    unsigned long long v;

    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno || end == s || *s == '-')
        return -1;
    if (v > (1ull << 40)) /* no file is scanned whole above a terabyte */
        return -1;
    switch (*end) {
    case '\0':
        break;
    case 'k':
    case 'K':
        v *= 1024ull, end++;
        break;
    case 'm':
    case 'M':
        v *= 1024ull * 1024, end++;
        break;
    case 'g':
    case 'G':
        v *= 1024ull * 1024 * 1024, end++;
        break;
    default:
        return -1;
    }
    if (*end == 'i' || *end == 'B')
        end += *end == 'i' && end[1] == 'B' ? 2 : 1;
    if (*end)
        return -1;
    *out = (size_t)v;
    return 0;
}

static int add_to(const char ***list, size_t *n, const char *s)
{
    const char **p = realloc((void *)*list, (*n + 1) * sizeof(*p));

    if (!p)
        return -1;
    p[(*n)++] = s;
    *list = p;
    return 0;
}

void cli_opts_release(struct cli_opts *o)
{
    size_t i;

    free((void *)o->configs);
    free((void *)o->args);
    free((void *)o->value_envs);
    for (i = 0; i < o->nowned; i++)
        free((void *)(uintptr_t)o->owned[i]);
    free((void *)o->owned);
}

/* --name=value, --name value, -x value. Returns the value or NULL (error printed). */
static const char *value_of(const char *arg, const char *name, int argc, char **argv, int *i)
{
    const char *eq = strchr(arg, '=');

    if (eq && arg[1] == '-')
        return eq + 1;
    if (arg[1] != '-' && arg[2])
        return arg + 2; /* -j4, -ofile */
    if (*i + 1 >= argc) {
        cli_error("option '%s' needs a value (see leakscan --help)", name);
        return NULL;
    }
    return argv[++*i];
}

static int is_opt(const char *arg, const char *l, const char *s)
{
    size_t n = strlen(l);

    /* short options here all take a value, attached or not: -j 4, -j4 */
    if (s && !strncmp(arg, s, 2))
        return 1;
    return !strncmp(arg, l, n) && (arg[n] == '\0' || arg[n] == '=');
}

int cli_parse(struct cli_opts *o, int argc, char **argv, int first)
{
    int i, only_paths = 0;
    const char *v;

    memset(o, 0, sizeof(*o));
    o->fail_on = LEAKSCAN_SEV_LOW;
    o->max_file_size = 25u * 1024 * 1024;
    o->color = -1;
    o->progress = -1;
    for (i = first; i < argc; i++) {
        const char *a = argv[i];

        if (only_paths || a[0] != '-' || !strcmp(a, "-")) {
            if (add_to(&o->args, &o->nargs, a))
                goto nomem;
            continue;
        }
        if (!strcmp(a, "--")) {
            only_paths = 1;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            cli_usage();
            return 1;
        } else if (!strcmp(a, "-V") || !strcmp(a, "--version")) {
            version();
            return 1;
        } else if (is_opt(a, "--format", "-f")) {
            if (!(v = value_of(a, "--format", argc, argv, &i)))
                return -1;
            if (!strcmp(v, "text"))
                o->format = LEAKSCAN_FORMAT_TEXT;
            else if (!strcmp(v, "json"))
                o->format = LEAKSCAN_FORMAT_JSON;
            else if (!strcmp(v, "jsonl"))
                o->format = LEAKSCAN_FORMAT_JSONL;
            else if (!strcmp(v, "sarif"))
                o->format = LEAKSCAN_FORMAT_SARIF;
            else {
                cli_error("unknown format '%s' (text, json, jsonl or sarif)", v);
                return -1;
            }
        } else if (is_opt(a, "--output", "-o")) {
            if (!(v = value_of(a, "--output", argc, argv, &i)))
                return -1;
            o->output = v;
        } else if (is_opt(a, "--config", "-c")) {
            if (!(v = value_of(a, "--config", argc, argv, &i)))
                return -1;
            if (add_to(&o->configs, &o->nconfigs, v))
                goto nomem;
        } else if (is_opt(a, "--fail-on", NULL)) {
            if (!(v = value_of(a, "--fail-on", argc, argv, &i)))
                return -1;
            o->fail_on_given = 1;
            o->fail_never = 0; /* the last --fail-on wins */
            if (!strcmp(v, "none") || !strcmp(v, "never")) {
                o->fail_never = 1;
            } else if (leakscan_severity_parse(&o->fail_on, v)) {
                cli_error("unknown severity '%s' for --fail-on (critical, high, medium, low, "
                          "info, none)",
                          v);
                return -1;
            }
        } else if (!strcmp(a, "--stream")) {
            o->stream = 1;
        } else if (!strcmp(a, "--show-secrets")) {
            o->show_secrets = 1;
        } else if (is_opt(a, "--jobs", "-j")) {
            char *end;
            long n;
            if (!(v = value_of(a, "--jobs", argc, argv, &i)))
                return -1;
            errno = 0;
            n = strtol(v, &end, 10);
            if (errno || *end || end == v || n < 1 || n > 1024) {
                cli_error("--jobs takes a number from 1 to 1024, not '%s'", v);
                return -1;
            }
            o->jobs = (unsigned)n;
        } else if (is_opt(a, "--max-file-size", NULL)) {
            if (!(v = value_of(a, "--max-file-size", argc, argv, &i)))
                return -1;
            if (parse_size(v, &o->max_file_size) || o->max_file_size == 0) {
                cli_error("--max-file-size takes a size such as 25M, not '%s'", v);
                return -1;
            }
        } else if (is_opt(a, "--color", NULL) || is_opt(a, "--colour", NULL)) {
            if (!(v = value_of(a, "--color", argc, argv, &i)))
                return -1;
            if (!strcmp(v, "auto"))
                o->color = -1;
            else if (!strcmp(v, "always"))
                o->color = 1;
            else if (!strcmp(v, "never"))
                o->color = 0;
            else {
                cli_error("--color takes auto, always or never, not '%s'", v);
                return -1;
            }
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            o->quiet = 1;
        } else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
            o->verbose = 1;
        } else if (!strcmp(a, "--history") || !strcmp(a, "--staged")) {
            enum cli_mode m = a[2] == 'h' ? MODE_HISTORY : MODE_STAGED;
            if (o->mode != MODE_WORKTREE && o->mode != m) {
                cli_error("--history and --staged are different scans: give one");
                return -1;
            }
            o->mode = m;
        } else if (is_opt(a, "--since-commit", NULL)) {
            if (!(o->since_commit = value_of(a, "--since-commit", argc, argv, &i)))
                return -1;
        } else if (is_opt(a, "--log-range", NULL)) {
            if (!(o->log_range = value_of(a, "--log-range", argc, argv, &i)))
                return -1;
        } else if (is_opt(a, "--branch", NULL)) {
            if (!(o->branch = value_of(a, "--branch", argc, argv, &i)))
                return -1;
        } else if (!strcmp(a, "--ignore-missing")) {
            o->ignore_missing = 1;
        } else if (!strcmp(a, "--progress")) {
            o->progress = 1;
        } else if (!strcmp(a, "--no-progress")) {
            o->progress = 0;
        } else if (is_opt(a, "--baseline", NULL)) {
            if (!(o->baseline = value_of(a, "--baseline", argc, argv, &i)))
                return -1;
        } else if (is_opt(a, "--mask", NULL)) {
            if (!(o->mask = value_of(a, "--mask", argc, argv, &i)))
                return -1;
        } else if (is_opt(a, "--keep-prefix", NULL)) {
            char *end;
            unsigned long n;
            if (!(v = value_of(a, "--keep-prefix", argc, argv, &i)))
                return -1;
            errno = 0;
            n = strtoul(v, &end, 10);
            if (errno || *end || end == v || *v == '-' || n > 256) {
                cli_error("--keep-prefix takes a number from 0 to 256, not '%s'", v);
                return -1;
            }
            o->keep_prefix = n;
        } else if (is_opt(a, "--values-from-env", NULL)) {
            char *list, *save = NULL, *name;
            if (!(v = value_of(a, "--values-from-env", argc, argv, &i)))
                return -1;
            /* NAME or NAME,NAME,...: names point into argv (commas become NULs in a copy) */
            if (!(list = strdup(v)))
                goto nomem;
            if (add_to(&o->owned, &o->nowned, list)) {
                free(list);
                goto nomem;
            }
            for (name = strtok_r(list, ",", &save); name; name = strtok_r(NULL, ",", &save))
                if (add_to(&o->value_envs, &o->nvalue_envs, name))
                    goto nomem;
        } else if (is_opt(a, "--values-file", NULL)) {
            if (!(o->values_file = value_of(a, "--values-file", argc, argv, &i)))
                return -1;
        } else if (!strcmp(a, "--buffered")) {
            o->buffered = 1;
        } else if (!strcmp(a, "--stats")) {
            o->stats = 1;
        } else if (!strcmp(a, "--check")) {
            o->check = 1;
        } else if (!strcmp(a, "--no-annotations")) {
            o->no_annotations = 1;
        } else if (!strcmp(a, "--lints")) {
            o->lints = 1;
        } else if (!strcmp(a, "--force")) {
            o->force = 1;
        } else if (!strcmp(a, "--exit-zero")) {
            o->exit_zero = 1;
        } else {
            cli_error("unknown option '%s' (see leakscan --help)", a);
            return -1;
        }
    }
    if (o->mode != MODE_HISTORY && (o->since_commit || o->log_range || o->branch)) {
        cli_error("--since-commit, --log-range and --branch go with --history");
        return -1;
    }
    if (o->mode != MODE_WORKTREE && o->nargs > 1) {
        cli_error("%s takes one PATH (a repository)",
                  o->mode == MODE_HISTORY ? "--history" : "--staged");
        return -1;
    }
    if (o->log_range && (o->since_commit || o->branch)) {
        cli_error("--log-range cannot be combined with --since-commit or --branch");
        return -1;
    }
    if (o->stream && (o->format == LEAKSCAN_FORMAT_JSON || o->format == LEAKSCAN_FORMAT_SARIF)) {
        cli_error("--stream: a %s report is one document, written at the end (--format jsonl "
                  "streams)",
                  o->format == LEAKSCAN_FORMAT_JSON ? "JSON" : "SARIF");
        return -1;
    }
    return 0;
nomem:
    cli_error("out of memory");
    return -1;
}
