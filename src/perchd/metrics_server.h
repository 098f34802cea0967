/* SPDX-License-Identifier: MIT */
/* The loopback metrics listener: plain HTTP/1.1 answering GET /metrics, no credentials. */
#ifndef PERCH_PERCHD_METRICS_SERVER_H
#define PERCH_PERCHD_METRICS_SERVER_H

#include <stddef.h>
#include <uv.h>

#include "net/conn.h"
#include "relay/config.h"
#include "relay/metrics.h"

struct perchd_metrics_server;

/* Connections served at once; one more is closed at once. */
#define PERCHD_METRICS_CONNS_MAX 16

/*
 * Listens on host_port and answers GET /metrics with what cb writes (404 elsewhere). cfg
 * (owned by the caller, read at each use) gives the header limit, timeouts, write queue limit
 * and close grace. Returns NULL with a reason in err.
 */
struct perchd_metrics_server *perchd_metrics_server_new(uv_loop_t *loop, const char *host_port,
                                                        const struct relay_config *cfg,
                                                        relay_metrics_cb cb, void *data, char *err,
                                                        size_t err_len);
/* Stops listening and closes every connection with reason (each through the closing path);
 * the memory goes once they are closed. Accepts NULL. */
void perchd_metrics_server_free(struct perchd_metrics_server *s, enum net_close_reason reason);

#endif
