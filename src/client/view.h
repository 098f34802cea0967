/* SPDX-License-Identifier: MIT */
/* Where a connection's news go: printed lines (plain mode) or a screen (terminal UI). */
#ifndef PERCH_CLIENT_VIEW_H
#define PERCH_CLIENT_VIEW_H

#include <stdbool.h>
#include <stdint.h>

struct pjson;
struct live;

struct live_view {
    void (*status)(void *data, const char *text);
    /* A line to show once (already deduplicated by buffer id and line id). */
    void (*line)(void *data, int64_t buffer_id, const char *buffer_name, const struct pjson *line);
    /* A buffer appeared (snapshot or buffer_opened) or changed (other buffer_* events). */
    void (*buffer)(void *data, const struct pjson *buffer, bool is_new);
    void (*buffer_closed)(void *data, int64_t buffer_id, const char *name);
    /* Every event and every response, for views that track more (nicklist, completion). */
    void (*message)(void *data, const struct pjson *msg);
    /* The connection engine, for the view's own requests; NULL when it stops. */
    void (*started)(void *data, struct live *live);
    void *data;
};

#endif
