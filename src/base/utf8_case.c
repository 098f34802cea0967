/* SPDX-License-Identifier: MIT */
/* Case folding of UTF-8 text as WeeChat's string functions do it. */
#include "utf8_case.h"

#include <stdbool.h>
#include <string.h>
#include <wctype.h>

#include "utf8.h"

/* Made once, by the main thread (the only one that folds case). */
locale_t
utf8_locale(void)
{
    static locale_t loc;
    static bool tried;

    if (!tried) {
        tried = true;
        loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    }
    return loc;
}

uint32_t
utf8_lower(uint32_t c)
{
    locale_t loc;

    if (c < 0x80)
        return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
    loc = utf8_locale();
    return loc ? (uint32_t)towlower_l((wint_t)c, loc) : c;
}

int
utf8_casecmp(const char *a, const char *b)
{
    size_t a_len = strlen(a), b_len = strlen(b);

    for (;;) {
        uint32_t ca = 0, cb = 0;
        size_t na = a_len ? utf8_decode(a, a_len, &ca) : 0;
        size_t nb = b_len ? utf8_decode(b, b_len, &cb) : 0;
        long diff = (long)utf8_lower(ca) - (long)utf8_lower(cb);
        if (diff != 0 || !na || !nb)
            return diff < 0 ? -1 : diff > 0;
        a += na, a_len -= na;
        b += nb, b_len -= nb;
    }
}
