/* SPDX-License-Identifier: MIT */
/* Splitting a server's byte stream into lines. */
#include "reader.h"

#include <string.h>

void
irc_reader_init(struct irc_reader *r, size_t max)
{
    buf_init(&r->line, max);
    r->max = max;
    r->skipping = false;
    r->too_long = 0;
}

void
irc_reader_fini(struct irc_reader *r)
{
    buf_fini(&r->line);
}

static void
reader_emit(struct irc_reader *r, irc_line_cb cb, void *cb_data)
{
    size_t len = r->line.len;

    if (len && r->line.data[len - 1] == '\r')
        len--;
    /* Empty lines (keep-alive CR LF) mean nothing. */
    if (len)
        cb(r->line.data, len, cb_data);
    buf_reset(&r->line);
}

void
irc_reader_feed(struct irc_reader *r, const char *data, size_t len, irc_line_cb cb, void *cb_data)
{
    while (len) {
        const char *lf = memchr(data, '\n', len);
        size_t take = lf ? (size_t)(lf - data) : len;
        if (!r->skipping) {
            size_t room = r->max - r->line.len;
            if (take > room) {
                /* The line is cut at max; what follows up to its end is dropped. */
                buf_append(&r->line, data, room);
                r->too_long++;
                r->skipping = true;
                reader_emit(r, cb, cb_data);
            } else {
                buf_append(&r->line, data, take);
            }
        }
        if (!lf)
            return;
        if (!r->skipping)
            reader_emit(r, cb, cb_data);
        r->skipping = false;
        data = lf + 1;
        len -= take + 1;
    }
}

const char *
irc_reader_partial(const struct irc_reader *r, size_t *len)
{
    *len = r->line.len;
    return r->line.len ? r->line.data : "";
}

void
irc_reader_restore(struct irc_reader *r, const char *data, size_t len, bool skipping)
{
    buf_reset(&r->line);
    buf_append(&r->line, data, len < r->max ? len : r->max);
    r->skipping = skipping;
}
