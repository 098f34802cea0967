/* SPDX-License-Identifier: MIT */
/* Decimal text of integers: printf's own answer for the edges and a sweep between them. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/decimal.h"
#include "unit_test.h"

static void
expect_as_printf(int64_t v)
{
    char mine[DECIMAL_MAX], theirs[32];
    size_t n = decimal_i64(v, mine);

    snprintf(theirs, sizeof(theirs), "%" PRId64, v);
    assert_string_equal(mine, theirs);
    assert_int_equal(n, strlen(theirs));
}

static void
test_edges_as_printf(void **state)
{
    const int64_t edges[] = { 0,
                              1,
                              -1,
                              9,
                              10,
                              -10,
                              99,
                              100,
                              INT32_MAX,
                              INT32_MIN,
                              (int64_t)INT32_MAX + 1,
                              INT64_MAX,
                              INT64_MIN,
                              INT64_MIN + 1 };

    (void)state;
    for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++)
        expect_as_printf(edges[i]);
}

static void
test_every_length_as_printf(void **state)
{
    int64_t v = 1;

    (void)state;
    for (int i = 0; i < 19; i++) {
        expect_as_printf(v - 1);
        expect_as_printf(v);
        expect_as_printf(-v);
        expect_as_printf(v * 7 + 3);
        if (i < 18)
            v *= 10; /* 10^18 is the last power of ten an int64_t holds */
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_edges_as_printf),
        cmocka_unit_test(test_every_length_as_printf),
    };
    return cmocka_run_group_tests_name("decimal", tests, NULL, NULL);
}
