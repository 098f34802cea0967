/* SPDX-License-Identifier: MIT */
/*
 * WHO as WeeChat's irc plugin uses it: after joining a channel, with away-notify or
 * account-notify enabled, one WHO (WHOX "%cuhsnfdar" when the server has it) learns who is
 * away already, their hosts, accounts and real names, its replies not shown; WHO replies
 * (352, 354, 315) always update the channel's nicks, and are shown when the user asked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "channel.h"
#include "core/core.h"
#include "internal.h"
#include "look.h"
#include "look_presence.h"
#include "message.h"

void
irc__who_check(struct irc_channel *c)
{
    struct irc_server *s = c->server;
    struct list *pos;

    if (c->type != IRC_CHANNEL || !irc_channel_has_nicks(c))
        return;
    if (irc__cap_enabled(s, "away-notify") || irc__cap_enabled(s, "account-notify")) {
        const char *params[] = { c->name, "%cuhsnfdar" };
        bool whox = irc_isupport_get(&s->isupport, "WHOX") != NULL;
        if (irc__server_send(s, "WHO", params, whox ? 2 : 1) == 0)
            c->who_checks++;
        return;
    }
    /* Without those capabilities nothing keeps away states and accounts true: forgotten
     * (irc_channel_remove_account, irc_channel_remove_away). */
    list_for_each (pos, &c->nicks) {
        struct irc_nick *n = list_entry(pos, struct irc_nick, link);
        irc_channel_nick_set_text(&n->account, NULL);
        irc_channel_nick_set_away(c, n, false);
    }
}

static void
who_print(struct irc_server *s, const struct irc_message *m, char *text)
{
    char *tags = irc__tags(m, m->command, NULL, m->nick, NULL, 3);

    irc__print_line(s->buffer, m, IRC_LOOK_PREFIX_NETWORK, tags, text);
    free(tags);
    free(text);
}

static bool
who_hidden(const struct irc_channel *c)
{
    return c && c->who_checks > 0;
}

/* What a WHO reply tells of a nick of the channel: host, away (status H or G), real name. */
static struct irc_nick *
who_update(struct irc_channel *c, const struct irc_message *m, const char *realname)
{
    struct irc_nick *n = c ? irc_channel_nick_find(c, m->params[5]) : NULL;
    size_t len;
    char *host;

    if (!n)
        return NULL;
    len = strlen(m->params[2]) + strlen(m->params[3]) + 2;
    host = xmalloc(len);
    snprintf(host, len, "%s@%s", m->params[2], m->params[3]);
    irc_channel_nick_set_text(&n->host, host);
    free(host);
    if (m->n_params >= 7 && m->params[6][0] != '*')
        irc_channel_nick_set_away(c, n, m->params[6][0] == 'G');
    if (realname)
        irc_channel_nick_set_text(&n->realname, realname);
    return n;
}

/* 352: "me #c user host server nick status :hopcount real name". */
static void
who_352(struct irc_server *s, const struct irc_message *m)
{
    struct irc_channel *c = irc_channel_find(s, m->params[1]);
    char *hops = NULL, *real = NULL, color[IRC_LOOK_COLOR_MAX];

    if (m->n_params < 6)
        return;
    if (m->n_params >= 8) {
        const char *last = m->params[m->n_params - 1];
        size_t len = strcspn(last, " ");
        const char *rest = last + len + strspn(last + len, " ");
        hops = xstrndup(last, len);
        real = rest[0] ? xstrdup(rest) : NULL;
    }
    who_update(c, m, real);
    if (!who_hidden(c)) {
        irc_look_nick_color(color, m->params[5],
                            s->nick &&
                                !irc_casecmp(s->isupport.casemapping, s->nick, m->params[5]));
        who_print(s, m,
                  irc_look_who(m->params[1], color, m->params[5], m->params[2], m->params[3],
                               m->n_params >= 7 ? m->params[6] : NULL, hops, real));
    }
    free(hops);
    free(real);
}

/* 354 (WHOX "%cuhsnfdar"): "me #c user host server nick status hopcount account :real". */
static void
who_354(struct irc_server *s, const struct irc_message *m)
{
    struct irc_channel *c = irc_channel_find(s, m->params[1]);
    const char *real = m->n_params >= 10 ? m->params[9] : NULL;
    char color[IRC_LOOK_COLOR_MAX];
    struct irc_nick *n;

    /* Fields missing: which ones cannot be told, the reply is shown as it came. */
    if (m->n_params < 9) {
        if (!who_hidden(c)) {
            char *text = irc_message_params_join(m, 2);
            who_print(s, m, irc_look_who_end(m->params[1], text));
            free(text);
        }
        return;
    }
    n = who_update(c, m, NULL);
    if (n) {
        irc_channel_nick_set_text(&n->account,
                                  irc__cap_enabled(s, "account-notify") ? m->params[8] : NULL);
        irc_channel_nick_set_text(&n->realname, real);
    }
    if (who_hidden(c))
        return;
    irc_look_nick_color(color, m->params[5],
                        s->nick && !irc_casecmp(s->isupport.casemapping, s->nick, m->params[5]));
    who_print(s, m,
              irc_look_whox(m->params[1], color, m->params[5], m->params[8], m->params[2],
                            m->params[3], m->params[6], m->params[7], real ? real : ""));
}

/* 315: "[#c] End of /WHO list.", unless it ends one of our own WHOs. */
static void
who_315(struct irc_server *s, const struct irc_message *m)
{
    struct irc_channel *c = irc_channel_find(s, m->params[1]);
    char *text;

    if (who_hidden(c)) {
        c->who_checks--;
        return;
    }
    text = irc_message_params_join(m, 2);
    who_print(s, m, irc_look_who_end(m->params[1], text));
    free(text);
}

bool
irc__recv_who(struct irc_server *s, const struct irc_message *m)
{
    static const struct irc__handler handlers[] = {
        { "315", who_315, 3 },
        { "352", who_352, 3 },
        { "354", who_354, 2 },
    };

    return irc__dispatch(IRC__HANDLERS(handlers), s, m);
}
