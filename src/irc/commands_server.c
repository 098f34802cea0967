/* SPDX-License-Identifier: MIT */
/*
 * Questions to the server and operator commands (/motd, /stats, /oper, /kill, /whowas...):
 * each becomes one line in the shape WeeChat gives it, sent to the buffer's network. Their
 * replies are numerics, shown where numerics go.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "channel.h"
#include "core/command.h"
#include "core/core.h"
#include "internal.h"
#include "look.h"

enum server_shape {
    SHAPE_AS_TYPED,    /* "VERB args" (args, when given, as typed) */
    SHAPE_BARE,        /* "VERB", whatever follows */
    SHAPE_TEXT,        /* "VERB :args" */
    SHAPE_TARGET_TEXT, /* "VERB first[ :rest]" */
};

/* The buffer's network, connected; NULL (an error said) otherwise. No "-server": these
 * commands send their arguments as given, as in WeeChat. */
static struct irc_server *
server_of(struct core_buffer *buffer, const struct core_args *args)
{
    return irc__cmd_ready(buffer, args->argv[0], irc__buffer_server(args->data, buffer));
}

static int
server_send(struct core_buffer *buffer, const struct core_args *args, struct irc_server *s,
            const struct buf *line)
{
    int rc = line->data ? irc__server_send_raw_labeled(s, IRC_LABEL_USER, line->data) : -EMSGSIZE;

    if (rc < 0 && rc != -ENOTCONN)
        core_command_error(buffer, "irc: invalid arguments for \"%s\" command", args->argv[0]);
    return rc < 0 ? rc : 0;
}

/* The command's line: its name in capitals (the IRC command), then its arguments in the
 * given shape, once at least min_args are there. */
static int
server_run(struct core_buffer *buffer, const struct core_args *args, int min_args,
           enum server_shape shape)
{
    struct irc_server *s = server_of(buffer, args);
    bool more = args->argc > 1;
    char verb[16];
    struct buf line;
    int rc;

    if (!s)
        return -ENOTCONN;
    if (args->argc - 1 < min_args) {
        core_command_error_few_args(buffer, args, "");
        return -EINVAL;
    }
    snprintf(verb, sizeof(verb), "%s", args->argv[0]);
    for (char *p = verb; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    buf_init(&line, IRC_READ_MAX);
    switch (shape) {
    case SHAPE_AS_TYPED:
        rc = buf_printf(&line, "%s%s%s", verb, more ? " " : "", more ? args->eol[1] : "");
        break;
    case SHAPE_BARE:
        rc = buf_append_str(&line, verb);
        break;
    case SHAPE_TEXT:
        rc = buf_printf(&line, "%s :%s", verb, args->eol[1]);
        break;
    default:
        rc = buf_printf(&line, "%s %s%s%s", verb, args->argv[1], args->argc > 2 ? " :" : "",
                        args->argc > 2 ? args->eol[2] : "");
        break;
    }
    if (rc < 0)
        buf_fini(&line);
    rc = server_send(buffer, args, s, &line);
    buf_fini(&line);
    return rc;
}

/* "/version [nick]": a nick of the buffer's channel gets a CTCP VERSION, anything else is
 * asked of the server. */
static int
server_version(struct core_buffer *buffer, const struct core_args *args)
{
    struct irc_server *s = server_of(buffer, args);
    struct irc_channel *c = s ? irc__cmd_buffer_channel(s, buffer) : NULL;
    struct buf line;
    int rc;

    if (!s)
        return -ENOTCONN;
    buf_init(&line, IRC_READ_MAX);
    if (args->argc < 2)
        buf_append_str(&line, "VERSION");
    else if (c && c->type == IRC_CHANNEL && irc_channel_nick_find(c, args->argv[1]))
        buf_printf(&line, "PRIVMSG %s :\001VERSION\001", args->argv[1]);
    else
        buf_printf(&line, "VERSION %s", args->argv[1]);
    rc = server_send(buffer, args, s, &line);
    buf_fini(&line);
    return rc;
}

/* "/cap": the capabilities the server offers and those enabled; "/cap ls" (version 302),
 * "/cap req|ack|end|list [args]" as given. */
static int
server_cap(struct core_buffer *buffer, const struct core_args *args)
{
    struct irc_server *s = server_of(buffer, args);
    char sub[32];
    struct buf line;
    int rc;

    if (!s)
        return -ENOTCONN;
    if (args->argc < 2) {
        const char *ls[] = { "LS", "302" }, *list[] = { "LIST" };
        irc__server_send(s, "CAP", ls, 2);
        return irc__server_send(s, "CAP", list, 1);
    }
    snprintf(sub, sizeof(sub), "%s", args->argv[1]);
    for (char *p = sub; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    buf_init(&line, IRC_READ_MAX);
    if (strcmp(sub, "LS") == 0 && args->argc < 3)
        buf_append_str(&line, "CAP LS 302");
    else
        buf_printf(&line, "CAP %s%s%s", sub, args->argc > 2 ? " :" : "",
                   args->argc > 2 ? args->eol[2] : "");
    rc = server_send(buffer, args, s, &line);
    buf_fini(&line);
    return rc;
}

/* "/auth [username password]": SASL now, with these credentials (kept only until the
 * exchange ends) or the sasl_* options, as WeeChat's /auth. */
static int
server_auth(struct core_buffer *buffer, const struct core_args *args)
{
    struct irc_server *s = server_of(buffer, args);
    int rc;

    if (!s)
        return -ENOTCONN;
    rc = irc__sasl_auth(s, args->argc > 2 ? args->argv[1] : NULL,
                        args->argc > 2 ? args->eol[2] : NULL);
    if (rc == -EINVAL)
        irc__server_print(s, IRC_LOOK_PREFIX_ERROR, NULL,
                          "irc: \"auth\" command can only be executed if SASL is enabled via "
                          "server options \"sasl_*\" (or you must give username and password)");
    else if (rc == -ENOTSUP)
        irc__server_print(s, IRC_LOOK_PREFIX_ERROR, NULL,
                          "irc: SASL is not supported by the server");
    return rc;
}

#define SERVER_FORM(name, min, shape)                                         \
    static int name(struct core_buffer *buffer, const struct core_args *args) \
    {                                                                         \
        return server_run(buffer, args, min, shape);                          \
    }

SERVER_FORM(server_any, 0, SHAPE_AS_TYPED)
SERVER_FORM(server_one, 1, SHAPE_AS_TYPED)
SERVER_FORM(server_two, 2, SHAPE_AS_TYPED)
SERVER_FORM(server_bare, 0, SHAPE_BARE)
SERVER_FORM(server_text, 1, SHAPE_TEXT)
SERVER_FORM(server_target_text, 1, SHAPE_TARGET_TEXT)
SERVER_FORM(server_target_reason, 2, SHAPE_TARGET_TEXT)

static const struct core_command server_commands[] = {
    { "admin", "[target]", "find information about the administrator of the server", "",
      server_any },
    { "auth", "[username password]", "authenticate with SASL", "", server_auth },
    { "cap", "[ls | list | req|ack [-]capability... | end]",
      "ask or change the client capabilities (alone: offered and enabled ones)",
      "ls|list|req|ack|end", server_cap },
    { "die", "[target]", "shut the server down (operators)", "", server_any },
    { "info", "[target]", "ask the server about itself", "", server_any },
    { "ison", "nick [nick...]", "ask which of these nicks are online", "%nicks", server_text },
    { "kill", "nick [reason]", "close a user's connection (operators)", "%nicks",
      server_target_text },
    { "knock", "channel [message]", "ask for an invitation to a closed channel", "",
      server_target_text },
    { "links", "[[target] mask]", "list the servers of the network", "", server_any },
    { "lusers", "[mask [target]]", "ask how many users the network has", "", server_any },
    { "map", "[target]", "show the network's map of servers", "", server_any },
    { "motd", "[target]", "show the message of the day", "", server_any },
    { "oper", "user password", "become an IRC operator", "", server_two },
    { "ping", "target [target2]", "ping the server", "", server_one },
    { "pong", "daemon [daemon2]", "answer a ping", "", server_one },
    { "rehash", "[option]", "make the server read its configuration again (operators)", "",
      server_any },
    { "restart", "[target]", "restart the server (operators)", "", server_any },
    { "rules", "", "show the server's rules", "", server_bare },
    { "sajoin", "nick channel[,channel...]", "make a user join channels (operators)", "%nicks",
      server_two },
    { "sanick", "nick new_nick", "change a user's nick (operators)", "%nicks", server_two },
    { "sapart", "nick channel[,channel...]", "make a user leave channels (operators)", "%nicks",
      server_two },
    { "saquit", "nick reason", "make a user quit (operators)", "%nicks", server_target_reason },
    { "service", "nick reserved distribution type reserved info", "register a new service", "",
      server_one },
    { "servlist", "[mask [type]]", "list the services connected now", "", server_any },
    { "squery", "service text", "send a message to a service", "", server_target_text },
    { "setname", "realname", "change your real name", "", server_text },
    { "squit", "server comment", "disconnect a server link (operators)", "", server_one },
    { "stats", "[query [target]]", "ask the server's statistics", "", server_any },
    { "summon", "user [target [channel]]", "ask a user of the server's host to join IRC", "",
      server_one },
    { "time", "[target]", "ask the server's local time", "", server_any },
    { "trace", "[target]", "find the route to a server", "", server_any },
    { "userhost", "nick [nick...]", "ask the user@host of nicks", "%nicks", server_one },
    { "users", "[target]", "list the users logged into the server", "", server_any },
    { "version", "[target|nick]",
      "ask the server's version (a nick of the channel: its client's, by CTCP)", "%nicks",
      server_version },
    { "wallops", "text", "send a message to the users with mode +w", "", server_text },
    { "whowas", "nick[,nick...] [count [target]]", "ask about a nick that is gone", "%nicks",
      server_one },
    { NULL, NULL, NULL, NULL, NULL },
};

void
irc__commands_server_register(struct irc *irc)
{
    core_command_register(irc->core, "irc", server_commands, irc);
}
