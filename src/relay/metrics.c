/* SPDX-License-Identifier: MIT */
/* GET /metrics on the relay's listeners, and the relay's families of the exposition. */
#include "metrics.h"

#include <string.h>

#include "http/accept.h"
#include "http/request.h"
#include "http/response.h"
#include "internal.h"

static const char *const metrics_close_labels[] = {
    [NET_CLOSE_DONE] = "done",           [NET_CLOSE_QUIT] = "quit",
    [NET_CLOSE_UPGRADE] = "upgrade",     [NET_CLOSE_PEER] = "peer",
    [NET_CLOSE_TIMEOUT] = "timeout",     [NET_CLOSE_AUTH_FAILED] = "auth_failed",
    [NET_CLOSE_THROTTLED] = "throttled", [NET_CLOSE_TOO_MANY] = "too_many",
    [NET_CLOSE_FORBIDDEN] = "forbidden", [NET_CLOSE_PROTOCOL] = "protocol",
    [NET_CLOSE_TOO_BIG] = "too_big",     [NET_CLOSE_SLOW] = "slow",
    [NET_CLOSE_INTERNAL] = "internal",
};

_Static_assert(sizeof(metrics_close_labels) / sizeof(metrics_close_labels[0]) ==
                   RELAY_METRICS_CLOSE_REASONS,
               "a label for every close reason");

static const char *const metrics_kinds[] = {
    [RELAY_MODE_HTTP] = "http", [RELAY_MODE_WEBSOCKET] = "websocket"
};

void
relay_set_metrics_cb(struct relay *relay, relay_metrics_cb cb, void *data)
{
    relay->metrics_cb = cb;
    relay->metrics_data = data;
}

enum openmetrics_format
relay_metrics_format(const char *accept)
{
    int om = http_accept_quality(accept, "application/openmetrics-text");
    int text = http_accept_quality(accept, "text/plain");

    return text > om ? OPENMETRICS_PROMETHEUS : OPENMETRICS_TEXT;
}

/* ---- counting ---- */

void
relay__metrics_sent(struct relay__client *c, size_t n_messages, size_t len)
{
    struct relay_metrics *m = &c->relay->metrics;

    m->messages_out[c->mode] += n_messages;
    m->bytes_out[c->mode] += len;
    /* The write may have closed the client as too slow: its connection is gone then. */
    if (c->conn && net_conn_pending(c->conn) > m->write_queue_high_water)
        m->write_queue_high_water = net_conn_pending(c->conn);
}

void
relay__metrics_closed(struct relay *relay, enum net_close_reason reason)
{
    if ((unsigned)reason < RELAY_METRICS_CLOSE_REASONS)
        relay->metrics.closes[reason]++;
}

/* ---- the relay's families ---- */

static void
metrics_by_kind(struct openmetrics *om, const char *name, const char *help,
                const uint64_t values[2])
{
    openmetrics_family(om, name, OPENMETRICS_COUNTER, help);
    for (int kind = 0; kind < 2; kind++) {
        struct openmetrics_label label = { "kind", metrics_kinds[kind] };
        openmetrics_sample(om, &label, 1, values[kind]);
    }
}

/* Gauges read from the client list: a scrape walks it once. */
static void
metrics_connections(const struct relay *relay, struct openmetrics *om)
{
    uint64_t open[2][2] = { { 0 } };
    size_t largest = 0;
    struct list *pos;

    list_for_each (pos, &relay->clients) {
        const struct relay__client *c = list_entry(pos, struct relay__client, link);
        open[c->mode][net_conn_is_tls(c->conn)]++;
        if (net_conn_pending(c->conn) > largest)
            largest = net_conn_pending(c->conn);
    }
    openmetrics_family(om, "perch_relay_connections", OPENMETRICS_GAUGE,
                       "Open client connections by kind (http, websocket) and transport");
    for (int kind = 0; kind < 2; kind++) {
        for (int tls = 0; tls < 2; tls++) {
            struct openmetrics_label labels[] = { { "kind", metrics_kinds[kind] },
                                                  { "transport", tls ? "tls" : "plain" } };
            openmetrics_sample(om, labels, 2, open[kind][tls]);
        }
    }
    openmetrics_family(om, "perch_relay_clients", OPENMETRICS_GAUGE,
                       "Client connections authenticated and not authenticated yet");
    openmetrics_sample(om, &(struct openmetrics_label){ "state", "authenticated" }, 1,
                       relay->n_authed);
    openmetrics_sample(om, &(struct openmetrics_label){ "state", "unauthenticated" }, 1,
                       relay->n_unauth);
    openmetrics_family(om, "perch_relay_write_queue_largest_bytes", OPENMETRICS_GAUGE,
                       "The largest backlog of bytes waiting for one client's socket now");
    openmetrics_sample(om, NULL, 0, largest);
}

static void
metrics_counters(const struct relay *relay, struct openmetrics *om)
{
    const struct relay_metrics *m = &relay->metrics;

    openmetrics_family(om, "perch_relay_connections_accepted", OPENMETRICS_COUNTER,
                       "Client connections accepted");
    openmetrics_sample(om, NULL, 0, m->accepted);
    metrics_by_kind(om, "perch_relay_messages_received",
                    "HTTP requests and WebSocket messages received", m->messages_in);
    metrics_by_kind(om, "perch_relay_messages_sent", "HTTP responses and WebSocket messages sent",
                    m->messages_out);
    metrics_by_kind(om, "perch_relay_received_bytes", "Bytes received from clients (inside TLS)",
                    m->bytes_in);
    metrics_by_kind(om, "perch_relay_sent_bytes",
                    "Bytes sent to clients (inside TLS, WebSocket frames whole)", m->bytes_out);
    openmetrics_family(om, "perch_relay_events", OPENMETRICS_COUNTER,
                       "Events of the core that synced clients may receive");
    openmetrics_sample(om, NULL, 0, relay->event_seq);
    openmetrics_family(om, "perch_relay_events_sent", OPENMETRICS_COUNTER,
                       "Events fanned out: one per synced client an event was sent to");
    openmetrics_sample(om, NULL, 0, m->events_sent);
    openmetrics_family(om, "perch_relay_auth_failures", OPENMETRICS_COUNTER,
                       "Logins refused for missing, malformed or wrong credentials");
    openmetrics_sample(om, NULL, 0, m->auth_failures);
    openmetrics_family(om, "perch_relay_closes", OPENMETRICS_COUNTER,
                       "Client connections closed, by reason");
    for (int r = 0; r < RELAY_METRICS_CLOSE_REASONS; r++) {
        struct openmetrics_label label = { "reason", metrics_close_labels[r] };
        openmetrics_sample(om, &label, 1, m->closes[r]);
    }
    openmetrics_family(om, "perch_relay_write_queue_high_water_bytes", OPENMETRICS_GAUGE,
                       "The largest backlog of bytes that waited for one client's socket");
    openmetrics_sample(om, NULL, 0, m->write_queue_high_water);
}

void
relay_metrics_write(const struct relay *relay, struct openmetrics *om)
{
    metrics_connections(relay, om);
    metrics_counters(relay, om);
}

/* ---- GET /metrics ---- */

bool
relay__metrics_owns(const struct relay *relay, const struct http_url *url)
{
    return relay->metrics_cb && url->n_segments == 1 && strcmp(url->segments[0], "metrics") == 0;
}

void
relay__metrics_answer(struct relay__client *c, const struct http_request *hreq)
{
    struct relay *relay = c->relay;
    enum openmetrics_format format = relay_metrics_format(http_request_header(hreq, "Accept"));
    struct http_response resp = { .status = 200,
                                  .extra_headers = "Cache-Control: no-store\r\n",
                                  .content_type = openmetrics_content_type(format),
                                  .same_origin = true,
                                  .head_only = strcmp(hreq->method, "HEAD") == 0 };
    struct buf body;

    /* The same credentials as the api's, counted and throttled the same way. */
    if (relay__client_login(c, hreq) != RELAY_LOGIN_OK)
        return;
    if (!resp.head_only && strcmp(hreq->method, "GET") != 0) {
        relay__client_refuse(c, 405, "Method not allowed", "Allow: GET, HEAD\r\n", NET_CLOSE_DONE);
        return;
    }
    buf_init(&body, RELAY_METRICS_BODY_MAX);
    if (!relay->metrics_cb(relay->metrics_data, format, &body)) {
        buf_fini(&body);
        relay__client_send_error(c, 500, "Metrics too large", NET_CLOSE_INTERNAL);
        return;
    }
    resp.body = body.data;
    resp.body_len = body.len;
    relay__client_send_http(c, &resp, !hreq->keep_alive);
    buf_fini(&body);
}
