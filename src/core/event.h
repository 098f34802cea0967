/* SPDX-License-Identifier: MIT */
/* The core event bus: one typed event per change that the protocol's sync events describe. */
#ifndef PERCH_CORE_EVENT_H
#define PERCH_CORE_EVENT_H

#include <stdint.h>

#include "base/list.h"

struct core_buffer;
struct core_line;
struct core_nick_group;
struct core_nick;

enum core_event_type {
    CORE_EVENT_BUFFER_OPENED,
    CORE_EVENT_BUFFER_TYPE_CHANGED,
    CORE_EVENT_BUFFER_MOVED,
    CORE_EVENT_BUFFER_MERGED,
    CORE_EVENT_BUFFER_UNMERGED,
    CORE_EVENT_BUFFER_HIDDEN,
    CORE_EVENT_BUFFER_UNHIDDEN,
    CORE_EVENT_BUFFER_RENAMED,
    CORE_EVENT_BUFFER_TITLE_CHANGED,
    CORE_EVENT_BUFFER_MODES_CHANGED,
    CORE_EVENT_BUFFER_TIME_FOR_EACH_LINE_CHANGED,
    CORE_EVENT_BUFFER_LOCALVAR_ADDED,
    CORE_EVENT_BUFFER_LOCALVAR_CHANGED,
    CORE_EVENT_BUFFER_LOCALVAR_REMOVED,
    CORE_EVENT_BUFFER_CLEARED,
    CORE_EVENT_BUFFER_CLOSING,
    CORE_EVENT_BUFFER_CLOSED,
    CORE_EVENT_BUFFER_CHANGED, /* perch: a property without its own event (read marker) */
    CORE_EVENT_BUFFER_LINE_ADDED,
    CORE_EVENT_BUFFER_LINE_DATA_CHANGED,
    CORE_EVENT_INPUT_TEXT_CHANGED,
    CORE_EVENT_INPUT_TEXT_CURSOR_MOVED,
    CORE_EVENT_INPUT_PROMPT_CHANGED,
    CORE_EVENT_NICKLIST_GROUP_ADDED,
    CORE_EVENT_NICKLIST_GROUP_CHANGED,
    CORE_EVENT_NICKLIST_GROUP_REMOVING,
    CORE_EVENT_NICKLIST_NICK_ADDED,
    CORE_EVENT_NICKLIST_NICK_CHANGED,
    CORE_EVENT_NICKLIST_NICK_REMOVING,
    CORE_EVENT_UPGRADE,
    CORE_EVENT_UPGRADE_ENDED,
    CORE_EVENT_QUIT,
    CORE_EVENT_HOTLIST_CHANGED,          /* internal: not a protocol event */
    CORE_EVENT_BUFFER_HIGHLIGHT_CHANGED, /* internal: highlight properties, which no client sees */
    CORE_EVENT_COUNT,
};

/*
 * What changed. Pointers are valid only during the callback; buffer is NULL for
 * process events (quit, upgrade) and for buffer_closed, whose id is in buffer_id.
 */
struct core_event {
    enum core_event_type type;
    int64_t buffer_id; /* -1 for process events */
    const struct core_buffer *buffer;
    const struct core_line *line;
    const struct core_nick_group *group;
    const struct core_nick *nick;
};

typedef void (*core_event_cb)(const struct core_event *event, void *data);

struct core_event_bus {
    struct list subscribers;
};

/* The protocol's event_name ("buffer_line_added", ...). */
const char *core_event_name(enum core_event_type type);

void core_event_bus_init(struct core_event_bus *bus);
void core_event_bus_fini(struct core_event_bus *bus);
/* Registers cb; returns a handle for core_event_unsubscribe(). Callbacks run in
 * subscription order, synchronously, inside the change that caused the event. */
void *core_event_subscribe(struct core_event_bus *bus, core_event_cb cb, void *data);
void core_event_unsubscribe(struct core_event_bus *bus, void *handle);
void core_event_emit(struct core_event_bus *bus, const struct core_event *event);

#endif
