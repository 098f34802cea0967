/* SPDX-License-Identifier: MIT */
/*
 * MONITOR (IRCv3), when the server announces it: the notify list (notify.c) and the
 * partners of open private buffers are monitored and their comings and goings said in the server
 * buffer as WeeChat says its notify list's ("notify: bob is connected", "notify: bob has quit");
 * our first nick, while another one holds it, is monitored too and taken back once it is free
 * (instead of asking ISON again and again). The server's limit (MONITOR=N) is never passed: the
 * first nick comes first, then the notify list, then the private buffers in their order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "channel.h"
#include "core/color.h"
#include "core/core.h"
#include "internal.h"
#include "look.h"
#include "look_presence.h"
#include "message.h"

size_t
irc__monitor_limit(const struct irc_server *s)
{
    return irc_monitor_limit(irc_isupport_get(&s->isupport, "MONITOR"));
}

/* The nicks that should be monitored, at most limit of them: our first nick, the notify
 * list, the private buffers' partners; the strings are the caller's, the server's and its
 * channels' (valid until they change). */
static size_t
monitor_wanted(const struct irc_server *s, const char *first, char *const *notify, size_t n_notify,
               size_t limit, const char **out)
{
    enum irc_casemapping map = s->isupport.casemapping;
    size_t n = 0;
    struct list *pos;

    if (irc__regain_wanted(s, first) && n < limit)
        out[n++] = first;
    for (size_t i = 0; i < n_notify && n < limit; i++) {
        bool seen = false;
        for (size_t j = 0; j < n && !seen; j++)
            seen = irc_casecmp(map, out[j], notify[i]) == 0;
        if (!seen)
            out[n++] = notify[i];
    }
    list_for_each (pos, &s->channels) {
        const struct irc_channel *c = list_entry(pos, struct irc_channel, link);
        bool seen = false;
        if (c->type != IRC_PRIVATE || !c->buffer || n >= limit)
            continue;
        for (size_t i = 0; i < n && !seen; i++)
            seen = irc_casecmp(map, out[i], c->name) == 0;
        if (!seen)
            out[n++] = c->name;
    }
    return n;
}

struct monitor_send {
    struct irc_server *s;
    const char *sign;
};

static void
monitor_send_targets(const char *targets, void *data)
{
    struct monitor_send *ms = data;
    const char *params[] = { ms->sign, targets };

    irc__server_send(ms->s, "MONITOR", params, 2);
}

/* MONITOR - for what is no longer wanted (room first), then MONITOR + for what is new. */
void
irc__monitor_sync(struct irc_server *s)
{
    enum irc_casemapping map = s->isupport.casemapping;
    size_t limit = irc__monitor_limit(s), n_want, n_del = 0, n_add = 0, n_notify;
    char **notify;
    const char **want, **add;
    char **del;
    char first[128];
    /* A line: "MONITOR + " and the targets within the server's line length. */
    size_t room = (size_t)s->isupport.linelen > 128 ? (size_t)s->isupport.linelen - 64 : 64;

    if (s->state != IRC_CONNECTED || !limit)
        return;
    irc__server_first_nick(s, first, sizeof(first));
    want = xcalloc(limit + 1, sizeof(*want));
    del = xcalloc(s->monitor.n + 1, sizeof(*del));
    add = xcalloc(limit + 1, sizeof(*add));
    n_notify = irc__notify_nicks(s, &notify);
    n_want = monitor_wanted(s, first, notify, n_notify, limit, want);
    for (size_t i = 0; i < s->monitor.n; i++) {
        bool kept = false;
        for (size_t j = 0; j < n_want && !kept; j++)
            kept = irc_casecmp(map, want[j], s->monitor.nicks[i].nick) == 0;
        if (!kept)
            del[n_del++] = xstrdup(s->monitor.nicks[i].nick);
    }
    for (size_t i = 0; i < n_del; i++)
        irc_monitor_set_remove(&s->monitor, map, del[i]);
    for (size_t i = 0; i < n_want; i++) {
        if (irc_monitor_set_add(&s->monitor, map, want[i]))
            add[n_add++] = want[i];
    }
    irc_monitor_batch((const char *const *)del, n_del, room, monitor_send_targets,
                      &(struct monitor_send){ .s = s, .sign = "-" });
    irc_monitor_batch(add, n_add, room, monitor_send_targets,
                      &(struct monitor_send){ .s = s, .sign = "+" });
    for (size_t i = 0; i < n_del; i++)
        free(del[i]);
    irc__notify_nicks_free(notify, n_notify);
    free(add);
    free(del);
    free(want);
}

void
irc__monitor_reset(struct irc_server *s)
{
    irc_monitor_set_clear(&s->monitor);
}

void
irc__monitor_say(struct irc_server *s, const char *nick, const char *host, bool online, bool first)
{
    char color[IRC_LOOK_COLOR_MAX], *text, *tags;
    size_t len = strlen(nick) + 64;

    irc_look_nick_color(color, nick, false);
    text = irc_look_notify(color, nick, host, online, first);
    tags = xmalloc(len);
    snprintf(tags, len, "irc_notify,irc_notify_%s,nick_%s,notify_message,log3",
             online ? "join" : "quit", nick);
    irc__print_line(s->buffer, NULL, IRC_LOOK_PREFIX_NETWORK, tags, text);
    free(tags);
    free(text);
}

/* One nick of a 730 (online) or 731 (offline) list: "nick" or "nick!user@host". */
static void
monitor_status(struct irc_server *s, char *item, bool online)
{
    enum irc_casemapping map = s->isupport.casemapping;
    char *host = strchr(item, '!'), first[128];
    struct irc_monitor_nick *entry;
    struct irc_channel *pv;
    bool first_form;

    if (host)
        *host++ = '\0';
    if (!item[0])
        return;
    irc__server_first_nick(s, first, sizeof(first));
    if (!online && irc_casecmp(map, item, first) == 0 && irc__regain_wanted(s, first)) {
        const char *params[] = { first };
        irc__server_send(s, "NICK", params, 1);
    }
    entry = irc_monitor_set_find(&s->monitor, map, item);
    pv = irc_channel_find(s, item);
    if (entry) {
        enum irc_monitor_state state = online ? IRC_MONITOR_ONLINE : IRC_MONITOR_OFFLINE;
        /* Said on a change only; our first nick alone is watched silently. */
        first_form = entry->state == IRC_MONITOR_UNKNOWN;
        if (entry->state != state && ((pv && pv->type == IRC_PRIVATE) || irc__notify_has(s, item)))
            irc__monitor_say(s, item, host, online, first_form);
        entry->state = state;
        return;
    }
    /* Not ours (a MONITOR the user sent): said as it is, as for a nick WeeChat does not
     * watch; but a late answer about our own nicks (the first one just taken back and
     * unwatched) is not news. */
    if (irc_casecmp(map, item, first) != 0 && (!s->nick || irc_casecmp(map, item, s->nick) != 0))
        irc__monitor_say(s, item, host, online, true);
}

/* 730 "me :a!u@h,b!u@h" online, 731 "me :a,b" offline. */
static void
monitor_730_731(struct irc_server *s, const struct irc_message *m)
{
    char *list = irc_message_params_join(m, 1);
    bool online = strcmp(m->command, "730") == 0;

    for (char *p = list; *p;) {
        size_t len = strcspn(p, ",");
        char *item = xstrndup(p, len), *start = item;
        while (*start == ' ')
            start++;
        for (char *end = start + strlen(start); end > start && end[-1] == ' '; end--)
            end[-1] = '\0';
        monitor_status(s, start, online);
        free(item);
        p += len;
        if (*p == ',')
            p++;
    }
    free(list);
}

static void
monitor_print(struct irc_server *s, const struct irc_message *m, const char *prefix,
              const char *text)
{
    char *tags = irc__tags(m, m->command, NULL, m->nick, NULL, 3);

    irc__print_line(s->buffer, m, prefix, tags, text);
    free(tags);
}

/* 732 (a MONITOR L line) and 733 (its end): the text as it came. */
static void
monitor_list(struct irc_server *s, const struct irc_message *m)
{
    char *text = m->n_params > 1 ? irc_message_params_join(m, 1) : xstrdup("");
    char *start = text;

    while (*start == ' ')
        start++;
    monitor_print(s, m, IRC_LOOK_PREFIX_NETWORK, start);
    free(text);
}

/* 734 "me limit a,b :Monitor list is full.": said as an error; those nicks are not
 * monitored. */
static void
monitor_full(struct irc_server *s, const struct irc_message *m)
{
    char *text = m->n_params > 3 ? irc_message_params_join(m, 3) : xstrdup("");
    char *decoded = core_color_from_irc(text), *line;
    size_t len = strlen(decoded) + strlen(m->params[1]) + 4;
    char *targets = xstrdup(m->params[2]);

    line = xmalloc(len);
    snprintf(line, len, "%s (%s)", decoded, m->params[1]);
    monitor_print(s, m, IRC_LOOK_PREFIX_ERROR, line);
    for (char *p = targets; *p;) {
        size_t n = strcspn(p, ",");
        char end = p[n];
        p[n] = '\0';
        irc_monitor_set_remove(&s->monitor, s->isupport.casemapping, p);
        p += n + (end ? 1 : 0);
    }
    free(targets);
    free(line);
    free(decoded);
    free(text);
}

bool
irc__recv_monitor(struct irc_server *s, const struct irc_message *m)
{
    static const struct irc__handler handlers[] = {
        { "730", monitor_730_731, 2 }, { "731", monitor_730_731, 2 }, { "732", monitor_list, 1 },
        { "733", monitor_list, 1 },    { "734", monitor_full, 3 },
    };

    return irc__dispatch(IRC__HANDLERS(handlers), s, m);
}
