/* SPDX-License-Identifier: MIT */
/* perchd's configuration: the options table, INI reading, validation, default file. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "base/xalloc.h"
#include "net/listener.h"

enum option_type {
    OPT_STRING,
    OPT_INT,  /* int, between min and max */
    OPT_SIZE, /* size_t, between min and max */
    OPT_MS,   /* uint64_t milliseconds, given in the file as milliseconds */
    OPT_SEC,  /* uint64_t milliseconds, given in the file as seconds */
    OPT_BOOL, /* bool, given in the file as on or off (WeeChat's words) */
};

struct option {
    const char *section;
    const char *name;
    enum option_type type;
    const char *def;
    long long min;
    long long max;
    bool reloadable;
    size_t offset;
    const char *help;
};

#define RC(field) offsetof(struct perchd_config, relay.field)
#define PC(field) offsetof(struct perchd_config, field)

static const struct option options[] = {
    { "relay", "tls_listen", OPT_STRING, "127.0.0.1:9000", 0, 0, false, PC(tls_listen),
      "HOST:PORT of the HTTPS/WSS listener; empty for none" },
    { "relay", "plain_listen", OPT_STRING, "", 0, 0, false, PC(plain_listen),
      "HOST:PORT of a plain HTTP/WS listener (no TLS: keep it on loopback); empty for none" },
    { "relay", "password", OPT_STRING, "", 0, 0, true, RC(password),
      "relay password (the environment variable PERCH_PASSWORD overrides it)" },
    { "relay", "password_hash", OPT_STRING, "", 0, 0, true, RC(password_hash),
      "instead of password: a stored hash made by 'perchd --hash-password'; only plain:\n# credentials can then be checked" },
    { "relay", "totp_secret", OPT_STRING, "", 0, 0, true, RC(totp_secret),
      "base32 TOTP secret (RFC 6238) for a second factor; empty for none" },
    { "relay", "password_hash_algo", OPT_STRING, "*", 0, 0, true, RC(hash_algos),
      "allowed credential algorithms, comma-separated patterns with * and !negation:\n# plain, sha256, sha512, pbkdf2+sha256, pbkdf2+sha512" },
    { "relay", "password_hash_iterations", OPT_INT, "100000", 1, 1000000, true, RC(hash_iterations),
      "PBKDF2 iterations that clients must use" },
    { "relay", "time_window", OPT_INT, "5", 0, 256, true, RC(time_window_s),
      "seconds of clock difference accepted in hashed credentials" },
    { "relay", "totp_window", OPT_INT, "0", 0, 256, true, RC(totp_window),
      "TOTP steps (30 s) accepted before and after the current one" },
    { "relay", "compression", OPT_INT, "20", 0, 100, true, RC(compression),
      "HTTP body compression level 1-100 (gzip, deflate, zstd); 0 disables" },
    { "relay", "max_clients", OPT_INT, "100", 0, 100000, true, RC(max_clients),
      "simultaneous authenticated client connections; 0 for no limit (connections not\n# authenticated yet have their own budget: [limits] unauth_max)" },
    { "relay", "auth_fail_limit", OPT_INT, "5", 0, 1000, true, RC(throttle.fail_limit),
      "failed logins (wrong password or TOTP) from one address (IPv6: one /64) within\n# auth_fail_period that block it (429); 0 disables the throttling" },
    { "relay", "auth_fail_period", OPT_MS, "600000", 1, 86400000, true, RC(throttle.fail_period_ms),
      "milliseconds over which failed logins are counted" },
    { "relay", "auth_fail_delay", OPT_MS, "500", 0, 10000, true, RC(throttle.fail_delay_ms),
      "milliseconds added to the answer of each failed login after the first of a period\n# (the second waits this long, the third twice as long, ...)" },
    { "relay", "auth_block_min", OPT_MS, "60000", 1, 86400000, true, RC(throttle.block_min_ms),
      "milliseconds an address is blocked the first time; each further block lasts twice\n# as long, up to auth_block_max; a successful login from the address ends it all" },
    { "relay", "auth_block_max", OPT_MS, "3600000", 1, 86400000, true, RC(throttle.block_max_ms),
      "longest block in milliseconds; an address quiet this long after its last block\n# starts again from auth_block_min" },
    { "relay", "token_lifetime", OPT_SEC, "604800", 0, 31536000, true, RC(token_lifetime_ms),
      "seconds a login token (POST /api/token, a perch extension: the web client's \"remember\n# me\" and its reconnections) stays valid; 0 disables tokens. Changing the password, the\n# TOTP secret or deleting DIR/token.key revokes them all" },
    { "relay", "api_version", OPT_STRING, "0.4.1", 0, 0, true, RC(api_version),
      "api protocol version announced by GET /api/version: 0.4.1 (WeeChat 4.7-4.9 /remote\n# needs it exactly) or 0.6.0 (WeeChat 4.10+); perchd serves 0.6.0 either way" },
    { "relay", "allowed_networks", OPT_STRING, "", 0, 0, true, PC(allowed_networks),
      "comma-separated networks allowed to connect (127.0.0.0/8, ::1/128); empty for all" },
    { "tls", "cert", OPT_STRING, "tls/cert.pem", 0, 0, true, PC(tls_cert),
      "PEM certificate chain (relative to the data dir); reloaded on SIGHUP" },
    { "tls", "key", OPT_STRING, "tls/key.pem", 0, 0, true, PC(tls_key),
      "PEM private key (relative to the data dir)" },
    { "limits", "max_header_bytes", OPT_SIZE, "65536", 1024, 1048576, true, RC(max_header_bytes),
      "size of a request line and headers (431 beyond)" },
    { "limits", "max_body_bytes", OPT_SIZE, "8388608", 1024, 67108864, true, RC(max_body_bytes),
      "size of a request body (413 beyond)" },
    { "limits", "max_json_depth", OPT_INT, "64", 2, 1000, true, RC(max_json_depth),
      "nesting depth of JSON bodies" },
    { "limits", "request_timeout", OPT_SEC, "30", 1, 3600, true, RC(request_timeout_ms),
      "seconds a client has to complete a request (and the TLS handshake)" },
    { "limits", "idle_timeout", OPT_SEC, "300", 1, 86400, true, RC(idle_timeout_ms),
      "seconds an idle keep-alive HTTP connection stays open" },
    { "limits", "ws_ping_interval", OPT_SEC, "60", 1, 86400, true, RC(ws_ping_interval_ms),
      "seconds of silence after which perchd pings a WebSocket client" },
    { "limits", "ws_ping_timeout", OPT_SEC, "30", 1, 3600, true, RC(ws_ping_timeout_ms),
      "seconds a pinged WebSocket client has to answer before it is disconnected" },
    { "limits", "unauth_max", OPT_INT, "64", 1, 100000, true, RC(unauth_max),
      "connections not authenticated yet (TLS handshake or first request under way); when\n# one more comes, the oldest of the address with the most is closed" },
    { "limits", "unauth_max_per_addr", OPT_INT, "16", 1, 100000, true, RC(unauth_max_per_addr),
      "of those, from one address (IPv6: one /64); one more closes its oldest" },
    { "limits", "auth_timeout", OPT_SEC, "10", 1, 3600, true, RC(auth_timeout_ms),
      "seconds a new connection has to finish the TLS handshake and authenticate" },
    { "limits", "write_queue_max", OPT_SIZE, "16777216", 65536, 1073741824, true,
      RC(write_queue_max), "bytes queued to one client before it is disconnected as too slow" },
    { "limits", "close_grace", OPT_MS, "2000", 0, 60000, true, RC(close_grace_ms),
      "milliseconds to wait for a peer's close_notify or EOF when closing" },
    { "irc", "connect_timeout", OPT_MS, "60000", 100, 3600000, true, PC(irc.connect_timeout_ms),
      "milliseconds to connect to an IRC server and be welcomed, before trying again" },
    { "irc", "ping_interval", OPT_MS, "60000", 100, 3600000, true, PC(irc.ping_interval_ms),
      "milliseconds of silence from an IRC server after which perchd pings it" },
    { "irc", "ping_timeout", OPT_MS, "120000", 100, 3600000, true, PC(irc.ping_timeout_ms),
      "milliseconds a pinged IRC server has to answer before perchd reconnects" },
    { "irc", "reconnect_first", OPT_MS, "10000", 0, 3600000, true, PC(irc.reconnect_first_ms),
      "longest wait before the first reconnection (each wait is random up to a cap that\n# doubles with each failure; the first may be at once)" },
    { "irc", "auto_away", OPT_STRING, "no client attached", 0, 0, true, PC(irc.auto_away),
      "away message set on every network while no client is connected (cleared when one\n# connects); empty never sets it" },
    { "irc", "highlight_words", OPT_STRING, "", 0, 0, true, PC(irc.highlight_words),
      "comma-separated words that highlight in every buffer, as WeeChat's\n# weechat.look.highlight (IRC buffers also highlight your nick, and only in messages and\n# notices: /buffer set highlight_* changes a buffer's own)" },
    { "irc", "anti_flood", OPT_MS, "2000", 0, 60000, true, PC(irc.anti_flood_ms),
      "outgoing flood control: after a burst, one line to an IRC server per this many\n# milliseconds (WeeChat's irc.server_default.anti_flood); 0 sends everything at once" },
    { "irc", "anti_flood_burst", OPT_INT, "5", 1, 1000, true, PC(irc.anti_flood_burst),
      "lines sent at once before anti_flood paces them (registration and PONG are never\n# held back)" },
    { "irc", "catchup_max", OPT_INT, "1000", 0, 100000, true, PC(irc.catchup_max),
      "on servers offering draft/chathistory, at most this many missed lines fetched per\n# channel and private buffer after a reconnect, a restart or a /join; 0 disables it" },
    { "irc", "catchup_timeout", OPT_MS, "10000", 1, 600000, true, PC(irc.catchup_timeout_ms),
      "milliseconds live lines of a buffer wait for its catch-up to arrive before they are\n# shown anyway" },
    { "irc", "nick_regain_interval", OPT_MS, "60000", 0, 86400000, true, PC(irc.nick_regain_ms),
      "while a network gave us another nick than the first of its nicks, perchd asks\n# (ISON) this often, in milliseconds, whether that nick is free and takes it back; 0\n# never does; a /nick of yours stops it until the next connection" },
    { "irc", "notify_whois_interval", OPT_MS, "300000", 0, 604800000, true, PC(irc.notify_whois_ms),
      "how often, in milliseconds, /notify -away nicks are asked (WHOIS) whether they are\n# away (WeeChat's notify_check_whois); 0 never asks" },
    { "irc", "reconnect_max", OPT_MS, "600000", 0, 86400000, true, PC(irc.reconnect_max_ms),
      "the cap of reconnection waits never passes this many milliseconds" },
    { "core", "max_lines", OPT_INT, "4096", 1, 10000000, true, PC(max_lines),
      "lines kept in memory per buffer" },
    { "store", "max_age_days", OPT_INT, "0", 0, 36500, true, PC(store_max_age_days),
      "days a line stays in the database (DIR/perch.db); older ones are deleted in the\n# background, a few hundred a second, except those an open buffer still holds in\n# memory (they go once newer lines push them out); 0 keeps lines forever" },
    { "store", "max_lines_per_buffer", OPT_INT, "0", 0, 1000000000, true, PC(store_max_lines), "lines each history (the lines of one buffer name) keeps in the database, the\n# newest; below [core] max_lines, lines a buffer still shows are deleted from disk too\n# (clients see them until perchd restarts); 0 keeps every line" },
    { "store", "index_delay", OPT_MS, "100", 0, 3600000, true, PC(store_index_delay_ms),
      "milliseconds a stored line waits before its words go into the search index, with\n# those of the lines that follow (one batch); searches always see every line" },
    { "log", "level", OPT_STRING, "info", 0, 0, true, PC(log_level), "error, warn, info or debug" },
    { "metrics", "relay", OPT_BOOL, "off", 0, 1, true, PC(metrics_relay),
      "on: GET /metrics (OpenMetrics text) on the relay's listeners, with the relay's\n"
      "# credentials as for /api" },
    { "metrics", "listen", OPT_STRING, "", 0, 0, false, PC(metrics_listen),
      "HOST:PORT of a plain HTTP listener serving GET /metrics without credentials; the\n"
      "# host must be a loopback address (127.0.0.0/8 or ::1); empty for none" },
};

#define N_OPTIONS (sizeof(options) / sizeof(options[0]))

static void *
option_field(struct perchd_config *cfg, const struct option *o)
{
    return (char *)cfg + o->offset;
}

static int
option_set(struct perchd_config *cfg, const struct option *o, const char *value)
{
    void *field = option_field(cfg, o);
    char *end;
    long long v;

    if (o->type == OPT_STRING) {
        free(*(char **)field);
        *(char **)field = xstrdup(value);
        return 0;
    }
    if (o->type == OPT_BOOL) {
        if (strcmp(value, "on") != 0 && strcmp(value, "off") != 0)
            return -EINVAL;
        *(bool *)field = strcmp(value, "on") == 0;
        return 0;
    }
    errno = 0;
    v = strtoll(value, &end, 10);
    if (errno || end == value || *end || v < o->min || v > o->max)
        return -EINVAL;
    if (o->type == OPT_INT)
        *(int *)field = (int)v;
    else if (o->type == OPT_SIZE)
        *(size_t *)field = (size_t)v;
    else if (o->type == OPT_MS)
        *(uint64_t *)field = (uint64_t)v;
    else
        *(uint64_t *)field = (uint64_t)v * 1000;
    return 0;
}

void
perchd_config_defaults(struct perchd_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    for (size_t i = 0; i < N_OPTIONS; i++)
        option_set(cfg, &options[i], options[i].def);
}

void
perchd_config_fini(struct perchd_config *cfg)
{
    for (size_t i = 0; i < N_OPTIONS; i++) {
        if (options[i].type == OPT_STRING)
            free(*(char **)option_field(cfg, &options[i]));
    }
    free(cfg->relay.networks);
    for (size_t i = 0; i < cfg->n_irc_networks; i++) {
        struct irc_network_def *def = &cfg->irc_networks[i];
        for (size_t j = 0; j < def->n_options; j++) {
            free(def->options[j]);
            free(def->values[j]);
        }
        free(def->options);
        free(def->values);
        free(def->name);
    }
    free(cfg->irc_networks);
    memset(cfg, 0, sizeof(*cfg));
}

struct load_ctx {
    struct perchd_config *cfg;
    char *err;
    size_t err_len;
    bool failed;
};

#define CONFIG_NETWORK_SECTION "irc.server."

/* "[irc.server.NAME] option = value": kept as written, checked whole once read. */
static void
config_network_option(struct perchd_config *cfg, const char *name, const char *option,
                      const char *value)
{
    struct irc_network_def *def = NULL;

    for (size_t i = 0; i < cfg->n_irc_networks; i++) {
        if (strcmp(cfg->irc_networks[i].name, name) == 0)
            def = &cfg->irc_networks[i];
    }
    if (!def) {
        cfg->irc_networks =
            xrealloc(cfg->irc_networks, (cfg->n_irc_networks + 1) * sizeof(*cfg->irc_networks));
        def = &cfg->irc_networks[cfg->n_irc_networks++];
        *def = (struct irc_network_def){ .name = xstrdup(name) };
    }
    def->options = xrealloc(def->options, (def->n_options + 1) * sizeof(char *));
    def->values = xrealloc(def->values, (def->n_options + 1) * sizeof(char *));
    def->options[def->n_options] = xstrdup(option);
    def->values[def->n_options++] = xstrdup(value);
}

static int
config_on_value(void *user, const char *section, const char *name, const char *value)
{
    struct load_ctx *ctx = user;

    if (ctx->failed)
        return 0;
    if (strncmp(section, CONFIG_NETWORK_SECTION, strlen(CONFIG_NETWORK_SECTION)) == 0) {
        config_network_option(ctx->cfg, section + strlen(CONFIG_NETWORK_SECTION), name, value);
        return 1;
    }
    for (size_t i = 0; i < N_OPTIONS; i++) {
        if (strcmp(options[i].section, section) != 0 || strcmp(options[i].name, name) != 0)
            continue;
        if (option_set(ctx->cfg, &options[i], value) == 0)
            return 1;
        if (options[i].type == OPT_BOOL)
            snprintf(ctx->err, ctx->err_len, "[%s] %s: invalid value \"%s\" (expected on or off)",
                     section, name, value);
        else
            snprintf(ctx->err, ctx->err_len, "[%s] %s: invalid value \"%s\" (expected %lld..%lld)",
                     section, name, value, options[i].min, options[i].max);
        ctx->failed = true;
        return 0;
    }
    snprintf(ctx->err, ctx->err_len, "unknown option [%s] %s", section, name);
    ctx->failed = true;
    return 0;
}

static int
config_parse_network(const char *text, struct relay_network *net)
{
    char addr[64];
    const char *slash = strchr(text, '/');
    size_t len = slash ? (size_t)(slash - text) : strlen(text);
    long prefix;
    char *end;

    if (len == 0 || len >= sizeof(addr))
        return -EINVAL;
    memcpy(addr, text, len);
    addr[len] = '\0';
    memset(net, 0, sizeof(*net));
    if (inet_pton(AF_INET6, addr, net->addr) == 1) {
        prefix = 128;
    } else if (inet_pton(AF_INET, addr, net->addr + 12) == 1) {
        net->addr[10] = net->addr[11] = 0xff;
        prefix = 32;
    } else {
        return -EINVAL;
    }
    if (slash) {
        long max = prefix;
        prefix = strtol(slash + 1, &end, 10);
        if (!slash[1] || *end || prefix < 0 || prefix > max)
            return -EINVAL;
        if (max == 32)
            prefix += 96;
    }
    net->prefix_len = (int)prefix;
    return 0;
}

static int
config_parse_networks(struct perchd_config *cfg, char *err, size_t err_len)
{
    char *copy = xstrdup(cfg->allowed_networks), *save = NULL;
    int rc = 0;

    for (char *tok = strtok_r(copy, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
        struct relay_network net;
        if (config_parse_network(tok, &net) < 0) {
            snprintf(err, err_len, "[relay] allowed_networks: invalid network \"%s\"", tok);
            rc = -1;
            break;
        }
        cfg->relay.networks = xrealloc(cfg->relay.networks,
                                       (cfg->relay.n_networks + 1) * sizeof(*cfg->relay.networks));
        cfg->relay.networks[cfg->relay.n_networks++] = net;
    }
    free(copy);
    return rc;
}

static void
config_absolute(char **path, const char *dir)
{
    size_t len;
    char *abs;

    if ((*path)[0] == '/' || !(*path)[0])
        return;
    len = strlen(dir) + strlen(*path) + 2;
    abs = xmalloc(len);
    snprintf(abs, len, "%s/%s", dir, *path);
    free(*path);
    *path = abs;
}

/* The metrics listener has no credentials: only this host may reach it. */
static int
config_check_loopback(const char *host_port)
{
    char host[256];
    unsigned char addr[16];
    int port;

    if (net_parse_host_port(host_port, host, sizeof(host), &port) < 0)
        return -EINVAL;
    if (inet_pton(AF_INET, host, addr) == 1)
        return addr[0] == 127 ? 0 : -EINVAL;
    return inet_pton(AF_INET6, host, addr) == 1 && memcmp(addr, &in6addr_loopback, 16) == 0
               ? 0
               : -EINVAL;
}

static int
config_validate(struct perchd_config *cfg, const char *dir, char *err, size_t err_len)
{
    char host[256];
    int port;
    enum log_level level;

    if (cfg->tls_listen[0] && net_parse_host_port(cfg->tls_listen, host, sizeof(host), &port)) {
        snprintf(err, err_len, "[relay] tls_listen: expected HOST:PORT, got \"%s\"",
                 cfg->tls_listen);
        return -1;
    }
    if (cfg->plain_listen[0] && net_parse_host_port(cfg->plain_listen, host, sizeof(host), &port)) {
        snprintf(err, err_len, "[relay] plain_listen: expected HOST:PORT, got \"%s\"",
                 cfg->plain_listen);
        return -1;
    }
    if (cfg->metrics_listen[0] && config_check_loopback(cfg->metrics_listen) < 0) {
        snprintf(err, err_len,
                 "[metrics] listen: expected a loopback HOST:PORT (127.0.0.1:9100, [::1]:9100), "
                 "got \"%s\"",
                 cfg->metrics_listen);
        return -1;
    }
    if (!cfg->tls_listen[0] && !cfg->plain_listen[0]) {
        snprintf(err, err_len, "no listener: set [relay] tls_listen or plain_listen");
        return -1;
    }
    if (log_level_parse(cfg->log_level, &level) < 0) {
        snprintf(err, err_len, "[log] level: expected error, warn, info or debug");
        return -1;
    }
    if (strcmp(cfg->relay.api_version, "0.4.1") != 0 &&
        strcmp(cfg->relay.api_version, "0.6.0") != 0) {
        snprintf(err, err_len, "[relay] api_version: expected 0.4.1 or 0.6.0, got \"%s\"",
                 cfg->relay.api_version);
        return -1;
    }
    if (cfg->relay.password_hash[0] && strncmp(cfg->relay.password_hash, "pbkdf2+sha", 10) != 0) {
        snprintf(err, err_len, "[relay] password_hash: not a hash made by perchd --hash-password");
        return -1;
    }
    if (cfg->relay.throttle.block_max_ms < cfg->relay.throttle.block_min_ms) {
        snprintf(err, err_len, "[relay] auth_block_max: must not be below auth_block_min");
        return -1;
    }
    if (!cfg->relay.password_hash[0]) {
        free(cfg->relay.password_hash);
        cfg->relay.password_hash = NULL;
    }
    for (size_t i = 0; i < cfg->n_irc_networks; i++) {
        if (irc_network_def_check(&cfg->irc_networks[i], err, err_len) < 0)
            return -1;
    }
    config_absolute(&cfg->tls_cert, dir);
    config_absolute(&cfg->tls_key, dir);
    return config_parse_networks(cfg, err, err_len);
}

int
perchd_config_load(struct perchd_config *cfg, const char *path, const char *dir, char *err,
                   size_t err_len)
{
    struct load_ctx ctx = { cfg, err, err_len, false };
    int rc;

    perchd_config_defaults(cfg);
    rc = ini_parse(path, config_on_value, &ctx);
    if (rc < 0) {
        snprintf(err, err_len, "%s: cannot read: %s", path, strerror(errno));
        goto fail;
    }
    if (rc > 0 && !ctx.failed)
        snprintf(err, err_len, "%s: line %d: syntax error", path, rc);
    else if (ctx.failed) {
        char reason[256];
        snprintf(reason, sizeof(reason), "%s", err);
        snprintf(err, err_len, "%s: line %d: %s", path, rc, reason);
    }
    if (rc > 0)
        goto fail;
    if (config_validate(cfg, dir, err, err_len) == 0)
        return 0;
fail:
    perchd_config_fini(cfg);
    return -1;
}

int
perchd_config_write_default(const char *path, const char *password, char *err, size_t err_len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    const char *section = "";
    FILE *f;

    if (fd < 0 || !(f = fdopen(fd, "w"))) {
        snprintf(err, err_len, "%s: cannot create: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    fprintf(f, "# perchd configuration. Every option is shown with its default.\n"
               "# perchd reads it at start and on SIGHUP (listen addresses need a restart).\n");
    for (size_t i = 0; i < N_OPTIONS; i++) {
        const struct option *o = &options[i];
        const char *value = o->def;
        if (strcmp(section, o->section) != 0) {
            section = o->section;
            fprintf(f, "\n[%s]\n", section);
        }
        if (strcmp(o->name, "password") == 0 && password)
            value = password;
        fprintf(f, "# %s\n%s = %s\n", o->help, o->name, value);
    }
    fprintf(f, "\n# IRC networks may be defined here too, a section each, with the options of\n"
               "# /set irc.server.NAME.OPTION: addresses (HOST[/PORT][,HOST2[/PORT]...], every\n"
               "# address of each host tried in turn), tls, tls_verify, tls_cert (absolute path\n"
               "# of a PEM file holding the client certificate and its key), tls_fingerprint,\n"
               "# password, nicks, username, realname, sasl_mechanism, sasl_username,\n"
               "# sasl_password, sasl_fail (continue, reconnect or disconnect), sasl_timeout\n"
               "# (seconds), autoconnect, autojoin, notify. They are read at start (a reload only\n"
               "# checks them): an option written here wins over the value /server or /set saved,\n"
               "# the options not written keep the saved values, a network only here is created.\n"
               "# Removing a section does not delete the network (/server del does). Example:\n"
               "# [irc.server.libera]\n"
               "# addresses = irc.libera.chat/6697\n"
               "# nicks = me,me_\n"
               "# autoconnect = on\n");
    if (fclose(f) != 0) {
        snprintf(err, err_len, "%s: cannot write", path);
        return -1;
    }
    return 0;
}

const char *
perchd_config_fixed_change(const struct perchd_config *a, const struct perchd_config *b)
{
    for (size_t i = 0; i < N_OPTIONS; i++) {
        const struct option *o = &options[i];
        if (o->reloadable || o->type != OPT_STRING)
            continue;
        if (strcmp(*(char *const *)((const char *)a + o->offset),
                   *(char *const *)((const char *)b + o->offset)) != 0)
            return o->name;
    }
    return NULL;
}
