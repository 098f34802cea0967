/* SPDX-License-Identifier: MIT */
/*
 * IRCv3 Strict Transport Security on a network: the sts capability read from CAP LS and
 * CAP NEW (never requested), a plain link upgraded to TLS at once, a TLS link's policy
 * kept for its host, and plain networks to a host with a policy connecting with TLS.
 * WeeChat has no STS: the texts are perch's own, in the irc plugin's manner.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/log.h"
#include "base/timefmt.h"
#include "base/xalloc.h"
#include "internal.h"
#include "look.h"
#include "sts_policy.h"
#include "sts_value.h"

static int64_t
sts_now(void)
{
    return timefmt_now_s();
}

static const struct irc_address *
sts_address(const struct irc_server *s)
{
    return &s->cfg->addresses[s->address_index % s->cfg->n_addresses];
}

void
irc__sts_target(struct irc_server *s)
{
    const struct irc_address *a = sts_address(s);
    const struct irc_sts_policy *policy;

    s->link_tls = s->cfg->tls;
    s->link_port = a->port ? a->port : s->cfg->tls ? 6697 : 6667;
    s->link_sts = false;
    /* A TLS network keeps its own port: the policy asks for TLS, which it has. */
    if (s->link_tls || !(policy = irc_sts_policies_find(&s->irc->sts, a->host, sts_now())))
        return;
    irc__server_print(s, IRC_LOOK_PREFIX_NETWORK, NULL,
                      "irc: STS policy for %s: connecting with TLS to port %d instead of "
                      "plain text to port %d",
                      a->host, policy->port, s->link_port);
    s->link_tls = true;
    s->link_port = policy->port;
    s->link_sts = true;
}

/* The value of "sts" in a capability list ("a sts=port=6697 b"), or NULL (caller frees). */
static char *
sts_find_value(const char *list)
{
    for (const char *p = list; *p;) {
        size_t word = strcspn(p, " ");
        if (word >= 3 && strncmp(p, "sts", 3) == 0 && (word == 3 || p[3] == '='))
            return xstrndup(p + 4 - (word == 3), word > 3 ? word - 4 : 0);
        p += word;
        p += strspn(p, " ");
    }
    return NULL;
}

/* Plain link told to use TLS on port: QUIT, and connect again with TLS at once. */
static void
sts_upgrade(struct irc_server *s, int port)
{
    const char *host = sts_address(s)->host;

    if (!irc_sts_policies_upgrade(&s->irc->sts, host, port)) {
        irc__server_print(s, IRC_LOOK_PREFIX_ERROR, "irc_cap,log3",
                          "irc: STS: too many policies (%d), the one for %s is not kept; "
                          "staying on plain text",
                          IRC_STS_POLICIES_MAX, host);
        return;
    }
    irc__server_print(s, IRC_LOOK_PREFIX_NETWORK, "irc_cap,log3",
                      "irc: STS: the server requires TLS, reconnecting to %s/%d with TLS", host,
                      port);
    s->sts_reconnect = true;
    irc__server_disconnect(s, "STS upgrade", true);
}

/* TLS link gave duration: the policy for its host set, renewed or removed, and saved. */
static void
sts_persist(struct irc_server *s, uint32_t duration)
{
    const char *host = sts_address(s)->host;
    enum irc_sts_change change =
        irc_sts_policies_persist(&s->irc->sts, host, s->link_port, duration, sts_now());

    switch (change) {
    case IRC_STS_UNCHANGED:
        return;
    case IRC_STS_SET:
    case IRC_STS_REFRESHED:
        irc__server_print(s, IRC_LOOK_PREFIX_NETWORK, "irc_cap,log3",
                          "irc: STS policy for %s %s: TLS only, to port %d, for %u seconds", host,
                          change == IRC_STS_SET ? "set" : "renewed", s->link_port, duration);
        break;
    case IRC_STS_REMOVED:
        irc__server_print(s, IRC_LOOK_PREFIX_NETWORK, "irc_cap,log3",
                          "irc: STS policy for %s removed (duration=0)", host);
        break;
    case IRC_STS_FULL:
        irc__server_print(s, IRC_LOOK_PREFIX_ERROR, "irc_cap,log3",
                          "irc: STS: too many policies (%d), the one for %s is not kept",
                          IRC_STS_POLICIES_MAX, host);
        return;
    }
    irc__changed(s->irc);
}

bool
irc__sts_offered(struct irc_server *s, const char *list)
{
    char *value = sts_find_value(list);
    struct irc_sts_value v;
    char why[128];
    int rc;

    if (!value)
        return false;
    if (s->sts_reconnect) {
        free(value);
        return true; /* upgrading already (a second LS line, a NEW) */
    }
    rc = irc_sts_value_parse(value, s->link_tls, &v, why, sizeof(why));
    if (rc < 0) {
        irc__server_print(s, IRC_LOOK_PREFIX_ERROR, "irc_cap,log3",
                          "irc: STS: policy \"%s\" ignored: %s", value, why);
        free(value);
        return false;
    }
    free(value);
    if (s->link_tls) {
        sts_persist(s, v.duration);
        return false;
    }
    sts_upgrade(s, v.port);
    return s->sts_reconnect;
}

void
irc__sts_withdrawn(struct irc_server *s)
{
    const char *host = sts_address(s)->host;
    const struct irc_sts_policy *policy = irc_sts_policies_find(&s->irc->sts, host, sts_now());

    /* The spec: CAP DEL cannot end a policy, only duration=0 can. */
    if (policy && policy->persistent)
        irc__server_print(s, IRC_LOOK_PREFIX_NETWORK, "irc_cap,log3",
                          "irc: STS: sts withdrawn by the server, the policy for %s stays", host);
}

void
irc__sts_link_ended(struct irc_server *s, bool established)
{
    const char *host = sts_address(s)->host;

    if (s->link_tls && established && irc_sts_policies_reschedule(&s->irc->sts, host, sts_now()) &&
        !s->irc->quitting)
        irc__changed(s->irc);
    /* A TLS attempt that a policy imposed failed: the next attempt is TLS again. */
    if (s->link_sts && !established && s->wanted)
        irc__server_print(s, IRC_LOOK_PREFIX_ERROR, NULL,
                          "irc: STS policy for %s: TLS connection failed, no plain-text "
                          "connection while the policy holds",
                          host);
}

void
irc__sts_quit(struct irc *irc)
{
    struct list *pos;
    bool changed = false;

    list_for_each (pos, &irc->servers) {
        struct irc_server *s = list_entry(pos, struct irc_server, link);
        if (s->conn && s->link_tls && s->state >= IRC_REGISTERING && !s->removing)
            changed |= irc_sts_policies_reschedule(&irc->sts, sts_address(s)->host, sts_now());
    }
    if (changed)
        irc__changed(irc);
}

struct pjson *
irc_save_sts(const struct irc *irc)
{
    return irc_sts_policies_save(&irc->sts, sts_now());
}

void
irc_load_sts(struct irc *irc, const struct pjson *saved)
{
    size_t skipped = irc_sts_policies_load(&irc->sts, saved, sts_now());

    if (skipped)
        log_info("irc: %zu saved STS policies expired or not valid, dropped", skipped);
}
