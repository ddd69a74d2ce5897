/*
 * cli.h - the command line: options, commands, exit codes.
 */
#ifndef LEAKSCAN_CLI_H
#define LEAKSCAN_CLI_H

#include <pthread.h>
#include <stddef.h>

#include "leakscan/config.h"
#include "leakscan/report.h"
#include "leakscan/ruleset.h"
#include "leakscan/severity.h"

enum cli_exit {
    EXIT_CLEAN = 0,    /* nothing at or above --fail-on */
    EXIT_FINDINGS = 1, /* findings at or above --fail-on */
    EXIT_USAGE = 2,    /* usage or configuration error */
    EXIT_RUNTIME = 3   /* runtime error: unreadable root or file, I/O */
};

enum cli_mode { MODE_WORKTREE, MODE_HISTORY, MODE_STAGED, MODE_LINT };

/*
 * libgit2's start-up (git_libgit2_init) takes 6-8 ms, most of it its TLS
 * backend parsing the system's CA certificates, which leakscan never uses.
 * main starts it on a thread beside argument parsing and rule loading;
 * cli_git_ready() waits for it, before the first libgit2 call (main
 * thread only).
 */
struct cli_git {
    pthread_t thread;
    int pending; /* started on the thread, not waited for yet */
};

struct cli_opts {
    struct cli_git *git; /* set by main */
    enum cli_mode mode;
    const char *since_commit, *log_range, *branch; /* history limits */
    int ignore_missing;                            /* missing git objects do not make exit 3 */
    int progress;                                  /* -1 auto (stderr is a terminal), 0, 1 */
    const char *baseline;                          /* --baseline FILE */
    int no_annotations;                            /* ignore leakscan.io/allow */
    int lints;                                     /* rules list --lints */
    int redact_rules;                              /* compile the `redact: true` rules */
    const char *mask;                              /* redact --mask */
    size_t keep_prefix;                            /* redact --keep-prefix */
    const char **value_envs;                       /* redact --values-from-env */
    size_t nvalue_envs;
    const char *values_file;    /* redact --values-file */
    int buffered, stats, check; /* redact --buffered --stats --check */
    const char **owned;         /* strings to free */
    size_t nowned;
    int exit_zero;       /* report, never exit 1 */
    int force;           /* install-hook --force */
    int use_auto_config; /* look for .leakscan.yaml in the scanned root */
    int fail_on_given;   /* --fail-on was on the command line */
    enum leakscan_format format;
    const char *output;   /* NULL: stdout */
    const char **configs; /* --config files, in order */
    size_t nconfigs;
    enum leakscan_severity fail_on;
    int fail_never; /* --fail-on none */
    int show_secrets;
    int stream;    /* --stream: report findings as found (jsonl always does) */
    unsigned jobs; /* 0: number of CPUs */
    int quiet, verbose;
    size_t max_file_size;
    int color;         /* -1 auto, 0 never, 1 always */
    const char **args; /* positional arguments */
    size_t nargs;
};

/*
 * Parse argv[first..argc). Returns 0, 1 when --help or --version was handled
 * (exit 0), or -1 after printing a usage error (exit 2).
 */
int cli_parse(struct cli_opts *o, int argc, char **argv, int first);
void cli_opts_release(struct cli_opts *o);
void cli_usage(void);

/* Print "leakscan: <msg>" on stderr. */
void cli_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/*
 * Load the built-in rules, then `.leakscan.yaml` in the scanned root (unless
 * --config is given) or the --config files, then compile. Returns 0 or an
 * exit code (the message printed). cfg is released by the caller on success.
 */
/* Offer rs the built-in rules' prefilters, compiled at build time (ruleset.h). */
void cli_offer_prefilters(struct leakscan_ruleset *rs);
int cli_load_rules(struct leakscan_ruleset **out, struct leakscan_config *cfg,
                   const struct cli_opts *o);
/* The same without compiling (leakscan_ruleset_compile is the caller's). */
int cli_read_rules(struct leakscan_ruleset **out, struct leakscan_config *cfg,
                   const struct cli_opts *o);

/* Wait until libgit2 is initialized (see struct cli_git). */
void cli_git_ready(const struct cli_opts *o);

int cmd_scan(struct cli_opts *o);
int cmd_rules(struct cli_opts *o);
int cmd_install_hook(struct cli_opts *o);
int cmd_redact(struct cli_opts *o);

/* Map an engine error code to an exit code. */
int cli_exit_for(int code);

#endif
