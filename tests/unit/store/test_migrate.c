/* SPDX-License-Identifier: MIT */
/*
 * Schema migrations on databases an older perchd wrote: the search index of schema 2 (entry
 * sizes kept, merged 4 segments at a time) is written again as schema 3 has it, from the
 * stored lines, each line once, and the lines themselves are untouched.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "core/search.h"
#include "store/store.h"
#include "store_fixture.h"
#include "unit_test.h"

static void
print(struct core *core, const char *message, const char *tags)
{
    struct core_line_spec spec = { .message = message, .tags = tags, .y = -1 };

    core_buffer_print(core->core_buffer, &spec);
}

static void
exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;

    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg);
}

static int
query_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s = NULL;
    int n = -1;

    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    if (sqlite3_step(s) == SQLITE_ROW)
        n = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return n;
}

/* The file as schema 2 left it after a crash: its index as that version wrote it, holding
 * the lines up to "alpha secret" (no_log: no entry), "alpha four" not indexed yet. Returns
 * the number of stored lines. */
static int
make_schema_2(const char *path)
{
    sqlite3 *db = NULL;
    int lines;

    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    exec(db, "BEGIN;"
             "DROP TABLE lines_text;"
             "CREATE VIRTUAL TABLE lines_text USING fts5 (text, content='',"
             "  tokenize='unicode61 remove_diacritics 2');"
             "INSERT INTO lines_text (lines_text, rank) VALUES ('automerge', 0);"
             "INSERT INTO lines_text (rowid, text)"
             "  SELECT seq, 'alpha one' FROM lines WHERE message = 'alpha one';"
             "INSERT INTO lines_text (rowid, text)"
             "  SELECT seq, 'alpha two' FROM lines WHERE message LIKE '%alpha two';"
             "INSERT OR REPLACE INTO meta (key, value)"
             "  SELECT 'indexed_seq', seq FROM lines WHERE message = 'alpha secret';"
             "PRAGMA user_version = 2;"
             "COMMIT;");
    assert_int_equal(query_int(db, "SELECT count(*) FROM lines_text_docsize"), 2);
    lines = query_int(db, "SELECT count(*) FROM lines");
    sqlite3_close(db);
    return lines;
}

/* Schema 3's index: no entry sizes, merged 8 segments at a time. Returns the number of
 * stored lines. */
static int
assert_schema_3_index(const char *path)
{
    sqlite3 *db = NULL;
    int lines;

    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(query_int(db, "PRAGMA user_version"), 3);
    assert_int_equal(query_int(db, "SELECT count(*) FROM sqlite_master"
                                   " WHERE name = 'lines_text_docsize'"),
                     0);
    assert_int_equal(query_int(db, "SELECT v FROM lines_text_config WHERE k = 'usermerge'"), 8);
    assert_int_equal(query_int(db, "SELECT v FROM lines_text_config WHERE k = 'automerge'"), 0);
    lines = query_int(db, "SELECT count(*) FROM lines");
    sqlite3_close(db);
    return lines;
}

static size_t
matches(struct core *core, const char *text, const char **newest)
{
    struct core_search_query q = { .text = text, .before = -1, .before_buffer = -1, .max = 50 };
    struct core_search_result r;
    size_t n;

    assert_int_equal(core_search(core, &q, &r), 0);
    n = r.n_matches;
    for (size_t i = 0; newest && i < n; i++)
        assert_string_equal(r.matches[i].line->message, newest[i]);
    core_search_result_fini(&r);
    return n;
}

static void
test_a_new_database_has_the_latest_index(void **state)
{
    struct store_fixture *f = *state;

    assert_schema_3_index(f->path);
}

static void
test_schema_2_index_is_written_again_from_the_lines(void **state)
{
    struct store_fixture *f = *state;
    /* \031 (0x19) then "05": colour 5. */
    const char *alpha[] = { "alpha four", "\03105alpha two", "alpha one" };
    int lines;

    print(f->core, "alpha one", NULL);
    print(f->core, alpha[1], NULL);
    print(f->core, "alpha secret", "no_log");
    print(f->core, "alpha four", NULL);
    assert_int_equal(store_commit(f->store), 0);
    store_close(f->store);
    f->store = NULL;
    lines = make_schema_2(f->path);

    store_fixture_reopen(f);
    /* Every indexed line (the migration's up to the mark, the recovery's after it), newest
     * first; the no_log line still without an entry; colours stripped. */
    assert_int_equal(matches(f->core, "alpha", alpha), 3);
    assert_int_equal(matches(f->core, "secret", NULL), 0);
    assert_int_equal(matches(f->core, "two", NULL), 1);
    assert_int_equal(assert_schema_3_index(f->path), lines);
    /* And it stays so across another start. */
    store_fixture_reopen(f);
    assert_int_equal(matches(f->core, "alpha", alpha), 3);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_a_new_database_has_the_latest_index,
                                        store_fixture_setup, store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_schema_2_index_is_written_again_from_the_lines,
                                        store_fixture_setup, store_fixture_teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
