/* SPDX-License-Identifier: MIT */
/*
 * Channel moderation as WeeChat does it. /op /deop /halfop /dehalfop /voice /devoice give or
 * take a prefix mode from the channel's nicks that match their arguments ("*" wildcards; a
 * lone "*" only with -yes), skipping nicks that have it already; alone, they act on us.
 * /ban /unban /quiet /unquiet set a list mode on masks, where a nick of the channel stands
 * for its default ban mask, and /unban /unquiet also take the numbers of the list as /ban
 * and /quiet showed it ("3", "2-5"); /ban and /quiet alone ask for the list. /kick, and /kickban
 * which bans the nick's mask first. MODE lines carry at most the server's MODES changes.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "chanmodes.h"
#include "channel.h"
#include "core/command.h"
#include "core/core.h"
#include "internal.h"
#include "masks.h"
#include "message.h"

/* Room for the prefix a server puts before a MODE it relays, within 512 bytes. */
#define MODES_LINE_BUDGET 400
/* The channel and the letters take two of a line's parameters. */
#define MODES_PER_LINE_MAX (IRC_PARAMS_MAX - 2)

/* The MODE lines of one command: "+ooo a b c", sent when it holds the server's MODES
 * changes or its arguments' bytes reach the budget. */
struct mode_batch {
    struct irc_server *s;
    const char *channel;
    char letters[MODES_PER_LINE_MAX + 2];
    char *args[MODES_PER_LINE_MAX];
    int n;
    int max;
    size_t bytes;
    int rc; /* the first failure to send */
};

static void
batch_init(struct mode_batch *b, struct irc_server *s, const char *channel, char sign)
{
    memset(b, 0, sizeof(*b));
    b->s = s;
    b->channel = channel;
    b->letters[0] = sign;
    b->max = s->isupport.modes < MODES_PER_LINE_MAX ? s->isupport.modes : MODES_PER_LINE_MAX;
}

static void
batch_flush(struct mode_batch *b)
{
    const char *params[IRC_PARAMS_MAX] = { b->channel, b->letters };
    int rc;

    if (b->n == 0)
        return;
    for (int i = 0; i < b->n; i++)
        params[2 + i] = b->args[i];
    rc = irc__server_send(b->s, "MODE", params, (size_t)b->n + 2);
    if (rc < 0 && b->rc == 0)
        b->rc = rc;
    for (int i = 0; i < b->n; i++)
        free(b->args[i]);
    b->n = 0;
    b->letters[1] = '\0';
    b->bytes = 0;
}

/* Adds one change; the batch takes arg. */
static void
batch_add(struct mode_batch *b, char mode, char *arg)
{
    size_t len = strlen(arg) + 2;

    if (b->n == b->max || (b->n > 0 && b->bytes + len > MODES_LINE_BUDGET))
        batch_flush(b);
    b->letters[1 + b->n] = mode;
    b->letters[2 + b->n] = '\0';
    b->args[b->n++] = arg;
    b->bytes += len;
}

/* Sends what is left; 0, or an error said in buffer. */
static int
batch_end(struct mode_batch *b, struct core_buffer *buffer, const char *command)
{
    batch_flush(b);
    if (b->rc < 0)
        core_command_error(buffer, "irc: invalid arguments for \"%s\" command", command);
    return b->rc;
}

/* The channel the command acts on, joined: its first argument when it names one, else the
 * buffer's. *next is the index after it. NULL (an error said) when there is none. */
static struct irc_channel *
modes_channel(struct irc_server *s, struct core_buffer *buffer, const struct core_args *args,
              int first, int *next)
{
    const char *name = irc__cmd_target_channel(s, buffer, args, first, next, args->argv[0]);
    struct irc_channel *c = name ? irc_channel_find(s, name) : NULL;

    if (name && (!c || c->type != IRC_CHANNEL))
        core_command_error(buffer, "irc: channel \"%s\" not found", name);
    return c && c->type == IRC_CHANNEL ? c : NULL;
}

/* Should nick get sign+mode for the argument mask that matched it? */
static bool
modes_nick_wanted(struct irc_server *s, const struct irc_nick *n, const char *mask, char sign,
                  char mode)
{
    char prefix = irc_isupport_mode_prefix(&s->isupport, mode);

    /* "/deop *" and "/dehalfop fl*" leave us as we are. */
    if (sign == '-' && (mode == 'o' || mode == 'h') && strchr(mask, '*') && s->nick &&
        irc_casecmp(s->isupport.casemapping, s->nick, n->name) == 0)
        return false;
    /* Nothing to change. */
    if (prefix && (sign == '+') == (strchr(n->prefixes, prefix) != NULL))
        return false;
    return true;
}

static int
modes_nicks(struct core_buffer *buffer, const struct core_args *args, char sign, char mode)
{
    int first, next, end;
    struct irc_server *s = irc__cmd_connected_server(buffer, args, &first);
    struct irc_channel *c = s ? modes_channel(s, buffer, args, first, &next) : NULL;
    struct mode_batch b;
    struct list *pos;

    if (!c)
        return -EINVAL;
    batch_init(&b, s, c->name, sign);
    if (args->argc <= next) {
        batch_add(&b, mode, xstrdup(s->nick));
        return batch_end(&b, buffer, args->argv[0]);
    }
    end = args->argc;
    if (end > next + 1 && strcmp(args->argv[end - 1], "-yes") == 0) {
        end--;
    } else {
        for (int i = next; i < end; i++) {
            if (strcmp(args->argv[i], "*") == 0) {
                core_command_error(buffer,
                                   "irc: \"-yes\" argument is required for nick \"*\" "
                                   "(security reason), see /help %s",
                                   args->argv[0]);
                return -EINVAL;
            }
        }
    }
    /* In the channel's order, each nick once. */
    list_for_each (pos, &c->nicks) {
        struct irc_nick *n = list_entry(pos, struct irc_nick, link);
        for (int i = next; i < end; i++) {
            if (irc_mask_match(s->isupport.casemapping, args->argv[i], n->name) &&
                modes_nick_wanted(s, n, args->argv[i], sign, mode)) {
                batch_add(&b, mode, xstrdup(n->name));
                break;
            }
        }
    }
    return batch_end(&b, buffer, args->argv[0]);
}

/* /deop, /dehalfop and /devoice take away what the command without "de" gives. */
static char
modes_sign(const struct core_args *args)
{
    return strncmp(args->argv[0], "de", 2) == 0 ? '-' : '+';
}

int
irc__cmd_op(struct core_buffer *buffer, const struct core_args *args)
{
    return modes_nicks(buffer, args, modes_sign(args), 'o');
}

int
irc__cmd_halfop(struct core_buffer *buffer, const struct core_args *args)
{
    return modes_nicks(buffer, args, modes_sign(args), 'h');
}

int
irc__cmd_voice(struct core_buffer *buffer, const struct core_args *args)
{
    return modes_nicks(buffer, args, modes_sign(args), 'v');
}

/* A nick of channel c (no '!' nor '@' in arg) as its default ban mask, else arg itself. */
static char *
modes_mask_of(struct irc_channel *c, const char *arg)
{
    struct irc_nick *n = NULL;
    char *mask = NULL;

    if (c && !strpbrk(arg, "!@"))
        n = irc_channel_nick_find(c, arg);
    if (n)
        mask = irc_mask_default_ban(n->host);
    return mask ? mask : xstrdup(arg);
}

/* "2-5" as WeeChat's /unban reads it: 2, 3, 4, 5 (1 to 127, ascending); false for others. */
static bool
modes_range(const char *arg, int *from, int *to)
{
    const char *dash = strchr(arg, '-');
    size_t len = strlen(arg);
    char *end;
    long a, b;

    if (len <= 2 || !dash || arg[0] == '-' || arg[len - 1] == '-')
        return false;
    a = strtol(arg, &end, 10);
    if (end != dash)
        return false;
    b = strtol(dash + 1, &end, 10);
    if (*end || a < 1 || b > 127 || a >= b)
        return false;
    *from = (int)a;
    *to = (int)b;
    return true;
}

/* A number of the channel's list (as /ban showed it) as its mask, else as modes_mask_of. */
static char *
modes_unset_mask_of(struct irc_channel *c, const struct irc_modelist *l, const char *arg)
{
    char *end;
    long number = strtol(arg, &end, 10);
    const char *mask = NULL;

    if (end != arg && !*end && number > 0 && number <= INT_MAX)
        mask = irc_modelist_mask(l, (int)number);
    return mask ? xstrdup(mask) : modes_mask_of(c, arg);
}

/* -mode for each argument: masks, nicks, numbers of the list and ranges of them. */
static void
modes_unset(struct mode_batch *b, struct irc_channel *c, char mode, const struct core_args *args,
            int next)
{
    struct irc_modelist *l = c ? irc_modelists_find(&c->modelists, mode) : NULL;
    char number[16];
    int from, to;

    for (int i = next; i < args->argc; i++) {
        if (!modes_range(args->argv[i], &from, &to)) {
            batch_add(b, mode, modes_unset_mask_of(c, l, args->argv[i]));
            continue;
        }
        for (int n = from; n <= to; n++) {
            snprintf(number, sizeof(number), "%d", n);
            batch_add(b, mode, modes_unset_mask_of(c, l, number));
        }
    }
}

static int
modes_masks(struct core_buffer *buffer, const struct core_args *args, char sign, char mode)
{
    int first, next;
    struct irc_server *s = irc__cmd_connected_server(buffer, args, &first);
    const char *channel =
        s ? irc__cmd_target_channel(s, buffer, args, first, &next, args->argv[0]) : NULL;
    struct mode_batch b;

    if (!channel)
        return -EINVAL;
    if (args->argc <= next) {
        if (sign == '-') {
            core_command_error_few_args(buffer, args, "");
            return -EINVAL;
        }
        /* The list itself: "MODE #channel +b". */
        char letters[] = { sign, mode, '\0' };
        const char *params[] = { channel, letters };
        return irc__server_send(s, "MODE", params, 2);
    }
    if (irc_chanmodes_type(&s->isupport, mode) != 'A') {
        core_command_error(buffer,
                           "irc: cannot execute command /%s, channel mode \"%c\" is not "
                           "supported by server",
                           args->argv[0], mode);
        return -ENOTSUP;
    }
    struct irc_channel *c = irc_channel_find(s, channel);
    batch_init(&b, s, channel, sign);
    if (sign == '-') {
        modes_unset(&b, c, mode, args, next);
    } else {
        for (int i = next; i < args->argc; i++)
            batch_add(&b, mode, modes_mask_of(c, args->argv[i]));
    }
    return batch_end(&b, buffer, args->argv[0]);
}

int
irc__cmd_ban(struct core_buffer *buffer, const struct core_args *args)
{
    return modes_masks(buffer, args, strcmp(args->argv[0], "unban") == 0 ? '-' : '+', 'b');
}

int
irc__cmd_quiet(struct core_buffer *buffer, const struct core_args *args)
{
    return modes_masks(buffer, args, strcmp(args->argv[0], "unquiet") == 0 ? '-' : '+', 'q');
}

/* /kickban's ban: "nick!user@host" and "user@host" ban "*!user@host"; a nick bans its
 * default mask (or itself, host unknown). */
static char *
modes_kickban_mask(struct irc_server *s, const char *channel, const char *arg)
{
    const char *bang = strchr(arg, '!');
    char *mask;
    size_t len;

    if (!strchr(arg, '@'))
        return modes_mask_of(irc_channel_find(s, channel), arg);
    arg = bang ? bang + 1 : arg;
    len = strlen(arg) + 3;
    mask = xmalloc(len);
    snprintf(mask, len, "*!%s", arg);
    return mask;
}

int
irc__cmd_kick(struct core_buffer *buffer, const struct core_args *args)
{
    int first, next;
    struct irc_server *s = irc__cmd_connected_server(buffer, args, &first);
    const char *channel =
        s ? irc__cmd_target_channel(s, buffer, args, first, &next, args->argv[0]) : NULL;
    bool ban = strcmp(args->argv[0], "kickban") == 0;

    if (!channel)
        return -EINVAL;
    if (args->argc <= next) {
        core_command_error_few_args(buffer, args, "");
        return -EINVAL;
    }
    const char *arg = args->argv[next];
    const char *reason = args->argc > next + 1 ? args->eol[next + 1] : NULL;
    char *nick = ban ? xstrndup(arg, strcspn(arg, "!@")) : xstrdup(arg);
    if (ban && (!nick[0] || strcmp(nick, "*") == 0)) {
        core_command_error(buffer, "irc: mask must begin with nick");
        free(nick);
        return -EINVAL;
    }
    if (ban) {
        char *mask = modes_kickban_mask(s, channel, arg);
        const char *mode[] = { channel, "+b", mask };
        irc__server_send(s, "MODE", mode, 3);
        free(mask);
    }
    const char *params[] = { channel, nick, reason };
    int rc = irc__server_send(s, "KICK", params, reason ? 3 : 2);
    free(nick);
    return rc;
}

/* "/remove [#channel] nick [reason]": REMOVE (a forced part), the reason's variables
 * replaced. */
int
irc__cmd_remove(struct core_buffer *buffer, const struct core_args *args)
{
    int first, next;
    struct irc_server *s = irc__cmd_connected_server(buffer, args, &first);
    const char *channel =
        s ? irc__cmd_target_channel(s, buffer, args, first, &next, "remove") : NULL;
    char *reason;
    int rc;

    if (!channel)
        return -EINVAL;
    if (args->argc <= next) {
        core_command_error_few_args(buffer, args, "");
        return -EINVAL;
    }
    reason = args->argc > next + 1 ? irc__replace_vars(s, channel, args->eol[next + 1]) : NULL;
    const char *params[] = { channel, args->argv[next], reason };
    rc = irc__server_send(s, "REMOVE", params, reason ? 3 : 2);
    free(reason);
    return rc;
}
