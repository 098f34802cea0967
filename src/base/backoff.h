/* SPDX-License-Identifier: MIT */
/*
 * Reconnection delays: exponential backoff with full jitter (AWS, "Exponential Backoff
 * And Jitter"): attempt n waits a random time in [min, min(max, first * 2^n)], the first
 * attempt possibly at once. Reset after a connection that stayed up long enough.
 */
#ifndef PERCH_BASE_BACKOFF_H
#define PERCH_BASE_BACKOFF_H

#include <stdint.h>

struct backoff {
    uint64_t min_ms;   /* the shortest wait (0: the first retry may be at once) */
    uint64_t first_ms; /* the cap of the first attempt; doubles with each attempt */
    uint64_t max_ms;   /* the cap never passes this */
    unsigned attempt;
};

/* The wait before the next attempt; random is any uniformly random 32-bit number. */
uint64_t backoff_next(struct backoff *b, uint32_t random);
void backoff_reset(struct backoff *b);

#endif
