/* SPDX-License-Identifier: MIT */
/* Names shared between relay/ files only. */
#ifndef PERCH_RELAY_INTERNAL_H
#define PERCH_RELAY_INTERNAL_H

#include <uv.h>

#include "base/list.h"
#include "config.h"
#include "relay.h"
#include "router.h"

struct net_listener;

struct relay {
    uv_loop_t *loop;
    struct core *core;
    const struct relay_config *cfg;
    struct net_listener *listeners[4];
    size_t n_listeners;
    struct list clients; /* struct relay__client */
    size_t n_clients;
    struct list pending_inputs; /* struct relay__input, run after responses are sent */
    uv_timer_t input_timer;
    bool stopping;
    const char *version;
};

struct relay__client;

/* Handlers: one per resource. */
void relay__res_handshake(struct relay *relay, const struct relay_request *req,
                          struct relay_response *resp);
void relay__res_version(struct relay *relay, const struct relay_request *req,
                        struct relay_response *resp);
void relay__res_buffers(struct relay *relay, const struct relay_request *req,
                        struct relay_response *resp);
void relay__res_hotlist(struct relay *relay, const struct relay_request *req,
                        struct relay_response *resp);
void relay__res_input(struct relay *relay, const struct relay_request *req,
                      struct relay_response *resp);
void relay__res_completion(struct relay *relay, const struct relay_request *req,
                           struct relay_response *resp);
void relay__res_ping(struct relay *relay, const struct relay_request *req,
                     struct relay_response *resp);
void relay__res_scripts(struct relay *relay, const struct relay_request *req,
                        struct relay_response *resp);
void relay__res_sync(struct relay *relay, const struct relay_request *req,
                     struct relay_response *resp);

/* Queues the response's input (if any) to run on the next loop turn. */
void relay__queue_input(struct relay *relay, struct relay_response *resp);
/* Accepts a connection as an HTTP client. */
void relay__client_accept(struct relay *relay, struct net_conn *conn);
void relay__client_close_all(struct relay *relay, int reason);

#endif
