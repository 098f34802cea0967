/* SPDX-License-Identifier: MIT */
/* WeeChat colour codes to styled runs of text, following how WeeChat's own curses UI draws them. */
#include "wcolor.h"

#include <string.h>

/* The code bytes WeeChat puts in lines (its gui-color.h). */
#define WCOLOR_CODE       '\x19'
#define WCOLOR_SET_ATTR   '\x1a'
#define WCOLOR_UNSET_ATTR '\x1b'
#define WCOLOR_RESET      '\x1c'

#define WCOLOR_N_BASIC   17
#define WCOLOR_WHITE     16
#define WCOLOR_KEEP      0x100u /* '|': attributes not named are kept, not removed */
#define WCOLOR_YELLOW    11
#define WCOLOR_EMPH_BG   54 /* weechat.color.emphasized_bg */
#define WCOLOR_MAX_XTERM 255

/* WeeChat's basic colours (default, black, darkgray, red, lightred, ...) as xterm numbers. */
static const int wcolor_basic[WCOLOR_N_BASIC] = {
    -1, 0, 8, 1, 9, 2, 10, 3, 11, 4, 12, 5, 13, 6, 14, 7, 15,
};

/*
 * "\x19NN": the colour of WeeChat option number NN (GUI_COLOR_CHAT_* order, from the
 * separator to chat_status_enabled) with its default value, as xterm numbers.
 */
static const struct {
    short fg;
    short bg;
} wcolor_chat[] = {
    { 236, -1 }, /* separator */
    { -1, -1 },  /* chat */
    { -1, -1 },  /* chat_time */
    { 3, -1 },   /* chat_time_delimiters: brown */
    { 11, -1 },  /* chat_prefix_error: yellow */
    { 5, -1 },   /* chat_prefix_network: magenta */
    { 15, -1 },  /* chat_prefix_action: white */
    { 10, -1 },  /* chat_prefix_join: lightgreen */
    { 9, -1 },   /* chat_prefix_quit: lightred */
    { 13, -1 },  /* chat_prefix_more: lightmagenta */
    { 24, -1 },  /* chat_prefix_suffix */
    { 15, -1 },  /* chat_buffer: white */
    { 3, -1 },   /* chat_server: brown */
    { 15, -1 },  /* chat_channel: white */
    { 14, -1 },  /* chat_nick: lightcyan */
    { 15, -1 },  /* chat_nick_self: white */
    { 6, -1 },   /* chat_nick_other: cyan */
    { 6, -1 },   /* chat_nick1..10 (obsolete, still drawn) */
    { 5, -1 },   { 2, -1 },  { 3, -1 },  { 12, -1 }, { -1, -1 },
    { 14, -1 },  { 13, -1 }, { 10, -1 }, { 4, -1 },  { 6, -1 }, /* chat_host: cyan */
    { 22, -1 },                                                 /* chat_delimiters */
    { 11, 124 },                                                /* chat_highlight: yellow on 124 */
    { 5, -1 },                                                  /* chat_read_marker: magenta */
    { 11, 13 },  /* chat_text_found: yellow on lightmagenta */
    { 6, -1 },   /* chat_value: cyan */
    { 180, -1 }, /* chat_prefix_buffer */
    { 1, -1 },   /* chat_tags: red */
    { 240, -1 }, /* chat_inactive_window */
    { -1, -1 },  /* chat_inactive_buffer */
    { -1, -1 },  /* chat_prefix_buffer_inactive_buffer */
    { 242, -1 }, /* chat_nick_offline */
    { -1, 17 },  /* chat_nick_offline_highlight */
    { 2, -1 },   /* chat_nick_prefix: green */
    { 2, -1 },   /* chat_nick_suffix: green */
    { 11, 54 },  /* emphasized: yellow on 54 */
    { 6, -1 },   /* chat_day_change: cyan */
    { 4, -1 },   /* chat_value_null: blue */
    { 1, -1 },   /* chat_status_disabled: red */
    { 2, -1 },   /* chat_status_enabled: green */
};

#define WCOLOR_N_CHAT ((int)(sizeof(wcolor_chat) / sizeof(wcolor_chat[0])))

/* The attribute named by a byte inside a colour code, WCOLOR_KEEP for '|', or 0. */
static unsigned
wcolor_attr_flag(char c)
{
    switch (c) {
    case '*':
        return WCOLOR_BOLD;
    case '!':
        return WCOLOR_REVERSE;
    case '/':
        return WCOLOR_ITALIC;
    case '_':
        return WCOLOR_UNDERLINE;
    case '%':
        return WCOLOR_BLINK;
    case '.':
        return WCOLOR_DIM;
    case '|':
        return WCOLOR_KEEP;
    default:
        return 0;
    }
}

/* The attribute named by the byte after 0x1A/0x1B, or 0. */
static unsigned
wcolor_attr_byte(char c)
{
    static const unsigned attrs[] = {
        0, WCOLOR_BOLD, WCOLOR_REVERSE, WCOLOR_ITALIC, WCOLOR_UNDERLINE, WCOLOR_BLINK, WCOLOR_DIM,
    };

    return c >= 1 && c <= 6 ? attrs[(int)c] : 0;
}

static size_t
wcolor_left(const struct tui_wcolor_reader *r)
{
    return (size_t)(r->end - r->p);
}

/* Reads n digits as a number; -1 (and n bytes consumed) when they are not all digits, -2 (and
 * everything consumed) when the text ends first. */
static int
wcolor_digits(struct tui_wcolor_reader *r, size_t n)
{
    int v = 0;

    if (wcolor_left(r) < n) {
        r->p = r->end;
        return -2;
    }
    for (size_t i = 0; i < n; i++) {
        if (r->p[i] < '0' || r->p[i] > '9')
            v = -1;
        else if (v >= 0)
            v = v * 10 + (r->p[i] - '0');
    }
    r->p += n;
    return v;
}

static unsigned
wcolor_read_attrs(struct tui_wcolor_reader *r)
{
    unsigned flags = 0, f;

    while (r->p < r->end && (f = wcolor_attr_flag(*r->p)) != 0) {
        flags |= f;
        r->p++;
    }
    return flags;
}

/* A colour after 'F', 'B' or '*': "NN" (basic) or "@NNNNN" (xterm), with attributes before
 * the number where fg says so. Returns the xterm colour, -1 for default, or -2: none. */
static int
wcolor_read_color(struct tui_wcolor_reader *r, bool fg, unsigned *flags)
{
    bool extended = r->p < r->end && *r->p == '@';
    int v;

    if (extended)
        r->p++;
    if (fg)
        *flags = wcolor_read_attrs(r);
    v = wcolor_digits(r, extended ? 5 : 2);
    if (v < 0)
        return -2;
    if (extended)
        return v <= WCOLOR_MAX_XTERM ? v : -2;
    if (v >= WCOLOR_N_BASIC)
        return -2;
    /* WeeChat draws "white" text in the terminal's own foreground (color_real_white off). */
    return fg && v == WCOLOR_WHITE ? -1 : wcolor_basic[v];
}

/* A foreground colour code also sets the attributes it names and removes the others, unless
 * it carries '|'. One whose colour is not drawable changes nothing, as in WeeChat. */
static void
wcolor_apply_fg(struct tui_wcolor_reader *r, int fg, unsigned flags)
{
    if (fg == -2)
        return;
    if (!(flags & WCOLOR_KEEP))
        r->style.attrs = 0;
    r->style.attrs |= flags & ~WCOLOR_KEEP;
    r->style.fg = fg;
}

/* "\x19*": foreground, then ',' or '~' and background; applied only when both are there. */
static void
wcolor_read_fg_bg(struct tui_wcolor_reader *r)
{
    unsigned flags = 0;
    int fg = wcolor_read_color(r, true, &flags), bg = -2;

    if (r->p < r->end && (*r->p == ',' || *r->p == '~')) {
        r->p++;
        bg = wcolor_read_color(r, false, NULL);
    }
    if (fg != -2 && bg != -2) {
        wcolor_apply_fg(r, fg, flags);
        r->style.bg = bg;
    }
}

/* "\x19NN": one of WeeChat's own colours, which also resets the attributes. */
static void
wcolor_read_chat(struct tui_wcolor_reader *r)
{
    int n = (r->p[0] - '0') * 10 + (r->p[1] - '0');

    r->p += 2;
    if (n >= WCOLOR_N_CHAT)
        return;
    r->style.attrs = 0;
    r->style.fg = wcolor_chat[n].fg == 15 ? -1 : wcolor_chat[n].fg;
    r->style.bg = wcolor_chat[n].bg;
}

static bool
wcolor_is_digit(const struct tui_wcolor_reader *r, size_t at)
{
    return wcolor_left(r) > at && r->p[at] >= '0' && r->p[at] <= '9';
}

/* The bytes after 0x19. */
static void
wcolor_read_code(struct tui_wcolor_reader *r)
{
    unsigned flags = 0;
    int color;
    char kind = r->p < r->end ? *r->p : '\0';

    if (kind == 'F' || kind == 'B' || kind == '*' || kind == '@' || kind == 'E' || kind == 'b' ||
        kind == WCOLOR_RESET)
        r->p++;
    switch (kind) {
    case 'F':
        color = wcolor_read_color(r, true, &flags);
        wcolor_apply_fg(r, color, flags);
        break;
    case 'B':
        color = wcolor_read_color(r, false, NULL);
        if (color != -2)
            r->style.bg = color;
        break;
    case '*':
        wcolor_read_fg_bg(r);
        break;
    case '@':
        /* A curses colour pair of the sender's: its colours are unknown here. */
        if (wcolor_is_digit(r, 0) && wcolor_is_digit(r, 1) && wcolor_is_digit(r, 2) &&
            wcolor_is_digit(r, 3) && wcolor_is_digit(r, 4)) {
            r->p += 5;
            r->style = (struct tui_wcolor_style){ -1, -1, 0 };
        }
        break;
    case 'E':
        r->emphasis = !r->emphasis;
        break;
    case 'b':
        /* Bar codes (colours of a bar, input and item markers) mean nothing in a chat line. */
        if (r->p < r->end && strchr("FDB_-#ils", *r->p))
            r->p++;
        break;
    case WCOLOR_RESET:
        /* Colours back to the chat's, attributes kept. */
        r->style.fg = -1;
        r->style.bg = -1;
        break;
    default:
        if (wcolor_is_digit(r, 0) && wcolor_is_digit(r, 1))
            wcolor_read_chat(r);
        break;
    }
}

/* Applies the code at r->p (a byte below 0x20); unknown control bytes are skipped. */
static void
wcolor_read_control(struct tui_wcolor_reader *r)
{
    char c = *r->p++;
    unsigned attr;

    if (c == WCOLOR_CODE) {
        wcolor_read_code(r);
    } else if (c == WCOLOR_SET_ATTR || c == WCOLOR_UNSET_ATTR) {
        attr = r->p < r->end ? wcolor_attr_byte(*r->p) : 0;
        if (attr) {
            r->p++;
            if (c == WCOLOR_SET_ATTR)
                r->style.attrs |= attr;
            else
                r->style.attrs &= ~attr;
        }
    } else if (c == WCOLOR_RESET) {
        r->style = (struct tui_wcolor_style){ -1, -1, 0 };
    }
}

static bool
wcolor_is_control(char c)
{
    return (unsigned char)c < 0x20 || c == 0x7f;
}

void
client_tui_wcolor_init(struct tui_wcolor_reader *r, const char *text, size_t len)
{
    *r = (struct tui_wcolor_reader){ .p = text, .end = text + len, .style = { -1, -1, 0 } };
}

bool
client_tui_wcolor_next(struct tui_wcolor_reader *r, struct tui_wcolor_run *run)
{
    const char *start;

    while (r->p < r->end && wcolor_is_control(*r->p))
        wcolor_read_control(r);
    if (r->p == r->end)
        return false;
    start = r->p;
    while (r->p < r->end && !wcolor_is_control(*r->p))
        r->p++;
    run->text = start;
    run->len = (size_t)(r->p - start);
    run->style = r->style;
    if (r->emphasis)
        run->style = (struct tui_wcolor_style){ WCOLOR_YELLOW, WCOLOR_EMPH_BG, 0 };
    return true;
}
