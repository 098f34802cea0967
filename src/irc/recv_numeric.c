/* SPDX-License-Identifier: MIT */
/* Numerics with a form of their own in WeeChat's irc plugin: user and channel modes (221,
 * 324), channel dates (329, 333), WHOIS and WHOWAS replies, away (301), mode lists (367,
 * 346, 348, 728 and their ends) and errors, each
 * printed where WeeChat prints it with its words and tags. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/xalloc.h"
#include "chanmodes.h"
#include "channel.h"
#include "core/color.h"
#include "core/core.h"
#include "internal.h"
#include "look.h"
#include "message.h"

#define PREFIX_NETWORK IRC_LOOK_PREFIX_NETWORK

/* A date as weechat.look.time_format ("%a, %d %b %Y %T", local time) shows it; out of range
 * values give "". */
static void
num_date(const char *text, char *out, size_t len)
{
    char *end;
    long long v = strtoll(text ? text : "", &end, 10);
    time_t when = (time_t)v;
    struct tm tm;

    out[0] = '\0';
    if (!localtime_r(&when, &tm) || !strftime(out, len, "%a, %d %b %Y %H:%M:%S", &tm))
        out[0] = '\0';
}

static void
num_print(struct irc_server *s, struct core_buffer *b, const struct irc_message *m,
          const char *text)
{
    irc__print_from(b ? b : s->buffer, m, m->command, NULL, 3, PREFIX_NETWORK, text);
}

/* "nick!user@host" (or a nick alone) split: the nick into nick[256] and its colour into
 * color; returns the address, or NULL. */
static const char *
num_source(const struct irc_server *s, const char *who, char nick[256],
           char color[IRC_LOOK_COLOR_MAX])
{
    size_t nick_len = strcspn(who, "!");

    snprintf(nick, 256, "%.*s", (int)nick_len, who);
    irc__nick_color(s, nick, color);
    return who[nick_len] ? who + nick_len + 1 : NULL;
}

void
irc__num_print(struct irc_server *s, struct core_buffer *b, const struct irc_message *m, char *text)
{
    num_print(s, b, m, text);
    free(text);
}

/* 221: "User mode for me is [+Zi]"; our modes are reset to these. */
static void
num_221(struct irc_server *s, const struct irc_message *m)
{
    char *modes = irc_message_params_join(m, 1), line[1024];

    char color[IRC_LOOK_COLOR_MAX];

    irc__nick_color(s, m->params[0], color);
    snprintf(line, sizeof(line),
             "User mode for %s%s" IRC_LOOK_RESET " is " IRC_LOOK_DELIM "[" IRC_LOOK_RESET
             "%s" IRC_LOOK_DELIM "]",
             color, m->params[0], modes);
    num_print(s, NULL, m, line);
    if (irc__is_me(s, m->params[0]))
        irc__server_set_usermodes(s, modes, true);
    free(modes);
}

/* 324: the channel's modes, kept; shown only once seen for the channel before (WeeChat's
 * irc.look.display_join_message lacks 324: the answer to the MODE sent on join is silent). */
static void
num_324(struct irc_server *s, const struct irc_message *m)
{
    struct irc_channel *c = irc_channel_find(s, m->params[1]);
    char *modes = m->n_params > 2 ? irc_message_params_join(m, 2) : NULL, line[1024];

    if (c && c->type == IRC_CHANNEL) {
        char *kept =
            irc_chanmodes_apply(&s->isupport, modes, modes, (const char *const *)m->params + 3,
                                m->n_params > 3 ? m->n_params - 3 : 0);
        irc_channel_set_modes(c, kept);
        free(kept);
    }
    if (!c || c->got_324) {
        snprintf(line, sizeof(line),
                 "Mode " IRC_LOOK_CHANNEL "%s " IRC_LOOK_DELIM "[" IRC_LOOK_RESET
                 "%s" IRC_LOOK_DELIM "]",
                 m->params[1], modes ? modes : "");
        num_print(s, c ? c->buffer : NULL, m, line);
    }
    if (c)
        c->got_324 = true;
    free(modes);
}

/* 329: "Channel created on <date>" (in the server buffer: "Channel #c created on"). */
static void
num_329(struct irc_server *s, const struct irc_message *m)
{
    struct irc_channel *c = irc_channel_find(s, m->params[1]);
    char date[128], line[1024];

    num_date(m->params[2], date, sizeof(date));
    if (c)
        snprintf(line, sizeof(line), "Channel created on %s", date);
    else
        snprintf(line, sizeof(line),
                 "Channel " IRC_LOOK_CHANNEL "%s" IRC_LOOK_RESET " created on %s", m->params[1],
                 date);
    num_print(s, c ? c->buffer : NULL, m, line);
}

/* 333: "Topic set by N (user@host) on <date>", or "Topic for #c set by ..." when the channel
 * is not joined. */
static void
num_333(struct irc_server *s, const struct irc_message *m)
{
    struct irc_channel *c = irc_channel_find(s, m->params[1]);
    const char *who = m->n_params > 3 ? m->params[2] : NULL;
    char date[128], nick[256], color[IRC_LOOK_COLOR_MAX] = "";
    bool here = c && irc_channel_has_nicks(c);
    const char *address = NULL;

    num_date(m->n_params > 3 ? m->params[3] : m->params[2], date, sizeof(date));
    if (who) {
        address = num_source(s, who, nick, color);
    } else if (strtoll(m->params[2], NULL, 10) == 0) {
        return;
    }
    irc__num_print(
        s, here ? c->buffer : NULL, m,
        irc_look_topic_set_by(here ? NULL : m->params[1], color, who ? nick : NULL, address, date));
}

void
irc__num_whois_text(struct irc_server *s, const struct irc_message *m)
{
    bool extra = m->n_params >= 4 && strcmp(m->params[2], "*") != 0;
    char *text, color[IRC_LOOK_COLOR_MAX];

    if (m->n_params < 3) {
        text = irc_message_params_join(m, 1);
        irc__num_print(s, NULL, m, text);
        return;
    }
    text = irc_message_params_join(m, m->n_params >= 4 ? 3 : 2);
    irc__nick_color(s, m->params[1], color);
    irc__num_print(s, NULL, m,
                   irc_look_whois_text(color, m->params[1], text, extra ? m->params[2] : NULL));
    free(text);
}

/* 311: "[N] (user@host): Real Name"; 314 (WHOWAS): "[N] (user@host) was Real Name". */
static void
num_311(struct irc_server *s, const struct irc_message *m)
{
    char *real, color[IRC_LOOK_COLOR_MAX];

    if (m->n_params < 6) {
        irc__num_whois_text(s, m);
        return;
    }
    real = irc_message_params_join(m, 5);
    irc__nick_color(s, m->params[1], color);
    irc__num_print(s, NULL, m,
                   irc_look_whois_user(color, m->params[1], m->params[2], m->params[3], real,
                                       strcmp(m->command, "314") == 0));
    free(real);
}

/* 312: "[N] server (info)". */
static void
num_312(struct irc_server *s, const struct irc_message *m)
{
    char *info, *decoded, line[4096], color[IRC_LOOK_COLOR_MAX];

    if (m->n_params < 4) {
        irc__num_whois_text(s, m);
        return;
    }
    info = irc_message_params_join(m, 3);
    decoded = core_color_from_irc(info);
    irc__nick_color(s, m->params[1], color);
    snprintf(line, sizeof(line),
             IRC_LOOK_DELIM "[%s%s" IRC_LOOK_DELIM "] " IRC_LOOK_RESET "%s " IRC_LOOK_DELIM
                            "(" IRC_LOOK_RESET "%s" IRC_LOOK_DELIM ")",
             color, m->params[1], m->params[2], decoded);
    num_print(s, NULL, m, line);
    free(decoded);
    free(info);
}

static const char *
num_plural(long n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

/* 317: "[N] idle: 00 hours 05 minutes 12 seconds, signon at: <date>", numbers and the date in
 * chat_channel. */
static void
num_317(struct irc_server *s, const struct irc_message *m)
{
    long idle = strtol(m->params[2], NULL, 10);
    char date[128], days[128] = "", line[2048], color[IRC_LOOK_COLOR_MAX];

    if (idle < 0 || idle > INT_MAX)
        idle = 0;
    long day = idle / 86400, hour = idle % 86400 / 3600, min = idle % 3600 / 60, sec = idle % 60;
    if (day > 0)
        snprintf(days, sizeof(days), IRC_LOOK_CHANNEL "%ld " IRC_LOOK_RESET "%s, ", day,
                 num_plural(day, "day", "days"));
    num_date(m->params[3], date, sizeof(date));
    irc__nick_color(s, m->params[1], color);
    snprintf(line, sizeof(line),
             IRC_LOOK_DELIM "[%s%s" IRC_LOOK_DELIM "]" IRC_LOOK_RESET " idle: %s" IRC_LOOK_CHANNEL
                            "%02ld " IRC_LOOK_RESET "%s " IRC_LOOK_CHANNEL "%02ld " IRC_LOOK_RESET
                            "%s " IRC_LOOK_CHANNEL "%02ld " IRC_LOOK_RESET
                            "%s, signon at: " IRC_LOOK_CHANNEL "%s",
             color, m->params[1], days, hour, num_plural(hour, "hour", "hours"), min,
             num_plural(min, "minute", "minutes"), sec, num_plural(sec, "second", "seconds"), date);
    num_print(s, NULL, m, line);
}

/* 330/343: "[N] is logged in as account" (the account in its nick colour); 338: "[N] actually
 * using host 1.2.3.4" (the host in chat_host). */
static void
num_330(struct irc_server *s, const struct irc_message *m)
{
    bool is_338 = strcmp(m->command, "338") == 0;
    char *text, *decoded, *arg, line[4096], color[IRC_LOOK_COLOR_MAX], color2[IRC_LOOK_COLOR_MAX];

    irc__nick_color(s, m->params[1], color);
    if (m->n_params < 4) {
        text = irc_message_params_join(m, 2);
        irc__num_print(s, NULL, m, irc_look_whois_text(color, m->params[1], text, NULL));
        free(text);
        return;
    }
    text = irc_message_params_join(m, 3);
    decoded = core_color_from_irc(text);
    arg = core_color_from_irc(m->params[2]);
    irc__nick_color(s, m->params[2], color2);
    snprintf(line, sizeof(line), IRC_LOOK_DELIM "[%s%s" IRC_LOOK_DELIM "]%s%s %s%s", color,
             m->params[1], is_338 ? IRC_LOOK_RESET " " : " " IRC_LOOK_RESET, decoded,
             is_338 ? IRC_LOOK_HOST : color2, is_338 ? arg : m->params[2]);
    num_print(s, NULL, m, line);
    free(arg);
    free(decoded);
    free(text);
}

/* 301: "[N] is away: msg", in N's private buffer when one is open. */
static void
num_301(struct irc_server *s, const struct irc_message *m)
{
    struct irc_channel *c = irc_channel_find(s, m->params[1]);
    char *away, color[IRC_LOOK_COLOR_MAX];

    if (m->n_params < 3)
        return;
    away = irc_message_params_join(m, 2);
    irc__nick_color(s, m->params[1], color);
    irc__num_print(s, c ? c->buffer : NULL, m, irc_look_away(color, m->params[1], away));
    free(away);
}

/* generic_error: "target: text", in the channel's buffer or the nick's private buffer when
 * open (432, 433 and 437 always in the server buffer); a channel target in chat_channel, a
 * nick in its colour. */
static void
num_error(struct irc_server *s, const struct irc_message *m)
{
    size_t arg = irc__is_me(s, m->params[0]) ? 1 : 0;
    bool server_only =
        !strcmp(m->command, "432") || !strcmp(m->command, "433") || !strcmp(m->command, "437");
    const char *target = NULL;
    struct irc_channel *c = NULL;
    char *text, color[IRC_LOOK_COLOR_MAX] = "";

    if (arg + 1 < m->n_params && strcmp(m->params[arg], "*") != 0) {
        target = m->params[arg++];
        if (!server_only && irc_isupport_is_channel(&s->isupport, target))
            snprintf(color, sizeof(color), "%s", IRC_LOOK_CHANNEL);
        else
            irc__nick_color(s, target, color);
        if (!server_only)
            c = irc_channel_find(s, target);
        /* A nick never takes a channel's buffer, nor a channel a private one. */
        if (c && (c->type == IRC_CHANNEL) != irc_isupport_is_channel(&s->isupport, target))
            c = NULL;
    }
    /* A "*" target (no nick yet) stays in the text, as WeeChat shows it. */
    text = irc_message_params_join(m, arg);
    irc__num_print(s, c ? c->buffer : NULL, m, irc_look_error(color, target, text));
    free(text);
}

/* 328: "URL for #c: url", only for a channel that is open. */
static void
num_328(struct irc_server *s, const struct irc_message *m)
{
    struct irc_channel *c = irc_channel_find(s, m->params[1]);
    char *url;

    if (!c || c->type != IRC_CHANNEL)
        return;
    url = irc_message_params_join(m, 2);
    irc__num_print(s, c->buffer, m, irc_look_url(m->params[1], url));
    free(url);
}

/* 331: "No topic set for channel #c", in the channel when open. */
static void
num_331(struct irc_server *s, const struct irc_message *m)
{
    struct irc_channel *c = irc_channel_find(s, m->params[1]);

    irc__num_print(s, c ? c->buffer : NULL, m, irc_look_no_topic(m->params[1]));
}

/* 470: the error line, then the buffer opened for the channel before the JOIN (none in
 * perch: a channel buffer opens on our JOIN) would take the new name. */
static void
num_470(struct irc_server *s, const struct irc_message *m)
{
    num_error(s, m);
}

/* 341: "me nick #c", our invitation went out: "me has invited nick to #c". */
static void
num_341(struct irc_server *s, const struct irc_message *m)
{
    char me[IRC_LOOK_COLOR_MAX], them[IRC_LOOK_COLOR_MAX], line[1024], extra[300];

    irc__nick_color(s, m->params[0], me);
    irc__nick_color(s, m->params[1], them);
    snprintf(line, sizeof(line),
             "%s%s" IRC_LOOK_RESET " has invited %s%s" IRC_LOOK_RESET " to " IRC_LOOK_CHANNEL
             "%s" IRC_LOOK_RESET,
             me, m->params[0], them, m->params[1], m->params[2]);
    snprintf(extra, sizeof(extra), "nick_%s", m->params[0]);
    irc__print_from(s->buffer, m, m->command, extra, 3, PREFIX_NETWORK, line);
}

/* The mode lists: the replies of each, the mode they list and the verb of their lines. */
struct num_list {
    const char *item;
    const char *end;
    char mode;
    const char *verb; /* NULL: the exception form */
};

static const struct num_list num_lists[] = {
    { "367", "368", 'b', "banned" },
    { "346", "347", 'I', "invited" },
    { "348", "349", 'e', NULL },
    { "728", "729", 'q', "quieted" },
};

static const struct num_list *
num_list_find(const char *command)
{
    for (size_t i = 0; i < sizeof(num_lists) / sizeof(num_lists[0]); i++) {
        if (!strcmp(num_lists[i].item, command) || !strcmp(num_lists[i].end, command))
            return &num_lists[i];
    }
    return NULL;
}

/* 728 and 729 name the mode ("me #c q ..."): what follows is one parameter later. */
static size_t
num_list_first(const struct irc_message *m)
{
    return m->command[0] == '7' ? 3 : 2;
}

/* 367, 346, 348, 728: "me #c [q] mask [setter [time]]", kept in the channel's list and
 * printed in the channel (once names came) with the mask's number. */
static void
num_list_item(struct irc_server *s, const struct irc_message *m)
{
    const struct num_list *k = num_list_find(m->command);
    size_t at = num_list_first(m);
    char mode = at == 3 ? m->params[2][0] : k->mode;
    struct irc_channel *c = irc_channel_find(s, m->params[1]);
    struct irc_modelist *l = c ? irc_channel_modelist(c, mode) : NULL;
    const char *setter = m->n_params > at + 1 ? m->params[at + 1] : NULL;
    bool dated = m->n_params > at + 2;
    char date[128] = "", nick[256] = "", color[IRC_LOOK_COLOR_MAX] = "";
    const char *address = NULL;
    int number;

    if (m->n_params <= at)
        return;
    number = l ? irc_modelist_received(l, m->params[at], setter,
                                       dated ? strtoll(m->params[at + 2], NULL, 10) : 0)
               : 0;
    if (setter)
        address = num_source(s, setter, nick, color);
    if (dated)
        num_date(m->params[at + 2], date, sizeof(date));
    irc__num_print(s, c && irc_channel_has_nicks(c) ? c->buffer : NULL, m,
                   irc_look_modelist_item(m->params[1], number, m->params[at], k->verb, color,
                                          setter ? nick : NULL, address, dated ? date : NULL));
}

/* 368, 347, 349, 729: "[#c] End of Channel Ban List"; a list without replies is empty. */
static void
num_list_end(struct irc_server *s, const struct irc_message *m)
{
    const struct num_list *k = num_list_find(m->command);
    size_t at = num_list_first(m);
    struct irc_channel *c = irc_channel_find(s, m->params[1]);
    struct irc_modelist *l =
        c ? irc_channel_modelist(c, at == 3 && m->n_params > 2 ? m->params[2][0] : k->mode) : NULL;
    char *text = irc_message_params_join(m, at);

    if (l)
        irc_modelist_end(l);
    irc__num_print(s, c && irc_channel_has_nicks(c) ? c->buffer : NULL, m,
                   irc_look_who_end(m->params[1], text));
    free(text);
}

static const struct irc__handler num_handlers[] = {
    { "221", num_221, 2 },
    { "223", irc__num_whois_text, 2 },
    { "264", irc__num_whois_text, 2 },
    { "275", irc__num_whois_text, 2 },
    { "276", irc__num_whois_text, 2 },
    { "301", num_301, 2 },
    { "307", irc__num_whois_text, 2 },
    { "310", irc__num_whois_text, 2 },
    { "311", num_311, 3 },
    { "312", num_312, 3 },
    { "313", irc__num_whois_text, 2 },
    { "314", num_311, 3 },
    { "317", num_317, 4 },
    { "318", irc__num_whois_text, 2 },
    { "319", irc__num_whois_text, 2 },
    { "320", irc__num_whois_text, 2 },
    { "324", num_324, 2 },
    { "326", irc__num_whois_text, 2 },
    { "329", num_329, 3 },
    { "330", num_330, 3 },
    { "333", num_333, 3 },
    { "335", irc__num_whois_text, 2 },
    { "337", irc__num_whois_text, 2 },
    { "338", num_330, 3 },
    { "343", num_330, 3 },
    { "369", irc__num_whois_text, 2 },
    { "378", irc__num_whois_text, 2 },
    { "379", irc__num_whois_text, 2 },
    { "569", irc__num_whois_text, 2 },
    { "671", irc__num_whois_text, 2 },
    { "328", num_328, 3 },
    { "331", num_331, 2 },
    { "470", num_470, 2 },
    { "341", num_341, 3 },
    { "346", num_list_item, 3 },
    { "347", num_list_end, 2 },
    { "348", num_list_item, 3 },
    { "349", num_list_end, 2 },
    { "367", num_list_item, 3 },
    { "368", num_list_end, 2 },
    { "728", num_list_item, 4 },
    { "729", num_list_end, 3 },
};

/* WeeChat's generic_error numerics. */
static bool
num_is_error(const char *command)
{
    static const char *const errors[] = {
        "401", "402", "403", "404", "405", "406", "407", "409", "410", "411", "412", "413", "414",
        "415", "421", "422", "423", "424", "431", "432", "433", "436", "437", "441", "442", "443",
        "444", "445", "446", "451", "461", "462", "463", "464", "465", "467", "471", "472", "473",
        "474", "475", "476", "477", "481", "482", "483", "484", "485", "487", "491", "501", "502",
        "524", "704", "705", "706", "716", "717", "742", "936", NULL,
    };

    for (const char *const *e = errors; *e; e++) {
        if (strcmp(*e, command) == 0)
            return true;
    }
    return false;
}

bool
irc__recv_numeric(struct irc_server *s, const struct irc_message *m)
{
    const struct irc__handler *h = irc__handler_find(IRC__HANDLERS(num_handlers), m->command);
    if (h)
        return irc__dispatch(h, 1, s, m);
    if (irc__recv_reply(s, m))
        return true;
    if (num_is_error(m->command) && m->n_params >= 2) {
        num_error(s, m);
        return true;
    }
    return false;
}
