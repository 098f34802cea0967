/* SPDX-License-Identifier: MIT */
#include "strlist.h"

#include <string.h>

bool
strlist_each(const char *list, bool (*fn)(void *data, const char *item, size_t len), void *data)
{
    for (const char *p = list ? list : ""; *p;) {
        p += strspn(p, " ");
        size_t len = strcspn(p, ",");
        const char *next = p + len + (p[len] == ',');
        while (len && p[len - 1] == ' ')
            len--;
        if (len && !fn(data, p, len))
            return false;
        p = next;
    }
    return true;
}
