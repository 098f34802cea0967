/* SPDX-License-Identifier: MIT */
/* The outgoing token bucket. */
#include "flood.h"

void
irc_flood_init(struct irc_flood *f, unsigned burst, uint64_t interval_ms, uint64_t now_ms)
{
    f->burst = burst ? burst : 1;
    f->interval_ms = interval_ms;
    f->tokens = f->burst;
    f->last_ms = now_ms;
}

static void
flood_refill(struct irc_flood *f, uint64_t now_ms)
{
    if (now_ms > f->last_ms && f->interval_ms) {
        f->tokens += (double)(now_ms - f->last_ms) / (double)f->interval_ms;
        if (f->tokens > f->burst)
            f->tokens = f->burst;
    }
    f->last_ms = now_ms > f->last_ms ? now_ms : f->last_ms;
}

bool
irc_flood_take(struct irc_flood *f, uint64_t now_ms)
{
    if (!f->interval_ms)
        return true;
    flood_refill(f, now_ms);
    if (f->tokens < 1.0)
        return false;
    f->tokens -= 1.0;
    return true;
}

uint64_t
irc_flood_wait(struct irc_flood *f, uint64_t now_ms)
{
    if (!f->interval_ms)
        return 0;
    flood_refill(f, now_ms);
    if (f->tokens >= 1.0)
        return 0;
    return (uint64_t)((1.0 - f->tokens) * (double)f->interval_ms) + 1;
}
