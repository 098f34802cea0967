/* SPDX-License-Identifier: MIT */
/* A buffer's nicklist: a tree of groups (root id 0) holding nicks. */
#ifndef PERCH_CORE_NICKLIST_H
#define PERCH_CORE_NICKLIST_H

#include <stdbool.h>
#include <stdint.h>

#include "base/list.h"
#include "base/name_index.h"

struct core_buffer;

/* Read-only outside core/. */
struct core_nick_group {
    struct list link; /* in parent->groups */
    int64_t id;       /* 0 for the root */
    struct core_nick_group *parent;
    char *name;
    char *color_name; /* a valid WeeChat colour or option name, "" for root */
    bool visible;
    struct list groups;
    struct list nicks;
    /* nicks again, sorted as the list, so that a channel of thousands finds a nick or a
     * new nick's place by binary search */
    struct name_index by_name;
};

struct core_nick {
    struct list link; /* in group->nicks */
    int64_t id;
    struct core_nick_group *group;
    char *name;
    char *color_name;
    char *prefix;
    char *prefix_color_name;
    bool visible;
};

struct core_nick_group *core_nicklist_root_new(void);
/* Frees the tree without events (the buffer is going away). */
void core_nicklist_root_free(struct core_nick_group *root);
/* 0 for the root, 1 for its groups, ... */
int core_nicklist_depth(const struct core_nick_group *group);

/* How deep groups may nest below the root. Every walk of the tree (encoders, lookups,
 * removal) recurses at most this deep. IRC uses one level. */
#define CORE_NICKLIST_DEPTH_MAX 16

/* Adds a group under parent (NULL = root); emits nicklist_group_added. Invalid colour
 * names fall back to a valid default. Returns NULL (nothing added) when parent is
 * already CORE_NICKLIST_DEPTH_MAX deep. */
struct core_nick_group *core_nicklist_add_group(struct core_buffer *buffer,
                                                struct core_nick_group *parent, const char *name,
                                                const char *color_name, bool visible);
/* Adds a nick; emits nicklist_nick_added. NULL color_name picks a colour from the nick. */
struct core_nick *core_nicklist_add_nick(struct core_buffer *buffer, struct core_nick_group *group,
                                         const char *name, const char *color_name,
                                         const char *prefix, const char *prefix_color_name,
                                         bool visible);
/* Emits nicklist_nick_removing, then frees the nick. */
void core_nicklist_remove_nick(struct core_buffer *buffer, struct core_nick *nick);
/* Removes nicks and sub-groups first (each with its event), then the group. */
void core_nicklist_remove_group(struct core_buffer *buffer, struct core_nick_group *group);
/* Changes visible/colour/prefix of a nick; emits nicklist_nick_changed. */
void core_nicklist_change_nick(struct core_buffer *buffer, struct core_nick *nick,
                               const char *color_name, const char *prefix,
                               const char *prefix_color_name, bool visible);

struct core_nick_group *core_nicklist_find_group(struct core_nick_group *root, const char *name);
struct core_nick *core_nicklist_find_nick(struct core_nick_group *root, const char *name);

/* Calls cb for every nick under group, depth first; stops when cb returns false. */
typedef bool (*core_nicklist_nick_cb)(const struct core_nick *nick, void *data);
void core_nicklist_each_nick(const struct core_nick_group *group, core_nicklist_nick_cb cb,
                             void *data);

#endif
