/* SPDX-License-Identifier: MIT */
/* Lines as WeeChat's irc plugin prints them: the tag list (irc_<cmd>, irc_numeric, the
 * message's IRCv3 tags, extra tags, nick_, host_, log level) and the date (server-time). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/timefmt.h"
#include "base/xalloc.h"
#include "core/core.h"
#include "internal.h"
#include "look.h"
#include "message.h"

/* Commas separate tags: inside a key or value they become ';', as WeeChat does. */
static void
display_tag_text(struct buf *out, const char *text)
{
    for (const char *p = text; *p; p++)
        buf_append_char(out, *p == ',' ? ';' : *p);
}

/*
 * irc_tag_KEY=VALUE for the message's tag i, as WeeChat's hashtable of tags gives them: a
 * key once, where it first came, with the value it last had; no '=' when there was none.
 */
static void
display_irc_tag(struct buf *out, const struct irc_message *m, size_t i)
{
    const struct irc_tag *tag = &m->tags[i];

    for (size_t j = 0; j < i; j++) {
        if (strcmp(m->tags[j].key, tag->key) == 0)
            return;
    }
    for (size_t j = i + 1; j < m->n_tags; j++) {
        if (strcmp(m->tags[j].key, tag->key) == 0)
            tag = &m->tags[j];
    }
    buf_append_str(out, ",irc_tag_");
    display_tag_text(out, tag->key);
    if (tag->has_value) {
        buf_append_char(out, '=');
        display_tag_text(out, tag->value);
    }
}

char *
irc__tags(const struct irc_message *m, const char *command, const char *extra, const char *nick,
          const char *host, int log_level)
{
    struct buf out;

    buf_init(&out, IRC_READ_MAX * 2);
    buf_printf(&out, "irc_%s", command);
    if (command[0] >= '0' && command[0] <= '9')
        buf_append_str(&out, ",irc_numeric");
    for (size_t i = 0; m && i < m->n_tags; i++)
        display_irc_tag(&out, m, i);
    if (m && m->batch_type)
        buf_printf(&out, ",irc_batch_type_%s", m->batch_type);
    if (extra && extra[0])
        buf_printf(&out, ",%s", extra);
    if (nick && nick[0]) {
        buf_printf(&out, ",nick_%s", nick);
        if (host && host[0])
            buf_printf(&out, ",host_%s", host);
    }
    buf_printf(&out, ",log%d", log_level);
    return buf_steal(&out, NULL);
}

int64_t
irc__print_line(struct core_buffer *b, const struct irc_message *m, const char *prefix,
                const char *tags, const char *text)
{
    struct core_line_spec spec = { .prefix = prefix, .message = text, .tags = tags, .y = -1 };
    const char *time = m ? irc_message_tag(m, "time") : NULL;
    int64_t date;

    if (!b || (m && m->ignored))
        return -1;
    /* server-time: the line's date is the server's, microseconds kept. */
    if (time && timefmt_parse(time, &date) == 0)
        spec.date_us = date;
    const struct core_line *line = core_buffer_print(b, &spec);
    return line ? line->id : -1;
}

char *
irc__source_host(const struct irc_message *m)
{
    size_t len;
    char *out;

    if (!m->user && !m->host)
        return NULL;
    len = strlen(m->user ? m->user : "") + strlen(m->host ? m->host : "") + 2;
    out = xmalloc(len);
    snprintf(out, len, "%s@%s", m->user ? m->user : "", m->host ? m->host : "");
    return out;
}

int64_t
irc__print_from(struct core_buffer *b, const struct irc_message *m, const char *command,
                const char *extra, int log_level, const char *prefix, const char *text)
{
    char *host = irc__source_host(m);
    char *tags = irc__tags(m, command, extra, m->nick, host, log_level);
    int64_t id = irc__print_line(b, m, prefix, tags, text);

    free(tags);
    free(host);
    return id;
}

void
irc__print(struct core_buffer *b, const struct irc_message *m, const char *prefix, const char *tags,
           const char *fmt, ...)
{
    char text[4096];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    irc__print_line(b, m, prefix, tags, text);
}

bool
irc__is_me(const struct irc_server *s, const char *nick)
{
    return nick && s->nick && irc_casecmp(s->isupport.casemapping, nick, s->nick) == 0;
}

void
irc__nick_color(const struct irc_server *s, const char *nick, char *out)
{
    irc_look_nick_color(out, nick, irc__is_me(s, nick));
}
