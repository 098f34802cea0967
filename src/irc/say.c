/* SPDX-License-Identifier: MIT */
/* Sending text: PRIVMSGs split at the server's byte limit on character boundaries, our
 * own messages, notices, actions and CTCP queries shown once where and as WeeChat shows
 * them (here, or from the echo with echo-message), and rejoining. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autojoin.h"
#include "base/xalloc.h"
#include "channel.h"
#include "core/core.h"
#include "internal.h"
#include "look.h"
#include "look_chat.h"
#include "message.h"
#include "prefix.h"

/* What the server adds when it relays our line: ":nick!user@host PRIVMSG target :" with
 * WeeChat's estimate of user (10) and host (63) lengths, and CR LF. */
static size_t
say_room(const struct irc_server *s, const char *target, bool action)
{
    size_t overhead = 1 + strlen(s->nick ? s->nick : "") + 1 + 10 + 1 + 63 + strlen(" PRIVMSG ") +
                      strlen(target) + 2 + 2 + (action ? strlen("\001ACTION \001") : 0);
    size_t limit = (size_t)s->isupport.linelen;

    return overhead + 64 < limit ? limit - overhead : 64;
}

/* Where what we send to target is shown (irc_input_user_message_display): the buffer of its
 * channel ("@#c": #c's, *status set) or private conversation when open, else the server
 * buffer; *c the conversation, *color the target's colour. */
static struct core_buffer *
say_buffer(struct irc_server *s, const char *target, struct irc_channel **c,
           char color[IRC_LOOK_COLOR_MAX], bool *status)
{
    const char *channel = irc_isupport_target_channel(&s->isupport, target, status);

    *c = irc_channel_find(s, channel ? channel : target);
    if (*c && !(*c)->buffer)
        *c = NULL;
    if (channel)
        snprintf(color, IRC_LOOK_COLOR_MAX, "%s", IRC_LOOK_CHANNEL);
    else
        irc__nick_color(s, target, color);
    return *c ? (*c)->buffer : s->buffer;
}

static void
say_show_line(struct irc_server *s, const struct irc_message *m, struct core_buffer *buffer,
              const char *command, const char *extra, const char *prefix, const char *text)
{
    char *host = m ? irc__source_host(m) : NULL;
    char *tags = irc__tags(m, command, extra, s->nick, host, 1);

    irc__print_line(buffer, m, prefix, tags, text);
    free(tags);
    free(host);
}

void
irc__show_sent(struct irc_server *s, const char *command, bool action, const char *target,
               const char *text)
{
    struct irc_channel *c;
    char color[IRC_LOOK_COLOR_MAX], extra[256];
    bool status;
    struct core_buffer *buffer = say_buffer(s, target, &c, color, &status);
    bool notice = strcmp(command, "notice") == 0;
    bool named = notice || buffer == s->buffer || status;
    const char *nick = s->nick ? s->nick : "";
    char *line;

    if (action) {
        line = named ? irc_look_action_to(color, target, IRC_COLOR_NICK_SELF, nick, text)
                     : irc_look_action(IRC_LOOK_RESET, IRC_COLOR_NICK_SELF, nick, text);
        say_show_line(s, NULL, buffer, command, "irc_action,self_msg,notify_none,no_highlight",
                      named ? IRC_LOOK_PREFIX_NETWORK : IRC_LOOK_PREFIX_ACTION, line);
    } else if (named) {
        line = irc_look_message_to(notice ? IRC_LOOK_HEAD_NOTICE_OURS : IRC_LOOK_HEAD_MSG,
                                   IRC_COLOR_NICK_SELF, nick, color, target, text);
        say_show_line(s, NULL, buffer, command, "self_msg,notify_none,no_highlight",
                      IRC_LOOK_PREFIX_NETWORK, line);
    } else {
        /* Our mode here, our nick in chat_nick_self. */
        struct irc_nick *n = c->type == IRC_CHANNEL ? irc_channel_nick_find(c, nick) : NULL;
        char *prefix = irc_prefix_nick(&s->isupport, n ? n->prefixes : NULL, nick, true);
        snprintf(extra, sizeof(extra), "self_msg,notify_none,no_highlight,prefix_nick_%s",
                 irc_prefix_tag_color(nick, true));
        line = irc_look_text(text);
        say_show_line(s, NULL, buffer, command, extra, prefix, line);
        free(prefix);
    }
    free(line);
}

void
irc__ctcp_sent(struct irc_server *s, const struct irc_message *m, const char *target,
               const char *type, const char *args)
{
    struct irc_channel *c;
    char color[IRC_LOOK_COLOR_MAX];
    bool status;
    struct core_buffer *buffer = say_buffer(s, target, &c, color, &status);
    char *line = irc_look_ctcp_query_to(color, target, type, args);

    say_show_line(s, m, buffer, "privmsg", "irc_ctcp,self_msg,notify_none,no_highlight",
                  IRC_LOOK_PREFIX_NETWORK, line);
    free(line);
}

void
irc__say(struct irc_server *s, const char *target, const char *text, bool action)
{
    size_t room = say_room(s, target, action);

    /* Each line of the text is its own message, each cut where the server would. */
    for (const char *line = text; *line;) {
        size_t len = strcspn(line, "\r\n");
        size_t pos = 0;
        while (pos < len) {
            size_t next, n = irc_split_text(line + pos, len - pos, room, &next);
            char *piece = xstrndup(line + pos, n);
            char *payload = piece;
            if (action) {
                size_t plen = n + 10;
                payload = xmalloc(plen);
                snprintf(payload, plen, "\001ACTION %s\001", piece);
            }
            const char *params[] = { target, payload };
            /* With echo-message the server's copy is shown, once, with its time and tags. */
            if (n && irc__server_send_labeled(s, IRC_LABEL_USER, "PRIVMSG", params, 2) >= 0 &&
                !irc__cap_enabled(s, "echo-message"))
                irc__show_sent(s, "privmsg", action, target, piece);
            if (payload != piece)
                free(payload);
            free(piece);
            pos += next ? next : len - pos;
        }
        line += len;
        while (*line == '\r' || *line == '\n')
            line++;
    }
}

void
irc__channel_say(struct irc_channel *c, const char *text)
{
    struct irc_server *s = c->server;

    if (s->state != IRC_CONNECTED) {
        irc__print(c->buffer, NULL, IRC_LOOK_PREFIX_ERROR, NULL,
                   "irc: you are not connected to server");
        return;
    }
    if (c->type == IRC_CHANNEL && !c->joined) {
        irc__print(c->buffer, NULL, IRC_LOOK_PREFIX_ERROR, NULL,
                   "irc: cannot send message to channel %s: not joined", c->name);
        return;
    }
    irc__say(s, c->name, text, false);
}

void
irc__rejoin(struct irc_server *s)
{
    struct list *pos;

    list_for_each (pos, &s->channels) {
        struct irc_channel *c = list_entry(pos, struct irc_channel, link);
        /* autojoin's channels go with it, in the welcome's JOIN. */
        if (c->type != IRC_CHANNEL || !c->rejoin ||
            irc_autojoin_has(s->cfg->autojoin, c->name, s->isupport.casemapping))
            continue;
        const char *params[] = { c->name, c->key };
        irc__server_send(s, "JOIN", params, c->key && c->key[0] ? 2 : 1);
    }
}
