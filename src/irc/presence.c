/* SPDX-License-Identifier: MIT */
/*
 * What others' presence changes do to channels, private buffers and nicklists, as WeeChat's
 * irc plugin does it: AWAY (away-notify) colours the nick in the nicklist, ACCOUNT
 * (account-notify), CHGHOST and SETNAME are said in every channel holding the nick and in
 * its private buffer and kept in the nick, INVITE is said in the server buffer. WHO
 * replies (who.c) and MONITOR numerics (monitor.c) come through here too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/timefmt.h"
#include "base/xalloc.h"
#include "channel.h"
#include "core/core.h"
#include "internal.h"
#include "look.h"
#include "look_presence.h"
#include "message.h"

static bool
presence_is_me(const struct irc_server *s, const char *nick)
{
    return nick && s->nick && irc_casecmp(s->isupport.casemapping, nick, s->nick) == 0;
}

/* irc_nick_color_for_msg: chat_nick_self for us, else the hashed colour of the name. */
static void
presence_color(const struct irc_server *s, const char *nick, char out[IRC_LOOK_COLOR_MAX])
{
    irc_look_nick_color(out, nick, presence_is_me(s, nick));
}

/* "user@host" of the message's source ("" when it has none); caller frees. */
static char *
presence_address(const struct irc_message *m)
{
    size_t len;
    char *out;

    if (!m->user && !m->host)
        return xstrdup("");
    len = strlen(m->user ? m->user : "") + strlen(m->host ? m->host : "") + 2;
    out = xmalloc(len);
    snprintf(out, len, "%s@%s", m->user ? m->user : "", m->host ? m->host : "");
    return out;
}

/* The private buffer of the message's source, when one is open. */
static bool
presence_is_pv_of(const struct irc_server *s, const struct irc_channel *c, const char *nick)
{
    return c->type == IRC_PRIVATE && irc_casecmp(s->isupport.casemapping, c->name, nick) == 0;
}

/* irc_smart_filter for a channel line about a nick other than us that has not spoken there
 * lately (irc.look.smart_filter_account, _chghost and _setname are on by default). */
static bool
presence_filtered(struct irc_server *s, struct irc_channel *c, const char *nick)
{
    return c->type == IRC_CHANNEL && !presence_is_me(s, nick) &&
           !irc_channel_spoke_recently(c, nick, timefmt_now_s());
}

/* A line about the message's source: irc_<command>, extra tags, nick_, host_, log3. */
static void
presence_print(struct core_buffer *b, const struct irc_message *m, const char *extra,
               const char *text)
{
    char *address = presence_address(m);
    char *command = xstrdup(m->command);
    char *tags;

    for (char *p = command; *p; p++)
        *p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
    tags = irc__tags(m, command, extra, m->nick, address, 3);
    irc__print_line(b, m, IRC_LOOK_PREFIX_NETWORK, tags, text);
    free(tags);
    free(command);
    free(address);
}

/* AWAY (away-notify): "AWAY :message" is away, "AWAY" is back; nothing is printed. */
static void
presence_away(struct irc_server *s, const struct irc_message *m)
{
    struct list *pos;

    list_for_each (pos, &s->channels) {
        struct irc_channel *c = list_entry(pos, struct irc_channel, link);
        struct irc_nick *n = c->type == IRC_CHANNEL ? irc_channel_nick_find(c, m->nick) : NULL;
        if (n)
            irc_channel_nick_set_away(c, n, m->n_params > 0);
    }
}

/* ACCOUNT (account-notify): "ACCOUNT name" logged in, "ACCOUNT *" logged out. */
static void
presence_account(struct irc_server *s, const struct irc_message *m)
{
    const char *account = strcmp(m->params[0], "*") != 0 ? m->params[0] : NULL;
    bool keep = irc__cap_enabled(s, "account-notify");
    char color[IRC_LOOK_COLOR_MAX], account_color[IRC_LOOK_COLOR_MAX];
    char *text;
    struct list *pos;

    presence_color(s, m->nick, color);
    presence_color(s, account ? account : "", account_color);
    text = irc_look_account(color, m->nick, account_color, account);
    list_for_each (pos, &s->channels) {
        struct irc_channel *c = list_entry(pos, struct irc_channel, link);
        struct irc_nick *n = c->type == IRC_CHANNEL ? irc_channel_nick_find(c, m->nick) : NULL;
        if (presence_is_pv_of(s, c, m->nick)) {
            presence_print(c->buffer, m, NULL, text);
        } else if (n) {
            presence_print(c->buffer, m,
                           presence_filtered(s, c, m->nick) ? "irc_smart_filter" : NULL, text);
            irc_channel_nick_set_text(&n->account, keep ? account : NULL);
        }
    }
    free(text);
}

/* CHGHOST (chghost): "CHGHOST newuser newhost". */
static void
presence_chghost(struct irc_server *s, const struct irc_message *m)
{
    size_t len = strlen(m->params[0]) + strlen(m->params[1]) + 2;
    char *host = xmalloc(len), *old = presence_address(m), *text, *extra;
    char color[IRC_LOOK_COLOR_MAX];
    struct list *pos;

    snprintf(host, len, "%s@%s", m->params[0], m->params[1]);
    if (presence_is_me(s, m->nick))
        irc__server_set_host(s, host);
    presence_color(s, m->nick, color);
    text = irc_look_chghost(color, m->nick, old, host);
    extra = xmalloc(len + 64);
    list_for_each (pos, &s->channels) {
        struct irc_channel *c = list_entry(pos, struct irc_channel, link);
        struct irc_nick *n = c->type == IRC_CHANNEL ? irc_channel_nick_find(c, m->nick) : NULL;
        if (!n && !presence_is_pv_of(s, c, m->nick))
            continue;
        snprintf(extra, len + 64, "new_host_%s%s", host,
                 n && presence_filtered(s, c, m->nick) ? ",irc_smart_filter" : "");
        presence_print(c->buffer, m, extra, text);
        if (n)
            irc_channel_nick_set_text(&n->host, host);
    }
    free(extra);
    free(text);
    free(old);
    free(host);
}

/* SETNAME (setname): "SETNAME :new real name"; ours is said in the server buffer. */
static void
presence_setname(struct irc_server *s, const struct irc_message *m)
{
    char *realname = irc_message_params_join(m, 0), *text;
    bool me = presence_is_me(s, m->nick), keep = irc__cap_enabled(s, "setname");
    char color[IRC_LOOK_COLOR_MAX];
    struct list *pos;

    presence_color(s, m->nick, color);
    text = irc_look_setname(color, me ? NULL : m->nick, realname);
    list_for_each (pos, &s->channels) {
        struct irc_channel *c = list_entry(pos, struct irc_channel, link);
        struct irc_nick *n = c->type == IRC_CHANNEL ? irc_channel_nick_find(c, m->nick) : NULL;
        if (!me && presence_is_pv_of(s, c, m->nick))
            presence_print(c->buffer, m, NULL, text);
        if (!n)
            continue;
        if (!me)
            presence_print(c->buffer, m,
                           presence_filtered(s, c, m->nick) ? "irc_smart_filter" : NULL, text);
        if (keep)
            irc_channel_nick_set_text(&n->realname, realname);
    }
    if (me)
        presence_print(s->buffer, m, NULL, text);
    free(text);
    free(realname);
}

/* INVITE: to us (a highlight), or with invite-notify someone else's, in the server buffer. */
static void
presence_invite(struct irc_server *s, const struct irc_message *m)
{
    char color[IRC_LOOK_COLOR_MAX], target_color[IRC_LOOK_COLOR_MAX];
    char *text;
    bool to_me = presence_is_me(s, m->params[0]);

    presence_color(s, m->nick, color);
    if (to_me) {
        text = irc_look_invited(m->params[1], color, m->nick);
    } else {
        presence_color(s, m->params[0], target_color);
        text = irc_look_invite(color, m->nick, target_color, m->params[0], m->params[1]);
    }
    presence_print(s->buffer, m, to_me ? "notify_highlight" : NULL, text);
    free(text);
}

static const struct irc__handler presence_handlers[] = {
    { "ACCOUNT", presence_account, 1 }, { "AWAY", presence_away, 0 },
    { "CHGHOST", presence_chghost, 2 }, { "INVITE", presence_invite, 2 },
    { "SETNAME", presence_setname, 1 },
};

bool
irc__recv_presence(struct irc_server *s, const struct irc_message *m)
{
    /* Each is about the nick that sent it (IRC_PROTOCOL_CHECK_NICK). */
    if (irc__handler_find(IRC__HANDLERS(presence_handlers), m->command))
        return m->nick && irc__dispatch(IRC__HANDLERS(presence_handlers), s, m);
    return irc__recv_who(s, m) || irc__recv_monitor(s, m);
}
