/* SPDX-License-Identifier: MIT */
/*
 * Lines from a server's byte stream: split on LF (a CR before it dropped), each at most
 * max bytes; a longer line is cut there and the rest of it skipped (counted), so a
 * server can neither grow perch's memory nor stall the connection.
 */
#ifndef PERCH_IRC_READER_H
#define PERCH_IRC_READER_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"

typedef void (*irc_line_cb)(const char *line, size_t len, void *data);

struct irc_reader {
    struct buf line;
    size_t max;
    bool skipping;   /* inside a line past max */
    size_t too_long; /* lines cut so far */
};

void irc_reader_init(struct irc_reader *r, size_t max);
void irc_reader_fini(struct irc_reader *r);
/* Calls cb for each complete line in data (without CR LF). cb may not free r. */
void irc_reader_feed(struct irc_reader *r, const char *data, size_t len, irc_line_cb cb,
                     void *cb_data);

/* The bytes of a line not complete yet (len 0: none), and whether its end is being skipped. */
const char *irc_reader_partial(const struct irc_reader *r, size_t *len);
/* Puts a partial line back (an upgrade hands it over): the next bytes fed continue it. Bytes
 * past max are dropped as a longer line's would be. */
void irc_reader_restore(struct irc_reader *r, const char *data, size_t len, bool skipping);

#endif
