/* SPDX-License-Identifier: MIT */
/* The web client's answers: which paths are its, which encoding wins, ETags and 304. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "http/url.h"
#include "relay/web.h"
#include "relay/web_assets.h"
#include "unit_test.h"

static bool
owns(const char *target)
{
    struct http_url url;
    bool is_web;

    http_url_parse(target, &url);
    is_web = relay_web_owns(&url);
    http_url_fini(&url);
    return is_web;
}

static const char *
encoding_for(const char *accept_encoding)
{
    static struct relay_web_answer a;

    relay_web_answer("GET", "/", accept_encoding, NULL, &a);
    assert_int_equal(a.resp.status, 200);
    return a.resp.content_encoding ? a.resp.content_encoding : "identity";
}

static bool
has_variant(enum relay_web_variant v)
{
    for (size_t i = 0; i < relay_web_n_assets; i++) {
        if (strcmp(relay_web_assets[i].path, "/index.html") == 0)
            return relay_web_assets[i].variants[v].data != NULL;
    }
    fail_msg("no /index.html embedded");
    return false;
}

static void
test_paths_outside_api_are_the_web_clients(void **state)
{
    (void)state;
    assert_true(owns("/"));
    assert_true(owns("/index.html"));
    assert_true(owns("/apiary.js"));
    assert_true(owns("/js/api/x.js"));
    assert_false(owns("/api"));
    assert_false(owns("/api/version"));
    assert_false(owns("//api//version"));
    assert_false(owns("/%61pi/version"));
    assert_false(owns("/api?x=1"));
}

static void
test_zstd_then_gzip_then_identity_and_q_zero_refuses(void **state)
{
    const char *best = has_variant(RELAY_WEB_ZSTD) ? "zstd" : "gzip";

    (void)state;
    if (!has_variant(RELAY_WEB_GZIP))
        skip();
    assert_string_equal(encoding_for(NULL), "identity");
    assert_string_equal(encoding_for(""), "identity");
    assert_string_equal(encoding_for("br, deflate"), "identity");
    assert_string_equal(encoding_for("gzip"), "gzip");
    assert_string_equal(encoding_for("GZIP ;q=1"), "gzip");
    assert_string_equal(encoding_for("gzip, zstd;q=0.5"), best);
    assert_string_equal(encoding_for("*"), best);
    assert_string_equal(encoding_for("zstd;q=0, gzip"), "gzip");
    assert_string_equal(encoding_for("gzip;q=0.000, zstd;q=0"), "identity");
    assert_string_equal(encoding_for("*;q=0"), "identity");
    assert_string_equal(encoding_for("gzip;q=0.01"), "gzip");
}

static void
test_etag_per_variant_and_if_none_match(void **state)
{
    struct relay_web_answer a;
    char etag[128], list[300];

    (void)state;
    relay_web_answer("GET", "/index.html?v=1", NULL, NULL, &a);
    assert_int_equal(a.resp.status, 200);
    assert_string_equal(a.resp.content_type, "text/html; charset=utf-8");
    assert_true(a.resp.same_origin);
    const char *p = strstr(a.headers, "ETag: ");
    assert_non_null(p);
    snprintf(etag, sizeof(etag), "%.*s", (int)strcspn(p + 6, "\r"), p + 6);
    relay_web_answer("HEAD", "/", NULL, etag, &a);
    assert_int_equal(a.resp.status, 304);
    snprintf(list, sizeof(list), "\"x\", W/%s", etag);
    relay_web_answer("GET", "/", NULL, list, &a);
    assert_int_equal(a.resp.status, 304);
    relay_web_answer("GET", "/", NULL, "*", &a);
    assert_int_equal(a.resp.status, 304);
    /* The gzip variant's ETag is another: its bytes differ. */
    relay_web_answer("GET", "/", "gzip", etag, &a);
    assert_int_equal(a.resp.status, has_variant(RELAY_WEB_GZIP) ? 200 : 304);
}

static void
test_head_404_and_405_carry_the_security_headers(void **state)
{
    struct relay_web_answer a;

    (void)state;
    relay_web_answer("HEAD", "/", NULL, NULL, &a);
    assert_int_equal(a.resp.status, 200);
    assert_true(a.resp.head_only);
    assert_non_null(strstr(a.headers, "X-Frame-Options: DENY\r\n"));
    relay_web_answer("GET", "/nothing", NULL, NULL, &a);
    assert_int_equal(a.resp.status, 404);
    assert_non_null(strstr(a.headers, "Content-Security-Policy: default-src 'self';"));
    relay_web_answer("POST", "/", NULL, NULL, &a);
    assert_int_equal(a.resp.status, 405);
    assert_non_null(strstr(a.headers, "Allow: GET, HEAD\r\n"));
    assert_non_null(strstr(a.headers, "X-Content-Type-Options: nosniff\r\n"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paths_outside_api_are_the_web_clients),
        cmocka_unit_test(test_zstd_then_gzip_then_identity_and_q_zero_refuses),
        cmocka_unit_test(test_etag_per_variant_and_if_none_match),
        cmocka_unit_test(test_head_404_and_405_carry_the_security_headers),
    };

    return cmocka_run_group_tests_name("web", tests, NULL, NULL);
}
