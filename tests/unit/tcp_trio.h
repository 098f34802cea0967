/* SPDX-License-Identifier: MIT */
/* Real loopback TCP sockets for unit tests of code that takes descriptors. */
#ifndef PERCH_TEST_TCP_TRIO_H
#define PERCH_TEST_TCP_TRIO_H

/* A loopback listener (IPv4 or IPv6) and the two ends of a connection to it. */
struct tcp_trio {
    int listener, client, server;
};

/* 0, or -1 with whatever was opened left in t for trio_close(). */
int trio_open(struct tcp_trio *t, int family);
/* Closes every descriptor of t still open (-1: not open). */
void trio_close(struct tcp_trio *t);

#endif
