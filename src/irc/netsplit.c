/* SPDX-License-Identifier: MIT */
/*
 * netsplit and netjoin batches (IRCv3 batch): one line per buffer instead of a QUIT or JOIN
 * line per nick, "Netsplit hub.test <-> leaf.test, quit: alice, bob" and "Netsplit over
 * hub.test <-> leaf.test, joined: alice, bob" (tags irc_quit/irc_join, irc_netsplit/
 * irc_netjoin, irc_batch_type_TYPE), hidden as WeeChat's smart filter hides a quit or join
 * (irc_smart_filter) when none of the nicks spoke lately. The nicklists change as the QUITs
 * and JOINs say. A line of the batch that is neither is shown as usual.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/timefmt.h"
#include "base/xalloc.h"
#include "batch.h"
#include "channel.h"
#include "core/core.h"
#include "internal.h"
#include "look.h"
#include "message.h"

/* The nicks a batch took from or brought to one buffer. */
struct split_buffer {
    struct irc_channel *c;
    struct buf nicks; /* "alice, bob" with their colours */
    bool spoke;       /* one of them spoke lately: the line is not filtered */
    int64_t date_us;  /* the first line's server time, or 0 */
};

struct split {
    struct split_buffer *v;
    size_t n;
};

static struct split_buffer *
split_buffer_for(struct split *sp, struct irc_channel *c)
{
    for (size_t i = 0; i < sp->n; i++) {
        if (sp->v[i].c == c)
            return &sp->v[i];
    }
    sp->v = xrealloc(sp->v, (sp->n + 1) * sizeof(*sp->v));
    struct split_buffer *sb = &sp->v[sp->n++];
    *sb = (struct split_buffer){ .c = c };
    buf_init(&sb->nicks, IRC_READ_MAX * 4);
    return sb;
}

static void
split_add(struct split *sp, struct irc_channel *c, const struct irc_message *m)
{
    struct split_buffer *sb = split_buffer_for(sp, c);
    const char *time_tag = irc_message_tag(m, "time");
    char color[IRC_LOOK_COLOR_MAX];

    irc_look_nick_color(color, m->nick, false);
    buf_printf(&sb->nicks, "%s%s%s" IRC_LOOK_RESET, sb->nicks.len ? ", " : "", color, m->nick);
    if (c->type != IRC_CHANNEL || irc_channel_spoke_recently(c, m->nick, timefmt_now_s()))
        sb->spoke = true;
    if (!sb->date_us && time_tag)
        timefmt_parse(time_tag, &sb->date_us);
}

/* A QUIT of the batch: the nick leaves every buffer it is in. */
static bool
split_quit(struct irc_server *s, struct split *sp, const struct irc_message *m)
{
    struct list *pos;

    if (strcmp(m->command, "QUIT") != 0 || !m->nick)
        return false;
    list_for_each (pos, &s->channels) {
        struct irc_channel *c = list_entry(pos, struct irc_channel, link);
        bool here = c->type == IRC_CHANNEL
                        ? irc_channel_nick_find(c, m->nick) != NULL
                        : irc_casecmp(s->isupport.casemapping, c->name, m->nick) == 0;
        if (!here)
            continue;
        split_add(sp, c, m);
        irc_channel_join_filtered_remove(c, m->nick);
        irc_channel_nick_remove(c, m->nick);
    }
    return true;
}

/* A JOIN of the batch: the nick is back in a channel we are in. */
static bool
split_join(struct irc_server *s, struct split *sp, const struct irc_message *m)
{
    struct irc_channel *c;

    if (strcmp(m->command, "JOIN") != 0 || !m->nick || m->n_params < 1 ||
        (s->nick && irc_casecmp(s->isupport.casemapping, m->nick, s->nick) == 0))
        return false;
    c = irc_channel_find(s, m->params[0]);
    if (!c || !c->joined)
        return true;
    char *host = irc__source_host(m);
    struct irc_nick *n = irc_channel_nick_add(c, m->nick, host);
    /* extended-join: "JOIN #c account :Real Name". */
    if (n && m->n_params > 1 && strcmp(m->params[1], "*") != 0)
        irc_channel_nick_set_text(&n->account, m->params[1]);
    if (n && m->n_params > 2)
        irc_channel_nick_set_text(&n->realname, m->params[2]);
    free(host);
    split_add(sp, c, m);
    return true;
}

static void
split_print(const struct irc_batch *b, struct split *sp, bool join)
{
    const char *type = irc_batch_type(b);
    const char *from = b->start.n_params > 2 ? b->start.params[2] : NULL;
    const char *to = b->start.n_params > 3 ? b->start.params[3] : NULL;

    for (size_t i = 0; i < sp->n; i++) {
        struct split_buffer *sb = &sp->v[i];
        struct buf text, tags;
        buf_init(&text, IRC_READ_MAX * 8);
        buf_init(&tags, 256);
        buf_append_str(&text, join ? "Netsplit over" : "Netsplit");
        if (from)
            buf_printf(&text, " %s", from);
        if (from && to)
            buf_printf(&text, " <-> %s", to);
        buf_printf(&text, ", %s: %s", join ? "joined" : "quit", sb->nicks.data);
        buf_printf(&tags, "irc_%s,irc_%s,irc_batch_type_%s%s,log4", join ? "join" : "quit", type,
                   type, sb->spoke ? "" : ",irc_smart_filter");
        struct core_line_spec spec = {
            .prefix = join ? IRC_LOOK_PREFIX_JOIN : IRC_LOOK_PREFIX_QUIT,
            .message = text.data,
            .tags = tags.data,
            .date_us = sb->date_us,
            .y = -1,
        };
        if (sb->c->buffer)
            core_buffer_print(sb->c->buffer, &spec);
        buf_fini(&text);
        buf_fini(&tags);
        buf_fini(&sb->nicks);
    }
    free(sp->v);
}

static void
split_end(struct irc_server *s, const struct irc_batch *b, bool join)
{
    struct split sp = { 0 };

    for (size_t i = 0; i < b->n_lines; i++) {
        struct irc_message m;
        if (irc_batch_message(b, i, &m) < 0)
            continue;
        m.batch_type = irc_batch_type(b);
        if (!(join ? split_join(s, &sp, &m) : split_quit(s, &sp, &m)))
            irc__server_handle(s, &m, b->lines[i]);
        irc_message_fini(&m);
    }
    split_print(b, &sp, join);
}

void
irc__netsplit_end(struct irc_server *s, const struct irc_batch *b)
{
    split_end(s, b, false);
}

void
irc__netjoin_end(struct irc_server *s, const struct irc_batch *b)
{
    split_end(s, b, true);
}
