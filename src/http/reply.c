/* SPDX-License-Identifier: MIT */
/* HTTP/1.1 response reading on top of http-parser. */
#include "reply.h"

#include <ctype.h>
#include <http_parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

struct http_reply_reader {
    http_parser parser;
    http_parser_settings settings;
    struct http_reply reply;
    bool in_value; /* the last header callback was a value */
    bool failed;
    http_reply_cb cb;
    void *data;
};

bool
http_reply_header(const struct http_reply *reply, const char *name, char *out, size_t len)
{
    size_t n = strlen(name);

    for (const char *p = reply->headers.data; p && *p;) {
        const char *end = strchr(p, '\n');
        if (strncmp(p, name, n) == 0 && p[n] == ':') {
            const char *v = p + n + 1;
            while (*v == ' ')
                v++;
            snprintf(out, len, "%.*s", (int)(end ? end - v : (long)strlen(v)), v);
            return true;
        }
        p = end ? end + 1 : p + strlen(p);
    }
    return false;
}

static struct http_reply_reader *
reader_of(http_parser *p)
{
    return p->data;
}

static int
on_begin(http_parser *p)
{
    struct http_reply_reader *r = reader_of(p);

    buf_reset(&r->reply.headers);
    buf_reset(&r->reply.body);
    r->in_value = false;
    return 0;
}

static int
on_field(http_parser *p, const char *at, size_t len)
{
    struct http_reply_reader *r = reader_of(p);
    struct buf *h = &r->reply.headers;

    if (r->in_value && buf_append_char(h, '\n') < 0)
        return -1;
    r->in_value = false;
    for (size_t i = 0; i < len; i++) {
        if (buf_append_char(h, (char)tolower((unsigned char)at[i])) < 0)
            return -1;
    }
    return 0;
}

static int
on_value(http_parser *p, const char *at, size_t len)
{
    struct http_reply_reader *r = reader_of(p);
    struct buf *h = &r->reply.headers;

    if (!r->in_value && buf_append(h, ": ", 2) < 0)
        return -1;
    r->in_value = true;
    return buf_append(h, at, len) < 0 ? -1 : 0;
}

static int
on_headers_complete(http_parser *p)
{
    struct http_reply_reader *r = reader_of(p);

    r->reply.status = (int)p->status_code;
    buf_append_char(&r->reply.headers, '\n');
    /* No body follows a 101 or a 204 (http-parser knows the others). */
    return p->status_code == 101 ? 1 : 0;
}

static int
on_body(http_parser *p, const char *at, size_t len)
{
    return buf_append(&reader_of(p)->reply.body, at, len) < 0 ? -1 : 0;
}

static int
on_complete(http_parser *p)
{
    struct http_reply_reader *r = reader_of(p);

    r->cb(&r->reply, r->data);
    return 0;
}

struct http_reply_reader *
http_reply_reader_new(size_t max_body, http_reply_cb cb, void *data)
{
    struct http_reply_reader *r = xcalloc(1, sizeof(*r));

    http_parser_init(&r->parser, HTTP_RESPONSE);
    r->parser.data = r;
    http_parser_settings_init(&r->settings);
    r->settings.on_message_begin = on_begin;
    r->settings.on_header_field = on_field;
    r->settings.on_header_value = on_value;
    r->settings.on_headers_complete = on_headers_complete;
    r->settings.on_body = on_body;
    r->settings.on_message_complete = on_complete;
    buf_init(&r->reply.headers, 65536);
    buf_init(&r->reply.body, max_body);
    r->cb = cb;
    r->data = data;
    return r;
}

void
http_reply_reader_free(struct http_reply_reader *r)
{
    if (!r)
        return;
    buf_fini(&r->reply.headers);
    buf_fini(&r->reply.body);
    free(r);
}

long
http_reply_reader_feed(struct http_reply_reader *r, const char *data, size_t len)
{
    size_t n;

    if (r->failed)
        return -1;
    n = http_parser_execute(&r->parser, &r->settings, data, len);
    if (r->parser.upgrade)
        return (long)n;
    if (HTTP_PARSER_ERRNO(&r->parser) != HPE_OK) {
        r->failed = true;
        return -1;
    }
    return (long)n;
}
