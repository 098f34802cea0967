/* SPDX-License-Identifier: MIT */
/* Case folding of UTF-8 text as WeeChat's string functions do it, whatever the process's
 * own locale. */
#ifndef PERCH_BASE_UTF8_CASE_H
#define PERCH_BASE_UTF8_CASE_H

#include <locale.h>
#include <stdint.h>

/* C.UTF-8, for Unicode's character classes and cases whatever the process's own locale
 * is; (locale_t)0 when the system lacks it. */
locale_t utf8_locale(void);

/* The lower case of a code point: A-Z by table, the rest by C.UTF-8's towlower (unchanged
 * when that locale is missing). */
uint32_t utf8_lower(uint32_t c);

/* string_strcasecmp: <0, 0 or >0 as a sorts before, equal to or after b, comparing the
 * lower case of one character after the other. */
int utf8_casecmp(const char *a, const char *b);

#endif
