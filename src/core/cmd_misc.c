/* SPDX-License-Identifier: MIT */
/* The small commands: /command, /help, /quit, /reload, /save, /upgrade, /uptime, /version
 * and /window. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/timefmt.h"
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
    const struct core_alias *alias;
    const char *name;
    void *data;

    if (args->argc < 2) {
        core_command_info(buffer, "Commands (type /help command for details):");
        core_command_each(buffer->core, help_list_one, buffer);
        core_command_info(buffer, "Aliases (/alias list shows what they run):");
        for (size_t i = 0; i < buffer->core->n_aliases; i++)
            core_command_info(buffer, "  /%s", buffer->core->aliases[i].name);
        return 0;
    }
    name = args->argv[1][0] == '/' ? args->argv[1] + 1 : args->argv[1];
    /* An alias runs before a command of its name, so it is the one to explain. */
    alias = core_alias_find(buffer->core, name);
    if (alias) {
        core_command_info(buffer, "[alias]  /%s", alias->name);
        core_command_info(buffer, "  %s", alias->command);
        return 0;
    }
    cmd = core_command_lookup(buffer, name, &data);
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
core_cmd_reload(struct core_buffer *buffer, const struct core_args *args)
{
    struct core *core = buffer->core;
    char msg[512] = "";

    (void)args;
    if (!core->host.reload) {
        core_command_error(buffer, "reload: not available");
        return -ENOTSUP;
    }
    if (core->host.reload(core->host.data, msg, sizeof(msg)) < 0) {
        core_command_error(core->core_buffer, "reload: refused, the running config is kept: %s",
                           msg);
        return -EINVAL;
    }
    core_command_info(core->core_buffer, "Options reloaded from %s", msg);
    return 0;
}

int
core_cmd_save(struct core_buffer *buffer, const struct core_args *args)
{
    (void)args;
    core_command_no_effect(buffer, "/save",
                           "what commands change (networks, ignores, aliases...) is stored as it "
                           "changes, and perchd.conf is only ever read");
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

/* /command -s: each command (or text) in turn, as typed in buffer. */
static int
command_list(struct core_buffer *buffer, const char *text)
{
    size_t n;
    char **cmds = core_command_split_list(text, &n);

    for (size_t i = 0; i < n; i++) {
        buffer = core_command_input_then(buffer, cmds[i]);
        free(cmds[i]);
    }
    free(cmds);
    return 0;
}

int
core_cmd_command(struct core_buffer *buffer, const struct core_args *args)
{
    struct core_buffer *target = buffer;
    const char *plugin;
    int at = 1;

    if (args->argc < 3) {
        core_command_error_few_args(buffer, args, "");
        return -EINVAL;
    }
    if (strcmp(args->argv[1], "-s") == 0)
        return command_list(buffer, args->eol[2]);
    if (args->argc >= 5 && strcmp(args->argv[1], "-buffer") == 0) {
        target = core_command_buffer_arg(buffer->core, args->argv[2]);
        if (!target) {
            core_command_error(buffer, "Buffer \"%s\" not found", args->argv[2]);
            return -ENOENT;
        }
        at = 3;
    }
    plugin = args->argv[at];
    if (strcmp(plugin, "*") == 0) {
        plugin = NULL;
    } else if (!core_command_plugin_known(buffer->core, plugin)) {
        core_command_error(buffer, "Plugin \"%s\" not found", plugin);
        return -ENOENT;
    }
    return core_command_run_plugin(target, plugin, args->eol[at + 1]);
}

int
core_cmd_window(struct core_buffer *buffer, const struct core_args *args)
{
    (void)args;
    core_command_no_effect(buffer, "/window", "each client shows buffers in windows of its own");
    return 0;
}

/* weechat_color("chat_buffer") and weechat_color("chat"). */
#define MISC_CHAT_BUFFER \
    "\x19"               \
    "11"
#define MISC_CHAT \
    "\x19"        \
    "01"

/* "-o": the text is said in the buffer, as if typed (WeeChat's "-o" and "-ol"). */
static bool
misc_said(const struct core_args *args)
{
    for (int i = 1; i < args->argc; i++) {
        if (strcmp(args->argv[i], "-o") == 0 || strcmp(args->argv[i], "-ol") == 0)
            return true;
    }
    return false;
}

int
core_cmd_version(struct core_buffer *buffer, const struct core_args *args)
{
    char text[128];

    if (misc_said(args)) {
        snprintf(text, sizeof(text), "perchd %s", buffer->core->version);
        return core_command_input(buffer, text);
    }
    core_command_info(buffer->core->core_buffer, MISC_CHAT_BUFFER "perchd %s",
                      buffer->core->version);
    return 0;
}

int
core_cmd_uptime(struct core_buffer *buffer, const struct core_args *args)
{
    const struct core *core = buffer->core;
    time_t started = (time_t)(core->started_us / 1000000);
    int64_t up = timefmt_now_us() / 1000000 - (int64_t)started;
    long long days;
    int h, m, s;
    struct tm tm;
    char date[64] = "", text[256];
    bool plain = args->argc > 1 && strcmp(args->argv[1], "-o") == 0;

    up = up < 0 ? 0 : up;
    days = (long long)(up / 86400);
    h = (int)(up % 86400 / 3600);
    m = (int)(up % 3600 / 60);
    s = (int)(up % 60);
    /* "-o" dates in the C library's ctime form, the others as weechat.look.time_format's default.
     */
    if (localtime_r(&started, &tm))
        strftime(date, sizeof(date), plain ? "%a %b %e %H:%M:%S %Y" : "%a, %d %b %Y %H:%M:%S", &tm);
    if (misc_said(args)) {
        snprintf(text, sizeof(text), "perchd uptime: %lld %s %02d:%02d:%02d, started on %s", days,
                 days == 1 ? "day" : "days", h, m, s, date);
        return core_command_input(buffer, text);
    }
    core_command_info(core->core_buffer,
                      "perchd uptime: " MISC_CHAT_BUFFER "%lld " MISC_CHAT "%s " MISC_CHAT_BUFFER
                      "%02d" MISC_CHAT ":" MISC_CHAT_BUFFER "%02d" MISC_CHAT ":" MISC_CHAT_BUFFER
                      "%02d" MISC_CHAT ", started on " MISC_CHAT_BUFFER "%s",
                      days, days == 1 ? "day" : "days", h, m, s, date);
    return 0;
}
