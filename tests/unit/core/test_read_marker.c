/* SPDX-License-Identifier: MIT */
/* The read marker: WeeChat's "/buffer set unread" moves, trimming, clearing, events. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/core.h"
#include "unit_test.h"

static int n_changed;

static void
count_changed(const struct core_event *ev, void *data)
{
    (void)data;
    if (ev->type == CORE_EVENT_BUFFER_CHANGED)
        n_changed++;
}

/* A core with 5 lines per buffer at most, and a buffer "b" holding n lines (ids 0..n-1). */
static struct core_buffer *
buffer_with_lines(struct core **core, int n)
{
    int err;
    struct core_buffer *b;

    *core = core_new(5, "0.1.0");
    b = core_buffer_open(*core, "core", "b", CORE_BUFFER_FORMATTED, &err);
    for (int i = 0; i < n; i++) {
        struct core_line_spec spec = { .message = "x", .y = -1 };
        core_buffer_print(b, &spec);
    }
    n_changed = 0;
    core_event_subscribe(&(*core)->bus, count_changed, NULL);
    return b;
}

/* Sets the marker with arg and returns the id clients see. */
static int64_t
unread(struct core_buffer *b, const char *arg)
{
    assert_int_equal(core_buffer_set_unread(b, arg), 0);
    return b->last_read_line_id;
}

static void
test_new_buffer_has_no_marker(void **state)
{
    struct core *core;
    struct core_buffer *b = buffer_with_lines(&core, 3);

    (void)state;
    assert_int_equal(b->last_read_line_id, -1);
    assert_false(b->first_line_not_read);
    core_free(core);
}

static void
test_empty_argument_puts_marker_after_last_line(void **state)
{
    struct core *core;
    struct core_buffer *b = buffer_with_lines(&core, 3);

    (void)state;
    assert_int_equal(unread(b, ""), 2);
    assert_int_equal(n_changed, 1);
    /* Unchanged: no event. */
    assert_int_equal(unread(b, ""), 2);
    assert_int_equal(n_changed, 1);
    core_free(core);
}

static void
test_number_marks_newest_lines_unread(void **state)
{
    struct core *core;
    struct core_buffer *b = buffer_with_lines(&core, 4);

    (void)state;
    assert_int_equal(unread(b, "1"), 2);
    assert_int_equal(unread(b, "3"), 0);
    /* As many as the buffer holds, or more: the marker goes before the first line. */
    assert_int_equal(unread(b, "4"), -1);
    assert_true(b->first_line_not_read);
    assert_int_equal(unread(b, "100000"), -1);
    assert_true(b->first_line_not_read);
    core_free(core);
}

static void
test_minus_moves_older_and_plus_newer(void **state)
{
    struct core *core;
    struct core_buffer *b = buffer_with_lines(&core, 4);

    (void)state;
    /* From no marker, "-1" starts at the last line and steps back once. */
    assert_int_equal(unread(b, "-1"), 2);
    assert_int_equal(unread(b, "-2"), 0);
    assert_int_equal(unread(b, "-1"), -1);
    assert_true(b->first_line_not_read);
    /* Before the first line "-N" stays there; "+1" reaches the first line. */
    assert_int_equal(unread(b, "-3"), -1);
    assert_int_equal(unread(b, "+1"), 0);
    assert_int_equal(unread(b, "+2"), 2);
    /* Past the last line the marker is gone, and "+N" cannot bring it back. */
    assert_int_equal(unread(b, "+5"), -1);
    assert_false(b->first_line_not_read);
    assert_int_equal(unread(b, "+1"), -1);
    assert_false(b->first_line_not_read);
    core_free(core);
}

static void
test_zero_removes_marker(void **state)
{
    struct core *core;
    struct core_buffer *b = buffer_with_lines(&core, 2);

    (void)state;
    assert_int_equal(unread(b, ""), 1);
    assert_int_equal(unread(b, "0"), -1);
    assert_false(b->first_line_not_read);
    assert_int_equal(n_changed, 2);
    core_free(core);
}

static void
test_bad_argument_is_refused_and_changes_nothing(void **state)
{
    struct core *core;
    struct core_buffer *b = buffer_with_lines(&core, 3);
    const char *bad[] = { "abc", "-x", "+", "1x", "99999999999", "- 1" };

    (void)state;
    unread(b, "1");
    n_changed = 0;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(core_buffer_set_unread(b, bad[i]), -EINVAL);
    assert_int_equal(b->last_read_line_id, 1);
    assert_int_equal(n_changed, 0);
    /* Valid numbers that move nothing (WeeChat ignores them too). */
    assert_int_equal(unread(b, "+0"), 1);
    assert_int_equal(unread(b, "-0"), 1);
    core_free(core);
}

static void
test_new_lines_do_not_move_marker(void **state)
{
    struct core *core;
    struct core_buffer *b = buffer_with_lines(&core, 2);
    struct core_line_spec spec = { .message = "later", .y = -1 };

    (void)state;
    unread(b, "");
    core_buffer_print(b, &spec);
    assert_int_equal(b->last_read_line_id, 1);
    assert_int_equal(n_changed, 1);
    core_free(core);
}

static void
test_marker_on_trimmed_line_moves_before_first_line(void **state)
{
    struct core *core;
    struct core_buffer *b = buffer_with_lines(&core, 5);
    struct core_line_spec spec = { .message = "more", .y = -1 };

    (void)state;
    assert_int_equal(unread(b, "4"), 0);
    /* Line 0 leaves memory (5 lines kept): the marker goes with it, with an event. */
    core_buffer_print(b, &spec);
    assert_int_equal(b->last_read_line_id, -1);
    assert_true(b->first_line_not_read);
    assert_int_equal(n_changed, 2);
    assert_int_equal(unread(b, "+1"), 1);
    core_free(core);
}

static void
test_clear_removes_marker_and_free_buffers_have_none(void **state)
{
    struct core *core;
    struct core_buffer *b = buffer_with_lines(&core, 3);
    struct core_buffer *f;
    struct core_line_spec spec = { .message = "x", .y = 0 };
    int err;

    (void)state;
    unread(b, "");
    core_buffer_clear(b);
    assert_int_equal(b->last_read_line_id, -1);
    assert_false(b->first_line_not_read);
    f = core_buffer_open(core, "core", "free", CORE_BUFFER_FREE, &err);
    core_buffer_print(f, &spec);
    assert_int_equal(unread(f, ""), -1);
    assert_int_equal(unread(f, "1"), -1);
    core_free(core);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_buffer_has_no_marker),
        cmocka_unit_test(test_empty_argument_puts_marker_after_last_line),
        cmocka_unit_test(test_number_marks_newest_lines_unread),
        cmocka_unit_test(test_minus_moves_older_and_plus_newer),
        cmocka_unit_test(test_zero_removes_marker),
        cmocka_unit_test(test_bad_argument_is_refused_and_changes_nothing),
        cmocka_unit_test(test_new_lines_do_not_move_marker),
        cmocka_unit_test(test_marker_on_trimmed_line_moves_before_first_line),
        cmocka_unit_test(test_clear_removes_marker_and_free_buffers_have_none),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
