/*
 * test_walk.c - a directory outside a repository is listed while it is
 * scanned (the threads list the next directories as they need files). The
 * list must come out as a sorted listing would: every path once, in strcmp
 * order ("a-b" < "a.txt" < "a/x" < "a0"), whatever the number of threads,
 * across the item chunks, with the listing's own errors in their places.
 * A history is walked the same way, by the scanning threads: `--jobs N`
 * is N threads, with no walk thread beside them.
 */
#include "config.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <git2.h>

#include "leakscan/history.h"
#include "leakscan/run.h"
#include "leakscan/worktree.h"

#define GITHUB "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"
#define NMANY 5000 /* more than one chunk of items (4096) */

static char *at(const char *dir, const char *name)
{
    static char path[512];

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    return path;
}

static void put(const char *dir, const char *name, const char *text)
{
    FILE *fp;

    assert_non_null(fp = fopen(at(dir, name), "w"));
    assert_true(fputs(text, fp) >= 0);
    assert_int_equal(fclose(fp), 0);
}

static const char *const expect[] = {"a-b.txt", "a.txt",      "a/x.txt", "a0",
                                     "b.txt",   "b/c/d.txt",  "gone",    "link",
                                     "locked",  "locked.txt", "pipe",    "swapped"};

static void check_list(const struct leakscan_source *src, const struct leakscan_run *run,
                       const char *prefix)
{
    size_t i, k = 0, many = 0, plen = strlen(prefix);

    assert_int_equal(run->nitems, sizeof(expect) / sizeof(expect[0]) + NMANY);
    assert_int_equal(src->count, run->nitems);
    for (i = 0; i < run->nitems; i++) {
        const char *p = src->item_path(src->payload, i);
        assert_int_equal(strncmp(p, prefix, plen), 0);
        p += plen;
        if (i)
            assert_true(
                strcmp(src->item_path(src->payload, i - 1), src->item_path(src->payload, i)) < 0);
        if (!strncmp(p, "many/", 5)) {
            many++;
            continue;
        }
        assert_true(k < sizeof(expect) / sizeof(expect[0]));
        assert_string_equal(p, expect[k]);
        k++;
    }
    assert_int_equal(many, NMANY);
    assert_int_equal(k, sizeof(expect) / sizeof(expect[0]));
}

static size_t index_of(const struct leakscan_source *src, const struct leakscan_run *run,
                       const char *name)
{
    size_t i;

    for (i = 0; i < run->nitems; i++)
        if (!strcmp(src->item_path(src->payload, i), name))
            return i;
    fail_msg("%s is not listed", name);
    return 0;
}

static const struct leakscan_item_result *outcome(const struct leakscan_source *src,
                                                  const struct leakscan_run *run, const char *name)
{
    return &run->items[index_of(src, run, name)];
}

/* The built-in rules, compiled. */
static struct leakscan_ruleset *builtin_rules(void)
{
    struct leakscan_ruleset *rs = NULL;
    struct leakscan_err err;

    leakscan_err_init(&err);
    assert_int_equal(leakscan_ruleset_new(&rs, &err), 0);
    assert_int_equal(leakscan_ruleset_load_builtin(rs, &err), 0);
    assert_int_equal(leakscan_ruleset_compile(rs, &err), 0);
    return rs;
}

static void test_listed_while_scanned(void **state)
{
    char dir[] = "/tmp/leakscan-walk-XXXXXX", name[64];
    const char *roots[2];
    struct leakscan_ruleset *rs = NULL;
    struct leakscan_source *src = NULL;
    struct leakscan_run run;
    struct leakscan_run_opts ro;
    struct leakscan_err err;
    unsigned jobs;
    int i;

    (void)state;
    leakscan_err_init(&err);
    assert_non_null(mkdtemp(dir));
    rs = builtin_rules();
    assert_int_equal(mkdir(at(dir, "a"), 0700), 0);
    put(dir, "a/x.txt", "x\n");
    put(dir, "a-b.txt", "x\n");
    put(dir, "a.txt", "x\n");
    put(dir, "a0", "x\n");
    assert_int_equal(mkdir(at(dir, "b"), 0700), 0);
    assert_int_equal(mkdir(at(dir, "b/c"), 0700), 0);
    put(dir, "b/c/d.txt", "token=" GITHUB "\n");
    put(dir, "b.txt", "x\n");
    assert_int_equal(symlink("a.txt", at(dir, "link")), 0);
    put(dir, "locked.txt", "x\n");
    assert_int_equal(mkfifo(at(dir, "pipe"), 0600), 0);
    assert_int_equal(mkdir(at(dir, "many"), 0700), 0);
    for (i = 0; i < NMANY; i++) {
        snprintf(name, sizeof(name), "many/f%04d", i);
        put(dir, name, "x\n");
    }

    for (jobs = 1; jobs <= 4; jobs *= 2) {
        assert_int_equal(mkdir(at(dir, "locked"), 0700), 0);
        assert_int_equal(mkdir(at(dir, "gone"), 0700), 0);
        put(dir, "gone/f.txt", "token=" GITHUB "\n");
        assert_int_equal(mkdir(at(dir, "swapped"), 0700), 0);
        roots[0] = dir;
        assert_int_equal(leakscan_worktree_open(&src, roots, 1, &err), 0);
        /*
         * Directories when the root is read, changed before their turn: a
         * file now (read as it is, at its name's place), gone, a symlink
         * out of the tree (not followed).
         */
        assert_int_equal(rmdir(at(dir, "locked")), 0);
        put(dir, "locked", "token=" GITHUB "\n");
        assert_int_equal(unlink(at(dir, "gone/f.txt")), 0);
        assert_int_equal(rmdir(at(dir, "gone")), 0);
        assert_int_equal(rmdir(at(dir, "swapped")), 0);
        assert_int_equal(symlink("/etc", at(dir, "swapped")), 0);
        memset(&ro, 0, sizeof(ro));
        ro.jobs = jobs;
        assert_int_equal(leakscan_run_scan(&run, src, rs, &ro, &err), 0);
        check_list(src, &run, "");
        assert_int_equal(outcome(src, &run, "link")->state, LEAKSCAN_ITEM_SKIP_SYMLINK);
        assert_int_equal(outcome(src, &run, "pipe")->state, LEAKSCAN_ITEM_SKIP_SPECIAL);
        assert_int_equal(outcome(src, &run, "locked")->state, LEAKSCAN_ITEM_SCANNED);
        assert_int_equal(outcome(src, &run, "gone")->state, LEAKSCAN_ITEM_SKIP_GONE);
        assert_int_equal(outcome(src, &run, "swapped")->state, LEAKSCAN_ITEM_SKIP_SYMLINK);
        assert_int_equal(outcome(src, &run, "many/f4999")->state, LEAKSCAN_ITEM_SCANNED);
        assert_int_equal(run.findings.n, 2);
        assert_string_equal(run.findings.v[0].origin.path, "b/c/d.txt");
        assert_string_equal(run.findings.v[1].origin.path, "locked");
        assert_int_equal(run.stats.errors, 0);
        leakscan_run_release(&run);
        leakscan_source_free(src);
        src = NULL;
        assert_int_equal(unlink(at(dir, "locked")), 0);
        assert_int_equal(unlink(at(dir, "swapped")), 0);
    }

    /* the same tree listed first and sorted (two roots): the same list (as it is after the change)
     */
    put(dir, "locked", "x\n");
    put(dir, "gone", "x\n");
    assert_int_equal(symlink("/etc", at(dir, "swapped")), 0);
    roots[0] = roots[1] = dir;
    assert_int_equal(leakscan_worktree_open(&src, roots, 2, &err), 0);
    memset(&ro, 0, sizeof(ro));
    ro.jobs = 2;
    assert_int_equal(leakscan_run_scan(&run, src, rs, &ro, &err), 0);
    snprintf(name, sizeof(name), "%s/", dir);
    check_list(src, &run, name);
    leakscan_run_release(&run);
    leakscan_source_free(src);

    {
        char cmd[600];
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
        assert_int_equal(system(cmd), 0);
    }
    leakscan_ruleset_free(rs);
}

static const char *const repo_expect[] = {".env.example", ".gitignore",       "a-u.txt", "a.txt",
                                          "b.txt",        "b/c.txt",          "b/d.txt", "m/n.txt",
                                          "sub",          "vendor/lib/k.txt", "z.txt"};

static void check_repo_list(const struct leakscan_source *src, const struct leakscan_run *run,
                            const char *prefix)
{
    size_t i, plen = strlen(prefix), n = sizeof(repo_expect) / sizeof(repo_expect[0]);

    assert_int_equal(run->nitems, n);
    assert_int_equal(src->count, n);
    for (i = 0; i < n; i++) {
        const char *p = src->item_path(src->payload, i);
        unsigned flags = src->item_flags(src->payload, i);
        assert_int_equal(strncmp(p, prefix, plen), 0);
        assert_string_equal(p + plen, repo_expect[i]);
        /* tracked: from the index; untracked: from the walk; a nested repository: outside */
        if (!strcmp(p + plen, "a.txt") || !strcmp(p + plen, "b/c.txt") ||
            !strcmp(p + plen, "z.txt"))
            assert_true(flags & LEAKSCAN_ITEMF_TRACKED);
        if (!strcmp(p + plen, "a-u.txt") || !strcmp(p + plen, "m/n.txt"))
            assert_int_equal(flags, LEAKSCAN_ITEMF_IN_REPO);
        if (!strcmp(p + plen, "vendor/lib/k.txt"))
            assert_int_equal(flags & LEAKSCAN_ITEMF_IN_REPO, 0);
        if (!strcmp(p + plen, ".env.example")) {
            assert_true(flags & LEAKSCAN_ITEMF_IGNORE_MATCH);
            assert_int_equal(run->items[i].state, LEAKSCAN_ITEM_IGNORED);
        }
        if (!strcmp(p + plen, "sub"))
            assert_int_equal(run->items[i].state, LEAKSCAN_ITEM_SKIP_SPECIAL);
    }
}

/*
 * Inside a repository: the index's files and the walk's untracked ones,
 * merged in path order while they are scanned; ignored directories, a
 * submodule's files and ignored .env files stay out, an ignored .env
 * template is listed for the .env lint.
 */
static void test_repo_listed_while_scanned(void **state)
{
    char dir[] = "/tmp/leakscan-walkrepo-XXXXXX", cmd[2048];
    const char *roots[2];
    struct leakscan_ruleset *rs = NULL;
    struct leakscan_source *src = NULL;
    struct leakscan_run run;
    struct leakscan_run_opts ro;
    struct leakscan_err err;
    unsigned jobs;

    (void)state;
    leakscan_err_init(&err);
    assert_non_null(mkdtemp(dir));
    snprintf(
        cmd, sizeof(cmd),
        "set -e; cd '%s'; git init -q .; printf '.env*\\nbuild/\\n' > .gitignore;"
        "mkdir -p b m build sub vendor/lib;"
        "for f in a.txt b/c.txt z.txt a-u.txt b.txt b/d.txt m/n.txt build/x.txt sub/in.txt "
        "vendor/lib/k.txt .env .env.example; do echo 'token=" GITHUB "' > $f; done;"
        "git -C vendor/lib init -q .;"
        "git add .gitignore a.txt b/c.txt z.txt;"
        "git update-index --add --cacheinfo 160000,1111111111111111111111111111111111111111,sub;"
        "git -c user.email=a@b -c user.name=n commit -qm init",
        dir);
    assert_int_equal(system(cmd), 0);
    rs = builtin_rules();

    for (jobs = 1; jobs <= 2; jobs++) {
        roots[0] = dir;
        assert_int_equal(leakscan_worktree_open(&src, roots, 1, &err), 0);
        assert_non_null(src->available); /* listed while scanned */
        memset(&ro, 0, sizeof(ro));
        ro.jobs = jobs;
        assert_int_equal(leakscan_run_scan(&run, src, rs, &ro, &err), 0);
        check_repo_list(src, &run, "");
        /* scanned: the 3 tracked, 4 untracked and the nested repository's file */
        assert_int_equal(run.findings.n, 8);
        leakscan_run_release(&run);
        leakscan_source_free(src);
        src = NULL;
    }
    /* listed first and sorted (two roots): the same */
    roots[0] = roots[1] = dir;
    assert_int_equal(leakscan_worktree_open(&src, roots, 2, &err), 0);
    assert_null(src->available);
    memset(&ro, 0, sizeof(ro));
    ro.jobs = 2;
    assert_int_equal(leakscan_run_scan(&run, src, rs, &ro, &err), 0);
    snprintf(cmd, sizeof(cmd), "%s/", dir);
    check_repo_list(src, &run, cmd);
    leakscan_run_release(&run);
    leakscan_source_free(src);

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    leakscan_ruleset_free(rs);
}

static void check_exact(const struct leakscan_source *src, const struct leakscan_run *run,
                        const char *const *want, size_t n)
{
    size_t i;

    assert_int_equal(run->nitems, n);
    for (i = 0; i < n; i++)
        assert_string_equal(src->item_path(src->payload, i), want[i]);
}

/*
 * What a repository's working tree can hold besides clean files: a file in
 * merge conflict (no stage 0 in the index), a directory where the index has
 * a file, a clone inside a tracked directory, an untracked symlink, an
 * ignored directory with a tracked file (its untracked files stay ignored). Each path
 * once, in order, with what git says of it; a subdirectory as the root; an
 * index sorted without case (core.ignorecase) listed first and sorted.
 */
static void test_repo_edge_cases(void **state)
{
    static const char *const want[] = {".gitignore",    "c.txt",       "d/t.txt",
                                       "foo",           "foo/new.txt", "lnk",
                                       "logs/keep.txt", "sub2/a.txt",  "sub2/b.txt"};
    static const char *const want_sub[] = {"a.txt", "b.txt"};
    char dir[] = "/tmp/leakscan-walkedge-XXXXXX", cmd[2048], sub[600];
    const char *roots[1];
    struct leakscan_ruleset *rs = NULL;
    struct leakscan_source *src = NULL;
    struct leakscan_run run;
    struct leakscan_run_opts ro;
    struct leakscan_err err;
    int pass;

    (void)state;
    leakscan_err_init(&err);
    assert_non_null(mkdtemp(dir));
    snprintf(
        cmd, sizeof(cmd),
        "set -e; cd '%s'; G='git -c user.email=a@b -c user.name=n'; git init -q .;"
        "echo base > c.txt; mkdir d sub2 logs; echo t > d/t.txt; echo x > foo; echo a > sub2/a.txt;"
        "echo 'logs/' > .gitignore; echo k > logs/keep.txt;"
        "git add -A; git add -f logs/keep.txt; $G commit -qm base; git checkout -q -b other;"
        "echo other > c.txt; $G commit -qam other; git checkout -q -;"
        "echo mine > c.txt; $G commit -qam mine; $G merge -q other >/dev/null 2>&1 || true;"
        "rm foo; mkdir foo; echo 'token=" GITHUB "' > foo/new.txt;"
        "git -C d init -q .; ln -s c.txt lnk; echo b > sub2/b.txt;"
        "echo 'token=" GITHUB "' > logs/new.txt",
        dir);
    assert_int_equal(system(cmd), 0);
    rs = builtin_rules();

    for (pass = 0; pass < 2; pass++) {
        if (pass == 1) {
            snprintf(cmd, sizeof(cmd), "git -C '%s' config core.ignorecase true", dir);
            assert_int_equal(system(cmd), 0);
        }
        roots[0] = dir;
        assert_int_equal(leakscan_worktree_open(&src, roots, 1, &err), 0);
        /* listed while scanned, unless the index is sorted without case */
        assert_true(pass == 0 ? src->available != NULL : src->available == NULL);
        memset(&ro, 0, sizeof(ro));
        ro.jobs = 2;
        assert_int_equal(leakscan_run_scan(&run, src, rs, &ro, &err), 0);
        check_exact(src, &run, want, sizeof(want) / sizeof(want[0]));
        assert_true(src->item_flags(src->payload, index_of(src, &run, "c.txt")) &
                    LEAKSCAN_ITEMF_TRACKED);
        assert_true(src->item_flags(src->payload, index_of(src, &run, "d/t.txt")) &
                    LEAKSCAN_ITEMF_TRACKED);
        assert_int_equal(src->item_flags(src->payload, index_of(src, &run, "foo/new.txt")),
                         LEAKSCAN_ITEMF_IN_REPO);
        assert_int_equal(src->item_flags(src->payload, index_of(src, &run, "lnk")),
                         LEAKSCAN_ITEMF_IN_REPO);
        assert_int_equal(run.items[index_of(src, &run, "lnk")].state, LEAKSCAN_ITEM_SKIP_SYMLINK);
        assert_int_equal(run.items[index_of(src, &run, "foo")].state, LEAKSCAN_ITEM_SKIP_SPECIAL);
        assert_int_equal(run.findings.n, 1);
        assert_string_equal(run.findings.v[0].origin.path, "foo/new.txt");
        leakscan_run_release(&run);
        leakscan_source_free(src);
        src = NULL;

        /* a subdirectory of the repository as the root */
        snprintf(sub, sizeof(sub), "%s/sub2", dir);
        roots[0] = sub;
        assert_int_equal(leakscan_worktree_open(&src, roots, 1, &err), 0);
        assert_int_equal(leakscan_run_scan(&run, src, rs, &ro, &err), 0);
        check_exact(src, &run, want_sub, 2);
        assert_true(src->item_flags(src->payload, 0) & LEAKSCAN_ITEMF_TRACKED);
        assert_int_equal(src->item_flags(src->payload, 1), LEAKSCAN_ITEMF_IN_REPO);
        leakscan_run_release(&run);
        leakscan_source_free(src);
        src = NULL;
    }

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    leakscan_ruleset_free(rs);
}

/* Threads of this process now. */
static int threads_now(void)
{
    DIR *d = opendir("/proc/self/task");
    struct dirent *e;
    int n = 0;

    assert_non_null(d);
    while ((e = readdir(d)))
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

/* The history's own load, and the most threads seen while items were loaded. */
static int (*history_load)(void *, void *, size_t, size_t, struct leakscan_buf *,
                           struct leakscan_blob *, int *, size_t *, struct leakscan_err *);
static int most_threads;

static int counting_load(void *payload, void *tctx, size_t i, size_t max_size,
                         struct leakscan_buf *buf, struct leakscan_blob *blob, int *state,
                         size_t *size, struct leakscan_err *err)
{
    int n = threads_now();

    if (n > most_threads)
        most_threads = n;
    return history_load(payload, tctx, i, max_size, buf, blob, state, size, err);
}

static void test_history_walked_by_scanning_threads(void **state)
{
    char dir[] = "/tmp/leakscan-walk-XXXXXX", cmd[1024];
    struct leakscan_ruleset *rs = builtin_rules();
    struct leakscan_history_info info;
    struct leakscan_source *src = NULL, counted;
    struct leakscan_run run;
    struct leakscan_run_opts ro;
    struct leakscan_err err;
    size_t count;
    unsigned jobs;
    int complete;

    (void)state;
    git_libgit2_init(); /* as main does: libgit2's per-thread state lives until shutdown */
    leakscan_err_init(&err);
    assert_non_null(mkdtemp(dir));
    /* 3,000 commits, each a new version of one of 7 files: longer than one walk step */
    snprintf(cmd, sizeof(cmd),
             "set -e; cd '%s'; git init -q .; i=1; while [ $i -le 3000 ]; do"
             " printf 'commit refs/heads/main\\ncommitter n <a@b> %%d +0000\\ndata 2\\nc\\n"
             "M 644 inline f%%d.txt\\ndata <<EOF\\nversion %%d\\nEOF\\n\\n'"
             " $((1700000000 + i)) $((i %% 7)) $i; i=$((i + 1)); done | git fast-import --quiet",
             dir);
    assert_int_equal(system(cmd), 0);
    for (jobs = 1; jobs <= 2; jobs++) {
        assert_int_equal(leakscan_history_open(&src, dir, NULL, &info, &err), 0);
        assert_int_equal(info.commits, 3000);
        /* nothing is walked until a scanning thread asks */
        assert_int_equal(src->available(src->payload, 0, &count, &complete, &err), 0);
        assert_int_equal(count, 0);
        assert_false(complete);
        counted = *src;
        history_load = src->load;
        counted.load = counting_load;
        most_threads = 0;
        memset(&ro, 0, sizeof(ro));
        ro.jobs = jobs;
        assert_int_equal(leakscan_run_scan(&run, &counted, rs, &ro, &err), 0);
        /* every blob version and every message */
        assert_int_equal(run.nitems, 6000);
        assert_int_equal(src->count, 6000);
        assert_int_equal(most_threads, (int)jobs);
        leakscan_run_release(&run);
        leakscan_source_free(src);
        src = NULL;
    }
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    leakscan_ruleset_free(rs);
    git_libgit2_shutdown();
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_listed_while_scanned),
                                       cmocka_unit_test(test_repo_listed_while_scanned),
                                       cmocka_unit_test(test_repo_edge_cases),
                                       cmocka_unit_test(test_history_walked_by_scanning_threads)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
