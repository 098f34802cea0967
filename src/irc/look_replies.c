/* SPDX-License-Identifier: MIT */
/* Texts of the server's answers and of WALLOPS, with WeeChat's colour codes, as its
 * irc-protocol.c callbacks print them with default options. */
#include "look_replies.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "look.h"

/* A few server lines at most, each at most 8 KiB. */
#define REPLIES_MAX (64 * 1024)

static bool
given(const char *text)
{
    return text && text[0];
}

/* "[N]" of the WHOIS replies. */
static void
add_nick_bracket(struct buf *b, const char *nick_color, const char *nick)
{
    irc_look_append(b, IRC_LOOK_DELIM, "[", nick_color, nick, IRC_LOOK_DELIM, "] ", NULL);
}

static char *
done(struct buf *b)
{
    return buf_steal(b, NULL);
}

char *
irc_look_nick_address(const char *nick_color, const char *nick, const char *address)
{
    struct buf b;

    buf_init(&b, REPLIES_MAX);
    buf_append_str(&b, "");
    if (nick && given(address) && strcmp(nick, address) != 0) {
        irc_look_append(&b, nick_color, nick, " ", IRC_LOOK_DELIM, "(", IRC_LOOK_HOST, NULL);
        irc_look_append_msg(&b, address);
        irc_look_append(&b, IRC_LOOK_DELIM, ")", IRC_LOOK_RESET, NULL);
    } else if (nick) {
        irc_look_append(&b, nick_color, nick, IRC_LOOK_RESET, NULL);
    }
    return done(&b);
}

char *
irc_look_snomask(const char *nick_color, const char *nick, const char *mask)
{
    struct buf b;

    buf_init(&b, REPLIES_MAX);
    irc_look_append(&b, "Server notice mask for ", nick_color, nick, IRC_LOOK_RESET, ": ", NULL);
    irc_look_append_msg(&b, mask);
    return done(&b);
}

char *
irc_look_users_online(const char *nicks)
{
    struct buf b;

    buf_init(&b, REPLIES_MAX);
    irc_look_append(&b, "Users online: ", IRC_LOOK_NICK, nicks, NULL);
    return done(&b);
}

char *
irc_look_whois_host(const char *nick_color, const char *nick, const char *host, const char *ip,
                    const char *realname)
{
    struct buf b;

    buf_init(&b, REPLIES_MAX);
    add_nick_bracket(&b, nick_color, nick);
    buf_append_str(&b, IRC_LOOK_HOST);
    irc_look_append_msg(&b, host);
    buf_append_str(&b, " ");
    irc_look_append_msg(&b, ip);
    if (given(realname)) {
        irc_look_append(&b, " ", IRC_LOOK_DELIM, "(", IRC_LOOK_RESET, NULL);
        irc_look_append_msg(&b, realname);
        irc_look_append(&b, IRC_LOOK_DELIM, ")", NULL);
    }
    return done(&b);
}

char *
irc_look_whois_gateway(const char *nick_color, const char *nick, const char *hostmask,
                       const char *ip, const char *text)
{
    struct buf b;

    buf_init(&b, REPLIES_MAX);
    add_nick_bracket(&b, nick_color, nick);
    if (hostmask || ip) {
        irc_look_append(&b, IRC_LOOK_DELIM, "(", IRC_LOOK_HOST, hostmask ? hostmask : "", NULL);
        if (hostmask && ip)
            irc_look_append(&b, IRC_LOOK_DELIM, ", ", IRC_LOOK_HOST, NULL);
        irc_look_append(&b, ip ? ip : "", IRC_LOOK_DELIM, ") ", NULL);
    }
    buf_append_str(&b, IRC_LOOK_RESET);
    irc_look_append_msg(&b, text);
    return done(&b);
}

char *
irc_look_reop(const char *channel, const char *host)
{
    struct buf b;

    buf_init(&b, REPLIES_MAX);
    irc_look_append(&b, "Channel reop ", IRC_LOOK_CHANNEL, channel, IRC_LOOK_RESET, ": ",
                    IRC_LOOK_HOST, host, NULL);
    return done(&b);
}

char *
irc_look_channel_says(const char *channel, const char *text)
{
    struct buf b;

    buf_init(&b, REPLIES_MAX);
    irc_look_append(&b, IRC_LOOK_CHANNEL, channel, IRC_LOOK_RESET, ": ", NULL);
    irc_look_append_msg(&b, text);
    return done(&b);
}

char *
irc_look_version(const char *version, const char *server, const char *comments)
{
    struct buf b;

    buf_init(&b, REPLIES_MAX);
    irc_look_append(&b, version, " ", server, NULL);
    if (given(comments)) {
        buf_append_str(&b, " (");
        irc_look_append_msg(&b, comments);
        buf_append_str(&b, ")");
    }
    return done(&b);
}

char *
irc_look_nick_refused(const char *nick, const char *new_nick, const char *text)
{
    struct buf b;

    buf_init(&b, REPLIES_MAX);
    if (text) {
        irc_look_append_msg(&b, text);
        irc_look_append(&b, " (", nick, " => ", new_nick, ")", NULL);
    } else {
        irc_look_append(&b, nick, " ", new_nick, NULL);
    }
    return done(&b);
}

char *
irc_look_knock(const char *nick_address, const char *message)
{
    struct buf b;

    buf_init(&b, REPLIES_MAX);
    irc_look_append(&b, given(nick_address) ? nick_address : "?", " ", NULL);
    if (given(message))
        irc_look_append_msg(&b, message);
    else
        buf_append_str(&b, "has asked for an invite");
    return done(&b);
}

char *
irc_look_wallops(const char *nick_address, const char *text)
{
    struct buf b;

    buf_init(&b, REPLIES_MAX);
    irc_look_append(&b, "Wallops from ", given(nick_address) ? nick_address : "?", ": ", NULL);
    irc_look_append_msg(&b, text);
    return done(&b);
}

char *
irc_look_mode_reason(const char *mode, const char *text)
{
    struct buf b;

    buf_init(&b, REPLIES_MAX);
    buf_append_str(&b, mode);
    if (given(text)) {
        buf_append_str(&b, ": ");
        irc_look_append_msg(&b, text);
    }
    return done(&b);
}

char *
irc_look_list_start(const char *first, const char *rest)
{
    struct buf b;

    buf_init(&b, REPLIES_MAX);
    buf_append_str(&b, first);
    if (given(rest)) {
        buf_append_str(&b, " ");
        irc_look_append_msg(&b, rest);
    }
    return done(&b);
}

char *
irc_look_list_item(const char *channel, const char *users, const char *topic)
{
    struct buf b;

    buf_init(&b, REPLIES_MAX);
    irc_look_append(&b, IRC_LOOK_CHANNEL, channel, IRC_LOOK_DELIM, "(", IRC_LOOK_RESET, users,
                    IRC_LOOK_DELIM, ")", IRC_LOOK_RESET, NULL);
    if (given(topic)) {
        buf_append_str(&b, ": ");
        irc_look_append_msg(&b, topic);
    }
    return done(&b);
}
