/*
 * main.c - dispatch to a command; turn results into exit codes.
 */
#include "config.h"

#include <git2.h>
#include <string.h>

#include "cli.h"

int cli_exit_for(int code)
{
    switch (code) {
    case LEAKSCAN_OK:
        return EXIT_CLEAN;
    case LEAKSCAN_EUSAGE:
    case LEAKSCAN_EPARSE:
    case LEAKSCAN_EREGEX:
    case LEAKSCAN_ENOTFOUND:
        return EXIT_USAGE;
    default:
        return EXIT_RUNTIME;
    }
}

int main(int argc, char **argv)
{
    struct cli_opts o;
    int is_rules = argc > 1 && !strcmp(argv[1], "rules");
    int is_hook = argc > 1 && !strcmp(argv[1], "install-hook");
    int is_lint = argc > 1 && !strcmp(argv[1], "lint");
    int is_redact = argc > 1 && !strcmp(argv[1], "redact");
    int rc;

    rc = cli_parse(&o, argc, argv, is_rules || is_hook || is_lint || is_redact ? 2 : 1);
    if (rc) {
        cli_opts_release(&o);
        return rc > 0 ? EXIT_CLEAN : EXIT_USAGE;
    }
    if (is_lint) {
        if (o.mode != MODE_WORKTREE) {
            cli_error("lint runs on working trees: --history and --staged are for secrets");
            cli_opts_release(&o);
            return EXIT_USAGE;
        }
        o.mode = MODE_LINT;
    }
    git_libgit2_init();
    rc = is_rules    ? cmd_rules(&o)
         : is_hook   ? cmd_install_hook(&o)
         : is_redact ? cmd_redact(&o)
                     : cmd_scan(&o);
    git_libgit2_shutdown();
    cli_opts_release(&o);
    return rc;
}
