/* SPDX-License-Identifier: MIT */
/*
 * Presence messages through a network of a real core (no socket: what perchd would send
 * is dropped): the nick's away state in the nicklist, its account, host and real name
 * kept, and the lines WeeChat prints, in the buffers it prints them in. Capabilities
 * decide what is kept: a CAP DEL stops it. Nicks are found by the server's casemapping in
 * a channel of thousands, channels among hundreds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uv.h>

#include "base/log.h"
#include "core/color.h"
#include "core/core.h"
#include "irc/channel.h"
#include "irc/internal.h"
#include "irc/irc.h"
#include "irc/server_config.h"
#include "unit_test.h"

static const struct irc_timing timing = {
    .connect_timeout_ms = 60000,
    .ping_interval_ms = 60000,
    .ping_timeout_ms = 60000,
    .reconnect_first_ms = 1000,
    .reconnect_max_ms = 60000,
    .highlight_words = "",
    .auto_away = "",
    .anti_flood_ms = 2000,
    .anti_flood_burst = 5,
    .nick_regain_ms = 60000,
};

struct net {
    uv_loop_t loop;
    struct core *core;
    struct irc *irc;
    struct irc_server *s;
};

static void
feed(struct net *n, const char *line)
{
    char crlf[1024];

    snprintf(crlf, sizeof(crlf), "%s\r\n", line);
    irc__server_read(n->s, crlf, strlen(crlf));
}

static int
net_setup(void **state)
{
    struct net *n = calloc(1, sizeof(*n));
    struct irc_server_config *cfg;
    char err[256];

    log_set_level(LOG_LEVEL_ERROR);
    uv_loop_init(&n->loop);
    n->core = core_new(200, "test");
    n->irc = irc_new(&n->loop, n->core, &timing);
    cfg = irc_server_config_new("net", err, sizeof(err));
    assert_non_null(cfg);
    assert_int_equal(irc_server_config_set(cfg, "addresses", "irc.invalid/6667", err, sizeof(err)),
                     0);
    assert_int_equal(irc_server_config_set(cfg, "nicks", "me", err, sizeof(err)), 0);
    n->s = irc__server_new(n->irc, cfg);
    n->s->state = IRC_REGISTERING;
    feed(n, ":srv CAP * LS :account-notify away-notify chghost extended-join invite-notify "
            "multi-prefix setname userhost-in-names");
    feed(n, ":srv CAP me ACK :account-notify away-notify chghost extended-join invite-notify "
            "multi-prefix setname userhost-in-names");
    feed(n, ":srv 001 me :Welcome");
    feed(n, ":me!u@h JOIN #c");
    feed(n, ":srv 353 me = #c :me @+bob!b@bhost carol!c@chost");
    feed(n, ":srv 366 me #c :End of /NAMES list.");
    *state = n;
    return 0;
}

static int
net_teardown(void **state)
{
    struct net *n = *state;

    irc__server_remove(n->s, "done");
    uv_run(&n->loop, UV_RUN_NOWAIT);
    irc_free(n->irc);
    core_free(n->core);
    assert_int_equal(uv_loop_close(&n->loop), 0);
    free(n);
    return 0;
}

static struct irc_nick *
nick(struct net *n, const char *name)
{
    struct irc_channel *c = irc_channel_find(n->s, "#c");

    assert_non_null(c);
    return irc_channel_nick_find(c, name);
}

static const char *
nicklist_color(struct net *n, const char *name)
{
    struct core_buffer *b = core_buffer_by_full_name(n->core, "irc.net.#c");
    struct core_nick *cn = b ? core_nicklist_find_nick(b->nicklist_root, name) : NULL;

    assert_non_null(cn);
    return cn->color_name;
}

/* The buffer's last line, colours stripped, with its tags joined. */
static const struct core_line *
last_line(struct net *n, const char *buffer, char *text, size_t text_len, char *tags,
          size_t tags_len)
{
    struct core_buffer *b = core_buffer_by_full_name(n->core, buffer);
    const struct core_line *line;
    char *plain;
    size_t used = 0;

    assert_non_null(b);
    assert_true(core_buffer_line_count(b) > 0);
    line = core_buffer_line_at(b, core_buffer_line_count(b) - 1);
    plain = core_color_convert(line->message, CORE_COLOR_STRIP);
    snprintf(text, text_len, "%s", plain);
    free(plain);
    tags[0] = '\0';
    for (size_t i = 0; i < line->n_tags; i++)
        used += (size_t)snprintf(tags + used, tags_len - used, "%s%s", i ? "," : "", line->tags[i]);
    return line;
}

static void
assert_last(struct net *n, const char *buffer, const char *text, const char *tags)
{
    char got_text[1024], got_tags[1024];

    last_line(n, buffer, got_text, sizeof(got_text), got_tags, sizeof(got_tags));
    assert_string_equal(got_text, text);
    assert_string_equal(got_tags, tags);
}

static void
test_userhost_in_names_and_multi_prefix_fill_the_nicks(void **state)
{
    struct net *n = *state;

    assert_string_equal(nick(n, "bob")->host, "b@bhost");
    assert_string_equal(nick(n, "bob")->prefixes, "@+");
    assert_string_equal(nick(n, "carol")->host, "c@chost");
    assert_string_equal(nick(n, "me")->host, "u@h");
    feed(n, ":srv MODE #c -o bob");
    assert_string_equal(nick(n, "bob")->prefixes, "+");
}

/* A big channel's nicks, speakers and nicklist entries are found by the server's
 * casemapping through joins, renames and parts, also after a 005 changes the mapping. */
static void
test_nicks_found_by_casemapping_in_a_big_channel(void **state)
{
    struct net *n = *state;
    struct irc_channel *c = irc_channel_find(n->s, "#c");
    struct core_buffer *b = core_buffer_by_full_name(n->core, "irc.net.#c");
    char line[900], name[32];
    int64_t now = (int64_t)time(NULL);

    for (int i = 0; i < 3000; i += 60) {
        size_t used = (size_t)snprintf(line, sizeof(line), ":srv 353 me = #c :");
        for (int k = i; k < i + 60; k++)
            used += (size_t)snprintf(line + used, sizeof(line) - used, "%sNick[%04d] ",
                                     k % 7 ? "" : "@", k);
        feed(n, line);
    }
    for (int i = 0; i < 3000; i++) {
        snprintf(name, sizeof(name), "nICK{%04d}", i);
        assert_non_null(nick(n, name));
        snprintf(name, sizeof(name), "Nick[%04d]", i);
        assert_string_equal(nick(n, name)->name, name);
        assert_non_null(core_nicklist_find_nick(b->nicklist_root, name));
    }
    assert_null(nick(n, "Nick[3000]"));
    feed(n, ":Nick[0042]!u@h NICK :Zed[1]");
    assert_null(nick(n, "nick{0042}"));
    assert_non_null(nick(n, "ZED{1}"));
    assert_null(core_nicklist_find_nick(b->nicklist_root, "Nick[0042]"));
    assert_non_null(core_nicklist_find_nick(b->nicklist_root, "Zed[1]"));
    feed(n, ":Nick[0100]!u@h PART #c");
    assert_null(nick(n, "Nick[0100]"));
    assert_non_null(nick(n, "Nick[0099]"));
    feed(n, ":Zed[1]!u@h PRIVMSG #c :hi");
    assert_true(irc_channel_spoke_recently(c, "zed{1}", now));
    /* ascii: brackets are not braces any more; the indexes did not need sorting again. */
    feed(n, ":srv 005 me CASEMAPPING=ascii :are supported by this server");
    assert_null(nick(n, "zed{1}"));
    assert_non_null(nick(n, "ZED[1]"));
    assert_null(nick(n, "nick{2999}"));
    assert_non_null(nick(n, "NICK[2999]"));
    assert_false(irc_channel_spoke_recently(c, "zed{1}", now));
    assert_true(irc_channel_spoke_recently(c, "zed[1]", now));
    feed(n, ":ZED[1]!u@h NICK :Nick{0042}");
    assert_non_null(nick(n, "nick{0042}"));
    assert_null(nick(n, "nick[0042]"));
    assert_true(irc_channel_spoke_recently(c, "NICK{0042}", now));
}

/* The speakers, latest first: one who speaks again moves to the head under the name just
 * used, keeps one entry, and the bound drops the oldest. */
static void
test_speakers_latest_first_one_entry_each_bounded(void **state)
{
    struct net *n = *state;
    struct irc_channel *c = irc_channel_find(n->s, "#c");
    const char *order[] = { "Bob", "zed", "amy" };
    struct list *pos;
    size_t i = 0;
    char name[32];

    irc_channel_speaking(c, "amy", 100);
    irc_channel_speaking(c, "bob", 200);
    irc_channel_speaking(c, "zed", 300);
    irc_channel_speaking(c, "Bob", 400);
    list_for_each (pos, &c->speakers) {
        struct irc_speaker *sp = list_entry(pos, struct irc_speaker, link);
        assert_true(i < 3);
        assert_string_equal(sp->nick, order[i++]);
    }
    assert_int_equal(i, 3);
    assert_int_equal(c->speaker_index.n, 3);
    assert_true(irc_channel_spoke_recently(c, "BOB", 400));
    assert_false(irc_channel_spoke_recently(c, "amy", 100 + IRC_SMART_FILTER_DELAY_S));
    assert_true(irc_channel_spoke_recently(c, "bob", 400 + IRC_SMART_FILTER_DELAY_S - 1));
    for (int k = 0; k < IRC_SPEAKERS_MAX; k++) {
        snprintf(name, sizeof(name), "n%d", k);
        irc_channel_speaking(c, name, 500 + k);
    }
    irc_channel_speaking(c, "n0", 500 + IRC_SPEAKERS_MAX);
    assert_int_equal(c->speaker_index.n, IRC_SPEAKERS_MAX);
    assert_false(irc_channel_spoke_recently(c, "bob", 600));
    assert_true(irc_channel_spoke_recently(c, "n0", 600));
    assert_true(irc_channel_spoke_recently(c, "n1", 600));
    assert_string_equal(list_entry(c->speakers.next, struct irc_speaker, link)->nick, "n0");
}

/* Channels and private conversations are found among hundreds by the server's casemapping,
 * also after a private one followed its nick's change and after a 005 changed the mapping. */
static void
test_channels_found_by_casemapping_among_hundreds(void **state)
{
    struct net *n = *state;
    char line[128], name[32];

    for (int i = 0; i < 300; i++) {
        snprintf(line, sizeof(line), ":me!u@h JOIN #Chan[%d]", i);
        feed(n, line);
    }
    for (int i = 0; i < 300; i++) {
        snprintf(name, sizeof(name), "#cHAN{%d}", i);
        assert_non_null(irc_channel_find(n->s, name));
        snprintf(name, sizeof(name), "#Chan[%d]", i);
        assert_string_equal(irc_channel_find(n->s, name)->name, name);
    }
    assert_null(irc_channel_find(n->s, "#Chan[300]"));
    assert_non_null(irc_channel_find(n->s, "#C"));
    feed(n, ":Bob[1]!b@bhost PRIVMSG me :hi");
    assert_non_null(irc_channel_find(n->s, "bob{1}"));
    feed(n, ":Bob[1]!b@bhost NICK :Robert");
    assert_null(irc_channel_find(n->s, "bob{1}"));
    assert_int_equal(irc_channel_find(n->s, "ROBERT")->type, IRC_PRIVATE);
    feed(n, ":srv 005 me CASEMAPPING=ascii :are supported by this server");
    assert_null(irc_channel_find(n->s, "#chan{7}"));
    assert_non_null(irc_channel_find(n->s, "#CHAN[7]"));
}

static void
test_away_notify_colours_the_nick_only(void **state)
{
    struct net *n = *state;
    struct core_buffer *b = core_buffer_by_full_name(n->core, "irc.net.#c");
    size_t lines = core_buffer_line_count(b);

    assert_string_equal(nicklist_color(n, "bob"), "bar_fg");
    feed(n, ":bob!b@bhost AWAY :gone fishing");
    assert_true(nick(n, "bob")->away);
    assert_string_equal(nicklist_color(n, "bob"), "weechat.color.nicklist_away");
    /* A mode change re-adds the nick: still away. */
    feed(n, ":srv MODE #c -v bob");
    assert_string_equal(nicklist_color(n, "bob"), "weechat.color.nicklist_away");
    feed(n, ":bob!b@bhost AWAY");
    assert_false(nick(n, "bob")->away);
    assert_string_equal(nicklist_color(n, "bob"), "bar_fg");
    /* WeeChat prints nothing for AWAY (the mode line only). */
    assert_int_equal(core_buffer_line_count(b), lines + 1);
}

static void
test_extended_join_shows_and_keeps_account_and_realname(void **state)
{
    struct net *n = *state;

    feed(n, ":dave!d@dhost JOIN #c dacct :Dave D");
    assert_string_equal(nick(n, "dave")->account, "dacct");
    assert_string_equal(nick(n, "dave")->realname, "Dave D");
    assert_last(n, "irc.net.#c", "dave [dacct] (Dave D) (d@dhost) has joined #c",
                "irc_join,irc_smart_filter,nick_dave,host_d@dhost,log4");
    feed(n, ":erin!e@ehost JOIN #c * :Erin");
    assert_null(nick(n, "erin")->account);
    assert_last(n, "irc.net.#c", "erin (Erin) (e@ehost) has joined #c",
                "irc_join,irc_smart_filter,nick_erin,host_e@ehost,log4");
}

static void
test_account_chghost_setname_in_channels_and_private(void **state)
{
    struct net *n = *state;

    feed(n, ":carol!c@chost PRIVMSG me :hi");
    feed(n, ":carol!c@chost ACCOUNT cacct");
    assert_string_equal(nick(n, "carol")->account, "cacct");
    assert_last(n, "irc.net.#c", "carol has identified as cacct",
                "irc_account,irc_smart_filter,nick_carol,host_c@chost,log3");
    assert_last(n, "irc.net.carol", "carol has identified as cacct",
                "irc_account,nick_carol,host_c@chost,log3");
    feed(n, ":carol!c@chost ACCOUNT *");
    assert_null(nick(n, "carol")->account);
    assert_last(n, "irc.net.#c", "carol has unidentified",
                "irc_account,irc_smart_filter,nick_carol,host_c@chost,log3");
    /* Having spoken lately in the channel, the nick's lines are not filtered. */
    feed(n, ":carol!c@chost PRIVMSG #c :here");
    feed(n, ":carol!c@chost CHGHOST nc new.host");
    assert_string_equal(nick(n, "carol")->host, "nc@new.host");
    assert_last(n, "irc.net.#c", "carol (c@chost) has changed host to nc@new.host",
                "irc_chghost,new_host_nc@new.host,nick_carol,host_c@chost,log3");
    assert_last(n, "irc.net.carol", "carol (c@chost) has changed host to nc@new.host",
                "irc_chghost,new_host_nc@new.host,nick_carol,host_c@chost,log3");
    feed(n, ":carol!nc@new.host SETNAME :Carol C");
    assert_string_equal(nick(n, "carol")->realname, "Carol C");
    assert_last(n, "irc.net.#c", "carol has changed real name to \"Carol C\"",
                "irc_setname,nick_carol,host_nc@new.host,log3");
    assert_last(n, "irc.net.carol", "carol has changed real name to \"Carol C\"",
                "irc_setname,nick_carol,host_nc@new.host,log3");
    /* Ours: our host, and our real name said in the server buffer. */
    feed(n, ":me!u@h CHGHOST u2 h2");
    assert_string_equal(n->s->host, "u2@h2");
    feed(n, ":me!u2@h2 SETNAME :Just Me");
    assert_last(n, "irc.server.net", "Your real name has been set to \"Just Me\"",
                "irc_setname,nick_me,host_u2@h2,log3");
}

static void
test_invites_in_the_server_buffer(void **state)
{
    struct net *n = *state;
    const struct core_line *line;
    char text[512], tags[512];

    feed(n, ":bob!b@bhost INVITE carol #c");
    assert_last(n, "irc.server.net", "bob has invited carol to #c",
                "irc_invite,nick_bob,host_b@bhost,log3");
    feed(n, ":bob!b@bhost INVITE me #d");
    line = last_line(n, "irc.server.net", text, sizeof(text), tags, sizeof(tags));
    assert_string_equal(text, "You have been invited to #d by bob");
    assert_string_equal(tags, "irc_invite,notify_highlight,nick_bob,host_b@bhost,log3");
    assert_true(line->highlight);
}

static void
test_who_replies_update_the_nicks(void **state)
{
    struct net *n = *state;

    feed(n, ":srv 352 me #c b bob.host srv bob G@ :0 Bob B");
    assert_true(nick(n, "bob")->away);
    assert_string_equal(nick(n, "bob")->host, "b@bob.host");
    assert_string_equal(nick(n, "bob")->realname, "Bob B");
    assert_last(n, "irc.server.net", "[#c] bob (b@bob.host) G@ 0 (Bob B)",
                "irc_352,irc_numeric,nick_srv,log3");
    feed(n, ":srv 354 me #c c c.host srv carol H 0 cacct :Carol");
    assert_false(nick(n, "carol")->away);
    assert_string_equal(nick(n, "carol")->account, "cacct");
    assert_string_equal(nick(n, "carol")->realname, "Carol");
    assert_last(n, "irc.server.net", "[#c] carol [cacct] (c@c.host) H 0 (Carol)",
                "irc_354,irc_numeric,nick_srv,log3");
    feed(n, ":srv 315 me #c :End of /WHO list.");
    assert_last(n, "irc.server.net", "[#c] End of /WHO list.", "irc_315,irc_numeric,nick_srv,log3");
}

static void
test_cap_del_stops_keeping_accounts_and_realnames(void **state)
{
    struct net *n = *state;

    feed(n, ":srv CAP me DEL :account-notify setname");
    assert_false(irc__cap_enabled(n->s, "account-notify"));
    feed(n, ":carol!c@chost ACCOUNT cacct");
    /* WeeChat still says it, but keeps the account only with account-notify. */
    assert_last(n, "irc.net.#c", "carol has identified as cacct",
                "irc_account,irc_smart_filter,nick_carol,host_c@chost,log3");
    assert_null(nick(n, "carol")->account);
    feed(n, ":carol!c@chost SETNAME :Other");
    assert_null(nick(n, "carol")->realname);
}

static void
test_malformed_presence_lines_change_nothing(void **state)
{
    struct net *n = *state;

    feed(n, ":bob!b@bhost CHGHOST onlyone");
    feed(n, ":srv AWAY :no nick");
    feed(n, ":bob!b@bhost INVITE carol");
    feed(n, ":bob!b@bhost ACCOUNT");
    feed(n, ":srv 352 me #c b");
    feed(n, ":srv 354 me #c a b");
    feed(n, ":srv 730 me");
    feed(n, ":srv 734 me 5");
    assert_string_equal(nick(n, "bob")->host, "b@bhost");
    assert_false(nick(n, "bob")->away);
    assert_null(nick(n, "bob")->account);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_userhost_in_names_and_multi_prefix_fill_the_nicks,
                                        net_setup, net_teardown),
        cmocka_unit_test_setup_teardown(test_nicks_found_by_casemapping_in_a_big_channel, net_setup,
                                        net_teardown),
        cmocka_unit_test_setup_teardown(test_speakers_latest_first_one_entry_each_bounded,
                                        net_setup, net_teardown),
        cmocka_unit_test_setup_teardown(test_channels_found_by_casemapping_among_hundreds,
                                        net_setup, net_teardown),
        cmocka_unit_test_setup_teardown(test_away_notify_colours_the_nick_only, net_setup,
                                        net_teardown),
        cmocka_unit_test_setup_teardown(test_extended_join_shows_and_keeps_account_and_realname,
                                        net_setup, net_teardown),
        cmocka_unit_test_setup_teardown(test_account_chghost_setname_in_channels_and_private,
                                        net_setup, net_teardown),
        cmocka_unit_test_setup_teardown(test_invites_in_the_server_buffer, net_setup, net_teardown),
        cmocka_unit_test_setup_teardown(test_who_replies_update_the_nicks, net_setup, net_teardown),
        cmocka_unit_test_setup_teardown(test_cap_del_stops_keeping_accounts_and_realnames,
                                        net_setup, net_teardown),
        cmocka_unit_test_setup_teardown(test_malformed_presence_lines_change_nothing, net_setup,
                                        net_teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
