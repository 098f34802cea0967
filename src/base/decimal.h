/* SPDX-License-Identifier: MIT */
/* Integers as decimal text, for the hot paths where printf's format parsing shows (a header
 * per response, several numbers per line of JSON). */
#ifndef PERCH_BASE_DECIMAL_H
#define PERCH_BASE_DECIMAL_H

#include <stddef.h>
#include <stdint.h>

#define DECIMAL_MAX 21 /* "-9223372036854775808" and its NUL */

/* Writes v in decimal with a NUL after it; returns its length (without the NUL). */
size_t decimal_i64(int64_t v, char out[DECIMAL_MAX]);

#endif
