/* SPDX-License-Identifier: MIT */
/* What a highlight looks for in a line, as WeeChat's string functions find it: words at
 * word boundaries, regular expressions matching whole words, and tag lists. */
#include <ctype.h>
#include <regex.h>
#include <stdint.h>
#include <string.h>
#include <wctype.h>

#include "base/strlist.h"
#include "base/utf8.h"
#include "base/utf8_case.h"
#include "highlight.h"
#include "line.h"

/* WeeChat's weechat.look.word_chars_highlight by default: letters, digits, "-", "_" and
 * "|", but not the no-break space. */
static bool
match_word_char(uint32_t c)
{
    locale_t loc;

    if (c < 0x80)
        return isalnum((int)c) || c == '-' || c == '_' || c == '|';
    if (c == 0xA0)
        return false;
    loc = utf8_locale();
    return loc ? iswalnum_l((wint_t)c, loc) != 0 : true;
}

/* Bytes of text that match word[0..len) at its start (0: none); *last gets the last
 * character matched. */
static size_t
match_at(const char *text, size_t text_len, const char *word, size_t len, bool icase,
         uint32_t *last)
{
    size_t i = 0, j = 0;

    while (j < len) {
        uint32_t a, b;
        if (i >= text_len)
            return 0;
        size_t na = utf8_decode(text + i, text_len - i, &a);
        size_t nb = utf8_decode(word + j, len - j, &b);
        if (a != b && (!icase || utf8_lower(a) != utf8_lower(b)))
            return 0;
        i += na;
        j += nb;
        *last = a;
    }
    return i;
}

static bool
match_word_char_at(const char *s, size_t len)
{
    uint32_t c;

    return len > 0 && (utf8_decode(s, len, &c), match_word_char(c));
}

/* One word of string_has_highlight, with its wildcards already taken off. */
static bool
match_word(const char *text, const char *word, size_t len, bool icase, bool wild_start,
           bool wild_end)
{
    size_t n = strlen(text);
    bool prev_word = false; /* the character before i is a word character */

    for (size_t i = 0; i < n;) {
        uint32_t c, last = 0;
        size_t m = match_at(text + i, n - i, word, len, icase, &last);
        if (m) {
            bool starts = !prev_word;
            bool ends = !match_word_char_at(text + i + m, n - i - m);
            if ((wild_start && wild_end) || (wild_start && ends) || (wild_end && starts) ||
                (starts && ends))
                return true;
            /* As WeeChat: the search goes on after the match. */
            i += m;
            prev_word = match_word_char(last);
            continue;
        }
        i += utf8_decode(text + i, n - i, &c);
        prev_word = match_word_char(c);
    }
    return false;
}

const char *
core_highlight_regex_flags(const char *text, size_t len, int *flags)
{
    const char *stop = text + len;

    while (stop - text > 2 && text[0] == '(' && text[1] == '?') {
        const char *end = memchr(text, ')', (size_t)(stop - text));
        bool set = true;
        if (!end || (!isalpha((unsigned char)text[2]) && text[2] != '-'))
            break;
        for (const char *f = text + 2; f < end; f++) {
            int flag = *f == 'e'   ? REG_EXTENDED
                       : *f == 'i' ? REG_ICASE
                       : *f == 'n' ? REG_NEWLINE
                       : *f == 's' ? REG_NOSUB
                                   : 0;
            if (*f == '-')
                set = false;
            else if (set)
                *flags |= flag;
            else
                *flags &= ~flag;
        }
        text = end + 1;
    }
    return text;
}

struct words_search {
    const char *text;
};

/* One item of highlight_words: its flags, then "*" at either end. Returns false (the walk
 * stops) on a match. */
static bool
words_search_item(void *data, const char *item, size_t len)
{
    const struct words_search *search = data;
    int flags = REG_ICASE;
    const char *w = core_highlight_regex_flags(item, len, &flags);

    len -= (size_t)(w - item);
    bool wild_start = len && w[0] == '*';
    if (wild_start)
        w++, len--;
    bool wild_end = len && w[len - 1] == '*';
    if (wild_end)
        len--;
    return !len || !match_word(search->text, w, len, flags & REG_ICASE, wild_start, wild_end);
}

bool
core_highlight_words_match(const char *text, const char *words)
{
    struct words_search search = { .text = text };

    return text && *text && !strlist_each(words, words_search_item, &search);
}

bool
core_highlight_regex_match(const char *text, const regex_t *regex)
{
    regmatch_t m;

    /* string_has_highlight_regex_compiled: a match must be a whole word; an empty match
     * at the start ends the search. */
    while (*text) {
        if (regexec(regex, text, 1, &m, 0) != 0 || m.rm_so < 0 || m.rm_eo <= 0)
            return false;
        bool starts = m.rm_so == 0;
        if (!starts) {
            /* The character before the match: back over its continuation bytes. */
            regoff_t at = m.rm_so - 1;
            while (at > 0 && ((unsigned char)text[at] & 0xC0) == 0x80)
                at--;
            starts = !match_word_char_at(text + at, (size_t)(m.rm_so - at));
        }
        if (starts && !match_word_char_at(text + m.rm_eo, strlen(text + m.rm_eo)))
            return true;
        text += m.rm_eo;
    }
    return false;
}

/* string_match with case ignored: "*" stands for any run of characters. */
static bool
match_glob(const char *s, const char *mask, size_t len)
{
    const char *end = mask + len, *star = NULL, *resume = NULL;

    while (*s) {
        if (mask < end && *mask == '*') {
            star = ++mask;
            resume = s;
        } else if (mask < end && tolower((unsigned char)*mask) == tolower((unsigned char)*s)) {
            mask++;
            s++;
        } else if (star) {
            mask = star;
            s = ++resume;
        } else {
            return false;
        }
    }
    while (mask < end && *mask == '*')
        mask++;
    return mask == end;
}

/* One tag of a list item: "!" negates it, "*" is any line. */
static bool
match_tag(const struct core_line *line, const char *tag, size_t len)
{
    bool negated = len > 1 && tag[0] == '!', found = false;

    if (negated)
        tag++, len--;
    if (len == 1 && tag[0] == '*')
        found = true;
    for (size_t i = 0; !found && i < line->n_tags; i++)
        found = match_glob(line->tags[i], tag, len);
    return found != negated;
}

struct tags_search {
    const struct core_line *line;
    bool any; /* the list has an item */
};

/* One item of a tag list: its tags joined by "+" must all match. Returns false (the walk
 * stops) on a match. */
static bool
tags_search_item(void *data, const char *item, size_t len)
{
    struct tags_search *search = data;
    bool all = true;

    search->any = true;
    for (const char *t = item, *end = item + len; all && t <= end;) {
        size_t tl = strcspn(t, "+,");
        tl = t + tl > end ? (size_t)(end - t) : tl;
        all = match_tag(search->line, t, tl);
        t += tl + 1;
    }
    return !all;
}

int
core_highlight_tags_match(const struct core_line *line, const char *tags)
{
    struct tags_search search = { .line = line, .any = false };

    /* gui_line_match_tags: items split at ",", blanks around them dropped. */
    if (!strlist_each(tags, tags_search_item, &search))
        return 1;
    return search.any ? 0 : -1;
}
