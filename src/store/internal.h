/* SPDX-License-Identifier: MIT */
/* Names shared between store/ files only. */
#ifndef PERCH_STORE_INTERNAL_H
#define PERCH_STORE_INTERNAL_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "store.h"

struct core_buffer;
struct core_line;

/* What the store knows of a buffer of the core: where its history goes. */
struct store__buffer {
    int64_t id;           /* the core buffer's id; 0 marks a free slot */
    int64_t log_id;       /* the history the buffer writes to */
    int64_t history_from; /* the lowest line id shown (a clear moves it) */
    bool dirty;           /* properties to write at the next commit */
    bool log_fresh;       /* its history was created in the open transaction */
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
    bool healthy;
    char error[256];
};

/* db.c */
int store__exec(struct store *st, const char *sql);
/* Notes a failed statement (the reason in st->error, logged once per failure streak). */
void store__fail(struct store *st, const char *what);
/* The statement, reset and with its bindings cleared. */
sqlite3_stmt *store__stmt(struct store *st, enum store__stmt which);
/* Opens the transaction of this batch if none is open. */
void store__begin(struct store *st);

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
/* Loads the newest lines of a buffer into the core (restore and reopen). */
void store__load_lines(struct store *st, struct core_buffer *b, const struct store__buffer *sb);
/* Answers the core's requests for lines past memory. */
void store__history_init(struct store *st);

/* search.c: the core's full-text search (struct core_history's search). */
struct core_search_query;
struct core_search_result;
int store__search(void *data, const struct core_search_query *q, struct core_search_result *out);

/* write.c */
/* Writes a buffer's row (properties, number, history start) now. */
bool store__write_buffer(struct store *st, const struct core_buffer *b,
                         const struct store__buffer *sb);

#endif
