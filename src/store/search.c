/* SPDX-License-Identifier: MIT */
/* Full-text search (FTS5) of every stored line, newest first, for the core's history. */
#include "core/search.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "core/core.h"
#include "internal.h"

/* Log ids start at 1: a buffer that exists but has stored nothing yet searches this one. */
#define SEARCH_NO_LOG 0

/* The newest history a closed buffer wrote to, or -1. */
static int64_t
search_log_of_closed(struct store *st, int64_t buffer_id)
{
    sqlite3_stmt *s = store__stmt(st, STORE_LOG_OF_BUFFER);
    int64_t log_id = -1;

    sqlite3_bind_int64(s, 1, buffer_id);
    if (sqlite3_step(s) == SQLITE_ROW)
        log_id = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    return log_id;
}

static int64_t
search_log_of_open(struct store *st, const struct core_buffer *b)
{
    const struct store__buffer *sb = store__buffer_get(st, b->id);

    return sb && sb->log_id > 0 ? sb->log_id : SEARCH_NO_LOG;
}

static int64_t
search_log_by_id(struct store *st, int64_t buffer_id)
{
    const struct core_buffer *b = core_buffer_by_id(st->core, buffer_id);

    return b ? search_log_of_open(st, b) : search_log_of_closed(st, buffer_id);
}

/* An open buffer by id or name as everywhere, else a closed one's history by its last id
 * or the name it is kept under. -1 when nothing has that name. */
static int64_t
search_log_named(struct store *st, const char *text)
{
    const struct core_buffer *b = core_buffer_search(st->core, text);
    sqlite3_stmt *s;
    int64_t log_id = -1;
    char *end;
    long long id;

    if (b)
        return search_log_of_open(st, b);
    errno = 0;
    id = strtoll(text, &end, 10);
    if (*text && !*end && !errno)
        return search_log_of_closed(st, id);
    s = store__stmt(st, STORE_FIND_LOG);
    sqlite3_bind_text(s, 1, text, -1, SQLITE_STATIC);
    if (sqlite3_step(s) == SQLITE_ROW)
        log_id = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    return log_id;
}

/* Where line id of a buffer's history is stored (its seq), or -1. */
static int64_t
search_line_seq(struct store *st, int64_t buffer_id, int64_t line_id)
{
    int64_t log_id = search_log_by_id(st, buffer_id), seq = -1;
    sqlite3_stmt *s;

    if (log_id <= SEARCH_NO_LOG)
        return -1;
    s = store__stmt(st, STORE_LINE_SEQ);
    sqlite3_bind_int64(s, 1, log_id);
    sqlite3_bind_int64(s, 2, line_id);
    if (sqlite3_step(s) == SQLITE_ROW)
        seq = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    return seq;
}

/* The open buffer writing to a history. logs.buffer_id names it, except after a rolled-back
 * batch took back the update that made it so: then the buffers are asked. */
static const struct core_buffer *
search_writer(struct store *st, int64_t log_id, int64_t last_buffer_id)
{
    const struct core_buffer *b = core_buffer_by_id(st->core, last_buffer_id);
    const struct store__buffer *sb = b ? store__buffer_get(st, b->id) : NULL;

    if (sb && sb->log_id == log_id)
        return b;
    for (size_t i = 0; i < st->buffers_cap; i++) {
        if (st->buffers[i].id && st->buffers[i].log_id == log_id)
            return core_buffer_by_id(st->core, st->buffers[i].id);
    }
    return NULL;
}

/* A result row: the line (columns 0-8), its history, the history's last buffer and name. */
static void
search_match_from_row(struct store *st, sqlite3_stmt *row, struct core_search_match *m)
{
    int64_t last_buffer_id = sqlite3_column_int64(row, 10);
    const struct core_buffer *b = search_writer(st, sqlite3_column_int64(row, 9), last_buffer_id);
    const unsigned char *name = sqlite3_column_text(row, 11);

    m->line = store__line_from_row(row);
    m->buffer_id = b ? b->id : last_buffer_id;
    m->buffer_name = xstrdup(b ? b->full_name : name ? (const char *)name : "");
}

/* A bad query fails as SQLITE_ERROR on the first step; anything else is the store's fault.
 * Neither marks the store unhealthy: nothing was written. */
static int
search_collect(struct store *st, sqlite3_stmt *s, size_t max, struct core_search_result *out)
{
    int rc = SQLITE_DONE;

    out->matches = xcalloc(max, sizeof(*out->matches));
    while (out->n_matches < max && (rc = sqlite3_step(s)) == SQLITE_ROW)
        search_match_from_row(st, s, &out->matches[out->n_matches++]);
    if (out->n_matches < max && rc != SQLITE_DONE) {
        snprintf(out->error, sizeof(out->error), "%s", sqlite3_errmsg(st->db));
        sqlite3_reset(s);
        return (rc & 0xff) == SQLITE_ERROR ? -EINVAL : -EIO;
    }
    sqlite3_reset(s);
    return 0;
}

int
store__search(void *data, const struct core_search_query *q, struct core_search_result *out)
{
    struct store *st = data;
    int64_t log_id = -1, below_seq = INT64_MAX;
    size_t max = q->max < 1 ? 1 : q->max > CORE_SEARCH_MAX ? CORE_SEARCH_MAX : q->max;
    sqlite3_stmt *s;

    /* Lines whose entries wait for their batch are found too. */
    if (store__index_due(st, true) && (!store__writing(st) || !store__index_drain(st)))
        store__fail(st, "cannot write to");
    if (q->buffer && (log_id = search_log_named(st, q->buffer)) < 0)
        return -ENOENT;
    if (q->before >= 0 && q->before_buffer >= 0 &&
        (below_seq = search_line_seq(st, q->before_buffer, q->before)) < 0)
        return -ESRCH;
    s = store__stmt(st, log_id >= 0 ? STORE_SEARCH_LOG : STORE_SEARCH_ALL);
    sqlite3_bind_text(s, 1, q->text, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, below_seq);
    sqlite3_bind_int64(s, 3, (int64_t)max);
    if (log_id >= 0) {
        sqlite3_bind_int64(s, 4, log_id);
        sqlite3_bind_int64(s, 5, q->before >= 0 && q->before_buffer < 0 ? q->before : INT64_MAX);
    }
    return search_collect(st, s, max, out);
}
