/* SPDX-License-Identifier: MIT */
/* Line input from stdin or any descriptor: libuv streams, file reads, a paused terminal. */
#include "input.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/xalloc.h"

#define INPUT_CHUNK    65536
#define INPUT_LINE_MAX (1u << 20) /* longer lines are dropped whole */
#define INPUT_BG_MS    500 /* how often a terminal perch is in the background of is checked */

enum input_kind {
    INPUT_NONE,   /* nothing to read */
    INPUT_STREAM, /* terminal, pipe, socket: read when readable */
    INPUT_FILE,   /* regular file or character device: never "readable", read in the pool */
};

union input_stream {
    uv_handle_t handle;
    uv_stream_t stream;
    uv_tty_t tty;
    uv_pipe_t pipe;
    uv_tcp_t tcp;
};

struct client_input {
    uv_loop_t *loop;
    int fd;
    uv_handle_type type;
    enum input_kind kind;
    /* libuv gives up on a stream after a read error, so the terminal gets a new one each
     * time perch comes back to the foreground (each freed in its close callback). */
    union input_stream *stream;
    uv_fs_t req;
    uv_timer_t again; /* a terminal that belongs to another process group: when to look again */
    client_input_line_cb on_line;
    void *data;
    struct buf held; /* bytes read and not delivered yet */
    bool paused;     /* by the owner, or a line it refused */
    bool reading;    /* stream: uv_read_start() is on; file: a read is in flight */
    bool background; /* the terminal is another process group's for now */
    bool eof;        /* nothing more will be read */
    bool skipping;   /* inside a line longer than INPUT_LINE_MAX, dropped up to its "\n" */
    bool freed;
    int n_open_handles;
    char chunk[INPUT_CHUNK];
};

static void input_read_more(struct client_input *in);
static void input_got(struct client_input *in, ssize_t n);

static void
input_release(struct client_input *in)
{
    buf_fini(&in->held);
    free(in);
}

static void
input_closed(uv_handle_t *h)
{
    struct client_input *in = h->data;

    if (h != (uv_handle_t *)&in->again)
        free(h);
    if (--in->n_open_handles == 0 && !(in->kind == INPUT_FILE && in->reading))
        input_release(in);
}

static void
input_close_stream(struct client_input *in)
{
    if (!in->stream)
        return;
    uv_close(&in->stream->handle, input_closed);
    in->stream = NULL;
    in->reading = false;
}

/* Wraps fd in the libuv stream its type needs; false when it cannot be one. */
static bool
input_open_stream(struct client_input *in)
{
    union input_stream *s = xcalloc(1, sizeof(*s));
    int rc = UV_EINVAL;

    if (in->type == UV_TTY) {
        /* libuv reopens the terminal, so its non-blocking reads leave the shell's (and our
         * stdout's) open file description alone. */
        if (uv_tty_init(in->loop, &s->tty, in->fd, 1) < 0) {
            free(s);
            return false;
        }
        rc = 0;
    } else if (in->type == UV_NAMED_PIPE) {
        uv_pipe_init(in->loop, &s->pipe, 0);
        rc = uv_pipe_open(&s->pipe, in->fd);
    } else if (in->type == UV_TCP) {
        uv_tcp_init(in->loop, &s->tcp);
        rc = uv_tcp_open(&s->tcp, in->fd);
    } else {
        free(s);
        return false;
    }
    s->handle.data = in;
    in->n_open_handles++;
    in->stream = s;
    if (rc < 0)
        input_close_stream(in);
    return rc == 0;
}

/* Offers the complete lines held (and, after the end, the last one without "\n"). */
static void
input_deliver(struct client_input *in)
{
    size_t used = 0;

    while (!in->paused && !in->freed && used < in->held.len) {
        char *line = in->held.data + used;
        char *nl = memchr(line, '\n', in->held.len - used);
        size_t len = nl ? (size_t)(nl - line) : in->held.len - used;
        if (!nl && !in->eof)
            break;
        char end = line[len];
        bool cr = len && line[len - 1] == '\r';
        line[len] = '\0';
        if (cr)
            line[len - 1] = '\0';
        if (!in->on_line(in->data, line)) {
            /* Kept as it was, for the next offer. */
            line[len] = end;
            if (cr)
                line[len - 1] = '\r';
            client_input_pause(in);
            break;
        }
        used += len + (nl ? 1 : 0);
    }
    if (used) {
        memmove(in->held.data, in->held.data + used, in->held.len - used);
        in->held.len -= used;
        in->held.data[in->held.len] = '\0';
    }
    if (!in->paused && in->held.len > INPUT_LINE_MAX) {
        buf_reset(&in->held);
        in->skipping = true;
    }
}

static void
input_take(struct client_input *in, const char *data, size_t len)
{
    if (in->skipping) {
        const char *nl = memchr(data, '\n', len);
        if (!nl)
            return;
        in->skipping = false;
        len -= (size_t)(nl + 1 - data);
        data = nl + 1;
    }
    /* Room for a whole chunk past the longest line is reserved, so this fails only if the
     * owner paused while a file read was in flight twice in a row: then the line goes. */
    if (buf_append(&in->held, data, len) < 0) {
        buf_reset(&in->held);
        in->skipping = true;
    }
    input_deliver(in);
}

static void
input_stop_reading(struct client_input *in)
{
    if (in->kind == INPUT_STREAM && in->reading) {
        uv_read_stop(&in->stream->stream);
        in->reading = false;
    }
}

static bool
input_tty_is_background(const struct client_input *in)
{
    pid_t owner = tcgetpgrp(in->fd);

    return owner > 0 && owner != getpgrp();
}

static void
input_look_again(uv_timer_t *t)
{
    struct client_input *in = t->data;

    if (input_tty_is_background(in))
        return;
    uv_timer_stop(t);
    in->background = false;
    if (input_open_stream(in))
        input_read_more(in);
    else
        input_got(in, UV_EOF);
}

/* A read's outcome: n bytes in chunk, the end (n == UV_EOF) or an error. */
static void
input_got(struct client_input *in, ssize_t n)
{
    if (n > 0) {
        input_take(in, in->chunk, (size_t)n);
        return;
    }
    input_stop_reading(in);
    if (n == UV_EIO && in->type == UV_TTY && input_tty_is_background(in)) {
        /* Job control: the terminal is the foreground job's until perch is brought back. */
        input_close_stream(in);
        in->background = true;
        uv_timer_start(&in->again, input_look_again, INPUT_BG_MS, INPUT_BG_MS);
        return;
    }
    in->eof = true;
    input_deliver(in);
}

static void
input_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *b)
{
    struct client_input *in = h->data;

    (void)suggested;
    *b = uv_buf_init(in->chunk, sizeof(in->chunk));
}

static void
input_on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *b)
{
    (void)b;
    if (n != 0) /* 0 is "nothing this time" */
        input_got(s->data, n);
}

static void
input_on_file_read(uv_fs_t *req)
{
    struct client_input *in = req->data;
    ssize_t n = req->result;

    uv_fs_req_cleanup(req);
    in->reading = false;
    if (in->freed) {
        if (in->n_open_handles == 0)
            input_release(in);
        return;
    }
    input_got(in, n == 0 ? UV_EOF : n);
    input_read_more(in);
}

static void
input_read_more(struct client_input *in)
{
    if (in->paused || in->eof || in->freed || in->background || in->reading)
        return;
    if (in->kind == INPUT_STREAM) {
        in->reading =
            in->stream && uv_read_start(&in->stream->stream, input_alloc, input_on_read) == 0;
        if (!in->reading)
            input_got(in, UV_EOF);
    } else if (in->kind == INPUT_FILE) {
        uv_buf_t b = uv_buf_init(in->chunk, sizeof(in->chunk));
        in->req.data = in;
        /* Offset -1: from the descriptor's position, as a shell's "< file" means. */
        in->reading = uv_fs_read(in->loop, &in->req, in->fd, &b, 1, -1, input_on_file_read) == 0;
        if (!in->reading)
            input_got(in, UV_EOF);
    }
}

struct client_input *
client_input_new(uv_loop_t *loop, int fd, client_input_line_cb on_line, void *data)
{
    struct client_input *in = xcalloc(1, sizeof(*in));

    in->loop = loop;
    in->type = fd >= 0 ? uv_guess_handle(fd) : UV_UNKNOWN_HANDLE;
    in->fd = fd;
    in->on_line = on_line;
    in->data = data;
    buf_init(&in->held, INPUT_LINE_MAX + INPUT_CHUNK);
    uv_timer_init(loop, &in->again);
    in->again.data = in;
    in->n_open_handles = 1;
    if (in->type == UV_FILE)
        in->kind = INPUT_FILE;
    else if (input_open_stream(in))
        in->kind = INPUT_STREAM;
    if (in->type == UV_TTY) {
        /* A background job reading its terminal is stopped by SIGTTIN; ignored, the read
         * fails with EIO instead and perch keeps showing lines. */
        struct sigaction ignore = { .sa_handler = SIG_IGN };
        sigaction(SIGTTIN, &ignore, NULL);
    }
    in->eof = in->kind == INPUT_NONE;
    input_read_more(in);
    return in;
}

void
client_input_pause(struct client_input *in)
{
    in->paused = true;
    input_stop_reading(in);
}

void
client_input_resume(struct client_input *in)
{
    if (!in->paused || in->freed)
        return;
    in->paused = false;
    input_deliver(in);
    input_read_more(in);
}

void
client_input_free(struct client_input *in)
{
    if (!in || in->freed)
        return;
    in->freed = true;
    input_stop_reading(in);
    uv_timer_stop(&in->again);
    uv_close((uv_handle_t *)&in->again, input_closed);
    input_close_stream(in);
}
