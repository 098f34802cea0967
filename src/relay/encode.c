/* SPDX-License-Identifier: MIT */
/* JSON of core objects, streamed: no node per field, one buffer for the whole answer. */
#include "encode.h"

#include <stdlib.h>
#include <string.h>

#include "base/jsonw.h"
#include "base/timefmt.h"
#include "core/core.h"
#include "core/hotlist.h"

/* Text with colour codes, converted to the client's mode. Most text has none: it is the
 * same in every mode and is written without a converted copy. */
static void
encode_colored(struct jsonw *w, const char *key, const char *text, enum core_color_mode colors)
{
    char *converted;

    jsonw_key(w, key);
    if (!text || colors == CORE_COLOR_WEECHAT || !strpbrk(text, CORE_COLOR_CODE_BYTES)) {
        jsonw_str(w, text);
        return;
    }
    converted = core_color_convert(text, colors);
    jsonw_str(w, converted);
    free(converted);
}

static void
encode_color_name(struct jsonw *w, const char *key, const char *name, enum core_color_mode colors)
{
    char *rendered = core_color_name_render(name, colors);

    jsonw_member_str(w, key, rendered);
    free(rendered);
}

static void
encode_date(struct jsonw *w, const char *key, int64_t us)
{
    char text[TIMEFMT_ISO_LEN];

    timefmt_iso(us, text);
    jsonw_member_str(w, key, text);
}

void
relay_encode_line(struct jsonw *w, const struct core_line *line, enum core_color_mode colors)
{
    jsonw_object_begin(w);
    jsonw_member_int(w, "id", line->id);
    jsonw_member_int(w, "y", line->y);
    encode_date(w, "date", line->date_us);
    encode_date(w, "date_printed", line->printed_us);
    jsonw_member_bool(w, "displayed", line->displayed);
    jsonw_member_bool(w, "highlight", line->highlight);
    jsonw_member_int(w, "notify_level", line->notify_level);
    encode_colored(w, "prefix", line->prefix, colors);
    encode_colored(w, "message", line->message, colors);
    jsonw_key(w, "tags");
    jsonw_array_begin(w);
    for (size_t i = 0; i < line->n_tags; i++)
        jsonw_str(w, line->tags[i]);
    jsonw_array_end(w);
    jsonw_object_end(w);
}

size_t
relay_lines_fill(struct core_buffer *buffer, long n)
{
    return core_buffer_lines_fill(buffer, n < 0 ? (size_t)(-(n + 1)) + 1 : n ? SIZE_MAX : 0);
}

void
relay_encode_lines(struct jsonw *w, const struct core_buffer *buffer, long n,
                   enum core_color_mode colors)
{
    size_t count = core_buffer_line_count(buffer);
    size_t start = 0, end = count;

    /* -(n + 1) + 1 is -n without overflowing on LONG_MIN. */
    if (n < 0 && (size_t)(-(n + 1)) + 1 < count)
        start = count - ((size_t)(-(n + 1)) + 1);
    else if (n > 0 && (size_t)n < count)
        end = (size_t)n;
    else if (n == 0)
        end = 0;
    jsonw_array_begin(w);
    for (size_t i = start; i < end; i++)
        relay_encode_line(w, core_buffer_line_at(buffer, i), colors);
    jsonw_array_end(w);
}

void
relay_encode_nick(struct jsonw *w, const struct core_nick *nick, enum core_color_mode colors)
{
    jsonw_object_begin(w);
    jsonw_member_int(w, "id", nick->id);
    jsonw_member_int(w, "parent_group_id", nick->group->id);
    jsonw_member_str(w, "prefix", nick->prefix);
    jsonw_member_str(w, "prefix_color_name", nick->prefix_color_name);
    encode_color_name(w, "prefix_color", nick->prefix_color_name, colors);
    jsonw_member_str(w, "name", nick->name);
    jsonw_member_str(w, "color_name", nick->color_name);
    encode_color_name(w, "color", nick->color_name, colors);
    jsonw_member_bool(w, "visible", nick->visible);
    jsonw_object_end(w);
}

void
relay_encode_group(struct jsonw *w, const struct core_nick_group *group,
                   enum core_color_mode colors)
{
    struct list *pos;

    jsonw_object_begin(w);
    jsonw_member_int(w, "id", group->id);
    jsonw_member_int(w, "parent_group_id", group->parent ? group->parent->id : -1);
    jsonw_member_str(w, "name", group->name);
    jsonw_member_str(w, "color_name", group->color_name);
    encode_color_name(w, "color", group->color_name, colors);
    jsonw_member_bool(w, "visible", group->visible);
    jsonw_key(w, "groups");
    jsonw_array_begin(w);
    list_for_each (pos, &group->groups)
        relay_encode_group(w, list_entry(pos, struct core_nick_group, link), colors);
    jsonw_array_end(w);
    jsonw_key(w, "nicks");
    jsonw_array_begin(w);
    list_for_each (pos, &group->nicks)
        relay_encode_nick(w, list_entry(pos, struct core_nick, link), colors);
    jsonw_array_end(w);
    jsonw_object_end(w);
}

static void
encode_localvars(struct jsonw *w, const struct core_buffer *b)
{
    jsonw_key(w, "local_variables");
    jsonw_object_begin(w);
    for (size_t i = 0; i < b->n_localvars; i++)
        jsonw_member_str(w, b->localvars[i].key, b->localvars[i].value);
    jsonw_object_end(w);
}

static void
encode_keys(struct jsonw *w, const struct core_buffer *b)
{
    jsonw_key(w, "keys");
    jsonw_array_begin(w);
    for (size_t i = 0; i < b->n_keys; i++) {
        jsonw_object_begin(w);
        jsonw_member_str(w, "key", b->keys[i].key);
        jsonw_member_str(w, "command", b->keys[i].value);
        jsonw_object_end(w);
    }
    jsonw_array_end(w);
}

void
relay_encode_buffer(struct jsonw *w, const struct core_buffer *b,
                    const struct relay_buffer_opts *opts)
{
    long n = b->type == CORE_BUFFER_FREE ? opts->lines_free : opts->lines;

    jsonw_object_begin(w);
    jsonw_member_int(w, "id", b->id);
    jsonw_member_str(w, "name", b->full_name);
    jsonw_member_str(w, "short_name", b->short_name);
    jsonw_member_int(w, "number", b->number);
    jsonw_member_str(w, "type", b->type == CORE_BUFFER_FREE ? "free" : "formatted");
    jsonw_member_bool(w, "hidden", b->hidden);
    encode_colored(w, "title", b->title, opts->colors);
    encode_colored(w, "modes", b->modes, opts->colors);
    encode_colored(w, "input_prompt", b->input_prompt, opts->colors);
    jsonw_member_str(w, "input", b->input);
    jsonw_member_int(w, "input_position", b->input_position);
    jsonw_member_bool(w, "input_multiline", b->input_multiline);
    jsonw_member_bool(w, "nicklist", b->nicklist);
    jsonw_member_bool(w, "nicklist_case_sensitive", b->nicklist_case_sensitive);
    jsonw_member_bool(w, "nicklist_display_groups", b->nicklist_display_groups);
    jsonw_member_bool(w, "time_displayed", b->time_displayed);
    encode_localvars(w, b);
    encode_keys(w, b);
    if (n != 0) {
        jsonw_key(w, "lines");
        relay_encode_lines(w, b, n, opts->colors);
    }
    jsonw_member_int(w, "last_read_line_id", b->last_read_line_id);
    if (opts->nicks) {
        jsonw_key(w, "nicklist_root");
        relay_encode_group(w, b->nicklist_root, opts->colors);
    }
    jsonw_object_end(w);
}

void
relay_encode_hotlist(struct jsonw *w, const struct core *core)
{
    struct list *pos;

    jsonw_array_begin(w);
    list_for_each (pos, &core->hotlist) {
        const struct core_hotlist_entry *e = list_entry(pos, struct core_hotlist_entry, link);
        jsonw_object_begin(w);
        jsonw_member_int(w, "priority", e->priority);
        encode_date(w, "date", e->date_us);
        jsonw_member_int(w, "buffer_id", e->buffer->id);
        jsonw_key(w, "count");
        jsonw_array_begin(w);
        for (int i = 0; i < 4; i++)
            jsonw_int(w, e->count[i]);
        jsonw_array_end(w);
        jsonw_object_end(w);
    }
    jsonw_array_end(w);
}
