/* SPDX-License-Identifier: MIT */
/* JSON of core objects. */
#include "encode.h"

#include <stdlib.h>

#include "base/json.h"
#include "base/timefmt.h"
#include "core/core.h"
#include "core/hotlist.h"

static void
encode_colored(struct pjson *obj, const char *key, const char *text, enum core_color_mode colors)
{
    char *converted = core_color_convert(text, colors);

    pjson_add_str(obj, key, converted);
    free(converted);
}

static void
encode_color_name(struct pjson *obj, const char *key, const char *name, enum core_color_mode colors)
{
    char *rendered = core_color_name_render(name, colors);

    pjson_add_str(obj, key, rendered);
    free(rendered);
}

static void
encode_date(struct pjson *obj, const char *key, int64_t us)
{
    char text[TIMEFMT_ISO_LEN];

    timefmt_iso(us, text);
    pjson_add_str(obj, key, text);
}

struct pjson *
relay_encode_line(const struct core_line *line, enum core_color_mode colors)
{
    struct pjson *obj = pjson_object();
    struct pjson *tags = pjson_array();

    pjson_add_int(obj, "id", line->id);
    pjson_add_int(obj, "y", line->y);
    encode_date(obj, "date", line->date_us);
    encode_date(obj, "date_printed", line->printed_us);
    pjson_add_bool(obj, "displayed", line->displayed);
    pjson_add_bool(obj, "highlight", line->highlight);
    pjson_add_int(obj, "notify_level", line->notify_level);
    encode_colored(obj, "prefix", line->prefix, colors);
    encode_colored(obj, "message", line->message, colors);
    for (size_t i = 0; i < line->n_tags; i++)
        pjson_push(tags, pjson_string(line->tags[i]));
    pjson_add(obj, "tags", tags);
    return obj;
}

size_t
relay_lines_fill(struct core_buffer *buffer, long n)
{
    return core_buffer_lines_fill(buffer, n < 0 ? (size_t)(-(n + 1)) + 1 : n ? SIZE_MAX : 0);
}

struct pjson *
relay_encode_lines(const struct core_buffer *buffer, long n, enum core_color_mode colors)
{
    struct pjson *arr = pjson_array();
    size_t count = core_buffer_line_count(buffer);
    size_t start = 0, end = count;

    /* -(n + 1) + 1 is -n without overflowing on LONG_MIN. */
    if (n < 0 && (size_t)(-(n + 1)) + 1 < count)
        start = count - ((size_t)(-(n + 1)) + 1);
    else if (n > 0 && (size_t)n < count)
        end = (size_t)n;
    else if (n == 0)
        end = 0;
    for (size_t i = start; i < end; i++)
        pjson_push(arr, relay_encode_line(core_buffer_line_at(buffer, i), colors));
    return arr;
}

struct pjson *
relay_encode_nick(const struct core_nick *nick, enum core_color_mode colors)
{
    struct pjson *obj = pjson_object();

    pjson_add_int(obj, "id", nick->id);
    pjson_add_int(obj, "parent_group_id", nick->group->id);
    pjson_add_str(obj, "prefix", nick->prefix);
    pjson_add_str(obj, "prefix_color_name", nick->prefix_color_name);
    encode_color_name(obj, "prefix_color", nick->prefix_color_name, colors);
    pjson_add_str(obj, "name", nick->name);
    pjson_add_str(obj, "color_name", nick->color_name);
    encode_color_name(obj, "color", nick->color_name, colors);
    pjson_add_bool(obj, "visible", nick->visible);
    return obj;
}

struct pjson *
relay_encode_group(const struct core_nick_group *group, enum core_color_mode colors)
{
    struct pjson *obj = pjson_object();
    struct pjson *groups = pjson_array();
    struct pjson *nicks = pjson_array();
    struct list *pos;

    pjson_add_int(obj, "id", group->id);
    pjson_add_int(obj, "parent_group_id", group->parent ? group->parent->id : -1);
    pjson_add_str(obj, "name", group->name);
    pjson_add_str(obj, "color_name", group->color_name);
    encode_color_name(obj, "color", group->color_name, colors);
    pjson_add_bool(obj, "visible", group->visible);
    list_for_each (pos, &group->groups) {
        pjson_push(groups,
                   relay_encode_group(list_entry(pos, struct core_nick_group, link), colors));
    }
    list_for_each (pos, &group->nicks) {
        pjson_push(nicks, relay_encode_nick(list_entry(pos, struct core_nick, link), colors));
    }
    pjson_add(obj, "groups", groups);
    pjson_add(obj, "nicks", nicks);
    return obj;
}

static struct pjson *
encode_kv_object(const struct core_kv *kv, size_t n)
{
    struct pjson *obj = pjson_object();

    for (size_t i = 0; i < n; i++)
        pjson_add_str(obj, kv[i].key, kv[i].value);
    return obj;
}

static struct pjson *
encode_keys(const struct core_buffer *buffer)
{
    struct pjson *arr = pjson_array();

    for (size_t i = 0; i < buffer->n_keys; i++) {
        struct pjson *k = pjson_object();
        pjson_add_str(k, "key", buffer->keys[i].key);
        pjson_add_str(k, "command", buffer->keys[i].value);
        pjson_push(arr, k);
    }
    return arr;
}

struct pjson *
relay_encode_buffer(const struct core_buffer *b, const struct relay_buffer_opts *opts)
{
    struct pjson *obj = pjson_object();
    long n = b->type == CORE_BUFFER_FREE ? opts->lines_free : opts->lines;

    pjson_add_int(obj, "id", b->id);
    pjson_add_str(obj, "name", b->full_name);
    pjson_add_str(obj, "short_name", b->short_name);
    pjson_add_int(obj, "number", b->number);
    pjson_add_str(obj, "type", b->type == CORE_BUFFER_FREE ? "free" : "formatted");
    pjson_add_bool(obj, "hidden", b->hidden);
    encode_colored(obj, "title", b->title, opts->colors);
    encode_colored(obj, "modes", b->modes, opts->colors);
    encode_colored(obj, "input_prompt", b->input_prompt, opts->colors);
    pjson_add_str(obj, "input", b->input);
    pjson_add_int(obj, "input_position", b->input_position);
    pjson_add_bool(obj, "input_multiline", b->input_multiline);
    pjson_add_bool(obj, "nicklist", b->nicklist);
    pjson_add_bool(obj, "nicklist_case_sensitive", b->nicklist_case_sensitive);
    pjson_add_bool(obj, "nicklist_display_groups", b->nicklist_display_groups);
    pjson_add_bool(obj, "time_displayed", b->time_displayed);
    pjson_add(obj, "local_variables", encode_kv_object(b->localvars, b->n_localvars));
    pjson_add(obj, "keys", encode_keys(b));
    if (n != 0)
        pjson_add(obj, "lines", relay_encode_lines(b, n, opts->colors));
    pjson_add_int(obj, "last_read_line_id", b->last_read_line_id);
    if (opts->nicks)
        pjson_add(obj, "nicklist_root", relay_encode_group(b->nicklist_root, opts->colors));
    return obj;
}

struct pjson *
relay_encode_hotlist(const struct core *core)
{
    struct pjson *arr = pjson_array();
    struct list *pos;

    list_for_each (pos, &core->hotlist) {
        const struct core_hotlist_entry *e = list_entry(pos, struct core_hotlist_entry, link);
        struct pjson *obj = pjson_object();
        struct pjson *count = pjson_array();
        pjson_add_int(obj, "priority", e->priority);
        encode_date(obj, "date", e->date_us);
        pjson_add_int(obj, "buffer_id", e->buffer->id);
        for (int i = 0; i < 4; i++)
            pjson_push(count, pjson_int(e->count[i]));
        pjson_add(obj, "count", count);
        pjson_push(arr, obj);
    }
    return arr;
}
