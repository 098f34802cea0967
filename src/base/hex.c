/* SPDX-License-Identifier: MIT */
/* Lower-case hexadecimal text of binary data. */
#include "hex.h"

void
hex_encode(const void *bin, size_t len, char *out)
{
    static const char digits[] = "0123456789abcdef";
    const unsigned char *p = bin;

    for (size_t i = 0; i < len; i++) {
        out[2 * i] = digits[p[i] >> 4];
        out[2 * i + 1] = digits[p[i] & 15];
    }
    out[2 * len] = '\0';
}
