/* SPDX-License-Identifier: MIT */
/* /ignore as WeeChat: masks turned into anchored regexes, per server and channel, checked
 * on every message from others, kept with the rest of the state. */
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/json.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "core/command.h"
#include "core/core.h"
#include "internal.h"
#include "message.h"

/* An ignore list longer than this is refused: every message is checked against it. */
#define IRC_IGNORE_MAX 1000

struct irc_ignore {
    struct list link; /* in irc->ignores */
    struct irc *irc;
    char *mask; /* the anchored regex, as WeeChat shows it */
    regex_t re;
    char *server;  /* "*" or a network's name */
    char *channel; /* "*", a channel, or a nick (private messages) */
};

/* "bob*" -> "bob.*": regex characters escaped, "*" any text (WeeChat's mask_to_regex). */
static void
ignore_mask_to_regex(struct buf *out, const char *mask)
{
    for (const char *p = mask; *p; p++) {
        if (*p == '*')
            buf_append_str(out, ".*");
        else if (strchr(".[]{}()?+|^$\\", *p))
            buf_printf(out, "\\%c", *p);
        else
            buf_append_char(out, *p);
    }
}

/* "[re:]mask" -> "^regex$", leading "(?flags)" kept in front. Caller frees. */
static char *
ignore_regex_text(const char *mask)
{
    struct buf body, out;
    const char *flags_end = NULL;

    buf_init(&body, 4096);
    if (strncmp(mask, "re:", 3) == 0)
        buf_append_str(&body, mask + 3);
    else
        ignore_mask_to_regex(&body, mask);
    buf_init(&out, 4200);
    if (body.data && strncmp(body.data, "(?", 2) == 0)
        flags_end = strchr(body.data, ')');
    if (flags_end)
        buf_printf(&out, "%.*s^%s$", (int)(flags_end + 1 - body.data), body.data, flags_end + 1);
    else
        buf_printf(&out, "^%s$", body.data ? body.data : "");
    buf_fini(&body);
    return buf_steal(&out, NULL);
}

/* POSIX regexes know no "(?i)": the flags are dropped (matching ignores case anyway). */
static int
ignore_compile(regex_t *re, const char *regex)
{
    if (strncmp(regex, "(?", 2) == 0 && strchr(regex, ')'))
        regex = strchr(regex, ')') + 1;
    return regcomp(re, regex, REG_EXTENDED | REG_ICASE | REG_NOSUB);
}

static void
ignore_free(struct irc_ignore *ig)
{
    list_remove(&ig->link);
    ig->irc->n_ignores--;
    regfree(&ig->re);
    free(ig->mask);
    free(ig->server);
    free(ig->channel);
    free(ig);
}

static struct irc_ignore *
ignore_find(struct irc *irc, const char *regex, const char *server, const char *channel)
{
    struct list *pos;

    list_for_each (pos, &irc->ignores) {
        struct irc_ignore *ig = list_entry(pos, struct irc_ignore, link);
        if (!strcmp(ig->mask, regex) && !strcmp(ig->server, server) &&
            !strcasecmp(ig->channel, channel))
            return ig;
    }
    return NULL;
}

static struct irc_ignore *
ignore_new(struct irc *irc, const char *regex, const char *server, const char *channel)
{
    struct irc_ignore *ig = xcalloc(1, sizeof(*ig));

    if (ignore_compile(&ig->re, regex) != 0) {
        free(ig);
        return NULL;
    }
    ig->irc = irc;
    irc->n_ignores++;
    ig->mask = xstrdup(regex);
    ig->server = xstrdup(server);
    ig->channel = xstrdup(channel);
    list_append(&irc->ignores, &ig->link);
    return ig;
}

void
irc__ignores_free(struct irc *irc)
{
    while (!list_is_empty(&irc->ignores))
        ignore_free(list_entry(irc->ignores.next, struct irc_ignore, link));
}

/* WeeChat's rule: the nick, the whole "nick!user@host", or (for a mask without "!")
 * "user@host" matches. */
static bool
ignore_matches_source(const struct irc_ignore *ig, const struct irc_message *m)
{
    const char *bang;

    if (regexec(&ig->re, m->nick, 0, NULL, 0) == 0)
        return true;
    if (!m->source)
        return false;
    if (regexec(&ig->re, m->source, 0, NULL, 0) == 0)
        return true;
    bang = strchr(m->source, '!');
    return !strchr(ig->mask, '!') && bang && regexec(&ig->re, bang + 1, 0, NULL, 0) == 0;
}

bool
irc__ignored(const struct irc_server *s, const struct irc_message *m)
{
    const char *channel = NULL;
    struct list *pos;

    if (!m->nick || list_is_empty(&s->irc->ignores))
        return false;
    /* Our own messages are never ignored. */
    if (s->nick && irc_casecmp(s->isupport.casemapping, m->nick, s->nick) == 0)
        return false;
    if (m->n_params && strcmp(m->command, "QUIT") && strcmp(m->command, "NICK"))
        channel = m->params[0];
    list_for_each (pos, &s->irc->ignores) {
        const struct irc_ignore *ig = list_entry(pos, struct irc_ignore, link);
        if (strcmp(ig->server, "*") && strcmp(ig->server, s->cfg->name))
            continue;
        /* A channel ignore holds in that channel; for private messages it names the nick. */
        if (strcmp(ig->channel, "*") && channel) {
            const char *against =
                irc_isupport_is_channel(&s->isupport, channel) ? channel : m->nick;
            if (irc_casecmp(s->isupport.casemapping, ig->channel, against) != 0)
                continue;
        }
        if (ignore_matches_source(ig, m))
            return true;
    }
    return false;
}

static void
ignore_show(struct core_buffer *buffer, int number, const struct irc_ignore *ig)
{
    core_command_info(buffer, "  [%d] mask: %s / server: %s / channel: %s", number, ig->mask,
                      ig->server, ig->channel);
}

static int
ignore_list(struct irc *irc, struct core_buffer *buffer)
{
    struct list *pos;
    int number = 0;

    if (list_is_empty(&irc->ignores)) {
        core_command_info(buffer, "irc: no ignore in list");
        return 0;
    }
    core_command_info(buffer, "irc: ignore list:");
    list_for_each (pos, &irc->ignores)
        ignore_show(buffer, ++number, list_entry(pos, struct irc_ignore, link));
    return 0;
}

static int
ignore_add(struct irc *irc, struct core_buffer *buffer, const struct core_args *args)
{
    bool replace = strcmp(args->argv[1], "addreplace") == 0;
    const char *server = args->argc > 3 ? args->argv[3] : "*";
    const char *channel = args->argc > 4 ? args->argv[4] : "*";
    char *regex = ignore_regex_text(args->argv[2]);
    struct irc_ignore *ig = ignore_find(irc, regex, server, channel);
    regex_t probe;
    int number;

    if (ignore_compile(&probe, regex) != 0) {
        core_command_error(buffer,
                           "irc: error adding ignore: invalid regular expression "
                           "\"%s\"",
                           regex);
        free(regex);
        return -EINVAL;
    }
    regfree(&probe);
    if (ig && !replace) {
        core_command_error(buffer, "irc: ignore already exists");
        free(regex);
        return -EEXIST;
    }
    if (!ig && irc->n_ignores >= IRC_IGNORE_MAX) {
        core_command_error(buffer, "irc: error adding ignore: %d ignores at most", IRC_IGNORE_MAX);
        free(regex);
        return -ENOSPC;
    }
    bool existed = ig != NULL;
    if (ig)
        ignore_free(ig);
    ig = ignore_new(irc, regex, server, channel);
    free(regex);
    number = (int)irc->n_ignores;
    core_command_info(buffer, existed ? "irc: ignore updated:" : "irc: ignore added:");
    ignore_show(buffer, number, ig);
    irc__changed(irc);
    return 0;
}

static int
ignore_del(struct irc *irc, struct core_buffer *buffer, const char *which)
{
    struct list *pos;
    char *end;
    long number;
    int i = 0;

    if (strcmp(which, "-all") == 0) {
        if (list_is_empty(&irc->ignores)) {
            core_command_info(buffer, "irc: no ignore in list");
            return 0;
        }
        irc__ignores_free(irc);
        core_command_info(buffer, "irc: all ignores deleted");
        irc__changed(irc);
        return 0;
    }
    number = strtol(which, &end, 10);
    if (!which[0] || *end) {
        core_command_error(buffer, "irc: wrong ignore number");
        return -EINVAL;
    }
    list_for_each (pos, &irc->ignores) {
        struct irc_ignore *ig = list_entry(pos, struct irc_ignore, link);
        if (++i != number)
            continue;
        core_command_info(buffer, "irc: ignore \"%s\" deleted", ig->mask);
        ignore_free(ig);
        irc__changed(irc);
        return 0;
    }
    core_command_error(buffer, "irc: ignore not found");
    return -ENOENT;
}

int
irc__cmd_ignore(struct core_buffer *buffer, const struct core_args *args)
{
    struct irc *irc = args->data;
    const char *sub = args->argc > 1 ? args->argv[1] : "list";

    if (strcmp(sub, "list") == 0)
        return ignore_list(irc, buffer);
    if (strcmp(sub, "add") == 0 || strcmp(sub, "addreplace") == 0 || strcmp(sub, "del") == 0) {
        if (args->argc < 3) {
            core_command_error_few_args(buffer, args, sub);
            return -EINVAL;
        }
        if (strcmp(sub, "del") == 0)
            return ignore_del(irc, buffer, args->argv[2]);
        return ignore_add(irc, buffer, args);
    }
    core_command_error_usage(buffer, args);
    return -EINVAL;
}

struct pjson *
irc_save_ignores(const struct irc *irc)
{
    struct pjson *arr = pjson_array();
    struct list *pos;

    list_for_each (pos, &irc->ignores) {
        const struct irc_ignore *ig = list_entry(pos, struct irc_ignore, link);
        struct pjson *o = pjson_object();
        pjson_add_str(o, "mask", ig->mask);
        pjson_add_str(o, "server", ig->server);
        pjson_add_str(o, "channel", ig->channel);
        pjson_push(arr, o);
    }
    return arr;
}

void
irc_load_ignores(struct irc *irc, const struct pjson *saved)
{
    pjson_for_each (item, saved) {
        const char *mask = pjson_str(pjson_get(item, "mask"));
        const char *server = pjson_str(pjson_get(item, "server"));
        const char *channel = pjson_str(pjson_get(item, "channel"));
        if (!mask || !server || !channel || irc->n_ignores >= IRC_IGNORE_MAX ||
            ignore_find(irc, mask, server, channel) || !ignore_new(irc, mask, server, channel))
            log_warn("irc: a saved ignore is not valid, skipped");
    }
}
