/* SPDX-License-Identifier: MIT */
/* Sending text: PRIVMSGs split at the server's byte limit on character boundaries, our
 * own lines shown once as WeeChat shows them (here, or from the echo with echo-message),
 * and rejoining. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autojoin.h"
#include "base/xalloc.h"
#include "channel.h"
#include "core/core.h"
#include "internal.h"
#include "look.h"
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

static void
say_show(struct irc_server *s, struct core_buffer *buffer, const char *target, const char *text,
         bool action)
{
    char extra[256], line[4096];
    char *tags;

    if (!buffer) {
        snprintf(line, sizeof(line), "%s -> %s: %s%s%s", action ? "Action" : "Msg(me)", target,
                 action ? s->nick : "", action ? " " : "", text);
        tags = irc__tags(NULL, "privmsg", "self_msg,notify_none,no_highlight", s->nick, NULL, 1);
        irc__print(s->buffer, NULL, IRC_LOOK_PREFIX_NETWORK, tags, "%s", line);
        free(tags);
        return;
    }
    if (action) {
        snprintf(line, sizeof(line), "%s %s", s->nick, text);
        tags = irc__tags(NULL, "privmsg", "irc_action,self_msg,notify_none,no_highlight", s->nick,
                         NULL, 1);
        irc__print(buffer, NULL, IRC_LOOK_PREFIX_ACTION, tags, "%s", line);
    } else {
        /* irc_input_user_message_display: our mode here, our nick in chat_nick_self. */
        struct irc_channel *c = irc_channel_find(s, target);
        struct irc_nick *n = c && c->type == IRC_CHANNEL ? irc_channel_nick_find(c, s->nick) : NULL;
        char *prefix = irc_prefix_nick(&s->isupport, n ? n->prefixes : NULL, s->nick, true);
        snprintf(extra, sizeof(extra), "self_msg,notify_none,no_highlight,prefix_nick_%s",
                 irc_prefix_tag_color(s->nick, true));
        tags = irc__tags(NULL, "privmsg", extra, s->nick, NULL, 1);
        irc__print(buffer, NULL, prefix, tags, "%s", text);
        free(prefix);
    }
    free(tags);
}

void
irc__say(struct irc_server *s, const char *target, const char *text, bool action,
         struct core_buffer *buffer)
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
                say_show(s, buffer, target, piece, action);
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
    irc__say(s, c->name, text, false, c->buffer);
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
