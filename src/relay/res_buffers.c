/* SPDX-License-Identifier: MIT */
/* GET /api/buffers[/{buffer}[/lines[/{line_id}] | /nicks]] (reference §6.3). */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "base/jsonw.h"
#include "core/core.h"
#include "encode.h"
#include "internal.h"

static int
buffers_common_params(const struct relay_request *req, struct relay_buffer_opts *opts,
                      struct relay_response *resp)
{
    const char *nicks = http_url_param(&req->url, "nicks");
    const char *colors = http_url_param(&req->url, "colors");
    static const char *const yes[] = { "on", "yes", "y", "true", "t", "1" };

    if (nicks) {
        if (!nicks[0]) {
            relay_response_error(resp, 400, "Invalid parameter \"nicks\"");
            return -EINVAL;
        }
        for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
            opts->nicks = opts->nicks || strcmp(nicks, yes[i]) == 0;
    }
    if (colors && core_color_mode_parse(colors, &opts->colors) < 0) {
        relay_response_error(resp, 400, "Invalid parameter \"colors\"");
        return -EINVAL;
    }
    return 0;
}

static void
buffers_line(const struct core_buffer *b, const struct relay_request *req,
             const struct relay_buffer_opts *opts, struct relay_response *resp)
{
    const char *seg = req->url.segments[4];
    char *end;
    long long id;

    errno = 0;
    id = strtoll(seg, &end, 10);
    if (!seg[0] || *end || errno)
        id = -1;
    relay__res_line(b, id, seg, req->url.segments[2], opts, resp);
}

static void
buffers_sub(struct core_buffer *b, const struct relay_request *req, struct relay_buffer_opts *opts,
            struct relay_response *resp)
{
    const char *sub = req->url.segments[3];

    if (strcmp(sub, "nicks") == 0) {
        struct buf text;
        struct jsonw w;
        buf_init(&text, (size_t)-1);
        jsonw_init(&w, &text);
        relay_encode_group(&w, b->nicklist_root, opts->colors);
        relay_response_text(resp, "nick_group", &text);
        return;
    }
    if (strcmp(sub, "lines") != 0) {
        relay_response_error(resp, 404, "Sub-resource of buffers not found: \"%s\"", sub);
        return;
    }
    if (req->url.n_segments >= 5) {
        buffers_line(b, req, opts, resp);
        return;
    }
    relay__res_lines(b, req, opts, resp);
}

static void buffers_answer(struct relay *relay, const struct relay_request *req,
                           struct relay_response *resp);

/* The same question gets the same bytes until the state changes (cache.c), except paging,
 * which reads the store. */
void
relay__res_buffers(struct relay *relay, const struct relay_request *req,
                   struct relay_response *resp)
{
    bool cacheable = !http_url_param(&req->url, "before") && !http_url_param(&req->url, "after");

    if (cacheable && relay__cache_get(relay, req->target, resp))
        return;
    buffers_answer(relay, req, resp);
    if (cacheable)
        relay__cache_put(relay, req->target, resp);
}

static void
buffers_answer(struct relay *relay, const struct relay_request *req, struct relay_response *resp)
{
    struct relay_buffer_opts opts = { .colors = CORE_COLOR_ANSI };
    struct core_buffer *b = NULL;
    int has_free;

    if (req->url.n_segments >= 3) {
        b = core_buffer_search(relay->core, req->url.segments[2]);
        if (!b) {
            relay_response_error(resp, 404, "Buffer \"%s\" not found", req->url.segments[2]);
            return;
        }
    }
    if (buffers_common_params(req, &opts, resp) < 0)
        return;
    if (req->url.n_segments >= 4) {
        buffers_sub(b, req, &opts, resp);
        return;
    }
    if (relay__count_param(req, "lines", &opts.lines, resp) < 0)
        return;
    opts.lines_free = opts.lines == 0 ? 0 : LONG_MAX;
    has_free = relay__count_param(req, "lines_free", &opts.lines_free, resp);
    if (has_free < 0)
        return;
    struct buf text;
    struct jsonw w;
    buf_init(&text, (size_t)-1);
    jsonw_init(&w, &text);
    if (b) {
        relay_lines_fill(b, opts.lines);
        relay_encode_buffer(&w, b, &opts);
        relay_response_text(resp, "buffer", &text);
        return;
    }
    struct list *pos;
    jsonw_array_begin(&w);
    list_for_each (pos, &relay->core->buffers) {
        b = list_entry(pos, struct core_buffer, link);
        relay_lines_fill(b, opts.lines);
        relay_encode_buffer(&w, b, &opts);
    }
    jsonw_array_end(&w);
    relay_response_text(resp, "buffers", &text);
}
