/* SPDX-License-Identifier: MIT */
#include "masks.h"

#include <stdio.h>
#include <string.h>

#include "base/xalloc.h"

bool
irc_mask_match(enum irc_casemapping map, const char *mask, const char *name)
{
    const char *star = NULL, *resume = NULL;

    /* The classic greedy walk: on a mismatch after a "*", let the star take one more
     * character and try again. */
    while (*name) {
        if (*mask == '*') {
            star = ++mask;
            resume = name;
        } else if (*mask && irc_tolower(map, *mask) == irc_tolower(map, *name)) {
            mask++;
            name++;
        } else if (star) {
            mask = star;
            name = ++resume;
        } else {
            return false;
        }
    }
    while (*mask == '*')
        mask++;
    return *mask == '\0';
}

char *
irc_mask_default_ban(const char *user_host)
{
    const char *at = user_host ? strchr(user_host, '@') : NULL;
    bool unverified;
    size_t len;
    char *mask;

    if (!at || !at[1])
        return NULL;
    unverified = at == user_host || user_host[0] == '~';
    len = strlen(unverified ? at : user_host) + 4;
    mask = xmalloc(len);
    snprintf(mask, len, unverified ? "*!*%s" : "*!%s", unverified ? at : user_host);
    return mask;
}
