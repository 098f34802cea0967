/* SPDX-License-Identifier: MIT */
/*
 * Highlights as WeeChat finds them in a new line of a formatted buffer
 * (gui_line_has_highlight): the buffer properties highlight_words, highlight_regex,
 * highlight_disable_regex, highlight_tags and highlight_tags_restrict, the words of every
 * buffer (core->highlight_words, WeeChat's weechat.look.highlight), and
 * hotlist_max_level_nicks, the highest notify level of a nick's lines.
 */
#ifndef PERCH_CORE_HIGHLIGHT_H
#define PERCH_CORE_HIGHLIGHT_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

struct core_buffer;
struct core_line;

struct core_highlight_regex {
    char *text; /* as set, flags such as "(?-i)" included; NULL: none */
    regex_t compiled;
};

struct core_nick_level {
    char *nick;
    int level; /* the highest notify level of the nick's lines (-1: none) */
};

struct core_highlight {
    char *words;         /* comma-separated; "-": the buffer never highlights; NULL: none */
    char *tags;          /* lines with one of these tags highlight ("+": all of them) */
    char *tags_restrict; /* only lines with one of these tags highlight; NULL: any */
    struct core_highlight_regex regex, disable_regex;
    struct core_nick_level *nick_levels;
    size_t n_nick_levels;
};

void core_highlight_free(struct core_highlight *h);

/* A text property (words, tags, tags_restrict): NULL or "" unsets it. */
void core_highlight_set_text(char **field, const char *value);
/* highlight_words_add and _del: comma-separated words, blanks around them dropped; the
 * words kept once each, in order. */
void core_highlight_add_words(struct core_highlight *h, const char *words);
void core_highlight_del_words(struct core_highlight *h, const char *words);
/* An extended regular expression, case ignored unless it starts with "(?-i)"; NULL or ""
 * unsets it. Returns -EINVAL with regcomp's reason in err when it does not compile, and
 * keeps the expression it had. */
int core_highlight_set_regex(struct core_highlight_regex *r, const char *text, char *err,
                             size_t err_len);
/* hotlist_max_level_nicks ("nick:level,..."; a nick without a valid level gets -1): set
 * replaces the list, add adds or replaces nicks, del removes them (levels ignored). */
void core_highlight_set_nick_levels(struct core_highlight *h, const char *text);
void core_highlight_add_nick_levels(struct core_highlight *h, const char *text);
void core_highlight_del_nick_levels(struct core_highlight *h, const char *text);
/* The list as "nick:level,..." (caller frees), NULL when empty. */
char *core_highlight_nick_levels_text(const struct core_highlight *h);

/* True when text holds one of words (comma-separated) as WeeChat's string_has_highlight
 * finds them: whole words, case ignored unless a word starts with "(?-i)", "*" at a word's
 * start or end letting it be part of a longer word. */
bool core_highlight_words_match(const char *text, const char *words);
/* Past the leading "(?flags)" of a word or expression (text[0..len)), with *flags changed by
 * them (e: extended, i: case ignored, n: newline, s: no sub-matches; "-" unsets the
 * following). */
const char *core_highlight_regex_flags(const char *text, size_t len, int *flags);
/* string_has_highlight_regex_compiled: a match of regex that is a whole word. */
bool core_highlight_regex_match(const char *text, const regex_t *regex);
/* Whether the line has the tags of one item of a comma-separated list (tags joined by "+"
 * all; "!tag" absent; "*" anything; "*" in a tag any run of characters, case ignored):
 * 1 yes, 0 no, -1 the list has no item. */
int core_highlight_tags_match(const struct core_line *line, const char *tags);
/* What a plugin gives its new buffers (WeeChat's irc: "$nick", and highlights only from
 * messages and notices): words added to highlight_words, and highlight_tags_restrict. */
void core_buffer_highlight_defaults(struct core_buffer *b, const char *words,
                                    const char *tags_restrict);
/* A new line of buffer b: its notify level capped by its nick's level, its highlight
 * found and a highlight's level raised, as WeeChat's gui_line_new does. */
void core_highlight_apply(const struct core_buffer *b, struct core_line *line);

#endif
