/* SPDX-License-Identifier: MIT */
/* The route table and its dispatch order (reference §3.3). */
#include "router.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/rbuf.h"
#include "internal.h"

typedef void (*relay_handler)(struct relay *relay, const struct relay_request *req,
                              struct relay_response *resp);

static const struct relay_route {
    const char *method;
    const char *resource;
    size_t min_args;
    size_t max_args;
    relay_handler handler;
} relay_routes[] = {
    { "POST", "handshake", 0, 0, relay__res_handshake },
    { "GET", "version", 0, 0, relay__res_version },
    { "GET", "buffers", 0, 3, relay__res_buffers },
    { "GET", "hotlist", 0, 3, relay__res_hotlist },
    { "POST", "input", 0, 0, relay__res_input },
    { "POST", "completion", 0, 0, relay__res_completion },
    { "POST", "ping", 0, 0, relay__res_ping },
    { "POST", "sync", 0, 0, relay__res_sync },
    { "GET", "scripts", 0, 0, relay__res_scripts },
    { "GET", "search", 0, 0, relay__res_search },
    { "POST", "token", 0, 0, relay__res_token },
};

#define ALLOW_HEADER "Allow: GET, POST, PUT, DELETE\r\n"

void
relay_response_error(struct relay_response *resp, int status, const char *fmt, ...)
{
    char text[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    pjson_free(resp->body);
    rbuf_unref(resp->body_text);
    resp->body_text = NULL;
    resp->status = status;
    resp->body_type = NULL;
    resp->body = pjson_object();
    pjson_add_str(resp->body, "error", text);
    if (status == 405)
        resp->extra_headers = ALLOW_HEADER;
}

void
relay_response_fini(struct relay_response *resp)
{
    pjson_free(resp->body);
    rbuf_unref(resp->body_text);
    free(resp->input_command);
    memset(resp, 0, sizeof(*resp));
}

void
relay_response_text(struct relay_response *resp, const char *type, struct buf *text)
{
    resp->status = 200;
    resp->body_type = type;
    rbuf_unref(resp->body_text);
    resp->body_text = rbuf_from_buf(text, 0);
}

const struct rbuf *
relay_response_body(struct relay_response *resp)
{
    if (!resp->body_text && resp->body) {
        size_t len;
        char *text = pjson_print(resp->body, &len);
        resp->body_text = rbuf_new(text, len);
        free(text);
    }
    return resp->body_text;
}

static bool
relay_is_api(const struct relay_request *req)
{
    return req->url.n_segments >= 2 && strcmp(req->url.segments[0], "api") == 0;
}

bool
relay_route_needs_auth(const struct relay_request *req)
{
    if (req->is_websocket)
        return false;
    if (strcmp(req->method, "OPTIONS") == 0 && relay_is_api(req))
        return false;
    return !(relay_is_api(req) && strcmp(req->url.segments[1], "handshake") == 0);
}

static void
relay_preflight(struct relay_response *resp)
{
    resp->status = 204;
    resp->extra_headers = "Access-Control-Allow-Methods: GET, POST, PUT, DELETE\r\n"
                          "Access-Control-Allow-Headers: origin, content-type, accept, "
                          "authorization\r\n";
}

void
relay_route(struct relay *relay, const struct relay_request *req, struct relay_response *resp)
{
    const char *m = req->method;

    if (relay_is_api(req)) {
        if (strcmp(m, "OPTIONS") == 0) {
            relay_preflight(resp);
            return;
        }
        for (size_t i = 0; i < sizeof(relay_routes) / sizeof(relay_routes[0]); i++) {
            const struct relay_route *r = &relay_routes[i];
            size_t n_args = req->url.n_segments_seen - 2;
            if (strcmp(r->resource, req->url.segments[1]) != 0)
                continue;
            if (strcmp(r->method, m) != 0) {
                relay_response_error(resp, 405, "Method Not Allowed");
                return;
            }
            if (n_args < r->min_args) {
                relay_response_error(
                    resp, 400, "Bad request: not enough path parameters (min: %zu)", r->min_args);
                return;
            }
            if (n_args > r->max_args) {
                relay_response_error(resp, 400, "Bad request: too many path parameters (max: %zu)",
                                     r->max_args);
                return;
            }
            r->handler(relay, req, resp);
            return;
        }
    }
    if (strcmp(m, "GET") == 0 || strcmp(m, "POST") == 0 || strcmp(m, "PUT") == 0 ||
        strcmp(m, "DELETE") == 0)
        relay_response_error(resp, 404, "Resource not found");
    else
        relay_response_error(resp, 405, "Method Not Allowed");
}
