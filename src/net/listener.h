/* SPDX-License-Identifier: MIT */
/* A listening TCP socket, plain or TLS, that hands accepted connections to its owner. */
#ifndef PERCH_NET_LISTENER_H
#define PERCH_NET_LISTENER_H

#include <stdbool.h>
#include <stddef.h>
#include <uv.h>

struct net_conn;
struct net_listener;
struct tls_context;

/* Called for each accepted connection; the callee sets its owner (or closes it). */
typedef void (*net_accept_cb)(struct net_conn *conn, void *data);

/*
 * Listens on "host:port" ("[::1]:9000" for IPv6). tls may be NULL for plain TCP;
 * the listener takes a reference. Returns NULL with a reason in err.
 */
struct net_listener *net_listener_new(uv_loop_t *loop, const char *host_port,
                                      struct tls_context *tls, net_accept_cb cb, void *data,
                                      char *err, size_t err_len);
/* Replaces the TLS context used for new connections (reload). */
void net_listener_set_tls(struct net_listener *l, struct tls_context *tls);
/* True when the listener speaks TLS. */
bool net_listener_is_tls(const struct net_listener *l);
/* Stops accepting and frees the listener (asynchronously). Accepts NULL. */
void net_listener_free(struct net_listener *l);

/* The listening socket's descriptor (for the upgrade hand-over). */
int net_listener_fd(const struct net_listener *l);
/* Stops accepting while the socket goes on listening: connections wait in its backlog,
 * untouched, for whoever accepts next (an upgrade's new process). 0 or -errno. */
int net_listener_hold(struct net_listener *l);
/* Accepts again after net_listener_hold() (a failed upgrade). 0 or a libuv error. */
int net_listener_resume(struct net_listener *l);
/* Listens on an inherited, already listening TCP socket. NULL with err on failure; a
 * descriptor that is not one is left untouched. */
struct net_listener *net_listener_adopt(uv_loop_t *loop, int fd, struct tls_context *tls,
                                        net_accept_cb cb, void *data, char *err, size_t err_len);
/* Adopts an inherited connected plain TCP socket and starts reading. NULL on failure; a
 * descriptor that is not one is left untouched. */
struct net_conn *net_conn_adopt(uv_loop_t *loop, int fd);

/* Splits "host:port" / "[v6]:port"; returns 0 or -EINVAL. */
int net_parse_host_port(const char *text, char *host, size_t host_len, int *port);

#endif
