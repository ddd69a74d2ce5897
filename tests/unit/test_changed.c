/*
 * test_changed.c - files that change between the listing and the read: a
 * working tree is listed first and read later, and anything may happen in
 * between (an editor saving, a build writing, a checkout). Each file's
 * outcome is what it is when it is read; nothing blocks, nothing crashes.
 */
#include "config.h"

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

#include "leakscan/run.h"
#include "leakscan/worktree.h"

#define OPENAI "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"
#define GITHUB "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"

static void put(const char *dir, const char *name, const char *text)
{
    char path[512];
    FILE *fp;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    assert_non_null(fp = fopen(path, "w"));
    assert_true(fputs(text, fp) >= 0);
    assert_int_equal(fclose(fp), 0);
}

static char *at(const char *dir, const char *name)
{
    static char path[512];

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    return path;
}

/* The outcome of the item named `name`; fails when it is not listed. */
static const struct leakscan_item_result *outcome(const struct leakscan_source *src,
                                                  const struct leakscan_run *run, const char *name)
{
    size_t i;

    for (i = 0; i < run->nitems; i++)
        if (!strcmp(src->item_path(src->payload, i), name))
            return &run->items[i];
    fail_msg("%s is not listed", name);
    return NULL;
}

static size_t findings_in(const struct leakscan_run *run, const char *name, const char *rule)
{
    size_t i, n = 0;

    for (i = 0; i < run->findings.n; i++)
        n += !strcmp(run->findings.v[i].origin.path, name) &&
             !strcmp(run->findings.v[i].rule_id, rule);
    return n;
}

static void test_files_change_after_listing(void **state)
{
    char dir[] = "/tmp/leakscan-changed-XXXXXX", big[8192];
    const char *roots[1];
    struct leakscan_ruleset *rs = NULL;
    struct leakscan_source *src = NULL;
    struct leakscan_run run;
    struct leakscan_run_opts ro;
    struct leakscan_err err;
    unsigned jobs;

    (void)state;
    leakscan_err_init(&err);
    assert_non_null(mkdtemp(dir));
    roots[0] = dir;
    assert_int_equal(leakscan_ruleset_new(&rs, &err), 0);
    assert_int_equal(leakscan_ruleset_load_builtin(rs, &err), 0);
    assert_int_equal(leakscan_ruleset_compile(rs, &err), 0);

    for (jobs = 1; jobs <= 2; jobs++) {
        put(dir, "shrinks.txt", "key=" OPENAI "\n");
        put(dir, "grows.txt", "nothing yet\n");
        put(dir, "goes.txt", "key=" OPENAI "\n");
        put(dir, "fifo.txt", "key=" OPENAI "\n");
        put(dir, "link.txt", "key=" OPENAI "\n");
        put(dir, "huge.txt", "small\n");
        put(dir, "dir.txt", "key=" OPENAI "\n");
        assert_int_equal(leakscan_worktree_open(&src, roots, 1, &err), 0);

        /* between the listing and the read */
        put(dir, "shrinks.txt", "");
        put(dir, "grows.txt", "nothing yet\nnow token=" GITHUB "\n");
        assert_int_equal(unlink(at(dir, "goes.txt")), 0);
        assert_int_equal(unlink(at(dir, "fifo.txt")), 0);
        assert_int_equal(mkfifo(at(dir, "fifo.txt"), 0600), 0); /* opening it would block */
        assert_int_equal(unlink(at(dir, "link.txt")), 0);
        assert_int_equal(symlink("shrinks.txt", at(dir, "link.txt")), 0);
        memset(big, 'x', sizeof(big) - 1);
        big[sizeof(big) - 1] = '\0';
        put(dir, "huge.txt", big);
        assert_int_equal(unlink(at(dir, "dir.txt")), 0);
        assert_int_equal(mkdir(at(dir, "dir.txt"), 0700), 0);

        memset(&ro, 0, sizeof(ro));
        ro.jobs = jobs;
        ro.max_file_size = 4096;
        assert_int_equal(leakscan_run_scan(&run, src, rs, &ro, &err), 0);
        /* what each file is when it is read */
        assert_int_equal(outcome(src, &run, "shrinks.txt")->state, LEAKSCAN_ITEM_SCANNED);
        assert_int_equal(findings_in(&run, "shrinks.txt", "openai-legacy-key"), 0);
        assert_int_equal(outcome(src, &run, "grows.txt")->state, LEAKSCAN_ITEM_SCANNED);
        assert_int_equal(findings_in(&run, "grows.txt", "github-pat-classic"), 1);
        assert_int_equal(outcome(src, &run, "goes.txt")->state, LEAKSCAN_ITEM_SKIP_GONE);
        assert_int_equal(outcome(src, &run, "fifo.txt")->state, LEAKSCAN_ITEM_SKIP_SPECIAL);
        assert_int_equal(outcome(src, &run, "link.txt")->state, LEAKSCAN_ITEM_SKIP_SYMLINK);
        assert_int_equal(outcome(src, &run, "huge.txt")->state, LEAKSCAN_ITEM_SKIP_SIZE);
        assert_int_equal(outcome(src, &run, "dir.txt")->state, LEAKSCAN_ITEM_SKIP_SPECIAL);
        assert_int_equal(run.findings.n, 1);
        assert_int_equal(run.stats.errors, 0);
        leakscan_run_release(&run);
        leakscan_source_free(src);
        src = NULL;

        assert_int_equal(unlink(at(dir, "shrinks.txt")), 0);
        assert_int_equal(unlink(at(dir, "grows.txt")), 0);
        assert_int_equal(unlink(at(dir, "fifo.txt")), 0);
        assert_int_equal(unlink(at(dir, "link.txt")), 0);
        assert_int_equal(unlink(at(dir, "huge.txt")), 0);
        assert_int_equal(rmdir(at(dir, "dir.txt")), 0);
    }
    assert_int_equal(rmdir(dir), 0);
    leakscan_ruleset_free(rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_files_change_after_listing)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
