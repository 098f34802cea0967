/* SPDX-License-Identifier: MIT */
/*
 * A server-side WebSocket session (wslay): bytes in, messages out through
 * callbacks; messages in, frames out as bytes. Fragmented messages are
 * reassembled, pings answered, close frames answered. No I/O.
 */
#ifndef PERCH_WS_SESSION_H
#define PERCH_WS_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "handshake.h"

struct ws_session;

struct ws_session_cbs {
    /* A complete text or binary message (already inflated). */
    void (*on_message)(void *data, const char *msg, size_t len);
    /* Any frame arrived (pongs included): the peer is alive. */
    void (*on_activity)(void *data);
};

enum ws_close_code {
    WS_CLOSE_NORMAL = 1000,
    WS_CLOSE_GOING_AWAY = 1001,
    WS_CLOSE_PROTOCOL = 1002,
    WS_CLOSE_INVALID_DATA = 1007,
    WS_CLOSE_POLICY = 1008,
    WS_CLOSE_TOO_BIG = 1009,
    WS_CLOSE_INTERNAL = 1011,
    WS_CLOSE_RESTART = 1012,
};

/* deflate NULL or disabled: no compression. level 1..9. max_message bounds incoming
 * messages after inflation. Returns NULL if zlib refused the parameters. */
struct ws_session *ws_session_new(const struct ws_session_cbs *cbs, void *data,
                                  const struct ws_deflate_params *deflate, int level,
                                  size_t max_message);
/* A client session: frames it sends are masked (RFC 6455 5.3); no compression. */
struct ws_session *ws_session_new_client(const struct ws_session_cbs *cbs, void *data,
                                         size_t max_message);
void ws_session_free(struct ws_session *s);

/* Feeds bytes from the peer; calls back for each complete message. Returns 0, or
 * -1 when the session cannot read any more (close received, protocol error, message
 * too big: see ws_session_close_code()); the answering close frame is then queued. */
int ws_session_feed(struct ws_session *s, const char *data, size_t len);
/* Queues one text message in one unfragmented frame (compressed when negotiated). */
int ws_session_send_text(struct ws_session *s, const char *msg, size_t len);
/* One text message framed for this session alone (compressed when negotiated), outside
 * wslay's queue: the caller sends it, in order with the frames it takes from
 * ws_session_take_output(). Returns the frame (one reference, the caller's), or NULL once
 * a close frame was sent or when compression failed. */
struct rbuf *ws_session_frame_text(struct ws_session *s, const char *msg, size_t len);
int ws_session_ping(struct ws_session *s, const char *payload, size_t len);
/* Queues a close frame (once). */
void ws_session_close(struct ws_session *s, uint16_t code, const char *reason);
/* Appends the frames ready to be sent to out. */
void ws_session_take_output(struct ws_session *s, struct buf *out);
/* True while the peer is in the middle of a frame or of a fragmented message: bytes
 * already read would be lost if the byte stream changed hands now. */
bool ws_session_mid_message(const struct ws_session *s);
/* Which sessions frame a text message into the same bytes: WS_FRAME_KEY_PLAIN for those
 * without compression (ws_frame_end()'s frame), one key for those whose compressed frames
 * depend on the message alone (no context takeover, same zlib parameters), and
 * WS_FRAME_KEY_OWN for a session whose compressor keeps history: its frames are its own. */
#define WS_FRAME_KEY_PLAIN 0u
#define WS_FRAME_KEY_OWN   (~0u)
unsigned ws_session_frame_key(const struct ws_session *s);
/* True when permessage-deflate was negotiated. */
bool ws_session_has_deflate(const struct ws_session *s);
/* The close code the peer sent (0 if none), and the one we sent (0 if none). */
uint16_t ws_session_close_received(const struct ws_session *s);
uint16_t ws_session_close_sent(const struct ws_session *s);
/* Why reading stopped: a WS close code (1002, 1009, ...) or 0 while still reading. */
uint16_t ws_session_error(const struct ws_session *s);

#endif
