/* SPDX-License-Identifier: MIT */
/* Failed-login throttling: delays, blocks that double up to a cap, groups, bounded table. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "relay/peer.h"
#include "relay/throttle.h"
#include "unit_test.h"

static const struct relay_throttle_config cfg = {
    .fail_limit = 3,
    .fail_period_ms = 10000,
    .fail_delay_ms = 100,
    .block_min_ms = 1000,
    .block_max_ms = 5000,
};

static struct relay_peer
peer(const char *text)
{
    struct relay_peer p;
    char v6[64];

    if (!strchr(text, ':')) {
        snprintf(v6, sizeof(v6), "::ffff:%s", text);
        text = v6;
    }
    assert_int_equal(relay_peer_parse(text, &p), 0);
    return p;
}

/* Fails n times at now and returns the last delay. */
static uint64_t
fail_n(struct relay_throttle *t, const struct relay_peer *p, int n, uint64_t now)
{
    uint64_t delay = 0;

    for (int i = 0; i < n; i++)
        delay = relay_throttle_fail(t, p, now);
    return delay;
}

static void
test_failures_slow_then_block(void **state)
{
    struct relay_throttle *t = relay_throttle_new(&cfg, 100);
    struct relay_peer a = peer("127.0.0.2");

    (void)state;
    assert_int_equal(relay_throttle_check(t, &a, 0), 0);
    assert_int_equal(relay_throttle_fail(t, &a, 0), 0);
    assert_int_equal(relay_throttle_fail(t, &a, 10), 100);
    assert_int_equal(relay_throttle_check(t, &a, 20), 0);
    /* The third failure is still answered (slowly), and blocks what follows. */
    assert_int_equal(relay_throttle_fail(t, &a, 20), 200);
    assert_int_equal(relay_throttle_check(t, &a, 20), 1000);
    assert_int_equal(relay_throttle_check(t, &a, 1019), 1);
    assert_int_equal(relay_throttle_check(t, &a, 1020), 0);
    relay_throttle_free(t);
}

static void
test_blocks_double_up_to_the_cap(void **state)
{
    struct relay_throttle *t = relay_throttle_new(&cfg, 100);
    struct relay_peer a = peer("10.0.0.1");
    uint64_t now = 0, expect[] = { 1000, 2000, 4000, 5000, 5000 };

    (void)state;
    for (size_t i = 0; i < sizeof(expect) / sizeof(expect[0]); i++) {
        fail_n(t, &a, 3, now);
        assert_int_equal(relay_throttle_check(t, &a, now), expect[i]);
        /* Failures during the block are not counted. */
        assert_int_equal(relay_throttle_fail(t, &a, now + 1), 0);
        now += expect[i];
        assert_int_equal(relay_throttle_check(t, &a, now), 0);
    }
    relay_throttle_free(t);
}

static void
test_success_resets_and_others_are_unaffected(void **state)
{
    struct relay_throttle *t = relay_throttle_new(&cfg, 100);
    struct relay_peer a = peer("10.0.0.1"), b = peer("10.0.0.2");

    (void)state;
    fail_n(t, &a, 3, 0);
    assert_true(relay_throttle_check(t, &a, 0) > 0);
    assert_int_equal(relay_throttle_check(t, &b, 0), 0);
    assert_int_equal(relay_throttle_fail(t, &b, 0), 0);
    relay_throttle_success(t, &a);
    assert_int_equal(relay_throttle_check(t, &a, 0), 0);
    /* Forgotten entirely: the next block starts from the minimum again. */
    fail_n(t, &a, 3, 10);
    assert_int_equal(relay_throttle_check(t, &a, 10), 1000);
    relay_throttle_free(t);
}

static void
test_failures_outside_the_period_are_forgotten(void **state)
{
    struct relay_throttle *t = relay_throttle_new(&cfg, 100);
    struct relay_peer a = peer("10.0.0.1");

    (void)state;
    fail_n(t, &a, 2, 0);
    assert_int_equal(relay_throttle_fail(t, &a, 10000), 0);
    assert_int_equal(relay_throttle_check(t, &a, 10000), 0);
    assert_int_equal(relay_throttle_fail(t, &a, 10001), 100);
    assert_int_equal(relay_throttle_check(t, &a, 10001), 0);
    relay_throttle_free(t);
}

static void
test_ipv6_counts_per_64(void **state)
{
    struct relay_throttle *t = relay_throttle_new(&cfg, 100);
    struct relay_peer a1 = peer("2001:db8:1:2::1"), a2 = peer("2001:db8:1:2:ffff::9");
    struct relay_peer other = peer("2001:db8:1:3::1");

    (void)state;
    relay_throttle_fail(t, &a1, 0);
    relay_throttle_fail(t, &a2, 0);
    relay_throttle_fail(t, &a1, 0);
    assert_int_equal(relay_throttle_check(t, &a2, 0), 1000);
    assert_int_equal(relay_throttle_check(t, &other, 0), 0);
    assert_int_equal(relay_throttle_count(t), 1);
    relay_throttle_free(t);
}

static void
test_table_is_bounded_and_keeps_blocks(void **state)
{
    struct relay_throttle *t = relay_throttle_new(&cfg, 8);
    struct relay_peer blocked = peer("192.0.2.1");
    char text[32];

    (void)state;
    fail_n(t, &blocked, 3, 0);
    for (int i = 0; i < 1000; i++) {
        snprintf(text, sizeof(text), "198.51.%d.%d", i / 256, i % 256);
        struct relay_peer p = peer(text);
        relay_throttle_fail(t, &p, 1);
        assert_true(relay_throttle_count(t) <= 8);
    }
    assert_int_equal(relay_throttle_check(t, &blocked, 1), 999);
    relay_throttle_free(t);
}

static void
test_stale_entries_go_first(void **state)
{
    struct relay_throttle *t = relay_throttle_new(&cfg, 4);
    char text[32];

    (void)state;
    for (int i = 0; i < 4; i++) {
        snprintf(text, sizeof(text), "10.0.0.%d", i);
        struct relay_peer p = peer(text);
        relay_throttle_fail(t, &p, 0);
    }
    struct relay_peer late = peer("10.0.1.1");
    relay_throttle_fail(t, &late, 20000);
    assert_int_equal(relay_throttle_count(t), 1);
    relay_throttle_free(t);
}

static void
test_disabled_when_limit_is_zero(void **state)
{
    struct relay_throttle_config off = cfg;
    struct relay_throttle *t = relay_throttle_new(&off, 8);
    struct relay_peer a = peer("10.0.0.1");

    (void)state;
    off.fail_limit = 0;
    assert_int_equal(fail_n(t, &a, 10, 0), 0);
    assert_int_equal(relay_throttle_check(t, &a, 0), 0);
    assert_int_equal(relay_throttle_count(t), 0);
    relay_throttle_free(t);
}

static void
test_save_and_restore_keep_blocks(void **state)
{
    struct relay_throttle *t = relay_throttle_new(&cfg, 8), *u = relay_throttle_new(&cfg, 8);
    struct relay_peer a = peer("10.0.0.1"), b = peer("2001:db8::1");
    struct pjson *saved;
    char *text;
    size_t len;

    (void)state;
    fail_n(t, &a, 3, 1000);
    fail_n(t, &a, 3, 2000);
    relay_throttle_fail(t, &b, 2500);
    saved = relay_throttle_save(t, 3000);
    text = pjson_print(saved, &len);
    pjson_free(saved);
    saved = pjson_parse(text, len, 8);
    relay_throttle_restore(u, saved, 50000);
    /* Blocked until 4000 (second block, 2 s), i.e. 1000 ms more after the hand-over. */
    assert_int_equal(relay_throttle_check(u, &a, 50000), 1000);
    assert_int_equal(relay_throttle_fail(u, &b, 50000), 100);
    /* The doubling went across too. */
    fail_n(u, &a, 3, 51000);
    assert_int_equal(relay_throttle_check(u, &a, 51000), 4000);
    relay_throttle_restore(u, pjson_at(saved, 0), 0); /* not an array: nothing */
    pjson_free(saved);
    free(text);
    relay_throttle_free(t);
    relay_throttle_free(u);
}

static void
test_peer_groups_and_names(void **state)
{
    struct relay_peer v4 = peer("127.0.0.2"), v6 = peer("2001:db8:1:2:3:4:5:6");
    struct relay_peer g4 = relay_peer_group(&v4), g6 = relay_peer_group(&v6);
    char name[RELAY_PEER_NAME_MAX];

    (void)state;
    relay_peer_group_name(&g4, name);
    assert_string_equal(name, "127.0.0.2");
    relay_peer_group_name(&g6, name);
    assert_string_equal(name, "2001:db8:1:2::/64");
    relay_peer_format(&v4, name);
    assert_string_equal(name, "::ffff:127.0.0.2");
    assert_int_equal(relay_peer_parse("not an address", &v4), -EINVAL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_failures_slow_then_block),
        cmocka_unit_test(test_blocks_double_up_to_the_cap),
        cmocka_unit_test(test_success_resets_and_others_are_unaffected),
        cmocka_unit_test(test_failures_outside_the_period_are_forgotten),
        cmocka_unit_test(test_ipv6_counts_per_64),
        cmocka_unit_test(test_table_is_bounded_and_keeps_blocks),
        cmocka_unit_test(test_stale_entries_go_first),
        cmocka_unit_test(test_disabled_when_limit_is_zero),
        cmocka_unit_test(test_save_and_restore_keep_blocks),
        cmocka_unit_test(test_peer_groups_and_names),
    };

    return cmocka_run_group_tests_name("throttle", tests, NULL, NULL);
}
