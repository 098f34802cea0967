/* SPDX-License-Identifier: MIT */
/*
 * Fuzzes the relay's WebSocket side. The input is a Sec-WebSocket-Extensions value, a
 * newline, then the client's frames (without a newline: frames only, no extension
 * offered). The offer is negotiated (the answer, offered again, must negotiate the
 * same parameters); the frames are read by a server session with the negotiated
 * permessage-deflate, whole and in pieces (same messages either way). Each message
 * is compressed and inflated again with the negotiated parameters, and sent by a
 * server to a client session, which must receive it unchanged.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "ws/deflate.h"
#include "ws/handshake.h"
#include "ws/session.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAX_MESSAGE 65536

struct reader {
    struct buf transcript; /* the messages received */
    /* Set on the first reader only: where each message is sent on. */
    struct ws_session *echo;
    struct buf echoed; /* what was sent on, as the client must receive it */
    struct ws_deflate *tx, *rx;
};

static void
check_same(const struct buf *a, const struct buf *b)
{
    if (a->len != b->len || (a->len && memcmp(a->data, b->data, a->len) != 0))
        abort();
}

/* What the negotiated compressor produces, the peer's decompressor gives back. */
static void
check_deflate_round_trip(struct reader *r, const char *msg, size_t len)
{
    struct buf packed, plain;

    buf_init(&packed, (size_t)-1);
    buf_init(&plain, FUZZ_MAX_MESSAGE);
    if (ws_deflate_compress(r->tx, msg, len, &packed) < 0 ||
        ws_deflate_inflate(r->rx, packed.data, packed.len, &plain) < 0 || plain.len != len ||
        memcmp(plain.data, msg, len) != 0)
        abort();
    buf_fini(&plain);
    buf_fini(&packed);
}

static bool
is_utf8(const char *s, size_t len)
{
    char *repaired = utf8_repair(s, len);
    bool same = strlen(repaired) == len && memcmp(repaired, s, len) == 0;

    free(repaired);
    return same;
}

static void
on_message(void *data, const char *msg, size_t len)
{
    struct reader *r = data;

    /* Empty messages are never delivered; none passes the limit. */
    if (len == 0 || len > FUZZ_MAX_MESSAGE)
        abort();
    buf_printf(&r->transcript, "message %zu\n", len);
    buf_append(&r->transcript, msg, len);
    /* Text frames carry UTF-8 only: a binary message that is not is not sent back. */
    if (r->echo && is_utf8(msg, len)) {
        ws_session_send_text(r->echo, msg, len);
        buf_printf(&r->echoed, "message %zu\n", len);
        buf_append(&r->echoed, msg, len);
    }
    if (r->tx)
        check_deflate_round_trip(r, msg, len);
}

/* Reads the frames in pieces of chunk bytes; false if zlib refused the parameters. */
static bool
read_frames(struct reader *r, const struct ws_deflate_params *params, const uint8_t *data,
            size_t size, size_t chunk)
{
    static const struct ws_session_cbs cbs = { .on_message = on_message };
    struct ws_session *s = ws_session_new(&cbs, r, params, 1 + (int)(size % 9), FUZZ_MAX_MESSAGE);
    struct buf out;

    buf_init(&r->transcript, (size_t)-1);
    if (!s)
        return false;
    for (size_t off = 0; off < size; off += chunk) {
        size_t len = chunk < size - off ? chunk : size - off;
        if (ws_session_feed(s, (const char *)data + off, len) < 0)
            break;
    }
    /* How reading ended is not compared: wslay checks the UTF-8 of a close frame's
     * reason chunk by chunk, skipping two bytes of each, so a bad reason split across
     * feeds can pass where the same reason in one feed fails the connection. */
    (void)ws_session_close_received(s);
    (void)ws_session_error(s);
    /* What the relay may send afterwards: an event, a ping, its goodbye. */
    buf_init(&out, (size_t)-1);
    ws_session_send_text(s, "{\"code\":0}", 10);
    ws_session_ping(s, "perch", 5);
    ws_session_close(s, WS_CLOSE_GOING_AWAY, "quit");
    ws_session_take_output(s, &out);
    buf_fini(&out);
    ws_session_free(s);
    return true;
}

/* The answer to an offer is itself an offer that negotiates the same parameters. */
static void
negotiate(const char *offer, struct ws_deflate_params *params)
{
    struct ws_deflate_params again;
    char answer[256], answer2[256];

    ws_deflate_negotiate(offer, params, answer, sizeof(answer));
    if (!answer[0]) {
        if (params->enabled)
            abort();
        return;
    }
    ws_deflate_negotiate(answer, &again, answer2, sizeof(answer2));
    if (memcmp(params, &again, sizeof(again)) != 0 || strcmp(answer, answer2) != 0)
        abort();
}

static void
on_echo(void *data, const char *msg, size_t len)
{
    struct buf *t = data;

    buf_printf(t, "message %zu\n", len);
    buf_append(t, msg, len);
}

/* The frames the echo server wrote, read by a client: the same messages. */
static void
check_echo(struct ws_session *echo, const struct buf *sent)
{
    static const struct ws_session_cbs cbs = { .on_message = on_echo };
    struct buf out, received;
    struct ws_session *client = ws_session_new_client(&cbs, &received, FUZZ_MAX_MESSAGE);

    buf_init(&out, (size_t)-1);
    buf_init(&received, (size_t)-1);
    ws_session_take_output(echo, &out);
    if (ws_session_feed(client, out.data ? out.data : "", out.len) < 0)
        abort();
    check_same(sent, &received);
    buf_fini(&received);
    buf_fini(&out);
    ws_session_free(client);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct ws_session_cbs no_cbs = { .on_message = on_echo };
    const uint8_t *nl = memchr(data, '\n', size);
    char *offer = nl ? strndup((const char *)data, (size_t)(nl - data)) : NULL;
    const uint8_t *frames = nl ? nl + 1 : data;
    size_t n_frames = size - (size_t)(frames - data);
    size_t chunk = size ? 1 + data[size - 1] % 16 : 1;
    struct ws_deflate_params params, peer;
    struct reader whole = { 0 }, pieces = { 0 };
    char accept[WS_ACCEPT_LEN];

    if (offer)
        ws_accept_key(offer, accept);
    negotiate(offer, &params);
    /* The peer inflates what we compress: its reset follows our compressor's. */
    peer = params;
    peer.client_no_context_takeover = params.server_no_context_takeover;
    peer.client_max_window_bits = params.server_max_window_bits;
    whole.echo = ws_session_new(&no_cbs, NULL, NULL, 1, FUZZ_MAX_MESSAGE);
    buf_init(&whole.echoed, (size_t)-1);
    if (params.enabled) {
        whole.tx = ws_deflate_new(&params, 1 + (int)(size % 9));
        whole.rx = ws_deflate_new(&peer, 1);
    }
    if (read_frames(&whole, &params, frames, n_frames, n_frames ? n_frames : 1) &&
        read_frames(&pieces, &params, frames, n_frames, chunk)) {
        check_same(&whole.transcript, &pieces.transcript);
        check_echo(whole.echo, &whole.echoed);
    }
    buf_fini(&whole.transcript);
    buf_fini(&pieces.transcript);
    buf_fini(&whole.echoed);
    ws_session_free(whole.echo);
    ws_deflate_free(whole.tx);
    ws_deflate_free(whole.rx);
    free(offer);
    return 0;
}
