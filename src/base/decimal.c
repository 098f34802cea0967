/* SPDX-License-Identifier: MIT */
/* Integers as decimal text. */
#include "decimal.h"

#include <string.h>

size_t
decimal_i64(int64_t v, char out[DECIMAL_MAX])
{
    char rev[DECIMAL_MAX];
    /* Negated as unsigned, INT64_MIN included. */
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    size_t n = 0, len = 0;

    do {
        rev[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        out[len++] = '-';
    while (n)
        out[len++] = rev[--n];
    out[len] = '\0';
    return len;
}
