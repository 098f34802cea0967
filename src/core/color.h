/* SPDX-License-Identifier: MIT */
/*
 * Colours: lines keep WeeChat's internal colour codes; this converts them to ANSI
 * SGR escapes or strips them (reference §7.9), converts IRC formatting codes to
 * WeeChat codes, and knows the valid WeeChat colour names.
 */
#ifndef PERCH_CORE_COLOR_H
#define PERCH_CORE_COLOR_H

#include <stdbool.h>

enum core_color_mode {
    CORE_COLOR_ANSI,
    CORE_COLOR_WEECHAT,
    CORE_COLOR_STRIP,
};

/* WeeChat internal code bytes (reference §7.9). */
#define CORE_COLOR_CODE       '\x19'
#define CORE_COLOR_SET_ATTR   '\x1a'
#define CORE_COLOR_UNSET_ATTR '\x1b'
#define CORE_COLOR_RESET      '\x1c'
/* The four above as a string, for strpbrk and strcspn: text without them needs no converting. */
#define CORE_COLOR_CODE_BYTES "\x19\x1a\x1b\x1c"

/* weechat_prefix(): a prefix text in its weechat.color.chat_prefix_* option (4 error, 5
 * network, 6 action, 7 join, 8 quit; weechat.look.prefix_* texts). */
#define CORE_PREFIX_ERROR \
    "\x19"                \
    "04=!="
#define CORE_PREFIX_NETWORK \
    "\x19"                  \
    "05--"
#define CORE_PREFIX_ACTION \
    "\x19"                 \
    "06 *"
#define CORE_PREFIX_JOIN \
    "\x19"               \
    "07-->"
#define CORE_PREFIX_QUIT \
    "\x19"               \
    "08<--"

/* Returns 0 and sets *mode for "ansi", "weechat" or "strip" (case-sensitive); -EINVAL otherwise. */
int core_color_mode_parse(const char *name, enum core_color_mode *mode);
/* Converts text holding WeeChat codes; returns a new string (caller frees). */
char *core_color_convert(const char *text, enum core_color_mode mode);
/* Converts IRC formatting (^B ^C ^O ^V ^] ^_ ^Q) to WeeChat codes; caller frees. */
char *core_color_from_irc(const char *text);
/* True for a WeeChat colour name ("lightred", "default", "0".."255") or option name
 * ("weechat.color.chat_nick", "bar_fg"). */
bool core_color_name_is_valid(const char *name);
/* The colour a name stands for, rendered in mode ("" when it has no rendering); caller frees. */
char *core_color_name_render(const char *name, enum core_color_mode mode);
/* The name of WeeChat colour option number (what "\x19" and two digits stand for, e.g. 15
 * "chat_nick_self"), or NULL for a number WeeChat does not have. */
const char *core_color_option_name(int number);
/* A stable nick colour name picked from the nick's hash. */
const char *core_color_for_nick(const char *nick);

#endif
