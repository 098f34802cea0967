/* SPDX-License-Identifier: MIT */
/* Dates in the protocol's text form: written within four-digit years, read back alike. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "base/timefmt.h"
#include "unit_test.h"

static void
test_dates_round_trip(void **state)
{
    char out[TIMEFMT_ISO_LEN];
    int64_t us = -1;

    (void)state;
    timefmt_iso(1756580695123456LL, out);
    assert_string_equal(out, "2025-08-30T19:04:55.123456Z");
    assert_int_equal(timefmt_parse(out, &us), 0);
    assert_int_equal(us, 1756580695123456LL);
    timefmt_iso(-1, out);
    assert_string_equal(out, "1969-12-31T23:59:59.999999Z");
    /* Years before 1000 keep their four digits: strftime's %Y would write "999". */
    assert_int_equal(timefmt_parse("0999-01-02T03:04:05Z", &us), 0);
    timefmt_iso(us, out);
    assert_string_equal(out, "0999-01-02T03:04:05.000000Z");
}

static void
test_dates_past_four_digit_years_are_written_at_the_nearest_end(void **state)
{
    char out[TIMEFMT_ISO_LEN];

    (void)state;
    /* 10000-01-01: strftime cannot write it in the room of a four-digit year. */
    timefmt_iso((TIMEFMT_MAX_SECONDS + 1) * 1000000, out);
    assert_string_equal(out, "9999-12-31T23:59:59.999999Z");
    timefmt_iso(INT64_MAX, out);
    assert_string_equal(out, "9999-12-31T23:59:59.999999Z");
    timefmt_iso(INT64_MIN, out);
    assert_string_equal(out, "0000-01-01T00:00:00.000000Z");
}

static void
test_dates_past_9999_are_refused(void **state)
{
    int64_t us = 7;

    (void)state;
    assert_int_equal(timefmt_parse("9999-12-31T23:59:59.5Z", &us), 0);
    assert_int_equal(us, TIMEFMT_MAX_SECONDS * 1000000 + 500000);
    /* Leap seconds roll the last minute of 9999 over into 10000. */
    assert_int_equal(timefmt_parse("9999-12-31T23:59:60Z", &us), -EINVAL);
    assert_int_equal(timefmt_parse("9999-12-31T23:59:61", &us), -EINVAL);
    assert_int_equal(timefmt_parse("@253402300800", &us), -EINVAL);
    assert_int_equal(us, TIMEFMT_MAX_SECONDS * 1000000 + 500000);
}

/* The seconds turn with CLOCK_REALTIME, as a peer's clock (a client's timestamp, a test's
 * time.time()) does: right after a second begins, the new second, where time(NULL) (the
 * kernel's coarse clock) still says the old one until the next tick. */
static void
test_now_s_turns_with_the_realtime_clock(void **state)
{
    (void)state;
    for (int i = 0; i < 3; i++) {
        struct timespec ts;
        time_t old;

        clock_gettime(CLOCK_REALTIME, &ts);
        old = ts.tv_sec;
        do
            clock_gettime(CLOCK_REALTIME, &ts);
        while (ts.tv_sec == old);
        assert_true(timefmt_now_s() >= (int64_t)ts.tv_sec);
        assert_true(timefmt_now_s() * 1000000 <= timefmt_now_us());
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dates_round_trip),
        cmocka_unit_test(test_dates_past_four_digit_years_are_written_at_the_nearest_end),
        cmocka_unit_test(test_dates_past_9999_are_refused),
        cmocka_unit_test(test_now_s_turns_with_the_realtime_clock),
    };
    return cmocka_run_group_tests_name("timefmt", tests, NULL, NULL);
}
