/* SPDX-License-Identifier: MIT */
/*
 * The notify list (/notify, irc.server.NAME.notify "alice,bob away" as WeeChat keeps it):
 * nicks whose comings and goings are said in the server buffer ("notify: alice is
 * connected"). The server's MONITOR watches them (monitor.c); a server without it is asked
 * with ISON, with nick regain's (server.c), and its answers come here.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/xalloc.h"
#include "core/command.h"
#include "core/core.h"
#include "internal.h"
#include "look.h"
#include "look_presence.h"

/* The notify list as it is kept: each item "nick" or "nick away", comma-separated. */
struct notify_item {
    char *nick;
    bool away; /* WeeChat's -away: its away state checked by WHOIS (notify_away.c) */
};

static size_t
notify_parse(const char *value, struct notify_item **out)
{
    char *copy = xstrdup(value ? value : ""), *save = NULL;
    size_t n = 0;

    *out = NULL;
    for (char *item = strtok_r(copy, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
        item += strspn(item, " ");
        size_t len = strcspn(item, " ");
        if (!len)
            continue;
        *out = xrealloc(*out, (n + 1) * sizeof(**out));
        (*out)[n++] = (struct notify_item){ .nick = xstrndup(item, len),
                                            .away = strstr(item + len, "away") != NULL };
    }
    free(copy);
    return n;
}

static void
notify_items_free(struct notify_item *items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(items[i].nick);
    free(items);
}

static char *
notify_format(const struct notify_item *items, size_t n)
{
    struct buf b;

    buf_init(&b, SIZE_MAX);
    buf_append_str(&b, "");
    for (size_t i = 0; i < n; i++)
        buf_printf(&b, "%s%s%s", i ? "," : "", items[i].nick, items[i].away ? " away" : "");
    return buf_steal(&b, NULL);
}

size_t
irc__notify_nicks(const struct irc_server *s, char ***out)
{
    struct notify_item *items;
    size_t n = notify_parse(s->cfg->notify, &items);

    *out = xcalloc(n ? n : 1, sizeof(**out));
    for (size_t i = 0; i < n; i++)
        (*out)[i] = items[i].nick;
    free(items);
    return n;
}

size_t
irc__notify_away_nicks(const struct irc_server *s, char ***out)
{
    struct notify_item *items;
    size_t n = notify_parse(s->cfg->notify, &items), kept = 0;

    *out = xcalloc(n ? n : 1, sizeof(**out));
    for (size_t i = 0; i < n; i++) {
        if (items[i].away)
            (*out)[kept++] = items[i].nick;
        else
            free(items[i].nick);
    }
    free(items);
    return kept;
}

void
irc__notify_nicks_free(char **nicks, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(nicks[i]);
    free(nicks);
}

bool
irc__notify_has(const struct irc_server *s, const char *nick)
{
    char **nicks;
    size_t n = irc__notify_nicks(s, &nicks);
    bool found = false;

    for (size_t i = 0; i < n && !found; i++)
        found = irc_casecmp(s->isupport.casemapping, nicks[i], nick) == 0;
    irc__notify_nicks_free(nicks, n);
    return found;
}

void
irc__notify_ison(struct irc_server *s, const char *online)
{
    enum irc_casemapping map = s->isupport.casemapping;
    char **nicks;
    size_t n = irc__notify_nicks(s, &nicks);

    for (size_t i = 0; i < n; i++) {
        bool on = false;
        for (const char *p = online; *p && !on;) {
            size_t len = strcspn(p, " ");
            char nick[256];
            snprintf(nick, sizeof(nick), "%.*s", (int)len, p);
            on = irc_casecmp(map, nick, nicks[i]) == 0;
            p += len;
            p += strspn(p, " ");
        }
        irc_monitor_set_add(&s->notify_ison, map, nicks[i]);
        struct irc_monitor_nick *e = irc_monitor_set_find(&s->notify_ison, map, nicks[i]);
        enum irc_monitor_state state = on ? IRC_MONITOR_ONLINE : IRC_MONITOR_OFFLINE;
        if (e && e->state != state) {
            irc__monitor_say(s, nicks[i], NULL, on, e->state == IRC_MONITOR_UNKNOWN);
            e->state = state;
        }
    }
    irc__notify_nicks_free(nicks, n);
}

/* What is known of a nick of the list: by MONITOR, or by our ISONs. */
static enum irc_monitor_state
notify_state(const struct irc_server *s, const char *nick)
{
    const struct irc_monitor_set *set = irc__monitor_limit(s) ? &s->monitor : &s->notify_ison;
    const struct irc_monitor_nick *e = irc_monitor_set_find(set, s->isupport.casemapping, nick);

    return e && s->state == IRC_CONNECTED ? e->state : IRC_MONITOR_UNKNOWN;
}

/* irc_notify_display: "  nick @ server: online" (or offline, unknown); with "-away", an
 * away nick "online (away: "message")". */
static void
notify_show(const struct irc_server *s, struct core_buffer *b, const char *nick)
{
    static const char *const states[] = { "unknown", IRC_LOOK_MESSAGE_QUIT "offline",
                                          IRC_LOOK_MESSAGE_JOIN "online" IRC_LOOK_RESET };
    char color[IRC_LOOK_COLOR_MAX];
    struct core_line_spec spec = { .prefix = "", .tags = "", .y = -1 };
    struct buf line;

    irc__nick_color(s, nick, color);
    buf_init(&line, SIZE_MAX);
    enum irc_monitor_state state = notify_state(s, nick);
    const char *away = state == IRC_MONITOR_ONLINE ? irc__notify_away_message(s, nick) : NULL;
    buf_printf(&line, "  %s%s" IRC_LOOK_RESET " @ " IRC_LOOK_SERVER "%s" IRC_LOOK_RESET ": %s",
               color, nick, s->cfg->name, states[state]);
    if (away)
        buf_printf(&line, " (away: \"%s\")", away);
    spec.message = line.data;
    core_buffer_print(b, &spec);
    buf_fini(&line);
}

/* irc_notify_display_list: the network's list in its buffer, or every network's. */
static void
notify_list(struct irc *irc, struct irc_server *only)
{
    struct core_buffer *b = only ? only->buffer : irc->core->core_buffer;
    size_t shown = 0;
    struct list *pos;

    list_for_each (pos, &irc->servers) {
        struct irc_server *s = list_entry(pos, struct irc_server, link);
        char **nicks;
        size_t n;
        if ((only && s != only) || s->removing)
            continue;
        n = irc__notify_nicks(s, &nicks);
        for (size_t i = 0; i < n; i++) {
            if (shown++ == 0) {
                core_command_info(b, "%s", "");
                if (only)
                    core_command_info(b, "Notify list for " IRC_LOOK_SERVER "%s" IRC_LOOK_RESET ":",
                                      s->cfg->name);
                else
                    core_command_info(b, "Notify list for all servers:");
            }
            notify_show(s, b, nicks[i]);
        }
        irc__notify_nicks_free(nicks, n);
    }
    if (!shown)
        core_command_info(b, only ? "Notify list is empty on this server"
                                  : "Notify list is empty on all servers");
}

/* The list changed: kept, and watched at once (MONITOR, or an ISON now). */
static void
notify_set(struct irc_server *s, struct notify_item *items, size_t n)
{
    free(s->cfg->notify);
    s->cfg->notify = notify_format(items, n);
    irc__changed(s->irc);
    irc__notify_away_sync(s);
    if (irc__monitor_limit(s))
        irc__monitor_sync(s);
    else
        irc__server_presence_now(s);
}

/* "/notify add|addreplace nick [server [-away]]" and "/notify del nick|-all [server]": the
 * network named, else the buffer's. */
static struct irc_server *
notify_server(struct core_buffer *buffer, const struct core_args *args)
{
    struct irc *irc = args->data;
    struct irc_server *s;

    if (args->argc > 3) {
        s = irc__server_find(irc, args->argv[3]);
        if (!s)
            core_command_error(buffer, "irc: server \"%s\" not found", args->argv[3]);
        return s;
    }
    s = irc__buffer_server(irc, buffer);
    if (!s)
        core_command_error(buffer, "irc: server must be specified because you are not on an irc "
                                   "server or channel");
    return s;
}

static void
notify_said(struct irc_server *s, const char *what, const char *nick)
{
    char color[IRC_LOOK_COLOR_MAX];

    irc__nick_color(s, nick, color);
    irc__server_print(s, "", NULL, "irc: notification %s for %s%s" IRC_LOOK_RESET, what, color,
                      nick);
}

static int
notify_add(struct core_buffer *buffer, const struct core_args *args, struct irc_server *s)
{
    bool replace = strcmp(args->argv[1], "addreplace") == 0, away = false, found = false;
    enum irc_casemapping map = s->isupport.casemapping;
    const char *nick = args->argv[2];
    struct notify_item *items;
    size_t n = notify_parse(s->cfg->notify, &items), limit = irc__monitor_limit(s);

    for (int i = 4; i < args->argc; i++)
        away = away || strcmp(args->argv[i], "-away") == 0;
    if (strpbrk(nick, ", ") || !nick[0]) {
        core_command_error(buffer, "irc: error adding notification");
        notify_items_free(items, n);
        return -EINVAL;
    }
    for (size_t i = 0; i < n; i++) {
        if (irc_casecmp(map, items[i].nick, nick) != 0)
            continue;
        if (!replace) {
            core_command_error(buffer, "irc: notify already exists");
            notify_items_free(items, n);
            return -EEXIST;
        }
        free(items[i].nick);
        memmove(items + i, items + i + 1, (n - i - 1) * sizeof(*items));
        n--;
        found = true;
        break;
    }
    if (limit && n >= limit) {
        irc__server_print(s, IRC_LOOK_PREFIX_ERROR, NULL, "Monitor list is full (%zu)", limit);
        notify_items_free(items, n);
        return -ENOSPC;
    }
    items = xrealloc(items, (n + 1) * sizeof(*items));
    items[n++] = (struct notify_item){ .nick = xstrdup(nick), .away = away };
    notify_set(s, items, n);
    notify_said(s, found ? "updated" : "added", nick);
    if (away)
        irc__notify_away_check(s, nick);
    notify_items_free(items, n);
    return 0;
}

static int
notify_del(struct core_buffer *buffer, const struct core_args *args, struct irc_server *s)
{
    struct notify_item *items;
    size_t n = notify_parse(s->cfg->notify, &items);
    const char *nick = args->argv[2];

    if (strcmp(nick, "-all") == 0) {
        if (n)
            notify_set(s, NULL, 0);
        core_command_info(buffer,
                          n ? "irc: all notifications deleted" : "irc: no notification in list");
        notify_items_free(items, n);
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        if (irc_casecmp(s->isupport.casemapping, items[i].nick, nick) != 0)
            continue;
        notify_said(s, "deleted", items[i].nick);
        free(items[i].nick);
        memmove(items + i, items + i + 1, (n - i - 1) * sizeof(*items));
        notify_set(s, items, n - 1);
        notify_items_free(items, n - 1);
        return 0;
    }
    notify_items_free(items, n);
    core_command_error(buffer, "irc: notification not found");
    return -ENOENT;
}

int
irc__cmd_notify(struct core_buffer *buffer, const struct core_args *args)
{
    struct irc *irc = args->data;
    struct irc_server *s;

    if (args->argc == 1) {
        notify_list(irc, irc__buffer_server(irc, buffer));
        return 0;
    }
    bool add = strcmp(args->argv[1], "add") == 0 || strcmp(args->argv[1], "addreplace") == 0;
    if (!add && strcmp(args->argv[1], "del") != 0) {
        core_command_error_usage(buffer, args);
        return -EINVAL;
    }
    if (args->argc < 3) {
        core_command_error_few_args(buffer, args, args->argv[1]);
        return -EINVAL;
    }
    if (!(s = notify_server(buffer, args)))
        return -ENOENT;
    return add ? notify_add(buffer, args, s) : notify_del(buffer, args, s);
}
