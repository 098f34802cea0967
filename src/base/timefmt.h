/* SPDX-License-Identifier: MIT */
/* Wall-clock time in microseconds and its protocol text form; the monotonic clock. */
#ifndef PERCH_BASE_TIMEFMT_H
#define PERCH_BASE_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>

#define TIMEFMT_ISO_LEN 28 /* "YYYY-MM-DDTHH:MM:SS.ffffffZ" + NUL */
/* The dates the four-digit years of that form can write: 0000-01-01T00:00:00Z to
 * 9999-12-31T23:59:59Z, in seconds since the epoch. */
#define TIMEFMT_MIN_SECONDS (-62167219200LL)
#define TIMEFMT_MAX_SECONDS 253402300799LL

/* Microseconds since the epoch, from CLOCK_REALTIME. */
int64_t timefmt_now_us(void);
/* Whole seconds of the same clock. Not time(NULL): glibc reads that from the kernel's
 * coarse clock, which turns to the next second up to a tick after CLOCK_REALTIME does, so
 * a peer's clock and ours would disagree for those milliseconds. */
int64_t timefmt_now_s(void);
/* Microseconds from CLOCK_MONOTONIC: for delays, which a change of the clock must not move. */
int64_t timefmt_monotonic_us(void);
/* Writes the date as "YYYY-MM-DDTHH:MM:SS.ffffffZ" (UTC, six fraction digits); a date
 * beyond the four-digit years is written as the nearest one within them. */
void timefmt_iso(int64_t us, char out[TIMEFMT_ISO_LEN]);
/*
 * Parses "YYYY-MM-DDTHH:MM:SS[.ffffff][Z]" (UTC) or "@SECONDS" into microseconds.
 * Returns 0, or -EINVAL for anything else, and for a date past TIMEFMT_MAX_SECONDS (a
 * leap second on the last minute of 9999 would be one).
 */
int timefmt_parse(const char *text, int64_t *us);

#endif
