/* SPDX-License-Identifier: MIT */
/*
 * The nicks perch asks a server to MONITOR (IRCv3 monitor): a bounded set compared as the
 * server folds case, with what the server last said of each (online, offline, not yet),
 * the limit its ISUPPORT MONITOR token gives, and the target lists of MONITOR lines cut to
 * the line length. No I/O.
 */
#ifndef PERCH_IRC_MONITOR_SET_H
#define PERCH_IRC_MONITOR_SET_H

#include <stdbool.h>
#include <stddef.h>

#include "isupport.h"

/* Nicks monitored at most, whatever the server allows. */
#define IRC_MONITOR_MAX 1000

enum irc_monitor_state {
    IRC_MONITOR_UNKNOWN, /* asked, no 730/731 yet */
    IRC_MONITOR_OFFLINE,
    IRC_MONITOR_ONLINE,
};

struct irc_monitor_nick {
    char *nick;
    enum irc_monitor_state state;
};

struct irc_monitor_set {
    struct irc_monitor_nick *nicks;
    size_t n;
};

void irc_monitor_set_init(struct irc_monitor_set *set);
/* Forgets every nick (the set stays usable). */
void irc_monitor_set_clear(struct irc_monitor_set *set);
struct irc_monitor_nick *irc_monitor_set_find(const struct irc_monitor_set *set,
                                              enum irc_casemapping map, const char *nick);
/* Adds nick, state unknown; false (nothing added) when it is there or the set is full. */
bool irc_monitor_set_add(struct irc_monitor_set *set, enum irc_casemapping map, const char *nick);
/* False when nick was not there. */
bool irc_monitor_set_remove(struct irc_monitor_set *set, enum irc_casemapping map,
                            const char *nick);

/* How many nicks a server lets us monitor from its MONITOR token's value (NULL: not
 * announced): 0 when MONITOR cannot be used, "" (no value) or a number above it
 * IRC_MONITOR_MAX. */
size_t irc_monitor_limit(const char *value);

/* Calls cb with comma-separated lists of the nicks, each at most max bytes (a nick longer
 * than that alone is skipped), in order. */
typedef void (*irc_monitor_targets_cb)(const char *targets, void *data);
void irc_monitor_batch(const char *const *nicks, size_t n, size_t max, irc_monitor_targets_cb cb,
                       void *data);

#endif
