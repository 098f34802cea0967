/* SPDX-License-Identifier: MIT */
/* Wall-clock time in microseconds and its protocol text form. */
#ifndef PERCH_BASE_TIMEFMT_H
#define PERCH_BASE_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>

#define TIMEFMT_ISO_LEN 28 /* "YYYY-MM-DDTHH:MM:SS.ffffffZ" + NUL */

/* Microseconds since the epoch, from CLOCK_REALTIME. */
int64_t timefmt_now_us(void);
/* Writes the date as "YYYY-MM-DDTHH:MM:SS.ffffffZ" (UTC, six fraction digits). */
void timefmt_iso(int64_t us, char out[TIMEFMT_ISO_LEN]);
/*
 * Parses "YYYY-MM-DDTHH:MM:SS[.ffffff][Z]" (UTC) or "@SECONDS" into microseconds.
 * Returns 0, or -EINVAL for anything else.
 */
int timefmt_parse(const char *text, int64_t *us);

#endif
