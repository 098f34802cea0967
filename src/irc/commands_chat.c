/* SPDX-License-Identifier: MIT */
/* Talking: /join, /part, /msg, /query, /me, /nick, /topic, in a buffer's network. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "channel.h"
#include "core/command.h"
#include "core/core.h"
#include "internal.h"

/* The network of a command: "-server NAME" first, else the buffer's. *first is the
 * index of the first argument after those. */
static struct irc_server *
chat_server(struct core_buffer *buffer, const struct core_args *args, int *first)
{
    struct irc *irc = args->data;
    const char *name;

    *first = 1;
    if (args->argc > 2 && strcmp(args->argv[1], "-server") == 0) {
        *first = 3;
        return irc__server_find(irc, args->argv[2]);
    }
    name = strcmp(buffer->plugin, "irc") == 0 ? core_buffer_localvar(buffer, "server") : NULL;
    return name ? irc__server_find(irc, name) : NULL;
}

static struct irc_server *
chat_connected_server(struct core_buffer *buffer, const struct core_args *args, int *first)
{
    struct irc_server *s = chat_server(buffer, args, first);

    if (!s) {
        core_command_error(buffer,
                           "irc: command \"%s\" must be executed on irc buffer "
                           "(server, channel or private) or with -server",
                           args->argv[0]);
        return NULL;
    }
    if (s->state != IRC_CONNECTED) {
        core_command_error(buffer,
                           "irc: command \"%s\" must be executed on connected irc "
                           "server",
                           args->argv[0]);
        return NULL;
    }
    return s;
}

/* The channel or private conversation of the buffer, when it is one. */
static struct irc_channel *
chat_buffer_channel(struct irc_server *s, struct core_buffer *buffer)
{
    const char *name = core_buffer_localvar(buffer, "channel");
    const char *type = core_buffer_localvar(buffer, "type");

    if (!name || !type || strcmp(type, "server") == 0)
        return NULL;
    return irc_channel_find(s, name);
}

int
irc__cmd_join(struct core_buffer *buffer, const struct core_args *args)
{
    int first;
    struct irc_server *s = chat_connected_server(buffer, args, &first);

    if (!s)
        return -ENOTCONN;
    if (args->argc <= first) {
        core_command_error_few_args(buffer, args, "");
        return -EINVAL;
    }
    const char *params[] = { args->argv[first],
                             args->argc > first + 1 ? args->argv[first + 1] : NULL };
    return irc__server_send(s, "JOIN", params, params[1] ? 2 : 1);
}

int
irc__cmd_part(struct core_buffer *buffer, const struct core_args *args)
{
    int first;
    struct irc_server *s = chat_connected_server(buffer, args, &first);
    const char *channel = NULL, *reason = NULL;
    struct irc_channel *c;

    if (!s)
        return -ENOTCONN;
    if (args->argc > first && irc_isupport_is_channel(&s->isupport, args->argv[first])) {
        channel = args->argv[first];
        reason = args->argc > first + 1 ? args->eol[first + 1] : NULL;
    } else {
        c = chat_buffer_channel(s, buffer);
        if (!c || c->type != IRC_CHANNEL) {
            core_command_error(buffer,
                               "irc: \"%s\" command can only be executed in a channel "
                               "buffer",
                               "part");
            return -EINVAL;
        }
        channel = c->name;
        reason = args->argc > first ? args->eol[first] : NULL;
    }
    const char *params[] = { channel, reason };
    return irc__server_send(s, "PART", params, reason ? 2 : 1);
}

static int
chat_msg(struct core_buffer *buffer, const struct core_args *args, bool query)
{
    int first;
    struct irc_server *s = chat_connected_server(buffer, args, &first);
    struct irc_channel *c;
    const char *target;

    if (!s)
        return -ENOTCONN;
    if (args->argc <= first + (query ? 0 : 1)) {
        core_command_error_few_args(buffer, args, "");
        return -EINVAL;
    }
    target = args->argv[first];
    if (strcmp(target, "*") == 0) {
        c = chat_buffer_channel(s, buffer);
        if (!c) {
            core_command_error(buffer,
                               "irc: \"%s\" command can not be executed on a server "
                               "buffer",
                               "msg *");
            return -EINVAL;
        }
        target = c->name;
    }
    c = irc_channel_find(s, target);
    if (query && !irc_isupport_is_channel(&s->isupport, target))
        c = irc_channel_open(s, target, IRC_PRIVATE);
    if (args->argc > first + 1)
        irc__say(s, target, args->eol[first + 1], false, c ? c->buffer : NULL);
    return 0;
}

int
irc__cmd_msg(struct core_buffer *buffer, const struct core_args *args)
{
    return chat_msg(buffer, args, false);
}

int
irc__cmd_query(struct core_buffer *buffer, const struct core_args *args)
{
    return chat_msg(buffer, args, true);
}

int
irc__cmd_me(struct core_buffer *buffer, const struct core_args *args)
{
    int first;
    struct irc_server *s = chat_connected_server(buffer, args, &first);
    struct irc_channel *c = s ? chat_buffer_channel(s, buffer) : NULL;

    if (!s)
        return -ENOTCONN;
    if (!c) {
        core_command_error(buffer,
                           "irc: \"%s\" command can only be executed in a channel or "
                           "private buffer",
                           "me");
        return -EINVAL;
    }
    irc__say(s, c->name, args->argc > first ? args->eol[first] : "", true, c->buffer);
    return 0;
}

int
irc__cmd_nick(struct core_buffer *buffer, const struct core_args *args)
{
    int first;
    struct irc_server *s = chat_connected_server(buffer, args, &first);

    if (!s)
        return -ENOTCONN;
    if (args->argc <= first) {
        core_command_error_few_args(buffer, args, "");
        return -EINVAL;
    }
    const char *params[] = { args->argv[first] };
    return irc__server_send(s, "NICK", params, 1);
}

int
irc__cmd_topic(struct core_buffer *buffer, const struct core_args *args)
{
    int first;
    struct irc_server *s = chat_connected_server(buffer, args, &first);
    struct irc_channel *c;
    const char *channel, *topic = NULL;

    if (!s)
        return -ENOTCONN;
    if (args->argc > first && irc_isupport_is_channel(&s->isupport, args->argv[first])) {
        channel = args->argv[first];
        topic = args->argc > first + 1 ? args->eol[first + 1] : NULL;
    } else {
        c = chat_buffer_channel(s, buffer);
        if (!c || c->type != IRC_CHANNEL) {
            core_command_error(buffer,
                               "irc: \"%s\" command can only be executed in a channel "
                               "buffer",
                               "topic");
            return -EINVAL;
        }
        channel = c->name;
        topic = args->argc > first ? args->eol[first] : NULL;
    }
    if (topic && strcmp(topic, "-delete") == 0)
        topic = "";
    const char *params[] = { channel, topic };
    return irc__server_send(s, "TOPIC", params, topic ? 2 : 1);
}
