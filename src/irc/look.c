/* SPDX-License-Identifier: MIT */
/* Message texts with WeeChat's colour codes, as the irc plugin's callbacks (irc-protocol.c)
 * print them with default options. */
#include "look.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/xalloc.h"
#include "core/color.h"

/* Bounds a built text: a few server lines, each at most 8 KiB. */
#define LOOK_MAX (64 * 1024)

void
irc_look_append(struct buf *b, ...)
{
    va_list ap;
    const char *s;

    va_start(ap, b);
    while ((s = va_arg(ap, const char *)) != NULL)
        buf_append_str(b, s);
    va_end(ap);
}

void
irc_look_append_msg(struct buf *b, const char *text)
{
    char *decoded = core_color_from_irc(text ? text : "");

    buf_append_str(b, decoded);
    free(decoded);
}

static char *
look_done(struct buf *b)
{
    return buf_steal(b, NULL);
}

void
irc_look_nick_color(char out[IRC_LOOK_COLOR_MAX], const char *nick, bool self)
{
    char *code;

    if (self) {
        snprintf(out, IRC_LOOK_COLOR_MAX, "%s", IRC_LOOK_NICK_SELF);
        return;
    }
    code = core_color_name_render(core_color_for_nick(nick ? nick : ""), CORE_COLOR_WEECHAT);
    snprintf(out, IRC_LOOK_COLOR_MAX, "%s", code);
    free(code);
}

/* "N (H)" of join, part and quit: irc.look.display_host_* are on by default. */
static void
look_nick_host(struct buf *b, const char *nick_color, const char *nick, const char *host)
{
    irc_look_append(b, nick_color, nick, IRC_LOOK_DELIM, " (", IRC_LOOK_HOST, NULL);
    irc_look_append_msg(b, host);
    irc_look_append(b, IRC_LOOK_DELIM, ")", NULL);
}

/* " [account]" and " (Real Name)" of an extended JOIN (irc.look.display_extended_join). */
static void
look_extended(struct buf *b, const char *open, const char *text, const char *close)
{
    if (!text)
        return;
    irc_look_append(b, IRC_LOOK_DELIM, open, IRC_LOOK_HOST, NULL);
    irc_look_append_msg(b, text);
    irc_look_append(b, IRC_LOOK_DELIM, close, NULL);
}

char *
irc_look_join(const char *nick_color, const char *nick, const char *account, const char *realname,
              const char *host, const char *channel)
{
    struct buf b;

    buf_init(&b, LOOK_MAX);
    irc_look_append(&b, nick_color, nick, NULL);
    look_extended(&b, " [", account, "]");
    look_extended(&b, " (", realname, ")");
    irc_look_append(&b, IRC_LOOK_DELIM, " (", IRC_LOOK_HOST, NULL);
    irc_look_append_msg(&b, host);
    irc_look_append(&b, IRC_LOOK_DELIM, ")", NULL);
    irc_look_append(&b, IRC_LOOK_MESSAGE_JOIN, " has joined ", IRC_LOOK_CHANNEL, channel,
                    IRC_LOOK_MESSAGE_JOIN, NULL);
    return look_done(&b);
}

/* " (reason)" of part and quit, in reason_quit. */
static void
look_reason(struct buf *b, const char *reason_color, const char *reason)
{
    irc_look_append(b, " ", IRC_LOOK_DELIM, "(", reason_color, NULL);
    irc_look_append_msg(b, reason);
    irc_look_append(b, IRC_LOOK_DELIM, ")", NULL);
}

char *
irc_look_part(const char *nick_color, const char *nick, const char *host, const char *channel,
              const char *reason)
{
    struct buf b;

    buf_init(&b, LOOK_MAX);
    look_nick_host(&b, nick_color, nick, host);
    irc_look_append(&b, IRC_LOOK_MESSAGE_QUIT, " has left ", IRC_LOOK_CHANNEL, channel,
                    IRC_LOOK_MESSAGE_QUIT, NULL);
    if (reason && reason[0])
        look_reason(&b, IRC_LOOK_REASON_QUIT, reason);
    return look_done(&b);
}

char *
irc_look_quit(const char *nick_color, const char *nick, const char *host, const char *reason)
{
    struct buf b;

    buf_init(&b, LOOK_MAX);
    look_nick_host(&b, nick_color, nick, host);
    irc_look_append(&b, IRC_LOOK_MESSAGE_QUIT, " has quit", NULL);
    if (reason && reason[0])
        look_reason(&b, IRC_LOOK_REASON_QUIT, reason);
    return look_done(&b);
}

char *
irc_look_kick(const char *nick_color, const char *nick, const char *victim_color,
              const char *victim, const char *reason)
{
    struct buf b;

    buf_init(&b, LOOK_MAX);
    irc_look_append(&b, nick_color, nick, IRC_LOOK_MESSAGE_KICK, " has kicked ", victim_color,
                    victim, IRC_LOOK_MESSAGE_KICK, NULL);
    if (reason)
        look_reason(&b, IRC_LOOK_REASON_KICK, reason);
    return look_done(&b);
}

char *
irc_look_kill(const char *nick_color, const char *nick, const char *reason)
{
    struct buf b;

    buf_init(&b, LOOK_MAX);
    irc_look_append(&b, IRC_LOOK_MESSAGE_KICK, "You were killed by ", nick_color, nick,
                    IRC_LOOK_MESSAGE_KICK, NULL);
    if (reason)
        look_reason(&b, IRC_LOOK_REASON_KICK, reason);
    return look_done(&b);
}

char *
irc_look_nick(const char *old_color, const char *old_nick, const char *new_color,
              const char *new_nick)
{
    struct buf b;

    buf_init(&b, LOOK_MAX);
    irc_look_append(&b, old_color, old_nick, IRC_LOOK_RESET, " is now known as ", new_color,
                    new_nick, IRC_LOOK_RESET, NULL);
    return look_done(&b);
}

char *
irc_look_nick_back(const char *nick_color, const char *nick, const char *host)
{
    struct buf b;

    buf_init(&b, LOOK_MAX);
    irc_look_append(&b, nick_color, nick, " ", IRC_LOOK_DELIM, "(", IRC_LOOK_HOST, NULL);
    if (host)
        irc_look_append_msg(&b, host);
    irc_look_append(&b, IRC_LOOK_DELIM, ")", IRC_LOOK_MESSAGE_JOIN, " is back on server", NULL);
    return look_done(&b);
}

char *
irc_look_nick_self(const char *new_nick)
{
    struct buf b;

    buf_init(&b, LOOK_MAX);
    irc_look_append(&b, "You are now known as ", IRC_LOOK_NICK_SELF, new_nick, IRC_LOOK_RESET,
                    NULL);
    return look_done(&b);
}

/* irc_mode_get_arguments_colors: " arg" for each argument (a leading ':' dropped), each
 * followed by a reset. */
static void
look_mode_args(struct buf *b, const char *args)
{
    for (const char *p = args; p && *p;) {
        p += strspn(p, " ");
        size_t len = strcspn(p, " ");
        if (!len)
            break;
        const char *w = p[0] == ':' ? p + 1 : p;
        char *word = xstrndup(w, len - (size_t)(w - p));
        buf_append_str(b, " ");
        irc_look_append_msg(b, word);
        buf_append_str(b, IRC_LOOK_RESET);
        free(word);
        p += len;
    }
}

char *
irc_look_mode(const char *channel, const char *modes, const char *args, const char *nick_color,
              const char *nick)
{
    struct buf b;

    buf_init(&b, LOOK_MAX);
    irc_look_append(&b, "Mode ", IRC_LOOK_CHANNEL, channel, " ", IRC_LOOK_DELIM, "[",
                    IRC_LOOK_RESET, modes, NULL);
    look_mode_args(&b, args);
    irc_look_append(&b, IRC_LOOK_DELIM, "]", IRC_LOOK_RESET, " by ", nick_color, nick, NULL);
    return look_done(&b);
}

char *
irc_look_user_mode(const char *modes, const char *nick_color, const char *nick)
{
    struct buf b;

    buf_init(&b, LOOK_MAX);
    irc_look_append(&b, "User mode ", IRC_LOOK_DELIM, "[", IRC_LOOK_RESET, modes, IRC_LOOK_DELIM,
                    "]", IRC_LOOK_RESET, " by ", nick_color, nick, NULL);
    return look_done(&b);
}

/* "\"text\"" in a topic colour, then a reset. */
static void
look_quoted(struct buf *b, const char *color, const char *text)
{
    irc_look_append(b, "\"", color, NULL);
    irc_look_append_msg(b, text);
    irc_look_append(b, IRC_LOOK_RESET, "\"", NULL);
}

char *
irc_look_topic(const char *nick_color, const char *nick, const char *channel, const char *old_topic,
               const char *new_topic)
{
    bool has_old = old_topic && old_topic[0];
    struct buf b;

    buf_init(&b, LOOK_MAX);
    irc_look_append(&b, nick_color, nick, IRC_LOOK_RESET, NULL);
    if (new_topic && new_topic[0]) {
        irc_look_append(&b, " has changed topic for ", IRC_LOOK_CHANNEL, channel, IRC_LOOK_RESET,
                        NULL);
        if (has_old) {
            buf_append_str(&b, " from ");
            look_quoted(&b, IRC_LOOK_TOPIC_OLD, old_topic);
        }
        buf_append_str(&b, " to ");
        look_quoted(&b, IRC_LOOK_TOPIC_NEW, new_topic);
    } else {
        irc_look_append(&b, " has unset topic for ", IRC_LOOK_CHANNEL, channel, IRC_LOOK_RESET,
                        NULL);
        if (has_old) {
            buf_append_str(&b, " (old topic: ");
            look_quoted(&b, IRC_LOOK_TOPIC_OLD, old_topic);
            buf_append_str(&b, ")");
        }
    }
    return look_done(&b);
}

char *
irc_look_topic_is(const char *channel, const char *topic)
{
    struct buf b;

    buf_init(&b, LOOK_MAX);
    irc_look_append(&b, "Topic for ", IRC_LOOK_CHANNEL, channel, IRC_LOOK_RESET, " is ", NULL);
    look_quoted(&b, IRC_LOOK_TOPIC_CURRENT, topic);
    return look_done(&b);
}

char *
irc_look_topic_set_by(const char *channel, const char *nick_color, const char *nick,
                      const char *address, const char *date)
{
    bool has_address = address && address[0];
    struct buf b;

    buf_init(&b, LOOK_MAX);
    if (channel)
        irc_look_append(&b, "Topic for ", IRC_LOOK_CHANNEL, channel, IRC_LOOK_RESET, " set", NULL);
    else
        buf_append_str(&b, "Topic set");
    if (nick) {
        irc_look_append(&b, " by ", nick_color, nick, IRC_LOOK_DELIM, has_address ? " (" : "",
                        IRC_LOOK_HOST, NULL);
        irc_look_append_msg(&b, address);
        irc_look_append(&b, IRC_LOOK_DELIM, has_address ? ")" : "", IRC_LOOK_RESET, NULL);
    }
    irc_look_append(&b, " on ", date, NULL);
    return look_done(&b);
}

char *
irc_look_url(const char *channel, const char *url)
{
    struct buf b;

    buf_init(&b, LOOK_MAX);
    irc_look_append(&b, "URL for ", IRC_LOOK_CHANNEL, channel, IRC_LOOK_RESET, ": ", NULL);
    irc_look_append_msg(&b, url);
    return look_done(&b);
}

char *
irc_look_no_topic(const char *channel)
{
    struct buf b;

    buf_init(&b, LOOK_MAX);
    irc_look_append(&b, "No topic set for channel ", IRC_LOOK_CHANNEL, channel, NULL);
    return look_done(&b);
}

/* "[N]" of WHOIS lines, in delimiters. */
static void
look_bracket(struct buf *b, const char *color, const char *name)
{
    irc_look_append(b, IRC_LOOK_DELIM, "[", color, name, IRC_LOOK_DELIM, "]", NULL);
}

char *
irc_look_who(const char *channel, const char *nick_color, const char *nick, const char *user,
             const char *host, const char *status, const char *hopcount, const char *realname)
{
    struct buf b;

    buf_init(&b, LOOK_MAX);
    look_bracket(&b, IRC_LOOK_CHANNEL, channel);
    irc_look_append(&b, " ", nick_color, nick, " ", IRC_LOOK_DELIM, "(", IRC_LOOK_HOST, NULL);
    irc_look_append_msg(&b, user);
    buf_append_str(&b, "@");
    irc_look_append_msg(&b, host);
    irc_look_append(&b, IRC_LOOK_DELIM, ")", IRC_LOOK_RESET, " ", status ? status : "",
                    status ? " " : "", hopcount ? hopcount : "", hopcount ? " " : "",
                    IRC_LOOK_DELIM, "(", IRC_LOOK_RESET, NULL);
    irc_look_append_msg(&b, realname);
    irc_look_append(&b, IRC_LOOK_DELIM, ")", NULL);
    return look_done(&b);
}

char *
irc_look_modelist_item(const char *channel, int number, const char *mask, const char *verb,
                       const char *setter_color, const char *setter, const char *setter_address,
                       const char *date)
{
    bool has_address = setter_address && setter_address[0] && strcmp(setter_address, setter);
    char n[16];
    struct buf b;

    buf_init(&b, LOOK_MAX);
    snprintf(n, sizeof(n), "%d", number);
    look_bracket(&b, IRC_LOOK_CHANNEL, channel);
    if (!verb) {
        if (number)
            irc_look_append(&b, " ", IRC_LOOK_DELIM, "[", IRC_LOOK_RESET, n, IRC_LOOK_DELIM, "]",
                            NULL);
        irc_look_append(&b, IRC_LOOK_RESET, " exception ", NULL);
    } else {
        buf_append_str(&b, " ");
        if (number)
            irc_look_append(&b, IRC_LOOK_DELIM, "[", IRC_LOOK_RESET, n, IRC_LOOK_DELIM, "] ", NULL);
    }
    irc_look_append(&b, IRC_LOOK_HOST, NULL);
    irc_look_append_msg(&b, mask);
    irc_look_append(&b, IRC_LOOK_RESET, verb ? " " : "", verb ? verb : "", NULL);
    if (!setter)
        return look_done(&b);
    buf_append_str(&b, " by ");
    if (!setter[0]) {
        buf_append_str(&b, "?");
    } else {
        irc_look_append(&b, setter_color, setter, NULL);
        if (has_address) {
            irc_look_append(&b, " ", IRC_LOOK_DELIM, "(", IRC_LOOK_HOST, NULL);
            irc_look_append_msg(&b, setter_address);
            irc_look_append(&b, IRC_LOOK_DELIM, ")", NULL);
        }
        buf_append_str(&b, IRC_LOOK_RESET);
    }
    if (date)
        irc_look_append(&b, " on ", date, NULL);
    return look_done(&b);
}

char *
irc_look_who_end(const char *channel, const char *text)
{
    struct buf b;

    buf_init(&b, LOOK_MAX);
    look_bracket(&b, IRC_LOOK_CHANNEL, channel);
    irc_look_append(&b, IRC_LOOK_RESET, " ", NULL);
    irc_look_append_msg(&b, text);
    return look_done(&b);
}

char *
irc_look_whois_text(const char *nick_color, const char *nick, const char *text, const char *extra)
{
    struct buf b;

    buf_init(&b, LOOK_MAX);
    look_bracket(&b, nick_color, nick);
    irc_look_append(&b, " ", IRC_LOOK_RESET, NULL);
    irc_look_append_msg(&b, text);
    if (extra) {
        buf_append_str(&b, " (");
        irc_look_append_msg(&b, extra);
        buf_append_str(&b, ")");
    }
    return look_done(&b);
}

char *
irc_look_away(const char *nick_color, const char *nick, const char *message)
{
    struct buf b;

    buf_init(&b, LOOK_MAX);
    look_bracket(&b, nick_color, nick);
    irc_look_append(&b, IRC_LOOK_RESET, " is away: ", NULL);
    irc_look_append_msg(&b, message);
    return look_done(&b);
}

char *
irc_look_away_info(const char *nick, const char *what, const char *text)
{
    struct buf b;

    buf_init(&b, LOOK_MAX);
    irc_look_append(&b, IRC_LOOK_DELIM, "[", IRC_LOOK_NICK_SELF, nick, IRC_LOOK_RESET, " ", what,
                    ": ", text, IRC_LOOK_DELIM, "]", NULL);
    return look_done(&b);
}

char *
irc_look_whois_user(const char *nick_color, const char *nick, const char *user, const char *host,
                    const char *realname, bool whowas)
{
    struct buf b;

    buf_init(&b, LOOK_MAX);
    look_bracket(&b, nick_color, nick);
    irc_look_append(&b, " (", IRC_LOOK_HOST, NULL);
    irc_look_append_msg(&b, user);
    buf_append_str(&b, "@");
    irc_look_append_msg(&b, host);
    irc_look_append(&b, IRC_LOOK_DELIM, ")", IRC_LOOK_RESET, whowas ? " was " : ": ", NULL);
    irc_look_append_msg(&b, realname);
    return look_done(&b);
}

char *
irc_look_error(const char *target_color, const char *target, const char *text)
{
    struct buf b;

    buf_init(&b, LOOK_MAX);
    if (target)
        irc_look_append(&b, target_color, target, IRC_LOOK_RESET, ": ", NULL);
    irc_look_append_msg(&b, text);
    return look_done(&b);
}
