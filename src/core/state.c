/* SPDX-License-Identifier: MIT */
/* The core saved and restored as JSON, every field kept exactly (ids, dates, tags). */
#include "state.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/utf8.h"
#include "base/xalloc.h"
#include "core.h"
#include "hotlist.h"
#include "internal.h"

static struct pjson *
state_kv(const struct core_kv *kv, size_t n)
{
    struct pjson *arr = pjson_array();

    for (size_t i = 0; i < n; i++) {
        struct pjson *pair = pjson_array();
        pjson_push(pair, pjson_string(kv[i].key));
        pjson_push(pair, pjson_string(kv[i].value));
        pjson_push(arr, pair);
    }
    return arr;
}

/* JSON numbers are read as doubles, exact below 2^53: a line's date beyond (a server-time
 * before 1685 or after 2255) goes as its decimal text, so that no microsecond moves. */
#define STATE_EXACT_MAX 9007199254740991LL

static void
state_add_date(struct pjson *o, const char *key, int64_t us)
{
    char text[24];

    if (us >= -STATE_EXACT_MAX && us <= STATE_EXACT_MAX) {
        pjson_add_int(o, key, us);
        return;
    }
    snprintf(text, sizeof(text), "%lld", (long long)us);
    pjson_add_str(o, key, text);
}

static struct pjson *
state_line(const struct core_line *l)
{
    struct pjson *o = pjson_object(), *tags = pjson_array();

    pjson_add_int(o, "id", l->id);
    pjson_add_int(o, "y", l->y);
    state_add_date(o, "date", l->date_us);
    pjson_add_int(o, "printed", l->printed_us);
    pjson_add_bool(o, "displayed", l->displayed);
    pjson_add_bool(o, "highlight", l->highlight);
    pjson_add_int(o, "notify", l->notify_level);
    pjson_add_str(o, "prefix", l->prefix);
    pjson_add_str(o, "message", l->message);
    for (size_t i = 0; i < l->n_tags; i++)
        pjson_push(tags, pjson_string(l->tags[i]));
    pjson_add(o, "tags", tags);
    return o;
}

static struct pjson *
state_group(const struct core_nick_group *g)
{
    struct pjson *o = pjson_object(), *groups = pjson_array(), *nicks = pjson_array();
    struct list *pos;

    pjson_add_int(o, "id", g->id);
    pjson_add_str(o, "name", g->name);
    pjson_add_str(o, "color", g->color_name);
    pjson_add_bool(o, "visible", g->visible);
    list_for_each (pos, &g->groups)
        pjson_push(groups, state_group(list_entry(pos, struct core_nick_group, link)));
    list_for_each (pos, &g->nicks) {
        const struct core_nick *n = list_entry(pos, struct core_nick, link);
        struct pjson *no = pjson_object();
        pjson_add_int(no, "id", n->id);
        pjson_add_str(no, "name", n->name);
        pjson_add_str(no, "color", n->color_name);
        pjson_add_str(no, "prefix", n->prefix);
        pjson_add_str(no, "prefix_color", n->prefix_color_name);
        pjson_add_bool(no, "visible", n->visible);
        pjson_push(nicks, no);
    }
    pjson_add(o, "groups", groups);
    pjson_add(o, "nicks", nicks);
    return o;
}

/* The highlight properties set (WeeChat keeps them over /upgrade); NULL when none is. */
static struct pjson *
state_highlight(const struct core_highlight *h)
{
    const struct {
        const char *key, *value;
    } fields[] = {
        { "words", h->words },
        { "tags", h->tags },
        { "tags_restrict", h->tags_restrict },
        { "regex", h->regex.text },
        { "disable_regex", h->disable_regex.text },
    };
    struct pjson *o = NULL;
    char *levels = core_highlight_nick_levels_text(h);

    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        if (!fields[i].value)
            continue;
        o = o ? o : pjson_object();
        pjson_add_str(o, fields[i].key, fields[i].value);
    }
    if (levels) {
        o = o ? o : pjson_object();
        pjson_add_str(o, "nick_levels", levels);
        free(levels);
    }
    return o;
}

static void
state_restore_highlight(struct core_highlight *h, const struct pjson *o)
{
    char err[128];

    if (!o)
        return;
    core_highlight_set_text(&h->words, pjson_str(pjson_get(o, "words")));
    core_highlight_set_text(&h->tags, pjson_str(pjson_get(o, "tags")));
    core_highlight_set_text(&h->tags_restrict, pjson_str(pjson_get(o, "tags_restrict")));
    /* One that no longer compiles (another libc) is dropped, as WeeChat would. */
    (void)core_highlight_set_regex(&h->regex, pjson_str(pjson_get(o, "regex")), err, sizeof(err));
    (void)core_highlight_set_regex(&h->disable_regex, pjson_str(pjson_get(o, "disable_regex")), err,
                                   sizeof(err));
    core_highlight_set_nick_levels(h, pjson_str(pjson_get(o, "nick_levels")));
}

struct pjson *
core_state_buffer(const struct core_buffer *b, bool for_storage)
{
    struct pjson *highlight = state_highlight(&b->highlight);

    struct pjson *o = pjson_object(), *lines = pjson_array();

    pjson_add_int(o, "id", b->id);
    pjson_add_str(o, "plugin", b->plugin);
    pjson_add_str(o, "name", b->name);
    pjson_add_str(o, "short_name", b->short_name);
    pjson_add_bool(o, "free", b->type == CORE_BUFFER_FREE);
    pjson_add_bool(o, "hidden", b->hidden);
    pjson_add_str(o, "title", b->title);
    pjson_add_str(o, "modes", b->modes);
    pjson_add_str(o, "input_prompt", b->input_prompt);
    pjson_add_str(o, "input", b->input);
    pjson_add_int(o, "input_position", b->input_position);
    pjson_add_bool(o, "input_multiline", b->input_multiline);
    pjson_add_bool(o, "nicklist", b->nicklist);
    pjson_add_bool(o, "nicklist_case_sensitive", b->nicklist_case_sensitive);
    pjson_add_bool(o, "nicklist_display_groups", b->nicklist_display_groups);
    pjson_add_bool(o, "time_displayed", b->time_displayed);
    pjson_add(o, "localvars", state_kv(b->localvars, b->n_localvars));
    pjson_add(o, "keys", state_kv(b->keys, b->n_keys));
    pjson_add_int(o, "next_line_id", b->next_line_id);
    pjson_add_int(o, "last_read_line_id", b->last_read_line_id);
    pjson_add_bool(o, "first_line_not_read", b->first_line_not_read);
    pjson_add_int(o, "notify", b->notify);
    if (highlight)
        pjson_add(o, "highlight", highlight);
    if (!for_storage)
        pjson_add_bool(o, "history_older", b->history_older);
    /* Storage keeps formatted lines in their own table, and nicklists not at all (a
     * network rebuilds them on reconnect). */
    for (size_t i = 0; i < core_buffer_line_count(b); i++) {
        if (!for_storage || b->type == CORE_BUFFER_FREE)
            pjson_push(lines, state_line(core_buffer_line_at(b, i)));
    }
    pjson_add(o, "lines", lines);
    if (!for_storage)
        pjson_add(o, "nicklist_root", state_group(b->nicklist_root));
    return o;
}

struct pjson *
core_state_hotlist(const struct core *core)
{
    struct pjson *hot = pjson_array();
    struct list *pos;

    list_for_each (pos, &core->hotlist) {
        const struct core_hotlist_entry *e = list_entry(pos, struct core_hotlist_entry, link);
        struct pjson *h = pjson_object(), *count = pjson_array();
        pjson_add_int(h, "buffer_id", e->buffer->id);
        pjson_add_int(h, "priority", e->priority);
        pjson_add_int(h, "date", e->date_us);
        for (int i = 0; i < 4; i++)
            pjson_push(count, pjson_int(e->count[i]));
        pjson_add(h, "count", count);
        pjson_push(hot, h);
    }
    return hot;
}

struct pjson *
core_state_save(const struct core *core)
{
    struct pjson *o = pjson_object(), *buffers = pjson_array();
    struct list *pos;

    pjson_add_int(o, "last_id", core->last_id);
    pjson_add_int(o, "started", core->started_us);
    list_for_each (pos, &core->buffers)
        pjson_push(buffers, core_state_buffer(list_entry(pos, struct core_buffer, link), false));
    pjson_add(o, "buffers", buffers);
    pjson_add(o, "hotlist", core_state_hotlist(core));
    return o;
}

/* ---- restore ---- */

static int64_t
state_int(const struct pjson *o, const char *key)
{
    /* A state file may have been edited or damaged: an out-of-range number reads as 0. */
    return pjson_int64(pjson_get(o, key));
}

/* A date as state_add_date wrote it: a number, or decimal text; 0 for anything else. */
static int64_t
state_date(const struct pjson *o, const char *key)
{
    const char *text = pjson_str(pjson_get(o, key));
    char *end;
    long long v;

    if (!text)
        return state_int(o, key);
    errno = 0;
    v = strtoll(text, &end, 10);
    return !errno && end != text && !*end ? (int64_t)v : 0;
}

static const char *
state_str(const struct pjson *o, const char *key)
{
    const char *s = pjson_str(pjson_get(o, key));

    return s ? s : "";
}

static bool
state_bool(const struct pjson *o, const char *key)
{
    return pjson_true(pjson_get(o, key));
}

static void
state_set(char **field, const char *value)
{
    free(*field);
    *field = xstrdup(value);
}

static void
state_restore_kv(struct core_kv **kv, size_t *n, const struct pjson *arr)
{
    for (size_t i = 0; i < *n; i++) {
        free((*kv)[i].key);
        free((*kv)[i].value);
    }
    free(*kv);
    *kv = xcalloc(pjson_size(arr) + 1, sizeof(**kv));
    *n = 0;
    pjson_for_each (pair, arr) {
        (*kv)[*n].key = xstrdup(pjson_str(pjson_at(pair, 0)) ? pjson_str(pjson_at(pair, 0)) : "");
        (*kv)[*n].value = xstrdup(pjson_str(pjson_at(pair, 1)) ? pjson_str(pjson_at(pair, 1)) : "");
        (*n)++;
    }
}

static int
state_key_cmp(const void *a, const void *b)
{
    return strcmp(((const struct core_kv *)a)->key, ((const struct core_kv *)b)->key);
}

static struct core_line *
state_restore_line(const struct pjson *o)
{
    struct core_line_spec spec = { .prefix = state_str(o, "prefix"),
                                   .message = state_str(o, "message") };
    const struct pjson *tags = pjson_get(o, "tags");
    struct core_line *l = core_line_new(&spec, state_int(o, "printed"));

    pjson_for_each (tag, tags) {
        l->tags = xrealloc(l->tags, (l->n_tags + 1) * sizeof(char *));
        l->tags[l->n_tags++] = xstrdup(pjson_str(tag) ? pjson_str(tag) : "");
    }
    l->id = state_int(o, "id");
    l->y = (int)state_int(o, "y");
    l->date_us = state_date(o, "date");
    l->displayed = state_bool(o, "displayed");
    l->highlight = state_bool(o, "highlight");
    l->notify_level = (int)state_int(o, "notify");
    return l;
}

static void
state_restore_group(struct core_nick_group *g, const struct pjson *o)
{
    const struct pjson *groups = pjson_get(o, "groups"), *nicks = pjson_get(o, "nicks");

    g->id = state_int(o, "id");
    state_set(&g->name, state_str(o, "name"));
    state_set(&g->color_name, state_str(o, "color"));
    g->visible = state_bool(o, "visible");
    pjson_for_each (saved, groups) {
        struct core_nick_group *child;
        if (core_nicklist_depth(g) >= CORE_NICKLIST_DEPTH_MAX)
            break;
        child = core_nicklist_root_new();
        child->parent = g;
        state_restore_group(child, saved);
        list_append(&g->groups, &child->link);
    }
    pjson_for_each (no, nicks) {
        struct core_nick *n = xcalloc(1, sizeof(*n));
        n->id = state_int(no, "id");
        n->group = g;
        n->name = xstrdup(state_str(no, "name"));
        n->color_name = xstrdup(state_str(no, "color"));
        n->prefix = xstrdup(state_str(no, "prefix"));
        n->prefix_color_name = xstrdup(state_str(no, "prefix_color"));
        n->visible = state_bool(no, "visible");
        core__nicklist_link_nick(g, n);
    }
}

static struct core_buffer *
state_restore_buffer(struct core *core, const struct pjson *o)
{
    struct core_buffer *b =
        core__buffer_create(core, state_str(o, "plugin"), state_str(o, "name"),
                            state_bool(o, "free") ? CORE_BUFFER_FREE : CORE_BUFFER_FORMATTED);
    const struct pjson *lines = pjson_get(o, "lines");

    b->id = state_int(o, "id");
    state_set(&b->short_name, state_str(o, "short_name"));
    state_set(&b->title, state_str(o, "title"));
    state_set(&b->modes, state_str(o, "modes"));
    state_set(&b->input_prompt, state_str(o, "input_prompt"));
    state_set(&b->input, state_str(o, "input"));
    b->hidden = state_bool(o, "hidden");
    b->input_position = (int)pjson_integer(pjson_get(o, "input_position"), 0, INT32_MAX, 0);
    b->input_multiline = state_bool(o, "input_multiline");
    b->nicklist = state_bool(o, "nicklist");
    b->nicklist_case_sensitive = state_bool(o, "nicklist_case_sensitive");
    b->nicklist_display_groups = state_bool(o, "nicklist_display_groups");
    b->time_displayed = state_bool(o, "time_displayed");
    state_restore_kv(&b->localvars, &b->n_localvars, pjson_get(o, "localvars"));
    state_restore_kv(&b->keys, &b->n_keys, pjson_get(o, "keys"));
    /* A state saved before keys were kept sorted: sorted now. */
    qsort(b->keys, b->n_keys, sizeof(*b->keys), state_key_cmp);
    state_restore_highlight(&b->highlight, pjson_get(o, "highlight"));
    b->next_line_id = state_int(o, "next_line_id");
    b->last_read_line_id =
        pjson_get(o, "last_read_line_id") ? state_int(o, "last_read_line_id") : -1;
    b->first_line_not_read = state_bool(o, "first_line_not_read");
    b->history_older = state_bool(o, "history_older");
    if (pjson_get(o, "notify")) {
        int64_t notify = state_int(o, "notify");
        b->notify = notify < 0 || notify > CORE_BUFFER_NOTIFY_ALL ? CORE_BUFFER_NOTIFY_ALL
                                                                  : (enum core_buffer_notify)notify;
    }
    b->cap_lines = pjson_size(lines) + 1;
    b->lines = xcalloc(b->cap_lines, sizeof(*b->lines));
    pjson_for_each (line, lines)
        b->lines[b->n_lines++] = state_restore_line(line);
    if (pjson_get(o, "nicklist_root"))
        state_restore_group(b->nicklist_root, pjson_get(o, "nicklist_root"));
    /* Kept inside what it points at; a free buffer's line i is at y = i, its id. */
    size_t input_chars = utf8_char_count(b->input, strlen(b->input));
    if ((size_t)b->input_position > input_chars)
        b->input_position = (int)input_chars;
    for (size_t i = 0; b->type == CORE_BUFFER_FREE && i < b->n_lines; i++)
        b->lines[i]->id = b->lines[i]->y = (int)i;
    return b;
}

/* max, raised to the highest id in a nicklist group: the id counter must stay past it. */
static int64_t
state_max_id(const struct core_nick_group *g, int64_t max)
{
    struct list *pos;

    max = g->id > max ? g->id : max;
    list_for_each (pos, &g->groups)
        max = state_max_id(list_entry(pos, struct core_nick_group, link), max);
    list_for_each (pos, &g->nicks) {
        int64_t id = list_entry(pos, struct core_nick, link)->id;
        max = id > max ? id : max;
    }
    return max;
}

/* Line i's id, and the counter's as the (n+1)-th. */
static int64_t
state_id_at(const struct core_buffer *b, size_t i)
{
    return i < b->n_lines ? b->lines[i]->id : b->next_line_id;
}

/* A formatted buffer's line ids, then its counter, each a step ahead of the one before
 * (the counter wraps from 2^31-1 to 0), all the steps within half the counter's range: the
 * ids to come then repeat none held for a billion lines. */
static bool
state_line_ids_valid(const struct core_buffer *b)
{
    int64_t span = 0;

    for (size_t i = 0; i <= b->n_lines; i++) {
        int64_t id = state_id_at(b, i);
        if (id < 0 || id > INT32_MAX)
            return false;
        if (i > 0) {
            int64_t step = id - state_id_at(b, i - 1);
            span += step > 0 ? step : step + INT32_MAX + 1;
            if (step == 0 || span > INT32_MAX / 2)
                return false;
        }
    }
    return true;
}

/* What cannot be mended without guessing: a bad name, an id or a name twice, lines out of
 * order. */
static bool
state_buffers_valid(const struct list *restored)
{
    struct list *pos, *other;

    list_for_each (pos, restored) {
        const struct core_buffer *b = list_entry(pos, struct core_buffer, link);
        if (!core__names_are_valid(b->plugin, b->name) ||
            (b->type == CORE_BUFFER_FORMATTED && !state_line_ids_valid(b)))
            return false;
        for (other = pos->next; other != restored; other = other->next) {
            const struct core_buffer *o = list_entry(other, struct core_buffer, link);
            if (o->id == b->id || strcmp(o->full_name, b->full_name) == 0)
                return false;
        }
    }
    return true;
}

int
core_state_restore(struct core *core, const struct pjson *state)
{
    const struct pjson *buffers = pjson_get(state, "buffers"), *hot = pjson_get(state, "hotlist");
    struct list restored;
    struct list *pos, *tmp;

    if (!pjson_is_array(buffers) || pjson_size(buffers) == 0 || !pjson_is_array(hot))
        return -1;
    list_init(&restored);
    struct core_buffer *core_buffer = NULL;
    int64_t last_id = core->last_id, saved_last_id = state_int(state, "last_id");

    pjson_for_each (saved, buffers) {
        struct core_buffer *b = state_restore_buffer(core, saved);
        /* The core buffer may have been renamed (/buffer rename, as in WeeChat): it is the
         * oldest of its plugin's, made first and never closed. */
        if (strcmp(b->plugin, "core") == 0 && (!core_buffer || b->id < core_buffer->id))
            core_buffer = b;
        list_append(&restored, &b->link);
    }
    if (!core_buffer || !state_buffers_valid(&restored)) {
        core->last_id = last_id;
        list_for_each_safe (pos, tmp, &restored) {
            list_remove(pos);
            core__buffer_destroy(list_entry(pos, struct core_buffer, link));
        }
        return -1;
    }
    core_hotlist_fini(core);
    list_for_each_safe (pos, tmp, &core->buffers) {
        list_remove(pos);
        core__buffer_destroy(list_entry(pos, struct core_buffer, link));
    }
    id_index_clear(&core->buffers_by_id);
    name_index_clear(&core->buffers_by_name);
    /* Move the restored list into place (list heads cannot be copied). */
    list_for_each_safe (pos, tmp, &restored) {
        struct core_buffer *b = list_entry(pos, struct core_buffer, link);
        saved_last_id =
            state_max_id(b->nicklist_root, b->id > saved_last_id ? b->id : saved_last_id);
        list_remove(pos);
        list_append(&core->buffers, pos);
        id_index_put(&core->buffers_by_id, b->id, b);
        name_index_insert(&core->buffers_by_name, b);
    }
    /* Past every id restored, or new ones could repeat them. */
    core->last_id = saved_last_id;
    /* An upgrade's: the process goes on (the store's state has none). */
    if (state_int(state, "started") > 0)
        core->started_us = state_int(state, "started");
    core->core_buffer = core_buffer;
    core__renumber(core, false);
    pjson_for_each (h, hot) {
        struct core_buffer *b = core_buffer_by_id(core, state_int(h, "buffer_id"));
        int64_t count[4];
        if (!b)
            continue;
        for (int level = 0; level < 4; level++)
            count[level] = pjson_int64(pjson_at(pjson_get(h, "count"), (size_t)level));
        core_hotlist_put(core, b, (int)state_int(h, "priority"), state_int(h, "date"), count);
    }
    return 0;
}
