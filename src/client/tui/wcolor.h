/* SPDX-License-Identifier: MIT */
/*
 * WeeChat's internal colour codes (as the relay sends them with colors=weechat) read into runs
 * of text that share one style. No I/O and no curses: the terminal UI draws the runs.
 */
#ifndef PERCH_CLIENT_TUI_WCOLOR_H
#define PERCH_CLIENT_TUI_WCOLOR_H

#include <stdbool.h>
#include <stddef.h>

/* Attributes, as WeeChat names them. */
enum {
    WCOLOR_BOLD = 1 << 0,
    WCOLOR_REVERSE = 1 << 1,
    WCOLOR_ITALIC = 1 << 2,
    WCOLOR_UNDERLINE = 1 << 3,
    WCOLOR_BLINK = 1 << 4,
    WCOLOR_DIM = 1 << 5,
};

/* Colours are xterm numbers 0..255 (WeeChat's basic colours are 0..15), or -1: the
 * terminal's default. */
struct tui_wcolor_style {
    int fg;
    int bg;
    unsigned attrs;
};

/* Text without codes (pointing into the input) and how to draw it. */
struct tui_wcolor_run {
    const char *text;
    size_t len;
    struct tui_wcolor_style style;
};

struct tui_wcolor_reader {
    const char *p;
    const char *end;
    struct tui_wcolor_style style;
    bool emphasis; /* between two "\x19E": drawn in WeeChat's emphasis colours */
};

/* Starts reading len bytes of text in the default style. */
void client_tui_wcolor_init(struct tui_wcolor_reader *r, const char *text, size_t len);
/*
 * The next run of text, codes before it applied; false at the end. Codes that cannot be drawn
 * (bar codes, unknown colour numbers) and other control bytes are dropped, never returned as
 * text; an incomplete code at the end of the text is dropped too.
 */
bool client_tui_wcolor_next(struct tui_wcolor_reader *r, struct tui_wcolor_run *run);

#endif
