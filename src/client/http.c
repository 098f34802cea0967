/* SPDX-License-Identifier: MIT */
/* One HTTP exchange with the relay. */
#include "http.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "base/hex.h"
#include "http/reply.h"
#include "net/conn.h"
#include "tls/session.h"

struct http_exchange {
    const struct client_target *t;
    struct buf request;
    struct http_reply_reader *reader;
    struct client_http_result *res;
    bool done;
};

bool
client_fingerprint_matches(struct net_conn *conn, const char *fingerprint)
{
    return tls_session_peer_matches(net_conn_tls(conn), fingerprint);
}

static void
exchange_on_reply(const struct http_reply *reply, void *data)
{
    struct http_exchange *x = data;

    x->res->status = reply->status;
    buf_append(&x->res->body, reply->body.data ? reply->body.data : "", reply->body.len);
    x->done = true;
}

static void
exchange_on_ready(struct net_conn *conn)
{
    struct http_exchange *x = net_conn_owner(conn);

    if (x->t->fingerprint && !client_fingerprint_matches(conn, x->t->fingerprint)) {
        snprintf(x->res->error, sizeof(x->res->error),
                 "certificate refused: its SHA-256 fingerprint is not the pinned one");
        net_conn_close(conn, NET_CLOSE_PROTOCOL);
        return;
    }
    net_conn_write(conn, x->request.data, x->request.len);
}

static void
exchange_on_data(struct net_conn *conn, const char *data, size_t len)
{
    struct http_exchange *x = net_conn_owner(conn);

    if (http_reply_reader_feed(x->reader, data, len) < 0) {
        snprintf(x->res->error, sizeof(x->res->error), "malformed HTTP response");
        net_conn_close(conn, NET_CLOSE_PROTOCOL);
    } else if (x->done) {
        /* Our side ends it cleanly too: close_notify, then the wait for the server's. */
        net_conn_close(conn, NET_CLOSE_DONE);
    }
}

static void
exchange_on_close(struct net_conn *conn, enum net_close_reason reason)
{
    struct http_exchange *x = net_conn_owner(conn);

    if (!x->done && !x->res->error[0])
        snprintf(x->res->error, sizeof(x->res->error), "%s",
                 net_conn_error(conn)[0] ? net_conn_error(conn) : net_close_reason_name(reason));
}

static const struct net_conn_ops exchange_ops = {
    .on_ready = exchange_on_ready,
    .on_data = exchange_on_data,
    .on_close = exchange_on_close,
};

int
client_http(uv_loop_t *loop, const struct client_target *t, const char *method, const char *path,
            const char *auth, const char *body, struct client_http_result *res)
{
    struct http_exchange x = { .t = t, .res = res };

    memset(res, 0, sizeof(*res));
    buf_init(&res->body, 64u << 20);
    buf_init(&x.request, 1u << 20);
    buf_printf(&x.request, "%s %s HTTP/1.1\r\nHost: %s:%d\r\nAccept: application/json\r\n", method,
               path, t->url->host, t->url->port);
    if (auth)
        buf_printf(&x.request, "Authorization: %s\r\n", auth);
    if (auth && t->totp)
        buf_printf(&x.request, "x-weechat-totp: %s\r\n", t->totp);
    if (body)
        buf_printf(&x.request,
                   "Content-Type: application/json; charset=utf-8\r\nContent-Length: %zu\r\n",
                   strlen(body));
    buf_printf(&x.request, "\r\n%s", body ? body : "");
    x.reader = http_reply_reader_new(64u << 20, exchange_on_reply, &x);
    net_conn_connect(loop, (const struct sockaddr *)&t->url->addr, t->url->tls ? t->tls : NULL,
                     t->url->host, &exchange_ops, &x);
    uv_run(loop, UV_RUN_DEFAULT);
    http_reply_reader_free(x.reader);
    buf_fini(&x.request);
    return x.done ? 0 : -1;
}

void
client_http_result_fini(struct client_http_result *res)
{
    buf_fini(&res->body);
}
