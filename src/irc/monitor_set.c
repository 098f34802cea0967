/* SPDX-License-Identifier: MIT */
/* The set of monitored nicks, the server's MONITOR limit, and MONITOR target lists. */
#include "monitor_set.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/xalloc.h"

void
irc_monitor_set_init(struct irc_monitor_set *set)
{
    set->nicks = NULL;
    set->n = 0;
}

void
irc_monitor_set_clear(struct irc_monitor_set *set)
{
    for (size_t i = 0; i < set->n; i++)
        free(set->nicks[i].nick);
    free(set->nicks);
    irc_monitor_set_init(set);
}

struct irc_monitor_nick *
irc_monitor_set_find(const struct irc_monitor_set *set, enum irc_casemapping map, const char *nick)
{
    for (size_t i = 0; i < set->n; i++) {
        if (irc_casecmp(map, set->nicks[i].nick, nick) == 0)
            return &set->nicks[i];
    }
    return NULL;
}

bool
irc_monitor_set_add(struct irc_monitor_set *set, enum irc_casemapping map, const char *nick)
{
    if (!nick[0] || set->n >= IRC_MONITOR_MAX || irc_monitor_set_find(set, map, nick))
        return false;
    set->nicks = xrealloc(set->nicks, (set->n + 1) * sizeof(*set->nicks));
    set->nicks[set->n++] =
        (struct irc_monitor_nick){ .nick = xstrdup(nick), .state = IRC_MONITOR_UNKNOWN };
    return true;
}

bool
irc_monitor_set_remove(struct irc_monitor_set *set, enum irc_casemapping map, const char *nick)
{
    struct irc_monitor_nick *found = irc_monitor_set_find(set, map, nick);
    size_t at;

    if (!found)
        return false;
    at = (size_t)(found - set->nicks);
    free(found->nick);
    memmove(found, found + 1, (set->n - at - 1) * sizeof(*found));
    set->n--;
    return true;
}

size_t
irc_monitor_limit(const char *value)
{
    char *end;
    long n;

    if (!value)
        return 0;
    /* A token without a value: the server sets no limit of its own. */
    if (!value[0])
        return IRC_MONITOR_MAX;
    n = strtol(value, &end, 10);
    if (*end || n <= 0)
        return 0;
    return n > IRC_MONITOR_MAX ? IRC_MONITOR_MAX : (size_t)n;
}

void
irc_monitor_batch(const char *const *nicks, size_t n, size_t max, irc_monitor_targets_cb cb,
                  void *data)
{
    struct buf line;

    buf_init(&line, max + 1);
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(nicks[i]);
        if (!len || len > max)
            continue;
        if (line.len && line.len + 1 + len > max) {
            cb(line.data, data);
            buf_reset(&line);
        }
        if (line.len)
            buf_append_char(&line, ',');
        buf_append(&line, nicks[i], len);
    }
    if (line.len)
        cb(line.data, data);
    buf_fini(&line);
}
