/* SPDX-License-Identifier: MIT */
/*
 * Message texts as WeeChat's irc plugin prints them, WeeChat colour codes included: joins,
 * parts, quits, kicks, nick changes, modes, topics, WHO and WHOIS replies. The colours are
 * WeeChat's defaults: weechat.color.* options are written as "\x19" and the option's number
 * (gui_color_build), irc.color.* options as the colour they hold ("\x19F" and two digits, or
 * "\x19F@" and five). Text from the server (hosts, reasons, topics) has its IRC formatting
 * turned into WeeChat codes (IRC_COLOR_MSG). I/O-free; every builder returns a string the
 * caller frees.
 */
#ifndef PERCH_IRC_LOOK_H
#define PERCH_IRC_LOOK_H

#include <stdbool.h>
#include <stddef.h>

#include "core/color.h"

/* weechat_color("reset"). */
#define IRC_LOOK_RESET "\x1c"
/* weechat.color.* options (t_gui_color_enum numbers). */
#define IRC_LOOK_CHANNEL \
    "\x19"               \
    "13"
#define IRC_LOOK_NICK \
    "\x19"            \
    "14"
#define IRC_LOOK_NICK_SELF \
    "\x19"                 \
    "15"
#define IRC_LOOK_SERVER \
    "\x19"              \
    "12"
#define IRC_LOOK_HOST \
    "\x19"            \
    "27"
#define IRC_LOOK_DELIM \
    "\x19"             \
    "28"
/* irc.color.* defaults: message_join green, message_quit and message_kick red, reason_kick
 * default, reason_quit 244, topic_old 244, topic_new 36, topic_current default. */
#define IRC_LOOK_MESSAGE_JOIN \
    "\x19"                    \
    "F05"
#define IRC_LOOK_MESSAGE_QUIT \
    "\x19"                    \
    "F03"
#define IRC_LOOK_MESSAGE_KICK \
    "\x19"                    \
    "F03"
#define IRC_LOOK_REASON_KICK \
    "\x19"                   \
    "F00"
#define IRC_LOOK_REASON_QUIT \
    "\x19"                   \
    "F@00244"
#define IRC_LOOK_TOPIC_OLD \
    "\x19"                 \
    "F@00244"
#define IRC_LOOK_TOPIC_NEW \
    "\x19"                 \
    "F@00036"
#define IRC_LOOK_TOPIC_CURRENT \
    "\x19"                     \
    "F00"
/* irc.color.message_account cyan, message_chghost and message_setname brown. */
#define IRC_LOOK_MESSAGE_ACCOUNT \
    "\x19"                       \
    "F13"
#define IRC_LOOK_MESSAGE_CHGHOST \
    "\x19"                       \
    "F07"
#define IRC_LOOK_MESSAGE_SETNAME \
    "\x19"                       \
    "F07"
/* weechat_prefix(): the prefix text in its weechat.color.chat_prefix_* option. */
#define IRC_LOOK_PREFIX_ERROR   CORE_PREFIX_ERROR
#define IRC_LOOK_PREFIX_NETWORK CORE_PREFIX_NETWORK
#define IRC_LOOK_PREFIX_ACTION  CORE_PREFIX_ACTION
#define IRC_LOOK_PREFIX_JOIN    CORE_PREFIX_JOIN
#define IRC_LOOK_PREFIX_QUIT    CORE_PREFIX_QUIT

/* Room for any nick colour code. */
#define IRC_LOOK_COLOR_MAX 16

struct buf;
/* For the text builders (look*.c): each string appended until NULL; text from the server
 * appended with its IRC formatting as WeeChat codes (IRC_COLOR_MSG; NULL: ""). */
void irc_look_append(struct buf *b, ...);
void irc_look_append_msg(struct buf *b, const char *text);

/* irc_nick_color_for_msg: chat_nick_self for us, else the nick's hashed colour, into out. */
void irc_look_nick_color(char out[IRC_LOOK_COLOR_MAX], const char *nick, bool self);

/* JOIN: "N (H) has joined #c" (host NULL: empty parentheses, as WeeChat); with
 * extended-join "N [account] (Real Name) (H) has joined #c" (account or realname NULL:
 * not shown). */
char *irc_look_join(const char *nick_color, const char *nick, const char *account,
                    const char *realname, const char *host, const char *channel);
/* PART: "N (H) has left #c (reason)", no reason part when reason is NULL or "". */
char *irc_look_part(const char *nick_color, const char *nick, const char *host, const char *channel,
                    const char *reason);
/* QUIT: "N (H) has quit (reason)". */
char *irc_look_quit(const char *nick_color, const char *nick, const char *host, const char *reason);
/* KICK: "N has kicked V (reason)" (reason NULL: none; "" gives empty parentheses). */
char *irc_look_kick(const char *nick_color, const char *nick, const char *victim_color,
                    const char *victim, const char *reason);
/* KILL: "You were killed by N (reason)" (reason NULL: none). */
char *irc_look_kill(const char *nick_color, const char *nick, const char *reason);
/* NICK of someone else: "old is now known as new"; ours: "You are now known as new". */
char *irc_look_nick(const char *old_color, const char *old_nick, const char *new_color,
                    const char *new_nick);
char *irc_look_nick_self(const char *new_nick);
/* irc_channel_display_nick_back_in_pv: "nick (host) is back on server". */
char *irc_look_nick_back(const char *nick_color, const char *nick, const char *host);
/* MODE on a channel: "Mode #c [+o bob] by N" (args: the mode arguments joined, or NULL). */
char *irc_look_mode(const char *channel, const char *modes, const char *args,
                    const char *nick_color, const char *nick);
/* MODE on a user: "User mode [+i] by N". */
char *irc_look_user_mode(const char *modes, const char *nick_color, const char *nick);
/* TOPIC: changed (from old, when known) or unset (new NULL or ""). */
char *irc_look_topic(const char *nick_color, const char *nick, const char *channel,
                     const char *old_topic, const char *new_topic);
/* 332: "Topic for #c is "topic"". */
char *irc_look_topic_is(const char *channel, const char *topic);
/* 333: "Topic set by N (H) on date" (channel NULL), "Topic for #c set by ..." otherwise;
 * nick NULL: "Topic set on date". */
char *irc_look_topic_set_by(const char *channel, const char *nick_color, const char *nick,
                            const char *address, const char *date);
/* 328: "URL for #c: url"; 331: "No topic set for channel #c". */
char *irc_look_url(const char *channel, const char *url);
char *irc_look_no_topic(const char *channel);
/* 352: "[#c] N (user@host) H@ 0 (Real Name)" (status, hopcount, realname may be NULL). */
char *irc_look_who(const char *channel, const char *nick_color, const char *nick, const char *user,
                   const char *host, const char *status, const char *hopcount,
                   const char *realname);
/* A mode list's entry: 367 "[#c] [N] mask banned by S (user@host) on date", 346 "invited",
 * 728 "quieted" (verb); 348 "[#c] [N] exception mask by ..." (verb NULL). number 0: no
 * "[N]"; setter NULL: the mask alone ("... banned"), "" : "by ?"; date NULL: no "on". */
char *irc_look_modelist_item(const char *channel, int number, const char *mask, const char *verb,
                             const char *setter_color, const char *setter,
                             const char *setter_address, const char *date);
/* 315: "[#c] End of /WHO list."; the ends of mode lists (368 ...) look the same. */
char *irc_look_who_end(const char *channel, const char *text);
/* WHOIS lines start with "[N]" in delimiters: out gets "[N]" and what follows it:
 * whois_nick_msg "[N] text (extra)", 301 "[N] is away: msg", 311/314 "[N] (u@h): real". */
char *irc_look_whois_text(const char *nick_color, const char *nick, const char *text,
                          const char *extra);
char *irc_look_away(const char *nick_color, const char *nick, const char *message);
/* irc_command_display_away: "[nick what: text]", our nick in chat_nick_self, text as is. */
char *irc_look_away_info(const char *nick, const char *what, const char *text);
char *irc_look_whois_user(const char *nick_color, const char *nick, const char *user,
                          const char *host, const char *realname, bool whowas);
/* A generic error's target: "#c: " in chat_channel or "nick: " in its colour, then text. */
char *irc_look_error(const char *target_color, const char *target, const char *text);

#endif
