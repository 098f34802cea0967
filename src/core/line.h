/* SPDX-License-Identifier: MIT */
/* A line of a buffer: text with WeeChat colour codes, tags and notify level. */
#ifndef PERCH_CORE_LINE_H
#define PERCH_CORE_LINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum core_notify {
    CORE_NOTIFY_NONE = -1,
    CORE_NOTIFY_LOW = 0,
    CORE_NOTIFY_MESSAGE = 1,
    CORE_NOTIFY_PRIVATE = 2,
    CORE_NOTIFY_HIGHLIGHT = 3,
};

/* Read-only outside core/. */
struct core_line {
    int64_t id;
    int y;              /* -1 in formatted buffers, the line number in free buffers */
    int64_t date_us;    /* the line's date (may be in the past: -date, server-time) */
    int64_t printed_us; /* when it was added */
    bool displayed;
    bool highlight;
    int notify_level;
    char *prefix; /* WeeChat colour codes kept */
    char *message;
    char **tags;
    size_t n_tags;
};

/* What a caller prints; strings are copied. tags is a comma-separated list or NULL. */
struct core_line_spec {
    const char *prefix;
    const char *message;
    const char *tags;
    int64_t date_us; /* 0 = now */
    int y;           /* free buffers only; -1 = next line */
};

/* Builds a line from spec (id and y are set by the buffer). */
struct core_line *core_line_new(const struct core_line_spec *spec, int64_t now_us);
void core_line_free(struct core_line *line);
/* Replaces the tags (comma-separated) and recomputes notify level and highlight. */
void core_line_set_tags(struct core_line *line, const char *tags);
bool core_line_has_tag(const struct core_line *line, const char *tag);

#endif
