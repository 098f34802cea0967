/* SPDX-License-Identifier: MIT */
/* perch --plain: the connection lifecycle and line output (what to show: mirror.c). */
#include "live.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/backoff.h"
#include "base/json.h"
#include "base/timefmt.h"
#include "base/xalloc.h"
#include "credentials.h"
#include "http/reply.h"
#include "input.h"
#include "mirror.h"
#include "net/conn.h"
#include "tls/crypto.h"
#include "ws/handshake.h"
#include "ws/session.h"

#define LIVE_STABLE_MS     30000 /* connected that long: the backoff starts over */
#define LIVE_MAX_MESSAGE   (64u << 20)
#define LIVE_MAX_PENDING   1000       /* input lines held while disconnected; more wait unread */
#define LIVE_INPUT_BACKLOG (1u << 20) /* bytes not yet taken by the kernel: input waits */
#define LIVE_CONNECT_MS    10000      /* to connect, shake hands and upgrade, at least */
#define LIVE_CALM_MS       30000      /* how long a planned restart may take before it is a fault */

enum live_state {
    LIVE_WAITING, /* disconnected, a retry is scheduled */
    LIVE_CONNECTING,
    LIVE_UPGRADING,
    LIVE_OPEN,
    LIVE_STOPPING,
};

struct live {
    uv_loop_t *loop;
    const struct live_opts *o;
    enum live_state state;
    struct net_conn *conn;
    struct http_reply_reader *reply;
    struct ws_session *ws;
    char key[32];
    int upgrade_status;
    char upgrade_accept[64];
    char upgrade_error[256];
    bool planned;        /* the relay said goodbye on purpose */
    uint64_t calm_until; /* after a planned goodbye, failed retries are expected */
    bool fault_reported; /* one fault line per outage */
    bool permanent;      /* do not retry */
    bool retry_now;      /* a fresh credential is ready: no backoff, no fault line */
    struct backoff backoff;
    uint64_t connected_at;
    uint64_t last_rx;
    uv_timer_t retry_timer;
    uv_timer_t ping_timer;
    struct client_input *input; /* plain mode's stdin, NULL otherwise */
    uv_signal_t sig_int;
    uv_signal_t sig_term;
    char **pending; /* stdin lines waiting for a connection */
    size_t n_pending;
    struct client_mirror *mirror;
    int exit_code;
};

static void live_connect(struct live *l);

static const struct live *live_current;

/* Status texts go through the view (the engine prints nothing itself). */
static void
live_status(const char *fmt, const char *arg)
{
    char text[512];
    const struct live_view *v = live_current->o->view;

    snprintf(text, sizeof(text), fmt, arg);
    v->status(v->data, text);
}

/* ---- the plain view ---- */

static void
plain_status(void *data, const char *text)
{
    (void)data;
    printf("-- %s\n", text);
    fflush(stdout);
}

static void
plain_line(void *data, int64_t buffer_id, const char *name, const struct pjson *line)
{
    const char *prefix = pjson_str(pjson_get(line, "prefix"));
    const char *message = pjson_str(pjson_get(line, "message"));

    (void)data;
    (void)buffer_id;
    printf("[%s] %s%s%s\n", name, prefix ? prefix : "", prefix && *prefix ? " " : "",
           message ? message : "");
    fflush(stdout);
}

static void
plain_buffer(void *data, const struct pjson *buffer, bool is_new)
{
    (void)data;
    (void)buffer;
    (void)is_new;
}

static void
plain_closed(void *data, int64_t buffer_id, const char *name)
{
    (void)data;
    (void)buffer_id;
    (void)name;
}

static void
plain_message(void *data, const struct pjson *msg)
{
    (void)data;
    (void)msg;
}

static void
plain_started(void *data, struct live *live)
{
    (void)data;
    (void)live;
}

const struct live_view client_plain_view = {
    .status = plain_status,
    .line = plain_line,
    .buffer = plain_buffer,
    .buffer_closed = plain_closed,
    .message = plain_message,
    .started = plain_started,
};

/* ---- the WebSocket ---- */

static void
live_flush(struct live *l)
{
    struct buf out;

    if (!l->conn || !l->ws)
        return;
    buf_init(&out, (size_t)-1);
    ws_session_take_output(l->ws, &out);
    if (out.len)
        net_conn_write(l->conn, out.data, out.len);
    buf_fini(&out);
}

static void
live_send_input(struct live *l, const char *buffer, const char *text)
{
    struct pjson *req = pjson_object(), *body = pjson_object();
    char *json;
    size_t len;

    pjson_add_str(req, "request", "POST /api/input");
    pjson_add_str(body, "buffer_name", buffer);
    pjson_add_str(body, "command", text);
    pjson_add(req, "body", body);
    json = pjson_print(req, &len);
    ws_session_send_text(l->ws, json, len);
    free(json);
    pjson_free(req);
}

static void
live_on_message(void *data, const char *msg, size_t len)
{
    struct live *l = data;

    switch (client_mirror_feed(l->mirror, msg, len)) {
    case CLIENT_MIRROR_GOODBYE:
        l->planned = true;
        break;
    case CLIENT_MIRROR_BACK:
        /* The relay is back on this same (plain) connection: what ends it next is news. */
        l->planned = false;
        break;
    case CLIENT_MIRROR_NOTHING:
        break;
    }
}

/* The mirror's requests (pages back after a reconnect) on the open WebSocket. */
static void
live_mirror_send(void *data, const char *json)
{
    struct live *l = data;

    if (l->ws)
        ws_session_send_text(l->ws, json, strlen(json));
}

static void
live_on_activity(void *data)
{
    struct live *l = data;

    l->last_rx = uv_now(l->loop);
}

static const struct ws_session_cbs live_ws_cbs = {
    .on_message = live_on_message,
    .on_activity = live_on_activity,
};

static void
live_opened(struct live *l)
{
    char sync[512];

    snprintf(sync, sizeof(sync),
             "[{\"request\":\"GET /api/buffers?lines=-1000&nicks=%s&colors=%s\",\"request_id\":"
             "\"initial_sync\"},{\"request\":\"POST /api/sync\",\"body\":{\"colors\":\"%s\","
             "\"nicks\":%s,\"input\":false}}]",
             l->o->sync_nicks ? "true" : "false", l->o->sync_colors, l->o->sync_colors,
             l->o->sync_nicks ? "true" : "false");
    l->state = LIVE_OPEN;
    net_conn_set_timer(l->conn, 0);
    l->calm_until = 0;
    l->connected_at = uv_now(l->loop);
    l->last_rx = l->connected_at;
    l->fault_reported = false;
    l->planned = false;
    live_status("connected to %s", l->o->target->url->host);
    ws_session_send_text(l->ws, sync, strlen(sync));
    for (size_t i = 0; i < l->n_pending; i++) {
        live_send_input(l, l->o->buffer, l->pending[i]);
        free(l->pending[i]);
    }
    l->n_pending = 0;
    live_flush(l);
    if (l->input)
        client_input_resume(l->input);
}

/* ---- the upgrade request and its answer ---- */

static void
live_on_reply(const struct http_reply *reply, void *data)
{
    struct live *l = data;
    struct pjson *body = pjson_parse(reply->body.data, reply->body.len, 8);

    l->upgrade_status = reply->status;
    if (!http_reply_header(reply, "sec-websocket-accept", l->upgrade_accept,
                           sizeof(l->upgrade_accept)))
        l->upgrade_accept[0] = '\0';
    snprintf(l->upgrade_error, sizeof(l->upgrade_error), "%s",
             pjson_str(pjson_get(body, "error")) ? pjson_str(pjson_get(body, "error")) : "");
    pjson_free(body);
}

static void
live_on_ready(struct net_conn *conn)
{
    struct live *l = net_conn_owner(conn);
    unsigned char raw[16];
    char auth[1024];
    struct buf req;

    if (l->o->target->fingerprint && !client_fingerprint_matches(conn, l->o->target->fingerprint)) {
        live_status("certificate refused: %s", "its SHA-256 fingerprint is not the pinned one");
        l->permanent = true;
        net_conn_close(conn, NET_CLOSE_PROTOCOL);
        return;
    }
    tls_random(raw, sizeof(raw));
    tls_base64_encode(raw, sizeof(raw), l->key);
    client_credentials(l->o->algo, l->o->password, l->o->iterations, timefmt_now_s(), auth,
                       sizeof(auth));
    buf_init(&req, 8192);
    buf_printf(&req,
               "GET /api HTTP/1.1\r\nHost: %s:%d\r\nAuthorization: %s\r\nUpgrade: websocket\r\n"
               "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n",
               l->o->target->url->host, l->o->target->url->port, auth, l->key);
    if (l->o->target->totp)
        buf_printf(&req, "x-weechat-totp: %s\r\n", l->o->target->totp);
    buf_append_str(&req, "\r\n");
    net_conn_write(conn, req.data, req.len);
    buf_fini(&req);
    tls_cleanse(auth, sizeof(auth));
    l->state = LIVE_UPGRADING;
}

static void
live_upgrade_data(struct live *l, const char *data, size_t len)
{
    char expected[WS_ACCEPT_LEN];
    long n = http_reply_reader_feed(l->reply, data, len);

    if (n < 0) {
        net_conn_close(l->conn, NET_CLOSE_PROTOCOL);
        return;
    }
    if (!l->upgrade_status)
        return; /* the answer is not complete yet */
    ws_accept_key(l->key, expected);
    if (l->upgrade_status != 101 || strcmp(expected, l->upgrade_accept) != 0) {
        if (l->upgrade_status == 401 && strstr(l->upgrade_error, "TOTP") && l->o->totp_again &&
            l->o->totp_again(l->o->totp_data)) {
            live_status("TOTP code refused (%s), trying the new one", l->upgrade_error);
            l->retry_now = true;
        } else if (l->upgrade_status == 401) {
            live_status("authentication failed: %s", l->upgrade_error);
            l->permanent = true;
        } else {
            live_status("the relay refused the WebSocket (%s)",
                        l->upgrade_error[0] ? l->upgrade_error : "invalid answer");
        }
        net_conn_close(l->conn, NET_CLOSE_PROTOCOL);
        return;
    }
    l->ws = ws_session_new_client(&live_ws_cbs, l, LIVE_MAX_MESSAGE);
    live_opened(l);
    if ((size_t)n < len && l->conn && ws_session_feed(l->ws, data + n, len - (size_t)n) == 0)
        live_flush(l);
}

static void
live_on_data(struct net_conn *conn, const char *data, size_t len)
{
    struct live *l = net_conn_owner(conn);

    l->last_rx = uv_now(l->loop);
    if (l->state == LIVE_UPGRADING) {
        live_upgrade_data(l, data, len);
        return;
    }
    if (!l->ws)
        return;
    if (ws_session_feed(l->ws, data, len) < 0) {
        uint16_t code = ws_session_close_received(l->ws);
        /* 1000, 1001 and 1012 are goodbyes on purpose (normal, going away, restart). */
        if (code == 1000 || code == 1001 || code == 1012)
            l->planned = true;
        live_flush(l);
        net_conn_close(conn, NET_CLOSE_PEER);
        return;
    }
    live_flush(l);
}

/* ---- the lifecycle ---- */

static uint64_t
live_backoff(struct live *l)
{
    uint32_t r;

    tls_random(&r, sizeof(r));
    return backoff_next(&l->backoff, r);
}

static void
live_retry(uv_timer_t *t)
{
    live_connect(t->data);
}

static void
live_on_close(struct net_conn *conn, enum net_close_reason reason)
{
    struct live *l = net_conn_owner(conn);
    const char *error = net_conn_error(conn);
    uint32_t r;

    (void)reason;
    if (l->ws && !ws_session_close_sent(l->ws))
        ws_session_close(l->ws, 1000, "perch");
    live_flush(l);
    ws_session_free(l->ws);
    l->ws = NULL;
    client_mirror_disconnected(l->mirror);
    http_reply_reader_free(l->reply);
    l->reply = NULL;
    l->conn = NULL;
    if (l->state == LIVE_STOPPING)
        return;
    if (l->state == LIVE_OPEN && uv_now(l->loop) - l->connected_at > LIVE_STABLE_MS)
        backoff_reset(&l->backoff);
    /* A planned goodbye must also end cleanly: a TLS EOF without close_notify is a fault. */
    if (l->planned && !strstr(error, "close_notify")) {
        live_status("relay restarting, reconnecting%s", "\xe2\x80\xa6");
        l->calm_until = uv_now(l->loop) + LIVE_CALM_MS;
        tls_random(&r, sizeof(r));
        l->state = LIVE_WAITING;
        backoff_reset(&l->backoff);
        uv_timer_start(&l->retry_timer, live_retry, 500 + r % 1000, 0);
        return;
    }
    if (l->retry_now) {
        l->retry_now = false;
        l->state = LIVE_WAITING;
        uv_timer_start(&l->retry_timer, live_retry, 0, 0);
        return;
    }
    if (l->permanent) {
        l->exit_code = 1;
        l->state = LIVE_STOPPING;
        client_input_free(l->input);
        l->input = NULL;
        uv_timer_stop(&l->ping_timer);
        uv_signal_stop(&l->sig_int);
        uv_signal_stop(&l->sig_term);
        return;
    }
    /* A restart takes a moment: refusals right after a planned goodbye are no fault. */
    if (!l->fault_reported && uv_now(l->loop) >= l->calm_until)
        live_status("connection lost: %s", error[0] ? error : net_close_reason_name(reason));
    l->fault_reported = l->fault_reported || uv_now(l->loop) >= l->calm_until;
    l->state = LIVE_WAITING;
    uv_timer_start(&l->retry_timer, live_retry, live_backoff(l), 0);
}

static const struct net_conn_ops live_ops = {
    .on_ready = live_on_ready,
    .on_data = live_on_data,
    .on_close = live_on_close,
};

static void
live_connect(struct live *l)
{
    l->state = LIVE_CONNECTING;
    l->upgrade_status = 0;
    l->planned = false;
    l->reply = http_reply_reader_new(65536, live_on_reply, l);
    struct net_conn *conn = net_conn_connect(
        l->loop, (const struct sockaddr *)&l->o->target->url->addr,
        l->o->target->url->tls ? l->o->target->tls : NULL, l->o->target->url->host, &live_ops, l);

    /* A synchronous failure already ran live_on_close and scheduled the retry. */
    if (l->state != LIVE_CONNECTING)
        return;
    l->conn = conn;
    /* A relay that accepts but never answers (stopped, overloaded) must not hold us; a
     * busy one gets longer than the ping timeout (TLS and PBKDF2 take a moment). */
    net_conn_set_timer(l->conn, l->o->ping_timeout_ms > LIVE_CONNECT_MS ? l->o->ping_timeout_ms
                                                                        : LIVE_CONNECT_MS);
}

/* Pings when idle; no answer within the timeout means the connection is dead. */
static void
live_ping(uv_timer_t *t)
{
    struct live *l = t->data;
    uint64_t quiet = uv_now(l->loop) - l->last_rx;

    /* Input that waited for room (a backlog, a full queue) is offered again. */
    if (l->input)
        client_input_resume(l->input);
    if (l->state != LIVE_OPEN || !l->conn)
        return;
    if (quiet >= l->o->ping_timeout_ms) {
        l->planned = false;
        net_conn_close(l->conn, NET_CLOSE_TIMEOUT);
        return;
    }
    if (quiet >= l->o->ping_timeout_ms / 3) {
        ws_session_ping(l->ws, "perch", 5);
        live_flush(l);
    }
}

static void
live_stop(struct live *l)
{
    if (l->state == LIVE_STOPPING)
        return;
    l->state = LIVE_STOPPING;
    uv_timer_stop(&l->retry_timer);
    uv_timer_stop(&l->ping_timer);
    client_input_free(l->input);
    l->input = NULL;
    uv_signal_stop(&l->sig_int);
    uv_signal_stop(&l->sig_term);
    if (l->conn) {
        /* perch ends its side cleanly too: close frame, then close_notify. */
        if (l->ws)
            ws_session_close(l->ws, 1000, "perch");
        live_flush(l);
        net_conn_close(l->conn, NET_CLOSE_DONE);
    }
}

/* A line of plain mode's input: sent now, or held while disconnected. False: no room yet. */
static bool
live_input_line(void *data, const char *text)
{
    struct live *l = data;

    if (!*text)
        return true;
    if (l->state == LIVE_OPEN && l->ws) {
        if (net_conn_pending(l->conn) > LIVE_INPUT_BACKLOG)
            return false;
        live_send_input(l, l->o->buffer, text);
        live_flush(l);
        return true;
    }
    if (l->n_pending == LIVE_MAX_PENDING)
        return false;
    l->pending = xrealloc(l->pending, (l->n_pending + 1) * sizeof(char *));
    l->pending[l->n_pending++] = xstrdup(text);
    return true;
}

static void
live_on_signal(uv_signal_t *s, int signum)
{
    (void)signum;
    live_stop(s->data);
}

int
client_live_run(uv_loop_t *loop, const struct live_opts *opts)
{
    struct live l = { .loop = loop,
                      .o = opts,
                      /* Full jitter between the minimum and a cap doubling from it. */
                      .backoff = { .min_ms = opts->backoff_min_ms,
                                   .first_ms = opts->backoff_min_ms,
                                   .max_ms = opts->backoff_max_ms } };

    uv_timer_init(loop, &l.retry_timer);
    uv_timer_init(loop, &l.ping_timer);
    l.retry_timer.data = &l;
    l.ping_timer.data = &l;
    live_current = &l;
    l.mirror = client_mirror_new(opts->view, opts->sync_colors, live_mirror_send, &l);
    if (opts->read_stdin)
        l.input = client_input_new(loop, 0, live_input_line, &l);
    opts->view->started(opts->view->data, &l);
    uv_signal_init(loop, &l.sig_int);
    uv_signal_init(loop, &l.sig_term);
    l.sig_int.data = &l;
    l.sig_term.data = &l;
    uv_signal_start(&l.sig_int, live_on_signal, SIGINT);
    uv_signal_start(&l.sig_term, live_on_signal, SIGTERM);
    uv_timer_start(&l.ping_timer, live_ping, 200, 200);
    live_connect(&l);
    uv_run(loop, UV_RUN_DEFAULT);
    opts->view->started(opts->view->data, NULL);
    uv_close((uv_handle_t *)&l.retry_timer, NULL);
    uv_close((uv_handle_t *)&l.ping_timer, NULL);
    uv_close((uv_handle_t *)&l.sig_int, NULL);
    uv_close((uv_handle_t *)&l.sig_term, NULL);
    uv_run(loop, UV_RUN_DEFAULT);
    client_mirror_free(l.mirror);
    for (size_t i = 0; i < l.n_pending; i++)
        free(l.pending[i]);
    free(l.pending);
    return l.exit_code;
}

void
client_live_input(struct live *live, const char *buffer, const char *text)
{
    if (live->state == LIVE_OPEN && live->ws) {
        live_send_input(live, buffer, text);
        live_flush(live);
    }
}

bool
client_live_request(struct live *live, const char *json)
{
    if (live->state != LIVE_OPEN || !live->ws)
        return false;
    ws_session_send_text(live->ws, json, strlen(json));
    live_flush(live);
    return true;
}
