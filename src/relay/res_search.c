/* SPDX-License-Identifier: MIT */
/*
 * GET /api/search?query=TEXT[&buffer=B][&limit=N][&before=ID[&before_buffer=ID]][&colors=C]
 * (a perch extension): full-text search of the stored history, newest first. Each match
 * is {"buffer_id", "buffer_name", "line"}, body type "search".
 */
#include <errno.h>
#include <stdlib.h>

#include "base/json.h"
#include "base/jsonw.h"
#include "core/core.h"
#include "core/search.h"
#include "encode.h"
#include "internal.h"

#define SEARCH_LIMIT_DEFAULT 50

static int
search_limit_param(const struct relay_request *req, size_t *max, struct relay_response *resp)
{
    const char *text = http_url_param(&req->url, "limit");
    char *end;
    long v;

    if (!text)
        return 0;
    errno = 0;
    v = strtol(text, &end, 10);
    if (!text[0] || *end || errno || v < 1 || v > CORE_SEARCH_MAX) {
        relay_response_error(resp, 400, "Invalid query string parameter \"limit\" (1 to %d)",
                             CORE_SEARCH_MAX);
        return -EINVAL;
    }
    *max = (size_t)v;
    return 0;
}

/* Line ids count per buffer: before= alone means a line of buffer=; across buffers the
 * last match's buffer names the line (before_buffer=). */
static int
search_paging_params(const struct relay_request *req, struct core_search_query *q,
                     struct relay_response *resp)
{
    if (relay__id_param(req, "before", &q->before, resp) < 0 ||
        relay__id_param(req, "before_buffer", &q->before_buffer, resp) < 0)
        return -EINVAL;
    if (q->before_buffer >= 0 && q->before < 0) {
        relay_response_error(resp, 400,
                             "Query string parameter \"before_buffer\" needs \"before\"");
        return -EINVAL;
    }
    if (q->before >= 0 && q->before_buffer < 0 && !q->buffer) {
        relay_response_error(
            resp, 400, "Query string parameter \"before\" needs \"buffer\" or \"before_buffer\"");
        return -EINVAL;
    }
    return 0;
}

static int
search_params(const struct relay_request *req, struct core_search_query *q,
              enum core_color_mode *colors, struct relay_response *resp)
{
    const char *color_name = http_url_param(&req->url, "colors");

    q->text = http_url_param(&req->url, "query");
    if (!q->text || !q->text[0]) {
        relay_response_error(resp, 400, "Missing query string parameter \"query\"");
        return -EINVAL;
    }
    q->buffer = http_url_param(&req->url, "buffer");
    if (search_limit_param(req, &q->max, resp) < 0)
        return -EINVAL;
    if (color_name && core_color_mode_parse(color_name, colors) < 0) {
        relay_response_error(resp, 400, "Invalid parameter \"colors\"");
        return -EINVAL;
    }
    return search_paging_params(req, q, resp);
}

static void
search_error(struct relay_response *resp, int rc, const struct core_search_query *q,
             const char *reason)
{
    if (rc == -EINVAL)
        relay_response_error(resp, 400, "Invalid search query: %s", reason);
    else if (rc == -ENOENT)
        relay_response_error(resp, 404, "Buffer \"%s\" not found", q->buffer);
    else if (rc == -ESRCH)
        relay_response_error(resp, 404, "Line \"%lld\" not found in buffer \"%lld\"",
                             (long long)q->before, (long long)q->before_buffer);
    else if (rc == -ENOTSUP)
        relay_response_error(resp, 503, "Search is not available: no stored history");
    else
        relay_response_error(resp, 503, "Cannot search history: %s", reason);
}

static void
search_encode(struct jsonw *w, const struct core_search_result *r, enum core_color_mode colors)
{
    jsonw_array_begin(w);
    for (size_t i = 0; i < r->n_matches; i++) {
        const struct core_search_match *m = &r->matches[i];
        jsonw_object_begin(w);
        jsonw_member_int(w, "buffer_id", m->buffer_id);
        jsonw_member_str(w, "buffer_name", m->buffer_name);
        jsonw_key(w, "line");
        relay_encode_line(w, m->line, colors);
        jsonw_object_end(w);
    }
    jsonw_array_end(w);
}

void
relay__res_search(struct relay *relay, const struct relay_request *req, struct relay_response *resp)
{
    struct core_search_query q = { .before = -1, .before_buffer = -1, .max = SEARCH_LIMIT_DEFAULT };
    enum core_color_mode colors = CORE_COLOR_ANSI;
    struct core_search_result r;
    int rc;

    if (search_params(req, &q, &colors, resp) < 0)
        return;
    rc = core_search(relay->core, &q, &r);
    if (rc < 0) {
        search_error(resp, rc, &q, r.error);
    } else {
        struct buf text;
        struct jsonw w;
        buf_init(&text, (size_t)-1);
        jsonw_init(&w, &text);
        search_encode(&w, &r, colors);
        relay_response_text(resp, "search", &text);
    }
    core_search_result_fini(&r);
}
