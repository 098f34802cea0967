/* SPDX-License-Identifier: MIT */
/* The growable buffer stays a C string whatever was done to it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "unit_test.h"

static void
test_reserved_but_empty_is_an_empty_string(void **state)
{
    struct buf b;
    char *s;

    (void)state;
    buf_init(&b, (size_t)-1);
    assert_int_equal(buf_reserve(&b, 100), 0);
    assert_non_null(b.data);
    assert_string_equal(b.data, "");
    s = buf_steal(&b, NULL);
    assert_string_equal(s, "");
    free(s);
    assert_null(b.data);
}

static void
test_growth_keeps_the_terminator(void **state)
{
    struct buf b;
    size_t len;
    char *s;

    (void)state;
    buf_init(&b, (size_t)-1);
    assert_int_equal(buf_append_str(&b, "ab"), 0);
    assert_int_equal(buf_reserve(&b, 4096), 0);
    assert_string_equal(b.data, "ab");
    for (int i = 0; i < 100; i++)
        assert_int_equal(buf_append_char(&b, 'x'), 0);
    s = buf_steal(&b, &len);
    assert_int_equal(len, 102);
    assert_int_equal(strlen(s), 102);
    free(s);
}

static void
test_the_maximum_refuses_and_changes_nothing(void **state)
{
    struct buf b;

    (void)state;
    buf_init(&b, 4);
    assert_int_equal(buf_append_str(&b, "abc"), 0);
    assert_int_equal(buf_reserve(&b, 2), -ENOBUFS);
    assert_int_equal(buf_append_str(&b, "de"), -ENOBUFS);
    assert_string_equal(b.data, "abc");
    assert_int_equal(b.len, 3);
    buf_fini(&b);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reserved_but_empty_is_an_empty_string),
        cmocka_unit_test(test_growth_keeps_the_terminator),
        cmocka_unit_test(test_the_maximum_refuses_and_changes_nothing),
    };
    return cmocka_run_group_tests_name("buf", tests, NULL, NULL);
}
