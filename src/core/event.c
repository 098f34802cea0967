/* SPDX-License-Identifier: MIT */
/* The core event bus. */
#include "event.h"

#include <stdlib.h>

#include "base/xalloc.h"

struct core_event_sub {
    struct list link;
    core_event_cb cb;
    void *data;
};

static const char *const core_event_names[CORE_EVENT_COUNT] = {
    [CORE_EVENT_BUFFER_OPENED] = "buffer_opened",
    [CORE_EVENT_BUFFER_TYPE_CHANGED] = "buffer_type_changed",
    [CORE_EVENT_BUFFER_MOVED] = "buffer_moved",
    [CORE_EVENT_BUFFER_MERGED] = "buffer_merged",
    [CORE_EVENT_BUFFER_UNMERGED] = "buffer_unmerged",
    [CORE_EVENT_BUFFER_HIDDEN] = "buffer_hidden",
    [CORE_EVENT_BUFFER_UNHIDDEN] = "buffer_unhidden",
    [CORE_EVENT_BUFFER_RENAMED] = "buffer_renamed",
    [CORE_EVENT_BUFFER_TITLE_CHANGED] = "buffer_title_changed",
    [CORE_EVENT_BUFFER_MODES_CHANGED] = "buffer_modes_changed",
    [CORE_EVENT_BUFFER_TIME_FOR_EACH_LINE_CHANGED] = "buffer_time_for_each_line_changed",
    [CORE_EVENT_BUFFER_LOCALVAR_ADDED] = "buffer_localvar_added",
    [CORE_EVENT_BUFFER_LOCALVAR_CHANGED] = "buffer_localvar_changed",
    [CORE_EVENT_BUFFER_LOCALVAR_REMOVED] = "buffer_localvar_removed",
    [CORE_EVENT_BUFFER_CLEARED] = "buffer_cleared",
    [CORE_EVENT_BUFFER_CLOSING] = "buffer_closing",
    [CORE_EVENT_BUFFER_CLOSED] = "buffer_closed",
    [CORE_EVENT_BUFFER_CHANGED] = "buffer_changed",
    [CORE_EVENT_BUFFER_LINE_ADDED] = "buffer_line_added",
    [CORE_EVENT_BUFFER_LINE_DATA_CHANGED] = "buffer_line_data_changed",
    [CORE_EVENT_INPUT_TEXT_CHANGED] = "input_text_changed",
    [CORE_EVENT_INPUT_TEXT_CURSOR_MOVED] = "input_text_cursor_moved",
    [CORE_EVENT_INPUT_PROMPT_CHANGED] = "input_prompt_changed",
    [CORE_EVENT_NICKLIST_GROUP_ADDED] = "nicklist_group_added",
    [CORE_EVENT_NICKLIST_GROUP_CHANGED] = "nicklist_group_changed",
    [CORE_EVENT_NICKLIST_GROUP_REMOVING] = "nicklist_group_removing",
    [CORE_EVENT_NICKLIST_NICK_ADDED] = "nicklist_nick_added",
    [CORE_EVENT_NICKLIST_NICK_CHANGED] = "nicklist_nick_changed",
    [CORE_EVENT_NICKLIST_NICK_REMOVING] = "nicklist_nick_removing",
    [CORE_EVENT_UPGRADE] = "upgrade",
    [CORE_EVENT_UPGRADE_ENDED] = "upgrade_ended",
    [CORE_EVENT_QUIT] = "quit",
    [CORE_EVENT_HOTLIST_CHANGED] = "hotlist_changed",
    [CORE_EVENT_BUFFER_HIGHLIGHT_CHANGED] = "buffer_highlight_changed",
};

const char *
core_event_name(enum core_event_type type)
{
    return (unsigned)type < CORE_EVENT_COUNT ? core_event_names[type] : "unknown";
}

void
core_event_bus_init(struct core_event_bus *bus)
{
    list_init(&bus->subscribers);
}

void
core_event_bus_fini(struct core_event_bus *bus)
{
    struct list *pos, *tmp;

    list_for_each_safe (pos, tmp, &bus->subscribers) {
        list_remove(pos);
        free(list_entry(pos, struct core_event_sub, link));
    }
}

void *
core_event_subscribe(struct core_event_bus *bus, core_event_cb cb, void *data)
{
    struct core_event_sub *sub = xcalloc(1, sizeof(*sub));

    sub->cb = cb;
    sub->data = data;
    list_append(&bus->subscribers, &sub->link);
    return sub;
}

void
core_event_unsubscribe(struct core_event_bus *bus, void *handle)
{
    struct core_event_sub *sub = handle;

    (void)bus;
    if (!sub)
        return;
    list_remove(&sub->link);
    free(sub);
}

void
core_event_emit(struct core_event_bus *bus, const struct core_event *event)
{
    struct list *pos, *tmp;

    list_for_each_safe (pos, tmp, &bus->subscribers) {
        struct core_event_sub *sub = list_entry(pos, struct core_event_sub, link);
        sub->cb(event, sub->data);
    }
}
