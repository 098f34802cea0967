/* SPDX-License-Identifier: MIT */
/* A line of a buffer. */
#include "line.h"

#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "base/xalloc.h"

static char *
line_text(const char *s)
{
    /* Lines leave perch as JSON strings, which must be valid UTF-8. */
    return s ? utf8_repair(s, strlen(s)) : xstrdup("");
}

static void
line_split_tags(struct core_line *line, const char *tags)
{
    const char *p = tags;

    if (!tags || !*tags)
        return;
    while (*p) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len) {
            line->tags = xrealloc(line->tags, (line->n_tags + 1) * sizeof(char *));
            line->tags[line->n_tags++] = utf8_repair(p, len);
        }
        p += len + (end ? 1 : 0);
    }
}

/* Level from notify_* tags: the reference's rule, a highlight wins over the rest. */
static int
line_notify_from_tags(const struct core_line *line)
{
    static const struct {
        const char *tag;
        int level;
    } levels[] = {
        { "notify_none", CORE_NOTIFY_NONE },       { "notify_highlight", CORE_NOTIFY_HIGHLIGHT },
        { "notify_private", CORE_NOTIFY_PRIVATE }, { "notify_message", CORE_NOTIFY_MESSAGE },
        { "notify_low", CORE_NOTIFY_LOW },
    };

    for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
        if (core_line_has_tag(line, levels[i].tag))
            return levels[i].level;
    }
    return CORE_NOTIFY_LOW;
}

struct core_line *
core_line_new(const struct core_line_spec *spec, int64_t now_us)
{
    struct core_line *line = xcalloc(1, sizeof(*line));

    line->y = -1;
    line->printed_us = now_us;
    line->date_us = spec->date_us ? spec->date_us : now_us;
    line->displayed = true;
    line->prefix = line_text(spec->prefix);
    line->message = line_text(spec->message);
    line_split_tags(line, spec->tags);
    line->notify_level = line_notify_from_tags(line);
    line->highlight = line->notify_level == CORE_NOTIFY_HIGHLIGHT;
    return line;
}

void
core_line_free(struct core_line *line)
{
    if (!line)
        return;
    for (size_t i = 0; i < line->n_tags; i++)
        free(line->tags[i]);
    free(line->tags);
    free(line->prefix);
    free(line->message);
    free(line);
}

bool
core_line_has_tag(const struct core_line *line, const char *tag)
{
    for (size_t i = 0; i < line->n_tags; i++) {
        if (strcmp(line->tags[i], tag) == 0)
            return true;
    }
    return false;
}

void
core_line_set_tags(struct core_line *line, const char *tags)
{
    for (size_t i = 0; i < line->n_tags; i++)
        free(line->tags[i]);
    free(line->tags);
    line->tags = NULL;
    line->n_tags = 0;
    line_split_tags(line, tags);
    line->notify_level = line_notify_from_tags(line);
    line->highlight = line->notify_level == CORE_NOTIFY_HIGHLIGHT;
}
