/* SPDX-License-Identifier: MIT */
/* What an inherited descriptor really is, before anything takes it: an upgrade's saved
 * state names descriptors by number, and a number may be anything in this process. */
#ifndef PERCH_NET_SOCKET_CHECK_H
#define PERCH_NET_SOCKET_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

/* 0 when fd is an open TCP socket (IPv4 or IPv6) that is listening (listening true) or
 * connected to a peer (false); else -EBADF, -ENOTSOCK, -EPROTOTYPE (not a stream),
 * -EAFNOSUPPORT (not TCP/IP), -EINVAL (not listening) or -ENOTCONN. Reads only. */
int net_socket_check(int fd, bool listening);
/* The same for a connected one, with its peer as net names peers ("127.0.0.1:6667",
 * "::1:6697") in out. */
int net_socket_peer_name(int fd, char *out, size_t len);
/* An address as "host:port". */
void net_sockaddr_name(const struct sockaddr_storage *ss, char *out, size_t len);
/* 0 when fd is a connected local (AF_UNIX) stream socket accepted on the socket bound at
 * path (its own address is path), else as above (-EADDRNOTAVAIL: another address). */
int net_socket_check_local(int fd, const char *path);

#endif
