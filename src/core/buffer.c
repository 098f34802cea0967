/* SPDX-License-Identifier: MIT */
/* A buffer's properties and lines, each change emitting its event. */
#include "buffer.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/timefmt.h"
#include "base/utf8.h"
#include "base/xalloc.h"
#include "core.h"
#include "hotlist.h"
#include "internal.h"

static void
buffer_kv_set(struct core_kv **kv, size_t *n, const char *key, const char *value)
{
    for (size_t i = 0; i < *n; i++) {
        if (strcmp((*kv)[i].key, key) == 0) {
            core__set_string(&(*kv)[i].value, value);
            return;
        }
    }
    *kv = xrealloc(*kv, (*n + 1) * sizeof(**kv));
    (*kv)[*n].key = xstrdup(key);
    (*kv)[*n].value = xstrdup(value);
    (*n)++;
}

static void
buffer_kv_free(struct core_kv *kv, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(kv[i].key);
        free(kv[i].value);
    }
    free(kv);
}

static void
buffer_update_full_name(struct core_buffer *buffer)
{
    size_t len = strlen(buffer->plugin) + strlen(buffer->name) + 2;

    free(buffer->full_name);
    buffer->full_name = xmalloc(len);
    snprintf(buffer->full_name, len, "%s.%s", buffer->plugin, buffer->name);
}

struct core_buffer *
core__buffer_create(struct core *core, const char *plugin, const char *name,
                    enum core_buffer_type type)
{
    struct core_buffer *b = xcalloc(1, sizeof(*b));

    b->core = core;
    b->id = core_next_id(core);
    /* What clients are sent, and what is saved and read back: a name with other bytes
     * would come back as another buffer's. */
    b->plugin = utf8_repair(plugin, strlen(plugin));
    b->name = utf8_repair(name, strlen(name));
    buffer_update_full_name(b);
    b->short_name = xstrdup(b->name);
    b->type = type;
    b->title = xstrdup("");
    b->modes = xstrdup("");
    b->input_prompt = xstrdup("");
    b->input = xstrdup("");
    b->nicklist_display_groups = true;
    b->last_read_line_id = -1;
    b->notify = CORE_BUFFER_NOTIFY_ALL;
    b->time_displayed = type == CORE_BUFFER_FORMATTED;
    b->nicklist_root = core_nicklist_root_new();
    buffer_kv_set(&b->localvars, &b->n_localvars, "plugin", b->plugin);
    buffer_kv_set(&b->localvars, &b->n_localvars, "name", b->name);
    if (strcmp(b->plugin, "core") == 0 && strcmp(b->name, "weechat") != 0)
        buffer_kv_set(&b->localvars, &b->n_localvars, "type", "user");
    return b;
}

static void
buffer_free_lines(struct core_buffer *buffer)
{
    for (size_t i = buffer->first; i < buffer->n_lines; i++)
        core_line_free(buffer->lines[i]);
    buffer->first = 0;
    buffer->n_lines = 0;
    buffer->history_older = false;
}

void
core__buffer_destroy(struct core_buffer *buffer)
{
    buffer_free_lines(buffer);
    free(buffer->lines);
    free(buffer->hotlist_removed);
    core_nicklist_root_free(buffer->nicklist_root);
    core_highlight_free(&buffer->highlight);
    buffer_kv_free(buffer->localvars, buffer->n_localvars);
    buffer_kv_free(buffer->keys, buffer->n_keys);
    free(buffer->plugin);
    free(buffer->name);
    free(buffer->full_name);
    free(buffer->short_name);
    free(buffer->title);
    free(buffer->modes);
    free(buffer->input_prompt);
    free(buffer->input);
    free(buffer);
}

size_t
core_buffer_line_count(const struct core_buffer *buffer)
{
    return buffer->n_lines - buffer->first;
}

const struct core_line *
core_buffer_line_at(const struct core_buffer *buffer, size_t i)
{
    return i < core_buffer_line_count(buffer) ? buffer->lines[buffer->first + i] : NULL;
}

const struct core_line *
core_buffer_line_by_id(const struct core_buffer *buffer, int64_t id)
{
    /* Searched from the newest backwards, like the reference. */
    for (size_t i = buffer->n_lines; i > buffer->first; i--) {
        if (buffer->lines[i - 1]->id == id)
            return buffer->lines[i - 1];
    }
    return NULL;
}

const char *
core_buffer_localvar(const struct core_buffer *buffer, const char *key)
{
    for (size_t i = 0; i < buffer->n_localvars; i++) {
        if (strcmp(buffer->localvars[i].key, key) == 0)
            return buffer->localvars[i].value;
    }
    return NULL;
}

static void
buffer_reserve_lines(struct core_buffer *buffer, size_t n)
{
    if (n <= buffer->cap_lines)
        return;
    size_t cap = buffer->cap_lines ? buffer->cap_lines * 2 : 16;
    while (cap < n)
        cap *= 2;
    buffer->lines = xrealloc(buffer->lines, cap * sizeof(*buffer->lines));
    buffer->cap_lines = cap;
}

/* Drops the oldest line. A read marker on it moves before the first line, as
 * WeeChat moves it to the (missing) previous line; returns true when it did. */
static bool
buffer_drop_oldest(struct core_buffer *buffer)
{
    struct core_line *oldest = buffer->lines[buffer->first++];
    bool marker_moved = oldest->id == buffer->last_read_line_id;

    if (marker_moved) {
        buffer->last_read_line_id = -1;
        buffer->first_line_not_read = true;
    }
    core_line_free(oldest);
    buffer->history_older = true;
    return marker_moved;
}

/* Formatted buffers keep at most core->max_lines: the oldest go first. The array
 * is compacted only when half of it is dead, so appends stay O(1) amortised.
 * Returns true when the read marker moved. */
static bool
buffer_append_formatted(struct core_buffer *buffer, struct core_line *line)
{
    bool marker_moved = false;

    line->id = buffer->next_line_id;
    /* Ids wrap from 2^31-1 to 0 like the reference's. */
    buffer->next_line_id = buffer->next_line_id >= INT32_MAX ? 0 : buffer->next_line_id + 1;
    while (core_buffer_line_count(buffer) >= buffer->core->max_lines)
        marker_moved |= buffer_drop_oldest(buffer);
    if (buffer->first > 0 && buffer->first >= buffer->n_lines / 2) {
        size_t live = core_buffer_line_count(buffer);
        memmove(buffer->lines, buffer->lines + buffer->first, live * sizeof(*buffer->lines));
        buffer->first = 0;
        buffer->n_lines = live;
    }
    buffer_reserve_lines(buffer, buffer->n_lines + 1);
    buffer->lines[buffer->n_lines++] = line;
    return marker_moved;
}

/* Free buffers address lines by y; the id is y (reference §7.8). */
static void
buffer_put_free(struct core_buffer *buffer, struct core_line *line, int y)
{
    size_t slot = (size_t)y;
    static const struct core_line_spec filler = { .y = -1 };

    /* A free buffer is a screen: y past the line limit lands on the last line. */
    if (slot >= buffer->core->max_lines)
        slot = buffer->core->max_lines - 1;
    buffer_reserve_lines(buffer, slot + 1);
    while (buffer->n_lines < slot) {
        struct core_line *empty = core_line_new(&filler, 0);
        empty->date_us = 0;
        empty->y = (int)buffer->n_lines;
        empty->id = empty->y;
        buffer->lines[buffer->n_lines++] = empty;
    }
    line->y = (int)slot;
    line->id = line->y;
    line->notify_level = line->notify_level < 0 ? line->notify_level : CORE_NOTIFY_LOW;
    line->highlight = false;
    if (slot < buffer->n_lines)
        core_line_free(buffer->lines[slot]);
    else
        buffer->n_lines++;
    buffer->lines[slot] = line;
}

/* While /mute runs its command, as WeeChat's: formatted buffers only. */
static bool
buffer_muted(const struct core_buffer *buffer)
{
    const struct core *core = buffer->core;

    return buffer->type == CORE_BUFFER_FORMATTED &&
           (core->mute == CORE_MUTE_ALL ||
            (core->mute == CORE_MUTE_BUFFER && core->mute_buffer_id == buffer->id));
}

const struct core_line *
core_buffer_print(struct core_buffer *buffer, const struct core_line_spec *spec)
{
    int64_t now = timefmt_now_us();
    struct core_line *line;
    struct core_event ev = { .type = CORE_EVENT_BUFFER_LINE_ADDED,
                             .buffer_id = buffer->id,
                             .buffer = buffer };

    if (buffer_muted(buffer))
        return NULL;
    ev.line = line = core_line_new(spec, now);
    if (buffer->type == CORE_BUFFER_FORMATTED)
        core_highlight_apply(buffer, line);
    if (buffer->type == CORE_BUFFER_FREE)
        buffer_put_free(buffer, line, spec->y >= 0 ? spec->y : (int)buffer->n_lines);
    else if (buffer_append_formatted(buffer, line))
        core_emit(buffer->core, CORE_EVENT_BUFFER_CHANGED, buffer);
    core_hotlist_add(buffer->core, buffer, line->notify_level, now);
    core_event_emit(&buffer->core->bus, &ev);
    return line;
}

size_t
core_buffer_lines_fill(struct core_buffer *b, size_t want)
{
    const struct core_history *h = &b->core->history;
    size_t have = core_buffer_line_count(b), got;
    struct core_line **older;

    want = want < b->core->max_lines ? want : b->core->max_lines;
    if (!b->history_older || !h->lines || b->type != CORE_BUFFER_FORMATTED || have >= want)
        return have;
    got = h->lines(h->data, b, -1, have ? b->lines[b->first]->id : -1, want - have, true, &older);
    if (got < want - have)
        b->history_older = false;
    if (got == 0) {
        free(older);
        return have;
    }
    if (b->first < got) {
        buffer_reserve_lines(b, have + got);
        memmove(b->lines + got, b->lines + b->first, have * sizeof(*b->lines));
        b->first = got;
        b->n_lines = have + got;
    }
    b->first -= got;
    memcpy(b->lines + b->first, older, got * sizeof(*b->lines));
    free(older);
    return have + got;
}

void
core_buffer_continue_ids(struct core_buffer *buffer, int64_t next_line_id)
{
    if (buffer->type == CORE_BUFFER_FORMATTED && next_line_id > buffer->next_line_id &&
        next_line_id <= INT32_MAX)
        buffer->next_line_id = next_line_id;
}

void
core_buffer_forget_line(struct core_buffer *buffer, int64_t id)
{
    for (size_t i = buffer->n_lines; i > buffer->first; i--) {
        struct core_line *line = buffer->lines[i - 1];
        if (line->id != id)
            continue;
        if (buffer->last_read_line_id == id)
            buffer->last_read_line_id = i - 1 > buffer->first ? buffer->lines[i - 2]->id : -1;
        memmove(buffer->lines + i - 1, buffer->lines + i,
                (buffer->n_lines - i) * sizeof(*buffer->lines));
        buffer->n_lines--;
        core_line_free(line);
        return;
    }
}

int
core_buffer_set_line_tags(struct core_buffer *buffer, int64_t id, const char *tags)
{
    struct core_line *line = (struct core_line *)(uintptr_t)core_buffer_line_by_id(buffer, id);
    struct core_event ev = { .type = CORE_EVENT_BUFFER_LINE_DATA_CHANGED,
                             .buffer_id = buffer->id,
                             .buffer = buffer };

    if (!line)
        return -ENOENT;
    core_line_set_tags(line, tags);
    if (buffer->type == CORE_BUFFER_FREE) {
        line->notify_level = line->notify_level < 0 ? line->notify_level : CORE_NOTIFY_LOW;
        line->highlight = false;
    }
    ev.line = line;
    core_event_emit(&buffer->core->bus, &ev);
    return 0;
}

void
core_buffer_clear(struct core_buffer *buffer)
{
    buffer_free_lines(buffer);
    buffer->last_read_line_id = -1;
    buffer->first_line_not_read = false;
    core_hotlist_remove(buffer->core, buffer);
    core_emit(buffer->core, CORE_EVENT_BUFFER_CLEARED, buffer);
}

void
core_buffer_set_type(struct core_buffer *buffer, enum core_buffer_type type)
{
    if (buffer->type == type)
        return;
    /* Line ids mean positions in free buffers and counters in formatted ones: the
     * lines cannot survive the change, as in WeeChat. */
    buffer_free_lines(buffer);
    buffer->type = type;
    buffer->last_read_line_id = -1;
    buffer->first_line_not_read = false;
    core_emit(buffer->core, CORE_EVENT_BUFFER_TYPE_CHANGED, buffer);
}

static void
buffer_set(struct core_buffer *buffer, char **field, const char *value, enum core_event_type type)
{
    char *clean = utf8_repair(value ? value : "", value ? strlen(value) : 0);

    if (core__set_string(field, clean))
        core_emit(buffer->core, type, buffer);
    free(clean);
}

void
core_buffer_set_title(struct core_buffer *buffer, const char *title)
{
    buffer_set(buffer, &buffer->title, title, CORE_EVENT_BUFFER_TITLE_CHANGED);
}

void
core_buffer_set_modes(struct core_buffer *buffer, const char *modes)
{
    buffer_set(buffer, &buffer->modes, modes, CORE_EVENT_BUFFER_MODES_CHANGED);
}

void
core_buffer_set_short_name(struct core_buffer *buffer, const char *short_name)
{
    buffer_set(buffer, &buffer->short_name, short_name, CORE_EVENT_BUFFER_RENAMED);
}

void
core_buffer_set_input_prompt(struct core_buffer *buffer, const char *prompt)
{
    buffer_set(buffer, &buffer->input_prompt, prompt, CORE_EVENT_INPUT_PROMPT_CHANGED);
}

int
core_buffer_set_name(struct core_buffer *buffer, const char *name)
{
    size_t len;
    char *full;
    struct core_buffer *other;

    if (!core__name_is_valid(name))
        return -EINVAL;
    len = strlen(buffer->plugin) + strlen(name) + 2;
    full = xmalloc(len);
    snprintf(full, len, "%s.%s", buffer->plugin, name);
    other = core_buffer_by_full_name(buffer->core, full);
    free(full);
    if (other == buffer)
        return 0;
    if (other)
        return -EEXIST;
    free(buffer->name);
    buffer->name = utf8_repair(name, strlen(name)); /* as core__buffer_create keeps it */
    name_index_remove(&buffer->core->buffers_by_name, buffer);
    buffer_update_full_name(buffer);
    name_index_insert(&buffer->core->buffers_by_name, buffer);
    /* The reference announces the "name" local variable first, then the rename. */
    buffer_kv_set(&buffer->localvars, &buffer->n_localvars, "name", buffer->name);
    core_emit(buffer->core, CORE_EVENT_BUFFER_LOCALVAR_CHANGED, buffer);
    core_emit(buffer->core, CORE_EVENT_BUFFER_RENAMED, buffer);
    return 0;
}

void
core_buffer_set_hidden(struct core_buffer *buffer, bool hidden)
{
    if (buffer->hidden == hidden)
        return;
    buffer->hidden = hidden;
    core_emit(buffer->core, hidden ? CORE_EVENT_BUFFER_HIDDEN : CORE_EVENT_BUFFER_UNHIDDEN, buffer);
}

void
core_buffer_set_time_displayed(struct core_buffer *buffer, bool displayed)
{
    if (buffer->time_displayed == displayed)
        return;
    buffer->time_displayed = displayed;
    core_emit(buffer->core, CORE_EVENT_BUFFER_TIME_FOR_EACH_LINE_CHANGED, buffer);
}

void
core_buffer_set_input(struct core_buffer *buffer, const char *text, int position)
{
    char *clean = utf8_repair(text, strlen(text));
    int n_chars = (int)utf8_char_count(clean, strlen(clean));
    bool text_changed;

    if (position < 0 || position > n_chars)
        position = n_chars;
    text_changed = core__set_string(&buffer->input, clean);
    free(clean);
    if (!text_changed && position == buffer->input_position)
        return;
    buffer->input_position = position;
    core_emit(buffer->core,
              text_changed ? CORE_EVENT_INPUT_TEXT_CHANGED : CORE_EVENT_INPUT_TEXT_CURSOR_MOVED,
              buffer);
}

int
core_buffer_set_localvar(struct core_buffer *buffer, const char *key, const char *value)
{
    const char *old = core_buffer_localvar(buffer, key);

    if (strcmp(key, "plugin") == 0 || strcmp(key, "name") == 0)
        return -EPERM;
    if (!value) {
        if (!old)
            return 0;
        for (size_t i = 0; i < buffer->n_localvars; i++) {
            if (strcmp(buffer->localvars[i].key, key) == 0) {
                free(buffer->localvars[i].key);
                free(buffer->localvars[i].value);
                memmove(buffer->localvars + i, buffer->localvars + i + 1,
                        (buffer->n_localvars - i - 1) * sizeof(*buffer->localvars));
                buffer->n_localvars--;
                break;
            }
        }
        core_emit(buffer->core, CORE_EVENT_BUFFER_LOCALVAR_REMOVED, buffer);
        return 0;
    }
    if (old && strcmp(old, value) == 0)
        return 0;
    buffer_kv_set(&buffer->localvars, &buffer->n_localvars, key, value);
    core_emit(buffer->core,
              old ? CORE_EVENT_BUFFER_LOCALVAR_CHANGED : CORE_EVENT_BUFFER_LOCALVAR_ADDED, buffer);
    return 0;
}

/* Keys are kept in the order WeeChat keeps a buffer's (gui_key_insert_sorted: by name). */
void
core_buffer_set_key(struct core_buffer *buffer, const char *key, const char *command)
{
    size_t at = 0;

    while (at < buffer->n_keys && strcmp(buffer->keys[at].key, key) < 0)
        at++;
    if (at < buffer->n_keys && strcmp(buffer->keys[at].key, key) == 0) {
        core__set_string(&buffer->keys[at].value, command);
    } else {
        buffer->keys = xrealloc(buffer->keys, (buffer->n_keys + 1) * sizeof(*buffer->keys));
        memmove(&buffer->keys[at + 1], &buffer->keys[at],
                (buffer->n_keys - at) * sizeof(*buffer->keys));
        buffer->keys[at].key = xstrdup(key);
        buffer->keys[at].value = xstrdup(command);
        buffer->n_keys++;
    }
    core_emit(buffer->core, CORE_EVENT_BUFFER_CHANGED, buffer);
}

int
core_buffer_unset_key(struct core_buffer *buffer, const char *key)
{
    bool all = strcmp(key, "*") == 0;
    size_t kept = 0, n = buffer->n_keys;

    for (size_t i = 0; i < n; i++) {
        struct core_kv kv = buffer->keys[i];
        if (all || strcmp(kv.key, key) == 0) {
            free(kv.key);
            free(kv.value);
        } else {
            buffer->keys[kept++] = kv;
        }
    }
    buffer->n_keys = kept;
    if (kept == n)
        return -ENOENT;
    core_emit(buffer->core, CORE_EVENT_BUFFER_CHANGED, buffer);
    return 0;
}

static void
buffer_set_flag(struct core_buffer *buffer, bool *flag, bool value)
{
    if (*flag == value)
        return;
    *flag = value;
    core_emit(buffer->core, CORE_EVENT_BUFFER_CHANGED, buffer);
}

void
core_buffer_set_nicklist(struct core_buffer *buffer, bool enabled)
{
    buffer_set_flag(buffer, &buffer->nicklist, enabled);
}

void
core_buffer_set_nicklist_case_sensitive(struct core_buffer *buffer, bool enabled)
{
    buffer_set_flag(buffer, &buffer->nicklist_case_sensitive, enabled);
}

void
core_buffer_set_nicklist_display_groups(struct core_buffer *buffer, bool enabled)
{
    buffer_set_flag(buffer, &buffer->nicklist_display_groups, enabled);
}

void
core_buffer_set_input_multiline(struct core_buffer *buffer, bool enabled)
{
    buffer_set_flag(buffer, &buffer->input_multiline, enabled);
}

void
core_buffer_set_input_cb(struct core_buffer *buffer, core_buffer_input_cb cb, void *data)
{
    buffer->input_cb = cb;
    buffer->input_data = data;
}
