/* SPDX-License-Identifier: MIT */
#include "loopback.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

int
fuzz_loopback_listen(struct sockaddr_in *sa)
{
    socklen_t len = sizeof(*sa);
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    *sa = (struct sockaddr_in){ .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    if (fd < 0 || bind(fd, (struct sockaddr *)sa, len) < 0 || listen(fd, 8) < 0 ||
        getsockname(fd, (struct sockaddr *)sa, &len) < 0)
        abort();
    return fd;
}

int
fuzz_loopback_connect(const struct sockaddr_in *sa)
{
    struct pollfd p = { .fd = socket(AF_INET, SOCK_STREAM, 0), .events = POLLOUT };
    socklen_t len = sizeof(int);
    int err = 0;

    if (p.fd < 0)
        abort();
    if (connect(p.fd, (const struct sockaddr *)sa, sizeof(*sa)) == 0)
        return p.fd;
    /* Interrupted, the connection goes on: its end is awaited. */
    if (errno != EINTR)
        abort();
    while (poll(&p, 1, -1) < 0) {
        if (errno != EINTR)
            abort();
    }
    if (getsockopt(p.fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0 || err != 0)
        abort();
    return p.fd;
}

int
fuzz_loopback_accept(int listener)
{
    int fd;

    while ((fd = accept(listener, NULL, NULL)) < 0) {
        if (errno != EINTR)
            abort();
    }
    return fd;
}

void
fuzz_place(int fd, int at)
{
    if (fd < 0 || dup2(fd, at) != at)
        abort();
    close(fd);
}

void
fuzz_fd_snapshot(int *flags, int first_own, int n_own)
{
    for (int fd = 0; fd < FUZZ_FDS_WATCHED; fd++) {
        bool own = fd >= first_own && fd < first_own + n_own;
        flags[2 * fd] = own ? 0 : fcntl(fd, F_GETFD);
        flags[2 * fd + 1] = own ? 0 : fcntl(fd, F_GETFL);
    }
}
