/* SPDX-License-Identifier: MIT */
/* WeeChat's input editing actions, on byte offsets that always sit on character starts. */
#include "input_edit.h"

#include <ctype.h>
#include <string.h>

#include "base/utf8.h"
#include "base/xalloc.h"

struct edit {
    const char *s;
    size_t len;
    size_t cur;      /* cursor, bytes */
    size_t del_from; /* bytes [del_from, del_to) are removed */
    size_t del_to;
    const char *paste; /* transpose: text put at del_from instead */
    size_t paste_len;
};

static size_t
prev_char(const struct edit *e, size_t off)
{
    if (off == 0)
        return 0;
    do
        off--;
    while (off > 0 && ((unsigned char)e->s[off] & 0xC0) == 0x80);
    return off;
}

static size_t
next_char(const struct edit *e, size_t off)
{
    if (off >= e->len)
        return e->len;
    do
        off++;
    while (off < e->len && ((unsigned char)e->s[off] & 0xC0) == 0x80);
    return off;
}

/* WeeChat's default word_chars_input: "!\u00A0,-,_,|,alnum". */
static bool
is_word(const struct edit *e, size_t off)
{
    unsigned char c = (unsigned char)e->s[off];

    if (c < 0x80)
        return isalnum(c) || c == '-' || c == '_' || c == '|';
    return !(c == 0xC2 && off + 1 < e->len && (unsigned char)e->s[off + 1] == 0xA0);
}

static bool
is_blank(const struct edit *e, size_t off)
{
    return e->s[off] == ' ';
}

/* Start of the run of characters before off: first skips those not in the class,
 * then those in it (how WeeChat steps over a word backwards). */
static size_t
back_over(const struct edit *e, size_t off, bool (*in_class)(const struct edit *, size_t),
          bool negate)
{
    while (off > 0 && in_class(e, prev_char(e, off)) == negate)
        off = prev_char(e, off);
    while (off > 0 && in_class(e, prev_char(e, off)) != negate)
        off = prev_char(e, off);
    return off;
}

static size_t
forward_over_word(const struct edit *e, size_t off)
{
    while (off < e->len && !is_word(e, off))
        off = next_char(e, off);
    while (off < e->len && is_word(e, off))
        off = next_char(e, off);
    return off;
}

static size_t
line_start(const struct edit *e, size_t off)
{
    while (off > 0 && e->s[off - 1] != '\n')
        off--;
    return off;
}

static size_t
line_end(const struct edit *e, size_t off)
{
    const char *nl = memchr(e->s + off, '\n', e->len - off);

    return nl ? (size_t)(nl - e->s) : e->len;
}

static void
cut(struct edit *e, size_t from, size_t to)
{
    e->del_from = from;
    e->del_to = to;
    e->cur = from;
}

/* The same column (in characters) on the line starting at start, clamped to it. */
static size_t
column_on_line(const struct edit *e, size_t start, size_t column)
{
    size_t end = line_end(e, start);

    return start + utf8_char_offset(e->s + start, end - start, column);
}

static void
move_line(struct edit *e, bool down)
{
    size_t start = line_start(e, e->cur), end = line_end(e, e->cur);
    size_t column = utf8_char_count(e->s + start, e->cur - start);

    if (down && end < e->len)
        e->cur = column_on_line(e, end + 1, column);
    else if (!down && start > 0)
        e->cur = column_on_line(e, line_start(e, start - 1), column);
}

/* WeeChat swaps the characters around the cursor, or the last two at the end. */
static void
transpose(struct edit *e, char *swapped, size_t cap)
{
    size_t a, b, c;

    if (e->cur == 0 || e->len == 0)
        return;
    b = e->cur < e->len ? e->cur : prev_char(e, e->len);
    a = prev_char(e, b);
    c = next_char(e, b);
    if (a == b || c - a > cap)
        return;
    memcpy(swapped, e->s + b, c - b);
    memcpy(swapped + (c - b), e->s + a, b - a);
    e->del_from = a;
    e->del_to = c;
    e->paste = swapped;
    e->paste_len = c - a;
    e->cur = c;
}

static void
delete_line(struct edit *e)
{
    size_t start = line_start(e, e->cur), end = line_end(e, e->cur);

    /* The line goes with one line break: the one after it, else the one before. */
    if (end < e->len)
        end++;
    else if (start > 0)
        start--;
    cut(e, start, end);
}

static bool
edit_apply(struct edit *e, const char *a, char *scratch, size_t cap)
{
    size_t c = e->cur;

    if (strcmp(a, "delete_previous_char") == 0)
        cut(e, prev_char(e, c), c);
    else if (strcmp(a, "delete_next_char") == 0)
        cut(e, c, next_char(e, c));
    else if (strcmp(a, "delete_previous_word") == 0)
        cut(e, back_over(e, c, is_word, false), c);
    else if (strcmp(a, "delete_previous_word_whitespace") == 0)
        cut(e, back_over(e, c, is_blank, true), c);
    else if (strcmp(a, "delete_next_word") == 0)
        cut(e, c, forward_over_word(e, c));
    else if (strcmp(a, "delete_beginning_of_line") == 0)
        cut(e, line_start(e, c), c);
    else if (strcmp(a, "delete_beginning_of_input") == 0)
        cut(e, 0, c);
    else if (strcmp(a, "delete_end_of_line") == 0)
        cut(e, c, line_end(e, c));
    else if (strcmp(a, "delete_end_of_input") == 0)
        cut(e, c, e->len);
    else if (strcmp(a, "delete_line") == 0)
        delete_line(e);
    else if (strcmp(a, "delete_input") == 0)
        cut(e, 0, e->len);
    else if (strcmp(a, "transpose_chars") == 0)
        transpose(e, scratch, cap);
    else if (strcmp(a, "move_beginning_of_line") == 0)
        e->cur = line_start(e, c);
    else if (strcmp(a, "move_beginning_of_input") == 0)
        e->cur = 0;
    else if (strcmp(a, "move_end_of_line") == 0)
        e->cur = line_end(e, c);
    else if (strcmp(a, "move_end_of_input") == 0)
        e->cur = e->len;
    else if (strcmp(a, "move_previous_char") == 0)
        e->cur = prev_char(e, c);
    else if (strcmp(a, "move_next_char") == 0)
        e->cur = next_char(e, c);
    else if (strcmp(a, "move_previous_word") == 0)
        e->cur = back_over(e, c, is_word, false);
    else if (strcmp(a, "move_next_word") == 0)
        e->cur = forward_over_word(e, c);
    else if (strcmp(a, "move_previous_line") == 0 || strcmp(a, "move_next_line") == 0)
        move_line(e, a[5] == 'n');
    else
        return false;
    return true;
}

char *
core_input_edit(const char *action, const char *text, int *position)
{
    struct edit e = { .s = text, .len = strlen(text) };
    char scratch[8], *out;
    size_t kept_tail;

    e.cur = utf8_char_offset(text, e.len, *position < 0 ? 0 : (size_t)*position);
    if (!edit_apply(&e, action, scratch, sizeof(scratch)))
        return NULL;
    kept_tail = e.len - e.del_to;
    out = xmalloc(e.del_from + e.paste_len + kept_tail + 1);
    memcpy(out, text, e.del_from);
    memcpy(out + e.del_from, e.paste ? e.paste : "", e.paste_len);
    memcpy(out + e.del_from + e.paste_len, text + e.del_to, kept_tail);
    out[e.del_from + e.paste_len + kept_tail] = '\0';
    *position = (int)utf8_char_count(out, e.cur);
    return out;
}
