/* SPDX-License-Identifier: MIT */
/* permessage-deflate's inflater for the load generators (zlib, raw deflate). */
#include "load_inflate.h"

#include <stdlib.h>

/* next_in takes const bytes: zlib never writes to its input. */
#define ZLIB_CONST
#include <zlib.h>

/* An event or an answer is a few kB: a message past this is a fault, not a figure. */
#define INFLATED_MAX (1u << 20)

struct load_inflate {
    z_stream zs;
    bool reset_each;
    bool used;
    uint8_t *out;
    size_t out_cap;
};

struct load_inflate *
load_inflate_new(bool reset_each)
{
    struct load_inflate *z = calloc(1, sizeof *z);

    if (z == NULL)
        return NULL;
    /* Negative window bits: raw deflate, as RFC 7692 frames it; 15 reads any window. */
    if (inflateInit2(&z->zs, -15) != Z_OK) {
        free(z);
        return NULL;
    }
    z->reset_each = reset_each;
    return z;
}

/* Inflates in[0..len) after the out_len bytes already out; returns the new length or -1. */
static ssize_t
inflate_more(struct load_inflate *z, const uint8_t *in, size_t len, size_t out_len)
{
    z->zs.next_in = in;
    z->zs.avail_in = (uInt)len;
    do {
        if (out_len == z->out_cap) {
            size_t cap = z->out_cap ? z->out_cap * 2 : 4096;
            uint8_t *grown = cap <= INFLATED_MAX ? realloc(z->out, cap) : NULL;
            if (grown == NULL)
                return -1;
            z->out = grown;
            z->out_cap = cap;
        }
        z->zs.next_out = z->out + out_len;
        z->zs.avail_out = (uInt)(z->out_cap - out_len);
        int r = inflate(&z->zs, Z_SYNC_FLUSH);
        out_len = z->out_cap - z->zs.avail_out;
        if (r == Z_STREAM_END)
            r = inflateReset(&z->zs); /* a final block: what follows starts a new stream */
        if (r == Z_BUF_ERROR)
            break; /* nothing more to do with this input */
        if (r != Z_OK)
            return -1;
    } while (z->zs.avail_in > 0 || z->zs.avail_out == 0);
    return (ssize_t)out_len;
}

ssize_t
load_inflate_message(struct load_inflate *z, const uint8_t *in, size_t len, const uint8_t **out)
{
    /* The sender removed this empty stored block's header from the message's end. */
    static const uint8_t tail[4] = { 0x00, 0x00, 0xff, 0xff };

    if (z->reset_each && z->used && inflateReset(&z->zs) != Z_OK)
        return -1;
    z->used = true;
    ssize_t n = inflate_more(z, in, len, 0);
    if (n >= 0)
        n = inflate_more(z, tail, sizeof tail, (size_t)n);
    *out = z->out;
    return n;
}

void
load_inflate_free(struct load_inflate *z)
{
    if (z == NULL)
        return;
    inflateEnd(&z->zs);
    free(z->out);
    free(z);
}
