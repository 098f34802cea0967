/* SPDX-License-Identifier: MIT */
/* Lower-case hexadecimal text of binary data, and back. */
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

int
hex_digit_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int
hex_decode(const char *hex, size_t len, void *out)
{
    unsigned char *p = out;

    if (len % 2)
        return -1;
    for (size_t i = 0; i < len / 2; i++) {
        int hi = hex_digit_value(hex[2 * i]), lo = hex_digit_value(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        p[i] = (unsigned char)(hi << 4 | lo);
    }
    return (int)(len / 2);
}
