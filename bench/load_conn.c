/* SPDX-License-Identifier: MIT */
/* A non-blocking loopback client connection, plain or TLS, for the load generators. */
#include "load_conn.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

uint64_t
load_now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

SSL_CTX *
load_conn_tls_ctx(void)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());

    if (ctx == NULL || !SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION) ||
        !SSL_CTX_set1_groups_list(ctx, "X25519")) {
        ERR_print_errors_fp(stderr);
        SSL_CTX_free(ctx);
        return NULL;
    }
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    /* The queue below may grow (and move) between a short write and its retry. */
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    return ctx;
}

int
load_conn_open(struct load_conn *c, int epfd, int port, SSL_CTX *ctx, void *user)
{
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    int one = 1;

    memset(c, 0, sizeof *c);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c->fd < 0)
        return -errno;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(c->fd, (struct sockaddr *)&sa, sizeof sa) < 0 && errno != EINPROGRESS) {
        int err = -errno;
        close(c->fd);
        c->fd = -1;
        return err;
    }
    if (ctx != NULL) {
        c->ssl = SSL_new(ctx);
        SSL_set_fd(c->ssl, c->fd);
        SSL_set_connect_state(c->ssl);
    }
    c->want_write = true; /* the connect completes when the socket is writable */
    c->events = EPOLLIN | EPOLLOUT;
    struct epoll_event ev = { .events = c->events, .data.ptr = user };
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, c->fd, &ev) < 0) {
        int err = -errno;
        load_conn_close(c);
        return err;
    }
    return 0;
}

/* 1 when the TCP connect finished, 0 while it runs, -1 when it failed. */
static int
tcp_connected(struct load_conn *c)
{
    int err = 0;
    socklen_t len = sizeof err;

    if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0 || err != 0) {
        fprintf(stderr, "connect: %s\n", strerror(err != 0 ? err : errno));
        return -1;
    }
    struct sockaddr_in peer;
    socklen_t plen = sizeof peer;
    if (getpeername(c->fd, (struct sockaddr *)&peer, &plen) < 0)
        return errno == ENOTCONN ? 0 : -1;
    return 1;
}

/* Maps an OpenSSL result to -EAGAIN (setting want_write), 0 (clean end) or -EIO. */
static int
tls_status(struct load_conn *c, int ret)
{
    int err = SSL_get_error(c->ssl, ret);

    if (err == SSL_ERROR_WANT_READ)
        return -EAGAIN;
    if (err == SSL_ERROR_WANT_WRITE) {
        c->want_write = true;
        return -EAGAIN;
    }
    if (err == SSL_ERROR_ZERO_RETURN || (err == SSL_ERROR_SYSCALL && ERR_peek_error() == 0))
        return 0;
    ERR_print_errors_fp(stderr);
    return -EIO;
}

int
load_conn_progress(struct load_conn *c)
{
    if (c->connected)
        return 1;
    if (!c->tcp_up) {
        int r = tcp_connected(c);
        if (r <= 0)
            return r;
        c->tcp_up = true;
    }
    c->want_write = false;
    if (c->ssl != NULL) {
        ERR_clear_error();
        int ret = SSL_do_handshake(c->ssl);
        if (ret != 1) {
            int st = tls_status(c, ret);
            if (st == -EAGAIN)
                return 0;
            fprintf(stderr, "TLS handshake failed\n");
            return -1;
        }
    }
    c->connected = true;
    return 1;
}

ssize_t
load_conn_read(struct load_conn *c, void *buf, size_t len)
{
    if (c->ahead_off < c->ahead_len) {
        size_t n = c->ahead_len - c->ahead_off;
        if (n > len)
            n = len;
        memcpy(buf, c->ahead + c->ahead_off, n);
        c->ahead_off += n;
        return (ssize_t)n;
    }
    if (c->ssl == NULL) {
        ssize_t n = read(c->fd, buf, len);
        if (n < 0)
            return errno == EAGAIN || errno == EINTR ? -EAGAIN : -errno;
        return n;
    }
    ERR_clear_error();
    int n = SSL_read(c->ssl, buf, len > INT32_MAX ? INT32_MAX : (int)len);
    return n > 0 ? n : tls_status(c, n);
}

void
load_conn_unread(struct load_conn *c, const void *buf, size_t len)
{
    char *rest = malloc(c->ahead_len - c->ahead_off + len + 1);

    memcpy(rest, buf, len);
    memcpy(rest + len, c->ahead + c->ahead_off, c->ahead_len - c->ahead_off);
    c->ahead_len = c->ahead_len - c->ahead_off + len;
    c->ahead_off = 0;
    free(c->ahead);
    c->ahead = rest;
}

int
load_conn_flush(struct load_conn *c)
{
    while (c->out_len > 0) {
        ssize_t n;
        if (c->ssl == NULL) {
            n = write(c->fd, c->out, c->out_len);
            if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
                c->want_write = true;
                return -EAGAIN;
            }
            if (n < 0)
                return -errno;
        } else {
            ERR_clear_error();
            int r = SSL_write(c->ssl, c->out, c->out_len > INT32_MAX ? INT32_MAX : (int)c->out_len);
            if (r <= 0) {
                int st = tls_status(c, r);
                return st == -EAGAIN ? -EAGAIN : -EIO;
            }
            n = r;
        }
        memmove(c->out, c->out + n, c->out_len - (size_t)n);
        c->out_len -= (size_t)n;
    }
    return 0;
}

int
load_conn_send(struct load_conn *c, const void *buf, size_t len)
{
    if (c->out_len + len > c->out_cap) {
        c->out_cap = (c->out_len + len) * 2;
        c->out = realloc(c->out, c->out_cap);
        if (c->out == NULL)
            abort();
    }
    memcpy(c->out + c->out_len, buf, len);
    c->out_len += len;
    int r = load_conn_flush(c);
    return r == -EAGAIN ? 0 : r;
}

void
load_conn_rearm(struct load_conn *c, int epfd, void *user)
{
    uint32_t want = EPOLLIN | (c->want_write || c->out_len > 0 ? EPOLLOUT : 0);

    if (want == c->events)
        return;
    c->events = want;
    struct epoll_event ev = { .events = want, .data.ptr = user };
    epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
}

void
load_conn_shutdown(struct load_conn *c)
{
    if (c->shut)
        return;
    c->shut = true;
    if (c->ssl != NULL) {
        ERR_clear_error();
        SSL_shutdown(c->ssl);
    } else {
        shutdown(c->fd, SHUT_WR);
    }
}

void
load_conn_close(struct load_conn *c)
{
    if (c->ssl != NULL) {
        if (c->connected && !c->shut) {
            ERR_clear_error();
            SSL_shutdown(c->ssl);
        }
        SSL_free(c->ssl);
        c->ssl = NULL;
    }
    if (c->fd >= 0)
        close(c->fd); /* also leaves the epoll set */
    c->fd = -1;
    free(c->out);
    free(c->ahead);
    c->out = c->ahead = NULL;
    c->out_len = c->out_cap = c->ahead_len = c->ahead_off = 0;
    c->connected = c->tcp_up = c->shut = false;
}
