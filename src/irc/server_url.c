/* SPDX-License-Identifier: MIT */
/* What /connect takes besides a network's name: an IRC URL, read as WeeChat's
 * irc_server_alloc_with_url reads one, and "-option" arguments, applied as
 * irc_server_apply_command_line_options applies them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/xalloc.h"
#include "server_config.h"

#define URL_PORT_PLAIN "6667"
#define URL_PORT_TLS   "6697"

/* err: what, and the text refused up to its first line break (a reason is one line). */
static void
url_refuse(char *err, size_t err_len, const char *what, const char *text)
{
    snprintf(err, err_len, "%s \"%.*s\"", what, (int)strcspn(text, "\r\n"), text);
}

/* The scheme's TLS ("ircs", "irc6s", "ircs6"), or -1 for a scheme that is not IRC's. */
static int
url_scheme_tls(const char *scheme, size_t len)
{
    static const struct {
        const char *name;
        int tls;
    } schemes[] = { { "irc", 0 }, { "irc6", 0 }, { "ircs", 1 }, { "irc6s", 1 }, { "ircs6", 1 } };

    for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
        if (strlen(schemes[i].name) == len && strncasecmp(scheme, schemes[i].name, len) == 0)
            return schemes[i].tls;
    }
    return -1;
}

/* Splits "host[:port]" or "[v6]:port" in place: *host and *port (NULL when not given). */
static int
url_split_host(char *text, char **host, char **port)
{
    char *colon;

    if (text[0] == '[') {
        char *close = strchr(text, ']');
        if (!close)
            return -1;
        *close = '\0';
        *host = text + 1;
        colon = close[1] == ':' ? close + 1 : NULL;
    } else {
        *host = text;
        colon = strchr(text, ':');
    }
    if (colon)
        *colon = '\0';
    *port = colon && colon[1] ? colon + 1 : NULL;
    return (*host)[0] ? 0 : -1;
}

/* nicks "N,N2,N3,N4,N5"; the channels to join, "#" added when missing. */
static int
url_identity(struct irc_server_config *c, const char *nick, const char *password,
             const char *channels, char *err, size_t err_len)
{
    char value[1024];

    if (nick && nick[0]) {
        snprintf(value, sizeof(value), "%s,%s2,%s3,%s4,%s5", nick, nick, nick, nick, nick);
        if (irc_server_config_set(c, "nicks", value, err, err_len) < 0)
            return -1;
    }
    if (password && password[0] && irc_server_config_set(c, "password", password, err, err_len) < 0)
        return -1;
    if (channels && channels[0]) {
        snprintf(value, sizeof(value), "%s%s", strchr("#&+!", channels[0]) ? "" : "#", channels);
        if (irc_server_config_set(c, "autojoin", value, err, err_len) < 0)
            return -1;
    }
    return 0;
}

struct irc_server_config *
irc_server_config_from_url(const char *url, char *err, size_t err_len)
{
    const char *sep = strstr(url, "://");
    int tls = sep ? url_scheme_tls(url, (size_t)(sep - url)) : -1;
    char *copy, *rest, *channels, *at, *host, *port, *nick = NULL, *password = NULL;
    char address[512];
    struct irc_server_config *c = NULL;

    if (tls < 0 || !sep[3] || strpbrk(url, "\r\n")) {
        url_refuse(err, err_len, "invalid IRC URL", url);
        return NULL;
    }
    copy = xstrdup(sep + 3);
    rest = copy;
    if ((channels = strchr(rest, '/'))) {
        *channels++ = '\0';
        channels += strspn(channels, "/");
    }
    if ((at = strchr(rest, '@'))) {
        *at = '\0';
        nick = rest;
        if ((password = strchr(nick, ':')))
            *password++ = '\0';
        rest = at + 1;
    }
    if (url_split_host(rest, &host, &port) < 0 || (port && port[strspn(port, "0123456789")])) {
        url_refuse(err, err_len, "invalid IRC URL", url);
        goto out;
    }
    if (!(c = irc_server_config_new(host, err, err_len)))
        goto out;
    snprintf(address, sizeof(address), "%s%s%s/%s", strchr(host, ':') ? "[" : "", host,
             strchr(host, ':') ? "]" : "",
             port  ? port
             : tls ? URL_PORT_TLS
                   : URL_PORT_PLAIN);
    c->tls = tls;
    c->autoconnect = true;
    if (irc_server_config_set_addresses(c, address, err, err_len) < 0 ||
        url_identity(c, nick, password, channels, err, err_len) < 0) {
        irc_server_config_free(c);
        c = NULL;
    }
out:
    free(copy);
    return c;
}

static bool
url_option_known(const char *name)
{
    for (const char *const *o = irc_server_options; *o; o++) {
        if (strcmp(*o, name) == 0)
            return true;
    }
    return false;
}

int
irc_server_config_apply_arg(struct irc_server_config *c, const char *arg, char *err, size_t err_len)
{
    const char *eq = strchr(arg, '=');
    size_t len = arg[0] != '-' ? 0 : eq ? (size_t)(eq - arg - 1) : strlen(arg + 1);
    const char *value = eq ? eq + 1 : "on";
    char option[64];

    if (arg[0] != '-' || len >= sizeof(option)) {
        url_refuse(err, err_len, "unknown option", arg);
        return -1;
    }
    memcpy(option, arg + 1, len);
    option[len] = '\0';
    bool known = url_option_known(option);
    /* "-noxxx": option xxx off. */
    if (!known && !eq && strncmp(option, "no", 2) == 0) {
        memmove(option, option + 2, len - 1);
        value = "off";
        known = url_option_known(option);
    }
    if (!known) {
        url_refuse(err, err_len, "unknown option", arg);
        return -1;
    }
    return irc_server_config_set(c, option, value, err, err_len);
}
