/* SPDX-License-Identifier: MIT */
/* /alias: list, add, replace, delete and rename aliases, with WeeChat's texts. Like
 * WeeChat's alias plugin it answers in the core buffer, whichever buffer it was typed in. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "alias.h"
#include "command.h"
#include "core.h"

/* weechat_color("chat_delimiters") and weechat_color("chat"). */
#define ALIAS_DELIM \
    "\x19"          \
    "28"
#define ALIAS_CHAT \
    "\x19"         \
    "01"

static void
alias_changed(struct core *core)
{
    if (core->host.aliases_changed)
        core->host.aliases_changed(core->host.data);
}

/* A name as typed, without its leading "/". */
static const char *
alias_arg(const char *arg)
{
    return arg[0] == '/' ? arg + 1 : arg;
}

/* True when text matches mask, where "*" stands for any run of bytes (case-sensitive, as
 * WeeChat's string_match for /alias del). */
static bool
alias_mask_match(const char *mask, const char *text)
{
    const char *star = NULL, *resume = NULL;

    while (*text) {
        if (*mask == '*') {
            star = mask++;
            resume = text;
        } else if (*mask == *text) {
            mask++;
            text++;
        } else if (star) {
            mask = star + 1;
            text = ++resume;
        } else {
            return false;
        }
    }
    while (*mask == '*')
        mask++;
    return !*mask;
}

static void
alias_list_one(struct core_buffer *out, const struct core_alias *a)
{
    if (a->completion)
        core_command_info(out,
                          "  %s " ALIAS_DELIM "=>" ALIAS_CHAT " %s  " ALIAS_DELIM "(" ALIAS_CHAT
                          "completion: %s" ALIAS_DELIM ")" ALIAS_CHAT,
                          a->name, a->command, a->completion);
    else
        core_command_info(out, "  %s " ALIAS_DELIM "=>" ALIAS_CHAT " %s", a->name, a->command);
}

static int
alias_list(struct core *core, const char *part)
{
    struct core_buffer *out = core->core_buffer;
    bool found = false;

    if (!core->n_aliases) {
        core_command_info(out, "No alias defined");
        return 0;
    }
    for (size_t i = 0; i < core->n_aliases; i++) {
        const struct core_alias *a = &core->aliases[i];
        if (part && !strstr(a->name, part))
            continue;
        if (!found) {
            core_command_info(out, "%s", "");
            if (part)
                core_command_info(out, "Aliases with \"%s\":", part);
            else
                core_command_info(out, "All aliases:");
        }
        alias_list_one(out, a);
        found = true;
    }
    if (!found)
        core_command_info(out, "No alias found matching \"%s\"", part ? part : "");
    return 0;
}

/* /alias add|addreplace|addcompletion|addreplacecompletion; name_at is where the name is. */
static int
alias_add(struct core *core, const struct core_args *args, int name_at)
{
    struct core_buffer *out = core->core_buffer;
    const char *name = alias_arg(args->argv[name_at]);
    const char *command = args->eol[name_at + 1];
    const char *completion = name_at == 3 ? args->argv[2] : NULL;
    bool replace = strstr(args->argv[1], "replace") != NULL;
    bool exists = core_alias_find(core, name) != NULL;
    int rc;

    if (exists && !replace) {
        core_command_error(out, "Alias \"%s\" already exists", name);
        return -EEXIST;
    }
    rc = core_alias_set(core, name, command, completion);
    if (rc == -EINVAL) {
        core_command_error(out, "alias: invalid alias name: \"%s\"", name);
        core_command_error(out, "alias: error creating alias \"%s\" => \"%s\"", name, command);
        return rc;
    }
    if (rc < 0) {
        core_command_error(out, "alias: error creating alias \"%s\" => \"%s\": at most %d aliases",
                           name, command, CORE_ALIAS_MAX);
        return rc;
    }
    core_command_info(out, "Alias %s: \"%s\" => \"%s\"", exists ? "updated" : "created", name,
                      command);
    alias_changed(core);
    return 0;
}

static int
alias_del(struct core *core, const struct core_args *args)
{
    bool changed = false;

    for (int i = 2; i < args->argc; i++) {
        const char *mask = alias_arg(args->argv[i]);
        for (size_t j = 0; j < core->n_aliases;) {
            char *name = core->aliases[j].name;
            if (!alias_mask_match(mask, name)) {
                j++;
                continue;
            }
            core_command_info(core->core_buffer, "Alias \"%s\" removed", name);
            core_alias_del(core, name);
            changed = true;
        }
    }
    if (changed)
        alias_changed(core);
    return 0;
}

static int
alias_rename(struct core *core, const struct core_args *args)
{
    struct core_buffer *out = core->core_buffer;
    const char *name = alias_arg(args->argv[2]), *new_name = alias_arg(args->argv[3]);
    int rc = core_alias_rename(core, name, new_name);

    if (rc == -ENOENT)
        core_command_error(out, "Alias \"%s\" not found", name);
    else if (rc == -EEXIST)
        core_command_error(out, "Alias \"%s\" already exists", new_name);
    else if (rc < 0)
        core_command_error(out, "alias: invalid alias name: \"%s\"", new_name);
    if (rc < 0)
        return rc;
    core_command_info(out, "Alias \"%s\" has been renamed to \"%s\"", name, new_name);
    alias_changed(core);
    return 0;
}

static void
alias_said_created(const struct core_alias *a, void *buffer)
{
    core_command_info(buffer, "Alias created: \"%s\" => \"%s\"", a->name, a->command);
}

static int
alias_missing(struct core *core)
{
    if (core_alias_add_missing(core, alias_said_created, core->core_buffer))
        alias_changed(core);
    return 0;
}

int
core_cmd_alias(struct core_buffer *buffer, const struct core_args *args)
{
    struct core *core = buffer->core;
    const char *sub = args->argc > 1 ? args->argv[1] : "list";

    /* The arguments each action needs at least (WeeChat's COMMAND_MIN_ARGS). */
    static const struct {
        const char *name;
        int min_args;
    } actions[] = {
        { "add", 4 }, { "addreplace", 4 }, { "addcompletion", 5 }, { "addreplacecompletion", 5 },
        { "del", 3 }, { "rename", 4 },
    };

    for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++) {
        if (strcmp(sub, actions[i].name) == 0 && args->argc < actions[i].min_args) {
            core_command_error_few_args(core->core_buffer, args, sub);
            return -EINVAL;
        }
    }
    if (strcmp(sub, "list") == 0)
        return alias_list(core, args->argc > 2 ? alias_arg(args->argv[2]) : NULL);
    if (strcmp(sub, "add") == 0 || strcmp(sub, "addreplace") == 0)
        return alias_add(core, args, 2);
    if (strcmp(sub, "addcompletion") == 0 || strcmp(sub, "addreplacecompletion") == 0)
        return alias_add(core, args, 3);
    if (strcmp(sub, "del") == 0)
        return alias_del(core, args);
    if (strcmp(sub, "rename") == 0)
        return alias_rename(core, args);
    if (strcmp(sub, "missing") == 0)
        return alias_missing(core);
    core_command_error_usage(core->core_buffer, args);
    return -EINVAL;
}
