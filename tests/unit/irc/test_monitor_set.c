/* SPDX-License-Identifier: MIT */
/* The monitored nicks: case folded as the server does, bounded, the MONITOR limit from
 * ISUPPORT, and target lists cut to the line length. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "irc/monitor_set.h"
#include "unit_test.h"

static void
test_set_folds_case_and_keeps_states(void **state)
{
    struct irc_monitor_set set;

    (void)state;
    irc_monitor_set_init(&set);
    assert_true(irc_monitor_set_add(&set, IRC_CASEMAPPING_RFC1459, "Bob[1]"));
    /* rfc1459: [ ] fold to { }. */
    assert_false(irc_monitor_set_add(&set, IRC_CASEMAPPING_RFC1459, "bob{1}"));
    assert_false(irc_monitor_set_add(&set, IRC_CASEMAPPING_RFC1459, ""));
    assert_true(irc_monitor_set_add(&set, IRC_CASEMAPPING_RFC1459, "carol"));
    assert_int_equal(set.n, 2);
    struct irc_monitor_nick *bob = irc_monitor_set_find(&set, IRC_CASEMAPPING_RFC1459, "BOB{1}");
    assert_non_null(bob);
    assert_int_equal(bob->state, IRC_MONITOR_UNKNOWN);
    bob->state = IRC_MONITOR_ONLINE;
    assert_false(irc_monitor_set_remove(&set, IRC_CASEMAPPING_RFC1459, "dave"));
    assert_true(irc_monitor_set_remove(&set, IRC_CASEMAPPING_RFC1459, "bob[1]"));
    assert_null(irc_monitor_set_find(&set, IRC_CASEMAPPING_RFC1459, "bob[1]"));
    assert_string_equal(set.nicks[0].nick, "carol");
    irc_monitor_set_clear(&set);
    assert_int_equal(set.n, 0);
    irc_monitor_set_clear(&set);
}

static void
test_set_is_bounded(void **state)
{
    struct irc_monitor_set set;
    char nick[32];

    (void)state;
    irc_monitor_set_init(&set);
    for (int i = 0; i < IRC_MONITOR_MAX; i++) {
        snprintf(nick, sizeof(nick), "n%d", i);
        assert_true(irc_monitor_set_add(&set, IRC_CASEMAPPING_ASCII, nick));
    }
    assert_false(irc_monitor_set_add(&set, IRC_CASEMAPPING_ASCII, "onemore"));
    assert_int_equal(set.n, IRC_MONITOR_MAX);
    irc_monitor_set_clear(&set);
}

static void
test_limit_from_the_isupport_token(void **state)
{
    (void)state;
    assert_int_equal(irc_monitor_limit(NULL), 0);
    assert_int_equal(irc_monitor_limit(""), IRC_MONITOR_MAX);
    assert_int_equal(irc_monitor_limit("30"), 30);
    assert_int_equal(irc_monitor_limit("100000"), IRC_MONITOR_MAX);
    assert_int_equal(irc_monitor_limit("0"), 0);
    assert_int_equal(irc_monitor_limit("-3"), 0);
    assert_int_equal(irc_monitor_limit("3x"), 0);
}

struct lines {
    char got[8][64];
    size_t n;
};

static void
collect(const char *targets, void *data)
{
    struct lines *l = data;

    assert_true(l->n < 8);
    snprintf(l->got[l->n++], sizeof(l->got[0]), "%s", targets);
}

static void
test_batch_cuts_lists_at_whole_nicks(void **state)
{
    const char *nicks[] = { "alice", "bob", "waytoolongnick", "carol", "dave" };
    struct lines l = { .n = 0 };

    (void)state;
    /* 11 bytes a line: "alice,bob" fits, "alice,bob,carol" does not; a nick longer than a
     * line is skipped. */
    irc_monitor_batch(nicks, 5, 11, collect, &l);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.got[0], "alice,bob");
    assert_string_equal(l.got[1], "carol,dave");
    l.n = 0;
    irc_monitor_batch(nicks, 0, 11, collect, &l);
    assert_int_equal(l.n, 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_set_folds_case_and_keeps_states),
        cmocka_unit_test(test_set_is_bounded),
        cmocka_unit_test(test_limit_from_the_isupport_token),
        cmocka_unit_test(test_batch_cuts_lists_at_whole_nicks),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
