/* SPDX-License-Identifier: MIT */
/*
 * Server frames built outside wslay: an unmasked frame is the same bytes for every client
 * (RFC 6455 5.1), so a message can be framed once and the frame shared.
 */
#ifndef PERCH_WS_FRAME_H
#define PERCH_WS_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

struct rbuf;

/* The longest header of an unmasked frame: 2 bytes and a 64-bit length. */
#define WS_FRAME_HEADER_MAX 10

/* Writes the header of one final, unmasked text frame of len payload bytes (RSV1 set when
 * compressed) at the end of out; returns the header's length. */
size_t ws_frame_header(uint8_t out[WS_FRAME_HEADER_MAX], bool compressed, size_t len);
/* Starts a frame in b: WS_FRAME_HEADER_MAX bytes kept for the header, the payload to be
 * appended after them. */
void ws_frame_begin(struct buf *b);
/* Ends the frame begun in b: writes its header just before the payload and takes b's bytes
 * (b is left empty). Returns the frame, one reference (the caller's); *payload and *len (if
 * given) locate the payload inside it. */
struct rbuf *ws_frame_end(struct buf *b, const char **payload, size_t *len);

#endif
