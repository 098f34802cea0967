/* SPDX-License-Identifier: MIT */
/* Inherited descriptors checked for what they claim to be, without touching them. */
#include "socket_check.h"

#include <errno.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <uv.h>

/* The socket's family when fd is an open stream socket, else -errno. */
static int
socket_stream_family(int fd)
{
    struct sockaddr_storage ss;
    socklen_t ss_len = sizeof(ss), type_len = sizeof(int);
    struct stat st;
    int type = 0;

    if (fd < 0 || fstat(fd, &st) < 0)
        return -EBADF;
    if (!S_ISSOCK(st.st_mode))
        return -ENOTSOCK;
    if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &type_len) < 0 || type != SOCK_STREAM)
        return -EPROTOTYPE;
    if (getsockname(fd, (struct sockaddr *)&ss, &ss_len) < 0)
        return -errno;
    return ss.ss_family;
}

static bool
socket_is_listening(int fd)
{
    int on = 0;
    socklen_t len = sizeof(on);

    return getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &on, &len) == 0 && on;
}

static bool
family_is_tcp(int family)
{
    return family == AF_INET || family == AF_INET6;
}

/* 0 when fd is a connected TCP (tcp) or local stream socket (its peer in ss), else -errno. */
static int
socket_connected(int fd, bool tcp, struct sockaddr_storage *ss)
{
    socklen_t ss_len = sizeof(*ss);
    int family = socket_stream_family(fd);

    if (family < 0)
        return family;
    if (tcp ? !family_is_tcp(family) : family != AF_UNIX)
        return -EAFNOSUPPORT;
    if (socket_is_listening(fd) || getpeername(fd, (struct sockaddr *)ss, &ss_len) < 0)
        return -ENOTCONN;
    return 0;
}

int
net_socket_check(int fd, bool listening)
{
    struct sockaddr_storage ss;
    int family;

    if (!listening)
        return socket_connected(fd, true, &ss);
    family = socket_stream_family(fd);
    if (family < 0)
        return family;
    if (!family_is_tcp(family))
        return -EAFNOSUPPORT;
    return socket_is_listening(fd) ? 0 : -EINVAL;
}

int
net_socket_peer_name(int fd, char *out, size_t len)
{
    struct sockaddr_storage ss;
    int rc = socket_connected(fd, true, &ss);

    if (rc == 0)
        net_sockaddr_name(&ss, out, len);
    return rc;
}

int
net_socket_check_local(int fd, const char *path)
{
    const size_t path_at = offsetof(struct sockaddr_un, sun_path);
    struct sockaddr_un own;
    struct sockaddr_storage ss;
    socklen_t own_len = sizeof(own);
    char name[sizeof(own.sun_path) + 1];
    size_t name_len;
    int rc = socket_connected(fd, false, &ss);

    if (rc < 0)
        return rc;
    if (getsockname(fd, (struct sockaddr *)&own, &own_len) < 0)
        return -errno;
    /* A full sun_path has no NUL of its own. */
    name_len = own_len > path_at ? own_len - path_at : 0;
    if (name_len > sizeof(own.sun_path))
        name_len = sizeof(own.sun_path);
    memcpy(name, own.sun_path, name_len);
    name[name_len] = '\0';
    /* An unnamed socket's name is empty: it matches no path. */
    return path[0] && strcmp(name, path) == 0 ? 0 : -EADDRNOTAVAIL;
}

void
net_sockaddr_name(const struct sockaddr_storage *ss, char *out, size_t len)
{
    char host[INET6_ADDRSTRLEN] = "?";
    int port = 0;

    if (ss->ss_family == AF_INET6) {
        uv_ip6_name((const struct sockaddr_in6 *)ss, host, sizeof(host));
        port = ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
    } else if (ss->ss_family == AF_INET) {
        uv_ip4_name((const struct sockaddr_in *)ss, host, sizeof(host));
        port = ntohs(((const struct sockaddr_in *)ss)->sin_port);
    }
    snprintf(out, len, "%s:%d", host, port);
}
