/* SPDX-License-Identifier: MIT */
/* permessage-deflate with zlib. */
#include "deflate.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "base/xalloc.h"

/*
 * zlib's memory is what a deflate client costs: a compressor of window bits W and memLevel M
 * allocates 2^(W+2) bytes (window and its chain) plus 2^(M+9) (hash heads and pending
 * symbols), an inflater 7 kB plus its 2^W window. So each stream is sized by what was
 * negotiated (memLevel follows the window: see deflate_mem_level()), made only when a message needs
 * it, and a stream that keeps no context between messages is not the client's at all: one per
 * process serves every such client, reset after each message. zlib's memory comes from malloc, not
 * calloc: zlib initialises what it reads, and the pages it has not written yet stay out of the
 * resident set.
 */
struct ws_deflate {
    z_stream *tx; /* NULL until the first message; never set when tx_reset */
    z_stream *rx; /* NULL until the first message; never set when rx_reset */
    int tx_bits;
    int rx_bits;
    int level;
    bool tx_reset; /* server_no_context_takeover */
    bool rx_reset; /* client_no_context_takeover */
};

static voidpf
deflate_alloc(voidpf opaque, uInt items, uInt size)
{
    (void)opaque;
    if (size && items > SIZE_MAX / size)
        return Z_NULL;
    return xmalloc((size_t)items * size);
}

static void
deflate_release(voidpf opaque, voidpf ptr)
{
    (void)opaque;
    free(ptr);
}

/* memLevel sizes the hash heads (zeroed, so resident at once) and the pending symbols: 89 kB
 * resident per compressor at zlib's default of 8, 24 kB at 4. Each message is flushed on its
 * own and events are small, so the smaller tables cost no measurable ratio on events and
 * under 1% on a 40 kB answer (measured on line events with level 2). Smaller windows get
 * smaller tables still. */
static int
deflate_mem_level(int bits)
{
    return bits - 11 < 1 ? 1 : bits - 11 > 4 ? 4 : bits - 11;
}

/* Window bits for raw deflate: 9..15 (zlib cannot produce 8); inflating takes 8..15. */
static int
deflate_bits(int bits, int min)
{
    return bits >= min && bits <= 15 ? bits : 15;
}

static z_stream *
deflate_stream_new(int bits, int level)
{
    z_stream *z = xcalloc(1, sizeof(*z));

    z->zalloc = deflate_alloc;
    z->zfree = deflate_release;
    if (deflateInit2(z, level, Z_DEFLATED, -bits, deflate_mem_level(bits), Z_DEFAULT_STRATEGY) !=
        Z_OK) {
        free(z);
        return NULL;
    }
    return z;
}

static z_stream *
inflate_stream_new(int bits)
{
    z_stream *z = xcalloc(1, sizeof(*z));

    z->zalloc = deflate_alloc;
    z->zfree = deflate_release;
    if (inflateInit2(z, -bits) != Z_OK) {
        free(z);
        return NULL;
    }
    return z;
}

static void
deflate_stream_free(z_stream *z)
{
    if (z) {
        deflateEnd(z);
        free(z);
    }
}

static void
inflate_stream_free(z_stream *z)
{
    if (z) {
        inflateEnd(z);
        free(z);
    }
}

/* The process's compressor for messages without context: made again when a client with
 * other parameters comes, which changes nothing for the others (no context is kept). */
static z_stream *deflate_shared_tx;
static int deflate_shared_tx_bits, deflate_shared_tx_level;
/* Its inflater: 15 bits inflate what any window produced. */
static z_stream *deflate_shared_rx;

static z_stream *
deflate_tx(struct ws_deflate *d)
{
    if (!d->tx_reset)
        return d->tx ? d->tx : (d->tx = deflate_stream_new(d->tx_bits, d->level));
    if (!deflate_shared_tx || deflate_shared_tx_bits != d->tx_bits ||
        deflate_shared_tx_level != d->level) {
        deflate_stream_free(deflate_shared_tx);
        deflate_shared_tx = deflate_stream_new(d->tx_bits, d->level);
        deflate_shared_tx_bits = d->tx_bits;
        deflate_shared_tx_level = d->level;
    }
    return deflate_shared_tx;
}

static z_stream *
deflate_rx(struct ws_deflate *d)
{
    if (!d->rx_reset)
        return d->rx ? d->rx : (d->rx = inflate_stream_new(d->rx_bits));
    if (!deflate_shared_rx)
        deflate_shared_rx = inflate_stream_new(15);
    return deflate_shared_rx;
}

struct ws_deflate *
ws_deflate_new(const struct ws_deflate_params *params, int level)
{
    struct ws_deflate *d;

    /* What deflateInit2() would refuse, refused before the 101 (streams are made later). */
    if (level < Z_DEFAULT_COMPRESSION || level > Z_BEST_COMPRESSION)
        return NULL;
    d = xcalloc(1, sizeof(*d));
    d->tx_bits = deflate_bits(params->server_max_window_bits, 9);
    d->rx_bits = deflate_bits(params->client_max_window_bits, 8);
    d->level = level;
    d->tx_reset = params->server_no_context_takeover;
    d->rx_reset = params->client_no_context_takeover;
    return d;
}

void
ws_deflate_free(struct ws_deflate *d)
{
    if (!d)
        return;
    deflate_stream_free(d->tx);
    inflate_stream_free(d->rx);
    free(d);
}

unsigned
ws_deflate_output_key(const struct ws_deflate *d)
{
    /* Everything deflate's output depends on besides the message: level, window, memLevel. */
    if (!d->tx_reset)
        return 0;
    return (unsigned)(1 | d->level << 1 | d->tx_bits << 5 | deflate_mem_level(d->tx_bits) << 9);
}

/* Compresses in into out with z (sync flush, the flush's tail kept). 0 or -1. */
static int
deflate_run(z_stream *z, const char *in, size_t len, struct buf *out)
{
    unsigned char chunk[16384];

    z->next_in = (Bytef *)(uintptr_t)in;
    z->avail_in = (uInt)len;
    do {
        z->next_out = chunk;
        z->avail_out = sizeof(chunk);
        if (deflate(z, Z_SYNC_FLUSH) == Z_STREAM_ERROR)
            return -1;
        if (buf_append(out, chunk, sizeof(chunk) - z->avail_out) < 0)
            return -1;
    } while (z->avail_out == 0);
    return 0;
}

int
ws_deflate_compress(struct ws_deflate *d, const char *in, size_t len, struct buf *out)
{
    size_t start = out->len;
    z_stream *z = deflate_tx(d);
    int rc;

    if (!z)
        return -1;
    rc = deflate_run(z, in, len, out);
    /* A stream without context (the shared one among them) starts each message afresh. */
    if (d->tx_reset)
        deflateReset(z);
    if (rc < 0)
        return -1;
    /* RFC 7692 7.2.1: drop the 00 00 FF FF that ends a sync flush. */
    if (out->len - start >= 4 && memcmp(out->data + out->len - 4, "\x00\x00\xff\xff", 4) == 0)
        out->len -= 4;
    /* RFC 7692 7.2.3.6: an empty message is one 0x00 byte, never nothing. */
    if (out->len == start && buf_append_char(out, '\0') < 0)
        return -1;
    return 0;
}

static int
deflate_inflate_some(z_stream *rx, const unsigned char *in, size_t len, struct buf *out)
{
    unsigned char chunk[16384];
    int rc;

    rx->next_in = (Bytef *)(uintptr_t)in;
    rx->avail_in = (uInt)len;
    for (;;) {
        rx->next_out = chunk;
        rx->avail_out = sizeof(chunk);
        rc = inflate(rx, Z_SYNC_FLUSH);
        if (rc != Z_OK && rc != Z_BUF_ERROR && rc != Z_STREAM_END)
            return -EBADMSG;
        if (buf_append(out, chunk, sizeof(chunk) - rx->avail_out) < 0)
            return -ENOBUFS;
        /* A block marked final ends the stream: what follows starts a new one
         * (RFC 7692 7.2.3.4), instead of being offered again to a finished inflater. */
        if (rc == Z_STREAM_END)
            inflateReset(rx);
        if (rx->avail_in == 0 && rx->avail_out != 0)
            return 0;
        /* No progress possible: the input is exhausted or broken. */
        if (rc == Z_BUF_ERROR)
            return rx->avail_in ? -EBADMSG : 0;
    }
}

int
ws_deflate_inflate(struct ws_deflate *d, const char *in, size_t len, struct buf *out)
{
    static const unsigned char tail[4] = { 0x00, 0x00, 0xff, 0xff };
    z_stream *rx = deflate_rx(d);
    int rc;

    if (!rx)
        return -EBADMSG;
    rc = deflate_inflate_some(rx, (const unsigned char *)in, len, out);
    if (rc == 0)
        rc = deflate_inflate_some(rx, tail, sizeof(tail), out);
    if (d->rx_reset || rc < 0)
        inflateReset(rx);
    return rc;
}
