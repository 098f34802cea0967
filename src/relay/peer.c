/* SPDX-License-Identifier: MIT */
/* Client addresses as one 16-byte type: grouping, ordering, network matching, names. */
#include "peer.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

static const uint8_t peer_v4_prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

static bool
peer_is_v4(const struct relay_peer *p)
{
    return memcmp(p->addr, peer_v4_prefix, sizeof(peer_v4_prefix)) == 0;
}

int
relay_peer_from_sockaddr(const struct sockaddr_storage *ss, struct relay_peer *out)
{
    if (ss->ss_family == AF_INET) {
        memcpy(out->addr, peer_v4_prefix, sizeof(peer_v4_prefix));
        memcpy(out->addr + 12, &((const struct sockaddr_in *)ss)->sin_addr, 4);
        return 0;
    }
    if (ss->ss_family == AF_INET6) {
        memcpy(out->addr, &((const struct sockaddr_in6 *)ss)->sin6_addr, 16);
        return 0;
    }
    return -EAFNOSUPPORT;
}

struct relay_peer
relay_peer_group(const struct relay_peer *p)
{
    struct relay_peer group = *p;

    if (!peer_is_v4(p))
        memset(group.addr + 8, 0, 8);
    return group;
}

int
relay_peer_compare(const struct relay_peer *a, const struct relay_peer *b)
{
    return memcmp(a->addr, b->addr, sizeof(a->addr));
}

bool
relay_peer_equal(const struct relay_peer *a, const struct relay_peer *b)
{
    return relay_peer_compare(a, b) == 0;
}

bool
relay_peer_in_network(const struct relay_peer *p, const struct relay_network *net)
{
    int bits = net->prefix_len, whole = bits / 8;

    if (memcmp(p->addr, net->addr, (size_t)whole) != 0)
        return false;
    return bits % 8 == 0 || ((p->addr[whole] ^ net->addr[whole]) & (0xff << (8 - bits % 8))) == 0;
}

void
relay_peer_group_name(const struct relay_peer *group, char out[RELAY_PEER_NAME_MAX])
{
    char text[INET6_ADDRSTRLEN];

    if (peer_is_v4(group)) {
        if (!inet_ntop(AF_INET, group->addr + 12, out, RELAY_PEER_NAME_MAX))
            snprintf(out, RELAY_PEER_NAME_MAX, "?");
        return;
    }
    if (!inet_ntop(AF_INET6, group->addr, text, sizeof(text)))
        snprintf(text, sizeof(text), "?");
    snprintf(out, RELAY_PEER_NAME_MAX, "%s/64", text);
}

void
relay_peer_format(const struct relay_peer *p, char out[RELAY_PEER_NAME_MAX])
{
    if (!inet_ntop(AF_INET6, p->addr, out, RELAY_PEER_NAME_MAX))
        snprintf(out, RELAY_PEER_NAME_MAX, "::");
}

int
relay_peer_parse(const char *text, struct relay_peer *out)
{
    return inet_pton(AF_INET6, text, out->addr) == 1 ? 0 : -EINVAL;
}
