/* SPDX-License-Identifier: MIT */
/* The database file: opening, schema migrations, statements, transactions. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/log.h"
#include "base/xalloc.h"
#include "core/core.h"
#include "internal.h"

/* What the log file keeps of its size once it is written from its start again (64 MiB:
 * room for a burst without growing the file again, no gigabytes left behind by one). */
#define STORE_WAL_KEEP_BYTES "67108864"

/* Each entry takes the schema from version i to i + 1; a released entry never changes. */
static const char *const store_migrations[] = {
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE logs (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
    "  buffer_id INTEGER NOT NULL DEFAULT -1);"
    "CREATE TABLE buffers (id INTEGER PRIMARY KEY, log_id INTEGER NOT NULL,"
    "  number INTEGER NOT NULL, history_from INTEGER NOT NULL DEFAULT 0, state TEXT NOT NULL);"
    "CREATE TABLE lines (seq INTEGER PRIMARY KEY, log_id INTEGER NOT NULL, id INTEGER NOT NULL,"
    "  date_us INTEGER NOT NULL, printed_us INTEGER NOT NULL, displayed INTEGER NOT NULL,"
    "  highlight INTEGER NOT NULL, notify_level INTEGER NOT NULL, prefix TEXT NOT NULL,"
    "  message TEXT NOT NULL, tags TEXT NOT NULL);"
    "CREATE UNIQUE INDEX lines_by_log ON lines (log_id, id);"
    "CREATE VIRTUAL TABLE lines_text USING fts5 (text, content='',"
    "  tokenize='unicode61 remove_diacritics 2');",
    /* The index merges in short steps between the loop's turns (store_index_step), not
     * inside whichever commit comes. */
    "INSERT INTO lines_text (lines_text, rank) VALUES ('automerge', 0);",
    /* The search index again, cheaper to write: without each entry's size (columnsize=0:
     * only ranking reads it, and matches come newest first, never ranked) and merged 8
     * segments at a time instead of 4 (an entry is rewritten about half as often; a search
     * reads a few more segments). Entries come from the stored lines; those past the mark
     * are left to store__index_recover, as after a crash. */
    "DROP TABLE lines_text;"
    "CREATE VIRTUAL TABLE lines_text USING fts5 (text, content='',"
    "  tokenize='unicode61 remove_diacritics 2', columnsize=0);"
    "INSERT INTO lines_text (lines_text, rank) VALUES ('automerge', 0);"
    "INSERT INTO lines_text (lines_text, rank) VALUES ('usermerge', 8);"
    "INSERT INTO lines_text (rowid, text) SELECT seq, perch_search_text(message) FROM lines"
    "  WHERE perch_searched(tags) AND seq <= coalesce((SELECT CAST(value AS INTEGER)"
    "  FROM meta WHERE key = 'indexed_seq'), seq);",
};

#define STORE_SCHEMA_VERSION ((int)(sizeof(store_migrations) / sizeof(store_migrations[0])))

#define STORE_LINE_COLUMNS \
    "id, date_us, printed_us, displayed, highlight, notify_level, prefix, message, tags"

/* Matches newest first: FTS5 walks its index by descending rowid (= lines.seq) and stops at
 * the limit, so no match set is ever sorted; the lines and logs rows come by primary key. */
#define STORE_SEARCH_SELECT                                                                     \
    "SELECT l.id, l.date_us, l.printed_us, l.displayed, l.highlight, l.notify_level, l.prefix," \
    " l.message, l.tags, l.log_id, g.buffer_id, g.name FROM lines_text"                         \
    " JOIN lines l ON l.seq = lines_text.rowid JOIN logs g ON g.id = l.log_id"                  \
    " WHERE lines_text MATCH ?1 AND lines_text.rowid < ?2"

static const char *const store_sql[STORE_STMT_COUNT] = {
    [STORE_INSERT_LINE] = "INSERT OR IGNORE INTO lines (log_id, " STORE_LINE_COLUMNS
                          ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [STORE_INSERT_TEXT] = "INSERT INTO lines_text (rowid, text) VALUES (?, ?)",
    [STORE_UPDATE_LINE] = "UPDATE lines SET displayed = ?, highlight = ?, notify_level = ?,"
                          " tags = ? WHERE log_id = ? AND id = ?",
    [STORE_UPSERT_BUFFER] = "INSERT INTO buffers (id, log_id, number, history_from, state)"
                            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
                            " log_id = excluded.log_id, number = excluded.number,"
                            " history_from = excluded.history_from, state = excluded.state",
    [STORE_DELETE_BUFFER] = "DELETE FROM buffers WHERE id = ?",
    [STORE_FIND_LOG] = "SELECT id, buffer_id FROM logs WHERE name = ?",
    [STORE_NEW_LOG] = "INSERT INTO logs (name, buffer_id) VALUES (?, ?)",
    [STORE_RENAME_LOG] = "UPDATE logs SET name = ? WHERE id = ?",
    [STORE_LOG_BUFFER] = "UPDATE logs SET buffer_id = ? WHERE id = ?",
    [STORE_MAX_LINE_ID] = "SELECT max(id) FROM lines WHERE log_id = ?",
    [STORE_SET_META] = "INSERT INTO meta (key, value) VALUES (?, ?)"
                       " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    [STORE_GET_META] = "SELECT value FROM meta WHERE key = ?",
    [STORE_SELECT_BUFFER] = "SELECT log_id, history_from, state FROM buffers WHERE id = ?",
    [STORE_LINES_NEWEST] = "SELECT " STORE_LINE_COLUMNS " FROM lines WHERE log_id = ?"
                           " AND id >= ? AND id <= ? ORDER BY id DESC LIMIT ?",
    [STORE_LINES_OLDEST] = "SELECT " STORE_LINE_COLUMNS " FROM lines WHERE log_id = ?"
                           " AND id >= ? AND id <= ? ORDER BY id LIMIT ?",
    [STORE_LINE_BY_ID] = "SELECT " STORE_LINE_COLUMNS " FROM lines WHERE log_id = ? AND id = ?",
    [STORE_SEARCH_ALL] = STORE_SEARCH_SELECT " ORDER BY lines_text.rowid DESC LIMIT ?3",
    [STORE_SEARCH_LOG] = STORE_SEARCH_SELECT " AND l.log_id = ?4 AND l.id < ?5"
                                             " ORDER BY lines_text.rowid DESC LIMIT ?3",
    [STORE_LINE_SEQ] = "SELECT seq FROM lines WHERE log_id = ? AND id = ?",
    [STORE_LOG_OF_BUFFER] = "SELECT id FROM logs WHERE buffer_id = ? ORDER BY id DESC LIMIT 1",
};

void
store__fail(struct store *st, const char *what)
{
    /* The first failure of a batch is its reason: what follows fails because of it. */
    if (st->in_tx && st->tx_failed)
        return;
    if (st->healthy)
        log_error("store: %s %s: %s", what, st->path, sqlite3_errmsg(st->db));
    snprintf(st->error, sizeof(st->error), "%s: %s", what, sqlite3_errmsg(st->db));
    st->error_code = sqlite3_errcode(st->db) & 0xff;
    st->healthy = false;
    st->tx_failed = st->in_tx;
}

int
store__exec(struct store *st, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(st->db, sql, NULL, NULL, &msg);

    sqlite3_free(msg);
    return rc == SQLITE_OK ? 0 : -1;
}

sqlite3_stmt *
store__stmt(struct store *st, enum store__stmt which)
{
    sqlite3_stmt *s = st->stmt[which];

    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return s;
}

void
store__begin(struct store *st)
{
    if (st->in_tx)
        return;
    /* Marked open even when BEGIN fails, so that the commit rolls the batch back. */
    st->in_tx = true;
    if (store__exec(st, "BEGIN IMMEDIATE") < 0) {
        st->in_tx = false;
        store__fail(st, "cannot write to");
        st->in_tx = true;
        st->tx_failed = true;
    }
}

bool
store__writing(struct store *st)
{
    store__begin(st);
    return !st->tx_failed;
}

int
store__user_version(sqlite3 *db, int *version)
{
    sqlite3_stmt *s;
    int rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL);

    if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW)
        *version = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return rc == SQLITE_ROW ? 0 : -1;
}

static int64_t
db_file_size(const char *path)
{
    struct stat sb;

    return stat(path, &sb) == 0 ? (int64_t)sb.st_size : -1;
}

static uint32_t
db_be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int
store__check_size(const char *path, char *err, size_t err_len)
{
    unsigned char h[100];
    char wal[4200];
    int64_t size = db_file_size(path), page_size, pages;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    bool read_all = fd >= 0 && pread(fd, h, sizeof(h), 0) == (ssize_t)sizeof(h);

    if (fd >= 0)
        close(fd);
    /* The header's page count is only meant when its change counter and its "version
     * valid for" number agree (SQLite's file format: "in-header database size"). */
    if (!read_all || memcmp(h, "SQLite format 3", 16) != 0 || db_be32(h + 24) != db_be32(h + 92))
        return 0;
    page_size = h[16] << 8 | h[17];
    page_size = page_size == 1 ? 65536 : page_size;
    pages = db_be32(h + 28);
    /* Pages past the end of the file may still wait in the log of a crashed process. */
    snprintf(wal, sizeof(wal), "%s-wal", path);
    if (size >= 0 && size < pages * page_size && db_file_size(wal) <= 0) {
        snprintf(err, err_len,
                 "the file is truncated: its header counts %lld pages of %lld bytes, it "
                 "holds %lld bytes",
                 (long long)pages, (long long)page_size, (long long)size);
        return -1;
    }
    return 0;
}

/* Brings an older schema up to date in one transaction: all of it, or nothing. */
static int
store_migrate(struct store *st, char *err, size_t err_len)
{
    char sql[64], problem[512];
    int version = 0;

    /* SQLite refuses a damaged first page or a file shorter than its header says; the
     * second gets a plainer reason than "malformed". */
    if (store__user_version(st->db, &version) < 0) {
        if (store__check_size(st->path, problem, sizeof(problem)) == 0)
            snprintf(problem, sizeof(problem), "%s", sqlite3_errmsg(st->db));
        snprintf(err, err_len, "cannot use %s: %s" STORE_UNTOUCHED, st->path, problem);
        return -1;
    }
    if (version > STORE_SCHEMA_VERSION) {
        snprintf(err, err_len,
                 "%s was written by a newer perchd (schema %d; this one knows up to %d): "
                 "refusing to use it, left untouched",
                 st->path, version, STORE_SCHEMA_VERSION);
        return -1;
    }
    if (version == STORE_SCHEMA_VERSION)
        return 0;
    /* Before the first table: incremental vacuum can only be chosen on an empty file. */
    if (version == 0)
        store__exec(st, "PRAGMA auto_vacuum = INCREMENTAL");
    if (store__exec(st, "BEGIN IMMEDIATE") < 0)
        goto failed;
    for (int v = version; v < STORE_SCHEMA_VERSION; v++) {
        if (store__exec(st, store_migrations[v]) < 0)
            goto rollback;
    }
    snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", STORE_SCHEMA_VERSION);
    if (store__exec(st, sql) < 0 || store__exec(st, "COMMIT") < 0)
        goto rollback;
    if (version > 0)
        log_info("store: %s upgraded from schema %d to %d", st->path, version,
                 STORE_SCHEMA_VERSION);
    return 0;
rollback:
    snprintf(err, err_len, "%s: cannot bring the schema to version %d: %s", st->path,
             STORE_SCHEMA_VERSION, sqlite3_errmsg(st->db));
    store__exec(st, "ROLLBACK");
    return -1;
failed:
    snprintf(err, err_len, "%s: %s", st->path, sqlite3_errmsg(st->db));
    return -1;
}

/* About 200 ms of polls 50 us apart (SQLite's own handler sleeps 1, 2, 5, 10 ms...). */
static int
db_busy(void *data, int count)
{
    (void)data;
    if (count >= 4000)
        return 0;
    usleep(50);
    return 1;
}

static void
db_configure(void)
{
    /* SQLite's memory statistics take a global mutex at every allocation; nothing here
     * reads them. Refused (harmlessly) if the library is in use already. */
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* Every connection here is used by one thread at a time (the loop's, or one checkpoint's
 * on the thread pool): SQLite's lock around each of its calls would guard nothing. */
static int
db_open(const char *path, int flags, sqlite3 **db)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;

    pthread_once(&once, db_configure);
    return sqlite3_open_v2(path, db, flags | SQLITE_OPEN_NOMUTEX, NULL);
}

struct store *
store_open(const char *path, char *err, size_t err_len)
{
    struct store *st = xcalloc(1, sizeof(*st));
    int rc;

    st->path = xstrdup(path);
    st->healthy = true;
    st->index_delay_us = 100000;
    rc = db_open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &st->db);
    if (rc != SQLITE_OK) {
        snprintf(err, err_len, "cannot open %s: %s", path,
                 st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
        goto fail;
    }
    /* A lock held elsewhere (a sqlite3 shell, the checkpointing thread) is waited for
     * briefly, never for long, and taken the moment it is let go. */
    sqlite3_busy_handler(st->db, db_busy, NULL);
    sqlite3_extended_result_codes(st->db, 1);
    if (sqlite3_db_readonly(st->db, "main") == 1) {
        snprintf(err, err_len,
                 "cannot open %s: the file is read-only (perchd writes its history there: "
                 "check its permissions and the mount; it is left untouched)",
                 path);
        goto fail;
    }
    if (store__index_functions(st->db) < 0) {
        snprintf(err, err_len, "%s: %s", path, sqlite3_errmsg(st->db));
        goto fail;
    }
    if (store_migrate(st, err, err_len) < 0)
        goto fail;
    /* WAL: readers never block the writer; NORMAL: a commit is durable once the process
     * has written it (a crash of perchd loses nothing; only a power cut may lose the
     * last commits, never corrupt). */
    /* The loop never checkpoints (it would fsync in the middle of a commit): another
     * thread does, with store_checkpoint(). Once a checkpoint has copied everything, the
     * next commit writes the log from its start again, and a log a burst made long is cut
     * back to STORE_WAL_KEEP_BYTES then. */
    if (store__exec(st, "PRAGMA journal_mode = WAL") < 0 ||
        store__exec(st, "PRAGMA synchronous = NORMAL") < 0 ||
        store__exec(st, "PRAGMA wal_autocheckpoint = 0") < 0 ||
        store__exec(st, "PRAGMA journal_size_limit = " STORE_WAL_KEEP_BYTES) < 0) {
        snprintf(err, err_len, "%s: %s", path, sqlite3_errmsg(st->db));
        goto fail;
    }
    for (int i = 0; i < STORE_STMT_COUNT; i++) {
        if (sqlite3_prepare_v3(st->db, store_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &st->stmt[i],
                               NULL) != SQLITE_OK) {
            snprintf(err, err_len, "%s: %s", path, sqlite3_errmsg(st->db));
            goto fail;
        }
    }
    store__index_recover(st);
    /* What an earlier run or a migration wrote may wait to be merged. */
    st->merging = true;
    return st;
fail:
    store_close(st);
    return NULL;
}

void
store_close(struct store *st)
{
    if (!st)
        return;
    if (st->core)
        store__commit(st, true);
    store_unfollow(st);
    store__retention_free(st);
    for (int i = 0; i < STORE_STMT_COUNT; i++)
        sqlite3_finalize(st->stmt[i]);
    sqlite3_close(st->db);
    store__buffers_free(st);
    free(st->written);
    free(st->lost);
    free(st->closed);
    free(st->changed);
    store__entries_free(&st->pending);
    store__entries_free(&st->taken);
    store__entries_free(&st->queue);
    free(st->path);
    free(st);
}

int
store__schema_version(void)
{
    return STORE_SCHEMA_VERSION;
}

sqlite3 *
store__open_file(const char *path, char *err, size_t err_len)
{
    sqlite3 *db = NULL;
    struct stat sb;
    int rc;

    if (stat(path, &sb) < 0) {
        snprintf(err, err_len, "%s: %s", path, strerror(errno));
        return NULL;
    }
    rc = db_open(path, SQLITE_OPEN_READWRITE, &db);
    if (rc != SQLITE_OK) {
        snprintf(err, err_len, "cannot open %s: %s", path,
                 db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_busy_timeout(db, 200);
    sqlite3_extended_result_codes(db, 1);
    return db;
}

int
store_checkpoint(const char *path)
{
    sqlite3 *db = NULL;
    int rc = db_open(path, SQLITE_OPEN_READWRITE, &db);

    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(db, 1000);
        /* A new connection has not opened the log yet, and sqlite3_wal_checkpoint_v2() on it
         * does nothing ("not in WAL mode"): reading the header opens it. PASSIVE: copies
         * what no reader still needs, never waits for the writer. */
        rc = sqlite3_exec(db, "PRAGMA schema_version", NULL, NULL, NULL);
        if (rc == SQLITE_OK)
            rc = sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    }
    sqlite3_close(db);
    return rc;
}

const char *
store_checkpoint_error(int rc)
{
    return sqlite3_errstr(rc);
}

const char *
store_path(const struct store *st)
{
    return st->path;
}

const char *
store_error(const struct store *st)
{
    return st->error;
}
