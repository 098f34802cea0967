/* SPDX-License-Identifier: MIT */
/*
 * The hotlist: buffers with unread lines. perchd has no windows, so its rule is:
 * every line with a notify level >= 0 counts when the buffer's notify level lets it
 * (WeeChat's rule), and an entry stays until the owner clears it (/hotlist,
 * /buffer set hotlist -1, clearing or closing the buffer).
 */
#ifndef PERCH_CORE_HOTLIST_H
#define PERCH_CORE_HOTLIST_H

#include <stdbool.h>
#include <stdint.h>

#include "base/list.h"

struct core;
struct core_buffer;

/* Read-only outside core/. */
struct core_hotlist_entry {
    struct list link; /* in core->hotlist, highest priority first, then oldest */
    struct core_buffer *buffer;
    int priority;
    int64_t date_us; /* created, or re-created when a higher priority arrived */
    int count[4];
};

/* Bits of a level mask (/hotlist clear MASK): 1 << priority. */
#define CORE_HOTLIST_MASK_ALL 15

/* Counts a line of that level (0..3; ignored when < 0 or when the buffer's notify
 * level excludes it). */
void core_hotlist_add(struct core *core, struct core_buffer *buffer, int level, int64_t now_us);
/* Lines printed between a pause and its resume add nothing to the hotlist (WeeChat's
 * buffer_set (NULL, "hotlist", "-") and "+"); pauses nest. */
void core_hotlist_pause(struct core *core);
void core_hotlist_resume(struct core *core);
/* Puts back an entry exactly as saved (upgrade). */
void core_hotlist_put(struct core *core, struct core_buffer *buffer, int priority, int64_t date_us,
                      const int64_t count[4]);
/* Removes the buffer's entry, kept for core_hotlist_restore(). */
void core_hotlist_remove(struct core *core, struct core_buffer *buffer);
/* Removes every entry whose priority is in mask, each kept for restore. */
void core_hotlist_clear(struct core *core, int mask);
/* Puts back the buffer's last removed entry in place of its current one. Returns
 * false when there is nothing to restore. */
bool core_hotlist_restore(struct core *core, struct core_buffer *buffer);
/* Priority by WeeChat's name ("low", "message", "private", "highlight"), or -1. */
int core_hotlist_priority_parse(const char *name);
void core_hotlist_fini(struct core *core);

#endif
