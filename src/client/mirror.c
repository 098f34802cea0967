/* SPDX-License-Identifier: MIT */
/* The relay's buffers as perch knows them: lines shown once, in order, across reconnects. */
#include "mirror.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/xalloc.h"
#include "resync.h"
#include "view.h"

#define MIRROR_MAX_DEPTH 512 /* JSON nesting accepted from the relay */

struct mirror_buffer {
    int64_t id;
    char *name;
    int64_t last_line;            /* highest line id shown */
    struct client_resync *resync; /* paging back after a reconnect: lines are held */
};

struct client_mirror {
    const struct live_view *view;
    const char *colors;
    void (*send)(void *data, const char *json);
    void *send_data;
    struct mirror_buffer *buffers;
    size_t n_buffers;
    bool synced_once;
};

struct client_mirror *
client_mirror_new(const struct live_view *view, const char *colors,
                  void (*send)(void *data, const char *json), void *send_data)
{
    struct client_mirror *m = xcalloc(1, sizeof(*m));

    m->view = view;
    m->colors = colors;
    m->send = send;
    m->send_data = send_data;
    return m;
}

void
client_mirror_free(struct client_mirror *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n_buffers; i++) {
        free(m->buffers[i].name);
        client_resync_free(m->buffers[i].resync);
    }
    free(m->buffers);
    free(m);
}

void
client_mirror_disconnected(struct client_mirror *m)
{
    for (size_t i = 0; i < m->n_buffers; i++) {
        client_resync_free(m->buffers[i].resync);
        m->buffers[i].resync = NULL;
    }
}

static void
mirror_status(const struct client_mirror *m, const char *fmt, const char *arg)
{
    char text[512];

    snprintf(text, sizeof(text), fmt, arg);
    m->view->status(m->view->data, text);
}

/* ---- buffers and lines ---- */

static struct mirror_buffer *
mirror_buffer(struct client_mirror *m, int64_t id)
{
    for (size_t i = 0; i < m->n_buffers; i++) {
        if (m->buffers[i].id == id)
            return &m->buffers[i];
    }
    return NULL;
}

static struct mirror_buffer *
mirror_buffer_add(struct client_mirror *m, int64_t id, const char *name)
{
    m->buffers = xrealloc(m->buffers, (m->n_buffers + 1) * sizeof(*m->buffers));
    m->buffers[m->n_buffers] = (struct mirror_buffer){ id, xstrdup(name ? name : "?"), -1, NULL };
    return &m->buffers[m->n_buffers++];
}

static void
mirror_buffer_remove(struct client_mirror *m, struct mirror_buffer *b)
{
    free(b->name);
    client_resync_free(b->resync);
    *b = m->buffers[--m->n_buffers];
}

/* Shows a line once: line ids only grow within a buffer. */
static void
mirror_show(const struct client_mirror *m, struct mirror_buffer *b, const struct pjson *line)
{
    int64_t id = pjson_int64(pjson_get(line, "id"));

    if (id <= b->last_line)
        return;
    b->last_line = id;
    m->view->line(m->view->data, b->id, b->name, line);
}

struct mirror_showing {
    const struct client_mirror *m;
    struct mirror_buffer *b;
};

static void
mirror_show_cb(void *data, const struct pjson *line)
{
    struct mirror_showing *s = data;

    mirror_show(s->m, s->b, line);
}

/* Ends paging back: what could not be brought is said, then every line held is shown. */
static void
mirror_resync_end(const struct client_mirror *m, struct mirror_buffer *b)
{
    struct client_resync *r = b->resync;
    int64_t missing = client_resync_missing(r);
    struct mirror_showing showing = { m, b };
    char text[320];

    b->resync = NULL;
    if (missing > 0) {
        snprintf(text, sizeof(text), "%lld lines of %s not shown (the relay sent only its latest)",
                 (long long)missing, b->name);
        mirror_status(m, "%s", text);
    }
    client_resync_each(r, mirror_show_cb, &showing);
    client_resync_free(r);
}

/* A line is shown, or held while the lines before it are being fetched. */
static void
mirror_line(const struct client_mirror *m, struct mirror_buffer *b, const struct pjson *line)
{
    /* An event without a body, or anything else where a line should be: nothing to show. */
    if (!pjson_is_object(line))
        return;
    if (!b->resync)
        mirror_show(m, b, line);
    else if (!client_resync_hold(b->resync, line))
        mirror_resync_end(m, b);
}

static void
mirror_buffer_lines(const struct client_mirror *m, struct mirror_buffer *b,
                    const struct pjson *buffer)
{
    pjson_for_each (line, pjson_get(buffer, "lines"))
        mirror_line(m, b, line);
}

/* The next page back: the lines just before the oldest one fetched. The answer is matched
 * by its request id, which names the buffer. */
static void
mirror_resync_request(const struct client_mirror *m, const struct mirror_buffer *b)
{
    char req[320];

    snprintf(req, sizeof(req),
             "{\"request\":\"GET /api/buffers/%lld/lines?lines=-%d&before=%lld&colors=%s\","
             "\"request_id\":\"resync:%lld\"}",
             (long long)b->id, CLIENT_RESYNC_PAGE_LINES, (long long)client_resync_before(b->resync),
             m->colors, (long long)b->id);
    m->send(m->send_data, req);
}

static void
mirror_resync_answer(struct client_mirror *m, const char *buffer_id, int code,
                     const struct pjson *page)
{
    struct mirror_buffer *b = mirror_buffer(m, strtoll(buffer_id, NULL, 10));

    if (!b || !b->resync)
        return;
    if (code == 200 && client_resync_page(b->resync, page))
        mirror_resync_request(m, b);
    else
        mirror_resync_end(m, b);
}

/* A resync brings the relay's last lines only: when the oldest of them is newer than the
 * line after the last one shown, the lines between are fetched page by page before any is
 * shown. (Line ids count up by one per line of a formatted buffer; only those are paged.) */
static void
mirror_buffer_sync(struct client_mirror *m, struct mirror_buffer *mb, const struct pjson *buffer)
{
    const char *type = pjson_str(pjson_get(buffer, "type"));

    client_resync_free(mb->resync);
    mb->resync = NULL;
    if (type && strcmp(type, "formatted") == 0)
        mb->resync = client_resync_new(mb->last_line, pjson_get(buffer, "lines"));
    if (mb->resync)
        mirror_resync_request(m, mb);
    else
        mirror_buffer_lines(m, mb, buffer);
}

/* The initial sync after each connection: merge by buffer id and line id. */
static void
mirror_resync(struct client_mirror *m, const struct pjson *buffers)
{
    for (size_t i = 0; i < m->n_buffers;) {
        bool present = false;
        pjson_for_each (b, buffers)
            present = present || pjson_int64(pjson_get(b, "id")) == m->buffers[i].id;
        if (present) {
            i++;
            continue;
        }
        mirror_status(m, "buffer closed: %s", m->buffers[i].name);
        m->view->buffer_closed(m->view->data, m->buffers[i].id, m->buffers[i].name);
        mirror_buffer_remove(m, &m->buffers[i]);
    }
    pjson_for_each (b, buffers) {
        int64_t id = pjson_int64(pjson_get(b, "id"));
        struct mirror_buffer *mb = mirror_buffer(m, id);
        bool is_new = !mb;
        if (!mb) {
            mb = mirror_buffer_add(m, id, pjson_str(pjson_get(b, "name")));
            if (m->synced_once)
                mirror_status(m, "buffer opened: %s", mb->name);
        }
        m->view->buffer(m->view->data, b, is_new);
        mirror_buffer_sync(m, mb, b);
    }
    m->synced_once = true;
}

static enum client_mirror_news
mirror_event(struct client_mirror *m, const struct pjson *msg)
{
    const char *name = pjson_str(pjson_get(msg, "event_name"));
    const struct pjson *body = pjson_get(msg, "body");
    struct mirror_buffer *b = mirror_buffer(m, pjson_int64(pjson_get(msg, "buffer_id")));
    enum client_mirror_news news = CLIENT_MIRROR_NOTHING;

    if (!name)
        return news;
    m->view->message(m->view->data, msg);
    /* Buffer events describe their buffer in an object (buffer_closed has none): without
     * one, only the view's message above tells of them. */
    if (strncmp(name, "buffer_", 7) == 0 && strcmp(name, "buffer_closed") != 0 &&
        !pjson_is_object(body))
        return news;
    if (strcmp(name, "quit") == 0 || strcmp(name, "upgrade") == 0) {
        news = CLIENT_MIRROR_GOODBYE;
    } else if (strcmp(name, "upgrade_ended") == 0) {
        news = CLIENT_MIRROR_BACK;
    } else if (strcmp(name, "buffer_opened") == 0 && !b) {
        int64_t id = pjson_int64(pjson_get(body, "id"));
        if (!mirror_buffer(m, id)) {
            b = mirror_buffer_add(m, id, pjson_str(pjson_get(body, "name")));
            mirror_status(m, "buffer opened: %s", b->name);
            m->view->buffer(m->view->data, body, true);
            mirror_buffer_lines(m, b, body);
        }
    } else if (strcmp(name, "buffer_closed") == 0 && b) {
        mirror_status(m, "buffer closed: %s", b->name);
        m->view->buffer_closed(m->view->data, b->id, b->name);
        mirror_buffer_remove(m, b);
    } else if (strcmp(name, "buffer_renamed") == 0 && b && pjson_str(pjson_get(body, "name"))) {
        free(b->name);
        b->name = xstrdup(pjson_str(pjson_get(body, "name")));
    } else if (strcmp(name, "buffer_line_added") == 0 && b) {
        mirror_line(m, b, body);
    }
    if (b && strncmp(name, "buffer_", 7) == 0 && strcmp(name, "buffer_opened") != 0 &&
        strcmp(name, "buffer_closed") != 0 && strncmp(name, "buffer_line", 11) != 0)
        m->view->buffer(m->view->data, body, false);
    return news;
}

/* An answer's error, by its code when the relay gave no text. */
static void
mirror_error(const struct client_mirror *m, int code, const char *text)
{
    char code_text[32];

    snprintf(code_text, sizeof(code_text), "code %d", code);
    mirror_status(m, "error: %s", text ? text : code_text);
}

enum client_mirror_news
client_mirror_feed(struct client_mirror *m, const char *msg, size_t len)
{
    struct pjson *v = pjson_parse(msg, len, MIRROR_MAX_DEPTH);
    const char *request_id = pjson_str(pjson_get(v, "request_id"));
    /* 0: an event; -1: no code a relay answers with. */
    int code = (int)pjson_integer(pjson_get(v, "code"), 0, 999, -1);
    enum client_mirror_news news = CLIENT_MIRROR_NOTHING;

    if (!v)
        return news;
    if (code == 0)
        news = mirror_event(m, v);
    else if (request_id && strcmp(request_id, "initial_sync") == 0 && code == 200)
        mirror_resync(m, pjson_get(v, "body"));
    else if (request_id && strncmp(request_id, "resync:", 7) == 0)
        mirror_resync_answer(m, request_id + 7, code, pjson_get(v, "body"));
    else if (code >= 400)
        mirror_error(m, code, pjson_str(pjson_get(pjson_get(v, "body"), "error")));
    if (code != 0)
        m->view->message(m->view->data, v);
    pjson_free(v);
    return news;
}
