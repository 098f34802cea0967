/* SPDX-License-Identifier: MIT */
/* A latency histogram with fixed buckets: observing costs a few compares and two adds. */
#ifndef PERCH_BASE_HISTOGRAM_H
#define PERCH_BASE_HISTOGRAM_H

#include <stddef.h>
#include <stdint.h>

/* Bucket bounds from 100 microseconds to 2.5 seconds (histogram_bound_us). */
#define HISTOGRAM_BUCKETS 14

/* Zero-initialised is empty. */
struct histogram {
    uint64_t counts[HISTOGRAM_BUCKETS]; /* observations up to each bound, above the previous */
    uint64_t count;                     /* every observation (the +Inf bucket) */
    uint64_t sum_us;
};

/* The upper bound of bucket i (< HISTOGRAM_BUCKETS) in microseconds, ascending. */
uint64_t histogram_bound_us(size_t i);
/* Counts one observation of us microseconds. */
void histogram_observe(struct histogram *h, uint64_t us);

#endif
