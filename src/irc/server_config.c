/* SPDX-License-Identifier: MIT */
/* A network's settings: parsing, checking, showing, saving. */
#include "server_config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/json.h"
#include "base/xalloc.h"

#define IRC_PORT_PLAIN 6667
#define IRC_PORT_TLS   6697

#define SASL_TIMEOUT_DEFAULT 15
#define SASL_TIMEOUT_MAX     3600

static const char *const sasl_fail_names[] = { "continue", "reconnect", "disconnect" };

const char *const irc_server_options[] = {
    "addresses",     "tls",           "tls_verify", "tls_cert",     "tls_fingerprint",
    "password",      "nicks",         "username",   "realname",     "sasl_mechanism",
    "sasl_username", "sasl_password", "sasl_fail",  "sasl_timeout", "autoconnect",
    "autojoin",      "notify",        NULL,
};

/* Options whose values are never shown nor logged. */
static bool
config_is_secret(const char *option)
{
    return strcmp(option, "password") == 0 || strcmp(option, "sasl_password") == 0;
}

static bool
config_name_valid(const char *name)
{
    if (!name[0] || strlen(name) > 64)
        return false;
    for (const char *p = name; *p; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_' || *p == '.'))
            return false;
    }
    return true;
}

static void
config_set_str(char **field, const char *value)
{
    free(*field);
    *field = xstrdup(value ? value : "");
}

struct irc_server_config *
irc_server_config_new(const char *name, char *err, size_t err_len)
{
    struct irc_server_config *c;

    if (!config_name_valid(name)) {
        snprintf(err, err_len,
                 "invalid server name \"%s\" (letters, digits, \"-\", \"_\" and \".\" only)", name);
        return NULL;
    }
    c = xcalloc(1, sizeof(*c));
    c->name = xstrdup(name);
    c->tls = true;
    c->tls_verify = true;
    config_set_str(&c->nicks, "perch,perch_,perch__");
    config_set_str(&c->username, "perch");
    config_set_str(&c->realname, "perch");
    config_set_str(&c->password, "");
    config_set_str(&c->sasl_mechanism, "");
    config_set_str(&c->sasl_username, "");
    config_set_str(&c->sasl_password, "");
    c->sasl_fail = IRC_SASL_FAIL_RECONNECT;
    c->sasl_timeout = SASL_TIMEOUT_DEFAULT;
    config_set_str(&c->tls_cert, "");
    config_set_str(&c->tls_fingerprint, "");
    config_set_str(&c->autojoin, "");
    config_set_str(&c->notify, "");
    return c;
}

static void
config_free_addresses(struct irc_address *a, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(a[i].host);
    free(a);
}

void
irc_server_config_free(struct irc_server_config *c)
{
    if (!c)
        return;
    config_free_addresses(c->addresses, c->n_addresses);
    free(c->name);
    free(c->password);
    free(c->nicks);
    free(c->username);
    free(c->realname);
    free(c->sasl_mechanism);
    free(c->sasl_username);
    free(c->sasl_password);
    free(c->tls_cert);
    free(c->tls_fingerprint);
    free(c->autojoin);
    free(c->notify);
    free(c);
}

/* "host", "host/port", "[v6]/port"; port 0 when not given. */
static int
config_parse_address(const char *text, size_t len, struct irc_address *a)
{
    const char *slash, *host = text, *host_end;
    char port_text[8];
    long port = 0;
    char *end;

    if (len && text[0] == '[') {
        const char *close = memchr(text, ']', len);
        if (!close)
            return -EINVAL;
        host = text + 1;
        host_end = close;
        slash = close + 1 < text + len && close[1] == '/' ? close + 1 : NULL;
        if (!slash && close + 1 != text + len)
            return -EINVAL;
    } else {
        slash = memchr(text, '/', len);
        host_end = slash ? slash : text + len;
    }
    if (host_end == host || memchr(host, ' ', (size_t)(host_end - host)))
        return -EINVAL;
    if (slash) {
        size_t plen = (size_t)(text + len - slash - 1);
        if (plen == 0 || plen >= sizeof(port_text))
            return -EINVAL;
        memcpy(port_text, slash + 1, plen);
        port_text[plen] = '\0';
        port = strtol(port_text, &end, 10);
        if (*end || port < 1 || port > 65535)
            return -EINVAL;
    }
    a->host = xstrndup(host, (size_t)(host_end - host));
    a->port = (int)port;
    return 0;
}

int
irc_server_config_set_addresses(struct irc_server_config *c, const char *text, char *err,
                                size_t err_len)
{
    struct irc_address *list = NULL;
    size_t n = 0;

    for (const char *p = text; *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        list = xrealloc(list, (n + 1) * sizeof(*list));
        if (config_parse_address(p, len, &list[n]) < 0) {
            snprintf(err, err_len, "invalid address \"%.*s\" (expected host[/port])", (int)len, p);
            config_free_addresses(list, n);
            return -1;
        }
        n++;
        p += len + (comma ? 1 : 0);
    }
    if (!n) {
        snprintf(err, err_len, "no address given");
        free(list);
        return -1;
    }
    config_free_addresses(c->addresses, c->n_addresses);
    c->addresses = list;
    c->n_addresses = n;
    return 0;
}

static int
config_parse_bool(const char *value, bool *out)
{
    if (!strcasecmp(value, "on") || !strcasecmp(value, "true") || !strcmp(value, "1"))
        *out = true;
    else if (!strcasecmp(value, "off") || !strcasecmp(value, "false") || !strcmp(value, "0"))
        *out = false;
    else
        return -EINVAL;
    return 0;
}

static bool
config_fingerprint_valid(const char *v)
{
    size_t digits = 0;

    for (const char *p = v; *p; p++) {
        if (*p == ':')
            continue;
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') || (*p >= 'A' && *p <= 'F')))
            return false;
        digits++;
    }
    return digits == 0 || digits == 64;
}

/* sasl_fail and sasl_timeout: 0, 1 when option is neither, -1 with a reason in err. */
static int
config_set_sasl(struct irc_server_config *c, const char *option, const char *value, char *err,
                size_t err_len)
{
    if (!strcmp(option, "sasl_fail")) {
        for (size_t i = 0; i < sizeof(sasl_fail_names) / sizeof(sasl_fail_names[0]); i++) {
            if (!strcmp(value, sasl_fail_names[i])) {
                c->sasl_fail = (enum irc_sasl_fail)i;
                return 0;
            }
        }
        snprintf(err, err_len,
                 "invalid value \"%s\" for sasl_fail (continue, reconnect or disconnect)", value);
        return -1;
    }
    if (!strcmp(option, "sasl_timeout")) {
        char *end;
        long v = strtol(value, &end, 10);
        if (!value[0] || *end || v < 1 || v > SASL_TIMEOUT_MAX) {
            snprintf(err, err_len, "invalid value \"%s\" for sasl_timeout (1 to %d seconds)", value,
                     SASL_TIMEOUT_MAX);
            return -1;
        }
        c->sasl_timeout = (int)v;
        return 0;
    }
    return 1;
}

int
irc_server_config_set(struct irc_server_config *c, const char *option, const char *value, char *err,
                      size_t err_len)
{
    bool *flag = !strcmp(option, "tls")           ? &c->tls
                 : !strcmp(option, "tls_verify")  ? &c->tls_verify
                 : !strcmp(option, "autoconnect") ? &c->autoconnect
                                                  : NULL;
    char **field = !strcmp(option, "password")          ? &c->password
                   : !strcmp(option, "nicks")           ? &c->nicks
                   : !strcmp(option, "username")        ? &c->username
                   : !strcmp(option, "realname")        ? &c->realname
                   : !strcmp(option, "sasl_mechanism")  ? &c->sasl_mechanism
                   : !strcmp(option, "sasl_username")   ? &c->sasl_username
                   : !strcmp(option, "sasl_password")   ? &c->sasl_password
                   : !strcmp(option, "tls_cert")        ? &c->tls_cert
                   : !strcmp(option, "tls_fingerprint") ? &c->tls_fingerprint
                   : !strcmp(option, "autojoin")        ? &c->autojoin
                   : !strcmp(option, "notify")          ? &c->notify
                                                        : NULL;

    if (strpbrk(value, "\r\n")) {
        snprintf(err, err_len, "invalid value for %s: line breaks are not allowed", option);
        return -1;
    }
    if (!strcmp(option, "addresses"))
        return irc_server_config_set_addresses(c, value, err, err_len);
    int sasl = config_set_sasl(c, option, value, err, err_len);
    if (sasl <= 0)
        return sasl;
    if (flag) {
        if (config_parse_bool(value, flag) < 0) {
            snprintf(err, err_len, "invalid value \"%s\" for %s (on or off)", value, option);
            return -1;
        }
        return 0;
    }
    if (!field) {
        snprintf(err, err_len, "unknown server option \"%s\"", option);
        return -1;
    }
    if (field == &c->nicks && (!value[0] || strchr(value, ' '))) {
        snprintf(err, err_len, "invalid nicks \"%s\" (comma-separated, at least one)", value);
        return -1;
    }
    if (field == &c->sasl_mechanism && value[0] && strcasecmp(value, "plain") &&
        strcasecmp(value, "external") && strcasecmp(value, "scram-sha-256")) {
        snprintf(err, err_len, "invalid SASL mechanism \"%s\" (plain, external or scram-sha-256)",
                 value);
        return -1;
    }
    if (field == &c->tls_fingerprint && !config_fingerprint_valid(value)) {
        snprintf(err, err_len, "invalid TLS fingerprint (64 hex digits of SHA-256 expected)");
        return -1;
    }
    if (field == &c->tls_cert && value[0] && value[0] != '/') {
        snprintf(err, err_len,
                 "invalid tls_cert \"%s\" (an absolute path to a PEM file with the "
                 "certificate and its key)",
                 value);
        return -1;
    }
    if ((field == &c->username || field == &c->realname) && !value[0]) {
        snprintf(err, err_len, "%s cannot be empty", option);
        return -1;
    }
    config_set_str(field, value);
    return 0;
}

static char *
config_addresses_text(const struct irc_server_config *c)
{
    size_t cap = 1;
    char *out;

    for (size_t i = 0; i < c->n_addresses; i++)
        cap += strlen(c->addresses[i].host) + 16;
    out = xcalloc(1, cap);
    for (size_t i = 0, used = 0; i < c->n_addresses; i++) {
        const struct irc_address *a = &c->addresses[i];
        bool v6 = strchr(a->host, ':') != NULL;
        int n = snprintf(out + used, cap - used, "%s%s%s%s", i ? "," : "", v6 ? "[" : "", a->host,
                         v6 ? "]" : "");
        used += (size_t)n;
        if (a->port)
            used += (size_t)snprintf(out + used, cap - used, "/%d", a->port);
    }
    return out;
}

char *
irc_server_config_show(const struct irc_server_config *c, const char *option)
{
    if (!strcmp(option, "addresses"))
        return config_addresses_text(c);
    if (!strcmp(option, "tls"))
        return xstrdup(c->tls ? "on" : "off");
    if (!strcmp(option, "tls_verify"))
        return xstrdup(c->tls_verify ? "on" : "off");
    if (!strcmp(option, "autoconnect"))
        return xstrdup(c->autoconnect ? "on" : "off");
    if (!strcmp(option, "sasl_fail"))
        return xstrdup(sasl_fail_names[c->sasl_fail]);
    if (!strcmp(option, "sasl_timeout")) {
        char text[16];
        snprintf(text, sizeof(text), "%d", c->sasl_timeout);
        return xstrdup(text);
    }
    if (config_is_secret(option)) {
        const char *v = !strcmp(option, "password") ? c->password : c->sasl_password;
        return xstrdup(v[0] ? "********" : "");
    }
    const char *v = !strcmp(option, "nicks")             ? c->nicks
                    : !strcmp(option, "username")        ? c->username
                    : !strcmp(option, "realname")        ? c->realname
                    : !strcmp(option, "sasl_mechanism")  ? c->sasl_mechanism
                    : !strcmp(option, "sasl_username")   ? c->sasl_username
                    : !strcmp(option, "tls_cert")        ? c->tls_cert
                    : !strcmp(option, "tls_fingerprint") ? c->tls_fingerprint
                    : !strcmp(option, "autojoin")        ? c->autojoin
                    : !strcmp(option, "notify")          ? c->notify
                                                         : NULL;
    return v ? xstrdup(v) : NULL;
}

/* Port 6667 named explicitly is the plaintext port: without -tls, such a network is
 * plain (so "/server add test 127.0.0.1/6667" works as people expect). */
static bool
config_all_plain_ports(const struct irc_server_config *c)
{
    for (size_t i = 0; i < c->n_addresses; i++) {
        if (c->addresses[i].port != IRC_PORT_PLAIN)
            return false;
    }
    return c->n_addresses > 0;
}

struct irc_server_config *
irc_server_config_from_args(int argc, char *const *argv, char *err, size_t err_len)
{
    struct irc_server_config *c;
    bool tls_given = false;

    if (argc < 2) {
        snprintf(err, err_len, "usage: /server add NAME HOST[/PORT][,HOST2...] [options]");
        return NULL;
    }
    if (!(c = irc_server_config_new(argv[0], err, err_len)))
        return NULL;
    if (irc_server_config_set_addresses(c, argv[1], err, err_len) < 0)
        goto fail;
    for (int i = 2; i < argc; i++) {
        const char *arg = argv[i], *eq = strchr(arg, '=');
        char option[64];
        if (arg[0] != '-') {
            snprintf(err, err_len, "unexpected argument \"%s\"", arg);
            goto fail;
        }
        if (!strcmp(arg, "-tls") || !strcmp(arg, "-notls")) {
            c->tls = !strcmp(arg, "-tls");
            tls_given = true;
            continue;
        }
        if (!eq && !strcmp(arg, "-autoconnect")) {
            c->autoconnect = true;
            continue;
        }
        size_t len = eq ? (size_t)(eq - arg - 1) : strlen(arg + 1);
        if (len >= sizeof(option)) {
            snprintf(err, err_len, "unknown option \"%s\"", arg);
            goto fail;
        }
        memcpy(option, arg + 1, len);
        option[len] = '\0';
        char *value = xstrdup(eq ? eq + 1 : "on");
        /* "-autojoin=#a,#b key": the channel keys follow after a space. */
        while (!strcmp(option, "autojoin") && i + 1 < argc && argv[i + 1][0] != '-') {
            size_t vlen = strlen(value) + strlen(argv[i + 1]) + 2;
            char *joined = xmalloc(vlen);
            snprintf(joined, vlen, "%s %s", value, argv[++i]);
            free(value);
            value = joined;
        }
        int rc = strcmp(option, "addresses") ? irc_server_config_set(c, option, value, err, err_len)
                                             : -1;
        free(value);
        if (rc < 0) {
            if (!strcmp(option, "addresses"))
                snprintf(err, err_len, "unknown option \"%s\"", arg);
            goto fail;
        }
        tls_given = tls_given || !strcmp(option, "tls");
    }
    if (!tls_given && config_all_plain_ports(c))
        c->tls = false;
    return c;
fail:
    irc_server_config_free(c);
    return NULL;
}

struct pjson *
irc_server_config_save(const struct irc_server_config *c)
{
    struct pjson *o = pjson_object();

    pjson_add_str(o, "name", c->name);
    for (const char *const *opt = irc_server_options; *opt; opt++) {
        char *v;
        if (config_is_secret(*opt)) {
            pjson_add_str(o, *opt, !strcmp(*opt, "password") ? c->password : c->sasl_password);
            continue;
        }
        v = irc_server_config_show(c, *opt);
        pjson_add_str(o, *opt, v);
        free(v);
    }
    return o;
}

struct irc_server_config *
irc_server_config_load(const struct pjson *saved)
{
    const char *name = pjson_str(pjson_get(saved, "name"));
    struct irc_server_config *c;
    char err[256];

    if (!name || !(c = irc_server_config_new(name, err, sizeof(err))))
        return NULL;
    for (const char *const *opt = irc_server_options; *opt; opt++) {
        const char *v = pjson_str(pjson_get(saved, *opt));
        if (v && irc_server_config_set(c, *opt, v, err, sizeof(err)) < 0) {
            irc_server_config_free(c);
            return NULL;
        }
    }
    if (!c->n_addresses) {
        irc_server_config_free(c);
        return NULL;
    }
    return c;
}
