/* SPDX-License-Identifier: MIT */
/* HTTP/1.1 response reading for perch's client side: bytes in, bounded responses out. */
#ifndef PERCH_HTTP_REPLY_H
#define PERCH_HTTP_REPLY_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"

struct http_reply {
    int status;
    struct buf headers; /* "name: value\n" lines, names lower-cased */
    struct buf body;
};

/* Value of a header (name in lower case) copied into out; false when absent. */
bool http_reply_header(const struct http_reply *reply, const char *name, char *out, size_t len);

struct http_reply_reader;

/* Called for each complete response (valid during the call). */
typedef void (*http_reply_cb)(const struct http_reply *reply, void *data);

/* head_only: the response to a WebSocket upgrade has no body (bytes after it are frames). */
struct http_reply_reader *http_reply_reader_new(size_t max_body, http_reply_cb cb, void *data);
void http_reply_reader_free(struct http_reply_reader *r);
/* Bytes consumed (fewer than len after a 101 response), or -1 when malformed or too big. */
long http_reply_reader_feed(struct http_reply_reader *r, const char *data, size_t len);

#endif
