/* SPDX-License-Identifier: MIT */
/* A connection and its one closing path. */
#include "conn.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "base/log.h"
#include "base/rbuf.h"
#include "base/xalloc.h"
#include "internal.h"
#include "socket_check.h"
#include "tls/session.h"

enum net_conn_state {
    NET_CONN_OPEN,
    NET_CONN_CLOSING, /* goodbye queued; waiting for flush and the peer */
    NET_CONN_CLOSED,  /* libuv handles closing */
};

/* Kept small: an idle connection is mostly this struct. The one timer is the owner's while
 * the connection is open and the closing path's afterwards; what only a client connection or
 * a closing one needs is allocated then. */
struct net_conn {
    uv_tcp_t tcp;
    uv_timer_t timer;
    int handles_open;
    enum net_conn_state state;
    enum net_close_reason reason;
    uint64_t id;
    struct tls_session *tls;
    uv_connect_t *connect_req; /* client: while connecting */
    char *error;               /* NULL until something went wrong */
    int error_code;            /* the libuv error behind it (< 0), or 0 */
    size_t queued;
    size_t drain_left; /* closing: bytes still unwritten when the grace last started */
    size_t write_max;
    uint64_t close_grace_ms;
    uint64_t owner_due; /* open: when the owner's timer is due, in loop ms (the timer may
                           fire before, when it was put off: it is then armed again) */
    const struct net_conn_ops *ops;
    void *owner;
    bool is_client;
    bool first_read_done;
    bool in_goodbye; /* the owner writes its last words: no backlog limit */
    bool ready_sent; /* client: on_ready was called */
    bool shutdown_done;
    bool peer_done;
    bool peer_wait;     /* the owner wants the peer's goodbye waited for */
    bool wait_for_peer; /* closing: the peer's close_notify or EOF is worth the grace */
    bool corked;        /* TLS: inside a read, whose output goes out in one write at its end */
    char peer[56];      /* "[v6 address]:port" fits */
};

/* Bytes the kernel did not take at once, queued in libuv: a copy, a block taken over, or
 * references to shared buffers, let go when written. */
struct net_write {
    uv_write_t req;
    struct net_conn *conn;
    size_t len;
    char *owned;
    size_t n_refs;
    struct rbuf *refs[];
};

static const char *const net_reason_names[] = {
    [NET_CLOSE_DONE] = "done",
    [NET_CLOSE_QUIT] = "quit",
    [NET_CLOSE_UPGRADE] = "upgrade",
    [NET_CLOSE_PEER] = "peer closed",
    [NET_CLOSE_TIMEOUT] = "timeout",
    [NET_CLOSE_AUTH_FAILED] = "authentication failed",
    [NET_CLOSE_THROTTLED] = "too many failed logins",
    [NET_CLOSE_TOO_MANY] = "too many clients",
    [NET_CLOSE_FORBIDDEN] = "address not allowed",
    [NET_CLOSE_PROTOCOL] = "protocol error",
    [NET_CLOSE_TOO_BIG] = "message too big",
    [NET_CLOSE_SLOW] = "slow client",
    [NET_CLOSE_INTERNAL] = "internal error",
};

/* One read buffer for the whole process: reads are consumed synchronously. */
static char net_read_buf[65536];
static char net_plain_buf[65536];
static uint64_t net_next_id = 1;
static size_t net_live = 0;

const char *
net_close_reason_name(enum net_close_reason reason)
{
    return (unsigned)reason < sizeof(net_reason_names) / sizeof(net_reason_names[0])
               ? net_reason_names[reason]
               : "unknown";
}

static void net_conn_finish(struct net_conn *conn);

static void
net_handle_closed(uv_handle_t *handle)
{
    struct net_conn *conn = handle->data;

    if (--conn->handles_open > 0)
        return;
    net_live--;
    tls_session_free(conn->tls);
    free(conn->error);
    free(conn);
}

struct net_conn *
net__conn_new(uv_loop_t *loop, struct tls_context *tls)
{
    struct net_conn *conn = xcalloc(1, sizeof(*conn));

    uv_tcp_init(loop, &conn->tcp);
    uv_timer_init(loop, &conn->timer);
    conn->tcp.data = conn;
    conn->timer.data = conn;
    conn->handles_open = 2;
    net_live++;
    conn->id = net_next_id++;
    conn->write_max = 16u << 20;
    conn->close_grace_ms = 2000;
    conn->peer_wait = true;
    if (tls)
        conn->tls = tls_session_new_server(tls);
    return conn;
}

uv_stream_t *
net__conn_stream(struct net_conn *conn)
{
    return (uv_stream_t *)&conn->tcp;
}

void
net_conn_set_owner(struct net_conn *conn, const struct net_conn_ops *ops, void *data)
{
    conn->ops = ops;
    conn->owner = data;
}

void *
net_conn_owner(const struct net_conn *conn)
{
    return conn->owner;
}

uint64_t
net_conn_id(const struct net_conn *conn)
{
    return conn->id;
}

bool
net_conn_is_tls(const struct net_conn *conn)
{
    return conn->tls != NULL;
}

const char *
net_conn_peer_name(const struct net_conn *conn)
{
    return conn->peer;
}

int
net_conn_peer_addr(const struct net_conn *conn, struct sockaddr_storage *addr)
{
    int len = sizeof(*addr);

    return uv_tcp_getpeername(&conn->tcp, (struct sockaddr *)addr, &len);
}

void
net_conn_set_write_max(struct net_conn *conn, size_t max)
{
    conn->write_max = max;
}

void
net_conn_keep_buffers(struct net_conn *conn, bool keep)
{
    if (conn->tls)
        tls_session_keep_buffers(conn->tls, keep);
}

void
net_conn_set_close_grace(struct net_conn *conn, uint64_t ms)
{
    conn->close_grace_ms = ms;
}

void
net_conn_set_peer_wait(struct net_conn *conn, bool wait)
{
    conn->peer_wait = wait;
}

bool
net_conn_is_closing(const struct net_conn *conn)
{
    return conn->state != NET_CONN_OPEN;
}

static void
net_owner_timer_fired(uv_timer_t *timer)
{
    struct net_conn *conn = timer->data;
    uint64_t now = uv_now(timer->loop);

    if (conn->state != NET_CONN_OPEN)
        return;
    if (now < conn->owner_due) {
        uv_timer_start(&conn->timer, net_owner_timer_fired, conn->owner_due - now, 0);
        return;
    }
    if (conn->ops && conn->ops->on_timer)
        conn->ops->on_timer(conn);
    else
        net_conn_close(conn, NET_CLOSE_TIMEOUT);
}

void
net_conn_set_timer(struct net_conn *conn, uint64_t ms)
{
    /* Once closing starts the timer is the grace's. */
    if (conn->state != NET_CONN_OPEN || conn->in_goodbye)
        return;
    if (!ms) {
        uv_timer_stop(&conn->timer);
        return;
    }
    /* Put off (a keep-alive connection's at each request): the armed timer stays, and
     * fires to be armed again for the rest; moving it costs two heap operations. */
    uint64_t now = uv_now(conn->timer.loop);
    conn->owner_due = now + ms;
    if (uv_is_active((uv_handle_t *)&conn->timer) &&
        now + uv_timer_get_due_in(&conn->timer) <= conn->owner_due)
        return;
    uv_timer_start(&conn->timer, net_owner_timer_fired, ms, 0);
}

/* Records why the connection failed or ended badly (the first reason wins). */
static void
net_set_error(struct net_conn *conn, const char *error)
{
    if (!conn->error)
        conn->error = xstrdup(error);
}

/* The same for a failed socket call: its libuv error is kept too. */
static void
net_set_error_uv(struct net_conn *conn, int code)
{
    if (!conn->error)
        conn->error_code = code;
    net_set_error(conn, uv_strerror(code));
}

static void
net_write_done(uv_write_t *req, int status)
{
    struct net_write *w = (struct net_write *)req;
    struct net_conn *conn = w->conn;

    conn->queued -= w->len;
    free(w->owned);
    for (size_t i = 0; i < w->n_refs; i++)
        rbuf_unref(w->refs[i]);
    free(w);
    if (status < 0 && conn->state == NET_CONN_OPEN) {
        log_debug("conn %llu: write failed: %s", (unsigned long long)conn->id, uv_strerror(status));
        net_conn_close(conn, NET_CLOSE_PEER);
    }
}

/* Writes what the kernel takes now, without a copy, when nothing is queued before it (order
 * is kept) and the write side is still open; returns the bytes written (0 if none). */
static size_t
net_try_write(struct net_conn *conn, const uv_buf_t *bufs, size_t n)
{
    int rc;

    if (uv_stream_get_write_queue_size(net__conn_stream(conn)) > 0 ||
        !uv_is_writable(net__conn_stream(conn)))
        return 0;
    rc = uv_try_write(net__conn_stream(conn), bufs, (unsigned int)n);
    /* An error (the peer gone) shows again on the queued write, whose callback closes. */
    return rc > 0 ? (size_t)rc : 0;
}

/* Queues w's bufs with libuv; w is freed when written. */
static int
net_queue(struct net_conn *conn, struct net_write *w, const uv_buf_t *bufs, size_t n)
{
    int rc;

    w->conn = conn;
    rc = uv_write(&w->req, net__conn_stream(conn), bufs, (unsigned int)n, net_write_done);
    if (rc < 0) {
        free(w->owned);
        for (size_t i = 0; i < w->n_refs; i++)
            rbuf_unref(w->refs[i]);
        free(w);
        return rc;
    }
    conn->queued += w->len;
    return 0;
}

/* Sends bytes as they are (ciphertext, or plaintext without TLS); what the kernel does not
 * take at once is copied. When owned, data is the caller's malloc() block, taken. */
static int
net_send_bytes(struct net_conn *conn, char *data, size_t len, bool owned)
{
    uv_buf_t b = uv_buf_init(data, (unsigned int)len);
    size_t done = len ? net_try_write(conn, &b, 1) : 0;
    struct net_write *w;

    if (done == len) {
        if (owned)
            free(data);
        return 0;
    }
    w = xcalloc(1, sizeof(*w));
    w->len = len - done;
    if (owned) {
        w->owned = data;
    } else {
        w->owned = xmalloc(w->len);
        memcpy(w->owned, data + done, w->len);
        done = 0;
    }
    b = uv_buf_init(w->owned + done, (unsigned int)w->len);
    return net_queue(conn, w, &b, 1);
}

static int
net_send_raw(struct net_conn *conn, const void *data, size_t len)
{
    /* Not written through: the bytes are copied before being kept. */
    return net_send_bytes(conn, (char *)(uintptr_t)data, len, false);
}

/* Sends what the TLS session produced (handshake records, data, alerts). */
static int
net_flush_tls(struct net_conn *conn)
{
    char *out;
    size_t len;

    if (conn->corked)
        return 0;
    len = tls_session_take_output(conn->tls, &out);
    if (!len)
        return 0;
    return net_send_bytes(conn, out, len, true);
}

/* 0 when conn may be written; else the error net_conn_write() returns (closing it when its
 * backlog passed the maximum). */
static int
net_writable(struct net_conn *conn)
{
    if (conn->state != NET_CONN_OPEN)
        return -EPIPE;
    /* libuv's queue holds only what the kernel has not taken yet: a reader that
     * keeps up never comes near the limit, however much is sent. A backlog past the
     * limit means the peer stopped reading; one large message alone does not. */
    if (!conn->in_goodbye &&
        uv_stream_get_write_queue_size(net__conn_stream(conn)) > conn->write_max) {
        log_info("conn %llu: write queue over %zu bytes, disconnecting",
                 (unsigned long long)conn->id, conn->write_max);
        net_conn_close(conn, NET_CLOSE_SLOW);
        return -ENOBUFS;
    }
    if (conn->tls && !tls_session_handshake_done(conn->tls))
        return -ENOTCONN;
    return 0;
}

int
net_conn_write(struct net_conn *conn, const void *data, size_t len)
{
    int rc = net_writable(conn);

    if (rc < 0)
        return rc;
    if (!conn->tls)
        return net_send_raw(conn, data, len) < 0 ? -EPIPE : 0;
    if (tls_session_write(conn->tls, data, len) != TLS_OK) {
        net_conn_close(conn, NET_CLOSE_PROTOCOL);
        return -EPIPE;
    }
    return net_flush_tls(conn) < 0 ? -EPIPE : 0;
}

/* Plaintext without TLS: one writev of every buffer; what the kernel leaves is queued
 * holding references to the buffers, not copies of them. */
static int
net_send_refs(struct net_conn *conn, struct rbuf *const *bufs, size_t n)
{
    uv_buf_t small[16], *iov = n <= 16 ? small : xmalloc(n * sizeof(*iov));
    size_t done, first = 0, total = 0;
    struct net_write *w;
    int rc;

    for (size_t i = 0; i < n; i++) {
        iov[i] = uv_buf_init((char *)(uintptr_t)bufs[i]->data, (unsigned int)bufs[i]->len);
        total += bufs[i]->len;
    }
    done = net_try_write(conn, iov, n);
    if (done == total) {
        rc = 0;
        goto out;
    }
    /* Skips what was written: whole buffers, then the start of the first one left. */
    while (done >= iov[first].len) {
        done -= iov[first].len;
        total -= iov[first].len;
        first++;
    }
    iov[first].base += done;
    iov[first].len -= done;
    w = xcalloc(1, sizeof(*w) + (n - first) * sizeof(w->refs[0]));
    w->len = total - done;
    w->n_refs = n - first;
    for (size_t i = first; i < n; i++)
        w->refs[i - first] = rbuf_ref(bufs[i]);
    rc = net_queue(conn, w, iov + first, n - first);
out:
    if (iov != small)
        free(iov);
    return rc < 0 ? -EPIPE : 0;
}

/* TLS: the buffers gathered into as few records as their size allows, then encrypted. */
static int
net_send_refs_tls(struct net_conn *conn, struct rbuf *const *bufs, size_t n)
{
    static char gather[16384];
    size_t used = 0;

    for (size_t i = 0; i < n; i++) {
        const char *p = bufs[i]->data;
        size_t left = bufs[i]->len;
        while (left) {
            /* A buffer that fills the record on its own is encrypted from where it is. */
            if (used == 0 && left >= sizeof(gather)) {
                if (tls_session_write(conn->tls, p, left) != TLS_OK)
                    goto fail;
                break;
            }
            size_t take = left < sizeof(gather) - used ? left : sizeof(gather) - used;
            memcpy(gather + used, p, take);
            used += take;
            p += take;
            left -= take;
            if (used == sizeof(gather)) {
                if (tls_session_write(conn->tls, gather, used) != TLS_OK)
                    goto fail;
                used = 0;
            }
        }
    }
    if (used && tls_session_write(conn->tls, gather, used) != TLS_OK)
        goto fail;
    return net_flush_tls(conn) < 0 ? -EPIPE : 0;
fail:
    net_conn_close(conn, NET_CLOSE_PROTOCOL);
    return -EPIPE;
}

int
net_conn_write_refs(struct net_conn *conn, struct rbuf *const *bufs, size_t n)
{
    int rc = net_writable(conn);

    if (rc < 0 || n == 0)
        return rc;
    return conn->tls ? net_send_refs_tls(conn, bufs, n) : net_send_refs(conn, bufs, n);
}

/* A closing connection's last bytes may take longer than one grace to a slow reader:
 * each grace in which at least this much went out earns another, so the answer is
 * complete; a reader that stalls (or trickles) is cut after one grace. */
#define NET_DRAIN_MIN_PROGRESS 16384

/* Bytes not yet delivered: queued in libuv, plus those in the kernel's send queue that
 * the peer has not acknowledged (a large send buffer hides a slow reader from libuv). */
static size_t
net_unsent(struct net_conn *conn)
{
    size_t left = uv_stream_get_write_queue_size(net__conn_stream(conn));
    uv_os_fd_t fd;
    int outq = 0;

    if (uv_fileno((uv_handle_t *)&conn->tcp, &fd) == 0 && ioctl(fd, TIOCOUTQ, &outq) == 0 &&
        outq > 0)
        left += (size_t)outq;
    return left;
}

static void
net_grace_expired(uv_timer_t *timer)
{
    struct net_conn *conn = timer->data;
    size_t left = net_unsent(conn);

    if (left < conn->drain_left &&
        (left == 0 || conn->drain_left - left >= NET_DRAIN_MIN_PROGRESS)) {
        conn->drain_left = left;
        uv_timer_start(&conn->timer, net_grace_expired, conn->close_grace_ms, 0);
        return;
    }
    log_debug("conn %llu: peer did not close within %llu ms", (unsigned long long)conn->id,
              (unsigned long long)conn->close_grace_ms);
    net_conn_finish(conn);
}

static void
net_shutdown_done(uv_shutdown_t *req, int status)
{
    struct net_conn *conn = req->data;

    (void)status;
    free(req);
    /* Cancelled: the handles are closing already. */
    if (conn->state == NET_CONN_CLOSED)
        return;
    conn->shutdown_done = true;
    if (conn->peer_done || !conn->wait_for_peer)
        net_conn_finish(conn);
    else /* everything is out: now the peer has one grace to answer */
        uv_timer_start(&conn->timer, net_grace_expired, conn->close_grace_ms, 0);
}

/* Closes the handles: memory goes in the last close callback. */
static void
net_conn_finish(struct net_conn *conn)
{
    if (conn->state == NET_CONN_CLOSED)
        return;
    conn->state = NET_CONN_CLOSED;
    uv_close((uv_handle_t *)&conn->tcp, net_handle_closed);
    uv_close((uv_handle_t *)&conn->timer, net_handle_closed);
}

static void
net_notify_owner(struct net_conn *conn, enum net_close_reason reason)
{
    const struct net_conn_ops *ops = conn->ops;

    conn->ops = NULL;
    if (ops && ops->on_close)
        ops->on_close(conn, reason);
}

/*
 * True for an accepted connection whose peer never got as far as a conversation: a TLS
 * handshake not finished (TLS has no close_notify before it), or a plain peer that never
 * sent a byte. Nothing it could send back is worth waiting for, so such a connection
 * closes once its own bytes (a TLS alert at most) are flushed, instead of holding its
 * descriptor for the grace: half-open connections cannot pile up that way.
 */
static bool
net_conn_never_spoke(const struct net_conn *conn)
{
    if (conn->is_client)
        return false;
    if (conn->tls)
        return !tls_session_handshake_done(conn->tls);
    return !conn->first_read_done;
}

void
net_conn_close(struct net_conn *conn, enum net_close_reason reason)
{
    if (conn->state != NET_CONN_OPEN || conn->in_goodbye)
        return;
    conn->reason = reason;
    uv_shutdown_t *shutdown_req;

    log_debug("conn %llu: closing (%s)", (unsigned long long)conn->id,
              net_close_reason_name(reason));
    uv_timer_stop(&conn->timer);
    /* The owner's goodbye (event, close frame) goes out before close_notify, even
     * past the backlog limit: the grace below bounds it. */
    conn->in_goodbye = true;
    net_notify_owner(conn, reason);
    conn->in_goodbye = false;
    conn->state = NET_CONN_CLOSING;
    conn->wait_for_peer = conn->peer_wait && !net_conn_never_spoke(conn);
    if (conn->tls) {
        tls_session_shutdown(conn->tls);
        conn->corked = false; /* everything before the shutdown request, close_notify last */
        net_flush_tls(conn);
    }
    /* The shutdown request completes after every queued write: nothing is discarded. */
    shutdown_req = xmalloc(sizeof(*shutdown_req));
    shutdown_req->data = conn;
    if (uv_shutdown(shutdown_req, net__conn_stream(conn), net_shutdown_done) < 0) {
        free(shutdown_req);
        net_conn_finish(conn);
        return;
    }
    /* Even when the peer is done, queued writes may never drain (a peer that half-closed
     * and stopped reading): the grace bounds that wait too, renewed only by progress. */
    conn->drain_left = net_unsent(conn);
    /* The loop's clock is as old as this iteration: building a large answer may have
     * taken a good part of the grace already. */
    uv_update_time(conn->timer.loop);
    uv_timer_start(&conn->timer, net_grace_expired, conn->close_grace_ms, 0);
}

/* The peer is gone for good (EOF, reset, close_notify). */
static void
net_peer_finished(struct net_conn *conn, bool reset)
{
    conn->peer_done = true;
    if (conn->state == NET_CONN_OPEN) {
        net_conn_close(conn, NET_CLOSE_PEER);
        if (reset)
            net_conn_finish(conn);
        return;
    }
    if (reset || conn->shutdown_done)
        net_conn_finish(conn);
}

static void
net_alloc(uv_handle_t *handle, size_t suggested, uv_buf_t *buf)
{
    (void)handle;
    (void)suggested;
    *buf = uv_buf_init(net_read_buf, sizeof(net_read_buf));
}

static void
net_deliver(struct net_conn *conn, const char *data, size_t len)
{
    if (conn->state == NET_CONN_OPEN && len && conn->ops && conn->ops->on_data)
        conn->ops->on_data(conn, data, len);
}

/* TLS ports answer a plain-text HTTP request in plain text instead of a TLS alert,
 * so that a curl user sees why. */
static bool
net_refuse_plaintext(struct net_conn *conn, const char *data, size_t len)
{
    static const char body[] = "{\"error\":\"This port speaks TLS: use https://\"}";
    char head[256];
    int n;

    if (len == 0 || (unsigned char)data[0] == 0x16)
        return false;
    n = snprintf(head, sizeof(head),
                 "HTTP/1.1 400 Bad Request\r\nAccess-Control-Allow-Origin: *\r\n"
                 "Content-Type: application/json; charset=utf-8\r\nConnection: close\r\n"
                 "Content-Length: %zu\r\n\r\n%s",
                 sizeof(body) - 1, body);
    tls_session_free(conn->tls);
    conn->tls = NULL;
    net_send_raw(conn, head, (size_t)n);
    log_info("conn %llu: plain text on the TLS port from %s", (unsigned long long)conn->id,
             conn->peer);
    net_conn_close(conn, NET_CLOSE_PROTOCOL);
    return true;
}

static void
net_check_ready(struct net_conn *conn)
{
    const struct net_conn_ops *ops = conn->ops;

    if (conn->ready_sent || conn->state != NET_CONN_OPEN || !conn->is_client)
        return;
    if (conn->tls && !tls_session_handshake_done(conn->tls))
        return;
    conn->ready_sent = true;
    if (ops && ops->on_ready)
        ops->on_ready(conn);
}

static void
net_read_tls(struct net_conn *conn, const char *data, size_t len)
{
    size_t plain_len;
    int rc;

    /* What the read makes the session and the owner send (a session ticket, the answers,
     * close_notify) leaves in one write at its end, not one write each. */
    conn->corked = true;
    do {
        rc = tls_session_feed(conn->tls, data, len, net_plain_buf, sizeof(net_plain_buf),
                              &plain_len);
        data = NULL;
        len = 0;
        net_deliver(conn, net_plain_buf, plain_len);
        if (!conn->tls)
            return;
        net_check_ready(conn);
    } while (rc == TLS_OK && plain_len == sizeof(net_plain_buf));
    conn->corked = false;
    net_flush_tls(conn);
    if (rc == TLS_PEER_CLOSED) {
        net_peer_finished(conn, false);
    } else if (rc == TLS_ERROR) {
        log_info("conn %llu: %s", (unsigned long long)conn->id, tls_session_error(conn->tls));
        net_set_error(conn, tls_session_error(conn->tls));
        if (conn->state == NET_CONN_OPEN)
            net_conn_close(conn, NET_CLOSE_PROTOCOL);
        else
            net_conn_finish(conn);
    }
}

static void
net_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf)
{
    struct net_conn *conn = stream->data;

    /* A TLS peer that closes without close_notify may have been cut off: say so. */
    if (nread == UV_EOF && conn->tls && !conn->peer_done)
        net_set_error(conn, NET_ERROR_NO_CLOSE_NOTIFY);
    else if (nread < 0 && nread != UV_EOF)
        net_set_error_uv(conn, (int)nread);

    if (nread == UV_EOF || nread == UV_ECONNRESET || (nread < 0 && nread != UV_ENOBUFS)) {
        net_peer_finished(conn, nread != UV_EOF);
        return;
    }
    if (nread <= 0 || conn->state == NET_CONN_CLOSED)
        return;
    if (!conn->first_read_done) {
        conn->first_read_done = true;
        if (conn->tls && !conn->is_client && net_refuse_plaintext(conn, buf->base, (size_t)nread))
            return;
    }
    if (conn->tls)
        net_read_tls(conn, buf->base, (size_t)nread);
    else
        net_deliver(conn, buf->base, (size_t)nread);
}

void
net__conn_start(struct net_conn *conn)
{
    struct sockaddr_storage ss = { 0 };

    /* "?:0" when the peer is gone already. */
    if (net_conn_peer_addr(conn, &ss) < 0)
        ss.ss_family = AF_UNSPEC;
    net_sockaddr_name(&ss, conn->peer, sizeof(conn->peer));
    uv_tcp_nodelay(&conn->tcp, 1);
    if (uv_read_start(net__conn_stream(conn), net_alloc, net_read) < 0)
        net_conn_close(conn, NET_CLOSE_INTERNAL);
}

int
net_conn_fd(const struct net_conn *conn)
{
    uv_os_fd_t fd;

    return uv_fileno((const uv_handle_t *)&conn->tcp, &fd) == 0 ? fd : -1;
}

void
net_conn_pause(struct net_conn *conn)
{
    uv_read_stop(net__conn_stream(conn));
}

void
net_conn_resume(struct net_conn *conn)
{
    if (conn->state == NET_CONN_OPEN &&
        uv_read_start(net__conn_stream(conn), net_alloc, net_read) < 0)
        net_conn_close(conn, NET_CLOSE_INTERNAL);
}

size_t
net_conn_pending(const struct net_conn *conn)
{
    return uv_stream_get_write_queue_size((const uv_stream_t *)&conn->tcp);
}

size_t
net_conn_live_count(void)
{
    return net_live;
}

const char *
net_conn_error(const struct net_conn *conn)
{
    return conn->error ? conn->error : "";
}

int
net_conn_error_code(const struct net_conn *conn)
{
    return conn->error_code;
}

struct tls_session *
net_conn_tls(const struct net_conn *conn)
{
    return conn->tls;
}

static void
net_connected(uv_connect_t *req, int status)
{
    struct net_conn *conn = req->data;

    free(req);
    conn->connect_req = NULL;
    if (conn->state == NET_CONN_CLOSED)
        return;
    if (status < 0) {
        net_set_error_uv(conn, status);
        conn->peer_done = true;
        net_conn_close(conn, NET_CLOSE_PEER);
        return;
    }
    net__conn_start(conn);
    if (conn->state != NET_CONN_OPEN)
        return;
    if (conn->tls) {
        if (tls_session_start(conn->tls) != TLS_OK) {
            net_set_error(conn, tls_session_error(conn->tls));
            net_conn_close(conn, NET_CLOSE_PROTOCOL);
            return;
        }
        net_flush_tls(conn);
    }
    net_check_ready(conn);
}

struct net_conn *
net_conn_connect(uv_loop_t *loop, const struct sockaddr *addr, struct tls_context *tls,
                 const char *host, const struct net_conn_ops *ops, void *data)
{
    struct net_conn *conn = net__conn_new(loop, NULL);

    conn->is_client = true;
    if (tls)
        conn->tls = tls_session_new_client(tls, host);
    net_conn_set_owner(conn, ops, data);
    conn->connect_req = xmalloc(sizeof(*conn->connect_req));
    conn->connect_req->data = conn;
    int rc = uv_tcp_connect(conn->connect_req, &conn->tcp, addr, net_connected);
    if (rc < 0) {
        free(conn->connect_req);
        conn->connect_req = NULL;
        net_set_error_uv(conn, rc);
        conn->peer_done = true;
        net_conn_close(conn, NET_CLOSE_PEER);
    }
    return conn;
}
