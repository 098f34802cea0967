/* SPDX-License-Identifier: MIT */
/* The newest line of a buffer, as the core's unit tests check it. */
#ifndef PERCH_TEST_CORE_LAST_LINE_H
#define PERCH_TEST_CORE_LAST_LINE_H

struct core_buffer;

/* Its message, or "" when the buffer has no line. */
const char *last_message(const struct core_buffer *b);
/* Its prefix, or "" when the buffer has no line or the line no prefix. */
const char *last_prefix(const struct core_buffer *b);

#endif
