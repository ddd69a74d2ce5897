/*
 * cmd_hook.c - `leakscan install-hook [--force] [PATH]`: the pre-commit hook
 * (hooks/pre-commit, embedded) into the repository's hooks directory,
 * respecting core.hooksPath, never replacing another hook without --force.
 */
#include "config.h"

#include <errno.h>
#include <git2.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

extern const struct leakscan_builtin_file leakscan_builtin_hooks[];
extern const size_t leakscan_builtin_hooks_count;

#define HOOK_MARK "leakscan pre-commit hook"
#define PATH_MARK "@LEAKSCAN_PATH@"

/* mkdir -p */
static int make_dirs(char *path)
{
    char *p;

    for (p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(path, 0777) != 0 && errno != EEXIST) {
            *p = '/';
            return -1;
        }
        *p = '/';
    }
    return mkdir(path, 0777) != 0 && errno != EEXIST ? -1 : 0;
}

/* The hooks directory: core.hooksPath (relative to the work tree) or GITDIR/hooks. */
static char *hooks_dir(git_repository *repo)
{
    git_config *cfg = NULL;
    git_buf hp = {NULL, 0, 0};
    const char *base;
    char *out = NULL;
    size_t n;

    if (git_repository_config_snapshot(&cfg, repo) == 0 &&
        git_config_get_path(&hp, cfg, "core.hooksPath") == 0 && hp.ptr && *hp.ptr) {
        base = hp.ptr[0] == '/' ? ""
                                : (git_repository_workdir(repo) ? git_repository_workdir(repo)
                                                                : git_repository_path(repo));
        n = strlen(base) + strlen(hp.ptr) + 1;
        out = malloc(n);
        if (out)
            snprintf(out, n, "%s%s", base, hp.ptr);
    } else {
        n = strlen(git_repository_path(repo)) + sizeof("hooks");
        out = malloc(n);
        if (out)
            snprintf(out, n, "%shooks", git_repository_path(repo));
    }
    git_buf_dispose(&hp);
    git_config_free(cfg);
    return out;
}

/* The hook text with the path of this binary filled in. */
static char *hook_text(size_t *len)
{
    const char *t = leakscan_builtin_hooks[0].data;
    const char *mark = strstr(t, PATH_MARK);
    char self[PATH_MAX];
    ssize_t sl = readlink("/proc/self/exe", self, sizeof(self) - 1);
    size_t pre, post, n;
    char *out;

    if (sl <= 0 || memchr(self, '\'', (size_t)sl))
        sl = 0; /* the hook then only looks on PATH */
    self[sl > 0 ? sl : 0] = '\0';
    if (!mark) {
        *len = leakscan_builtin_hooks[0].len;
        return strdup(t);
    }
    pre = (size_t)(mark - t);
    post = leakscan_builtin_hooks[0].len - pre - strlen(PATH_MARK);
    n = pre + strlen(self) + post;
    out = malloc(n + 1);
    if (!out)
        return NULL;
    memcpy(out, t, pre);
    memcpy(out + pre, self, strlen(self));
    memcpy(out + pre + strlen(self), mark + strlen(PATH_MARK), post);
    out[n] = '\0';
    *len = n;
    return out;
}

static int is_ours(const char *path)
{
    char buf[4096];
    size_t n;
    FILE *f = fopen(path, "r");

    if (!f)
        return 0;
    n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    return strstr(buf, HOOK_MARK) != NULL;
}

int cmd_install_hook(struct cli_opts *o)
{
    git_repository *repo = NULL;
    const char *path = ".";
    char *dir = NULL, *hook = NULL, *tmp = NULL, *text = NULL;
    size_t len = 0, n;
    int force = 0, ex = EXIT_RUNTIME;
    struct stat st;
    FILE *f;

    if (o->nargs > 1) {
        cli_error("usage: leakscan install-hook [--force] [PATH]");
        return EXIT_USAGE;
    }
    cli_git_ready(o);
    if (o->nargs)
        path = o->args[0];
    force = o->force;
    git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
    if (git_repository_open_ext(&repo, path, 0, NULL) < 0) {
        cli_error("%s: not in a git repository", path);
        return EXIT_USAGE;
    }
    dir = hooks_dir(repo);
    if (!dir || make_dirs(dir) != 0) {
        cli_error("%s: cannot create the hooks directory: %s", dir ? dir : "hooks",
                  strerror(errno));
        goto out;
    }
    n = strlen(dir) + sizeof("/pre-commit.leakscan-tmp");
    hook = malloc(n);
    tmp = malloc(n);
    text = hook_text(&len);
    if (!hook || !tmp || !text) {
        cli_error("out of memory");
        goto out;
    }
    snprintf(hook, n, "%s/pre-commit", dir);
    snprintf(tmp, n, "%s/pre-commit.leakscan-tmp", dir);
    if (lstat(hook, &st) == 0 && !is_ours(hook) && !force) {
        cli_error("%s: a pre-commit hook is already there; `leakscan install-hook --force` "
                  "replaces it (or call `leakscan --staged` from it)",
                  hook);
        ex = EXIT_USAGE;
        goto out;
    }
    f = fopen(tmp, "w");
    if (!f) {
        cli_error("%s: cannot write: %s", tmp, strerror(errno));
        goto out;
    }
    if ((fwrite(text, 1, len, f) != len) | (fclose(f) != 0)) {
        cli_error("%s: cannot write: %s", tmp, strerror(errno));
        unlink(tmp);
        goto out;
    }
    if (chmod(tmp, 0755) != 0 || rename(tmp, hook) != 0) {
        cli_error("%s: cannot install: %s", hook, strerror(errno));
        unlink(tmp);
        goto out;
    }
    printf("leakscan: installed the pre-commit hook in %s\n", hook);
    ex = fflush(stdout) == 0 ? EXIT_CLEAN : EXIT_RUNTIME;
out:
    free(dir);
    free(hook);
    free(tmp);
    free(text);
    git_repository_free(repo);
    return ex;
}
