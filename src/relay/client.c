/* SPDX-License-Identifier: MIT */
/* A client connection: HTTP requests authenticated and routed, or a WebSocket after "GET /api". */
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/log.h"
#include "base/rbuf.h"
#include "base/xalloc.h"
#include "http/compress.h"
#include "http/request.h"
#include "http/response.h"
#include "internal.h"
#include "net/conn.h"
#include "web.h"
#include "ws/session.h"

static void client_on_data(struct net_conn *conn, const char *data, size_t len);
static void client_on_timer(struct net_conn *conn);
static void client_on_close(struct net_conn *conn, enum net_close_reason reason);

static const struct net_conn_ops client_ops = {
    .on_data = client_on_data,
    .on_timer = client_on_timer,
    .on_close = client_on_close,
};

static void
client_free(struct relay__client *c)
{
    http_reader_free(c->reader);
    relay__ws_drop_queue(c);
    ws_session_free(c->ws);
    buf_fini(&c->auth_stash);
    relay__client_forget_login(c);
    free(c);
}

/* Frees a client whose connection is gone once nothing uses it any more. */
static void
client_free_if_unused(struct relay__client *c)
{
    if (!c->conn && !c->busy && !c->auth_job)
        client_free(c);
}

void
relay__client_hold(struct relay__client *c)
{
    c->busy = true;
}

void
relay__client_release(struct relay__client *c)
{
    c->busy = false;
    client_free_if_unused(c);
}

static struct relay__client *
client_enter(struct net_conn *conn)
{
    struct relay__client *c = net_conn_owner(conn);

    relay__client_hold(c);
    return c;
}

/* Writes a complete response; close adds "Connection: close" and ends the connection. */
static void
client_send(struct relay__client *c, struct http_response *resp, enum net_close_reason reason,
            bool close)
{
    struct buf out;

    if (!c->conn)
        return;
    resp->close = close;
    buf_init(&out, (size_t)-1);
    http_response_write(&out, resp);
    net_conn_write(c->conn, out.data, out.len);
    relay__metrics_sent(c, 1, out.len);
    buf_fini(&out);
    if (close && c->conn)
        net_conn_close(c->conn, reason);
}

void
relay__client_send_http(struct relay__client *c, struct http_response *resp, bool close)
{
    client_send(c, resp, NET_CLOSE_DONE, close);
}

void
relay__client_refuse(struct relay__client *c, int status, const char *message,
                     const char *extra_headers, int reason)
{
    struct pjson *body = pjson_object();
    struct http_response resp = { .status = status, .extra_headers = extra_headers };
    size_t len;
    char *text;

    pjson_add_str(body, "error", message);
    text = pjson_print(body, &len);
    resp.body = text;
    resp.body_len = len;
    client_send(c, &resp, (enum net_close_reason)reason, true);
    free(text);
    pjson_free(body);
}

void
relay__client_send_error(struct relay__client *c, int status, const char *message, int reason)
{
    relay__client_refuse(c, status, message, NULL, reason);
}

/* Sends the router's response, compressed when the client accepts it. */
static void
client_send_response(struct relay__client *c, const struct http_request *hreq,
                     struct relay_response *rr, bool close)
{
    struct http_response resp = { .status = rr->status, .extra_headers = rr->extra_headers };
    enum http_encoding enc = HTTP_ENCODING_IDENTITY;
    const struct rbuf *body = relay_response_body(rr);
    const char *text = body ? body->data : NULL;
    size_t len = body ? body->len : 0;
    struct buf packed;

    buf_init(&packed, c->relay->cfg->write_queue_max);
    if (len && c->relay->cfg->compression > 0)
        enc = http_encoding_pick(http_request_header(hreq, "Accept-Encoding"));
    if (enc != HTTP_ENCODING_IDENTITY &&
        http_compress(enc, c->relay->cfg->compression, text, len, &packed) == 0) {
        resp.content_encoding = http_encoding_name(enc);
        resp.body = packed.data;
        resp.body_len = packed.len;
    } else {
        resp.body = text;
        resp.body_len = len;
    }
    client_send(c, &resp, NET_CLOSE_DONE, close);
    buf_fini(&packed);
}

/* "GET /api" as the first request is a WebSocket opening handshake (§2, §8.1). */
static bool
client_is_websocket_open(const struct relay__client *c, const struct http_request *hreq)
{
    return !c->first_request_done && strcmp(hreq->method, "GET") == 0 &&
           strcmp(hreq->target, "/api") == 0;
}

/* The web client's files: no credentials, since the page must load before its login form. */
static void
client_send_web(struct relay__client *c, const struct http_request *hreq)
{
    struct relay_web_answer answer;

    relay_web_answer(hreq->method, hreq->target, http_request_header(hreq, "Accept-Encoding"),
                     http_request_header(hreq, "If-None-Match"), &answer);
    log_debug("conn %llu: %s %s: %d", (unsigned long long)net_conn_id(c->conn), hreq->method,
              hreq->target, answer.resp.status);
    client_send(c, &answer.resp, NET_CLOSE_DONE, !hreq->keep_alive);
}

static void
client_handle(struct relay__client *c, const struct http_request *hreq)
{
    struct relay_request req = { .method = hreq->method, .target = hreq->target };
    struct relay_response resp = { 0 };
    struct pjson *body = NULL;

    http_url_parse(hreq->target, &req.url);
    if (relay__metrics_owns(c->relay, &req.url)) {
        relay__metrics_answer(c, hreq);
        goto out;
    }
    if (relay_web_owns(&req.url)) {
        client_send_web(c, hreq);
        goto out;
    }
    if (hreq->body.len) {
        body = pjson_parse(hreq->body.data, hreq->body.len, c->relay->cfg->max_json_depth);
        req.body = body;
        req.body_sent = true;
    }
    if (relay_route_needs_auth(&req) && relay__client_login(c, hreq) != RELAY_LOGIN_OK)
        goto out;
    /* Events before this request go out before its answer. */
    relay_flush(c->relay);
    relay_route(c->relay, &req, &resp);
    relay__settle(c->relay, &resp);
    client_send_response(c, hreq, &resp, !hreq->keep_alive);
    relay__queue_input(c->relay, &resp);
out:
    relay_response_fini(&resp);
    pjson_free(body);
    http_url_fini(&req.url);
}

static bool
client_on_request(const struct http_request *hreq, void *data)
{
    struct relay__client *c = data;

    if (client_is_websocket_open(c, hreq))
        relay__ws_open(c, hreq);
    else
        client_handle(c, hreq);
    /* Its login is checked off the loop: the stopped reader keeps the request meanwhile, and
     * relay__client_login_done() comes back here with it. */
    if (c->auth_job) {
        c->auth_request = hreq;
        return false;
    }
    c->relay->metrics.messages_in[RELAY_MODE_HTTP]++; /* once its login is decided */
    c->first_request_done = true;
    /* After an upgrade the rest of the bytes are WebSocket frames; after a held answer
     * nothing more is read. */
    return c->conn != NULL && c->mode == RELAY_MODE_HTTP && !c->held_error;
}

/* Arms the connection's one timer; a client not authenticated yet never waits past its
 * deadline, whatever the state's own delay. */
static void
client_arm(struct relay__client *c, enum relay__timer timer, uint64_t ms)
{
    uint64_t now = uv_now(c->relay->loop);

    if (!c->authenticated) {
        uint64_t left = c->auth_deadline_ms > now ? c->auth_deadline_ms - now : 1;
        if (ms > left)
            ms = left;
    }
    c->timer = timer;
    net_conn_set_timer(c->conn, ms ? ms : 1);
}

/* A keep-alive connection that asks again soon keeps OpenSSL's record buffers: giving them
 * back after every answer made a 30 kB one cost a fifth more. After this long without a
 * request they go back, as an idle WebSocket's do. */
#define CLIENT_BUFFERS_IDLE_MS 1000

void
relay__client_arm_timer(struct relay__client *c, enum relay__timer timer)
{
    const struct relay_config *cfg = c->relay->cfg;

    /* Idle with buffers kept: their second comes first, then the rest of the idle timeout. */
    if (timer == RELAY_TIMER_IDLE && c->buffers_kept &&
        cfg->idle_timeout_ms > CLIENT_BUFFERS_IDLE_MS)
        timer = RELAY_TIMER_IDLE_BUFFERS;
    uint64_t ms[] = {
        [RELAY_TIMER_IDLE] = cfg->idle_timeout_ms,
        [RELAY_TIMER_IDLE_BUFFERS] = CLIENT_BUFFERS_IDLE_MS,
        [RELAY_TIMER_REQUEST] = cfg->request_timeout_ms,
        [RELAY_TIMER_WS_IDLE] = cfg->ws_ping_interval_ms,
        [RELAY_TIMER_WS_PING] = cfg->ws_ping_timeout_ms,
        [RELAY_TIMER_HELD] = 1,
    };

    client_arm(c, timer, ms[timer]);
}

void
relay__client_hold_answer(struct relay__client *c, const char *error, uint64_t delay_ms)
{
    c->held_error = error;
    client_arm(c, RELAY_TIMER_HELD, delay_ms);
}

/* Sends the held 401 (from the timer, or as the goodbye of a closing connection). */
static void
client_send_held(struct relay__client *c, enum net_close_reason reason)
{
    const char *error = c->held_error;

    c->held_error = NULL;
    relay__client_send_error(c, 401, error, reason);
}

void
relay__client_expire(struct relay__client *c, int reason)
{
    if (!c->conn)
        return;
    /* A held answer is sent by the closing path itself (client_on_close); a request whose
     * login is being checked is not answered yet. */
    if (!c->held_error && c->mode == RELAY_MODE_HTTP &&
        (c->auth_job || http_reader_in_request(c->reader)))
        relay__client_send_error(c, 408, "Request timeout", reason);
    else
        net_conn_close(c->conn, (enum net_close_reason)reason);
}

static void
client_read_error(struct relay__client *c, long rc)
{
    if (rc == HTTP_READ_HEADERS_TOO_BIG)
        relay__client_send_error(c, 431, "Request header fields too large", NET_CLOSE_TOO_BIG);
    else if (rc == HTTP_READ_BODY_TOO_BIG)
        relay__client_send_error(c, 413, "Request body too large", NET_CLOSE_TOO_BIG);
    else
        relay__client_send_error(c, 400, "Bad request", NET_CLOSE_PROTOCOL);
}

/* Keeps bytes read behind a request whose login is under way; reading pauses meanwhile. */
static void
client_stash(struct relay__client *c, const char *data, size_t len)
{
    if (len && buf_append(&c->auth_stash, data, len) < 0) {
        log_info("conn %llu: too much data behind a login under way",
                 (unsigned long long)net_conn_id(c->conn));
        net_conn_close(c->conn, NET_CLOSE_TOO_BIG);
        return;
    }
    net_conn_pause(c->conn);
}

/* Reads bytes as the client's mode says: HTTP requests, then (after an upgrade) WebSocket
 * frames; what comes behind a login under way waits in the stash. */
static void
client_feed(struct relay__client *c, const char *data, size_t len)
{
    while (len && c->conn && c->mode == RELAY_MODE_HTTP && !c->held_error && !c->auth_job) {
        long rc = http_reader_feed(c->reader, data, len);
        if (rc < 0) {
            client_read_error(c, rc);
            return;
        }
        data += rc;
        len -= (size_t)rc;
    }
    if (c->conn && c->auth_job) {
        client_stash(c, data, len);
        return;
    }
    if (c->mode == RELAY_MODE_WEBSOCKET && c->reader) {
        /* The HTTP reader's work ended with the upgrade; its buffers go. */
        http_reader_free(c->reader);
        c->reader = NULL;
    }
    if (c->conn && c->mode == RELAY_MODE_WEBSOCKET && len)
        relay__ws_feed(c, data, len);
    else if (c->conn && c->mode == RELAY_MODE_HTTP && !c->held_error &&
             !http_reader_in_request(c->reader))
        relay__client_arm_timer(c, RELAY_TIMER_IDLE);
}

static void
client_keep_buffers(struct relay__client *c, bool keep)
{
    if (c->buffers_kept == keep)
        return;
    c->buffers_kept = keep;
    net_conn_keep_buffers(c->conn, keep);
}

void
relay__client_release_buffers(struct relay__client *c)
{
    client_keep_buffers(c, false);
}

static void
client_on_data(struct net_conn *conn, const char *data, size_t len)
{
    struct relay__client *c = client_enter(conn);

    c->relay->metrics.bytes_in[c->mode] += len;
    /* Behind a held answer the connection is over: what else arrives is not read. Behind a
     * login under way (TLS may deliver more of one read after the pause), it waits. */
    if (c->held_error) {
        relay__client_release(c);
        return;
    }
    if (c->auth_job) {
        client_stash(c, data, len);
        relay__client_release(c);
        return;
    }
    if (c->mode == RELAY_MODE_HTTP &&
        (c->timer == RELAY_TIMER_IDLE || c->timer == RELAY_TIMER_IDLE_BUFFERS)) {
        client_keep_buffers(c, true);
        relay__client_arm_timer(c, RELAY_TIMER_REQUEST);
    }
    client_feed(c, data, len);
    relay__client_release(c);
}

void
relay__client_login_done(struct relay__client *c)
{
    const struct http_request *hreq = c->auth_request;
    struct buf stash = c->auth_stash;

    if (!c->conn) {
        client_free_if_unused(c);
        return;
    }
    relay__client_hold(c);
    c->auth_request = NULL;
    buf_init(&c->auth_stash, RELAY_AUTH_STASH_MAX);
    /* The same request again: its login now finds the verdict (or starts over). */
    client_on_request(hreq, c);
    c->auth_decided = false;
    if (c->conn && !c->auth_job && !c->held_error)
        client_feed(c, stash.data, stash.len);
    else if (c->conn && c->auth_job)
        client_stash(c, stash.data, stash.len);
    buf_fini(&stash);
    /* Reading goes on once nothing waits (behind a held answer too: a peer that leaves then
     * still gets its answer from the closing path). */
    if (c->conn && !c->auth_job)
        net_conn_resume(c->conn);
    relay__client_release(c);
}

static void
client_on_timer(struct net_conn *conn)
{
    struct relay__client *c = client_enter(conn);

    if (c->mode == RELAY_MODE_WEBSOCKET) {
        relay__ws_timer(c);
    } else if (!c->authenticated && uv_now(c->relay->loop) >= c->auth_deadline_ms) {
        log_debug("conn %llu: not authenticated in time", (unsigned long long)net_conn_id(conn));
        relay__client_expire(c, NET_CLOSE_TIMEOUT);
    } else if (c->held_error) {
        client_send_held(c, NET_CLOSE_AUTH_FAILED);
    } else if (c->timer == RELAY_TIMER_REQUEST) {
        relay__client_send_error(c, 408, "Request timeout", NET_CLOSE_TIMEOUT);
    } else if (c->timer == RELAY_TIMER_IDLE_BUFFERS) {
        client_keep_buffers(c, false);
        client_arm(c, RELAY_TIMER_IDLE, c->relay->cfg->idle_timeout_ms - CLIENT_BUFFERS_IDLE_MS);
    } else {
        net_conn_close(conn, NET_CLOSE_TIMEOUT);
    }
    relay__client_release(c);
}

/* The WebSocket close status that says why (RFC 6455 7.4.1). */
static uint16_t
client_close_code(enum net_close_reason reason)
{
    switch (reason) {
    case NET_CLOSE_DONE:
    case NET_CLOSE_PEER:
        return WS_CLOSE_NORMAL;
    case NET_CLOSE_QUIT:
    case NET_CLOSE_TIMEOUT:
        return WS_CLOSE_GOING_AWAY;
    case NET_CLOSE_UPGRADE:
        return WS_CLOSE_RESTART;
    case NET_CLOSE_PROTOCOL:
        return WS_CLOSE_PROTOCOL;
    case NET_CLOSE_TOO_BIG:
        return WS_CLOSE_TOO_BIG;
    case NET_CLOSE_INTERNAL:
        return WS_CLOSE_INTERNAL;
    default:
        return WS_CLOSE_POLICY;
    }
}

static void
client_on_close(struct net_conn *conn, enum net_close_reason reason)
{
    struct relay__client *c = net_conn_owner(conn);

    /* Every end of a WebSocket says why, once (a close already sent or answered wins). */
    if (c->mode == RELAY_MODE_WEBSOCKET) {
        relay__ws_goodbye(c, client_close_code(reason), net_close_reason_name(reason));
        relay__presence(c->relay, -1);
    }
    /* A failed login gets its answer, however its connection ends. */
    if (c->held_error)
        client_send_held(c, reason);
    log_debug("conn %llu: closed (%s)", (unsigned long long)net_conn_id(conn),
              net_close_reason_name(reason));
    relay__metrics_closed(c->relay, reason);
    relay__login_job_cancel(c);
    relay__admission_leave(c);
    list_remove(&c->link);
    c->relay->n_clients--;
    c->conn = NULL;
    client_free_if_unused(c);
}

static bool
client_address_allowed(const struct relay_config *cfg, const struct relay_peer *peer)
{
    for (size_t i = 0; i < cfg->n_networks; i++) {
        if (relay_peer_in_network(peer, &cfg->networks[i]))
            return true;
    }
    return cfg->n_networks == 0;
}

/* A client for conn, in the client list but in neither count yet; NULL when refused. */
static struct relay__client *
client_new(struct relay *relay, struct net_conn *conn)
{
    const struct relay_config *cfg = relay->cfg;
    struct sockaddr_storage ss;
    struct relay_peer peer;
    struct relay__client *c;

    if (relay->stopping || net_conn_peer_addr(conn, &ss) < 0 ||
        relay_peer_from_sockaddr(&ss, &peer) < 0 || !client_address_allowed(cfg, &peer)) {
        log_info("conn %llu: refused %s", (unsigned long long)net_conn_id(conn),
                 net_conn_peer_name(conn));
        net_conn_close(conn, relay->stopping ? NET_CLOSE_QUIT : NET_CLOSE_FORBIDDEN);
        relay__metrics_closed(relay, relay->stopping ? NET_CLOSE_QUIT : NET_CLOSE_FORBIDDEN);
        return NULL;
    }
    c = xcalloc(1, sizeof(*c));
    c->relay = relay;
    c->conn = conn;
    c->peer = peer;
    c->reader = http_reader_new(cfg->max_header_bytes, cfg->max_body_bytes, client_on_request, c);
    buf_init(&c->auth_stash, RELAY_AUTH_STASH_MAX);
    list_init(&c->unauth_link);
    list_append(&relay->clients, &c->link);
    relay->n_clients++;
    net_conn_set_owner(conn, &client_ops, c);
    net_conn_set_write_max(conn, cfg->write_queue_max);
    net_conn_set_close_grace(conn, cfg->close_grace_ms);
    client_keep_buffers(c, net_conn_is_tls(conn));
    return c;
}

void
relay__client_accept(struct relay *relay, struct net_conn *conn)
{
    struct relay__client *c = client_new(relay, conn);

    relay->metrics.accepted++;
    if (!c)
        return;
    /* The TLS handshake and the first request must come before the deadline. */
    relay__admission_enter(c, relay->cfg->auth_timeout_ms);
    relay__client_arm_timer(c, RELAY_TIMER_REQUEST);
    log_debug("conn %llu: accepted %s", (unsigned long long)net_conn_id(conn),
              net_conn_peer_name(conn));
}

struct relay__client *
relay__client_adopt(struct relay *relay, struct net_conn *conn, bool authenticated,
                    uint64_t auth_left_ms)
{
    struct relay__client *c = client_new(relay, conn);

    if (!c)
        return NULL;
    if (authenticated)
        relay__admission_adopt_authenticated(c);
    else
        relay__admission_enter(c, auth_left_ms);
    c->first_request_done = true;
    return c;
}

void
relay__client_close_all(struct relay *relay, int reason)
{
    while (!list_is_empty(&relay->clients)) {
        struct relay__client *c = list_entry(relay->clients.next, struct relay__client, link);
        net_conn_close(c->conn, (enum net_close_reason)reason);
    }
}
