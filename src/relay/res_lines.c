/* SPDX-License-Identifier: MIT */
/*
 * GET /api/buffers/{buffer}/lines[/{id}]: the lines in memory, and past them the stored
 * history, transparently. Paging extension: lines=-N&before=ID (the N lines just before
 * line ID) and lines=N&after=ID (the N lines just after it), oldest first.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>

#include "base/jsonw.h"
#include "core/core.h"
#include "encode.h"
#include "internal.h"

static bool
lines_in_range(int64_t id, int64_t above, int64_t below)
{
    return (above < 0 || id > above) && (below < 0 || id < below);
}

/* From memory when it holds the whole answer, else from the store. */
static void
lines_select(struct jsonw *w, struct core_buffer *b, size_t count, bool newest, int64_t above,
             int64_t below, enum core_color_mode colors)
{
    const struct core_history *h = &b->core->history;
    size_t n = newest && above < 0 && below < 0 ? core_buffer_lines_fill(b, count)
                                                : core_buffer_line_count(b);
    size_t first = n, last = 0, in_memory = 0;
    struct core_line **stored;
    size_t got;

    for (size_t i = 0; i < n; i++) {
        if (!lines_in_range(core_buffer_line_at(b, i)->id, above, below))
            continue;
        first = first < i ? first : i;
        last = i;
        in_memory++;
    }
    /* Older lines than memory's first may exist only on disk; newer ones never do. */
    int64_t oldest_in_memory = n ? core_buffer_line_at(b, 0)->id : INT64_MAX;
    bool memory_enough = (newest && in_memory >= count) || above + 1 >= oldest_in_memory;
    jsonw_array_begin(w);
    if (memory_enough || !h->lines || b->type != CORE_BUFFER_FORMATTED) {
        size_t take = in_memory < count ? in_memory : count;
        size_t skip = newest ? in_memory - take : 0;
        for (size_t i = first, seen = 0; in_memory && i <= last; i++) {
            const struct core_line *l = core_buffer_line_at(b, i);
            if (!lines_in_range(l->id, above, below))
                continue;
            if (seen >= skip && seen < skip + take)
                relay_encode_line(w, l, colors);
            seen++;
        }
        jsonw_array_end(w);
        return;
    }
    got = h->lines(h->data, b, above, below, count, newest, &stored);
    for (size_t i = 0; i < got; i++) {
        relay_encode_line(w, stored[i], colors);
        core_line_free(stored[i]);
    }
    free(stored);
    jsonw_array_end(w);
}

void
relay__res_lines(struct core_buffer *b, const struct relay_request *req,
                 const struct relay_buffer_opts *opts, struct relay_response *resp)
{
    int64_t before, after;
    long lines = LONG_MAX;
    struct buf text;
    struct jsonw w;

    if (relay__count_param(req, "lines", &lines, resp) < 0 ||
        relay__id_param(req, "before", &before, resp) < 0 ||
        relay__id_param(req, "after", &after, resp) < 0)
        return;
    buf_init(&text, (size_t)-1);
    jsonw_init(&w, &text);
    /* Without paging, lines=N counts from the oldest line in memory, as the reference does. */
    if (before < 0 && after < 0 && lines >= 0) {
        relay_lines_fill(b, lines);
        relay_encode_lines(&w, b, lines, opts->colors);
    } else {
        /* -(lines + 1) + 1 is -lines without overflowing on LONG_MIN. */
        size_t count = lines < 0 ? (size_t)(-(lines + 1)) + 1 : (size_t)lines;
        lines_select(&w, b, count, lines < 0, after, before, opts->colors);
    }
    relay_response_text(resp, "lines", &text);
}

void
relay__res_line(const struct core_buffer *b, int64_t id, const char *id_text,
                const char *buffer_text, const struct relay_buffer_opts *opts,
                struct relay_response *resp)
{
    const struct core_history *h = &b->core->history;
    const struct core_line *line = id >= 0 ? core_buffer_line_by_id(b, id) : NULL;
    struct core_line *stored = NULL;
    struct buf text;
    struct jsonw w;

    if (!line && id >= 0 && h->line && b->type == CORE_BUFFER_FORMATTED)
        line = stored = h->line(h->data, b, id);
    if (!line) {
        relay_response_error(resp, 404, "Line \"%s\" not found in buffer \"%s\"", id_text,
                             buffer_text);
        return;
    }
    buf_init(&text, (size_t)-1);
    jsonw_init(&w, &text);
    relay_encode_line(&w, line, opts->colors);
    relay_response_text(resp, "line", &text);
    core_line_free(stored);
}
