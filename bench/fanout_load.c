/* SPDX-License-Identifier: MIT */
/*
 * Fan-out load: N plain WebSocket clients synced to a running perchd, lines printed at a
 * fixed rate through HTTP; reports server CPU per delivered event (from /proc/PID/stat)
 * and checks that every client got every line once, in order. C, because 1000 Python
 * clients would be the bottleneck on a small machine.
 *
 *   ninja -C build bench/fanout_load
 *   build/bench/fanout_load PORT PID PASSWORD [CLIENTS] [EVENTS] [RATE] [strip|ansi|weechat|mixed]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct client {
    int fd;
    char *in;
    size_t len, cap;
    long next; /* the line number expected next */
    long wrong;
};

static const char *colors_names[] = { "strip", "ansi", "weechat" };
static char auth[256];

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
    if (!f || !fgets(text, sizeof(text), f)) {
        perror(path);
        exit(1);
    }
    fclose(f);
    p = strrchr(text, ')');
    /* Fields after the name: state is 3rd overall; utime 14th, stime 15th. */
    if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
        exit(1);
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static int
connect_to(int port)
{
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        perror("connect");
        exit(1);
    }
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    return fd;
}

static void
write_all(int fd, const void *data, size_t len)
{
    const char *p = data;

    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EAGAIN)
            continue;
        if (n <= 0) {
            perror("write");
            exit(1);
        }
        p += n;
        len -= (size_t)n;
    }
}

/* Reads one frame's payload (blocking socket); returns its length in buf. */
static size_t
read_frame(int fd, char *buf, size_t cap)
{
    unsigned char h[10];
    size_t n, got = 0;

    if (recv(fd, h, 2, MSG_WAITALL) != 2)
        exit(1);
    n = h[1] & 0x7f;
    if (n == 126) {
        if (recv(fd, h + 2, 2, MSG_WAITALL) != 2)
            exit(1);
        n = ((size_t)h[2] << 8) | h[3];
    }
    if (n > cap)
        exit(1);
    while (got < n) {
        ssize_t k = recv(fd, buf + got, n - got, 0);
        if (k <= 0)
            exit(1);
        got += (size_t)k;
    }
    return n;
}

static void
client_open(struct client *c, int port, const char *colors)
{
    char req[512], head[4096], frame[256], body[128];
    size_t hl = 0, bl;
    int n;

    c->fd = connect_to(port);
    n = snprintf(req, sizeof(req),
                 "GET /api HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                 "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                 "Authorization: %s\r\n\r\n",
                 auth);
    write_all(c->fd, req, (size_t)n);
    while (hl < 4 || memcmp(head + hl - 4, "\r\n\r\n", 4) != 0) {
        if (read(c->fd, head + hl, 1) != 1 || ++hl == sizeof(head))
            exit(1);
    }
    if (strncmp(head, "HTTP/1.1 101", 12) != 0) {
        fprintf(stderr, "no 101: %.*s\n", (int)hl, head);
        exit(1);
    }
    bl = (size_t)snprintf(body, sizeof(body),
                          "{\"request\":\"POST /api/sync\",\"body\":{\"colors\":\"%s\"}}", colors);
    /* A zero masking key: the payload goes as it is. */
    frame[0] = (char)0x81;
    frame[1] = (char)(0x80 | bl);
    memset(frame + 2, 0, 4);
    memcpy(frame + 6, body, bl);
    write_all(c->fd, frame, 6 + bl);
    read_frame(c->fd, head, sizeof(head));
    fcntl(c->fd, F_SETFL, O_NONBLOCK);
}

/* Checks the line events in one text message. */
static void
client_message(struct client *c, const char *msg, size_t len)
{
    static const char marker[] = "fanbench ";
    const char *p = memmem(msg, len, marker, sizeof(marker) - 1);

    if (!p || !memmem(msg, len, "buffer_line_added", 17))
        return;
    long i = strtol(p + sizeof(marker) - 1, NULL, 10);
    if (i != c->next)
        c->wrong++;
    c->next = i + 1;
}

static void
client_read(struct client *c)
{
    size_t off = 0;

    for (;;) {
        if (c->cap - c->len < 65536) {
            c->cap = c->cap * 2 + 65536;
            c->in = realloc(c->in, c->cap);
        }
        ssize_t n = read(c->fd, c->in + c->len, c->cap - c->len);
        if (n <= 0)
            break;
        c->len += (size_t)n;
    }
    while (c->len - off >= 2) {
        const unsigned char *h = (const unsigned char *)c->in + off;
        size_t hl = 2, n = h[1] & 0x7f;
        if (n == 126) {
            if (c->len - off < 4)
                break;
            n = ((size_t)h[2] << 8) | h[3];
            hl = 4;
        } else if (n == 127) {
            if (c->len - off < 10)
                break;
            n = 0;
            for (int i = 2; i < 10; i++)
                n = (n << 8) | h[i];
            hl = 10;
        }
        if (c->len - off < hl + n)
            break;
        if ((h[0] & 0x0f) == 1)
            client_message(c, c->in + off + hl, n);
        off += hl + n;
    }
    memmove(c->in, c->in + off, c->len - off);
    c->len -= off;
}

static void
print_line(int fd, long i)
{
    char body[128], req[512];
    int bl = snprintf(body, sizeof(body), "{\"command\":\"/print fanbench %ld\"}", i);
    int n = snprintf(req, sizeof(req),
                     "POST /api/input HTTP/1.1\r\nHost: x\r\nAuthorization: %s\r\n"
                     "Content-Length: %d\r\n\r\n%s",
                     auth, bl, body);

    write_all(fd, req, (size_t)n);
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
    if (argc < 4) {
        fprintf(stderr, "usage: %s PORT PID PASSWORD [CLIENTS] [EVENTS] [RATE] [COLORS]\n",
                argv[0]);
        return 2;
    }
    int port = atoi(argv[1]), pid = atoi(argv[2]); /* NOLINT: a bench's arguments */
    int n = argc > 4 ? atoi(argv[4]) : 1000, events = argc > 5 ? atoi(argv[5]) : 300;
    double rate = argc > 6 ? strtod(argv[6], NULL) : 30.0;
    const char *colors = argc > 7 ? argv[7] : "strip";
    struct client *cs = calloc((size_t)n, sizeof(*cs));
    char cred[200], sink[65536];
    int ep = epoll_create1(0), printer;

    snprintf(cred, sizeof(cred), "plain:%s", argv[3]);
    memcpy(auth, "Basic ", 6);
    base64(cred, auth + 6);
    for (int i = 0; i < n; i++) {
        const char *mode = strcmp(colors, "mixed") == 0 ? colors_names[i % 3] : colors;
        client_open(&cs[i], port, mode);
        struct epoll_event ev = { .events = EPOLLIN, .data.u32 = (uint32_t)i };
        epoll_ctl(ep, EPOLL_CTL_ADD, cs[i].fd, &ev);
    }
    printer = connect_to(port);
    fcntl(printer, F_SETFL, O_NONBLOCK);
    struct epoll_event pev = { .events = EPOLLIN, .data.u32 = UINT32_MAX };
    epoll_ctl(ep, EPOLL_CTL_ADD, printer, &pev);

    double cpu0 = proc_cpu(pid), start = now_s(), deadline = 0;
    long sent = 0;
    for (;;) {
        double t = now_s();
        if (sent < events && t >= start + (double)sent / rate) {
            print_line(printer, sent++);
            continue;
        }
        long done = 0;
        for (int i = 0; i < n; i++)
            done += cs[i].next >= events;
        if (done == n)
            break;
        if (sent == events && deadline == 0)
            deadline = t + 30;
        if (deadline && t > deadline)
            break;
        int wait_ms = sent < events ? (int)((start + (double)sent / rate - t) * 1000) + 1 : 100;
        struct epoll_event evs[256];
        int k = epoll_wait(ep, evs, 256, wait_ms);
        for (int j = 0; j < k; j++) {
            if (evs[j].data.u32 == UINT32_MAX) {
                while (read(printer, sink, sizeof(sink)) > 0)
                    ;
            } else {
                client_read(&cs[evs[j].data.u32]);
            }
        }
    }
    double cpu = proc_cpu(pid) - cpu0;
    long delivered = 0, wrong = 0;
    for (int i = 0; i < n; i++) {
        delivered += cs[i].next;
        wrong += cs[i].wrong;
    }
    printf("clients %d events %ld rate %g colors %s: delivered %ld lost %ld out-of-order %ld, "
           "server CPU %.3f s = %.2f us per delivered event\n",
           n, sent, rate, colors, delivered, (long)n * sent - delivered, wrong, cpu,
           cpu * 1e6 / (double)(delivered ? delivered : 1));
    return delivered == (long)n * sent && wrong == 0 ? 0 : 1;
}
