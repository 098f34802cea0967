/* SPDX-License-Identifier: MIT */
/* Talking: /join, /part, /msg, /query, /me, /nick, /topic, /notice, /ctcp, /whois, /invite,
 * /names, /cycle, /away, /mode, in a buffer's network. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/timefmt.h"
#include "base/xalloc.h"
#include "channel.h"
#include "core/command.h"
#include "core/core.h"
#include "core/hotlist.h"
#include "internal.h"
#include "look.h"
#include "look_chat.h"
#include "message.h"

/* A command's result from irc__server_send_labeled: sent (labeled or not) is 0. */
static int
chat_sent(int rc)
{
    return rc < 0 ? rc : 0;
}

/* The network of a command: "-server NAME" first, else the buffer's. *first is the
 * index of the first argument after those. */
static struct irc_server *
chat_server(struct core_buffer *buffer, const struct core_args *args, int *first)
{
    struct irc *irc = args->data;

    *first = 1;
    if (args->argc > 2 && strcmp(args->argv[1], "-server") == 0) {
        *first = 3;
        return irc__server_find(irc, args->argv[2]);
    }
    return irc__buffer_server(irc, buffer);
}

struct irc_server *
irc__cmd_connected_server(struct core_buffer *buffer, const struct core_args *args, int *first)
{
    struct irc_server *s = chat_server(buffer, args, first);

    if (!s) {
        core_command_error(buffer,
                           "irc: command \"%s\" must be executed on irc buffer "
                           "(server, channel or private) or with -server",
                           args->argv[0]);
        return NULL;
    }
    if (s->state != IRC_CONNECTED) {
        core_command_error(buffer,
                           "irc: command \"%s\" must be executed on connected irc "
                           "server",
                           args->argv[0]);
        return NULL;
    }
    return s;
}

struct irc_channel *
irc__cmd_buffer_channel(struct irc_server *s, struct core_buffer *buffer)
{
    const char *name = core_buffer_localvar(buffer, "channel");
    const char *type = core_buffer_localvar(buffer, "type");

    if (!name || !type || strcmp(type, "server") == 0)
        return NULL;
    return irc_channel_find(s, name);
}

const char *
irc__cmd_target_channel(struct irc_server *s, struct core_buffer *buffer,
                        const struct core_args *args, int first, int *next, const char *what)
{
    struct irc_channel *c;

    *next = first;
    if (args->argc > first && irc_isupport_is_channel(&s->isupport, args->argv[first])) {
        *next = first + 1;
        return args->argv[first];
    }
    c = irc__cmd_buffer_channel(s, buffer);
    if (!c || c->type != IRC_CHANNEL) {
        core_command_error(buffer, "irc: \"%s\" command can only be executed in a channel buffer",
                           what);
        return NULL;
    }
    return c->name;
}

/* WeeChat's -noswitch (/join and /query without switching to the buffer) among the leading
 * options: perch has no current buffer, so it is read and left out. argv and eol have room
 * for args->argc entries. */
static struct core_args
chat_without_noswitch(const struct core_args *args, char **argv, const char **eol)
{
    struct core_args out = { .argc = 0, .argv = argv, .eol = eol, .data = args->data };
    bool options = true;

    for (int i = 0; i < args->argc; i++) {
        if (i > 0 && options && strcmp(args->argv[i], "-noswitch") == 0)
            continue;
        if (i > 0 && options && strcmp(args->argv[i], "-server") != 0 &&
            (i < 2 || strcmp(args->argv[i - 1], "-server") != 0))
            options = false;
        argv[out.argc] = args->argv[i];
        eol[out.argc++] = args->eol[i];
    }
    return out;
}

/* "/join [-noswitch] [-server S] [#a,#b [keys]]": alone in a channel's buffer, that
 * channel (with its key), as after a part. */
static int
chat_join(struct core_buffer *buffer, const struct core_args *args)
{
    int first;
    struct irc_server *s = irc__cmd_connected_server(buffer, args, &first);
    struct irc_channel *c;

    if (!s)
        return -ENOTCONN;
    if (args->argc > first) {
        const char *params[] = { args->argv[first],
                                 args->argc > first + 1 ? args->argv[first + 1] : NULL };
        return irc__server_send(s, "JOIN", params, params[1] ? 2 : 1);
    }
    c = irc__cmd_buffer_channel(s, buffer);
    if (!c || c->type != IRC_CHANNEL) {
        core_command_error_usage(buffer, args);
        return -EINVAL;
    }
    const char *params[] = { c->name, c->key };
    return irc__server_send(s, "JOIN", params, c->key ? 2 : 1);
}

int
irc__cmd_join(struct core_buffer *buffer, const struct core_args *args)
{
    char **argv = xcalloc((size_t)args->argc, sizeof(*argv));
    const char **eol = xcalloc((size_t)args->argc, sizeof(*eol));
    struct core_args plain = chat_without_noswitch(args, argv, eol);
    int rc = chat_join(buffer, &plain);

    free(argv);
    free(eol);
    return rc;
}

int
irc__cmd_part(struct core_buffer *buffer, const struct core_args *args)
{
    int first, next;
    struct irc_server *s = irc__cmd_connected_server(buffer, args, &first);
    const char *channel = s ? irc__cmd_target_channel(s, buffer, args, first, &next, "part") : NULL;
    const char *reason;

    if (!channel)
        return -EINVAL;
    reason = args->argc > next ? args->eol[next] : NULL;
    const char *params[] = { channel, reason };
    return irc__server_send(s, "PART", params, reason ? 2 : 1);
}

/* The conversation "*" stands for in a target list: the buffer's channel or private
 * conversation; NULL (WeeChat's error said, naming what) when the buffer is neither. */
static struct irc_channel *
chat_star_target(struct irc_server *s, struct core_buffer *buffer, const char *what)
{
    struct irc_channel *c = irc__cmd_buffer_channel(s, buffer);

    if (!c)
        irc__server_print(s, IRC_LOOK_PREFIX_ERROR, NULL,
                          "irc: \"%s\" command can only be executed in a channel or private "
                          "buffer",
                          what);
    return c;
}

/* "/msg target[,target...] text" and "/query nick[,nick...] [text]", a message to each
 * target as WeeChat sends them ("*": the buffer's channel or conversation); /query opens a
 * private buffer for each nick. */
static int
chat_msg(struct core_buffer *buffer, const struct core_args *args, bool query)
{
    int first;
    struct irc_server *s = irc__cmd_connected_server(buffer, args, &first);
    const char *text;
    char *targets, *save = NULL;

    if (!s)
        return -ENOTCONN;
    if (args->argc <= first + (query ? 0 : 1)) {
        core_command_error_few_args(buffer, args, "");
        return -EINVAL;
    }
    text = args->argc > first + 1 ? args->eol[first + 1] : NULL;
    targets = xstrdup(args->argv[first]);
    for (char *t = strtok_r(targets, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        const char *target = t;
        struct irc_channel *c;
        if (!query && strcmp(t, "*") == 0) {
            if (!(c = chat_star_target(s, buffer, "msg *")))
                continue;
            target = c->name;
        }
        if (query && irc_isupport_is_channel(&s->isupport, target)) {
            irc__server_print(s, IRC_LOOK_PREFIX_ERROR, NULL,
                              "irc: \"%s\" command can not be executed with a channel name "
                              "(\"%s\")",
                              "query", target);
            continue;
        }
        if (query)
            irc_channel_open(s, target, IRC_PRIVATE);
        if (text)
            irc__say(s, target, text, false);
    }
    free(targets);
    return 0;
}

int
irc__cmd_msg(struct core_buffer *buffer, const struct core_args *args)
{
    return chat_msg(buffer, args, false);
}

int
irc__cmd_query(struct core_buffer *buffer, const struct core_args *args)
{
    char **argv = xcalloc((size_t)args->argc, sizeof(*argv));
    const char **eol = xcalloc((size_t)args->argc, sizeof(*eol));
    struct core_args plain = chat_without_noswitch(args, argv, eol);
    int rc = chat_msg(buffer, &plain, true);

    free(argv);
    free(eol);
    return rc;
}

int
irc__cmd_me(struct core_buffer *buffer, const struct core_args *args)
{
    int first;
    struct irc_server *s = irc__cmd_connected_server(buffer, args, &first);
    struct irc_channel *c = s ? irc__cmd_buffer_channel(s, buffer) : NULL;

    if (!s)
        return -ENOTCONN;
    if (!c) {
        core_command_error(buffer,
                           "irc: \"%s\" command can only be executed in a channel or "
                           "private buffer",
                           "me");
        return -EINVAL;
    }
    irc__say(s, c->name, args->argc > first ? args->eol[first] : "", true);
    return 0;
}

/* "/action [-server S] target[,target...] text": a CTCP ACTION to each target, shown in its
 * buffer ("*": the buffer's channel or private conversation). */
int
irc__cmd_action(struct core_buffer *buffer, const struct core_args *args)
{
    int first;
    struct irc_server *s = irc__cmd_connected_server(buffer, args, &first);
    char *targets, *save = NULL;

    if (!s)
        return -ENOTCONN;
    if (args->argc <= first + 1) {
        core_command_error_few_args(buffer, args, "");
        return -EINVAL;
    }
    targets = xstrdup(args->argv[first]);
    for (char *t = strtok_r(targets, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        struct irc_channel *c = NULL;
        if (strcmp(t, "*") == 0 && !(c = chat_star_target(s, buffer, "action *")))
            continue;
        irc__say(s, c ? c->name : t, args->eol[first + 1], true);
    }
    free(targets);
    return 0;
}

static int
chat_nick(struct irc_server *s, const char *nick)
{
    const char *params[] = { nick };

    /* The user chose: nick regain stops until the next connection. */
    s->regain_off = true;
    return irc__server_send(s, "NICK", params, 1);
}

int
irc__cmd_nick(struct core_buffer *buffer, const struct core_args *args)
{
    int first;
    struct irc_server *s = irc__cmd_connected_server(buffer, args, &first);

    if (!s)
        return -ENOTCONN;
    if (args->argc <= first) {
        core_command_error_few_args(buffer, args, "");
        return -EINVAL;
    }
    if (args->argc > first + 1) {
        /* "/nick -all nick": on every connected network. */
        if (strcmp(args->argv[first], "-all") != 0) {
            core_command_error_usage(buffer, args);
            return -EINVAL;
        }
        struct list *pos;
        list_for_each (pos, &s->irc->servers) {
            struct irc_server *each = list_entry(pos, struct irc_server, link);
            if (each->state == IRC_CONNECTED && !each->removing)
                chat_nick(each, args->argv[first + 1]);
        }
        return 0;
    }
    return chat_nick(s, args->argv[first]);
}

int
irc__cmd_topic(struct core_buffer *buffer, const struct core_args *args)
{
    int first, next;
    struct irc_server *s = irc__cmd_connected_server(buffer, args, &first);
    const char *channel =
        s ? irc__cmd_target_channel(s, buffer, args, first, &next, "topic") : NULL;
    const char *topic;

    if (!channel)
        return -EINVAL;
    topic = args->argc > next ? args->eol[next] : NULL;
    if (topic && strcmp(topic, "-delete") == 0)
        topic = "";
    const char *params[] = { channel, topic };
    return chat_sent(irc__server_send_labeled(s, IRC_LABEL_USER, "TOPIC", params, topic ? 2 : 1));
}

int
irc__cmd_notice(struct core_buffer *buffer, const struct core_args *args)
{
    int first;
    struct irc_server *s = irc__cmd_connected_server(buffer, args, &first);

    if (!s)
        return -ENOTCONN;
    if (args->argc <= first + 1) {
        core_command_error_few_args(buffer, args, "");
        return -EINVAL;
    }
    const char *params[] = { args->argv[first], args->eol[first + 1] };
    if (irc__server_send_labeled(s, IRC_LABEL_USER, "NOTICE", params, 2) < 0)
        return -EINVAL;
    /* With echo-message the server's copy is shown (recv_msg.c). */
    if (!irc__cap_enabled(s, "echo-message"))
        irc__show_sent(s, "notice", false, args->argv[first], args->eol[first + 1]);
    return 0;
}

/* "/wallchops [channel] text": a notice to the channel's operators, as one "NOTICE @#c"
 * when the server takes it (WALLCHOPS, or '@' in STATUSMSG), else to each of them. */
int
irc__cmd_wallchops(struct core_buffer *buffer, const struct core_args *args)
{
    struct irc_server *s =
        irc__cmd_ready(buffer, "wallchops", irc__buffer_server(args->data, buffer));
    struct irc_channel *c;
    const char *name, *text, *status;
    char line[4096];
    int next = 1;

    if (!s)
        return -ENOTCONN;
    if (args->argc < 2) {
        core_command_error_few_args(buffer, args, "");
        return -EINVAL;
    }
    if (irc_isupport_is_channel(&s->isupport, args->argv[1])) {
        name = args->argv[1];
        next = 2;
    } else if ((c = irc__cmd_buffer_channel(s, buffer)) && c->type == IRC_CHANNEL) {
        name = c->name;
    } else {
        irc__server_print(s, IRC_LOOK_PREFIX_ERROR, NULL,
                          "irc: \"%s\" command can only be executed in a channel buffer",
                          "wallchops");
        return -EINVAL;
    }
    c = irc_channel_find(s, name);
    if (!c || c->type != IRC_CHANNEL) {
        irc__server_print(s, IRC_LOOK_PREFIX_ERROR, NULL, "irc: you are not on channel \"%s\"",
                          name);
        return -EINVAL;
    }
    text = args->argc > next ? args->eol[next] : "";
    snprintf(line, sizeof(line),
             IRC_LOOK_NOTICE "NoticeOp" IRC_LOOK_RESET " -> " IRC_LOOK_CHANNEL "%s" IRC_LOOK_RESET
                             ": %s",
             c->name, text);
    irc__print_line(c->buffer, NULL, IRC_LOOK_PREFIX_NETWORK, NULL, line);
    status = irc_isupport_get(&s->isupport, "STATUSMSG");
    if (irc_isupport_get(&s->isupport, "WALLCHOPS") || (status && strchr(status, '@'))) {
        char target[256];
        snprintf(target, sizeof(target), "@%s", c->name);
        const char *params[] = { target, text };
        irc__server_send_labeled(s, IRC_LABEL_USER, "NOTICE", params, 2);
        return 0;
    }
    int op = irc_isupport_prefix_rank(&s->isupport, '@');
    struct list *pos;
    list_for_each (pos, &c->nicks) {
        struct irc_nick *n = list_entry(pos, struct irc_nick, link);
        int rank = n->prefixes[0] ? irc_isupport_prefix_rank(&s->isupport, n->prefixes[0]) : -1;
        if (rank >= 0 && op >= 0 && rank <= op && !irc__is_me(s, n->name)) {
            const char *params[] = { n->name, text };
            irc__server_send_labeled(s, IRC_LABEL_USER, "NOTICE", params, 2);
        }
    }
    return 0;
}

/* One CTCP query to target, shown unless echo-message will show it. */
static void
chat_ctcp_send(struct irc_server *s, const char *target, const char *type, const char *args)
{
    char payload[512];

    snprintf(payload, sizeof(payload), "\001%s%s%s\001", type, args ? " " : "", args ? args : "");
    const char *params[] = { target, payload };
    if (irc__server_send_labeled(s, IRC_LABEL_USER, "PRIVMSG", params, 2) >= 0 &&
        !irc__cap_enabled(s, "echo-message"))
        irc__ctcp_sent(s, NULL, target, type, args);
}

/* "/ctcp [-server S] target[,target...] type [args]": "*" is the buffer's conversation; a
 * PING without arguments carries the time, so that its reply tells the delay (recv_msg.c). */
int
irc__cmd_ctcp(struct core_buffer *buffer, const struct core_args *args)
{
    int first;
    struct irc_server *s = irc__cmd_connected_server(buffer, args, &first);
    char type[64], now[64], *targets, *save = NULL;
    const char *ctcp_args;

    if (!s)
        return -ENOTCONN;
    if (args->argc <= first + 1) {
        core_command_error_few_args(buffer, args, "");
        return -EINVAL;
    }
    snprintf(type, sizeof(type), "%s", args->argv[first + 1]);
    for (char *p = type; *p; p++)
        *p = (*p >= 'a' && *p <= 'z') ? (char)(*p - 'a' + 'A') : *p;
    ctcp_args = args->argc > first + 2 ? args->eol[first + 2] : NULL;
    if (!ctcp_args && strcmp(type, "PING") == 0) {
        int64_t now_us = timefmt_now_us();
        snprintf(now, sizeof(now), "%lld %lld", (long long)(now_us / 1000000),
                 (long long)(now_us % 1000000));
        ctcp_args = now;
    }
    targets = xstrdup(args->argv[first]);
    for (char *t = strtok_r(targets, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        struct irc_channel *c = NULL;
        if (strcmp(t, "*") == 0 && !(c = chat_star_target(s, buffer, "ctcp *")))
            continue;
        chat_ctcp_send(s, c ? c->name : t, type, ctcp_args);
    }
    free(targets);
    return 0;
}

/* Commands that become one message with their arguments as they are. */
static int
chat_simple(struct core_buffer *buffer, const struct core_args *args, const char *command,
            int min_args)
{
    int first;
    struct irc_server *s = irc__cmd_connected_server(buffer, args, &first);
    const char *params[IRC_PARAMS_MAX];
    size_t n = 0;

    if (!s)
        return -ENOTCONN;
    if (args->argc - first < min_args) {
        core_command_error_few_args(buffer, args, "");
        return -EINVAL;
    }
    for (int i = first; i < args->argc && n < IRC_PARAMS_MAX; i++)
        params[n++] = args->argv[i];
    /* Labeled (labeled-response): the replies come together, matched to this command. */
    return chat_sent(irc__server_send_labeled(s, IRC_LABEL_USER, command, params, n));
}

int
irc__cmd_whois(struct core_buffer *buffer, const struct core_args *args)
{
    int first;
    struct irc_server *s = irc__cmd_connected_server(buffer, args, &first);
    struct irc_channel *c = s ? irc__cmd_buffer_channel(s, buffer) : NULL;

    if (s && args->argc <= first && c && c->type == IRC_PRIVATE) {
        const char *params[] = { c->name };
        return chat_sent(irc__server_send_labeled(s, IRC_LABEL_USER, "WHOIS", params, 1));
    }
    if (s && args->argc <= first) {
        const char *params[] = { s->nick };
        return chat_sent(irc__server_send_labeled(s, IRC_LABEL_USER, "WHOIS", params, 1));
    }
    return chat_simple(buffer, args, "WHOIS", 1);
}

int
irc__cmd_who(struct core_buffer *buffer, const struct core_args *args)
{
    return chat_simple(buffer, args, "WHO", 0);
}

int
irc__cmd_invite(struct core_buffer *buffer, const struct core_args *args)
{
    int first, next;
    struct irc_server *s = irc__cmd_connected_server(buffer, args, &first);

    if (!s)
        return -ENOTCONN;
    if (args->argc <= first) {
        core_command_error_few_args(buffer, args, "");
        return -EINVAL;
    }
    /* "/invite nick [#chan]": the buffer's channel when none is given. */
    if (args->argc > first + 1)
        return chat_simple(buffer, args, "INVITE", 2);
    const char *channel = irc__cmd_target_channel(s, buffer, args, first + 1, &next, "invite");
    if (!channel)
        return -EINVAL;
    const char *params[] = { args->argv[first], channel };
    return chat_sent(irc__server_send_labeled(s, IRC_LABEL_USER, "INVITE", params, 2));
}

int
irc__cmd_cycle(struct core_buffer *buffer, const struct core_args *args)
{
    int first, next;
    struct irc_server *s = irc__cmd_connected_server(buffer, args, &first);
    const char *channel =
        s ? irc__cmd_target_channel(s, buffer, args, first, &next, "cycle") : NULL;
    const char *reason;

    if (!channel)
        return -EINVAL;
    reason = args->argc > next ? args->eol[next] : NULL;
    const char *part[] = { channel, reason };
    const char *join[] = { channel };
    irc__server_send(s, "PART", part, reason ? 2 : 1);
    return irc__server_send(s, "JOIN", join, 1);
}

/* irc_command_display_away (irc.look.display_away local): "[nick what: text]" in every
 * channel and private buffer of the server, the hotlist left alone. */
static void
away_display(struct irc_server *s, const char *what, const char *text)
{
    char *line = irc_look_away_info(s->nick ? s->nick : "", what, text);
    struct list *pos;

    core_hotlist_pause(s->irc->core);
    list_for_each (pos, &s->channels) {
        struct irc_channel *c = list_entry(pos, struct irc_channel, link);
        irc__print_line(c->buffer, NULL, "", "away_info", line);
    }
    core_hotlist_resume(s->irc->core);
    free(line);
}

/* irc_command_away_server: away (message) or back (NULL) on one network. Not connected, the
 * message is kept for the next connection ("future away"). */
static void
away_server(struct irc_server *s, const char *message)
{
    const char *params[] = { message };

    if (s->state != IRC_CONNECTED) {
        char *shown = message ? core_color_from_irc(message) : NULL;
        free(s->away_message);
        s->away_message = message ? xstrdup(message) : NULL;
        s->away_by_user = message != NULL;
        s->away_auto = false;
        if (message)
            irc__server_print(s, "", NULL, "irc: future away: %s", shown);
        else
            irc__server_print(s, "", NULL, "irc: future away removed");
        free(shown);
        return;
    }
    irc__server_send(s, "AWAY", params, message ? 1 : 0);
    if (message) {
        char *shown = core_color_from_irc(message);
        s->away_since = timefmt_now_s();
        away_display(s, "away", shown);
        free(shown);
    } else if (s->away_since) {
        int64_t gone = timefmt_now_s() - s->away_since;
        char text[64];
        snprintf(text, sizeof(text), "gone %.2lld:%.2lld:%.2lld", (long long)(gone / 3600),
                 (long long)(gone / 60 % 60), (long long)(gone % 60));
        s->away_since = 0;
        away_display(s, "back", gone < 0 ? "gone 00:00:00" : text);
    }
    irc__server_set_away(s, message);
    s->away_by_user = message != NULL;
    s->away_auto = false;
}

/* "/away [-all] [message]": the buffer's network, or (-all) every network with a buffer. */
int
irc__cmd_away(struct core_buffer *buffer, const struct core_args *args)
{
    struct irc *irc = args->data;
    bool all = args->argc > 1 && strcmp(args->argv[1], "-all") == 0;
    int first = all ? 2 : 1;
    const char *message = args->argc > first ? args->eol[first] : NULL;
    const char *name = core_buffer_localvar(buffer, "server");
    struct list *pos;
    int done = 0;

    list_for_each (pos, &irc->servers) {
        struct irc_server *s = list_entry(pos, struct irc_server, link);
        if (s->removing || (all ? !s->buffer : (!name || strcmp(name, s->cfg->name) != 0)))
            continue;
        away_server(s, message);
        done++;
    }
    if (!done && !all) {
        core_command_error(buffer, "irc: command \"away\" must be executed on irc buffer "
                                   "(server, channel or private)");
        return -EINVAL;
    }
    return 0;
}

/* "/mode [#channel] modes [args]" and "/mode nick modes", as WeeChat: modes starting with
 * + or - act on the buffer's channel (or, in the server buffer, on our nick); a first
 * argument that is neither goes to the server as given; no argument asks the modes.
 * /samode is the same as SAMODE, always on a channel. */
static int
chat_mode(struct core_buffer *buffer, const struct core_args *args, const char *verb)
{
    int first;
    struct irc_server *s = irc__cmd_connected_server(buffer, args, &first);
    struct irc_channel *c = s ? irc__cmd_buffer_channel(s, buffer) : NULL;
    const char *target = c && c->type == IRC_CHANNEL ? c->name : NULL;
    bool samode = strcmp(verb, "SAMODE") == 0;
    bool modes = args->argc > first && (args->argv[first][0] == '+' || args->argv[first][0] == '-');
    char line[IRC_LINE_MAX];

    if (!s)
        return -ENOTCONN;
    if (!target && (modes || (samode && args->argc <= first))) {
        core_command_error(buffer,
                           "irc: you must specify channel for \"%s\" command if you're not in "
                           "a channel",
                           args->argv[0]);
        return -EINVAL;
    }
    if (args->argc <= first)
        snprintf(line, sizeof(line), "%s %s", verb, target ? target : s->nick);
    else if (modes)
        snprintf(line, sizeof(line), "%s %s %s", verb, target, args->eol[first]);
    else
        snprintf(line, sizeof(line), "%s %s", verb, args->eol[first]);
    int rc = irc__server_send_raw(s, line);
    if (rc < 0)
        core_command_error(buffer, "irc: invalid arguments for \"%s\" command", args->argv[0]);
    return rc;
}

int
irc__cmd_mode(struct core_buffer *buffer, const struct core_args *args)
{
    return chat_mode(buffer, args, "MODE");
}

int
irc__cmd_samode(struct core_buffer *buffer, const struct core_args *args)
{
    return chat_mode(buffer, args, "SAMODE");
}
