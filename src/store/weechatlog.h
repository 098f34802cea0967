/* SPDX-License-Identifier: MIT */
/* One line of a WeeChat log file, "DATE\tPREFIX\tMESSAGE", both ways and without I/O. */
#ifndef PERCH_STORE_WEECHATLOG_H
#define PERCH_STORE_WEECHATLOG_H

#include <stddef.h>
#include <stdint.h>

#define STORE_WEECHATLOG_SUFFIX   ".weechatlog"
#define STORE_WEECHATLOG_DATE_LEN 20 /* "YYYY-MM-DD HH:MM:SS" + NUL */

/* A parsed line: pointers into the text given, not NUL-terminated. */
struct store_weechatlog_line {
    int64_t date_us;
    const char *prefix;
    size_t prefix_len;
    const char *message;
    size_t message_len;
};

/* Writes the date (seconds kept, local time) as WeeChat's logger writes it with the
 * time_format of WeeChat up to 4.7, "%Y-%m-%d %H:%M:%S". */
void store_weechatlog_date(int64_t date_us, char out[STORE_WEECHATLOG_DATE_LEN]);
/*
 * Parses the dates WeeChat's logger writes: "YYYY-MM-DD HH:MM:SS" in local time (up to
 * 4.7), and the ISO 8601 / RFC 3339 forms of 4.8 and later: a 'T' instead of the space,
 * a fraction of 1 to 6 digits after '.' or ',', then 'Z' (UTC) or an offset (+hh, +hhmm,
 * +hh:mm, after an optional space). 0, or -EINVAL for anything else, and for a date past
 * 9999-12-31 23:59:59 UTC.
 */
int store_weechatlog_parse_date(const char *text, size_t len, int64_t *us);
/*
 * Parses a line without its line feed: a date, a tab, then the prefix and a tab before the
 * message; with no second tab the whole rest is the message (WeeChat's info lines).
 * 0, or -EINVAL when the line does not start with a date and a tab (in WeeChat's files,
 * such a line continues the message of the line before).
 */
int store_weechatlog_parse(const char *line, size_t len, struct store_weechatlog_line *out);

#endif
