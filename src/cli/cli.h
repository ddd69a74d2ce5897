/*
 * cli.h - the command line: options, commands, exit codes.
 */
#ifndef LEAKSCAN_CLI_H
#define LEAKSCAN_CLI_H

#include <stddef.h>

#include "leakscan/report.h"
#include "leakscan/ruleset.h"
#include "leakscan/severity.h"

enum cli_exit {
    EXIT_CLEAN = 0,    /* nothing at or above --fail-on */
    EXIT_FINDINGS = 1, /* findings at or above --fail-on */
    EXIT_USAGE = 2,    /* usage or configuration error */
    EXIT_RUNTIME = 3   /* runtime error: unreadable root or file, I/O */
};

struct cli_opts {
    enum leakscan_format format;
    const char *output;   /* NULL: stdout */
    const char **configs; /* --config files, in order */
    size_t nconfigs;
    enum leakscan_severity fail_on;
    int fail_never; /* --fail-on none */
    int show_secrets;
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

/* Load the built-in rules, then --config files, then compile. Exit code on failure. */
int cli_load_rules(struct leakscan_ruleset **out, const struct cli_opts *o);

int cmd_scan(struct cli_opts *o);
int cmd_rules(struct cli_opts *o);

/* Map an engine error code to an exit code. */
int cli_exit_for(int code);

#endif
