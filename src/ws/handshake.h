/* SPDX-License-Identifier: MIT */
/* The WebSocket opening handshake: accept key (RFC 6455) and permessage-deflate offers (RFC 7692).
 */
#ifndef PERCH_WS_HANDSHAKE_H
#define PERCH_WS_HANDSHAKE_H

#include <stdbool.h>
#include <stddef.h>

#define WS_ACCEPT_LEN 29 /* base64 of a SHA-1 digest, NUL included */

/* Sec-WebSocket-Accept for a client key. */
void ws_accept_key(const char *key, char out[WS_ACCEPT_LEN]);

struct ws_deflate_params {
    bool enabled;
    bool server_no_context_takeover;
    bool client_no_context_takeover;
    int server_max_window_bits; /* 9..15: our compressor's window */
    int client_max_window_bits; /* the client's compressor window, 8..15 */
};

/*
 * Picks the first acceptable permessage-deflate offer of a Sec-WebSocket-Extensions
 * value. An offer is declined when a parameter is unknown, repeated or out of range,
 * or when it asks for an 8-bit server window (zlib cannot produce raw deflate with
 * it). Writes the response header value into response ("" when nothing was chosen):
 * the parameters the client sent, with explicit values.
 */
void ws_deflate_negotiate(const char *offers, struct ws_deflate_params *params, char *response,
                          size_t response_len);

#endif
