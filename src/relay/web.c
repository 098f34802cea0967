/* SPDX-License-Identifier: MIT */
/* The web client's files: the embedded variant a client accepts, with its ETag and headers. */
#include "web.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "web_assets.h"

/* Every web answer carries these, errors included: the page may run only its own scripts,
 * talk only to perchd and never sit in a frame. */
#define WEB_SECURITY_HEADERS                                                              \
    "Content-Security-Policy: default-src 'self'; script-src 'self'; style-src 'self'; "  \
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; " \
    "form-action 'self'; object-src 'none'\r\n"                                           \
    "X-Content-Type-Options: nosniff\r\n"                                                 \
    "Referrer-Policy: no-referrer\r\n"                                                    \
    "X-Frame-Options: DENY\r\n"

#define WEB_PATH_MAX 512

static const char *const web_encodings[RELAY_WEB_N_VARIANTS] = {
    [RELAY_WEB_IDENTITY] = NULL,
    [RELAY_WEB_GZIP] = "gzip",
    [RELAY_WEB_ZSTD] = "zstd",
};

/* The ETag suffix of each variant: a strong ETag names the exact bytes sent (RFC 9110 8.8.3). */
static const char *const web_etag_suffixes[RELAY_WEB_N_VARIANTS] = {
    [RELAY_WEB_IDENTITY] = "",
    [RELAY_WEB_GZIP] = "-gz",
    [RELAY_WEB_ZSTD] = "-zst",
};

bool
relay_web_owns(const struct http_url *url)
{
    return url->n_segments == 0 || strcmp(url->segments[0], "api") != 0;
}

/* True when a q parameter among params[0..len) is zero: the coding is refused. */
static bool
web_q_is_zero(const char *params, size_t len)
{
    const char *q = NULL;

    for (size_t i = 0; i + 1 < len; i++) {
        if ((params[i] == 'q' || params[i] == 'Q') && params[i + 1] == '=')
            q = params + i + 2;
    }
    if (!q)
        return false;
    if (*q != '0')
        return false;
    for (q++; q < params + len && (*q == '.' || *q == '0'); q++)
        ;
    return q == params + len || *q == ' ' || *q == ';';
}

/* Whether Accept-Encoding accepts name: listed (or "*") without q=0 (RFC 9110 12.5.3). */
static bool
web_accepts(const char *accept_encoding, const char *name)
{
    const char *p = accept_encoding;
    bool star = false;
    size_t nlen = strlen(name);

    while (p && *p) {
        p += strspn(p, " \t,");
        size_t len = strcspn(p, ",");
        size_t tlen = strcspn(p, ";, \t");
        const char *params = p + tlen;
        bool zero = web_q_is_zero(params, len - tlen);
        if (tlen == nlen && strncasecmp(p, name, nlen) == 0)
            return !zero;
        if (tlen == 1 && *p == '*')
            star = !zero;
        p += len;
    }
    return star;
}

/* zstd first (smaller), then gzip, else the bytes as they are. */
static enum relay_web_variant
web_pick(const struct relay_web_asset *a, const char *accept_encoding)
{
    if (!accept_encoding)
        return RELAY_WEB_IDENTITY;
    if (a->variants[RELAY_WEB_ZSTD].data && web_accepts(accept_encoding, "zstd"))
        return RELAY_WEB_ZSTD;
    if (a->variants[RELAY_WEB_GZIP].data && web_accepts(accept_encoding, "gzip"))
        return RELAY_WEB_GZIP;
    return RELAY_WEB_IDENTITY;
}

/* True when If-None-Match lists etag (weak comparison, as RFC 9110 13.1.2 asks) or is "*". */
static bool
web_etag_matches(const char *if_none_match, const char *etag)
{
    const char *p = if_none_match;
    size_t elen = strlen(etag);

    while (p && *p) {
        p += strspn(p, " \t,");
        if (*p == '*')
            return true;
        if (strncmp(p, "W/", 2) == 0)
            p += 2;
        size_t len = strcspn(p, ", \t");
        if (len == elen && memcmp(p, etag, len) == 0)
            return true;
        p += len;
    }
    return false;
}

static const struct relay_web_asset *
web_find(const char *target)
{
    char path[WEB_PATH_MAX];
    size_t n = strcspn(target, "?#");
    /* A directory is its index.html ("/" is the page itself). */
    const char *index = n && target[n - 1] == '/' ? "index.html" : "";

    if (snprintf(path, sizeof(path), "%.*s%s", (int)n, target, index) >= (int)sizeof(path))
        return NULL;
    for (size_t i = 0; i < relay_web_n_assets; i++) {
        if (strcmp(relay_web_assets[i].path, path) == 0)
            return &relay_web_assets[i];
    }
    return NULL;
}

static void
web_error(struct relay_web_answer *out, int status, const char *text, const char *extra)
{
    snprintf(out->headers, sizeof(out->headers),
             "%s" WEB_SECURITY_HEADERS "Cache-Control: no-cache\r\n", extra);
    out->resp.status = status;
    out->resp.content_type = "text/plain; charset=utf-8";
    out->resp.body = text;
    out->resp.body_len = strlen(text);
}

void
relay_web_answer(const char *method, const char *target, const char *accept_encoding,
                 const char *if_none_match, struct relay_web_answer *out)
{
    bool head = strcmp(method, "HEAD") == 0;
    const struct relay_web_asset *a;
    enum relay_web_variant v;
    char etag[96];

    memset(out, 0, sizeof(*out));
    out->resp.extra_headers = out->headers;
    out->resp.same_origin = true;
    out->resp.head_only = head;
    if (!head && strcmp(method, "GET") != 0) {
        web_error(out, 405, "Method not allowed\n", "Allow: GET, HEAD\r\n");
        return;
    }
    a = web_find(target);
    if (!a) {
        web_error(out, 404, "Not found\n", "");
        return;
    }
    v = web_pick(a, accept_encoding);
    snprintf(etag, sizeof(etag), "\"%s%s\"", a->etag, web_etag_suffixes[v]);
    snprintf(out->headers, sizeof(out->headers),
             "ETag: %s\r\nCache-Control: %s\r\nVary: Accept-Encoding\r\n" WEB_SECURITY_HEADERS,
             etag, a->cache);
    out->resp.content_type = a->content_type;
    if (web_etag_matches(if_none_match, etag)) {
        out->resp.status = 304;
        return;
    }
    out->resp.status = 200;
    out->resp.content_encoding = web_encodings[v];
    out->resp.body = (const char *)a->variants[v].data;
    out->resp.body_len = a->variants[v].len;
}
