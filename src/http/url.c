/* SPDX-License-Identifier: MIT */
/* Request targets: path segments and query parameters. */
#include "url.h"

#include <stdlib.h>
#include <string.h>

#include "base/hex.h"
#include "base/xalloc.h"

char *
http_url_decode(const char *s, size_t len)
{
    char *out = xmalloc(len + 1);
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
    return out;
}

static void
url_split_path(const char *path, size_t len, struct http_url *url)
{
    size_t i = 0;

    while (i < len) {
        size_t start = i;
        while (i < len && path[i] != '/')
            i++;
        if (i > start) {
            if (url->n_segments < HTTP_URL_MAX_SEGMENTS)
                url->segments[url->n_segments++] = http_url_decode(path + start, i - start);
            url->n_segments_seen++;
        }
        i++;
    }
}

static void
url_split_query(const char *q, struct http_url *url)
{
    while (*q) {
        const char *end = strchr(q, '&');
        size_t len = end ? (size_t)(end - q) : strlen(q);
        const char *eq = memchr(q, '=', len);
        if (len && url->n_params < HTTP_URL_MAX_PARAMS) {
            size_t nlen = eq ? (size_t)(eq - q) : len;
            url->names[url->n_params] = xstrndup(q, nlen);
            url->values[url->n_params] = eq ? http_url_decode(eq + 1, len - nlen - 1) : xstrdup("");
            url->n_params++;
        }
        q += len + (end ? 1 : 0);
    }
}

void
http_url_parse(const char *target, struct http_url *url)
{
    const char *qmark = strchr(target, '?');

    memset(url, 0, sizeof(*url));
    url_split_path(target, qmark ? (size_t)(qmark - target) : strlen(target), url);
    if (qmark)
        url_split_query(qmark + 1, url);
}

void
http_url_fini(struct http_url *url)
{
    for (size_t i = 0; i < url->n_segments; i++)
        free(url->segments[i]);
    for (size_t i = 0; i < url->n_params; i++) {
        free(url->names[i]);
        free(url->values[i]);
    }
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
