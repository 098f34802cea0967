/* SPDX-License-Identifier: MIT */
/* JSON of core objects with the reference's members, types and order (§7), written by the
 * streaming writer straight into one buffer. */
#ifndef PERCH_RELAY_ENCODE_H
#define PERCH_RELAY_ENCODE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/color.h"

struct jsonw;
struct core;
struct core_buffer;
struct core_line;
struct core_nick;
struct core_nick_group;

/* Line counts: < 0 newest |n|, > 0 oldest n, 0 none (§6.3). */
struct relay_buffer_opts {
    long lines;      /* formatted buffers */
    long lines_free; /* free buffers */
    bool nicks;
    enum core_color_mode colors;
};

/* Each writes one value (object or array) at the writer's position. */
void relay_encode_buffer(struct jsonw *w, const struct core_buffer *buffer,
                         const struct relay_buffer_opts *opts);
void relay_encode_line(struct jsonw *w, const struct core_line *line, enum core_color_mode colors);
/* Brings in from the store what relay_encode_lines(buffer, n) shows, when a restart left
 * the buffer's lines on disk; returns the lines in memory. */
size_t relay_lines_fill(struct core_buffer *buffer, long n);
/* Lines of buffer selected by count n (see above), oldest first, from memory. */
void relay_encode_lines(struct jsonw *w, const struct core_buffer *buffer, long n,
                        enum core_color_mode colors);
void relay_encode_group(struct jsonw *w, const struct core_nick_group *group,
                        enum core_color_mode colors);
void relay_encode_nick(struct jsonw *w, const struct core_nick *nick, enum core_color_mode colors);
void relay_encode_hotlist(struct jsonw *w, const struct core *core);

#endif
