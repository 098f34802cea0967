/* SPDX-License-Identifier: MIT */
/* What happens in channels and private conversations: joins, parts, kicks, quits, nick
 * changes, topics, names and modes, shown as WeeChat shows them (messages and notices:
 * recv_msg.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/timefmt.h"
#include "base/xalloc.h"
#include "chanmodes.h"
#include "channel.h"
#include "core/color.h"
#include "core/core.h"
#include "core/hotlist.h"
#include "internal.h"
#include "look.h"
#include "message.h"
#include "prefix.h"

/* weechat_prefix(): each prefix in its weechat.color.chat_prefix_* option. */
#define PREFIX_JOIN    IRC_LOOK_PREFIX_JOIN
#define PREFIX_QUIT    IRC_LOOK_PREFIX_QUIT
#define PREFIX_NETWORK IRC_LOOK_PREFIX_NETWORK

/* "irc_smart_filter" for a nick that has not spoken in the channel lately (WeeChat's
 * irc.look.smart_filter, on by default for join, part, quit and nick), else NULL. */
static const char *
chat_smart_filter(struct irc_server *s, struct irc_channel *c, const char *nick)
{
    if (c->type != IRC_CHANNEL || irc__is_me(s, nick) ||
        irc_channel_spoke_recently(c, nick, timefmt_now_s()))
        return NULL;
    return "irc_smart_filter";
}

static int64_t
chat_print(struct core_buffer *b, const struct irc_message *m, const char *command,
           const char *extra, int log_level, const char *prefix, const char *text)
{
    return irc__print_from(b, m, command, extra, log_level, prefix, text);
}

/* A nick seen again (its JOIN, or a NICK to it): its private buffer takes its address as
 * title (irc_channel_set_topic_private_buffers) and, if the nick had quit, says it is back
 * (irc_channel_display_nick_back_in_pv: the join prefix, tags as a "nick_back" command). */
static void
private_nick_seen(struct irc_server *s, const char *nick, const char *host)
{
    struct list *pos;

    list_for_each (pos, &s->channels) {
        struct irc_channel *c = list_entry(pos, struct irc_channel, link);
        if (c->type == IRC_CHANNEL || !c->buffer ||
            irc_casecmp(s->isupport.casemapping, c->name, nick) != 0)
            continue;
        if (c->has_quit) {
            char color[IRC_LOOK_COLOR_MAX],
                *tags = irc__tags(NULL, "nick_back", NULL, nick, host, 4);
            char *text;
            irc__nick_color(s, nick, color);
            text = irc_look_nick_back(color, nick, host);
            irc__print_line(c->buffer, NULL, PREFIX_JOIN, tags, text);
            free(text);
            free(tags);
            c->has_quit = false;
        }
        if (host)
            core_buffer_set_title(c->buffer, host);
    }
}

static void
recv_join(struct irc_server *s, const struct irc_message *m)
{
    const char *name = m->params[0];
    struct irc_channel *c = irc_channel_find(s, name);
    char *host = irc__source_host(m), *text, color[IRC_LOOK_COLOR_MAX];
    const char *filter;
    int64_t id;

    if (irc__is_me(s, m->nick)) {
        /* Our own JOIN tells our host (irc_server_set_host), before the buffer opens. */
        irc__server_set_host(s, host);
        /* Our own JOIN opens the channel (and empties it: a bouncer may replay one). */
        c = irc_channel_open(s, name, IRC_CHANNEL);
        irc_channel_nicks_clear(c);
        irc_channel_set_topic(c, NULL);
        c->joined = true;
        c->rejoin = false;
        irc_channel_autojoin(c, true);
    } else if (!c || !c->joined) {
        free(host);
        return;
    }
    /* extended-join: "JOIN #c account :Real Name" ("*": no account). */
    const char *account = m->n_params > 1 && strcmp(m->params[1], "*") != 0 ? m->params[1] : NULL;
    const char *realname = m->n_params > 2 ? m->params[2] : NULL;
    struct irc_nick *n = irc_channel_nick_add(c, m->nick, host);
    if (n && account)
        irc_channel_nick_set_text(&n->account, account);
    if (n && realname)
        irc_channel_nick_set_text(&n->realname, realname);
    irc__nick_color(s, m->nick, color);
    text = irc_look_join(color, m->nick, account, realname, host, name);
    filter = chat_smart_filter(s, c, m->nick);
    id = chat_print(c->buffer, m, "join", filter, 4, PREFIX_JOIN, text);
    /* Unmasked if the nick speaks soon (irc_channel_join_smart_filtered_add). */
    if (filter)
        irc_channel_join_filtered_add(c, m->nick, timefmt_now_s(), id);
    free(text);
    if (!irc__is_me(s, m->nick))
        private_nick_seen(s, m->nick, host);
    free(host);
    /* Back in the channel: what it missed meanwhile (catchup.c). */
    if (irc__is_me(s, m->nick) && !m->batch_type)
        irc__catchup_start(s, c);
}

static void
recv_part(struct irc_server *s, const struct irc_message *m)
{
    struct irc_channel *c = irc_channel_find(s, m->params[0]);
    const char *reason = m->n_params > 1 ? m->params[1] : "";
    char *host = irc__source_host(m), *text, color[IRC_LOOK_COLOR_MAX];

    if (!c) {
        free(host);
        return;
    }
    irc__nick_color(s, m->nick, color);
    text = irc_look_part(color, m->nick, host, c->name, reason);
    chat_print(c->buffer, m, "part", chat_smart_filter(s, c, m->nick), 4, PREFIX_QUIT, text);
    free(text);
    if (irc__is_me(s, m->nick)) {
        c->joined = false;
        irc_channel_nicks_clear(c);
        irc_channel_autojoin(c, false);
    } else {
        irc_channel_join_filtered_remove(c, m->nick);
        irc_channel_nick_remove(c, m->nick);
    }
    free(host);
}

static void
recv_kick(struct irc_server *s, const struct irc_message *m)
{
    struct irc_channel *c = irc_channel_find(s, m->params[0]);
    const char *victim = m->params[1], *reason = m->n_params > 2 ? m->params[2] : NULL;
    char *text, color[IRC_LOOK_COLOR_MAX], victim_color[IRC_LOOK_COLOR_MAX];

    if (!c)
        return;
    irc__nick_color(s, m->nick, color);
    irc__nick_color(s, victim, victim_color);
    text = irc_look_kick(color, m->nick ? m->nick : "", victim_color, victim, reason);
    chat_print(c->buffer, m, "kick", NULL, 3, PREFIX_QUIT, text);
    free(text);
    if (irc__is_me(s, victim)) {
        c->joined = false;
        irc_channel_nicks_clear(c);
    } else {
        irc_channel_nick_remove(c, victim);
    }
}

/* KILL: said in every channel and private buffer, as WeeChat; when we are the one killed, the
 * channels' nicklists empty (the link closes next, and a reconnection joins them again). */
static void
recv_kill(struct irc_server *s, const struct irc_message *m)
{
    char *text, color[IRC_LOOK_COLOR_MAX];
    bool me = irc__is_me(s, m->params[0]);
    struct list *pos;

    irc__nick_color(s, m->nick, color);
    text = irc_look_kill(color, m->nick ? m->nick : "", m->n_params > 1 ? m->params[1] : NULL);
    list_for_each (pos, &s->channels) {
        struct irc_channel *c = list_entry(pos, struct irc_channel, link);
        chat_print(c->buffer, m, "kill", NULL, 3, PREFIX_QUIT, text);
        if (c->type != IRC_CHANNEL)
            continue;
        if (me)
            irc_channel_nicks_clear(c);
        else
            irc_channel_nick_remove(c, m->params[0]);
    }
    free(text);
}

static void
recv_quit(struct irc_server *s, const struct irc_message *m)
{
    const char *reason = m->n_params ? m->params[0] : "";
    char *host = irc__source_host(m), *text, color[IRC_LOOK_COLOR_MAX];
    struct list *pos;

    /* In a private buffer too the nick keeps its hashed colour (irc_nick_color_for_pv with
     * irc.look.color_pv_nick_like_channel on). */
    irc__nick_color(s, m->nick, color);
    text = irc_look_quit(color, m->nick ? m->nick : "", host, reason);
    list_for_each (pos, &s->channels) {
        struct irc_channel *c = list_entry(pos, struct irc_channel, link);
        bool here = c->type == IRC_CHANNEL ? irc_channel_nick_find(c, m->nick) != NULL
                                           : irc_casecmp(s->isupport.casemapping, c->name,
                                                         m->nick ? m->nick : "") == 0;
        if (!here)
            continue;
        if (c->type != IRC_CHANNEL)
            c->has_quit = true;
        chat_print(c->buffer, m, "quit", chat_smart_filter(s, c, m->nick), 4, PREFIX_QUIT, text);
        irc_channel_join_filtered_remove(c, m->nick);
        irc_channel_nick_remove(c, m->nick);
    }
    free(text);
    free(host);
}

/* A private buffer with the old nick (or with the new one in another case) follows the
 * nick and says so, unless another buffer is the new nick's already (IRC_PROTOCOL_CALLBACK
 * (nick); irc.look.display_pv_nick_change on, both nicks in their hashed colours). */
static void
nick_private_follow(struct irc_server *s, struct irc_channel *c, const struct irc_message *m,
                    const struct irc_channel *new_pv, const char *new_nick, const char *extra)
{
    const char *old = m->nick ? m->nick : "";
    char old_color[IRC_LOOK_COLOR_MAX], new_color[IRC_LOOK_COLOR_MAX], *text;
    enum irc_casemapping map = s->isupport.casemapping;

    if ((new_pv && new_pv != c) ||
        !(irc_casecmp(map, c->name, old) == 0 ||
          (irc_casecmp(map, c->name, new_nick) == 0 && strcmp(c->name, new_nick) != 0)) ||
        irc_channel_private_rename(c, new_nick) < 0)
        return;
    irc_look_nick_color(old_color, old, false);
    irc_look_nick_color(new_color, new_nick, false);
    text = irc_look_nick(old_color, old, new_color, new_nick);
    chat_print(c->buffer, m, "nick", extra, 2, PREFIX_NETWORK, text);
    free(text);
}

static void
recv_nick(struct irc_server *s, const struct irc_message *m)
{
    const char *new_nick = m->params[0];
    bool me = irc__is_me(s, m->nick);
    char extra[600], *text, old_color[IRC_LOOK_COLOR_MAX], new_color[IRC_LOOK_COLOR_MAX];
    struct irc_channel *new_pv;
    struct list *pos;

    /* An empty nick changes nothing (IRC_PROTOCOL_CALLBACK(nick)). */
    if (!new_nick[0])
        return;
    snprintf(extra, sizeof(extra), "irc_nick1_%s,irc_nick2_%s", m->nick ? m->nick : "", new_nick);
    if (me && m->user && m->host) {
        char *host = irc__source_host(m);
        irc__server_set_host(s, host);
        free(host);
    }
    new_pv = irc_channel_find(s, new_nick);
    if (me) {
        /* Our own change adds nothing to the hotlist (WeeChat sets "hotlist" "-"). */
        text = irc_look_nick_self(new_nick);
        core_hotlist_pause(s->irc->core);
        chat_print(s->buffer, m, "nick", extra, 2, PREFIX_NETWORK, text);
        core_hotlist_resume(s->irc->core);
        irc__server_registered_nick(s, new_nick);
    } else {
        /* The old nick in its colour, the new one in the colour of its new name. */
        irc_look_nick_color(old_color, m->nick, false);
        irc_look_nick_color(new_color, new_nick, false);
        text = irc_look_nick(old_color, m->nick ? m->nick : "", new_color, new_nick);
    }
    list_for_each (pos, &s->channels) {
        struct irc_channel *c = list_entry(pos, struct irc_channel, link);
        if (c->type != IRC_CHANNEL) {
            nick_private_follow(s, c, m, new_pv, new_nick, extra);
            continue;
        }
        if (!irc_channel_nick_find(c, m->nick ? m->nick : ""))
            continue;
        char tags[700];
        const char *filter = me ? NULL : chat_smart_filter(s, c, m->nick);
        snprintf(tags, sizeof(tags), "%s%s%s", filter ? filter : "", filter ? "," : "", extra);
        irc_channel_nick_rename(c, m->nick, new_nick);
        irc_channel_speaker_rename(c, m->nick, new_nick);
        if (me)
            core_hotlist_pause(s->irc->core);
        int64_t id = chat_print(c->buffer, m, "nick", tags, 2, PREFIX_NETWORK, text);
        if (me)
            core_hotlist_resume(s->irc->core);
        irc_channel_join_filtered_rename(c, m->nick, new_nick, id);
    }
    free(text);
    if (!me) {
        char *host = irc__source_host(m);
        private_nick_seen(s, new_nick, host);
        free(host);
    }
}

static void
recv_topic(struct irc_server *s, const struct irc_message *m)
{
    struct irc_channel *c = irc_channel_find(s, m->params[0]);
    const char *topic = m->n_params > 1 ? m->params[1] : "";
    char *line, color[IRC_LOOK_COLOR_MAX];

    if (!c)
        return;
    irc_channel_join_filtered_unmask(c, m->nick, timefmt_now_s());
    /* irc.look.display_old_topic: the old topic is shown when known. */
    irc__nick_color(s, m->nick, color);
    line = irc_look_topic(color, m->nick ? m->nick : "", m->params[0], c->topic, topic);
    core_buffer_set_title(c->buffer, topic);
    chat_print(c->buffer, m, "topic", NULL, 3, PREFIX_NETWORK, line);
    irc_channel_set_topic(c, topic);
    free(line);
}

/* 332: the topic on join. */
static void
recv_332(struct irc_server *s, const struct irc_message *m)
{
    struct irc_channel *c = irc_channel_find(s, m->params[1]);
    bool here = c && irc_channel_has_nicks(c);
    char *line = irc_look_topic_is(m->params[1], m->params[2]);

    /* The topic is kept only for a channel we are in; otherwise the server buffer says it. */
    if (here) {
        core_buffer_set_title(c->buffer, m->params[2]);
        irc_channel_set_topic(c, m->params[2]);
    }
    chat_print(here ? c->buffer : s->buffer, m, "332", NULL, 3, PREFIX_NETWORK, line);
    free(line);
}

/* The arguments of a MODE (params 2..), joined with spaces, or NULL. Caller frees. */
static char *
chat_mode_args(const struct irc_message *m)
{
    size_t len = 0, used = 0;
    char *out;

    if (m->n_params < 3)
        return NULL;
    for (size_t i = 2; i < m->n_params; i++)
        len += strlen(m->params[i]) + 1;
    out = xmalloc(len);
    for (size_t i = 2; i < m->n_params; i++)
        used += (size_t)snprintf(out + used, len - used, "%s%s", i > 2 ? " " : "", m->params[i]);
    return out;
}

/* A list mode's change (+b mask): the channel's list follows, the setter as WeeChat keeps it. */
static void
chat_mode_list(struct irc_channel *c, const struct irc_message *m, char mode, bool give,
               const char *mask)
{
    struct irc_modelist *l = irc_channel_modelist(c, mode);
    char setter[512];

    if (!l)
        return;
    if (!give) {
        irc_modelist_remove(l, mask);
        return;
    }
    snprintf(setter, sizeof(setter), "%s%s%s%s%s", m->nick ? m->nick : "", m->user ? "!" : "",
             m->user ? m->user : "", m->host ? "@" : "", m->host ? m->host : "");
    irc_modelist_add(l, mask, setter, timefmt_now_s());
}

/*
 * Applies a channel MODE to the nicklist (prefix modes) and says whether WeeChat's smart
 * filter hides its line (irc_mode_channel_set with irc.look.smart_filter_mode "+"): only
 * prefix modes, none given to or taken from us or a nick that spoke lately.
 */
static bool
chat_mode_nicks(struct irc_server *s, struct irc_channel *c, const struct irc_message *m)
{
    const struct irc_isupport *is = &s->isupport;
    size_t arg = 2;
    bool give = true, filter = true;

    for (const char *p = m->params[1]; *p; p++) {
        if (*p == '+' || *p == '-') {
            give = *p == '+';
            continue;
        }
        char type = irc_chanmodes_type(is, *p);
        bool has_arg = type == 'A' || type == 'B' || (type == 'C' && give);
        const char *target = has_arg && arg < m->n_params ? m->params[arg++] : NULL;
        bool prefix_mode = strchr(is->prefix_modes, *p) != NULL;
        if (!prefix_mode)
            filter = false;
        if (type == 'A' && target)
            chat_mode_list(c, m, *p, give, target);
        if (!prefix_mode || !target)
            continue;
        if (target[0] == ':')
            target++;
        struct irc_nick *n = irc_channel_nick_find(c, target);
        if (!n)
            continue;
        if (irc__is_me(s, n->name) || irc_channel_spoke_recently(c, n->name, timefmt_now_s()))
            filter = false;
        irc_channel_nick_mode(c, n->name, *p, give);
    }
    return filter;
}

/* MODE: a channel's (the nicklist follows prefix modes) or a user's. */
static void
recv_mode(struct irc_server *s, const struct irc_message *m)
{
    const struct irc_isupport *is = &s->isupport;
    struct irc_channel *c = irc_channel_find(s, m->params[0]);
    const char *modes = m->n_params > 1 ? m->params[1] : "";
    char *line, *args = chat_mode_args(m), color[IRC_LOOK_COLOR_MAX];
    bool filter = false;

    irc__nick_color(s, m->nick, color);
    if (!irc_isupport_is_channel(is, m->params[0])) {
        if (irc__is_me(s, m->params[0]) && m->n_params > 1)
            irc__server_set_usermodes(s, modes, false);
        line = irc_look_user_mode(modes, color, m->nick ? m->nick : "");
        chat_print(s->buffer, m, "mode", NULL, 3, PREFIX_NETWORK, line);
        free(line);
        free(args);
        return;
    }
    if (c && c->type == IRC_CHANNEL && m->n_params > 1) {
        char *kept = irc_chanmodes_apply(is, c->modes, modes, (const char *const *)m->params + 2,
                                         m->n_params - 2);
        irc_channel_set_modes(c, kept);
        free(kept);
        filter = chat_mode_nicks(s, c, m) && !irc__is_me(s, m->nick);
    }
    line = irc_look_mode(c ? c->name : m->params[0], modes, args, color, m->nick ? m->nick : "");
    chat_print(c ? c->buffer : s->buffer, m, "mode", filter ? "irc_smart_filter" : NULL, 3,
               PREFIX_NETWORK, line);
    free(line);
    free(args);
}

static const struct irc__handler chat_handlers[] = {
    { "332", recv_332, 3 },
    { "353", irc__recv_353, 3 },
    { "366", irc__recv_366, 2 },
    { "JOIN", recv_join, 1 },
    { "KICK", recv_kick, 2 },
    { "KILL", recv_kill, 1 },
    { "MODE", recv_mode, 1 },
    { "NICK", recv_nick, 1 },
    { "NOTICE", irc__recv_notice, 2 },
    { "PART", recv_part, 1 },
    { "PRIVMSG", irc__recv_privmsg, 2 },
    { "QUIT", recv_quit, 0 },
    { "TOPIC", recv_topic, 1 },
};

bool
irc__recv_chat(struct irc_server *s, const struct irc_message *m)
{
    /* Lines about others need a source. */
    if (!m->nick && strcmp(m->command, "332") && strcmp(m->command, "353") &&
        strcmp(m->command, "366") && strcmp(m->command, "NOTICE"))
        return false;
    return irc__dispatch(IRC__HANDLERS(chat_handlers), s, m);
}
