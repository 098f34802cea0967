/* SPDX-License-Identifier: MIT */
/* The chat core: the buffer list, ids, lookups and event helpers. */
#include "core.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/timefmt.h"
#include "base/utf8.h"
#include "base/xalloc.h"
#include "completion.h"
#include "highlight.h"
#include "hotlist.h"
#include "internal.h"

static const char *
buffer_full_name_of(const void *item)
{
    return ((const struct core_buffer *)item)->full_name;
}

struct core *
core_new(size_t max_lines, const char *version)
{
    struct core *core = xcalloc(1, sizeof(*core));
    char title[128];

    list_init(&core->buffers);
    name_index_init(&core->buffers_by_name, buffer_full_name_of, strcmp);
    list_init(&core->hotlist);
    core_event_bus_init(&core->bus);
    core->max_lines = max_lines ? max_lines : 1;
    core->version = version;
    core->started_us = timefmt_now_us();
    core->core_buffer = core__buffer_create(core, "core", "weechat", CORE_BUFFER_FORMATTED);
    list_append(&core->buffers, &core->core_buffer->link);
    id_index_put(&core->buffers_by_id, core->core_buffer->id, core->core_buffer);
    name_index_insert(&core->buffers_by_name, core->core_buffer);
    core->core_buffer->number = 1;
    snprintf(title, sizeof(title), "perch %s - an always-on chat core", version);
    core__set_string(&core->core_buffer->title, title);
    core_alias_defaults(core);
    return core;
}

void
core_free(struct core *core)
{
    struct list *pos, *tmp;

    if (!core)
        return;
    core_hotlist_fini(core);
    list_for_each_safe (pos, tmp, &core->buffers) {
        list_remove(pos);
        core__buffer_destroy(list_entry(pos, struct core_buffer, link));
    }
    id_index_fini(&core->buffers_by_id);
    name_index_fini(&core->buffers_by_name);
    core_event_bus_fini(&core->bus);
    free(core->command_sets);
    core_completion_hooks_free(core);
    core_alias_free_all(core);
    core_schedule_free(core);
    free(core->highlight_words);
    free(core);
}

void
core_set_host(struct core *core, const struct core_host *host)
{
    core->host = *host;
}

void
core_set_highlight_words(struct core *core, const char *words)
{
    core_highlight_set_text(&core->highlight_words, words);
}

int64_t
core_next_id(struct core *core)
{
    int64_t id = timefmt_now_us();

    if (id <= core->last_id)
        id = core->last_id + 1;
    core->last_id = id;
    return id;
}

/* Full names are "plugin.name"; both parts are non-empty, without control bytes. */
bool
core__name_is_valid(const char *s)
{
    if (!s || !*s)
        return false;
    for (; *s; s++) {
        if ((unsigned char)*s < 0x20)
            return false;
    }
    return true;
}

bool
core__names_are_valid(const char *plugin, const char *name)
{
    return core__name_is_valid(plugin) && !strchr(plugin, '.') && core__name_is_valid(name);
}

struct core_buffer *
core_buffer_open(struct core *core, const char *plugin, const char *name,
                 enum core_buffer_type type, int *err)
{
    struct core_buffer *buffer;
    char *full;
    bool taken;

    if (!core__names_are_valid(plugin, name)) {
        *err = -EINVAL;
        return NULL;
    }
    size_t len = strlen(plugin) + strlen(name) + 2;
    full = xmalloc(len);
    snprintf(full, len, "%s.%s", plugin, name);
    taken = core_buffer_by_full_name(core, full) != NULL;
    free(full);
    if (taken) {
        *err = -EEXIST;
        return NULL;
    }
    buffer = core__buffer_create(core, plugin, name, type);
    list_append(&core->buffers, &buffer->link);
    id_index_put(&core->buffers_by_id, buffer->id, buffer);
    name_index_insert(&core->buffers_by_name, buffer);
    buffer->number = list_entry(buffer->link.prev, struct core_buffer, link)->number + 1;
    core_emit(core, CORE_EVENT_BUFFER_OPENED, buffer);
    *err = 0;
    return buffer;
}

int
core_buffer_close(struct core_buffer *buffer)
{
    struct core *core = buffer->core;
    struct core_event ev = { .type = CORE_EVENT_BUFFER_CLOSED, .buffer_id = buffer->id };
    struct list *pos, *tmp;

    if (buffer == core->core_buffer)
        return -EPERM;
    core_emit(core, CORE_EVENT_BUFFER_CLOSING, buffer);
    list_for_each_safe (pos, tmp, &buffer->nicklist_root->groups) {
        core_nicklist_remove_group(buffer, list_entry(pos, struct core_nick_group, link));
    }
    list_for_each_safe (pos, tmp, &buffer->nicklist_root->nicks) {
        core_nicklist_remove_nick(buffer, list_entry(pos, struct core_nick, link));
    }
    core_hotlist_remove(core, buffer);
    list_remove(&buffer->link);
    id_index_remove(&core->buffers_by_id, buffer->id);
    name_index_remove(&core->buffers_by_name, buffer);
    core_event_emit(&core->bus, &ev);
    core__buffer_destroy(buffer);
    core__renumber(core, true);
    return 0;
}

void
core__renumber(struct core *core, bool emit)
{
    struct list *pos;
    int number = 1;

    list_for_each (pos, &core->buffers) {
        struct core_buffer *b = list_entry(pos, struct core_buffer, link);
        if (b->number != number) {
            b->number = number;
            if (emit)
                core_emit(core, CORE_EVENT_BUFFER_MOVED, b);
        }
        number++;
    }
}

void
core_buffer_move(struct core_buffer *buffer, int number)
{
    struct core *core = buffer->core;
    struct list *pos;
    int n = 1;

    if (number < 1)
        number = 1;
    if (number == buffer->number)
        return;
    list_remove(&buffer->link);
    list_for_each (pos, &core->buffers) {
        if (n++ == number)
            break;
    }
    list_insert_before(pos, &buffer->link);
    /* The moved buffer's event comes first, as in the reference's sequence. */
    buffer->number = -1;
    core__renumber(core, true);
}

struct core_buffer *
core_buffer_by_full_name(const struct core *core, const char *full_name)
{
    struct list *pos;
    bool nocase = strncmp(full_name, "(?i)", 4) == 0;
    /* Names are kept as valid UTF-8 (core__buffer_create): so is the one looked for. */
    char *repaired = utf8_is_valid(full_name, strlen(full_name))
                         ? NULL
                         : utf8_repair(full_name, strlen(full_name));
    struct core_buffer *found = NULL;

    full_name = repaired ? repaired : full_name;
    if (!nocase) {
        found = name_index_find(&core->buffers_by_name, full_name, NULL, NULL);
        free(repaired);
        return found;
    }
    /* Case aside, the first by number: a walk (the index sorts by strcmp). */
    full_name += 4;
    list_for_each (pos, &core->buffers) {
        struct core_buffer *b = list_entry(pos, struct core_buffer, link);
        if (strcasecmp(b->full_name, full_name) == 0) {
            found = b;
            break;
        }
    }
    free(repaired);
    return found;
}

struct core_buffer *
core_buffer_by_id(const struct core *core, int64_t id)
{
    return id_index_get(&core->buffers_by_id, id);
}

struct core_buffer *
core_buffer_search(const struct core *core, const char *text)
{
    char *end;
    long long id;

    if (*text && ((*text >= '0' && *text <= '9') || *text == '-')) {
        errno = 0;
        id = strtoll(text, &end, 10);
        if (!errno && !*end)
            return core_buffer_by_id(core, id);
    }
    return core_buffer_by_full_name(core, text);
}

void
core_emit(struct core *core, enum core_event_type type, const struct core_buffer *buffer)
{
    struct core_event ev = { .type = type, .buffer_id = buffer->id, .buffer = buffer };

    core_event_emit(&core->bus, &ev);
}

void
core_emit_process(struct core *core, enum core_event_type type)
{
    struct core_event ev = { .type = type, .buffer_id = -1 };

    core_event_emit(&core->bus, &ev);
}

void
core__emit_nick(struct core_buffer *buffer, enum core_event_type type,
                const struct core_nick_group *group, const struct core_nick *nick)
{
    struct core_event ev = {
        .type = type, .buffer_id = buffer->id, .buffer = buffer, .group = group, .nick = nick
    };

    core_event_emit(&buffer->core->bus, &ev);
}

bool
core__set_string(char **field, const char *value)
{
    if (!value)
        value = "";
    if (*field && strcmp(*field, value) == 0)
        return false;
    free(*field);
    *field = xstrdup(value);
    return true;
}
