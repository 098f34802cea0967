/* SPDX-License-Identifier: MIT */
/* Response body compression: zstd, deflate (zlib stream) or gzip, always complete streams. */
#ifndef PERCH_HTTP_COMPRESS_H
#define PERCH_HTTP_COMPRESS_H

#include <stddef.h>

#include "base/buf.h"

enum http_encoding {
    HTTP_ENCODING_IDENTITY,
    HTTP_ENCODING_ZSTD,
    HTTP_ENCODING_DEFLATE,
    HTTP_ENCODING_GZIP,
};

/* The reference's choice from Accept-Encoding (exact tokens; zstd > deflate > gzip). */
enum http_encoding http_encoding_pick(const char *accept_encoding);
/* "zstd", "deflate", "gzip" or NULL for identity. */
const char *http_encoding_name(enum http_encoding enc);
/*
 * Compresses in[0..len) into out with level 1..100 mapped as the reference does.
 * Returns 0, or a negative code (out is then unspecified).
 */
int http_compress(enum http_encoding enc, int level, const char *in, size_t len, struct buf *out);

#endif
