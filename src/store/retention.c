/* SPDX-License-Identifier: MIT */
/* Retention: lines past the configured age or count leave the database in small steps. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/log.h"
#include "base/xalloc.h"
#include "core/color.h"
#include "core/core.h"
#include "internal.h"

/* Histories looked at per step: a step's reads stay bounded however many there are. */
#define RETENTION_LOGS_PER_STEP 32
/* Free pages handed back to the file system per step (4 KiB each by default). */
#define RETENTION_VACUUM_PAGES 256

enum retention_stmt {
    RETENTION_LOGS,
    RETENTION_ROWS,
    RETENTION_DELETE_LINE,
    RETENTION_DELETE_TEXT,
    RETENTION_NTH_NEWEST,
    RETENTION_STMT_COUNT,
};

static const char *const retention_sql[RETENTION_STMT_COUNT] = {
    [RETENTION_LOGS] = "SELECT id FROM logs WHERE id >= ? ORDER BY id LIMIT ?",
    [RETENTION_ROWS] = "SELECT seq, id, date_us, message FROM lines WHERE log_id = ?"
                       " ORDER BY id LIMIT ?",
    [RETENTION_DELETE_LINE] = "DELETE FROM lines WHERE seq = ?",
    /* A contentless index forgets a row only when told the very text it indexed. */
    [RETENTION_DELETE_TEXT] = "INSERT INTO lines_text (lines_text, rowid, text)"
                              " VALUES ('delete', ?, ?)",
    [RETENTION_NTH_NEWEST] = "SELECT id FROM lines WHERE log_id = ? ORDER BY id DESC"
                             " LIMIT 1 OFFSET ?",
};

struct retention_victim {
    int64_t seq;
    char *text; /* as indexed: the message without colours */
};

struct store__retention {
    int64_t max_age_us; /* 0: no age limit */
    int64_t max_lines;  /* 0: no count limit */
    int64_t next_log;   /* the history the next step starts with */
    bool paused;        /* the last step failed (logged once until one succeeds) */
    sqlite3_stmt *stmt[RETENTION_STMT_COUNT];
    struct retention_victim *victims;
    size_t n_victims, cap_victims;
};

void
store__retention_free(struct store *st)
{
    struct store__retention *r = st->retention;

    if (!r)
        return;
    for (int i = 0; i < RETENTION_STMT_COUNT; i++)
        sqlite3_finalize(r->stmt[i]);
    free(r->victims);
    free(r);
    st->retention = NULL;
}

static struct store__retention *
retention_new(struct store *st)
{
    struct store__retention *r = xcalloc(1, sizeof(*r));

    for (int i = 0; i < RETENTION_STMT_COUNT; i++) {
        if (sqlite3_prepare_v3(st->db, retention_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &r->stmt[i],
                               NULL) != SQLITE_OK) {
            log_error("store: retention: %s: %s", st->path, sqlite3_errmsg(st->db));
            st->retention = r;
            store__retention_free(st);
            return NULL;
        }
    }
    return r;
}

void
store_retention_set(struct store *st, int max_age_days, int64_t max_lines_per_buffer)
{
    if (!st->retention)
        st->retention = retention_new(st);
    if (!st->retention)
        return;
    st->retention->max_age_us = (int64_t)max_age_days * 86400 * 1000000;
    st->retention->max_lines = max_lines_per_buffer;
}

bool
store_retention_enabled(const struct store *st)
{
    return st->retention && (st->retention->max_age_us || st->retention->max_lines);
}

static sqlite3_stmt *
retention_stmt(struct store__retention *r, enum retention_stmt which)
{
    sqlite3_reset(r->stmt[which]);
    sqlite3_clear_bindings(r->stmt[which]);
    return r->stmt[which];
}

/* The oldest line id an open buffer of this history shows (INT64_MAX: none): the oldest
 * in memory, or, while lines a restart left on disk may come back into memory, the
 * oldest that memory would hold. */
static int64_t
retention_memory_floor(struct store *st, struct store__retention *r, int64_t log_id)
{
    for (size_t i = 0; i < st->buffers_cap; i++) {
        const struct core_buffer *b;
        int64_t floor = INT64_MAX;
        sqlite3_stmt *s;
        if (!st->buffers[i].id || st->buffers[i].log_id != log_id)
            continue;
        b = core_buffer_by_id(st->core, st->buffers[i].id);
        if (!b || b->type != CORE_BUFFER_FORMATTED)
            continue;
        if (core_buffer_line_count(b))
            floor = core_buffer_line_at(b, 0)->id;
        if (!b->history_older)
            return floor;
        s = retention_stmt(r, RETENTION_NTH_NEWEST);
        sqlite3_bind_int64(s, 1, log_id);
        sqlite3_bind_int64(s, 2, (int64_t)st->core->max_lines - 1);
        /* Fewer lines than memory holds: every one is shown. */
        int64_t shown = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : INT64_MIN;
        sqlite3_reset(s);
        return shown < floor ? shown : floor;
    }
    return INT64_MAX;
}

/* Lines with a lower id go by count: the history keeps its max_lines newest ids. */
static int
retention_count_floor(struct store *st, struct store__retention *r, int64_t log_id, int64_t *floor)
{
    sqlite3_stmt *s = store__stmt(st, STORE_MAX_LINE_ID);
    int rc;

    *floor = INT64_MIN;
    if (!r->max_lines)
        return 0;
    sqlite3_bind_int64(s, 1, log_id);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL)
        *floor = sqlite3_column_int64(s, 0) - r->max_lines + 1;
    sqlite3_reset(s);
    return rc == SQLITE_ROW ? 0 : -1;
}

static void
retention_add(struct store__retention *r, int64_t seq, const char *message)
{
    if (r->n_victims == r->cap_victims) {
        r->cap_victims = r->cap_victims ? r->cap_victims * 2 : 64;
        r->victims = xrealloc(r->victims, r->cap_victims * sizeof(*r->victims));
    }
    r->victims[r->n_victims++] = (struct retention_victim){
        .seq = seq,
        .text = core_color_convert(message ? message : "", CORE_COLOR_STRIP),
    };
}

/*
 * Adds the history's lines that go, oldest first, until one stays: the age rule spares
 * what an open buffer shows (clients hold those lines, and a restart shows them again),
 * the count rule does not (a count below [core] max_lines is what the user asked for).
 * 1 when the history has nothing more to give, 0 when max_rows was reached first, -1 on
 * a read error.
 */
static int
retention_collect(struct store *st, struct store__retention *r, int64_t log_id, int64_t now_us,
                  size_t max_rows)
{
    int64_t count_floor, memory_floor = retention_memory_floor(st, r, log_id);
    int64_t cutoff = r->max_age_us ? now_us - r->max_age_us : INT64_MIN;
    sqlite3_stmt *s;
    int rc, done = 1;

    if (retention_count_floor(st, r, log_id, &count_floor) < 0)
        return -1;
    s = retention_stmt(r, RETENTION_ROWS);
    sqlite3_bind_int64(s, 1, log_id);
    sqlite3_bind_int64(s, 2, (int64_t)(max_rows - r->n_victims) + 1);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(s, 1), date_us = sqlite3_column_int64(s, 2);
        if (id >= count_floor && (id >= memory_floor || date_us >= cutoff))
            break;
        if (r->n_victims == max_rows) {
            done = 0;
            break;
        }
        retention_add(r, sqlite3_column_int64(s, 0), (const char *)sqlite3_column_text(s, 3));
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        done = -1;
    sqlite3_reset(s);
    return done;
}

/* Picks the lines of this step, moving the cursor past the histories done with. */
static int
retention_pick(struct store *st, struct store__retention *r, int64_t now_us, size_t max_rows)
{
    sqlite3_stmt *s = retention_stmt(r, RETENTION_LOGS);
    int64_t logs[RETENTION_LOGS_PER_STEP];
    size_t n_logs = 0;
    int rc;

    sqlite3_bind_int64(s, 1, r->next_log);
    sqlite3_bind_int(s, 2, RETENTION_LOGS_PER_STEP);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        logs[n_logs++] = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return -1;
    for (size_t i = 0; i < n_logs; i++) {
        int done = retention_collect(st, r, logs[i], now_us, max_rows);
        if (done <= 0)
            return done;
        r->next_log = logs[i] + 1;
    }
    /* Past the last history: the next step starts again from the first. */
    if (n_logs < RETENTION_LOGS_PER_STEP)
        r->next_log = 0;
    return 0;
}

static int64_t
retention_free_pages(struct store *st)
{
    sqlite3_stmt *s;
    int64_t pages = 0;

    if (sqlite3_prepare_v2(st->db, "PRAGMA freelist_count", -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        pages = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return pages;
}

static bool
retention_delete_one(struct store__retention *r, const struct retention_victim *v)
{
    sqlite3_stmt *s = retention_stmt(r, RETENTION_DELETE_TEXT);
    bool ok;

    sqlite3_bind_int64(s, 1, v->seq);
    sqlite3_bind_text(s, 2, v->text, -1, SQLITE_STATIC);
    ok = sqlite3_step(s) == SQLITE_DONE;
    sqlite3_reset(s);
    s = retention_stmt(r, RETENTION_DELETE_LINE);
    sqlite3_bind_int64(s, 1, v->seq);
    ok = ok && sqlite3_step(s) == SQLITE_DONE;
    sqlite3_reset(s);
    return ok;
}

/* Logged once per streak of failed steps. */
static int
retention_failed(struct store *st, struct store__retention *r, const char *what)
{
    if (!r->paused)
        log_warn("store: retention paused: cannot %s %s: %s", what, st->path,
                 sqlite3_errmsg(st->db));
    r->paused = true;
    return -1;
}

/* Deletes the picked lines and returns free pages, in one short transaction. */
static int
retention_delete(struct store *st, struct store__retention *r)
{
    char sql[64];
    bool ok;

    if (r->n_victims == 0 && retention_free_pages(st) == 0)
        return 0;
    ok = store__exec(st, "BEGIN IMMEDIATE") == 0;
    for (size_t i = 0; ok && i < r->n_victims; i++)
        ok = retention_delete_one(r, &r->victims[i]);
    snprintf(sql, sizeof(sql), "PRAGMA incremental_vacuum(%d)", RETENTION_VACUUM_PAGES);
    ok = ok && store__exec(st, sql) == 0 && store__exec(st, "COMMIT") == 0;
    if (!ok) {
        retention_failed(st, r, "write to");
        store__exec(st, "ROLLBACK");
        return -1;
    }
    if (r->paused)
        log_info("store: retention goes on");
    r->paused = false;
    return (int)r->n_victims;
}

int
store_retention_step(struct store *st, int64_t now_us, size_t max_rows)
{
    struct store__retention *r = st->retention;
    int rc;

    if (!store_retention_enabled(st) || !st->core || max_rows == 0)
        return 0;
    /* The loop's batch goes first, with every waiting search entry (a deleted line's
     * entry is deleted with it): a step never shares a transaction, nor holds one past
     * its return. */
    if (store_commit(st) < 0 || store__index_sync(st) < 0)
        return -1;
    r->n_victims = 0;
    rc = retention_pick(st, r, now_us, max_rows);
    rc = rc < 0 ? retention_failed(st, r, "read") : retention_delete(st, r);
    for (size_t i = 0; i < r->n_victims; i++)
        free(r->victims[i].text);
    r->n_victims = 0;
    return rc;
}
