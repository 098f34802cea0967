/* SPDX-License-Identifier: MIT */
/* Response body compression. */
#include "compress.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "base/xalloc.h"

enum http_encoding
http_encoding_pick(const char *accept_encoding)
{
    bool zstd = false, deflate = false, gzip = false;
    const char *p = accept_encoding;

    if (!p)
        return HTTP_ENCODING_IDENTITY;
    while (*p) {
        while (*p == ' ')
            p++;
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        size_t tlen = len;
        while (tlen > 0 && p[tlen - 1] == ' ')
            tlen--;
        if (tlen == 4 && memcmp(p, "zstd", 4) == 0)
            zstd = true;
        else if (tlen == 7 && memcmp(p, "deflate", 7) == 0)
            deflate = true;
        else if (tlen == 4 && memcmp(p, "gzip", 4) == 0)
            gzip = true;
        p += len + (end ? 1 : 0);
    }
    if (zstd)
        return HTTP_ENCODING_ZSTD;
    if (deflate)
        return HTTP_ENCODING_DEFLATE;
    return gzip ? HTTP_ENCODING_GZIP : HTTP_ENCODING_IDENTITY;
}

const char *
http_encoding_name(enum http_encoding enc)
{
    switch (enc) {
    case HTTP_ENCODING_ZSTD:
        return "zstd";
    case HTTP_ENCODING_DEFLATE:
        return "deflate";
    case HTTP_ENCODING_GZIP:
        return "gzip";
    default:
        return NULL;
    }
}

static int
compress_zlib(bool gzip, int level, const char *in, size_t len, struct buf *out)
{
    z_stream zs;
    unsigned char chunk[16384];
    int rc;

    memset(&zs, 0, sizeof(zs));
    /* Window 15 bits, +16 for the gzip wrapper; memLevel 8 as the reference. */
    if (deflateInit2(&zs, ((level - 1) * 9) / 100 + 1, Z_DEFLATED, gzip ? 15 + 16 : 15, 8,
                     Z_DEFAULT_STRATEGY) != Z_OK)
        return -ENOMEM;
    zs.next_in = (Bytef *)(uintptr_t)in;
    zs.avail_in = (uInt)len;
    /* Loop until Z_STREAM_END so the trailer is always written (reference bug §13.1). */
    do {
        zs.next_out = chunk;
        zs.avail_out = sizeof(chunk);
        rc = deflate(&zs, Z_FINISH);
        if (rc == Z_STREAM_ERROR || buf_append(out, chunk, sizeof(chunk) - zs.avail_out) < 0) {
            deflateEnd(&zs);
            return -ENOBUFS;
        }
    } while (rc != Z_STREAM_END);
    deflateEnd(&zs);
    return 0;
}

static int
compress_zstd(int level, const char *in, size_t len, struct buf *out)
{
    size_t bound = ZSTD_compressBound(len);
    char *dst = xmalloc(bound);
    size_t n = ZSTD_compress(dst, bound, in, len, ((level - 1) * 19) / 100 + 1);
    int rc = ZSTD_isError(n) ? -EIO : buf_append(out, dst, n);

    free(dst);
    return rc;
}

int
http_compress(enum http_encoding enc, int level, const char *in, size_t len, struct buf *out)
{
    if (level < 1)
        level = 1;
    if (level > 100)
        level = 100;
    switch (enc) {
    case HTTP_ENCODING_ZSTD:
        return compress_zstd(level, in, len, out);
    case HTTP_ENCODING_DEFLATE:
        return compress_zlib(false, level, in, len, out);
    case HTTP_ENCODING_GZIP:
        return compress_zlib(true, level, in, len, out);
    default:
        return buf_append(out, in, len);
    }
}
