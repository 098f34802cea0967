/* SPDX-License-Identifier: MIT */
/* UTF-8 repair: valid text copied whole, each invalid byte one U+FFFD between valid runs. */
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "base/utf8_case.h"
#include "unit_test.h"

static void
assert_repaired(const char *in, size_t len, const char *expected)
{
    char *out = utf8_repair(in, len);

    assert_string_equal(out, expected);
    free(out);
}

static void
test_valid_text_is_copied_whole(void **state)
{
    (void)state;
    assert_repaired("", 0, "");
    assert_repaired("plain ascii", 11, "plain ascii");
    assert_repaired("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xa6", 14,
                    "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xa6");
    /* Only len bytes are read. */
    assert_repaired("abcdef", 3, "abc");
}

static void
test_each_invalid_byte_becomes_one_replacement(void **state)
{
    (void)state;
    assert_repaired("\xff", 1, "\xef\xbf\xbd");
    assert_repaired("a\xff"
                    "b",
                    3,
                    "a\xef\xbf\xbd"
                    "b");
    assert_repaired("\xfe\xff"
                    "ok",
                    4,
                    "\xef\xbf\xbd\xef\xbf\xbd"
                    "ok");
    assert_repaired("x\xc3\xa9\x80y\xc3", 6, "x\xc3\xa9\xef\xbf\xbdy\xef\xbf\xbd");
}

static void
test_casecmp_folds_ascii_and_unicode_letters(void **state)
{
    (void)state;
    assert_int_equal(utf8_casecmp("Bob", "bob"), 0);
    assert_true(utf8_casecmp("alice", "Bob") < 0);
    assert_true(utf8_casecmp("bob", "bobby") < 0);
    assert_true(utf8_casecmp("bobby", "Bob") > 0);
    assert_int_equal(utf8_casecmp("", ""), 0);
    /* É and é are one letter; "[" (0x5b) sorts before "Z", lowered to "z" (0x7a) first. */
    assert_int_equal(utf8_casecmp("\xc3\x89mile", "\xc3\xa9MILE"), 0);
    assert_true(utf8_casecmp("[x]", "Zed") < 0);
    assert_true(utf8_casecmp("zed", "\xc3\xa9ric") < 0);
    /* An invalid byte reads as U+FFFD, never past the string's end. */
    assert_true(utf8_casecmp("a\xff", "a") > 0);
    assert_int_equal(utf8_lower('Q'), 'q');
    assert_int_equal(utf8_lower(0x0394), 0x03B4); /* Greek capital delta */
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_text_is_copied_whole),
        cmocka_unit_test(test_each_invalid_byte_becomes_one_replacement),
        cmocka_unit_test(test_casecmp_folds_ascii_and_unicode_letters),
    };

    return cmocka_run_group_tests_name("utf8", tests, NULL, NULL);
}
