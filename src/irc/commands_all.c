/* SPDX-License-Identifier: MIT */
/*
 * /allchan, /allpv, /allserv: one command (or text) run in every channel, private buffer
 * or server buffer of the connected networks, as WeeChat does: $nick, $channel and $server
 * replaced in each, some buffers left out (-exclude=) or only some (-include=).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/xalloc.h"
#include "channel.h"
#include "core/command.h"
#include "core/core.h"
#include "internal.h"
#include "masks.h"

char *
irc__replace_vars(const struct irc_server *s, const char *channel, const char *text)
{
    const struct {
        const char *name, *value;
    } vars[] = {
        { "$nick", s && s->nick ? s->nick : "" },
        { "$channel", channel ? channel : "" },
        { "$server", s ? s->cfg->name : "" },
    };
    struct buf out;

    buf_init(&out, SIZE_MAX);
    buf_append_str(&out, "");
    for (const char *p = text; *p;) {
        size_t i = 0, n = sizeof(vars) / sizeof(vars[0]);
        while (i < n && strncmp(p, vars[i].name, strlen(vars[i].name)) != 0)
            i++;
        if (i < n) {
            buf_append_str(&out, vars[i].value);
            p += strlen(vars[i].name);
        } else {
            buf_append_char(&out, *p++);
        }
    }
    return buf_steal(&out, NULL);
}

/* Which buffers a command runs in, from its options. */
struct all_filter {
    bool current;        /* -current: the buffer's network only */
    bool all;            /* -all: joined and parted channels */
    bool parted;         /* -parted: parted channels only */
    const char *masks;   /* -exclude=/-include= list, or NULL */
    bool inclusive;      /* -include= */
    const char *command; /* what runs: the rest of the line */
};

/* True when name matches one of the comma-separated masks. */
static bool
all_masks_match(enum irc_casemapping map, const char *masks, const char *name)
{
    bool found = false;
    char *copy = xstrdup(masks), *save = NULL;

    for (char *m = strtok_r(copy, ",", &save); m && !found; m = strtok_r(NULL, ",", &save))
        found = m[0] && irc_mask_match(map, m, name);
    free(copy);
    return found;
}

static bool
all_picked(const struct all_filter *f, enum irc_casemapping map, const char *name)
{
    if (!f->masks || !f->masks[0])
        return !f->inclusive;
    return all_masks_match(map, f->masks, name) == f->inclusive;
}

/* Reads the options that come first; the command is what follows them. allowed lists the
 * options the command knows ("cap": -current -all -parted, "c": -current, "": none). */
static void
all_parse(const struct core_args *args, const char *allowed, struct all_filter *f)
{
    *f = (struct all_filter){ .command = args->eol[1] };
    for (int i = 1; i < args->argc; i++) {
        const char *a = args->argv[i];
        if (strchr(allowed, 'c') && strcmp(a, "-current") == 0) {
            f->current = true;
        } else if (strchr(allowed, 'a') && strcmp(a, "-all") == 0) {
            f->all = true;
            f->parted = false;
        } else if (strchr(allowed, 'p') && strcmp(a, "-parted") == 0) {
            f->parted = true;
            f->all = false;
        } else if (strncmp(a, "-exclude=", 9) == 0 || strncmp(a, "-include=", 9) == 0) {
            f->masks = a + 9;
            f->inclusive = a[1] == 'i';
        } else {
            break;
        }
        f->command = i + 1 < args->argc ? args->eol[i + 1] : "";
    }
}

/* Runs the command in each buffer of ids, still open and still of a network (an earlier
 * run may have closed or changed it), with the buffer's variables replaced. */
static void
all_run(struct irc *irc, const int64_t *ids, size_t n, const char *command)
{
    for (size_t i = 0; i < n; i++) {
        struct core_buffer *b = core_buffer_by_id(irc->core, ids[i]);
        const char *name = b ? core_buffer_localvar(b, "server") : NULL;
        struct irc_server *s = name ? irc__server_find(irc, name) : NULL;
        if (!s)
            continue;
        char *line = irc__replace_vars(s, core_buffer_localvar(b, "channel"), command);
        core_command_input(b, line);
        free(line);
    }
}

/* /allchan and /allpv: the channels (or private buffers) of every connected network. */
static int
all_channels(struct core_buffer *buffer, const struct core_args *args, enum irc_channel_type type)
{
    struct irc *irc = args->data;
    struct irc_server *here = irc__buffer_server(irc, buffer);
    struct all_filter f;
    int64_t *ids = NULL;
    size_t n = 0;
    struct list *sp, *cp;

    if (args->argc < 2) {
        core_command_error_few_args(buffer, args, "");
        return -EINVAL;
    }
    all_parse(args, type == IRC_CHANNEL ? "cap" : "c", &f);
    if (f.current && !here) {
        core_command_error(buffer,
                           "irc: command \"%s\" with option \"%s\" must be executed on irc "
                           "buffer (server, channel or private)",
                           args->argv[0], "-current");
        return -EINVAL;
    }
    list_for_each (sp, &irc->servers) {
        struct irc_server *s = list_entry(sp, struct irc_server, link);
        if (s->state != IRC_CONNECTED || (f.current && s != here))
            continue;
        list_for_each (cp, &s->channels) {
            struct irc_channel *c = list_entry(cp, struct irc_channel, link);
            bool parted = c->type == IRC_CHANNEL && !irc_channel_has_nicks(c);
            if (c->type != type || !c->buffer || (!f.all && f.parted != parted) ||
                !all_picked(&f, s->isupport.casemapping, c->name))
                continue;
            ids = xrealloc(ids, (n + 1) * sizeof(*ids));
            ids[n++] = c->buffer->id;
        }
    }
    if (f.command[0])
        all_run(irc, ids, n, f.command);
    free(ids);
    return 0;
}

static int
cmd_allchan(struct core_buffer *buffer, const struct core_args *args)
{
    return all_channels(buffer, args, IRC_CHANNEL);
}

static int
cmd_allpv(struct core_buffer *buffer, const struct core_args *args)
{
    return all_channels(buffer, args, IRC_PRIVATE);
}

/* /allserv: the server buffer of every connected network. */
static int
cmd_allserv(struct core_buffer *buffer, const struct core_args *args)
{
    struct irc *irc = args->data;
    struct all_filter f;
    int64_t *ids = NULL;
    size_t n = 0;
    struct list *sp;

    if (args->argc < 2) {
        core_command_error_few_args(buffer, args, "");
        return -EINVAL;
    }
    all_parse(args, "", &f);
    list_for_each (sp, &irc->servers) {
        struct irc_server *s = list_entry(sp, struct irc_server, link);
        if (s->state != IRC_CONNECTED || !s->buffer ||
            !all_picked(&f, IRC_CASEMAPPING_ASCII, s->cfg->name))
            continue;
        ids = xrealloc(ids, (n + 1) * sizeof(*ids));
        ids[n++] = s->buffer->id;
    }
    if (f.command[0])
        all_run(irc, ids, n, f.command);
    free(ids);
    return 0;
}

static const struct core_command all_commands[] = {
    { "allchan",
      "[-current] [-parted|-all] [-exclude=channel[,channel...]|-include=channel[,channel...]] "
      "command",
      "run a command (or send text) in every channel of the connected networks ($nick, "
      "$channel and $server replaced)",
      "-current|-parted|-all|-exclude=|-include= %commands", cmd_allchan },
    { "allpv", "[-current] [-exclude=nick[,nick...]|-include=nick[,nick...]] command",
      "run a command (or send text) in every private buffer of the connected networks",
      "-current|-exclude=|-include= %commands", cmd_allpv },
    { "allserv", "[-exclude=server[,server...]|-include=server[,server...]] command",
      "run a command in the server buffer of every connected network",
      "-exclude=|-include= %commands", cmd_allserv },
    { NULL, NULL, NULL, NULL, NULL },
};

void
irc__commands_all_register(struct irc *irc)
{
    core_command_register(irc->core, "irc", all_commands, irc);
}
