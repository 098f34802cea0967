/* SPDX-License-Identifier: MIT */
/* IRC messages: every form a server sends, tag escaping both ways, formatting, splitting. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "irc/message.h"
#include "unit_test.h"

static struct irc_message
parse_ok(const char *line)
{
    struct irc_message m;

    assert_int_equal(irc_message_parse(line, strlen(line), &m), 0);
    return m;
}

static void
test_full_form(void **state)
{
    struct irc_message m =
        parse_ok("@time=2026-11-29T10:00:00.123Z;msgid=a\\sb;+draft/typing :nick!user@host "
                 "PRIVMSG #chan :hello  world ");

    (void)state;
    assert_int_equal(m.n_tags, 3);
    assert_string_equal(irc_message_tag(&m, "time"), "2026-11-29T10:00:00.123Z");
    assert_string_equal(irc_message_tag(&m, "msgid"), "a b");
    assert_string_equal(irc_message_tag(&m, "+draft/typing"), "");
    assert_null(irc_message_tag(&m, "account"));
    assert_string_equal(m.source, "nick!user@host");
    assert_string_equal(m.nick, "nick");
    assert_string_equal(m.user, "user");
    assert_string_equal(m.host, "host");
    assert_string_equal(m.command, "PRIVMSG");
    assert_int_equal(m.n_params, 2);
    assert_string_equal(m.params[0], "#chan");
    assert_string_equal(m.params[1], "hello  world ");
    irc_message_fini(&m);
}

static void
test_sources_commands_params(void **state)
{
    struct irc_message m;

    (void)state;
    m = parse_ok("PING :irc.example.net");
    assert_null(m.source);
    assert_string_equal(m.command, "PING");
    assert_string_equal(m.params[0], "irc.example.net");
    irc_message_fini(&m);

    m = parse_ok(":irc.example.net 001 me :Welcome to the network");
    assert_string_equal(m.nick, "irc.example.net");
    assert_null(m.user);
    assert_null(m.host);
    assert_string_equal(m.command, "001");
    assert_int_equal(m.n_params, 2);
    irc_message_fini(&m);

    /* Lower case commands are upper-cased; runs of spaces separate; no trailing. */
    m = parse_ok(":n@h  mode   #c +o  x  ");
    assert_string_equal(m.nick, "n");
    assert_string_equal(m.host, "h");
    assert_string_equal(m.command, "MODE");
    assert_int_equal(m.n_params, 3);
    assert_string_equal(m.params[2], "x");
    irc_message_fini(&m);

    /* An empty trailing parameter is a parameter. */
    m = parse_ok("TOPIC #c :");
    assert_int_equal(m.n_params, 2);
    assert_string_equal(m.params[1], "");
    irc_message_fini(&m);

    /* The fifteenth parameter takes the rest of the line, spaces and colons included. */
    m = parse_ok("CMD 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 :17");
    assert_int_equal(m.n_params, IRC_PARAMS_MAX);
    assert_string_equal(m.params[14], "15 16 :17");
    irc_message_fini(&m);

    /* Bytes are kept as they came, invalid UTF-8 too. */
    m = parse_ok("PRIVMSG #c :caf\xe9 \xff");
    assert_string_equal(m.params[1], "caf\xe9 \xff");
    irc_message_fini(&m);
}

static void
test_refused_lines(void **state)
{
    static const char *const bad[] = {
        "", "   ", ":only.source", "@a=b", "@a=b :src", "12 x", "1234 x", "PRIV1MSG x", ":s 0a1 x",
    };
    struct irc_message m;
    char big[IRC_TAGS_MAX_BYTES + 32];

    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(irc_message_parse(bad[i], strlen(bad[i]), &m), -EINVAL);
    assert_int_equal(irc_message_parse("PING a\rb", 8, &m), -EINVAL);
    assert_int_equal(irc_message_parse("PING a\0b", 8, &m), -EINVAL);
    big[0] = '@';
    memset(big + 1, 'k', sizeof(big) - 1);
    memcpy(big + sizeof(big) - 8, " PING x", 7);
    assert_int_equal(irc_message_parse(big, sizeof(big) - 1, &m), -EINVAL);
    assert_null(m.command);
}

static void
test_tag_escaping_both_ways(void **state)
{
    const char *raw = "a;b c\\d\re\nf";
    struct buf out;
    char *back;

    (void)state;
    buf_init(&out, 1024);
    assert_int_equal(irc_tag_escape(&out, raw), 0);
    assert_string_equal(out.data, "a\\:b\\sc\\\\d\\re\\nf");
    back = irc_tag_unescape(out.data, out.len);
    assert_string_equal(back, raw);
    free(back);
    buf_fini(&out);
    /* Unknown escapes give the character; a lone trailing backslash goes. */
    back = irc_tag_unescape("\\x\\", 3);
    assert_string_equal(back, "x");
    free(back);
}

/* "key=" and "key" carry the same empty value but not the same line tag (WeeChat). */
static void
test_tag_with_empty_value_differs_from_no_value(void **state)
{
    struct irc_message m = parse_ok("@a=;b;c=1;a=2 PING x");

    (void)state;
    assert_int_equal(m.n_tags, 4);
    assert_true(m.tags[0].has_value);
    assert_false(m.tags[1].has_value);
    assert_string_equal(m.tags[1].value, "");
    assert_true(m.tags[2].has_value);
    /* A repeated key: the last value counts. */
    assert_string_equal(irc_message_tag(&m, "a"), "2");
    irc_message_fini(&m);
}

/* The tag section of a received line may be 8191 bytes with its '@' and space, no more. */
static void
test_received_tag_section_limit(void **state)
{
    static char line[IRC_TAGS_MAX_BYTES + 16];
    struct irc_message m;
    size_t section = IRC_TAGS_MAX_BYTES;

    (void)state;
    line[0] = '@';
    memcpy(line + 1, "k=", 2);
    memset(line + 3, 'v', section - 4);
    memcpy(line + section - 1, " PING x", 8);
    assert_int_equal(irc_message_parse(line, strlen(line), &m), 0);
    assert_int_equal(strlen(irc_message_tag(&m, "k")), section - 4);
    irc_message_fini(&m);
    /* One byte more in the value. */
    memset(line + 3, 'v', section - 3);
    memcpy(line + section, " PING x", 8);
    assert_int_equal(irc_message_parse(line, strlen(line), &m), -EINVAL);
}

/* What we send: client tags fit in 4094 bytes with '@' and space; keys follow the grammar. */
static void
test_sent_tags_limit_and_keys(void **state)
{
    static char value[IRC_CLIENT_TAGS_MAX_BYTES];
    struct irc_tag tag = { (char *)"+k", value, true };
    const char *params[] = { "#c" };
    struct buf out;

    (void)state;
    buf_init(&out, 16384);
    /* '@' "+k" '=' value ' ' */
    memset(value, 'v', IRC_CLIENT_TAGS_MAX_BYTES - 5);
    assert_int_equal(irc_message_format(&out, &tag, 1, "TAGMSG", params, 1), 0);
    assert_int_equal(strchr(out.data, ' ') - out.data + 1, IRC_CLIENT_TAGS_MAX_BYTES);
    buf_reset(&out);
    value[IRC_CLIENT_TAGS_MAX_BYTES - 5] = 'v';
    assert_int_equal(irc_message_format(&out, &tag, 1, "TAGMSG", params, 1), -EINVAL);
    /* Escaping counts: a ';' takes two bytes. */
    memset(value, 0, sizeof(value));
    memset(value, ';', (IRC_CLIENT_TAGS_MAX_BYTES - 5) / 2 + 1);
    assert_int_equal(irc_message_format(&out, &tag, 1, "TAGMSG", params, 1), -EINVAL);
    assert_int_equal(out.len, 0);
    buf_fini(&out);
    assert_true(irc_tag_key_is_valid("label"));
    assert_true(irc_tag_key_is_valid("+typing"));
    assert_true(irc_tag_key_is_valid("+draft/reply"));
    assert_true(irc_tag_key_is_valid("example.com/x-y"));
    static const char *const bad[] = { "",    "+",   "/x",   "a/", "a/b/c", "a b",
                                       "a=b", "a;b", "+a.b", "ü",  "a\\b" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_false(irc_tag_key_is_valid(bad[i]));
}

static void
test_format(void **state)
{
    struct buf out;
    const char *privmsg[] = { "#chan", "hello world" };
    const char *nick[] = { "perch" };
    const char *colon[] = { "#c", ":)" };
    const char *empty[] = { "#c", "" };
    const char *bad_mid[] = { "a b", "x" };
    const char *crlf[] = { "#c", "hi\r\nQUIT :pwned" };
    struct irc_tag tags[] = { { (char *)"+draft/reply", (char *)"id 1;x", true } };

    (void)state;
    buf_init(&out, 8192);
    assert_int_equal(irc_message_format(&out, NULL, 0, "PRIVMSG", privmsg, 2), 0);
    assert_int_equal(irc_message_format(&out, NULL, 0, "NICK", nick, 1), 0);
    assert_int_equal(irc_message_format(&out, NULL, 0, "PRIVMSG", colon, 2), 0);
    assert_int_equal(irc_message_format(&out, NULL, 0, "TOPIC", empty, 2), 0);
    assert_int_equal(irc_message_format(&out, tags, 1, "TAGMSG", nick, 1), 0);
    assert_string_equal(out.data, "PRIVMSG #chan :hello world\r\nNICK perch\r\n"
                                  "PRIVMSG #c ::)\r\nTOPIC #c :\r\n"
                                  "@+draft/reply=id\\s1\\:x TAGMSG perch\r\n");
    buf_reset(&out);
    /* Nothing reaches the wire from a refused message. */
    assert_int_equal(irc_message_format(&out, NULL, 0, "PRIVMSG", crlf, 2), -EINVAL);
    assert_int_equal(irc_message_format(&out, NULL, 0, "PRIVMSG", bad_mid, 2), -EINVAL);
    assert_int_equal(irc_message_format(&out, NULL, 0, "PRIV MSG", nick, 1), -EINVAL);
    assert_int_equal(out.len, 0);
    buf_fini(&out);
}

static void
test_format_refuses_past_the_line_limit(void **state)
{
    char text[IRC_LINE_MAX];
    const char *params[] = { "#c", text };
    struct buf out;

    (void)state;
    buf_init(&out, 8192);
    /* "PRIVMSG #c " is 11 bytes (a text without spaces needs no colon) and CR LF 2:
     * 499 bytes of text fit exactly. */
    memset(text, 'a', 499);
    text[499] = '\0';
    assert_int_equal(irc_message_format(&out, NULL, 0, "PRIVMSG", params, 2), 0);
    assert_int_equal(out.len, IRC_LINE_MAX);
    text[499] = 'a';
    text[500] = '\0';
    assert_int_equal(irc_message_format(&out, NULL, 0, "PRIVMSG", params, 2), -EINVAL);
    buf_fini(&out);
}

static void
test_split_on_utf8_boundaries(void **state)
{
    /* "é" is 2 bytes, "€" 3: a cut never lands inside one. */
    const char *text = "\xc3\xa9\xc3\xa9\xe2\x82\xac\xe2\x82\xac";
    size_t next, n;

    (void)state;
    n = irc_split_text(text, strlen(text), 5, &next);
    assert_int_equal(n, 4);
    assert_int_equal(next, 4);
    n = irc_split_text(text + 4, strlen(text) - 4, 5, &next);
    assert_int_equal(n, 3);
    /* At a space in the second half, the space going with neither piece. */
    n = irc_split_text("hello wonderful world", 21, 16, &next);
    assert_int_equal(n, 15);
    assert_int_equal(next, 16);
    /* No space late enough: a hard cut. */
    n = irc_split_text("a bcdefghijklmnop", 17, 10, &next);
    assert_int_equal(n, 10);
    assert_int_equal(next, 10);
    n = irc_split_text("short", 5, 10, &next);
    assert_int_equal(n, 5);
    assert_int_equal(next, 5);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_form),
        cmocka_unit_test(test_sources_commands_params),
        cmocka_unit_test(test_refused_lines),
        cmocka_unit_test(test_tag_escaping_both_ways),
        cmocka_unit_test(test_tag_with_empty_value_differs_from_no_value),
        cmocka_unit_test(test_received_tag_section_limit),
        cmocka_unit_test(test_sent_tags_limit_and_keys),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_format_refuses_past_the_line_limit),
        cmocka_unit_test(test_split_on_utf8_boundaries),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
