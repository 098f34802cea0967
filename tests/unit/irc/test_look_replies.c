/* SPDX-License-Identifier: MIT */
/* The server's answers (/version, /ison, /list, /knock, WHOIS extras) and WALLOPS against
 * the strings WeeChat's irc plugin builds with default options (irc-protocol.c). */
#include <stdlib.h>

#include "irc/look.h"
#include "irc/look_replies.h"
#include "unit_test.h"

/* weechat.color options as "\x19" and their number: chat_channel 13, chat_nick 14,
 * chat_host 27, chat_delimiters 28; "bob" hashes to colour 248; reset is "\x1c"; IRC bold
 * (\x02) becomes WeeChat's "\x1a" "\x01". */
#define CH \
    "\x19" \
    "13"
#define NICK \
    "\x19"   \
    "14"
#define HOST \
    "\x19"   \
    "27"
#define DL \
    "\x19" \
    "28"
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
test_nick_and_address_as_irc_protocol_nick_address(void **state)
{
    char bob[IRC_LOOK_COLOR_MAX];

    (void)state;
    irc_look_nick_color(bob, "bob", false);
    /* "%s%s %s(%s%s%s)%s" with both, "%s%s%s" with the nick alone or the same address. */
    assert_owned(irc_look_nick_address(bob, "bob", "b@h"), BOB "bob " DL "(" HOST "b@h" DL ")" RS);
    assert_owned(irc_look_nick_address(bob, "bob", NULL), BOB "bob" RS);
    assert_owned(irc_look_nick_address(bob, "bob", ""), BOB "bob" RS);
    assert_owned(irc_look_nick_address(bob, "bob", "bob"), BOB "bob" RS);
    assert_owned(irc_look_nick_address(bob, NULL, "b@h"), "");
}

static void
test_server_answers_as_irc_protocol_prints_them(void **state)
{
    char bob[IRC_LOOK_COLOR_MAX];

    (void)state;
    irc_look_nick_color(bob, "bob", false);
    assert_owned(irc_look_snomask(bob, "bob", "+cC"),
                 "Server notice mask for " BOB "bob" RS ": +cC");
    assert_owned(irc_look_users_online("a b"), "Users online: " NICK "a b");
    assert_owned(irc_look_users_online(""), "Users online: " NICK);
    /* 351: the comments in parentheses, their IRC formatting decoded; none: nothing. */
    assert_owned(irc_look_version("ngIRCd-26", "irc.test", "\x02+SSL"),
                 "ngIRCd-26 irc.test (" BOLD "+SSL)");
    assert_owned(irc_look_version("v1", "s", NULL), "v1 s");
    assert_owned(irc_look_version("v1", "s", ""), "v1 s");
    assert_owned(irc_look_nick_refused("me", "new", "Nick change too fast"),
                 "Nick change too fast (me => new)");
    assert_owned(irc_look_nick_refused("me", "new", NULL), "me new");
    assert_owned(irc_look_mode_reason("+R", "only registered users"), "+R: only registered users");
    assert_owned(irc_look_mode_reason("+R", NULL), "+R");
}

static void
test_whois_extras_as_irc_protocol_prints_them(void **state)
{
    char bob[IRC_LOOK_COLOR_MAX];

    (void)state;
    irc_look_nick_color(bob, "bob", false);
    assert_owned(irc_look_whois_host(bob, "bob", "host.example", "1.2.3.4", "Bob B"),
                 DL "[" BOB "bob" DL "] " HOST "host.example 1.2.3.4 " DL "(" RS "Bob B" DL ")");
    assert_owned(irc_look_whois_host(bob, "bob", "h", "ip", NULL),
                 DL "[" BOB "bob" DL "] " HOST "h ip");
    assert_owned(irc_look_whois_gateway(bob, "bob", "gw/x", "1.2.3.4", "via gateway"),
                 DL "[" BOB "bob" DL "] " DL "(" HOST "gw/x" DL ", " HOST "1.2.3.4" DL ") " RS
                    "via gateway");
    assert_owned(irc_look_whois_gateway(bob, "bob", NULL, "1.2.3.4", "t"),
                 DL "[" BOB "bob" DL "] " DL "(" HOST "1.2.3.4" DL ") " RS "t");
    assert_owned(irc_look_whois_gateway(bob, "bob", NULL, NULL, "t"),
                 DL "[" BOB "bob" DL "] " RS "t");
}

static void
test_channel_answers_as_irc_protocol_prints_them(void **state)
{
    char *who;
    char bob[IRC_LOOK_COLOR_MAX];

    (void)state;
    irc_look_nick_color(bob, "bob", false);
    assert_owned(irc_look_reop("#c", "*!*@h"), "Channel reop " CH "#c" RS ": " HOST "*!*@h");
    assert_owned(irc_look_channel_says("#c", "Your KNOCK has been delivered."),
                 CH "#c" RS ": Your KNOCK has been delivered.");
    who = irc_look_nick_address(bob, "bob", "b@h");
    assert_owned(irc_look_knock(who, NULL),
                 BOB "bob " DL "(" HOST "b@h" DL ")" RS " has asked for an invite");
    assert_owned(irc_look_knock(who, "let me in"),
                 BOB "bob " DL "(" HOST "b@h" DL ")" RS " let me in");
    assert_owned(irc_look_wallops(who, "hello"),
                 "Wallops from " BOB "bob " DL "(" HOST "b@h" DL ")" RS ": hello");
    free(who);
    assert_owned(irc_look_wallops("", "x"), "Wallops from ?: x");
    assert_owned(irc_look_knock(NULL, "x"), "? x");
    /* /list's replies (321, 322). */
    assert_owned(irc_look_list_start("Channel", "Users  Name"), "Channel Users  Name");
    assert_owned(irc_look_list_start("Channel", NULL), "Channel");
    assert_owned(irc_look_list_item("#c", "42", "a \x02topic"),
                 CH "#c" DL "(" RS "42" DL ")" RS ": a " BOLD "topic");
    assert_owned(irc_look_list_item("#c", "3", ""), CH "#c" DL "(" RS "3" DL ")" RS);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nick_and_address_as_irc_protocol_nick_address),
        cmocka_unit_test(test_server_answers_as_irc_protocol_prints_them),
        cmocka_unit_test(test_whois_extras_as_irc_protocol_prints_them),
        cmocka_unit_test(test_channel_answers_as_irc_protocol_prints_them),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
