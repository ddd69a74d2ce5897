/*
 * test_pack.c - the pack reader against libgit2, on real packs made by git:
 * every object of a repository, read both ways, must be the same type and
 * bytes, with offset deltas (git repack) and reference deltas (git
 * pack-objects without --delta-base-offset). Loose objects, ids that are
 * nowhere, sizes over a limit, damaged and truncated packs, and malformed
 * deltas must each give their code, never wrong bytes or a crash.
 */
#include "config.h"

#include <git2.h>
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

#include "leakscan/errors.h"
#include "leakscan/pack.h"

#define VERSIONS 30

struct ids {
    git_oid *v;
    size_t n, cap;
};

static char dir[] = "/tmp/leakscan-pack-XXXXXX";

static void sh(const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    assert_int_equal(system(cmd), 0);
}

/* Commits from..to of files that change a little in each: packs full of deltas. */
static void commits(int from, int to)
{
    FILE *fp;
    char path[512];
    int v, f, line;

    for (v = from; v < to; v++) {
        for (f = 0; f < 3; f++) {
            snprintf(path, sizeof(path), "%s/file%d.txt", dir, f);
            assert_non_null(fp = fopen(path, "w"));
            /* big enough for copies over 64 KiB (a copy of size 0 means 0x10000) */
            for (line = 0; line < (f == 2 ? 6000 : 300); line++)
                fprintf(fp, "line %d of file %d%s\n", line, f,
                        (f == 2 ? line == v * 37 : line % 97 == v % 97) ? " changed in this version"
                                                                        : "");
            fprintf(fp, "version %d\n", v);
            fclose(fp);
        }
        snprintf(path, sizeof(path), "%s/dir%d", dir, v % 4);
        mkdir(path, 0755);
        snprintf(path, sizeof(path), "%s/dir%d/note.txt", dir, v % 4);
        assert_non_null(fp = fopen(path, "w"));
        fprintf(fp, "note %d\n", v);
        fclose(fp);
        sh("cd %s && git add -A && git -c user.email=t@e -c user.name=t commit -qm 'version %d'",
           dir, v);
    }
}

static void make_repo(void)
{
    assert_non_null(mkdtemp(dir));
    sh("git init -q %s", dir);
    commits(0, VERSIONS);
}

static int collect(const git_oid *oid, void *payload)
{
    struct ids *l = payload;

    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 256;
        l->v = realloc(l->v, l->cap * sizeof(*l->v));
        if (!l->v)
            return -1;
    }
    git_oid_cpy(&l->v[l->n++], oid);
    return 0;
}

/* Every object of the repository at `repo_dir`, through libgit2. */
static void all_ids(const char *repo_dir, struct ids *out)
{
    git_repository *repo;
    git_odb *odb;

    assert_int_equal(git_repository_open(&repo, repo_dir), 0);
    assert_int_equal(git_repository_odb(&odb, repo), 0);
    assert_int_equal(git_odb_foreach(odb, collect, out), 0);
    git_odb_free(odb);
    git_repository_free(repo);
}

/* Objects of the repository read by the pack reader and by libgit2: the same. */
static size_t compare_all(const char *repo_dir, size_t cache, size_t npacks)
{
    struct leakscan_packs *packs;
    struct leakscan_pack_reader *r;
    git_repository *repo;
    git_odb *odb;
    struct ids ids = {0};
    char objects[512];
    size_t i, same = 0;

    all_ids(repo_dir, &ids);
    assert_true(ids.n > 4 * VERSIONS);
    snprintf(objects, sizeof(objects), "%s/.git/objects", repo_dir);
    assert_int_equal(leakscan_packs_open(&packs, objects), 0);
    assert_int_equal(leakscan_packs_count(packs), npacks);
    assert_int_equal(leakscan_pack_reader_new(&r, packs, cache), 0);
    assert_int_equal(git_repository_open(&repo, repo_dir), 0);
    assert_int_equal(git_repository_odb(&odb, repo), 0);
    /* twice: the second time bases come from the cache */
    for (i = 0; i < 2 * ids.n; i++) {
        const git_oid *id = &ids.v[i % ids.n];
        const unsigned char *data;
        size_t len;
        int type;
        git_odb_object *o;
        assert_int_equal(git_odb_read(&o, odb, id), 0);
        assert_int_equal(leakscan_pack_read(r, id->id, 0, &type, &data, &len), 0);
        assert_int_equal(type, (int)git_odb_object_type(o));
        assert_int_equal(len, git_odb_object_size(o));
        assert_memory_equal(data, git_odb_object_data(o), len ? len : 1);
        git_odb_object_free(o);
        same++;
    }
    git_odb_free(odb);
    git_repository_free(repo);
    leakscan_pack_reader_free(r);
    leakscan_packs_free(packs);
    free(ids.v);
    return same;
}

/* How many objects of the repository's one pack are deltas (git verify-pack). */
static int deltas(const char *kind)
{
    char cmd[1024];
    FILE *p;
    int n = -1;

    snprintf(cmd, sizeof(cmd),
             "cd %s && git verify-pack -v .git/objects/pack/*.idx | awk 'NF == 7' | wc -l", dir);
    assert_non_null(p = popen(cmd, "r"));
    assert_int_equal(fscanf(p, "%d", &n), 1);
    pclose(p);
    print_message("%s: %d deltas\n", kind, n);
    return n;
}

static void test_same_as_libgit2(void **state)
{
    (void)state;
    make_repo();
    /* offset deltas, chains as deep as git makes them */
    sh("cd %s && git repack -qadf --depth=50 --window=50", dir);
    assert_true(deltas("offset deltas") > 2 * VERSIONS);
    assert_true(compare_all(dir, (size_t)4 << 20, 1) > 0);
    /* no cache at all: every chain down to its whole object */
    assert_true(compare_all(dir, 0, 1) > 0);
    /* reference deltas: the base named by its id */
    sh("cd %s && old=$(ls .git/objects/pack/pack-*) && git rev-list --objects --all | "
       "git pack-objects -q --window=50 --depth=50 --no-reuse-delta .git/objects/pack/pack "
       ">/dev/null && rm -f $old",
       dir);
    assert_true(deltas("reference deltas") > 2 * VERSIONS);
    assert_true(compare_all(dir, (size_t)4 << 20, 1) > 0);
    /* more commits packed apart: objects in two packs */
    commits(VERSIONS, VERSIONS + 5);
    sh("cd %s && git repack -qd", dir);
    assert_true(compare_all(dir, (size_t)4 << 20, 2) > 0);
}

/* A clone that borrows its objects (git clone --shared): the alternate's packs are read too. */
static void test_alternates(void **state)
{
    char clone[600];

    (void)state;
    snprintf(clone, sizeof(clone), "%s-shared", dir);
    sh("rm -rf %s && git clone -q --shared %s %s && cd %s && echo more > more.txt && git add -A && "
       "git -c user.email=t@e -c user.name=t commit -qm more && git repack -qd",
       clone, dir, clone, clone);
    assert_true(compare_all(clone, (size_t)4 << 20, 3) > 0);
    sh("rm -rf %s", clone);
}

static int reader_on(const char *repo_dir, struct leakscan_packs **packs,
                     struct leakscan_pack_reader **r)
{
    char objects[700];

    snprintf(objects, sizeof(objects), "%s/.git/objects", repo_dir);
    assert_int_equal(leakscan_packs_open(packs, objects), 0);
    assert_int_equal(leakscan_pack_reader_new(r, *packs, (size_t)1 << 20), 0);
    return (int)leakscan_packs_count(*packs);
}

static void test_not_here(void **state)
{
    struct leakscan_packs *packs;
    struct leakscan_pack_reader *r;
    const unsigned char *data;
    unsigned char id[20];
    git_oid loose;
    size_t len;
    int type;
    FILE *p;
    char cmd[1024], hex[64];

    (void)state;
    /* a loose object: left to libgit2 */
    snprintf(cmd, sizeof(cmd), "cd %s && echo 'a loose object' | git hash-object -w --stdin", dir);
    assert_non_null(p = popen(cmd, "r"));
    assert_non_null(fgets(hex, sizeof(hex), p));
    pclose(p);
    hex[40] = '\0';
    assert_int_equal(git_oid_fromstr(&loose, hex), 0);
    assert_true(reader_on(dir, &packs, &r) >= 1);
    assert_int_equal(leakscan_pack_read(r, loose.id, 0, &type, &data, &len), LEAKSCAN_ENOTFOUND);
    sh("rm %s/.git/objects/%.2s/%s", dir, hex, hex + 2);
    memset(id, 0xab, sizeof(id));
    assert_int_equal(leakscan_pack_read(r, id, 0, &type, &data, &len), LEAKSCAN_ENOTFOUND);
    leakscan_pack_reader_free(r);
    leakscan_packs_free(packs);
    /* a FIFO named like an index: not waited on, not used */
    sh("mkfifo %s/.git/objects/pack/pack-fifo.idx", dir);
    assert_true(reader_on(dir, &packs, &r) >= 1);
    assert_int_equal(leakscan_pack_read(r, id, 0, &type, &data, &len), LEAKSCAN_ENOTFOUND);
    leakscan_pack_reader_free(r);
    leakscan_packs_free(packs);
    sh("rm %s/.git/objects/pack/pack-fifo.idx", dir);
    /* no pack directory at all */
    assert_int_equal(reader_on("/nonexistent", &packs, &r), 0);
    assert_int_equal(leakscan_pack_read(r, id, 0, &type, &data, &len), LEAKSCAN_ENOTFOUND);
    leakscan_pack_reader_free(r);
    leakscan_packs_free(packs);
}

/*
 * A pack of over 2,048 objects is looked up through a wider fan-out than
 * its index's: every object must still be found, and ids just beside them,
 * and at both ends of the id space, must not.
 */
static void test_wide_fanout(void **state)
{
    struct leakscan_packs *packs;
    struct leakscan_pack_reader *r;
    struct ids ids = {0};
    const unsigned char *data;
    unsigned char id[20];
    char big[600];
    size_t i, len;
    int type;

    (void)state;
    snprintf(big, sizeof(big), "%s-big", dir);
    sh("rm -rf %s && git init -q %s && cd %s && awk 'BEGIN { print \"commit refs/heads/main\"; "
       "print \"committer n <a@b> 1700000000 +0000\"; print \"data 1\"; print \"c\"; "
       "for (i = 0; i < 6000; i++) printf \"M 644 inline f%%d\\ndata <<EOF\\nblob %%d\\nEOF\\n\", i, i; "
       "print \"\" }' | git fast-import --quiet && git repack -qad",
       big, big, big);
    assert_true(compare_all(big, (size_t)4 << 20, 1) > 2 * 6000);
    all_ids(big, &ids);
    assert_int_equal(reader_on(big, &packs, &r), 1);
    for (i = 0; i < ids.n; i++) {
        memcpy(id, ids.v[i].id, sizeof(id));
        id[19] ^= 1;
        assert_int_equal(leakscan_pack_read(r, id, 0, &type, &data, &len), LEAKSCAN_ENOTFOUND);
    }
    memset(id, 0, sizeof(id));
    assert_int_equal(leakscan_pack_read(r, id, 0, &type, &data, &len), LEAKSCAN_ENOTFOUND);
    memset(id, 0xff, sizeof(id));
    assert_int_equal(leakscan_pack_read(r, id, 0, &type, &data, &len), LEAKSCAN_ENOTFOUND);
    leakscan_pack_reader_free(r);
    leakscan_packs_free(packs);
    free(ids.v);
    sh("rm -rf %s", big);
}

/* Over max_size: ETOOBIG with the size, for whole objects and deltas. */
static void test_size_limit(void **state)
{
    struct leakscan_packs *packs;
    struct leakscan_pack_reader *r;
    struct ids ids = {0};
    size_t i, big = 0, small = 0;

    (void)state;
    sh("cd %s && git repack -qadf --depth=50 --window=50", dir);
    all_ids(dir, &ids);
    reader_on(dir, &packs, &r);
    for (i = 0; i < ids.n; i++) {
        const unsigned char *data;
        size_t len, full;
        int type;
        assert_int_equal(leakscan_pack_read(r, ids.v[i].id, 0, &type, &data, &len), 0);
        full = len;
        if (full < 2)
            continue;
        assert_int_equal(leakscan_pack_read(r, ids.v[i].id, full - 1, &type, &data, &len),
                         LEAKSCAN_ETOOBIG);
        assert_int_equal(len, full);
        assert_int_equal(leakscan_pack_read(r, ids.v[i].id, full, &type, &data, &len), 0);
        assert_int_equal(len, full);
        if (full > 100000)
            big++;
        else
            small++;
    }
    assert_true(big >= VERSIONS && small > VERSIONS);
    leakscan_pack_reader_free(r);
    /* again with every base in a large cache: an object found there is held to the limit too */
    assert_int_equal(leakscan_pack_reader_new(&r, packs, (size_t)256 << 20), 0);
    for (i = 0; i < 2 * ids.n; i++) {
        const unsigned char *data;
        size_t len, full;
        int type;
        assert_int_equal(leakscan_pack_read(r, ids.v[i % ids.n].id, 0, &type, &data, &len), 0);
        full = len;
        if (i < ids.n || full < 2)
            continue; /* the first round fills the cache */
        assert_int_equal(leakscan_pack_read(r, ids.v[(i + 1) % ids.n].id, 0, &type, &data, &len),
                         0);
        full = len;
        if (full < 2)
            continue;
        assert_int_equal(
            leakscan_pack_read(r, ids.v[(i + 1) % ids.n].id, full - 1, &type, &data, &len),
            LEAKSCAN_ETOOBIG);
        assert_int_equal(len, full);
    }
    leakscan_pack_reader_free(r);
    leakscan_packs_free(packs);
    free(ids.v);
}

/*
 * A damaged copy of the pack: each object is read right, or left to
 * libgit2 (ENOTFOUND); never wrong bytes, never a crash.
 */
static void damaged(const char *how, const char *cmd, int opens)
{
    char copy[600];
    struct leakscan_packs *packs;
    struct leakscan_pack_reader *r, *good;
    struct leakscan_packs *good_packs;
    struct ids ids = {0};
    size_t i, ok = 0, left = 0;

    snprintf(copy, sizeof(copy), "%s-copy", dir);
    sh("rm -rf %s && cp -r %s %s && cd %s/.git/objects/pack && %s", copy, dir, copy, copy, cmd);
    all_ids(dir, &ids);
    reader_on(dir, &good_packs, &good);
    if (!reader_on(copy, &packs, &r)) {
        print_message("%s: the pack is not opened\n", how);
        assert_false(opens);
        leakscan_pack_reader_free(r);
        leakscan_packs_free(packs);
        goto out;
    }
    for (i = 0; i < ids.n; i++) {
        const unsigned char *data, *want;
        size_t len, want_len;
        int type, want_type, rc = leakscan_pack_read(r, ids.v[i].id, 0, &type, &data, &len);
        assert_int_equal(leakscan_pack_read(good, ids.v[i].id, 0, &want_type, &want, &want_len), 0);
        if (rc == LEAKSCAN_ENOTFOUND) {
            left++;
            continue;
        }
        assert_int_equal(rc, 0);
        assert_int_equal(type, want_type);
        assert_int_equal(len, want_len);
        assert_memory_equal(data, want, len ? len : 1);
        ok++;
    }
    print_message("%s: %zu read, %zu left to libgit2\n", how, ok, left);
    assert_true(opens);
    assert_true(left > 0);
    leakscan_pack_reader_free(r);
    leakscan_packs_free(packs);
out:
    leakscan_pack_reader_free(good);
    leakscan_packs_free(good_packs);
    free(ids.v);
    sh("rm -rf %s", copy);
}

static void test_damaged(void **state)
{
    (void)state;
    /* truncated: its trailer is not the checksum the index records, so it is not used */
    damaged("truncated",
            "f=$(ls *.pack) && chmod u+w $f && truncate -s $(($(stat -c %s $f) * 6 / 10)) $f", 0);
    /* bytes changed every 4,001 bytes: headers, deltas and compressed data */
    damaged("flipped",
            "f=$(ls *.pack) && chmod u+w $f && python3 -c \"import sys; "
            "b=bytearray(open(sys.argv[1],'rb').read()); "
            "[b.__setitem__(i, b[i] ^ 0x55) for i in range(12, len(b) - 20, 4001)]; "
            "open(sys.argv[1],'wb').write(b)\" $f",
            1);
    /* an id changed in the index: that one object is not found */
    damaged("index id",
            "f=$(ls *.idx) && chmod u+w $f && printf '\\377' | dd of=$f bs=1 "
            "seek=1035 conv=notrunc status=none",
            1);
    /* two objects' offsets traded in the index: each points at the other's bytes */
    damaged("offsets traded",
            "f=$(ls *.idx) && chmod u+w $f && python3 -c \"import sys, struct; "
            "b=bytearray(open(sys.argv[1],'rb').read()); n=struct.unpack('>I', b[1028:1032])[0]; "
            "o=1032+24*n; b[o:o+4], b[o+4:o+8] = b[o+4:o+8], b[o:o+4]; "
            "open(sys.argv[1],'wb').write(b)\" $f",
            1);
    /* the object count changed: the pack is left to libgit2 whole */
    damaged("index count",
            "f=$(ls *.idx) && chmod u+w $f && printf '\\377' | dd of=$f bs=1 "
            "seek=1031 conv=notrunc status=none",
            0);
}

static void test_delta(void **state)
{
    static const unsigned char base[] = "0123456789abcdef";
    /* base size 16, result 10: copy 4 bytes at offset 2, insert "xyz", copy 3 at 13 */
    static const unsigned char good[] = {16, 10, 0x91, 2, 4, 3, 'x', 'y', 'z', 0x91, 13, 3};
    unsigned char d[sizeof(good)], *out;
    size_t len;

    (void)state;
    assert_int_equal(leakscan_pack_apply_delta(base, 16, good, sizeof(good), &out, &len), 0);
    assert_int_equal(len, 10);
    assert_memory_equal(out, "2345xyzdef", 10);
    free(out);
    /* the base is not the size the delta says */
    assert_int_equal(leakscan_pack_apply_delta(base, 15, good, sizeof(good), &out, &len),
                     LEAKSCAN_EPARSE);
    assert_null(out);
    /* a copy past the end of the base */
    memcpy(d, good, sizeof(d));
    d[10] = 14;
    assert_int_equal(leakscan_pack_apply_delta(base, 16, d, sizeof(d), &out, &len),
                     LEAKSCAN_EPARSE);
    /* an insert longer than what is left of the delta */
    memcpy(d, good, sizeof(d));
    d[5] = 9;
    assert_int_equal(leakscan_pack_apply_delta(base, 16, d, sizeof(d), &out, &len),
                     LEAKSCAN_EPARSE);
    /* the reserved instruction 0 */
    memcpy(d, good, sizeof(d));
    d[5] = 0;
    assert_int_equal(leakscan_pack_apply_delta(base, 16, d, sizeof(d), &out, &len),
                     LEAKSCAN_EPARSE);
    /* a result shorter than announced */
    assert_int_equal(leakscan_pack_apply_delta(base, 16, good, sizeof(good) - 3, &out, &len),
                     LEAKSCAN_EPARSE);
    /* a copy with no size bytes copies 64 KiB */
    {
        unsigned char *big = calloc(1, 0x10000 + 10);
        static const unsigned char whole[] = {0x8a, 0x80, 0x04, 0x80, 0x80, 0x04, 0x80};
        assert_non_null(big);
        big[0x10000 - 1] = 'z';
        assert_int_equal(
            leakscan_pack_apply_delta(big, 0x10000 + 10, whole, sizeof(whole), &out, &len), 0);
        assert_int_equal(len, 0x10000);
        assert_int_equal(out[0x10000 - 1], 'z');
        free(out);
        free(big);
    }
    /* a size that never ends */
    memset(d, 0xff, sizeof(d));
    assert_int_equal(leakscan_pack_apply_delta(base, 16, d, sizeof(d), &out, &len),
                     LEAKSCAN_EPARSE);
}

static int teardown(void **state)
{
    char cmd[600];

    (void)state;
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_as_libgit2), cmocka_unit_test(test_alternates),
        cmocka_unit_test(test_not_here),        cmocka_unit_test(test_size_limit),
        cmocka_unit_test(test_damaged),         cmocka_unit_test(test_delta),
        cmocka_unit_test(test_wide_fanout),
    };
    int rc;

    git_libgit2_init();
    git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
    rc = cmocka_run_group_tests(tests, NULL, teardown);
    git_libgit2_shutdown();
    return rc;
}
