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

static const char *
nicklist_nick_name(const void *nick)
{
    return ((const struct core_nick *)nick)->name;
}

static int
nicklist_same_name(const char *a, const char *b, const void *ctx)
{
    (void)ctx;
    return strcmp(a, b);
}

static void
nicklist_group_init(struct core_nick_group *group)
{
    list_init(&group->groups);
    list_init(&group->nicks);
    name_index_init(&group->by_name, nicklist_nick_name, utf8_casecmp);
}

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
    nicklist_group_init(root);
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
    name_index_fini(&group->by_name);
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

void
core__nicklist_link_nick(struct core_nick_group *group, struct core_nick *nick)
{
    size_t at = name_index_insert(&group->by_name, nick);

    list_insert_before(at + 1 < group->by_name.n
                           ? &((struct core_nick *)group->by_name.items[at + 1])->link
                           : &group->nicks,
                       &nick->link);
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
    nicklist_group_init(group);
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
    name_index_remove(&nick->group->by_name, nick);
    list_remove(&nick->link);
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
    name_index_clear(&group->by_name);
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
    struct core_nick *nick = name_index_find(&root->by_name, name, nicklist_same_name, NULL);
    struct list *pos;

    if (nick)
        return nick;
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
