/* SPDX-License-Identifier: MIT */
/*
 * The hotlist: buffers with unread lines. perchd has no windows, so its rule is:
 * every line with a notify level >= 0 counts, and an entry stays until the owner
 * clears it (/hotlist, or closing the buffer).
 */
#ifndef PERCH_CORE_HOTLIST_H
#define PERCH_CORE_HOTLIST_H

#include <stdint.h>

#include "base/list.h"

struct core;
struct core_buffer;

/* Read-only outside core/. */
struct core_hotlist_entry {
    struct list link; /* in core->hotlist, highest priority first, then oldest */
    const struct core_buffer *buffer;
    int priority;
    int64_t date_us; /* created, or re-created when a higher priority arrived */
    int count[4];
};

/* Counts a line of that level for buffer (ignored when level < 0). */
void core_hotlist_add(struct core *core, const struct core_buffer *buffer, int level,
                      int64_t now_us);
void core_hotlist_remove(struct core *core, const struct core_buffer *buffer);
void core_hotlist_clear(struct core *core);
void core_hotlist_fini(struct core *core);

#endif
