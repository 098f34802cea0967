/* SPDX-License-Identifier: MIT */
/* The web client's files answered from the embedded table: types, encodings, ETags, headers. */
#ifndef PERCH_RELAY_WEB_H
#define PERCH_RELAY_WEB_H

#include <stdbool.h>

#include "http/response.h"
#include "http/url.h"

/* Room for the ETag, Cache-Control, Vary and security header lines of one answer. */
#define RELAY_WEB_HEADERS_MAX 1024

struct relay_web_answer {
    struct http_response resp; /* its headers point into headers[], its body into the table */
    char headers[RELAY_WEB_HEADERS_MAX];
};

/* True when a request's parsed target is the web client's: its first segment is not "api" (as
 * the router sees it: empty segments dropped, decoded). Such requests need no credentials (the
 * page loads before its login form). */
bool relay_web_owns(const struct http_url *url);

/*
 * Answers a request for the web client into out: 200 (body omitted for HEAD), 304 when
 * if_none_match names the chosen variant, 404 or 405. accept_encoding and if_none_match are
 * the request's headers or NULL. Nothing to free: out's pointers stay valid as long as out.
 */
void relay_web_answer(const char *method, const char *target, const char *accept_encoding,
                      const char *if_none_match, struct relay_web_answer *out);

#endif
