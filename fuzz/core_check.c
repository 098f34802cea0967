/* SPDX-License-Identifier: MIT */
#include "core_check.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/utf8.h"
#include "core/buffer.h"
#include "core/core.h"
#include "core/nicklist.h"
#include "core/state.h"

static void
check_group_ids(const struct core *core, const struct core_nick_group *g)
{
    struct list *pos;

    if (g->id > core->last_id)
        abort();
    list_for_each (pos, &g->groups)
        check_group_ids(core, list_entry(pos, struct core_nick_group, link));
    list_for_each (pos, &g->nicks) {
        if (list_entry(pos, struct core_nick, link)->id > core->last_id)
            abort();
    }
}

/* Line i's id, and the counter's as the (n+1)-th: all in range, no two the same. */
static int64_t
id_at(const struct core_buffer *b, size_t i)
{
    return i < core_buffer_line_count(b) ? core_buffer_line_at(b, i)->id : b->next_line_id;
}

static void
check_line_ids(const struct core_buffer *b)
{
    size_t n = core_buffer_line_count(b) + 1;

    for (size_t i = 0; i < n; i++) {
        if (id_at(b, i) < 0 || id_at(b, i) > INT32_MAX)
            abort();
        for (size_t j = i + 1; j < n; j++) {
            if (id_at(b, j) == id_at(b, i))
                abort();
        }
    }
}

static void
check_buffer(const struct core *core, const struct core_buffer *b, int number)
{
    struct list *pos;

    if (b->number != number || b->id > core->last_id)
        abort();
    list_for_each (pos, &core->buffers) {
        const struct core_buffer *other = list_entry(pos, struct core_buffer, link);
        if (other != b && (other->id == b->id || strcmp(other->full_name, b->full_name) == 0))
            abort();
    }
    if (b->type == CORE_BUFFER_FORMATTED)
        check_line_ids(b);
    for (size_t i = 0; b->type == CORE_BUFFER_FREE && i < core_buffer_line_count(b); i++) {
        const struct core_line *l = core_buffer_line_at(b, i);
        if (l->y != (int)i || l->id != l->y)
            abort();
    }
    if (b->input_position < 0 ||
        (size_t)b->input_position > utf8_char_count(b->input, strlen(b->input)))
        abort();
    check_group_ids(core, b->nicklist_root);
}

void
fuzz_core_check(const struct core *core)
{
    struct list *pos;
    int number = 0;
    bool has_core_buffer = false;

    if (!core->core_buffer || strcmp(core->core_buffer->plugin, "core") != 0)
        abort();
    list_for_each (pos, &core->buffers) {
        const struct core_buffer *b = list_entry(pos, struct core_buffer, link);
        check_buffer(core, b, ++number);
        has_core_buffer |= b == core->core_buffer;
    }
    if (!has_core_buffer)
        abort();
}

static char *
saved_text(const struct core *core)
{
    struct pjson *state = core_state_save(core);
    char *text = pjson_print(state, NULL);

    pjson_free(state);
    return text;
}

int
fuzz_core_restore(struct core *core, const struct pjson *state)
{
    char *before = saved_text(core), *after;
    int rc = core_state_restore(core, state);

    if (rc == 0) {
        fuzz_core_check(core);
    } else {
        after = saved_text(core);
        if (strcmp(before, after) != 0)
            abort();
        free(after);
    }
    free(before);
    return rc;
}

void
fuzz_core_check_state(const struct core *core)
{
    struct core *again;
    struct pjson *state;
    char *text, *text_again;

    fuzz_core_check(core);
    again = core_new(core->max_lines, "fuzz");
    text = saved_text(core);
    state = pjson_parse(text, strlen(text), 4096);

    if (!state || core_state_restore(again, state) < 0) {
        fprintf(stderr, "the saved state is refused:\n%s\n", text);
        abort();
    }
    text_again = saved_text(again);
    if (strcmp(text, text_again) != 0 ||
        strcmp(core->core_buffer->full_name, again->core_buffer->full_name) != 0) {
        fprintf(stderr, "saved:\n%s\nread back and saved:\n%s\n", text, text_again);
        abort();
    }
    free(text_again);
    pjson_free(state);
    free(text);
    core_free(again);
}
