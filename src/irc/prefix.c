/* SPDX-License-Identifier: MIT */
/* Nicks coloured as WeeChat's irc plugin colours them, in line prefixes, tags and prompts. */
#include "prefix.h"

#include <stdlib.h>

#include "base/buf.h"
#include "core/color.h"
#include "isupport.h"

/* WeeChat's bar_delim colour code (a bar colour: "\x19b" then the delimiter kind). */
#define PREFIX_BAR_DELIM \
    "\x19"               \
    "bD"

const char *
irc_prefix_mode_color(char mode)
{
    /* irc.color.nick_prefixes = "y:lightred;q:lightred;a:lightcyan;o:lightgreen;
     * h:lightmagenta;v:yellow;*:lightblue" (irc-config.c). */
    switch (mode) {
    case 'y':
    case 'q':
        return "lightred";
    case 'a':
        return "lightcyan";
    case 'o':
        return "lightgreen";
    case 'h':
        return "lightmagenta";
    case 'v':
        return "yellow";
    default:
        return "lightblue";
    }
}

const char *
irc_prefix_tag_color(const char *nick, bool self)
{
    return self ? "white" : core_color_for_nick(nick ? nick : "");
}

static void
prefix_append_color(struct buf *out, const char *name)
{
    char *code = core_color_name_render(name, CORE_COLOR_WEECHAT);

    buf_append_str(out, code);
    free(code);
}

void
irc_prefix_append_chars(struct buf *out, const struct irc_isupport *is, const char *prefixes,
                        size_t len)
{
    prefix_append_color(out,
                        irc_prefix_mode_color(len ? irc_isupport_prefix_mode(is, *prefixes) : 0));
    buf_append(out, prefixes, len);
}

/* The highest prefix char in its mode's colour; a nick without a mode still gets the colour
 * of "*" (irc_nick_mode_for_display drops only the space). */
static void
prefix_append_mode(struct buf *out, const struct irc_isupport *is, const char *prefixes)
{
    irc_prefix_append_chars(out, is, prefixes, prefixes[0] ? 1 : 0);
}

char *
irc_prefix_nick(const struct irc_isupport *is, const char *prefixes, const char *nick, bool self)
{
    struct buf out;

    buf_init(&out, 4096);
    if (prefixes)
        prefix_append_mode(&out, is, prefixes);
    else
        buf_append_char(&out, CORE_COLOR_RESET);
    if (self)
        buf_append_str(&out, IRC_COLOR_NICK_SELF);
    else
        prefix_append_color(&out, core_color_for_nick(nick ? nick : ""));
    buf_append_str(&out, nick ? nick : "");
    return buf_steal(&out, NULL);
}

char *
irc_prefix_input_prompt(const struct irc_isupport *is, const char *prefixes, const char *nick,
                        const char *usermodes)
{
    struct buf out;

    buf_init(&out, 4096);
    if (!nick || !nick[0])
        return buf_steal(&out, NULL);
    /* irc.look.item_nick_prefix: our prefix char, shown only when it is not a space. */
    if (prefixes && prefixes[0])
        prefix_append_mode(&out, is, prefixes);
    /* irc.color.input_nick (lightcyan), irc.color.item_nick_modes (default). */
    prefix_append_color(&out, "lightcyan");
    buf_append_str(&out, nick);
    if (usermodes && usermodes[0]) {
        buf_append_str(&out, PREFIX_BAR_DELIM "(");
        prefix_append_color(&out, "default");
        buf_append_str(&out, usermodes);
        buf_append_str(&out, PREFIX_BAR_DELIM ")");
    }
    return buf_steal(&out, NULL);
}
