/* SPDX-License-Identifier: MIT */
/* The terminal UI (ncursesw): buffer list, chat, nicklist, title, status and input lines. */
#ifndef PERCH_CLIENT_TUI_TUI_H
#define PERCH_CLIENT_TUI_TUI_H

#include <uv.h>

#include "client/live.h"

/* Gives the terminal back for a prompt, and takes it again. */
void client_tui_pause(void);
void client_tui_resume(void);

/* Runs the UI on a connection set up by opts (its view is replaced). Returns the exit code. */
int client_tui_run(uv_loop_t *loop, struct live_opts *opts);

#endif
