/* SPDX-License-Identifier: MIT */
/*
 * perch --plain: one WebSocket to the relay, kept up through restarts, upgrades and network
 * trouble. Lines and status changes are printed one per line; stdin lines are sent as input.
 */
#ifndef PERCH_CLIENT_LIVE_H
#define PERCH_CLIENT_LIVE_H

#include <uv.h>

#include "http.h"
#include "view.h"

struct live;

struct live_opts {
    const struct live_view *view;
    bool read_stdin;         /* plain mode: stdin lines are input (whatever stdin is) */
    const char *sync_colors; /* "strip", "weechat" */
    bool sync_nicks;
    const struct client_target *target;
    const char *algo; /* negotiated by the handshake */
    int iterations;
    const char *password;
    /* TOTP codes expire: asked again when the relay refuses the last one (NULL: give up). */
    const char *(*totp_again)(void *data);
    void *totp_data;
    const char *buffer; /* where stdin lines go */
    uint64_t ping_timeout_ms;
    uint64_t backoff_min_ms;
    uint64_t backoff_max_ms;
};

/* Runs until SIGINT/SIGTERM (exit 0), or a permanent failure (exit 1).
 * The end of stdin ends only the input: lines keep being shown. */
int client_live_run(uv_loop_t *loop, const struct live_opts *opts);
/* Sends text as input to buffer (queued while disconnected). */
void client_live_input(struct live *live, const char *buffer, const char *text);
/* Sends a raw request envelope (JSON) when connected; false otherwise. */
bool client_live_request(struct live *live, const char *json);
/* The plain-mode view: one text line per line and per status change, on stdout. */
extern const struct live_view client_plain_view;

#endif
