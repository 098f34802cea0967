/* SPDX-License-Identifier: MIT */
/* A buffer's highlight properties, and the highlight and notify level of its new lines
 * (gui_line_new, gui_line_has_highlight). */
#include "highlight.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/strlist.h"
#include "base/xalloc.h"
#include "buffer.h"
#include "color.h"
#include "core.h"
#include "line.h"

static void
regex_unset(struct core_highlight_regex *r)
{
    if (r->text)
        regfree(&r->compiled);
    free(r->text);
    r->text = NULL;
}

void
core_highlight_free(struct core_highlight *h)
{
    free(h->words);
    free(h->tags);
    free(h->tags_restrict);
    regex_unset(&h->regex);
    regex_unset(&h->disable_regex);
    for (size_t i = 0; i < h->n_nick_levels; i++)
        free(h->nick_levels[i].nick);
    free(h->nick_levels);
    memset(h, 0, sizeof(*h));
}

void
core_highlight_set_text(char **field, const char *value)
{
    free(*field);
    *field = value && *value ? xstrdup(value) : NULL;
}

int
core_highlight_set_regex(struct core_highlight_regex *r, const char *text, char *err,
                         size_t err_len)
{
    int flags = REG_EXTENDED | REG_ICASE;
    regex_t compiled;
    int rc;

    if (!text || !*text) {
        regex_unset(r);
        return 0;
    }
    const char *pattern = core_highlight_regex_flags(text, strlen(text), &flags);
    rc = regcomp(&compiled, pattern, flags);
    if (rc != 0) {
        regerror(rc, &compiled, err, err_len);
        return -EINVAL;
    }
    regex_unset(r);
    r->text = xstrdup(text);
    r->compiled = compiled;
    return 0;
}

/* Whether a comma-separated list (already stripped) holds item[0..len). */
static bool
list_has(const char *list, const char *item, size_t len)
{
    for (const char *p = list ? list : ""; *p;) {
        size_t n = strcspn(p, ",");
        if (n == len && memcmp(p, item, len) == 0)
            return true;
        p += n + (p[n] == ',');
    }
    return false;
}

struct words_edit {
    struct buf out;
    const char *other; /* add: nothing; del: the words to leave out */
    bool del;
};

/* Appends an item unless it is there already (add) or to be removed (del). */
static bool
words_keep(void *data, const char *item, size_t len)
{
    struct words_edit *e = data;

    if ((e->out.len && list_has(e->out.data, item, len)) ||
        (e->del && list_has(e->other, item, len)))
        return true;
    if (e->out.len)
        buf_append_char(&e->out, ',');
    buf_append(&e->out, item, len);
    return true;
}

static void
words_edit(struct core_highlight *h, const char *words, bool del)
{
    struct words_edit e = { .other = NULL, .del = del };
    char *others = NULL;

    if (!words || !*words)
        return;
    buf_init(&e.out, (size_t)-1);
    if (del) {
        /* The words to remove, each once and stripped, so that list_has finds them. */
        struct words_edit strip = { .del = false };
        buf_init(&strip.out, (size_t)-1);
        strlist_each(words, words_keep, &strip);
        others = buf_steal(&strip.out, NULL);
        e.other = others;
    }
    strlist_each(h->words, words_keep, &e);
    if (!del)
        strlist_each(words, words_keep, &e);
    free(h->words);
    h->words = e.out.len ? buf_steal(&e.out, NULL) : NULL;
    buf_fini(&e.out);
    free(others);
}

void
core_highlight_add_words(struct core_highlight *h, const char *words)
{
    words_edit(h, words, false);
}

void
core_highlight_del_words(struct core_highlight *h, const char *words)
{
    words_edit(h, words, true);
}

/* util_parse_int: a whole decimal int, or false. */
static bool
parse_level(const char *s, size_t len, int *out)
{
    char text[16], *end;
    long v;

    if (len == 0 || len >= sizeof(text))
        return false;
    memcpy(text, s, len);
    text[len] = '\0';
    v = strtol(text, &end, 10);
    if (*end || v < INT_MIN || v > INT_MAX)
        return false;
    *out = (int)v;
    return true;
}

static struct core_nick_level *
nick_level_find(const struct core_highlight *h, const char *nick, size_t len)
{
    for (size_t i = 0; i < h->n_nick_levels; i++) {
        if (strlen(h->nick_levels[i].nick) == len && memcmp(h->nick_levels[i].nick, nick, len) == 0)
            return &h->nick_levels[i];
    }
    return NULL;
}

static bool
nick_level_add(void *data, const char *item, size_t len)
{
    struct core_highlight *h = data;
    const char *colon = memchr(item, ':', len);
    size_t nick_len = colon ? (size_t)(colon - item) : len;
    struct core_nick_level *n = nick_level_find(h, item, nick_len);
    int level = -1;

    if (colon && !parse_level(colon + 1, len - nick_len - 1, &level))
        level = -1;
    if (!n) {
        h->nick_levels = xrealloc(h->nick_levels, (h->n_nick_levels + 1) * sizeof(*n));
        n = &h->nick_levels[h->n_nick_levels++];
        n->nick = xstrndup(item, nick_len);
    }
    n->level = level;
    return true;
}

static bool
nick_level_del(void *data, const char *item, size_t len)
{
    struct core_highlight *h = data;
    const char *colon = memchr(item, ':', len);
    struct core_nick_level *n = nick_level_find(h, item, colon ? (size_t)(colon - item) : len);

    if (n) {
        free(n->nick);
        *n = h->nick_levels[--h->n_nick_levels];
    }
    return true;
}

void
core_highlight_set_nick_levels(struct core_highlight *h, const char *text)
{
    for (size_t i = 0; i < h->n_nick_levels; i++)
        free(h->nick_levels[i].nick);
    h->n_nick_levels = 0;
    strlist_each(text, nick_level_add, h);
}

void
core_highlight_add_nick_levels(struct core_highlight *h, const char *text)
{
    strlist_each(text, nick_level_add, h);
}

void
core_highlight_del_nick_levels(struct core_highlight *h, const char *text)
{
    strlist_each(text, nick_level_del, h);
}

char *
core_highlight_nick_levels_text(const struct core_highlight *h)
{
    struct buf out;

    if (h->n_nick_levels == 0)
        return NULL;
    buf_init(&out, (size_t)-1);
    for (size_t i = 0; i < h->n_nick_levels; i++)
        buf_printf(&out, "%s%s:%d", i ? "," : "", h->nick_levels[i].nick, h->nick_levels[i].level);
    return buf_steal(&out, NULL);
}

/* The first nick_ tag's nick, as gui_line_get_nick_tag. */
static const char *
line_nick(const struct core_line *line)
{
    for (size_t i = 0; i < line->n_tags; i++) {
        if (strncmp(line->tags[i], "nick_", 5) == 0)
            return line->tags[i] + 5;
    }
    return NULL;
}

static int
max_level(const struct core_highlight *h, const struct core_line *line)
{
    const char *nick = h->n_nick_levels ? line_nick(line) : NULL;
    const struct core_nick_level *n = nick ? nick_level_find(h, nick, strlen(nick)) : NULL;

    return n ? n->level : CORE_NOTIFY_HIGHLIGHT;
}

/* gui_buffer_string_replace_local_var: "$name" (letters and digits) becomes the buffer's
 * local variable of that name, when it has one; "\$" stays as it is. */
static char *
words_expand(const struct core_buffer *b, const char *words)
{
    struct buf out;

    buf_init(&out, (size_t)-1);
    for (const char *p = words; *p;) {
        size_t name_len = 0;
        const char *value = NULL;
        if (*p == '$' && (p == words || p[-1] != '\\')) {
            while (isalnum((unsigned char)p[1 + name_len]))
                name_len++;
            if (name_len) {
                char *name = xstrndup(p + 1, name_len);
                value = core_buffer_localvar(b, name);
                free(name);
            }
        }
        if (value) {
            buf_append_str(&out, value);
            p += 1 + name_len;
        } else {
            buf_append_char(&out, *p++);
        }
    }
    return buf_steal(&out, NULL);
}

static bool
words_match(const struct core_buffer *b, const char *text, const char *words)
{
    bool match;
    char *expanded;

    if (!words || !*words)
        return false;
    expanded = words_expand(b, words);
    match = core_highlight_words_match(text, expanded);
    free(expanded);
    return match;
}

/* Where the text to search starts: an action's nick at its start is skipped (with one
 * character of nick prefix before it), so that another's action naming themselves, when
 * their nick is a highlight word, does not highlight. */
static const char *
skip_action_nick(const struct core_line *line, const char *text)
{
    bool action = false;
    const char *nick = line_nick(line);

    for (size_t i = 0; i < line->n_tags; i++) {
        size_t len = strlen(line->tags[i]);
        if (strncmp(line->tags[i], "nick_", 5) != 0 && len >= 7 &&
            strcmp(line->tags[i] + len - 7, "_action") == 0)
            action = true;
    }
    if (!action || !nick)
        return text;
    size_t len = strlen(nick);
    if (strncmp(text, nick, len) == 0)
        return text + len;
    if (text[0] && strncmp(text + 1, nick, len) == 0)
        return text + 1 + len;
    return text;
}

static bool
line_has_highlight(const struct core_buffer *b, const struct core_line *line)
{
    const struct core_highlight *h = &b->highlight;
    const char *global = b->core->highlight_words;
    int by_tags, restrict_ok;
    bool match;
    char *plain;
    const char *text;
    regmatch_t m;

    if ((h->words && strcmp(h->words, "-") == 0) || core_line_has_tag(line, "no_highlight"))
        return false;
    by_tags = core_highlight_tags_match(line, h->tags) == 1;
    restrict_ok = core_highlight_tags_match(line, h->tags_restrict) != 0;
    /* What needs no text first: most lines end here without a copy. */
    if (!by_tags && (!restrict_ok || (!h->words && !(global && *global) && !h->regex.text)))
        return false;
    plain = core_color_convert(line->message ? line->message : "", CORE_COLOR_STRIP);
    text = skip_action_nick(line, plain);
    match = !(h->disable_regex.text && regexec(&h->disable_regex.compiled, text, 1, &m, 0) == 0 &&
              m.rm_so >= 0 && m.rm_eo > 0) &&
            (by_tags || words_match(b, text, h->words) || words_match(b, text, global) ||
             (h->regex.text && core_highlight_regex_match(text, &h->regex.compiled)));
    free(plain);
    return match;
}

void
core_buffer_highlight_defaults(struct core_buffer *b, const char *words, const char *tags_restrict)
{
    core_highlight_add_words(&b->highlight, words);
    core_highlight_set_text(&b->highlight.tags_restrict, tags_restrict);
    core_emit(b->core, CORE_EVENT_BUFFER_HIGHLIGHT_CHANGED, b);
}

void
core_highlight_apply(const struct core_buffer *b, struct core_line *line)
{
    int max = max_level(&b->highlight, line);

    if (line->notify_level > max)
        line->notify_level = max;
    if (line->notify_level == CORE_NOTIFY_HIGHLIGHT)
        line->highlight = true;
    else
        line->highlight = max == CORE_NOTIFY_HIGHLIGHT && line_has_highlight(b, line);
    if (line->highlight && line->notify_level >= 0)
        line->notify_level = CORE_NOTIFY_HIGHLIGHT;
}
