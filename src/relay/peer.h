/* SPDX-License-Identifier: MIT */
/* A client's address, the group that per-address limits count together, network matching. */
#ifndef PERCH_RELAY_PEER_H
#define PERCH_RELAY_PEER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "config.h"

/* An address as 16 bytes: IPv6 as is, IPv4 as ::ffff:a.b.c.d (so one type holds both). */
struct relay_peer {
    uint8_t addr[16];
};

/* Longest text relay_peer_group_name() writes, NUL included. */
#define RELAY_PEER_NAME_MAX 64

/* Fills out from an IPv4 or IPv6 socket address; -EAFNOSUPPORT for anything else. */
int relay_peer_from_sockaddr(const struct sockaddr_storage *ss, struct relay_peer *out);
/*
 * The group per-address limits apply to: the address itself for IPv4, its /64 for IPv6
 * (one host or home network usually owns a whole /64, so counting single IPv6 addresses
 * would let it take as many slots as it likes).
 */
struct relay_peer relay_peer_group(const struct relay_peer *p);
/* memcmp-like order (for sorted tables) and equality. */
int relay_peer_compare(const struct relay_peer *a, const struct relay_peer *b);
bool relay_peer_equal(const struct relay_peer *a, const struct relay_peer *b);
/* True when the address lies in the network. */
bool relay_peer_in_network(const struct relay_peer *p, const struct relay_network *net);
/* Full text of an address ("::ffff:127.0.0.2", "2001:db8::1") and back (for saved state);
 * parse returns 0 or -EINVAL. */
void relay_peer_format(const struct relay_peer *p, char out[RELAY_PEER_NAME_MAX]);
int relay_peer_parse(const char *text, struct relay_peer *out);
/* A group for logs: "127.0.0.2", "2001:db8:1:2::/64". */
void relay_peer_group_name(const struct relay_peer *group, char out[RELAY_PEER_NAME_MAX]);

#endif
