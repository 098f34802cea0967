/* SPDX-License-Identifier: MIT */
/*
 * Fuzzes what perch (the client) does with a relay's messages, which may come from any relay:
 * each line of the input is one WebSocket text message (the initial sync's answer, events,
 * answers to pages back), a line "-" a lost connection. What the view is told must hold
 * whatever came: lines of a buffer in growing ids (until the buffer is closed), a name for
 * every buffer, and every request perch sends valid JSON.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "client/mirror.h"
#include "client/view.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SHOWN_MAX 64

/* The last line id shown per buffer id, as the view saw them. */
struct shown {
    int64_t buffer_id[SHOWN_MAX];
    int64_t last_line[SHOWN_MAX];
    size_t n;
};

static struct shown shown;

static int64_t *
shown_last(int64_t buffer_id)
{
    for (size_t i = 0; i < shown.n; i++) {
        if (shown.buffer_id[i] == buffer_id)
            return &shown.last_line[i];
    }
    if (shown.n == SHOWN_MAX)
        return NULL;
    shown.buffer_id[shown.n] = buffer_id;
    shown.last_line[shown.n] = INT64_MIN;
    return &shown.last_line[shown.n++];
}

static void
view_status(void *data, const char *text)
{
    (void)data;
    if (!text)
        abort();
}

static void
view_line(void *data, int64_t buffer_id, const char *name, const struct pjson *line)
{
    int64_t id = pjson_int64(pjson_get(line, "id"));
    int64_t *last = shown_last(buffer_id);

    (void)data;
    if (!name || (last && id <= *last))
        abort();
    if (last)
        *last = id;
}

static void
view_buffer(void *data, const struct pjson *buffer, bool is_new)
{
    (void)data;
    (void)buffer;
    (void)is_new;
}

static void
view_closed(void *data, int64_t buffer_id, const char *name)
{
    (void)data;
    if (!name)
        abort();
    for (size_t i = 0; i < shown.n; i++) {
        if (shown.buffer_id[i] == buffer_id) {
            shown.buffer_id[i] = shown.buffer_id[--shown.n];
            shown.last_line[i] = shown.last_line[shown.n];
            break;
        }
    }
}

static void
view_message(void *data, const struct pjson *msg)
{
    (void)data;
    if (!msg)
        abort();
}

static const struct live_view view = {
    .status = view_status,
    .line = view_line,
    .buffer = view_buffer,
    .buffer_closed = view_closed,
    .message = view_message,
};

static void
send_request(void *data, const char *json)
{
    struct pjson *req = pjson_parse(json, strlen(json), 4);

    (void)data;
    if (!pjson_str(pjson_get(req, "request")) || !pjson_str(pjson_get(req, "request_id")))
        abort();
    pjson_free(req);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data, *end = p + size;
    struct client_mirror *m = client_mirror_new(&view, "strip", send_request, NULL);

    shown.n = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (len == 1 && p[0] == '-')
            client_mirror_disconnected(m);
        else
            client_mirror_feed(m, p, len);
        p += len + 1;
    }
    client_mirror_free(m);
    return 0;
}
