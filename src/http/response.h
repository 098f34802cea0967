/* SPDX-License-Identifier: MIT */
/* HTTP/1.1 responses laid out byte for byte as the reference relay sends them (§3.4). */
#ifndef PERCH_HTTP_RESPONSE_H
#define PERCH_HTTP_RESPONSE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"

/* "OK", "Bad Request", ...; "Unknown" for codes perch never sends. */
const char *http_reason_phrase(int status);

struct http_response {
    int status;
    const char *extra_headers;    /* complete "Name: value\r\n" lines, or NULL */
    const char *content_encoding; /* NULL for identity */
    bool close;                   /* adds "Connection: close" */
    const char *body;
    size_t body_len;
};

/* Appends the whole response (head and body) to out. */
void http_response_write(struct buf *out, const struct http_response *resp);

#endif
