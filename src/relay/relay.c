/* SPDX-License-Identifier: MIT */
/* The relay server: listeners, the client list and deferred input. */
#include "relay.h"

#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/xalloc.h"
#include "core/command.h"
#include "core/core.h"
#include "internal.h"
#include "net/conn.h"
#include "net/listener.h"
#include "throttle.h"

/* Address groups the failed-login table remembers at most (about 200 KiB when full). */
#define RELAY_THROTTLE_GROUPS 4096

struct relay__input {
    struct list link;
    int64_t buffer_id;
    char *command;
};

void
relay__accept_cb(struct net_conn *conn, void *data)
{
    relay__client_accept(data, conn);
}

struct relay *
relay_new(uv_loop_t *loop, struct core *core, const struct relay_config *cfg, const char *version)
{
    struct relay *relay = xcalloc(1, sizeof(*relay));

    relay->loop = loop;
    relay->core = core;
    relay->cfg = cfg;
    relay->version = version;
    list_init(&relay->clients);
    list_init(&relay->unauth);
    list_init(&relay->pending_inputs);
    list_init(&relay->pending_events);
    uv_prepare_init(loop, &relay->flush_prepare);
    relay->flush_prepare.data = relay;
    uv_check_init(loop, &relay->flush_check);
    relay->flush_check.data = relay;
    list_init(&relay->auth_waiting);
    relay->throttle = relay_throttle_new(&cfg->throttle, RELAY_THROTTLE_GROUPS);
    uv_timer_init(loop, &relay->input_timer);
    relay->input_timer.data = relay;
    relay__sync_init(relay);
    return relay;
}

int
relay_listen(struct relay *relay, const char *host_port, struct tls_context *tls, char *err,
             size_t err_len)
{
    struct net_listener *l;

    if (relay->n_listeners == sizeof(relay->listeners) / sizeof(relay->listeners[0]))
        return -1;
    l = net_listener_new(relay->loop, host_port, tls, relay__accept_cb, relay, err, err_len);
    if (!l)
        return -1;
    relay->listeners[relay->n_listeners++] = l;
    log_info("listening on %s (%s)", host_port, tls ? "TLS" : "plain");
    return 0;
}

void
relay_set_config(struct relay *relay, const struct relay_config *cfg)
{
    relay->cfg = cfg;
    relay->cfg_generation++;
    relay_throttle_set_config(relay->throttle, &cfg->throttle);
    /* Kept answers may show options (the api version). */
    relay__cache_clear(relay);
}

void
relay_set_tls(struct relay *relay, struct tls_context *tls)
{
    for (size_t i = 0; i < relay->n_listeners; i++) {
        /* Only listeners that speak TLS get the new context. */
        if (relay->listeners[i] && net_listener_is_tls(relay->listeners[i]))
            net_listener_set_tls(relay->listeners[i], tls);
    }
}

static void
relay_run_inputs(uv_timer_t *timer)
{
    struct relay *relay = timer->data;

    while (!list_is_empty(&relay->pending_inputs)) {
        struct relay__input *in = list_entry(relay->pending_inputs.next, struct relay__input, link);
        struct core_buffer *b = core_buffer_by_id(relay->core, in->buffer_id);
        list_remove(&in->link);
        if (b)
            core_command_input(b, in->command);
        free(in->command);
        free(in);
    }
}

void
relay_set_presence_cb(struct relay *relay, void (*cb)(void *data, bool attached), void *data)
{
    relay->presence_cb = cb;
    relay->presence_data = data;
}

bool
relay_clients_attached(const struct relay *relay)
{
    return relay->n_websockets > 0;
}

void
relay__presence(struct relay *relay, int delta)
{
    bool before = relay->n_websockets > 0;

    if (delta < 0 && relay->n_websockets == 0)
        return;
    relay->n_websockets += (size_t)(ssize_t)delta;
    if (relay->presence_cb && before != (relay->n_websockets > 0))
        relay->presence_cb(relay->presence_data, relay->n_websockets > 0);
}

void
relay_set_store(struct relay *relay, const struct relay_store_ops *ops)
{
    relay->store = *ops;
}

int
relay__commit(struct relay *relay)
{
    return relay->store.commit ? relay->store.commit(relay->store.data) : 0;
}

void
relay_flush(struct relay *relay)
{
    /* Sending can close a client, whose goodbye must not start another flush. */
    if (relay->flushing)
        return;
    relay->flushing = true;
    relay__commit(relay);
    relay__sync_flush(relay);
    relay->flushing = false;
}

void
relay__flush_prepare_cb(uv_prepare_t *handle)
{
    relay_flush(handle->data);
}

void
relay__flush_check_cb(uv_check_t *handle)
{
    relay_flush(handle->data);
}

bool
relay__run_input(struct relay *relay, struct relay_response *resp)
{
    struct core_buffer *b;
    char *command = resp->input_command;

    if (!command || core_command_ends_process(relay->core, command))
        return false;
    resp->input_command = NULL;
    b = core_buffer_by_id(relay->core, resp->input_buffer_id);
    if (b)
        core_command_input(b, command);
    free(command);
    return true;
}

void
relay__store_failed(struct relay *relay, struct relay_response *resp)
{
    relay_response_fini(resp);
    memset(resp, 0, sizeof(*resp));
    relay_response_error(resp, 503, "Cannot store history: %s",
                         relay->store.error ? relay->store.error(relay->store.data) : "");
}

void
relay__settle(struct relay *relay, struct relay_response *resp)
{
    bool ran = relay__run_input(relay, resp);

    if (relay__commit(relay) < 0 && ran)
        relay__store_failed(relay, resp);
}

void
relay_run_pending_inputs(struct relay *relay)
{
    uv_timer_stop(&relay->input_timer);
    relay_run_inputs(&relay->input_timer);
}

void
relay__queue_input(struct relay *relay, struct relay_response *resp)
{
    struct relay__input *in;

    if (!resp->input_command)
        return;
    in = xcalloc(1, sizeof(*in));
    in->buffer_id = resp->input_buffer_id;
    in->command = resp->input_command;
    resp->input_command = NULL;
    list_append(&relay->pending_inputs, &in->link);
    uv_timer_start(&relay->input_timer, relay_run_inputs, 0, 0);
}

void
relay_stop(struct relay *relay)
{
    relay_flush(relay);
    relay->stopping = true;
    for (size_t i = 0; i < relay->n_listeners; i++) {
        net_listener_free(relay->listeners[i]);
        relay->listeners[i] = NULL;
    }
    relay->n_listeners = 0;
    relay__client_close_all(relay, NET_CLOSE_QUIT);
    uv_timer_stop(&relay->input_timer);
}

static void
relay_freed(uv_handle_t *handle)
{
    struct relay *relay = handle->data;

    /* Its three handles close one by one: the memory goes with the last. */
    if (--relay->handles_open > 0)
        return;
    while (!list_is_empty(&relay->pending_inputs)) {
        struct relay__input *in = list_entry(relay->pending_inputs.next, struct relay__input, link);
        list_remove(&in->link);
        free(in->command);
        free(in);
    }
    relay_throttle_free(relay->throttle);
    free(relay);
}

void
relay_free(struct relay *relay)
{
    if (!relay)
        return;
    relay__sync_fini(relay);
    relay__login_ahead_fini(relay);
    relay->handles_open = 3;
    uv_close((uv_handle_t *)&relay->input_timer, relay_freed);
    uv_close((uv_handle_t *)&relay->flush_prepare, relay_freed);
    uv_close((uv_handle_t *)&relay->flush_check, relay_freed);
}
