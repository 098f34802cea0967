/* SPDX-License-Identifier: MIT */
/* What a network's buffers show of its state: local variables (nick, away, lag, modes,
 * tls_version), prompts, title, our host, auto-away. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "channel.h"
#include "core/core.h"
#include "internal.h"
#include "net/conn.h"
#include "prefix.h"
#include "tls/session.h"

void
irc__server_auto_away(struct irc_server *s)
{
    const char *message = s->irc->timing.auto_away;
    bool want = !s->irc->clients_attached && message && message[0] && !s->away_by_user;

    if (s->state != IRC_CONNECTED || want == s->away_auto)
        return;
    const char *params[] = { message };
    if (irc__server_send(s, "AWAY", params, want ? 1 : 0) == 0) {
        s->away_auto = want;
        irc__server_set_away(s, want ? message : NULL);
    }
}

/* A local variable on the server buffer and every channel and private buffer (NULL: gone). */
void
irc__server_set_localvar_all(struct irc_server *s, const char *key, const char *value)
{
    struct list *pos;

    if (s->buffer)
        core_buffer_set_localvar(s->buffer, key, value);
    list_for_each (pos, &s->channels) {
        struct irc_channel *c = list_entry(pos, struct irc_channel, link);
        if (c->buffer)
            core_buffer_set_localvar(c->buffer, key, value);
    }
}

void
irc__server_update_prompts(struct irc_server *s)
{
    struct list *pos;
    char *prompt;

    if (s->buffer) {
        prompt = irc_prefix_input_prompt(&s->isupport, NULL, s->nick, s->usermodes);
        core_buffer_set_input_prompt(s->buffer, prompt);
        free(prompt);
    }
    list_for_each (pos, &s->channels)
        irc_channel_update_prompt(list_entry(pos, struct irc_channel, link));
}

void
irc__server_set_host(struct irc_server *s, const char *host)
{
    if (!host || !host[0] || (s->host && strcmp(s->host, host) == 0))
        return;
    free(s->host);
    s->host = xstrdup(host);
    irc__server_set_localvar_all(s, "host", host);
}

void
irc__server_set_usermodes(struct irc_server *s, const char *change, bool reset)
{
    char modes[64];
    bool add = true;

    snprintf(modes, sizeof(modes), "%s", reset || !s->usermodes ? "" : s->usermodes);
    for (const char *p = change ? change : ""; *p && *p != ' '; p++) {
        char *at = strchr(modes, *p);
        size_t len = strlen(modes);
        if (*p == '+' || *p == '-')
            add = *p == '+';
        else if (add && !at && len + 1 < sizeof(modes))
            modes[len] = *p, modes[len + 1] = '\0';
        else if (!add && at)
            memmove(at, at + 1, strlen(at));
    }
    free(s->usermodes);
    s->usermodes = modes[0] ? xstrdup(modes) : NULL;
    irc__server_update_prompts(s);
}

void
irc__server_lag_localvar(const struct irc_server *s, struct core_buffer *buffer)
{
    char lag[32];

    if (!buffer)
        return;
    /* irc.network.lag_min_show is 500 ms; the lag is shown in seconds, "%.3f", or while
     * our PING waits past a second, the running count in whole seconds (irc_server_set_lag). */
    if (s->state != IRC_CONNECTED || s->lag_ms < 500) {
        core_buffer_set_localvar(buffer, "lag", NULL);
        return;
    }
    snprintf(lag, sizeof(lag), s->ping_sent_ms && s->lag_ms >= 1000 ? "%.0f" : "%.3f",
             (double)s->lag_ms / 1000.0);
    core_buffer_set_localvar(buffer, "lag", lag);
}

/* The lag on every buffer of the server. */
void
irc__server_set_lag(struct irc_server *s, int64_t lag_ms)
{
    struct list *pos;

    s->lag_ms = lag_ms;
    irc__server_lag_localvar(s, s->buffer);
    list_for_each (pos, &s->channels) {
        struct irc_channel *c = list_entry(pos, struct irc_channel, link);
        irc__server_lag_localvar(s, c->buffer);
    }
}

void
irc__server_pong(struct irc_server *s)
{
    uint64_t sent = s->ping_sent_ms;

    if (!sent)
        return;
    s->ping_sent_ms = 0; /* answered: the lag is exact again ("%.3f") */
    irc__server_set_lag(s, (int64_t)(uv_now(s->irc->loop) - sent));
}

void
irc__server_set_away(struct irc_server *s, const char *message)
{
    struct list *pos;

    free(s->away_message);
    s->away_message = message ? xstrdup(message) : NULL;

    if (s->buffer)
        core_buffer_set_localvar(s->buffer, "away", message);
    list_for_each (pos, &s->channels) {
        struct irc_channel *c = list_entry(pos, struct irc_channel, link);
        if (c->buffer)
            core_buffer_set_localvar(c->buffer, "away", message);
    }
}

void
irc__server_peer_ip(const struct irc_server *s, char *ip, size_t ip_len)
{
    struct sockaddr_storage addr;

    ip[0] = '\0';
    if (!s->conn || net_conn_peer_addr(s->conn, &addr) != 0)
        return;
    if (addr.ss_family == AF_INET6)
        uv_ip6_name((const struct sockaddr_in6 *)&addr, ip, ip_len);
    else
        uv_ip4_name((const struct sockaddr_in *)&addr, ip, ip_len);
}

/* "IRC: address/port (ip)" and tls_version ("TLS1.3", or "cleartext"), as WeeChat's 001. */
void
irc__server_set_title_and_tls(struct irc_server *s)
{
    const struct irc_address *a = &s->cfg->addresses[s->address_index % s->cfg->n_addresses];
    char ip[INET6_ADDRSTRLEN], title[600];
    const char *version = "cleartext";

    if (!s->buffer || !s->conn)
        return;
    irc__server_peer_ip(s, ip, sizeof(ip));
    snprintf(title, sizeof(title), "IRC: %s/%d (%s)", a->host, s->link_port, ip);
    core_buffer_set_title(s->buffer, title);
    if (net_conn_is_tls(s->conn))
        version = tls_session_version_name(net_conn_tls(s->conn));
    core_buffer_set_localvar(s->buffer, "tls_version", version);
}

bool
irc__server_nick_of_list(const struct irc_server *s, size_t index, char *out, size_t out_len)
{
    const char *p = s->cfg->nicks;
    size_t len = 0;

    for (size_t i = 0;; i++) {
        p += strspn(p, ", ");
        len = strcspn(p, ",");
        if (!*p)
            break;
        if (i == index)
            break;
        p += len;
    }
    while (len && p[len - 1] == ' ')
        len--;
    snprintf(out, out_len, "%.*s", (int)len, p);
    return len > 0;
}

void
irc__server_first_nick(const struct irc_server *s, char *out, size_t out_len)
{
    irc__server_nick_of_list(s, 0, out, out_len);
}
