/* SPDX-License-Identifier: MIT */
/* How IRC lines and buffers look: nick colours in prefixes and tags, input prompts, and
 * channel modes, against the strings WeeChat's irc plugin builds. */
#include <stdlib.h>
#include <string.h>

#include "irc/chanmodes.h"
#include "irc/isupport.h"
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

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prefix_colours_follow_the_nick_hash_and_its_mode),
        cmocka_unit_test(test_input_prompt_is_prefix_nick_and_user_modes),
        cmocka_unit_test(test_channel_modes_kept_as_weechat_keeps_them),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
