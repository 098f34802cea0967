/* SPDX-License-Identifier: MIT */
/*
 * IRC links across an upgrade. A plain registered link keeps its socket across the exec
 * with its whole state (nick, user modes, away, ISUPPORT, lag and ping times, the partial
 * line read, the lines the flood queue still holds, channels with their nicks): the new
 * process adopts it and reads on, sending nothing again. TLS links and links still
 * registering end with QUIT and connect again at once, their channels joined again.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hex.h"
#include "base/json.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "channel.h"
#include "core/core.h"
#include "internal.h"
#include "irc.h"
#include "look.h"
#include "net/conn.h"
#include "net/listener.h"
#include "net/socket_check.h"

/* What a state may hold at most, whatever it says. */
#define HANDOVER_NICKS_MAX    100000
#define HANDOVER_CHANNELS_MAX 10000

static bool
handover_keeps(const struct irc_server *s)
{
    return s->held && !s->removing && irc__server_can_hand_over(s);
}

size_t
irc_upgrade_kept(const struct irc *irc)
{
    struct list *pos;
    size_t n = 0;

    list_for_each (pos, &irc->servers)
        n += handover_keeps(list_entry(pos, struct irc_server, link));
    return n;
}

bool
irc_upgrade_ready(const struct irc *irc)
{
    struct list *pos;

    list_for_each (pos, &irc->servers) {
        const struct irc_server *s = list_entry(pos, struct irc_server, link);
        if (handover_keeps(s) && net_conn_pending(s->conn) > 0)
            return false;
    }
    return true;
}

size_t
irc_upgrade_close_unflushed(struct irc *irc)
{
    struct list *pos;
    size_t n = 0;

    list_for_each (pos, &irc->servers) {
        struct irc_server *s = list_entry(pos, struct irc_server, link);
        if (!handover_keeps(s) || net_conn_pending(s->conn) == 0)
            continue;
        /* Bytes the kernel has not taken would be lost in the exec: this link ends here. */
        s->held = false;
        irc__server_disconnect(s, "perchd upgrading", false);
        n++;
    }
    return n;
}

size_t
irc_upgrade_fds(const struct irc *irc, int *fds)
{
    struct list *pos;
    size_t n = 0;

    list_for_each (pos, &irc->servers) {
        const struct irc_server *s = list_entry(pos, struct irc_server, link);
        if (handover_keeps(s))
            fds[n++] = net_conn_fd(s->conn);
    }
    return n;
}

/* ---- saving ---- */

/* Bytes from the network (a partial line, a queued line) as hex: JSON strings must be
 * UTF-8, IRC bytes need not be. */
static struct pjson *
handover_hex(const char *data, size_t len)
{
    char *text = xmalloc(2 * len + 1);
    struct pjson *v;

    hex_encode(data, len, text);
    v = pjson_string(text);
    free(text);
    return v;
}

static int64_t
handover_ago(uint64_t now, uint64_t then)
{
    return then && now >= then ? (int64_t)(now - then) : -1;
}

/* Flood tokens in thousandths, rounded: truncating would lose one for tokens such as 1.001,
 * which is 1000.9999... thousandths in binary. */
static int64_t
handover_milli(double tokens)
{
    return (int64_t)(tokens * 1000 + 0.5);
}

static struct pjson *
handover_save_nicks(const struct irc_channel *c)
{
    struct pjson *arr = pjson_array();
    struct list *pos;

    list_for_each (pos, &c->nicks) {
        const struct irc_nick *n = list_entry(pos, struct irc_nick, link);
        struct pjson *j = pjson_array();
        pjson_push(j, pjson_string(n->name));
        pjson_push(j, pjson_string(n->prefixes));
        pjson_push(j, n->host ? pjson_string(n->host) : pjson_null());
        pjson_push(j, pjson_bool(n->away));
        pjson_push(j, n->account ? pjson_string(n->account) : pjson_null());
        pjson_push(j, n->realname ? pjson_string(n->realname) : pjson_null());
        pjson_push(arr, j);
    }
    return arr;
}

static struct pjson *
handover_save_speakers(const struct irc_channel *c)
{
    struct pjson *arr = pjson_array();
    struct list *pos;

    /* Newest first, as kept. */
    list_for_each (pos, &c->speakers) {
        const struct irc_speaker *sp = list_entry(pos, struct irc_speaker, link);
        struct pjson *j = pjson_array();
        pjson_push(j, pjson_string(sp->nick));
        pjson_push(j, pjson_int(sp->at));
        pjson_push(arr, j);
    }
    return arr;
}

/* Each list mode's list: [mode, receiving, [[number, mask, setter or null, when], ...]]. */
static struct pjson *
handover_save_modelists(const struct irc_channel *c)
{
    struct pjson *arr = pjson_array();

    for (size_t i = 0; i < c->modelists.n; i++) {
        const struct irc_modelist *l = &c->modelists.lists[i];
        struct pjson *j = pjson_array(), *items = pjson_array();
        char mode[2] = { l->mode, '\0' };
        for (size_t k = 0; k < l->n; k++) {
            const struct irc_modelist_item *it = &l->items[k];
            struct pjson *item = pjson_array();
            pjson_push(item, pjson_int(it->number));
            pjson_push(item, pjson_string(it->mask));
            pjson_push(item, it->setter ? pjson_string(it->setter) : pjson_null());
            pjson_push(item, pjson_int(it->when));
            pjson_push(items, item);
        }
        pjson_push(j, pjson_string(mode));
        pjson_push(j, pjson_bool(l->receiving));
        pjson_push(j, items);
        pjson_push(arr, j);
    }
    return arr;
}

static struct pjson *
handover_save_channel(const struct irc_channel *c, bool kept)
{
    struct pjson *o = pjson_object();

    pjson_add_str(o, "name", c->name);
    pjson_add_bool(o, "private", c->type == IRC_PRIVATE);
    if (c->key)
        pjson_add_str(o, "key", c->key);
    if (!kept) {
        pjson_add_bool(o, "rejoin", c->rejoin || c->joined);
        return o;
    }
    pjson_add_bool(o, "joined", c->joined);
    pjson_add_bool(o, "rejoin", c->rejoin);
    if (c->modes)
        pjson_add_str(o, "modes", c->modes);
    if (c->topic)
        pjson_add_str(o, "topic", c->topic);
    pjson_add_bool(o, "names_done", c->names_done);
    pjson_add_bool(o, "got_324", c->got_324);
    pjson_add_int(o, "who_checks", c->who_checks);
    pjson_add(o, "nicks", handover_save_nicks(c));
    pjson_add(o, "speakers", handover_save_speakers(c));
    pjson_add(o, "lists", handover_save_modelists(c));
    return o;
}

/* What the server monitors for us, each nick with what it last said of it. */
static struct pjson *
handover_save_monitor(const struct irc_server *s)
{
    struct pjson *arr = pjson_array();

    for (size_t i = 0; i < s->monitor.n; i++) {
        struct pjson *j = pjson_array();
        pjson_push(j, pjson_string(s->monitor.nicks[i].nick));
        pjson_push(j, pjson_int(s->monitor.nicks[i].state));
        pjson_push(arr, j);
    }
    return arr;
}

/* What the "-away" nicks were last seen with (not said again after), and whether our WHOIS
 * of each is still answering (its replies stay unseen). */
static struct pjson *
handover_save_away(const struct irc_server *s)
{
    struct pjson *arr = pjson_array();

    for (size_t i = 0; i < s->n_away_watch; i++) {
        const struct irc_away_watch *w = &s->away_watch[i];
        struct pjson *j = pjson_array();
        pjson_push(j, pjson_string(w->nick));
        pjson_push(j, w->message ? pjson_string(w->message) : pjson_null());
        pjson_push(j, pjson_bool(w->asked));
        pjson_push(j, w->seen ? pjson_string(w->seen) : pjson_null());
        pjson_push(arr, j);
    }
    return arr;
}

static void
handover_save_link(const struct irc_server *s, struct pjson *o, uint64_t now)
{
    struct pjson *isupport = pjson_array(), *queue = pjson_array();
    size_t partial_len;
    const char *partial = irc_reader_partial(&s->reader, &partial_len);

    pjson_add_int(o, "fd", net_conn_fd(s->conn));
    pjson_add_str(o, "peer", net_conn_peer_name(s->conn));
    pjson_add_str(o, "nick", s->nick ? s->nick : "");
    if (s->usermodes)
        pjson_add_str(o, "usermodes", s->usermodes);
    char *caps = irc__caps_enabled_list(s);
    pjson_add_str(o, "caps", caps);
    free(caps);
    if (s->host)
        pjson_add_str(o, "host", s->host);
    pjson_add_int(o, "nick_index", (int64_t)s->nick_index);
    pjson_add_bool(o, "away_auto", s->away_auto);
    pjson_add(o, "monitor", handover_save_monitor(s));
    pjson_add(o, "away_watch", handover_save_away(s));
    for (size_t i = 0; i < s->isupport.n; i++) {
        struct pjson *kv = pjson_array();
        pjson_push(kv, pjson_string(s->isupport.keys[i]));
        pjson_push(kv, pjson_string(s->isupport.values[i]));
        pjson_push(isupport, kv);
    }
    pjson_add(o, "isupport", isupport);
    pjson_add(o, "partial", handover_hex(partial, partial_len));
    pjson_add_bool(o, "skipping", s->reader.skipping);
    pjson_add_int(o, "too_long", (int64_t)s->reader.too_long);
    for (size_t i = 0; i < s->n_queue; i++)
        pjson_push(queue, handover_hex(s->queue[i], strlen(s->queue[i])));
    pjson_add(o, "queue", queue);
    pjson_add_int(o, "flood_milli", handover_milli(s->flood.tokens));
    pjson_add_int(o, "ctcp_flood_milli", handover_milli(s->ctcp_flood.tokens));
    /* Times as ages: the new process has its own clock origin. */
    pjson_add_int(o, "ping_sent_ago_ms", handover_ago(now, s->ping_sent_ms));
    pjson_add_int(o, "last_ping_ago_ms", handover_ago(now, s->last_ping_ms));
    pjson_add_int(o, "last_read_ago_ms", handover_ago(now, s->last_read_ms));
    pjson_add_int(o, "connected_ago_ms", handover_ago(now, s->connected_ms));
    /* The "-away" nicks are asked again when they would have been. */
    pjson_add_int(o, "away_in_ms", s->away_next_ms > now ? (int64_t)(s->away_next_ms - now) : 0);
    pjson_add_int(o, "lag_ms", s->lag_ms);
    pjson_add_int(o, "backoff_attempt", s->backoff.attempt);
}

static struct pjson *
handover_save_server(const struct irc_server *s, uint64_t now)
{
    struct pjson *o = pjson_object(), *channels = pjson_array();
    bool kept = handover_keeps(s);
    struct list *pos;

    pjson_add_str(o, "name", s->cfg->name);
    pjson_add_bool(o, "kept", kept);
    pjson_add_int(o, "address_index", (int64_t)s->address_index);
    pjson_add_bool(o, "away_by_user", s->away_by_user);
    if (s->away_message)
        pjson_add_str(o, "away_message", s->away_message);
    list_for_each (pos, &s->channels)
        pjson_push(channels,
                   handover_save_channel(list_entry(pos, struct irc_channel, link), kept));
    pjson_add(o, "channels", channels);
    if (kept)
        handover_save_link(s, o, now);
    return o;
}

struct pjson *
irc_upgrade_save(const struct irc *irc)
{
    struct pjson *o = pjson_object(), *links = pjson_array();
    uint64_t now = uv_now(irc->loop);
    struct list *pos;

    list_for_each (pos, &irc->servers) {
        const struct irc_server *s = list_entry(pos, struct irc_server, link);
        if (!s->removing)
            pjson_push(links, handover_save_server(s, now));
    }
    pjson_add_int(o, "version", 1);
    pjson_add(o, "links", links);
    return o;
}

/* ---- restoring ---- */

void
irc_set_handover(struct irc *irc, const struct pjson *state)
{
    pjson_free(irc->handover);
    irc->handover = state ? pjson_copy(state) : NULL;
}

static const char *
handover_str(const struct pjson *o, const char *key)
{
    const struct pjson *v = pjson_get(o, key);

    return pjson_is_string(v) ? pjson_str(v) : NULL;
}

/* A number in [min, max], or def when missing or out of range. */
static int64_t
handover_int(const struct pjson *o, const char *key, int64_t min, int64_t max, int64_t def)
{
    const struct pjson *v = pjson_get(o, key);
    double n = pjson_is_number(v) ? pjson_number(v) : (double)def;

    return n >= (double)min && n <= (double)max ? (int64_t)n : def;
}

/* Decodes hex text (NUL-terminated copy, caller frees); NULL when it is not hex. */
static char *
handover_unhex(const char *text, size_t *len)
{
    size_t n = text ? strlen(text) : 0;
    char *out;

    if (!text || n > INT_MAX)
        return NULL;
    out = xmalloc(n / 2 + 1);
    if (hex_decode(text, n, out) < 0) {
        free(out);
        return NULL;
    }
    out[n / 2] = '\0';
    *len = n / 2;
    return out;
}

static const struct pjson *
handover_find(const struct irc *irc, const char *name)
{
    pjson_for_each (link, pjson_get(irc->handover, "links")) {
        const char *n = handover_str(link, "name");
        if (n && strcmp(n, name) == 0)
            return link;
    }
    return NULL;
}

static void
handover_restore_nicks(struct irc_channel *c, const struct pjson *nicks)
{
    size_t count = 0;

    pjson_for_each (j, nicks) {
        const char *name = pjson_is_string(pjson_at(j, 0)) ? pjson_str(pjson_at(j, 0)) : NULL;
        const char *prefixes = pjson_is_string(pjson_at(j, 1)) ? pjson_str(pjson_at(j, 1)) : "";
        const struct pjson *host = pjson_at(j, 2), *account = pjson_at(j, 4);
        const struct pjson *realname = pjson_at(j, 5);
        struct irc_nick *n;
        if (!name || !name[0] || ++count > HANDOVER_NICKS_MAX)
            continue;
        /* The nicklist itself came with the core's buffers: only irc's side is rebuilt. */
        n = xcalloc(1, sizeof(*n));
        n->name = xstrdup(name);
        snprintf(n->prefixes, sizeof(n->prefixes), "%s", prefixes);
        n->host = pjson_is_string(host) ? xstrdup(pjson_str(host)) : NULL;
        n->away = pjson_true(pjson_at(j, 3));
        n->account = pjson_is_string(account) ? xstrdup(pjson_str(account)) : NULL;
        n->realname = pjson_is_string(realname) ? xstrdup(pjson_str(realname)) : NULL;
        irc_channel_nick_attach(c, n);
    }
}

static void
handover_restore_speakers(struct irc_channel *c, const struct pjson *speakers)
{
    pjson_for_each (j, speakers) {
        double at = pjson_is_number(pjson_at(j, 1)) ? pjson_number(pjson_at(j, 1)) : -1;
        /* Seconds since the epoch, as time() gives them. */
        if (pjson_is_string(pjson_at(j, 0)) && at >= 0 && at <= 1e15)
            irc_channel_speaker_restore(c, pjson_str(pjson_at(j, 0)), (int64_t)at);
    }
}

static void
handover_restore_modelists(struct irc_channel *c, const struct pjson *lists)
{
    pjson_for_each (j, lists) {
        const struct pjson *mode = pjson_at(j, 0);
        struct irc_modelist *l;
        if (!pjson_is_string(mode) || strlen(pjson_str(mode)) != 1 ||
            irc_modelists_find(&c->modelists, pjson_str(mode)[0]) ||
            !(l = irc_modelists_get(&c->modelists, pjson_str(mode)[0])))
            continue;
        l->receiving = pjson_true(pjson_at(j, 1));
        pjson_for_each (item, pjson_at(j, 2)) {
            const struct pjson *number = pjson_at(item, 0), *mask = pjson_at(item, 1);
            const struct pjson *setter = pjson_at(item, 2), *when = pjson_at(item, 3);
            double n = pjson_is_number(number) ? pjson_number(number) : -1;
            double at = pjson_is_number(when) ? pjson_number(when) : -1;
            /* irc_modelist_put refuses numbers out of order or range. */
            if (n < 1 || n > IRC_MODELIST_NUMBER_MAX || n != (double)(int)n ||
                !pjson_is_string(mask) || at < 0 || at > (double)IRC_MODELIST_WHEN_MAX)
                continue;
            irc_modelist_put(l, (int)n, pjson_str(mask),
                             pjson_is_string(setter) ? pjson_str(setter) : NULL, (int64_t)at);
        }
    }
}

/* A channel as it was; built whole before its buffer is attached, so that the buffer (which
 * the core restored) sees no change. kept: the link crossed, else it is joined again. */
static void
handover_restore_channel(struct irc_server *s, const struct pjson *j, bool kept)
{
    const char *name = handover_str(j, "name");
    bool private = pjson_true(pjson_get(j, "private"));
    const char *key = handover_str(j, "key"), *modes = handover_str(j, "modes");
    struct irc_channel *c;

    if (!name || !name[0] || irc_channel_find(s, name))
        return;
    c = irc_channel_new(s, name, private ? IRC_PRIVATE : IRC_CHANNEL);
    c->key = key && key[0] ? xstrdup(key) : NULL;
    /* A link that did not cross joins again whatever it was in. */
    c->rejoin = !private && (pjson_true(pjson_get(j, "rejoin")) ||
                             (!kept && pjson_true(pjson_get(j, "joined"))));
    if (kept) {
        const char *topic = handover_str(j, "topic");
        c->joined = !private && pjson_true(pjson_get(j, "joined"));
        c->modes = modes && modes[0] ? xstrdup(modes) : NULL;
        c->topic = topic ? xstrdup(topic) : NULL;
        c->names_done = pjson_true(pjson_get(j, "names_done"));
        c->got_324 = pjson_true(pjson_get(j, "got_324"));
        c->who_checks = (unsigned)handover_int(j, "who_checks", 0, 1000, 0);
        handover_restore_nicks(c, pjson_get(j, "nicks"));
        handover_restore_speakers(c, pjson_get(j, "speakers"));
        handover_restore_modelists(c, pjson_get(j, "lists"));
    }
    irc_channel_attach(c);
    irc_channel_open(s, c->name, c->type);
}

static void
handover_restore_channels(struct irc_server *s, const struct pjson *link, bool kept)
{
    size_t n = 0;

    pjson_for_each (j, pjson_get(link, "channels")) {
        if (++n > HANDOVER_CHANNELS_MAX)
            break;
        handover_restore_channel(s, j, kept);
    }
}

/* The server's state from the link's, all checked; false (nothing changed that matters)
 * when something needed is missing or wrong. */
static bool
handover_restore_link(struct irc_server *s, const struct pjson *link, char *why, size_t why_len)
{
    const char *nick = handover_str(link, "nick"), *modes = handover_str(link, "usermodes");
    const char *host = handover_str(link, "host");
    uint64_t now = uv_now(s->irc->loop);
    size_t partial_len = 0;
    char *partial = handover_unhex(handover_str(link, "partial"), &partial_len);
    int64_t ago;

    if (!nick || !nick[0] || !partial || !pjson_is_array(pjson_get(link, "isupport")) ||
        !pjson_is_array(pjson_get(link, "queue")) || !pjson_is_array(pjson_get(link, "channels"))) {
        snprintf(why, why_len, "its saved state is incomplete");
        free(partial);
        return false;
    }
    pjson_for_each (kv, pjson_get(link, "isupport")) {
        if (pjson_is_string(pjson_at(kv, 0)) && pjson_is_string(pjson_at(kv, 1)))
            irc_isupport_put(&s->isupport, pjson_str(pjson_at(kv, 0)), pjson_str(pjson_at(kv, 1)));
    }
    s->nick = xstrdup(nick);
    s->usermodes = modes && modes[0] ? xstrdup(modes) : NULL;
    irc__caps_enable_list(s, handover_str(link, "caps"));
    if (host && host[0]) {
        free(s->host);
        s->host = xstrdup(host);
    }
    s->nick_index = (size_t)handover_int(link, "nick_index", 0, 1000, 0);
    s->away_auto = pjson_true(pjson_get(link, "away_auto"));
    pjson_for_each (j, pjson_get(link, "monitor")) {
        double state = pjson_is_number(pjson_at(j, 1)) ? pjson_number(pjson_at(j, 1)) : -1;
        const char *who = pjson_is_string(pjson_at(j, 0)) ? pjson_str(pjson_at(j, 0)) : NULL;
        if (!who || state < IRC_MONITOR_UNKNOWN || state > IRC_MONITOR_ONLINE ||
            !irc_monitor_set_add(&s->monitor, s->isupport.casemapping, who))
            continue;
        s->monitor.nicks[s->monitor.n - 1].state = (enum irc_monitor_state)state;
    }
    irc__notify_away_sync(s);
    pjson_for_each (j, pjson_get(link, "away_watch")) {
        if (!pjson_is_string(pjson_at(j, 0)))
            continue;
        const struct pjson *message = pjson_at(j, 1), *seen = pjson_at(j, 3);
        irc__notify_away_restore(
            s, pjson_str(pjson_at(j, 0)), pjson_is_string(message) ? pjson_str(message) : NULL,
            pjson_true(pjson_at(j, 2)), pjson_is_string(seen) ? pjson_str(seen) : NULL);
    }
    irc_reader_restore(&s->reader, partial, partial_len, pjson_true(pjson_get(link, "skipping")));
    s->reader.too_long = (size_t)handover_int(link, "too_long", 0, INT64_MAX / 2, 0);
    free(partial);
    pjson_for_each (line, pjson_get(link, "queue")) {
        size_t len;
        char *bytes = handover_unhex(pjson_is_string(line) ? pjson_str(line) : NULL, &len);
        if (!bytes || !len || s->n_queue >= IRC_QUEUE_MAX || memchr(bytes, '\0', len)) {
            free(bytes);
            continue;
        }
        s->queue = xrealloc(s->queue, (s->n_queue + 1) * sizeof(*s->queue));
        s->queue[s->n_queue++] = bytes;
    }
    s->flood.tokens = (double)handover_int(link, "flood_milli", 0, s->flood.burst * 1000, 0) / 1000;
    s->flood.last_ms = now;
    s->ctcp_flood.tokens =
        (double)handover_int(link, "ctcp_flood_milli", 0, s->ctcp_flood.burst * 1000, 0) / 1000;
    s->ctcp_flood.last_ms = now;
    /* Ages back to times on this process's clock (0 stays "never"). */
    ago = handover_int(link, "ping_sent_ago_ms", -1, (int64_t)now - 1, -1);
    s->ping_sent_ms = ago < 0 ? 0 : now - (uint64_t)ago;
    ago = handover_int(link, "last_ping_ago_ms", -1, (int64_t)now - 1, -1);
    s->last_ping_ms = ago < 0 ? now : now - (uint64_t)ago;
    ago = handover_int(link, "last_read_ago_ms", -1, (int64_t)now - 1, -1);
    s->last_read_ms = ago < 0 ? now : now - (uint64_t)ago;
    ago = handover_int(link, "connected_ago_ms", -1, (int64_t)now - 1, -1);
    s->connected_ms = ago < 0 ? 0 : now - (uint64_t)ago;
    s->away_next_ms = now + (uint64_t)handover_int(link, "away_in_ms", 0, INT32_MAX, 0);
    s->lag_ms = handover_int(link, "lag_ms", 0, INT32_MAX, 0);
    s->backoff.attempt = (unsigned)handover_int(link, "backoff_attempt", 0, 64, 0);
    return true;
}

/* A handed-over socket nobody takes says QUIT and closes, so that the server forgets our
 * nick at once instead of keeping a session nobody reads. */
static void
handover_quit(uv_loop_t *loop, int fd)
{
    static const char quit[] = "QUIT :perchd upgrade: state lost\r\n";
    struct net_conn *conn = net_conn_adopt(loop, fd);

    if (conn) {
        net_conn_write(conn, quit, sizeof(quit) - 1);
        net_conn_close(conn, NET_CLOSE_QUIT);
    }
}

/* What restore_link may have set, forgotten: it belonged to the link that did not cross. */
static void
handover_forget_link(struct irc_server *s)
{
    free(s->nick);
    s->nick = NULL;
    free(s->usermodes);
    s->usermodes = NULL;
    for (size_t i = 0; i < s->n_queue; i++)
        free(s->queue[i]);
    s->n_queue = 0;
    irc_reader_restore(&s->reader, "", 0, false);
    s->ping_sent_ms = 0;
    s->lag_ms = 0;
}

/* A link that cannot be adopted: its socket (if it is ours) says QUIT and closes, so that
 * the server forgets our nick; the network connects again, its channels joined again. */
static void
handover_give_up(struct irc_server *s, const struct pjson *link, int fd, bool ours, const char *why)
{
    log_warn("irc: upgrade: network %s cannot take its connection over (%s): connecting again",
             s->cfg->name, why);
    irc__server_print(s, IRC_LOOK_PREFIX_ERROR, NULL,
                      "irc: the connection could not cross the upgrade (%s), connecting again",
                      why);
    if (ours)
        handover_quit(s->irc->loop, fd);
    handover_forget_link(s);
    handover_restore_channels(s, link, false);
    irc__server_connect(s);
}

bool
irc__handover_take(struct irc_server *s)
{
    const struct pjson *link = s->irc->handover ? handover_find(s->irc, s->cfg->name) : NULL;
    char peer[96], why[200];
    const char *saved_peer;
    struct net_conn *conn;
    int fd, rc;

    if (!link)
        return false;
    s->address_index = (size_t)handover_int(link, "address_index", 0, 1000, 0) %
                       (s->cfg->n_addresses ? s->cfg->n_addresses : 1);
    s->away_by_user = pjson_true(pjson_get(link, "away_by_user"));
    if (handover_str(link, "away_message"))
        s->away_message = xstrdup(handover_str(link, "away_message"));
    if (!pjson_true(pjson_get(link, "kept"))) {
        handover_restore_channels(s, link, false);
        return false;
    }
    fd = (int)handover_int(link, "fd", 0, INT32_MAX, -1);
    saved_peer = handover_str(link, "peer");
    if (fd < 0 || !saved_peer) {
        handover_give_up(s, link, -1, false, "no descriptor in its saved state");
        return true;
    }
    if ((rc = net_socket_peer_name(fd, peer, sizeof(peer))) < 0 || strcmp(peer, saved_peer) != 0) {
        snprintf(why, sizeof(why), "descriptor %d is not its connection to %s: %s", fd, saved_peer,
                 rc < 0 ? strerror(-rc) : peer);
        handover_give_up(s, link, fd, false, why);
        return true;
    }
    if (!handover_restore_link(s, link, why, sizeof(why))) {
        handover_give_up(s, link, fd, true, why);
        return true;
    }
    handover_restore_channels(s, link, true);
    if (!(conn = net_conn_adopt(s->irc->loop, fd))) {
        handover_give_up(s, link, fd, false, "its socket cannot be used");
        return true;
    }
    irc__server_adopt(s, conn);
    log_info("irc: upgrade: network %s kept its connection (%s, nick %s, %zu lines queued)",
             s->cfg->name, peer, s->nick, s->n_queue);
    return true;
}

void
irc__handover_done(struct irc *irc)
{
    pjson_for_each (link, pjson_get(irc->handover, "links")) {
        const char *name = handover_str(link, "name"), *saved_peer = handover_str(link, "peer");
        int fd = (int)handover_int(link, "fd", 0, INT32_MAX, -1);
        char peer[96];
        if (!pjson_true(pjson_get(link, "kept")) || !name || irc__server_find(irc, name) ||
            fd < 0 || !saved_peer)
            continue;
        log_warn("irc: upgrade: network %s handed its connection over but is not among the "
                 "saved networks: the connection ends",
                 name);
        if (net_socket_peer_name(fd, peer, sizeof(peer)) == 0 && strcmp(peer, saved_peer) == 0)
            handover_quit(irc->loop, fd);
    }
    pjson_free(irc->handover);
    irc->handover = NULL;
}
