/* SPDX-License-Identifier: MIT */
/*
 * perch --plain: one WebSocket to the relay, kept up through restarts, upgrades and network
 * trouble. Lines and status changes are printed one per line; stdin lines are sent as input.
 */
#ifndef PERCH_CLIENT_LIVE_H
#define PERCH_CLIENT_LIVE_H

#include <uv.h>

#include "http.h"

struct live_opts {
    const struct client_target *target;
    const char *algo; /* negotiated by the handshake */
    int iterations;
    const char *password;
    const char *buffer; /* where stdin lines go */
    uint64_t ping_timeout_ms;
    uint64_t backoff_min_ms;
    uint64_t backoff_max_ms;
};

/* Runs until stdin ends or SIGINT/SIGTERM (exit 0), or a permanent failure (exit 1). */
int client_live_run(uv_loop_t *loop, const struct live_opts *opts);

#endif
