/* SPDX-License-Identifier: MIT */
/* WeeChat's log line format: the date written and read, a line split into its fields. */
#include "weechatlog.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/timefmt.h"

void
store_weechatlog_date(int64_t date_us, char out[STORE_WEECHATLOG_DATE_LEN])
{
    time_t t = (time_t)(date_us / 1000000);
    struct tm tm;

    if (!localtime_r(&t, &tm) ||
        !strftime(out, STORE_WEECHATLOG_DATE_LEN, "%Y-%m-%d %H:%M:%S", &tm))
        snprintf(out, STORE_WEECHATLOG_DATE_LEN, "1970-01-01 00:00:00");
}

/* A reading position in a bounded text. */
struct cursor {
    const char *p;
    const char *end;
};

static bool
take_char(struct cursor *c, const char *accepted)
{
    if (c->p == c->end || !strchr(accepted, *c->p) || !*c->p)
        return false;
    c->p++;
    return true;
}

/* Exactly n digits. */
static bool
take_digits(struct cursor *c, size_t n, int *value)
{
    int v = 0;

    if ((size_t)(c->end - c->p) < n)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (c->p[i] < '0' || c->p[i] > '9')
            return false;
        v = v * 10 + (c->p[i] - '0');
    }
    c->p += n;
    *value = v;
    return true;
}

static int
days_in_month(int year, int month)
{
    static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

    return month == 2 && leap ? 29 : days[month - 1];
}

/* ".123" or ",123456": microseconds. */
static bool
take_fraction(struct cursor *c, int *us)
{
    int scale = 100000;

    *us = 0;
    if (!take_char(c, ".,"))
        return true;
    if (c->p == c->end || *c->p < '0' || *c->p > '9')
        return false;
    for (; c->p < c->end && *c->p >= '0' && *c->p <= '9'; c->p++) {
        if (scale == 0)
            return false;
        *us += (*c->p - '0') * scale;
        scale /= 10;
    }
    return true;
}

/* "", "Z", "+hh", "+hhmm", "+hh:mm" (or '-'), after an optional space. *utc when given. */
static bool
take_zone(struct cursor *c, bool *utc, int *offset_s)
{
    int sign, hh, mm = 0;

    *utc = false;
    *offset_s = 0;
    if (c->p == c->end)
        return true;
    take_char(c, " ");
    if (take_char(c, "Zz")) {
        *utc = true;
        return c->p == c->end;
    }
    if (c->p == c->end || (*c->p != '+' && *c->p != '-'))
        return false;
    sign = *c->p++ == '-' ? -1 : 1;
    if (!take_digits(c, 2, &hh) || hh > 23)
        return false;
    if (c->p != c->end) {
        take_char(c, ":");
        if (!take_digits(c, 2, &mm) || mm > 59)
            return false;
    }
    *utc = true;
    *offset_s = sign * (hh * 3600 + mm * 60);
    return c->p == c->end;
}

int
store_weechatlog_parse_date(const char *text, size_t len, int64_t *us)
{
    struct cursor c = { text, text + len };
    struct tm tm;
    int year, month, day, hour, min, sec, frac_us, offset_s;
    bool utc;
    time_t t;

    if (!take_digits(&c, 4, &year) || !take_char(&c, "-") || !take_digits(&c, 2, &month) ||
        !take_char(&c, "-") || !take_digits(&c, 2, &day) || !take_char(&c, " Tt") ||
        !take_digits(&c, 2, &hour) || !take_char(&c, ":") || !take_digits(&c, 2, &min) ||
        !take_char(&c, ":") || !take_digits(&c, 2, &sec) || !take_fraction(&c, &frac_us) ||
        !take_zone(&c, &utc, &offset_s))
        return -EINVAL;
    if (year < 1970 || month < 1 || month > 12 || day < 1 || day > days_in_month(year, month) ||
        hour > 23 || min > 59 || sec > 60)
        return -EINVAL;
    memset(&tm, 0, sizeof(tm));
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = min;
    tm.tm_sec = sec;
    /* Local time: the offset of that date (summer or not), as WeeChat wrote it. */
    tm.tm_isdst = -1;
    t = utc ? timegm(&tm) - offset_s : mktime(&tm);
    /* A leap second or an offset can carry the last minute of 9999 into a year the
     * format cannot write back. */
    if (t == (time_t)-1 || (int64_t)t > TIMEFMT_MAX_SECONDS)
        return -EINVAL;
    *us = (int64_t)t * 1000000 + frac_us;
    return 0;
}

int
store_weechatlog_parse(const char *line, size_t len, struct store_weechatlog_line *out)
{
    const char *tab = memchr(line, '\t', len), *rest, *tab2;
    size_t rest_len;

    if (!tab || store_weechatlog_parse_date(line, (size_t)(tab - line), &out->date_us) < 0)
        return -EINVAL;
    rest = tab + 1;
    rest_len = len - (size_t)(rest - line);
    tab2 = memchr(rest, '\t', rest_len);
    out->prefix = rest;
    out->prefix_len = tab2 ? (size_t)(tab2 - rest) : 0;
    out->message = tab2 ? tab2 + 1 : rest;
    out->message_len = tab2 ? rest_len - (size_t)(tab2 + 1 - rest) : rest_len;
    return 0;
}
