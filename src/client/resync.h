/* SPDX-License-Identifier: MIT */
/*
 * Paging back after a reconnect. The relay's snapshot holds only its latest lines: the ones
 * between the last line shown and the snapshot are fetched with lines=-N&before=ID, newest
 * page first, then shown oldest first, followed by the snapshot and by the live lines that
 * came meanwhile. Bounded in pages and held lines; a relay that ignores before= (WeeChat's
 * answers with its latest lines again) ends it. I/O-free: the caller sends the requests.
 */
#ifndef PERCH_CLIENT_RESYNC_H
#define PERCH_CLIENT_RESYNC_H

#include <stdbool.h>
#include <stdint.h>

struct pjson;
struct client_resync;

#define CLIENT_RESYNC_PAGE_LINES 1000  /* lines=-N of each page */
#define CLIENT_RESYNC_MAX_PAGES  20    /* pages per buffer per resync */
#define CLIENT_RESYNC_MAX_HELD   20000 /* snapshot and live lines held while paging */

/* A line, shown when it is held no longer (oldest first, each once). */
typedef void (*client_resync_line_cb)(void *data, const struct pjson *line);

/*
 * Starts paging back when the snapshot's lines (an array, oldest first) begin after the line
 * following last_shown; copies them. NULL when nothing is missing or nothing was shown yet
 * (last_shown < 0): the snapshot can be shown as it is.
 */
struct client_resync *client_resync_new(int64_t last_shown, const struct pjson *lines);
/* Frees r and every line it holds. Accepts NULL. */
void client_resync_free(struct client_resync *r);
/* The before= of the next page to ask for: the oldest line id fetched so far. */
int64_t client_resync_before(const struct client_resync *r);
/*
 * Takes a page (an array of lines, oldest first; copied). True: ask for the next page.
 * False: done, because the pages reach last_shown, the bound is reached, or the page brought
 * nothing older than client_resync_before() (nothing left, or a relay that ignores before=).
 */
bool client_resync_page(struct client_resync *r, const struct pjson *page);
/* Holds a live line that came while paging (copied). False: the bound is reached, end now. */
bool client_resync_hold(struct client_resync *r, const struct pjson *line);
/* Lines after last_shown older than anything fetched: not shown if the resync ends now. */
int64_t client_resync_missing(const struct client_resync *r);
/* Calls cb with every line held, oldest first: the pages, then the snapshot and live lines. */
void client_resync_each(const struct client_resync *r, client_resync_line_cb cb, void *data);

#endif
