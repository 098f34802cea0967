/* SPDX-License-Identifier: MIT */
/* Accept matching: the most specific range wins, q values, malformed ranges ignored. */
#include "http/accept.h"
#include "unit_test.h"

static void
test_most_specific_range_gives_the_quality(void **state)
{
    const char *prometheus = "application/openmetrics-text;version=1.0.0,"
                             "application/openmetrics-text;version=0.0.1;q=0.75,"
                             "text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    (void)state;
    assert_int_equal(http_accept_quality(prometheus, "application/openmetrics-text"), 1000);
    assert_int_equal(http_accept_quality(prometheus, "text/plain"), 500);
    assert_int_equal(http_accept_quality(prometheus, "application/json"), 100);
    assert_int_equal(http_accept_quality("text/*;q=0.3, */*;q=0.9", "text/plain"), 300);
    assert_int_equal(http_accept_quality("*/*", "text/plain"), 1000);
    assert_int_equal(http_accept_quality("TEXT/Plain", "text/plain"), 1000);
}

static void
test_absent_header_accepts_everything_and_unlisted_types_nothing(void **state)
{
    (void)state;
    assert_int_equal(http_accept_quality(NULL, "text/plain"), 1000);
    assert_int_equal(http_accept_quality("", "text/plain"), -1);
    assert_int_equal(http_accept_quality("application/json", "text/plain"), -1);
    assert_int_equal(http_accept_quality("text/plainer", "text/plain"), -1);
    assert_int_equal(http_accept_quality("text/plain;q=0", "text/plain"), 0);
}

static void
test_q_values_parsed_to_thousandths(void **state)
{
    (void)state;
    assert_int_equal(http_accept_quality("text/plain; q=0.123", "text/plain"), 123);
    assert_int_equal(http_accept_quality("text/plain ;Q=1.000", "text/plain"), 1000);
    assert_int_equal(http_accept_quality("text/plain;a=\"x,y;q=0\";q=0.5", "text/plain"), 500);
    /* Malformed: the range does not count. */
    assert_int_equal(http_accept_quality("text/plain;q=1.5", "text/plain"), -1);
    assert_int_equal(http_accept_quality("text/plain;q=0.1234", "text/plain"), -1);
    assert_int_equal(http_accept_quality("text/plain;q=", "text/plain"), -1);
    assert_int_equal(http_accept_quality("text/plain;q=2, */*;q=0.2", "text/plain"), 200);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_most_specific_range_gives_the_quality),
        cmocka_unit_test(test_absent_header_accepts_everything_and_unlisted_types_nothing),
        cmocka_unit_test(test_q_values_parsed_to_thousandths),
    };

    return cmocka_run_group_tests_name("accept", tests, NULL, NULL);
}
