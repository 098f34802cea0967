/* SPDX-License-Identifier: MIT */
/* The read marker and the notify level of a buffer, with WeeChat's rules. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "buffer.h"
#include "core.h"

/*
 * The marker as a position among the lines in memory: an index, or one of these.
 * WeeChat keeps a pointer to the last read line plus a "first line not read" flag;
 * the moves below are its moves, step by step, on indices.
 */
enum {
    MARKER_NONE = -2,
    MARKER_BEFORE_FIRST = -1,
};

static long
unread_position(const struct core_buffer *buffer)
{
    size_t count = core_buffer_line_count(buffer);

    if (buffer->last_read_line_id < 0)
        return buffer->first_line_not_read ? MARKER_BEFORE_FIRST : MARKER_NONE;
    for (size_t i = count; i > 0; i--) {
        if (core_buffer_line_at(buffer, i - 1)->id == buffer->last_read_line_id)
            return (long)(i - 1);
    }
    /* Lines leave memory oldest first, taking the marker with them. */
    return MARKER_BEFORE_FIRST;
}

static void
unread_store(struct core_buffer *buffer, long pos)
{
    buffer->first_line_not_read = pos == MARKER_BEFORE_FIRST;
    buffer->last_read_line_id = pos >= 0 ? core_buffer_line_at(buffer, (size_t)pos)->id : -1;
}

/* The whole text is a decimal int (WeeChat's util_parse_int). */
static int
unread_parse(const char *text, long *v)
{
    char *end;

    errno = 0;
    *v = strtol(text, &end, 10);
    return (errno || end == text || *end || *v < INT_MIN || *v > INT_MAX) ? -EINVAL : 0;
}

/* "-N": towards the first line; from no marker, it starts at the last line. */
static long
unread_older(long pos, long n, long count)
{
    for (long i = 0; i < n; i++) {
        if (pos < 0) {
            if (count == 0 || pos == MARKER_BEFORE_FIRST)
                break;
            pos = count - 1;
        }
        if (pos == 0)
            return MARKER_BEFORE_FIRST;
        pos--;
    }
    return pos;
}

/* "+N": towards the last line; past it the marker is gone. */
static long
unread_newer(long pos, long n, long count)
{
    for (long i = 0; i < n; i++) {
        if (pos < 0) {
            if (count == 0 || pos != MARKER_BEFORE_FIRST)
                break;
            pos = 0;
            continue;
        }
        if (++pos >= count)
            return MARKER_NONE;
    }
    return pos;
}

int
core_buffer_set_unread(struct core_buffer *buffer, const char *arg)
{
    long count, old, pos, n = 0;

    if (arg[0] && strcmp(arg, "0") != 0 && unread_parse(arg, &n) < 0)
        return -EINVAL;
    if (buffer->type != CORE_BUFFER_FORMATTED)
        return 0;
    /* The moves count lines: those a restart left on disk come back first. */
    count = (long)core_buffer_lines_fill(buffer, arg[0] ? SIZE_MAX : 1);
    old = unread_position(buffer);
    pos = old;
    if (!arg[0])
        pos = count > 0 ? count - 1 : MARKER_BEFORE_FIRST;
    else if (strcmp(arg, "0") == 0)
        pos = MARKER_NONE;
    else if (arg[0] == '-' && n < 0)
        pos = unread_older(pos, -n, count);
    else if (arg[0] == '+' && n > 0)
        pos = unread_newer(pos, n, count);
    else if (arg[0] != '-' && arg[0] != '+' && n > 0)
        pos = count > 0 ? unread_older(count - 1, n, count) : MARKER_NONE;
    if (pos == old)
        return 0;
    unread_store(buffer, pos);
    core_emit(buffer->core, CORE_EVENT_BUFFER_CHANGED, buffer);
    return 0;
}

static const char *const notify_names[] = { "none", "highlight", "message", "all" };

const char *
core_buffer_notify_name(enum core_buffer_notify notify)
{
    return (unsigned)notify <= CORE_BUFFER_NOTIFY_ALL ? notify_names[notify] : "all";
}

int
core_buffer_notify_parse(const char *text, enum core_buffer_notify *notify)
{
    for (int i = 0; i <= CORE_BUFFER_NOTIFY_ALL; i++) {
        char digit[2] = { (char)('0' + i), '\0' };
        if (strcmp(text, notify_names[i]) == 0 || strcmp(text, digit) == 0) {
            *notify = (enum core_buffer_notify)i;
            return 0;
        }
    }
    return -EINVAL;
}

void
core_buffer_set_notify(struct core_buffer *buffer, enum core_buffer_notify notify)
{
    buffer->notify = notify;
}
