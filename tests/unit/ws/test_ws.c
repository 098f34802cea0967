/* SPDX-License-Identifier: MIT */
/* WebSocket pieces: accept key, extension negotiation, deflate, framing fed byte by byte. */
#include <errno.h>
#include <malloc.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit_test.h"
#include "ws/deflate.h"
#include "ws/handshake.h"
#include "ws/session.h"

static void
test_accept_key_rfc6455_example(void **state)
{
    char out[WS_ACCEPT_LEN];

    (void)state;
    ws_accept_key("dGhlIHNhbXBsZSBub25jZQ==", out);
    assert_string_equal(out, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

static const char *
negotiate(const char *offer, struct ws_deflate_params *p)
{
    static char resp[256];

    ws_deflate_negotiate(offer, p, resp, sizeof(resp));
    return resp;
}

static void
test_deflate_offers(void **state)
{
    struct ws_deflate_params p;

    (void)state;
    assert_string_equal(negotiate("permessage-deflate; client_max_window_bits", &p),
                        "permessage-deflate; client_max_window_bits=15");
    assert_true(p.enabled);
    assert_int_equal(p.server_max_window_bits, 15);
    assert_string_equal(negotiate("permessage-deflate;server_max_window_bits=\"10\"", &p),
                        "permessage-deflate; server_max_window_bits=10");
    assert_int_equal(p.server_max_window_bits, 10);
    /* An 8-bit server window is declined (zlib cannot do it); the next offer is taken. */
    assert_string_equal(negotiate("permessage-deflate; server_max_window_bits=8, "
                                  "permessage-deflate; server_no_context_takeover",
                                  &p),
                        "permessage-deflate; server_no_context_takeover");
    assert_true(p.server_no_context_takeover);
    assert_string_equal(negotiate("permessage-deflate; server_max_window_bits", &p), "");
    assert_false(p.enabled);
    assert_string_equal(negotiate("permessage-deflate; client_max_window_bits=16", &p), "");
    assert_string_equal(negotiate("permessage-deflate; x=1", &p), "");
    assert_string_equal(negotiate("permessage-deflate; server_no_context_takeover; "
                                  "server_no_context_takeover",
                                  &p),
                        "");
    assert_string_equal(negotiate(NULL, &p), "");
}

static void
test_deflate_round_trip_with_context_takeover(void **state)
{
    struct ws_deflate_params p = { .enabled = true,
                                   .server_max_window_bits = 9,
                                   .client_max_window_bits = 15 };
    struct ws_deflate *tx = ws_deflate_new(&p, 6);
    struct ws_deflate *rx = ws_deflate_new(&p, 6);
    const char *msgs[] = { "{\"request\":\"GET /api/version\"}",
                           "{\"request\":\"GET /api/version\"}", "", "\x01\x02\x03" };

    (void)state;
    for (size_t i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++) {
        struct buf z, plain;
        buf_init(&z, 1 << 20);
        buf_init(&plain, 1 << 20);
        assert_int_equal(ws_deflate_compress(tx, msgs[i], strlen(msgs[i]), &z), 0);
        assert_int_equal(ws_deflate_inflate(rx, z.data ? z.data : "", z.len, &plain), 0);
        assert_int_equal(plain.len, strlen(msgs[i]));
        assert_memory_equal(plain.data ? plain.data : "", msgs[i], plain.len);
        buf_fini(&z);
        buf_fini(&plain);
    }
    ws_deflate_free(tx);
    ws_deflate_free(rx);
}

static void
test_inflate_limit_and_garbage(void **state)
{
    struct ws_deflate_params p = { .enabled = true, .server_max_window_bits = 15 };
    struct ws_deflate *d = ws_deflate_new(&p, 6);
    char big[10000];
    struct buf z, out;

    (void)state;
    memset(big, 'a', sizeof(big));
    buf_init(&z, 1 << 20);
    ws_deflate_compress(d, big, sizeof(big), &z);
    buf_init(&out, 1000);
    assert_int_equal(ws_deflate_inflate(d, z.data, z.len, &out), -ENOBUFS);
    buf_fini(&out);
    buf_init(&out, 1000);
    assert_int_equal(ws_deflate_inflate(d, "\xff\xff\xff\xff", 4, &out), -EBADMSG);
    buf_fini(&out);
    buf_fini(&z);
    ws_deflate_free(d);
}

struct got {
    int n;
    char last[256];
};

static void
on_message(void *data, const char *msg, size_t len)
{
    struct got *g = data;

    snprintf(g->last, sizeof(g->last), "%.*s", (int)len, msg);
    g->n++;
}

static const struct ws_session_cbs cbs = { .on_message = on_message };

/* A masked client frame (mask 01 02 03 04). */
static size_t
frame(unsigned char *out, int fin, int opcode, const char *payload)
{
    size_t len = strlen(payload);
    static const unsigned char mask[4] = { 1, 2, 3, 4 };

    out[0] = (unsigned char)((fin ? 0x80 : 0) | opcode);
    out[1] = (unsigned char)(0x80 | len);
    memcpy(out + 2, mask, 4);
    for (size_t i = 0; i < len; i++)
        out[6 + i] = (unsigned char)payload[i] ^ mask[i % 4];
    return 6 + len;
}

static void
test_session_fragments_fed_byte_by_byte_and_ping(void **state)
{
    struct got g = { 0 };
    struct ws_session *s = ws_session_new(&cbs, &g, NULL, 1, 1 << 20);
    unsigned char in[256];
    size_t n = 0;
    struct buf out;

    (void)state;
    n += frame(in + n, 0, 1, "{\"a\":");
    n += frame(in + n, 1, 9, "hi");
    n += frame(in + n, 1, 0, "1}");
    for (size_t i = 0; i < n; i++)
        assert_int_equal(ws_session_feed(s, (const char *)in + i, 1), 0);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.last, "{\"a\":1}");
    buf_init(&out, 1 << 20);
    ws_session_take_output(s, &out);
    /* The pong: unmasked, FIN, opcode 10, the same payload. */
    assert_int_equal(out.len, 4);
    assert_memory_equal(out.data, "\x8a\x02hi", 4);
    buf_reset(&out);
    ws_session_send_text(s, "{}", 2);
    ws_session_take_output(s, &out);
    assert_memory_equal(out.data, "\x81\x02{}", 4);
    buf_fini(&out);
    ws_session_free(s);
}

/* A masked client frame of any length (mask 01 02 03 04, payload all 'x'). */
static size_t
frame_of_len(unsigned char *out, int fin, int opcode, size_t len)
{
    size_t h = 2;

    out[0] = (unsigned char)((fin ? 0x80 : 0) | opcode);
    if (len < 126) {
        out[1] = (unsigned char)(0x80 | len);
    } else {
        out[1] = 0x80 | 126;
        out[2] = (unsigned char)(len >> 8);
        out[3] = (unsigned char)len;
        h = 4;
    }
    memcpy(out + h, "\x01\x02\x03\x04", 4);
    for (size_t i = 0; i < len; i++)
        out[h + 4 + i] = (unsigned char)('x' ^ (i % 4 + 1));
    return h + 4 + len;
}

/* Whether the stream may change hands: only between whole messages, whatever the
 * frame sizes, the control frames between fragments and the way bytes are split. */
static void
test_session_knows_when_it_is_mid_message(void **state)
{
    struct got g = { 0 };
    struct ws_session *s = ws_session_new(&cbs, &g, NULL, 1, 1 << 20);
    unsigned char in[1024];
    size_t ends[8], n_ends = 0, n = 0;
    bool free_after[8];

    (void)state;
    n += frame_of_len(in + n, 1, 1, 0);
    ends[n_ends] = n, free_after[n_ends++] = true;
    n += frame_of_len(in + n, 0, 1, 200);
    ends[n_ends] = n, free_after[n_ends++] = false;
    n += frame_of_len(in + n, 1, 9, 3);
    ends[n_ends] = n, free_after[n_ends++] = false;
    n += frame_of_len(in + n, 1, 0, 5);
    ends[n_ends] = n, free_after[n_ends++] = true;
    n += frame_of_len(in + n, 1, 1, 300);
    ends[n_ends] = n, free_after[n_ends++] = true;
    assert_false(ws_session_mid_message(s));
    for (size_t i = 0, e = 0; i < n; i++) {
        assert_int_equal(ws_session_feed(s, (const char *)in + i, 1), 0);
        bool at_end = e < n_ends && i + 1 == ends[e];
        assert_int_equal(ws_session_mid_message(s), !(at_end && free_after[e]));
        if (at_end)
            e++;
    }
    assert_int_equal(g.n, 2); /* the empty message carries nothing */
    /* Fed in one piece with part of the next frame: mid-frame. */
    assert_int_equal(ws_session_feed(s, (const char *)in, ends[0] + 3), 0);
    assert_true(ws_session_mid_message(s));
    ws_session_free(s);
}

static void
test_session_unmasked_frame_is_a_protocol_error(void **state)
{
    struct got g = { 0 };
    struct ws_session *s = ws_session_new(&cbs, &g, NULL, 1, 1 << 20);
    struct buf out;

    (void)state;
    assert_int_equal(ws_session_feed(s, "\x81\x02{}", 4), -1);
    buf_init(&out, 1 << 20);
    ws_session_take_output(s, &out);
    assert_int_equal(ws_session_close_sent(s), WS_CLOSE_PROTOCOL);
    assert_int_equal(g.n, 0);
    buf_fini(&out);
    ws_session_free(s);
}

static void
test_session_close_is_answered(void **state)
{
    struct got g = { 0 };
    struct ws_session *s = ws_session_new(&cbs, &g, NULL, 1, 1 << 20);
    unsigned char in[64];
    size_t n = frame(in, 1, 8,
                     "\x03\xe8"
                     "bye");
    struct buf out;

    (void)state;
    assert_int_equal(ws_session_feed(s, (const char *)in, n), -1);
    assert_int_equal(ws_session_close_received(s), 1000);
    buf_init(&out, 1 << 20);
    ws_session_take_output(s, &out);
    assert_true(out.len >= 4);
    assert_int_equal((unsigned char)out.data[0], 0x88);
    buf_fini(&out);
    ws_session_free(s);
}

/* A masked client frame with a compressed payload (RSV1 set), mask 01 02 03 04. */
static size_t
deflated_frame(unsigned char *out, int opcode, const struct buf *z)
{
    static const unsigned char mask[4] = { 1, 2, 3, 4 };

    out[0] = (unsigned char)(0x80 | 0x40 | opcode);
    out[1] = (unsigned char)(0x80 | z->len);
    memcpy(out + 2, mask, 4);
    for (size_t i = 0; i < z->len; i++)
        out[6 + i] = (unsigned char)z->data[i] ^ mask[i % 4];
    return 6 + z->len;
}

/* Feeds one compressed message; returns what ws_session_feed() did. */
static int
feed_deflated(struct ws_session *s, int opcode, const char *msg, size_t len)
{
    struct ws_deflate_params p = { .enabled = true,
                                   .server_max_window_bits = 15,
                                   .client_max_window_bits = 15 };
    struct ws_deflate *client = ws_deflate_new(&p, 6);
    unsigned char in[128];
    struct buf z;
    int rc;

    buf_init(&z, 100);
    assert_int_equal(ws_deflate_compress(client, msg, len, &z), 0);
    rc = ws_session_feed(s, (const char *)in, deflated_frame(in, opcode, &z));
    buf_fini(&z);
    ws_deflate_free(client);
    return rc;
}

static void
test_session_compressed_text_must_be_utf8(void **state)
{
    struct ws_deflate_params p = { .enabled = true,
                                   .server_max_window_bits = 15,
                                   .client_max_window_bits = 15 };
    struct got g = { 0 };
    struct ws_session *s = ws_session_new(&cbs, &g, &p, 1, 1 << 20);
    struct buf out;

    (void)state;
    /* wslay checks uncompressed text frames itself; inflated text is ours to check. */
    assert_int_equal(feed_deflated(s, 1, "{\"a\":\"\xc3\xa9\"}", 10), 0);
    assert_int_equal(g.n, 1);
    assert_int_equal(feed_deflated(s, 1, "{\"a\":\"\xff\"}", 9), -1);
    assert_int_equal(g.n, 1);
    assert_int_equal(ws_session_error(s), WS_CLOSE_INVALID_DATA);
    buf_init(&out, 1 << 20);
    ws_session_take_output(s, &out);
    assert_int_equal(ws_session_close_sent(s), WS_CLOSE_INVALID_DATA);
    buf_fini(&out);
    ws_session_free(s);
}

static void
test_session_compressed_empty_message_is_ignored(void **state)
{
    struct ws_deflate_params p = { .enabled = true,
                                   .server_max_window_bits = 15,
                                   .client_max_window_bits = 15 };
    struct got g = { 0 };
    struct ws_session *s = ws_session_new(&cbs, &g, &p, 1, 1 << 20);
    unsigned char in[16];

    (void)state;
    /* Empty, as an uncompressed empty message is (RFC 7692 7.2.3.6: one 00 byte). */
    assert_int_equal(feed_deflated(s, 1, "", 0), 0);
    assert_int_equal(ws_session_feed(s, (const char *)in, frame(in, 1, 1, "")), 0);
    assert_int_equal(g.n, 0);
    ws_session_free(s);
}

/* Heap bytes in use (glibc's count; sanitizer builds may report none, then the bounds
 * below hold trivially). */
static long
heap_in_use(void)
{
    return (long)mallinfo2().uordblks;
}

/* An idle server session gives back wslay's context (two 4 KiB buffers): between messages
 * it holds a few hundred bytes; in the middle of a frame it needs the context. */
static void
test_idle_session_holds_no_frame_buffers(void **state)
{
    struct got g = { 0 };
    long before = heap_in_use();
    struct ws_session *s = ws_session_new(&cbs, &g, NULL, 1, 1 << 20);
    unsigned char in[64];
    size_t n = frame(in, 1, 1, "{\"a\":1}");
    struct buf out;
    long mid;

    (void)state;
    assert_int_equal(ws_session_feed(s, (const char *)in, n - 2), 0);
    mid = heap_in_use() - before;
    assert_int_equal(ws_session_feed(s, (const char *)in + n - 2, 2), 0);
    assert_int_equal(g.n, 1);
    buf_init(&out, 1 << 20);
    assert_int_equal(ws_session_send_text(s, "{}", 2), 0);
    ws_session_take_output(s, &out);
    assert_memory_equal(out.data, "\x81\x02{}", 4);
    buf_fini(&out);
    if (mid > 0) {
        assert_true(mid > 8000);
        assert_true(heap_in_use() - before < 1000);
    }
    ws_session_free(s);
}

/* Data frames queued before a close frame go out before it; none after it. */
/* The relay answers from inside the message callback and takes the session's output there
 * (a pong before the answer): the wslay context wslay is running must survive it. */
struct answering {
    struct ws_session *s;
    struct buf out;
    int n;
};

static void
on_message_answer(void *data, const char *msg, size_t len)
{
    struct answering *a = data;

    (void)msg;
    (void)len;
    a->n++;
    ws_session_take_output(a->s, &a->out);
    ws_session_send_text(a->s, "ok", 2);
}

static void
test_output_taken_inside_a_message_callback(void **state)
{
    static const struct ws_session_cbs answer_cbs = { .on_message = on_message_answer };
    struct answering a = { 0 };
    unsigned char in[64];
    size_t n = 0;

    (void)state;
    buf_init(&a.out, 1 << 20);
    a.s = ws_session_new(&answer_cbs, &a, NULL, 1, 1 << 20);
    /* Two messages in one read: the second is parsed after the first one's callback. */
    n += frame(in + n, 1, 1, "one");
    n += frame(in + n, 1, 1, "two");
    assert_int_equal(ws_session_feed(a.s, (const char *)in, n), 0);
    assert_int_equal(a.n, 2);
    ws_session_take_output(a.s, &a.out);
    assert_int_equal(a.out.len, 8);
    assert_memory_equal(a.out.data, "\x81\x02ok\x81\x02ok", 8);
    buf_fini(&a.out);
    ws_session_free(a.s);
}

static void
test_session_close_comes_after_queued_messages(void **state)
{
    struct got g = { 0 };
    struct ws_session *s = ws_session_new(&cbs, &g, NULL, 1, 1 << 20);
    struct buf out;

    (void)state;
    assert_int_equal(ws_session_send_text(s, "a", 1), 0);
    ws_session_close(s, 1001, "quit");
    assert_int_equal(ws_session_send_text(s, "b", 1), -EPIPE);
    buf_init(&out, 1 << 20);
    ws_session_take_output(s, &out);
    assert_memory_equal(out.data,
                        "\x81\x01"
                        "a"
                        "\x88\x06\x03\xe9"
                        "quit",
                        9);
    assert_int_equal(out.len, 11);
    assert_int_equal(ws_session_close_sent(s), 1001);
    buf_fini(&out);
    ws_session_free(s);
}

/* Compresses msg with tx and inflates it with a fresh inflater of the peer's. */
static void
round_trip(struct ws_deflate *tx, const struct ws_deflate_params *peer, const char *msg)
{
    struct ws_deflate *rx = ws_deflate_new(peer, 6);
    struct buf z, plain;

    buf_init(&z, 1 << 20);
    buf_init(&plain, 1 << 20);
    assert_int_equal(ws_deflate_compress(tx, msg, strlen(msg), &z), 0);
    assert_int_equal(ws_deflate_inflate(rx, z.data, z.len, &plain), 0);
    assert_string_equal(plain.data, msg);
    buf_fini(&z);
    buf_fini(&plain);
    ws_deflate_free(rx);
}

/* Without context takeover each message stands alone, whichever clients' messages are
 * compressed in between (they share the process's compressor), and at whatever window. */
static void
test_deflate_without_context_each_message_stands_alone(void **state)
{
    struct ws_deflate_params p12 = { .enabled = true,
                                     .server_no_context_takeover = true,
                                     .server_max_window_bits = 12 };
    struct ws_deflate_params p15 = { .enabled = true,
                                     .server_no_context_takeover = true,
                                     .server_max_window_bits = 15 };
    struct ws_deflate_params peer = { .enabled = true, .client_no_context_takeover = true };
    struct ws_deflate *a = ws_deflate_new(&p12, 6), *b = ws_deflate_new(&p15, 1);
    static const char *const msgs[] = { "{\"x\":\"hello hello hello\"}", "{\"x\":\"hello\"}", "" };

    (void)state;
    for (int round = 0; round < 2; round++) {
        for (size_t i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++) {
            round_trip(a, &peer, msgs[i]);
            round_trip(b, &peer, msgs[i]);
        }
    }
    ws_deflate_free(a);
    ws_deflate_free(b);
}

/* The inflater's window is the one negotiated for the client: a 9-bit stream inflates. */
static void
test_deflate_small_negotiated_windows(void **state)
{
    struct ws_deflate_params server = { .enabled = true,
                                        .server_max_window_bits = 9,
                                        .client_max_window_bits = 9 };
    struct ws_deflate_params client = { .enabled = true,
                                        .server_max_window_bits = 9,
                                        .client_max_window_bits = 9 };
    struct ws_deflate *tx = ws_deflate_new(&server, 9), *rx = ws_deflate_new(&client, 9);
    char msg[3000];
    struct buf z, plain;

    (void)state;
    for (size_t i = 0; i < sizeof(msg) - 1; i++)
        msg[i] = (char)('a' + (i * 7) % 13);
    msg[sizeof(msg) - 1] = '\0';
    for (int i = 0; i < 3; i++) {
        buf_init(&z, 1 << 20);
        buf_init(&plain, 1 << 20);
        assert_int_equal(ws_deflate_compress(tx, msg, strlen(msg), &z), 0);
        assert_int_equal(ws_deflate_inflate(rx, z.data, z.len, &plain), 0);
        assert_string_equal(plain.data, msg);
        buf_fini(&z);
        buf_fini(&plain);
    }
    ws_deflate_free(tx);
    ws_deflate_free(rx);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accept_key_rfc6455_example),
        cmocka_unit_test(test_deflate_offers),
        cmocka_unit_test(test_deflate_round_trip_with_context_takeover),
        cmocka_unit_test(test_inflate_limit_and_garbage),
        cmocka_unit_test(test_session_fragments_fed_byte_by_byte_and_ping),
        cmocka_unit_test(test_session_knows_when_it_is_mid_message),
        cmocka_unit_test(test_session_unmasked_frame_is_a_protocol_error),
        cmocka_unit_test(test_session_close_is_answered),
        cmocka_unit_test(test_session_compressed_text_must_be_utf8),
        cmocka_unit_test(test_session_compressed_empty_message_is_ignored),
        cmocka_unit_test(test_idle_session_holds_no_frame_buffers),
        cmocka_unit_test(test_output_taken_inside_a_message_callback),
        cmocka_unit_test(test_session_close_comes_after_queued_messages),
        cmocka_unit_test(test_deflate_without_context_each_message_stands_alone),
        cmocka_unit_test(test_deflate_small_negotiated_windows),
    };

    return cmocka_run_group_tests_name("ws", tests, NULL, NULL);
}
