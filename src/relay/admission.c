/* SPDX-License-Identifier: MIT */
/*
 * The budget of connections not authenticated yet. They cost little to open and nothing to
 * keep idle, so they get their own small budget, per address group and in total, and a
 * deadline; max_clients counts only authenticated clients. A full budget makes room by
 * closing its oldest member rather than refusing the newcomer: a flood then only ever
 * competes with itself, and the owner's fresh connection survives it.
 */
#include <stdlib.h>

#include "base/log.h"
#include "base/xalloc.h"
#include "internal.h"
#include "net/conn.h"

static struct relay__client *
admission_entry(struct list *link)
{
    return list_entry(link, struct relay__client, unauth_link);
}

static bool
admission_same_group(const struct relay__client *a, const struct relay__client *b)
{
    struct relay_peer ga = relay_peer_group(&a->peer), gb = relay_peer_group(&b->peer);

    return relay_peer_equal(&ga, &gb);
}

/* Closing a client whose failed login is held would hand it its answer early: of a group,
 * the oldest client not held goes first. */
static bool
admission_prefer(const struct relay__client *candidate, const struct relay__client *current)
{
    return !current || (current->held_error && !candidate->held_error);
}

/* The unauthenticated client of c's group to close first, and how many the group has. */
static struct relay__client *
admission_oldest_of_group(struct relay *relay, const struct relay__client *c, size_t *n)
{
    struct relay__client *oldest = NULL;
    struct list *pos;

    *n = 0;
    list_for_each (pos, &relay->unauth) {
        struct relay__client *other = admission_entry(pos);
        if (!admission_same_group(other, c))
            continue;
        if (admission_prefer(other, oldest))
            oldest = other;
        (*n)++;
    }
    return oldest;
}

/* Order of the scratch array: by group, then by age (connection ids grow with time). */
static int
admission_cmp(const void *pa, const void *pb)
{
    const struct relay__client *a = *(struct relay__client *const *)pa;
    const struct relay__client *b = *(struct relay__client *const *)pb;
    struct relay_peer ga = relay_peer_group(&a->peer), gb = relay_peer_group(&b->peer);
    int by_group = relay_peer_compare(&ga, &gb);
    uint64_t ia = net_conn_id(a->conn), ib = net_conn_id(b->conn);

    return by_group ? by_group : (ia > ib) - (ia < ib);
}

/*
 * The oldest client of the group with the most unauthenticated clients (ties: the group whose
 * oldest is oldest), a held one last. A single-address flood then never closes anyone else's
 * connection; one spread over many addresses closes the oldest, as a plain queue would.
 */
static struct relay__client *
admission_victim(struct relay *relay)
{
    struct relay__client **all = xmalloc(relay->n_unauth * sizeof(*all)), *victim = NULL;
    size_t n = 0, best_len = 0;
    struct list *pos;

    list_for_each (pos, &relay->unauth)
        all[n++] = admission_entry(pos);
    qsort(all, n, sizeof(*all), admission_cmp);
    for (size_t start = 0, end; start < n; start = end) {
        struct relay__client *first = NULL;
        for (end = start; end < n && admission_same_group(all[start], all[end]); end++) {
            if (admission_prefer(all[end], first))
                first = all[end];
        }
        if (end - start > best_len ||
            (end - start == best_len && net_conn_id(first->conn) < net_conn_id(victim->conn))) {
            best_len = end - start;
            victim = first;
        }
    }
    free(all);
    return victim;
}

/* Expires victim; false if that did not free its place (it was closing already). */
static bool
admission_expire(struct relay *relay, struct relay__client *victim)
{
    size_t before = relay->n_unauth;

    log_debug("conn %llu: closed to make room for a new connection",
              (unsigned long long)net_conn_id(victim->conn));
    /* Its goodbye is flushed, but a flood's connections are not waited for: closing ones
     * would otherwise pile up for the grace, outside any budget. */
    net_conn_set_peer_wait(victim->conn, false);
    relay__client_expire(victim, NET_CLOSE_TOO_MANY);
    return relay->n_unauth < before;
}

static void
admission_make_room(struct relay *relay, const struct relay__client *c)
{
    const struct relay_config *cfg = relay->cfg;
    struct relay__client *oldest;
    size_t n_group;

    while ((oldest = admission_oldest_of_group(relay, c, &n_group)) &&
           n_group >= (size_t)cfg->unauth_max_per_addr) {
        if (!admission_expire(relay, oldest))
            break;
    }
    if (relay->n_unauth >= (size_t)cfg->unauth_max && !relay->unauth_full_logged) {
        log_warn("%zu connections not authenticated yet ([limits] unauth_max): closing the "
                 "oldest ones to make room",
                 relay->n_unauth);
        relay->unauth_full_logged = true;
    }
    while (relay->n_unauth > 0 && relay->n_unauth >= (size_t)cfg->unauth_max) {
        if (!admission_expire(relay, admission_victim(relay)))
            break;
    }
}

void
relay__admission_enter(struct relay__client *c, uint64_t auth_timeout_ms)
{
    struct relay *relay = c->relay;

    admission_make_room(relay, c);
    list_append(&relay->unauth, &c->unauth_link);
    relay->n_unauth++;
    c->authenticated = false;
    c->auth_deadline_ms = uv_now(relay->loop) + auth_timeout_ms;
}

bool
relay__admission_promote(struct relay__client *c)
{
    struct relay *relay = c->relay;
    int max = relay->cfg->max_clients;

    if (c->authenticated)
        return true;
    if (max > 0 && relay->n_authed >= (size_t)max)
        return false;
    list_remove(&c->unauth_link);
    relay->n_unauth--;
    relay->n_authed++;
    c->authenticated = true;
    return true;
}

void
relay__admission_adopt_authenticated(struct relay__client *c)
{
    c->authenticated = true;
    c->relay->n_authed++;
}

void
relay__admission_leave(struct relay__client *c)
{
    struct relay *relay = c->relay;

    if (c->authenticated) {
        relay->n_authed--;
        return;
    }
    list_remove(&c->unauth_link);
    relay->n_unauth--;
    /* The next flood is worth a line again once this one has drained. */
    if (relay->n_unauth < (size_t)relay->cfg->unauth_max / 2)
        relay->unauth_full_logged = false;
}
