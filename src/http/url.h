/* SPDX-License-Identifier: MIT */
/* Request targets: path segments and query parameters, percent-decoded (reference §3.2). */
#ifndef PERCH_HTTP_URL_H
#define PERCH_HTTP_URL_H

#include <stddef.h>

#define HTTP_URL_MAX_SEGMENTS 16
#define HTTP_URL_MAX_PARAMS   32

struct http_url {
    const char *segments[HTTP_URL_MAX_SEGMENTS]; /* decoded; empty segments dropped */
    size_t n_segments;
    size_t n_segments_seen;                  /* may exceed HTTP_URL_MAX_SEGMENTS */
    const char *names[HTTP_URL_MAX_PARAMS];  /* not decoded */
    const char *values[HTTP_URL_MAX_PARAMS]; /* decoded */
    size_t n_params;
    char *text; /* the strings above, in one allocation */
};

/* Splits target into segments and parameters. Release with http_url_fini(). */
void http_url_parse(const char *target, struct http_url *url);
void http_url_fini(struct http_url *url);
/* The value of the last parameter with that name, or NULL. */
const char *http_url_param(const struct http_url *url, const char *name);
/* Percent-decodes s[0..len) (invalid sequences kept, '+' kept); caller frees. */
char *http_url_decode(const char *s, size_t len);

#endif
