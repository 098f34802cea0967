/* SPDX-License-Identifier: MIT */
/*
 * The checkpoint perchd runs every second on another thread, with a connection of its own:
 * what is committed reaches the database file itself, so that the log does not grow for as
 * long as perchd runs, nor has to be read again whole after a crash.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/core.h"
#include "store/store.h"
#include "store_fixture.h"
#include "unit_test.h"

static void
print_lines(struct core *core, int n)
{
    struct core_line_spec spec = { .message = "a line", .y = -1 };
    struct core_buffer *b = core_buffer_by_full_name(core, "core.chat");
    int err;

    if (!b)
        b = core_buffer_open(core, "core", "chat", CORE_BUFFER_FORMATTED, &err);

    assert_non_null(b);
    for (int i = 0; i < n; i++)
        core_buffer_print(b, &spec);
}

static void
copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    char block[65536];
    size_t n;

    assert_non_null(in);
    assert_non_null(out);
    while ((n = fread(block, 1, sizeof(block), in)) > 0)
        assert_int_equal(fwrite(block, 1, n, out), n);
    fclose(in);
    assert_int_equal(fclose(out), 0);
}

static off_t
file_size(const char *path)
{
    struct stat st;

    assert_int_equal(stat(path, &st), 0);
    return st.st_size;
}

/* The lines in the database file alone (its log left behind), -1 without the table. */
static int
lines_in_file(struct store_fixture *f)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    char copy[128], left[160];
    int n = -1;

    snprintf(copy, sizeof(copy), "%s/copy.db", f->dir);
    copy_file(f->path, copy);
    assert_int_equal(sqlite3_open_v2(copy, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM lines", -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        n = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    /* Nothing of this copy may read into the next one. */
    for (size_t i = 0; i < 2; i++) {
        snprintf(left, sizeof(left), "%s%s", copy, i ? "-shm" : "-wal");
        unlink(left);
    }
    return n;
}

static void
test_a_checkpoint_brings_committed_lines_into_the_database_file(void **state)
{
    struct store_fixture *f = *state;
    char wal[128];
    off_t wal_size;

    print_lines(f->core, 300);
    assert_int_equal(store_commit(f->store), 0);
    /* Committed, but only in the log so far. */
    assert_true(lines_in_file(f) < 300);
    assert_int_equal(store_checkpoint(f->path), 0);
    assert_int_equal(lines_in_file(f), 300);
    /* Everything copied, the next commit writes the log from its start again: it does not
     * grow. */
    snprintf(wal, sizeof(wal), "%s-wal", f->path);
    wal_size = file_size(wal);
    assert_true(wal_size > 0);
    print_lines(f->core, 1);
    assert_int_equal(store_commit(f->store), 0);
    assert_int_equal(file_size(wal), wal_size);
    assert_int_equal(store_checkpoint(f->path), 0);
    assert_int_equal(lines_in_file(f), 301);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_a_checkpoint_brings_committed_lines_into_the_database_file, store_fixture_setup,
            store_fixture_teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
