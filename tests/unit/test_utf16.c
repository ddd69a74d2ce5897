/*
 * test_utf16.c - UTF-16 with a byte order mark to UTF-8.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "leakscan/utf16.h"

static void converts(const char *in, size_t len, const char *want)
{
    struct leakscan_buf out;
    int order = leakscan_utf16_bom(in, len);

    leakscan_buf_init(&out);
    assert_true(order == 1 || order == 2);
    assert_int_equal(leakscan_utf16_to_utf8(in, len, order, &out), 0);
    assert_int_equal(out.len, strlen(want));
    assert_memory_equal(out.data, want, out.len);
    leakscan_buf_release(&out);
}

static void test_utf16(void **state)
{
    (void)state;
    /* little endian: ASCII, e-acute, a snowman, a surrogate pair (U+1F511) */
    converts("\xff\xfe"
             "k\0=\0\xe9\0\x03\x26=\xd8\x11\xdd",
             14, "k=\xc3\xa9\xe2\x98\x83\xf0\x9f\x94\x91");
    /* big endian */
    converts("\xfe\xff\0k\0=", 6, "k=");
    /* an unpaired surrogate and a trailing odd byte become U+FFFD */
    converts("\xff\xfe\x00\xd8k\0x", 7, "\xef\xbf\xbdk\xef\xbf\xbd");
    assert_int_equal(leakscan_utf16_bom("ab", 2), 0);
    assert_int_equal(leakscan_utf16_bom("\xff", 1), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_utf16)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
