/* SPDX-License-Identifier: MIT */
/*
 * A load generator's client connection: a non-blocking loopback TCP socket, optionally with
 * an OpenSSL client session on it, driven by the caller's epoll loop. Shared by load_ws and
 * load_http; it parses nothing.
 */
#ifndef BENCH_LOAD_CONN_H
#define BENCH_LOAD_CONN_H

#include <openssl/ssl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct load_conn {
    int fd;
    SSL *ssl;
    bool tcp_up;     /* the TCP connect finished */
    bool connected;  /* ... and the TLS handshake (if any) too */
    bool shut;       /* our side's goodbye went out */
    bool want_write; /* the last operation waits for the socket to be writable */
    uint32_t events; /* epoll events registered for fd */
    char *out;       /* bytes accepted but not written yet */
    size_t out_len, out_cap;
    char *ahead; /* bytes read before a library took over the stream */
    size_t ahead_len, ahead_off;
};

/* A client context: TLS 1.3 only, X25519 only, no certificate verification (the server's
 * certificate is self-signed), no session reuse: every connection is a full handshake.
 * Returns NULL and prints the OpenSSL error on failure. */
SSL_CTX *load_conn_tls_ctx(void);

/* Starts a TCP connection to 127.0.0.1:port (with TLS when ctx is not NULL) and adds it to
 * the epoll set epfd with data.ptr = user. Returns 0 or -errno. */
int load_conn_open(struct load_conn *c, int epfd, int port, SSL_CTX *ctx, void *user);

/* Drives the TCP connect and the TLS handshake: 1 when the connection is usable, 0 while in
 * progress, -1 on failure (printed to stderr). */
int load_conn_progress(struct load_conn *c);

/* Reads up to len bytes (bytes kept by load_conn_unread() first): > 0 bytes read, 0 at the
 * end of the stream, -EAGAIN when nothing is there, another negative value on error. */
ssize_t load_conn_read(struct load_conn *c, void *buf, size_t len);

/* Hands bytes back to be read again by load_conn_read() (a parser's leftover). */
void load_conn_unread(struct load_conn *c, const void *buf, size_t len);

/* Queues len bytes and writes as much as the socket takes: 0, or negative on error. */
int load_conn_send(struct load_conn *c, const void *buf, size_t len);

/* Writes queued bytes: 0 when all are out, -EAGAIN when some are left, negative on error. */
int load_conn_flush(struct load_conn *c);

/* Updates the epoll registration to what the connection waits for (EPOLLIN, plus EPOLLOUT
 * while bytes or a TLS step wait for a writable socket). */
void load_conn_rearm(struct load_conn *c, int epfd, void *user);

/* Ends the sending side: close_notify (TLS) or a TCP FIN; read until the end of the stream
 * (load_conn_read() returning 0) to see the peer's goodbye. */
void load_conn_shutdown(struct load_conn *c);

/* Sends close_notify (TLS) unless load_conn_shutdown() did, closes the socket and frees
 * everything. */
void load_conn_close(struct load_conn *c);

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t load_now_ns(void);

#endif
