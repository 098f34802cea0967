/* SPDX-License-Identifier: MIT */
/*
 * The relay's counters and GET /metrics. Counting is an add on the hot path; the text is
 * built only when scraped. perchd composes the whole exposition (the relay's families, the
 * store's, IRC's) through the callback it sets.
 */
#ifndef PERCH_RELAY_METRICS_H
#define PERCH_RELAY_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/openmetrics.h"
#include "net/conn.h"

struct relay;

/* An exposition's largest size: past it the scrape gets a 500. */
#define RELAY_METRICS_BODY_MAX (4u << 20)

/* Close reasons counted (enum net_close_reason's values). */
#define RELAY_METRICS_CLOSE_REASONS (NET_CLOSE_INTERNAL + 1)

/* Indexed by kind: 0 for HTTP, 1 for WebSocket (the relay's client modes). */
struct relay_metrics {
    uint64_t accepted;                            /* connections accepted */
    uint64_t messages_in[2];                      /* requests, WebSocket messages */
    uint64_t messages_out[2];                     /* responses, WebSocket messages */
    uint64_t bytes_in[2];                         /* plaintext (inside TLS) */
    uint64_t bytes_out[2];                        /* plaintext, with WebSocket framing */
    uint64_t events_sent;                         /* sync events, one per client it went to */
    uint64_t auth_failures;                       /* logins refused for their credentials */
    uint64_t closes[RELAY_METRICS_CLOSE_REASONS]; /* relay connections, by reason */
    uint64_t write_queue_high_water;              /* one client's unsent bytes, at most */
};

/* Writes the whole exposition of one scrape into out (bounded by its maximum); false when it
 * did not fit. */
typedef bool (*relay_metrics_cb)(void *data, enum openmetrics_format format, struct buf *out);

/* Serves GET /metrics on the relay's listeners, with the relay's credentials, through cb;
 * NULL stops serving it (the path is then the web client's, a 404). */
void relay_set_metrics_cb(struct relay *relay, relay_metrics_cb cb, void *data);
/* The relay's families: connections by kind, messages, bytes, events, closes by reason,
 * authentication failures, write queues. */
void relay_metrics_write(const struct relay *relay, struct openmetrics *om);
/* The format an Accept header value (or NULL) prefers: OpenMetrics unless it ranks
 * text/plain higher. */
enum openmetrics_format relay_metrics_format(const char *accept);

#endif
