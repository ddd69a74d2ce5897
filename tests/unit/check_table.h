/*
 * check_table.h - a test helper shared by the lint unit tests: every check of
 * a lint's table has the lint's id prefix and category, a summary, a unique
 * id, a test in `tested` (a NULL-terminated list) and is found by id in the
 * registry; and `tested` names no check the table lacks.
 *
 * Include after <cmocka.h> and "leakscan/lint.h".
 */
#ifndef LEAKSCAN_TEST_CHECK_TABLE_H
#define LEAKSCAN_TEST_CHECK_TABLE_H

static void check_table_verify(const struct leakscan_check *checks, const char *prefix,
                               const char *category, const char *const *tested)
{
    size_t i, j, n = 0;

    for (i = 0; checks[i].id; i++) {
        const struct leakscan_check *c = &checks[i];

        assert_true(!strncmp(c->id, prefix, strlen(prefix)));
        assert_string_equal(c->category, category);
        assert_non_null(c->summary);
        assert_true(strlen(c->summary) > 10);
        for (j = 0; j < i; j++)
            assert_string_not_equal(c->id, checks[j].id);
        for (j = 0; tested[j] && strcmp(tested[j], c->id); j++)
            ;
        if (!tested[j]) {
            fprintf(stderr, "check %s has no test here\n", c->id);
            fail();
        }
        /* the registry finds it by id */
        assert_ptr_equal(leakscan_lint_check(c->id), c);
        n++;
    }
    for (j = 0; tested[j]; j++)
        ;
    assert_int_equal(n, j);
}

#endif
