/* SPDX-License-Identifier: MIT */
/* /buffer: list, add, close, clear, rename, move, hide, unhide, notify, variables, retag. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "core.h"
#include "hotlist.h"

/* The buffer named by argv[i], or the current one when there is no argument. */
static struct core_buffer *
buffer_target(struct core_buffer *buffer, const struct core_args *args, int i)
{
    struct core_buffer *b;

    if (i >= args->argc)
        return buffer;
    b = core_command_buffer_arg(buffer->core, args->argv[i]);
    if (!b)
        core_command_error(buffer, "buffer: buffer \"%s\" not found", args->argv[i]);
    return b;
}

/* WeeChat's colour options chat (1), chat_buffer (11), chat_delimiters (28), chat_value (32). */
#define LIST_CHAT \
    "\x19"        \
    "01"
#define LIST_BUFFER \
    "\x19"          \
    "11"
#define LIST_DELIM \
    "\x19"         \
    "28"
#define LIST_VALUE \
    "\x19"         \
    "32"

/* "  [1] core.weechat (notify: all)", as WeeChat lists buffers. */
static int
buffer_list(struct core_buffer *buffer, const struct core_args *args)
{
    struct list *pos;

    (void)args;
    core_command_info(buffer, "Buffers list:");
    list_for_each (pos, &buffer->core->buffers) {
        const struct core_buffer *b = list_entry(pos, struct core_buffer, link);
        core_command_info(buffer,
                          "  " LIST_DELIM "[" LIST_CHAT "%d" LIST_DELIM "]" LIST_BUFFER
                          " %s" LIST_DELIM "." LIST_BUFFER "%s" LIST_CHAT " (notify: " LIST_VALUE
                          "%s" LIST_CHAT ")%s",
                          b->number, b->plugin, b->name, core_buffer_notify_name(b->notify),
                          b->hidden ? " (hidden)" : "");
    }
    return 0;
}

/* The buffer named by argument i (the current one without it) closed. */
static int
buffer_close_arg(struct core_buffer *buffer, const struct core_args *args, int i)
{
    struct core_buffer *b = buffer_target(buffer, args, i);

    if (!b)
        return -ENOENT;
    if (core_buffer_close(b) < 0) {
        core_command_error(buffer, "buffer: the core buffer can not be closed");
        return -EPERM;
    }
    return 0;
}

static int
buffer_close(struct core_buffer *buffer, const struct core_args *args)
{
    return buffer_close_arg(buffer, args, 2);
}

static int
buffer_clear(struct core_buffer *buffer, const struct core_args *args)
{
    struct core_buffer *b;
    struct list *pos;

    if (args->argc > 2 && strcmp(args->argv[2], "-all") == 0) {
        list_for_each (pos, &buffer->core->buffers) {
            core_buffer_clear(list_entry(pos, struct core_buffer, link));
        }
        return 0;
    }
    b = buffer_target(buffer, args, 2);
    if (!b)
        return -ENOENT;
    core_buffer_clear(b);
    return 0;
}

static int
buffer_rename(struct core_buffer *buffer, const struct core_args *args)
{
    int rc;

    if (args->argc < 3) {
        core_command_error(buffer, "buffer: missing new name (see /help buffer)");
        return -EINVAL;
    }
    rc = core_buffer_set_name(buffer, args->argv[2]);
    if (rc == -EEXIST)
        core_command_error(buffer, "buffer: name \"%s\" is already used", args->argv[2]);
    else if (rc < 0)
        core_command_error(buffer, "buffer: invalid name \"%s\"", args->argv[2]);
    return rc;
}

static int
buffer_move(struct core_buffer *buffer, const struct core_args *args)
{
    char *end;
    long n;

    if (args->argc < 3) {
        core_command_error(buffer, "buffer: missing number (see /help buffer)");
        return -EINVAL;
    }
    n = strtol(args->argv[2], &end, 10);
    if (*end || n < 1 || n > 1000000) {
        core_command_error(buffer, "buffer: invalid number \"%s\"", args->argv[2]);
        return -EINVAL;
    }
    core_buffer_move(buffer, (int)n);
    return 0;
}

static int
buffer_hide(struct core_buffer *buffer, const struct core_args *args)
{
    struct core_buffer *b = buffer_target(buffer, args, 2);

    if (!b)
        return -ENOENT;
    core_buffer_set_hidden(b, strcmp(args->argv[1], "hide") == 0);
    return 0;
}

/* /buffer add [-free] NAME: a new core buffer. */
static int
buffer_add(struct core_buffer *buffer, const struct core_args *args)
{
    bool is_free = args->argc > 3 && strcmp(args->argv[2], "-free") == 0;
    const char *name = args->argc > 2 ? args->argv[is_free ? 3 : 2] : NULL;
    int err;

    if (!name) {
        core_command_error(buffer, "buffer: missing name (see /help buffer)");
        return -EINVAL;
    }
    if (!core_buffer_open(buffer->core, "core", name,
                          is_free ? CORE_BUFFER_FREE : CORE_BUFFER_FORMATTED, &err)) {
        core_command_error(buffer, "buffer: cannot create \"%s\": %s", name,
                           err == -EEXIST ? "name already used" : "invalid name");
        return err;
    }
    return 0;
}

/* /buffer setvar NAME [VALUE] and /buffer delvar NAME: local variables. */
static int
buffer_var(struct core_buffer *buffer, const struct core_args *args)
{
    bool del = strcmp(args->argv[1], "delvar") == 0;

    if (args->argc < 3) {
        core_command_error(buffer, "buffer: missing variable name (see /help buffer)");
        return -EINVAL;
    }
    if (core_buffer_set_localvar(buffer, args->argv[2],
                                 del ? NULL : (args->argc > 3 ? args->eol[3] : "")) < 0) {
        core_command_error(buffer, "buffer: local variable \"%s\" is read-only", args->argv[2]);
        return -EPERM;
    }
    return 0;
}

/* /buffer retag LINE_ID [TAGS]: replaces the tags of a line (buffer_line_data_changed). */
static int
buffer_retag(struct core_buffer *buffer, const struct core_args *args)
{
    char *end;
    long long id;

    if (args->argc < 3) {
        core_command_error(buffer, "buffer: missing line id (see /help buffer)");
        return -EINVAL;
    }
    id = strtoll(args->argv[2], &end, 10);
    if (*end || core_buffer_set_line_tags(buffer, id, args->argc > 3 ? args->argv[3] : "") < 0) {
        core_command_error(buffer, "buffer: line \"%s\" not found", args->argv[2]);
        return -ENOENT;
    }
    return 0;
}

/* /buffer notify [LEVEL]: shows or sets which lines reach the hotlist. */
static int
buffer_notify(struct core_buffer *buffer, const struct core_args *args)
{
    enum core_buffer_notify notify = CORE_BUFFER_NOTIFY_ALL;
    const char *value = args->argc > 2 ? args->eol[2] : NULL;

    if (!value) {
        core_command_info(buffer, "Notify for \"%s\": \"%s\"", buffer->full_name,
                          core_buffer_notify_name(buffer->notify));
        return 0;
    }
    if (strcmp(value, "reset") != 0 && core_buffer_notify_parse(value, &notify) < 0) {
        core_command_error(buffer, "Unable to set notify level \"%s\"", value);
        return -EINVAL;
    }
    core_buffer_set_notify(buffer, notify);
    return 0;
}

static int
buffer_no_effect(struct core_buffer *buffer, const struct core_args *args)
{
    char what[64];

    snprintf(what, sizeof(what), "\"/buffer %s\"", args->argv[1]);
    core_command_no_effect(buffer, what,
                           "it has no windows; buffers are never merged and stay numbered 1..n");
    return 0;
}

static int
buffer_localvar(struct core_buffer *buffer, const struct core_args *args)
{
    struct core_buffer *b = buffer_target(buffer, args, 2);

    if (!b)
        return -ENOENT;
    if (b->n_localvars == 0) {
        core_command_info(buffer, "No local variable defined for buffer \"%s\"", b->full_name);
        return 0;
    }
    core_command_info(buffer, "%s", "");
    core_command_info(buffer, "Local variables for buffer \"%s\":", b->full_name);
    for (size_t i = 0; i < b->n_localvars; i++)
        core_command_info(buffer, "  %s: \"%s\"", b->localvars[i].key, b->localvars[i].value);
    return 0;
}

int
core_cmd_buffer(struct core_buffer *buffer, const struct core_args *args)
{
    static const struct {
        const char *name;
        int (*run)(struct core_buffer *, const struct core_args *);
    } subs[] = {
        { "list", buffer_list },
        { "close", buffer_close },
        { "clear", buffer_clear },
        { "rename", buffer_rename },
        { "move", buffer_move },
        { "hide", buffer_hide },
        { "unhide", buffer_hide },
        { "set", core_cmd_buffer_set },
        { "get", core_cmd_buffer_get },
        { "localvar", buffer_localvar },
        { "listvar", buffer_localvar },
        { "add", buffer_add },
        { "setvar", buffer_var },
        { "delvar", buffer_var },
        { "retag", buffer_retag },
        { "notify", buffer_notify },
        { "switch", core_command_nothing_to_do },
        { "zoom", core_command_nothing_to_do },
        { "renumber", core_command_nothing_to_do }, /* numbers are always 1..n */
        { "swap", buffer_no_effect },
        { "cycle", buffer_no_effect },
        { "merge", buffer_no_effect },
        { "unmerge", buffer_no_effect },
        { "jump", buffer_no_effect },
        { "setauto", buffer_no_effect },
    };

    if (args->argc < 2)
        return buffer_list(buffer, args);
    for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
        if (strcmp(args->argv[1], subs[i].name) == 0)
            return subs[i].run(buffer, args);
    }
    /* "/buffer NAME|NUMBER" switches a window in WeeChat: here clients do that. */
    if (core_command_buffer_arg(buffer->core, args->eol[1])) {
        core_command_no_effect(buffer, "Switching buffers",
                               "each client shows the buffer its user picks");
        return 0;
    }
    core_command_error_usage(buffer, args);
    return -EINVAL;
}
