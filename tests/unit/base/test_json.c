/* SPDX-License-Identifier: MIT */
/* The JSON wrapper: integer ids, member order, escapes, depth limit, trailing data. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "unit_test.h"

static void
assert_prints(struct pjson *v, const char *expected)
{
    char *text = pjson_print(v, NULL);

    assert_string_equal(text, expected);
    free(text);
    pjson_free(v);
}

static void
test_large_ids_print_as_integers(void **state)
{
    struct pjson *o = pjson_object();

    (void)state;
    /* cJSON alone prints 1795631181215750 as 1.79563118121575e+15. */
    pjson_add_int(o, "buffer_id", 1795631181215750LL);
    pjson_add_int(o, "neg", -1);
    assert_prints(o, "{\"buffer_id\":1795631181215750,\"neg\":-1}");
}

static void
test_members_keep_insertion_order(void **state)
{
    struct pjson *o = pjson_object();

    (void)state;
    pjson_add_str(o, "z", "1");
    pjson_add_bool(o, "a", true);
    pjson_add_null(o, "m");
    assert_prints(o, "{\"z\":\"1\",\"a\":true,\"m\":null}");
}

static void
test_control_chars_escaped_lowercase_and_utf8_raw(void **state)
{
    (void)state;
    assert_prints(pjson_string("\x1b[31m\x19"
                               "F03/\xc3\xa9\n"),
                  "\"\\u001b[31m\\u0019F03/\xc3\xa9\\n\"");
}

static void
test_strings_print_as_utf8_whatever_they_were_given(void **state)
{
    (void)state;
    /* JSON text is UTF-8 (RFC 8259 8.1), and perch's goes in WebSocket text frames. */
    assert_prints(pjson_string("a\xff\xc3"), "\"a\xef\xbf\xbd\xef\xbf\xbd\"");
}

static void
test_parse_refuses_text_that_is_not_utf8(void **state)
{
    const char text[] = "{\"command\":\"/print \xe9t\xe9\"}";

    (void)state;
    assert_null(pjson_parse(text, strlen(text), 10));
}

static void
test_parse_ignores_trailing_data(void **state)
{
    const char text[] = "{\"request\":\"GET /api/version\"} junk";
    struct pjson *v = pjson_parse(text, strlen(text), 10);

    (void)state;
    assert_non_null(v);
    assert_string_equal(pjson_str(pjson_get(v, "request")), "GET /api/version");
    pjson_free(v);
}

static void
test_parse_refuses_deep_nesting(void **state)
{
    char deep[200];

    (void)state;
    memset(deep, '[', 100);
    memset(deep + 100, ']', 100);
    assert_null(pjson_parse(deep, sizeof(deep), 64));
    struct pjson *ok = pjson_parse("[[[]]]", 6, 64);
    assert_non_null(ok);
    pjson_free(ok);
}

static void
test_parse_rejects_garbage(void **state)
{
    (void)state;
    assert_null(pjson_parse("this is not json", 16, 64));
    assert_null(pjson_parse("", 0, 64));
    assert_null(pjson_parse("{\"a\":", 5, 64));
}

static void
test_iteration_visits_elements_and_members_in_order(void **state)
{
    const char *text = "{\"a\": [1, 2, 3], \"b\": {\"x\": 1, \"y\": 2}, \"c\": 5}";
    struct pjson *v = pjson_parse(text, strlen(text), 8);
    double sum = 0;
    int n = 0;

    (void)state;
    pjson_for_each (item, pjson_get(v, "a"))
        sum += pjson_number(item);
    assert_true(sum == 6);
    pjson_for_each (member, pjson_get(v, "b"))
        n++;
    assert_int_equal(n, 2);
    /* Scalars and absent values have nothing to visit. */
    assert_null(pjson_first(pjson_get(v, "c")));
    assert_null(pjson_first(NULL));
    assert_null(pjson_next(NULL));
    pjson_free(v);
}

static void
test_integers_are_read_only_within_their_range(void **state)
{
    const char text[] = "[42.9, -7, 1e300, -1e300, 9.3e18, \"5\", null, 3000000000]";
    struct pjson *v = pjson_parse(text, sizeof(text) - 1, 4);

    (void)state;
    assert_non_null(v);
    assert_int_equal(pjson_integer(pjson_at(v, 0), 0, 100, -1), 42);
    assert_int_equal(pjson_integer(pjson_at(v, 1), INT64_MIN, INT64_MAX, 0), -7);
    assert_int_equal(pjson_integer(pjson_at(v, 1), 0, 100, -1), -1);
    /* Past int64: the fallback, never a cast. */
    assert_int_equal(pjson_integer(pjson_at(v, 2), INT64_MIN, INT64_MAX, 3), 3);
    assert_int_equal(pjson_integer(pjson_at(v, 3), INT64_MIN, INT64_MAX, 3), 3);
    assert_int_equal(pjson_integer(pjson_at(v, 4), INT64_MIN, INT64_MAX, 3), 3);
    assert_int_equal(pjson_integer(pjson_at(v, 5), INT64_MIN, INT64_MAX, 3), 3);
    assert_int_equal(pjson_integer(pjson_at(v, 6), INT64_MIN, INT64_MAX, 3), 3);
    assert_int_equal(pjson_integer(pjson_at(v, 7), INT32_MIN, INT32_MAX, 3), 3);
    assert_int_equal(pjson_integer(pjson_at(v, 7), 0, INT64_MAX, 3), 3000000000LL);
    assert_int_equal(pjson_integer(NULL, 0, 1, 9), 9);
    assert_int_equal(pjson_int64(pjson_at(v, 7)), 3000000000LL);
    assert_int_equal(pjson_int64(pjson_at(v, 2)), 0);
    pjson_free(v);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_large_ids_print_as_integers),
        cmocka_unit_test(test_members_keep_insertion_order),
        cmocka_unit_test(test_control_chars_escaped_lowercase_and_utf8_raw),
        cmocka_unit_test(test_strings_print_as_utf8_whatever_they_were_given),
        cmocka_unit_test(test_parse_refuses_text_that_is_not_utf8),
        cmocka_unit_test(test_parse_ignores_trailing_data),
        cmocka_unit_test(test_parse_refuses_deep_nesting),
        cmocka_unit_test(test_parse_rejects_garbage),
        cmocka_unit_test(test_iteration_visits_elements_and_members_in_order),
        cmocka_unit_test(test_integers_are_read_only_within_their_range),
    };

    return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
