/* SPDX-License-Identifier: MIT */
/* Exponential backoff with full jitter. */
#include "backoff.h"

uint64_t
backoff_next(struct backoff *b, uint32_t random)
{
    unsigned shift = b->attempt < 32 ? b->attempt : 32;
    uint64_t cap = b->first_ms > (b->max_ms >> shift) ? b->max_ms : b->first_ms << shift;

    if (cap > b->max_ms)
        cap = b->max_ms;
    if (b->attempt < 64)
        b->attempt++;
    if (cap <= b->min_ms)
        return b->min_ms;
    return b->min_ms + (uint64_t)random % (cap - b->min_ms + 1);
}

void
backoff_reset(struct backoff *b)
{
    b->attempt = 0;
}
