/* SPDX-License-Identifier: MIT */
/* Actions, notices, messages with their target and CTCP lines against the strings WeeChat's
 * irc plugin builds with default options (irc-protocol.c, irc-ctcp.c, irc-input.c). */
#include <stdlib.h>

#include "irc/look.h"
#include "irc/look_chat.h"
#include "unit_test.h"

/* weechat.color options as "\x19" and their number: chat_channel 13, chat_nick_self 15,
 * chat_host 27, chat_delimiters 28; irc.color.notice green ("F05"); "bob" hashes to colour
 * 248; reset is "\x1c"; IRC bold (\x02) becomes WeeChat's "\x1a" "\x01". */
#define CH \
    "\x19" \
    "13"
#define ME \
    "\x19" \
    "15"
#define HOST \
    "\x19"   \
    "27"
#define DL \
    "\x19" \
    "28"
#define NOTICE \
    "\x19"     \
    "F05"
#define BOB \
    "\x19"  \
    "F@00248"
#define RS   "\x1c"
#define BOLD "\x1a\x01"

static void
assert_owned(char *got, const char *expected)
{
    assert_non_null(got);
    assert_string_equal(got, expected);
    free(got);
}

static void
test_actions_as_irc_ctcp_recv_and_irc_input_show_them(void **state)
{
    char bob[IRC_LOOK_COLOR_MAX];

    (void)state;
    irc_look_nick_color(bob, "bob", false);
    /* In a channel the nick mode display (a reset) comes first; in a private buffer not. */
    assert_owned(irc_look_action(RS, bob, "bob", "waves \x02hard"),
                 RS BOB "bob" RS " waves " BOLD "hard");
    assert_owned(irc_look_action("", bob, "bob", "waves"), BOB "bob" RS " waves");
    assert_owned(irc_look_action(RS, bob, "bob", NULL), RS BOB "bob");
    assert_owned(irc_look_action_to(CH, "@#c", ME, "me", "waves"),
                 "Action -> " CH "@#c" RS ": " RS ME "me" RS " waves");
    assert_owned(irc_look_action_to(bob, "bob", ME, "me", NULL),
                 "Action -> " BOB "bob" RS ": " RS ME "me");
}

static void
test_messages_and_notices_with_their_target(void **state)
{
    char bob[IRC_LOOK_COLOR_MAX];

    (void)state;
    irc_look_nick_color(bob, "bob", false);
    /* irc_input_user_message_display: ours, "Notice" reset before the delimiters. */
    assert_owned(irc_look_message_to(IRC_LOOK_HEAD_MSG, ME, "me", bob, "bob", "hi \x02you"),
                 "Msg" DL "(" RS ME "me" DL ")" RS " -> " BOB "bob" RS ": hi " BOLD "you");
    assert_owned(irc_look_message_to(IRC_LOOK_HEAD_NOTICE_OURS, ME, "me", CH, "#c", "hi"),
                 NOTICE "Notice" RS DL "(" RS ME "me" DL ")" RS " -> " CH "#c" RS ": hi");
    /* irc-protocol.c's notice to a channel, and a service's welcome shown in its channel. */
    assert_owned(irc_look_message_to(IRC_LOOK_HEAD_NOTICE, bob, "bob", CH, "@#c", "ops"),
                 NOTICE "Notice" DL "(" RS BOB "bob" DL ")" RS " -> " CH "@#c" RS ": ops");
    assert_owned(irc_look_message_to(IRC_LOOK_HEAD_NOTICE_PV, bob, "bob", NULL, NULL, "hello"),
                 NOTICE "PvNotice" DL "(" RS BOB "bob" DL ")" RS ": hello");
    assert_owned(irc_look_notice_to(bob, "bob", "psst"),
                 NOTICE "Notice" RS " -> " BOB "bob" RS ": psst");
    assert_owned(irc_look_notice_private(bob, "bob", "\x02hey"), BOB "bob" RS ": " BOLD "hey");
}

static void
test_notices_in_the_server_buffer_name_their_sender(void **state)
{
    char bob[IRC_LOOK_COLOR_MAX];

    (void)state;
    irc_look_nick_color(bob, "bob", false);
    assert_owned(irc_look_notice_from(bob, "bob", "b@h", "hi"),
                 BOB "bob " DL "(" HOST "b@h" DL ")" RS ": hi");
    /* A server: its name alone; no source at all: the text alone. */
    assert_owned(irc_look_notice_from(bob, "bob", NULL, "*** Looking up"),
                 BOB "bob" RS ": *** Looking up");
    assert_owned(irc_look_notice_from(bob, NULL, NULL, "*** Looking up"), "*** Looking up");
}

static void
test_ctcp_lines_as_irc_ctcp_shows_them(void **state)
{
    char bob[IRC_LOOK_COLOR_MAX];

    (void)state;
    irc_look_nick_color(bob, "bob", false);
    assert_owned(irc_look_ctcp_requested(bob, "bob", "VERSION", ""),
                 "CTCP requested by " BOB "bob" RS ": " CH "VERSION" RS);
    assert_owned(irc_look_ctcp_requested(bob, "bob", "PING", "11"),
                 "CTCP requested by " BOB "bob" RS ": " CH "PING" RS " 11");
    assert_owned(irc_look_ctcp_unknown(bob, "bob", "FOO", ""),
                 "Unknown CTCP requested by " BOB "bob" RS ": " CH "FOO");
    assert_owned(irc_look_ctcp_unknown(bob, "bob", "FOO", "a b"),
                 "Unknown CTCP requested by " BOB "bob" RS ": " CH "FOO" RS " a b");
    assert_owned(irc_look_ctcp_reply_from(bob, "bob", "VERSION",
                                          "irssi \x02"
                                          "1"),
                 "CTCP reply from " BOB "bob" RS ": " CH "VERSION" RS " irssi " BOLD "1");
    assert_owned(irc_look_ctcp_reply_from(bob, "bob", "FINGER", NULL),
                 "CTCP reply from " BOB "bob" RS ": " CH "FINGER");
    assert_owned(irc_look_ctcp_ping_from(bob, "bob", "PING", 0.1234),
                 "CTCP reply from " BOB "bob" RS ": " CH "PING" RS " 0.123s");
    assert_owned(irc_look_ctcp_query_to(bob, "bob", "PING", "1 2"),
                 "CTCP query to " BOB "bob" RS ": " CH "PING" RS " 1 2");
    assert_owned(irc_look_ctcp_query_to(CH, "#c", "VERSION", NULL),
                 "CTCP query to " CH "#c" RS ": " CH "VERSION" RS);
    assert_owned(irc_look_ctcp_reply_to(bob, "bob", "VERSION", "perch"),
                 "CTCP reply to " BOB "bob" RS ": " CH "VERSION" RS " perch");
    assert_owned(irc_look_ctcp_reply_to(bob, "bob", "VERSION", ""),
                 "CTCP reply to " BOB "bob" RS ": " CH "VERSION");
}

static void
test_message_text_has_its_irc_formatting_as_weechat_codes(void **state)
{
    (void)state;
    assert_owned(irc_look_text("a \x02"
                               "b\x02 c"),
                 "a " BOLD "b\x1b\x01 c");
    assert_owned(irc_look_text(NULL), "");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_actions_as_irc_ctcp_recv_and_irc_input_show_them),
        cmocka_unit_test(test_messages_and_notices_with_their_target),
        cmocka_unit_test(test_notices_in_the_server_buffer_name_their_sender),
        cmocka_unit_test(test_ctcp_lines_as_irc_ctcp_shows_them),
        cmocka_unit_test(test_message_text_has_its_irc_formatting_as_weechat_codes),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
