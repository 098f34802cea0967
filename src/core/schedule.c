/* SPDX-License-Identifier: MIT */
/* Input run later or again: the waiting entries of /wait and /repeat -interval. */
#include "schedule.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/timefmt.h"
#include "base/xalloc.h"
#include "buffer.h"
#include "command.h"
#include "core.h"

int
core_parse_delay(const char *text, int64_t default_unit_us, int64_t *us)
{
    static const struct {
        const char *name;
        int64_t us;
    } units[] = {
        { "us", 1 }, { "ms", 1000 }, { "s", 1000000 }, { "m", 60000000 }, { "h", 3600000000 }
    };

    size_t digits = strspn(text, "0123456789");
    int64_t unit = default_unit_us, value = 0;

    if (digits == 0)
        return -EINVAL;
    if (text[digits]) {
        unit = 0;
        for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
            if (strcmp(text + digits, units[i].name) == 0)
                unit = units[i].us;
        }
        if (!unit)
            return -EINVAL;
    }
    for (size_t i = 0; i < digits; i++) {
        if (value > (INT64_MAX - 9) / 10)
            return -EINVAL;
        value = value * 10 + (text[i] - '0');
    }
    if (value > INT64_MAX / unit)
        return -EINVAL;
    *us = value * unit;
    return 0;
}

static void
schedule_changed(struct core *core)
{
    if (core->host.schedule_changed)
        core->host.schedule_changed(core->host.data);
}

static void
schedule_insert(struct core *core, struct core_scheduled *e)
{
    struct core_scheduled **p = &core->scheduled;

    while (*p && (*p)->due_us <= e->due_us)
        p = &(*p)->next;
    e->next = *p;
    *p = e;
}

static int
schedule_add(struct core_buffer *buffer, const char *text, int64_t delay_us, int64_t interval_us,
             int index, int count)
{
    struct core *core = buffer->core;
    struct core_scheduled *e;
    int64_t now = timefmt_monotonic_us();

    if (core->n_scheduled >= CORE_SCHEDULE_MAX)
        return -ENOSPC;
    e = xcalloc(1, sizeof(*e));
    e->due_us = delay_us > INT64_MAX - now ? INT64_MAX : now + delay_us;
    e->interval_us = interval_us;
    e->added = ++core->schedule_added;
    e->buffer_name = xstrdup(buffer->full_name);
    e->text = xstrdup(text);
    e->index = index;
    e->count = count;
    schedule_insert(core, e);
    core->n_scheduled++;
    schedule_changed(core);
    return 0;
}

int
core_schedule_wait(struct core_buffer *buffer, const char *text, int64_t delay_us)
{
    return schedule_add(buffer, text, delay_us, 0, 0, 0);
}

int
core_schedule_repeat(struct core_buffer *buffer, const char *text, int64_t interval_us, int index,
                     int count)
{
    return schedule_add(buffer, text, interval_us, interval_us, index, count);
}

/* The longest of /repeat's variable names, "repeat_revindex0". */
#define REPEAT_NAME_MAX 16

/* The value of ${name} in run index of count, or -1 when name is none of /repeat's. */
static long
repeat_variable(const char *name, size_t len, int index, int count)
{
    static const char *const names[] = { "repeat_count",    "repeat_index",     "repeat_index0",
                                         "repeat_revindex", "repeat_revindex0", "repeat_first",
                                         "repeat_last" };
    const long values[] = { count,         index,      index - 1,     count - index + 1,
                            count - index, index == 1, index >= count };

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strlen(names[i]) == len && memcmp(names[i], name, len) == 0)
            return values[i];
    }
    return -1;
}

void
core_repeat_run(struct core_buffer *buffer, const char *text, int index, int count)
{
    struct buf out;

    /* perch has no /eval: other ${...} stay as they are. */
    buf_init(&out, SIZE_MAX);
    for (const char *p = text; *p;) {
        /* Looked for within the longest name only: a line of "${${${..." stays linear. */
        const char *end = strncmp(p, "${", 2) == 0
                              ? memchr(p + 2, '}', strnlen(p + 2, REPEAT_NAME_MAX + 1))
                              : NULL;
        long value = end ? repeat_variable(p + 2, (size_t)(end - p - 2), index, count) : -1;
        if (value >= 0) {
            buf_printf(&out, "%ld", value);
            p = end + 1;
        } else {
            buf_append_char(&out, *p++);
        }
    }
    char *line = buf_steal(&out, NULL);
    core_command_input(buffer, line);
    free(line);
}

static void
scheduled_free(struct core_scheduled *e)
{
    free(e->buffer_name);
    free(e->text);
    free(e);
}

/* Runs an entry taken off the list; a /repeat with runs left goes back to it. */
static void
schedule_exec(struct core *core, struct core_scheduled *e)
{
    struct core_buffer *b = core_buffer_by_full_name(core, e->buffer_name);

    if (b && e->count)
        core_repeat_run(b, e->text, e->index, e->count);
    else if (b)
        core_command_input(b, e->text);
    if (b && e->count && e->index < e->count) {
        e->index++;
        e->due_us = e->due_us > INT64_MAX - e->interval_us ? INT64_MAX : e->due_us + e->interval_us;
        e->added = ++core->schedule_added;
        schedule_insert(core, e);
        core->n_scheduled++;
        return;
    }
    scheduled_free(e);
}

int64_t
core_schedule_next_us(const struct core *core)
{
    return core->scheduled ? core->scheduled->due_us : -1;
}

void
core_schedule_run(struct core *core, int64_t now_us)
{
    uint64_t before = core->schedule_added;
    struct core_scheduled **p = &core->scheduled;

    /* What runs may add entries due at once (/wait 1us in a /wait): they wait for the next
     * run, so that no input can keep this one going. */
    while (*p && (*p)->due_us <= now_us) {
        struct core_scheduled *e = *p;
        if (e->added > before) {
            p = &e->next;
            continue;
        }
        *p = e->next;
        core->n_scheduled--;
        schedule_exec(core, e);
        p = &core->scheduled;
    }
    schedule_changed(core);
}

void
core_schedule_free(struct core *core)
{
    while (core->scheduled) {
        struct core_scheduled *e = core->scheduled;
        core->scheduled = e->next;
        scheduled_free(e);
    }
    core->n_scheduled = 0;
}
