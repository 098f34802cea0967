/* SPDX-License-Identifier: MIT */
/* Names shared between store/ files only. */
#ifndef PERCH_STORE_INTERNAL_H
#define PERCH_STORE_INTERNAL_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/histogram.h"
#include "store.h"

struct core_buffer;
struct core_line;

/* What a refusal to use a damaged file adds: nothing was written, and where to look. */
#define STORE_UNTOUCHED " (left untouched; 'perchd --check-db' reports what is wrong)"

/* While writes fail, how long a commit of state alone waits before trying again. */
#define STORE_RETRY_US 1000000

/* What the store knows of a buffer of the core: where its history goes. */
struct store__buffer {
    int64_t id;           /* the core buffer's id; 0 marks a free slot */
    int64_t log_id;       /* the history the buffer writes to */
    int64_t history_from; /* the lowest line id shown (a clear moves it) */
    bool dirty;           /* properties to write at the next commit */
    bool log_fresh;       /* its history was created in the open transaction */
    bool renamed;         /* its history's name to write again if the batch fails */
};

/* The line of a written line, so that a failed commit can take it back from the core. */
struct store__written {
    int64_t buffer_id;
    int64_t line_id;
};

enum store__stmt {
    STORE_INSERT_LINE,
    STORE_INSERT_TEXT,
    STORE_UPDATE_LINE,
    STORE_UPSERT_BUFFER,
    STORE_DELETE_BUFFER,
    STORE_FIND_LOG,
    STORE_NEW_LOG,
    STORE_RENAME_LOG,
    STORE_LOG_BUFFER,
    STORE_MAX_LINE_ID,
    STORE_SET_META,
    STORE_GET_META,
    STORE_SELECT_BUFFER,
    STORE_LINES_NEWEST,
    STORE_LINES_OLDEST,
    STORE_LINE_BY_ID,
    STORE_SEARCH_ALL,
    STORE_SEARCH_LOG,
    STORE_LINE_SEQ,
    STORE_LOG_OF_BUFFER,
    STORE_STMT_COUNT,
};

struct store__retention;

/* A search entry waiting for the index: a line's row and its text without formatting. */
struct store__unindexed {
    int64_t seq;
    char *text;
};

struct store__entries {
    struct store__unindexed *v;
    size_t n, cap;
};

struct store {
    sqlite3 *db;
    char *path;
    sqlite3_stmt *stmt[STORE_STMT_COUNT];
    struct core *core;
    void *sub; /* core event subscription */
    /* Buffers by id: open addressing, power-of-two size, never more than half full. */
    struct store__buffer *buffers;
    size_t buffers_cap;
    size_t buffers_used;
    bool in_tx;
    bool tx_failed;                 /* a statement of the open transaction failed */
    bool meta_dirty;                /* hotlist or id counter to write */
    size_t n_dirty;                 /* buffers marked dirty */
    size_t tx_lines;                /* lines written in the open transaction */
    struct store__written *written; /* lines of the open transaction */
    size_t n_written, cap_written;
    struct store__written *lost; /* lines taken back by failed commits, not yet told */
    size_t n_lost;
    /* Written again by the next commit if this one fails: closed buffers (their rows
     * are deleted at commit) and lines whose data changed (rewritten from memory). */
    int64_t *closed;
    size_t n_closed, cap_closed;
    struct store__written *changed;
    size_t n_changed, cap_changed;
    size_t n_changed_redo; /* changed[0..n) belong to a failed batch */
    bool healthy;
    size_t n_lines_refused; /* lines taken back since writes began to fail */
    int error_code;         /* SQLite's primary code for the reason in error */
    int64_t retry_at_us;    /* while unhealthy, state alone is retried from then on */
    char error[256];
    struct store__retention *retention; /* NULL until store_retention_set */
    /* Search entries (index.c): of the open transaction's lines ([0..pending_written)
     * written in it), taken from the queue into it, and the queue of committed lines'. */
    struct store__entries pending;
    size_t pending_written;
    struct store__entries taken;
    struct store__entries queue;
    int64_t index_due_us;   /* the queue's batch may go from then on */
    int64_t index_delay_us; /* after the first entry came */
    bool merging;           /* the index may have segments to merge */

    /* How long commits with something to write took, in microseconds (metrics). */
    struct histogram commit_latency;
};

/* db.c */
int store__exec(struct store *st, const char *sql);
/* Notes a failed statement (the reason in st->error, logged once per failure streak). */
void store__fail(struct store *st, const char *what);
/* The statement, reset and with its bindings cleared. */
sqlite3_stmt *store__stmt(struct store *st, enum store__stmt which);
/* Opens the transaction of this batch if none is open. */
void store__begin(struct store *st);
/* Opens the batch's transaction if needed. False when the batch failed already: then
 * nothing may run, because it would run outside any transaction and stay on its own. */
bool store__writing(struct store *st);
/* Reads the file's header: -1 with the problem in err (without the path) when the file
 * is shorter than the header says and no log holds the rest (a truncated copy); 0 when
 * it is not, or when the header cannot tell. */
int store__check_size(const char *path, char *err, size_t err_len);
/* Reads the schema version; -1 with SQLite's reason in the handle. */
int store__user_version(sqlite3 *db, int *version);
/* The schema version this perchd writes. */
int store__schema_version(void);
/* Opens an existing database for a tool, never creating one. NULL with a reason. */
sqlite3 *store__open_file(const char *path, char *err, size_t err_len);

/* buffers.c: the id -> history map. */
struct store__buffer *store__buffer_get(struct store *st, int64_t id);
struct store__buffer *store__buffer_put(struct store *st, int64_t id);
void store__buffer_remove(struct store *st, int64_t id);
void store__buffers_free(struct store *st);
/* The history a buffer named full_name writes to: the stored one of that name when no
 * open buffer uses it, else a new one (*created). -1 on failure. */
int64_t store__log_for(struct store *st, const char *full_name, int64_t buffer_id, bool *created);

/* lines.c */
/* A stored row (columns id, date_us, printed_us, displayed, highlight, notify_level,
 * prefix, message, tags from column 0) as a core line. */
struct core_line *store__line_from_row(sqlite3_stmt *row);
/* The line's tags as stored: comma-separated (caller frees). */
char *store__join_tags(const struct core_line *line);
/* Writes one line of a formatted buffer; false when the statement failed. */
bool store__write_line(struct store *st, int64_t log_id, const struct core_line *line);
/* A buffer restored or reopened under a stored history: its ids continue after the
 * stored lines, which come into memory when asked for. -1 when the database could not
 * be read. */
int store__continue_history(struct store *st, struct core_buffer *b,
                            const struct store__buffer *sb);
/* Answers the core's requests for lines past memory. */
void store__history_init(struct store *st);

/* search.c: the core's full-text search (struct core_history's search). */
struct core_search_query;
struct core_search_result;
int store__search(void *data, const struct core_search_query *q, struct core_search_result *out);

/* retention.c */
void store__retention_free(struct store *st);

/* write.c */
/* store_commit; forced, it tries even while a failed state waits for its retry time
 * (quit, upgrade, close). */
int store__commit(struct store *st, bool forced);

/* index.c: the search index, written in batches (see there). */
void store__entries_push(struct store__entries *e, int64_t seq, char *text);
/* Drops the entries from index from on. */
void store__entries_drop(struct store__entries *e, size_t from);
void store__entries_free(struct store__entries *e);
/* The line just stored as row seq gets its search entry with a later batch. */
void store__index_later(struct store *st, int64_t seq, const struct core_line *line);
/* Entries wait and a batch is due: now, or its delay passed, or enough wait. */
bool store__index_due(const struct store *st, bool now);
/* Writes every waiting entry in the open transaction; false on failure (the transaction
 * must then be rolled back). store__index_committed or _rolled_back tell the outcome. */
bool store__index_drain(struct store *st);
/* Every stored line's entry in the index, committed; -1 when that failed. */
int store__index_sync(struct store *st);
void store__index_committed(struct store *st);
void store__index_rolled_back(struct store *st);
/* SQL functions for writing the index from stored lines: perch_search_text(message) is
 * its text (colour codes stripped), perch_searched(tags) whether it has an entry. */
int store__index_functions(sqlite3 *db);
/* At open: the committed lines a crash left out of the index are indexed. */
void store__index_recover(struct store *st);
/* Writes a buffer's row (properties, number, history start) now. */
bool store__write_buffer(struct store *st, const struct core_buffer *b,
                         const struct store__buffer *sb);

#endif
