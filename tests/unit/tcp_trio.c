/* SPDX-License-Identifier: MIT */
#include "tcp_trio.h"

#include <netinet/in.h>
#include <stddef.h>
#include <sys/socket.h>
#include <unistd.h>

int
trio_open(struct tcp_trio *t, int family)
{
    struct sockaddr_storage ss = { 0 };
    socklen_t len = family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);

    t->listener = t->client = t->server = -1;
    ss.ss_family = (sa_family_t)family;
    if (family == AF_INET6)
        ((struct sockaddr_in6 *)&ss)->sin6_addr = in6addr_loopback;
    else
        ((struct sockaddr_in *)&ss)->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    t->listener = socket(family, SOCK_STREAM, 0);
    if (t->listener < 0 || bind(t->listener, (struct sockaddr *)&ss, len) < 0 ||
        listen(t->listener, 4) < 0 || getsockname(t->listener, (struct sockaddr *)&ss, &len) < 0)
        return -1;
    t->client = socket(family, SOCK_STREAM, 0);
    if (connect(t->client, (struct sockaddr *)&ss, len) < 0)
        return -1;
    t->server = accept(t->listener, NULL, NULL);
    return t->server < 0 ? -1 : 0;
}

void
trio_close(struct tcp_trio *t)
{
    int fds[] = { t->listener, t->client, t->server };

    for (size_t i = 0; i < 3; i++) {
        if (fds[i] >= 0)
            close(fds[i]);
    }
}
