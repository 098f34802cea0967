/* SPDX-License-Identifier: MIT */
/* perchd --check-db: SQLite's integrity check, the search index's, and their agreement. */
#include <stdio.h>
#include <string.h>

#include "internal.h"

struct check {
    sqlite3 *db;
    FILE *out;
    int problems;
};

static void
check_problem(struct check *c, const char *what, const char *detail)
{
    fprintf(c->out, "%s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    c->problems++;
}

/* Runs a statement whose rows are "ok" or problems (PRAGMA integrity_check). */
static void
check_rows(struct check *c, const char *what, const char *sql)
{
    sqlite3_stmt *s;
    int rc = sqlite3_prepare_v2(c->db, sql, -1, &s, NULL);

    while (rc == SQLITE_OK || rc == SQLITE_ROW) {
        const char *row;
        if ((rc = sqlite3_step(s)) != SQLITE_ROW)
            break;
        row = (const char *)sqlite3_column_text(s, 0);
        if (row && strcmp(row, "ok") != 0)
            check_problem(c, what, row);
    }
    if (rc != SQLITE_DONE)
        check_problem(c, what, sqlite3_errmsg(c->db));
    sqlite3_finalize(s);
}

/* A count of rows that should not exist; reported with its meaning when not zero. */
static void
check_none(struct check *c, const char *meaning, const char *sql)
{
    sqlite3_stmt *s;
    char text[160];
    int rc = sqlite3_prepare_v2(c->db, sql, -1, &s, NULL);

    if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        long long n = sqlite3_column_int64(s, 0);
        snprintf(text, sizeof(text), "%lld %s", n, meaning);
        if (n)
            check_problem(c, text, NULL);
    } else {
        check_problem(c, meaning, sqlite3_errmsg(c->db));
    }
    sqlite3_finalize(s);
}

/* perch's own tables. A contentless index keeps neither its text nor, with columnsize=0,
 * a row per entry: the lines it has entries for are read off its terms. A line without
 * one is a problem only if its text has a word; those are found by indexing the lines
 * without an entry again, alone, with the same tokenizer (db.c). */
static void
check_perch_tables(struct check *c)
{
    if (sqlite3_exec(c->db, "INSERT INTO lines_text (lines_text) VALUES ('integrity-check')", NULL,
                     NULL, NULL) != SQLITE_OK)
        check_problem(c, "search index", sqlite3_errmsg(c->db));
    /* Lines past the mark wait for their batch (perchd indexes them at its next start);
     * no_log lines are never searched. */
    if (store__index_functions(c->db) < 0 ||
        sqlite3_exec(c->db,
                     "CREATE VIRTUAL TABLE temp.entry_terms USING fts5vocab"
                     "  (main, lines_text, 'instance');"
                     "CREATE TEMP TABLE entries (seq INTEGER PRIMARY KEY);"
                     /* Sorted first: ten times faster than ignoring the repeats. */
                     "INSERT INTO entries SELECT doc FROM entry_terms GROUP BY doc;"
                     "CREATE VIRTUAL TABLE temp.unindexed USING fts5 (text,"
                     "  tokenize='unicode61 remove_diacritics 2');"
                     "CREATE VIRTUAL TABLE temp.unindexed_terms USING fts5vocab"
                     "  (temp, unindexed, 'instance');"
                     "INSERT INTO unindexed (rowid, text)"
                     "  SELECT seq, perch_search_text(message) FROM lines"
                     "  WHERE seq NOT IN (SELECT seq FROM entries) AND perch_searched(tags)"
                     "  AND seq <= coalesce((SELECT CAST(value AS INTEGER) FROM meta"
                     "  WHERE key = 'indexed_seq'), seq);",
                     NULL, NULL, NULL) != SQLITE_OK) {
        check_problem(c, "search index", sqlite3_errmsg(c->db));
    } else {
        check_none(c, "lines without a search entry",
                   "SELECT count(DISTINCT doc) FROM unindexed_terms");
        check_none(c, "search entries without a line",
                   "SELECT count(*) FROM entries WHERE seq NOT IN (SELECT seq FROM lines)");
    }
    check_none(c, "lines of no history",
               "SELECT count(*) FROM lines WHERE log_id NOT IN (SELECT id FROM logs)");
    check_none(c, "buffers of no history",
               "SELECT count(*) FROM buffers WHERE log_id NOT IN (SELECT id FROM logs)");
}

int
store_check(const char *path, FILE *out, char *err, size_t err_len)
{
    struct check c = { .out = out };
    char problem[512];
    int version;

    c.db = store__open_file(path, err, err_len);
    if (!c.db)
        return -1;
    if (store__check_size(path, problem, sizeof(problem)) < 0)
        check_problem(&c, path, problem);
    if (store__user_version(c.db, &version) < 0) {
        check_problem(&c, path, sqlite3_errmsg(c.db));
        goto out;
    }
    if (version == 0) {
        check_problem(&c, path, "not a perch database (no schema)");
        goto out;
    }
    if (version > store__schema_version()) {
        snprintf(problem, sizeof(problem),
                 "schema %d, written by a newer perchd (this one knows %d)", version,
                 store__schema_version());
        check_problem(&c, path, problem);
    }
    check_rows(&c, "integrity", "PRAGMA integrity_check");
    check_perch_tables(&c);
out:
    sqlite3_close(c.db);
    if (!c.problems)
        fprintf(out, "ok\n");
    return c.problems ? 1 : 0;
}
