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
    const char *content_type;     /* NULL for the api's JSON */
    const char *content_encoding; /* NULL for identity */
    bool close;                   /* adds "Connection: close" */
    bool same_origin;             /* no "Access-Control-Allow-Origin: *" (the web client) */
    bool head_only;               /* an answer to HEAD: Content-Length of body, body not sent */
    const char *body;
    size_t body_len;
};

/* Appends the whole response to out: head and body; a 304 has neither body nor Content-Type
 * nor Content-Length (RFC 9110 15.4.5), a head_only response no body. */
void http_response_write(struct buf *out, const struct http_response *resp);

#endif
