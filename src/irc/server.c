/* SPDX-License-Identifier: MIT */
/* A network's connection: resolve, connect (TLS or not), read lines, send with flood
 * control, watch the link with our pings, reconnect with backoff. */
#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "channel.h"
#include "core/core.h"
#include "internal.h"
#include "look.h"
#include "message.h"
#include "net/conn.h"
#include "prefix.h"
#include "tls/context.h"
#include "tls/crypto.h"
#include "tls/session.h"

static void server_on_data(struct net_conn *conn, const char *data, size_t len);
static void server_on_ready(struct net_conn *conn);
static void server_on_close(struct net_conn *conn, enum net_close_reason reason);
static void server_try_next(struct irc_server *s);
static void server_resolve(struct irc_server *s);
static void server_forget_addrs(struct irc_server *s);

static const struct net_conn_ops server_ops = {
    .on_data = server_on_data,
    .on_ready = server_on_ready,
    .on_close = server_on_close,
};

void
irc__changed(struct irc *irc)
{
    if (irc->changed_cb)
        irc->changed_cb(irc->changed_data);
}

void
irc__server_print(struct irc_server *s, const char *prefix, const char *tags, const char *fmt, ...)
{
    char text[2048];
    va_list ap;
    struct core_line_spec spec = { .prefix = prefix, .message = text, .tags = tags, .y = -1 };

    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    if (s->buffer)
        core_buffer_print(s->buffer, &spec);
}

/* Text typed in a server buffer: not for anyone (WeeChat's irc_input_data). */
static void
server_input(struct core_buffer *buffer, const char *text, void *data)
{
    (void)text;
    (void)data;
    irc__print(buffer, NULL, IRC_LOOK_PREFIX_ERROR, NULL, "irc: this buffer is not a channel!");
}

/* WeeChat's irc plugin names its server buffer's charset modifier "irc.<server>" (used by
 * its charset plugin; kept for scripts and clients that read it). */
static void
server_set_charset_modifier(struct core_buffer *b, const char *server)
{
    char value[128];

    snprintf(value, sizeof(value), "irc.%s", server);
    core_buffer_set_localvar(b, "charset_modifier", value);
}

static struct core_buffer *
server_open_buffer(struct irc_server *s)
{
    struct core *core = s->irc->core;
    char name[128];
    struct core_buffer *b;
    int err;

    snprintf(name, sizeof(name), "server.%s", s->cfg->name);
    b = core_buffer_open(core, "irc", name, CORE_BUFFER_FORMATTED, &err);
    if (!b) {
        char full[140];
        snprintf(full, sizeof(full), "irc.%s", name);
        b = core_buffer_by_full_name(core, full);
    }
    if (!b)
        return NULL;
    core_buffer_set_short_name(b, s->cfg->name);
    core_buffer_set_localvar(b, "type", "server");
    core_buffer_set_localvar(b, "server", s->cfg->name);
    core_buffer_set_localvar(b, "channel", s->cfg->name);
    server_set_charset_modifier(b, s->cfg->name);
    core_buffer_set_input_cb(b, server_input, NULL);
    core_buffer_highlight_defaults(b, "$nick", IRC_HIGHLIGHT_TAGS);
    return b;
}

struct irc_server *
irc__server_new(struct irc *irc, struct irc_server_config *cfg)
{
    struct irc_server *s = xcalloc(1, sizeof(*s));

    s->irc = irc;
    s->cfg = cfg;
    irc_reader_init(&s->reader, IRC_READ_MAX);
    irc_isupport_init(&s->isupport);
    uv_timer_init(irc->loop, &s->timer);
    s->timer.data = s;
    uv_timer_init(irc->loop, &s->flood_timer);
    s->flood_timer.data = s;
    irc__sasl_init(s);
    s->backoff = (struct backoff){ .min_ms = 0,
                                   .first_ms = irc->timing.reconnect_first_ms,
                                   .max_ms = irc->timing.reconnect_max_ms };
    irc_flood_init(&s->flood, (unsigned)irc->timing.anti_flood_burst, irc->timing.anti_flood_ms,
                   uv_now(irc->loop));
    irc_flood_init(&s->ctcp_flood, 3, 5000, uv_now(irc->loop));
    list_init(&s->channels);
    irc_channel_index_init(&s->channel_index);
    irc_batches_init(&s->batches);
    irc_labels_init(&s->labels);
    list_append(&irc->servers, &s->link);
    s->buffer = server_open_buffer(s);
    irc__list_adopt(s);
    return s;
}

struct irc_server *
irc__server_find(const struct irc *irc, const char *name)
{
    struct list *pos;

    list_for_each (pos, &irc->servers) {
        struct irc_server *s = list_entry(pos, struct irc_server, link);
        if (strcmp(s->cfg->name, name) == 0 && !s->removing)
            return s;
    }
    return NULL;
}

static void
server_freed(uv_handle_t *handle)
{
    struct irc_server *s = handle->data;

    /* Three handles close: the memory goes with the last. */
    if (++s->handles_closed < 3)
        return;
    for (size_t i = 0; i < s->n_queue; i++)
        free(s->queue[i]);
    free(s->queue);
    while (!list_is_empty(&s->channels))
        irc_channel_free(list_entry(s->channels.next, struct irc_channel, link));
    name_index_fini(&s->channel_index);
    server_forget_addrs(s);
    irc_reader_fini(&s->reader);
    irc_isupport_fini(&s->isupport);
    irc__caps_reset(s);
    irc_batches_fini(&s->batches);
    irc_labels_fini(&s->labels);
    irc_monitor_set_clear(&s->monitor);
    irc_monitor_set_clear(&s->notify_ison);
    irc__notify_away_free(s);
    irc__list_free(s);
    irc_server_config_free(s->cfg);
    free(s->nick);
    free(s->usermodes);
    free(s->host);
    free(s->away_message);
    free(s);
}

/* Freed once nothing of it runs: no connection, no lookup under way. */
static void
server_free_if_done(struct irc_server *s)
{
    if (!s->removing || s->conn || s->resolving)
        return;
    list_remove(&s->link);
    uv_close((uv_handle_t *)&s->timer, server_freed);
    uv_close((uv_handle_t *)&s->flood_timer, server_freed);
    irc__sasl_close(s, server_freed);
}

static void server_timer(uv_timer_t *t);

static void
server_arm(struct irc_server *s, uint64_t ms)
{
    uv_timer_start(&s->timer, server_timer, ms, 0);
}

void
irc__server_timer_within(struct irc_server *s, uint64_t ms)
{
    if (s->state == IRC_CONNECTED && !s->held &&
        (!uv_is_active((uv_handle_t *)&s->timer) || uv_timer_get_due_in(&s->timer) > ms))
        server_arm(s, ms);
}

/* ---- sending ---- */

static void server_flush_queue(struct irc_server *s);

static void
server_flood_timer(uv_timer_t *t)
{
    server_flush_queue(t->data);
}

static void
server_flush_queue(struct irc_server *s)
{
    uint64_t now = uv_now(s->irc->loop);
    size_t sent = 0;

    if (!s->n_queue)
        return;
    while (sent < s->n_queue && s->conn && irc_flood_take(&s->flood, now)) {
        net_conn_write(s->conn, s->queue[sent], strlen(s->queue[sent]));
        free(s->queue[sent]);
        sent++;
    }
    memmove(s->queue, s->queue + sent, (s->n_queue - sent) * sizeof(*s->queue));
    s->n_queue -= sent;
    if (s->n_queue && s->conn)
        uv_timer_start(&s->flood_timer, server_flood_timer, irc_flood_wait(&s->flood, now), 0);
}

void
irc__server_flood_reset(struct irc_server *s)
{
    irc_flood_init(&s->flood, (unsigned)s->irc->timing.anti_flood_burst,
                   s->irc->timing.anti_flood_ms, uv_now(s->irc->loop));
    uv_timer_stop(&s->flood_timer);
    server_flush_queue(s);
}

/* Registration and PONG go at once, ahead of the queue, as WeeChat's immediate priority:
 * a server that waits for them must never wait for the flood control. */
static bool
server_is_immediate(const struct irc_server *s, const char *line)
{
    return s->state != IRC_CONNECTED || strncmp(line, "PONG ", 5) == 0;
}

static int
server_queue(struct irc_server *s, const char *line, size_t len)
{
    if (server_is_immediate(s, line) && s->conn) {
        net_conn_write(s->conn, line, len);
        return 0;
    }
    if (s->n_queue >= IRC_QUEUE_MAX) {
        if (!s->queue_full_said)
            irc__server_print(s, IRC_LOOK_PREFIX_ERROR, NULL,
                              "irc: %d lines are waiting to be sent; more are not sent",
                              IRC_QUEUE_MAX);
        s->queue_full_said = true;
        return -ENOBUFS;
    }
    s->queue_full_said = false;
    s->queue = xrealloc(s->queue, (s->n_queue + 1) * sizeof(*s->queue));
    s->queue[s->n_queue++] = xstrndup(line, len);
    server_flush_queue(s);
    return 0;
}

void
irc__server_queue_clear(struct irc_server *s)
{
    uv_timer_stop(&s->flood_timer);
    for (size_t i = 0; i < s->n_queue; i++)
        free(s->queue[i]);
    s->n_queue = 0;
}

int
irc__server_send_raw(struct irc_server *s, const char *line)
{
    struct buf out;

    if (strpbrk(line, "\r\n") || !line[0])
        return -EINVAL;
    if (!s->conn)
        return -ENOTCONN;
    buf_init(&out, IRC_READ_MAX + 2);
    if (buf_printf(&out, "%s\r\n", line) < 0) {
        buf_fini(&out);
        return -EMSGSIZE;
    }
    int rc = server_queue(s, out.data, out.len);
    buf_fini(&out);
    return rc;
}

int
irc__server_send(struct irc_server *s, const char *command, const char *const *params,
                 size_t n_params)
{
    return irc__server_send_tagged(s, NULL, 0, command, params, n_params);
}

int
irc__server_send_tagged(struct irc_server *s, const struct irc_tag *tags, size_t n_tags,
                        const char *command, const char *const *params, size_t n_params)
{
    struct buf out;
    int rc;

    if (!s->conn)
        return -ENOTCONN;
    buf_init(&out, IRC_READ_MAX + 2);
    rc = irc_message_format(&out, tags, n_tags, command, params, n_params);
    if (rc == 0)
        rc = server_queue(s, out.data, out.len);
    buf_fini(&out);
    return rc;
}

/* ---- receiving ---- */

static void
server_on_line(const char *line, size_t len, void *data)
{
    struct irc_server *s = data;
    struct irc_message m;
    char *raw = xstrndup(line, len);

    if (irc_message_parse(line, len, &m) < 0) {
        irc__server_print(s, IRC_LOOK_PREFIX_ERROR, NULL, "irc: unparsed message from server: %s",
                          raw);
    } else {
        /* A line of an open batch waits for the batch's end (recv_batch.c). */
        if (!irc__batch_hold(s, &m, line, len) && !irc__catchup_hold(s, &m, raw))
            irc__server_handle(s, &m, raw);
        irc_message_fini(&m);
    }
    free(raw);
}

void
irc__server_handle(struct irc_server *s, struct irc_message *m, const char *raw)
{
    m->ignored = irc__ignored(s, m);
    irc__recv(s, m, raw);
    irc__label_after(s, m);
}

void
irc__server_read(struct irc_server *s, const char *data, size_t len)
{
    size_t cut = s->reader.too_long;

    s->last_read_ms = uv_now(s->irc->loop);
    irc_reader_feed(&s->reader, data, len, server_on_line, s);
    if (s->reader.too_long > cut)
        irc__server_print(s, IRC_LOOK_PREFIX_ERROR, NULL,
                          "irc: a line from the server was too long and was cut");
}

static void
server_on_data(struct net_conn *conn, const char *data, size_t len)
{
    irc__server_read(net_conn_owner(conn), data, len);
}

/* ---- the link ---- */

static void
server_on_ready(struct net_conn *conn)
{
    struct irc_server *s = net_conn_owner(conn);
    char ip[INET6_ADDRSTRLEN];

    /* Pinning: the certificate is this one, or the link ends before a byte is sent. */
    if (s->link_tls && s->cfg->tls_fingerprint[0] &&
        !tls_session_peer_matches(net_conn_tls(conn), s->cfg->tls_fingerprint)) {
        irc__server_print(s, IRC_LOOK_PREFIX_ERROR, NULL,
                          "irc: the server's certificate does not have the fingerprint "
                          "tls_fingerprint gives, disconnecting");
        net_conn_close(conn, NET_CLOSE_PROTOCOL);
        return;
    }
    irc__server_peer_ip(s, ip, sizeof(ip));
    irc__server_print(s, IRC_LOOK_PREFIX_NETWORK, NULL, "irc: connected to %s/%d (%s)",
                      s->cfg->addresses[s->address_index].host, s->link_port, ip[0] ? ip : "?");
    s->state = IRC_REGISTERING;
    s->last_read_ms = uv_now(s->irc->loop);
    irc__server_flood_reset(s);
    irc__register(s);
}

/* irc_server_reconnect_schedule's words: "in 1 minute, 5 seconds", "in 2 minutes", "in 1
 * second". */
static void
server_say_reconnect_wait(struct irc_server *s, uint64_t secs)
{
    unsigned long long minutes = secs / 60, seconds = secs % 60;

    if (minutes && seconds)
        irc__server_print(s, IRC_LOOK_PREFIX_NETWORK, NULL,
                          "irc: reconnecting to server in %llu %s, %llu %s", minutes,
                          minutes == 1 ? "minute" : "minutes", seconds,
                          seconds == 1 ? "second" : "seconds");
    else if (minutes)
        irc__server_print(s, IRC_LOOK_PREFIX_NETWORK, NULL,
                          "irc: reconnecting to server in %llu %s", minutes,
                          minutes == 1 ? "minute" : "minutes");
    else
        irc__server_print(s, IRC_LOOK_PREFIX_NETWORK, NULL,
                          "irc: reconnecting to server in %llu %s", seconds,
                          seconds == 1 ? "second" : "seconds");
}

/* A link that never came up, in irc_server_connect_cb's words: a refused TCP connection, or
 * a TLS handshake that failed and why. Our own reasons (timeouts, a certificate that is not
 * the pinned one) were said already. */
static void
server_say_connect_failed(struct irc_server *s, struct net_conn *conn)
{
    const char *error = net_conn_error(conn);

    if (net_conn_error_code(conn)) {
        irc__server_print(s, IRC_LOOK_PREFIX_ERROR, NULL, "irc: connection refused");
    } else if (error[0]) {
        irc__server_print(s, IRC_LOOK_PREFIX_ERROR, NULL, "irc: TLS handshake failed");
        irc__server_print(s, IRC_LOOK_PREFIX_ERROR, NULL, "irc: error: %s", error);
    }
}

/* A link the server ended (or broke), in irc_server_recv_cb's words: the read's error as
 * errno and strerror (0 when the server closed it; GnuTLS's -110 when a TLS server closed
 * without close_notify), then the disconnection. */
static void
server_say_read_failed(struct irc_server *s, struct net_conn *conn)
{
    const char *error = net_conn_error(conn), *text = "(connection closed by peer)";
    int code = net_conn_error_code(conn), shown = 0;

    if (code) {
        shown = -code;
        text = strerror(-code);
    } else if (strcmp(error, NET_ERROR_NO_CLOSE_NOTIFY) == 0) {
        shown = -110;
        text = "The TLS connection was non-properly terminated.";
    } else if (error[0]) {
        text = error;
    }
    irc__server_print(s, IRC_LOOK_PREFIX_ERROR, NULL, "irc: reading data on socket: error %d %s",
                      shown, text);
    irc__server_print(s, IRC_LOOK_PREFIX_NETWORK, NULL, "irc: disconnecting from server...");
}

static void
server_schedule_reconnect(struct irc_server *s)
{
    uint32_t r = 0;
    uint64_t wait;

    tls_random(&r, sizeof(r));
    wait = backoff_next(&s->backoff, r);
    server_say_reconnect_wait(s, (wait + 999) / 1000);
    server_arm(s, wait ? wait : 1);
}

static void
server_on_close(struct net_conn *conn, enum net_close_reason reason)
{
    struct irc_server *s = net_conn_owner(conn);
    const char *error = net_conn_error(conn);
    bool welcomed = s->state == IRC_CONNECTED;
    bool established = s->state == IRC_REGISTERING || welcomed; /* TCP and TLS were up */
    bool sts_upgrade = s->sts_reconnect;

    s->sts_reconnect = false;
    s->conn = NULL;
    s->state = IRC_DISCONNECTED;
    s->connected_ms = 0;
    /* What was not sent belongs to the link that ended. */
    irc__server_queue_clear(s);
    uv_timer_stop(&s->timer);
    free(s->nick);
    s->nick = NULL;
    free(s->usermodes);
    s->usermodes = NULL;
    /* As irc_server_disconnect: no title, no tls_version, no away, no lag, no prompt (the
     * nick is gone); nick and host stay. */
    s->ping_sent_ms = 0;
    s->lag_ms = 0;
    irc__caps_reset(s);
    irc__sasl_reset(s);
    irc__catchup_release_all(s);
    irc_batches_fini(&s->batches);
    irc_labels_fini(&s->labels);
    irc__monitor_reset(s);
    irc_monitor_set_clear(&s->notify_ison);
    irc__notify_away_link_lost(s);
    irc__list_link_lost(s);
    if (s->buffer) {
        core_buffer_set_title(s->buffer, "");
        core_buffer_set_localvar(s->buffer, "tls_version", NULL);
    }
    irc__server_set_localvar_all(s, "away", NULL);
    irc__server_set_localvar_all(s, "lag", NULL);
    /* As WeeChat: a link that never came up is an error; one that did says how it ended,
     * in the channels too once we were welcomed. */
    if (!established)
        server_say_connect_failed(s, conn);
    else if (reason == NET_CLOSE_PEER || (reason == NET_CLOSE_PROTOCOL && error[0]))
        server_say_read_failed(s, conn);
    irc__sts_link_ended(s, established);
    /* Channels stay open, emptied; the ones we were in are joined again on reconnect. */
    struct list *pos;
    list_for_each (pos, &s->channels) {
        struct irc_channel *c = list_entry(pos, struct irc_channel, link);
        c->rejoin = c->rejoin || c->joined;
        c->joined = false;
        irc_channel_nicks_clear(c);
        if (welcomed)
            irc__print(c->buffer, NULL, IRC_LOOK_PREFIX_NETWORK, NULL,
                       "irc: disconnected from server");
    }
    if (established)
        irc__server_print(s, IRC_LOOK_PREFIX_NETWORK, NULL, "irc: disconnected from server");
    irc__server_update_prompts(s);
    if (s->removing) {
        server_free_if_done(s);
        return;
    }
    if (!s->wanted || s->irc->quitting)
        return;
    /* Closed for an STS upgrade: the same address again at once, with TLS this time. */
    if (sts_upgrade) {
        server_forget_addrs(s);
        server_resolve(s);
        return;
    }
    /* A link that never got its welcome: the next address at once, the wait only once
     * every address was tried. */
    if (!welcomed)
        server_try_next(s);
    else
        server_schedule_reconnect(s);
}

static void
server_forget_addrs(struct irc_server *s)
{
    if (s->addrs)
        uv_freeaddrinfo(s->addrs);
    s->addrs = NULL;
    s->addr = NULL;
}

/* Connects to s->addr, or the next resolved address that can be tried, or moves on. */
/* The TLS context of a connection (a reference the caller drops): the shared ones, or
 * with tls_cert one of its own that presents the client certificate. NULL and a line
 * said when the certificate cannot be used. */
static struct tls_context *
server_tls_context(struct irc_server *s)
{
    bool verify = s->cfg->tls_verify && !s->cfg->tls_fingerprint[0];
    struct tls_context *tls;
    char err[300];

    if (!s->cfg->tls_cert[0]) {
        /* Shared by the networks, made when the first needs it (the system's CAs are
         * megabytes of memory a perchd without TLS networks need not hold). */
        struct tls_context **shared = verify ? &s->irc->tls_verify : &s->irc->tls_insecure;
        if (!*shared && !(*shared = tls_context_new_client(NULL, verify, err, sizeof(err)))) {
            irc__server_print(s, IRC_LOOK_PREFIX_ERROR, NULL, "irc: TLS is not available: %s", err);
            return NULL;
        }
        tls_context_ref(*shared);
        return *shared;
    }
    tls = tls_context_new_client(NULL, verify, err, sizeof(err));
    if (tls && tls_context_use_certificate(tls, s->cfg->tls_cert, err, sizeof(err)) == 0)
        return tls;
    tls_context_unref(tls);
    irc__server_print(s, IRC_LOOK_PREFIX_ERROR, NULL,
                      "irc: cannot use the client certificate %s: %s", s->cfg->tls_cert, err);
    return NULL;
}

static void
server_try_addr(struct irc_server *s)
{
    const struct irc_address *a = &s->cfg->addresses[s->address_index];
    struct tls_context *tls = NULL;

    if (s->link_tls && !(tls = server_tls_context(s))) {
        server_forget_addrs(s);
        s->state = IRC_DISCONNECTED;
        s->hosts_tried = 0;
        server_schedule_reconnect(s);
        return;
    }
    for (; s->addr; s->addr = s->addr->ai_next) {
        char ip[64] = "?";
        getnameinfo(s->addr->ai_addr, s->addr->ai_addrlen, ip, sizeof(ip), NULL, 0, NI_NUMERICHOST);
        if (s->addr != s->addrs)
            irc__server_print(s, IRC_LOOK_PREFIX_NETWORK, NULL,
                              "irc: trying the next address of %s: %s", a->host, ip);
        s->state = IRC_CONNECTING;
        s->conn = net_conn_connect(s->irc->loop, s->addr->ai_addr, tls, a->host, &server_ops, s);
        if (s->conn) {
            net_conn_set_close_grace(s->conn, s->irc->timing.close_grace_ms);
            /* The deadline holds per address: a silent one does not eat the others' time. */
            server_arm(s, s->irc->timing.connect_timeout_ms);
            tls_context_unref(tls);
            return;
        }
    }
    tls_context_unref(tls);
    s->state = IRC_DISCONNECTED;
    server_try_next(s);
}

/* The current attempt failed: the host's next address, else the next host, else (every
 * host tried) the backoff's wait. */
static void
server_try_next(struct irc_server *s)
{
    if (s->addr && s->addr->ai_next) {
        s->addr = s->addr->ai_next;
        server_try_addr(s);
        return;
    }
    server_forget_addrs(s);
    s->address_index = (s->address_index + 1) % s->cfg->n_addresses;
    if (++s->hosts_tried < s->cfg->n_addresses) {
        server_resolve(s);
        return;
    }
    s->hosts_tried = 0;
    server_schedule_reconnect(s);
}

static void
server_resolved(uv_getaddrinfo_t *req, int status, struct addrinfo *res)
{
    struct irc_server *s = req->data;
    const struct irc_address *a = &s->cfg->addresses[s->address_index];

    s->resolving = false;
    if (s->removing || !s->wanted) {
        uv_freeaddrinfo(res);
        s->state = IRC_DISCONNECTED;
        server_free_if_done(s);
        return;
    }
    if (status < 0 || !res) {
        irc__server_print(s, IRC_LOOK_PREFIX_ERROR, NULL, "irc: cannot resolve %s: %s", a->host,
                          uv_strerror(status));
        uv_freeaddrinfo(res);
        s->state = IRC_DISCONNECTED;
        server_try_next(s);
        return;
    }
    server_forget_addrs(s);
    s->addrs = s->addr = res;
    server_try_addr(s);
}

/* Resolves the current host (every address, IPv4 and IPv6, tried in turn). */
static void
server_resolve(struct irc_server *s)
{
    const struct irc_address *a;
    struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_family = AF_UNSPEC };
    char port[8];

    a = &s->cfg->addresses[s->address_index % s->cfg->n_addresses];
    /* TLS or not, and the port: the network's, or an STS policy's for the host. */
    irc__sts_target(s);
    snprintf(port, sizeof(port), "%d", s->link_port);
    irc__server_print(s, IRC_LOOK_PREFIX_NETWORK, NULL, "irc: connecting to server %s/%s%s...",
                      a->host, port, s->link_tls ? " (TLS)" : "");
    s->state = IRC_RESOLVING;
    s->resolving = true;
    s->resolve.data = s;
    if (uv_getaddrinfo(s->irc->loop, &s->resolve, server_resolved, a->host, port, &hints) < 0) {
        s->resolving = false;
        s->state = IRC_DISCONNECTED;
        server_schedule_reconnect(s);
    }
}

void
irc__server_connect(struct irc_server *s)
{
    s->wanted = true;
    if (s->state != IRC_DISCONNECTED || s->removing)
        return;
    if (!s->buffer)
        s->buffer = server_open_buffer(s);
    uv_timer_stop(&s->timer);
    s->address_index %= s->cfg->n_addresses;
    s->hosts_tried = 0;
    server_resolve(s);
}

void
irc__server_set_nick(struct irc_server *s, const char *nick)
{
    free(s->nick);
    s->nick = xstrdup(nick);
    irc__server_set_localvar_all(s, "nick", nick);
    irc__server_update_prompts(s);
}

void
irc__server_registered_nick(struct irc_server *s, const char *nick)
{
    irc__server_set_nick(s, nick);
    /* Our first nick held again (or given up): watched no more. */
    irc__monitor_sync(s);
}

int
irc__server_rename(struct irc_server *s, const char *name, char *err, size_t err_len)
{
    struct irc_server_config *probe = irc_server_config_new(name, err, err_len);
    struct list *pos;
    char buffer_name[600];

    if (!probe)
        return -1;
    irc_server_config_free(probe);
    free(s->cfg->name);
    s->cfg->name = xstrdup(name);
    if (s->buffer) {
        snprintf(buffer_name, sizeof(buffer_name), "server.%s", name);
        core_buffer_set_name(s->buffer, buffer_name);
        core_buffer_set_short_name(s->buffer, name);
        core_buffer_set_localvar(s->buffer, "server", name);
        core_buffer_set_localvar(s->buffer, "channel", name);
        server_set_charset_modifier(s->buffer, name);
    }
    list_for_each (pos, &s->channels) {
        struct irc_channel *c = list_entry(pos, struct irc_channel, link);
        if (!c->buffer)
            continue;
        snprintf(buffer_name, sizeof(buffer_name), "%s.%s", name, c->name);
        core_buffer_set_name(c->buffer, buffer_name);
        core_buffer_set_localvar(c->buffer, "server", name);
    }
    irc__list_renamed(s);
    return 0;
}

bool
irc__regain_wanted(const struct irc_server *s, const char *first)
{
    return s->irc->timing.nick_regain_ms && !s->regain_off && s->nick &&
           irc_casecmp(s->isupport.casemapping, s->nick, first) != 0;
}

/* Our ISON, on a server without MONITOR (monitor.c watches the nicks then): our first nick
 * while it is wanted back (recv.c takes it when the answer does not list it), and the
 * notify list (notify.c says who came and went). False when there is nothing to ask. */
static bool
server_ison(struct irc_server *s)
{
    char first[128], **nicks;
    size_t n;
    struct buf targets;
    bool asked = false;

    if (s->state != IRC_CONNECTED || irc__monitor_limit(s))
        return false;
    irc__server_first_nick(s, first, sizeof(first));
    n = irc__notify_nicks(s, &nicks);
    buf_init(&targets, IRC_LINE_MAX);
    if (irc__regain_wanted(s, first))
        buf_append_str(&targets, first);
    for (size_t i = 0; i < n; i++)
        buf_printf(&targets, "%s%s", targets.len ? " " : "", nicks[i]);
    irc__notify_nicks_free(nicks, n);
    if (targets.len) {
        const char *params[] = { targets.data };
        /* Labeled, its answer is known by its label; else by counting. */
        if (irc__server_send_labeled(s, IRC_LABEL_REGAIN, "ISON", params, 1) == 0)
            s->ison_pending++;
        asked = true;
    }
    buf_fini(&targets);
    return asked;
}

/* Our ISON every [irc] nick_regain_interval while there is something to ask. Returns when
 * to ask again. */
static uint64_t
server_regain(struct irc_server *s, uint64_t now)
{
    uint64_t every = s->irc->timing.nick_regain_ms;

    if (!every || now < s->regain_next_ms)
        return every ? s->regain_next_ms : UINT64_MAX;
    if (!server_ison(s))
        return UINT64_MAX;
    s->regain_next_ms = now + every;
    return s->regain_next_ms;
}

void
irc__server_presence_now(struct irc_server *s)
{
    char **nicks;
    size_t n = irc__notify_nicks(s, &nicks);

    irc__notify_nicks_free(nicks, n);
    if (n && s->irc->timing.nick_regain_ms)
        server_ison(s);
}

void
irc__server_registered(struct irc_server *s, const char *nick)
{
    s->state = IRC_CONNECTED;
    irc__server_registered_nick(s, nick);
    s->ping_sent_ms = 0;
    s->last_ping_ms = uv_now(s->irc->loop);
    irc__server_set_title_and_tls(s);
    /* Away before the link was lost: away again (WeeChat's 001 re-sends AWAY). */
    if (s->away_by_user && s->away_message) {
        const char *params[] = { s->away_message };
        if (irc__server_send(s, "AWAY", params, 1) == 0)
            irc__server_set_localvar_all(s, "away", s->away_message);
    }
    /* A welcome is not yet a stable link: the backoff resets only after a while up. */
    s->connected_ms = uv_now(s->irc->loop);
    s->away_auto = false;
    s->regain_off = false;
    s->ison_pending = 0;
    s->regain_next_ms = s->connected_ms + s->irc->timing.nick_regain_ms;
    s->away_next_ms = s->connected_ms; /* the "-away" nicks: asked at once */
    irc__server_auto_away(s);
    server_arm(s, s->irc->timing.ping_interval_ms);
    uint64_t regain = server_regain(s, s->connected_ms);
    uint64_t away = irc__notify_away_tick(s, s->connected_ms);
    uint64_t next = regain < away ? regain : away;
    if (next != UINT64_MAX && next - s->connected_ms < s->irc->timing.ping_interval_ms)
        server_arm(s, next - s->connected_ms);
}

void
irc__server_disconnect(struct irc_server *s, const char *reason, bool reconnect)
{
    s->wanted = reconnect;
    if (!s->conn) {
        uv_timer_stop(&s->timer);
        if (s->state == IRC_DISCONNECTED && reconnect)
            irc__server_connect(s);
        return;
    }
    if (s->state == IRC_CONNECTED || s->state == IRC_REGISTERING) {
        const char *params[] = { reason && reason[0] ? reason : "perch" };
        struct buf out;
        buf_init(&out, 1024);
        /* The goodbye skips the flood queue: it is the last line. */
        if (irc_message_format(&out, NULL, 0, "QUIT", params, 1) == 0)
            net_conn_write(s->conn, out.data, out.len);
        buf_fini(&out);
    }
    net_conn_close(s->conn, NET_CLOSE_QUIT);
}

void
irc__server_remove(struct irc_server *s, const char *reason)
{
    s->removing = true;
    s->wanted = false;
    uv_timer_stop(&s->timer);
    if (s->conn)
        irc__server_disconnect(s, reason, false);
    else
        server_free_if_done(s);
}

/* The state's timer: the reconnect wait, the connect deadline, or our pings. */
static void
server_timer(uv_timer_t *t)
{
    struct irc_server *s = t->data;
    uint64_t now = uv_now(s->irc->loop);
    const struct irc_timing *tm = &s->irc->timing;

    switch (s->state) {
    case IRC_DISCONNECTED:
        if (s->wanted) {
            irc__server_print(s, IRC_LOOK_PREFIX_NETWORK, NULL, "irc: reconnecting to server...");
            irc__server_connect(s);
        }
        return;
    case IRC_RESOLVING:
        return;
    case IRC_CONNECTING:
    case IRC_REGISTERING:
        irc__server_print(s, IRC_LOOK_PREFIX_ERROR, NULL,
                          "irc: connection timeout (message 001 not received)");
        net_conn_close(s->conn, NET_CLOSE_TIMEOUT);
        return;
    case IRC_CONNECTED:
        break;
    }
    if (s->connected_ms && now - s->connected_ms >= IRC_STABLE_MS) {
        backoff_reset(&s->backoff);
        s->connected_ms = 0;
    }
    if (s->ping_sent_ms && now - s->ping_sent_ms >= tm->ping_timeout_ms) {
        irc__server_print(s, IRC_LOOK_PREFIX_ERROR, NULL,
                          "irc: lag is high, disconnecting from server %s", s->cfg->name);
        net_conn_close(s->conn, NET_CLOSE_TIMEOUT);
        return;
    }
    /* While our PING waits, the lag counts up, shown each second (lag_refresh_interval). */
    if (s->ping_sent_ms && now - s->ping_sent_ms >= 500)
        irc__server_set_lag(s, (int64_t)(now - s->ping_sent_ms));
    /* A PING every interval, busy link or not, as WeeChat's lag_check: it measures the lag. */
    if (!s->ping_sent_ms && now - s->last_ping_ms >= tm->ping_interval_ms) {
        char token[32];
        const char *params[] = { token };
        snprintf(token, sizeof(token), "perch-%llu", (unsigned long long)now);
        s->ping_sent_ms = now;
        s->last_ping_ms = now;
        irc__server_send(s, "PING", params, 1);
    }
    uint64_t next = s->ping_sent_ms ? s->ping_sent_ms + tm->ping_timeout_ms - now
                                    : s->last_ping_ms + tm->ping_interval_ms - now;
    uint64_t regain = server_regain(s, now);
    if (regain != UINT64_MAX && regain - now < next)
        next = regain - now;
    uint64_t away = irc__notify_away_tick(s, now);
    if (away != UINT64_MAX && away - now < next)
        next = away - now;
    uint64_t catchup = irc__catchup_expire(s, now);
    if (catchup < next)
        next = catchup;
    if (s->ping_sent_ms && next > 1000)
        next = now - s->ping_sent_ms < 500 ? s->ping_sent_ms + 500 - now : 1000;
    server_arm(s, next ? next : 1);
}

/* ---- upgrade hand-over ---- */

bool
irc__server_can_hand_over(const struct irc_server *s)
{
    /* A TLS session cannot cross an exec; a registration under way is restarted whole. */
    return s->state == IRC_CONNECTED && s->conn && !net_conn_is_closing(s->conn) &&
           !net_conn_is_tls(s->conn) && net_conn_fd(s->conn) >= 0;
}

void
irc__server_hold(struct irc_server *s)
{
    s->held = true;
    /* What an open batch or an awaited catch-up holds would not cross the exec: shown now. */
    irc__batch_flush(s);
    irc__catchup_release_all(s);
    net_conn_pause(s->conn);
    uv_timer_stop(&s->timer);
    uv_timer_stop(&s->flood_timer);
}

void
irc__server_release(struct irc_server *s)
{
    s->held = false;
    if (!s->conn) {
        /* Lost while held: what the loss would have done. */
        if (s->wanted)
            server_schedule_reconnect(s);
        return;
    }
    net_conn_resume(s->conn);
    server_flush_queue(s);
    server_arm(s, 1);
}

void
irc__server_adopt(struct irc_server *s, struct net_conn *conn)
{
    net_conn_set_owner(conn, &server_ops, s);
    net_conn_set_close_grace(conn, s->irc->timing.close_grace_ms);
    s->conn = conn;
    s->state = IRC_CONNECTED;
    s->wanted = true;
    /* Only plain links are handed over. */
    s->link_tls = false;
    s->link_port = s->cfg->addresses[s->address_index % s->cfg->n_addresses].port;
    if (!s->link_port)
        s->link_port = 6667;
    server_flush_queue(s);
    /* The timer's CONNECTED turn: a ping due, a ping unanswered too long, the backoff. */
    server_arm(s, 1);
}
