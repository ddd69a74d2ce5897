/*
 * main.c - dispatch to a command; turn results into exit codes.
 */
#include "config.h"

#include <git2.h>
#include <pthread.h>
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

static void *init_git(void *arg)
{
    (void)arg;
    git_libgit2_init();
    return NULL;
}

void cli_git_ready(const struct cli_opts *o)
{
    if (o->git && o->git->pending) {
        pthread_join(o->git->thread, NULL);
        o->git->pending = 0;
    }
}

int main(int argc, char **argv)
{
    struct cli_git git = {0};
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
    /* libgit2 starts beside the rule loading; commands wait for it before using it */
    git.pending = pthread_create(&git.thread, NULL, init_git, NULL) == 0;
    if (!git.pending)
        git_libgit2_init();
    o.git = &git;
    rc = is_rules    ? cmd_rules(&o)
         : is_hook   ? cmd_install_hook(&o)
         : is_redact ? cmd_redact(&o)
                     : cmd_scan(&o);
    cli_git_ready(&o);
    git_libgit2_shutdown();
    cli_opts_release(&o);
    return rc;
}
