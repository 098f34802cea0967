/* SPDX-License-Identifier: MIT */
/* Hex text both ways: round trip, either case in, odd lengths and non-digits refused. */
#include <string.h>

#include "base/hex.h"
#include "unit_test.h"

static void
test_round_trip_in_either_case(void **state)
{
    const unsigned char bin[] = { 0x00, 0x7f, 0x80, 0xff, 0x1a };
    unsigned char back[5];
    char text[11];

    (void)state;
    hex_encode(bin, sizeof(bin), text);
    assert_string_equal(text, "007f80ff1a");
    assert_int_equal(hex_decode(text, 10, back), 5);
    assert_memory_equal(back, bin, 5);
    assert_int_equal(hex_decode("007F80FF1A", 10, back), 5);
    assert_memory_equal(back, bin, 5);
    assert_int_equal(hex_decode("", 0, back), 0);
}

static void
test_odd_lengths_and_non_digits_refused(void **state)
{
    unsigned char out[4];

    (void)state;
    assert_int_equal(hex_decode("abc", 3, out), -1);
    assert_int_equal(hex_decode("0g", 2, out), -1);
    assert_int_equal(hex_decode(" 1", 2, out), -1);
    assert_int_equal(hex_decode("1\n", 2, out), -1);
    assert_int_equal(hex_decode("+1", 2, out), -1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_in_either_case),
        cmocka_unit_test(test_odd_lengths_and_non_digits_refused),
    };

    return cmocka_run_group_tests_name("hex", tests, NULL, NULL);
}
