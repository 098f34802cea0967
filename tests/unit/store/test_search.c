/* SPDX-License-Identifier: MIT */
/* Full-text search of the store through the core: order, scope, paging, closed and cleared
 * buffers, errors, and /search filling perch.search. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/command.h"
#include "core/core.h"
#include "core/search.h"
#include "store/store.h"
#include "store_fixture.h"
#include "unit_test.h"

static void
print(struct core_buffer *b, const char *msg)
{
    struct core_line_spec spec = { .message = msg, .y = -1 };

    core_buffer_print(b, &spec);
}

static struct core_buffer *
open_buffer(struct core *core, const char *name)
{
    int err;
    struct core_buffer *b = core_buffer_open(core, "core", name, CORE_BUFFER_FORMATTED, &err);

    assert_non_null(b);
    return b;
}

/* Runs a search; returns its code and leaves the matches in *r. */
static int
search(struct core *core, const char *text, const char *buffer, int64_t before,
       int64_t before_buffer, size_t max, struct core_search_result *r)
{
    struct core_search_query q = {
        .text = text, .buffer = buffer, .before = before, .before_buffer = before_buffer, .max = max
    };

    return core_search(core, &q, r);
}

static void
test_search_finds_newest_first_across_buffers(void **state)
{
    struct store_fixture *f = *state;
    struct core_buffer *chan = open_buffer(f->core, "chan");
    struct core_search_result r;

    print(f->core->core_buffer, "hello one");
    print(chan, "\x19"
                "05red hello two");
    print(chan, "nothing here");
    print(f->core->core_buffer, "HELLO three");
    assert_int_equal(search(f->core, "hello", NULL, -1, -1, 50, &r), 0);
    assert_int_equal(r.n_matches, 3);
    assert_string_equal(r.matches[0].line->message, "HELLO three");
    assert_string_equal(r.matches[0].buffer_name, "core.weechat");
    assert_true(r.matches[0].buffer_id == f->core->core_buffer->id);
    /* Colour codes are not part of the indexed text, but stay in the line. */
    assert_string_equal(r.matches[1].line->message, "\x19"
                                                    "05red hello two");
    assert_true(r.matches[1].buffer_id == chan->id);
    assert_int_equal(r.matches[1].line->id, 0);
    assert_string_equal(r.matches[2].line->message, "hello one");
    core_search_result_fini(&r);
    assert_int_equal(search(f->core, "hello", NULL, -1, -1, 2, &r), 0);
    assert_int_equal(r.n_matches, 2);
    core_search_result_fini(&r);
}

static void
test_search_scoped_to_a_buffer_pages_by_line_id(void **state)
{
    struct store_fixture *f = *state;
    struct core_buffer *chan = open_buffer(f->core, "chan");
    struct core_search_result r;
    char id[32], text[32];

    for (int i = 0; i < 10; i++) {
        snprintf(text, sizeof(text), "word %d", i);
        print(chan, text);
        print(f->core->core_buffer, text);
    }
    assert_int_equal(search(f->core, "word", "core.chan", 7, -1, 3, &r), 0);
    assert_int_equal(r.n_matches, 3);
    assert_int_equal(r.matches[0].line->id, 6);
    assert_int_equal(r.matches[2].line->id, 4);
    for (size_t i = 0; i < r.n_matches; i++)
        assert_true(r.matches[i].buffer_id == chan->id);
    core_search_result_fini(&r);
    snprintf(id, sizeof(id), "%lld", (long long)chan->id);
    assert_int_equal(search(f->core, "word", id, -1, -1, 50, &r), 0);
    assert_int_equal(r.n_matches, 10);
    core_search_result_fini(&r);
}

static void
test_search_pages_across_buffers_by_stored_line(void **state)
{
    struct store_fixture *f = *state;
    struct core_buffer *chan = open_buffer(f->core, "chan");
    struct core_search_result r;
    int64_t before = -1, before_buffer = -1;
    int seen[20] = { 0 };
    char text[32];

    for (int i = 0; i < 20; i++) {
        snprintf(text, sizeof(text), "item n%d", i);
        print(i % 3 ? chan : f->core->core_buffer, text);
    }
    for (int expected = 19; expected >= 0;) {
        assert_int_equal(search(f->core, "item", NULL, before, before_buffer, 7, &r), 0);
        assert_true(r.n_matches > 0);
        for (size_t i = 0; i < r.n_matches; i++, expected--) {
            int n = (int)strtol(r.matches[i].line->message + 6, NULL, 10);
            assert_int_equal(n, expected);
            seen[n]++;
        }
        before = r.matches[r.n_matches - 1].line->id;
        before_buffer = r.matches[r.n_matches - 1].buffer_id;
        core_search_result_fini(&r);
    }
    assert_int_equal(search(f->core, "item", NULL, before, before_buffer, 7, &r), 0);
    assert_int_equal(r.n_matches, 0);
    core_search_result_fini(&r);
    for (int i = 0; i < 20; i++)
        assert_int_equal(seen[i], 1);
    /* A line that is not stored is no paging position. */
    assert_int_equal(search(f->core, "item", NULL, 999, chan->id, 7, &r), -ESRCH);
    core_search_result_fini(&r);
}

static void
test_search_finds_closed_and_cleared_buffers(void **state)
{
    struct store_fixture *f = *state;
    struct core_buffer *gone = open_buffer(f->core, "gone");
    struct core_buffer *kept = open_buffer(f->core, "kept");
    int64_t gone_id = gone->id;
    struct core_search_result r;
    char id[32];

    print(gone, "farewell closed");
    print(kept, "farewell cleared");
    core_buffer_clear(kept);
    assert_int_equal(core_buffer_close(gone), 0);
    assert_int_equal(search(f->core, "farewell", NULL, -1, -1, 50, &r), 0);
    assert_int_equal(r.n_matches, 2);
    assert_string_equal(r.matches[0].buffer_name, "core.kept");
    assert_string_equal(r.matches[1].buffer_name, "core.gone");
    assert_true(r.matches[1].buffer_id == gone_id);
    core_search_result_fini(&r);
    /* The closed buffer's history by its name and by its last id. */
    assert_int_equal(search(f->core, "farewell", "core.gone", -1, -1, 50, &r), 0);
    assert_int_equal(r.n_matches, 1);
    core_search_result_fini(&r);
    snprintf(id, sizeof(id), "%lld", (long long)gone_id);
    assert_int_equal(search(f->core, "farewell", id, -1, -1, 50, &r), 0);
    assert_int_equal(r.n_matches, 1);
    assert_true(r.matches[0].buffer_id == gone_id);
    core_search_result_fini(&r);
    assert_int_equal(search(f->core, "farewell", id, 0, -1, 50, &r), 0);
    assert_int_equal(r.n_matches, 0);
    core_search_result_fini(&r);
    assert_int_equal(search(f->core, "farewell", "core.nothing", -1, -1, 50, &r), -ENOENT);
    core_search_result_fini(&r);
}

static void
test_search_refuses_bad_queries_and_skips_no_log(void **state)
{
    struct store_fixture *f = *state;
    struct core_search_result r;
    struct core_line_spec spec = { .message = "secretword", .tags = "no_log", .y = -1 };

    core_buffer_print(f->core->core_buffer, &spec);
    assert_int_equal(search(f->core, "secretword", NULL, -1, -1, 50, &r), 0);
    assert_int_equal(r.n_matches, 0);
    core_search_result_fini(&r);
    assert_int_equal(search(f->core, "AND", NULL, -1, -1, 50, &r), -EINVAL);
    assert_string_equal(r.error, "fts5: syntax error near \"AND\"");
    core_search_result_fini(&r);
    assert_int_equal(search(f->core, "nocolumn:x", NULL, -1, -1, 50, &r), -EINVAL);
    core_search_result_fini(&r);
}

static const char *
line_message(const struct core_buffer *b, size_t i)
{
    return core_buffer_line_at(b, i)->message;
}

static void
test_search_command_fills_perch_search(void **state)
{
    struct store_fixture *f = *state;
    struct core_buffer *chan = open_buffer(f->core, "chan"), *out;

    print(chan, "needle first");
    print(f->core->core_buffer, "needle second");
    assert_int_equal(core_command_input(chan, "/search needle"), 0);
    out = core_buffer_by_full_name(f->core, "perch.search");
    assert_non_null(out);
    assert_int_equal(core_buffer_line_count(out), 3);
    assert_string_equal(line_message(out, 0), "2 matches for needle");
    assert_non_null(strstr(line_message(out, 1), " needle first"));
    assert_string_equal(core_buffer_line_at(out, 1)->prefix, "core.chan");
    assert_non_null(strstr(line_message(out, 2), " needle second"));
    assert_int_equal(core_buffer_line_at(out, 2)->notify_level, CORE_NOTIFY_NONE);
    /* The listing is not found again; each search replaces the last one. */
    assert_int_equal(core_command_input(chan, "/search -buffer core.chan needle"), 0);
    assert_int_equal(core_buffer_line_count(out), 2);
    assert_string_equal(line_message(out, 0), "1 match for needle");
    assert_int_equal(core_command_input(chan, "/search -buffer core.nope needle"), -ENOENT);
    assert_int_equal(core_buffer_line_count(out), 1);
    assert_string_equal(line_message(out, 0), "search: buffer \"core.nope\" not found");
    assert_int_equal(core_command_input(chan, "/search \"needle"), -EINVAL);
    assert_string_equal(line_message(out, 0),
                        "search: invalid query \"\"needle\": unterminated string");
    assert_int_equal(core_command_input(chan, "/search"), -EINVAL);
    assert_string_equal(
        line_message(chan, core_buffer_line_count(chan) - 1),
        "Too few arguments for command \"/search\" (help on command: /help search)");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_search_finds_newest_first_across_buffers,
                                        store_fixture_setup, store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_search_scoped_to_a_buffer_pages_by_line_id,
                                        store_fixture_setup, store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_search_pages_across_buffers_by_stored_line,
                                        store_fixture_setup, store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_search_finds_closed_and_cleared_buffers,
                                        store_fixture_setup, store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_search_refuses_bad_queries_and_skips_no_log,
                                        store_fixture_setup, store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_search_command_fills_perch_search, store_fixture_setup,
                                        store_fixture_teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
