/* SPDX-License-Identifier: MIT */
/*
 * WebSocket load generator: N clients open WebSockets to perchd (plain or TLS), log in and
 * POST /api/sync; on command, a printer connection sends K `/print` inputs at R per second
 * and every client counts the buffer_line_added events it receives, each by its sequence
 * number: lost and duplicated ones are counted, not guessed. Framing is wslay's, HTTP
 * parsing http-parser's; JSON is not parsed, events are recognised by fixed substrings.
 * With --deflate, each client offers permessage-deflate (no parameters, as a browser's
 * offer without them), fails unless the server accepts it, and inflates what it receives.
 *
 * Driven by bench/perf_table.py, one line at a time:
 *   stdout "synced N SECONDS"      every client synced (wall time since the first connect)
 *   stdin  "fanout K R"            print K lines at R per second, count them everywhere
 *   stdout "fanout expected=E delivered=D lost=L dup=U closed=C p50_ms=X p99_ms=Y"
 *   stdin  end of input            close every connection and exit
 * A failure before every client is synced prints "error: ..." and exits 1.
 *
 *   load_ws --port P [--tls] [--deflate] --password PW --clients N [--concurrency C]
 *           [--timeout S]
 */
#include <errno.h>
#include <getopt.h>
#include <http_parser.h>
#include <inttypes.h>
#include <openssl/evp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <unistd.h>
#include <wslay/wslay.h>

#include "load_conn.h"
#include "load_inflate.h"

/* The text every printed line starts with; the number after it is the sequence. */
#define MARK      "perchbench "
#define LINE_TAIL " the quick brown fox jumps over the lazy dog"

enum kind {
    KIND_CLIENT,
    KIND_PRINTER,
    KIND_STDIN,
};

enum client_state {
    CL_CONNECTING,
    CL_UPGRADING,
    CL_SYNCING,
    CL_SYNCED,
    CL_CLOSED,
};

struct client {
    enum kind kind; /* first: epoll data points here */
    enum client_state state;
    struct load_conn conn;
    http_parser hp;
    bool head_done;
    /* the 101's Sec-WebSocket-Extensions, read header by header */
    char hdr_name[32];
    size_t hdr_name_len;
    bool hdr_in_value;
    char ext[160];
    size_t ext_len;
    struct load_inflate *inflate; /* --deflate, once the server agreed */
    wslay_event_context_ptr ws;
    uint8_t *seen; /* bitmap of sequence numbers received */
    uint32_t n_seen;
};

struct printer {
    enum kind kind;
    struct load_conn conn;
    http_parser hp;
    bool busy; /* a request is out, its answer not complete */
    uint32_t next;
    int errors;
};

static struct {
    int port;
    bool tls, deflate;
    int n_clients, concurrency;
    double timeout_s;
    char auth[512];
    SSL_CTX *ssl_ctx;
    int epfd;
    struct client *clients;
    int n_started, n_synced, n_closed, n_complete;
    uint64_t start_ns;
    uint32_t mask_state;
    /* the fan-out phase */
    bool fanout_on;
    uint32_t k_events;
    double rate;
    uint64_t fanout_ns;
    uint64_t *sent_ns;
    uint32_t *lat_us;
    size_t n_lat;
    uint64_t dup, other;
    struct printer printer;
} g;

static void
die(const char *what)
{
    printf("error: %s\n", what);
    fflush(stdout);
    exit(1);
}

static void
make_auth(const char *password)
{
    char cred[256];
    unsigned char b64[400];
    int n = snprintf(cred, sizeof cred, "plain:%s", password);

    if (n < 0 || (size_t)n >= sizeof cred)
        die("password too long");
    EVP_EncodeBlock(b64, (const unsigned char *)cred, n);
    snprintf(g.auth, sizeof g.auth, "Basic %s", (const char *)b64);
}

/* ---- wslay callbacks ---- */

static ssize_t
ws_recv_cb(wslay_event_context_ptr ctx, uint8_t *buf, size_t len, int flags, void *user)
{
    struct client *cl = user;
    ssize_t n = load_conn_read(&cl->conn, buf, len);

    (void)flags;
    if (n > 0)
        return n;
    wslay_event_set_error(ctx, n == -EAGAIN ? WSLAY_ERR_WOULDBLOCK : WSLAY_ERR_CALLBACK_FAILURE);
    return -1;
}

static ssize_t
ws_send_cb(wslay_event_context_ptr ctx, const uint8_t *data, size_t len, int flags, void *user)
{
    struct client *cl = user;

    (void)flags;
    if (load_conn_send(&cl->conn, data, len) < 0) {
        wslay_event_set_error(ctx, WSLAY_ERR_CALLBACK_FAILURE);
        return -1;
    }
    return (ssize_t)len;
}

/* Masking keys need not be unpredictable here: perchd only unmasks. */
static int
ws_genmask_cb(wslay_event_context_ptr ctx, uint8_t *buf, size_t len, void *user)
{
    (void)ctx;
    (void)user;
    for (size_t i = 0; i < len; i++) {
        g.mask_state ^= g.mask_state << 13;
        g.mask_state ^= g.mask_state >> 17;
        g.mask_state ^= g.mask_state << 5;
        buf[i] = (uint8_t)g.mask_state;
    }
    return 0;
}

static void
count_event(struct client *cl, const uint8_t *msg, size_t len)
{
    static const char kind[] = "\"event_name\":\"buffer_line_added\"";
    static const char mark[] = "\"message\":\"" MARK;
    const uint8_t *p = memmem(msg, len, mark, sizeof mark - 1);

    if (memmem(msg, len, kind, sizeof kind - 1) == NULL || p == NULL) {
        g.other++;
        return;
    }
    p += sizeof mark - 1;
    uint32_t seq = 0;
    while (p < msg + len && *p >= '0' && *p <= '9')
        seq = seq * 10 + (uint32_t)(*p++ - '0');
    if (!g.fanout_on || seq >= g.k_events) {
        g.other++;
        return;
    }
    if (cl->seen[seq / 8] & (1u << (seq % 8))) {
        g.dup++;
        return;
    }
    cl->seen[seq / 8] |= (uint8_t)(1u << (seq % 8));
    g.lat_us[g.n_lat++] = (uint32_t)((load_now_ns() - g.sent_ns[seq]) / 1000);
    if (++cl->n_seen == g.k_events)
        g.n_complete++;
}

static void
ws_msg_cb(wslay_event_context_ptr ctx, const struct wslay_event_on_msg_recv_arg *arg, void *user)
{
    static const char sync_reply[] = "\"request\":\"POST /api/sync\"";
    struct client *cl = user;
    const uint8_t *msg = arg->msg;
    ssize_t len = (ssize_t)arg->msg_length;

    (void)ctx;
    if (arg->opcode != WSLAY_TEXT_FRAME)
        return;
    /* RSV1 is allowed only once permessage-deflate was agreed: it marks a compressed one. */
    if (arg->rsv & WSLAY_RSV1_BIT) {
        len = load_inflate_message(cl->inflate, arg->msg, arg->msg_length, &msg);
        if (len < 0)
            die("a compressed message does not inflate");
    }
    if (cl->state == CL_SYNCING &&
        memmem(msg, (size_t)len, sync_reply, sizeof sync_reply - 1) != NULL) {
        if (memmem(msg, (size_t)len, "\"code\":204", 10) == NULL) {
            fprintf(stderr, "sync answered: %.*s\n", (int)len, msg);
            die("sync refused");
        }
        cl->state = CL_SYNCED;
        g.n_synced++;
        return;
    }
    count_event(cl, msg, (size_t)len);
}

static const struct wslay_event_callbacks ws_callbacks = {
    .recv_callback = ws_recv_cb,
    .send_callback = ws_send_cb,
    .genmask_callback = ws_genmask_cb,
    .on_msg_recv_callback = ws_msg_cb,
};

/* ---- HTTP answers (the 101 and the printer's 204s) ---- */

/* Header names and values may come in pieces: a name is gathered until its value starts. */
static int
head_field_cb(http_parser *hp, const char *at, size_t len)
{
    struct client *cl = hp->data;

    if (cl->hdr_in_value)
        cl->hdr_name_len = 0;
    cl->hdr_in_value = false;
    for (size_t i = 0; i < len && cl->hdr_name_len < sizeof cl->hdr_name - 1; i++)
        cl->hdr_name[cl->hdr_name_len++] = at[i];
    cl->hdr_name[cl->hdr_name_len] = '\0';
    return 0;
}

static void
ext_append(struct client *cl, const char *at, size_t len)
{
    if (cl->ext_len + len >= sizeof cl->ext)
        die("Sec-WebSocket-Extensions too long");
    memcpy(cl->ext + cl->ext_len, at, len);
    cl->ext_len += len;
    cl->ext[cl->ext_len] = '\0';
}

/* Keeps Sec-WebSocket-Extensions (several such headers joined by ", ", as one list). */
static int
head_value_cb(http_parser *hp, const char *at, size_t len)
{
    struct client *cl = hp->data;
    bool first_piece = !cl->hdr_in_value;

    cl->hdr_in_value = true;
    if (strcasecmp(cl->hdr_name, "Sec-WebSocket-Extensions") != 0)
        return 0;
    if (first_piece && cl->ext_len > 0)
        ext_append(cl, ", ", 2);
    ext_append(cl, at, len);
    return 0;
}

static int
head_complete_cb(http_parser *hp)
{
    struct client *cl = hp->data;

    cl->head_done = true;
    return 0;
}

static int
printer_complete_cb(http_parser *hp)
{
    struct printer *pr = hp->data;

    if (hp->status_code / 100 != 2)
        pr->errors++;
    pr->busy = false;
    return 0;
}

static const http_parser_settings head_settings = { .on_header_field = head_field_cb,
                                                    .on_header_value = head_value_cb,
                                                    .on_message_complete = head_complete_cb };
static const http_parser_settings printer_settings = { .on_message_complete = printer_complete_cb };

/* ---- clients ---- */

static void
client_start(struct client *cl)
{
    cl->kind = KIND_CLIENT;
    cl->state = CL_CONNECTING;
    int r = load_conn_open(&cl->conn, g.epfd, g.port, g.tls ? g.ssl_ctx : NULL, cl);
    if (r < 0) {
        fprintf(stderr, "connect: %s\n", strerror(-r));
        die("cannot connect (raise ulimit -n?)");
    }
    g.n_started++;
}

static void
client_send_upgrade(struct client *cl)
{
    char req[1024];
    int n = snprintf(req, sizeof req,
                     "GET /api HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                     "Connection: Upgrade\r\nSec-WebSocket-Key: cGVyY2gtYmVuY2gta2V5MA==\r\n"
                     "Sec-WebSocket-Version: 13\r\nAuthorization: %s\r\n%s\r\n",
                     g.auth, g.deflate ? "Sec-WebSocket-Extensions: permessage-deflate\r\n" : "");

    http_parser_init(&cl->hp, HTTP_RESPONSE);
    cl->hp.data = cl;
    if (load_conn_send(&cl->conn, req, (size_t)n) < 0)
        die("cannot send the upgrade request");
    cl->state = CL_UPGRADING;
}

/* Checks the 101's extensions against the offer (none, or permessage-deflate) and makes
 * the inflater the agreed one needs. */
static void
client_take_extensions(struct client *cl)
{
    if (!g.deflate) {
        if (cl->ext_len > 0)
            die("the server answered an extension that was not offered");
        return;
    }
    if (strncmp(cl->ext, "permessage-deflate", 18) != 0 ||
        (cl->ext[18] != '\0' && cl->ext[18] != ';')) {
        fprintf(stderr, "Sec-WebSocket-Extensions: %s\n", cl->ext);
        die("the server declined permessage-deflate");
    }
    cl->inflate = load_inflate_new(strstr(cl->ext, "server_no_context_takeover") != NULL);
    if (cl->inflate == NULL)
        die("cannot make an inflater");
}

/* Reads the 101; what follows it is handed to wslay. */
static void
client_read_head(struct client *cl)
{
    char buf[4096];

    while (cl->state == CL_UPGRADING) {
        ssize_t n = load_conn_read(&cl->conn, buf, sizeof buf);
        if (n == -EAGAIN)
            return;
        if (n <= 0)
            die("connection closed before the WebSocket upgrade");
        size_t used = http_parser_execute(&cl->hp, &head_settings, buf, (size_t)n);
        if (cl->hp.http_errno != HPE_OK && !cl->hp.upgrade)
            die("malformed upgrade answer");
        if (!cl->head_done)
            continue;
        if (cl->hp.status_code != 101 || !cl->hp.upgrade) {
            fprintf(stderr, "upgrade answered %u\n", cl->hp.status_code);
            die("WebSocket upgrade refused");
        }
        if (used < (size_t)n)
            load_conn_unread(&cl->conn, buf + used, (size_t)n - used);
        client_take_extensions(cl);
        static const char sync[] =
            "{\"request\":\"POST /api/sync\",\"body\":{\"colors\":\"strip\"}}";
        struct wslay_event_msg msg = { WSLAY_TEXT_FRAME, (const uint8_t *)sync, sizeof sync - 1 };
        wslay_event_context_client_init(&cl->ws, &ws_callbacks, cl);
        if (cl->inflate != NULL)
            wslay_event_config_set_allowed_rsv_bits(cl->ws, WSLAY_RSV1_BIT);
        wslay_event_queue_msg(cl->ws, &msg);
        cl->state = CL_SYNCING;
    }
}

static void
client_lost(struct client *cl, const char *why)
{
    if (!g.fanout_on && g.n_synced < g.n_clients)
        die(why);
    fprintf(stderr, "client closed: %s\n", why);
    cl->state = CL_CLOSED;
    g.n_closed++;
    load_conn_close(&cl->conn);
}

static void
client_io(struct client *cl)
{
    if (cl->state == CL_CONNECTING) {
        int r = load_conn_progress(&cl->conn);
        if (r < 0)
            die("connection or TLS handshake failed");
        if (r == 0)
            goto rearm;
        client_send_upgrade(cl);
    }
    if (cl->state == CL_UPGRADING)
        client_read_head(cl);
    if (cl->state == CL_SYNCING || cl->state == CL_SYNCED) {
        int f = load_conn_flush(&cl->conn);
        const char *why = NULL;
        if (f < 0 && f != -EAGAIN)
            why = "write failed";
        else if (wslay_event_recv(cl->ws) != 0 || wslay_event_send(cl->ws) != 0)
            why = "connection closed or WebSocket error";
        else if (wslay_event_get_close_received(cl->ws))
            why = "close frame received";
        if (why != NULL) {
            client_lost(cl, why);
            return;
        }
    }
rearm:
    load_conn_rearm(&cl->conn, g.epfd, cl);
}

static void
clients_top_up(void)
{
    while (g.n_started < g.n_clients && g.n_started - g.n_synced < g.concurrency)
        client_start(&g.clients[g.n_started]);
}

/* ---- printer ---- */

static void
printer_send(struct printer *pr)
{
    char body[256], req[1024];
    int blen = snprintf(body, sizeof body, "{\"command\":\"/print " MARK "%" PRIu32 LINE_TAIL "\"}",
                        pr->next);
    int n = snprintf(req, sizeof req,
                     "POST /api/input HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: %s\r\n"
                     "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
                     g.auth, blen, body);

    g.sent_ns[pr->next++] = load_now_ns();
    pr->busy = true;
    if (load_conn_send(&pr->conn, req, (size_t)n) < 0)
        pr->errors++;
}

static void
printer_io(struct printer *pr)
{
    char buf[4096];

    if (!pr->conn.connected) {
        int r = load_conn_progress(&pr->conn);
        if (r < 0)
            die("printer: connection failed");
        if (r == 0)
            goto rearm;
    }
    int f = load_conn_flush(&pr->conn);
    if (f < 0 && f != -EAGAIN)
        pr->errors++;
    for (;;) {
        ssize_t n = load_conn_read(&pr->conn, buf, sizeof buf);
        if (n == -EAGAIN)
            break;
        if (n <= 0) {
            pr->errors++;
            break;
        }
        http_parser_execute(&pr->hp, &printer_settings, buf, (size_t)n);
        if (pr->hp.http_errno != HPE_OK) {
            pr->errors++;
            break;
        }
    }
rearm:
    load_conn_rearm(&pr->conn, g.epfd, pr);
}

/* Sends the next line when it is due and the last one was answered; returns the
 * milliseconds until the next one is due (or 100). */
static int
printer_tick(struct printer *pr)
{
    if (!g.fanout_on || !pr->conn.connected || pr->next >= g.k_events)
        return 100;
    uint64_t due = g.fanout_ns + (uint64_t)(pr->next * 1e9 / g.rate);
    uint64_t now = load_now_ns();
    if (pr->busy)
        return 100; /* its answer wakes the loop */
    if (now < due)
        return (int)((due - now) / 1000000) + 1;
    printer_send(pr);
    load_conn_rearm(&pr->conn, g.epfd, pr);
    return 0;
}

static void
fanout_start(void)
{
    uint32_t k = g.k_events;

    g.sent_ns = calloc(k, sizeof *g.sent_ns);
    g.lat_us = calloc((size_t)k * (size_t)g.n_clients, sizeof *g.lat_us);
    for (int i = 0; i < g.n_clients; i++)
        g.clients[i].seen = calloc((k + 7) / 8, 1);
    g.printer.kind = KIND_PRINTER;
    if (load_conn_open(&g.printer.conn, g.epfd, g.port, g.tls ? g.ssl_ctx : NULL, &g.printer) < 0)
        die("printer: cannot connect");
    http_parser_init(&g.printer.hp, HTTP_RESPONSE);
    g.printer.hp.data = &g.printer;
    g.fanout_ns = load_now_ns() + 200000000u; /* after the printer's handshake */
    g.fanout_on = true;
}

static int
cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

    return (x > y) - (x < y);
}

static void
fanout_report(void)
{
    uint64_t expected = (uint64_t)g.k_events * (uint64_t)g.n_clients;
    double p50 = 0, p99 = 0;

    qsort(g.lat_us, g.n_lat, sizeof *g.lat_us, cmp_u32);
    if (g.n_lat > 0) {
        p50 = g.lat_us[g.n_lat / 2] / 1000.0;
        p99 = g.lat_us[g.n_lat * 99 / 100] / 1000.0;
    }
    printf("fanout expected=%" PRIu64 " delivered=%zu lost=%" PRIu64 " dup=%" PRIu64
           " closed=%d print_errors=%d other=%" PRIu64 " p50_ms=%.2f p99_ms=%.2f\n",
           expected, g.n_lat, expected - g.n_lat, g.dup, g.n_closed, g.printer.errors, g.other, p50,
           p99);
    fflush(stdout);
    g.fanout_on = false;
}

/* ---- control ---- */

/* Reads commands; returns false at the end of input. */
static bool
stdin_io(void)
{
    static char line[256];
    static size_t len;
    ssize_t n = read(0, line + len, sizeof line - 1 - len);

    if (n <= 0)
        return n < 0 && errno == EINTR;
    len += (size_t)n;
    char *nl;
    while ((nl = memchr(line, '\n', len)) != NULL) {
        *nl = '\0';
        unsigned k;
        double rate;
        if (sscanf(line, "fanout %u %lf", &k, &rate) == 2 && k > 0 && rate > 0 && g.k_events == 0) {
            g.k_events = k; /* starts once every client is synced */
            g.rate = rate;
        } else
            fprintf(stderr, "load_ws: unknown command '%s'\n", line);
        len -= (size_t)(nl + 1 - line);
        memmove(line, nl + 1, len);
    }
    return true;
}

static void
usage(void)
{
    fprintf(stderr, "usage: load_ws --port P [--tls] [--deflate] --password PW --clients N "
                    "[--concurrency C] [--timeout S]\n");
    exit(2);
}

static void
parse_args(int argc, char **argv)
{
    static const struct option opts[] = {
        { "port", required_argument, NULL, 'p' },
        { "tls", no_argument, NULL, 't' },
        { "deflate", no_argument, NULL, 'd' },
        { "password", required_argument, NULL, 'w' },
        { "clients", required_argument, NULL, 'n' },
        { "concurrency", required_argument, NULL, 'c' },
        { "timeout", required_argument, NULL, 'T' },
        { NULL, 0, NULL, 0 },
    };
    const char *password = NULL;
    int o;

    g.concurrency = 64;
    g.timeout_s = 120;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (o) {
        case 'p':
            g.port = (int)strtol(optarg, NULL, 10);
            break;
        case 't':
            g.tls = true;
            break;
        case 'd':
            g.deflate = true;
            break;
        case 'w':
            password = optarg;
            break;
        case 'n':
            g.n_clients = (int)strtol(optarg, NULL, 10);
            break;
        case 'c':
            g.concurrency = (int)strtol(optarg, NULL, 10);
            break;
        case 'T':
            g.timeout_s = strtod(optarg, NULL);
            break;
        default:
            usage();
        }
    }
    if (g.port <= 0 || password == NULL || g.n_clients <= 0 || g.concurrency <= 0)
        usage();
    make_auth(password);
}

static void
check_deadlines(uint64_t now)
{
    uint64_t limit = (uint64_t)(g.timeout_s * 1e9);

    if (g.n_synced < g.n_clients && now - g.start_ns > limit) {
        fprintf(stderr, "%d of %d clients synced\n", g.n_synced, g.n_clients);
        die("timeout before every client was synced");
    }
    if (!g.fanout_on)
        return;
    if (g.n_complete + g.n_closed >= g.n_clients && g.printer.next >= g.k_events)
        fanout_report();
    else if (now > g.fanout_ns + (uint64_t)(g.k_events * 1e9 / g.rate) + limit)
        fanout_report(); /* what is missing by now is lost */
}

int
main(int argc, char **argv)
{
    static enum kind stdin_kind = KIND_STDIN;
    struct epoll_event evs[256];
    bool reported_sync = false, running = true;

    /* A server closing a connection under a write (WeeChat's relay ends a keep-alive
     * connection at its auth_timeout) is an error to report, not a silent death. */
    sigaction(SIGPIPE, &(struct sigaction){ .sa_handler = SIG_IGN }, NULL);
    parse_args(argc, argv);
    g.mask_state = 2463534242u;
    if (g.tls && (g.ssl_ctx = load_conn_tls_ctx()) == NULL)
        die("cannot make a TLS context");
    g.epfd = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event sev = { .events = EPOLLIN, .data.ptr = &stdin_kind };
    epoll_ctl(g.epfd, EPOLL_CTL_ADD, 0, &sev);
    g.clients = calloc((size_t)g.n_clients, sizeof *g.clients);
    g.start_ns = load_now_ns();
    clients_top_up();
    while (running) {
        int wait_ms = printer_tick(&g.printer);
        int n = epoll_wait(g.epfd, evs, 256, wait_ms);
        for (int i = 0; i < n; i++) {
            enum kind *k = evs[i].data.ptr;
            if (*k == KIND_CLIENT)
                client_io((struct client *)k);
            else if (*k == KIND_PRINTER)
                printer_io(&g.printer);
            else if (!stdin_io())
                running = false;
        }
        clients_top_up();
        if (!reported_sync && g.n_synced == g.n_clients) {
            printf("synced %d %.3f\n", g.n_synced, (load_now_ns() - g.start_ns) / 1e9);
            fflush(stdout);
            reported_sync = true;
        }
        if (reported_sync && g.k_events > 0 && g.sent_ns == NULL)
            fanout_start();
        check_deadlines(load_now_ns());
    }
    for (int i = 0; i < g.n_clients; i++) {
        if (g.clients[i].ws != NULL)
            wslay_event_context_free(g.clients[i].ws);
        if (g.clients[i].state != CL_CLOSED && i < g.n_started)
            load_conn_close(&g.clients[i].conn);
        free(g.clients[i].seen);
        load_inflate_free(g.clients[i].inflate);
    }
    if (g.k_events > 0)
        load_conn_close(&g.printer.conn);
    free(g.clients);
    free(g.sent_ns);
    free(g.lat_us);
    SSL_CTX_free(g.ssl_ctx);
    return 0;
}
