/* SPDX-License-Identifier: MIT */
/* HTTP/1.1 request reading on top of http-parser. */
#include "request.h"

#include <http_parser.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/xalloc.h"

/* The part of the header block the text is growing with. */
enum reader_part {
    PART_NONE,
    PART_URL,
    PART_NAME,
    PART_VALUE,
    PART_DONE, /* headers complete: a chunked body's trailers are dropped */
};

/* Bytes a request's text starts with room for: the requests of clients fit in it. */
#define TEXT_FIRST_BYTES 384
#define HEADERS_FIRST    8

struct http_reader {
    http_parser parser;
    struct http_request req;
    struct buf text; /* target, then each header's name and value, NUL-terminated */
    struct http_header *headers;
    size_t headers_cap;
    enum reader_part part;
    bool in_request;
    bool stopped; /* cb returned false: req is kept until the next feed */
    int error;
    size_t header_bytes;
    size_t max_header_bytes;
    size_t max_body_bytes;
    http_request_cb cb;
    void *data;
};

static const char *
header_value(const struct http_request *req, const struct http_header *h)
{
    return h->merged ? h->merged : req->text + h->value;
}

const char *
http_request_header(const struct http_request *req, const char *name)
{
    for (size_t i = 0; i < req->n_headers; i++) {
        if (strcasecmp(req->text + req->headers[i].name, name) == 0)
            return header_value(req, &req->headers[i]);
    }
    return NULL;
}

const char *
http_request_header_at(const struct http_request *req, size_t i, const char **value)
{
    *value = header_value(req, &req->headers[i]);
    return req->text + req->headers[i].name;
}

static void
reader_reset_request(struct http_reader *r)
{
    for (size_t i = 0; i < r->req.n_headers; i++)
        free(r->headers[i].merged);
    buf_fini(&r->req.body);
    memset(&r->req, 0, sizeof(r->req));
    buf_init(&r->req.body, r->max_body_bytes);
    /* Between requests a keep-alive client holds nothing. */
    free(r->headers);
    r->headers = NULL;
    r->headers_cap = 0;
    buf_fini(&r->text);
    r->part = PART_NONE;
    r->header_bytes = 0;
}

static struct http_reader *
reader_of(http_parser *p)
{
    return p->data;
}

/* Adds bytes of the header block to the text, counting them against the limit. */
static int
reader_take(struct http_reader *r, const char *at, size_t len)
{
    r->header_bytes += len;
    if (r->header_bytes > r->max_header_bytes) {
        r->error = HTTP_READ_HEADERS_TOO_BIG;
        return -1;
    }
    if (r->part == PART_DONE)
        return 0;
    if (r->text.cap == 0)
        (void)buf_reserve(&r->text, TEXT_FIRST_BYTES); /* only saves reallocations */
    if (buf_append(&r->text, at, len) < 0) {
        r->error = HTTP_READ_HEADERS_TOO_BIG;
        return -1;
    }
    return 0;
}

/* Ends the string the text is growing with (its NUL goes in the text). */
static void
reader_end_part(struct http_reader *r)
{
    if (r->part != PART_NONE && r->part != PART_DONE)
        (void)buf_append(&r->text, "", 1); /* within the limit: see http_reader_new */
}

/* Ends the header just read (the last in r->headers), merging a repeated name into the
 * first's value as "first, second" and giving its text back. */
static void
reader_commit_header(struct http_reader *r)
{
    struct http_request *req = &r->req;
    struct http_header *h = &r->headers[req->n_headers - 1];
    const char *name;

    reader_end_part(r);
    name = r->text.data + h->name; /* the NUL may have moved the text */
    while (r->text.data[h->value] == ' ' || r->text.data[h->value] == '\t')
        h->value++;
    for (struct http_header *first = r->headers; first < h; first++) {
        if (strcasecmp(r->text.data + first->name, name) == 0) {
            const char *old = first->merged ? first->merged : r->text.data + first->value;
            const char *add = r->text.data + h->value;
            size_t old_len = strlen(old), add_len = strlen(add);
            char *merged = xmalloc(old_len + add_len + 3);

            memcpy(merged, old, old_len);
            memcpy(merged + old_len, ", ", 2);
            memcpy(merged + old_len + 2, add, add_len + 1);
            free(first->merged);
            first->merged = merged;
            r->text.len = h->name;
            r->text.data[r->text.len] = '\0';
            req->n_headers--;
            return;
        }
    }
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

    r->part = PART_URL;
    return reader_take(r, at, len);
}

static int
on_header_field(http_parser *p, const char *at, size_t len)
{
    struct http_reader *r = reader_of(p);

    if (r->part == PART_VALUE)
        reader_commit_header(r);
    if (r->part == PART_URL || r->part == PART_VALUE) {
        if (r->part == PART_URL)
            reader_end_part(r);
        if (r->req.n_headers == r->headers_cap) {
            r->headers_cap = r->headers_cap ? 2 * r->headers_cap : HEADERS_FIRST;
            r->headers = xrealloc(r->headers, r->headers_cap * sizeof(*r->headers));
        }
        r->headers[r->req.n_headers++] = (struct http_header){ .name = r->text.len };
        r->part = PART_NAME;
    }
    return reader_take(r, at, len);
}

static int
on_header_value(http_parser *p, const char *at, size_t len)
{
    struct http_reader *r = reader_of(p);

    if (r->part == PART_NAME) {
        reader_end_part(r);
        r->headers[r->req.n_headers - 1].value = r->text.len;
        r->part = PART_VALUE;
    }
    return reader_take(r, at, len);
}

static int
on_headers_complete(http_parser *p)
{
    struct http_reader *r = reader_of(p);

    if (r->part == PART_NAME) /* http-parser reports even an empty value: never seen */
        (void)on_header_value(p, "", 0);
    if (r->part == PART_VALUE)
        reader_commit_header(r);
    else
        reader_end_part(r);
    r->part = PART_DONE;
    if (p->content_length != ULLONG_MAX && p->content_length > r->max_body_bytes) {
        r->error = HTTP_READ_BODY_TOO_BIG;
        return -1;
    }
    const char *method = http_method_str(p->method);
    size_t method_len = strnlen(method, sizeof(r->req.method) - 1);

    memcpy(r->req.method, method, method_len); /* not snprintf: it showed in a request's cost */
    r->req.method[method_len] = '\0';
    /* The text no longer grows: its strings stay where they are. */
    r->req.text = r->text.data ? r->text.data : "";
    r->req.target = r->req.text;
    r->req.headers = r->headers;
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
    /* Each counted byte takes one byte of the text, and each string one NUL more: at most
     * three bytes for each counted one (a header "a:"), and the target's. */
    buf_init(&r->text, 3 * max_header_bytes + 1);
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
