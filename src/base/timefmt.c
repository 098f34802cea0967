/* SPDX-License-Identifier: MIT */
/* Wall-clock time in microseconds and its protocol text form. */
#include "timefmt.h"

#include <errno.h>
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

int64_t
timefmt_now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec;
}

int64_t
timefmt_monotonic_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* v (>= 0) in exactly width digits; returns the end. */
static char *
timefmt_digits(char *p, long v, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
    return p + width;
}

void
timefmt_iso(int64_t us, char out[TIMEFMT_ISO_LEN])
{
    int64_t sec = us / 1000000;
    long frac = (long)(us % 1000000);
    struct tm tm;
    time_t t;
    char *p = out;

    if (frac < 0) {
        frac += 1000000;
        sec--;
    }
    /* Four digits of year, always (strftime's %Y has no leading zeros, nor room for more). */
    if (sec < TIMEFMT_MIN_SECONDS) {
        sec = TIMEFMT_MIN_SECONDS;
        frac = 0;
    } else if (sec > TIMEFMT_MAX_SECONDS) {
        sec = TIMEFMT_MAX_SECONDS;
        frac = 999999;
    }
    t = (time_t)sec;
    gmtime_r(&t, &tm);
    p = timefmt_digits(p, tm.tm_year + 1900L, 4);
    *p++ = '-';
    p = timefmt_digits(p, tm.tm_mon + 1, 2);
    *p++ = '-';
    p = timefmt_digits(p, tm.tm_mday, 2);
    *p++ = 'T';
    p = timefmt_digits(p, tm.tm_hour, 2);
    *p++ = ':';
    p = timefmt_digits(p, tm.tm_min, 2);
    *p++ = ':';
    p = timefmt_digits(p, tm.tm_sec, 2);
    *p++ = '.';
    p = timefmt_digits(p, frac, 6);
    *p++ = 'Z';
    *p = '\0';
}

static int
timefmt_parse_epoch(const char *text, int64_t *us)
{
    char *end;
    long long sec;

    errno = 0;
    sec = strtoll(text, &end, 10);
    if (errno || end == text || *end || sec < 0 || sec > TIMEFMT_MAX_SECONDS)
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
    int64_t sec;

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
    /* strptime takes seconds up to 61: the last minute of 9999 can end in 10000. */
    sec = (int64_t)timegm(&tm);
    if (sec > TIMEFMT_MAX_SECONDS)
        return -EINVAL;
    *us = sec * 1000000 + frac;
    return 0;
}
