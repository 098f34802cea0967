/* SPDX-License-Identifier: MIT */
/*
 * Fuzzes what perch (the client) reads from a relay: HTTP responses (Content-Length,
 * chunked, no body), and after a 101 answer the WebSocket frames that follow, read
 * by a client session as perch's live connection does. Fed whole or in pieces, the
 * readers must give the same responses and the same messages.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "http/reply.h"
#include "ws/session.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct run {
    size_t chunk; /* bytes per feed */
    struct buf transcript;
    bool upgraded;     /* a 101 answer was read: the rest is frames */
    size_t frames_off; /* where the frames start */
};

static void
on_reply(const struct http_reply *reply, void *data)
{
    static const char *const names[] = { "content-length", "content-type", "sec-websocket-accept",
                                         "connection",     "upgrade",      "content-encoding" };
    struct run *r = data;
    char value[128];

    buf_printf(&r->transcript, "status %d\n", reply->status);
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (http_reply_header(reply, names[i], value, sizeof(value)))
            buf_printf(&r->transcript, "%s: %s\n", names[i], value);
    }
    buf_printf(&r->transcript, "body %zu\n", reply->body.len);
    buf_append(&r->transcript, reply->body.data, reply->body.len);
}

/* Feeds the responses as perch does; stops at the first 101 answer. */
static void
run_replies(struct run *r, const uint8_t *data, size_t size)
{
    struct http_reply_reader *reader = http_reply_reader_new(65536, on_reply, r);
    size_t off = 0;

    buf_init(&r->transcript, (size_t)-1);
    while (off < size) {
        size_t len = r->chunk < size - off ? r->chunk : size - off;
        size_t before = r->transcript.len;
        long n = http_reply_reader_feed(reader, (const char *)data + off, len);
        if (n < 0 || (size_t)n > len)
            break;
        off += (size_t)n;
        if (r->transcript.len > before &&
            strncmp(r->transcript.data + before, "status 101\n", 11) == 0) {
            r->upgraded = true;
            r->frames_off = off;
            break;
        }
        if ((size_t)n < len)
            break;
    }
    http_reply_reader_free(reader);
}

static void
on_message(void *data, const char *msg, size_t len)
{
    struct buf *t = data;

    buf_printf(t, "message %zu\n", len);
    buf_append(t, msg, len);
}

/* Reads server frames with a client session, in pieces of chunk bytes. */
static void
run_frames(struct buf *t, const uint8_t *data, size_t size, size_t chunk)
{
    static const struct ws_session_cbs cbs = { .on_message = on_message };
    struct ws_session *s = ws_session_new_client(&cbs, t, 65536);
    struct buf out;
    size_t off = 0;

    buf_init(t, (size_t)-1);
    buf_init(&out, (size_t)-1);
    while (off < size) {
        size_t len = chunk < size - off ? chunk : size - off;
        if (ws_session_feed(s, (const char *)data + off, len) < 0)
            break;
        off += len;
    }
    /* How reading ended is not compared: wslay checks a close reason's UTF-8 only when
     * the close frame arrives in one piece (as fuzz_ws found); the messages must match. */
    (void)ws_session_close_received(s);
    (void)ws_session_error(s);
    /* The answers (pongs, close) are masked with random keys: sent, not compared. */
    ws_session_send_text(s, "{}", 2);
    ws_session_take_output(s, &out);
    buf_fini(&out);
    ws_session_free(s);
}

static void
check_same(const struct buf *a, const struct buf *b)
{
    if (a->len != b->len || (a->len && memcmp(a->data, b->data, a->len) != 0))
        abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t chunk = size ? 1 + data[size - 1] % 16 : 1;
    struct run whole = { .chunk = size ? size : 1 };
    struct run pieces = { .chunk = chunk };

    run_replies(&whole, data, size);
    run_replies(&pieces, data, size);
    /* Past a 101 the pieces decide where the frames start: compare the responses
     * only when no upgrade happened. */
    if (!whole.upgraded && !pieces.upgraded)
        check_same(&whole.transcript, &pieces.transcript);
    if (whole.upgraded) {
        struct buf a, b;
        run_frames(&a, data + whole.frames_off, size - whole.frames_off, size);
        run_frames(&b, data + whole.frames_off, size - whole.frames_off, chunk);
        check_same(&a, &b);
        buf_fini(&a);
        buf_fini(&b);
    }
    buf_fini(&whole.transcript);
    buf_fini(&pieces.transcript);
    return 0;
}
