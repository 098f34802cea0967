/* SPDX-License-Identifier: MIT */
/*
 * /notify's "-away", as WeeChat's irc-notify.c does it: the nicks so marked are asked with a
 * WHOIS when they are added, after the welcome, and every [irc] notify_whois_interval
 * (WeeChat's irc.network.notify_check_whois); the replies are not shown, and the 301 among
 * them, or its absence by the 318, says in the server buffer "notify: bob is now away:
 * "msg"", "notify: bob is back" or "notify: bob is still away: "msg"" (a new message).
 * A user's own /whois, labeled when the server allows, is shown as usual.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "internal.h"
#include "look.h"
#include "message.h"

/* The watch of nick, or -1. */
static long
away_index(const struct irc_server *s, const char *nick)
{
    for (size_t i = 0; i < s->n_away_watch; i++) {
        if (irc_casecmp(s->isupport.casemapping, s->away_watch[i].nick, nick) == 0)
            return (long)i;
    }
    return -1;
}

static struct irc_away_watch *
away_find(struct irc_server *s, const char *nick)
{
    long i = away_index(s, nick);

    return i < 0 ? NULL : &s->away_watch[i];
}

const char *
irc__notify_away_message(const struct irc_server *s, const char *nick)
{
    long i = away_index(s, nick);

    return i < 0 ? NULL : s->away_watch[i].message;
}

static void
away_watch_free(struct irc_away_watch *w)
{
    free(w->nick);
    free(w->message);
    free(w->seen);
}

void
irc__notify_away_free(struct irc_server *s)
{
    for (size_t i = 0; i < s->n_away_watch; i++)
        away_watch_free(&s->away_watch[i]);
    free(s->away_watch);
    s->away_watch = NULL;
    s->n_away_watch = 0;
}

void
irc__notify_away_link_lost(struct irc_server *s)
{
    for (size_t i = 0; i < s->n_away_watch; i++) {
        s->away_watch[i].asked = false;
        free(s->away_watch[i].seen);
        s->away_watch[i].seen = NULL;
    }
}

void
irc__notify_away_sync(struct irc_server *s)
{
    char **nicks;
    size_t n = irc__notify_away_nicks(s, &nicks), kept = 0;

    for (size_t i = 0; i < s->n_away_watch; i++) {
        bool listed = false;
        for (size_t j = 0; j < n && !listed; j++)
            listed = irc_casecmp(s->isupport.casemapping, nicks[j], s->away_watch[i].nick) == 0;
        if (listed)
            s->away_watch[kept++] = s->away_watch[i];
        else
            away_watch_free(&s->away_watch[i]);
    }
    s->n_away_watch = kept;
    for (size_t j = 0; j < n; j++) {
        if (away_find(s, nicks[j]))
            continue;
        s->away_watch = xrealloc(s->away_watch, (s->n_away_watch + 1) * sizeof(*s->away_watch));
        s->away_watch[s->n_away_watch++] = (struct irc_away_watch){ .nick = xstrdup(nicks[j]) };
    }
    irc__notify_nicks_free(nicks, n);
}

void
irc__notify_away_restore(struct irc_server *s, const char *nick, const char *message, bool asked,
                         const char *seen)
{
    struct irc_away_watch *w = away_find(s, nick);

    if (!w)
        return;
    free(w->message);
    w->message = message ? xstrdup(message) : NULL;
    w->asked = asked;
    free(w->seen);
    w->seen = asked && seen ? xstrdup(seen) : NULL;
}

/* One question at a time per nick: a short interval, or a slow server, never piles WHOISes
 * up in the send queue. */
static void
away_ask(struct irc_server *s, struct irc_away_watch *w)
{
    const char *params[] = { w->nick };

    if (!w->asked && irc__server_send(s, "WHOIS", params, 1) == 0) {
        w->asked = true;
        free(w->seen);
        w->seen = NULL;
    }
}

void
irc__notify_away_check(struct irc_server *s, const char *nick)
{
    struct irc_away_watch *w;

    irc__notify_away_sync(s);
    if (s->state != IRC_CONNECTED)
        return;
    if (nick) {
        if ((w = away_find(s, nick)))
            away_ask(s, w);
        return;
    }
    for (size_t i = 0; i < s->n_away_watch; i++)
        away_ask(s, &s->away_watch[i]);
}

uint64_t
irc__notify_away_tick(struct irc_server *s, uint64_t now)
{
    uint64_t every = s->irc->timing.notify_whois_ms;

    if (!every || s->state != IRC_CONNECTED)
        return UINT64_MAX;
    if (now >= s->away_next_ms) {
        irc__notify_away_check(s, NULL);
        s->away_next_ms = now + every;
    }
    return s->away_next_ms;
}

/* A change of away state, said as WeeChat says it (irc_notify_set_away_message). */
static void
away_set(struct irc_server *s, struct irc_away_watch *w, const char *message)
{
    char color[IRC_LOOK_COLOR_MAX], tags[512];
    const char *type;

    if ((!w->message && !message) || (w->message && message && !strcmp(w->message, message)))
        return;
    type = !w->message ? "away" : !message ? "back" : "still_away";
    snprintf(tags, sizeof(tags), "irc_notify,irc_notify_%s,nick_%s,log3,notify_message", type,
             w->nick);
    irc__nick_color(s, w->nick, color);
    if (message)
        irc__server_print(s, IRC_LOOK_PREFIX_NETWORK, tags,
                          "notify: %s%s" IRC_LOOK_RESET " is %s away: \"%s\"", color, w->nick,
                          w->message ? "still" : "now", message);
    else
        irc__server_print(s, IRC_LOOK_PREFIX_NETWORK, tags,
                          "notify: %s%s" IRC_LOOK_RESET " is back", color, w->nick);
    free(w->message);
    w->message = message ? xstrdup(message) : NULL;
}

/* The numerics of a WHOIS reply (those recv_numeric.c shows as such), its end and its
 * "no such nick". */
static bool
away_whois_numeric(const char *c)
{
    static const char *const whois[] = { "223", "264", "275", "276", "301", "307", "310",
                                         "311", "312", "313", "317", "318", "319", "320",
                                         "326", "330", "335", "337", "338", "343", "378",
                                         "379", "401", "569", "671", NULL };

    for (const char *const *w = whois; *w; w++) {
        if (strcmp(c, *w) == 0)
            return true;
    }
    return false;
}

bool
irc__notify_away_recv(struct irc_server *s, const struct irc_message *m)
{
    const char *c = m->command;
    struct irc_away_watch *w;

    /* A WHOIS numeric about a nick we asked, not part of a reply to a labeled command. */
    if (!s->n_away_watch || m->n_params < 2 || !away_whois_numeric(c) ||
        irc_message_tag(m, "label") || m->batch_type || !(w = away_find(s, m->params[1])) ||
        !w->asked)
        return false;
    if (!strcmp(c, "301")) {
        free(w->seen);
        w->seen = xstrdup(m->n_params > 2 ? m->params[m->n_params - 1] : "");
    } else if (!strcmp(c, "318")) {
        w->asked = false;
        away_set(s, w, w->seen);
        free(w->seen);
        w->seen = NULL;
    } else if (!strcmp(c, "401")) {
        /* Not there: its away state is left as it was. */
        w->asked = false;
    }
    return true;
}
