/* SPDX-License-Identifier: MIT */
/* A server-side WebSocket session on wslay's event API, with permessage-deflate. */
#include "session.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <wslay/wslay.h>

#include "base/rbuf.h"
#include "base/utf8.h"
#include "base/xalloc.h"
#include "deflate.h"
#include "frame.h"
#include "tls/crypto.h"

/*
 * An idle server session holds no wslay context: wslay keeps two 4 KiB buffers per
 * context, more than everything else an idle client costs. The context is created when
 * a frame arrives or a control frame is queued, and freed again once the peer's stream
 * stands between messages with nothing queued (session_release_if_idle()). Data frames
 * from the server are unmasked and need no per-connection state: they are framed by one
 * frame context shared by the process, into a buffer that exists only while they wait.
 */
struct ws_session {
    wslay_event_context_ptr ctx; /* NULL while idle (server sessions) */
    const struct ws_session_cbs *cbs;
    void *data;
    struct ws_deflate *deflate;
    size_t max_message;
    const char *in; /* bytes being fed */
    size_t in_len;
    struct buf *out;    /* where frames go during take_output */
    struct buf pending; /* data frames framed, not taken yet (server sessions) */
    /* Where the peer's byte stream stands: what wslay took from us, what complete
     * frames account for, and whether a fragmented message is under way. */
    uint64_t bytes_taken;
    uint64_t bytes_framed;
    uint64_t frame_bytes; /* the frame being received: header and payload */
    uint16_t error;       /* our reason to stop reading */
    bool frame_is_data;
    bool frame_fin;
    bool mid_message;
    bool is_client;    /* frames to the peer are masked: wslay keeps its context */
    bool close_queued; /* no data frame may follow */
};

static ssize_t
session_recv(wslay_event_context_ptr ctx, uint8_t *buf, size_t len, int flags, void *user)
{
    struct ws_session *s = user;
    size_t n = len < s->in_len ? len : s->in_len;

    (void)flags;
    if (n == 0) {
        wslay_event_set_error(ctx, WSLAY_ERR_WOULDBLOCK);
        return -1;
    }
    memcpy(buf, s->in, n);
    s->in += n;
    s->in_len -= n;
    s->bytes_taken += n;
    return (ssize_t)n;
}

static ssize_t
session_send(wslay_event_context_ptr ctx, const uint8_t *data, size_t len, int flags, void *user)
{
    struct ws_session *s = user;

    (void)flags;
    if (!s->out || buf_append(s->out, data, len) < 0) {
        wslay_event_set_error(ctx, WSLAY_ERR_WOULDBLOCK);
        return -1;
    }
    return (ssize_t)len;
}

/* Stops reading and answers with a close frame carrying code. */
static void
session_fail(struct ws_session *s, uint16_t code)
{
    s->error = code;
    s->close_queued = true;
    wslay_event_shutdown_read(s->ctx);
    wslay_event_queue_close(s->ctx, code, NULL, 0);
}

static void
session_message(struct ws_session *s, const struct wslay_event_on_msg_recv_arg *arg)
{
    struct buf inflated;

    /* An empty message carries no request: ignored, as the reference does. */
    if (arg->msg_length == 0)
        return;
    if (!(arg->rsv & WSLAY_RSV1_BIT)) {
        s->cbs->on_message(s->data, (const char *)arg->msg, arg->msg_length);
        return;
    }
    if (!s->deflate) {
        session_fail(s, WS_CLOSE_PROTOCOL);
        return;
    }
    buf_init(&inflated, s->max_message);
    int rc = ws_deflate_inflate(s->deflate, (const char *)arg->msg, arg->msg_length, &inflated);
    if (rc < 0)
        session_fail(s, rc == -ENOBUFS ? WS_CLOSE_TOO_BIG : WS_CLOSE_PROTOCOL);
    /* wslay checks the UTF-8 of text frames only when they are not compressed; the
     * inflated text must pass the same check (RFC 6455 8.1, RFC 7692 6). */
    else if (arg->opcode == WSLAY_TEXT_FRAME && !utf8_is_valid(inflated.data, inflated.len))
        session_fail(s, WS_CLOSE_INVALID_DATA);
    /* An empty message (one 00 byte compressed) is ignored like an uncompressed one. */
    else if (inflated.len)
        s->cbs->on_message(s->data, inflated.data, inflated.len);
    buf_fini(&inflated);
}

/* RFC 6455 5.2; wslay refuses lengths not in their shortest form, so this is exact. */
static void
session_on_frame_start(wslay_event_context_ptr ctx,
                       const struct wslay_event_on_frame_recv_start_arg *arg, void *user)
{
    struct ws_session *s = user;
    uint64_t len = arg->payload_length;

    (void)ctx;
    s->frame_bytes = 2 + (len < 126 ? 0 : len <= 0xffff ? 2 : 8) + (s->is_client ? 0 : 4) + len;
    s->frame_is_data = arg->opcode == WSLAY_TEXT_FRAME || arg->opcode == WSLAY_BINARY_FRAME ||
                       arg->opcode == WSLAY_CONTINUATION_FRAME;
    s->frame_fin = arg->fin;
}

static void
session_on_frame_end(wslay_event_context_ptr ctx, void *user)
{
    struct ws_session *s = user;

    (void)ctx;
    s->bytes_framed += s->frame_bytes;
    /* Control frames may come between the fragments of a message. */
    if (s->frame_is_data)
        s->mid_message = !s->frame_fin;
}

static void
session_on_msg(wslay_event_context_ptr ctx, const struct wslay_event_on_msg_recv_arg *arg,
               void *user)
{
    struct ws_session *s = user;

    (void)ctx;
    if (s->cbs->on_activity)
        s->cbs->on_activity(s->data);
    if (arg->opcode == WSLAY_TEXT_FRAME || arg->opcode == WSLAY_BINARY_FRAME)
        session_message(s, arg);
}

static const struct wslay_event_callbacks session_server_callbacks = {
    .recv_callback = session_recv,
    .send_callback = session_send,
    .on_frame_recv_start_callback = session_on_frame_start,
    .on_frame_recv_end_callback = session_on_frame_end,
    .on_msg_recv_callback = session_on_msg,
};

/* The session's wslay context, created when it has none. */
static wslay_event_context_ptr
session_ctx(struct ws_session *s)
{
    if (s->ctx)
        return s->ctx;
    if (wslay_event_context_server_init(&s->ctx, &session_server_callbacks, s) != 0)
        abort(); /* out of memory */
    wslay_event_config_set_max_recv_msg_length(s->ctx, s->max_message);
    if (s->deflate)
        wslay_event_config_set_allowed_rsv_bits(s->ctx, WSLAY_RSV1_BIT);
    return s->ctx;
}

/* Frees the wslay context of a server session that no longer needs it: the peer's stream
 * is between messages (nothing half-read in wslay's buffer), nothing is queued, and no
 * close was sent or received (the state a new context starts in). */
static void
session_release_if_idle(struct ws_session *s)
{
    /* Never inside wslay_event_recv() (s->in set): an answer taken from a message callback
     * would free the context wslay is running. */
    if (!s->ctx || s->in || s->is_client || s->error || s->close_queued ||
        ws_session_mid_message(s) || wslay_event_want_write(s->ctx) ||
        !wslay_event_get_read_enabled(s->ctx) || wslay_event_get_close_received(s->ctx) ||
        wslay_event_get_close_sent(s->ctx))
        return;
    wslay_event_context_free(s->ctx);
    s->ctx = NULL;
}

struct ws_session *
ws_session_new(const struct ws_session_cbs *cbs, void *data,
               const struct ws_deflate_params *deflate, int level, size_t max_message)
{
    struct ws_session *s = xcalloc(1, sizeof(*s));

    if (deflate && deflate->enabled) {
        s->deflate = ws_deflate_new(deflate, level);
        if (!s->deflate) {
            free(s);
            return NULL;
        }
    }
    s->cbs = cbs;
    s->data = data;
    s->max_message = max_message;
    buf_init(&s->pending, (size_t)-1);
    return s;
}

static int
session_genmask(wslay_event_context_ptr ctx, uint8_t *buf, size_t len, void *user)
{
    (void)ctx;
    (void)user;
    return tls_random(buf, len) == 0 ? 0 : -1;
}

struct ws_session *
ws_session_new_client(const struct ws_session_cbs *cbs, void *data, size_t max_message)
{
    static const struct wslay_event_callbacks callbacks = {
        .recv_callback = session_recv,
        .send_callback = session_send,
        .genmask_callback = session_genmask,
        .on_frame_recv_start_callback = session_on_frame_start,
        .on_frame_recv_end_callback = session_on_frame_end,
        .on_msg_recv_callback = session_on_msg,
    };
    struct ws_session *s = xcalloc(1, sizeof(*s));

    if (wslay_event_context_client_init(&s->ctx, &callbacks, s) != 0)
        abort(); /* out of memory */
    wslay_event_config_set_max_recv_msg_length(s->ctx, max_message);
    s->cbs = cbs;
    s->data = data;
    s->max_message = max_message;
    s->is_client = true;
    buf_init(&s->pending, (size_t)-1);
    return s;
}

void
ws_session_free(struct ws_session *s)
{
    if (!s)
        return;
    if (s->ctx)
        wslay_event_context_free(s->ctx);
    ws_deflate_free(s->deflate);
    buf_fini(&s->pending);
    free(s);
}

bool
ws_session_mid_message(const struct ws_session *s)
{
    return s->bytes_taken != s->bytes_framed || s->mid_message;
}

int
ws_session_feed(struct ws_session *s, const char *data, size_t len)
{
    wslay_event_context_ptr ctx = session_ctx(s);

    if (!wslay_event_get_read_enabled(ctx))
        return -1;
    s->in = data;
    s->in_len = len;
    if (wslay_event_recv(ctx) != 0 && !s->error)
        session_fail(s, WS_CLOSE_PROTOCOL);
    s->in = NULL;
    s->in_len = 0;
    if (!wslay_event_get_read_enabled(ctx))
        return -1;
    session_release_if_idle(s);
    return 0;
}

/* True when a close frame is queued or sent: no data frame may follow it. */
static bool
session_closing(const struct ws_session *s)
{
    return s->close_queued || (s->ctx && (!wslay_event_get_write_enabled(s->ctx) ||
                                          wslay_event_get_close_received(s->ctx) ||
                                          wslay_event_get_close_sent(s->ctx)));
}

/* A client's frames are masked by wslay's event context, which queues them. */
static int
session_queue_client(struct ws_session *s, const char *msg, size_t len)
{
    struct wslay_event_msg m = { .opcode = WSLAY_TEXT_FRAME,
                                 .msg = (const uint8_t *)msg,
                                 .msg_length = len };

    return wslay_event_queue_msg(s->ctx, &m) == 0 ? 0 : -EPIPE;
}

int
ws_session_send_text(struct ws_session *s, const char *msg, size_t len)
{
    struct rbuf *frame;

    if (s->is_client)
        return session_queue_client(s, msg, len);
    frame = ws_session_frame_text(s, msg, len);
    if (!frame)
        return session_closing(s) ? -EPIPE : -EIO;
    buf_append(&s->pending, frame->data, frame->len);
    rbuf_unref(frame);
    return 0;
}

struct rbuf *
ws_session_frame_text(struct ws_session *s, const char *msg, size_t len)
{
    uint8_t head[WS_FRAME_HEADER_MAX];
    struct buf frame;
    size_t head_len;

    /* Nothing follows a close frame, queued or sent (RFC 6455 5.5.1). */
    if (session_closing(s))
        return NULL;
    buf_init(&frame, (size_t)-1);
    if (!s->deflate || len == 0) {
        head_len = ws_frame_header(head, false, len);
        buf_append(&frame, head, head_len);
        buf_append(&frame, msg, len);
        return rbuf_from_buf(&frame, 0);
    }
    /* The header's length depends on the compressed size: compressed after the room. */
    ws_frame_begin(&frame);
    if (ws_deflate_compress(s->deflate, msg, len, &frame) < 0) {
        buf_fini(&frame);
        return NULL;
    }
    head_len = ws_frame_header(head, true, frame.len - WS_FRAME_HEADER_MAX);
    memcpy(frame.data + WS_FRAME_HEADER_MAX - head_len, head, head_len);
    return rbuf_from_buf(&frame, WS_FRAME_HEADER_MAX - head_len);
}

int
ws_session_ping(struct ws_session *s, const char *payload, size_t len)
{
    struct wslay_event_msg m = { .opcode = WSLAY_PING,
                                 .msg = (const uint8_t *)payload,
                                 .msg_length = len };

    return wslay_event_queue_msg(session_ctx(s), &m) == 0 ? 0 : -EPIPE;
}

void
ws_session_close(struct ws_session *s, uint16_t code, const char *reason)
{
    wslay_event_context_ptr ctx = session_ctx(s);

    if (wslay_event_get_close_sent(ctx))
        return;
    s->close_queued = true;
    wslay_event_queue_close(ctx, code, (const uint8_t *)reason, reason ? strlen(reason) : 0);
}

/* Moves the frames framed by ws_session_send_text() to out. */
static void
session_take_pending(struct ws_session *s, struct buf *out)
{
    if (!s->pending.len)
        return;
    if (!out->data) {
        size_t max = out->max;
        *out = s->pending;
        out->max = max;
        buf_init(&s->pending, (size_t)-1);
        return;
    }
    buf_append(out, s->pending.data, s->pending.len);
    buf_fini(&s->pending);
}

void
ws_session_take_output(struct ws_session *s, struct buf *out)
{
    /* Control frames go first (a pong answers before the answers of the message it came
     * with, as when wslay queued both), except a close frame: that one is the last thing
     * sent, after every data frame queued before it. */
    bool closing = session_closing(s);

    if (closing || !s->ctx)
        session_take_pending(s, out);
    if (!s->ctx)
        return;
    /* Asked once per client per flush: most of the time there is nothing. */
    if (wslay_event_want_write(s->ctx)) {
        s->out = out;
        wslay_event_send(s->ctx);
        s->out = NULL;
    }
    if (!closing)
        session_take_pending(s, out);
    session_release_if_idle(s);
}

uint16_t
ws_session_close_received(const struct ws_session *s)
{
    return s->ctx && wslay_event_get_close_received(s->ctx)
               ? wslay_event_get_status_code_received(s->ctx)
               : 0;
}

uint16_t
ws_session_close_sent(const struct ws_session *s)
{
    return s->ctx && wslay_event_get_close_sent(s->ctx) ? wslay_event_get_status_code_sent(s->ctx)
                                                        : 0;
}

uint16_t
ws_session_error(const struct ws_session *s)
{
    return s->error;
}

unsigned
ws_session_frame_key(const struct ws_session *s)
{
    unsigned key;

    if (!s->deflate)
        return WS_FRAME_KEY_PLAIN;
    key = ws_deflate_output_key(s->deflate);
    return key ? key : WS_FRAME_KEY_OWN;
}

bool
ws_session_has_deflate(const struct ws_session *s)
{
    return s->deflate != NULL;
}
