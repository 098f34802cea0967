/* SPDX-License-Identifier: MIT */
/*
 * HTTP load generator: C connections to perchd (plain or TLS) each sending one GET and
 * waiting for its answer before the next (no pipelining), either on keep-alive connections
 * opened beforehand or on a new connection per request (`Connection: close`, full TLS
 * handshake, close_notify after the answer). Answers are parsed by http-parser and counted;
 * any status but 200 is an error. With --resume (new connections over TLS), each connection
 * offers the TLS 1.3 ticket its slot's previous connection received, and the connections
 * the server really resumed are counted; each slot first makes one connection before
 * "ready", so that every measured one has a ticket to offer.
 *
 * Driven by bench/perf_table.py, one line at a time:
 *   stdout "ready"     keep-alive connections are open (new-connection mode: at once)
 *   stdin  "go"        start; stops after --count requests or --seconds of time
 *   stdout "done requests=M seconds=S body_bytes=B errors=E resumed=R"
 *
 *   load_http --port P [--tls] --password PW --path PATH [--conns C]
 *             (--count M | --seconds S) [--newconn [--resume]] [--timeout S]
 */
#include <errno.h>
#include <getopt.h>
#include <http_parser.h>
#include <openssl/evp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "load_conn.h"

struct slot {
    struct load_conn conn;
    http_parser hp;
    bool open;
    bool busy;           /* a request is out, its answer not complete */
    bool closing;        /* new-connection mode: goodbye sent, waiting for the server's */
    SSL_SESSION *ticket; /* --resume: the last ticket received, offered by the next connection */
};

static struct {
    int port;
    bool tls, newconn, resume;
    const char *path;
    int n_conns;
    long count;
    double seconds, timeout_s;
    char request[2048];
    size_t request_len;
    SSL_CTX *ssl_ctx;
    int epfd;
    struct slot *slots;
    bool going;
    uint64_t go_ns, stop_ns;
    long issued, done, errors, resumed;
    unsigned long long body_bytes;
} g;

static void
die(const char *what)
{
    printf("error: %s\n", what);
    fflush(stdout);
    exit(1);
}

static int
body_cb(http_parser *hp, const char *at, size_t len)
{
    (void)hp;
    (void)at;
    g.body_bytes += len;
    return 0;
}

static int
complete_cb(http_parser *hp)
{
    struct slot *s = hp->data;

    if (hp->status_code != 200)
        g.errors++;
    s->busy = false;
    g.done++;
    return 0;
}

static const http_parser_settings settings = { .on_body = body_cb,
                                               .on_message_complete = complete_cb };

static void
make_request(const char *password)
{
    char cred[256];
    unsigned char b64[400];
    int n = snprintf(cred, sizeof cred, "plain:%s", password);

    if (n < 0 || (size_t)n >= sizeof cred)
        die("password too long");
    EVP_EncodeBlock(b64, (const unsigned char *)cred, n);
    n = snprintf(g.request, sizeof g.request,
                 "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic %s\r\n%s\r\n", g.path,
                 (const char *)b64, g.newconn ? "Connection: close\r\n" : "");
    if (n < 0 || (size_t)n >= sizeof g.request)
        die("path too long");
    g.request_len = (size_t)n;
}

static bool
may_issue(void)
{
    if (!g.going)
        return false;
    if (g.count > 0)
        return g.issued < g.count;
    return load_now_ns() < g.stop_ns;
}

/* --resume: OpenSSL hands over each ticket the server sends; the slot keeps the newest (a
 * TLS 1.3 ticket is meant for one use). Returns 1: the session is ours now. */
static int
ticket_cb(SSL *ssl, SSL_SESSION *sess)
{
    struct slot *s = SSL_get_app_data(ssl);

    SSL_SESSION_free(s->ticket);
    s->ticket = sess;
    return 1;
}

/* A client context that keeps no cache of its own but passes each ticket to ticket_cb. */
static void
enable_resumption(SSL_CTX *ctx)
{
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
    SSL_CTX_sess_set_new_cb(ctx, ticket_cb);
}

static void
slot_open(struct slot *s)
{
    int r = load_conn_open(&s->conn, g.epfd, g.port, g.tls ? g.ssl_ctx : NULL, s);

    if (r < 0) {
        fprintf(stderr, "connect: %s\n", strerror(-r));
        die("cannot connect");
    }
    if (g.resume) {
        SSL_set_app_data(s->conn.ssl, s);
        if (s->ticket != NULL && SSL_set_session(s->conn.ssl, s->ticket) != 1)
            die("cannot offer a ticket");
    }
    http_parser_init(&s->hp, HTTP_RESPONSE);
    s->hp.data = s;
    s->open = true;
    /* A new connection is opened for one request: counting it now keeps connections being
     * set up from starting requests past --count. */
    if (g.newconn)
        g.issued++;
}

static void
slot_issue(struct slot *s)
{
    s->busy = true;
    if (!g.newconn)
        g.issued++;
    if (load_conn_send(&s->conn, g.request, g.request_len) < 0)
        die("cannot send a request");
}

/* After an answer: the next request on this connection, or a new connection for it. */
static void
slot_next(struct slot *s)
{
    if (g.newconn) {
        /* As a TLS client should: close_notify, then the server's (or its EOF). */
        load_conn_shutdown(&s->conn);
        s->closing = true;
        return;
    }
    if (may_issue())
        slot_issue(s);
}

static void
slot_reopen(struct slot *s)
{
    load_conn_close(&s->conn);
    s->open = s->closing = false;
    if (may_issue())
        slot_open(s);
}

static void
slot_read(struct slot *s)
{
    char buf[65536];

    for (;;) {
        ssize_t n = load_conn_read(&s->conn, buf, sizeof buf);
        if (n == -EAGAIN)
            return;
        if (s->closing) {
            if (n <= 0) {
                slot_reopen(s);
                return;
            }
            continue;
        }
        if (n <= 0)
            die(s->busy ? "connection closed before the answer" : "connection closed");
        http_parser_execute(&s->hp, &settings, buf, (size_t)n);
        if (s->hp.http_errno != HPE_OK)
            die("malformed answer");
        if (!s->busy)
            slot_next(s);
        if (!s->busy && !s->closing)
            return;
    }
}

static void
slot_io(struct slot *s)
{
    if (!s->conn.connected) {
        int r = load_conn_progress(&s->conn);
        if (r < 0)
            die("connection or TLS handshake failed");
        if (r == 0)
            goto rearm;
        if (s->conn.ssl != NULL && SSL_session_reused(s->conn.ssl))
            g.resumed++;
        if (g.newconn)
            slot_issue(s);
    }
    int f = load_conn_flush(&s->conn);
    if (f < 0 && f != -EAGAIN)
        die("write failed");
    slot_read(s);
    if (!s->open)
        return;
rearm:
    load_conn_rearm(&s->conn, g.epfd, s);
}

static void
go(void)
{
    g.going = true;
    g.go_ns = load_now_ns();
    g.stop_ns = g.go_ns + (uint64_t)(g.seconds * 1e9);
    for (int i = 0; i < g.n_conns && may_issue(); i++) {
        if (g.newconn) {
            slot_open(&g.slots[i]);
        } else {
            slot_issue(&g.slots[i]);
            load_conn_rearm(&g.slots[i].conn, g.epfd, &g.slots[i]);
        }
    }
}

static bool
all_idle(void)
{
    for (int i = 0; i < g.n_conns; i++) {
        if (g.slots[i].busy || (g.newconn && g.slots[i].open))
            return false;
    }
    return true;
}

static bool
all_connected(void)
{
    for (int i = 0; i < g.n_conns; i++) {
        if (!g.slots[i].conn.connected)
            return false;
    }
    return true;
}

/* Runs requests until may_issue() says no more and every answer came. */
static void
run(uint64_t deadline)
{
    struct epoll_event evs[64];

    while (!all_idle() || may_issue()) {
        int n = epoll_wait(g.epfd, evs, 64, 100);
        for (int i = 0; i < n; i++)
            slot_io(evs[i].data.ptr);
        if (load_now_ns() > deadline)
            die("timeout before every answer came");
    }
}

/* --resume: one connection per slot, not counted, so that each has a ticket to offer. */
static void
fetch_tickets(uint64_t deadline)
{
    long count = g.count;
    double seconds = g.seconds;

    g.count = g.n_conns;
    g.seconds = 0;
    go();
    run(deadline);
    if (g.errors > 0)
        die("an answer before the measurement was not 200");
    g.going = false;
    g.count = count;
    g.seconds = seconds;
    g.issued = g.done = g.resumed = 0;
    g.body_bytes = 0;
}

static void
usage(void)
{
    fprintf(stderr, "usage: load_http --port P [--tls] --password PW --path PATH [--conns C] "
                    "(--count M | --seconds S) [--newconn [--resume]] [--timeout S]\n");
    exit(2);
}

static void
parse_args(int argc, char **argv)
{
    static const struct option opts[] = {
        { "port", required_argument, NULL, 'p' },
        { "tls", no_argument, NULL, 't' },
        { "password", required_argument, NULL, 'w' },
        { "path", required_argument, NULL, 'P' },
        { "conns", required_argument, NULL, 'c' },
        { "count", required_argument, NULL, 'n' },
        { "seconds", required_argument, NULL, 's' },
        { "newconn", no_argument, NULL, 'N' },
        { "timeout", required_argument, NULL, 'T' },
        { "resume", no_argument, NULL, 'R' },
        { NULL, 0, NULL, 0 },
    };
    const char *password = NULL;
    int o;

    g.n_conns = 1;
    g.timeout_s = 120;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (o) {
        case 'p':
            g.port = (int)strtol(optarg, NULL, 10);
            break;
        case 't':
            g.tls = true;
            break;
        case 'w':
            password = optarg;
            break;
        case 'P':
            g.path = optarg;
            break;
        case 'c':
            g.n_conns = (int)strtol(optarg, NULL, 10);
            break;
        case 'n':
            g.count = strtol(optarg, NULL, 10);
            break;
        case 's':
            g.seconds = strtod(optarg, NULL);
            break;
        case 'N':
            g.newconn = true;
            break;
        case 'T':
            g.timeout_s = strtod(optarg, NULL);
            break;
        case 'R':
            g.resume = true;
            break;
        default:
            usage();
        }
    }
    if (g.port <= 0 || password == NULL || g.path == NULL || g.n_conns <= 0 ||
        (g.count > 0) == (g.seconds > 0) || (g.resume && !(g.newconn && g.tls)))
        usage();
    make_request(password);
}

/* Waits for "go" on stdin; false at the end of input. */
static bool
read_go(void)
{
    char line[64];

    return fgets(line, sizeof line, stdin) != NULL && strncmp(line, "go", 2) == 0;
}

int
main(int argc, char **argv)
{
    struct epoll_event evs[64];

    /* A server closing a connection under a write (WeeChat's relay ends a keep-alive
     * connection at its auth_timeout) is an error to report, not a silent death. */
    sigaction(SIGPIPE, &(struct sigaction){ .sa_handler = SIG_IGN }, NULL);
    parse_args(argc, argv);
    if (g.tls && (g.ssl_ctx = load_conn_tls_ctx()) == NULL)
        die("cannot make a TLS context");
    if (g.resume)
        enable_resumption(g.ssl_ctx);
    g.epfd = epoll_create1(EPOLL_CLOEXEC);
    g.slots = calloc((size_t)g.n_conns, sizeof *g.slots);
    uint64_t deadline = load_now_ns() + (uint64_t)(g.timeout_s * 1e9);
    if (!g.newconn) {
        for (int i = 0; i < g.n_conns; i++)
            slot_open(&g.slots[i]);
        while (!all_connected()) {
            int n = epoll_wait(g.epfd, evs, 64, 100);
            for (int i = 0; i < n; i++)
                slot_io(evs[i].data.ptr);
            if (load_now_ns() > deadline)
                die("timeout while connecting");
        }
    }
    if (g.resume)
        fetch_tickets(deadline);
    printf("ready\n");
    fflush(stdout);
    if (!read_go())
        return 0;
    deadline = load_now_ns() + (uint64_t)((g.seconds + g.timeout_s) * 1e9);
    go();
    run(deadline);
    printf("done requests=%ld seconds=%.6f body_bytes=%llu errors=%ld resumed=%ld\n", g.done,
           (load_now_ns() - g.go_ns) / 1e9, g.body_bytes, g.errors, g.resumed);
    fflush(stdout);
    for (int i = 0; i < g.n_conns; i++) {
        if (g.slots[i].open)
            load_conn_close(&g.slots[i].conn);
        SSL_SESSION_free(g.slots[i].ticket);
    }
    free(g.slots);
    SSL_CTX_free(g.ssl_ctx);
    return 0;
}
