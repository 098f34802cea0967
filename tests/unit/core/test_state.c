/* SPDX-License-Identifier: MIT */
/* The core's state as the upgrade and the store read it back: the same core again, a
 * renamed core buffer found, a damaged state refused with nothing changed or mended. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "core/buffer.h"
#include "core/command.h"
#include "core/core.h"
#include "core/hotlist.h"
#include "core/nicklist.h"
#include "core/state.h"
#include "unit_test.h"

static char *
saved(const struct core *core)
{
    struct pjson *state = core_state_save(core);
    char *text = pjson_print(state, NULL);

    pjson_free(state);
    return text;
}

static int
restore(struct core *core, const char *text)
{
    struct pjson *state = pjson_parse(text, strlen(text), 64);
    int rc;

    assert_non_null(state);
    rc = core_state_restore(core, state);
    pjson_free(state);
    return rc;
}

static void
print(struct core_buffer *b, const char *tags, const char *msg)
{
    struct core_line_spec spec = { .prefix = "nick", .message = msg, .tags = tags, .y = -1 };

    core_buffer_print(b, &spec);
}

static void
test_a_saved_core_reads_back_the_same(void **state)
{
    struct core *core = core_new(100, "test"), *again = core_new(100, "test");
    struct core_buffer *chan, *board;
    char *text, *text_again;
    int err;

    (void)state;
    chan = core_buffer_open(core, "irc", "libera.#perch", CORE_BUFFER_FORMATTED, &err);
    board = core_buffer_open(core, "core", "board", CORE_BUFFER_FREE, &err);
    print(core->core_buffer, "", "welcome");
    print(chan, "notify_message", "hello");
    print(chan, "notify_highlight", "perch: hi");
    print(board, "", "top");
    core_nicklist_add_nick(chan, core_nicklist_add_group(chan, NULL, "000|o", NULL, true), "alice",
                           NULL, "@", "lightgreen", true);
    core_command_input(chan, "/input insert héllo");
    text = saved(core);
    assert_int_equal(restore(again, text), 0);
    text_again = saved(again);
    assert_string_equal(text_again, text);
    assert_ptr_equal(again->core_buffer, core_buffer_by_full_name(again, "core.weechat"));
    free(text);
    free(text_again);
    core_free(core);
    core_free(again);
}

/* Every buffer is found by its id and its full name, and only those: after opens, a close,
 * moves (the numbers no longer follow the ids), renames, a refused restore and a restore. */
static void
test_buffers_are_found_by_id_and_name_through_close_move_rename_and_restore(void **state)
{
    struct core *core = core_new(100, "test"), *again = core_new(100, "test");
    struct core_buffer *b[40];
    int64_t ids[40];
    char name[16], *text;
    int err;

    (void)state;
    for (int i = 0; i < 40; i++) {
        snprintf(name, sizeof(name), "net.#c%d", i);
        b[i] = core_buffer_open(core, "irc", name, CORE_BUFFER_FORMATTED, &err);
        ids[i] = b[i]->id;
    }
    assert_int_equal(core_buffer_close(b[7]), 0);
    core_buffer_move(b[30], 2);
    core_buffer_move(b[3], 40);
    /* Renamed: found by its new name only; a name taken is refused. */
    assert_int_equal(core_buffer_set_name(b[5], "net.#renamed"), 0);
    assert_int_equal(core_buffer_set_name(b[6], "net.#c8"), -EEXIST);
    assert_null(core_buffer_by_full_name(core, "irc.net.#c5"));
    assert_null(core_buffer_by_full_name(core, "irc.net.#c7"));
    assert_ptr_equal(core_buffer_by_full_name(core, "irc.net.#renamed"), b[5]);
    assert_ptr_equal(core_buffer_by_full_name(core, "(?i)IRC.Net.#C3"), b[3]);
    assert_null(core_buffer_by_full_name(core, "IRC.net.#c3"));
    assert_ptr_equal(core_buffer_by_full_name(core, "core.weechat"), core->core_buffer);
    for (int i = 0; i < 40; i++) {
        assert_ptr_equal(core_buffer_by_id(core, ids[i]), i == 7 ? NULL : b[i]);
        if (i != 7)
            assert_ptr_equal(core_buffer_by_full_name(core, b[i]->full_name), b[i]);
    }
    assert_ptr_equal(core_buffer_by_id(core, core->core_buffer->id), core->core_buffer);
    assert_int_equal(restore(core, "{\"buffers\":[],\"hotlist\":[]}"), -1);
    assert_ptr_equal(core_buffer_by_id(core, ids[30]), b[30]);
    text = saved(core);
    assert_int_equal(restore(again, text), 0);
    free(text);
    for (int i = 0; i < 40; i++) {
        struct core_buffer *found = core_buffer_by_id(again, ids[i]);
        if (i == 7) {
            assert_null(found);
            continue;
        }
        assert_non_null(found);
        assert_string_equal(found->full_name, b[i]->full_name);
        assert_ptr_equal(core_buffer_by_full_name(again, b[i]->full_name), found);
        assert_int_equal(found->number, b[i]->number);
    }
    assert_ptr_equal(core_buffer_by_id(again, again->core_buffer->id), again->core_buffer);
    core_free(core);
    core_free(again);
}

/* A line dated far away (a server-time of year 1013 or 9999, to the microsecond) keeps its
 * date exactly: JSON numbers are doubles. */
static void
test_dates_beyond_a_doubles_precision_read_back_exactly(void **state)
{
    static const int64_t dates[] = { -30171221879530991LL, 253402300799000001LL, 9007199254740993LL,
                                     1700000000123457LL };
    struct core *core = core_new(100, "test"), *again = core_new(100, "test");
    char *text, *text_again;

    (void)state;
    for (size_t i = 0; i < sizeof(dates) / sizeof(dates[0]); i++) {
        struct core_line_spec spec = { .message = "far", .y = -1, .date_us = dates[i] };
        core_buffer_print(core->core_buffer, &spec);
    }
    text = saved(core);
    assert_int_equal(restore(again, text), 0);
    for (size_t i = 0; i < sizeof(dates) / sizeof(dates[0]); i++)
        assert_int_equal(again->core_buffer->lines[i]->date_us, dates[i]);
    text_again = saved(again);
    assert_string_equal(text_again, text);
    free(text);
    free(text_again);
    core_free(core);
    core_free(again);
}

static void
test_a_renamed_and_moved_core_buffer_stays_the_core_buffer(void **state)
{
    struct core *core = core_new(100, "test"), *again = core_new(100, "test");
    int err;
    char *text;

    (void)state;
    core_buffer_open(core, "core", "later", CORE_BUFFER_FORMATTED, &err);
    assert_int_equal(core_command_input(core->core_buffer, "/buffer rename home"), 0);
    assert_int_equal(core_command_input(core->core_buffer, "/buffer move 2"), 0);
    text = saved(core);
    assert_int_equal(restore(again, text), 0);
    assert_string_equal(again->core_buffer->full_name, "core.home");
    assert_int_equal(again->core_buffer->number, 2);
    free(text);
    core_free(core);
    core_free(again);
}

static void
test_a_buffer_name_with_control_bytes_is_refused(void **state)
{
    struct core *core = core_new(100, "test");

    (void)state;
    assert_int_equal(core_command_input(core->core_buffer, "/buffer rename a\x01b"), -EINVAL);
    assert_string_equal(core->core_buffer->full_name, "core.weechat");
    core_free(core);
}

static void
test_buffer_names_are_kept_as_valid_utf8(void **state)
{
    struct core *core = core_new(100, "test"), *again = core_new(100, "test");
    struct core_buffer *latin1;
    char *text;
    int err;

    (void)state;
    /* A Latin-1 channel name, as an old network sends it: clients are sent U+FFFD, and the
     * buffer must be the same one, under the same name, when read back. */
    latin1 = core_buffer_open(core, "irc", "net.#caf\xe9", CORE_BUFFER_FORMATTED, &err);
    assert_non_null(latin1);
    assert_string_equal(latin1->full_name, "irc.net.#caf\xef\xbf\xbd");
    assert_ptr_equal(core_buffer_by_full_name(core, "irc.net.#caf\xe9"), latin1);
    assert_null(core_buffer_open(core, "irc", "net.#caf\xff", CORE_BUFFER_FORMATTED, &err));
    assert_int_equal(err, -EEXIST);
    assert_int_equal(core_command_input(latin1, "/buffer rename net.#\xe9t\xe9"), 0);
    assert_string_equal(latin1->full_name, "irc.net.#\xef\xbf\xbdt\xef\xbf\xbd");
    assert_string_equal(core_buffer_localvar(latin1, "name"), "net.#\xef\xbf\xbdt\xef\xbf\xbd");
    text = saved(core);
    assert_int_equal(restore(again, text), 0);
    assert_non_null(core_buffer_by_full_name(again, "irc.net.#\xe9t\xe9"));
    free(text);
    core_free(core);
    core_free(again);
}

#define CORE_BUFFER "{\"id\":1,\"plugin\":\"core\",\"name\":\"weechat\"}"

static void
test_damaged_states_are_refused_with_nothing_changed(void **state)
{
    static const char *const damaged[] = {
        "{\"buffers\":[],\"hotlist\":[]}",
        "{\"buffers\":[{\"id\":1,\"plugin\":\"irc\",\"name\":\"x\"}],\"hotlist\":[]}",
        "{\"buffers\":[" CORE_BUFFER "," CORE_BUFFER "],\"hotlist\":[]}",
        "{\"buffers\":[" CORE_BUFFER
        ",{\"id\":1,\"plugin\":\"irc\",\"name\":\"x\"}],\"hotlist\":[]}",
        "{\"buffers\":[" CORE_BUFFER ",{\"id\":2,\"plugin\":\"core\",\"name\":\"weechat\"}],"
        "\"hotlist\":[]}",
        "{\"buffers\":[" CORE_BUFFER ",{\"id\":2,\"plugin\":\"irc\",\"name\":\"a\\u0001\"}],"
        "\"hotlist\":[]}",
        "{\"buffers\":[" CORE_BUFFER ",{\"id\":2,\"plugin\":\"i.rc\",\"name\":\"x\"}],"
        "\"hotlist\":[]}",
        "{\"buffers\":[" CORE_BUFFER
        ",{\"id\":2,\"plugin\":\"irc\",\"name\":\"\"}],\"hotlist\":[]}",
        /* Ids out of order, or a counter that would repeat a line's id at once. */
        "{\"buffers\":[{\"id\":1,\"plugin\":\"core\",\"name\":\"weechat\",\"next_line_id\":9,"
        "\"lines\":[{\"id\":5},{\"id\":4}]}],\"hotlist\":[]}",
        "{\"buffers\":[{\"id\":1,\"plugin\":\"core\",\"name\":\"weechat\",\"next_line_id\":4,"
        "\"lines\":[{\"id\":5},{\"id\":6},{\"id\":7}]}],\"hotlist\":[]}",
        "{\"buffers\":[{\"id\":1,\"plugin\":\"core\",\"name\":\"weechat\",\"next_line_id\":6,"
        "\"lines\":[{\"id\":5},{\"id\":5}]}],\"hotlist\":[]}",
        "{\"buffers\":[{\"id\":1,\"plugin\":\"core\",\"name\":\"weechat\","
        "\"next_line_id\":2147483648}],\"hotlist\":[]}",
    };
    struct core *core = core_new(100, "test");
    char *before, *after;

    (void)state;
    print(core->core_buffer, "", "kept");
    before = saved(core);
    for (size_t i = 0; i < sizeof(damaged) / sizeof(damaged[0]); i++) {
        assert_int_equal(restore(core, damaged[i]), -1);
        after = saved(core);
        assert_string_equal(after, before);
        free(after);
    }
    free(before);
    core_free(core);
}

/* Restored nicks are in the group's sorted index: a nick added after a hand-over finds its
 * place among them, and nicks saved out of order (a state from before the nicklist was
 * sorted) are sorted. */
static void
test_a_restored_nicklist_sorts_new_nicks_among_its_own(void **state)
{
    struct core *core = core_new(100, "test");
    struct core_nick_group *g;
    const char *expected[] = { "amy", "bob", "carl", "dan" };
    struct list *pos;
    size_t i = 0;

    (void)state;
    assert_int_equal(restore(core, "{\"last_id\":9,\"buffers\":[{\"id\":1,\"plugin\":\"core\","
                                   "\"name\":\"weechat\",\"next_line_id\":1,\"nicklist_root\":"
                                   "{\"groups\":[{\"id\":5,\"name\":\"999|...\",\"nicks\":["
                                   "{\"id\":6,\"name\":\"dan\"},{\"id\":7,\"name\":\"bob\"},"
                                   "{\"id\":8,\"name\":\"amy\"}]}]}}],\"hotlist\":[]}"),
                     0);
    g = core_nicklist_find_group(core->core_buffer->nicklist_root, "999|...");
    assert_non_null(g);
    core_nicklist_add_nick(core->core_buffer, g, "carl", NULL, NULL, NULL, true);
    list_for_each (pos, &g->nicks) {
        assert_true(i < 4);
        assert_string_equal(list_entry(pos, struct core_nick, link)->name, expected[i]);
        assert_ptr_equal(g->by_name.items[i], list_entry(pos, struct core_nick, link));
        i++;
    }
    assert_int_equal(i, 4);
    assert_int_equal(g->by_name.n, 4);
    core_nicklist_remove_nick(core->core_buffer, core_nicklist_find_nick(g, "bob"));
    assert_int_equal(g->by_name.n, 3);
    core_free(core);
}

static void
test_what_can_be_mended_is(void **state)
{
    struct core *core = core_new(100, "test");
    struct core_buffer *b;
    int64_t count[4] = { 0, INT32_MAX, 0, 0 };

    (void)state;
    /* Lines wrapped past 2^31-1 are in order; a cursor past the input, a free buffer's
     * lines away from their y and nick ids past last_id are mended. */
    assert_int_equal(restore(core,
                             "{\"last_id\":3,\"buffers\":[{\"id\":1,\"plugin\":\"core\","
                             "\"name\":\"weechat\",\"next_line_id\":1,\"input\":\"héllo\","
                             "\"input_position\":99,\"lines\":[{\"id\":2147483647},{\"id\":0}]},"
                             "{\"id\":2,\"plugin\":\"core\",\"name\":\"board\",\"free\":true,"
                             "\"lines\":[{\"id\":7,\"y\":7},{\"id\":7,\"y\":7}],"
                             "\"nicklist_root\":{\"nicks\":[{\"id\":50,\"name\":\"bob\"}]}}],"
                             "\"hotlist\":[]}"),
                     0);
    assert_int_equal(core->core_buffer->input_position, 5);
    b = core_buffer_by_full_name(core, "core.board");
    assert_int_equal(core_buffer_line_at(b, 1)->y, 1);
    assert_int_equal(core_buffer_line_at(b, 1)->id, 1);
    assert_int_equal(core->last_id, 50);
    print(core->core_buffer, "", "next");
    assert_int_equal(core_buffer_line_at(core->core_buffer, 2)->id, 1);
    /* A hotlist count restored at the top stays there. */
    core_hotlist_put(core, core->core_buffer, 1, 0, count);
    print(core->core_buffer, "notify_message", "one more");
    assert_int_equal(list_entry(core->hotlist.next, struct core_hotlist_entry, link)->count[1],
                     INT32_MAX);
    core_free(core);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_saved_core_reads_back_the_same),
        cmocka_unit_test(
            test_buffers_are_found_by_id_and_name_through_close_move_rename_and_restore),
        cmocka_unit_test(test_dates_beyond_a_doubles_precision_read_back_exactly),
        cmocka_unit_test(test_a_renamed_and_moved_core_buffer_stays_the_core_buffer),
        cmocka_unit_test(test_a_buffer_name_with_control_bytes_is_refused),
        cmocka_unit_test(test_buffer_names_are_kept_as_valid_utf8),
        cmocka_unit_test(test_damaged_states_are_refused_with_nothing_changed),
        cmocka_unit_test(test_a_restored_nicklist_sorts_new_nicks_among_its_own),
        cmocka_unit_test(test_what_can_be_mended_is),
    };

    return cmocka_run_group_tests_name("core state", tests, NULL, NULL);
}
