/* SPDX-License-Identifier: MIT */
/* Relay URLs: http://host[:port] or https://host[:port] (IPv6 in brackets), default port 9000. */
#ifndef PERCH_CLIENT_URL_H
#define PERCH_CLIENT_URL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

struct client_url {
    bool tls;
    char host[256];
    int port;
    struct sockaddr_storage addr; /* resolved */
};

/* Parses and resolves url (any path is ignored, like WeeChat's /remote). 0 or -1 with err. */
int client_url_parse(const char *url, struct client_url *out, char *err, size_t err_len);

#endif
