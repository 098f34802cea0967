/* SPDX-License-Identifier: MIT */
/* The WebSocket transport: opening handshake, request envelopes and batches (§8). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/json.h"
#include "base/jsonw.h"
#include "base/log.h"
#include "base/rbuf.h"
#include "base/xalloc.h"
#include "http/request.h"
#include "http/response.h"
#include "internal.h"
#include "net/conn.h"
#include "ws/handshake.h"
#include "ws/session.h"

#define WS_SUBPROTOCOL "api.weechat"

static void ws_on_message(void *data, const char *msg, size_t len);
static void ws_on_activity(void *data);

static const struct ws_session_cbs ws_cbs = {
    .on_message = ws_on_message,
    .on_activity = ws_on_activity,
};

static void
ws_refuse_bare(struct relay__client *c)
{
    static const char bare[] = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n";

    net_conn_write(c->conn, bare, sizeof(bare) - 1);
    relay__metrics_sent(c, 1, sizeof(bare) - 1);
    net_conn_close(c->conn, NET_CLOSE_PROTOCOL);
}

/* The 101 answer is written in one piece: WeeChat's /remote reads it from one recv(). */
static void
ws_send_101(struct relay__client *c, const struct http_request *hreq, const char *extensions)
{
    char accept[WS_ACCEPT_LEN];
    struct buf out;

    ws_accept_key(http_request_header(hreq, "Sec-WebSocket-Key"), accept);
    buf_init(&out, 4096);
    buf_printf(&out,
               "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               "Sec-WebSocket-Accept: %s\r\n",
               accept);
    if (extensions[0])
        buf_printf(&out, "Sec-WebSocket-Extensions: %s\r\n", extensions);
    size_t rest;
    if (http_list_item(http_request_header(hreq, "Sec-WebSocket-Protocol"), WS_SUBPROTOCOL, true,
                       &rest))
        buf_append_str(&out, "Sec-WebSocket-Protocol: " WS_SUBPROTOCOL "\r\n");
    buf_append_str(&out, "\r\n");
    net_conn_write(c->conn, out.data, out.len);
    relay__metrics_sent(c, 1, out.len);
    buf_fini(&out);
}

void
relay__ws_open(struct relay__client *c, const struct http_request *hreq)
{
    const struct relay_config *cfg = c->relay->cfg;
    const char *upgrade = http_request_header(hreq, "Upgrade");
    const char *key = http_request_header(hreq, "Sec-WebSocket-Key");
    struct ws_deflate_params deflate;
    char extensions[256];

    if (!upgrade || strcasecmp(upgrade, "websocket") != 0 || !key || !key[0]) {
        ws_refuse_bare(c);
        return;
    }
    /* Refusals (401, 429, 503) are HTTP answers to the opening request, then a clean close. */
    if (relay__client_login(c, hreq) != RELAY_LOGIN_OK)
        return;
    ws_deflate_negotiate(http_request_header(hreq, "Sec-WebSocket-Extensions"), &deflate,
                         extensions, sizeof(extensions));
    c->ws = ws_session_new(&ws_cbs, c, &deflate, ((cfg->compression - 1) * 9) / 100 + 1,
                           cfg->max_body_bytes);
    if (!c->ws) {
        ws_refuse_bare(c);
        return;
    }
    ws_send_101(c, hreq, extensions);
    c->mode = RELAY_MODE_WEBSOCKET;
    relay__client_forget_login(c);
    relay__client_release_buffers(c);
    relay__presence(c->relay, +1);
    relay__client_arm_timer(c, RELAY_TIMER_WS_IDLE);
    log_debug("conn %llu: WebSocket open%s%s", (unsigned long long)net_conn_id(c->conn),
              extensions[0] ? ", " : "", extensions);
}

/* ---- the send path: frames queued in order, written in one call per flush ---- */

void
relay__ws_drop_queue(struct relay__client *c)
{
    for (size_t i = 0; i < c->n_out; i++)
        rbuf_unref(c->out[i]);
    free(c->out);
    c->out = NULL;
    c->n_out = c->cap_out = 0;
}

static void
ws_queue_frame(struct relay__client *c, struct rbuf *frame)
{
    if (c->n_out == c->cap_out) {
        c->cap_out = c->cap_out ? c->cap_out * 2 : 4;
        c->out = xrealloc(c->out, c->cap_out * sizeof(*c->out));
    }
    c->out[c->n_out++] = frame;
}

/* The session's own frames (pongs, a close) ready so far, or NULL. */
static struct rbuf *
ws_take_control(struct relay__client *c)
{
    struct buf out;

    buf_init(&out, (size_t)-1);
    ws_session_take_output(c->ws, &out);
    if (!out.len) {
        buf_fini(&out);
        return NULL;
    }
    return rbuf_from_buf(&out, 0);
}

/* Frames go in the order they were made: the session's control frames made before this
 * data frame (a pong to a ping read before the message) go first. */
static void
ws_queue(struct relay__client *c, struct rbuf *frame)
{
    struct rbuf *control = ws_take_control(c);

    if (control)
        ws_queue_frame(c, control);
    ws_queue_frame(c, frame);
}

static size_t
ws_frames_len(struct rbuf *const *frames, size_t n)
{
    size_t len = 0;

    for (size_t i = 0; i < n; i++)
        len += frames[i]->len;
    return len;
}

void
relay__ws_flush(struct relay__client *c, struct rbuf *const *extra, size_t n_extra)
{
    struct rbuf **queued = c->out, *control, **all;
    size_t n_queued = c->n_out, n;

    if (!c->conn) {
        relay__ws_drop_queue(c);
        return;
    }
    /* The queue is detached first: a write that closes the client comes back here for the
     * goodbye. */
    c->out = NULL;
    c->n_out = c->cap_out = 0;
    control = ws_take_control(c);
    /* Nothing follows a close frame (RFC 6455 5.5.1). */
    if (ws_session_close_sent(c->ws))
        n_extra = 0;
    if (n_queued == 0 && !control) {
        size_t len = ws_frames_len(extra, n_extra);
        net_conn_write_refs(c->conn, extra, n_extra);
        relay__metrics_sent(c, n_extra, len);
        return;
    }
    n = n_queued + (control ? 1 : 0) + n_extra;
    all = xmalloc(n * sizeof(*all));
    if (n_queued)
        memcpy(all, queued, n_queued * sizeof(*all));
    if (control)
        all[n_queued] = control;
    if (n_extra)
        memcpy(all + n - n_extra, extra, n_extra * sizeof(*all));
    size_t len = ws_frames_len(all, n);
    net_conn_write_refs(c->conn, all, n);
    relay__metrics_sent(c, n_extra, len);
    for (size_t i = 0; i < n_queued; i++)
        rbuf_unref(queued[i]);
    rbuf_unref(control);
    free(queued);
    free(all);
}

void
relay__ws_send(struct relay__client *c, const char *text, size_t len)
{
    struct rbuf *frame;

    if (!c->conn)
        return;
    c->relay->metrics.messages_out[RELAY_MODE_WEBSOCKET]++;
    frame = ws_session_frame_text(c->ws, text, len);
    if (!frame)
        return;
    ws_queue(c, frame);
    if (!c->ws_feeding)
        relay__ws_flush(c, NULL, 0);
}

void
relay__ws_goodbye(struct relay__client *c, uint16_t code, const char *reason)
{
    ws_session_close(c->ws, code, reason);
    relay__ws_flush(c, NULL, 0);
}

/* ---- request envelopes ---- */

struct ws_envelope {
    char *request;                  /* "METHOD path" as parsed, "" when invalid */
    const struct pjson *body;       /* the request's body, or NULL */
    const struct pjson *request_id; /* string or null value, or NULL */
};

/* The answer's envelope, members in the reference's order; the body goes in as the text it
 * already is. Caller frees. */
static char *
ws_envelope_text(const struct ws_envelope *env, struct relay_response *resp, size_t *len)
{
    const struct rbuf *body = relay_response_body(resp);
    struct buf text;
    struct jsonw w;

    buf_init(&text, (size_t)-1);
    jsonw_init(&w, &text);
    jsonw_object_begin(&w);
    jsonw_member_int(&w, "code", resp->status);
    jsonw_member_str(&w, "message", http_reason_phrase(resp->status));
    jsonw_member_str(&w, "request", env->request ? env->request : "");
    jsonw_key(&w, "request_body");
    if (env->body) {
        size_t n;
        char *printed = pjson_print(env->body, &n);
        jsonw_raw(&w, printed, n);
        free(printed);
    } else {
        jsonw_null(&w);
    }
    if (pjson_is_string(env->request_id))
        jsonw_member_str(&w, "request_id", pjson_str(env->request_id));
    else
        jsonw_member_null(&w, "request_id");
    if (resp->body_type)
        jsonw_member_str(&w, "body_type", resp->body_type);
    else
        jsonw_member_null(&w, "body_type");
    jsonw_key(&w, "body");
    if (body)
        jsonw_raw(&w, body->data, body->len);
    else
        jsonw_null(&w);
    jsonw_object_end(&w);
    return buf_steal(&text, len);
}

/* An answer of the message being handled: sent once its inputs are committed, or its
 * 503 when the commit fails (inputs only). */
struct ws_answer {
    char *text;
    size_t len;
    bool input; /* an input that ran: its 503 is built if the commit fails */
    char *request;
    struct pjson *body;
    struct pjson *request_id;
};

static void
ws_send_envelope(struct relay__client *c, const struct ws_envelope *env,
                 struct relay_response *resp)
{
    struct ws_answer *a;

    /* A message may carry thousands of requests: the array doubles. */
    if (c->n_answers == c->cap_answers) {
        c->cap_answers = c->cap_answers ? c->cap_answers * 2 : 8;
        c->answers = xrealloc(c->answers, c->cap_answers * sizeof(*c->answers));
    }
    a = &c->answers[c->n_answers++];
    memset(a, 0, sizeof(*a));
    a->text = ws_envelope_text(env, resp, &a->len);
}

/* The answer to an input that ran keeps what its 503 would echo. */
static void
ws_answer_input(struct relay__client *c, const struct ws_envelope *env)
{
    struct ws_answer *a = &c->answers[c->n_answers - 1];

    a->input = true;
    a->request = xstrdup(env->request ? env->request : "");
    a->body = env->body ? pjson_copy(env->body) : NULL;
    a->request_id = env->request_id ? pjson_copy(env->request_id) : NULL;
}

static char *
ws_answer_failed(struct relay__client *c, const struct ws_answer *a, size_t *len)
{
    struct ws_envelope env = { .request = a->request,
                               .body = a->body,
                               .request_id = a->request_id };
    struct relay_response failed = { 0 };
    char *text;

    relay__store_failed(c->relay, &failed);
    text = ws_envelope_text(&env, &failed, len);
    relay_response_fini(&failed);
    return text;
}

/* One commit for all the inputs of a message (a batch of 1000 lines is one transaction),
 * then its answers in order. */
static void
ws_send_answers(struct relay__client *c)
{
    bool stored = relay__commit(c->relay) == 0;

    for (size_t i = 0; i < c->n_answers; i++) {
        struct ws_answer *a = &c->answers[i];
        if (!stored && a->input) {
            size_t len;
            char *text = ws_answer_failed(c, a, &len);
            relay__ws_send(c, text, len);
            free(text);
        } else {
            relay__ws_send(c, a->text, a->len);
        }
        free(a->text);
        free(a->request);
        pjson_free(a->body);
        pjson_free(a->request_id);
    }
    free(c->answers);
    c->answers = NULL;
    c->n_answers = c->cap_answers = 0;
}

static void
ws_send_error(struct relay__client *c, const struct ws_envelope *env, const char *error)
{
    struct relay_response resp = { 0 };

    relay_response_error(&resp, 400, "%s", error);
    ws_send_envelope(c, env, &resp);
    relay_response_fini(&resp);
}

/* Splits "METHOD path [ignored...]" on runs of spaces; false when fewer than 2 words. */
static bool
ws_split_request(const char *text, char *method, size_t method_len, char **path)
{
    const char *p = text, *end;

    while (*p == ' ')
        p++;
    end = strchr(p, ' ');
    if (!end || end == p || (size_t)(end - p) >= method_len)
        return false;
    memcpy(method, p, (size_t)(end - p));
    method[end - p] = '\0';
    for (p = end; *p == ' '; p++)
        ;
    if (!*p)
        return false;
    end = strchr(p, ' ');
    *path = xstrndup(p, end ? (size_t)(end - p) : strlen(p));
    return true;
}

static void
ws_apply_sync(struct relay__client *c, const struct relay_response *resp)
{
    if (!resp->has_sync)
        return;
    /* Events from now on: the ones before were flushed ahead of this request. */
    c->sync.since = c->relay->event_seq;
    c->sync.enabled = resp->sync_enabled;
    c->sync.nicks = resp->sync_nicks;
    c->sync.input = resp->sync_input;
    c->sync.colors = (enum core_color_mode)resp->sync_colors;
}

static void
ws_handle_one(struct relay__client *c, const struct pjson *v)
{
    struct ws_envelope env = { 0 };
    struct relay_request req = { .is_websocket = true };
    struct relay_response resp = { 0 };
    const struct pjson *id = pjson_get(v, "request_id");
    const char *text = pjson_str(pjson_get(v, "request"));
    char method[16], *path = NULL;

    if (!pjson_is_object(v) || (id && !pjson_is_string(id) && !pjson_is_null(id))) {
        ws_send_error(c, &env, "Bad request");
        return;
    }
    env.request_id = id;
    if (!text || !ws_split_request(text, method, sizeof(method), &path)) {
        ws_send_error(c, &env, "Bad request");
        return;
    }
    env.request = xmalloc(strlen(method) + strlen(path) + 2);
    snprintf(env.request, strlen(method) + strlen(path) + 2, "%s %s", method, path);
    env.body = pjson_get(v, "body");
    if (env.body && !pjson_is_object(env.body)) {
        env.body = NULL;
        ws_send_error(c, &env, "Bad request");
        goto out;
    }
    req.method = method;
    req.target = path;
    req.body = env.body;
    req.body_sent = env.body != NULL;
    http_url_parse(path, &req.url);
    relay_route(c->relay, &req, &resp);
    bool ran = relay__run_input(c->relay, &resp);
    ws_send_envelope(c, &env, &resp);
    if (ran)
        ws_answer_input(c, &env);
    ws_apply_sync(c, &resp);
    relay__queue_input(c->relay, &resp);
    relay_response_fini(&resp);
    http_url_fini(&req.url);
out:
    free(env.request);
    free(path);
}

static void
ws_on_message(void *data, const char *msg, size_t len)
{
    struct relay__client *c = data;
    struct pjson *v = pjson_parse(msg, len, c->relay->cfg->max_json_depth);
    struct ws_envelope none = { 0 };

    c->relay->metrics.messages_in[RELAY_MODE_WEBSOCKET]++;
    /* Events before this message go out before its answers; those its inputs cause
     * come after all of them, as the reference sends them. */
    relay_flush(c->relay);
    if (!v) {
        /* The reference echoes the previous request here; perch echoes nothing. */
        ws_send_error(c, &none, "Bad request: invalid JSON");
        ws_send_answers(c);
        return;
    }
    /* A batch runs in order with nothing in between (§8.5); its length is bounded so
     * that one small (deflated) message cannot keep the loop busy for everyone. */
    if (pjson_is_array(v) && pjson_size(v) > RELAY_BATCH_MAX) {
        char error[96];
        snprintf(error, sizeof(error), "Bad request: too many requests in one batch (max: %d)",
                 RELAY_BATCH_MAX);
        ws_send_error(c, &none, error);
    } else if (pjson_is_array(v)) {
        pjson_for_each (req, v) {
            if (!c->conn)
                break;
            ws_handle_one(c, req);
        }
    } else {
        ws_handle_one(c, v);
    }
    ws_send_answers(c);
    pjson_free(v);
}

static void
ws_on_activity(void *data)
{
    struct relay__client *c = data;

    if (c->conn)
        relay__client_arm_timer(c, RELAY_TIMER_WS_IDLE);
}

void
relay__ws_feed(struct relay__client *c, const char *data, size_t len)
{
    uint16_t received, error;
    int rc;

    c->ws_feeding = true;
    rc = ws_session_feed(c->ws, data, len);
    c->ws_feeding = false;
    if (rc == 0) {
        relay__ws_flush(c, NULL, 0);
        return;
    }
    /* Reading stopped: the answering close frame is queued; send it, then close. */
    relay__ws_flush(c, NULL, 0);
    if (!c->conn)
        return;
    received = ws_session_close_received(c->ws);
    error = ws_session_error(c->ws);
    if (received)
        net_conn_close(c->conn, NET_CLOSE_PEER);
    else
        net_conn_close(c->conn, error == WS_CLOSE_TOO_BIG ? NET_CLOSE_TOO_BIG : NET_CLOSE_PROTOCOL);
}

void
relay__ws_timer(struct relay__client *c)
{
    if (c->timer == RELAY_TIMER_WS_IDLE) {
        /* Silence: ask the client whether it is still there. */
        ws_session_ping(c->ws, "perch", 5);
        relay__ws_flush(c, NULL, 0);
        if (c->conn)
            relay__client_arm_timer(c, RELAY_TIMER_WS_PING);
        return;
    }
    log_info("conn %llu: no answer to ping, disconnecting",
             (unsigned long long)net_conn_id(c->conn));
    net_conn_close(c->conn, NET_CLOSE_TIMEOUT);
}

void
relay__ws_adopt(struct relay__client *c)
{
    const struct relay_config *cfg = c->relay->cfg;

    c->ws = ws_session_new(&ws_cbs, c, NULL, 1, cfg->max_body_bytes);
    c->mode = RELAY_MODE_WEBSOCKET;
    relay__presence(c->relay, +1);
    http_reader_free(c->reader);
    c->reader = NULL;
    relay__client_arm_timer(c, RELAY_TIMER_WS_IDLE);
}
