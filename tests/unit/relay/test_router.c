/* SPDX-License-Identifier: MIT */
/* The router: which answer wins (preflight, 404, 405, 400 path counts) and handler bodies. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/rbuf.h"
#include "core/core.h"
#include "relay/config.h"
#include "relay/relay.h"
#include "relay/router.h"
#include "unit_test.h"

static struct relay_config cfg = {
    .password = (char *)"secret",
    .totp_secret = (char *)"",
    .hash_algos = (char *)"*",
    .api_version = (char *)"0.4.1",
    .hash_iterations = 100000,
    .max_json_depth = 32,
};

struct fixture {
    struct core *core;
    struct relay *relay;
};

static int
setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));

    f->core = core_new(100, "0.1.0");
    f->relay = relay_new(uv_default_loop(), f->core, &cfg, "0.1.0");
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;

    relay_stop(f->relay);
    relay_free(f->relay);
    uv_run(uv_default_loop(), UV_RUN_DEFAULT);
    core_free(f->core);
    free(f);
    return 0;
}

/* Routes a request; returns the status and the printed body (static storage). */
static int
route(struct fixture *f, const char *method, const char *target, const char *body,
      const char **text)
{
    static char printed[4096];
    struct relay_request req = { .method = method, .target = target };
    struct relay_response resp = { 0 };
    struct pjson *parsed = body ? pjson_parse(body, strlen(body), 32) : NULL;
    int status;

    req.body = parsed;
    req.body_sent = body != NULL;
    http_url_parse(target, &req.url);
    relay_route(f->relay, &req, &resp);
    printed[0] = '\0';
    if (relay_response_body(&resp)) {
        const struct rbuf *t = relay_response_body(&resp);
        snprintf(printed, sizeof(printed), "%.*s", (int)t->len, t->data);
    }
    status = resp.status;
    if (text)
        *text = printed;
    relay_response_fini(&resp);
    http_url_fini(&req.url);
    pjson_free(parsed);
    return status;
}

static void
test_errors_and_their_order(void **state)
{
    struct fixture *f = *state;
    const char *body;

    assert_int_equal(route(f, "GET", "/api/unknown", NULL, &body), 404);
    assert_string_equal(body, "{\"error\":\"Resource not found\"}");
    assert_int_equal(route(f, "PATCH", "/api/version", NULL, &body), 405);
    assert_string_equal(body, "{\"error\":\"Method Not Allowed\"}");
    assert_int_equal(route(f, "DELETE", "/api/buffers", NULL, NULL), 405);
    assert_int_equal(route(f, "PUT", "/api/unknown", NULL, NULL), 404);
    assert_int_equal(route(f, "GET", "/api/handshake", NULL, NULL), 405);
    assert_int_equal(route(f, "HEAD", "/api/version", NULL, NULL), 405);
    assert_int_equal(route(f, "OPTIONS", "/api", NULL, NULL), 405);
    assert_int_equal(route(f, "OPTIONS", "/api/buffers/x/y", NULL, NULL), 204);
    assert_int_equal(route(f, "GET", "/api/version/extra", NULL, &body), 400);
    assert_string_equal(body, "{\"error\":\"Bad request: too many path parameters (max: 0)\"}");
    assert_int_equal(route(f, "GET", "/api/buffers/a/b/c/d", NULL, &body), 400);
    assert_string_equal(body, "{\"error\":\"Bad request: too many path parameters (max: 3)\"}");
    assert_int_equal(route(f, "GET", "/api/hotlist/a/b/c", NULL, NULL), 200);
    assert_int_equal(route(f, "GET", "//api//version/", NULL, NULL), 200);
}

static void
test_authentication_is_required_except_handshake_and_preflight(void **state)
{
    struct relay_request req = { .method = "GET" };

    (void)state;
    http_url_parse("/api/unknown", &req.url);
    assert_true(relay_route_needs_auth(&req));
    http_url_fini(&req.url);
    req.method = "POST";
    http_url_parse("/api/handshake", &req.url);
    assert_false(relay_route_needs_auth(&req));
    http_url_fini(&req.url);
    req.method = "OPTIONS";
    http_url_parse("/api/buffers", &req.url);
    assert_false(relay_route_needs_auth(&req));
    http_url_fini(&req.url);
    http_url_parse("/other", &req.url);
    assert_true(relay_route_needs_auth(&req));
    http_url_fini(&req.url);
}

static void
test_handshake_negotiation(void **state)
{
    struct fixture *f = *state;
    const char *body;

    route(f, "POST", "/api/handshake", "{\"password_hash_algo\":[\"sha512\",\"plain\",\"sha256\"]}",
          &body);
    assert_string_equal(
        body,
        "{\"password_hash_algo\":\"sha512\",\"password_hash_iterations\":100000,\"totp\":false}");
    route(f, "POST", "/api/handshake", NULL, &body);
    assert_string_equal(
        body, "{\"password_hash_algo\":null,\"password_hash_iterations\":100000,\"totp\":false}");
    assert_int_equal(
        route(f, "POST", "/api/handshake", "{\"password_hash_algo\":[\"plain\",\"md5\"]}", &body),
        400);
    assert_string_equal(body, "{\"error\":\"Hash algorithm \\\"md5\\\" not found\"}");
    assert_int_equal(
        route(f, "POST", "/api/handshake", "{\"password_hash_algo\":\"plain\"}", &body), 400);
    assert_string_equal(body, "{\"error\":\"Invalid hash algorithm\"}");
    assert_int_equal(route(f, "POST", "/api/handshake", "[\"plain\"]", &body), 400);
    assert_string_equal(body, "{\"error\":\"Bad request\"}");
}

static void
test_buffers_parameters(void **state)
{
    struct fixture *f = *state;
    const char *body;

    assert_int_equal(route(f, "GET", "/api/buffers?lines=abc", NULL, &body), 400);
    assert_string_equal(body, "{\"error\":\"Invalid query string parameter \\\"lines\\\"\"}");
    assert_int_equal(route(f, "GET", "/api/buffers?lines_free=1x", NULL, NULL), 400);
    assert_int_equal(route(f, "GET", "/api/buffers?nicks=", NULL, &body), 400);
    assert_string_equal(body, "{\"error\":\"Invalid parameter \\\"nicks\\\"\"}");
    assert_int_equal(route(f, "GET", "/api/buffers?colors=rgb", NULL, NULL), 400);
    assert_int_equal(route(f, "GET", "/api/buffers/nope.nope", NULL, &body), 404);
    assert_string_equal(body, "{\"error\":\"Buffer \\\"nope.nope\\\" not found\"}");
    assert_int_equal(route(f, "GET", "/api/buffers/core.weechat/unknown", NULL, &body), 404);
    assert_string_equal(body, "{\"error\":\"Sub-resource of buffers not found: \\\"unknown\\\"\"}");
    assert_int_equal(route(f, "GET", "/api/buffers/core.weechat/lines/7", NULL, &body), 404);
    assert_string_equal(body,
                        "{\"error\":\"Line \\\"7\\\" not found in buffer \\\"core.weechat\\\"\"}");
    assert_int_equal(route(f, "GET", "/api/buffers/core.weechat/lines?lines=--1", NULL, NULL), 400);
    assert_int_equal(route(f, "GET", "/api/buffers/core.weechat/nicks/anything", NULL, &body), 200);
    assert_non_null(strstr(body, "\"id\":0,\"parent_group_id\":-1,\"name\":\"root\""));
    assert_int_equal(route(f, "GET", "/api/buffers?lines=%20-5&nicks=TRUE", NULL, &body), 200);
    assert_null(strstr(body, "nicklist_root"));
}

static void
test_errors_naming_bytes_that_are_not_utf8_stay_utf8(void **state)
{
    struct fixture *f = *state;
    const char *body;

    /* Answers go in WebSocket text frames: a client fails the connection on bad UTF-8. */
    assert_int_equal(route(f, "GET", "/api/buffers/%ff%c3", NULL, &body), 404);
    assert_string_equal(body, "{\"error\":\"Buffer \\\"\xef\xbf\xbd\xef\xbf\xbd\\\" not found\"}");
}

static void
test_input_ping_and_sync(void **state)
{
    struct fixture *f = *state;
    const char *body;

    assert_int_equal(route(f, "POST", "/api/input", "{\"command\":\"/print hi\"}", NULL), 204);
    assert_int_equal(route(f, "POST", "/api/input", "{\"buffer_id\":42,\"command\":\"x\"}", &body),
                     404);
    assert_string_equal(body, "{\"error\":\"Buffer \\\"42\\\" not found\"}");
    /* An id past int64 is named as sent, not through an undefined cast (found by fuzzing). */
    assert_int_equal(
        route(f, "POST", "/api/input", "{\"buffer_id\":1e30,\"command\":\"x\"}", &body), 404);
    assert_string_equal(body,
                        "{\"error\":\"Buffer \\\"1000000000000000019884624838656\\\" not found\"}");
    assert_int_equal(route(f, "POST", "/api/input", "{\"command\":5}", NULL), 400);
    assert_int_equal(route(f, "POST", "/api/input", NULL, NULL), 400);
    assert_int_equal(route(f, "POST", "/api/ping", NULL, NULL), 204);
    assert_int_equal(route(f, "POST", "/api/ping", "{\"data\":\"x\"}", &body), 200);
    assert_string_equal(body, "{\"data\":\"x\"}");
    assert_int_equal(route(f, "POST", "/api/ping", "[\"x\"]", NULL), 400);
    assert_int_equal(route(f, "POST", "/api/sync", NULL, &body), 403);
    assert_string_equal(
        body, "{\"error\":\"Sync resource is available only with a websocket connection\"}");
    assert_int_equal(route(f, "POST", "/api/completion", "{\"command\":\"/qu\"}", &body), 200);
    assert_string_equal(
        body,
        "{\"context\":\"command\",\"base_word\":\"qu\",\"position_replace\":1,\"add_space\":true,\"list\":[\"quit\"]}");
    assert_int_equal(
        route(f, "POST", "/api/completion", "{\"command\":\"x\",\"position\":\"1\"}", NULL), 400);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_errors_and_their_order, setup, teardown),
        cmocka_unit_test(test_authentication_is_required_except_handshake_and_preflight),
        cmocka_unit_test_setup_teardown(test_handshake_negotiation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_buffers_parameters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors_naming_bytes_that_are_not_utf8_stay_utf8, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_input_ping_and_sync, setup, teardown),
    };

    return cmocka_run_group_tests_name("router", tests, NULL, NULL);
}
