/* SPDX-License-Identifier: MIT */
/* /hotlist add|clear|remove|restore, with WeeChat's arguments. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "base/timefmt.h"
#include "command.h"
#include "core.h"
#include "hotlist.h"

/* The lowest or highest priority in the hotlist, or -1 when it is empty. */
static int
hotlist_extreme(struct core *core, bool highest)
{
    int found = -1;
    struct list *pos;

    list_for_each (pos, &core->hotlist) {
        const struct core_hotlist_entry *e = list_entry(pos, struct core_hotlist_entry, link);
        if (found < 0 || (highest ? e->priority > found : e->priority < found))
            found = e->priority;
    }
    return found;
}

/* clear [MASK|lowest|highest]: MASK adds 1 low, 2 message, 4 private, 8 highlight. */
static int
hotlist_clear(struct core_buffer *buffer, const char *arg)
{
    char *end;
    long mask = CORE_HOTLIST_MASK_ALL;

    if (arg && (strcmp(arg, "lowest") == 0 || strcmp(arg, "highest") == 0)) {
        int p = hotlist_extreme(buffer->core, arg[0] == 'h');
        if (p >= 0)
            core_hotlist_clear(buffer->core, 1 << p);
        return 0;
    }
    if (arg) {
        mask = strtol(arg, &end, 10);
        if (end == arg || *end || mask <= 0 || mask > INT_MAX) {
            core_command_error(buffer,
                               "hotlist: invalid level mask \"%s\" (1 low, 2 message, "
                               "4 private, 8 highlight, or lowest|highest)",
                               arg);
            return -EINVAL;
        }
    }
    core_hotlist_clear(buffer->core, (int)mask);
    return 0;
}

static int
hotlist_add(struct core_buffer *buffer, const char *arg)
{
    int priority = arg ? core_hotlist_priority_parse(arg) : 0;

    if (priority < 0) {
        core_command_error(buffer,
                           "hotlist: invalid priority \"%s\" (low, message, private, "
                           "highlight)",
                           arg);
        return -EINVAL;
    }
    core_hotlist_add(buffer->core, buffer, priority, timefmt_now_us());
    return 0;
}

/* remove [BUFFER]: the buffer argument is perch's (WeeChat removes the current one). */
static int
hotlist_remove(struct core_buffer *buffer, const char *arg)
{
    struct core_buffer *b = buffer;

    if (arg && !(b = core_command_buffer_arg(buffer->core, arg))) {
        core_command_error(buffer, "hotlist: buffer \"%s\" not found", arg);
        return -ENOENT;
    }
    core_hotlist_remove(buffer->core, b);
    return 0;
}

static int
hotlist_restore(struct core_buffer *buffer, const char *arg)
{
    struct list *pos;

    if (!arg) {
        core_hotlist_restore(buffer->core, buffer);
        return 0;
    }
    if (strcmp(arg, "-all") != 0) {
        core_command_error(buffer, "hotlist: expected \"-all\" after \"restore\"");
        return -EINVAL;
    }
    list_for_each (pos, &buffer->core->buffers)
        core_hotlist_restore(buffer->core, list_entry(pos, struct core_buffer, link));
    return 0;
}

int
core_cmd_hotlist(struct core_buffer *buffer, const struct core_args *args)
{
    static const struct {
        const char *name;
        int (*run)(struct core_buffer *buffer, const char *arg);
    } subs[] = {
        { "add", hotlist_add },
        { "clear", hotlist_clear },
        { "remove", hotlist_remove },
        { "restore", hotlist_restore },
    };

    if (args->argc < 2) {
        core_command_error_few_args(buffer, args, "");
        return -EINVAL;
    }
    for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
        if (strcmp(args->argv[1], subs[i].name) == 0)
            return subs[i].run(buffer, args->argc > 2 ? args->argv[2] : NULL);
    }
    core_command_error_usage(buffer, args);
    return -EINVAL;
}
