/* SPDX-License-Identifier: MIT */
/*
 * /autojoin as WeeChat has it: the network's autojoin value edited (add, addraw, del), made
 * of the channels joined now (apply), sorted (sort [buffer]), or joined (join); each change
 * said in the server buffer ("Autojoin changed from "old" to "new"").
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "autojoin.h"
#include "base/xalloc.h"
#include "channel.h"
#include "core/command.h"
#include "core/core.h"
#include "internal.h"

/* The value with args[first..] added or taken out; the buffer's channel when there are
 * none (NULL and an error said when the buffer is not a channel's). */
static char *
autojoin_edit(struct irc_server *s, struct core_buffer *buffer, const struct core_args *args,
              int first, bool add, bool *failed)
{
    enum irc_casemapping map = s->isupport.casemapping;
    char *value = xstrdup(s->cfg->autojoin);

    *failed = false;
    if (args->argc <= first) {
        struct irc_channel *c = irc__cmd_buffer_channel(s, buffer);
        if (!c || c->type != IRC_CHANNEL) {
            core_command_error(buffer,
                               "irc: \"%s\" command can only be executed in a channel buffer",
                               "autojoin add");
            *failed = true;
            free(value);
            return NULL;
        }
        char *next = add ? irc_autojoin_add(value, c->name, c->key, map)
                         : irc_autojoin_remove(value, c->name, map);
        if (next) {
            free(value);
            value = next;
        }
        return value;
    }
    for (int i = first; i < args->argc; i++) {
        struct irc_channel *c = irc_channel_find(s, args->argv[i]);
        const char *name = c ? c->name : args->argv[i];
        char *next = add ? irc_autojoin_add(value, name, c ? c->key : NULL, map)
                         : irc_autojoin_remove(value, name, map);
        if (next) {
            free(value);
            value = next;
        }
    }
    return value;
}

/* The channels we are in, in the order of their buffers, with their keys. */
static char *
autojoin_joined(struct irc_server *s)
{
    char *value = xstrdup("");
    struct list *pos;

    list_for_each (pos, &s->channels) {
        struct irc_channel *c = list_entry(pos, struct irc_channel, link);
        if (c->type != IRC_CHANNEL || !c->joined)
            continue;
        char *next = irc_autojoin_add(value, c->name, c->key, s->isupport.casemapping);
        if (next) {
            free(value);
            value = next;
        }
    }
    return value;
}

static int
autojoin_by_number(const void *a, const void *b)
{
    const struct irc_channel *x = *(struct irc_channel *const *)a;
    const struct irc_channel *y = *(struct irc_channel *const *)b;

    return (x->buffer->number > y->buffer->number) - (x->buffer->number < y->buffer->number);
}

/* "sort buffer": the channels in the order of their buffers, the others after by name. */
static char *
autojoin_sorted(struct irc_server *s, bool by_buffer)
{
    struct irc_channel **with_buffer = NULL;
    const char **order = NULL;
    size_t n = 0;
    struct list *pos;
    char *value;

    list_for_each (pos, &s->channels) {
        struct irc_channel *c = list_entry(pos, struct irc_channel, link);
        if (!by_buffer || c->type != IRC_CHANNEL || !c->buffer)
            continue;
        with_buffer = xrealloc(with_buffer, (n + 1) * sizeof(*with_buffer));
        with_buffer[n++] = c;
    }
    if (n)
        qsort(with_buffer, n, sizeof(*with_buffer), autojoin_by_number);
    order = xcalloc(n ? n : 1, sizeof(*order));
    for (size_t i = 0; i < n; i++)
        order[i] = with_buffer[i]->name;
    value = irc_autojoin_sort(s->cfg->autojoin, s->isupport.casemapping, order, n);
    free(order);
    free(with_buffer);
    return value;
}

int
irc__cmd_autojoin(struct core_buffer *buffer, const struct core_args *args)
{
    int first;
    struct irc_server *s = irc__cmd_connected_server(buffer, args, &first);
    const char *action = s && args->argc > first ? args->argv[first] : NULL;
    char *value = NULL;
    bool failed = false;

    if (!s)
        return -ENOTCONN;
    if (!action) {
        core_command_error_few_args(buffer, args, "");
        return -EINVAL;
    }
    if (strcmp(action, "join") == 0) {
        const char *space = strchr(s->cfg->autojoin, ' ');
        char *channels = xstrndup(s->cfg->autojoin, space ? (size_t)(space - s->cfg->autojoin)
                                                          : strlen(s->cfg->autojoin));
        const char *params[] = { channels, space ? space + 1 : NULL };
        int rc = channels[0] ? irc__server_send(s, "JOIN", params, space ? 2 : 1) : 0;
        free(channels);
        return rc;
    }
    if (strcmp(action, "add") == 0 || strcmp(action, "del") == 0) {
        value = autojoin_edit(s, buffer, args, first + 1, action[0] == 'a', &failed);
    } else if (strcmp(action, "addraw") == 0) {
        if (args->argc <= first + 1) {
            core_command_error_few_args(buffer, args, action);
            return -EINVAL;
        }
        value = irc_autojoin_merge(s->cfg->autojoin, args->eol[first + 1], s->isupport.casemapping);
    } else if (strcmp(action, "apply") == 0) {
        value = autojoin_joined(s);
    } else if (strcmp(action, "sort") == 0) {
        value = autojoin_sorted(s, args->argc > first + 1 &&
                                       strcmp(args->argv[first + 1], "buffer") == 0);
    } else {
        core_command_error_usage(buffer, args);
        return -EINVAL;
    }
    if (failed)
        return -EINVAL;
    if (value && strcmp(value, s->cfg->autojoin) != 0) {
        if (s->cfg->autojoin[0])
            irc__server_print(s, "", NULL, "Autojoin changed from \"%s\" to \"%s\"",
                              s->cfg->autojoin, value);
        else
            irc__server_print(s, "", NULL, "Autojoin changed from empty value to \"%s\"", value);
        free(s->cfg->autojoin);
        s->cfg->autojoin = value;
        irc__changed(s->irc);
        return 0;
    }
    free(value);
    return 0;
}
