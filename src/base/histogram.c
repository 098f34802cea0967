/* SPDX-License-Identifier: MIT */
/* Fixed-bucket latency histograms. */
#include "histogram.h"

/* Prometheus' usual 1-2.5-5 steps, from a fast SQLite commit to a stalled disk. */
static const uint64_t histogram_bounds_us[HISTOGRAM_BUCKETS] = {
    100, 250, 500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 500000, 1000000, 2500000,
};

uint64_t
histogram_bound_us(size_t i)
{
    return histogram_bounds_us[i];
}

void
histogram_observe(struct histogram *h, uint64_t us)
{
    size_t i = 0;

    while (i < HISTOGRAM_BUCKETS && us > histogram_bounds_us[i])
        i++;
    if (i < HISTOGRAM_BUCKETS)
        h->counts[i]++;
    h->count++;
    h->sum_us += us;
}
