/* SPDX-License-Identifier: MIT */
/* Names shared between relay/ files only. */
#ifndef PERCH_RELAY_INTERNAL_H
#define PERCH_RELAY_INTERNAL_H

#include <uv.h>

#include "base/list.h"
#include "config.h"
#include "core/color.h"
#include "relay.h"
#include "router.h"

struct http_request;
struct net_listener;
struct ws_session;

struct relay {
    uv_loop_t *loop;
    struct core *core;
    const struct relay_config *cfg;
    struct net_listener *listeners[4];
    size_t n_listeners;
    struct list clients; /* struct relay__client */
    size_t n_clients;
    struct list pending_inputs; /* struct relay__input, run after responses are sent */
    uv_timer_t input_timer;
    bool stopping;
    const char *version;
    void *event_sub; /* core event subscription for sync fan-out */
};

enum relay__mode {
    RELAY_MODE_HTTP,
    RELAY_MODE_WEBSOCKET,
};

enum relay__timer {
    RELAY_TIMER_IDLE,    /* HTTP: between requests */
    RELAY_TIMER_REQUEST, /* HTTP: a request (or the TLS handshake) is under way */
    RELAY_TIMER_WS_IDLE, /* WebSocket: ping when it fires */
    RELAY_TIMER_WS_PING, /* WebSocket: a ping is unanswered */
};

/* What POST /api/sync asked for (reference §6.8). */
struct relay__sync {
    bool enabled;
    bool nicks;
    bool input;
    enum core_color_mode colors;
};

struct relay__client {
    struct list link;
    struct relay *relay;
    struct net_conn *conn; /* NULL once closing started */
    struct http_reader *reader;
    struct ws_session *ws; /* WebSocket mode only */
    enum relay__mode mode;
    enum relay__timer timer;
    struct relay__sync sync;
    bool over_limit;
    bool first_request_done;
    bool busy;       /* inside a callback: freeing waits */
    bool ws_feeding; /* inside the WebSocket parser: frames are flushed after it */
};

/* Code that may close a client holds it: a close then frees it only at release. */
void relay__client_hold(struct relay__client *c);
void relay__client_release(struct relay__client *c);
/* Arms the connection timer for a state, with the configured delay. */
void relay__client_arm_timer(struct relay__client *c, enum relay__timer timer);
/* Writes a JSON error response and closes (HTTP). */
void relay__client_send_error(struct relay__client *c, int status, const char *message, int reason);

/* WebSocket transport (websocket.c). */
/* Answers a "GET /api" first request: validates, authenticates, sends 101 and switches the
 * client to WebSocket mode; or refuses and closes. */
void relay__ws_open(struct relay__client *c, const struct http_request *hreq);
void relay__ws_feed(struct relay__client *c, const char *data, size_t len);
void relay__ws_timer(struct relay__client *c);
/* Sends a goodbye close frame (code) before the connection's closing path. */
void relay__ws_goodbye(struct relay__client *c, uint16_t code, const char *reason);
/* Queues a text message and flushes the frames to the connection. */
void relay__ws_send(struct relay__client *c, const char *text, size_t len);

/* Sync fan-out (sync.c). */
void relay__sync_init(struct relay *relay);
void relay__sync_fini(struct relay *relay);

/* Handlers: one per resource. */
void relay__res_handshake(struct relay *relay, const struct relay_request *req,
                          struct relay_response *resp);
void relay__res_version(struct relay *relay, const struct relay_request *req,
                        struct relay_response *resp);
void relay__res_buffers(struct relay *relay, const struct relay_request *req,
                        struct relay_response *resp);
void relay__res_hotlist(struct relay *relay, const struct relay_request *req,
                        struct relay_response *resp);
void relay__res_input(struct relay *relay, const struct relay_request *req,
                      struct relay_response *resp);
void relay__res_completion(struct relay *relay, const struct relay_request *req,
                           struct relay_response *resp);
void relay__res_ping(struct relay *relay, const struct relay_request *req,
                     struct relay_response *resp);
void relay__res_scripts(struct relay *relay, const struct relay_request *req,
                        struct relay_response *resp);
void relay__res_sync(struct relay *relay, const struct relay_request *req,
                     struct relay_response *resp);

/* Queues the response's input (if any) to run on the next loop turn. */
void relay__queue_input(struct relay *relay, struct relay_response *resp);
/* The listeners' accept callback. */
void relay__accept_cb(struct net_conn *conn, void *data);
/* Puts an adopted client (after an upgrade) back in WebSocket mode, without deflate. */
void relay__ws_adopt(struct relay__client *c);
/* Accepts a connection as an HTTP client. */
void relay__client_accept(struct relay *relay, struct net_conn *conn);
void relay__client_close_all(struct relay *relay, int reason);

#endif
