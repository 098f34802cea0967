/* SPDX-License-Identifier: MIT */
/*
 * HTTP/1.1 request reading: bytes in, complete requests out, every part bounded.
 * Content-Length and chunked bodies; header names compared case-insensitively;
 * a repeated header is merged as "first, second" (as the reference does); trailers of a
 * chunked body are counted against the header limit and dropped.
 */
#ifndef PERCH_HTTP_REQUEST_H
#define PERCH_HTTP_REQUEST_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"

/* One header, as offsets into its request's text: read headers with http_request_header(). */
struct http_header {
    size_t name;
    size_t value;
    char *merged; /* a repeated header's "first, second", or NULL */
};

struct http_request {
    char method[16];
    const char *target; /* path and query as sent */
    /* The target and each header's name and value, NUL-terminated, in one allocation:
     * a request costs the reader a couple of allocations, not a few per header. */
    const char *text;
    const struct http_header *headers;
    size_t n_headers;
    struct buf body;
    bool keep_alive; /* HTTP/1.1 without "Connection: close", or 1.0 with keep-alive */
    bool upgrade;    /* "Connection: upgrade" and an "Upgrade" header */
};

/* Value of a header (case-insensitive name) or NULL. */
const char *http_request_header(const struct http_request *req, const char *name);
/* The name of header i (< n_headers, in the order received) and its value in *value. */
const char *http_request_header_at(const struct http_request *req, size_t i, const char **value);
/* The first item of a comma-separated header value (spaces around items trimmed) that
 * starts with prefix, or equals it when exact: its text after prefix (*len bytes), or
 * NULL (list may be NULL). */
const char *http_list_item(const char *list, const char *prefix, bool exact, size_t *len);

enum http_read_error {
    HTTP_READ_MALFORMED = -1,       /* answer 400 */
    HTTP_READ_HEADERS_TOO_BIG = -2, /* answer 431 */
    HTTP_READ_BODY_TOO_BIG = -3,    /* answer 413 */
};

struct http_reader;

/* Called for each complete request. Return true to go on: the request is valid during the
 * call only. Return false to stop reading (the rest stays unread): the request then stays
 * valid, unchanged, until the next http_reader_feed() or http_reader_free(). */
typedef bool (*http_request_cb)(const struct http_request *req, void *data);

struct http_reader *http_reader_new(size_t max_header_bytes, size_t max_body_bytes,
                                    http_request_cb cb, void *data);
void http_reader_free(struct http_reader *r);
/*
 * Feeds bytes; calls cb for each request completed by them. Returns the number of
 * bytes consumed (less than len only when cb returned false), or a negative
 * enum http_read_error; after an error the reader accepts nothing more.
 */
long http_reader_feed(struct http_reader *r, const char *data, size_t len);
/* True while a request has started but is not complete. */
bool http_reader_in_request(const struct http_reader *r);

#endif
