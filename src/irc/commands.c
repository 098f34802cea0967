/* SPDX-License-Identifier: MIT */
/* The commands that manage networks: /server, /connect, /disconnect, /reconnect, /quote. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/xalloc.h"
#include "core/command.h"
#include "core/core.h"
#include "internal.h"
#include "look.h"

struct irc_server *
irc__buffer_server(struct irc *irc, const struct core_buffer *buffer)
{
    const char *name = core_buffer_localvar(buffer, "server");

    return name && strcmp(buffer->plugin, "irc") == 0 ? irc__server_find(irc, name) : NULL;
}

struct irc_server *
irc__cmd_ready(struct core_buffer *buffer, const char *command, struct irc_server *s)
{
    if (!s) {
        core_command_error(buffer,
                           "irc: command \"%s\" must be executed on irc buffer (server, "
                           "channel or private)",
                           command);
        return NULL;
    }
    if (s->state != IRC_CONNECTED) {
        core_command_error(buffer, "irc: command \"%s\" must be executed on connected irc server",
                           command);
        return NULL;
    }
    return s;
}

static const char *
cmd_state_name(const struct irc_server *s)
{
    switch (s->state) {
    case IRC_CONNECTED:
        return "connected";
    case IRC_DISCONNECTED:
        return s->wanted ? "waiting to reconnect" : "not connected";
    default:
        return "connecting";
    }
}

static void
cmd_server_list(struct irc *irc, struct core_buffer *buffer, bool full)
{
    struct list *pos;

    if (list_is_empty(&irc->servers)) {
        core_command_info(buffer, "No server");
        return;
    }
    core_command_info(buffer, "All servers:");
    list_for_each (pos, &irc->servers) {
        struct irc_server *s = list_entry(pos, struct irc_server, link);
        char *addresses = irc_server_config_show(s->cfg, "addresses");
        if (s->removing) {
            free(addresses);
            continue;
        }
        core_command_info(buffer, "  %s %s%s (%s)", s->cfg->name, addresses,
                          s->cfg->tls ? " (TLS)" : "", cmd_state_name(s));
        free(addresses);
        for (const char *const *opt = irc_server_options; full && *opt; opt++) {
            char *v = irc_server_config_show(s->cfg, *opt);
            core_command_info(buffer, "    %s: %s", *opt, v);
            free(v);
        }
    }
}

/* "/server copy name new_name": the same options under another name, not connected. */
static int
cmd_server_copy(struct core_buffer *buffer, const struct core_args *args)
{
    struct irc *irc = args->data;
    struct irc_server_config *probe, *cfg;
    struct irc_server *from;
    struct pjson *saved;
    char err[300];

    if (args->argc < 4) {
        core_command_error_few_args(buffer, args, args->argv[1]);
        return -EINVAL;
    }
    if (!(from = irc__server_find(irc, args->argv[2]))) {
        core_command_error(buffer, "irc: server \"%s\" not found for \"%s\" command", args->argv[2],
                           "server copy");
        return -ENOENT;
    }
    if (irc__server_find(irc, args->argv[3])) {
        core_command_error(buffer, "irc: server \"%s\" already exists for \"%s\" command",
                           args->argv[3], "server copy");
        return -EEXIST;
    }
    if (!(probe = irc_server_config_new(args->argv[3], err, sizeof(err)))) {
        core_command_error(buffer, "irc: %s", err);
        return -EINVAL;
    }
    irc_server_config_free(probe);
    saved = irc_server_config_save(from->cfg);
    cfg = irc_server_config_load(saved);
    pjson_free(saved);
    if (!cfg)
        return -ENOMEM;
    free(cfg->name);
    cfg->name = xstrdup(args->argv[3]);
    irc__server_new(irc, cfg);
    irc__changed(irc);
    core_command_info(buffer,
                      "irc: server " IRC_LOOK_SERVER "%s" IRC_LOOK_RESET
                      " has been copied to " IRC_LOOK_SERVER "%s" IRC_LOOK_RESET,
                      args->argv[2], args->argv[3]);
    return 0;
}

static int
cmd_server(struct core_buffer *buffer, const struct core_args *args)
{
    struct irc *irc = args->data;
    struct irc_server *s;
    char err[300];

    if (args->argc < 2 || strcmp(args->argv[1], "list") == 0 ||
        strcmp(args->argv[1], "listfull") == 0) {
        cmd_server_list(irc, buffer, args->argc >= 2 && strcmp(args->argv[1], "listfull") == 0);
        return 0;
    }
    if (strcmp(args->argv[1], "add") == 0) {
        struct irc_server_config *cfg;
        if (args->argc < 4) {
            core_command_error_few_args(buffer, args, "add");
            return -EINVAL;
        }
        if (irc__server_find(irc, args->argv[2])) {
            core_command_error(buffer, "irc: server \"%s\" already exists, can't add it!",
                               args->argv[2]);
            return -EEXIST;
        }
        cfg = irc_server_config_from_args(args->argc - 2, args->argv + 2, err, sizeof(err));
        if (!cfg) {
            core_command_error(buffer, "irc: %s", err);
            return -EINVAL;
        }
        s = irc__server_new(irc, cfg);
        core_command_info(buffer, "irc: server added: %s", cfg->name);
        irc__changed(irc);
        if (cfg->autoconnect)
            irc__server_connect(s);
        return 0;
    }
    if (strcmp(args->argv[1], "copy") == 0)
        return cmd_server_copy(buffer, args);
    if (strcmp(args->argv[1], "deloutq") == 0) {
        struct list *pos;
        list_for_each (pos, &irc->servers)
            irc__server_queue_clear(list_entry(pos, struct irc_server, link));
        core_command_info(buffer, "irc: messages outqueue DELETED for all servers. Some messages "
                                  "from you or WeeChat may have been lost!");
        return 0;
    }
    if (strcmp(args->argv[1], "del") == 0 || strcmp(args->argv[1], "rename") == 0) {
        bool del = strcmp(args->argv[1], "del") == 0;
        if (args->argc < (del ? 3 : 4)) {
            core_command_error_few_args(buffer, args, args->argv[1]);
            return -EINVAL;
        }
        s = irc__server_find(irc, args->argv[2]);
        if (!s) {
            core_command_error(buffer, "irc: server \"%s\" not found", args->argv[2]);
            return -ENOENT;
        }
        if (!del) {
            if (irc__server_find(irc, args->argv[3])) {
                core_command_error(buffer,
                                   "irc: server \"%s\" already exists for \"rename\" "
                                   "command",
                                   args->argv[3]);
                return -EEXIST;
            }
            if (irc__server_rename(s, args->argv[3], err, sizeof(err)) < 0) {
                core_command_error(buffer, "irc: %s", err);
                return -EINVAL;
            }
            core_command_info(buffer, "irc: server %s has been renamed to %s", args->argv[2],
                              args->argv[3]);
            irc__changed(irc);
            return 0;
        }
        core_command_info(buffer, "irc: server %s has been deleted", s->cfg->name);
        irc__list_close(s);
        irc__server_remove(s, NULL);
        irc__changed(irc);
        return 0;
    }
    core_command_error_usage(buffer, args);
    return -EINVAL;
}

/* The network named by argument i, or the buffer's when there is no argument i; NULL (an
 * error said) when there is none. */
static struct irc_server *
cmd_server_arg(struct core_buffer *buffer, const struct core_args *args, int i)
{
    struct irc *irc = args->data;
    struct irc_server *s =
        args->argc > i ? irc__server_find(irc, args->argv[i]) : irc__buffer_server(irc, buffer);

    if (s)
        return s;
    if (args->argc > i)
        core_command_error(buffer, "irc: server \"%s\" not found", args->argv[i]);
    else
        core_command_error(buffer,
                           "irc: command \"%s\" must be executed on irc buffer "
                           "(server, channel or private) or with a server name",
                           args->argv[0]);
    return NULL;
}

/* Runs fn on the network named by argument i, or every one for "-all", or the buffer's. */
static int
cmd_each_server(struct core_buffer *buffer, const struct core_args *args, int i,
                void (*fn)(struct irc_server *s, const char *rest), const char *rest)
{
    struct irc *irc = args->data;
    struct irc_server *s;
    struct list *pos, *tmp;

    if (args->argc > i && strcmp(args->argv[i], "-all") == 0) {
        list_for_each_safe (pos, tmp, &irc->servers) {
            s = list_entry(pos, struct irc_server, link);
            if (!s->removing)
                fn(s, rest);
        }
        return 0;
    }
    s = cmd_server_arg(buffer, args, i);
    if (!s)
        return -ENOENT;
    fn(s, rest);
    return 0;
}

static void
cmd_do_connect(struct irc_server *s, bool nojoin)
{
    if (s->state != IRC_DISCONNECTED) {
        irc__server_print(s, IRC_LOOK_PREFIX_ERROR, "irc_error,log3",
                          "irc: already connected to server \"%s\"!", s->cfg->name);
        return;
    }
    s->nojoin = nojoin;
    backoff_reset(&s->backoff);
    irc__server_connect(s);
    irc__changed(s->irc);
}

/* A network not connected: the line WeeChat says; waiting to reconnect: that wait ends. */
static void
cmd_do_disconnect(struct irc_server *s, const char *reason)
{
    if (s->state == IRC_DISCONNECTED && !s->wanted) {
        irc__server_print(s, IRC_LOOK_PREFIX_ERROR, NULL, "irc: not connected to server \"%s\"!",
                          s->cfg->name);
        return;
    }
    if (s->state == IRC_DISCONNECTED)
        irc__server_print(s, "", NULL, "irc: auto-reconnection is canceled");
    irc__server_disconnect(s, reason, false);
    irc__changed(s->irc);
}

static void
cmd_do_reconnect(struct irc_server *s, const char *rest)
{
    (void)rest;
    backoff_reset(&s->backoff);
    irc__server_disconnect(s, "reconnecting", true);
}

/* /connect's own flags; any other "-..." is an option of the networks named. */
static bool
cmd_connect_flag(const char *arg)
{
    static const char *const flags[] = { "-nojoin", "-all", "-auto", "-switch", "-open", NULL };

    for (const char *const *f = flags; *f; f++) {
        if (strcmp(arg, *f) == 0)
            return true;
    }
    return false;
}

/* A name /connect does not know: a network added as WeeChat adds it, from an IRC URL or
 * with the name as its address ("irc.example.org/6697" is "irc.example.org"). NULL when it
 * cannot be (an error said). */
static struct irc_server *
cmd_connect_add(struct irc *irc, struct core_buffer *buffer, const char *name)
{
    struct irc_server_config *cfg = NULL;
    char err[256], host[256];

    if (strncmp(name, "irc", 3) == 0 && strstr(name, "://")) {
        cfg = irc_server_config_from_url(name, err, sizeof(err));
    } else {
        snprintf(host, sizeof(host), "%.*s", (int)strcspn(name, "/"), name);
        cfg = irc_server_config_new(host[0] ? host : name, err, sizeof(err));
        if (cfg && irc_server_config_set_addresses(cfg, name, err, sizeof(err)) < 0) {
            irc_server_config_free(cfg);
            cfg = NULL;
        }
    }
    if (cfg && irc__server_find(irc, cfg->name)) {
        irc_server_config_free(cfg);
        cfg = NULL;
    }
    if (!cfg) {
        core_command_error(buffer,
                           "irc: unable to add server \"%s\" (check if there is already a "
                           "server with this name)",
                           name);
        return NULL;
    }
    struct irc_server *s = irc__server_new(irc, cfg);
    core_command_info(buffer, "irc: server added: %s", cfg->name);
    return s;
}

/* The option arguments of /connect set on a network named (for good, as in WeeChat); one
 * that cannot be set is a warning. */
static void
cmd_connect_options(struct core_buffer *buffer, const struct core_args *args, struct irc_server *s)
{
    char err[256];

    for (int i = 1; i < args->argc; i++) {
        const char *a = args->argv[i];
        if (a[0] == '-' && !cmd_connect_flag(a) &&
            irc_server_config_apply_arg(s->cfg, a, err, sizeof(err)) < 0)
            core_command_error(buffer,
                               "irc: warning: unable to set option \"%s\" for server "
                               "\"%s\": %s",
                               a, s->cfg->name, err);
    }
}

/* "/connect [name|host[/port]|irc[s]://...]... [-option[=value]...] [-nojoin]": the
 * networks named (added first when unknown, their options set), else the buffer's; "-all"
 * every one not connected, "-auto" those with autoconnect. -nojoin: that connection joins no
 * channel; -switch and -open mean nothing here (every address is tried in turn, every
 * network has its buffer). */
static int
cmd_connect(struct core_buffer *buffer, const struct core_args *args)
{
    struct irc *irc = args->data;
    bool nojoin = false, all = false, autoconnect = false;
    int names = 0;
    struct list *pos, *tmp;

    for (int i = 1; i < args->argc; i++) {
        nojoin = nojoin || strcmp(args->argv[i], "-nojoin") == 0;
        all = all || strcmp(args->argv[i], "-all") == 0;
        autoconnect = autoconnect || strcmp(args->argv[i], "-auto") == 0;
    }
    if (all || autoconnect) {
        list_for_each_safe (pos, tmp, &irc->servers) {
            struct irc_server *s = list_entry(pos, struct irc_server, link);
            if (!s->removing && s->state == IRC_DISCONNECTED && (all || s->cfg->autoconnect))
                cmd_do_connect(s, nojoin);
        }
        return 0;
    }
    for (int i = 1; i < args->argc; i++) {
        const char *name = args->argv[i];
        if (name[0] == '-')
            continue;
        names++;
        struct irc_server *s = irc__server_find(irc, name);
        if (!s && !(s = cmd_connect_add(irc, buffer, name)))
            continue;
        cmd_connect_options(buffer, args, s);
        irc__changed(irc);
        cmd_do_connect(s, nojoin);
    }
    if (names)
        return 0;
    struct irc_server *s = cmd_server_arg(buffer, args, args->argc);
    if (!s)
        return -ENOENT;
    cmd_do_connect(s, nojoin);
    return 0;
}

/* "/disconnect [name|-all|-pending [reason]]": -all the networks connected or waiting to
 * reconnect, -pending those waiting only. */
static int
cmd_disconnect(struct core_buffer *buffer, const struct core_args *args)
{
    struct irc *irc = args->data;
    const char *which = args->argc > 1 ? args->argv[1] : "";
    const char *reason = args->argc > 2 ? args->eol[2] : NULL;
    struct list *pos, *tmp;

    if (strcmp(which, "-all") != 0 && strcmp(which, "-pending") != 0)
        return cmd_each_server(buffer, args, 1, cmd_do_disconnect, reason);
    list_for_each_safe (pos, tmp, &irc->servers) {
        struct irc_server *s = list_entry(pos, struct irc_server, link);
        bool pending = s->state == IRC_DISCONNECTED && s->wanted;
        if (s->removing || (which[1] == 'p' ? !pending : s->state == IRC_DISCONNECTED && !pending))
            continue;
        cmd_do_disconnect(s, reason);
    }
    return 0;
}

static int
cmd_reconnect(struct core_buffer *buffer, const struct core_args *args)
{
    return cmd_each_server(buffer, args, 1, cmd_do_reconnect, NULL);
}

static int
cmd_quote(struct core_buffer *buffer, const struct core_args *args)
{
    struct irc *irc = args->data;
    struct irc_server *s;
    int first = 1, rc;

    if (args->argc > 2 && strcmp(args->argv[1], "-server") == 0) {
        s = irc__server_find(irc, args->argv[2]);
        first = 3;
    } else {
        s = irc__buffer_server(irc, buffer);
    }
    if (args->argc <= first) {
        core_command_error_few_args(buffer, args, "");
        return -EINVAL;
    }
    if (!s) {
        core_command_error(buffer, "irc: command \"quote\" must be executed on irc buffer "
                                   "(server, channel or private) or with -server");
        return -ENOENT;
    }
    rc = irc__server_send_raw(s, args->eol[first]);
    if (rc == -ENOTCONN)
        core_command_error(buffer, "irc: command \"quote\" must be executed on connected irc "
                                   "server");
    return rc;
}

/* "/set irc.server.NAME.OPTION [VALUE]": a network's option, shown or set. perchd has no
 * other options of this kind (its config file holds the rest). */
static int
cmd_set(struct core_buffer *buffer, const struct core_args *args)
{
    struct irc *irc = args->data;
    const char *full = args->argc > 1 ? args->argv[1] : "", *dot;
    char name[80], err[300];
    struct irc_server *s = NULL;

    if (strncmp(full, "irc.server.", 11) == 0 && (dot = strrchr(full + 11, '.')) &&
        (size_t)(dot - full - 11) < sizeof(name)) {
        snprintf(name, sizeof(name), "%.*s", (int)(dot - full - 11), full + 11);
        s = irc__server_find(irc, name);
    }
    if (!s) {
        core_command_error(buffer, "Option \"%s\" not found", full);
        return -ENOENT;
    }
    const char *option = strrchr(full, '.') + 1;
    char *shown = irc_server_config_show(s->cfg, option);
    if (!shown) {
        core_command_error(buffer, "Option \"%s\" not found", full);
        return -ENOENT;
    }
    if (args->argc > 2) {
        /* "" (two quotes) empties a value, as in WeeChat. */
        const char *value = strcmp(args->eol[2], "\"\"") == 0 ? "" : args->eol[2];
        if (irc_server_config_set(s->cfg, option, value, err, sizeof(err)) < 0) {
            core_command_error(buffer, "irc: %s", err);
            free(shown);
            return -EINVAL;
        }
        free(shown);
        shown = irc_server_config_show(s->cfg, option);
        irc__changed(irc);
    }
    core_command_info(buffer, "%s = %s", full, shown);
    free(shown);
    return 0;
}

static const struct core_command irc_commands[] = {
    { "set", "irc.server.NAME.OPTION [value]", "show or set an option of a network", "", cmd_set },
    { "action", "[-server server] target[,target...] text",
      "send a CTCP action to nicks or channels (\"*\": the current channel or private)",
      "-server %irc_servers %nicks|* || %nicks|*", irc__cmd_action },
    { "autojoin",
      "add [channel...] | addraw channel[,channel...] [key[,key...]] | del [channel...] | "
      "apply | sort [buffer] | join",
      "edit the network's autojoin value (no channel: the current one), make it the channels "
      "joined now, sort it (by name, or as the buffers are), or join it",
      "add|addraw|del|apply|sort|join %irc_channels", irc__cmd_autojoin },
    { "away", "[-all] [message]", "set or remove away status", "-all", irc__cmd_away },
    { "ban", "[channel] [nick|mask...]", "ban nicks or hosts (alone: show the ban list)",
      "%irc_channel_nicks_hosts", irc__cmd_ban },
    { "ctcp", "[-server server] target type [arguments]", "send a CTCP query",
      "-server %irc_servers %irc_channel|%nicks|* action|clientinfo|ping|time|version || "
      "%irc_channel|%nicks|* action|clientinfo|ping|time|version",
      irc__cmd_ctcp },
    { "cycle", "[channel] [message]", "leave and rejoin a channel", "%irc_channel",
      irc__cmd_cycle },
    { "dehalfop", "[channel] [nick...] | * -yes",
      "remove half-operator status (\"*\": all but you)", "%nicks|*", irc__cmd_halfop },
    { "deop", "[channel] [nick...] | * -yes", "remove channel operator status (\"*\": all but you)",
      "%nicks|*", irc__cmd_op },
    { "devoice", "[channel] [nick...] | * -yes", "remove voice (\"*\": everyone)", "%nicks|*",
      irc__cmd_voice },
    { "halfop", "[channel] [nick...] | * -yes", "give half-operator status (\"*\": everyone)",
      "%nicks|*", irc__cmd_halfop },
    { "ignore", "list | add|addreplace [re:]nick [server [channel]] | del number|-all",
      "ignore nicks/hosts from servers or channels",
      "list || add|addreplace %irc_channel_nicks_hosts %irc_servers %irc_channels || del "
      "%irc_ignores_numbers|-all",
      irc__cmd_ignore },
    { "invite", "nick [channel]", "invite a nick to a channel", "%nicks %irc_server_channels",
      irc__cmd_invite },
    { "kick", "[channel] nick [reason]", "kick a nick from a channel", "%nicks", irc__cmd_kick },
    { "kickban", "[channel] nick [reason]", "kick and ban a nick from a channel",
      "%irc_channel_nicks_hosts", irc__cmd_kick },
    { "list",
      "[-server server] [channel[,channel...]] [target] [-raw regex] | -up|-down [n] | "
      "-go n|end | -join",
      "list the network's channels in a buffer (typed there: words or n:/t:/u: filters, "
      "s:fields sort, $ refresh, j join, q close); -raw: in the server buffer",
      "-server|-raw|-up|-down|-go|-join %irc_servers", irc__cmd_list },
    { "mode", "[channel] [+|-]modes [arguments] | nick [+|-]modes",
      "change the modes of a channel or of your nick", "%irc_channel|%irc_server_nick",
      irc__cmd_mode },
    { "names", "[channel]", "list the nicks of a channel", "%irc_channels", irc__cmd_names },
    { "notice", "[-server server] target text", "send a notice",
      "-server %irc_servers %nicks || %nicks", irc__cmd_notice },
    { "notify", "add|addreplace nick [server [-away]] | del nick|-all [server]",
      "the notify list: nicks whose comings and goings are said (alone: the list)",
      "add|addreplace|del %nicks %irc_servers", irc__cmd_notify },
    { "op", "[channel] [nick...] | * -yes", "give channel operator status (\"*\": everyone)",
      "%nicks|*", irc__cmd_op },
    { "quiet", "[channel] [nick|mask...]", "quiet nicks or hosts (alone: show the quiet list)",
      "%irc_channel_nicks_hosts", irc__cmd_quiet },
    { "unban", "[channel] nick|mask|number|n1-n2...",
      "unban nicks or hosts (numbers: as /ban listed them)", "%irc_channel_nicks_hosts",
      irc__cmd_ban },
    { "unquiet", "[channel] nick|mask|number|n1-n2...",
      "unquiet nicks or hosts (numbers: as /quiet listed them)", "%irc_channel_nicks_hosts",
      irc__cmd_quiet },
    { "voice", "[channel] [nick...] | * -yes", "give voice (\"*\": everyone)", "%nicks|*",
      irc__cmd_voice },
    { "remove", "[channel] nick [reason]",
      "make a nick leave a channel, as if it had parted ($nick, $channel, $server replaced in "
      "the reason)",
      "%nicks", irc__cmd_remove },
    { "samode", "[channel] [+|-]modes [arguments]", "change a channel's modes as a server operator",
      "%irc_channel", irc__cmd_samode },
    { "wallchops", "[channel] text", "send a notice to channel ops", "%irc_channel",
      irc__cmd_wallchops },
    { "who", "[mask]", "who query", "", irc__cmd_who },
    { "whois", "[-server server] [nick]", "query information about a nick",
      "-server %irc_servers %nicks || %nicks", irc__cmd_whois },
    { "join", "[-noswitch] [-server server] [channel[,channel...] [key[,key...]]]",
      "join channels (alone in a channel's buffer: that channel)",
      "%irc_channels|-noswitch|-server|%irc_servers", irc__cmd_join },
    { "me", "message", "send a CTCP action to the current channel", "", irc__cmd_me },
    { "msg", "[-server server] target[,target...] text", "send message to a nick or channel",
      "-server %irc_servers %nicks|* || %nicks|*", irc__cmd_msg },
    { "nick", "[-server server] [-all] nick", "change current nick (-all: on every network)",
      "-all|%irc_server_nick", irc__cmd_nick },
    { "part", "[channel[,channel]] [message]", "leave a channel", "%irc_channel", irc__cmd_part },
    { "query", "[-noswitch] [-server server] nick[,nick...] [text]",
      "send a private message to a nick", "-server %irc_servers %nicks || %nicks", irc__cmd_query },
    { "topic", "[channel] [topic|-delete]", "get/set channel topic", "%irc_channel|-delete",
      irc__cmd_topic },
    { "connect",
      "[server|host[/port]|irc[s]://[nick[:password]@]host[:port][/#channel]...] "
      "[-option[=value]|-nooption...] [-nojoin] | -all|-auto [-nojoin]",
      "connect to IRC networks (-auto: those with autoconnect; -nojoin: join no channel)",
      "%irc_servers|-all|-auto|-nojoin", cmd_connect },
    { "disconnect", "[server|-all|-pending [reason]]",
      "disconnect from IRC networks (-pending: stop those waiting to reconnect)",
      "%irc_servers|-all|-pending", cmd_disconnect },
    { "quote", "[-server server] data", "send raw data to the server", "-server %irc_servers",
      cmd_quote },
    { "reconnect", "[server|-all]", "reconnect to IRC network(s)", "%irc_servers|-all",
      cmd_reconnect },
    { "server",
      "list|listfull | add name host[/port][,host2...] [-tls|-notls] [-option=value...] | "
      "copy name new_name | rename name new_name | del name | deloutq",
      "list, add or remove IRC networks (options: nicks, username, realname, password, "
      "autojoin, notify, autoconnect, tls_verify, tls_cert, tls_fingerprint, sasl_mechanism, "
      "sasl_username, sasl_password, sasl_fail, sasl_timeout)",
      "list|listfull %irc_servers || add %irc_servers || copy|del|rename %irc_servers || deloutq",
      cmd_server },
    { NULL, NULL, NULL, NULL, NULL },
};

void
irc__commands_register(struct irc *irc)
{
    core_command_register(irc->core, "irc", irc_commands, irc);
    irc__commands_server_register(irc);
    irc__commands_all_register(irc);
}
