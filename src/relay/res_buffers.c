/* SPDX-License-Identifier: MIT */
/* GET /api/buffers[/{buffer}[/lines[/{line_id}] | /nicks]] (reference §6.3). */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
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
buffers_respond(struct relay_response *resp, const char *type, struct pjson *body)
{
    resp->status = 200;
    resp->body_type = type;
    resp->body = body;
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
        buffers_respond(resp, "nick_group", relay_encode_group(b->nicklist_root, opts->colors));
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

void
relay__res_buffers(struct relay *relay, const struct relay_request *req,
                   struct relay_response *resp)
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
    if (b) {
        relay_lines_fill(b, opts.lines);
        buffers_respond(resp, "buffer", relay_encode_buffer(b, &opts));
        return;
    }
    struct pjson *arr = pjson_array();
    struct list *pos;
    list_for_each (pos, &relay->core->buffers) {
        b = list_entry(pos, struct core_buffer, link);
        relay_lines_fill(b, opts.lines);
        pjson_push(arr, relay_encode_buffer(b, &opts));
    }
    buffers_respond(resp, "buffers", arr);
}
