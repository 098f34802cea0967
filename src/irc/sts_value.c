/* SPDX-License-Identifier: MIT */
/* The sts capability's value read as the IRCv3 STS specification says. */
#include "sts_value.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Digits only (no sign, no space), at most max; false otherwise. */
static bool
sts_number(const char *text, size_t len, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;

    if (!len)
        return false;
    for (size_t i = 0; i < len; i++) {
        if (text[i] < '0' || text[i] > '9')
            return false;
        v = v * 10 + (uint64_t)(text[i] - '0');
        if (v > max)
            return false;
    }
    *out = v;
    return true;
}

int
irc_sts_value_parse(const char *value, bool tls, struct irc_sts_value *out, char *why,
                    size_t why_len)
{
    /* The key that matters on this link; the spec says the other is ignored there. */
    const char *key = tls ? "duration" : "port";
    size_t key_len = strlen(key);
    const char *found = NULL;
    size_t found_len = 0;
    int seen = 0;

    memset(out, 0, sizeof(*out));
    for (const char *p = value; *p;) {
        size_t len = strcspn(p, ",");
        size_t name_len = strcspn(p, ",=");
        if (name_len == key_len && strncmp(p, key, key_len) == 0) {
            seen++;
            found = name_len < len ? p + name_len + 1 : NULL;
            found_len = name_len < len ? len - name_len - 1 : 0;
        } else if (name_len == len && len == 7 && strncmp(p, "preload", 7) == 0) {
            out->preload = true;
        }
        p += len + (p[len] == ',');
    }
    if (!seen) {
        snprintf(why, why_len, "%s is missing", key);
        return -ENOENT;
    }
    if (seen > 1) {
        snprintf(why, why_len, "%s is given %d times", key, seen);
        return -EINVAL;
    }
    uint64_t v = 0;
    if (tls && found && sts_number(found, found_len, IRC_STS_DURATION_MAX, &v)) {
        out->duration = (uint32_t)v;
        return 0;
    }
    if (!tls && found && sts_number(found, found_len, 65535, &v) && v > 0) {
        out->port = (int)v;
        return 0;
    }
    snprintf(why, why_len, "%s",
             tls ? "duration must be a number of seconds"
                 : "port must be a number from 1 to 65535");
    return -EINVAL;
}
