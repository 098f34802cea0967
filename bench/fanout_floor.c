/* SPDX-License-Identifier: MIT */
/*
 * The floor of fan-out: the CPU one 120-byte write() to a loopback TCP socket costs, with
 * N sockets each written once per round and a reader process draining them all.
 *
 *   ninja -C build bench/fanout_floor && build/bench/fanout_floor [N] [ROUNDS]
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double
cpu_seconds(void)
{
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* The reader: drains every socket until all are closed. */
static void
drain(int *fds, int n)
{
    int ep = epoll_create1(0), open = n;
    char buf[65536];

    for (int i = 0; i < n; i++) {
        struct epoll_event ev = { .events = EPOLLIN, .data.fd = fds[i] };
        epoll_ctl(ep, EPOLL_CTL_ADD, fds[i], &ev);
    }
    while (open > 0) {
        struct epoll_event evs[256];
        int k = epoll_wait(ep, evs, 256, 10000);
        if (k <= 0)
            break;
        for (int i = 0; i < k; i++) {
            if (read(evs[i].data.fd, buf, sizeof(buf)) <= 0) {
                epoll_ctl(ep, EPOLL_CTL_DEL, evs[i].data.fd, NULL);
                close(evs[i].data.fd);
                open--;
            }
        }
    }
    _exit(0);
}

int
main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 1000; /* NOLINT: a bench's arguments */
    int rounds = argc > 2 ? atoi(argv[2]) : 300;
    int lfd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t sl = sizeof(sa);
    int *wfds = calloc((size_t)n, sizeof(int)), *rfds = calloc((size_t)n, sizeof(int));
    char msg[120];
    pid_t reader;

    memset(msg, 'x', sizeof(msg));
    bind(lfd, (struct sockaddr *)&sa, sizeof(sa));
    getsockname(lfd, (struct sockaddr *)&sa, &sl);
    listen(lfd, 4096);
    for (int i = 0; i < n; i++) {
        wfds[i] = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(wfds[i], (struct sockaddr *)&sa, sizeof(sa)) < 0) {
            perror("connect");
            return 1;
        }
        setsockopt(wfds[i], IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        rfds[i] = accept(lfd, NULL, NULL);
    }
    reader = fork();
    if (reader == 0) {
        for (int i = 0; i < n; i++)
            close(wfds[i]);
        drain(rfds, n);
    }
    for (int i = 0; i < n; i++)
        close(rfds[i]);
    double before = cpu_seconds();
    for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < n; i++) {
            if (write(wfds[i], msg, sizeof(msg)) != (ssize_t)sizeof(msg)) {
                perror("write");
                return 1;
            }
        }
        /* Rounds apart in time, as events are: the reader catches up in between. */
        struct timespec ts = { 0, 20 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
    double cpu = cpu_seconds() - before;
    for (int i = 0; i < n; i++)
        close(wfds[i]);
    waitpid(reader, NULL, 0);
    printf("floor: %.2f us CPU per 120-byte write (%d sockets x %d rounds)\n",
           cpu * 1e6 / ((double)n * rounds), n, rounds);
    return 0;
}
