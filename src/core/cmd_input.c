/* SPDX-License-Identifier: MIT */
/* /input ACTION: WeeChat's input actions that mean something without windows. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "base/xalloc.h"
#include "command.h"
#include "core.h"
#include "hotlist.h"
#include "input_edit.h"

static int
input_insert(struct core_buffer *buffer, const struct core_args *args)
{
    const char *ins = args->argc > 2 ? args->eol[2] : "";
    size_t len = strlen(buffer->input);
    size_t at = utf8_char_offset(buffer->input, len, (size_t)buffer->input_position);
    char text[4096];
    int n =
        snprintf(text, sizeof(text), "%.*s%s%s", (int)at, buffer->input, ins, buffer->input + at);

    if (n < 0 || (size_t)n >= sizeof(text)) {
        core_command_error(buffer, "input: text too long");
        return -E2BIG;
    }
    core_buffer_set_input(buffer, text,
                          buffer->input_position + (int)utf8_char_count(ins, strlen(ins)));
    return 0;
}

/* "send TEXT": as if TEXT was typed and sent, without touching the input line. */
static int
input_send(struct core_buffer *buffer, const struct core_args *args)
{
    return args->argc > 2 ? core_command_input(buffer, args->eol[2]) : 0;
}

/* "return": the input line is sent and emptied; "split_return" sends each line. */
static int
input_return(struct core_buffer *buffer, const struct core_args *args)
{
    bool split = strcmp(args->argv[1], "split_return") == 0;
    char *text = xstrdup(buffer->input), *line = text, *nl;
    int rc = 0;

    core_buffer_set_input(buffer, "", 0);
    while (split && (nl = strchr(line, '\n'))) {
        *nl = '\0';
        if (*line)
            rc = core_command_input(buffer, line);
        line = nl + 1;
    }
    if (*line)
        rc = core_command_input(buffer, line);
    free(text);
    return rc;
}

static int
input_set_unread(struct core_buffer *buffer, const struct core_args *args)
{
    struct list *pos;

    if (strcmp(args->argv[1], "set_unread_current_buffer") == 0)
        return core_buffer_set_unread(buffer, "");
    list_for_each (pos, &buffer->core->buffers)
        core_buffer_set_unread(list_entry(pos, struct core_buffer, link), "");
    return 0;
}

/* The forms WeeChat 3.8 deprecated in favour of /hotlist, still sent by clients. */
static int
input_hotlist(struct core_buffer *buffer, const struct core_args *args)
{
    const char *a = args->argv[1];
    char line[64];

    if (strcmp(a, "hotlist_clear") == 0)
        snprintf(line, sizeof(line), "/hotlist clear %.20s", args->argc > 2 ? args->argv[2] : "");
    else if (strcmp(a, "hotlist_remove_buffer") == 0)
        snprintf(line, sizeof(line), "/hotlist remove");
    else if (strcmp(a, "hotlist_restore_buffer") == 0)
        snprintf(line, sizeof(line), "/hotlist restore");
    else
        snprintf(line, sizeof(line), "/hotlist restore -all");
    return core_command_input(buffer, line);
}

static int
input_no_effect(struct core_buffer *buffer, const struct core_args *args)
{
    char what[80];

    snprintf(what, sizeof(what), "\"/input %s\"", args->argv[1]);
    core_command_no_effect(buffer, what,
                           "it has no windows, key bindings, clipboard nor input history; "
                           "clients do this themselves");
    return 0;
}

static const struct {
    const char *name;
    int (*run)(struct core_buffer *buffer, const struct core_args *args);
} input_actions[] = {
    { "insert", input_insert },
    { "send", input_send },
    { "return", input_return },
    { "split_return", input_return },
    { "set_unread", input_set_unread },
    { "set_unread_current_buffer", input_set_unread },
    { "hotlist_clear", input_hotlist },
    { "hotlist_remove_buffer", input_hotlist },
    { "hotlist_restore_buffer", input_hotlist },
    { "hotlist_restore_all", input_hotlist },
    { "switch_active_buffer", core_command_nothing_to_do },
    { "switch_active_buffer_previous", core_command_nothing_to_do },
    { "zoom_merged_buffer", core_command_nothing_to_do },
    { "clipboard_paste", input_no_effect },
    { "complete_next", input_no_effect },
    { "complete_previous", input_no_effect },
    { "search_text_here", input_no_effect },
    { "search_text", input_no_effect },
    { "search_history", input_no_effect },
    { "search_previous", input_no_effect },
    { "search_next", input_no_effect },
    { "search_switch_case", input_no_effect },
    { "search_switch_regex", input_no_effect },
    { "search_switch_where", input_no_effect },
    { "search_stop_here", input_no_effect },
    { "search_stop", input_no_effect },
    { "history_previous", input_no_effect },
    { "history_next", input_no_effect },
    { "history_global_previous", input_no_effect },
    { "history_global_next", input_no_effect },
    { "history_use_get_next", input_no_effect },
    { "grab_key", input_no_effect },
    { "grab_key_command", input_no_effect },
    { "grab_mouse", input_no_effect },
    { "grab_mouse_area", input_no_effect },
    { "undo", input_no_effect },
    { "redo", input_no_effect },
    { "jump_smart", input_no_effect },
    { "jump_last_buffer", input_no_effect },
    { "jump_last_buffer_displayed", input_no_effect },
    { "jump_previously_visited_buffer", input_no_effect },
    { "jump_next_visited_buffer", input_no_effect },
};

int
core_cmd_input(struct core_buffer *buffer, const struct core_args *args)
{
    int position = buffer->input_position;
    char *edited;

    if (args->argc < 2) {
        core_command_error_few_args(buffer, args, "");
        return -EINVAL;
    }
    for (size_t i = 0; i < sizeof(input_actions) / sizeof(input_actions[0]); i++) {
        if (strcmp(args->argv[1], input_actions[i].name) == 0)
            return input_actions[i].run(buffer, args);
    }
    edited = core_input_edit(args->argv[1], buffer->input, &position);
    if (!edited) {
        core_command_error_usage(buffer, args);
        return -EINVAL;
    }
    core_buffer_set_input(buffer, edited, position);
    free(edited);
    return 0;
}
