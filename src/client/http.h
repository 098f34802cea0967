/* SPDX-License-Identifier: MIT */
/* One HTTP exchange with the relay on its own connection, run to completion on a loop. */
#ifndef PERCH_CLIENT_HTTP_H
#define PERCH_CLIENT_HTTP_H

#include <uv.h>

#include "base/buf.h"
#include "url.h"

struct net_conn;
struct tls_context;

struct client_target {
    const struct client_url *url;
    struct tls_context *tls; /* NULL for http:// */
    const char *fingerprint; /* SHA-256 hex of the expected certificate, or NULL */
    const char *totp;        /* second-factor code when the relay asks for one, or NULL */
};

struct client_http_result {
    int status; /* 0 when no response came */
    struct buf body;
    char error[320]; /* why there is no response */
};

/* Sends method path (with auth and a JSON body, both optional) and waits for the answer;
 * then ends the connection cleanly. Returns 0 when a response came, -1 with res->error. */
int client_http(uv_loop_t *loop, const struct client_target *t, const char *method,
                const char *path, const char *auth, const char *body,
                struct client_http_result *res);
void client_http_result_fini(struct client_http_result *res);
/* True when the connection's certificate matches the pinned fingerprint (hex, colons
 * and case ignored). */
bool client_fingerprint_matches(struct net_conn *conn, const char *fingerprint);

#endif
