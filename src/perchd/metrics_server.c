/* SPDX-License-Identifier: MIT */
/* The loopback metrics listener: each connection reads requests and answers them in turn. */
#include "metrics_server.h"

#include <stdlib.h>
#include <string.h>

#include "base/list.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "http/request.h"
#include "http/response.h"
#include "http/url.h"
#include "net/listener.h"

/* A scrape has no body: a request carrying more than this is refused. */
#define METRICS_BODY_MAX 1024

struct perchd_metrics_server {
    struct net_listener *listener;
    const struct relay_config *cfg;
    relay_metrics_cb cb;
    void *data;
    struct list conns; /* struct metrics_conn */
    size_t n_conns;
};

struct metrics_conn {
    struct list link;
    struct perchd_metrics_server *server;
    struct net_conn *conn; /* NULL once closing started */
    struct http_reader *reader;
    bool busy;          /* inside the reader: freeing waits */
    bool request_timer; /* the timer bounds a request, not the wait between two */
};

static void metrics_conn_on_data(struct net_conn *conn, const char *data, size_t len);
static void metrics_conn_on_timer(struct net_conn *conn);
static void metrics_conn_on_close(struct net_conn *conn, enum net_close_reason reason);

static const struct net_conn_ops metrics_conn_ops = {
    .on_data = metrics_conn_on_data,
    .on_timer = metrics_conn_on_timer,
    .on_close = metrics_conn_on_close,
};

static void
metrics_conn_free_if_unused(struct metrics_conn *mc)
{
    if (mc->conn || mc->busy)
        return;
    http_reader_free(mc->reader);
    free(mc);
}

static void
metrics_conn_arm(struct metrics_conn *mc, bool request)
{
    mc->request_timer = request;
    net_conn_set_timer(mc->conn, request ? mc->server->cfg->request_timeout_ms
                                         : mc->server->cfg->idle_timeout_ms);
}

/* Writes a response; close adds "Connection: close" and ends the connection after it. */
static void
metrics_conn_send(struct metrics_conn *mc, struct http_response *resp, bool close)
{
    struct buf out;

    resp->close = close;
    buf_init(&out, (size_t)-1);
    http_response_write(&out, resp);
    net_conn_write(mc->conn, out.data, out.len);
    buf_fini(&out);
    if (close && mc->conn)
        net_conn_close(mc->conn, NET_CLOSE_DONE);
}

static void
metrics_conn_error(struct metrics_conn *mc, int status, const char *text, const char *extra,
                   bool close)
{
    struct http_response resp = { .status = status,
                                  .extra_headers = extra,
                                  .content_type = "text/plain; charset=utf-8",
                                  .same_origin = true,
                                  .body = text,
                                  .body_len = strlen(text) };

    metrics_conn_send(mc, &resp, close);
}

static void
metrics_conn_scrape(struct metrics_conn *mc, const struct http_request *hreq, bool head)
{
    struct perchd_metrics_server *s = mc->server;
    enum openmetrics_format format = relay_metrics_format(http_request_header(hreq, "Accept"));
    struct http_response resp = { .status = 200,
                                  .extra_headers = "Cache-Control: no-store\r\n",
                                  .content_type = openmetrics_content_type(format),
                                  .same_origin = true,
                                  .head_only = head };
    struct buf body;

    buf_init(&body, RELAY_METRICS_BODY_MAX);
    if (!s->cb(s->data, format, &body)) {
        metrics_conn_error(mc, 500, "Metrics too large\n", NULL, true);
    } else {
        resp.body = body.data;
        resp.body_len = body.len;
        metrics_conn_send(mc, &resp, !hreq->keep_alive);
    }
    buf_fini(&body);
}

static bool
metrics_conn_on_request(const struct http_request *hreq, void *data)
{
    struct metrics_conn *mc = data;
    bool head = strcmp(hreq->method, "HEAD") == 0;
    struct http_url url;

    http_url_parse(hreq->target, &url);
    if (url.n_segments != 1 || strcmp(url.segments[0], "metrics") != 0)
        metrics_conn_error(mc, 404, "Not found\n", NULL, !hreq->keep_alive);
    else if (!head && strcmp(hreq->method, "GET") != 0)
        metrics_conn_error(mc, 405, "Method not allowed\n", "Allow: GET, HEAD\r\n",
                           !hreq->keep_alive);
    else
        metrics_conn_scrape(mc, hreq, head);
    http_url_fini(&url);
    return mc->conn != NULL;
}

static void
metrics_conn_read_error(struct metrics_conn *mc, long rc)
{
    if (rc == HTTP_READ_HEADERS_TOO_BIG)
        metrics_conn_error(mc, 431, "Request header fields too large\n", NULL, true);
    else if (rc == HTTP_READ_BODY_TOO_BIG)
        metrics_conn_error(mc, 413, "Request body too large\n", NULL, true);
    else
        metrics_conn_error(mc, 400, "Bad request\n", NULL, true);
}

static void
metrics_conn_on_data(struct net_conn *conn, const char *data, size_t len)
{
    struct metrics_conn *mc = net_conn_owner(conn);

    mc->busy = true;
    if (!mc->request_timer)
        metrics_conn_arm(mc, true);
    while (len && mc->conn) {
        long rc = http_reader_feed(mc->reader, data, len);
        if (rc < 0) {
            metrics_conn_read_error(mc, rc);
            break;
        }
        data += rc;
        len -= (size_t)rc;
    }
    if (mc->conn && !http_reader_in_request(mc->reader))
        metrics_conn_arm(mc, false);
    mc->busy = false;
    metrics_conn_free_if_unused(mc);
}

static void
metrics_conn_on_timer(struct net_conn *conn)
{
    struct metrics_conn *mc = net_conn_owner(conn);

    if (http_reader_in_request(mc->reader))
        metrics_conn_error(mc, 408, "Request timeout\n", NULL, true);
    else
        net_conn_close(conn, NET_CLOSE_TIMEOUT);
}

static void
metrics_conn_on_close(struct net_conn *conn, enum net_close_reason reason)
{
    struct metrics_conn *mc = net_conn_owner(conn);

    log_debug("conn %llu: metrics connection closed (%s)", (unsigned long long)net_conn_id(conn),
              net_close_reason_name(reason));
    list_remove(&mc->link);
    mc->server->n_conns--;
    mc->conn = NULL;
    metrics_conn_free_if_unused(mc);
}

static void
metrics_server_accept(struct net_conn *conn, void *data)
{
    struct perchd_metrics_server *s = data;
    struct metrics_conn *mc;

    if (s->n_conns >= PERCHD_METRICS_CONNS_MAX) {
        log_info("conn %llu: metrics: more than %d connections, refused",
                 (unsigned long long)net_conn_id(conn), PERCHD_METRICS_CONNS_MAX);
        net_conn_close(conn, NET_CLOSE_TOO_MANY);
        return;
    }
    mc = xcalloc(1, sizeof(*mc));
    mc->server = s;
    mc->conn = conn;
    mc->reader =
        http_reader_new(s->cfg->max_header_bytes, METRICS_BODY_MAX, metrics_conn_on_request, mc);
    list_append(&s->conns, &mc->link);
    s->n_conns++;
    net_conn_set_owner(conn, &metrics_conn_ops, mc);
    net_conn_set_write_max(conn, s->cfg->write_queue_max);
    net_conn_set_close_grace(conn, s->cfg->close_grace_ms);
    metrics_conn_arm(mc, true);
}

struct perchd_metrics_server *
perchd_metrics_server_new(uv_loop_t *loop, const char *host_port, const struct relay_config *cfg,
                          relay_metrics_cb cb, void *data, char *err, size_t err_len)
{
    struct perchd_metrics_server *s = xcalloc(1, sizeof(*s));

    s->cfg = cfg;
    s->cb = cb;
    s->data = data;
    list_init(&s->conns);
    s->listener = net_listener_new(loop, host_port, NULL, metrics_server_accept, s, err, err_len);
    if (!s->listener) {
        free(s);
        return NULL;
    }
    log_info("metrics: listening on %s (plain, no credentials)", host_port);
    return s;
}

void
perchd_metrics_server_free(struct perchd_metrics_server *s, enum net_close_reason reason)
{
    if (!s)
        return;
    net_listener_free(s->listener);
    /* Each close takes its connection out of the list (metrics_conn_on_close). */
    while (!list_is_empty(&s->conns)) {
        struct metrics_conn *mc = list_entry(s->conns.next, struct metrics_conn, link);
        net_conn_close(mc->conn, reason);
    }
    free(s);
}
