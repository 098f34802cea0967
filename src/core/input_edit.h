/* SPDX-License-Identifier: MIT */
/* WeeChat's input line editing actions (/input ACTION) on text and a cursor, I/O-free. */
#ifndef PERCH_CORE_INPUT_EDIT_H
#define PERCH_CORE_INPUT_EDIT_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Applies an editing action ("delete_previous_char", "move_next_word",
 * "transpose_chars", ...) to text (UTF-8) with the cursor at *position
 * (characters). Returns a new string (caller frees) and updates *position, or
 * NULL when action is not an editing action. Words are runs of letters, digits,
 * '-', '_' and '|' (WeeChat's default word_chars_input); lines are separated by
 * '\n' in multi-line input.
 */
char *core_input_edit(const char *action, const char *text, int *position);

#endif
