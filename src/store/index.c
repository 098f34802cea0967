/* SPDX-License-Identifier: MIT */
/*
 * The search index, written in batches and kept merged in small steps. FTS5 writes a
 * segment at every commit that indexed something, and merges segments as they pile up,
 * inside whichever commit comes: indexing in each one-line commit of the loop made those
 * merges stall it for tens of milliseconds. Here lines are committed at once as before;
 * their search text waits in a queue written at most every [store] index_delay (or when
 * a search, a retention step or a clean stop needs every entry), in the batch's
 * transaction. Automatic merging is off: store_index_step merges a few pages at a time
 * between the loop's turns.
 *
 * The mark "indexed_seq" (every line up to it has its entry) moves in the transaction
 * that writes the entries: after a crash the lines past it are indexed again at start-up,
 * none missed, none indexed twice.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/timefmt.h"
#include "base/xalloc.h"
#include "core/color.h"
#include "core/core.h"
#include "internal.h"

#define STORE_INDEX_BATCH 1000
/* Pages one merge step writes: about a millisecond. */
#define STORE_INDEX_MERGE_PAGES 4

void
store__entries_push(struct store__entries *e, int64_t seq, char *text)
{
    if (e->n == e->cap) {
        e->cap = e->cap ? e->cap * 2 : 256;
        e->v = xrealloc(e->v, e->cap * sizeof(*e->v));
    }
    e->v[e->n++] = (struct store__unindexed){ .seq = seq, .text = text };
}

/* Moves from's entries before to's (from comes first in line order). */
static void
entries_prepend(struct store__entries *to, struct store__entries *from)
{
    if (!from->n)
        return;
    if (to->n + from->n > to->cap) {
        to->cap = to->n + from->n;
        to->v = xrealloc(to->v, to->cap * sizeof(*to->v));
    }
    memmove(to->v + from->n, to->v, to->n * sizeof(*to->v));
    memcpy(to->v, from->v, from->n * sizeof(*from->v));
    to->n += from->n;
    from->n = 0;
}

void
store__entries_drop(struct store__entries *e, size_t from)
{
    for (size_t i = from; i < e->n; i++)
        free(e->v[i].text);
    e->n = from < e->n ? from : e->n;
}

void
store__entries_free(struct store__entries *e)
{
    store__entries_drop(e, 0);
    free(e->v);
    *e = (struct store__entries){ 0 };
}

/* Lines tagged no_log (command output, search results) are WeeChat's "not for the logs":
 * kept for the buffer, but not searched, or each search would find the last one's. */
static bool
index_wanted(const char *tags)
{
    size_t n = strlen("no_log");

    for (const char *p = tags; (p = strstr(p, "no_log")) != NULL; p += n) {
        if ((p == tags || p[-1] == ',') && (p[n] == '\0' || p[n] == ','))
            return false;
    }
    return true;
}

static void
sql_search_text(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const char *message = (const char *)sqlite3_value_text(argv[0]);

    (void)argc;
    sqlite3_result_text(ctx, core_color_convert(message ? message : "", CORE_COLOR_STRIP), -1,
                        free);
}

static void
sql_searched(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const char *tags = (const char *)sqlite3_value_text(argv[0]);

    (void)argc;
    sqlite3_result_int(ctx, index_wanted(tags ? tags : ""));
}

int
store__index_functions(sqlite3 *db)
{
    int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;

    if (sqlite3_create_function_v2(db, "perch_search_text", 1, flags, NULL, sql_search_text, NULL,
                                   NULL, NULL) != SQLITE_OK ||
        sqlite3_create_function_v2(db, "perch_searched", 1, flags, NULL, sql_searched, NULL, NULL,
                                   NULL) != SQLITE_OK)
        return -1;
    return 0;
}

void
store__index_later(struct store *st, int64_t seq, const struct core_line *line)
{
    if (!core_line_has_tag(line, "no_log"))
        store__entries_push(&st->pending, seq, core_color_convert(line->message, CORE_COLOR_STRIP));
}

static bool
index_mark(sqlite3_stmt *mark, int64_t seq)
{
    char value[24];
    bool ok;

    snprintf(value, sizeof(value), "%" PRId64, seq);
    sqlite3_bind_text(mark, 1, "indexed_seq", -1, SQLITE_STATIC);
    sqlite3_bind_text(mark, 2, value, -1, SQLITE_TRANSIENT);
    ok = sqlite3_step(mark) == SQLITE_DONE;
    sqlite3_reset(mark);
    return ok;
}

static bool
index_write(sqlite3_stmt *insert, sqlite3_stmt *mark, const struct store__entries *e, size_t from)
{
    bool ok = true;

    for (size_t i = from; ok && i < e->n; i++) {
        sqlite3_bind_int64(insert, 1, e->v[i].seq);
        sqlite3_bind_text(insert, 2, e->v[i].text, -1, SQLITE_STATIC);
        ok = sqlite3_step(insert) == SQLITE_DONE;
        sqlite3_reset(insert);
    }
    return ok && (from >= e->n || index_mark(mark, e->v[e->n - 1].seq));
}

bool
store__index_due(const struct store *st, bool now)
{
    size_t waiting = st->queue.n + st->pending.n - st->pending_written;

    return waiting && (now || st->queue.n >= STORE_INDEX_BATCH ||
                       (st->queue.n && timefmt_monotonic_us() >= st->index_due_us));
}

bool
store__index_drain(struct store *st)
{
    sqlite3_stmt *insert = store__stmt(st, STORE_INSERT_TEXT);
    bool ok =
        index_write(insert, store__stmt(st, STORE_SET_META), &st->queue, 0) &&
        index_write(insert, store__stmt(st, STORE_SET_META), &st->pending, st->pending_written);

    /* Taken from the queue: they come back to it if the transaction does not hold. */
    for (size_t i = 0; i < st->queue.n; i++)
        store__entries_push(&st->taken, st->queue.v[i].seq, st->queue.v[i].text);
    st->queue.n = 0;
    if (ok)
        st->pending_written = st->pending.n;
    return ok;
}

int
store__index_sync(struct store *st)
{
    if (!store__index_due(st, true))
        return 0;
    if (!store__writing(st) || !store__index_drain(st))
        store__fail(st, "cannot write to");
    return store__commit(st, false);
}

void
store__index_committed(struct store *st)
{
    bool wrote = st->taken.n || st->pending_written;

    store__entries_drop(&st->taken, 0);
    /* The others wait in the queue for a batch, due a while after the first came. */
    if (st->queue.n == 0 && st->pending_written < st->pending.n)
        st->index_due_us = timefmt_monotonic_us() + st->index_delay_us;
    for (size_t i = 0; i < st->pending.n; i++) {
        if (i < st->pending_written)
            free(st->pending.v[i].text);
        else
            store__entries_push(&st->queue, st->pending.v[i].seq, st->pending.v[i].text);
    }
    st->pending.n = 0;
    st->pending_written = 0;
    st->merging |= wrote;
}

void
store__index_rolled_back(struct store *st)
{
    /* The batch's lines are gone; the entries taken from the queue wait again. */
    store__entries_drop(&st->pending, 0);
    st->pending_written = 0;
    entries_prepend(&st->queue, &st->taken);
}

void
store_index_delay_set(struct store *st, uint64_t ms)
{
    st->index_delay_us = ms > INT64_MAX / 1000 ? INT64_MAX : (int64_t)ms * 1000;
}

bool
store_index_step(struct store *st)
{
    char sql[96];
    int before;

    if (st->in_tx)
        return true;
    /* A batch rides with the lines' next commit; one of its own only when none came for
     * another delay (each commit writes its pages to the log: twice the commits, twice
     * the writing). */
    if (st->queue.n && timefmt_monotonic_us() >= st->index_due_us + st->index_delay_us) {
        store__commit(st, false);
        return true;
    }
    if (st->queue.n && !st->merging)
        return true;
    if (!st->merging)
        return false;
    /* Fewer than two changes: FTS5 found nothing to merge. */
    snprintf(sql, sizeof(sql), "INSERT INTO lines_text (lines_text, rank) VALUES ('merge', %d)",
             STORE_INDEX_MERGE_PAGES);
    before = sqlite3_total_changes(st->db);
    if (store__exec(st, sql) < 0 || sqlite3_total_changes(st->db) - before < 2)
        st->merging = false;
    return st->merging || store__index_due(st, false);
}

/* The lines a crash left out of the index, from the mark on. A database without the mark
 * (its lines were indexed as they came) gets it at its last line. Never fatal: what is
 * not written now waits for the next batch. */
void
store__index_recover(struct store *st)
{
    sqlite3_stmt *s = store__stmt(st, STORE_GET_META);
    int64_t mark = -1;
    int rc;

    sqlite3_bind_text(s, 1, "indexed_seq", -1, SQLITE_STATIC);
    if (sqlite3_step(s) == SQLITE_ROW)
        mark = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    rc = sqlite3_prepare_v2(st->db,
                            mark < 0 ? "SELECT coalesce(max(seq), 0), NULL, NULL FROM lines"
                                     : "SELECT seq, message, tags FROM lines WHERE seq > ?",
                            -1, &s, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(s, 1, mark);
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            const char *message = (const char *)sqlite3_column_text(s, 1);
            const char *tags = (const char *)sqlite3_column_text(s, 2);
            if (mark < 0)
                mark = sqlite3_column_int64(s, 0);
            else if (index_wanted(tags ? tags : ""))
                store__entries_push(&st->pending, sqlite3_column_int64(s, 0),
                                    core_color_convert(message ? message : "", CORE_COLOR_STRIP));
        }
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) {
        log_warn("store: cannot read %s to complete its search index: %s", st->path,
                 sqlite3_errmsg(st->db));
        store__entries_drop(&st->pending, 0);
        return;
    }
    if (st->pending.n) {
        log_info("store: indexing %zu lines a stop left out of the search index", st->pending.n);
    } else if (!store__writing(st) || !index_mark(store__stmt(st, STORE_SET_META), mark)) {
        store__fail(st, "cannot write to");
    }
    if (store__commit(st, true) < 0)
        log_warn("store: the search index of %s is completed later", st->path);
}
