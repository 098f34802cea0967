/* SPDX-License-Identifier: MIT */
/*
 * A connection: TCP socket, optional TLS session, bounded write queue, and the one
 * closing path every end goes through (goodbye flushed, close_notify, write side
 * shut, bounded wait for the peer, then close).
 */
#ifndef PERCH_NET_CONN_H
#define PERCH_NET_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <uv.h>

struct rbuf;
struct tls_context;
struct tls_session;

struct net_conn;

enum net_close_reason {
    NET_CLOSE_DONE, /* the exchange is over (HTTP "Connection: close") */
    NET_CLOSE_QUIT,
    NET_CLOSE_UPGRADE,
    NET_CLOSE_PEER, /* the peer closed or reset */
    NET_CLOSE_TIMEOUT,
    NET_CLOSE_AUTH_FAILED,
    NET_CLOSE_THROTTLED, /* too many failed logins from the address */
    NET_CLOSE_TOO_MANY,
    NET_CLOSE_FORBIDDEN, /* address not allowed */
    NET_CLOSE_PROTOCOL,
    NET_CLOSE_TOO_BIG,
    NET_CLOSE_SLOW,
    NET_CLOSE_INTERNAL,
};

struct net_conn_ops {
    /* Plaintext from the peer. The connection may be closed from inside. */
    void (*on_data)(struct net_conn *conn, const char *data, size_t len);
    /* Client connections: connected (and TLS handshake done), writes may start. */
    void (*on_ready)(struct net_conn *conn);
    /* The timer set with net_conn_set_timer() fired. */
    void (*on_timer)(struct net_conn *conn);
    /* Called once when the connection starts closing, for any reason. The owner may
     * still write its goodbye here (past the backlog limit); afterwards it must forget
     * conn (its memory goes later, in libuv's close callback). */
    void (*on_close)(struct net_conn *conn, enum net_close_reason reason);
};

const char *net_close_reason_name(enum net_close_reason reason);

void net_conn_set_owner(struct net_conn *conn, const struct net_conn_ops *ops, void *data);
void *net_conn_owner(const struct net_conn *conn);
uint64_t net_conn_id(const struct net_conn *conn);
bool net_conn_is_tls(const struct net_conn *conn);
/* The peer's address as text ("127.0.0.1:53211"). */
const char *net_conn_peer_name(const struct net_conn *conn);
int net_conn_peer_addr(const struct net_conn *conn, struct sockaddr_storage *addr);
/* Maximum backlog of bytes waiting for the kernel; past it net_conn_write() fails. */
void net_conn_set_write_max(struct net_conn *conn, size_t max);
/* TLS: keep the record buffers between reads and writes (a busy request-answer connection),
 * or give them back whenever empty (the default, for idle ones). Nothing for plain TCP. */
void net_conn_keep_buffers(struct net_conn *conn, bool keep);
/* How long the closing path waits for the peer's close_notify or EOF. */
void net_conn_set_close_grace(struct net_conn *conn, uint64_t ms);
/* Whether the closing path waits (up to the grace) for the peer's close_notify or EOF once
 * the goodbye is flushed; true by default. Connections dropped under a flood skip it, so
 * that a flood cannot keep their descriptors for the grace. */
void net_conn_set_peer_wait(struct net_conn *conn, bool wait);
/* Arms (ms > 0) or cancels (ms = 0) the owner's timer. */
void net_conn_set_timer(struct net_conn *conn, uint64_t ms);

/*
 * Queues bytes for the peer (copied). Returns 0; -ENOBUFS when the bytes the
 * kernel has not taken yet already pass the maximum (the connection is then closed
 * as NET_CLOSE_SLOW);
 * -EPIPE when the connection is closing or dead; -ENOTCONN before the TLS
 * handshake finished (nothing is sent, the connection stays open).
 */
int net_conn_write(struct net_conn *conn, const void *data, size_t len);
/*
 * Queues the bytes of n shared buffers, in order, as if written one after another, with the
 * same results as net_conn_write(). Without TLS they go in one writev, and what the kernel
 * leaves is kept by reference (the caller keeps its own references); with TLS they are
 * gathered into as few records as their size allows.
 */
int net_conn_write_refs(struct net_conn *conn, struct rbuf *const *bufs, size_t n);
/* Starts the closing path; safe to call from any callback and more than once. */
void net_conn_close(struct net_conn *conn, enum net_close_reason reason);
bool net_conn_is_closing(const struct net_conn *conn);

/* ---- client side ---- */

/*
 * Connects to addr, over TLS when tls is given (host: SNI and name check). ops->on_ready
 * runs once the connection can be written; a failure ends in ops->on_close with the
 * reason in net_conn_error(). Returns the connection (NULL only if out of sockets).
 */
struct net_conn *net_conn_connect(uv_loop_t *loop, const struct sockaddr *addr,
                                  struct tls_context *tls, const char *host,
                                  const struct net_conn_ops *ops, void *data);
/* net_conn_error() of a TLS peer that closed the TCP connection without close_notify. */
#define NET_ERROR_NO_CLOSE_NOTIFY "connection closed without TLS close_notify"
/* Why the connection failed or ended badly ("" when it did not). */
const char *net_conn_error(const struct net_conn *conn);
/* The libuv error (< 0, -errno) behind that reason when a socket call failed, else 0. */
int net_conn_error_code(const struct net_conn *conn);
/* The TLS session (NULL for plain connections). */
struct tls_session *net_conn_tls(const struct net_conn *conn);

/* ---- upgrade hand-over (plain connections only) ---- */

/* The socket's file descriptor, or -1. */
int net_conn_fd(const struct net_conn *conn);
/* Stops or restarts reading (input waits in the kernel meanwhile). */
void net_conn_pause(struct net_conn *conn);
void net_conn_resume(struct net_conn *conn);
/* Bytes queued that the kernel has not taken yet. */
size_t net_conn_pending(const struct net_conn *conn);
/* Connections alive in this process, closing ones included. */
size_t net_conn_live_count(void);

#endif
