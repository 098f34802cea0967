/* SPDX-License-Identifier: MIT */
/* /input editing actions on text and cursor, with multi-byte characters and lines. */
#include <stdlib.h>
#include <string.h>

#include "core/input_edit.h"
#include "unit_test.h"

/* Applies action to text with the cursor at *pos; checks the text and cursor after. */
static void
check(const char *action, const char *text, int pos, const char *want, int want_pos)
{
    char *out = core_input_edit(action, text, &pos);

    assert_non_null(out);
    assert_string_equal(out, want);
    assert_int_equal(pos, want_pos);
    free(out);
}

static void
test_char_deletes_and_moves(void **state)
{
    (void)state;
    check("delete_previous_char", "héllo", 2, "hllo", 1);
    check("delete_previous_char", "abc", 0, "abc", 0);
    check("delete_next_char", "héllo", 1, "hllo", 1);
    check("delete_next_char", "abc", 3, "abc", 3);
    check("move_previous_char", "héllo", 2, "héllo", 1);
    check("move_next_char", "héllo", 1, "héllo", 2);
    check("move_next_char", "ab", 2, "ab", 2);
}

static void
test_word_deletes_and_moves(void **state)
{
    (void)state;
    check("delete_previous_word", "say hello  world", 16, "say hello  ", 11);
    check("delete_previous_word", "say hello, ", 11, "say ", 4);
    check("delete_previous_word_whitespace", "a foo,bar ", 10, "a ", 2);
    check("delete_next_word", "say hello world", 3, "say world", 3);
    check("move_previous_word", "say hello world", 15, "say hello world", 10);
    check("move_previous_word", "say hello world", 10, "say hello world", 4);
    check("move_next_word", "say hello world", 0, "say hello world", 3);
    check("move_next_word", "say hello world", 3, "say hello world", 9);
    /* '-', '_' and '|' belong to words; a no-break space does not. */
    check("delete_previous_word", "x my-nick_1|away", 16, "x ", 2);
    check("delete_previous_word", "x\xc2\xa0y", 3, "x\xc2\xa0", 2);
}

static void
test_line_and_input_edges(void **state)
{
    (void)state;
    check("delete_beginning_of_line", "one\ntwo three", 8, "one\nthree", 4);
    check("delete_end_of_line", "one two\nthree", 3, "one\nthree", 3);
    check("delete_beginning_of_input", "one\ntwo", 5, "wo", 0);
    check("delete_end_of_input", "one\ntwo", 2, "on", 2);
    check("delete_line", "one\ntwo\nthree", 5, "one\nthree", 4);
    check("delete_line", "one\ntwo", 5, "one", 3);
    check("delete_line", "single", 2, "", 0);
    check("delete_input", "one\ntwo", 3, "", 0);
    check("move_beginning_of_line", "one\ntwo", 6, "one\ntwo", 4);
    check("move_end_of_line", "one\ntwo\nx", 4, "one\ntwo\nx", 7);
    check("move_beginning_of_input", "one\ntwo", 6, "one\ntwo", 0);
    check("move_end_of_input", "one\ntwo", 1, "one\ntwo", 7);
    /* Up and down keep the column, clamped to the shorter line. */
    check("move_previous_line", "abcdef\nxy", 9, "abcdef\nxy", 2);
    check("move_next_line", "abcdef\nxy", 5, "abcdef\nxy", 9);
    check("move_next_line", "abc", 1, "abc", 1);
}

static void
test_transpose_chars(void **state)
{
    (void)state;
    check("transpose_chars", "abcd", 2, "acbd", 3);
    /* At the end, the last two characters swap. */
    check("transpose_chars", "abé", 3, "aéb", 3);
    check("transpose_chars", "ab", 0, "ab", 0);
    check("transpose_chars", "a", 1, "a", 1);
}

static void
test_unknown_action_and_odd_cursor(void **state)
{
    int pos = 0;

    (void)state;
    assert_null(core_input_edit("fly_away", "text", &pos));
    /* A cursor past the end counts as the end. */
    check("delete_previous_char", "abc", 99, "ab", 2);
    check("delete_previous_char", "", 0, "", 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_char_deletes_and_moves),
        cmocka_unit_test(test_word_deletes_and_moves),
        cmocka_unit_test(test_line_and_input_edges),
        cmocka_unit_test(test_transpose_chars),
        cmocka_unit_test(test_unknown_action_and_odd_cursor),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
