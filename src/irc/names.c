/* SPDX-License-Identifier: MIT */
/*
 * NAMES as WeeChat shows it. A joined channel's 353 replies fill its nicklist; its 366 says
 * "Channel #c: N nicks (x ops, y regular)" and, past the join (an explicit /names), first
 * "Nicks #c: [@alice +bob carol]", which /names -o, -v, -* filter by mode (-count: the
 * count alone). For a channel not joined, the replies go to the server buffer as they
 * come: "Nicks #c: [...]" and "#c: End of /NAMES list".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/xalloc.h"
#include "channel.h"
#include "core/command.h"
#include "core/core.h"
#include "internal.h"
#include "look.h"
#include "message.h"
#include "prefix.h"

static void
names_print(struct core_buffer *b, const struct irc_message *m, const char *command,
            const char *text)
{
    irc__print_from(b, m, command, NULL, 3, IRC_LOOK_PREFIX_NETWORK, text);
}

/* 353 for a channel not joined: "Nicks #c: [@a +b c]" as the server lists them. */
static void
names_print_reply(struct irc_server *s, const struct irc_message *m, const char *channel,
                  const char *names)
{
    struct buf out;

    buf_init(&out, IRC_READ_MAX * 2);
    buf_append_str(&out, "Nicks " IRC_LOOK_CHANNEL);
    buf_append_str(&out, channel);
    buf_append_str(&out, IRC_LOOK_RESET ": " IRC_LOOK_DELIM "[" IRC_LOOK_RESET);
    for (const char *p = names, *first = names; *p;) {
        size_t len = strcspn(p, " "), n_prefixes = 0;
        while (n_prefixes < len && strchr(s->isupport.prefix_chars, p[n_prefixes]))
            n_prefixes++;
        if (p != first)
            buf_append_str(&out, IRC_LOOK_RESET " ");
        if (n_prefixes)
            irc_prefix_append_chars(&out, &s->isupport, p, n_prefixes);
        buf_append_str(&out, IRC_LOOK_RESET);
        /* userhost-in-names: the nick alone. */
        buf_append(&out, p + n_prefixes, strcspn(p + n_prefixes, "! "));
        p += len;
        p += strspn(p, " ");
    }
    buf_append_str(&out, IRC_LOOK_DELIM "]");
    names_print(s->buffer, m, "353", out.data);
    buf_fini(&out);
}

void
irc__recv_353(struct irc_server *s, const struct irc_message *m)
{
    const char *channel = m->params[m->n_params - 2], *names = m->params[m->n_params - 1];
    struct irc_channel *c = irc_channel_find(s, channel);

    if (!c) {
        names_print_reply(s, m, channel, names);
        return;
    }
    if (!c->joined)
        return;
    for (const char *p = names; *p;) {
        size_t len = strcspn(p, " ");
        char *word = xstrndup(p, len);
        /* userhost-in-names: "nick!user@host". */
        char *bang = strchr(word, '!');
        if (bang)
            *bang = '\0';
        if (word[0])
            irc_channel_nick_add(c, word, bang ? bang + 1 : NULL);
        free(word);
        p += len;
        p += strspn(p, " ");
    }
}

/* The nicklist's order: by rank of the highest prefix (none last), then by name. */
static int
names_rank(const struct irc_isupport *is, const struct irc_nick *n)
{
    int rank = n->prefixes[0] ? irc_isupport_prefix_rank(is, n->prefixes[0]) : -1;

    return rank < 0 ? 1000 : rank;
}

static int
names_compare(const void *a, const void *b, void *is)
{
    const struct irc_nick *x = *(const struct irc_nick *const *)a;
    const struct irc_nick *y = *(const struct irc_nick *const *)b;
    int rx = names_rank(is, x), ry = names_rank(is, y);

    return rx != ry ? (rx < ry ? -1 : 1) : strcasecmp(x->name, y->name);
}

/* Does the filter of /names (0: none, '*': no mode, else a mode letter) keep nick n? */
static bool
names_kept(const struct irc_isupport *is, const struct irc_nick *n, char filter)
{
    char mode = n->prefixes[0] ? irc_isupport_prefix_mode(is, n->prefixes[0]) : 0;

    return !filter || (filter == '*' ? !mode : mode == filter);
}

/* "Nicks #c: [@alice +bob carol]" from the nicklist, with " (filter: o)" when filtered. */
static void
names_print_list(struct irc_server *s, struct irc_channel *c, const struct irc_message *m)
{
    const struct irc_isupport *is = &s->isupport;
    struct irc_nick **sorted = NULL;
    size_t n = 0, shown = 0;
    struct list *pos;
    struct buf out;

    list_for_each (pos, &c->nicks) {
        sorted = xrealloc(sorted, (n + 1) * sizeof(*sorted));
        sorted[n++] = list_entry(pos, struct irc_nick, link);
    }
    if (n)
        qsort_r(sorted, n, sizeof(*sorted), names_compare, &s->isupport);
    buf_init(&out, 1024);
    buf_append_str(&out, "Nicks " IRC_LOOK_CHANNEL);
    buf_append_str(&out, c->name);
    buf_append_str(&out, IRC_LOOK_RESET);
    if (c->names_filter)
        buf_printf(&out, " (filter: %c)", c->names_filter);
    buf_append_str(&out, ": " IRC_LOOK_DELIM "[");
    for (size_t i = 0; i < n; i++) {
        if (!names_kept(is, sorted[i], c->names_filter))
            continue;
        if (shown++)
            buf_append_str(&out, IRC_LOOK_RESET " ");
        if (sorted[i]->prefixes[0])
            irc_prefix_append_chars(&out, is, sorted[i]->prefixes, 1);
        buf_append_str(&out, IRC_LOOK_RESET);
        buf_append_str(&out, sorted[i]->name);
    }
    buf_append_str(&out, IRC_LOOK_DELIM "]");
    names_print(c->buffer, m, "353", out.data);
    buf_fini(&out);
    free(sorted);
}

static const char *
names_mode_word(char mode, size_t count)
{
    switch (mode) {
    case 'q':
        return count == 1 ? "owner" : "owners";
    case 'a':
        return count == 1 ? "admin" : "admins";
    case 'o':
        return count == 1 ? "op" : "ops";
    case 'h':
        return count == 1 ? "halfop" : "halfops";
    case 'v':
        return "voiced";
    default:
        return NULL;
    }
}

/* "Channel #chan: 42 nicks (2 ops, 5 voiced, 35 regular)", counts in chat_channel
 * (irc_protocol_get_string_channel_nicks_count). */
static void
names_print_count(struct irc_server *s, struct irc_channel *c, const struct irc_message *m)
{
    const struct irc_isupport *is = &s->isupport;
    size_t total = 0, counts[33] = { 0 }, regular = 0;
    struct list *pos;
    struct buf out;

    list_for_each (pos, &c->nicks) {
        struct irc_nick *n = list_entry(pos, struct irc_nick, link);
        int rank = n->prefixes[0] ? irc_isupport_prefix_rank(is, n->prefixes[0]) : -1;
        total++;
        if (rank >= 0 && rank < 32)
            counts[rank]++;
        else
            regular++;
    }
    buf_init(&out, 1024);
    buf_printf(&out,
               "Channel " IRC_LOOK_CHANNEL "%s" IRC_LOOK_RESET ": " IRC_LOOK_CHANNEL
               "%zu" IRC_LOOK_RESET " %s " IRC_LOOK_DELIM "(",
               c->name, total, total == 1 ? "nick" : "nicks");
    for (size_t i = 0; is->prefix_modes[i] && i < 32; i++) {
        const char *word = names_mode_word(is->prefix_modes[i], counts[i]);
        buf_printf(&out, IRC_LOOK_CHANNEL "%zu" IRC_LOOK_RESET " ", counts[i]);
        if (word)
            buf_printf(&out, "%s, ", word);
        else
            buf_printf(&out, "+%c, ", is->prefix_modes[i]);
    }
    buf_printf(&out, IRC_LOOK_CHANNEL "%zu" IRC_LOOK_RESET " regular" IRC_LOOK_DELIM ")", regular);
    names_print(c->buffer, m, "366", out.data);
    buf_fini(&out);
}

void
irc__recv_366(struct irc_server *s, const struct irc_message *m)
{
    struct irc_channel *c = irc_channel_find(s, m->params[1]);

    if (!c || !c->joined) {
        char *text = irc_message_params_join(m, 2), line[IRC_READ_MAX * 2];
        snprintf(line, sizeof(line), IRC_LOOK_CHANNEL "%s" IRC_LOOK_RESET ": %s", m->params[1],
                 text);
        names_print(s->buffer, m, "366", line);
        free(text);
        return;
    }
    /* The join's own NAMES shows the count alone (irc.look.display_join_message). */
    if (c->names_done && c->names_filter != '#')
        names_print_list(s, c, m);
    names_print_count(s, c, m);
    c->names_filter = 0;
    irc_channel_update_prompt(c);
    irc_channel_set_modes(c, c->modes);
    /* After the first 366 WeeChat asks for the channel's modes (324 answers). */
    if (!c->names_done) {
        const char *params[] = { c->name };
        c->names_done = true;
        irc__server_send(s, "MODE", params, 1);
        irc__who_check(c);
    }
}

/* "/names [-count|-MODE] [channel[,channel...]]": each joined channel named keeps the
 * filter until its 366. */
int
irc__cmd_names(struct core_buffer *buffer, const struct core_args *args)
{
    int first, next;
    struct irc_server *s = irc__cmd_connected_server(buffer, args, &first);
    char filter = 0;
    const char *channels;

    if (!s)
        return -ENOTCONN;
    for (next = first; next < args->argc && args->argv[next][0] == '-'; next++) {
        if (strcmp(args->argv[next], "-count") == 0)
            filter = '#';
        else if (args->argv[next][1])
            filter = args->argv[next][1];
    }
    if (next < args->argc) {
        channels = args->argv[next];
    } else {
        struct irc_channel *c = irc__cmd_buffer_channel(s, buffer);
        if (!c || c->type != IRC_CHANNEL) {
            core_command_error(buffer,
                               "irc: \"names\" command can only be executed in a channel buffer");
            return -EINVAL;
        }
        channels = c->name;
    }
    for (const char *p = channels; filter && *p;) {
        size_t len = strcspn(p, ", ");
        char *name = xstrndup(p, len);
        struct irc_channel *c = irc_channel_find(s, name);
        if (c && c->type == IRC_CHANNEL)
            c->names_filter = filter;
        free(name);
        p += len;
        p += strspn(p, ", ");
    }
    const char *params[] = { channels };
    return irc__server_send_labeled(s, IRC_LABEL_USER, "NAMES", params, 1) < 0 ? -EINVAL : 0;
}
