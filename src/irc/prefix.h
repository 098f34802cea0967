/* SPDX-License-Identifier: MIT */
/*
 * Nicks as WeeChat's irc plugin colours them: the prefix of a message line (mode char in
 * its irc.color.nick_prefixes colour, then the nick in its hashed colour), the colour name
 * of a prefix_nick_ tag, and the input prompt of a buffer. Strings hold WeeChat colour
 * codes; nothing here does I/O.
 */
#ifndef PERCH_IRC_PREFIX_H
#define PERCH_IRC_PREFIX_H

#include <stdbool.h>
#include <stddef.h>

struct buf;
struct irc_isupport;

/* WeeChat's colour option "weechat.color.chat_nick_self" as a colour code (option 15). */
#define IRC_COLOR_NICK_SELF \
    "\x19"                  \
    "15"

/* The colour name of a prefix mode in irc.color.nick_prefixes' default ('o' -> "lightgreen");
 * any other mode, or none (0), takes the "*" entry, "lightblue". */
const char *irc_prefix_mode_color(char mode);

/* The colour name a prefix_nick_ tag carries: "white" (chat_nick_self) for us, else the
 * nick's hashed colour. */
const char *irc_prefix_tag_color(const char *nick, bool self);

/* The first len prefix chars of a nick in the colour of the first one's mode (the colour of
 * "*" when len is 0). */
void irc_prefix_append_chars(struct buf *out, const struct irc_isupport *is, const char *prefixes,
                             size_t len);

/*
 * The prefix of a message from nick: with prefixes (the nick is in the channel; "" when it
 * holds no mode), the highest prefix char in its mode's colour, else a colour reset; then
 * the nick in chat_nick_self (self) or its hashed colour. Caller frees.
 */
char *irc_prefix_nick(const struct irc_isupport *is, const char *prefixes, const char *nick,
                      bool self);

/*
 * The input_prompt of a buffer: "" without a nick; else the own prefix char (channels,
 * prefixes non-NULL, when we hold a mode) in its colour, the nick in irc.color.input_nick
 * (lightcyan), and "(modes)" with bar_delim around irc.color.item_nick_modes (default)
 * when usermodes is not empty. Caller frees.
 */
char *irc_prefix_input_prompt(const struct irc_isupport *is, const char *prefixes, const char *nick,
                              const char *usermodes);

#endif
