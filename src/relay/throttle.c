/* SPDX-License-Identifier: MIT */
/* Failed-login throttling: a bounded table of address groups, sorted for binary search. */
#include "throttle.h"

#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "peer.h"

struct throttle_entry {
    struct relay_peer group;
    uint32_t n_fails;  /* in the current period */
    uint32_t n_blocks; /* blocks so far: the next one lasts block_min * 2^n_blocks */
    uint64_t period_start_ms;
    uint64_t last_fail_ms;
    uint64_t blocked_until_ms;
};

/* Sorted rather than hashed: lookups stay O(log n) whatever addresses an attacker picks,
 * with no hash seed to keep secret. Inserts move memory, but only failures insert. */
struct relay_throttle {
    const struct relay_throttle_config *cfg;
    struct throttle_entry *entries;
    size_t n;
    size_t cap;
    size_t max;
};

struct relay_throttle *
relay_throttle_new(const struct relay_throttle_config *cfg, size_t max_groups)
{
    struct relay_throttle *t = xcalloc(1, sizeof(*t));

    t->cfg = cfg;
    t->max = max_groups ? max_groups : 1;
    return t;
}

void
relay_throttle_set_config(struct relay_throttle *t, const struct relay_throttle_config *cfg)
{
    t->cfg = cfg;
}

void
relay_throttle_free(struct relay_throttle *t)
{
    if (!t)
        return;
    free(t->entries);
    free(t);
}

size_t
relay_throttle_count(const struct relay_throttle *t)
{
    return t->n;
}

/* Index of the first entry not below group (where it is, or would go). */
static size_t
throttle_lower_bound(const struct relay_throttle *t, const struct relay_peer *group)
{
    size_t lo = 0, hi = t->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (relay_peer_compare(&t->entries[mid].group, group) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static struct throttle_entry *
throttle_find(const struct relay_throttle *t, const struct relay_peer *group)
{
    size_t i = throttle_lower_bound(t, group);

    return i < t->n && relay_peer_equal(&t->entries[i].group, group) ? &t->entries[i] : NULL;
}

static void
throttle_remove_at(struct relay_throttle *t, size_t i)
{
    memmove(&t->entries[i], &t->entries[i + 1], (t->n - i - 1) * sizeof(t->entries[0]));
    t->n--;
}

/* An entry that changes no answer any more: not blocked, its period over, and quiet for
 * block_max since its last block (so the doubling starts again from block_min). */
static bool
throttle_is_stale(const struct relay_throttle_config *cfg, const struct throttle_entry *e,
                  uint64_t now)
{
    if (now < e->blocked_until_ms)
        return false;
    if (e->n_fails && now - e->period_start_ms < cfg->fail_period_ms)
        return false;
    return !e->n_blocks || now - e->blocked_until_ms >= cfg->block_max_ms;
}

static void
throttle_purge(struct relay_throttle *t, uint64_t now)
{
    size_t kept = 0;

    for (size_t i = 0; i < t->n; i++) {
        if (!throttle_is_stale(t->cfg, &t->entries[i], now))
            t->entries[kept++] = t->entries[i];
    }
    t->n = kept;
}

/* Which entry a full table forgets first: one that blocks nothing, the one that failed
 * longest ago; when all are blocked, the block that ends soonest. */
static bool
throttle_evicts_before(const struct throttle_entry *a, const struct throttle_entry *b, uint64_t now)
{
    bool a_blocked = now < a->blocked_until_ms, b_blocked = now < b->blocked_until_ms;

    if (a_blocked != b_blocked)
        return !a_blocked;
    return a_blocked ? a->blocked_until_ms < b->blocked_until_ms
                     : a->last_fail_ms < b->last_fail_ms;
}

static void
throttle_make_room(struct relay_throttle *t, uint64_t now)
{
    size_t victim = 0;

    throttle_purge(t, now);
    if (t->n < t->max)
        return;
    for (size_t i = 1; i < t->n; i++) {
        if (throttle_evicts_before(&t->entries[i], &t->entries[victim], now))
            victim = i;
    }
    throttle_remove_at(t, victim);
}

static struct throttle_entry *
throttle_insert(struct relay_throttle *t, const struct relay_peer *group, uint64_t now)
{
    struct throttle_entry *e = throttle_find(t, group);
    size_t i;

    if (e)
        return e;
    if (t->n == t->max)
        throttle_make_room(t, now);
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 16;
        if (t->cap > t->max)
            t->cap = t->max;
        t->entries = xrealloc(t->entries, t->cap * sizeof(t->entries[0]));
    }
    i = throttle_lower_bound(t, group);
    memmove(&t->entries[i + 1], &t->entries[i], (t->n - i) * sizeof(t->entries[0]));
    t->n++;
    e = &t->entries[i];
    memset(e, 0, sizeof(*e));
    e->group = *group;
    return e;
}

uint64_t
relay_throttle_check(struct relay_throttle *t, const struct relay_peer *addr, uint64_t now_ms)
{
    struct relay_peer group = relay_peer_group(addr);
    const struct throttle_entry *e;

    if (t->cfg->fail_limit <= 0 || !(e = throttle_find(t, &group)))
        return 0;
    return now_ms < e->blocked_until_ms ? e->blocked_until_ms - now_ms : 0;
}

static void
throttle_block(struct relay_throttle *t, struct throttle_entry *e, uint64_t now)
{
    const struct relay_throttle_config *cfg = t->cfg;
    uint64_t ms = cfg->block_min_ms;
    char name[RELAY_PEER_NAME_MAX];

    for (uint32_t i = 0; i < e->n_blocks && ms < cfg->block_max_ms; i++)
        ms *= 2;
    if (ms > cfg->block_max_ms)
        ms = cfg->block_max_ms;
    e->blocked_until_ms = now + ms;
    e->n_blocks++;
    e->n_fails = 0;
    relay_peer_group_name(&e->group, name);
    log_warn("login: %s blocked for %llu ms after %d failed logins (block %u)", name,
             (unsigned long long)ms, cfg->fail_limit, e->n_blocks);
}

uint64_t
relay_throttle_fail(struct relay_throttle *t, const struct relay_peer *addr, uint64_t now_ms)
{
    const struct relay_throttle_config *cfg = t->cfg;
    struct relay_peer group = relay_peer_group(addr);
    struct throttle_entry *e;
    uint64_t delay;

    if (cfg->fail_limit <= 0)
        return 0;
    e = throttle_insert(t, &group, now_ms);
    if (now_ms < e->blocked_until_ms)
        return 0;
    if (e->n_fails == 0 || now_ms - e->period_start_ms >= cfg->fail_period_ms) {
        e->n_fails = 0;
        e->period_start_ms = now_ms;
    }
    e->n_fails++;
    e->last_fail_ms = now_ms;
    delay = cfg->fail_delay_ms * (e->n_fails - 1);
    if (e->n_fails >= (uint32_t)cfg->fail_limit)
        throttle_block(t, e, now_ms);
    return delay;
}

void
relay_throttle_success(struct relay_throttle *t, const struct relay_peer *addr)
{
    struct relay_peer group = relay_peer_group(addr);
    struct throttle_entry *e = throttle_find(t, &group);

    if (e)
        throttle_remove_at(t, (size_t)(e - t->entries));
}

static uint64_t
throttle_age(uint64_t now, uint64_t then)
{
    return now > then ? now - then : 0;
}

struct pjson *
relay_throttle_save(const struct relay_throttle *t, uint64_t now_ms)
{
    struct pjson *groups = pjson_array();

    for (size_t i = 0; i < t->n; i++) {
        const struct throttle_entry *e = &t->entries[i];
        struct pjson *o;
        char text[RELAY_PEER_NAME_MAX];
        if (throttle_is_stale(t->cfg, e, now_ms))
            continue;
        o = pjson_object();
        relay_peer_format(&e->group, text);
        pjson_add_str(o, "group", text);
        pjson_add_int(o, "fails", e->n_fails);
        pjson_add_int(o, "blocks", e->n_blocks);
        pjson_add_int(o, "period_age_ms", (int64_t)throttle_age(now_ms, e->period_start_ms));
        pjson_add_int(o, "quiet_ms", (int64_t)throttle_age(now_ms, e->last_fail_ms));
        pjson_add_int(o, "blocked_for_ms", (int64_t)throttle_age(e->blocked_until_ms, now_ms));
        pjson_add_int(o, "block_ended_ms", (int64_t)throttle_age(now_ms, e->blocked_until_ms));
        pjson_push(groups, o);
    }
    return groups;
}

/* now - ms, or 0 if the clock is younger than that (the entry is then simply older). */
static uint64_t
throttle_before(uint64_t now, const struct pjson *ms)
{
    double v = pjson_number(ms);
    uint64_t age = v > 0 && v < 1e15 ? (uint64_t)v : 0;

    return now > age ? now - age : 0;
}

/* A saved counter, whatever the file holds (a cast of a negative double is undefined). */
static uint32_t
throttle_counter(const struct pjson *v)
{
    double n = pjson_number(v);

    return n > 0 && n < 1e9 ? (uint32_t)n : 0;
}

void
relay_throttle_restore(struct relay_throttle *t, const struct pjson *saved, uint64_t now_ms)
{
    pjson_for_each (o, saved) {
        struct relay_peer group;
        struct throttle_entry *e;
        double blocked_for = pjson_number(pjson_get(o, "blocked_for_ms"));
        if (!pjson_str(pjson_get(o, "group")) ||
            relay_peer_parse(pjson_str(pjson_get(o, "group")), &group) < 0)
            continue;
        e = throttle_insert(t, &group, now_ms);
        e->n_fails = throttle_counter(pjson_get(o, "fails"));
        e->n_blocks = throttle_counter(pjson_get(o, "blocks"));
        e->period_start_ms = throttle_before(now_ms, pjson_get(o, "period_age_ms"));
        e->last_fail_ms = throttle_before(now_ms, pjson_get(o, "quiet_ms"));
        e->blocked_until_ms = blocked_for > 0 && blocked_for < 1e15
                                  ? now_ms + (uint64_t)blocked_for
                                  : throttle_before(now_ms, pjson_get(o, "block_ended_ms"));
    }
}
