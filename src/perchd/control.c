/* SPDX-License-Identifier: MIT */
/* The control socket: daemon side on libuv, client side with plain blocking calls. */
#include "control.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "base/list.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "net/socket_check.h"
#include "perchd.h"
#include "upgrade.h"

#define CONTROL_FILE     "control.sock"
#define CONTROL_LINE_MAX 64
/* A client that has not sent its command line by then is closed: a silent one must
 * hold nothing, not even a quit. */
#define CONTROL_READ_TIMEOUT_MS 5000

struct control_client {
    struct list link; /* in d->control_clients */
    uv_pipe_t pipe;
    uv_timer_t deadline;
    int n_open_handles; /* freed when both are closed */
    struct perchd *d;
    char line[CONTROL_LINE_MAX];
    size_t len;
    uv_write_t write_req;
    char reply[256];
};

/* DIR/control.sock; -1 when it does not fit a socket address (107 bytes on Linux):
 * truncating it would put the socket somewhere else. */
static int
control_path(const char *dir, char *out, size_t len)
{
    size_t n = (size_t)snprintf(out, len, "%s/%s", dir, CONTROL_FILE);

    return n < len ? 0 : -1;
}

bool
perchd_control_is_client(const char *dir, int fd)
{
    char path[sizeof(((struct sockaddr_un *)0)->sun_path)];

    return control_path(dir, path, sizeof(path)) == 0 && net_socket_check_local(fd, path) == 0;
}

static void
control_handle_closed(uv_handle_t *h)
{
    struct control_client *c = h->data;

    if (--c->n_open_handles == 0)
        free(c);
}

static void
control_client_close(struct control_client *c)
{
    if (uv_is_closing((uv_handle_t *)&c->pipe))
        return;
    list_remove(&c->link);
    uv_close((uv_handle_t *)&c->pipe, control_handle_closed);
    uv_close((uv_handle_t *)&c->deadline, control_handle_closed);
}

static void
control_replied(uv_write_t *req, int status)
{
    struct control_client *c = req->data;

    (void)status;
    control_client_close(c);
}

/* The quitting client's connection stays open, unreferenced, until the process
 * exits: its EOF tells `perchd --quit` that the daemon is gone. */
static void
control_replied_keep(uv_write_t *req, int status)
{
    (void)req;
    (void)status;
}

static void
control_reply(struct control_client *c, const char *fmt, const char *arg, bool keep)
{
    uv_buf_t b;

    snprintf(c->reply, sizeof(c->reply), fmt, arg);
    b = uv_buf_init(c->reply, (unsigned int)strlen(c->reply));
    c->write_req.data = c;
    if (keep)
        uv_unref((uv_handle_t *)&c->pipe);
    if (uv_write(&c->write_req, (uv_stream_t *)&c->pipe, &b, 1,
                 keep ? control_replied_keep : control_replied) < 0)
        control_client_close(c);
}

static void
control_execute(struct control_client *c)
{
    char err[512], pid[32];
    const char *end = memchr(c->line, '\n', c->len);
    size_t len = end ? (size_t)(end - c->line) : c->len;

    if (len && c->line[len - 1] == '\r')
        len--;
    /* A NUL would end the command early: "quit\0..." is not "quit". */
    if (memchr(c->line, '\0', len)) {
        control_reply(c, "error: %s\n", "a command is one line of text", false);
        return;
    }
    c->line[len] = '\0';
    log_info("control: %s", c->line);
    if (strcmp(c->line, "quit") == 0) {
        snprintf(pid, sizeof(pid), "%ld", (long)getpid());
        control_reply(c, "ok %s\n", pid, true);
        perchd_quit(c->d, "perchd --quit");
    } else if (strcmp(c->line, "reload") == 0) {
        if (perchd_reload(c->d, err, sizeof(err)) == 0)
            control_reply(c, "ok%s\n", "", false);
        else
            control_reply(c, "error: %s\n", err, false);
    } else if (strcmp(c->line, "upgrade") == 0) {
        uv_os_fd_t fd;
        /* The answer comes from the new process (or from this one if the exec fails):
         * the connection stays open, unreferenced, until then. */
        uv_fileno((uv_handle_t *)&c->pipe, &fd);
        if (perchd_upgrade(c->d, fd, err, sizeof(err)) < 0)
            control_reply(c, "error: %s\n", err, false);
        else
            uv_unref((uv_handle_t *)&c->pipe);
    } else {
        control_reply(c, "error: unknown command \"%s\"\n", c->line, false);
    }
}

static void
control_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    struct control_client *c = h->data;

    (void)suggested;
    *buf = uv_buf_init(c->line + c->len, (unsigned int)(sizeof(c->line) - 1 - c->len));
}

static void
control_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
    struct control_client *c = s->data;

    (void)buf;
    if (n < 0 || (n == 0 && c->len == sizeof(c->line) - 1)) {
        control_client_close(c);
        return;
    }
    c->len += (size_t)n;
    if (!memchr(c->line, '\n', c->len) && c->len < sizeof(c->line) - 1)
        return;
    uv_read_stop(s);
    uv_timer_stop(&c->deadline);
    control_execute(c);
}

static void
control_too_slow(uv_timer_t *t)
{
    control_client_close(t->data);
}

static void
control_on_connection(uv_stream_t *server, int status)
{
    struct perchd *d = server->data;
    struct control_client *c;

    if (status < 0)
        return;
    c = xcalloc(1, sizeof(*c));
    c->d = d;
    list_append(&d->control_clients, &c->link);
    uv_pipe_init(d->loop, &c->pipe, 0);
    uv_timer_init(d->loop, &c->deadline);
    c->n_open_handles = 2;
    c->pipe.data = c;
    c->deadline.data = c;
    uv_timer_start(&c->deadline, control_too_slow, CONTROL_READ_TIMEOUT_MS, 0);
    if (uv_accept(server, (uv_stream_t *)&c->pipe) < 0 ||
        uv_read_start((uv_stream_t *)&c->pipe, control_alloc, control_read) < 0)
        control_client_close(c);
}

/* True when a daemon answers on path. */
static bool
control_is_alive(const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    bool alive;

    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
    alive = fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;
    if (fd >= 0)
        close(fd);
    return alive;
}

int
perchd_control_listen(struct perchd *d, char *err, size_t err_len)
{
    char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
    int rc;

    list_init(&d->control_clients);
    if (control_path(d->dir, path, sizeof(path)) < 0) {
        snprintf(err, err_len,
                 "%s: data dir path too long for its control socket (at most %zu bytes)", d->dir,
                 sizeof(path) - sizeof(CONTROL_FILE) - 1);
        return -1;
    }
    if (control_is_alive(path)) {
        snprintf(err, err_len, "another perchd already runs for %s", d->dir);
        return -1;
    }
    unlink(path); /* a stale socket of a daemon that died */
    uv_pipe_init(d->loop, &d->control, 0);
    d->control.data = d;
    mode_t old = umask(077);
    rc = uv_pipe_bind(&d->control, path);
    umask(old);
    if (rc == 0)
        rc = uv_listen((uv_stream_t *)&d->control, 8, control_on_connection);
    if (rc < 0) {
        snprintf(err, err_len, "%s: %s", path, uv_strerror(rc));
        uv_close((uv_handle_t *)&d->control, NULL);
        return -1;
    }
    chmod(path, 0600);
    d->control_open = true;
    return 0;
}

void
perchd_control_close(struct perchd *d)
{
    char path[sizeof(((struct sockaddr_un *)0)->sun_path)];

    struct list *pos, *tmp;

    if (!d->control_open)
        return;
    d->control_open = false;
    /* Clients still sending their command get no answer: the daemon is going. The
     * one that asked to quit is not among them (answered, kept until exit). */
    list_for_each_safe (pos, tmp, &d->control_clients) {
        struct control_client *c = list_entry(pos, struct control_client, link);
        if (uv_is_active((uv_handle_t *)&c->deadline))
            control_client_close(c);
    }
    if (control_path(d->dir, path, sizeof(path)) == 0)
        unlink(path);
    uv_close((uv_handle_t *)&d->control, NULL);
}

void
perchd_control_release(struct perchd *d, int fd)
{
    struct list *pos, *tmp;

    list_for_each_safe (pos, tmp, &d->control_clients) {
        struct control_client *c = list_entry(pos, struct control_client, link);
        uv_os_fd_t own;
        if (uv_fileno((uv_handle_t *)&c->pipe, &own) == 0 && own == fd)
            control_client_close(c);
    }
}

/* ---- client side ---- */

int
perchd_control_run(const char *dir, const char *command)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    char reply[512];
    ssize_t n = 0, got = 0;
    int fd;

    if (control_path(dir, sa.sun_path, sizeof(sa.sun_path)) < 0) {
        fprintf(stderr, "perchd: %s: data dir path too long for its control socket\n", dir);
        return 1;
    }
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        fprintf(stderr, "perchd: no perchd is running for %s (%s: %s)\n", dir, sa.sun_path,
                strerror(errno));
        if (fd >= 0)
            close(fd);
        return 1;
    }
    dprintf(fd, "%s\n", command);
    while (got < (ssize_t)sizeof(reply) - 1 &&
           (n = read(fd, reply + got, sizeof(reply) - 1 - (size_t)got)) > 0) {
        got += n;
        /* quit: up to EOF, which comes when the daemon is gone; the others: one line. */
        if (strcmp(command, "quit") != 0 && memchr(reply, '\n', (size_t)got))
            break;
    }
    close(fd);
    reply[got > 0 ? got : 0] = '\0';
    reply[strcspn(reply, "\n")] = '\0';
    if (strncmp(reply, "ok", 2) != 0) {
        fprintf(stderr, "perchd: %s refused: %s\n", command,
                reply[0] ? reply : "no answer (the daemon stopped?)");
        return 1;
    }
    printf("perchd: %s done\n", command);
    return 0;
}
