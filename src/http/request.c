/* SPDX-License-Identifier: MIT */
/* HTTP/1.1 request reading on top of http-parser. */
#include "request.h"

#include <http_parser.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/xalloc.h"

struct http_reader {
    http_parser parser;
    struct http_request req;
    struct buf url;
    struct buf field;
    struct buf value;
    bool in_value;
    bool in_request;
    bool stopped; /* cb returned false: req is kept until the next feed */
    int error;
    size_t header_bytes;
    size_t max_header_bytes;
    size_t max_body_bytes;
    http_request_cb cb;
    void *data;
};

const char *
http_request_header(const struct http_request *req, const char *name)
{
    for (size_t i = 0; i < req->n_headers; i++) {
        if (strcasecmp(req->headers[i].name, name) == 0)
            return req->headers[i].value;
    }
    return NULL;
}

static void
reader_reset_request(struct http_reader *r)
{
    for (size_t i = 0; i < r->req.n_headers; i++) {
        free(r->req.headers[i].name);
        free(r->req.headers[i].value);
    }
    free(r->req.headers);
    free(r->req.target);
    buf_fini(&r->req.body);
    memset(&r->req, 0, sizeof(r->req));
    buf_init(&r->req.body, r->max_body_bytes);
    /* Between requests a keep-alive client holds nothing: the parts' buffers go. */
    buf_fini(&r->url);
    buf_fini(&r->field);
    buf_fini(&r->value);
    r->in_value = false;
    r->header_bytes = 0;
}

static struct http_reader *
reader_of(http_parser *p)
{
    return p->data;
}

/* Counts header-block bytes against the limit. */
static int
reader_count(struct http_reader *r, size_t len)
{
    r->header_bytes += len;
    if (r->header_bytes > r->max_header_bytes) {
        r->error = HTTP_READ_HEADERS_TOO_BIG;
        return -1;
    }
    return 0;
}

static int
on_message_begin(http_parser *p)
{
    struct http_reader *r = reader_of(p);

    reader_reset_request(r);
    r->in_request = true;
    return 0;
}

static int
on_url(http_parser *p, const char *at, size_t len)
{
    struct http_reader *r = reader_of(p);

    if (reader_count(r, len) < 0)
        return -1;
    buf_append(&r->url, at, len);
    return 0;
}

/* Stores the header just read, merging a repeated name into "first, second". */
static void
reader_commit_header(struct http_reader *r)
{
    struct http_request *req = &r->req;
    const char *value = r->value.data ? r->value.data : "";

    while (*value == ' ' || *value == '\t')
        value++;
    for (size_t i = 0; i < req->n_headers; i++) {
        if (strcasecmp(req->headers[i].name, r->field.data) == 0) {
            size_t old = strlen(req->headers[i].value), add = strlen(value);
            req->headers[i].value = xrealloc(req->headers[i].value, old + add + 3);
            memcpy(req->headers[i].value + old, ", ", 2);
            memcpy(req->headers[i].value + old + 2, value, add + 1);
            goto done;
        }
    }
    req->headers = xrealloc(req->headers, (req->n_headers + 1) * sizeof(*req->headers));
    req->headers[req->n_headers].name = xstrdup(r->field.data);
    req->headers[req->n_headers].value = xstrdup(value);
    req->n_headers++;
done:
    buf_reset(&r->field);
    buf_reset(&r->value);
    r->in_value = false;
}

static int
on_header_field(http_parser *p, const char *at, size_t len)
{
    struct http_reader *r = reader_of(p);

    if (reader_count(r, len) < 0)
        return -1;
    if (r->in_value)
        reader_commit_header(r);
    buf_append(&r->field, at, len);
    return 0;
}

static int
on_header_value(http_parser *p, const char *at, size_t len)
{
    struct http_reader *r = reader_of(p);

    if (reader_count(r, len) < 0)
        return -1;
    r->in_value = true;
    buf_append(&r->value, at, len);
    return 0;
}

static int
on_headers_complete(http_parser *p)
{
    struct http_reader *r = reader_of(p);

    if (r->in_value)
        reader_commit_header(r);
    if (p->content_length != ULLONG_MAX && p->content_length > r->max_body_bytes) {
        r->error = HTTP_READ_BODY_TOO_BIG;
        return -1;
    }
    snprintf(r->req.method, sizeof(r->req.method), "%s", http_method_str(p->method));
    r->req.target = buf_steal(&r->url, NULL);
    r->req.keep_alive = http_should_keep_alive(p) != 0;
    r->req.upgrade = p->upgrade != 0;
    return 0;
}

static int
on_body(http_parser *p, const char *at, size_t len)
{
    struct http_reader *r = reader_of(p);

    if (buf_append(&r->req.body, at, len) < 0) {
        r->error = HTTP_READ_BODY_TOO_BIG;
        return -1;
    }
    return 0;
}

static int
on_message_complete(http_parser *p)
{
    struct http_reader *r = reader_of(p);

    r->in_request = false;
    if (!r->cb(&r->req, r->data)) {
        /* The request stays for the owner until the next feed (http_request_cb). */
        r->stopped = true;
        http_parser_pause(p, 1);
        return 0;
    }
    reader_reset_request(r);
    return 0;
}

static const http_parser_settings reader_settings = {
    .on_message_begin = on_message_begin,
    .on_url = on_url,
    .on_header_field = on_header_field,
    .on_header_value = on_header_value,
    .on_headers_complete = on_headers_complete,
    .on_body = on_body,
    .on_message_complete = on_message_complete,
};

struct http_reader *
http_reader_new(size_t max_header_bytes, size_t max_body_bytes, http_request_cb cb, void *data)
{
    struct http_reader *r = xcalloc(1, sizeof(*r));

    http_parser_init(&r->parser, HTTP_REQUEST);
    r->parser.data = r;
    r->max_header_bytes = max_header_bytes;
    r->max_body_bytes = max_body_bytes;
    buf_init(&r->url, max_header_bytes);
    buf_init(&r->field, max_header_bytes);
    buf_init(&r->value, max_header_bytes);
    buf_init(&r->req.body, max_body_bytes);
    r->cb = cb;
    r->data = data;
    return r;
}

void
http_reader_free(struct http_reader *r)
{
    if (!r)
        return;
    reader_reset_request(r);
    buf_fini(&r->req.body);
    buf_fini(&r->url);
    buf_fini(&r->field);
    buf_fini(&r->value);
    free(r);
}

long
http_reader_feed(struct http_reader *r, const char *data, size_t len)
{
    size_t n;

    if (r->error)
        return r->error;
    if (r->stopped)
        reader_reset_request(r);
    r->stopped = false;
    n = http_parser_execute(&r->parser, &reader_settings, data, len);
    if (r->stopped) {
        http_parser_pause(&r->parser, 0);
        return (long)n;
    }
    if (r->error)
        return r->error;
    if (HTTP_PARSER_ERRNO(&r->parser) != HPE_OK) {
        r->error = HTTP_PARSER_ERRNO(&r->parser) == HPE_HEADER_OVERFLOW ? HTTP_READ_HEADERS_TOO_BIG
                                                                        : HTTP_READ_MALFORMED;
        return r->error;
    }
    return (long)n;
}

bool
http_reader_in_request(const struct http_reader *r)
{
    return r->in_request;
}

const char *
http_list_item(const char *list, const char *prefix, bool exact, size_t *len)
{
    size_t plen = strlen(prefix);

    for (const char *p = list; p && *p;) {
        while (*p == ' ')
            p++;
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        while (n && p[n - 1] == ' ')
            n--;
        if ((exact ? n == plen : n >= plen) && strncmp(p, prefix, plen) == 0) {
            *len = n - plen;
            return p + plen;
        }
        p = end ? end + 1 : p + n;
    }
    return NULL;
}
