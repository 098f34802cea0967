/* SPDX-License-Identifier: MIT */
/* /nicklist: groups and nicks of the current buffer's nicklist, through the core API. */
#include <errno.h>
#include <string.h>

#include "command.h"
#include "core.h"

static struct core_nick_group *
nicklist_group_arg(struct core_buffer *buffer, const char *name)
{
    struct core_nick_group *g = core_nicklist_find_group(buffer->nicklist_root, name);

    if (!g)
        core_command_error(buffer, "nicklist: group \"%s\" not found", name);
    return g;
}

static struct core_nick *
nicklist_nick_arg(struct core_buffer *buffer, const char *name)
{
    struct core_nick *n = core_nicklist_find_nick(buffer->nicklist_root, name);

    if (!n)
        core_command_error(buffer, "nicklist: nick \"%s\" not found", name);
    return n;
}

/* /nicklist add_group NAME [COLOR] [PARENT] */
static int
nicklist_add_group(struct core_buffer *b, const struct core_args *a)
{
    struct core_nick_group *parent = NULL;

    if (a->argc < 3)
        return -EINVAL;
    if (core_nicklist_find_group(b->nicklist_root, a->argv[2])) {
        core_command_error(b, "nicklist: group \"%s\" already exists", a->argv[2]);
        return -EEXIST;
    }
    if (a->argc > 4 && !(parent = nicklist_group_arg(b, a->argv[4])))
        return -ENOENT;
    if (parent && core_nicklist_depth(parent) >= CORE_NICKLIST_DEPTH_MAX) {
        core_command_error(b, "nicklist: groups nest at most %d deep", CORE_NICKLIST_DEPTH_MAX);
        return -E2BIG;
    }
    core_buffer_set_nicklist(b, true);
    core_nicklist_add_group(b, parent, a->argv[2], a->argc > 3 ? a->argv[3] : NULL, true);
    return 0;
}

/* /nicklist add_nick GROUP NICK [PREFIX [PREFIX_COLOR [COLOR]]] ("root" for the root) */
static int
nicklist_add_nick(struct core_buffer *b, const struct core_args *a)
{
    struct core_nick_group *g;

    if (a->argc < 4)
        return -EINVAL;
    if (!(g = nicklist_group_arg(b, a->argv[2])))
        return -ENOENT;
    if (core_nicklist_find_nick(b->nicklist_root, a->argv[3])) {
        core_command_error(b, "nicklist: nick \"%s\" already exists", a->argv[3]);
        return -EEXIST;
    }
    core_buffer_set_nicklist(b, true);
    core_nicklist_add_nick(b, g, a->argv[3], a->argc > 6 ? a->argv[6] : NULL,
                           a->argc > 4 ? a->argv[4] : NULL, a->argc > 5 ? a->argv[5] : NULL, true);
    return 0;
}

/* /nicklist change_nick NICK PREFIX PREFIX_COLOR [COLOR] */
static int
nicklist_change_nick(struct core_buffer *b, const struct core_args *a)
{
    struct core_nick *n;

    if (a->argc < 5)
        return -EINVAL;
    if (!(n = nicklist_nick_arg(b, a->argv[2])))
        return -ENOENT;
    core_nicklist_change_nick(b, n, a->argc > 5 ? a->argv[5] : NULL, a->argv[3], a->argv[4],
                              n->visible);
    return 0;
}

static int
nicklist_remove(struct core_buffer *b, const struct core_args *a)
{
    if (a->argc < 3)
        return -EINVAL;
    if (strcmp(a->argv[1], "remove_nick") == 0) {
        struct core_nick *n = nicklist_nick_arg(b, a->argv[2]);
        if (!n)
            return -ENOENT;
        core_nicklist_remove_nick(b, n);
        return 0;
    }
    struct core_nick_group *g = nicklist_group_arg(b, a->argv[2]);
    if (!g)
        return -ENOENT;
    if (g == b->nicklist_root) {
        core_command_error(b, "nicklist: the root group can not be removed");
        return -EPERM;
    }
    core_nicklist_remove_group(b, g);
    return 0;
}

int
core_cmd_nicklist(struct core_buffer *buffer, const struct core_args *args)
{
    static const struct {
        const char *name;
        int (*run)(struct core_buffer *, const struct core_args *);
    } subs[] = {
        { "add_group", nicklist_add_group },     { "add_nick", nicklist_add_nick },
        { "change_nick", nicklist_change_nick }, { "remove_nick", nicklist_remove },
        { "remove_group", nicklist_remove },
    };

    for (size_t i = 0; args->argc > 1 && i < sizeof(subs) / sizeof(subs[0]); i++) {
        if (strcmp(args->argv[1], subs[i].name) != 0)
            continue;
        int rc = subs[i].run(buffer, args);
        if (rc == -EINVAL)
            core_command_error(buffer, "nicklist: missing arguments (see /help nicklist)");
        return rc;
    }
    core_command_error(buffer, "nicklist: unknown action \"%s\" (see /help nicklist)",
                       args->argc > 1 ? args->argv[1] : "");
    return -EINVAL;
}
