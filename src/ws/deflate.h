/* SPDX-License-Identifier: MIT */
/* permessage-deflate (RFC 7692): one compressor and one decompressor per connection. */
#ifndef PERCH_WS_DEFLATE_H
#define PERCH_WS_DEFLATE_H

#include <stddef.h>

#include "base/buf.h"
#include "handshake.h"

struct ws_deflate;

/* level 1..9. Returns NULL when zlib refuses the parameters. */
struct ws_deflate *ws_deflate_new(const struct ws_deflate_params *params, int level);
void ws_deflate_free(struct ws_deflate *d);
/* Nonzero when the compressor starts each message afresh (server_no_context_takeover): two
 * compressors with the same key then turn a message into the same bytes. 0 when the output
 * depends on the messages before. */
unsigned ws_deflate_output_key(const struct ws_deflate *d);
/* Compresses one message (sync flush, trailing 00 00 FF FF removed) into out. 0 or -1. */
int ws_deflate_compress(struct ws_deflate *d, const char *in, size_t len, struct buf *out);
/* Inflates one message into out (whose max bounds the result). 0, -ENOBUFS when the
 * result passes out->max, -EBADMSG for corrupt data. */
int ws_deflate_inflate(struct ws_deflate *d, const char *in, size_t len, struct buf *out);

#endif
