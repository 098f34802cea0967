/* SPDX-License-Identifier: MIT */
/*
 * HTTPS keep-alive load: C connections to a running perchd, each sending GET PATH again as
 * soon as the answer came, until TOTAL answers; reports the server's CPU per request (from
 * /proc/PID/stat) and the requests per second. A C client, so that the client is not what
 * limits the rate on a small machine.
 *
 *   ninja -C build bench/https_load
 *   build/bench/https_load PORT PID PASSWORD PATH [CONNS] [TOTAL]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct conn {
    int fd;
    SSL *ssl;
    char *in;
    size_t len, cap;
    size_t body_size;
};

static char request[1024];
static size_t request_len;

static double
now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
proc_cpu(int pid)
{
    char path[64], text[1024], *p;
    unsigned long ut = 0, st = 0;
    FILE *f;

    snprintf(path, sizeof(path), "/proc/%d/stat", pid);
    f = fopen(path, "r");
    if (!f || !fgets(text, sizeof(text), f))
        exit(1);
    fclose(f);
    p = strrchr(text, ')');
    if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
        exit(1);
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static void
conn_open(struct conn *c, SSL_CTX *ctx, int port)
{
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    int one = 1;

    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    c->fd = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(c->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        perror("connect");
        exit(1);
    }
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    c->ssl = SSL_new(ctx);
    SSL_set_fd(c->ssl, c->fd);
    if (SSL_connect(c->ssl) != 1) {
        ERR_print_errors_fp(stderr);
        exit(1);
    }
    fcntl(c->fd, F_SETFL, O_NONBLOCK);
    c->cap = 1 << 20;
    c->in = malloc(c->cap);
}

static void
conn_send(struct conn *c)
{
    if (SSL_write(c->ssl, request, (int)request_len) != (int)request_len) {
        fprintf(stderr, "SSL_write failed\n");
        exit(1);
    }
}

/* Reads what is there; returns the answers completed (each is answered by a new request). */
static int
conn_read(struct conn *c)
{
    int done = 0;

    for (;;) {
        int n = SSL_read(c->ssl, c->in + c->len, (int)(c->cap - c->len));
        if (n <= 0) {
            int e = SSL_get_error(c->ssl, n);
            if (e == SSL_ERROR_WANT_READ)
                break;
            fprintf(stderr, "connection lost (%d)\n", e);
            exit(1);
        }
        c->len += (size_t)n;
        for (;;) {
            char *end = memmem(c->in, c->len, "\r\n\r\n", 4);
            if (!end)
                break;
            char *cl = strcasestr(c->in, "Content-Length: ");
            size_t head = (size_t)(end + 4 - c->in), body = cl ? strtoul(cl + 16, NULL, 10) : 0;
            if (strncmp(c->in, "HTTP/1.1 200", 12) != 0) {
                fprintf(stderr, "answer: %.*s\n", (int)head, c->in);
                exit(1);
            }
            if (c->len < head + body)
                break;
            c->body_size = body;
            memmove(c->in, c->in + head + body, c->len - head - body);
            c->len -= head + body;
            c->in[c->len] = '\0';
            done++;
        }
    }
    return done;
}

static void
base64(const char *in, char *out)
{
    static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t n = strlen(in), o = 0;

    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned char)in[i] << 16;
        if (i + 1 < n)
            v |= (unsigned char)in[i + 1] << 8;
        if (i + 2 < n)
            v |= (unsigned char)in[i + 2];
        out[o++] = t[(v >> 18) & 63];
        out[o++] = t[(v >> 12) & 63];
        out[o++] = i + 1 < n ? t[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < n ? t[v & 63] : '=';
    }
    out[o] = '\0';
}

int
main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: %s PORT PID PASSWORD PATH [CONNS] [TOTAL]\n", argv[0]);
        return 2;
    }
    int port = atoi(argv[1]), pid = atoi(argv[2]); /* NOLINT: a bench's arguments */
    int n = argc > 5 ? atoi(argv[5]) : 16;
    long total = argc > 6 ? atol(argv[6]) : 50000, answered = 0, sent = 0;
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    struct conn *cs = calloc((size_t)n, sizeof(*cs));
    char cred[200], auth[300];
    int ep = epoll_create1(0);

    snprintf(cred, sizeof(cred), "plain:%s", argv[3]);
    base64(cred, auth);
    request_len = (size_t)snprintf(request, sizeof(request),
                                   "GET %s HTTP/1.1\r\nHost: x\r\nAuthorization: Basic %s\r\n\r\n",
                                   argv[4], auth);
    for (int i = 0; i < n; i++) {
        conn_open(&cs[i], ctx, port);
        struct epoll_event ev = { .events = EPOLLIN, .data.u32 = (uint32_t)i };
        epoll_ctl(ep, EPOLL_CTL_ADD, cs[i].fd, &ev);
    }
    /* One answer per connection first: logins and caches warm. */
    for (int i = 0; i < n; i++) {
        conn_send(&cs[i]);
        while (conn_read(&cs[i]) == 0)
            ;
    }
    double cpu0 = proc_cpu(pid), t0 = now_s();
    for (int i = 0; i < n && sent < total; i++, sent++)
        conn_send(&cs[i]);
    while (answered < total) {
        struct epoll_event evs[64];
        int k = epoll_wait(ep, evs, 64, 10000);
        if (k <= 0) {
            fprintf(stderr, "no answer for 10 s\n");
            return 1;
        }
        for (int j = 0; j < k; j++) {
            struct conn *c = &cs[evs[j].data.u32];
            int done = conn_read(c);
            answered += done;
            for (int d = 0; d < done && sent < total; d++, sent++)
                conn_send(c);
        }
    }
    double secs = now_s() - t0, cpu = proc_cpu(pid) - cpu0;
    printf("%s: %d conns, %ld requests, %zu-byte bodies: %.0f req/s, server CPU %.2f us per "
           "request\n",
           argv[4], n, answered, cs[0].body_size, (double)answered / secs,
           cpu * 1e6 / (double)answered);
    return 0;
}
