/* SPDX-License-Identifier: MIT */
/* Names shared between core/ files only. */
#ifndef PERCH_CORE_INTERNAL_H
#define PERCH_CORE_INTERNAL_H

#include "core.h"

/* Frees a buffer's memory without events. */
void core__buffer_destroy(struct core_buffer *buffer);
/* A plugin or a buffer name: non-empty, without control bytes. */
bool core__name_is_valid(const char *s);
/* A buffer's plugin and name: both valid, and no dot in the plugin. */
bool core__names_are_valid(const char *plugin, const char *name);
/* Allocates a buffer with defaults (not yet in the list). */
struct core_buffer *core__buffer_create(struct core *core, const char *plugin, const char *name,
                                        enum core_buffer_type type);
/* Recomputes numbers 1..n in list order, emitting buffer_moved for changed ones. */
void core__renumber(struct core *core, bool emit);
void core__emit_nick(struct core_buffer *buffer, enum core_event_type type,
                     const struct core_nick_group *group, const struct core_nick *nick);
/* Puts nick in group's nicks at its sorted place, in the list and in by_name; nick->group
 * is group. */
void core__nicklist_link_nick(struct core_nick_group *group, struct core_nick *nick);
/* Replaces *field with a copy of value (NULL -> ""); returns true when it changed. */
bool core__set_string(char **field, const char *value);

#endif
