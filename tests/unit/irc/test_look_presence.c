/* SPDX-License-Identifier: MIT */
/* Presence lines (account, chghost, setname, invite, notify, WHOX) against the strings
 * WeeChat's irc plugin builds with default options. */
#include <stdio.h>
#include <stdlib.h>

#include "irc/look.h"
#include "irc/look_presence.h"
#include "unit_test.h"

/* weechat.color options as "\x19" and their number: chat_channel 13, chat_host 27,
 * chat_delimiters 28; irc.color options as the colour they hold: cyan "F13", brown "F07",
 * green "F05", red "F03"; "bob" hashes to colour 248; reset is "\x1c". */
#define CH \
    "\x19" \
    "13"
#define HOST \
    "\x19"   \
    "27"
#define DL \
    "\x19" \
    "28"
#define CYAN \
    "\x19"   \
    "F13"
#define BROWN \
    "\x19"    \
    "F07"
#define GREEN \
    "\x19"    \
    "F05"
#define RED \
    "\x19"  \
    "F03"
#define BOB \
    "\x19"  \
    "F@00248"
#define RS "\x1c"

static void
assert_owned(char *got, const char *expected)
{
    assert_non_null(got);
    assert_string_equal(got, expected);
    free(got);
}

static void
test_account_lines_as_irc_protocol_prints_them(void **state)
{
    char bob[IRC_LOOK_COLOR_MAX];

    (void)state;
    irc_look_nick_color(bob, "bob", false);
    /* IRC_PROTOCOL_CALLBACK(account): "%s%s%s%s has identified as %s", the account in the
     * colour of its own name. */
    assert_owned(irc_look_account(bob, "bob", bob, "bob"),
                 BOB "bob" CYAN " has identified as " BOB "bob");
    assert_owned(irc_look_account(bob, "bob", bob, NULL), BOB "bob" CYAN " has unidentified");
}

static void
test_chghost_and_setname_as_irc_protocol_prints_them(void **state)
{
    char bob[IRC_LOOK_COLOR_MAX];

    (void)state;
    irc_look_nick_color(bob, "bob", false);
    assert_owned(irc_look_chghost(bob, "bob", "~b@old", "b@new"),
                 BOB "bob" DL " (" HOST "~b@old" DL ")" BROWN " has changed host to " HOST "b@new");
    assert_owned(irc_look_chghost(bob, "bob", NULL, "b@new"),
                 BOB "bob" DL " (" HOST DL ")" BROWN " has changed host to " HOST "b@new");
    assert_owned(irc_look_setname(bob, "bob", "Bob B"),
                 BOB "bob" BROWN " has changed real name to " DL "\"" RS "Bob B" DL "\"" RS);
    assert_owned(irc_look_setname(bob, NULL, "Me"),
                 BROWN "Your real name has been set to " DL "\"" RS "Me" DL "\"" RS);
}

static void
test_invites_as_irc_protocol_prints_them(void **state)
{
    char bob[IRC_LOOK_COLOR_MAX], carol[IRC_LOOK_COLOR_MAX];

    (void)state;
    irc_look_nick_color(bob, "bob", false);
    irc_look_nick_color(carol, "carol", false);
    assert_owned(irc_look_invited("#c", bob, "bob"),
                 "You have been invited to " CH "#c" RS " by " BOB "bob" RS);
    /* invite-notify imitates 341. */
    char *got = irc_look_invite(bob, "bob", carol, "carol", "#c");
    char expected[256];
    snprintf(expected, sizeof(expected), BOB "bob" RS " has invited %scarol" RS " to " CH "#c" RS,
             carol);
    assert_owned(got, expected);
}

static void
test_notify_lines_as_irc_notify_prints_them(void **state)
{
    char bob[IRC_LOOK_COLOR_MAX];

    (void)state;
    irc_look_nick_color(bob, "bob", false);
    /* irc_notify_display_is_on: the first state "is", the changes "has". */
    assert_owned(irc_look_notify(bob, "bob", "~b@h", true, true),
                 "notify: " BOB "bob" DL " (" HOST "~b@h" DL ")" GREEN " is connected");
    assert_owned(irc_look_notify(bob, "bob", NULL, false, true),
                 "notify: " BOB "bob" RED " is offline");
    assert_owned(irc_look_notify(bob, "bob", "", true, false),
                 "notify: " BOB "bob" GREEN " has connected");
    assert_owned(irc_look_notify(bob, "bob", NULL, false, false),
                 "notify: " BOB "bob" RED " has quit");
}

static void
test_whox_reply_as_irc_protocol_prints_it(void **state)
{
    char bob[IRC_LOOK_COLOR_MAX];

    (void)state;
    irc_look_nick_color(bob, "bob", false);
    assert_owned(irc_look_whox("#c", bob, "bob", "acct", "~b", "h", "G@", "0", "Bob B"),
                 DL "[" CH "#c" DL "] " BOB "bob " DL "[" HOST "acct" DL "] (" HOST "~b@h" DL ")" RS
                    " G@ 0 " DL "(" RS "Bob B" DL ")");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_account_lines_as_irc_protocol_prints_them),
        cmocka_unit_test(test_chghost_and_setname_as_irc_protocol_prints_them),
        cmocka_unit_test(test_invites_as_irc_protocol_prints_them),
        cmocka_unit_test(test_notify_lines_as_irc_notify_prints_them),
        cmocka_unit_test(test_whox_reply_as_irc_protocol_prints_it),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
