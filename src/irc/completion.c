/* SPDX-License-Identifier: MIT */
/* Completion items of IRC buffers, as WeeChat's irc plugin hooks them: the channel's nicks
 * with the recent speakers first, nicks with their hosts, channels, servers, our nick,
 * ignore numbers. */
#include "core/completion.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "channel.h"
#include "core/core.h"
#include "internal.h"

/* The network and channel of an irc buffer (channel NULL for a server buffer). */
static struct irc_server *
completion_server(struct irc *irc, const struct core_buffer *buffer, struct irc_channel **channel)
{
    const char *name = core_buffer_localvar(buffer, "server");
    const char *type = core_buffer_localvar(buffer, "type");
    const char *chan = core_buffer_localvar(buffer, "channel");
    struct irc_server *s;

    *channel = NULL;
    if (strcmp(buffer->plugin, "irc") != 0 || !name || !(s = irc__server_find(irc, name)))
        return NULL;
    if (type && strcmp(type, "server") != 0 && chan)
        *channel = irc_channel_find(s, chan);
    return s;
}

/* %nicks in an irc buffer: every nick sorted, the recent speakers still here in front
 * (the latest first), our nick last. */
static bool
completion_nicks(struct core_completion *cc, const struct core_buffer *buffer, void *data)
{
    struct irc_channel *c;
    struct irc_server *s = completion_server(data, buffer, &c);
    struct list *pos;

    if (!s)
        return false;
    if (!c)
        return true;
    if (c->type == IRC_PRIVATE) {
        core_completion_offer(cc, c->name, true, CORE_COMPLETION_SORT);
    } else {
        list_for_each (pos, &c->nicks) {
            const struct irc_nick *n = list_entry(pos, struct irc_nick, link);
            if (!s->nick || irc_casecmp(s->isupport.casemapping, n->name, s->nick) != 0)
                core_completion_offer(cc, n->name, true, CORE_COMPLETION_SORT);
        }
        /* Oldest first, each put in front: the latest speaker ends first. */
        for (pos = c->speakers.prev; pos != &c->speakers; pos = pos->prev) {
            const struct irc_speaker *sp = list_entry(pos, struct irc_speaker, link);
            if (irc_channel_nick_find(c, sp->nick))
                core_completion_offer(cc, sp->nick, true, CORE_COMPLETION_BEGINNING);
        }
    }
    core_completion_offer(cc, s->nick, true, CORE_COMPLETION_END);
    return true;
}

/* %irc_channel_nicks_hosts: each nick of the channel, and "nick!user@host" when its host is
 * known (userhost-in-names, WHO, joins, chghost); a private buffer's nick. */
static bool
completion_nicks_hosts(struct core_completion *cc, const struct core_buffer *buffer, void *data)
{
    struct irc_channel *c;
    struct list *pos;
    char mask[1024];

    if (!completion_server(data, buffer, &c) || !c)
        return true;
    if (c->type == IRC_PRIVATE) {
        core_completion_offer(cc, c->name, true, CORE_COMPLETION_SORT);
        return true;
    }
    list_for_each (pos, &c->nicks) {
        const struct irc_nick *n = list_entry(pos, struct irc_nick, link);
        core_completion_offer(cc, n->name, true, CORE_COMPLETION_SORT);
        if (n->host &&
            (size_t)snprintf(mask, sizeof(mask), "%s!%s", n->name, n->host) < sizeof(mask))
            core_completion_offer(cc, mask, false, CORE_COMPLETION_SORT);
    }
    return true;
}

static void
completion_server_channels(struct core_completion *cc, const struct irc_server *s)
{
    struct list *pos;

    list_for_each (pos, &s->channels) {
        const struct irc_channel *c = list_entry(pos, struct irc_channel, link);
        if (c->type == IRC_CHANNEL)
            core_completion_offer(cc, c->name, false, CORE_COMPLETION_SORT);
    }
}

/* %irc_channels: the channels of every network. */
static bool
completion_channels(struct core_completion *cc, const struct core_buffer *buffer, void *data)
{
    struct irc *irc = data;
    struct list *pos;

    (void)buffer;
    list_for_each (pos, &irc->servers) {
        const struct irc_server *s = list_entry(pos, struct irc_server, link);
        if (!s->removing)
            completion_server_channels(cc, s);
    }
    return true;
}

/* %irc_server_channels: the channels of the buffer's network. */
static bool
completion_this_server_channels(struct core_completion *cc, const struct core_buffer *buffer,
                                void *data)
{
    struct irc_channel *c;
    struct irc_server *s = completion_server(data, buffer, &c);

    if (s)
        completion_server_channels(cc, s);
    return true;
}

/* %irc_channel: the buffer's channel. */
static bool
completion_channel(struct core_completion *cc, const struct core_buffer *buffer, void *data)
{
    struct irc_channel *c;

    if (completion_server(data, buffer, &c) && c)
        core_completion_offer(cc, c->name, false, CORE_COMPLETION_SORT);
    return true;
}

/* %irc_server_nick: our nick on the buffer's network. */
static bool
completion_server_nick(struct core_completion *cc, const struct core_buffer *buffer, void *data)
{
    struct irc_channel *c;
    struct irc_server *s = completion_server(data, buffer, &c);

    if (s && s->nick)
        core_completion_offer(cc, s->nick, false, CORE_COMPLETION_SORT);
    return true;
}

/* %irc_servers: every network's name. */
static bool
completion_servers(struct core_completion *cc, const struct core_buffer *buffer, void *data)
{
    struct irc *irc = data;
    struct list *pos;

    (void)buffer;
    list_for_each (pos, &irc->servers) {
        const struct irc_server *s = list_entry(pos, struct irc_server, link);
        if (!s->removing)
            core_completion_offer(cc, s->cfg->name, false, CORE_COMPLETION_SORT);
    }
    return true;
}

/* %irc_ignores_numbers: 1..N of /ignore list. */
static bool
completion_ignores(struct core_completion *cc, const struct core_buffer *buffer, void *data)
{
    struct irc *irc = data;
    char number[24];

    (void)buffer;
    for (size_t i = 1; i <= irc->n_ignores; i++) {
        snprintf(number, sizeof(number), "%zu", i);
        core_completion_offer(cc, number, false, CORE_COMPLETION_END);
    }
    return true;
}

void
irc__completion_register(struct irc *irc)
{
    static const struct {
        const char *name;
        core_completion_cb cb;
    } items[] = {
        { "nicks", completion_nicks },
        { "irc_channels", completion_channels },
        { "irc_server_channels", completion_this_server_channels },
        { "irc_channel", completion_channel },
        { "irc_channel_nicks_hosts", completion_nicks_hosts },
        { "irc_server_nick", completion_server_nick },
        { "irc_servers", completion_servers },
        { "irc_ignores_numbers", completion_ignores },
    };

    for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++)
        core_completion_hook(irc->core, items[i].name, items[i].cb, irc);
}
