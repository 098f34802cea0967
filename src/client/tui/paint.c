/* SPDX-License-Identifier: MIT */
/* Styled runs (wcolor.c) onto the curses screen: attributes, colour pairs, narrower palettes. */
#include "paint.h"

#include <limits.h>
#include <stdbool.h>
#include <string.h>
#include <wchar.h>

#include "wcolor.h"

#define PAINT_N_COLORS 257 /* the default colour (-1) and xterm's 0..255 */

/* Pair numbers made so far, by (fg + 1) * PAINT_N_COLORS + bg + 1; 0 when not made yet. */
static short paint_pairs[PAINT_N_COLORS * PAINT_N_COLORS];
static short paint_n_pairs;

/* An xterm colour past 15 as the nearest of the first 16 (the 6x6x6 cube, then the greys). */
static int
paint_to_16(int c)
{
    if (c < 16)
        return c;
    if (c >= 232)
        return c < 238 ? 0 : c < 244 ? 8 : c < 250 ? 7 : 15;
    c -= 16;
    int r = c / 36, g = (c / 6) % 6, b = c % 6;
    int max = r > g ? (r > b ? r : b) : (g > b ? g : b);
    /* The channels that make most of the colour, as ANSI's red, green and blue bits. */
    int basic =
        (r && 2 * r >= max ? 1 : 0) | (g && 2 * g >= max ? 2 : 0) | (b && 2 * b >= max ? 4 : 0);

    if (!basic)
        return 0;
    if (basic == 7 && max <= 2)
        return 8; /* a dark grey */
    return basic + (max >= 4 ? 8 : 0);
}

/* The colour to ask this terminal for; *bright when only bold can show it (8 colours). */
static short
paint_fit(int c, bool *bright)
{
    if (c < 0)
        return -1;
    if (COLORS >= 256)
        return (short)c;
    c = paint_to_16(c);
    if (COLORS >= 16)
        return (short)c;
    *bright = c >= 8;
    return (short)(c & 7);
}

static short
paint_pair(int fg, int bg, attr_t *attrs)
{
    bool bright = false, bg_bright = false;

    if (!has_colors() || (fg < 0 && bg < 0))
        return 0;
    short cf = paint_fit(fg, &bright), cb = paint_fit(bg, &bg_bright);
    size_t key = (size_t)(cf + 1) * PAINT_N_COLORS + (size_t)(cb + 1);

    if (bright)
        *attrs |= A_BOLD;
    if (!paint_pairs[key]) {
        if (paint_n_pairs + 1 >= COLOR_PAIRS || paint_n_pairs == SHRT_MAX)
            return 0;
        paint_pairs[key] = ++paint_n_pairs;
        init_pair(paint_pairs[key], cf, cb);
    }
    return paint_pairs[key];
}

static attr_t
paint_attrs(unsigned attrs)
{
    static const struct {
        unsigned wcolor;
        attr_t curses;
    } map[] = {
        { WCOLOR_BOLD, A_BOLD },     { WCOLOR_REVERSE, A_REVERSE },
        { WCOLOR_ITALIC, A_ITALIC }, { WCOLOR_UNDERLINE, A_UNDERLINE },
        { WCOLOR_BLINK, A_BLINK },   { WCOLOR_DIM, A_DIM },
    };

    attr_t out = 0;

    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        if (attrs & map[i].wcolor)
            out |= map[i].curses;
    }
    return out;
}

/* Adds the characters of one run while they fit; false when the width is used up. */
static bool
paint_run(const char *p, size_t len, int width, int *used)
{
    mbstate_t st;

    memset(&st, 0, sizeof(st));
    while (len) {
        wchar_t wc;
        size_t n = mbrtowc(&wc, p, len, &st);
        if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
            /* Not UTF-8 (or a NUL): the byte is dropped, the rest still shown. */
            memset(&st, 0, sizeof(st));
            p++;
            len--;
            continue;
        }
        int w = wcwidth(wc);
        if (w < 0)
            w = 1;
        if (*used + w > width)
            return false;
        addnstr(p, (int)n);
        *used += w;
        p += n;
        len -= n;
    }
    return *used < width;
}

int
client_tui_paint(int y, int x, int width, const char *text, attr_t base)
{
    struct tui_wcolor_reader r;
    struct tui_wcolor_run run;
    int used = 0;

    move(y, x);
    client_tui_wcolor_init(&r, text, strlen(text));
    while (used < width && client_tui_wcolor_next(&r, &run)) {
        attr_t attrs = base | paint_attrs(run.style.attrs);
        short pair = paint_pair(run.style.fg, run.style.bg, &attrs);
        attr_set(attrs, pair, NULL);
        if (!paint_run(run.text, run.len, width, &used))
            break;
    }
    attr_set(A_NORMAL, 0, NULL);
    return used;
}
