/* SPDX-License-Identifier: MIT */
/* The streaming JSON writer, printing what base/json.c (cJSON) prints. */
#include "jsonw.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decimal.h"
#include "utf8.h"

/* Bytes that cJSON escapes: controls, the quote and the backslash; everything else,
 * UTF-8 sequences included, goes as it is. */
static inline bool
jsonw_escaped(unsigned char c)
{
    return c < 0x20 || c == '"' || c == '\\';
}

void
jsonw_init(struct jsonw *w, struct buf *out)
{
    w->out = out;
    w->has_items = 0;
    w->depth = 0;
    w->after_key = false;
}

/* Before any value: the comma that separates it from the previous element. */
static void
jsonw_separate(struct jsonw *w)
{
    uint64_t bit = 1ull << w->depth;

    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (w->depth > 0 && (w->has_items & bit))
        buf_append_char(w->out, ',');
    w->has_items |= bit;
}

static void
jsonw_open(struct jsonw *w, char c)
{
    jsonw_separate(w);
    buf_append_char(w->out, c);
    assert(w->depth + 1 < JSONW_DEPTH_MAX);
    w->depth++;
    w->has_items &= ~(1ull << w->depth);
}

static void
jsonw_close(struct jsonw *w, char c)
{
    w->depth--;
    buf_append_char(w->out, c);
}

void
jsonw_object_begin(struct jsonw *w)
{
    jsonw_open(w, '{');
}

void
jsonw_object_end(struct jsonw *w)
{
    jsonw_close(w, '}');
}

void
jsonw_array_begin(struct jsonw *w)
{
    jsonw_open(w, '[');
}

void
jsonw_array_end(struct jsonw *w)
{
    jsonw_close(w, ']');
}

static void
jsonw_escape_byte(struct buf *out, unsigned char c)
{
    char esc[8];

    switch (c) {
    case '"':
        buf_append(out, "\\\"", 2);
        return;
    case '\\':
        buf_append(out, "\\\\", 2);
        return;
    case '\b':
        buf_append(out, "\\b", 2);
        return;
    case '\f':
        buf_append(out, "\\f", 2);
        return;
    case '\n':
        buf_append(out, "\\n", 2);
        return;
    case '\r':
        buf_append(out, "\\r", 2);
        return;
    case '\t':
        buf_append(out, "\\t", 2);
        return;
    default:
        snprintf(esc, sizeof(esc), "\\u%04x", c);
        buf_append(out, esc, 6);
    }
}

/* A quoted string of valid UTF-8: runs without escapes are copied at once. */
static void
jsonw_quoted(struct buf *out, const char *s, size_t len)
{
    size_t run = 0;

    buf_append_char(out, '"');
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!jsonw_escaped(c))
            continue;
        buf_append(out, s + run, i - run);
        jsonw_escape_byte(out, c);
        run = i + 1;
    }
    buf_append(out, s + run, len - run);
    buf_append_char(out, '"');
}

/* Text that is not UTF-8 is repaired first, as pjson_string() does. */
static void
jsonw_text(struct buf *out, const char *s, size_t len)
{
    char *repaired;

    if (utf8_is_valid(s, len)) {
        jsonw_quoted(out, s, len);
        return;
    }
    repaired = utf8_repair(s, len);
    jsonw_quoted(out, repaired, strlen(repaired));
    free(repaired);
}

void
jsonw_key(struct jsonw *w, const char *key)
{
    jsonw_separate(w);
    jsonw_text(w->out, key, strlen(key));
    buf_append_char(w->out, ':');
    w->after_key = true;
}

void
jsonw_strn(struct jsonw *w, const char *s, size_t len)
{
    jsonw_separate(w);
    jsonw_text(w->out, s, len);
}

void
jsonw_str(struct jsonw *w, const char *s)
{
    /* pjson_string() stops at the first NUL too: it takes C strings. */
    jsonw_strn(w, s ? s : "", s ? strlen(s) : 0);
}

void
jsonw_int(struct jsonw *w, int64_t v)
{
    char text[DECIMAL_MAX];
    size_t n = decimal_i64(v, text);

    jsonw_separate(w);
    buf_append(w->out, text, n);
}

void
jsonw_bool(struct jsonw *w, bool v)
{
    jsonw_separate(w);
    if (v)
        buf_append(w->out, "true", 4);
    else
        buf_append(w->out, "false", 5);
}

void
jsonw_null(struct jsonw *w)
{
    jsonw_separate(w);
    buf_append(w->out, "null", 4);
}

void
jsonw_raw(struct jsonw *w, const char *json, size_t len)
{
    jsonw_separate(w);
    buf_append(w->out, json, len);
}

void
jsonw_member_str(struct jsonw *w, const char *key, const char *s)
{
    jsonw_key(w, key);
    jsonw_str(w, s);
}

void
jsonw_member_int(struct jsonw *w, const char *key, int64_t v)
{
    jsonw_key(w, key);
    jsonw_int(w, v);
}

void
jsonw_member_bool(struct jsonw *w, const char *key, bool v)
{
    jsonw_key(w, key);
    jsonw_bool(w, v);
}

void
jsonw_member_null(struct jsonw *w, const char *key)
{
    jsonw_key(w, key);
    jsonw_null(w);
}
