/* SPDX-License-Identifier: MIT */
/*
 * The floor of an HTTPS request: the least a server using OpenSSL as perchd does can spend
 * per request on a keep-alive connection and per new connection. One thread, one epoll loop,
 * a loopback listener; each connection a server session on memory BIOs with the context of
 * floor_tls_ctx.c (perchd's), read with one read() per readiness and written with one write()
 * per batch of answers, as perchd's. A request is whatever ends in an empty line; it gets a
 * fixed 200 answer of perchd's /api/version size, and `Connection: close` in it makes the
 * server say goodbye after the answer (close_notify) and wait for the client's, as perchd.
 * Nothing is parsed, authenticated, routed or logged: what is left is the kernel's TCP and
 * OpenSSL's TLS, the floor under rows 5 and 6 of make bench's table.
 *
 * Driven by bench/perf_scenarios.py, which reads its CPU from /proc as perchd's:
 *   stdout "ready port=P"
 *   stdin closed     the server exits (as on any input)
 *
 *   floor_tls_server
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "floor_tls_ctx.h"

#define PROG "floor_tls_server"

/* What perchd answers to GET /api/version: a body of that kind and size, its headers. */
static const char body[] = "{\"weechat_version\":\"4.9.4\",\"weechat_version_git\":\"\","
                           "\"weechat_version_number\":67699712,\"relay_api_version\":"
                           "\"0.6.0\",\"relay_api_version_number\":393216}";
static char answer[512];
static size_t answer_len;

struct conn {
    int fd;
    SSL *ssl;
    unsigned matched; /* how much of "\r\n\r\n" the request's last bytes are */
    bool closing;     /* `Connection: close` seen in the request being read */
    bool goodbye;     /* our close_notify is out */
    bool wants_out;   /* registered for EPOLLOUT: out holds bytes */
    char *out;        /* bytes a full socket did not take */
    size_t out_len, out_cap;
    struct conn *prev, *next; /* in open_conns */
};

/* Every open connection, freed at the end too. */
static struct conn *open_conns;

_Noreturn static void
fail(const char *what)
{
    floor_fail(PROG, what);
}

static int
listen_loopback(int *port)
{
    struct sockaddr_in sa = { .sin_family = AF_INET };
    socklen_t len = sizeof sa;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(fd, 511) < 0 ||
        getsockname(fd, (struct sockaddr *)&sa, &len) < 0)
        fail("cannot listen on loopback");
    *port = ntohs(sa.sin_port);
    return fd;
}

static void
conn_close(struct conn *c)
{
    if (c->prev != NULL)
        c->prev->next = c->next;
    else
        open_conns = c->next;
    if (c->next != NULL)
        c->next->prev = c->prev;
    close(c->fd);
    SSL_free(c->ssl);
    free(c->out);
    free(c);
}

/* Writes what OpenSSL produced (after what a full socket left) in one write(). false when
 * the connection failed. */
static bool
conn_flush(struct conn *c, int epfd)
{
    BIO *wbio = SSL_get_wbio(c->ssl);
    size_t pending = BIO_ctrl_pending(wbio);

    /* out keeps its size: no allocation per answer. */
    if (c->out_len + pending > c->out_cap) {
        c->out_cap = c->out_len + pending;
        c->out = realloc(c->out, c->out_cap);
        if (c->out == NULL)
            fail("out of memory");
    }
    if (pending > 0)
        c->out_len += (size_t)BIO_read(wbio, c->out + c->out_len, (int)pending);
    if (c->out_len == 0)
        return true;
    ssize_t n = write(c->fd, c->out, c->out_len);
    if (n < 0 && errno != EAGAIN)
        return false;
    if (n > 0) {
        c->out_len -= (size_t)n;
        memmove(c->out, c->out + n, c->out_len);
    }
    /* The registration changes only when a full socket starts or stops holding bytes back. */
    if ((c->out_len > 0) != c->wants_out) {
        c->wants_out = c->out_len > 0;
        struct epoll_event ev = { .events = EPOLLIN | (c->wants_out ? EPOLLOUT : 0u),
                                  .data.ptr = c };
        epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
    }
    return true;
}

/* Looks at requests' bytes as they come: how many of them ended (in an empty line). */
static int
requests_ended(struct conn *c, const char *buf, size_t n)
{
    static const char close_header[] = "Connection: close\r\n";
    static const char empty_line[] = "\r\n\r\n";
    int ended = 0;

    if (memmem(buf, n, close_header, sizeof close_header - 1) != NULL)
        c->closing = true;
    for (size_t i = 0; i < n; i++) {
        if (buf[i] != empty_line[c->matched])
            c->matched = buf[i] == '\r'; /* a mismatch can only start a new "\r" */
        else if (++c->matched == 4) {
            c->matched = 0;
            ended++;
        }
    }
    return ended;
}

/* Reads what the socket has, feeds it to OpenSSL and answers every complete request.
 * false when the connection is over. */
static bool
conn_read(struct conn *c, int epfd)
{
    char buf[16384];
    ssize_t n = read(c->fd, buf, sizeof buf);

    if (n == 0 || (n < 0 && errno != EAGAIN))
        return false;
    if (n > 0 && BIO_write(SSL_get_rbio(c->ssl), buf, (int)n) != n)
        fail("BIO_write");
    for (;;) {
        size_t got;
        if (!SSL_read_ex(c->ssl, buf, sizeof buf, &got)) {
            int err = SSL_get_error(c->ssl, 0);
            if (err == SSL_ERROR_WANT_READ)
                break;
            if (err != SSL_ERROR_ZERO_RETURN)
                return false;
            /* The client's goodbye: ours (unless it is out), then the end. */
            if (!c->goodbye)
                SSL_shutdown(c->ssl);
            conn_flush(c, epfd);
            return false;
        }
        for (int left = requests_ended(c, buf, got); left > 0 && !c->goodbye; left--) {
            size_t put;
            if (!SSL_write_ex(c->ssl, answer, answer_len, &put))
                return false;
            /* `Connection: close` was in the last of them. */
            if (left == 1 && c->closing) {
                SSL_shutdown(c->ssl);
                c->goodbye = true;
            }
        }
    }
    return conn_flush(c, epfd);
}

static void
accept_all(int lfd, int epfd, SSL_CTX *ctx)
{
    int one = 1;
    int fd;

    while ((fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK)) >= 0) {
        struct conn *c = calloc(1, sizeof *c);
        BIO *rbio = BIO_new(BIO_s_mem());
        BIO *wbio = BIO_new(BIO_s_mem());
        if (c == NULL || rbio == NULL || wbio == NULL || (c->ssl = SSL_new(ctx)) == NULL)
            fail("cannot make a connection");
        BIO_set_mem_eof_return(rbio, -1);
        SSL_set_bio(c->ssl, rbio, wbio);
        SSL_set_accept_state(c->ssl);
        c->fd = fd;
        c->next = open_conns;
        if (open_conns != NULL)
            open_conns->prev = c;
        open_conns = c;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };
        if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
            fail("epoll_ctl");
    }
}

int
main(int argc, char **argv)
{
    (void)argv;
    if (argc != 1) {
        fprintf(stderr, "usage: floor_tls_server (prints its port; ends with its input)\n");
        return 2;
    }
    answer_len = (size_t)snprintf(answer, sizeof answer,
                                  "HTTP/1.1 200 OK\r\n"
                                  "Content-Type: application/json; charset=utf-8\r\n"
                                  "Content-Length: %zu\r\n\r\n%s",
                                  sizeof body - 1, body);
    SSL_CTX *ctx = floor_server_ctx(PROG);
    int port;
    int lfd = listen_loopback(&port);
    int epfd = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL };
    struct epoll_event in = { .events = EPOLLIN, .data.ptr = &in };

    if (epfd < 0 || epoll_ctl(epfd, EPOLL_CTL_ADD, lfd, &ev) < 0 ||
        epoll_ctl(epfd, EPOLL_CTL_ADD, STDIN_FILENO, &in) < 0)
        fail("epoll");
    printf("ready port=%d\n", port);
    fflush(stdout);
    for (;;) {
        struct epoll_event evs[64];
        int n = epoll_wait(epfd, evs, 64, -1);
        if (n < 0 && errno != EINTR)
            fail("epoll_wait");
        for (int i = 0; i < n; i++) {
            struct conn *c = evs[i].data.ptr;
            if (c == NULL)
                accept_all(lfd, epfd, ctx);
            else if ((void *)c == &in)
                goto end; /* stdin: its end */
            else if ((evs[i].events & EPOLLIN) ? !conn_read(c, epfd) : !conn_flush(c, epfd))
                conn_close(c);
        }
    }
end:
    while (open_conns != NULL)
        conn_close(open_conns);
    close(lfd);
    close(epfd);
    SSL_CTX_free(ctx);
    return 0;
}
