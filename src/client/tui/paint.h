/* SPDX-License-Identifier: MIT */
/* Text with WeeChat colour codes drawn on the curses screen, in as many colours as it has. */
#ifndef PERCH_CLIENT_TUI_PAINT_H
#define PERCH_CLIENT_TUI_PAINT_H

#include <curses.h>

/*
 * Draws text at y, x in at most width columns, its codes applied over base (A_REVERSE on the
 * title bar); codes are never shown. Returns the columns used. Needs initscr() (and
 * start_color() for colours); colour pairs are made as needed, the default pair once they
 * run out.
 */
int client_tui_paint(int y, int x, int width, const char *text, attr_t base);

#endif
