/* SPDX-License-Identifier: MIT */
/* Actions, notices, messages with their target and CTCP lines, with WeeChat's colour codes,
 * as its irc-protocol.c, irc-ctcp.c and irc-input.c print them with default options. */
#include "look_chat.h"

#include <stdio.h>
#include <stdlib.h>

#include "base/buf.h"
#include "look.h"
#include "look_replies.h"

/* One line of text from IRC at most, and its colours. */
#define CHAT_MAX (64 * 1024)

static struct buf
chat_start(void)
{
    struct buf b;

    buf_init(&b, CHAT_MAX);
    buf_append_str(&b, "");
    return b;
}

static char *
chat_done(struct buf *b)
{
    return buf_steal(b, NULL);
}

char *
irc_look_text(const char *text)
{
    return core_color_from_irc(text ? text : "");
}

/* " text" after a nick, the nick's colour reset first; nothing when text is NULL. */
static void
chat_after_nick(struct buf *b, const char *text)
{
    if (!text)
        return;
    irc_look_append(b, IRC_LOOK_RESET, " ", NULL);
    irc_look_append_msg(b, text);
}

char *
irc_look_action(const char *mode, const char *nick_color, const char *nick, const char *text)
{
    struct buf b = chat_start();

    irc_look_append(&b, mode, nick_color, nick, NULL);
    chat_after_nick(&b, text);
    return chat_done(&b);
}

char *
irc_look_action_to(const char *target_color, const char *target, const char *nick_color,
                   const char *nick, const char *text)
{
    struct buf b = chat_start();

    irc_look_append(&b, "Action -> ", target_color, target, IRC_LOOK_RESET, ": ", IRC_LOOK_RESET,
                    nick_color, nick, NULL);
    chat_after_nick(&b, text);
    return chat_done(&b);
}

char *
irc_look_message_to(const char *head, const char *nick_color, const char *nick,
                    const char *target_color, const char *target, const char *text)
{
    struct buf b = chat_start();

    irc_look_append(&b, head, IRC_LOOK_DELIM, "(", IRC_LOOK_RESET, nick_color, nick, IRC_LOOK_DELIM,
                    ")", IRC_LOOK_RESET, NULL);
    if (target)
        irc_look_append(&b, " -> ", target_color, target, IRC_LOOK_RESET, NULL);
    buf_append_str(&b, ": ");
    irc_look_append_msg(&b, text);
    return chat_done(&b);
}

char *
irc_look_notice_to(const char *target_color, const char *target, const char *text)
{
    struct buf b = chat_start();

    irc_look_append(&b, IRC_LOOK_HEAD_NOTICE_OURS, " -> ", target_color, target, IRC_LOOK_RESET,
                    ": ", NULL);
    irc_look_append_msg(&b, text);
    return chat_done(&b);
}

char *
irc_look_notice_private(const char *nick_color, const char *nick, const char *text)
{
    struct buf b = chat_start();

    irc_look_append(&b, nick_color, nick, IRC_LOOK_RESET, ": ", NULL);
    irc_look_append_msg(&b, text);
    return chat_done(&b);
}

char *
irc_look_notice_from(const char *nick_color, const char *nick, const char *address,
                     const char *text)
{
    struct buf b = chat_start();
    char *from = irc_look_nick_address(nick_color, nick, address);

    irc_look_append(&b, from, from[0] ? ": " : "", NULL);
    irc_look_append_msg(&b, text);
    free(from);
    return chat_done(&b);
}

/* "CTCP <what> <nick>: " then the type in chat_channel. */
static struct buf
chat_ctcp_start(const char *what, const char *color, const char *nick, const char *type)
{
    struct buf b = chat_start();

    irc_look_append(&b, "CTCP ", what, " ", color, nick, IRC_LOOK_RESET, ": ", IRC_LOOK_CHANNEL,
                    type, NULL);
    return b;
}

/* The type's colour reset, then " args" when there are any. */
static char *
chat_ctcp_with_args(const char *what, const char *color, const char *nick, const char *type,
                    const char *args)
{
    struct buf b = chat_ctcp_start(what, color, nick, type);

    irc_look_append(&b, IRC_LOOK_RESET, NULL);
    if (args && args[0]) {
        buf_append_str(&b, " ");
        irc_look_append_msg(&b, args);
    }
    return chat_done(&b);
}

char *
irc_look_ctcp_requested(const char *nick_color, const char *nick, const char *type,
                        const char *args)
{
    return chat_ctcp_with_args("requested by", nick_color, nick, type, args);
}

char *
irc_look_ctcp_unknown(const char *nick_color, const char *nick, const char *type, const char *args)
{
    struct buf b = chat_start();

    irc_look_append(&b, "Unknown CTCP requested by ", nick_color, nick, IRC_LOOK_RESET, ": ",
                    IRC_LOOK_CHANNEL, type, NULL);
    chat_after_nick(&b, args && args[0] ? args : NULL);
    return chat_done(&b);
}

char *
irc_look_ctcp_reply_from(const char *nick_color, const char *nick, const char *type,
                         const char *args)
{
    struct buf b = chat_ctcp_start("reply from", nick_color, nick, type);

    chat_after_nick(&b, args);
    return chat_done(&b);
}

char *
irc_look_ctcp_ping_from(const char *nick_color, const char *nick, const char *type, double seconds)
{
    struct buf b = chat_ctcp_start("reply from", nick_color, nick, type);

    buf_printf(&b, IRC_LOOK_RESET " %.3fs", seconds);
    return chat_done(&b);
}

char *
irc_look_ctcp_query_to(const char *target_color, const char *target, const char *type,
                       const char *args)
{
    return chat_ctcp_with_args("query to", target_color, target, type, args);
}

char *
irc_look_ctcp_reply_to(const char *target_color, const char *target, const char *type,
                       const char *args)
{
    struct buf b = chat_ctcp_start("reply to", target_color, target, type);

    if (args && args[0])
        chat_after_nick(&b, args);
    return chat_done(&b);
}
