/* SPDX-License-Identifier: MIT */
/* /search [-buffer name] text: the stored history's matches, listed in the perch.search buffer. */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/timefmt.h"
#include "color.h"
#include "command.h"
#include "core.h"
#include "search.h"

/* Matches listed at most: the newest ones (GET /api/search pages through the rest). */
#define SEARCH_LISTED_MAX 100

/* Every line of perch.search: never found by a search itself (no_log is not indexed) and
 * never in the hotlist (the user asked for it). */
#define SEARCH_TAGS "no_log,notify_none"

static void
search_print_text(struct core_buffer *out, const char *prefix, int64_t date_us, const char *text)
{
    struct core_line_spec spec = {
        .prefix = prefix, .message = text, .tags = SEARCH_TAGS, .date_us = date_us, .y = -1
    };

    core_buffer_print(out, &spec);
}

static void search_print(struct core_buffer *out, const char *prefix, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
search_print(struct core_buffer *out, const char *prefix, const char *fmt, ...)
{
    char text[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    search_print_text(out, prefix, 0, text);
}

/* perch.search, opened the first time; emptied for each search. */
static struct core_buffer *
search_output(struct core *core)
{
    struct core_buffer *out = core_buffer_by_full_name(core, "perch.search");
    int err;

    if (!out)
        out = core_buffer_open(core, "perch", "search", CORE_BUFFER_FORMATTED, &err);
    if (out)
        core_buffer_clear(out);
    return out;
}

/* One match: its buffer as prefix, then the date (UTC, to the second), nick and text. The
 * line keeps the match's date, so clients show it in their time column too. */
static void
search_print_match(struct core_buffer *out, const struct core_search_match *m)
{
    char iso[TIMEFMT_ISO_LEN];
    struct buf text;

    timefmt_iso(m->line->date_us, iso);
    iso[10] = ' ';
    iso[19] = '\0';
    buf_init(&text, SIZE_MAX);
    buf_printf(&text, "%s ", iso);
    if (m->line->prefix[0])
        buf_printf(&text, "%s ", m->line->prefix);
    buf_append_str(&text, m->line->message);
    search_print_text(out, m->buffer_name, m->line->date_us, text.data);
    buf_fini(&text);
}

static void
search_print_error(struct core_buffer *out, int rc, const struct core_search_query *q,
                   const char *reason)
{
    if (rc == -EINVAL)
        search_print(out, CORE_PREFIX_ERROR, "search: invalid query \"%s\": %s", q->text, reason);
    else if (rc == -ENOENT)
        search_print(out, CORE_PREFIX_ERROR, "search: buffer \"%s\" not found", q->buffer);
    else if (rc == -ENOTSUP)
        search_print(out, CORE_PREFIX_ERROR, "search: there is no stored history to search");
    else
        search_print(out, CORE_PREFIX_ERROR, "search: the history could not be read: %s", reason);
}

/* The header, then the matches oldest first: the newest ends up last, next to the input,
 * as in any other buffer. One more than listed is asked for, to say when there are more. */
static void
search_print_result(struct core_buffer *out, const struct core_search_query *q,
                    const struct core_search_result *r)
{
    size_t n = r->n_matches > SEARCH_LISTED_MAX ? SEARCH_LISTED_MAX : r->n_matches;

    if (r->n_matches > SEARCH_LISTED_MAX)
        search_print(out, "", "%zu newest matches for %s (older ones are not listed)", n, q->text);
    else
        search_print(out, "", "%zu %s for %s", n, n == 1 ? "match" : "matches", q->text);
    for (size_t i = n; i > 0; i--)
        search_print_match(out, &r->matches[i - 1]);
}

int
core_cmd_search(struct core_buffer *buffer, const struct core_args *args)
{
    struct core_search_query q = { .before = -1,
                                   .before_buffer = -1,
                                   .max = SEARCH_LISTED_MAX + 1 };
    struct core_search_result r;
    struct core_buffer *out, *scope;
    int rc;

    if (args->argc > 1 && strcmp(args->argv[1], "-buffer") == 0) {
        if (args->argc < 4) {
            core_command_error_few_args(buffer, args, "-buffer");
            return -EINVAL;
        }
        /* Open buffers also by number, as /print -buffer; a closed one by id or name. */
        scope = core_command_buffer_arg(buffer->core, args->argv[2]);
        q.buffer = scope ? scope->full_name : args->argv[2];
        q.text = args->eol[3];
    } else if (args->argc > 1) {
        q.text = args->eol[1];
    } else {
        core_command_error_few_args(buffer, args, "");
        return -EINVAL;
    }
    rc = core_search(buffer->core, &q, &r);
    out = search_output(buffer->core);
    if (!out) {
        core_command_error(buffer, "search: cannot open the buffer perch.search");
        rc = -EIO;
    } else if (rc < 0) {
        search_print_error(out, rc, &q, r.error);
    } else {
        search_print_result(out, &q, &r);
    }
    core_search_result_fini(&r);
    return rc;
}
