/* SPDX-License-Identifier: MIT */
/* Request targets: path segments and query parameters. */
#include "url.h"

#include <stdlib.h>
#include <string.h>

#include "base/hex.h"
#include "base/xalloc.h"

/* Percent-decodes s[0..len) into out, NUL-terminated; returns the bytes written with it. */
static size_t
url_decode_into(char *out, const char *s, size_t len)
{
    size_t o = 0;

    for (size_t i = 0; i < len; i++) {
        int hi, lo;
        if (s[i] == '%' && i + 2 < len && (hi = hex_digit_value(s[i + 1])) >= 0 &&
            (lo = hex_digit_value(s[i + 2])) >= 0) {
            out[o++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            out[o++] = s[i];
        }
    }
    out[o] = '\0';
    return o + 1;
}

char *
http_url_decode(const char *s, size_t len)
{
    char *out = xmalloc(len + 1);

    url_decode_into(out, s, len);
    return out;
}

/* All the strings fit in strlen(target) + 1 bytes: each one's NUL takes the place of the '/',
 * '&' or '=' that ended it, but for the last segment's, which takes the '?' when there is a
 * query, and the last parameter's, which takes the one more byte. A parameter without '='
 * has the empty value, which takes no byte. */
static void
url_split_path(const char *path, size_t len, struct http_url *url, char **cursor)
{
    size_t i = 0;

    while (i < len) {
        size_t start = i;
        while (i < len && path[i] != '/')
            i++;
        if (i > start) {
            if (url->n_segments < HTTP_URL_MAX_SEGMENTS) {
                url->segments[url->n_segments++] = *cursor;
                *cursor += url_decode_into(*cursor, path + start, i - start);
            }
            url->n_segments_seen++;
        }
        i++;
    }
}

static void
url_split_query(const char *q, struct http_url *url, char **cursor)
{
    while (*q) {
        const char *end = strchr(q, '&');
        size_t len = end ? (size_t)(end - q) : strlen(q);
        const char *eq = memchr(q, '=', len);
        if (len && url->n_params < HTTP_URL_MAX_PARAMS) {
            size_t nlen = eq ? (size_t)(eq - q) : len;
            url->names[url->n_params] = *cursor;
            memcpy(*cursor, q, nlen);
            (*cursor)[nlen] = '\0';
            *cursor += nlen + 1;
            url->values[url->n_params] = eq ? *cursor : "";
            if (eq)
                *cursor += url_decode_into(*cursor, eq + 1, len - nlen - 1);
            url->n_params++;
        }
        q += len + (end ? 1 : 0);
    }
}

void
http_url_parse(const char *target, struct http_url *url)
{
    const char *qmark = strchr(target, '?');
    size_t len = strlen(target);
    char *cursor;

    memset(url, 0, sizeof(*url));
    url->text = cursor = xmalloc(len + 1);
    url_split_path(target, qmark ? (size_t)(qmark - target) : len, url, &cursor);
    if (qmark)
        url_split_query(qmark + 1, url, &cursor);
}

void
http_url_fini(struct http_url *url)
{
    free(url->text);
    memset(url, 0, sizeof(*url));
}

const char *
http_url_param(const struct http_url *url, const char *name)
{
    /* The last occurrence wins (reference §3.2). */
    for (size_t i = url->n_params; i > 0; i--) {
        if (strcmp(url->names[i - 1], name) == 0)
            return url->values[i - 1];
    }
    return NULL;
}
