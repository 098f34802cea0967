/* SPDX-License-Identifier: MIT */
/* The hotlist: unread counts per buffer, highest priority first. */
#include "hotlist.h"

#include <stdlib.h>

#include "base/xalloc.h"
#include "core.h"

static struct core_hotlist_entry *
hotlist_find(struct core *core, const struct core_buffer *buffer)
{
    struct list *pos;

    list_for_each (pos, &core->hotlist) {
        struct core_hotlist_entry *e = list_entry(pos, struct core_hotlist_entry, link);
        if (e->buffer == buffer)
            return e;
    }
    return NULL;
}

/* Keeps the list sorted: priority descending, then date ascending. */
static void
hotlist_insert(struct core *core, struct core_hotlist_entry *entry)
{
    struct list *pos;

    list_for_each (pos, &core->hotlist) {
        struct core_hotlist_entry *e = list_entry(pos, struct core_hotlist_entry, link);
        if (entry->priority > e->priority ||
            (entry->priority == e->priority && entry->date_us < e->date_us))
            break;
    }
    list_insert_before(pos, &entry->link);
}

static void
hotlist_changed(struct core *core, const struct core_buffer *buffer)
{
    core_emit(core, CORE_EVENT_HOTLIST_CHANGED, buffer);
}

void
core_hotlist_add(struct core *core, const struct core_buffer *buffer, int level, int64_t now_us)
{
    struct core_hotlist_entry *e;

    if (level < 0 || level > 3)
        return;
    e = hotlist_find(core, buffer);
    if (!e) {
        e = xcalloc(1, sizeof(*e));
        e->buffer = buffer;
        e->priority = level;
        e->date_us = now_us;
        hotlist_insert(core, e);
    } else if (level > e->priority) {
        list_remove(&e->link);
        e->priority = level;
        e->date_us = now_us;
        hotlist_insert(core, e);
    }
    e->count[level]++;
    hotlist_changed(core, buffer);
}

void
core_hotlist_remove(struct core *core, const struct core_buffer *buffer)
{
    struct core_hotlist_entry *e = hotlist_find(core, buffer);

    if (!e)
        return;
    list_remove(&e->link);
    free(e);
    hotlist_changed(core, buffer);
}

void
core_hotlist_clear(struct core *core)
{
    while (!list_is_empty(&core->hotlist)) {
        struct core_hotlist_entry *e =
            list_entry(core->hotlist.next, struct core_hotlist_entry, link);
        core_hotlist_remove(core, e->buffer);
    }
}

void
core_hotlist_fini(struct core *core)
{
    struct list *pos, *tmp;

    list_for_each_safe (pos, tmp, &core->hotlist) {
        list_remove(pos);
        free(list_entry(pos, struct core_hotlist_entry, link));
    }
}
