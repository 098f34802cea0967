/* SPDX-License-Identifier: MIT */
/* PRIVMSG and NOTICE: messages, actions, notices and CTCP, each shown where and as WeeChat's
 * irc plugin shows them (irc-protocol.c, irc-ctcp.c) with default options, the text's IRC
 * formatting as WeeChat codes; CTCP queries answered at a bounded rate. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/timefmt.h"
#include "channel.h"
#include "core/core.h"
#include "ctcp.h"
#include "flood.h"
#include "internal.h"
#include "look.h"
#include "look_chat.h"
#include "message.h"
#include "prefix.h"

/* irc.look.notice_nicks_disable_notify: their notices never make a private notification. */
static bool
msg_notice_notifies(const char *nick)
{
    return nick && strcasecmp(nick, "chanserv") != 0 && strcasecmp(nick, "nickserv") != 0;
}

/* Prints line (freed) in b, tagged as a line about m. */
static void
msg_print(struct core_buffer *b, const struct irc_message *m, const char *command,
          const char *extra, const char *prefix, char *line)
{
    irc__print_from(b, m, command, extra, 1, prefix, line);
    free(line);
}

/* ---- CTCP ---- */

/* perch's answer to a CTCP query (the type in any case, as WeeChat looks it up), into
 * out; false for a type it does not answer. */
static bool
msg_ctcp_answer(const struct irc_server *s, const char *cmd, const char *args, char *out,
                size_t len)
{
    if (strcasecmp(cmd, "VERSION") == 0) {
        snprintf(out, len, "perch %s", s->irc->core->version);
    } else if (strcasecmp(cmd, "PING") == 0) {
        snprintf(out, len, "%s", args);
    } else if (strcasecmp(cmd, "CLIENTINFO") == 0) {
        snprintf(out, len, "ACTION CLIENTINFO PING TIME VERSION");
    } else if (strcasecmp(cmd, "TIME") == 0) {
        time_t now = (time_t)timefmt_now_s();
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(out, len, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    } else {
        return false;
    }
    return true;
}

/* What we answered, as WeeChat shows it when no echo-message will: "CTCP reply to N: TYPE
 * answer" in the server buffer, dated now, tagged as our own message. */
static void
msg_ctcp_answer_shown(struct irc_server *s, const struct irc_message *m, const char *type,
                      const char *answer)
{
    char color[IRC_LOOK_COLOR_MAX];
    char *tags, *line;

    if (irc__cap_enabled(s, "echo-message"))
        return;
    irc__nick_color(s, m->nick, color);
    tags = irc__tags(m, "privmsg", "irc_ctcp,irc_ctcp_reply,self_msg,notify_none,no_highlight",
                     s->nick, NULL, 1);
    line = irc_look_ctcp_reply_to(color, m->nick, type, answer);
    irc__print_line(s->buffer, NULL, IRC_LOOK_PREFIX_NETWORK, tags, line);
    free(line);
    free(tags);
}

/* A CTCP query other than ACTION: said in the channel it came to (else the server buffer),
 * and answered, bounded by the flood control; one perch does not answer is "Unknown". */
static void
msg_ctcp_query(struct irc_server *s, const struct irc_message *m, struct irc_channel *c,
               const char *cmd, const char *args)
{
    char answer[400], reply[512], text[600], color[IRC_LOOK_COLOR_MAX], type[64];
    bool known = msg_ctcp_answer(s, cmd, args, answer, sizeof(answer));
    struct core_buffer *b = c && c->buffer ? c->buffer : s->buffer;
    char *line;

    if (strcasecmp(cmd, "DCC") == 0) {
        snprintf(text, sizeof(text), "DCC from %s refused: perch does not take DCC (%s)",
                 m->nick ? m->nick : "?", args);
        irc__print_from(s->buffer, m, "privmsg", "irc_ctcp,irc_dcc", 1, IRC_LOOK_PREFIX_NETWORK,
                        text);
        return;
    }
    irc__nick_color(s, m->nick, color);
    line = known ? irc_look_ctcp_requested(color, m->nick ? m->nick : "?", cmd, args)
                 : irc_look_ctcp_unknown(color, m->nick ? m->nick : "?", cmd, args);
    msg_print(b, m, "privmsg", "irc_ctcp", IRC_LOOK_PREFIX_NETWORK, line);
    if (!known || !m->nick)
        return;
    /* Answers at a bounded rate: a flood of queries never fills our send queue. */
    if (!irc_flood_take(&s->ctcp_flood, uv_now(s->irc->loop)))
        return;
    snprintf(type, sizeof(type), "%s", cmd);
    for (char *t = type; *t; t++)
        *t = (char)toupper((unsigned char)*t);
    snprintf(reply, sizeof(reply), "\001%s %s\001", type, answer);
    const char *params[] = { m->nick, reply };
    irc__server_send(s, "NOTICE", params, 2);
    msg_ctcp_answer_shown(s, m, type, answer);
}

/* The answer to a CTCP query: "CTCP reply from N: TYPE args" in the server buffer; the
 * answer to our PING "sec usec" (commands_chat.c) as the delay it took. */
static void
msg_ctcp_reply(struct irc_server *s, const struct irc_message *m, const char *cmd, const char *args)
{
    char color[IRC_LOOK_COLOR_MAX];
    long long sec, usec;
    char *line;

    irc__nick_color(s, m->nick, color);
    if (strcmp(cmd, "PING") == 0 && sscanf(args, "%lld %lld", &sec, &usec) == 2) {
        int64_t now_us = timefmt_now_us();
        /* In doubles: the numbers are the peer's, any size (no signed overflow). */
        double delay = ((double)(now_us / 1000000) - (double)sec) +
                       ((double)(now_us % 1000000) - (double)usec) / 1e6;
        line = irc_look_ctcp_ping_from(color, m->nick, cmd, delay);
    } else {
        line = irc_look_ctcp_reply_from(color, m->nick, cmd, args[0] ? args : NULL);
    }
    msg_print(s->buffer, m, "notice", "irc_ctcp", IRC_LOOK_PREFIX_NETWORK, line);
}

/* Our CTCP reply, from the echo: "CTCP reply to N: TYPE args" in the server buffer. */
static void
msg_ctcp_reply_sent(struct irc_server *s, const struct irc_message *m, const char *target,
                    const char *cmd, const char *args)
{
    char color[IRC_LOOK_COLOR_MAX];

    irc__nick_color(s, target, color);
    msg_print(s->buffer, m, "notice", "irc_ctcp,irc_ctcp_reply,self_msg,notify_none,no_highlight",
              IRC_LOOK_PREFIX_NETWORK, irc_look_ctcp_reply_to(color, target, cmd, args));
}

/* ---- PRIVMSG ---- */

/* The conversation a PRIVMSG belongs to: the channel (NULL when not open: dropped, as WeeChat
 * does), or the private buffer of the other nick, opened (our echo's is the target's). */
static struct irc_channel *
msg_conversation(struct irc_server *s, const struct irc_message *m, const char *channel, bool echo)
{
    const char *target = m->params[0];
    struct irc_channel *c;

    if (channel) {
        c = irc_channel_find(s, channel);
        return c && c->buffer ? c : NULL;
    }
    c = irc_channel_open(s, echo ? target : m->nick ? m->nick : target, IRC_PRIVATE);
    /* The title is the other's address: not ours from an echo (unless we talk to ourselves). */
    if (c->buffer && m->user && (!echo || irc__is_me(s, target))) {
        char *host = irc__source_host(m);
        core_buffer_set_title(c->buffer, host);
        free(host);
    }
    return c;
}

/* The tags of a message or action by what it is to us: ours, in a channel, or private. */
static const char *
msg_notify(const struct irc_server *s, const struct irc_message *m, const struct irc_channel *c)
{
    if (irc__is_me(s, m->nick))
        return "self_msg,notify_none,no_highlight";
    return c->type == IRC_CHANNEL ? "notify_message" : "notify_private";
}

/* ACTION: "nick text" with the action prefix, or "Action -> @#c: nick text" for a channel's
 * ops. */
static void
msg_action(struct irc_server *s, const struct irc_message *m, struct irc_channel *c, bool status,
           const char *text)
{
    const char *nick = m->nick ? m->nick : "";
    char extra[128], color[IRC_LOOK_COLOR_MAX];
    char *line;

    snprintf(extra, sizeof(extra), "irc_action,%s", msg_notify(s, m, c));
    irc__nick_color(s, m->nick, color);
    if (status)
        line = irc_look_action_to(IRC_LOOK_CHANNEL, m->params[0], color, nick, text);
    else
        line = irc_look_action(c->type == IRC_CHANNEL ? IRC_LOOK_RESET : "", color, nick, text);
    msg_print(c->buffer, m, "privmsg", extra,
              status ? IRC_LOOK_PREFIX_NETWORK : IRC_LOOK_PREFIX_ACTION, line);
}

/* A message: "nick<TAB>text", or "Msg(nick) -> @#c: text" for a channel's ops. */
static void
msg_text(struct irc_server *s, const struct irc_message *m, struct irc_channel *c, bool status,
         const char *text)
{
    bool self = irc__is_me(s, m->nick);
    const char *nick = m->nick ? m->nick : m->params[0];
    const char *notify = msg_notify(s, m, c);
    char extra[128], color[IRC_LOOK_COLOR_MAX];

    if (status) {
        irc__nick_color(s, m->nick, color);
        msg_print(c->buffer, m, "privmsg", notify, IRC_LOOK_PREFIX_NETWORK,
                  irc_look_message_to(IRC_LOOK_HEAD_MSG, color, nick, IRC_LOOK_CHANNEL,
                                      m->params[0], text));
        return;
    }
    /* The prefix_nick_ tag names the colour the prefix shows (irc_color_for_tags). */
    snprintf(extra, sizeof(extra), "%s,prefix_nick_%s", notify, irc_prefix_tag_color(nick, self));
    struct irc_nick *n = c->type == IRC_CHANNEL ? irc_channel_nick_find(c, nick) : NULL;
    char *prefix = irc_prefix_nick(&s->isupport, n ? n->prefixes : NULL, nick, self);
    msg_print(c->buffer, m, "privmsg", extra, prefix, irc_look_text(text));
    free(prefix);
}

void
irc__recv_privmsg(struct irc_server *s, const struct irc_message *m)
{
    const char *text = m->params[1];
    bool status, self = irc__is_me(s, m->nick);
    const char *channel = irc_isupport_target_channel(&s->isupport, m->params[0], &status);
    /* echo-message: our own message to someone else, as the server relayed it. */
    bool echo = self && !channel && irc__cap_enabled(s, "echo-message");
    char *cmd = NULL, *args = NULL;
    bool ctcp = irc_ctcp_parse(text, &cmd, &args);
    struct irc_channel *c;

    if (ctcp && strcmp(cmd, "ACTION") != 0) {
        if (!(self && channel) && !echo)
            msg_ctcp_query(s, m, channel ? irc_channel_find(s, channel) : NULL, cmd, args);
        else
            irc__ctcp_sent(s, m, m->params[0], cmd, args);
        goto out;
    }
    c = msg_conversation(s, m, channel, echo);
    if (!c)
        goto out;
    if (channel && m->nick) {
        int64_t now = timefmt_now_s();
        irc_channel_speaking(c, m->nick, now);
        irc_channel_join_filtered_unmask(c, m->nick, now);
    }
    if (ctcp)
        msg_action(s, m, c, status, args[0] ? args : NULL);
    else
        msg_text(s, m, c, status, text);
out:
    free(cmd);
    free(args);
}

/* ---- NOTICE ---- */

/* irc.look.notice_welcome_redirect: "[#c] welcome" to us, from a service when we join, goes
 * to #c's buffer (when open); *text then points past the bracket. */
static struct irc_channel *
msg_welcome_channel(struct irc_server *s, const char *target, const char **text)
{
    const char *open = "[({<", *close = "])}>", *kind, *end;
    char name[256];

    if (!irc__is_me(s, target) || !(*text)[0] || !(kind = strchr(open, (*text)[0])))
        return NULL;
    end = strchr(*text + 1, close[kind - open]);
    if (!end || end == *text + 1 || (size_t)(end - *text) > sizeof(name))
        return NULL;
    snprintf(name, sizeof(name), "%.*s", (int)(end - *text - 1), *text + 1);
    struct irc_channel *c = irc_channel_find(s, name);
    if (!c || c->type != IRC_CHANNEL || !c->buffer)
        return NULL;
    for (*text = end + 1; **text == ' '; (*text)++)
        ;
    return c;
}

/* A notice to a channel (or its ops): "Notice(N) -> #c: text" in the channel's buffer, or
 * in the server buffer when it is not open; a welcome redirected: "PvNotice(N): text". */
static void
msg_notice_channel(struct irc_server *s, const struct irc_message *m, struct irc_channel *c,
                   bool welcome, const char *text)
{
    bool self = irc__is_me(s, m->nick);
    char color[IRC_LOOK_COLOR_MAX];

    if (c && m->nick)
        irc_channel_join_filtered_unmask(c, m->nick, timefmt_now_s());
    irc__nick_color(s, m->nick, color);
    char *line =
        irc_look_message_to(welcome ? IRC_LOOK_HEAD_NOTICE_PV : IRC_LOOK_HEAD_NOTICE, color,
                            m->nick && m->nick[0] ? m->nick : "?",
                            welcome ? NULL : IRC_LOOK_CHANNEL, welcome ? NULL : m->params[0], text);
    msg_print(c && c->buffer ? c->buffer : s->buffer, m, "notice",
              self      ? "self_msg,notify_none,no_highlight"
              : welcome ? ""
                        : "notify_message",
              IRC_LOOK_PREFIX_NETWORK, line);
}

/* A notice to us: in the private buffer of its sender when open, else the server buffer;
 * ours (from another client of ours, or echoed) as "Notice -> N: text". */
static void
msg_notice_user(struct irc_server *s, const struct irc_message *m, const char *text)
{
    const char *target = m->params[0];
    bool self = irc__is_me(s, m->nick);
    /* Only once connected: the notices of registration notify nothing. */
    bool notify = s->state == IRC_CONNECTED && msg_notice_notifies(m->nick);
    struct irc_channel *c = m->nick ? irc_channel_find(s, m->nick) : NULL;
    char color[IRC_LOOK_COLOR_MAX];
    char *line;

    if (c && c->type == IRC_PRIVATE && c->buffer) {
        irc__nick_color(s, m->nick, color);
        msg_print(c->buffer, m, "notice", "notify_private", IRC_LOOK_PREFIX_NETWORK,
                  irc_look_notice_private(color, m->nick, text));
        return;
    }
    if (self) {
        irc__nick_color(s, target, color);
        line = irc_look_notice_to(color, target, text);
    } else {
        char *host = irc__source_host(m);
        irc__nick_color(s, m->nick, color);
        line = irc_look_notice_from(color, m->nick, host, text);
        free(host);
    }
    msg_print(s->buffer, m, "notice", notify ? "notify_private" : "", IRC_LOOK_PREFIX_NETWORK,
              line);
}

void
irc__recv_notice(struct irc_server *s, const struct irc_message *m)
{
    const char *target = m->params[0], *text = m->params[1];
    bool status;
    const char *channel = irc_isupport_target_channel(&s->isupport, target, &status);
    char *cmd = NULL, *args = NULL;

    if (m->nick && irc_ctcp_parse(text, &cmd, &args)) {
        /* Our reply echoed (unless we asked ourselves), or someone's answer. */
        if (irc__is_me(s, m->nick) && !irc__is_me(s, target) && irc__cap_enabled(s, "echo-message"))
            msg_ctcp_reply_sent(s, m, target, cmd, args);
        else
            msg_ctcp_reply(s, m, cmd, args);
    } else if (channel) {
        msg_notice_channel(s, m, irc_channel_find(s, channel), false, text);
    } else {
        struct irc_channel *welcome = msg_welcome_channel(s, target, &text);
        if (welcome)
            msg_notice_channel(s, m, welcome, true, text);
        else
            msg_notice_user(s, m, text);
    }
    free(cmd);
    free(args);
}
