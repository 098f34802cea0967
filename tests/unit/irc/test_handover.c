/* SPDX-License-Identifier: MIT */
/*
 * A link handed over by an upgrade, over a real loopback connection: the new process takes
 * its whole state (nick, modes, capabilities, ISUPPORT, channels with their nicks, speakers
 * and mode lists, MONITOR list, /notify -away watches, partial line, queue, flood tokens,
 * timers) and, held for the
 * next upgrade, saves it again as it was; what was queued goes on in order once the link is
 * taken over. A state whose peer is not the descriptor's is not taken.
 */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

#include "base/json.h"
#include "base/log.h"
#include "core/core.h"
#include "irc/internal.h"
#include "irc/irc.h"
#include "irc/server_config.h"
#include "net/socket_check.h"
#include "tcp_trio.h"
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

/*
 * A link's state as irc_upgrade_save writes it: %d the descriptor, %s its peer, then the
 * queue's lines (hex) and the flood tokens in thousandths.
 */
static const char link_state[] =
    "{\"version\":1,\"links\":[{\"name\":\"net\",\"kept\":true,\"address_index\":0,"
    "\"away_by_user\":true,\"away_message\":\"lunch\",\"channels\":["
    "{\"name\":\"#c\",\"private\":false,\"key\":\"k\",\"joined\":true,\"rejoin\":false,"
    "\"modes\":\"+knt\",\"topic\":\"the topic\",\"names_done\":true,\"got_324\":true,"
    "\"who_checks\":2,\"nicks\":[[\"me\",\"@\",\"u@h\",false,null,\"Me\"],"
    "[\"bob\",\"+\",\"b@h\",true,\"bobacct\",null]],\"speakers\":[[\"bob\",1700000100]],"
    "\"lists\":[[\"b\",false,[[2,\"x!*@*\",\"op!u@h\",1700000000],[5,\"y!*@*\",null,0]]],"
    "[\"q\",true,[]]]},"
    "{\"name\":\"bob\",\"private\":true,\"joined\":false,\"rejoin\":false,\"names_done\":false,"
    "\"got_324\":false,\"who_checks\":0,\"nicks\":[],\"speakers\":[],\"lists\":[]}],"
    "\"fd\":%d,\"peer\":\"%s\",\"nick\":\"me\",\"usermodes\":\"+iw\","
    "\"caps\":\"multi-prefix away-notify\",\"host\":\"u@h\",\"nick_index\":1,"
    "\"away_auto\":false,\"monitor\":[[\"carol\",2],[\"dave\",1]],"
    "\"away_watch\":[[\"dave\",\"brb\",false,null],[\"erin\",null,true,\"lunch\"]],"
    "\"isupport\":[[\"PREFIX\",\"(ov)@+\"],[\"CASEMAPPING\",\"ascii\"],[\"MONITOR\",\"100\"]],"
    "\"partial\":\"3a626f622150\",\"skipping\":false,\"too_long\":0,\"queue\":[%s],"
    "\"flood_milli\":%d,\"ctcp_flood_milli\":1001,\"ping_sent_ago_ms\":-1,"
    "\"last_ping_ago_ms\":1500,\"last_read_ago_ms\":700,\"connected_ago_ms\":90000,"
    "\"away_in_ms\":42000,"
    "\"lag_ms\":12,\"backoff_attempt\":0}]}";

/* "PRIVMSG #c :one\r\n" and "PRIVMSG #c :two\r\n" */
#define LINE_ONE "\"505249564d5347202363203a6f6e650d0a\""
#define LINE_TWO "\"505249564d5347202363203a74776f0d0a\""

struct upgrade {
    uv_loop_t loop;
    struct core *core;
    struct irc *irc;
    int link, server; /* the connection's two ends */
    char peer[96];
};

static int
upgrade_setup(void **state)
{
    struct upgrade *u = calloc(1, sizeof(*u));
    struct tcp_trio t;

    log_set_level(LOG_LEVEL_ERROR);
    assert_int_equal(trio_open(&t, AF_INET), 0);
    close(t.listener);
    u->link = t.client;
    u->server = t.server;
    assert_int_equal(net_socket_peer_name(u->link, u->peer, sizeof(u->peer)), 0);
    uv_loop_init(&u->loop);
    u->core = core_new(200, "test");
    u->irc = irc_new(&u->loop, u->core, &timing);
    *state = u;
    return 0;
}

static int
upgrade_teardown(void **state)
{
    struct upgrade *u = *state;
    struct list *pos, *tmp;

    list_for_each_safe (pos, tmp, &u->irc->servers)
        irc__server_remove(list_entry(pos, struct irc_server, link), "done");
    uv_run(&u->loop, UV_RUN_DEFAULT);
    irc_free(u->irc);
    core_free(u->core);
    assert_int_equal(uv_loop_close(&u->loop), 0);
    close(u->server);
    free(u);
    return 0;
}

/* The new process's start: the network "net" (saved), and the state handed over. */
static void
take_over(struct upgrade *u, const char *state_text)
{
    struct pjson *state = pjson_parse(state_text, strlen(state_text), 32), *networks;
    struct irc_server_config *cfg;
    char err[256];

    assert_non_null(state);
    cfg = irc_server_config_new("net", err, sizeof(err));
    assert_non_null(cfg);
    assert_int_equal(irc_server_config_set(cfg, "addresses", "127.0.0.1/1", err, sizeof(err)), 0);
    assert_int_equal(irc_server_config_set(cfg, "nicks", "you,me", err, sizeof(err)), 0);
    /* /notify -away nicks: what their watches knew crosses (notify_away.c). */
    assert_int_equal(irc_server_config_set(cfg, "notify", "dave away,erin away", err, sizeof(err)),
                     0);
    networks = pjson_array();
    pjson_push(networks, irc_server_config_save(cfg));
    irc_server_config_free(cfg);
    irc_set_handover(u->irc, state);
    irc_load(u->irc, networks, NULL, 0);
    pjson_free(networks);
    pjson_free(state);
}

/* What the next upgrade would write, printed. */
static char *
saved_again(struct upgrade *u)
{
    struct pjson *saved;
    size_t len;
    char *text;

    irc_suspend(u->irc, "upgrading");
    saved = irc_upgrade_save(u->irc);
    text = pjson_print(saved, &len);
    pjson_free(saved);
    return text;
}

static void
test_a_link_taken_over_saves_its_whole_state_again(void **state)
{
    struct upgrade *u = *state;
    char given[4096], expected[4096], got[64] = "", *text;
    struct irc_server *s;
    ssize_t n;

    /* 1.001 tokens: the first queued line goes at once, the second waits. */
    snprintf(given, sizeof(given), link_state, u->link, u->peer, LINE_ONE "," LINE_TWO, 1001);
    take_over(u, given);
    s = irc__server_find(u->irc, "net");
    assert_non_null(s);
    assert_non_null(s->conn);
    assert_int_equal(s->state, IRC_CONNECTED);
    assert_string_equal(s->nick, "me");
    /* Written at once (the loop not run: its clock, which the saved ages read, stays). */
    n = recv(u->server, got, sizeof(got) - 1, MSG_DONTWAIT);
    assert_true(n > 0);
    assert_string_equal(got, "PRIVMSG #c :one\r\n");
    /* The state is the one given, less the line sent and the token it took; 0.001 token
     * left is 1 thousandth, not 0.99999 truncated to 0. */
    snprintf(expected, sizeof(expected), link_state, u->link, u->peer, LINE_TWO, 1);
    text = saved_again(u);
    assert_string_equal(text, expected);
    free(text);
}

static void
test_a_link_taken_over_with_nothing_to_send_saves_the_same_state(void **state)
{
    struct upgrade *u = *state;
    char given[4096], *text;

    snprintf(given, sizeof(given), link_state, u->link, u->peer, "", 4003);
    take_over(u, given);
    text = saved_again(u);
    assert_string_equal(text, given);
    free(text);
}

static void
test_a_descriptor_with_another_peer_is_not_taken(void **state)
{
    struct upgrade *u = *state;
    char given[4096], *text;
    struct irc_server *s;

    snprintf(given, sizeof(given), link_state, u->link, "127.0.0.1:1", "", 0);
    take_over(u, given);
    s = irc__server_find(u->irc, "net");
    assert_non_null(s);
    /* Connecting again instead; the descriptor untouched (still this test's to close). */
    assert_int_not_equal(s->state, IRC_CONNECTED);
    assert_int_equal(net_socket_peer_name(u->link, given, sizeof(given)), 0);
    assert_string_equal(given, u->peer);
    text = saved_again(u);
    assert_null(strstr(text, "\"kept\":true"));
    free(text);
    close(u->link);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_a_link_taken_over_saves_its_whole_state_again,
                                        upgrade_setup, upgrade_teardown),
        cmocka_unit_test_setup_teardown(
            test_a_link_taken_over_with_nothing_to_send_saves_the_same_state, upgrade_setup,
            upgrade_teardown),
        cmocka_unit_test_setup_teardown(test_a_descriptor_with_another_peer_is_not_taken,
                                        upgrade_setup, upgrade_teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
