/* SPDX-License-Identifier: MIT */
/* STS: the sts capability's value read as the link it came on says (port on plain text,
 * duration on TLS), and the policy table: upgrades, persistence, expiry, rescheduling,
 * removal, bounds, and what is saved and loaded back. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "irc/sts_policy.h"
#include "irc/sts_value.h"
#include "unit_test.h"

static void
test_plain_link_reads_the_port(void **state)
{
    struct irc_sts_value v;
    char why[128];

    (void)state;
    assert_int_equal(irc_sts_value_parse("port=6697", false, &v, why, sizeof(why)), 0);
    assert_int_equal(v.port, 6697);
    /* duration, preload and unknown keys are ignored on plain text. */
    assert_int_equal(
        irc_sts_value_parse("duration=x,foo,port=1,bar=baz,preload", false, &v, why, sizeof(why)),
        0);
    assert_int_equal(v.port, 1);
    assert_true(v.preload);
    assert_int_equal(irc_sts_value_parse(",,port=65535,", false, &v, why, sizeof(why)), 0);
    assert_int_equal(v.port, 65535);
}

static void
test_tls_link_reads_the_duration(void **state)
{
    struct irc_sts_value v;
    char why[128];

    (void)state;
    assert_int_equal(irc_sts_value_parse("duration=300", true, &v, why, sizeof(why)), 0);
    assert_int_equal(v.duration, 300);
    assert_false(v.preload);
    /* A bad port is nobody's business on TLS: the port there is the link's own. */
    assert_int_equal(
        irc_sts_value_parse("unknown,duration=31536000,port=nope", true, &v, why, sizeof(why)), 0);
    assert_int_equal(v.duration, 31536000);
    assert_int_equal(irc_sts_value_parse("duration=0", true, &v, why, sizeof(why)), 0);
    assert_int_equal(v.duration, 0);
    assert_int_equal(irc_sts_value_parse("duration=2147483647", true, &v, why, sizeof(why)), 0);
    assert_int_equal(v.duration, IRC_STS_DURATION_MAX);
}

static void
test_missing_key_is_told_apart(void **state)
{
    struct irc_sts_value v;
    char why[128];

    (void)state;
    assert_int_equal(irc_sts_value_parse("duration=300", false, &v, why, sizeof(why)), -ENOENT);
    assert_string_equal(why, "port is missing");
    assert_int_equal(irc_sts_value_parse("port=6697", true, &v, why, sizeof(why)), -ENOENT);
    assert_string_equal(why, "duration is missing");
    assert_int_equal(irc_sts_value_parse("", true, &v, why, sizeof(why)), -ENOENT);
    /* "portable" is another key, not port. */
    assert_int_equal(irc_sts_value_parse("portable=1", false, &v, why, sizeof(why)), -ENOENT);
}

static void
test_malformed_values_are_refused(void **state)
{
    static const char *const bad_ports[] = {
        "port",      "port=",   "port=0",  "port=65536",          "port=-1",
        "port=+443", "port= 1", "port=1x", "port=6697,port=6697", "port=99999999999999999999999",
    };
    static const char *const bad_durations[] = {
        "duration",      "duration=",           "duration=-5",           "duration=1.5",
        "duration=soon", "duration=2147483648", "duration=1,duration=2",
    };
    struct irc_sts_value v;
    char why[128];

    (void)state;
    for (size_t i = 0; i < sizeof(bad_ports) / sizeof(bad_ports[0]); i++)
        assert_int_equal(irc_sts_value_parse(bad_ports[i], false, &v, why, sizeof(why)), -EINVAL);
    assert_int_equal(irc_sts_value_parse("port=x", false, &v, why, sizeof(why)), -EINVAL);
    assert_string_equal(why, "port must be a number from 1 to 65535");
    assert_int_equal(irc_sts_value_parse("port=1,port=2", false, &v, why, sizeof(why)), -EINVAL);
    assert_string_equal(why, "port is given 2 times");
    for (size_t i = 0; i < sizeof(bad_durations) / sizeof(bad_durations[0]); i++)
        assert_int_equal(irc_sts_value_parse(bad_durations[i], true, &v, why, sizeof(why)),
                         -EINVAL);
    assert_int_equal(irc_sts_value_parse("duration=x", true, &v, why, sizeof(why)), -EINVAL);
    assert_string_equal(why, "duration must be a number of seconds");
}

static void
test_persistence_policy_lasts_its_duration(void **state)
{
    struct irc_sts_policies p;
    const struct irc_sts_policy *e;

    (void)state;
    irc_sts_policies_init(&p);
    assert_null(irc_sts_policies_find(&p, "irc.example.org", 1000));
    assert_int_equal(irc_sts_policies_persist(&p, "IRC.Example.org", 6697, 60, 1000), IRC_STS_SET);
    e = irc_sts_policies_find(&p, "irc.EXAMPLE.org", 1059);
    assert_non_null(e);
    assert_string_equal(e->host, "irc.example.org");
    assert_int_equal(e->port, 6697);
    assert_true(e->persistent);
    /* The same policy again: renewed, its expiry from now. */
    assert_int_equal(irc_sts_policies_persist(&p, "irc.example.org", 6697, 60, 1050),
                     IRC_STS_REFRESHED);
    assert_non_null(irc_sts_policies_find(&p, "irc.example.org", 1109));
    /* Another port or duration: set anew. */
    assert_int_equal(irc_sts_policies_persist(&p, "irc.example.org", 7000, 60, 1050), IRC_STS_SET);
    assert_int_equal(irc_sts_policies_persist(&p, "irc.example.org", 7000, 90, 1050), IRC_STS_SET);
    /* Expired: gone. */
    assert_null(irc_sts_policies_find(&p, "irc.example.org", 1140));
    assert_int_equal(p.n, 0);
    irc_sts_policies_fini(&p);
}

static void
test_duration_zero_removes_the_policy(void **state)
{
    struct irc_sts_policies p;

    (void)state;
    irc_sts_policies_init(&p);
    assert_int_equal(irc_sts_policies_persist(&p, "h", 6697, 0, 10), IRC_STS_UNCHANGED);
    assert_int_equal(irc_sts_policies_persist(&p, "h", 6697, 300, 10), IRC_STS_SET);
    assert_int_equal(irc_sts_policies_persist(&p, "H", 6697, 0, 20), IRC_STS_REMOVED);
    assert_null(irc_sts_policies_find(&p, "h", 20));
    /* An upgrade goes with it too. */
    assert_true(irc_sts_policies_upgrade(&p, "h", 6697));
    assert_int_equal(irc_sts_policies_persist(&p, "h", 6697, 0, 20), IRC_STS_REMOVED);
    assert_int_equal(p.n, 0);
    irc_sts_policies_fini(&p);
}

static void
test_upgrade_holds_until_a_policy_replaces_it(void **state)
{
    struct irc_sts_policies p;
    const struct irc_sts_policy *e;

    (void)state;
    irc_sts_policies_init(&p);
    assert_true(irc_sts_policies_upgrade(&p, "h", 6697));
    e = irc_sts_policies_find(&p, "h", INT64_MAX);
    assert_non_null(e);
    assert_false(e->persistent);
    assert_int_equal(e->port, 6697);
    assert_true(irc_sts_policies_upgrade(&p, "h", 7000));
    assert_int_equal(irc_sts_policies_find(&p, "h", 0)->port, 7000);
    /* Not saved, and not rescheduled: it has no duration. */
    assert_false(irc_sts_policies_reschedule(&p, "h", 5));
    struct pjson *saved = irc_sts_policies_save(&p, 0);
    assert_int_equal(pjson_size(saved), 0);
    pjson_free(saved);
    /* A persistence policy takes its place; an upgrade then does not change its port. */
    assert_int_equal(irc_sts_policies_persist(&p, "h", 7000, 100, 0), IRC_STS_SET);
    assert_true(irc_sts_policies_upgrade(&p, "h", 1234));
    assert_int_equal(irc_sts_policies_find(&p, "h", 0)->port, 7000);
    assert_int_equal(p.n, 1);
    irc_sts_policies_fini(&p);
}

static void
test_reschedule_counts_the_duration_from_the_close(void **state)
{
    struct irc_sts_policies p;

    (void)state;
    irc_sts_policies_init(&p);
    assert_false(irc_sts_policies_reschedule(&p, "h", 0));
    assert_int_equal(irc_sts_policies_persist(&p, "h", 6697, 100, 0), IRC_STS_SET);
    assert_true(irc_sts_policies_reschedule(&p, "h", 90));
    assert_non_null(irc_sts_policies_find(&p, "h", 189));
    assert_null(irc_sts_policies_find(&p, "h", 190));
    irc_sts_policies_fini(&p);
}

static void
test_table_is_bounded(void **state)
{
    struct irc_sts_policies p;
    char host[32];

    (void)state;
    irc_sts_policies_init(&p);
    for (int i = 0; i < IRC_STS_POLICIES_MAX; i++) {
        snprintf(host, sizeof(host), "h%d", i);
        assert_int_equal(irc_sts_policies_persist(&p, host, 6697, 100, 0), IRC_STS_SET);
    }
    assert_int_equal(irc_sts_policies_persist(&p, "more", 6697, 100, 0), IRC_STS_FULL);
    assert_false(irc_sts_policies_upgrade(&p, "more", 6697));
    /* Known hosts are still renewed. */
    assert_int_equal(irc_sts_policies_persist(&p, "h7", 6697, 100, 5), IRC_STS_REFRESHED);
    assert_int_equal(p.n, IRC_STS_POLICIES_MAX);
    irc_sts_policies_fini(&p);
}

static void
test_saved_policies_load_back_without_the_expired(void **state)
{
    struct irc_sts_policies p, q;
    struct pjson *saved;
    char *text;

    (void)state;
    irc_sts_policies_init(&p);
    irc_sts_policies_persist(&p, "a.example", 6697, 100, 1000);
    irc_sts_policies_persist(&p, "b.example", 7000, 10, 1000);
    irc_sts_policies_upgrade(&p, "c.example", 6697);
    saved = irc_sts_policies_save(&p, 1005);
    text = pjson_print(saved, NULL);
    assert_string_equal(text, "[{\"host\":\"a.example\",\"port\":6697,\"duration\":100,\"expiry\":"
                              "1100},{\"host\":\"b.example\",\"port\":7000,\"duration\":10,"
                              "\"expiry\":1010}]");
    pjson_free(saved);
    /* As the store gives it back: the text parsed. */
    saved = pjson_parse(text, strlen(text), 16);
    free(text);
    irc_sts_policies_init(&q);
    /* b expired between the save and the load. */
    assert_int_equal(irc_sts_policies_load(&q, saved, 1050), 1);
    pjson_free(saved);
    assert_int_equal(q.n, 1);
    const struct irc_sts_policy *a = irc_sts_policies_find(&q, "a.example", 1050);
    assert_non_null(a);
    assert_true(a->persistent);
    assert_int_equal(a->port, 6697);
    assert_int_equal(a->duration, 100);
    assert_int_equal(a->expiry, 1100);
    irc_sts_policies_fini(&q);
    irc_sts_policies_fini(&p);
}

static void
test_bad_saved_entries_are_skipped(void **state)
{
    static const char saved_text[] =
        "[{\"host\":\"ok\",\"port\":6697,\"duration\":100,\"expiry\":2000},"
        "{\"host\":\"ok\",\"port\":7000,\"duration\":100,\"expiry\":2000},"
        "{\"host\":\"\",\"port\":6697,\"duration\":100,\"expiry\":2000},"
        "{\"host\":\"bad host\",\"port\":6697,\"duration\":100,\"expiry\":2000},"
        "{\"host\":\"p0\",\"port\":0,\"duration\":100,\"expiry\":2000},"
        "{\"host\":\"p1\",\"port\":1.5,\"duration\":100,\"expiry\":2000},"
        "{\"host\":\"d0\",\"port\":6697,\"duration\":0,\"expiry\":2000},"
        "{\"host\":\"e\",\"port\":6697,\"duration\":100},"
        "{\"host\":\"s\",\"port\":\"6697\",\"duration\":100,\"expiry\":2000},"
        "7, null, \"x\"]";
    struct pjson *saved = pjson_parse(saved_text, strlen(saved_text), 16);
    struct irc_sts_policies p;

    (void)state;
    assert_non_null(saved);
    irc_sts_policies_init(&p);
    assert_int_equal(irc_sts_policies_load(&p, saved, 1000), 11);
    assert_int_equal(p.n, 1);
    assert_int_equal(irc_sts_policies_find(&p, "ok", 1000)->port, 6697);
    /* Not an array: nothing. */
    assert_int_equal(irc_sts_policies_load(&p, NULL, 1000), 0);
    pjson_free(saved);
    irc_sts_policies_fini(&p);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_link_reads_the_port),
        cmocka_unit_test(test_tls_link_reads_the_duration),
        cmocka_unit_test(test_missing_key_is_told_apart),
        cmocka_unit_test(test_malformed_values_are_refused),
        cmocka_unit_test(test_persistence_policy_lasts_its_duration),
        cmocka_unit_test(test_duration_zero_removes_the_policy),
        cmocka_unit_test(test_upgrade_holds_until_a_policy_replaces_it),
        cmocka_unit_test(test_reschedule_counts_the_duration_from_the_close),
        cmocka_unit_test(test_table_is_bounded),
        cmocka_unit_test(test_saved_policies_load_back_without_the_expired),
        cmocka_unit_test(test_bad_saved_entries_are_skipped),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
