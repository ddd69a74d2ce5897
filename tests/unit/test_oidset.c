/*
 * test_oidset.c - the id set of the history walk: every id inserted is
 * found with its value, absent ones are not, ids that share their hash
 * bytes are told apart, the all-zero id (the empty-slot mark) is an id like
 * the others, and values that do not fit are refused.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "leakscan/oidset.h"

#define N 100000

static uint64_t rng = 88172645463325252ull;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void random_oid(git_oid *o)
{
    uint64_t a = next(), b = next(), c = next();

    memcpy(o->id, &a, 8);
    memcpy(o->id + 8, &b, 8);
    memcpy(o->id + 16, &c, 4);
}

static void test_add_get(void **state)
{
    static git_oid ids[N], other;
    struct leakscan_oidset s;
    size_t i, v;

    (void)state;
    leakscan_oidset_init(&s);
    for (i = 0; i < N; i++) {
        random_oid(&ids[i]);
        assert_int_equal(leakscan_oidset_add(&s, &ids[i], i, NULL), 1);
    }
    assert_int_equal(s.n, N);
    for (i = 0; i < N; i++) {
        v = 0;
        assert_int_equal(leakscan_oidset_get(&s, &ids[i], &v), 1);
        assert_int_equal(v, i);
        /* again: not inserted, the first value kept */
        assert_int_equal(leakscan_oidset_add(&s, &ids[i], 7, &v), 0);
        assert_int_equal(v, i);
    }
    for (i = 0; i < 1000; i++) {
        random_oid(&other);
        assert_int_equal(leakscan_oidset_get(&s, &other, NULL), 0);
    }
    assert_int_equal(s.n, N);
    leakscan_oidset_release(&s);
}

static void test_same_hash_bytes(void **state)
{
    git_oid a, b;
    struct leakscan_oidset s;
    size_t v;

    (void)state;
    leakscan_oidset_init(&s);
    memset(&a, 0x5a, sizeof(a));
    b = a;
    b.id[19] ^= 1; /* the same first 8 bytes: the same slot to start from */
    assert_int_equal(leakscan_oidset_add(&s, &a, 1, NULL), 1);
    assert_int_equal(leakscan_oidset_get(&s, &b, NULL), 0);
    assert_int_equal(leakscan_oidset_add(&s, &b, 2, NULL), 1);
    assert_int_equal(leakscan_oidset_get(&s, &a, &v), 1);
    assert_int_equal(v, 1);
    assert_int_equal(leakscan_oidset_get(&s, &b, &v), 1);
    assert_int_equal(v, 2);
    leakscan_oidset_release(&s);
}

static void test_zero_id_and_big_values(void **state)
{
    git_oid zero, o;
    struct leakscan_oidset s;
    size_t v;

    (void)state;
    memset(&zero, 0, sizeof(zero));
    leakscan_oidset_init(&s);
    assert_int_equal(leakscan_oidset_get(&s, &zero, NULL), 0);
    assert_int_equal(leakscan_oidset_add(&s, &zero, 42, NULL), 1);
    assert_int_equal(leakscan_oidset_add(&s, &zero, 43, &v), 0);
    assert_int_equal(v, 42);
    assert_int_equal(leakscan_oidset_get(&s, &zero, &v), 1);
    assert_int_equal(v, 42);
    random_oid(&o);
    assert_int_equal(leakscan_oidset_get(&s, &o, NULL), 0);
    assert_int_equal(leakscan_oidset_add(&s, &o, UINT32_MAX, NULL), 1);
    assert_int_equal(leakscan_oidset_get(&s, &o, &v), 1);
    assert_int_equal(v, UINT32_MAX);
#if SIZE_MAX > UINT32_MAX
    random_oid(&o);
    assert_int_equal(leakscan_oidset_add(&s, &o, (size_t)UINT32_MAX + 1, NULL), -1);
    assert_int_equal(leakscan_oidset_get(&s, &o, NULL), 0);
#endif
    leakscan_oidset_release(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_add_get),
                                       cmocka_unit_test(test_same_hash_bytes),
                                       cmocka_unit_test(test_zero_id_and_big_values)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
