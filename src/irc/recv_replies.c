/* SPDX-License-Identifier: MIT */
/*
 * The server's answers to questions (/version, /ison, /list, /knock, /mode's snomask...) and
 * WALLOPS, each printed where WeeChat prints it with its words and tags (a /list's channels
 * go to its buffer: list.c). Any numeric not
 * here nor in recv_numeric.c is printed as it came (recv.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "channel.h"
#include "core/color.h"
#include "core/core.h"
#include "internal.h"
#include "look.h"
#include "look_replies.h"
#include "message.h"

/* The parameters from first on, joined; NULL when there are none. */
static char *
params_from(const struct irc_message *m, size_t first)
{
    return m->n_params > first ? irc_message_params_join(m, first) : NULL;
}

static bool
is_me(const struct irc_server *s, const char *nick)
{
    return s->nick && irc_casecmp(s->isupport.casemapping, nick, s->nick) == 0;
}

/* 008: "Server notice mask for N: +cC". */
static void
reply_008(struct irc_server *s, const struct irc_message *m)
{
    char color[IRC_LOOK_COLOR_MAX], *mask = params_from(m, 1);

    irc__nick_color(s, m->params[0], color);
    irc__num_print(s, NULL, m, irc_look_snomask(color, m->params[0], mask));
    free(mask);
}

/* 303 of an ISON the user sent: "Users online: a b". */
static void
reply_303(struct irc_server *s, const struct irc_message *m)
{
    char *nicks = params_from(m, 1);

    irc__num_print(s, NULL, m, irc_look_users_online(nicks));
    free(nicks);
}

/* 305, 306: the server's words about our away state; nothing when it has none. */
static void
reply_away(struct irc_server *s, const struct irc_message *m)
{
    char *text = params_from(m, 1);

    if (text)
        irc__num_print(s, NULL, m, core_color_from_irc(text));
    free(text);
}

/* 327: "[N] host ip (Real Name)"; fewer parameters: WHOIS's plain form. */
static void
reply_327(struct irc_server *s, const struct irc_message *m)
{
    char color[IRC_LOOK_COLOR_MAX], *real;

    if (m->n_params < 4) {
        irc__num_whois_text(s, m);
        return;
    }
    real = params_from(m, 4);
    irc__nick_color(s, m->params[1], color);
    irc__num_print(s, NULL, m,
                   irc_look_whois_host(color, m->params[1], m->params[2], m->params[3], real));
    free(real);
}

/* 344: a channel's reop mask (IRCnet), else a WHOIS line (UnrealIRCd's geo information). */
static void
reply_344(struct irc_server *s, const struct irc_message *m)
{
    char *host;

    if (!irc_isupport_is_channel(&s->isupport, m->params[1])) {
        irc__num_whois_text(s, m);
        return;
    }
    host = params_from(m, 2);
    irc__num_print(s, NULL, m, irc_look_reop(m->params[1], host));
    free(host);
}

/* 345, and KNOCK's 711 to 714: "#c: text". */
static void
reply_channel_says(struct irc_server *s, const struct irc_message *m)
{
    char *text = params_from(m, 2);

    irc__num_print(s, NULL, m, irc_look_channel_says(m->params[1], text));
    free(text);
}

/* 350 (WHOIS through a gateway): "[N] (hostmask, ip) text". */
static void
reply_350(struct irc_server *s, const struct irc_message *m)
{
    char color[IRC_LOOK_COLOR_MAX], *text;

    if (m->n_params < 5) {
        irc__num_whois_text(s, m);
        return;
    }
    text = params_from(m, 4);
    irc__nick_color(s, m->params[1], color);
    irc__num_print(s, NULL, m,
                   irc_look_whois_gateway(color, m->params[1],
                                          strcmp(m->params[2], "*") ? m->params[2] : NULL,
                                          strcmp(m->params[3], "*") ? m->params[3] : NULL, text));
    free(text);
}

/* 351: "version server (comments)". */
static void
reply_351(struct irc_server *s, const struct irc_message *m)
{
    char *comments = params_from(m, 3);

    irc__num_print(s, NULL, m, irc_look_version(m->params[1], m->params[2], comments));
    free(comments);
}

/* 438 (nick change refused, too fast): "text (me => new)". */
static void
reply_438(struct irc_server *s, const struct irc_message *m)
{
    char *text = params_from(m, 2);

    irc__num_print(s, NULL, m, irc_look_nick_refused(m->params[0], m->params[1], text));
    free(text);
}

/* 710 (KNOCK on a channel we are in): "N (address) has asked for an invite" in the channel,
 * tagged with the knocker's nick and host. */
static void
reply_710(struct irc_server *s, const struct irc_message *m)
{
    struct irc_channel *c = irc_channel_find(s, m->params[1]);
    const char *who = m->params[2], *bang = strchr(who, '!');
    char nick[256], color[IRC_LOOK_COLOR_MAX], extra[768], *message, *tags, *address_text;

    if (!c) {
        irc__num_print(s, NULL, m, irc_message_params_join(m, 1));
        return;
    }
    snprintf(nick, sizeof(nick), "%.*s", (int)(bang ? (size_t)(bang - who) : strlen(who)), who);
    snprintf(extra, sizeof(extra), "notify_message,nick_%s%s%s", nick, bang ? ",host_" : "",
             bang ? bang + 1 : "");
    irc__nick_color(s, nick, color);
    address_text = irc_look_nick_address(color, nick, bang ? bang + 1 : NULL);
    message = params_from(m, 3);
    tags = irc__tags(m, m->command, extra, NULL, NULL, 3);
    char *text = irc_look_knock(address_text, message);
    irc__print_line(c->buffer, m, IRC_LOOK_PREFIX_NETWORK, tags, text);
    free(text);
    free(tags);
    free(message);
    free(address_text);
}

/* 973 to 975 (a mode of ours set or refused, with a reason): "mode: text". */
static void
reply_mode_reason(struct irc_server *s, const struct irc_message *m)
{
    size_t at = is_me(s, m->params[0]) ? 1 : 0;
    char *text;

    if (m->n_params <= at)
        return;
    text = params_from(m, at + 1);
    irc__num_print(s, NULL, m, irc_look_mode_reason(m->params[at], text));
    free(text);
}

/* 321: the header of LIST's replies, "Channel Users Name". */
static void
reply_321(struct irc_server *s, const struct irc_message *m)
{
    if (irc__list_321(s, m))
        return;
    char *rest = params_from(m, 2);

    irc__num_print(s, NULL, m, irc_look_list_start(m->params[1], rest));
    free(rest);
}

/* 322: a channel of LIST's replies, "#c(42): topic". */
static void
reply_322(struct irc_server *s, const struct irc_message *m)
{
    if (irc__list_322(s, m))
        return;
    char *topic = params_from(m, 3);

    irc__num_print(s, NULL, m, irc_look_list_item(m->params[1], m->params[2], topic));
    free(topic);
}

/* 323: the end of LIST's replies, as any numeric (or the list buffer's end). */
static void
reply_323(struct irc_server *s, const struct irc_message *m)
{
    if (!irc__list_323(s, m))
        irc__num_print(s, NULL, m, core_color_from_irc(m->n_params > 1 ? m->params[1] : ""));
}

void
irc__recv_wallops(struct irc_server *s, const struct irc_message *m)
{
    char color[IRC_LOOK_COLOR_MAX], *text = irc_message_params_join(m, 0);
    char *address = irc__source_host(m), *who, *line;

    irc__nick_color(s, m->nick ? m->nick : "", color);
    who = irc_look_nick_address(color, m->nick, address);
    line = irc_look_wallops(who, text);
    irc__print_from(s->buffer, m, "wallops", "notify_private", 3, IRC_LOOK_PREFIX_NETWORK, line);
    free(line);
    free(who);
    free(address);
    free(text);
}

static const struct irc__handler reply_handlers[] = {
    { "008", reply_008, 2 },          { "303", reply_303, 2 },
    { "305", reply_away, 1 },         { "306", reply_away, 1 },
    { "321", reply_321, 2 },          { "322", reply_322, 3 },
    { "323", reply_323, 1 },          { "327", reply_327, 3 },
    { "344", reply_344, 3 },          { "345", reply_channel_says, 3 },
    { "350", reply_350, 2 },          { "351", reply_351, 3 },
    { "438", reply_438, 2 },          { "710", reply_710, 3 },
    { "711", reply_channel_says, 3 }, { "712", reply_channel_says, 3 },
    { "713", reply_channel_says, 3 }, { "714", reply_channel_says, 3 },
    { "973", reply_mode_reason, 1 },  { "974", reply_mode_reason, 1 },
    { "975", reply_mode_reason, 1 },
};

bool
irc__recv_reply(struct irc_server *s, const struct irc_message *m)
{
    return irc__dispatch(IRC__HANDLERS(reply_handlers), s, m);
}
