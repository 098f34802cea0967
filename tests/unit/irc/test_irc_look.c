/* SPDX-License-Identifier: MIT */
/* How IRC lines and buffers look: nick colours in prefixes and tags, input prompts, and
 * channel modes, against the strings WeeChat's irc plugin builds. */
#include <stdlib.h>
#include <string.h>

#include "irc/chanmodes.h"
#include "irc/isupport.h"
#include "irc/look.h"
#include "irc/message.h"
#include "irc/prefix.h"
#include "unit_test.h"

static void
assert_owned(char *got, const char *expected)
{
    assert_non_null(got);
    assert_string_equal(got, expected);
    free(got);
}

static void
apply_005(struct irc_isupport *is, const char *line)
{
    struct irc_message m;

    assert_int_equal(irc_message_parse(line, strlen(line), &m), 0);
    irc_isupport_apply(is, &m);
    irc_message_fini(&m);
}

static void
test_prefix_colours_follow_the_nick_hash_and_its_mode(void **state)
{
    struct irc_isupport is;

    (void)state;
    irc_isupport_init(&is);
    /* djb2 over "bob" picks 248 in weechat.color.chat_nick_colors: an extended colour is
     * "\x19F@" and five digits; "alice" picks lightblue, basic colour 10 ("\x19F10"). */
    assert_string_equal(irc_prefix_tag_color("bob", false), "248");
    assert_string_equal(irc_prefix_tag_color("alice", false), "lightblue");
    assert_string_equal(irc_prefix_tag_color("alice", true), "white");
    /* irc_nick_as_prefix: the op char in lightgreen (06), then the nick's colour. */
    assert_owned(irc_prefix_nick(&is, "@+", "bob", false), "\x19"
                                                           "F06@\x19"
                                                           "F@00248bob");
    assert_owned(irc_prefix_nick(&is, "+", "bob", false), "\x19"
                                                          "F08+\x19"
                                                          "F@00248bob");
    /* No mode: the space is dropped but the colour of "*" (lightblue) stays. */
    assert_owned(irc_prefix_nick(&is, "", "alice", false), "\x19"
                                                           "F10\x19"
                                                           "F10alice");
    /* Not a channel nick (private buffer): a colour reset instead of the mode. */
    assert_owned(irc_prefix_nick(&is, NULL, "bob", false), "\x1c\x19"
                                                           "F@00248bob");
    /* Our own nick: weechat.color.chat_nick_self, option colour 15. */
    assert_owned(irc_prefix_nick(&is, "", "me", true), "\x19"
                                                       "F10\x19"
                                                       "15me");
    free(irc_prefix_nick(&is, NULL, NULL, false));
    /* Owner prefix of a server with PREFIX=(qaohv): lightred (04). */
    apply_005(&is, ":s 005 me PREFIX=(qaohv)~&@%+ :are supported");
    assert_owned(irc_prefix_nick(&is, "~@", "bob", false), "\x19"
                                                           "F04~\x19"
                                                           "F@00248bob");
    irc_isupport_fini(&is);
}

static void
test_input_prompt_is_prefix_nick_and_user_modes(void **state)
{
    struct irc_isupport is;

    (void)state;
    irc_isupport_init(&is);
    assert_owned(irc_prefix_input_prompt(&is, NULL, NULL, "i"), "");
    /* irc.color.input_nick lightcyan (14). */
    assert_owned(irc_prefix_input_prompt(&is, NULL, "alice", ""), "\x19"
                                                                  "F14alice");
    /* "(modes)" in bar_delim, the modes in irc.color.item_nick_modes (default, 00). */
    assert_owned(irc_prefix_input_prompt(&is, NULL, "alice", "Zi"), "\x19"
                                                                    "F14alice\x19"
                                                                    "bD(\x19"
                                                                    "F00Zi\x19"
                                                                    "bD)");
    assert_owned(irc_prefix_input_prompt(&is, "@", "alice", ""), "\x19"
                                                                 "F06@\x19"
                                                                 "F14alice");
    assert_owned(irc_prefix_input_prompt(&is, "", "alice", ""), "\x19"
                                                                "F14alice");
    irc_isupport_fini(&is);
}

static char *
apply(const struct irc_isupport *is, const char *modes, const char *change, const char *args)
{
    char *copy = strdup(args), *argv[8], *save = NULL;
    size_t n = 0;

    for (char *p = strtok_r(copy, " ", &save); p && n < 8; p = strtok_r(NULL, " ", &save))
        argv[n++] = p;
    char *out = irc_chanmodes_apply(is, modes, change, (const char *const *)argv, n);
    free(copy);
    return out;
}

static void
test_channel_modes_kept_as_weechat_keeps_them(void **state)
{
    struct irc_isupport is;

    (void)state;
    irc_isupport_init(&is);
    assert_int_equal(irc_chanmodes_type(&is, 'b'), 'A');
    assert_int_equal(irc_chanmodes_type(&is, 'k'), 'B');
    assert_int_equal(irc_chanmodes_type(&is, 'l'), 'C');
    assert_int_equal(irc_chanmodes_type(&is, 'n'), 'D');
    assert_int_equal(irc_chanmodes_type(&is, 'o'), 'B');
    /* 324 keeps the server's order. */
    assert_owned(apply(&is, "+ntk key", "+ntk", "key"), "+ntk key");
    /* New modes without an argument go first, with one last. */
    assert_owned(apply(&is, "+nt", "+s", ""), "+snt");
    assert_owned(apply(&is, "+nt", "+l", "50"), "+ntl 50");
    assert_owned(apply(&is, "+ntl 50", "+k", "secret"), "+ntlk 50 secret");
    assert_owned(apply(&is, "+ntlk 50 secret", "-l", ""), "+ntk secret");
    assert_owned(apply(&is, "+ntk secret", "-k", "secret"), "+nt");
    assert_owned(apply(&is, "+ntl 50", "+l", "60"), "+ntl 60");
    /* Nick and list modes are no channel state; their arguments are consumed. */
    assert_owned(apply(&is, "+nt", "+ob-v+m", "bob *!*@x carol"), "+mnt");
    /* Everything removed: nothing left. */
    assert_null(apply(&is, "+n", "-n", ""));
    /* Missing arguments and junk never hurt. */
    assert_owned(apply(&is, "+n", "+kl", ""), "+lkn");
    assert_owned(apply(&is, NULL, "+t", ""), "+t");
    assert_null(apply(&is, NULL, "", ""));
    /* The buffer shows no arguments once k is among the modes. */
    assert_owned(irc_chanmodes_display("+ntkl key 50"), "+ntkl");
    assert_owned(irc_chanmodes_display("+ntl 50"), "+ntl 50");
    assert_owned(irc_chanmodes_display("+"), "");
    assert_owned(irc_chanmodes_display(NULL), "");
    irc_isupport_fini(&is);
}

/* Colour codes spelled out: weechat.color options are "\x19" + their number (gui_color_build):
 * chat_channel 13, chat_nick 14, chat_nick_self 15, chat_host 27, chat_delimiters 28; irc.color
 * options are the colour they hold (gui_color_get_custom): green "\x19F05", red "\x19F03",
 * default "\x19F00", 244 "\x19F@00244", 36 "\x19F@00036"; reset is "\x1c". */
#define CH \
    "\x19" \
    "13"
#define SELF \
    "\x19"   \
    "15"
#define HOST \
    "\x19"   \
    "27"
#define DL \
    "\x19" \
    "28"
#define GREEN \
    "\x19"    \
    "F05"
#define RED \
    "\x19"  \
    "F03"
#define DEF \
    "\x19"  \
    "F00"
#define C244 \
    "\x19"   \
    "F@00244"
#define C36 \
    "\x19"  \
    "F@00036"
#define BOB \
    "\x19"  \
    "F@00248"
#define RS "\x1c"

static void
test_join_part_quit_as_irc_protocol_prints_them(void **state)
{
    char bob[IRC_LOOK_COLOR_MAX], me[IRC_LOOK_COLOR_MAX];

    (void)state;
    irc_look_nick_color(bob, "bob", false);
    irc_look_nick_color(me, "bob", true);
    assert_string_equal(bob, BOB);
    assert_string_equal(me, SELF);
    /* IRC_PROTOCOL_CALLBACK(join): "%s%s%s%s%s%s%s%s%s%s%s%s has joined %s%s%s". */
    assert_owned(irc_look_join(bob, "bob", NULL, NULL, "~b@h", "#c"),
                 BOB "bob" DL " (" HOST "~b@h" DL ")" GREEN " has joined " CH "#c" GREEN);
    /* A source without a host: WeeChat prints the parentheses around nothing. */
    assert_owned(irc_look_join(bob, "bob", NULL, NULL, NULL, "#c"),
                 BOB "bob" DL " (" HOST DL ")" GREEN " has joined " CH "#c" GREEN);
    /* extended-join: " [account]" then " (Real Name)", each in delimiters and chat_host;
     * a "*" account is not shown but the real name is. */
    assert_owned(irc_look_join(bob, "bob", "bobacct",
                               "Bob \x02"
                               "B\x02",
                               "~b@h", "#c"),
                 BOB "bob" DL " [" HOST "bobacct" DL "]" DL " (" HOST "Bob \x1a\x01"
                     "B\x1b\x01" DL ")" DL " (" HOST "~b@h" DL ")" GREEN " has joined " CH
                     "#c" GREEN);
    assert_owned(irc_look_join(bob, "bob", NULL, "Bob", "~b@h", "#c"),
                 BOB "bob" DL " (" HOST "Bob" DL ")" DL " (" HOST "~b@h" DL ")" GREEN
                     " has joined " CH "#c" GREEN);
    /* IRC_PROTOCOL_CALLBACK(part), with and without a reason (reason_quit 244). */
    assert_owned(irc_look_part(bob, "bob", "~b@h", "#c", "bye"),
                 BOB "bob" DL " (" HOST "~b@h" DL ")" RED " has left " CH "#c" RED " " DL "(" C244
                     "bye" DL ")");
    assert_owned(irc_look_part(bob, "bob", "~b@h", "#c", ""),
                 BOB "bob" DL " (" HOST "~b@h" DL ")" RED " has left " CH "#c" RED);
    /* IRC_PROTOCOL_CALLBACK(quit); IRC formatting in the reason becomes WeeChat's (bold). */
    assert_owned(irc_look_quit(bob, "bob", "~b@h", "\x02gone"),
                 BOB "bob" DL " (" HOST "~b@h" DL ")" RED " has quit " DL "(" C244 "\x1a\x01gone" DL
                     ")");
    assert_owned(irc_look_quit(bob, "bob", "~b@h", NULL),
                 BOB "bob" DL " (" HOST "~b@h" DL ")" RED " has quit");
}

static void
test_kick_kill_nick_and_mode_as_irc_protocol_prints_them(void **state)
{
    (void)state;
    /* IRC_PROTOCOL_CALLBACK(kick): "%s%s%s has kicked %s%s%s %s(%s%s%s)" (reason_kick default). */
    assert_owned(irc_look_kick(BOB, "bob", SELF, "me", "out"),
                 BOB "bob" RED " has kicked " SELF "me" RED " " DL "(" DEF "out" DL ")");
    assert_owned(irc_look_kick(BOB, "bob", SELF, "me", NULL),
                 BOB "bob" RED " has kicked " SELF "me" RED);
    /* IRC_PROTOCOL_CALLBACK(kill): "%s%sYou were killed by %s%s%s %s(%s%s%s)". */
    assert_owned(irc_look_kill(BOB, "bob", "spam"),
                 RED "You were killed by " BOB "bob" RED " " DL "(" DEF "spam" DL ")");
    assert_owned(irc_look_kill(BOB, "bob", NULL), RED "You were killed by " BOB "bob" RED);
    /* IRC_PROTOCOL_CALLBACK(nick): old and new nick each followed by a reset. */
    assert_owned(irc_look_nick(BOB, "bob",
                               "\x19"
                               "F10",
                               "bobby"),
                 BOB "bob" RS " is now known as \x19"
                     "F10bobby" RS);
    assert_owned(irc_look_nick_self("me2"), "You are now known as " SELF "me2" RS);
    /* IRC_PROTOCOL_CALLBACK(mode) and irc_mode_get_arguments_colors: each argument then a
     * reset, a leading ':' dropped. */
    assert_owned(irc_look_mode("#c", "+ov", "bob :me", BOB, "bob"),
                 "Mode " CH "#c " DL "[" RS "+ov bob" RS " me" RS DL "]" RS " by " BOB "bob");
    assert_owned(irc_look_mode("#c", "+n", NULL, BOB, "bob"),
                 "Mode " CH "#c " DL "[" RS "+n" DL "]" RS " by " BOB "bob");
    assert_owned(irc_look_user_mode("+i", SELF, "me"),
                 "User mode " DL "[" RS "+i" DL "]" RS " by " SELF "me");
}

static void
test_topic_lines_as_irc_protocol_prints_them(void **state)
{
    (void)state;
    /* IRC_PROTOCOL_CALLBACK(topic): topic_old 244, topic_new 36 (display_old_topic on). */
    assert_owned(irc_look_topic(BOB, "bob", "#c", "old", "new"),
                 BOB "bob" RS " has changed topic for " CH "#c" RS " from \"" C244 "old" RS
                     "\" to \"" C36 "new" RS "\"");
    assert_owned(irc_look_topic(BOB, "bob", "#c", NULL, "new"),
                 BOB "bob" RS " has changed topic for " CH "#c" RS " to \"" C36 "new" RS "\"");
    assert_owned(irc_look_topic(BOB, "bob", "#c", "old", ""), BOB
                 "bob" RS " has unset topic for " CH "#c" RS " (old topic: \"" C244 "old" RS "\")");
    assert_owned(irc_look_topic(BOB, "bob", "#c", NULL, NULL),
                 BOB "bob" RS " has unset topic for " CH "#c" RS);
    /* IRC_PROTOCOL_CALLBACK(332): topic_current (default). */
    assert_owned(irc_look_topic_is("#c", "t"), "Topic for " CH "#c" RS " is \"" DEF "t" RS "\"");
    /* IRC_PROTOCOL_CALLBACK(333): in the channel, and for a channel not joined. */
    assert_owned(irc_look_topic_set_by(NULL, BOB, "bob", "~b@h", "D"),
                 "Topic set by " BOB "bob" DL " (" HOST "~b@h" DL ")" RS " on D");
    assert_owned(irc_look_topic_set_by("#c", BOB, "bob", NULL, "D"),
                 "Topic for " CH "#c" RS " set by " BOB "bob" DL HOST DL RS " on D");
    assert_owned(irc_look_topic_set_by(NULL, NULL, NULL, NULL, "D"), "Topic set on D");
    /* IRC_PROTOCOL_CALLBACK(328) and (331). */
    assert_owned(irc_look_url("#c", "http://x"), "URL for " CH "#c" RS ": http://x");
    assert_owned(irc_look_no_topic("#c"), "No topic set for channel " CH "#c");
}

static void
test_who_whois_and_errors_as_irc_protocol_prints_them(void **state)
{
    (void)state;
    /* IRC_PROTOCOL_CALLBACK(352): "%s%s[%s%s%s] %s%s %s(%s%s@%s%s)%s %s%s%s%s%s(%s%s%s)". */
    assert_owned(irc_look_who("#c", BOB, "bob", "~b", "h", "H@", "0", "Bob B"),
                 DL "[" CH "#c" DL "] " BOB "bob " DL "(" HOST "~b@h" DL ")" RS " H@ 0 " DL "(" RS
                    "Bob B" DL ")");
    assert_owned(irc_look_who("#c", BOB, "bob", "~b", "h", NULL, NULL, NULL), DL
                 "[" CH "#c" DL "] " BOB "bob " DL "(" HOST "~b@h" DL ")" RS " " DL "(" RS DL ")");
    /* IRC_PROTOCOL_CALLBACK(367), (346), (728): "%s[%s%s%s] %s%s%s%s banned by %s on %s". */
    assert_owned(irc_look_modelist_item("#c", 2, "m!*@*", "banned", BOB, "bob", "~b@h", "D"),
                 DL "[" CH "#c" DL "] " DL "[" RS "2" DL "] " HOST "m!*@*" RS " banned by " BOB
                    "bob " DL "(" HOST "~b@h" DL ")" RS " on D");
    assert_owned(irc_look_modelist_item("#c", 0, "m", "invited", BOB, "bob", NULL, NULL),
                 DL "[" CH "#c" DL "] " HOST "m" RS " invited by " BOB "bob" RS);
    assert_owned(irc_look_modelist_item("#c", 1, "m", "quieted", NULL, NULL, NULL, NULL),
                 DL "[" CH "#c" DL "] " DL "[" RS "1" DL "] " HOST "m" RS " quieted");
    assert_owned(irc_look_modelist_item("#c", 0, "m", "banned", "", "", NULL, "D"),
                 DL "[" CH "#c" DL "] " HOST "m" RS " banned by ? on D");
    /* (348): "%s[%s%s%s]%s%s exception %s%s%s by %s on %s", the number " [N]". */
    assert_owned(irc_look_modelist_item("#c", 3, "m", NULL, BOB, "bob", "bob", "D"), DL
                 "[" CH "#c" DL "]"
                 " " DL "[" RS "3" DL "]" RS " exception " HOST "m" RS " by " BOB "bob" RS " on D");
    /* IRC_PROTOCOL_CALLBACK(315), and the ends of the mode lists (368, ...). */
    assert_owned(irc_look_who_end("#c", "End of /WHO list."),
                 DL "[" CH "#c" DL "]" RS " End of /WHO list.");
    /* IRC_PROTOCOL_CALLBACK(whois_nick_msg), (301), (311), (314). */
    assert_owned(irc_look_whois_text(BOB, "bob", "End of WHOIS list.", NULL),
                 DL "[" BOB "bob" DL "] " RS "End of WHOIS list.");
    assert_owned(irc_look_whois_text(BOB, "bob", "is using", "x"),
                 DL "[" BOB "bob" DL "] " RS "is using (x)");
    assert_owned(irc_look_away(BOB, "bob", "lunch"), DL "[" BOB "bob" DL "]" RS " is away: lunch");
    assert_owned(irc_look_whois_user(BOB, "bob", "~b", "h", "Bob", false),
                 DL "[" BOB "bob" DL "] (" HOST "~b@h" DL ")" RS ": Bob");
    assert_owned(irc_look_whois_user(BOB, "bob", "~b", "h", "Bob", true),
                 DL "[" BOB "bob" DL "] (" HOST "~b@h" DL ")" RS " was Bob");
    /* IRC_PROTOCOL_CALLBACK(generic_error): "#c: " in chat_channel then a reset. */
    assert_owned(irc_look_error(CH, "#c", "No such channel"), CH "#c" RS ": No such channel");
    assert_owned(irc_look_error(NULL, NULL, "MOTD File is missing"), "MOTD File is missing");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prefix_colours_follow_the_nick_hash_and_its_mode),
        cmocka_unit_test(test_input_prompt_is_prefix_nick_and_user_modes),
        cmocka_unit_test(test_channel_modes_kept_as_weechat_keeps_them),
        cmocka_unit_test(test_join_part_quit_as_irc_protocol_prints_them),
        cmocka_unit_test(test_kick_kill_nick_and_mode_as_irc_protocol_prints_them),
        cmocka_unit_test(test_topic_lines_as_irc_protocol_prints_them),
        cmocka_unit_test(test_who_whois_and_errors_as_irc_protocol_prints_them),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
