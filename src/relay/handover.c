/* SPDX-License-Identifier: MIT */
/* The relay's side of an upgrade: which connections cross execve, their saved state,
 * and adopting them again in the new process. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "http/request.h"
#include "internal.h"
#include "net/conn.h"
#include "net/listener.h"
#include "throttle.h"
#include "ws/session.h"

/* Plain connections cross execve between requests or messages; TLS state cannot, nor
 * can a deflate context, bytes of a request or frame already read, or a failed login's
 * held answer (sent as it closes). */
static bool
handover_keeps(const struct relay__client *c)
{
    if (!c->conn || net_conn_is_tls(c->conn) || c->held_error || c->auth_job)
        return false;
    if (c->mode == RELAY_MODE_WEBSOCKET)
        return !ws_session_has_deflate(c->ws) && !ws_session_mid_message(c->ws);
    return !c->reader || !http_reader_in_request(c->reader);
}

void
relay_upgrade_prepare(struct relay *relay)
{
    struct list *pos, *tmp;

    /* The upgrade event and everything before it go out first. */
    relay_flush(relay);
    /* New connections wait in the listening sockets' backlogs, unread, for the new
     * process: nothing of them is half done here. */
    for (size_t i = 0; i < relay->n_listeners; i++) {
        int rc = net_listener_hold(relay->listeners[i]);
        if (rc < 0)
            log_warn("upgrade: listener %zu keeps accepting: %s", i, strerror(-rc));
    }
    list_for_each_safe (pos, tmp, &relay->clients) {
        struct relay__client *c = list_entry(pos, struct relay__client, link);
        if (handover_keeps(c)) {
            net_conn_pause(c->conn);
            net_conn_set_timer(c->conn, 0);
        } else {
            net_conn_close(c->conn, NET_CLOSE_UPGRADE);
        }
    }
    uv_timer_stop(&relay->input_timer);
}

bool
relay_upgrade_ready(const struct relay *relay, size_t other_kept)
{
    struct list *pos;

    /* Every other connection has finished closing, and the kept ones have flushed. */
    if (net_conn_live_count() != relay->n_clients + other_kept)
        return false;
    list_for_each (pos, &relay->clients) {
        const struct relay__client *c = list_entry(pos, struct relay__client, link);
        if (net_conn_pending(c->conn) > 0)
            return false;
    }
    return true;
}

size_t
relay_upgrade_close_unflushed(struct relay *relay)
{
    struct list *pos, *tmp;
    size_t n = 0;

    list_for_each_safe (pos, tmp, &relay->clients) {
        struct relay__client *c = list_entry(pos, struct relay__client, link);
        if (c->conn && net_conn_pending(c->conn) > 0) {
            net_conn_close(c->conn, NET_CLOSE_UPGRADE);
            n++;
        }
    }
    return n;
}

void
relay_upgrade_abort(struct relay *relay)
{
    struct list *pos, *tmp;

    for (size_t i = 0; i < relay->n_listeners; i++)
        net_listener_resume(relay->listeners[i]);

    list_for_each_safe (pos, tmp, &relay->clients) {
        struct relay__client *c = list_entry(pos, struct relay__client, link);
        net_conn_resume(c->conn);
        if (c->conn)
            relay__client_arm_timer(c, c->mode == RELAY_MODE_WEBSOCKET ? RELAY_TIMER_WS_IDLE
                                                                       : RELAY_TIMER_IDLE);
    }
}

struct pjson *
relay_save(const struct relay *relay)
{
    struct pjson *o = pjson_object(), *listeners = pjson_array(), *clients = pjson_array();
    uint64_t now = uv_now(relay->loop);
    struct list *pos;

    for (size_t i = 0; i < relay->n_listeners; i++) {
        struct pjson *l = pjson_object();
        pjson_add_int(l, "fd", net_listener_fd(relay->listeners[i]));
        pjson_add_bool(l, "tls", net_listener_is_tls(relay->listeners[i]));
        pjson_push(listeners, l);
    }
    list_for_each (pos, &relay->clients) {
        const struct relay__client *c = list_entry(pos, struct relay__client, link);
        struct pjson *j = pjson_object();
        pjson_add_int(j, "fd", net_conn_fd(c->conn));
        pjson_add_bool(j, "websocket", c->mode == RELAY_MODE_WEBSOCKET);
        pjson_add_bool(j, "sync", c->sync.enabled);
        pjson_add_bool(j, "nicks", c->sync.nicks);
        pjson_add_bool(j, "input", c->sync.input);
        pjson_add_int(j, "colors", c->sync.colors);
        /* A connection not authenticated yet keeps the time it had left, no more. */
        pjson_add_bool(j, "authenticated", c->authenticated);
        if (!c->authenticated)
            pjson_add_int(j, "auth_left_ms",
                          (int64_t)(c->auth_deadline_ms > now ? c->auth_deadline_ms - now : 0));
        pjson_push(clients, j);
    }
    pjson_add(o, "listeners", listeners);
    pjson_add(o, "clients", clients);
    pjson_add(o, "throttle", relay_throttle_save(relay->throttle, now));
    return o;
}

/* The descriptors that must stay open across execve, with room for extra more. */
int *
relay_save_fds(const struct relay *relay, size_t extra, size_t *n_fds)
{
    int *fds = xmalloc((relay->n_listeners + relay->n_clients + extra) * sizeof(*fds));
    struct list *pos;

    *n_fds = 0;
    for (size_t i = 0; i < relay->n_listeners; i++)
        fds[(*n_fds)++] = net_listener_fd(relay->listeners[i]);
    list_for_each (pos, &relay->clients) {
        const struct relay__client *c = list_entry(pos, struct relay__client, link);
        fds[(*n_fds)++] = net_conn_fd(c->conn);
    }
    return fds;
}

static void
handover_adopt_client(struct relay *relay, const struct pjson *j)
{
    int fd = (int)pjson_integer(pjson_get(j, "fd"), 0, INT_MAX, -1);
    const struct pjson *saved_colors = pjson_get(j, "colors");
    /* None saved is the default; one saved but unknown is not. */
    int64_t colors = saved_colors
                         ? pjson_integer(saved_colors, CORE_COLOR_ANSI, CORE_COLOR_STRIP, -1)
                         : CORE_COLOR_ANSI;
    double left = pjson_number(pjson_get(j, "auth_left_ms"));
    struct net_conn *conn = net_conn_adopt(relay->loop, fd);
    struct relay__client *c;

    /* A number that is not a connection of ours is left alone: it may be anything here. */
    if (!conn) {
        log_warn("upgrade: descriptor %d is not a connected TCP socket: not taken over", fd);
        return;
    }
    /* A state from an older perchd says nothing about authentication: those connections
     * were authenticated or idle, and the relay was already serving them. */
    c = relay__client_adopt(relay, conn,
                            !pjson_is_bool(pjson_get(j, "authenticated")) ||
                                pjson_true(pjson_get(j, "authenticated")),
                            left > 0 && left < 1e9 ? (uint64_t)left : 0);
    if (!c)
        return;
    c->sync.enabled = pjson_true(pjson_get(j, "sync"));
    c->sync.nicks = pjson_true(pjson_get(j, "nicks"));
    c->sync.input = pjson_true(pjson_get(j, "input"));
    c->sync.colors = colors < 0 ? CORE_COLOR_ANSI : (enum core_color_mode)colors;
    if (pjson_true(pjson_get(j, "websocket")))
        relay__ws_adopt(c);
    else
        relay__client_arm_timer(c, RELAY_TIMER_IDLE);
    /* What it synced with is unknown: it ends, with its goodbye, and syncs again. */
    if (colors < 0) {
        log_warn("upgrade: connection %d has no valid colour mode: it ends", fd);
        net_conn_close(conn, NET_CLOSE_INTERNAL);
    }
}

int
relay_restore(struct relay *relay, const struct pjson *state, struct tls_context *tls, char *err,
              size_t err_len)
{
    const struct pjson *listeners = pjson_get(state, "listeners");
    const struct pjson *clients = pjson_get(state, "clients");

    pjson_for_each (l, listeners) {
        int fd = (int)pjson_integer(pjson_get(l, "fd"), 0, INT_MAX, -1);
        bool was_tls = pjson_true(pjson_get(l, "tls"));
        struct net_listener *nl;
        if (relay->n_listeners == sizeof(relay->listeners) / sizeof(relay->listeners[0]))
            break;
        nl = net_listener_adopt(relay->loop, fd, was_tls ? tls : NULL, relay__accept_cb, relay, err,
                                err_len);
        if (!nl)
            return -1;
        /* Without TLS in the new config, a TLS port closes: it never speaks plaintext. */
        if (was_tls && !tls) {
            log_warn("upgrade: the TLS listener (descriptor %d) is closed: the config has no "
                     "tls_listen now",
                     fd);
            net_listener_free(nl);
            continue;
        }
        relay->listeners[relay->n_listeners++] = nl;
    }
    relay_throttle_restore(relay->throttle, pjson_get(state, "throttle"), uv_now(relay->loop));
    pjson_for_each (client, clients)
        handover_adopt_client(relay, client);
    log_info("upgrade: %zu listeners and %zu connections taken over", relay->n_listeners,
             relay->n_clients);
    return 0;
}
