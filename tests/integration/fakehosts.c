/* SPDX-License-Identifier: MIT */
/*
 * An LD_PRELOAD shim for the tests: getaddrinfo() answers the names listed in
 * PERCH_FAKE_HOSTS ("name=addr,addr;name2=addr") with those addresses, in that order,
 * as a name with several IPv4 and IPv6 addresses would resolve. Other names go to libc.
 * The list is laid out as glibc's (one block per entry), so libc's freeaddrinfo() frees it.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dlfcn.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fake_entry {
    struct addrinfo ai;
    struct sockaddr_in6 sa; /* big enough for both families */
};

static struct addrinfo *
fake_entry(const char *text, size_t len, int port)
{
    char ip[64];
    struct fake_entry *e;

    if (len >= sizeof(ip))
        return NULL;
    memcpy(ip, text, len);
    ip[len] = '\0';
    e = calloc(1, sizeof(*e));
    if (!e)
        return NULL;
    e->ai.ai_socktype = SOCK_STREAM;
    e->ai.ai_protocol = IPPROTO_TCP;
    e->ai.ai_addr = (struct sockaddr *)&e->sa;
    if (inet_pton(AF_INET6, ip, &e->sa.sin6_addr) == 1) {
        e->sa.sin6_family = AF_INET6;
        e->sa.sin6_port = htons((unsigned short)port);
        e->ai.ai_family = AF_INET6;
        e->ai.ai_addrlen = sizeof(struct sockaddr_in6);
    } else {
        struct sockaddr_in *sin = (struct sockaddr_in *)&e->sa;
        if (inet_pton(AF_INET, ip, &sin->sin_addr) != 1) {
            free(e);
            return NULL;
        }
        sin->sin_family = AF_INET;
        sin->sin_port = htons((unsigned short)port);
        e->ai.ai_family = AF_INET;
        e->ai.ai_addrlen = sizeof(struct sockaddr_in);
    }
    return &e->ai;
}

int
getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
            struct addrinfo **res)
{
    int (*real)(const char *, const char *, const struct addrinfo *, struct addrinfo **) =
        (int (*)(const char *, const char *, const struct addrinfo *, struct addrinfo **))dlsym(
            RTLD_NEXT, "getaddrinfo");
    const char *spec = getenv("PERCH_FAKE_HOSTS");
    size_t nlen = node ? strlen(node) : 0;

    for (const char *p = spec; p && node && *p;) {
        const char *end = p + strcspn(p, ";");
        if ((size_t)(end - p) > nlen && strncmp(p, node, nlen) == 0 && p[nlen] == '=') {
            struct addrinfo *head = NULL, **tail = &head;
            int port = service ? atoi(service) : 0;
            for (const char *a = p + nlen + 1; a < end;) {
                size_t alen = strcspn(a, ",;");
                if (a + alen > end)
                    alen = (size_t)(end - a);
                struct addrinfo *ai = fake_entry(a, alen, port);
                if (ai) {
                    *tail = ai;
                    tail = &ai->ai_next;
                }
                a += alen + 1;
            }
            *res = head;
            return head ? 0 : EAI_NONAME;
        }
        p = *end ? end + 1 : end;
    }
    return real(node, service, hints, res);
}
