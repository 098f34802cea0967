/* SPDX-License-Identifier: MIT */
/* The small commands: /help, /quit and /upgrade. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "command.h"
#include "core.h"

static void
help_list_one(const struct core_command *cmd, void *buffer)
{
    core_command_info(buffer, "  /%s: %s", cmd->name, cmd->description);
}

int
core_cmd_help(struct core_buffer *buffer, const struct core_args *args)
{
    const struct core_command *cmd;
    void *data;

    if (args->argc < 2) {
        core_command_info(buffer, "Commands (type /help command for details):");
        core_command_each(buffer->core, help_list_one, buffer);
        return 0;
    }
    cmd = core_command_lookup(buffer->core,
                              args->argv[1][0] == '/' ? args->argv[1] + 1 : args->argv[1], &data);
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
