/* SPDX-License-Identifier: MIT */
/* RPL_ISUPPORT tokens and case mapping. */
#include "isupport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "message.h"

static void
isupport_set_defaults(struct irc_isupport *is)
{
    snprintf(is->prefix_modes, sizeof(is->prefix_modes), "ov");
    snprintf(is->prefix_chars, sizeof(is->prefix_chars), "@+");
    snprintf(is->chantypes, sizeof(is->chantypes), "#&");
    is->casemapping = IRC_CASEMAPPING_RFC1459;
    is->linelen = IRC_LINE_MAX;
    is->modes = IRC_MODES_DEFAULT;
}

void
irc_isupport_init(struct irc_isupport *is)
{
    memset(is, 0, sizeof(*is));
    isupport_set_defaults(is);
}

void
irc_isupport_fini(struct irc_isupport *is)
{
    for (size_t i = 0; i < is->n; i++) {
        free(is->keys[i]);
        free(is->values[i]);
    }
    free(is->keys);
    free(is->values);
    memset(is, 0, sizeof(*is));
}

/* Values escape bytes as \xHH (e.g. \x20 for a space). */
static char *
isupport_unescape(const char *v)
{
    char *out = xmalloc(strlen(v) + 1), *o = out;

    for (const char *p = v; *p; p++) {
        if (p[0] == '\\' && p[1] == 'x' && p[2] && p[3]) {
            char hex[3] = { p[2], p[3], '\0' }, *end;
            long byte = strtol(hex, &end, 16);
            if (!*end && byte > 0) {
                *o++ = (char)byte;
                p += 3;
                continue;
            }
        }
        *o++ = *p;
    }
    *o = '\0';
    return out;
}

static bool
isupport_find(const struct irc_isupport *is, const char *key, size_t *at)
{
    for (size_t i = 0; i < is->n; i++) {
        if (strcmp(is->keys[i], key) == 0) {
            *at = i;
            return true;
        }
    }
    return false;
}

static void
isupport_remove(struct irc_isupport *is, const char *key)
{
    size_t i;

    if (!isupport_find(is, key, &i))
        return;
    free(is->keys[i]);
    free(is->values[i]);
    is->n--;
    memmove(is->keys + i, is->keys + i + 1, (is->n - i) * sizeof(char *));
    memmove(is->values + i, is->values + i + 1, (is->n - i) * sizeof(char *));
}

static void
isupport_set(struct irc_isupport *is, const char *key, const char *value)
{
    size_t i;

    if (isupport_find(is, key, &i)) {
        free(is->values[i]);
        is->values[i] = isupport_unescape(value);
        return;
    }
    is->keys = xrealloc(is->keys, (is->n + 1) * sizeof(char *));
    is->values = xrealloc(is->values, (is->n + 1) * sizeof(char *));
    is->keys[is->n] = xstrdup(key);
    is->values[is->n] = isupport_unescape(value);
    is->n++;
}

/* "(qaohv)~&@%+": both halves the same length, or the defaults stay. */
static void
isupport_apply_prefix(struct irc_isupport *is, const char *v)
{
    const char *close = strchr(v, ')');
    size_t n;

    if (v[0] != '(' || !close)
        return;
    n = (size_t)(close - v - 1);
    if (n != strlen(close + 1) || n >= sizeof(is->prefix_modes))
        return;
    memcpy(is->prefix_modes, v + 1, n);
    is->prefix_modes[n] = '\0';
    memcpy(is->prefix_chars, close + 1, n + 1);
}

/* Recomputes what perch acts on from the tokens. */
static void
isupport_derive(struct irc_isupport *is)
{
    const char *v;

    isupport_set_defaults(is);
    if ((v = irc_isupport_get(is, "PREFIX")))
        isupport_apply_prefix(is, v);
    if ((v = irc_isupport_get(is, "CHANTYPES")) && strlen(v) < sizeof(is->chantypes))
        memcpy(is->chantypes, v, strlen(v) + 1);
    if ((v = irc_isupport_get(is, "CASEMAPPING"))) {
        if (strcmp(v, "ascii") == 0)
            is->casemapping = IRC_CASEMAPPING_ASCII;
        else if (strcmp(v, "strict-rfc1459") == 0)
            is->casemapping = IRC_CASEMAPPING_STRICT_RFC1459;
    }
    if ((v = irc_isupport_get(is, "LINELEN"))) {
        long n = strtol(v, NULL, 10);
        if (n >= IRC_LINE_MAX && n <= 65536)
            is->linelen = (int)n;
    }
    if ((v = irc_isupport_get(is, "MODES"))) {
        char *end;
        long n = strtol(v, &end, 10);
        if (end != v && *end == '\0')
            is->modes = n < 1 ? 1 : n > IRC_MODES_MAX ? IRC_MODES_MAX : (int)n;
    }
}

void
irc_isupport_apply(struct irc_isupport *is, const struct irc_message *m)
{
    /* "005 nick TOKEN TOKEN... :are supported by this server" */
    for (size_t i = 1; i + 1 < m->n_params; i++) {
        const char *tok = m->params[i];
        const char *eq = strchr(tok, '=');
        char *key;
        if (tok[0] == '-') {
            isupport_remove(is, tok + 1);
            continue;
        }
        key = eq ? xstrndup(tok, (size_t)(eq - tok)) : xstrdup(tok);
        if (key[0])
            isupport_set(is, key, eq ? eq + 1 : "");
        free(key);
    }
    isupport_derive(is);
}

void
irc_isupport_put(struct irc_isupport *is, const char *key, const char *value)
{
    size_t i;

    if (!key[0])
        return;
    if (isupport_find(is, key, &i)) {
        free(is->values[i]);
        is->values[i] = xstrdup(value);
    } else {
        is->keys = xrealloc(is->keys, (is->n + 1) * sizeof(char *));
        is->values = xrealloc(is->values, (is->n + 1) * sizeof(char *));
        is->keys[is->n] = xstrdup(key);
        is->values[is->n] = xstrdup(value);
        is->n++;
    }
    isupport_derive(is);
}

const char *
irc_isupport_get(const struct irc_isupport *is, const char *key)
{
    size_t i;

    return isupport_find(is, key, &i) ? is->values[i] : NULL;
}

char
irc_isupport_prefix_mode(const struct irc_isupport *is, char prefix)
{
    const char *p = prefix ? strchr(is->prefix_chars, prefix) : NULL;

    return p ? is->prefix_modes[p - is->prefix_chars] : 0;
}

char
irc_isupport_mode_prefix(const struct irc_isupport *is, char mode)
{
    const char *p = mode ? strchr(is->prefix_modes, mode) : NULL;

    return p ? is->prefix_chars[p - is->prefix_modes] : 0;
}

int
irc_isupport_prefix_rank(const struct irc_isupport *is, char c)
{
    const char *p;

    if (!c)
        return -1;
    if ((p = strchr(is->prefix_modes, c)))
        return (int)(p - is->prefix_modes);
    if ((p = strchr(is->prefix_chars, c)))
        return (int)(p - is->prefix_chars);
    return -1;
}

bool
irc_isupport_is_channel(const struct irc_isupport *is, const char *name)
{
    return name[0] && strchr(is->chantypes, name[0]);
}

/* The channel of a target meant for its members of a rank ("@#c": "#c", by STATUSMSG), or
 * NULL when target is not one. */
static const char *
isupport_status_channel(const struct irc_isupport *is, const char *target)
{
    /* STATUSMSG's characters, or the PREFIX ones when it is not announced (WeeChat). */
    const char *status = irc_isupport_get(is, "STATUSMSG");

    if (!target[0] || irc_isupport_is_channel(is, target) ||
        !irc_isupport_is_channel(is, target + 1))
        return NULL;
    return strchr(status ? status : is->prefix_chars, target[0]) ? target + 1 : NULL;
}

const char *
irc_isupport_target_channel(const struct irc_isupport *is, const char *target, bool *status)
{
    const char *channel = isupport_status_channel(is, target);

    *status = channel != NULL;
    if (channel)
        return channel;
    return irc_isupport_is_channel(is, target) ? target : NULL;
}

char
irc_tolower(enum irc_casemapping map, char c)
{
    if (c >= 'A' && c <= 'Z')
        return (char)(c - 'A' + 'a');
    if (map == IRC_CASEMAPPING_ASCII)
        return c;
    switch (c) {
    case '[':
        return '{';
    case ']':
        return '}';
    case '\\':
        return '|';
    case '~':
        return map == IRC_CASEMAPPING_RFC1459 ? '^' : c;
    default:
        return c;
    }
}

int
irc_casecmp(enum irc_casemapping map, const char *a, const char *b)
{
    for (;; a++, b++) {
        unsigned char ca = (unsigned char)irc_tolower(map, *a);
        unsigned char cb = (unsigned char)irc_tolower(map, *b);
        if (ca != cb || !ca)
            return ca - cb;
    }
}
