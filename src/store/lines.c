/* SPDX-License-Identifier: MIT */
/* Lines: written as they are printed, read back for restarts and for history past memory. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "core/color.h"
#include "core/core.h"
#include "internal.h"

static const char *
lines_column_text(sqlite3_stmt *row, int col)
{
    const unsigned char *text = sqlite3_column_text(row, col);

    return text ? (const char *)text : "";
}

struct core_line *
store__line_from_row(sqlite3_stmt *row)
{
    struct core_line_spec spec = {
        .prefix = lines_column_text(row, 6),
        .message = lines_column_text(row, 7),
        .tags = lines_column_text(row, 8),
        .date_us = sqlite3_column_int64(row, 1),
        .y = -1,
    };
    struct core_line *line = core_line_new(&spec, sqlite3_column_int64(row, 2));

    line->id = sqlite3_column_int64(row, 0);
    line->y = -1;
    line->date_us = spec.date_us;
    line->displayed = sqlite3_column_int(row, 3) != 0;
    line->highlight = sqlite3_column_int(row, 4) != 0;
    line->notify_level = sqlite3_column_int(row, 5);
    return line;
}

char *
store__join_tags(const struct core_line *line)
{
    struct buf tags;

    buf_init(&tags, SIZE_MAX);
    for (size_t i = 0; i < line->n_tags; i++) {
        if (i)
            buf_append_char(&tags, ',');
        buf_append_str(&tags, line->tags[i]);
    }
    return tags.data ? tags.data : xstrdup("");
}

bool
store__write_line(struct store *st, int64_t log_id, const struct core_line *line)
{
    sqlite3_stmt *s = store__stmt(st, STORE_INSERT_LINE);
    char *tags = store__join_tags(line);
    bool ok;

    sqlite3_bind_int64(s, 1, log_id);
    sqlite3_bind_int64(s, 2, line->id);
    sqlite3_bind_int64(s, 3, line->date_us);
    sqlite3_bind_int64(s, 4, line->printed_us);
    sqlite3_bind_int(s, 5, line->displayed);
    sqlite3_bind_int(s, 6, line->highlight);
    sqlite3_bind_int(s, 7, line->notify_level);
    sqlite3_bind_text(s, 8, line->prefix, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 9, line->message, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 10, tags, -1, SQLITE_STATIC);
    ok = sqlite3_step(s) == SQLITE_DONE;
    /* Already there (taken over after an upgrade): its text is indexed already. */
    if (ok && sqlite3_changes(st->db) == 1)
        store__index_later(st, sqlite3_last_insert_rowid(st->db), line);
    sqlite3_reset(s);
    free(tags);
    return ok;
}

/* Up to max rows of a history, oldest first, in *out (grown with realloc). A read that
 * fails (a damaged page) is logged and *failed set; the rows read before it are kept. */
static size_t
lines_query(struct store *st, int64_t log_id, int64_t lo, int64_t hi, size_t max, bool newest,
            struct core_line ***out, bool *failed)
{
    sqlite3_stmt *s = store__stmt(st, newest ? STORE_LINES_NEWEST : STORE_LINES_OLDEST);
    size_t n = 0, cap = 0;
    int rc;

    *out = NULL;
    sqlite3_bind_int64(s, 1, log_id);
    sqlite3_bind_int64(s, 2, lo);
    sqlite3_bind_int64(s, 3, hi);
    sqlite3_bind_int64(s, 4, max > INT64_MAX ? INT64_MAX : (int64_t)max);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (n == cap)
            *out = xrealloc(*out, (cap = cap ? cap * 2 : 64) * sizeof(**out));
        (*out)[n++] = store__line_from_row(s);
    }
    *failed = rc != SQLITE_DONE;
    if (*failed)
        log_error("store: cannot read %s: %s", st->path, sqlite3_errmsg(st->db));
    sqlite3_reset(s);
    if (newest) {
        for (size_t i = 0; i < n / 2; i++) {
            struct core_line *tmp = (*out)[i];
            (*out)[i] = (*out)[n - 1 - i];
            (*out)[n - 1 - i] = tmp;
        }
    }
    return n;
}

int
store__continue_history(struct store *st, struct core_buffer *b, const struct store__buffer *sb)
{
    sqlite3_stmt *s = store__stmt(st, STORE_MAX_LINE_ID);
    int rc;

    /* Its lines stay on disk until a client asks for them (core_buffer_lines_fill). */
    b->history_older = true;
    /* Ids continue after every stored line, those hidden by a clear too. */
    sqlite3_bind_int64(s, 1, sb->log_id);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL)
        core_buffer_continue_ids(b, sqlite3_column_int64(s, 0) + 1);
    sqlite3_reset(s);
    return rc != SQLITE_ROW ? -1 : 0;
}

/* ---- the core's history ---- */

static size_t
history_lines(void *data, const struct core_buffer *b, int64_t above, int64_t below, size_t max,
              bool newest, struct core_line ***out)
{
    struct store *st = data;
    const struct store__buffer *sb = store__buffer_get(st, b->id);
    int64_t lo, hi;
    bool failed;

    *out = NULL;
    if (!sb || sb->log_id < 0 || max == 0)
        return 0;
    lo = above + 1 > sb->history_from ? above + 1 : sb->history_from;
    hi = below < 0 ? INT64_MAX : below - 1;
    return lo > hi ? 0 : lines_query(st, sb->log_id, lo, hi, max, newest, out, &failed);
}

static struct core_line *
history_line(void *data, const struct core_buffer *b, int64_t id)
{
    struct store *st = data;
    const struct store__buffer *sb = store__buffer_get(st, b->id);
    struct core_line *line = NULL;
    sqlite3_stmt *s;

    if (!sb || sb->log_id < 0)
        return NULL;
    s = store__stmt(st, STORE_LINE_BY_ID);
    sqlite3_bind_int64(s, 1, sb->log_id);
    sqlite3_bind_int64(s, 2, id);
    if (sqlite3_step(s) == SQLITE_ROW)
        line = store__line_from_row(s);
    sqlite3_reset(s);
    return line;
}

void
store__history_init(struct store *st)
{
    st->core->history = (struct core_history){
        .lines = history_lines,
        .line = history_line,
        .search = store__search,
        .data = st,
    };
}
