/* SPDX-License-Identifier: MIT */
/* What a server sends: registration, capabilities, pings, and the messages shown in the
 * server buffer. One handler per command, in a table. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/xalloc.h"
#include "channel.h"
#include "core/color.h"
#include "core/core.h"
#include "internal.h"
#include "look.h"
#include "message.h"
#include "net/conn.h"

void
irc__register(struct irc_server *s)
{
    const char *cap[] = { "LS", "302" };
    const char *nick[] = { NULL };
    const char *user[] = { s->cfg->username, "0", "*", s->cfg->realname };
    char first[64];

    irc__server_first_nick(s, first, sizeof(first));
    s->nick_index = 0;
    s->nick_alternate = -1;
    irc__server_set_nick(s, first);
    nick[0] = first;
    irc__server_send(s, "CAP", cap, 2);
    if (s->cfg->password[0]) {
        const char *pass[] = { s->cfg->password };
        irc__server_send(s, "PASS", pass, 1);
    }
    irc__server_send(s, "NICK", nick, 1);
    irc__server_send(s, "USER", user, 4);
}

static void
recv_ping(struct irc_server *s, const struct irc_message *m)
{
    const char *params[] = { m->n_params ? m->params[0] : "" };

    irc__server_send(s, "PONG", params, m->n_params ? 1 : 0);
}

static void
recv_pong(struct irc_server *s, const struct irc_message *m)
{
    (void)m;
    irc__server_pong(s);
}

/* 001 and 005: their words after our nick, formatting decoded, in the server buffer. */
static void
recv_show_words(struct irc_server *s, const struct irc_message *m)
{
    char *joined = irc_message_params_join(m, 1);
    char *text = core_color_from_irc(joined);
    char *tags = irc__tags(m, m->command, NULL, m->nick, NULL, 3);

    irc__print(s->buffer, m, IRC_LOOK_PREFIX_NETWORK, tags, "%s", text);
    free(tags);
    free(text);
    free(joined);
}

static void
recv_welcome(struct irc_server *s, const struct irc_message *m)
{
    irc__server_registered(s, m->params[0]);
    recv_show_words(s, m);
    /* /connect -nojoin: this time no channel (the next connection rejoins them). */
    if (s->nojoin) {
        s->nojoin = false;
        return;
    }
    irc__rejoin(s);
    if (s->cfg->autojoin[0]) {
        const char *space = strchr(s->cfg->autojoin, ' ');
        char *chans = xstrndup(s->cfg->autojoin, space ? (size_t)(space - s->cfg->autojoin)
                                                       : strlen(s->cfg->autojoin));
        const char *params[] = { chans, space ? space + 1 : NULL };
        irc__server_send(s, "JOIN", params, space ? 2 : 1);
        free(chans);
    }
}

static void
recv_isupport(struct irc_server *s, const struct irc_message *m)
{
    irc_isupport_apply(&s->isupport, m);
    recv_show_words(s, m);
    /* MONITOR announced: the private buffers' partners (and our first nick) watched. */
    irc__monitor_sync(s);
}

static void recv_numeric(struct irc_server *s, const struct irc_message *m);

/* irc_server_get_alternate_nick: the next nick of the list; the list used up, the first nick
 * with "_" added while shorter than 9 characters, then its first 9 ending in a number up to
 * 99. False when none is left. */
static bool
nick_alternate(struct irc_server *s, char *out, size_t out_len)
{
    char nick[64], number[8];

    if (s->nick_alternate < 0) {
        if (irc__server_nick_of_list(s, s->nick_index + 1, out, out_len)) {
            s->nick_index++;
            return true;
        }
        s->nick_alternate = 0;
        irc__server_first_nick(s, nick, sizeof(nick));
    } else {
        snprintf(nick, sizeof(nick), "%s", s->nick ? s->nick : "");
    }
    if (strlen(nick) < 9) {
        snprintf(out, out_len, "%s_", nick);
        return true;
    }
    if (++s->nick_alternate > 99)
        return false;
    int n = snprintf(number, sizeof(number), "%d", s->nick_alternate);
    memcpy(nick + 9 - n, number, (size_t)n);
    nick[9] = '\0';
    snprintf(out, out_len, "%s", nick);
    return true;
}

/* 432 (erroneous), 433 (in use), 437 (unavailable): shown as errors once registered (432 and
 * 437 always); while registering, the next nick is tried and said, as WeeChat does, and the
 * link closes (to come back later) when none is left. */
static void
recv_nick_refused(struct irc_server *s, const struct irc_message *m)
{
    bool taken = strcmp(m->command, "433") == 0, unavailable = strcmp(m->command, "437") == 0;
    const char *tried = s->nick ? s->nick : "";
    char next[64];

    if ((!taken || s->state != IRC_REGISTERING) && !irc__recv_numeric(s, m))
        recv_numeric(s, m);
    if (s->state != IRC_REGISTERING)
        return;
    /* 437 is about a nick only when it names ours (a channel can be unavailable too). */
    if (unavailable &&
        (m->n_params < 2 || irc_casecmp(s->isupport.casemapping, tried, m->params[1]) != 0))
        return;
    if (!nick_alternate(s, next, sizeof(next))) {
        irc__server_print(s, IRC_LOOK_PREFIX_ERROR, NULL,
                          taken ? "irc: all declared nicknames are already in use, closing "
                                  "connection with server"
                                : "irc: all declared nicknames are already in use or invalid, "
                                  "closing connection with server");
        irc__server_disconnect(s, NULL, true);
        return;
    }
    irc__server_print(s, taken ? IRC_LOOK_PREFIX_NETWORK : IRC_LOOK_PREFIX_ERROR, NULL,
                      "irc: nickname \"%s\" is %s, trying nickname \"%s\"", tried,
                      taken         ? "already in use"
                      : unavailable ? "unavailable"
                                    : "invalid",
                      next);
    irc__server_set_nick(s, next);
    const char *params[] = { next };
    irc__server_send(s, "NICK", params, 1);
}

/* 303: the answer to ISON. Ours (nick regain, the notify list) is not shown: the first
 * nick, not listed, is free and taken back; the notify list's comings and goings are said. */
static void
recv_ison(struct irc_server *s, const struct irc_message *m)
{
    const char *online = m->n_params > 1 ? m->params[m->n_params - 1] : "";
    char first[128];
    bool taken = false;
    /* Ours when it answers our labeled ISON, or (unlabeled) while we wait for one. */
    bool labeled = irc_message_tag(m, "label") != NULL;
    bool ours = labeled ? irc__label_kind(s, m) == IRC_LABEL_REGAIN : s->ison_pending > 0;

    if (!ours) {
        if (!irc__recv_reply(s, m))
            recv_numeric(s, m);
        return;
    }
    if (!labeled)
        s->ison_pending--;
    irc__server_first_nick(s, first, sizeof(first));
    for (const char *p = online; *p;) {
        size_t len = strcspn(p, " ");
        char nick[128];
        snprintf(nick, sizeof(nick), "%.*s", (int)len, p);
        taken = taken || irc_casecmp(s->isupport.casemapping, nick, first) == 0;
        p += len;
        p += strspn(p, " ");
    }
    irc__notify_ison(s, online);
    if (!taken && irc__regain_wanted(s, first)) {
        const char *params[] = { first };
        irc__server_send(s, "NICK", params, 1);
    }
}

/* ERROR (the server closes the link: "Closing Link: ... (Killed ...)"): every parameter, with
 * the error prefix, as WeeChat. */
static void
recv_error(struct irc_server *s, const struct irc_message *m)
{
    char *text = irc_message_params_join(m, 0);

    irc__print_from(s->buffer, m, "error", NULL, 3, IRC_LOOK_PREFIX_ERROR, text);
    free(text);
}

/* Any other numeric, as WeeChat's generic one: its parameters after our nick (or "*"; before
 * the welcome, the nick we asked for). */
static void
recv_numeric(struct irc_server *s, const struct irc_message *m)
{
    bool to_us = m->n_params &&
                 (strcmp(m->params[0], "*") == 0 || (!s->nick && m->n_params > 1) ||
                  (s->nick && irc_casecmp(s->isupport.casemapping, m->params[0], s->nick) == 0));
    char *text = irc_message_params_join(m, to_us ? 1 : 0);

    irc__num_print(s, NULL, m, core_color_from_irc(text));
    free(text);
}

/* End of the welcome burst (end of MOTD, or no MOTD): private buffers catch up, the notify
 * list is asked about. */
static void
recv_motd_end(struct irc_server *s, const struct irc_message *m)
{
    if (!irc__recv_numeric(s, m))
        recv_numeric(s, m);
    irc__catchup_privates(s);
    /* Without MONITOR, the notify list is asked at once (then every regain interval). */
    irc__server_presence_now(s);
}

/*
 * IRCv3 standard replies, as WeeChat shows them: "Failure: COMMAND [context] description"
 * (WARN: "Warning:", NOTE: "Note:", with the network prefix). A failed CHATHISTORY gives up
 * the catch-ups awaited.
 */
static void
recv_standard_reply(struct irc_server *s, const struct irc_message *m)
{
    bool fail = !strcmp(m->command, "FAIL"), note = !strcmp(m->command, "NOTE");
    const char *command = strcmp(m->params[0], "*") != 0 ? m->params[0] : NULL;
    struct buf context;
    char lower[8], *tags;

    if (fail && command && !strcmp(command, "CHATHISTORY"))
        irc__catchup_release_all(s);
    buf_init(&context, IRC_READ_MAX);
    for (size_t i = 1; i + 1 < m->n_params; i++)
        buf_printf(&context, "%s%s", i > 1 ? " " : "", m->params[i]);
    for (size_t i = 0; i < sizeof(lower); i++) {
        lower[i] = (char)tolower((unsigned char)m->command[i]);
        if (!lower[i])
            break;
    }
    tags = irc__tags(m, lower, NULL, m->nick, NULL, 3);
    irc__print(s->buffer, m, note ? IRC_LOOK_PREFIX_NETWORK : IRC_LOOK_PREFIX_ERROR, tags,
               "%s %s%s" IRC_LOOK_DELIM "[" IRC_LOOK_RESET "%s" IRC_LOOK_DELIM "]" IRC_LOOK_RESET
               " %s",
               fail   ? "Failure:"
               : note ? "Note:"
                      : "Warning:",
               command ? command : "", command ? " " : "", context.data ? context.data : "",
               m->params[m->n_params - 1]);
    free(tags);
    buf_fini(&context);
}

/* TAGMSG: tags only (typing notifications, reactions): WeeChat shows no line for it. */
static void
recv_quiet(struct irc_server *s, const struct irc_message *m)
{
    (void)s;
    (void)m;
}

const struct irc__handler *
irc__handler_find(const struct irc__handler *table, size_t n, const char *command)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(table[i].command, command) == 0)
            return &table[i];
    }
    return NULL;
}

bool
irc__dispatch(const struct irc__handler *table, size_t n, struct irc_server *s,
              const struct irc_message *m)
{
    const struct irc__handler *h = irc__handler_find(table, n, m->command);

    if (!h || m->n_params < h->min_params)
        return false;
    h->run(s, m);
    return true;
}

static const struct irc__handler recv_handlers[] = {
    { "001", recv_welcome, 1 },
    { "005", recv_isupport, 1 },
    { "432", recv_nick_refused, 1 },
    { "433", recv_nick_refused, 1 },
    { "437", recv_nick_refused, 1 },
    { "CAP", irc__caps_recv, 2 },
    { "ERROR", recv_error, 1 },
    { "PING", recv_ping, 0 },
    { "PONG", recv_pong, 0 },
    { "303", recv_ison, 1 },
    /* Message-level capabilities; ACK: a labeled command had no reply (labeled.c). */
    { "BATCH", irc__batch_recv, 1 },
    { "TAGMSG", recv_quiet, 1 },
    { "FAIL", recv_standard_reply, 2 },
    { "WARN", recv_standard_reply, 2 },
    { "NOTE", recv_standard_reply, 2 },
    { "376", recv_motd_end, 1 },
    { "422", recv_motd_end, 1 },
    { "ACK", recv_quiet, 0 },
    { "WALLOPS", irc__recv_wallops, 1 },
};

void
irc__recv(struct irc_server *s, const struct irc_message *m, const char *raw)
{
    /* WeeChat drops what ignored nicks say; their joins, parts and the like still change
     * the channels, unseen (m->ignored). */
    if (m->ignored && (!strcmp(m->command, "PRIVMSG") || !strcmp(m->command, "NOTICE") ||
                       !strcmp(m->command, "INVITE")))
        return;
    if (irc__notify_away_recv(s, m) || irc__recv_chat(s, m) || irc__sasl_recv(s, m) ||
        irc__recv_presence(s, m))
        return;
    const struct irc__handler *h = irc__handler_find(IRC__HANDLERS(recv_handlers), m->command);
    if (h && m->n_params < h->min_params) {
        irc__server_print(s, IRC_LOOK_PREFIX_ERROR, "irc_unparsed,log3", "Malformed message: %s",
                          raw);
        return;
    }
    if (h) {
        h->run(s, m);
        return;
    }
    if (irc__recv_numeric(s, m))
        return;
    if (m->command[0] >= '0' && m->command[0] <= '9') {
        recv_numeric(s, m);
        return;
    }
    /* Not handled yet: shown as it came, never dropped. */
    irc__server_print(s, IRC_LOOK_PREFIX_NETWORK, "irc_unhandled,log3", "%s", raw);
}
