/* SPDX-License-Identifier: MIT */
/* Wall-clock time in microseconds and its protocol text form. */
#include "timefmt.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int64_t
timefmt_now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void
timefmt_iso(int64_t us, char out[TIMEFMT_ISO_LEN])
{
    time_t sec = (time_t)(us / 1000000);
    long frac = (long)(us % 1000000);
    struct tm tm;

    if (frac < 0) {
        frac += 1000000;
        sec--;
    }
    char date[20];

    gmtime_r(&sec, &tm);
    strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out, TIMEFMT_ISO_LEN, "%.19s.%06ldZ", date, frac);
}

static int
timefmt_parse_epoch(const char *text, int64_t *us)
{
    char *end;
    long long sec;

    errno = 0;
    sec = strtoll(text, &end, 10);
    if (errno || end == text || *end || sec < 0 || sec > 253402300799LL)
        return -EINVAL;
    *us = (int64_t)sec * 1000000;
    return 0;
}

int
timefmt_parse(const char *text, int64_t *us)
{
    struct tm tm;
    const char *rest;
    long frac = 0;
    int digits = 0;

    if (text[0] == '@')
        return timefmt_parse_epoch(text + 1, us);
    memset(&tm, 0, sizeof(tm));
    rest = strptime(text, "%Y-%m-%dT%H:%M:%S", &tm);
    if (!rest)
        return -EINVAL;
    if (*rest == '.') {
        for (rest++; *rest >= '0' && *rest <= '9'; rest++, digits++) {
            if (digits < 6)
                frac = frac * 10 + (*rest - '0');
        }
        if (digits == 0)
            return -EINVAL;
        for (; digits < 6; digits++)
            frac *= 10;
    }
    if (*rest == 'Z')
        rest++;
    if (*rest)
        return -EINVAL;
    *us = (int64_t)timegm(&tm) * 1000000 + frac;
    return 0;
}
