/* SPDX-License-Identifier: MIT */
/* Paging back after a reconnect until the missed lines are all fetched, then in order. */
#include "resync.h"

#include <stdlib.h>

#include "base/json.h"
#include "base/xalloc.h"

struct client_resync {
    int64_t last_shown;
    int64_t before;                               /* oldest line id fetched so far */
    struct pjson *pages[CLIENT_RESYNC_MAX_PAGES]; /* newest first, each oldest first */
    unsigned n_pages;
    struct pjson *held; /* the snapshot, then live lines */
    size_t n_held;
};

/* A line's id; -1 when it has none (or one no line id could be: the relay is untrusted). */
static int64_t
resync_line_id(const struct pjson *line)
{
    const struct pjson *id = pjson_get(line, "id");
    double v = pjson_number(id);

    return pjson_is_number(id) && v >= 0 && v < 9e15 ? (int64_t)v : -1;
}

struct client_resync *
client_resync_new(int64_t last_shown, const struct pjson *lines)
{
    int64_t first_id = resync_line_id(pjson_first(lines));
    struct client_resync *r;

    if (last_shown < 0 || first_id <= last_shown + 1)
        return NULL;
    r = xcalloc(1, sizeof(*r));
    r->last_shown = last_shown;
    r->before = first_id;
    r->held = pjson_copy(lines);
    r->n_held = pjson_size(lines);
    return r;
}

void
client_resync_free(struct client_resync *r)
{
    if (!r)
        return;
    for (unsigned i = 0; i < r->n_pages; i++)
        pjson_free(r->pages[i]);
    pjson_free(r->held);
    free(r);
}

int64_t
client_resync_before(const struct client_resync *r)
{
    return r->before;
}

bool
client_resync_page(struct client_resync *r, const struct pjson *page)
{
    struct pjson *kept;
    int64_t oldest = r->before;

    if (r->n_pages == CLIENT_RESYNC_MAX_PAGES)
        return false;
    kept = pjson_array();
    /* Only lines older than the oldest fetched count: a relay that ignores before=
     * sends its latest lines again, and they bring nothing older. */
    pjson_for_each (line, page) {
        int64_t id = resync_line_id(line);
        if (id < 0 || id >= r->before)
            continue;
        oldest = id < oldest ? id : oldest;
        if (id > r->last_shown)
            pjson_push(kept, pjson_copy(line));
    }
    if (oldest == r->before) {
        pjson_free(kept);
        return false;
    }
    r->pages[r->n_pages++] = kept;
    r->before = oldest;
    return oldest > r->last_shown + 1 && r->n_pages < CLIENT_RESYNC_MAX_PAGES;
}

bool
client_resync_hold(struct client_resync *r, const struct pjson *line)
{
    pjson_push(r->held, pjson_copy(line));
    r->n_held++;
    return r->n_held < CLIENT_RESYNC_MAX_HELD;
}

int64_t
client_resync_missing(const struct client_resync *r)
{
    return r->before > r->last_shown + 1 ? r->before - r->last_shown - 1 : 0;
}

void
client_resync_each(const struct client_resync *r, client_resync_line_cb cb, void *data)
{
    for (unsigned i = r->n_pages; i-- > 0;) {
        pjson_for_each (line, r->pages[i])
            cb(data, line);
    }
    pjson_for_each (line, r->held)
        cb(data, line);
}
