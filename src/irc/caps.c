/* SPDX-License-Identifier: MIT */
/*
 * IRCv3 capability negotiation (CAP LS 302, REQ, ACK, NAK, NEW, DEL, cap-notify) as
 * WeeChat's irc plugin does it and says it. The capabilities perch uses are the entries
 * of caps_wanted; a new one (SASL, echo-message...) is one more entry and its effect.
 */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/xalloc.h"
#include "internal.h"
#include "look.h"
#include "message.h"

/* Asked for when offered, in this order. At most 32 (a bit each in irc_caps.enabled). */
static const char *const caps_wanted[] = {
    "multi-prefix",
    "server-time",
    "sasl",
    /* Message-level: tags kept on lines, our own lines from the echo, batches, labels. */
    "message-tags",
    "echo-message",
    "account-tag",
    "batch",
    "labeled-response",
    /* What a buffer missed, fetched after a reconnect (catchup.c). */
    "draft/chathistory",
    /* Presence (presence.c, who.c): others' away, accounts, hosts and real names. */
    "account-notify",
    "away-notify",
    "chghost",
    "extended-join",
    "invite-notify",
    "setname",
    "userhost-in-names",
    NULL,
};

static int
caps_index(const char *cap, size_t len)
{
    for (int i = 0; caps_wanted[i]; i++) {
        if (strlen(caps_wanted[i]) == len && strncmp(caps_wanted[i], cap, len) == 0)
            return i;
    }
    return -1;
}

bool
irc__cap_enabled(const struct irc_server *s, const char *cap)
{
    int i = caps_index(cap, strlen(cap));

    return i >= 0 && (s->caps.enabled & (1u << i));
}

void
irc__caps_reset(struct irc_server *s)
{
    free(s->caps.offered);
    s->caps.offered = NULL;
    free(s->caps.listed);
    s->caps.listed = NULL;
    s->caps.enabled = 0;
    s->caps.sasl_offered = false;
}

/* Each capability of a list ("a b=1 -c"), its name without value; from the param's words. */
typedef void (*caps_each_cb)(struct irc_server *s, const char *name, size_t len, bool minus,
                             struct buf *out);

static void
caps_each(struct irc_server *s, const char *list, caps_each_cb cb, struct buf *out)
{
    for (const char *p = list; *p;) {
        size_t word = strcspn(p, " ");
        if (word) {
            bool minus = p[0] == '-';
            const char *name = p + minus;
            size_t len = strcspn(name, " =");
            if (len)
                cb(s, name, len, minus, out);
        }
        p += word;
        p += strspn(p, " ");
    }
}

static void
caps_add_word(struct buf *out, const char *word, size_t len)
{
    if (out->len)
        buf_append_char(out, ' ');
    buf_append(out, word, len);
}

/* Wanted, offered and not enabled yet: asked for. */
static void
caps_want(struct irc_server *s, const char *name, size_t len, bool minus, struct buf *req)
{
    int i = caps_index(name, len);

    /* sasl only when the settings ask for it and we are not logged in yet (sasl.c). */
    if (i >= 0 && !strcmp(caps_wanted[i], "sasl") && !irc__sasl_can_start(s))
        return;
    if (!minus && i >= 0 && !(s->caps.enabled & (1u << i)))
        caps_add_word(req, name, len);
}

static void
caps_request(struct irc_server *s, const char *offered)
{
    struct buf req;

    buf_init(&req, 512);
    caps_each(s, offered, caps_want, &req);
    if (req.len) {
        const char *params[] = { "REQ", req.data };
        irc__server_print(s, IRC_LOOK_PREFIX_NETWORK, "irc_cap,log3",
                          "irc: client capability, requesting: %s", req.data);
        irc__server_send(s, "CAP", params, 2);
    } else if (s->state == IRC_REGISTERING) {
        const char *end[] = { "END" };
        irc__server_send(s, "CAP", end, 1);
    }
    buf_fini(&req);
}

/* ACK: "-cap" disables, "cap" enables. */
static void
caps_ack(struct irc_server *s, const char *name, size_t len, bool minus, struct buf *out)
{
    int i = caps_index(name, len);

    if (i >= 0 && minus)
        s->caps.enabled &= ~(1u << i);
    else if (i >= 0)
        s->caps.enabled |= 1u << i;
    caps_add_word(&out[minus ? 1 : 0], name, len);
}

static void
caps_del(struct irc_server *s, const char *name, size_t len, bool minus, struct buf *out)
{
    int i = caps_index(name, len);

    (void)minus;
    (void)out;
    if (i >= 0)
        s->caps.enabled &= ~(1u << i);
}

/* Whether a capability list ("a b=1 c") offers cap[0..len). */
static bool
caps_list_has_n(const char *list, const char *cap, size_t len)
{
    for (const char *p = list; *p;) {
        if (strcspn(p, " =") == len && strncmp(p, cap, len) == 0)
            return true;
        p += strcspn(p, " ");
        p += strspn(p, " ");
    }
    return false;
}

static bool
caps_list_has(const char *list, const char *cap)
{
    return caps_list_has_n(list, cap, strlen(cap));
}

/* A line of a CAP LS or LIST answer added to *gathered, each capability once and one space
 * between them (WeeChat shows its cap_ls table so); the whole once the last came (the
 * others end their parameters with "*" before the list), else NULL. Caller frees. */
static char *
caps_gather(char **gathered, const struct irc_message *m)
{
    bool more = m->n_params > 3 && strcmp(m->params[2], "*") == 0;
    const char *list = m->params[m->n_params - 1];
    struct buf all;

    buf_init(&all, 64 * 1024);
    if (*gathered)
        buf_append_str(&all, *gathered);
    for (const char *p = list + strspn(list, " "); *p; p += strspn(p, " ")) {
        size_t len = strcspn(p, " "), name = strcspn(p, " =");
        if (!all.len || !caps_list_has_n(all.data, p, name < len ? name : len)) {
            if (all.len)
                buf_append_char(&all, ' ');
            buf_append(&all, p, len);
        }
        p += len;
    }
    free(*gathered);
    *gathered = buf_steal(&all, NULL);
    if (more)
        return NULL;
    char *whole = *gathered;
    *gathered = NULL;
    return whole;
}

static void
caps_ls(struct irc_server *s, const struct irc_message *m)
{
    char *offered = caps_gather(&s->caps.offered, m);

    if (!offered)
        return;
    s->caps.sasl_offered = caps_list_has(offered, "sasl");
    irc__server_print(s, IRC_LOOK_PREFIX_NETWORK, "irc_cap,log3",
                      "irc: client capability, server supports: %s", offered);
    /* STS on a plain link: nothing is asked for, the link comes back with TLS (sts.c).
     * Others are enabled when connecting only (WeeChat: irc_protocol_cap_sync at
     * registration). */
    if (!irc__sts_offered(s, offered) && s->state == IRC_REGISTERING) {
        caps_request(s, offered);
        if (irc__sasl_wanted(s) && !caps_list_has(offered, "sasl"))
            irc__sasl_unavailable(s);
    }
    free(offered);
}

/* CAP LIST (asked by /cap): what the server says is enabled. */
static void
caps_list(struct irc_server *s, const struct irc_message *m)
{
    char *listed = caps_gather(&s->caps.listed, m);

    if (listed)
        irc__server_print(s, IRC_LOOK_PREFIX_NETWORK, "irc_cap,log3",
                          "irc: client capability, currently enabled: %s", listed);
    free(listed);
}

void
irc__caps_recv(struct irc_server *s, const struct irc_message *m)
{
    const char *sub = m->n_params > 1 ? m->params[1] : "";
    char *text = irc_message_params_join(m, 2);
    struct buf changed[2];

    if (m->n_params < 3) {
        free(text);
        return;
    }
    if (strcmp(sub, "LS") == 0) {
        caps_ls(s, m);
    } else if (strcmp(sub, "LIST") == 0) {
        caps_list(s, m);
    } else if (strcmp(sub, "ACK") == 0) {
        bool had_sasl = irc__cap_enabled(s, "sasl");
        buf_init(&changed[0], 4096);
        buf_init(&changed[1], 4096);
        caps_each(s, text, caps_ack, changed);
        if (changed[0].len && changed[1].len)
            irc__server_print(s, IRC_LOOK_PREFIX_NETWORK, "irc_cap,log3",
                              "irc: client capability, enabled: %s, disabled: %s", changed[0].data,
                              changed[1].data);
        else if (changed[0].len || changed[1].len)
            irc__server_print(s, IRC_LOOK_PREFIX_NETWORK, "irc_cap,log3",
                              "irc: client capability, %s: %s",
                              changed[0].len ? "enabled" : "disabled",
                              changed[0].len ? changed[0].data : changed[1].data);
        buf_fini(&changed[0]);
        buf_fini(&changed[1]);
        /* sasl enabled: the exchange starts, and CAP END waits for its end (sasl.c). */
        bool sasl = !had_sasl && irc__cap_enabled(s, "sasl") && irc__sasl_start(s);
        if (s->state == IRC_REGISTERING && !sasl && !s->sasl.running) {
            const char *end[] = { "END" };
            irc__server_send(s, "CAP", end, 1);
        }
    } else if (strcmp(sub, "NAK") == 0) {
        irc__server_print(s, IRC_LOOK_PREFIX_ERROR, "irc_cap,log3",
                          "irc: client capability, refused: %s", text);
        if (s->state == IRC_REGISTERING) {
            const char *end[] = { "END" };
            irc__server_send(s, "CAP", end, 1);
        }
    } else if (strcmp(sub, "NEW") == 0) {
        /* cap-notify (implied by LS 302): what comes later is asked for as it comes. */
        irc__server_print(s, IRC_LOOK_PREFIX_NETWORK, "irc_cap,log3",
                          "irc: client capability, now available: %s", text);
        if (caps_list_has(text, "sasl"))
            s->caps.sasl_offered = true;
        if (!irc__sts_offered(s, text))
            caps_request(s, text);
    } else if (strcmp(sub, "DEL") == 0) {
        irc__server_print(s, IRC_LOOK_PREFIX_NETWORK, "irc_cap,log3",
                          "irc: client capability, removed: %s", text);
        caps_each(s, text, caps_del, NULL);
        if (caps_list_has(text, "sasl"))
            s->caps.sasl_offered = false;
        if (caps_list_has(text, "sts"))
            irc__sts_withdrawn(s);
    }
    free(text);
}

char *
irc__caps_enabled_list(const struct irc_server *s)
{
    struct buf out;

    buf_init(&out, 4096);
    for (int i = 0; caps_wanted[i]; i++) {
        if (s->caps.enabled & (1u << i))
            caps_add_word(&out, caps_wanted[i], strlen(caps_wanted[i]));
    }
    return buf_steal(&out, NULL);
}

static void
caps_enable(struct irc_server *s, const char *name, size_t len, bool minus, struct buf *out)
{
    int i = caps_index(name, len);

    (void)out;
    if (i >= 0 && !minus)
        s->caps.enabled |= 1u << i;
    /* Enabled, so offered: /auth works after an upgrade too. */
    if (i >= 0 && !minus && strcmp(caps_wanted[i], "sasl") == 0)
        s->caps.sasl_offered = true;
}

void
irc__caps_enable_list(struct irc_server *s, const char *list)
{
    caps_each(s, list ? list : "", caps_enable, NULL);
}
