/* SPDX-License-Identifier: MIT */
/* UTF-8 validation and repair. */
#include "utf8.h"

#include <string.h>

#include "buf.h"
#include "xalloc.h"

/* Length of the valid sequence at s, or 0 when s does not start one (RFC 3629); its code
 * point in *out when out is not NULL. */
static size_t
utf8_seq_decode(const unsigned char *s, size_t len, uint32_t *out)
{
    unsigned char c = s[0];
    size_t n;
    uint32_t cp;

    if (c < 0x80) {
        if (out)
            *out = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF)
        n = 2, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF)
        n = 3, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4)
        n = 4, cp = c & 0x07;
    else
        return 0;
    if (n > len)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    if (out)
        *out = cp;
    return n;
}

static size_t
utf8_seq_len(const unsigned char *s, size_t len)
{
    return utf8_seq_decode(s, len, NULL);
}

size_t
utf8_decode(const char *s, size_t len, uint32_t *cp)
{
    size_t n = utf8_seq_decode((const unsigned char *)s, len, cp);

    if (n)
        return n;
    *cp = 0xFFFD;
    return 1;
}

bool
utf8_is_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;

    for (size_t i = 0; i < len;) {
        size_t n = utf8_seq_len(p + i, len - i);
        if (!n)
            return false;
        i += n;
    }
    return true;
}

char *
utf8_repair(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t run = 0; /* where the valid bytes not copied yet start */
    struct buf out;

    buf_init(&out, (size_t)-1);
    for (size_t i = 0; i < len;) {
        size_t n = utf8_seq_len(p + i, len - i);
        if (n) {
            i += n;
            continue;
        }
        buf_append(&out, s + run, i - run);
        buf_append(&out, "\xEF\xBF\xBD", 3);
        run = ++i;
    }
    /* Valid text (nearly always): one copy of the whole. */
    if (run == 0)
        return xstrndup(s, len);
    buf_append(&out, s + run, len - run);
    return buf_steal(&out, NULL);
}

size_t
utf8_char_count(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t count = 0;

    for (size_t i = 0; i < len; count++) {
        size_t n = utf8_seq_len(p + i, len - i);
        i += n ? n : 1;
    }
    return count;
}

size_t
utf8_char_offset(const char *s, size_t len, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    while (n-- > 0 && i < len) {
        size_t step = utf8_seq_len(p + i, len - i);
        i += step ? step : 1;
    }
    return i;
}
