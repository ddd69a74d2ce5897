/*
 * test_doc.c - YAML/JSON tree with positions; alias bombs and nesting bounded.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "leakscan/doc.h"

static struct leakscan_doc *parse(const char *text, struct leakscan_err *err)
{
    struct leakscan_doc *doc = NULL;

    leakscan_err_init(err);
    if (leakscan_doc_parse(&doc, "t.yaml", text, strlen(text), NULL, err))
        return NULL;
    return doc;
}

static void test_doc__positions(void **state)
{
    struct leakscan_err err;
    struct leakscan_doc *doc = parse("a: 1\nlist:\n  - x\n  - \"quoted\"\n", &err);
    const struct leakscan_node *list, *q;

    (void)state;
    assert_non_null(doc);
    assert_int_equal(doc->ndocs, 1);
    list = leakscan_node_get(doc->docs[0], "list");
    assert_non_null(list);
    assert_int_equal(list->type, LEAKSCAN_NODE_SEQ);
    assert_int_equal(list->count, 2);
    q = list->items[1];
    assert_string_equal(q->value, "quoted");
    assert_int_equal(q->line, 4);
    assert_int_equal(q->column, 5);
    assert_true(q->quoted);
    assert_false(list->items[0]->quoted);
    assert_null(leakscan_node_get(doc->docs[0], "missing"));
    leakscan_doc_free(doc);
}

static void test_doc__json_and_multidoc(void **state)
{
    struct leakscan_err err;
    struct leakscan_doc *doc = parse("{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": "
                                     "\"Allow\"}]}",
                                     &err);
    const struct leakscan_node *st;

    (void)state;
    assert_non_null(doc);
    st = leakscan_node_get(doc->docs[0], "Statement");
    assert_non_null(st);
    assert_true(leakscan_node_is(leakscan_node_get(st->items[0], "Effect"), "Allow"));
    leakscan_doc_free(doc);
    doc = parse("a: 1\n---\nb: 2\n---\n", &err);
    assert_non_null(doc);
    assert_int_equal(doc->ndocs, 3);
    assert_non_null(leakscan_node_get(doc->docs[1], "b"));
    /* an empty document is an empty plain scalar (YAML null) */
    assert_int_equal(doc->docs[2]->type, LEAKSCAN_NODE_SCALAR);
    assert_int_equal(doc->docs[2]->len, 0);
    leakscan_doc_free(doc);
}

static void test_doc__malformed_names_position(void **state)
{
    struct leakscan_err err;

    (void)state;
    assert_null(parse("a: [1, 2\nb: 3\n", &err));
    assert_int_equal(err.code, LEAKSCAN_EPARSE);
    assert_non_null(strstr(err.msg, "t.yaml:"));
    assert_null(parse("key: value\n  bad: indent\n", &err));
    assert_non_null(strstr(err.msg, "t.yaml:2:"));
    assert_null(parse("a: *nope\n", &err));
    assert_non_null(strstr(err.msg, "unknown alias"));
    /* invalid UTF-8 is a clear error, not a crash */
    assert_null(parse("a: \xff\xfe\n", &err));
    assert_int_equal(err.code, LEAKSCAN_EPARSE);
}

static void test_doc__aliases_copied(void **state)
{
    struct leakscan_err err;
    struct leakscan_doc *doc = parse("base: &b {x: 1}\nuse: *b\n", &err);
    const struct leakscan_node *use;

    (void)state;
    assert_non_null(doc);
    use = leakscan_node_get(doc->docs[0], "use");
    assert_non_null(use);
    assert_true(leakscan_node_is(leakscan_node_get(use, "x"), "1"));
    assert_int_equal(use->line, 2);
    leakscan_doc_free(doc);
}

static void test_doc__alias_bomb_bounded(void **state)
{
    /* "billion laughs": 9 levels of 9 copies = 387 million nodes if expanded */
    const char *bomb =
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
        "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
        "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
        "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
        "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
        "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
        "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
        "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
    struct leakscan_err err;

    (void)state;
    assert_null(parse(bomb, &err));
    assert_int_equal(err.code, LEAKSCAN_ETOOBIG);
    assert_non_null(strstr(err.msg, "too many nodes"));
}

static void test_doc__deep_nesting_bounded(void **state)
{
    size_t depth = 10000, i;
    char *text = malloc(2 * depth + 1);
    struct leakscan_err err;

    (void)state;
    assert_non_null(text);
    for (i = 0; i < depth; i++) {
        text[i] = '[';
        text[depth + i] = ']';
    }
    text[2 * depth] = '\0';
    assert_null(parse(text, &err));
    assert_int_equal(err.code, LEAKSCAN_ETOOBIG);
    assert_non_null(strstr(err.msg, "nesting deeper"));
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_doc__positions),
        cmocka_unit_test(test_doc__json_and_multidoc),
        cmocka_unit_test(test_doc__malformed_names_position),
        cmocka_unit_test(test_doc__aliases_copied),
        cmocka_unit_test(test_doc__alias_bomb_bounded),
        cmocka_unit_test(test_doc__deep_nesting_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
