/* SPDX-License-Identifier: MIT */
/* A buffer's nicklist tree, each change emitting its event. */
#include "nicklist.h"

#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "base/utf8_case.h"
#include "base/xalloc.h"
#include "buffer.h"
#include "color.h"
#include "core.h"
#include "internal.h"

static char *
nicklist_text(const char *s)
{
    return s ? utf8_repair(s, strlen(s)) : xstrdup("");
}

static char *
nicklist_color(const char *name, const char *fallback)
{
    return xstrdup(name && core_color_name_is_valid(name) ? name : fallback);
}

struct core_nick_group *
core_nicklist_root_new(void)
{
    struct core_nick_group *root = xcalloc(1, sizeof(*root));

    list_init(&root->link);
    list_init(&root->groups);
    list_init(&root->nicks);
    root->name = xstrdup("root");
    root->color_name = xstrdup("");
    return root;
}

static void
nicklist_nick_free(struct core_nick *nick)
{
    free(nick->name);
    free(nick->color_name);
    free(nick->prefix);
    free(nick->prefix_color_name);
    free(nick);
}

static void
nicklist_group_free(struct core_nick_group *group)
{
    struct list *pos, *tmp;

    list_for_each_safe (pos, tmp, &group->groups) {
        nicklist_group_free(list_entry(pos, struct core_nick_group, link));
    }
    list_for_each_safe (pos, tmp, &group->nicks) {
        nicklist_nick_free(list_entry(pos, struct core_nick, link));
    }
    free(group->by_name);
    free(group->name);
    free(group->color_name);
    free(group);
}

void
core_nicklist_root_free(struct core_nick_group *root)
{
    if (root)
        nicklist_group_free(root);
}

int
core_nicklist_depth(const struct core_nick_group *group)
{
    int depth = 0;

    for (; group->parent; group = group->parent)
        depth++;
    return depth;
}

/* WeeChat keeps each group's subgroups and nicks sorted by name (string_strcasecmp), a new
 * one after those it equals and before the first that sorts after it. */

/* Where a subgroup named name goes in parent's (few) groups. */
static struct list *
nicklist_group_pos(struct core_nick_group *parent, const char *name)
{
    struct list *pos;

    list_for_each (pos, &parent->groups) {
        if (utf8_casecmp(name, list_entry(pos, struct core_nick_group, link)->name) < 0)
            return pos;
    }
    return &parent->groups;
}

/* The index in group->by_name of the first nick sorting after name (upper) or not before
 * it (!upper). */
static size_t
nicklist_nick_bound(const struct core_nick_group *group, const char *name, bool upper)
{
    size_t lo = 0, hi = group->n_nicks;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int cmp = utf8_casecmp(name, group->by_name[mid]->name);
        if (cmp > 0 || (upper && cmp == 0))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

void
core__nicklist_link_nick(struct core_nick_group *group, struct core_nick *nick)
{
    size_t at = nicklist_nick_bound(group, nick->name, true);

    if (group->n_nicks == group->cap_nicks) {
        group->cap_nicks = group->cap_nicks ? group->cap_nicks * 2 : 8;
        group->by_name = xrealloc(group->by_name, group->cap_nicks * sizeof(*group->by_name));
    }
    list_insert_before(at < group->n_nicks ? &group->by_name[at]->link : &group->nicks,
                       &nick->link);
    memmove(group->by_name + at + 1, group->by_name + at,
            (group->n_nicks - at) * sizeof(*group->by_name));
    group->by_name[at] = nick;
    group->n_nicks++;
}

static void
nicklist_nick_unlink(struct core_nick *nick)
{
    struct core_nick_group *group = nick->group;
    size_t at = nicklist_nick_bound(group, nick->name, false);

    while (at < group->n_nicks && group->by_name[at] != nick)
        at++;
    if (at < group->n_nicks) {
        memmove(group->by_name + at, group->by_name + at + 1,
                (group->n_nicks - at - 1) * sizeof(*group->by_name));
        group->n_nicks--;
    }
    list_remove(&nick->link);
}

struct core_nick_group *
core_nicklist_add_group(struct core_buffer *buffer, struct core_nick_group *parent,
                        const char *name, const char *color_name, bool visible)
{
    struct core_nick_group *group;

    if (!parent)
        parent = buffer->nicklist_root;
    if (core_nicklist_depth(parent) >= CORE_NICKLIST_DEPTH_MAX)
        return NULL;
    group = xcalloc(1, sizeof(*group));
    group->id = core_next_id(buffer->core);
    group->parent = parent;
    group->name = nicklist_text(name);
    group->color_name = nicklist_color(color_name, "weechat.color.nicklist_group");
    group->visible = visible;
    list_init(&group->groups);
    list_init(&group->nicks);
    list_insert_before(nicklist_group_pos(parent, group->name), &group->link);
    core__emit_nick(buffer, CORE_EVENT_NICKLIST_GROUP_ADDED, group, NULL);
    return group;
}

struct core_nick *
core_nicklist_add_nick(struct core_buffer *buffer, struct core_nick_group *group, const char *name,
                       const char *color_name, const char *prefix, const char *prefix_color_name,
                       bool visible)
{
    struct core_nick *nick = xcalloc(1, sizeof(*nick));

    if (!group)
        group = buffer->nicklist_root;
    nick->id = core_next_id(buffer->core);
    nick->group = group;
    nick->name = nicklist_text(name);
    nick->color_name = nicklist_color(color_name, core_color_for_nick(nick->name));
    nick->prefix = nicklist_text(prefix && *prefix ? prefix : " ");
    nick->prefix_color_name = nicklist_color(prefix_color_name, "default");
    nick->visible = visible;
    core__nicklist_link_nick(group, nick);
    core__emit_nick(buffer, CORE_EVENT_NICKLIST_NICK_ADDED, NULL, nick);
    return nick;
}

void
core_nicklist_remove_nick(struct core_buffer *buffer, struct core_nick *nick)
{
    core__emit_nick(buffer, CORE_EVENT_NICKLIST_NICK_REMOVING, NULL, nick);
    nicklist_nick_unlink(nick);
    nicklist_nick_free(nick);
}

void
core_nicklist_remove_group(struct core_buffer *buffer, struct core_nick_group *group)
{
    struct list *pos, *tmp;

    if (group == buffer->nicklist_root)
        return;
    /* First to last, as WeeChat; the index empties at once, not by one memmove per nick. */
    list_for_each_safe (pos, tmp, &group->nicks) {
        struct core_nick *nick = list_entry(pos, struct core_nick, link);
        core__emit_nick(buffer, CORE_EVENT_NICKLIST_NICK_REMOVING, NULL, nick);
        list_remove(&nick->link);
        nicklist_nick_free(nick);
    }
    group->n_nicks = 0;
    list_for_each_safe (pos, tmp, &group->groups) {
        core_nicklist_remove_group(buffer, list_entry(pos, struct core_nick_group, link));
    }
    core__emit_nick(buffer, CORE_EVENT_NICKLIST_GROUP_REMOVING, group, NULL);
    list_remove(&group->link);
    nicklist_group_free(group);
}

void
core_nicklist_change_nick(struct core_buffer *buffer, struct core_nick *nick,
                          const char *color_name, const char *prefix, const char *prefix_color_name,
                          bool visible)
{
    if (color_name && core_color_name_is_valid(color_name))
        core__set_string(&nick->color_name, color_name);
    if (prefix && *prefix)
        core__set_string(&nick->prefix, prefix);
    if (prefix_color_name && core_color_name_is_valid(prefix_color_name))
        core__set_string(&nick->prefix_color_name, prefix_color_name);
    nick->visible = visible;
    core__emit_nick(buffer, CORE_EVENT_NICKLIST_NICK_CHANGED, NULL, nick);
}

struct core_nick_group *
core_nicklist_find_group(struct core_nick_group *root, const char *name)
{
    struct list *pos;

    if (strcmp(root->name, name) == 0)
        return root;
    list_for_each (pos, &root->groups) {
        struct core_nick_group *found =
            core_nicklist_find_group(list_entry(pos, struct core_nick_group, link), name);
        if (found)
            return found;
    }
    return NULL;
}

struct core_nick *
core_nicklist_find_nick(struct core_nick_group *root, const char *name)
{
    struct list *pos;

    list_for_each (pos, &root->nicks) {
        struct core_nick *nick = list_entry(pos, struct core_nick, link);
        if (strcmp(nick->name, name) == 0)
            return nick;
    }
    list_for_each (pos, &root->groups) {
        struct core_nick *found =
            core_nicklist_find_nick(list_entry(pos, struct core_nick_group, link), name);
        if (found)
            return found;
    }
    return NULL;
}

static bool
nicklist_walk(const struct core_nick_group *group, core_nicklist_nick_cb cb, void *data)
{
    struct list *pos;

    list_for_each (pos, &group->nicks) {
        if (!cb(list_entry(pos, struct core_nick, link), data))
            return false;
    }
    list_for_each (pos, &group->groups) {
        if (!nicklist_walk(list_entry(pos, struct core_nick_group, link), cb, data))
            return false;
    }
    return true;
}

void
core_nicklist_each_nick(const struct core_nick_group *group, core_nicklist_nick_cb cb, void *data)
{
    nicklist_walk(group, cb, data);
}
