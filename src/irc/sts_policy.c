/* SPDX-License-Identifier: MIT */
/* The table of STS policies: found, set, refreshed, removed, rescheduled, saved, loaded. */
#include "sts_policy.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/json.h"
#include "base/xalloc.h"
#include "sts_value.h"

/* Host names are at most 253 bytes (RFC 1035); a saved one longer is not valid. */
#define STS_HOST_MAX 253

void
irc_sts_policies_init(struct irc_sts_policies *p)
{
    list_init(&p->list);
    p->n = 0;
}

static void
sts_remove(struct irc_sts_policies *p, struct irc_sts_policy *e)
{
    list_remove(&e->link);
    free(e->host);
    free(e);
    p->n--;
}

void
irc_sts_policies_fini(struct irc_sts_policies *p)
{
    while (!list_is_empty(&p->list))
        sts_remove(p, list_entry(p->list.next, struct irc_sts_policy, link));
}

static struct irc_sts_policy *
sts_lookup(struct irc_sts_policies *p, const char *host, int64_t now)
{
    struct list *pos, *tmp;

    list_for_each_safe (pos, tmp, &p->list) {
        struct irc_sts_policy *e = list_entry(pos, struct irc_sts_policy, link);
        if (strcasecmp(e->host, host) != 0)
            continue;
        /* Expired: plain connections are allowed again (the spec's expiry). */
        if (e->persistent && e->expiry <= now) {
            sts_remove(p, e);
            return NULL;
        }
        return e;
    }
    return NULL;
}

const struct irc_sts_policy *
irc_sts_policies_find(struct irc_sts_policies *p, const char *host, int64_t now)
{
    return sts_lookup(p, host, now);
}

static struct irc_sts_policy *
sts_add(struct irc_sts_policies *p, const char *host, int port)
{
    struct irc_sts_policy *e;

    if (p->n >= IRC_STS_POLICIES_MAX)
        return NULL;
    e = xcalloc(1, sizeof(*e));
    e->host = xstrdup(host);
    for (char *c = e->host; *c; c++) {
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c - 'A' + 'a');
    }
    e->port = port;
    list_append(&p->list, &e->link);
    p->n++;
    return e;
}

bool
irc_sts_policies_upgrade(struct irc_sts_policies *p, const char *host, int port)
{
    /* An upgrade never ends: it is found whatever the time. */
    struct irc_sts_policy *e = sts_lookup(p, host, INT64_MIN);

    if (e) {
        if (!e->persistent)
            e->port = port;
        return true;
    }
    return sts_add(p, host, port) != NULL;
}

enum irc_sts_change
irc_sts_policies_persist(struct irc_sts_policies *p, const char *host, int port, uint32_t duration,
                         int64_t now)
{
    struct irc_sts_policy *e = sts_lookup(p, host, now);
    bool same;

    if (!duration) {
        if (!e)
            return IRC_STS_UNCHANGED;
        sts_remove(p, e);
        return IRC_STS_REMOVED;
    }
    if (!e && !(e = sts_add(p, host, port)))
        return IRC_STS_FULL;
    same = e->persistent && e->port == port && e->duration == duration;
    e->persistent = true;
    e->port = port;
    e->duration = duration;
    e->expiry = now + duration;
    return same ? IRC_STS_REFRESHED : IRC_STS_SET;
}

bool
irc_sts_policies_reschedule(struct irc_sts_policies *p, const char *host, int64_t now)
{
    struct irc_sts_policy *e = sts_lookup(p, host, now);

    if (!e || !e->persistent)
        return false;
    e->expiry = now + e->duration;
    return true;
}

struct pjson *
irc_sts_policies_save(const struct irc_sts_policies *p, int64_t now)
{
    struct pjson *arr = pjson_array();
    struct list *pos;

    list_for_each (pos, &p->list) {
        const struct irc_sts_policy *e = list_entry(pos, struct irc_sts_policy, link);
        if (!e->persistent || e->expiry <= now)
            continue;
        struct pjson *o = pjson_object();
        pjson_add_str(o, "host", e->host);
        pjson_add_int(o, "port", e->port);
        pjson_add_int(o, "duration", e->duration);
        pjson_add_int(o, "expiry", e->expiry);
        pjson_push(arr, o);
    }
    return arr;
}

/* An integer within [min, max] from a saved number; false otherwise. */
static bool
sts_saved_int(const struct pjson *v, double min, double max, int64_t *out)
{
    double d;

    if (!pjson_is_number(v))
        return false;
    d = pjson_number(v);
    if (!(d >= min && d <= max) || d != (double)(int64_t)d)
        return false;
    *out = (int64_t)d;
    return true;
}

size_t
irc_sts_policies_load(struct irc_sts_policies *p, const struct pjson *saved, int64_t now)
{
    size_t skipped = 0;

    pjson_for_each (item, saved) {
        const char *host = pjson_str(pjson_get(item, "host"));
        int64_t port, duration, expiry;
        struct irc_sts_policy *e;
        if (!host || !host[0] || strlen(host) > STS_HOST_MAX || strpbrk(host, " \r\n") ||
            !sts_saved_int(pjson_get(item, "port"), 1, 65535, &port) ||
            !sts_saved_int(pjson_get(item, "duration"), 1, IRC_STS_DURATION_MAX, &duration) ||
            !sts_saved_int(pjson_get(item, "expiry"), 0, 9007199254740992.0, &expiry) ||
            expiry <= now || sts_lookup(p, host, now) || !(e = sts_add(p, host, (int)port))) {
            skipped++;
            continue;
        }
        e->persistent = true;
        e->duration = (uint32_t)duration;
        e->expiry = expiry;
    }
    return skipped;
}
