/* SPDX-License-Identifier: MIT */
/* /buffer get PROPERTY: a buffer property as WeeChat shows it, "(int)" or "(str)". */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "command.h"
#include "core.h"

/* WeeChat's colour options chat_buffer (11) and chat (1). */
#define GET_BUFFER \
    "\x19"         \
    "11"
#define GET_CHAT \
    "\x19"       \
    "01"

static int
get_int(const struct core_buffer *b, const char *prop, int64_t *value)
{
    static const char *const flags[] = { "hidden",
                                         "time_for_each_line",
                                         "nicklist",
                                         "nicklist_case_sensitive",
                                         "nicklist_display_groups",
                                         "input_multiline" };
    const bool values[] = { b->hidden,
                            b->time_displayed,
                            b->nicklist,
                            b->nicklist_case_sensitive,
                            b->nicklist_display_groups,
                            b->input_multiline };

    for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
        if (strcmp(prop, flags[i]) == 0) {
            *value = values[i];
            return 0;
        }
    }
    if (strcmp(prop, "number") == 0)
        *value = b->number;
    else if (strcmp(prop, "type") == 0)
        *value = b->type == CORE_BUFFER_FREE;
    else if (strcmp(prop, "notify") == 0)
        *value = b->notify;
    else if (strcmp(prop, "next_line_id") == 0)
        *value = b->next_line_id;
    else if (strcmp(prop, "input_pos") == 0)
        *value = b->input_position;
    else if (strcmp(prop, "input_length") == 0)
        *value = (int64_t)utf8_char_count(b->input, strlen(b->input));
    else if (strcmp(prop, "input_size") == 0)
        *value = (int64_t)strlen(b->input);
    else
        return -ENOENT;
    return 0;
}

/* The string, NULL when unset (shown "(null)" as WeeChat's printf shows it); *owned is
 * set when the caller frees it. */
static int
get_str(const struct core_buffer *b, const char *prop, const char **value, char **owned)
{
    const struct core_highlight *h = &b->highlight;

    const struct {
        const char *name, *value;
    } strs[] = {
        { "plugin", b->plugin },
        { "name", b->name },
        { "full_name", b->full_name },
        { "short_name", b->short_name },
        { "title", b->title },
        { "modes", b->modes },
        { "input_prompt", b->input_prompt },
        { "input", b->input },
        { "highlight_words", h->words },
        { "highlight_disable_regex", h->disable_regex.text },
        { "highlight_regex", h->regex.text },
        { "highlight_tags_restrict", h->tags_restrict },
        { "highlight_tags", h->tags },
    };

    *owned = NULL;
    for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
        if (strcmp(prop, strs[i].name) == 0) {
            *value = strs[i].value;
            return 0;
        }
    }
    if (strcmp(prop, "hotlist_max_level_nicks") == 0) {
        *value = *owned = core_highlight_nick_levels_text(h);
        if (!*owned)
            *value = "";
    } else if (strncmp(prop, "localvar_", 9) == 0) {
        *value = core_buffer_localvar(b, prop + 9);
    } else {
        return -ENOENT;
    }
    return 0;
}

int
core_cmd_buffer_get(struct core_buffer *buffer, const struct core_args *args)
{
    const char *prop, *text;
    char *owned;
    int64_t number;
    bool found = false;

    if (args->argc < 3) {
        core_command_error_few_args(buffer, args, "get");
        return -EINVAL;
    }
    prop = args->argv[2];
    /* As WeeChat: "input" is both the flag of an input callback and the text. */
    if (get_int(buffer, prop, &number) == 0 || strcmp(prop, "input") == 0) {
        if (strcmp(prop, "input") == 0)
            number = 1; /* input allowed: always, here */
        core_command_info(buffer, GET_BUFFER "%s" GET_CHAT ": (int) %s = %" PRId64,
                          buffer->full_name, prop, number);
        found = true;
    }
    if (get_str(buffer, prop, &text, &owned) == 0) {
        core_command_info(buffer, GET_BUFFER "%s" GET_CHAT ": (str) %s = %s", buffer->full_name,
                          prop, text ? text : "(null)");
        free(owned);
        found = true;
    }
    if (!found) {
        core_command_error(buffer, "buffer: unknown property \"%s\"", prop);
        return -EINVAL;
    }
    return 0;
}
