/* SPDX-License-Identifier: MIT */
/* Request targets: segments, percent-decoding, query parameters, compression choice. */
#include <stdint.h>
#include <stdlib.h>

#include "http/compress.h"
#include "http/url.h"
#include "unit_test.h"

static void
test_segments_drop_empties_and_decode_after_split(void **state)
{
    struct http_url u;

    (void)state;
    http_url_parse("//api//buffers/irc.libera.%23weechat/a%2Fb/%zz+x?lines=-3", &u);
    assert_int_equal(u.n_segments, 5);
    assert_string_equal(u.segments[0], "api");
    assert_string_equal(u.segments[2], "irc.libera.#weechat");
    assert_string_equal(u.segments[3], "a/b");
    assert_string_equal(u.segments[4], "%zz+x");
    assert_string_equal(http_url_param(&u, "lines"), "-3");
    http_url_fini(&u);
}

static void
test_query_last_wins_and_empty_values(void **state)
{
    struct http_url u;

    (void)state;
    http_url_parse("/api/buffers?nicks&lines=1&lines=2&colors=%77eechat&x=%", &u);
    assert_string_equal(http_url_param(&u, "nicks"), "");
    assert_string_equal(http_url_param(&u, "lines"), "2");
    assert_string_equal(http_url_param(&u, "colors"), "weechat");
    assert_string_equal(http_url_param(&u, "x"), "%");
    assert_null(http_url_param(&u, "missing"));
    http_url_fini(&u);
}

/* Targets whose strings need the most room for their NULs: a path without its first '/',
 * parameters without '=' and ending the target (the sanitizer build checks the bounds). */
static void
test_strings_fit_in_one_allocation_at_the_tightest(void **state)
{
    static const char *const targets[] = {
        "a", "ab/c", "a?b", "a?b&c&d", "?=", "?a=&=b&c", "/x?", "?", "", "a/b?c=%41%42&&d"
    };
    struct http_url u;

    (void)state;
    for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
        http_url_parse(targets[i], &u);
        http_url_fini(&u);
    }
    http_url_parse("a/b?c=%41%42&&d", &u);
    assert_int_equal(u.n_segments, 2);
    assert_string_equal(u.segments[1], "b");
    assert_string_equal(http_url_param(&u, "c"), "AB");
    assert_string_equal(http_url_param(&u, "d"), "");
    http_url_fini(&u);
    http_url_parse("?a=&=b&c", &u);
    assert_int_equal(u.n_params, 3);
    assert_string_equal(http_url_param(&u, ""), "b");
    assert_string_equal(http_url_param(&u, "a"), "");
    http_url_fini(&u);
}

static void
test_encoding_choice_follows_reference(void **state)
{
    (void)state;
    assert_int_equal(http_encoding_pick("gzip, deflate"), HTTP_ENCODING_DEFLATE);
    assert_int_equal(http_encoding_pick("gzip,deflate, zstd"), HTTP_ENCODING_ZSTD);
    assert_int_equal(http_encoding_pick("gzip"), HTTP_ENCODING_GZIP);
    assert_int_equal(http_encoding_pick("gzip;q=1.0, br, *"), HTTP_ENCODING_IDENTITY);
    assert_int_equal(http_encoding_pick(NULL), HTTP_ENCODING_IDENTITY);
}

static void
test_gzip_stream_is_complete_even_for_tiny_bodies(void **state)
{
    struct buf out;

    (void)state;
    buf_init(&out, 1 << 20);
    assert_int_equal(http_compress(HTTP_ENCODING_GZIP, 20, "[]", 2, &out), 0);
    /* 10-byte header + deflate data + 8-byte trailer whose ISIZE is 2. */
    assert_true(out.len >= 20);
    assert_int_equal((unsigned char)out.data[out.len - 4], 2);
    assert_int_equal((unsigned char)out.data[0], 0x1f);
    buf_fini(&out);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_segments_drop_empties_and_decode_after_split),
        cmocka_unit_test(test_query_last_wins_and_empty_values),
        cmocka_unit_test(test_strings_fit_in_one_allocation_at_the_tightest),
        cmocka_unit_test(test_encoding_choice_follows_reference),
        cmocka_unit_test(test_gzip_stream_is_complete_even_for_tiny_bodies),
    };

    return cmocka_run_group_tests_name("http_url", tests, NULL, NULL);
}
