/* SPDX-License-Identifier: MIT */
/* Relay URLs. */
#include "url.h"

#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
client_url_parse(const char *url, struct client_url *out, char *err, size_t err_len)
{
    const char *p, *host_end, *port_start = NULL;
    struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res = NULL;
    char port[8];
    int rc;

    memset(out, 0, sizeof(*out));
    if (strncmp(url, "https://", 8) == 0) {
        out->tls = true;
        p = url + 8;
    } else if (strncmp(url, "http://", 7) == 0) {
        p = url + 7;
    } else {
        snprintf(err, err_len, "invalid URL \"%s\": expected https://HOST[:PORT] or http://...",
                 url);
        return -1;
    }
    if (*p == '[') {
        host_end = strchr(p, ']');
        if (!host_end)
            goto bad;
        p++;
        port_start = host_end[1] == ':' ? host_end + 2 : NULL;
    } else {
        host_end = p + strcspn(p, ":/");
        port_start = *host_end == ':' ? host_end + 1 : NULL;
    }
    if (host_end == p || (size_t)(host_end - p) >= sizeof(out->host))
        goto bad;
    memcpy(out->host, p, (size_t)(host_end - p));
    out->port = 9000;
    if (port_start) {
        char *end;
        long v = strtol(port_start, &end, 10);
        if (end == port_start || (*end && *end != '/') || v < 1 || v > 65535)
            goto bad;
        out->port = (int)v;
    }
    snprintf(port, sizeof(port), "%d", out->port);
    rc = getaddrinfo(out->host, port, &hints, &res);
    if (rc != 0) {
        snprintf(err, err_len, "cannot resolve %s: %s", out->host, gai_strerror(rc));
        return -1;
    }
    memcpy(&out->addr, res->ai_addr, res->ai_addrlen);
    freeaddrinfo(res);
    return 0;
bad:
    snprintf(err, err_len, "invalid URL \"%s\"", url);
    return -1;
}
