/* SPDX-License-Identifier: MIT */
/*
 * Texts of conversation lines that are not a plain "nick<TAB>text": actions, notices,
 * messages shown with their target (to a channel's ops, or ours with no buffer of their
 * own), and CTCP queries and replies, as WeeChat's irc plugin prints them with default
 * options (irc-protocol.c, irc-ctcp.c, irc-input.c), colour codes included. Colour
 * arguments are codes from look.h or irc_look_nick_color(); text from IRC has its
 * formatting turned into WeeChat's. I/O-free; every builder returns a string the caller
 * frees.
 */
#ifndef PERCH_IRC_LOOK_CHAT_H
#define PERCH_IRC_LOOK_CHAT_H

#include <stdbool.h>

/* irc.color.notice's default, green. */
#define IRC_LOOK_NOTICE \
    "\x19"              \
    "F05"

/* The word a "Word(nick) -> target: text" line starts with: a notice received in a channel,
 * ours (irc_input_user_message_display resets after the word), a service's welcome to us
 * shown in the channel it names, and a message. */
#define IRC_LOOK_HEAD_NOTICE      IRC_LOOK_NOTICE "Notice"
#define IRC_LOOK_HEAD_NOTICE_OURS IRC_LOOK_NOTICE "Notice" IRC_LOOK_RESET
#define IRC_LOOK_HEAD_NOTICE_PV   IRC_LOOK_NOTICE "PvNotice"
#define IRC_LOOK_HEAD_MSG         "Msg"

/* The text of a message: its IRC formatting as WeeChat codes (IRC_COLOR_MSG). */
char *irc_look_text(const char *text);

/* ACTION in its conversation: "nick text" ("nick" alone when text is NULL). mode is what
 * WeeChat puts before the nick: a colour reset in a channel or for ours, "" in a private
 * buffer (irc_nick_mode_for_display). */
char *irc_look_action(const char *mode, const char *nick_color, const char *nick, const char *text);
/* ACTION shown with its target: "Action -> target: nick text" (text NULL: none). */
char *irc_look_action_to(const char *target_color, const char *target, const char *nick_color,
                         const char *nick, const char *text);
/* "Head(nick) -> target: text": head is one of IRC_LOOK_HEAD_*; target NULL: "Head(nick):
 * text". */
char *irc_look_message_to(const char *head, const char *nick_color, const char *nick,
                          const char *target_color, const char *target, const char *text);
/* Our notice seen from elsewhere, with no buffer for the target: "Notice -> target: text". */
char *irc_look_notice_to(const char *target_color, const char *target, const char *text);
/* A notice in a private buffer: "nick: text". */
char *irc_look_notice_private(const char *nick_color, const char *nick, const char *text);
/* A notice in the server buffer: "nick (address): text", "nick: text" when there is no
 * address or it is the nick, the text alone without a nick. */
char *irc_look_notice_from(const char *nick_color, const char *nick, const char *address,
                           const char *text);

/* "CTCP requested by nick: TYPE args". */
char *irc_look_ctcp_requested(const char *nick_color, const char *nick, const char *type,
                              const char *args);
/* A query perch does not answer (irc.look.display_ctcp_unknown): "Unknown CTCP requested
 * by N: TYPE[ args]", the type's colour reset only before args. */
char *irc_look_ctcp_unknown(const char *nick_color, const char *nick, const char *type,
                            const char *args);
/* "CTCP reply from nick: TYPE args" (args NULL: the type alone). */
char *irc_look_ctcp_reply_from(const char *nick_color, const char *nick, const char *type,
                               const char *args);
/* The answer to our PING: "CTCP reply from nick: PING 0.123s". */
char *irc_look_ctcp_ping_from(const char *nick_color, const char *nick, const char *type,
                              double seconds);
/* Ours: "CTCP query to target: TYPE args" and "CTCP reply to target: TYPE args". */
char *irc_look_ctcp_query_to(const char *target_color, const char *target, const char *type,
                             const char *args);
char *irc_look_ctcp_reply_to(const char *target_color, const char *target, const char *type,
                             const char *args);

#endif
