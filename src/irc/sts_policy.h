/* SPDX-License-Identifier: MIT */
/*
 * The IRCv3 STS policies perch knows, by host name (compared without case): where a plain
 * network to that host must connect with TLS instead. A persistence policy (from a TLS
 * link's duration) has an expiry and is saved; an upgrade (from a plain link's port,
 * before any persistence policy) holds while perchd runs and is not saved. Times are Unix
 * seconds given by the caller. No I/O.
 */
#ifndef PERCH_IRC_STS_POLICY_H
#define PERCH_IRC_STS_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/list.h"

struct pjson;

/* Hosts with a policy at most; a policy for one more is not kept (and said). */
#define IRC_STS_POLICIES_MAX 1000

struct irc_sts_policy {
    struct list link;
    char *host; /* lower case */
    int port;   /* TLS port */
    bool persistent;
    uint32_t duration; /* persistent: as the server last gave it, in seconds */
    int64_t expiry;    /* persistent: when it ends */
};

struct irc_sts_policies {
    struct list list;
    size_t n;
};

void irc_sts_policies_init(struct irc_sts_policies *p);
void irc_sts_policies_fini(struct irc_sts_policies *p);

/* The policy in force for host at now, or NULL; an expired one is dropped on the way. */
const struct irc_sts_policy *irc_sts_policies_find(struct irc_sts_policies *p, const char *host,
                                                   int64_t now);

/* A plain link to host was told to use TLS on port: kept unless a persistence policy is
 * there already. False when the table is full. */
bool irc_sts_policies_upgrade(struct irc_sts_policies *p, const char *host, int port);

enum irc_sts_change {
    IRC_STS_UNCHANGED, /* duration 0 and no policy */
    IRC_STS_SET,       /* a new persistence policy, or one with another port or duration */
    IRC_STS_REFRESHED, /* the same policy, its expiry pushed back */
    IRC_STS_REMOVED,   /* duration 0 removed it */
    IRC_STS_FULL,      /* no room for a new host */
};

/* A TLS link to host on port gave duration: the policy is set or refreshed (expiry now +
 * duration), or with duration 0 removed (with the upgrade, if any). */
enum irc_sts_change irc_sts_policies_persist(struct irc_sts_policies *p, const char *host, int port,
                                             uint32_t duration, int64_t now);

/* A TLS link to host closed: a persistence policy's expiry becomes now + its duration (the
 * spec's rescheduling on disconnect). True when there was one. */
bool irc_sts_policies_reschedule(struct irc_sts_policies *p, const char *host, int64_t now);

/* The persistence policies not expired at now, as a JSON array (caller frees) / added from
 * one: invalid or expired entries are skipped and counted (the return value). */
struct pjson *irc_sts_policies_save(const struct irc_sts_policies *p, int64_t now);
size_t irc_sts_policies_load(struct irc_sts_policies *p, const struct pjson *saved, int64_t now);

#endif
