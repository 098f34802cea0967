/* SPDX-License-Identifier: MIT */
/*
 * Outgoing flood control: a token bucket. A burst of lines goes at once, then one line
 * per interval, so a server never disconnects perch for flooding (and a paste of 500
 * lines still arrives, in order).
 */
#ifndef PERCH_IRC_FLOOD_H
#define PERCH_IRC_FLOOD_H

#include <stdbool.h>
#include <stdint.h>

struct irc_flood {
    unsigned burst;       /* lines that may go at once */
    uint64_t interval_ms; /* then one line per interval; 0: no limit */
    double tokens;
    uint64_t last_ms;
};

void irc_flood_init(struct irc_flood *f, unsigned burst, uint64_t interval_ms, uint64_t now_ms);
/* True when a line may go now (it takes a token). */
bool irc_flood_take(struct irc_flood *f, uint64_t now_ms);
/* How long until the next line may go (0: now). */
uint64_t irc_flood_wait(struct irc_flood *f, uint64_t now_ms);

#endif
