/* SPDX-License-Identifier: MIT */
/* The small commands: /help, /quit, /hotlist and /input. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/utf8.h"
#include "command.h"
#include "core.h"
#include "hotlist.h"

int
core_cmd_help(struct core_buffer *buffer, const struct core_args *args)
{
    const struct core_command *cmd;

    if (args->argc < 2) {
        core_command_info(buffer, "Commands (type /help command for details):");
        for (cmd = core_command_table(); cmd->name; cmd++)
            core_command_info(buffer, "  /%s: %s", cmd->name, cmd->description);
        return 0;
    }
    cmd = core_command_find(args->argv[1][0] == '/' ? args->argv[1] + 1 : args->argv[1]);
    if (!cmd) {
        core_command_error(buffer, "help: no command \"%s\"", args->argv[1]);
        return -ENOENT;
    }
    core_command_info(buffer, "/%s %s", cmd->name, cmd->synopsis);
    core_command_info(buffer, "  %s", cmd->description);
    return 0;
}

int
core_cmd_quit(struct core_buffer *buffer, const struct core_args *args)
{
    struct core *core = buffer->core;

    if (!core->host.quit) {
        core_command_error(buffer, "quit: not available");
        return -ENOTSUP;
    }
    core->host.quit(core->host.data, args->argc > 1 ? args->eol[1] : NULL);
    return 0;
}

int
core_cmd_upgrade(struct core_buffer *buffer, const struct core_args *args)
{
    struct core *core = buffer->core;
    char err[256];

    (void)args;
    if (!core->host.upgrade) {
        core_command_error(buffer, "upgrade: not available");
        return -ENOTSUP;
    }
    if (core->host.upgrade(core->host.data, err, sizeof(err)) < 0) {
        core_command_error(buffer, "upgrade: %s", err);
        return -EPERM;
    }
    return 0;
}

int
core_cmd_hotlist(struct core_buffer *buffer, const struct core_args *args)
{
    struct core_buffer *b = buffer;

    if (args->argc >= 2 && strcmp(args->argv[1], "clear") == 0) {
        core_hotlist_clear(buffer->core);
        return 0;
    }
    if (args->argc >= 2 && strcmp(args->argv[1], "remove") == 0) {
        if (args->argc > 2 && !(b = core_command_buffer_arg(buffer->core, args->argv[2]))) {
            core_command_error(buffer, "hotlist: buffer \"%s\" not found", args->argv[2]);
            return -ENOENT;
        }
        core_hotlist_remove(buffer->core, b);
        return 0;
    }
    core_command_error(buffer, "hotlist: expected \"clear\" or \"remove\" (see /help hotlist)");
    return -EINVAL;
}

int
core_cmd_input(struct core_buffer *buffer, const struct core_args *args)
{
    const char *action = args->argc > 1 ? args->argv[1] : "";
    size_t len = strlen(buffer->input);
    int chars = (int)utf8_char_count(buffer->input, len);

    if (strcmp(action, "insert") == 0 && args->argc > 2) {
        size_t at = utf8_char_offset(buffer->input, len, (size_t)buffer->input_position);
        const char *ins = args->eol[2];
        char text[4096];
        int n = snprintf(text, sizeof(text), "%.*s%s%s", (int)at, buffer->input, ins,
                         buffer->input + at);
        if (n < 0 || (size_t)n >= sizeof(text)) {
            core_command_error(buffer, "input: text too long");
            return -E2BIG;
        }
        core_buffer_set_input(buffer, text,
                              buffer->input_position + (int)utf8_char_count(ins, strlen(ins)));
    } else if (strcmp(action, "delete_line") == 0) {
        core_buffer_set_input(buffer, "", 0);
    } else if (strcmp(action, "move_beginning_of_line") == 0) {
        core_buffer_set_input(buffer, buffer->input, 0);
    } else if (strcmp(action, "move_end_of_line") == 0) {
        core_buffer_set_input(buffer, buffer->input, chars);
    } else {
        core_command_error(buffer, "input: unknown action \"%s\" (see /help input)", action);
        return -EINVAL;
    }
    return 0;
}
