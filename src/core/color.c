/* SPDX-License-Identifier: MIT */
/* Colour code conversions: WeeChat codes to ANSI/stripped text, IRC codes to WeeChat. */
#include "color.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

/* WeeChat's basic colours, indexed by their two-digit code, with ANSI fg codes. */
static const struct {
    const char *name;
    int ansi_fg;
} color_basic[] = {
    { "default", 39 },      { "black", 30 }, { "darkgray", 90 },   { "red", 31 },
    { "lightred", 91 },     { "green", 32 }, { "lightgreen", 92 }, { "brown", 33 },
    { "yellow", 93 },       { "blue", 34 },  { "lightblue", 94 },  { "magenta", 35 },
    { "lightmagenta", 95 }, { "cyan", 36 },  { "lightcyan", 96 },  { "gray", 37 },
    { "white", 97 },
};

#define N_BASIC ((int)(sizeof(color_basic) / sizeof(color_basic[0])))

/* Attribute bytes after 0x1A/0x1B and their ANSI on/off codes. */
static const struct {
    char attr_char; /* as used inside a 0x19 colour code */
    int on;
    int off;
} color_attrs[] = {
    [1] = { '*', 1, 21 }, [2] = { '!', 7, 27 }, [3] = { '/', 3, 23 },
    [4] = { '_', 4, 24 }, [5] = { '%', 5, 25 }, [6] = { '.', 2, 22 },
};

/* Option colours that perch uses in nicklists, with the colour they stand for. */
static const struct {
    const char *name;
    const char *color;
} color_options[] = {
    { "bar_fg", "default" },
    { "weechat.color.nicklist_group", "green" },
    { "weechat.color.chat_nick_self", "white" },
    { "weechat.color.chat_nick", "lightcyan" },
    { "weechat.color.nicklist_away", "cyan" },
};

/*
 * WeeChat's colour options as lines carry them ("\x19" and the option's two-digit number,
 * gui_color_build): the number is the option's place in gui-color.h's t_gui_color_enum, the
 * colours are the defaults of core-config.c (bg NULL: chat_bg, "default"). Numbers 17..26 are
 * the obsolete chat_nick1..10, still built (gui_color_init_weechat) with fixed colours.
 */
static const struct {
    const char *name;
    const char *fg;
    const char *bg;
} color_weechat_options[] = {
    [0] = { "separator", "236", NULL },
    [1] = { "chat", "default", NULL },
    [2] = { "chat_time", "default", NULL },
    [3] = { "chat_time_delimiters", "brown", NULL },
    [4] = { "chat_prefix_error", "yellow", NULL },
    [5] = { "chat_prefix_network", "magenta", NULL },
    [6] = { "chat_prefix_action", "white", NULL },
    [7] = { "chat_prefix_join", "lightgreen", NULL },
    [8] = { "chat_prefix_quit", "lightred", NULL },
    [9] = { "chat_prefix_more", "lightmagenta", NULL },
    [10] = { "chat_prefix_suffix", "24", NULL },
    [11] = { "chat_buffer", "white", NULL },
    [12] = { "chat_server", "brown", NULL },
    [13] = { "chat_channel", "white", NULL },
    [14] = { "chat_nick", "lightcyan", NULL },
    [15] = { "chat_nick_self", "white", NULL },
    [16] = { "chat_nick_other", "cyan", NULL },
    [17] = { "chat_nick1", "cyan", NULL },
    [18] = { "chat_nick2", "magenta", NULL },
    [19] = { "chat_nick3", "green", NULL },
    [20] = { "chat_nick4", "brown", NULL },
    [21] = { "chat_nick5", "lightblue", NULL },
    [22] = { "chat_nick6", "default", NULL },
    [23] = { "chat_nick7", "lightcyan", NULL },
    [24] = { "chat_nick8", "lightmagenta", NULL },
    [25] = { "chat_nick9", "lightgreen", NULL },
    [26] = { "chat_nick10", "blue", NULL },
    [27] = { "chat_host", "cyan", NULL },
    [28] = { "chat_delimiters", "22", NULL },
    [29] = { "chat_highlight", "yellow", "124" },
    [30] = { "chat_read_marker", "magenta", NULL },
    [31] = { "chat_text_found", "yellow", "lightmagenta" },
    [32] = { "chat_value", "cyan", NULL },
    [33] = { "chat_prefix_buffer", "180", NULL },
    [34] = { "chat_tags", "red", NULL },
    [35] = { "chat_inactive_window", "240", NULL },
    [36] = { "chat_inactive_buffer", "default", NULL },
    [37] = { "chat_prefix_buffer_inactive_buffer", "default", NULL },
    [38] = { "chat_nick_offline", "242", NULL },
    [39] = { "chat_nick_offline_highlight", "default", "17" },
    [40] = { "chat_nick_prefix", "green", NULL },
    [41] = { "chat_nick_suffix", "green", NULL },
    [42] = { "emphasized", "yellow", "54" },
    [43] = { "chat_day_change", "cyan", NULL },
    [44] = { "chat_value_null", "blue", NULL },
    [45] = { "chat_status_disabled", "red", NULL },
    [46] = { "chat_status_enabled", "green", NULL },
};

#define N_OPTIONS ((int)(sizeof(color_weechat_options) / sizeof(color_weechat_options[0])))

/* The terminal colour of a basic colour in WeeChat's table for terminals of 16 colours or
 * more (gui_weechat_colors_no_bold), by its two-digit code; -1 is the terminal's default. */
static const int color_basic_term[] = { -1, 0, 8, 1, 9, 2, 10, 3, 11, 4, 12, 5, 13, 6, 14, 7, 15 };

/* WeeChat's default weechat.color.chat_nick_colors: every client colours a nick alike. */
static const char *const color_nick_palette[] = {
    "cyan", "magenta", "green", "brown", "lightblue", "lightcyan", "lightmagenta", "lightgreen",
    "31",   "35",      "38",    "40",    "49",        "63",        "70",           "80",
    "92",   "99",      "112",   "126",   "130",       "138",       "142",          "148",
    "160",  "162",     "167",   "169",   "174",       "176",       "178",          "184",
    "186",  "210",     "212",   "215",   "248",
};

int
core_color_mode_parse(const char *name, enum core_color_mode *mode)
{
    if (strcmp(name, "ansi") == 0)
        *mode = CORE_COLOR_ANSI;
    else if (strcmp(name, "weechat") == 0)
        *mode = CORE_COLOR_WEECHAT;
    else if (strcmp(name, "strip") == 0)
        *mode = CORE_COLOR_STRIP;
    else
        return -EINVAL;
    return 0;
}

static int
color_basic_index(const char *name)
{
    for (int i = 0; i < N_BASIC; i++) {
        if (strcmp(color_basic[i].name, name) == 0)
            return i;
    }
    return -1;
}

/* A number 0..255 written in decimal, or -1. */
static int
color_number(const char *name)
{
    char *end;
    long v;

    if (!name[0] || strlen(name) > 3)
        return -1;
    v = strtol(name, &end, 10);
    return (*end || v < 0 || v > 255) ? -1 : (int)v;
}

static const char *
color_option_target(const char *name)
{
    for (size_t i = 0; i < sizeof(color_options) / sizeof(color_options[0]); i++) {
        if (strcmp(color_options[i].name, name) == 0)
            return color_options[i].color;
    }
    return NULL;
}

bool
core_color_name_is_valid(const char *name)
{
    return color_basic_index(name) >= 0 || color_number(name) >= 0 ||
           color_option_target(name) != NULL;
}

/* One UTF-8 character: its code point and size (an invalid byte is itself, size 1). */
static uint32_t
color_next_char(const unsigned char *p, size_t *size)
{
    size_t n = p[0] >= 0xf0 ? 4 : p[0] >= 0xe0 ? 3 : p[0] >= 0xc0 ? 2 : 1;
    uint32_t cp = n == 1 ? p[0] : p[0] & (0x7f >> n);

    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80) {
            *size = 1;
            return p[0];
        }
        cp = (cp << 6) | (p[i] & 0x3f);
    }
    *size = n;
    return cp;
}

const char *
core_color_for_nick(const char *nick)
{
    /* WeeChat's defaults: weechat.look.nick_color_hash djb2 (its 64-bit variant, over
     * code points), an empty salt, and nick_color_stop_chars "_|[" ("bob_away" is
     * coloured as "bob", "_bob" as itself). */
    const unsigned char *p = (const unsigned char *)nick;
    uint64_t hash = 5381;
    bool other_seen = false;
    size_t size;

    while (*p) {
        uint32_t cp = color_next_char(p, &size);
        bool stop = cp == '_' || cp == '|' || cp == '[';
        if (stop && other_seen)
            break;
        other_seen = other_seen || !stop;
        hash ^= (hash << 5) + (hash >> 2) + cp;
        p += size;
    }
    return color_nick_palette[hash % (sizeof(color_nick_palette) / sizeof(color_nick_palette[0]))];
}

char *
core_color_name_render(const char *name, enum core_color_mode mode)
{
    const char *target = color_option_target(name);
    struct buf out;
    int idx, num;

    buf_init(&out, 64);
    if (target)
        name = target;
    idx = color_basic_index(name);
    num = color_number(name);
    if (mode == CORE_COLOR_ANSI) {
        if (idx >= 0)
            buf_printf(&out, "\x1b[%dm", color_basic[idx].ansi_fg);
        else if (num >= 0)
            buf_printf(&out, "\x1b[38;5;%dm", num);
    } else if (mode == CORE_COLOR_WEECHAT) {
        if (idx >= 0)
            buf_printf(&out,
                       "\x19"
                       "F%02d",
                       idx);
        else if (num >= 0)
            buf_printf(&out,
                       "\x19"
                       "F@%05d",
                       num);
    }
    return buf_steal(&out, NULL);
}

/* ---- WeeChat codes to ANSI or stripped text ---- */

struct color_reader {
    const char *p;
    struct buf *out;
    enum core_color_mode mode;
};

static int
color_attr_index(char c)
{
    for (int i = 1; i <= 6; i++) {
        if (color_attrs[i].attr_char == c)
            return i;
    }
    return 0;
}

static void
color_emit(struct color_reader *r, const char *fmt, int v)
{
    if (r->mode == CORE_COLOR_ANSI)
        buf_printf(r->out, fmt, v);
}

static void color_read_attrs(struct color_reader *r);

/* Reads "NN" (basic colour), "@NNNNN" (extended, attributes may sit after the '@' as
 * WeeChat writes them: "@|00196") or nothing. */
static void
color_read_color(struct color_reader *r, bool background)
{
    const char *p = r->p;

    if (p[0] == '@') {
        r->p++;
        color_read_attrs(r);
        p = r->p - 1;
        int v = 0, i;
        for (i = 1; i <= 5 && p[i] >= '0' && p[i] <= '9'; i++)
            v = v * 10 + (p[i] - '0');
        if (i == 6) {
            color_emit(r, background ? "\x1b[48;5;%dm" : "\x1b[38;5;%dm", v % 256);
            r->p = p + 6;
        }
        return;
    }
    if (p[0] >= '0' && p[0] <= '9' && p[1] >= '0' && p[1] <= '9') {
        int v = (p[0] - '0') * 10 + (p[1] - '0');
        if (v < N_BASIC)
            color_emit(r, "\x1b[%dm", color_basic[v].ansi_fg + (background ? 10 : 0));
        r->p = p + 2;
    }
}

static void
color_read_attrs(struct color_reader *r)
{
    int idx;

    while ((idx = color_attr_index(*r->p)) != 0 || *r->p == '|') {
        if (idx)
            color_emit(r, "\x1b[%dm", color_attrs[idx].on);
        r->p++;
    }
}

/* A colour name of the options table as a terminal colour number, -1 for the default. */
static int
color_term_number(const char *name)
{
    int idx = color_basic_index(name);

    return idx >= 0 ? color_basic_term[idx] : color_number(name);
}

/* An option colour ("\x19" "15"), as gui_color_encode_ansi writes it: everything reset,
 * then the option's foreground and background as 256-colour numbers (or the defaults).
 * Unknown numbers are dropped, as WeeChat does. */
static void
color_read_option(struct color_reader *r, int number)
{
    int fg, bg;

    if (number >= N_OPTIONS)
        return;
    fg = color_term_number(color_weechat_options[number].fg);
    bg =
        color_weechat_options[number].bg ? color_term_number(color_weechat_options[number].bg) : -1;
    color_emit(r, "\x1b[%dm", 0);
    color_emit(r, fg < 0 ? "\x1b[%dm" : "\x1b[38;5;%dm", fg < 0 ? 39 : fg);
    color_emit(r, bg < 0 ? "\x1b[%dm" : "\x1b[48;5;%dm", bg < 0 ? 49 : bg);
}

const char *
core_color_option_name(int number)
{
    return number >= 0 && number < N_OPTIONS ? color_weechat_options[number].name : NULL;
}

/* Handles the bytes after 0x19. */
static void
color_read_code(struct color_reader *r)
{
    char kind = *r->p;

    if (kind == 'F' || kind == 'B') {
        r->p++;
        if (kind == 'F')
            color_read_attrs(r);
        color_read_color(r, kind == 'B');
    } else if (kind == '*') {
        r->p++;
        color_read_attrs(r);
        color_read_color(r, false);
        if (*r->p == ',' || *r->p == '~') {
            r->p++;
            color_read_color(r, true);
        }
    } else if (kind == 'E' || kind == 'b') {
        /* Emphasis and bar codes carry one more byte and have no rendering. */
        r->p += r->p[1] ? 2 : 1;
    } else if (kind == '\x1c') {
        /* WeeChat's "resetcolor": colours only, attributes stay. */
        color_emit(r, "\x1b[%dm", 39);
        color_emit(r, "\x1b[%dm", 49);
        r->p++;
    } else if (kind >= '0' && kind <= '9' && r->p[1] >= '0' && r->p[1] <= '9') {
        color_read_option(r, (kind - '0') * 10 + (r->p[1] - '0'));
        r->p += 2;
    }
}

char *
core_color_convert(const char *text, enum core_color_mode mode)
{
    struct buf out;
    struct color_reader r = { text, &out, mode };

    buf_init(&out, (size_t)-1);
    buf_reserve(&out, strlen(text));
    if (mode == CORE_COLOR_WEECHAT) {
        buf_append_str(&out, text);
        return buf_steal(&out, NULL);
    }
    while (*r.p) {
        /* Text between codes goes in one copy: most messages have no code at all. */
        size_t plain = strcspn(r.p, CORE_COLOR_CODE_BYTES);
        char c;

        buf_append(&out, r.p, plain);
        r.p += plain;
        if (!*r.p)
            break;
        c = *r.p++;
        if (c == CORE_COLOR_CODE) {
            color_read_code(&r);
        } else if (c == CORE_COLOR_SET_ATTR || c == CORE_COLOR_UNSET_ATTR) {
            int idx = (*r.p >= 1 && *r.p <= 6) ? *r.p : 0;
            if (idx)
                color_emit(&r, "\x1b[%dm",
                           c == CORE_COLOR_SET_ATTR ? color_attrs[idx].on : color_attrs[idx].off);
            if (*r.p)
                r.p++;
        } else {
            color_emit(&r, "\x1b[%dm", 0);
        }
    }
    return buf_steal(&out, NULL);
}

/* ---- IRC formatting to WeeChat codes ---- */

/* mIRC colours 0..15 as WeeChat basic colour codes. */
static const int color_irc_to_weechat[16] = {
    16, 1, 9, 5, 4, 3, 11, 7, 8, 6, 13, 14, 10, 12, 2, 15
};

/* mIRC colours 16..98 as xterm 256-colour numbers (the de-facto standard table). */
static const unsigned char color_irc_extended[83] = {
    52,  94,  100, 58,  22,  29,  23,  24,  17,  54,  53,  89,  88,  130, 142, 64,  28,
    35,  30,  25,  18,  91,  90,  125, 124, 166, 184, 106, 34,  49,  37,  33,  19,  129,
    127, 161, 196, 208, 226, 154, 46,  86,  51,  75,  21,  171, 201, 198, 203, 215, 227,
    191, 83,  122, 87,  111, 63,  177, 207, 205, 217, 223, 229, 193, 157, 158, 159, 153,
    147, 183, 219, 212, 16,  233, 235, 237, 239, 241, 244, 247, 250, 254, 231,
};

/* One IRC colour as WeeChat writes it: "NN" (basic) or "@NNNNN" (extended), with
 * the keep-attributes mark '|' for a foreground. Returns false for 99 (default). */
static bool
color_irc_format(char *out, size_t len, int irc, bool foreground)
{
    const char *keep = foreground ? "|" : "";

    if (irc < 16)
        snprintf(out, len, "%s%02d", keep, color_irc_to_weechat[irc]);
    else if (irc < 99)
        snprintf(out, len, "@%s%05d", keep, color_irc_extended[irc - 16]);
    return irc < 99;
}

/* ^C fg[,bg] as WeeChat's irc plugin decodes it: "F|fg", "*|fg~bg" or "B..." when the
 * foreground is the default, keeping bold and the other attributes. */
static void
color_irc_append(struct buf *out, int fg, int bg)
{
    char f[16], b[16];
    bool has_fg = color_irc_format(f, sizeof(f), fg, true);
    bool has_bg = bg >= 0 && color_irc_format(b, sizeof(b), bg, false);

    if (has_fg && has_bg)
        buf_printf(out, "\x19*%s~%s", f, b);
    else if (has_fg)
        buf_printf(out,
                   "\x19"
                   "F%s",
                   f);
    else if (has_bg)
        buf_printf(out,
                   "\x19"
                   "B%s",
                   b);
}

/* Reads up to two digits; returns the number or -1. */
static int
color_irc_number(const char **p)
{
    int v = -1;

    for (int i = 0; i < 2 && **p >= '0' && **p <= '9'; i++, (*p)++)
        v = (v < 0 ? 0 : v * 10) + (**p - '0');
    return v;
}

static void
color_irc_toggle(struct buf *out, bool *state, int attr)
{
    *state = !*state;
    buf_append_char(out, *state ? CORE_COLOR_SET_ATTR : CORE_COLOR_UNSET_ATTR);
    buf_append_char(out, (char)attr);
}

char *
core_color_from_irc(const char *text)
{
    struct buf out;
    bool bold = false, reverse = false, italic = false, underline = false;

    buf_init(&out, (size_t)-1);
    for (const char *p = text; *p;) {
        char c = *p++;
        switch (c) {
        case '\x02':
            color_irc_toggle(&out, &bold, 1);
            break;
        case '\x16':
            color_irc_toggle(&out, &reverse, 2);
            break;
        case '\x1d':
            color_irc_toggle(&out, &italic, 3);
            break;
        case '\x1f':
            color_irc_toggle(&out, &underline, 4);
            break;
        case '\x0f':
            bold = reverse = italic = underline = false;
            buf_append_char(&out, CORE_COLOR_RESET);
            break;
        case '\x03': {
            int fg = color_irc_number(&p), bg = -1;
            if (fg >= 0 && p[0] == ',' && p[1] >= '0' && p[1] <= '9') {
                p++;
                bg = color_irc_number(&p);
            }
            if (fg < 0) {
                /* A bare ^C ends the colours only: WeeChat's "resetcolor". */
                buf_append_char(&out, CORE_COLOR_CODE);
                buf_append_char(&out, CORE_COLOR_RESET);
                break;
            }
            color_irc_append(&out, fg, bg);
            break;
        }
        default:
            /* Other control bytes would be taken for WeeChat codes: drop them. */
            if (c == CORE_COLOR_CODE || c == CORE_COLOR_SET_ATTR || c == CORE_COLOR_UNSET_ATTR ||
                c == CORE_COLOR_RESET)
                break;
            buf_append_char(&out, c);
        }
    }
    return buf_steal(&out, NULL);
}
