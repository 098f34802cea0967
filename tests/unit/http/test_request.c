/* SPDX-License-Identifier: MIT */
/* The HTTP request reader: whole, byte by byte, chunked, merged headers, limits, errors. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/request.h"
#include "unit_test.h"

struct seen {
    int n;
    char method[4][16];
    char target[4][64];
    char body[4][64];
    char auth[4][64];
    int keep_alive[4];
};

static bool
on_request(const struct http_request *req, void *data)
{
    struct seen *s = data;

    if (s->n < 4) {
        const char *auth = http_request_header(req, "authorization");
        snprintf(s->method[s->n], 16, "%s", req->method);
        snprintf(s->target[s->n], 64, "%s", req->target);
        snprintf(s->body[s->n], 64, "%.*s", (int)req->body.len,
                 req->body.data ? req->body.data : "");
        snprintf(s->auth[s->n], 64, "%s", auth ? auth : "");
        s->keep_alive[s->n] = req->keep_alive;
    }
    s->n++;
    return true;
}

static const char two_requests[] =
    "POST /api/input HTTP/1.1\r\nHost: x\r\nAuthorization: Basic abc\r\n"
    "Content-Length: 13\r\n\r\n{\"command\":1}"
    "GET /api/version?x=1 HTTP/1.1\r\nauthorization: a\r\nAuthorization:  b\r\n\r\n";

static void
check_two(const struct seen *s)
{
    assert_int_equal(s->n, 2);
    assert_string_equal(s->method[0], "POST");
    assert_string_equal(s->target[0], "/api/input");
    assert_string_equal(s->body[0], "{\"command\":1}");
    assert_string_equal(s->auth[0], "Basic abc");
    assert_string_equal(s->target[1], "/api/version?x=1");
    /* A repeated header is merged, as the reference does: auth then fails. */
    assert_string_equal(s->auth[1], "a, b");
    assert_true(s->keep_alive[0]);
}

static void
test_pipelined_requests_in_one_feed(void **state)
{
    struct seen s = { 0 };
    struct http_reader *r = http_reader_new(4096, 4096, on_request, &s);

    (void)state;
    assert_int_equal(http_reader_feed(r, two_requests, strlen(two_requests)),
                     (long)strlen(two_requests));
    check_two(&s);
    http_reader_free(r);
}

static void
test_fed_one_byte_at_a_time(void **state)
{
    struct seen s = { 0 };
    struct http_reader *r = http_reader_new(4096, 4096, on_request, &s);

    (void)state;
    for (size_t i = 0; i < strlen(two_requests); i++) {
        assert_int_equal(http_reader_feed(r, two_requests + i, 1), 1);
        if (i + 1 < strlen(two_requests) && s.n == 0)
            assert_true(http_reader_in_request(r));
    }
    check_two(&s);
    assert_false(http_reader_in_request(r));
    http_reader_free(r);
}

/* Stops at each request and keeps a pointer to it, as an owner that answers later does. */
static bool
on_request_stop(const struct http_request *req, void *data)
{
    const struct http_request **kept = data;

    *kept = req;
    return false;
}

static void
test_request_kept_after_stopping_until_next_feed(void **state)
{
    const struct http_request *kept = NULL;
    struct http_reader *r = http_reader_new(4096, 4096, on_request_stop, &kept);
    size_t len = strlen(two_requests);
    long n;

    (void)state;
    n = http_reader_feed(r, two_requests, len);
    assert_true(n > 0 && (size_t)n < len);
    /* After the feed returned, the stopped request is whole. */
    assert_non_null(kept);
    assert_string_equal(kept->method, "POST");
    assert_string_equal(kept->target, "/api/input");
    assert_string_equal(http_request_header(kept, "Authorization"), "Basic abc");
    assert_int_equal(kept->body.len, 13);
    assert_memory_equal(kept->body.data, "{\"command\":1}", 13);
    assert_false(http_reader_in_request(r));
    /* The next feed goes on with the rest. */
    kept = NULL;
    assert_int_equal(http_reader_feed(r, two_requests + n, len - (size_t)n), (long)len - n);
    assert_non_null(kept);
    assert_string_equal(kept->target, "/api/version?x=1");
    assert_string_equal(http_request_header(kept, "authorization"), "a, b");
    /* Freed while one is kept: nothing leaks (the sanitizer build checks). */
    http_reader_free(r);
}

static void
test_chunked_body(void **state)
{
    static const char req[] = "POST /api/ping HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                              "5\r\n{\"dat\r\n8\r\na\":\"xy\"}\r\n0\r\n\r\n";
    struct seen s = { 0 };
    struct http_reader *r = http_reader_new(4096, 4096, on_request, &s);

    (void)state;
    for (size_t i = 0; i < strlen(req); i++)
        assert_int_equal(http_reader_feed(r, req + i, 1), 1);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.body[0], "{\"data\":\"xy\"}");
    http_reader_free(r);
}

static void
test_connection_close_and_http10(void **state)
{
    static const char req[] = "GET / HTTP/1.1\r\nConnection: close\r\n\r\nGET / HTTP/1.0\r\n\r\n";
    struct seen s = { 0 };
    struct http_reader *r = http_reader_new(4096, 4096, on_request, &s);

    (void)state;
    http_reader_feed(r, req, strlen(req));
    assert_int_equal(s.n, 2);
    assert_false(s.keep_alive[0]);
    assert_false(s.keep_alive[1]);
    http_reader_free(r);
}

static void
test_header_block_over_limit(void **state)
{
    char req[600];
    struct seen s = { 0 };
    struct http_reader *r = http_reader_new(256, 4096, on_request, &s);

    (void)state;
    snprintf(req, sizeof(req), "GET / HTTP/1.1\r\nX-Big: %0400d\r\n\r\n", 0);
    assert_int_equal(http_reader_feed(r, req, strlen(req)), HTTP_READ_HEADERS_TOO_BIG);
    assert_int_equal(s.n, 0);
    /* Once failed, the reader stays failed. */
    assert_int_equal(http_reader_feed(r, "GET / HTTP/1.1\r\n\r\n", 18), HTTP_READ_HEADERS_TOO_BIG);
    http_reader_free(r);
}

static void
test_body_over_limit_by_length_and_by_chunks(void **state)
{
    static const char by_length[] = "POST / HTTP/1.1\r\nContent-Length: 5000\r\n\r\n";
    static const char by_chunks[] = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                                    "20\r\n0123456789abcdef0123456789abcdef\r\n";
    struct seen s = { 0 };
    struct http_reader *r = http_reader_new(4096, 16, on_request, &s);

    (void)state;
    assert_int_equal(http_reader_feed(r, by_length, strlen(by_length)), HTTP_READ_BODY_TOO_BIG);
    http_reader_free(r);
    r = http_reader_new(4096, 16, on_request, &s);
    assert_int_equal(http_reader_feed(r, by_chunks, strlen(by_chunks)), HTTP_READ_BODY_TOO_BIG);
    http_reader_free(r);
}

static void
test_malformed_request_line(void **state)
{
    struct seen s = { 0 };
    struct http_reader *r = http_reader_new(4096, 4096, on_request, &s);

    (void)state;
    assert_int_equal(http_reader_feed(r, "\x16\x03\x01garbage\r\n\r\n", 14), HTTP_READ_MALFORMED);
    http_reader_free(r);
    r = http_reader_new(4096, 4096, on_request, &s);
    assert_int_equal(http_reader_feed(r, "GET / HTTP/1.1\r\nBad Header\r\n\r\n", 30),
                     HTTP_READ_MALFORMED);
    http_reader_free(r);
}

#define TARGET_TAIL                                                                      \
    "0123456789012345678901234567890123456789012345678901234567890123456789012345678901" \
    "23456789"

/* Checks every header of many_headers, for whatever way the request was fed. */
static bool
on_many_headers(const struct http_request *req, void *data)
{
    char name[16], value[64];
    int *seen = data;

    assert_string_equal(req->target, "/api/version?long=" TARGET_TAIL);
    for (int i = 0; i < 20; i++) {
        snprintf(name, sizeof(name), "x-h%d", i);
        snprintf(value, sizeof(value), "value %d of twenty", i);
        assert_string_equal(http_request_header(req, name), value);
    }
    assert_string_equal(http_request_header(req, "X-Empty"), "");
    assert_string_equal(http_request_header(req, "X-After-Empty"), "yes");
    assert_string_equal(http_request_header(req, "x-twice"), "one, two, three");
    assert_string_equal(http_request_header(req, "X-Tab"), "tabbed");
    /* A chunked body's trailers are dropped. */
    assert_null(http_request_header(req, "X-Trailer"));
    assert_null(http_request_header(req, "X-Missing"));
    assert_int_equal(req->body.len, 5);
    (*seen)++;
    return true;
}

static void
test_many_headers_empty_repeated_and_trailers(void **state)
{
    char req[4096];
    size_t len = 0;
    int seen = 0;

    (void)state;
    len += (size_t)snprintf(req + len, sizeof(req) - len,
                            "POST /api/version?long=" TARGET_TAIL " HTTP/1.1\r\n"
                            "X-Twice: one\r\nX-Empty:\r\nX-After-Empty: yes\r\n");
    for (int i = 0; i < 20; i++)
        len +=
            (size_t)snprintf(req + len, sizeof(req) - len, "X-H%d: value %d of twenty\r\n", i, i);
    len += (size_t)snprintf(req + len, sizeof(req) - len,
                            "x-twice: two\r\nX-Tab:\ttabbed\r\nX-TWICE: three\r\n"
                            "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n"
                            "X-Trailer: dropped\r\n\r\n");
    static const size_t steps[] = { 1, 2, 3, 4, 5, 6, 7, SIZE_MAX };
    for (size_t k = 0; k < sizeof(steps) / sizeof(steps[0]); k++) {
        struct http_reader *r = http_reader_new(4096, 4096, on_many_headers, &seen);
        size_t step = steps[k];

        for (size_t at = 0; at < len; at += step) {
            size_t n = len - at < step ? len - at : step;
            assert_int_equal(http_reader_feed(r, req + at, n), (long)n);
        }
        http_reader_free(r);
    }
    /* Fed 1 to 7 bytes at a time, then whole. */
    assert_int_equal(seen, 8);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pipelined_requests_in_one_feed),
        cmocka_unit_test(test_fed_one_byte_at_a_time),
        cmocka_unit_test(test_request_kept_after_stopping_until_next_feed),
        cmocka_unit_test(test_chunked_body),
        cmocka_unit_test(test_connection_close_and_http10),
        cmocka_unit_test(test_header_block_over_limit),
        cmocka_unit_test(test_body_over_limit_by_length_and_by_chunks),
        cmocka_unit_test(test_malformed_request_line),
        cmocka_unit_test(test_many_headers_empty_repeated_and_trailers),
    };

    return cmocka_run_group_tests_name("http_request", tests, NULL, NULL);
}
