/* SPDX-License-Identifier: MIT */
/* Highlights as WeeChat finds them: words, regular expressions, tags, the buffer's
 * properties and the nick levels, line by line. */
#include <errno.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "core/highlight.h"
#include "unit_test.h"

static void
test_words_are_whole_words_case_ignored_unless_asked(void **state)
{
    (void)state;
    assert_true(core_highlight_words_match("hello perchy!", "perchy"));
    assert_true(core_highlight_words_match("PERCHY: hi", "perchy"));
    assert_true(core_highlight_words_match("perchy", "perchy"));
    assert_false(core_highlight_words_match("perchyx", "perchy"));
    assert_false(core_highlight_words_match("xperchy", "perchy"));
    /* "-", "_" and "|" belong to words; the no-break space does not. */
    assert_false(core_highlight_words_match("perchy-bot", "perchy"));
    assert_false(core_highlight_words_match("perchy_", "perchy"));
    assert_false(core_highlight_words_match("|perchy", "perchy"));
    assert_true(core_highlight_words_match("perchy\xc2\xa0ok", "perchy"));
    /* Letters past ASCII are letters, and their case is ignored too. */
    assert_false(core_highlight_words_match("perchy\xc3\xa9", "perchy"));
    assert_true(core_highlight_words_match("au CAF\xc3\x89 !", "caf\xc3\xa9"));
    /* A later occurrence counts when the first is inside a word. */
    assert_true(core_highlight_words_match("perchyx and perchy", "perchy"));
    /* Lists: blanks around words dropped, empty items skipped. */
    assert_true(core_highlight_words_match("tea time", " coffee , ,tea time "));
    assert_false(core_highlight_words_match("teatime", "coffee,tea time"));
    assert_false(core_highlight_words_match("anything", ""));
    assert_false(core_highlight_words_match("", "x"));
    assert_false(core_highlight_words_match("anything", ",,,"));
    /* Flags: "(?-i)" keeps case. */
    assert_false(core_highlight_words_match("tea", "(?-i)Tea"));
    assert_true(core_highlight_words_match("Tea", "(?-i)Tea"));
    assert_true(core_highlight_words_match("TEA", "(?-i)(?i)Tea"));
    /* Wildcards at either end let the word be part of a longer one. */
    assert_true(core_highlight_words_match("a headache", "*ache"));
    assert_false(core_highlight_words_match("aches", "*ache"));
    assert_true(core_highlight_words_match("aches", "ache*"));
    assert_true(core_highlight_words_match("headaches", "*ache*"));
    assert_false(core_highlight_words_match("anything", "*"));
    assert_false(core_highlight_words_match("anything", "**"));
    /* Bytes that are not UTF-8 neither crash nor match as letters. */
    assert_true(core_highlight_words_match("\xff"
                                           "perchy\xfe",
                                           "perchy"));
}

static void
test_regex_matches_must_be_whole_words(void **state)
{
    struct core_highlight_regex r = { 0 };
    char err[128];

    (void)state;
    assert_int_equal(core_highlight_set_regex(&r, "ca+t", err, sizeof(err)), 0);
    assert_true(core_highlight_regex_match("a CAAT here", &r.compiled));
    assert_false(core_highlight_regex_match("concatenate", &r.compiled));
    assert_true(core_highlight_regex_match("concatenate, cat", &r.compiled));
    /* An empty match ends the search rather than looping. */
    assert_int_equal(core_highlight_set_regex(&r, "x*", err, sizeof(err)), 0);
    assert_false(core_highlight_regex_match("abc", &r.compiled));
    assert_int_equal(core_highlight_set_regex(&r, "(?-i)Cat", err, sizeof(err)), 0);
    assert_false(core_highlight_regex_match("cat", &r.compiled));
    /* One that does not compile says why and leaves the old one. */
    assert_int_equal(core_highlight_set_regex(&r, "ca(t", err, sizeof(err)), -EINVAL);
    assert_true(err[0] != '\0');
    assert_string_equal(r.text, "(?-i)Cat");
    assert_int_equal(core_highlight_set_regex(&r, "", err, sizeof(err)), 0);
    assert_null(r.text);
}

static struct core_line *
line_with(const char *message, const char *tags)
{
    return core_line_new(&(struct core_line_spec){ .message = message, .tags = tags, .y = -1 }, 1);
}

static void
test_tag_lists_match_as_weechat_filters_do(void **state)
{
    struct core_line *l = line_with("x", "irc_privmsg,notify_message,nick_bob");

    (void)state;
    assert_int_equal(core_highlight_tags_match(l, NULL), -1);
    assert_int_equal(core_highlight_tags_match(l, " , "), -1);
    assert_int_equal(core_highlight_tags_match(l, "irc_notice"), 0);
    assert_int_equal(core_highlight_tags_match(l, "irc_notice, IRC_PRIVMSG"), 1);
    assert_int_equal(core_highlight_tags_match(l, "irc_*+nick_b*"), 1);
    assert_int_equal(core_highlight_tags_match(l, "irc_privmsg+!nick_bob"), 0);
    assert_int_equal(core_highlight_tags_match(l, "!self_msg"), 1);
    assert_int_equal(core_highlight_tags_match(l, "*"), 1);
    assert_int_equal(core_highlight_tags_match(l, "irc_privmsg++nick_bob"), 0);
    assert_int_equal(core_highlight_tags_match(l, "*msg*"), 1);
    core_line_free(l);
}

static void
test_words_add_and_del_keep_each_word_once(void **state)
{
    struct core_highlight h = { 0 };

    (void)state;
    core_highlight_add_words(&h, " a , b,a,, c ");
    assert_string_equal(h.words, "a,b,c");
    core_highlight_add_words(&h, "c,d");
    assert_string_equal(h.words, "a,b,c,d");
    core_highlight_del_words(&h, " b ,d,zz");
    assert_string_equal(h.words, "a,c");
    core_highlight_del_words(&h, "a,c");
    assert_null(h.words);
    core_highlight_set_nick_levels(&h, "bob:1,carol, dave:x,erin:-1");
    char *text = core_highlight_nick_levels_text(&h);
    assert_string_equal(text, "bob:1,carol:-1,dave:-1,erin:-1");
    free(text);
    core_highlight_add_nick_levels(&h, "bob:2");
    core_highlight_del_nick_levels(&h, "carol:3,dave,nobody");
    text = core_highlight_nick_levels_text(&h);
    assert_string_equal(text, "bob:2,erin:-1");
    free(text);
    core_highlight_free(&h);
}

static const struct core_line *
print(struct core_buffer *b, const char *message, const char *tags)
{
    return core_buffer_print(b,
                             &(struct core_line_spec){ .message = message, .tags = tags, .y = -1 });
}

static void
test_a_buffer_decides_its_new_lines(void **state)
{
    struct core *core = core_new(100, "0.1.0");
    struct core_buffer *b =
        core_buffer_open(core, "irc", "net.#c", CORE_BUFFER_FORMATTED, &(int){ 0 });
    const struct core_line *l;

    (void)state;
    core_buffer_set_localvar(b, "nick", "perchy");
    core_buffer_highlight_defaults(b, "$nick", "irc_privmsg,irc_notice");
    l = print(b, "perchy: hi", "irc_privmsg,notify_message,nick_bob");
    assert_true(l->highlight);
    assert_int_equal(l->notify_level, CORE_NOTIFY_HIGHLIGHT);
    /* Not a message: no highlight; a line that notifies none stays at none. */
    assert_false(print(b, "perchy joined", "irc_join,nick_perchy")->highlight);
    l = print(b, "perchy: hi", "irc_privmsg,notify_none,nick_bob");
    assert_true(l->highlight);
    assert_int_equal(l->notify_level, CORE_NOTIFY_NONE);
    assert_false(print(b, "perchy: hi", "irc_privmsg,no_highlight")->highlight);
    /* The nick follows the local variable. */
    core_buffer_set_localvar(b, "nick", "perch2");
    assert_false(print(b, "perchy: hi", "irc_privmsg")->highlight);
    assert_true(print(b, "perch2: hi", "irc_privmsg")->highlight);
    /* An empty nick names nothing (and the text is freed: ASan). */
    core_buffer_set_localvar(b, "nick", "");
    assert_false(print(b, "hi", "irc_privmsg")->highlight);
    core_buffer_set_localvar(b, "nick", "perch2");
    /* An action's own nick at its start is skipped. */
    core_set_highlight_words(core, "bob");
    assert_false(print(b, "bob waves", "irc_privmsg,irc_action,nick_bob")->highlight);
    assert_false(print(b, "@bob waves", "irc_privmsg,irc_action,nick_bob")->highlight);
    assert_true(print(b, "carol waves at bob", "irc_privmsg,irc_action,nick_carol")->highlight);
    assert_true(print(b, "bob?", "irc_privmsg,nick_carol")->highlight);
    core_set_highlight_words(core, NULL);
    assert_false(print(b, "bob?", "irc_privmsg,nick_carol")->highlight);
    /* A nick's level caps its lines, highlights included. */
    core_highlight_set_nick_levels(&b->highlight, "bob:2");
    l = print(b, "perch2!", "irc_privmsg,notify_message,nick_bob");
    assert_false(l->highlight);
    assert_int_equal(l->notify_level, CORE_NOTIFY_MESSAGE);
    l = print(b, "hi", "irc_privmsg,notify_highlight,nick_bob");
    assert_false(l->highlight);
    assert_int_equal(l->notify_level, CORE_NOTIFY_PRIVATE);
    /* Free buffers never highlight. */
    struct core_buffer *f = core_buffer_open(core, "core", "free", CORE_BUFFER_FREE, &(int){ 0 });
    core_highlight_set_text(&f->highlight.words, "x");
    assert_false(print(f, "x", "irc_privmsg")->highlight);
    core_free(core);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_words_are_whole_words_case_ignored_unless_asked),
        cmocka_unit_test(test_regex_matches_must_be_whole_words),
        cmocka_unit_test(test_tag_lists_match_as_weechat_filters_do),
        cmocka_unit_test(test_words_add_and_del_keep_each_word_once),
        cmocka_unit_test(test_a_buffer_decides_its_new_lines),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
