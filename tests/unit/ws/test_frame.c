/* SPDX-License-Identifier: MIT */
/* Server frames built outside wslay: the same bytes wslay would send, shareable, compressed
 * per session when negotiated, none after a close. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/rbuf.h"
#include "unit_test.h"
#include "ws/deflate.h"
#include "ws/frame.h"
#include "ws/session.h"

static void
on_message(void *data, const char *msg, size_t len)
{
    (void)data;
    (void)msg;
    (void)len;
}

static const struct ws_session_cbs cbs = { .on_message = on_message };

static const size_t lengths[] = { 0, 1, 125, 126, 127, 65535, 65536, 70000 };

static char *
text_of(size_t len)
{
    char *t = malloc(len + 1);

    for (size_t i = 0; i < len; i++)
        t[i] = (char)('a' + i % 26);
    t[len] = '\0';
    return t;
}

static void
test_frames_are_the_bytes_wslay_sends(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
        struct ws_session *s = ws_session_new(&cbs, NULL, NULL, 1, 1 << 20);
        char *text = text_of(lengths[i]);
        struct buf wslay, shared;
        struct rbuf *mine, *frame;
        const char *payload;
        size_t payload_len;

        buf_init(&wslay, (size_t)-1);
        assert_int_equal(ws_session_send_text(s, text, lengths[i]), 0);
        ws_session_take_output(s, &wslay);
        mine = ws_session_frame_text(s, text, lengths[i]);
        assert_int_equal(mine->len, wslay.len);
        assert_memory_equal(mine->data, wslay.data, wslay.len);
        /* The shared form: framed once after the room kept for the header. */
        buf_init(&shared, (size_t)-1);
        ws_frame_begin(&shared);
        buf_append(&shared, text, lengths[i]);
        frame = ws_frame_end(&shared, &payload, &payload_len);
        assert_int_equal(frame->len, wslay.len);
        assert_memory_equal(frame->data, wslay.data, wslay.len);
        assert_int_equal(payload_len, lengths[i]);
        assert_memory_equal(payload, text, lengths[i]);
        rbuf_unref(frame);
        rbuf_unref(mine);
        buf_fini(&wslay);
        free(text);
        ws_session_free(s);
    }
}

/* The payload of a frame (its header skipped). */
static const char *
frame_payload(const struct rbuf *f, size_t *len)
{
    const uint8_t *h = (const uint8_t *)f->data;
    size_t n = h[1] & 0x7f, head = 2;

    if (n == 126)
        head = 4;
    else if (n == 127)
        head = 10;
    *len = f->len - head;
    return f->data + head;
}

static void
test_compressed_frames_inflate_to_the_text_message_after_message(void **state)
{
    struct ws_deflate_params params = { .enabled = true,
                                        .server_max_window_bits = 15,
                                        .client_max_window_bits = 15 };
    struct ws_session *s = ws_session_new(&cbs, NULL, &params, 6, 1 << 20);
    /* The peer's inflater: a deflate context of the same window reads our output. */
    struct ws_deflate *peer = ws_deflate_new(&params, 6);

    (void)state;
    for (size_t i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
        char *text = text_of(lengths[i]);
        struct rbuf *f = ws_session_frame_text(s, text, lengths[i]);
        struct buf inflated;
        size_t len;
        const char *payload = frame_payload(f, &len);

        /* RSV1 marks a compressed message; an empty one is sent as it is. */
        assert_int_equal((uint8_t)f->data[0], lengths[i] ? 0xc1 : 0x81);
        buf_init(&inflated, 1 << 20);
        if (lengths[i])
            assert_int_equal(ws_deflate_inflate(peer, payload, len, &inflated), 0);
        assert_int_equal(inflated.len, lengths[i]);
        if (lengths[i])
            assert_memory_equal(inflated.data, text, lengths[i]);
        buf_fini(&inflated);
        rbuf_unref(f);
        free(text);
    }
    ws_deflate_free(peer);
    ws_session_free(s);
}

static void
test_no_frame_after_a_close(void **state)
{
    struct ws_session *s = ws_session_new(&cbs, NULL, NULL, 1, 1 << 20);
    struct buf out;

    (void)state;
    buf_init(&out, (size_t)-1);
    ws_session_close(s, 1001, "bye");
    ws_session_take_output(s, &out);
    assert_true(out.len > 0);
    assert_null(ws_session_frame_text(s, "late", 4));
    buf_fini(&out);
    ws_session_free(s);
}

static void
test_sessions_without_context_takeover_share_their_frames(void **state)
{
    struct ws_deflate_params reset = { .enabled = true,
                                       .server_no_context_takeover = true,
                                       .server_max_window_bits = 15,
                                       .client_max_window_bits = 15 };
    struct ws_deflate_params keep = reset;
    struct ws_session *a = ws_session_new(&cbs, NULL, &reset, 6, 1 << 20);
    struct ws_session *b = ws_session_new(&cbs, NULL, &reset, 6, 1 << 20);
    struct ws_session *other_level = ws_session_new(&cbs, NULL, &reset, 1, 1 << 20);
    struct ws_session *history, *plain = ws_session_new(&cbs, NULL, NULL, 6, 1 << 20);

    (void)state;
    keep.server_no_context_takeover = false;
    history = ws_session_new(&cbs, NULL, &keep, 6, 1 << 20);
    assert_int_equal(ws_session_frame_key(plain), WS_FRAME_KEY_PLAIN);
    assert_int_equal(ws_session_frame_key(history), WS_FRAME_KEY_OWN);
    assert_int_equal(ws_session_frame_key(a), ws_session_frame_key(b));
    assert_true(ws_session_frame_key(a) != WS_FRAME_KEY_PLAIN);
    assert_true(ws_session_frame_key(a) != WS_FRAME_KEY_OWN);
    assert_true(ws_session_frame_key(a) != ws_session_frame_key(other_level));
    /* Whatever a compressed before, b's frame of the next message is the same bytes. */
    for (int i = 0; i < 3; i++) {
        char *text = text_of(1000 + (size_t)i);
        struct rbuf *fa = ws_session_frame_text(a, text, strlen(text));
        struct rbuf *fb = i == 0 ? ws_session_frame_text(b, "warm up", 7) : NULL;
        rbuf_unref(fb);
        fb = ws_session_frame_text(b, text, strlen(text));
        assert_int_equal(fa->len, fb->len);
        assert_memory_equal(fa->data, fb->data, fa->len);
        rbuf_unref(fa);
        rbuf_unref(fb);
        free(text);
    }
    ws_session_free(a);
    ws_session_free(b);
    ws_session_free(other_level);
    ws_session_free(history);
    ws_session_free(plain);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_frames_are_the_bytes_wslay_sends),
        cmocka_unit_test(test_compressed_frames_inflate_to_the_text_message_after_message),
        cmocka_unit_test(test_no_frame_after_a_close),
        cmocka_unit_test(test_sessions_without_context_takeover_share_their_frames),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
