/* SPDX-License-Identifier: MIT */
/*
 * The receiving half of permessage-deflate (RFC 7692) for a load generator's WebSocket: one
 * raw-deflate inflater per connection, kept from message to message unless the server
 * agreed to server_no_context_takeover. Uses zlib; knows nothing of frames.
 */
#ifndef BENCH_LOAD_INFLATE_H
#define BENCH_LOAD_INFLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct load_inflate;

/* An inflater; reset_each when every message starts afresh (server_no_context_takeover).
 * NULL when zlib cannot make one. */
struct load_inflate *load_inflate_new(bool reset_each);

/* Inflates one compressed message (its frames' payloads joined, the 00 00 FF FF tail left
 * off as the sender does). *out points into the inflater, valid until its next call.
 * Returns the length, or -1 for corrupt data or past 1 MiB. */
ssize_t load_inflate_message(struct load_inflate *z, const uint8_t *in, size_t len,
                             const uint8_t **out);

/* Frees z (NULL is fine). */
void load_inflate_free(struct load_inflate *z);

#endif
