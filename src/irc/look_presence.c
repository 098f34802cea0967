/* SPDX-License-Identifier: MIT */
/* Presence texts with WeeChat's colour codes, as its account, chghost, setname, invite and
 * notify callbacks print them with default options. */
#include "look_presence.h"

#include "base/buf.h"
#include "look.h"

/* A few server lines at most, each at most 8 KiB. */
#define LOOK_PRESENCE_MAX (64 * 1024)

char *
irc_look_account(const char *nick_color, const char *nick, const char *account_color,
                 const char *account)
{
    struct buf b;

    buf_init(&b, LOOK_PRESENCE_MAX);
    buf_printf(&b, "%s%s" IRC_LOOK_MESSAGE_ACCOUNT, nick_color, nick);
    if (account) {
        buf_printf(&b, " has identified as %s", account_color);
        irc_look_append_msg(&b, account);
    } else {
        buf_append_str(&b, " has unidentified");
    }
    return buf_steal(&b, NULL);
}

char *
irc_look_chghost(const char *nick_color, const char *nick, const char *old_host,
                 const char *new_host)
{
    struct buf b;

    buf_init(&b, LOOK_PRESENCE_MAX);
    buf_printf(&b, "%s%s" IRC_LOOK_DELIM " (" IRC_LOOK_HOST, nick_color, nick);
    irc_look_append_msg(&b, old_host);
    buf_append_str(&b, IRC_LOOK_DELIM ")" IRC_LOOK_MESSAGE_CHGHOST
                                      " has changed host to " IRC_LOOK_HOST);
    irc_look_append_msg(&b, new_host);
    return buf_steal(&b, NULL);
}

char *
irc_look_setname(const char *nick_color, const char *nick, const char *realname)
{
    struct buf b;

    buf_init(&b, LOOK_PRESENCE_MAX);
    if (nick)
        buf_printf(&b, "%s%s" IRC_LOOK_MESSAGE_SETNAME " has changed real name to ", nick_color,
                   nick);
    else
        buf_append_str(&b, IRC_LOOK_MESSAGE_SETNAME "Your real name has been set to ");
    buf_append_str(&b, IRC_LOOK_DELIM "\"" IRC_LOOK_RESET);
    irc_look_append_msg(&b, realname);
    buf_append_str(&b, IRC_LOOK_DELIM "\"" IRC_LOOK_RESET);
    return buf_steal(&b, NULL);
}

char *
irc_look_invited(const char *channel, const char *nick_color, const char *nick)
{
    struct buf b;

    buf_init(&b, LOOK_PRESENCE_MAX);
    buf_printf(&b,
               "You have been invited to " IRC_LOOK_CHANNEL "%s" IRC_LOOK_RESET
               " by %s%s" IRC_LOOK_RESET,
               channel, nick_color, nick);
    return buf_steal(&b, NULL);
}

char *
irc_look_invite(const char *nick_color, const char *nick, const char *target_color,
                const char *target, const char *channel)
{
    struct buf b;

    buf_init(&b, LOOK_PRESENCE_MAX);
    buf_printf(&b,
               "%s%s" IRC_LOOK_RESET " has invited %s%s" IRC_LOOK_RESET " to " IRC_LOOK_CHANNEL
               "%s" IRC_LOOK_RESET,
               nick_color, nick, target_color, target, channel);
    return buf_steal(&b, NULL);
}

char *
irc_look_notify(const char *nick_color, const char *nick, const char *host, bool online, bool first)
{
    const char *what =
        first ? (online ? "is connected" : "is offline") : (online ? "has connected" : "has quit");
    struct buf b;

    buf_init(&b, LOOK_PRESENCE_MAX);
    buf_printf(&b, "notify: %s%s", nick_color, nick);
    if (host && host[0])
        buf_printf(&b, IRC_LOOK_DELIM " (" IRC_LOOK_HOST "%s" IRC_LOOK_DELIM ")", host);
    buf_printf(&b, "%s %s", online ? IRC_LOOK_MESSAGE_JOIN : IRC_LOOK_MESSAGE_QUIT, what);
    return buf_steal(&b, NULL);
}

char *
irc_look_whox(const char *channel, const char *nick_color, const char *nick, const char *account,
              const char *user, const char *host, const char *status, const char *hopcount,
              const char *realname)
{
    struct buf b;

    buf_init(&b, LOOK_PRESENCE_MAX);
    buf_printf(&b,
               IRC_LOOK_DELIM "[" IRC_LOOK_CHANNEL "%s" IRC_LOOK_DELIM "] %s%s " IRC_LOOK_DELIM
                              "[" IRC_LOOK_HOST,
               channel, nick_color, nick);
    irc_look_append_msg(&b, account);
    buf_append_str(&b, IRC_LOOK_DELIM "] (" IRC_LOOK_HOST);
    irc_look_append_msg(&b, user);
    buf_append_str(&b, "@");
    irc_look_append_msg(&b, host);
    buf_printf(&b, IRC_LOOK_DELIM ")" IRC_LOOK_RESET " %s %s " IRC_LOOK_DELIM "(" IRC_LOOK_RESET,
               status, hopcount);
    irc_look_append_msg(&b, realname);
    buf_append_str(&b, IRC_LOOK_DELIM ")");
    return buf_steal(&b, NULL);
}
