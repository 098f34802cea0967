/* SPDX-License-Identifier: MIT */
/*
 * The physical floor of fan-out: the CPU one write() of an event-sized message to a loopback
 * TCP socket costs, the least any server can spend per delivered event. N connected socket
 * pairs (TCP_NODELAY, as perchd's); a reader process drains the N far ends; this process
 * writes B bytes to each of its N ends once per round, R rounds paced at H rounds per second
 * (as events come), and reports its own CPU time (user + system) per write. The reader
 * checks that every byte arrived.
 *
 *   floor_write [--sockets N] [--rounds R] [--rate H] [--bytes B]
 *   prints "floor_write sockets=N rounds=R bytes=B writes=W cpu_s=X us_per_write=Y"
 */
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double
clock_s(clockid_t id)
{
    struct timespec ts;

    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
fail(const char *what)
{
    fprintf(stderr, "floor_write: %s: %s\n", what, strerror(errno));
    exit(1);
}

/* Connects n pairs through a loopback listener: ours[i] is accepted, theirs[i] connected. */
static void
make_pairs(int n, int *ours, int *theirs)
{
    struct sockaddr_in sa = { .sin_family = AF_INET };
    socklen_t len = sizeof sa;
    int one = 1;
    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(lfd, 128) < 0 ||
        getsockname(lfd, (struct sockaddr *)&sa, &len) < 0)
        fail("listen");
    for (int i = 0; i < n; i++) {
        theirs[i] = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (theirs[i] < 0 || connect(theirs[i], (struct sockaddr *)&sa, sizeof sa) < 0)
            fail("connect (raise ulimit -n?)");
        ours[i] = accept4(lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (ours[i] < 0)
            fail("accept");
        setsockopt(ours[i], IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    close(lfd);
}

/* The reader: drains every socket until each ends; writes the byte total to out_fd. */
static void
drain(int n, const int *fds, int out_fd)
{
    int epfd = epoll_create1(0);
    uint64_t total = 0;
    int open_fds = n;
    char buf[65536];
    struct epoll_event evs[256];

    for (int i = 0; i < n; i++) {
        struct epoll_event ev = { .events = EPOLLIN, .data.fd = fds[i] };
        epoll_ctl(epfd, EPOLL_CTL_ADD, fds[i], &ev);
    }
    while (open_fds > 0) {
        int k = epoll_wait(epfd, evs, 256, -1);
        for (int i = 0; i < k; i++) {
            ssize_t r = read(evs[i].data.fd, buf, sizeof buf);
            if (r > 0) {
                total += (uint64_t)r;
            } else if (r == 0 || errno != EINTR) {
                epoll_ctl(epfd, EPOLL_CTL_DEL, evs[i].data.fd, NULL);
                close(evs[i].data.fd);
                open_fds--;
            }
        }
    }
    if (write(out_fd, &total, sizeof total) != sizeof total)
        _exit(1);
    _exit(0);
}

struct params {
    int sockets, rounds, bytes;
    double rate;
};

static struct params
parse_args(int argc, char **argv)
{
    static const struct option opts[] = {
        { "sockets", required_argument, NULL, 'n' },
        { "rounds", required_argument, NULL, 'r' },
        { "rate", required_argument, NULL, 'h' },
        { "bytes", required_argument, NULL, 'b' },
        { NULL, 0, NULL, 0 },
    };
    struct params p = { .sockets = 1000, .rounds = 150, .bytes = 120, .rate = 30 };
    int o;

    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (o == 'n')
            p.sockets = (int)strtol(optarg, NULL, 10);
        else if (o == 'r')
            p.rounds = (int)strtol(optarg, NULL, 10);
        else if (o == 'h')
            p.rate = strtod(optarg, NULL);
        else if (o == 'b')
            p.bytes = (int)strtol(optarg, NULL, 10);
        else
            exit(2);
    }
    if (p.sockets <= 0 || p.rounds <= 0 || p.bytes <= 0 || p.bytes > 4096 || p.rate <= 0) {
        fprintf(stderr, "usage: floor_write [--sockets N] [--rounds R] [--rate H] [--bytes B]\n");
        exit(2);
    }
    return p;
}

/* Sleeps until t seconds on the monotonic clock. */
static void
sleep_until(double t)
{
    double now = clock_s(CLOCK_MONOTONIC);

    if (t <= now)
        return;
    struct timespec ts = { (time_t)(t - now), (long)((t - now - (time_t)(t - now)) * 1e9) };
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

int
main(int argc, char **argv)
{
    struct params p = parse_args(argc, argv);
    int *ours = calloc((size_t)p.sockets, sizeof *ours);
    int *theirs = calloc((size_t)p.sockets, sizeof *theirs);
    char msg[4096];
    int total_pipe[2];

    memset(msg, 'x', sizeof msg);
    make_pairs(p.sockets, ours, theirs);
    if (pipe(total_pipe) < 0)
        fail("pipe");
    pid_t reader = fork();
    if (reader < 0)
        fail("fork");
    if (reader == 0) {
        for (int i = 0; i < p.sockets; i++)
            close(ours[i]);
        close(total_pipe[0]);
        drain(p.sockets, theirs, total_pipe[1]);
    }
    /* Only the reader holds the write end: a reader that dies ends our read of its total. */
    close(total_pipe[1]);
    for (int i = 0; i < p.sockets; i++)
        close(theirs[i]);
    long writes = 0, short_writes = 0;
    double start = clock_s(CLOCK_MONOTONIC);
    double cpu0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
    for (int r = 0; r < p.rounds; r++) {
        sleep_until(start + r / p.rate);
        for (int i = 0; i < p.sockets; i++) {
            if (write(ours[i], msg, (size_t)p.bytes) != p.bytes)
                short_writes++;
            writes++;
        }
    }
    double cpu = clock_s(CLOCK_PROCESS_CPUTIME_ID) - cpu0;
    for (int i = 0; i < p.sockets; i++)
        close(ours[i]);
    uint64_t got = 0;
    int status = 0;
    if (read(total_pipe[0], &got, sizeof got) != sizeof got || waitpid(reader, &status, 0) < 0)
        fail("reader");
    uint64_t want = (uint64_t)writes * (uint64_t)p.bytes;
    printf("floor_write sockets=%d rounds=%d bytes=%d writes=%ld cpu_s=%.6f us_per_write=%.3f\n",
           p.sockets, p.rounds, p.bytes, writes, cpu, cpu * 1e6 / (double)writes);
    if (short_writes > 0 || got != want) {
        fprintf(stderr, "floor_write: %ld short writes, %llu of %llu bytes arrived\n", short_writes,
                (unsigned long long)got, (unsigned long long)want);
        return 1;
    }
    free(ours);
    free(theirs);
    return 0;
}
