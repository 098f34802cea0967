/* SPDX-License-Identifier: MIT */
/* The hotlist: unread counts per buffer, highest priority first. */
#include "hotlist.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "core.h"

/* Keeps the list sorted: priority descending, then date ascending. Each buffer points to
 * its entry: a line finds it at once among hundreds of buffers. */
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
    entry->buffer->hotlist = entry;
}

static void
hotlist_changed(struct core *core, const struct core_buffer *buffer)
{
    core_emit(core, CORE_EVENT_HOTLIST_CHANGED, buffer);
}

/* WeeChat's gui_hotlist_check_buffer_notify: low needs "all", message needs
 * "message", private and highlight need "highlight". */
static bool
hotlist_notify_allows(const struct core_buffer *buffer, int level)
{
    static const enum core_buffer_notify needed[4] = {
        CORE_BUFFER_NOTIFY_ALL,
        CORE_BUFFER_NOTIFY_MESSAGE,
        CORE_BUFFER_NOTIFY_HIGHLIGHT,
        CORE_BUFFER_NOTIFY_HIGHLIGHT,
    };

    return buffer->notify >= needed[level];
}

void
core_hotlist_pause(struct core *core)
{
    core->hotlist_paused++;
}

void
core_hotlist_resume(struct core *core)
{
    if (core->hotlist_paused > 0)
        core->hotlist_paused--;
}

void
core_hotlist_add(struct core *core, struct core_buffer *buffer, int level, int64_t now_us)
{
    struct core_hotlist_entry *e;

    if (level < 0 || level > 3 || core->hotlist_paused || !hotlist_notify_allows(buffer, level))
        return;
    e = buffer->hotlist;
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
    /* Saturates: a count restored at the top stays there. */
    if (e->count[level] < INT32_MAX)
        e->count[level]++;
    hotlist_changed(core, buffer);
}

void
core_hotlist_put(struct core *core, struct core_buffer *buffer, int priority, int64_t date_us,
                 const int64_t count[4])
{
    struct core_hotlist_entry *e = buffer->hotlist;

    if (priority < 0 || priority > 3)
        return;
    if (e)
        list_remove(&e->link);
    else
        e = xcalloc(1, sizeof(*e));
    e->buffer = buffer;
    e->priority = priority;
    e->date_us = date_us;
    for (int i = 0; i < 4; i++)
        e->count[i] = count[i] < 0 ? 0 : count[i] > INT32_MAX ? INT32_MAX : (int)count[i];
    hotlist_insert(core, e);
    hotlist_changed(core, buffer);
}

/* Unlinks an entry and keeps it as the buffer's last removed one. */
static void
hotlist_take(struct core *core, struct core_hotlist_entry *e)
{
    struct core_buffer *buffer = e->buffer;

    list_remove(&e->link);
    buffer->hotlist = NULL;
    free(buffer->hotlist_removed);
    buffer->hotlist_removed = e;
    hotlist_changed(core, buffer);
}

void
core_hotlist_remove(struct core *core, struct core_buffer *buffer)
{
    struct core_hotlist_entry *e = buffer->hotlist;

    if (e)
        hotlist_take(core, e);
}

void
core_hotlist_clear(struct core *core, int mask)
{
    struct list *pos, *tmp;

    list_for_each_safe (pos, tmp, &core->hotlist) {
        struct core_hotlist_entry *e = list_entry(pos, struct core_hotlist_entry, link);
        if (mask & (1 << e->priority))
            hotlist_take(core, e);
    }
}

bool
core_hotlist_restore(struct core *core, struct core_buffer *buffer)
{
    struct core_hotlist_entry *saved = buffer->hotlist_removed, *current;

    if (!saved)
        return false;
    current = buffer->hotlist;
    if (current) {
        list_remove(&current->link);
        free(current);
    }
    buffer->hotlist_removed = NULL;
    hotlist_insert(core, saved);
    hotlist_changed(core, buffer);
    return true;
}

int
core_hotlist_priority_parse(const char *name)
{
    static const char *const names[4] = { "low", "message", "private", "highlight" };

    for (int i = 0; i < 4; i++) {
        if (strcmp(name, names[i]) == 0)
            return i;
    }
    return -1;
}

void
core_hotlist_fini(struct core *core)
{
    struct list *pos, *tmp;

    list_for_each_safe (pos, tmp, &core->hotlist) {
        struct core_hotlist_entry *e = list_entry(pos, struct core_hotlist_entry, link);
        list_remove(pos);
        e->buffer->hotlist = NULL;
        free(e);
    }
}
