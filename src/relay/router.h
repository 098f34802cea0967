/* SPDX-License-Identifier: MIT */
/* Requests and responses of the api protocol, and the route table that maps one to the other. */
#ifndef PERCH_RELAY_ROUTER_H
#define PERCH_RELAY_ROUTER_H

#include <stdbool.h>
#include <stdint.h>

#include "http/url.h"

struct buf;
struct pjson;
struct rbuf;
struct relay;

struct relay_request {
    const char *method;
    const char *target; /* path and query, not decoded */
    struct http_url url;
    const struct pjson *body; /* NULL when absent or not JSON */
    bool body_sent;           /* a body was sent (maybe invalid) */
    bool is_websocket;
};

struct relay_response {
    int status;
    const char *body_type;     /* NULL for none (errors, 204) */
    struct pjson *body;        /* owned; NULL for an empty body */
    struct rbuf *body_text;    /* owned reference: the body as JSON text (streamed answers,
                                  or body once printed) */
    const char *extra_headers; /* "Name: value\r\n" lines */
    /* POST /api/sync over a WebSocket: the new options (reference §6.8). */
    bool has_sync;
    bool sync_enabled;
    bool sync_nicks;
    bool sync_input;
    int sync_colors; /* enum core_color_mode */
    /* Input to run once the response is on its way (reference §6.5). */
    int64_t input_buffer_id;
    char *input_command;
};

/* Routes an authenticated request (or a handshake/preflight) to its handler. */
void relay_route(struct relay *relay, const struct relay_request *req, struct relay_response *resp);
/* True when the request needs credentials: all but POST /api/handshake and OPTIONS
 * /api/... (perch also authenticates 404 and 405 answers, unlike the reference). */
bool relay_route_needs_auth(const struct relay_request *req);

/* Sets an error response {"error": text}. */
void relay_response_error(struct relay_response *resp, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void relay_response_fini(struct relay_response *resp);
/* A 200 answer of type whose body is the JSON text in text (taken: text is left empty). */
void relay_response_text(struct relay_response *resp, const char *type, struct buf *text);
/* The body as JSON text, printed once from body if it was built as a tree; NULL when the
 * answer has no body. Owned by resp. */
const struct rbuf *relay_response_body(struct relay_response *resp);

#endif
