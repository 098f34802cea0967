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

struct ws_deflate {
    z_stream tx;
    z_stream rx;
    bool tx_reset;   /* server_no_context_takeover */
    bool rx_reset;   /* client_no_context_takeover */
    unsigned tx_key; /* see ws_deflate_output_key() */
};

struct ws_deflate *
ws_deflate_new(const struct ws_deflate_params *params, int level)
{
    struct ws_deflate *d = xcalloc(1, sizeof(*d));

    /* Negative window bits select raw deflate; the inflater always takes 15 bits,
     * which decodes any smaller window the client may use. */
    if (deflateInit2(&d->tx, level, Z_DEFLATED, -params->server_max_window_bits, 8,
                     Z_DEFAULT_STRATEGY) != Z_OK) {
        free(d);
        return NULL;
    }
    if (inflateInit2(&d->rx, -15) != Z_OK) {
        deflateEnd(&d->tx);
        free(d);
        return NULL;
    }
    d->tx_reset = params->server_no_context_takeover;
    d->rx_reset = params->client_no_context_takeover;
    /* Everything deflate's output depends on besides the message: level, window, memLevel. */
    d->tx_key =
        d->tx_reset ? (unsigned)(1 | level << 1 | params->server_max_window_bits << 5 | 8 << 9) : 0;
    return d;
}

void
ws_deflate_free(struct ws_deflate *d)
{
    if (!d)
        return;
    deflateEnd(&d->tx);
    inflateEnd(&d->rx);
    free(d);
}

unsigned
ws_deflate_output_key(const struct ws_deflate *d)
{
    return d->tx_key;
}

int
ws_deflate_compress(struct ws_deflate *d, const char *in, size_t len, struct buf *out)
{
    unsigned char chunk[16384];
    size_t start = out->len;

    d->tx.next_in = (Bytef *)(uintptr_t)in;
    d->tx.avail_in = (uInt)len;
    do {
        d->tx.next_out = chunk;
        d->tx.avail_out = sizeof(chunk);
        if (deflate(&d->tx, Z_SYNC_FLUSH) == Z_STREAM_ERROR)
            return -1;
        if (buf_append(out, chunk, sizeof(chunk) - d->tx.avail_out) < 0)
            return -1;
    } while (d->tx.avail_out == 0);
    /* RFC 7692 7.2.1: drop the 00 00 FF FF that ends a sync flush. */
    if (out->len - start >= 4 && memcmp(out->data + out->len - 4, "\x00\x00\xff\xff", 4) == 0)
        out->len -= 4;
    /* RFC 7692 7.2.3.6: an empty message is one 0x00 byte, never nothing. */
    if (out->len == start && buf_append_char(out, '\0') < 0)
        return -1;
    if (d->tx_reset)
        deflateReset(&d->tx);
    return 0;
}

static int
deflate_inflate_some(struct ws_deflate *d, const unsigned char *in, size_t len, struct buf *out)
{
    unsigned char chunk[16384];
    int rc;

    d->rx.next_in = (Bytef *)(uintptr_t)in;
    d->rx.avail_in = (uInt)len;
    for (;;) {
        d->rx.next_out = chunk;
        d->rx.avail_out = sizeof(chunk);
        rc = inflate(&d->rx, Z_SYNC_FLUSH);
        if (rc != Z_OK && rc != Z_BUF_ERROR && rc != Z_STREAM_END)
            return -EBADMSG;
        if (buf_append(out, chunk, sizeof(chunk) - d->rx.avail_out) < 0)
            return -ENOBUFS;
        /* A block marked final ends the stream: what follows starts a new one
         * (RFC 7692 7.2.3.4), instead of being offered again to a finished inflater. */
        if (rc == Z_STREAM_END)
            inflateReset(&d->rx);
        if (d->rx.avail_in == 0 && d->rx.avail_out != 0)
            return 0;
        /* No progress possible: the input is exhausted or broken. */
        if (rc == Z_BUF_ERROR)
            return d->rx.avail_in ? -EBADMSG : 0;
    }
}

int
ws_deflate_inflate(struct ws_deflate *d, const char *in, size_t len, struct buf *out)
{
    static const unsigned char tail[4] = { 0x00, 0x00, 0xff, 0xff };
    int rc = deflate_inflate_some(d, (const unsigned char *)in, len, out);

    if (rc == 0)
        rc = deflate_inflate_some(d, tail, sizeof(tail), out);
    if (d->rx_reset || rc < 0)
        inflateReset(&d->rx);
    return rc;
}
