/* SPDX-License-Identifier: MIT */
/* IRC messages: parse, format, split. */
#include "message.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

static bool
message_has_forbidden(const char *s, size_t len)
{
    return memchr(s, '\0', len) || memchr(s, '\r', len) || memchr(s, '\n', len);
}

char *
irc_tag_unescape(const char *value, size_t len)
{
    char *out = xmalloc(len + 1), *o = out;

    for (size_t i = 0; i < len; i++) {
        if (value[i] != '\\') {
            *o++ = value[i];
            continue;
        }
        /* A lone backslash at the end is dropped; an unknown escape is the character. */
        if (++i == len)
            break;
        switch (value[i]) {
        case ':':
            *o++ = ';';
            break;
        case 's':
            *o++ = ' ';
            break;
        case 'r':
            *o++ = '\r';
            break;
        case 'n':
            *o++ = '\n';
            break;
        default:
            *o++ = value[i];
        }
    }
    *o = '\0';
    return out;
}

int
irc_tag_escape(struct buf *out, const char *value)
{
    for (const char *p = value; *p; p++) {
        const char *esc = *p == ';'    ? "\\:"
                          : *p == ' '  ? "\\s"
                          : *p == '\\' ? "\\\\"
                          : *p == '\r' ? "\\r"
                          : *p == '\n' ? "\\n"
                                       : NULL;
        int rc = esc ? buf_append_str(out, esc) : buf_append_char(out, *p);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static void
message_parse_tags(struct irc_message *msg, const char *p, const char *end)
{
    while (p < end) {
        const char *semi = memchr(p, ';', (size_t)(end - p));
        const char *stop = semi ? semi : end;
        const char *eq = memchr(p, '=', (size_t)(stop - p));
        const char *key_end = eq ? eq : stop;
        if (key_end > p) {
            msg->tags = xrealloc(msg->tags, (msg->n_tags + 1) * sizeof(*msg->tags));
            msg->tags[msg->n_tags].key = xstrndup(p, (size_t)(key_end - p));
            msg->tags[msg->n_tags].value =
                eq ? irc_tag_unescape(eq + 1, (size_t)(stop - eq - 1)) : xstrdup("");
            msg->tags[msg->n_tags].has_value = eq != NULL;
            msg->n_tags++;
        }
        p = stop + 1;
    }
}

static void
message_split_source(struct irc_message *msg)
{
    const char *bang = strchr(msg->source, '!');
    const char *at = strchr(msg->source, '@');

    if (at && bang && at < bang)
        bang = NULL;
    size_t nick_len = bang ? (size_t)(bang - msg->source)
                      : at ? (size_t)(at - msg->source)
                           : strlen(msg->source);
    msg->nick = xstrndup(msg->source, nick_len);
    if (bang)
        msg->user = xstrndup(bang + 1, at ? (size_t)(at - bang - 1) : strlen(bang + 1));
    if (at)
        msg->host = xstrdup(at + 1);
}

static bool
message_command_valid(const char *cmd)
{
    size_t len = strlen(cmd), letters = 0, digits = 0;

    for (size_t i = 0; i < len; i++) {
        letters += (cmd[i] >= 'A' && cmd[i] <= 'Z') || (cmd[i] >= 'a' && cmd[i] <= 'z');
        digits += cmd[i] >= '0' && cmd[i] <= '9';
    }
    return len > 0 && (letters == len || (digits == 3 && len == 3));
}

static const char *
message_skip_spaces(const char *p, const char *end)
{
    while (p < end && *p == ' ')
        p++;
    return p;
}

static const char *
message_word_end(const char *p, const char *end)
{
    const char *space = memchr(p, ' ', (size_t)(end - p));

    return space ? space : end;
}

int
irc_message_parse(const char *line, size_t len, struct irc_message *msg)
{
    const char *p = line, *end = line + len, *w;

    memset(msg, 0, sizeof(*msg));
    if (message_has_forbidden(line, len))
        return -EINVAL;
    if (p < end && *p == '@') {
        w = message_word_end(p, end);
        /* The limit counts the '@' and the space that ends the section. */
        if ((size_t)(w - p) + 1 > IRC_TAGS_MAX_BYTES)
            return -EINVAL;
        message_parse_tags(msg, p + 1, w);
        p = w;
    }
    p = message_skip_spaces(p, end);
    if (p < end && *p == ':') {
        w = message_word_end(p, end);
        if (w > p + 1) {
            msg->source = xstrndup(p + 1, (size_t)(w - p - 1));
            message_split_source(msg);
        }
        p = message_skip_spaces(w, end);
    }
    w = message_word_end(p, end);
    msg->command = xstrndup(p, (size_t)(w - p));
    if (!message_command_valid(msg->command)) {
        irc_message_fini(msg);
        return -EINVAL;
    }
    for (char *c = msg->command; *c; c++)
        *c = (*c >= 'a' && *c <= 'z') ? (char)(*c - 'a' + 'A') : *c;
    for (p = message_skip_spaces(w, end); p < end; p = message_skip_spaces(p, end)) {
        /* The trailing parameter, or the last one there is room for, takes the rest. */
        if (*p == ':' || msg->n_params == IRC_PARAMS_MAX - 1) {
            p += *p == ':';
            msg->params[msg->n_params++] = xstrndup(p, (size_t)(end - p));
            break;
        }
        w = message_word_end(p, end);
        msg->params[msg->n_params++] = xstrndup(p, (size_t)(w - p));
        p = w;
    }
    return 0;
}

void
irc_message_fini(struct irc_message *msg)
{
    for (size_t i = 0; i < msg->n_tags; i++) {
        free(msg->tags[i].key);
        free(msg->tags[i].value);
    }
    free(msg->tags);
    free(msg->source);
    free(msg->nick);
    free(msg->user);
    free(msg->host);
    free(msg->command);
    for (size_t i = 0; i < msg->n_params; i++)
        free(msg->params[i]);
    memset(msg, 0, sizeof(*msg));
}

const char *
irc_message_tag(const struct irc_message *msg, const char *key)
{
    /* A repeated tag: the last one counts (IRCv3 message-tags). */
    for (size_t i = msg->n_tags; i > 0; i--) {
        if (strcmp(msg->tags[i - 1].key, key) == 0)
            return msg->tags[i - 1].value;
    }
    return NULL;
}

static bool
message_is_key_char(char c, bool vendor)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           (vendor && c == '.');
}

bool
irc_tag_key_is_valid(const char *key)
{
    const char *p = key + (key[0] == '+');
    const char *slash = strchr(p, '/');
    const char *name = slash ? slash + 1 : p;

    if (slash == p || !name[0])
        return false;
    for (const char *c = p; c < name - (slash != NULL); c++) {
        if (!message_is_key_char(*c, true))
            return false;
    }
    for (const char *c = name; *c; c++) {
        if (!message_is_key_char(*c, false))
            return false;
    }
    return true;
}

static int
message_format_tags(struct buf *out, const struct irc_tag *tags, size_t n_tags)
{
    size_t start = out->len;

    if (!n_tags)
        return 0;
    buf_append_char(out, '@');
    for (size_t i = 0; i < n_tags; i++) {
        const char *k = tags[i].key;
        if (!irc_tag_key_is_valid(k))
            return -EINVAL;
        if (i)
            buf_append_char(out, ';');
        buf_append_str(out, k);
        if (tags[i].value && tags[i].value[0]) {
            buf_append_char(out, '=');
            irc_tag_escape(out, tags[i].value);
        }
    }
    /* With the space that follows. */
    if (out->len - start + 1 > IRC_CLIENT_TAGS_MAX_BYTES)
        return -EINVAL;
    return buf_append_char(out, ' ');
}

static bool
message_param_needs_colon(const char *param)
{
    return !param[0] || param[0] == ':' || strchr(param, ' ');
}

int
irc_message_format(struct buf *out, const struct irc_tag *tags, size_t n_tags, const char *command,
                   const char *const *params, size_t n_params)
{
    struct buf msg;
    size_t rest;
    int rc = -EINVAL;

    if (!message_command_valid(command) || n_params > IRC_PARAMS_MAX)
        return -EINVAL;
    buf_init(&msg, IRC_TAGS_MAX_BYTES + IRC_LINE_MAX + 2);
    if (message_format_tags(&msg, tags, n_tags) < 0)
        goto out;
    rest = msg.len;
    buf_append_str(&msg, command);
    for (size_t i = 0; i < n_params; i++) {
        const char *p = params[i];
        bool last = i + 1 == n_params;
        if (message_has_forbidden(p, strlen(p)) || (!last && message_param_needs_colon(p)))
            goto out;
        buf_append_char(&msg, ' ');
        if (last && message_param_needs_colon(p))
            buf_append_char(&msg, ':');
        buf_append_str(&msg, p);
    }
    if (buf_append_str(&msg, "\r\n") < 0 || msg.len - rest > IRC_LINE_MAX)
        goto out;
    rc = buf_append(out, msg.data, msg.len);
out:
    buf_fini(&msg);
    return rc;
}

size_t
irc_split_text(const char *text, size_t len, size_t max, size_t *next)
{
    size_t cut = max;

    if (len <= max) {
        *next = len;
        return len;
    }
    /* text[cut] starts the next piece: never a UTF-8 continuation byte. */
    while (cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80)
        cut--;
    if (cut == 0)
        cut = max;
    for (size_t i = cut; i > max / 2; i--) {
        if (text[i - 1] == ' ') {
            *next = i;
            return i - 1;
        }
    }
    *next = cut;
    return cut;
}

char *
irc_message_params_join(const struct irc_message *m, size_t from)
{
    struct buf out;

    buf_init(&out, SIZE_MAX);
    for (size_t i = from; i < m->n_params; i++) {
        if (i > from)
            buf_append_char(&out, ' ');
        buf_append_str(&out, m->params[i]);
    }
    return buf_steal(&out, NULL);
}
