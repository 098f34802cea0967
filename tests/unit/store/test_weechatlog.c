/* SPDX-License-Identifier: MIT */
/* WeeChat log lines: the dates of each WeeChat version, the fields, what does not parse. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "store/weechatlog.h"
#include "unit_test.h"

/* 2025-08-30T19:04:55Z */
#define T0 1756580695LL

static int64_t
parse_date(const char *text)
{
    int64_t us = -1;

    return store_weechatlog_parse_date(text, strlen(text), &us) == 0 ? us : -1;
}

static void
test_dates_of_weechat_4_8_are_utc_with_fractions_and_offsets(void **state)
{
    (void)state;
    assert_int_equal(parse_date("2025-08-30 19:04:55.123456Z"), T0 * 1000000 + 123456);
    assert_int_equal(parse_date("2025-08-30T19:04:55z"), T0 * 1000000);
    assert_int_equal(parse_date("2025-08-30 19:04:55.5Z"), T0 * 1000000 + 500000);
    assert_int_equal(parse_date("2025-08-30T21:04:55,25+02:00"), T0 * 1000000 + 250000);
    assert_int_equal(parse_date("2025-08-30 21:04:55 +0200"), T0 * 1000000);
    assert_int_equal(parse_date("2025-08-30T18:04:55-01"), T0 * 1000000);
}

static void
test_classic_dates_are_local_time(void **state)
{
    char out[STORE_WEECHATLOG_DATE_LEN];

    (void)state;
    /* Central European time as a POSIX rule: no time zone database needed. */
    setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3", 1);
    /* Summer time on that date: two hours ahead of UTC. */
    assert_int_equal(parse_date("2025-08-30 21:04:55"), T0 * 1000000);
    store_weechatlog_date(T0 * 1000000 + 999999, out);
    assert_string_equal(out, "2025-08-30 21:04:55");
    /* Winter: one hour. */
    assert_int_equal(parse_date("2025-01-15 13:00:00"), 1736942400LL * 1000000);
    unsetenv("TZ");
}

static void
test_invalid_dates_are_refused(void **state)
{
    static const char *const bad[] = {
        "",
        "2025-08-30",
        "2025-08-30 19:04",
        "2025-13-01 00:00:00",
        "2025-02-29 00:00:00",
        "2025-08-30 24:00:00",
        "2025-08-30 19:04:55.",
        "2025-08-30 19:04:55.1234567Z",
        "2025-08-30 19:04:55Zx",
        "2025-08-30 19:04:55 ",
        "2025-08-30 19:04:55+2",
        "1969-12-31 23:59:59Z",
        "25-08-30 19:04:55",
        "2025/08/30 19:04:55",
        /* Past 9999 (a leap second, an offset): the format could not write it back. */
        "9999-12-31 23:59:60Z",
        "9999-12-31T23:59:59-00:01",
    };

    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(parse_date(bad[i]), -1);
    assert_int_equal(parse_date("2024-02-29 00:00:00Z"), 1709164800LL * 1000000);
    assert_int_equal(parse_date("9999-12-31T23:59:59Z"), 253402300799LL * 1000000);
}

static void
test_fields_split_at_the_first_two_tabs(void **state)
{
    static const char line[] = "2025-08-30 19:04:55Z\talice\ta message\twith a tab";
    static const char info[] = "2025-08-30 19:04:55Z\t****  Beginning of log  ****";
    static const char empty[] = "2025-08-30 19:04:55Z\t\t";
    struct store_weechatlog_line l;

    (void)state;
    assert_int_equal(store_weechatlog_parse(line, strlen(line), &l), 0);
    assert_int_equal(l.date_us, T0 * 1000000);
    assert_int_equal(l.prefix_len, 5);
    assert_memory_equal(l.prefix, "alice", 5);
    assert_int_equal(l.message_len, strlen("a message\twith a tab"));
    assert_memory_equal(l.message, "a message\twith a tab", l.message_len);
    /* One tab only: no prefix, the rest is the message (WeeChat's info lines). */
    assert_int_equal(store_weechatlog_parse(info, strlen(info), &l), 0);
    assert_int_equal(l.prefix_len, 0);
    assert_int_equal(l.message_len, strlen("****  Beginning of log  ****"));
    assert_int_equal(store_weechatlog_parse(empty, strlen(empty), &l), 0);
    assert_int_equal(l.prefix_len + l.message_len, 0);
}

static void
test_lines_without_a_date_and_tab_do_not_parse(void **state)
{
    static const char *const lines[] = {
        "a continuation line",
        "2025-08-30 19:04:55Z no tab",
        "\talice\tno date",
        "2025-08-30 19:04:55Y\talice\tbad zone",
    };
    struct store_weechatlog_line l;

    (void)state;
    for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
        assert_int_equal(store_weechatlog_parse(lines[i], strlen(lines[i]), &l), -EINVAL);
}

/* The date is read within the length given, never past it. */
static void
test_parse_stays_within_the_length(void **state)
{
    static const char line[] = "2025-08-30 19:04:55Z\tp\tm";
    struct store_weechatlog_line l;
    char *copy;

    (void)state;
    for (size_t len = 0; len < strlen(line); len++) {
        copy = malloc(len ? len : 1);
        memcpy(copy, line, len);
        if (store_weechatlog_parse(copy, len, &l) == 0)
            assert_true(l.message + l.message_len <= copy + len);
        free(copy);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dates_of_weechat_4_8_are_utc_with_fractions_and_offsets),
        cmocka_unit_test(test_classic_dates_are_local_time),
        cmocka_unit_test(test_invalid_dates_are_refused),
        cmocka_unit_test(test_fields_split_at_the_first_two_tabs),
        cmocka_unit_test(test_lines_without_a_date_and_tab_do_not_parse),
        cmocka_unit_test(test_parse_stays_within_the_length),
    };

    return cmocka_run_group_tests_name("store_weechatlog", tests, NULL, NULL);
}
