/* SPDX-License-Identifier: MIT */
/* A listening TCP socket, plain or TLS. */
#include "listener.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "base/xalloc.h"
#include "internal.h"
#include "socket_check.h"
#include "tls/context.h"

struct net_listener {
    uv_loop_t *loop;
    uv_tcp_t *tcp; /* NULL while held */
    int held_fd;   /* the listening socket while held, else -1 */
    struct tls_context *tls;
    net_accept_cb cb;
    void *data;
};

int
net_parse_host_port(const char *text, char *host, size_t host_len, int *port)
{
    const char *colon;
    size_t len;
    char *end;
    long p;

    if (text[0] == '[') {
        const char *close = strchr(text, ']');
        if (!close || close[1] != ':')
            return -EINVAL;
        len = (size_t)(close - text - 1);
        colon = close + 1;
        text++;
    } else {
        colon = strrchr(text, ':');
        if (!colon)
            return -EINVAL;
        len = (size_t)(colon - text);
    }
    if (len == 0 || len >= host_len)
        return -EINVAL;
    p = strtol(colon + 1, &end, 10);
    if (!colon[1] || *end || p < 0 || p > 65535)
        return -EINVAL;
    memcpy(host, text, len);
    host[len] = '\0';
    *port = (int)p;
    return 0;
}

static void
listener_on_connection(uv_stream_t *server, int status)
{
    struct net_listener *l = server->data;
    struct net_conn *conn;

    if (status < 0) {
        log_warn("accept failed: %s", uv_strerror(status));
        return;
    }
    conn = net__conn_new(server->loop, l->tls);
    if (uv_accept(server, net__conn_stream(conn)) < 0) {
        net_conn_close(conn, NET_CLOSE_INTERNAL);
        return;
    }
    net__conn_start(conn);
    if (!net_conn_is_closing(conn))
        l->cb(conn, l->data);
}

static int
listener_bind(struct net_listener *l, const char *host, int port)
{
    struct sockaddr_storage ss;
    int rc;

    if (strchr(host, ':'))
        rc = uv_ip6_addr(host, port, (struct sockaddr_in6 *)&ss);
    else
        rc = uv_ip4_addr(host, port, (struct sockaddr_in *)&ss);
    if (rc < 0)
        return rc;
    rc = uv_tcp_bind(l->tcp, (const struct sockaddr *)&ss, 0);
    if (rc < 0)
        return rc;
    return uv_listen((uv_stream_t *)l->tcp, 128, listener_on_connection);
}

static void
listener_free_struct(struct net_listener *l)
{
    tls_context_unref(l->tls);
    free(l);
}

static void
listener_closed(uv_handle_t *handle)
{
    listener_free_struct(handle->data);
    free(handle);
}

/* A held listener's handle goes alone: the listener lives on with its descriptor. */
static void
listener_handle_closed(uv_handle_t *handle)
{
    free(handle);
}

static void
listener_open_handle(struct net_listener *l)
{
    l->tcp = xcalloc(1, sizeof(*l->tcp));
    uv_tcp_init(l->loop, l->tcp);
    l->tcp->data = l;
}

static struct net_listener *
listener_alloc(uv_loop_t *loop, struct tls_context *tls, net_accept_cb cb, void *data)
{
    struct net_listener *l = xcalloc(1, sizeof(*l));

    l->loop = loop;
    l->held_fd = -1;
    listener_open_handle(l);
    l->cb = cb;
    l->data = data;
    if (tls) {
        tls_context_ref(tls);
        l->tls = tls;
    }
    return l;
}

struct net_listener *
net_listener_new(uv_loop_t *loop, const char *host_port, struct tls_context *tls, net_accept_cb cb,
                 void *data, char *err, size_t err_len)
{
    struct net_listener *l;
    char host[256];
    int port, rc;

    if (net_parse_host_port(host_port, host, sizeof(host), &port) < 0) {
        snprintf(err, err_len, "invalid address \"%s\" (expected HOST:PORT)", host_port);
        return NULL;
    }
    l = listener_alloc(loop, tls, cb, data);
    rc = listener_bind(l, host, port);
    if (rc < 0) {
        snprintf(err, err_len, "cannot listen on %s: %s", host_port, uv_strerror(rc));
        uv_close((uv_handle_t *)l->tcp, listener_closed);
        return NULL;
    }
    return l;
}

void
net_listener_set_tls(struct net_listener *l, struct tls_context *tls)
{
    tls_context_ref(tls);
    tls_context_unref(l->tls);
    l->tls = tls;
}

bool
net_listener_is_tls(const struct net_listener *l)
{
    return l->tls != NULL;
}

void
net_listener_free(struct net_listener *l)
{
    if (!l)
        return;
    if (l->tcp) {
        uv_close((uv_handle_t *)l->tcp, listener_closed);
        return;
    }
    close(l->held_fd);
    listener_free_struct(l);
}

int
net_listener_fd(const struct net_listener *l)
{
    uv_os_fd_t fd;

    if (!l->tcp)
        return l->held_fd;
    return uv_fileno((const uv_handle_t *)l->tcp, &fd) == 0 ? fd : -1;
}

int
net_listener_hold(struct net_listener *l)
{
    int fd = net_listener_fd(l), copy;

    if (!l->tcp)
        return 0;
    /* The copy keeps the socket listening (and its backlog filling) once libuv's
     * handle, and with it libuv's descriptor, is closed. */
    copy = fd < 0 ? -1 : fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (copy < 0)
        return -errno;
    uv_close((uv_handle_t *)l->tcp, listener_handle_closed);
    l->tcp = NULL;
    l->held_fd = copy;
    return 0;
}

int
net_listener_resume(struct net_listener *l)
{
    int rc;

    if (l->tcp)
        return 0;
    listener_open_handle(l);
    rc = uv_tcp_open(l->tcp, l->held_fd);
    if (rc == 0)
        rc = uv_listen((uv_stream_t *)l->tcp, 128, listener_on_connection);
    if (rc < 0) {
        log_error("cannot listen again on socket %d: %s", l->held_fd, uv_strerror(rc));
        uv_close((uv_handle_t *)l->tcp, listener_handle_closed);
        l->tcp = NULL;
        return rc;
    }
    l->held_fd = -1;
    return 0;
}

/* An upgrade hands descriptors over with FD_CLOEXEC off; once adopted they get it back,
 * so that nothing this process runs later inherits them. */
static void
listener_set_cloexec(int fd)
{
    int flags = fcntl(fd, F_GETFD);

    if (flags >= 0)
        (void)fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
}

struct net_listener *
net_listener_adopt(uv_loop_t *loop, int fd, struct tls_context *tls, net_accept_cb cb, void *data,
                   char *err, size_t err_len)
{
    struct net_listener *l;
    int rc = net_socket_check(fd, true);

    /* Anything else is left as it is: closing it could close what this process uses. */
    if (rc < 0) {
        snprintf(err, err_len, "descriptor %d is not a listening TCP socket: %s", fd,
                 strerror(-rc));
        return NULL;
    }
    l = listener_alloc(loop, tls, cb, data);
    listener_set_cloexec(fd);
    rc = uv_tcp_open(l->tcp, fd);

    if (rc == 0)
        rc = uv_listen((uv_stream_t *)l->tcp, 128, listener_on_connection);
    if (rc < 0) {
        snprintf(err, err_len, "cannot adopt listening socket %d: %s", fd, uv_strerror(rc));
        uv_close((uv_handle_t *)l->tcp, listener_closed);
        return NULL;
    }
    return l;
}

struct net_conn *
net_conn_adopt(uv_loop_t *loop, int fd)
{
    struct net_conn *conn;

    if (net_socket_check(fd, false) < 0)
        return NULL;
    conn = net__conn_new(loop, NULL);
    listener_set_cloexec(fd);
    if (uv_tcp_open((uv_tcp_t *)net__conn_stream(conn), fd) < 0) {
        net_conn_close(conn, NET_CLOSE_INTERNAL);
        return NULL;
    }
    net__conn_start(conn);
    return conn;
}
