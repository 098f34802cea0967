/* SPDX-License-Identifier: MIT */
/*
 * SASL as WeeChat's irc plugin does it (PLAIN, EXTERNAL, SCRAM-SHA-256): started when the
 * server ACKs the sasl capability, one AUTHENTICATE exchange, CAP END once it succeeded,
 * failed (then sasl_fail: continue, reconnect or disconnect) or timed out (sasl_timeout),
 * and the 900-907 numerics shown with WeeChat's texts and tags. The credentials go only
 * into AUTHENTICATE lines: never into a log or a buffer.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/xalloc.h"
#include "core/color.h"
#include "internal.h"
#include "look.h"
#include "message.h"
#include "sasl_scram.h"
#include "tls/crypto.h"

/* SCRAM's client nonce: 18 random bytes are 24 base64 characters, never a ','. */
#define SASL_NONCE_BYTES 18

enum sasl_mechanism {
    SASL_PLAIN,
    SASL_EXTERNAL,
    SASL_SCRAM_SHA_256,
};

static enum sasl_mechanism
sasl_mechanism(const struct irc_server *s)
{
    const char *m = s->cfg->sasl_mechanism;

    if (!strcasecmp(m, "external"))
        return SASL_EXTERNAL;
    if (!strcasecmp(m, "scram-sha-256"))
        return SASL_SCRAM_SHA_256;
    return SASL_PLAIN; /* "" too: WeeChat's default mechanism */
}

static const char *const sasl_mechanism_names[] = { "PLAIN", "EXTERNAL", "SCRAM-SHA-256" };

/* The credentials: /auth's while its exchange runs, else the sasl_* options. */
static const char *
sasl_username(const struct irc_server *s)
{
    return s->sasl.temp_username ? s->sasl.temp_username : s->cfg->sasl_username;
}

static const char *
sasl_password(const struct irc_server *s)
{
    return s->sasl.temp_password ? s->sasl.temp_password : s->cfg->sasl_password;
}

static void
sasl_forget_secret(char **secret)
{
    if (*secret)
        tls_cleanse(*secret, strlen(*secret));
    free(*secret);
    *secret = NULL;
}

/* /auth's credentials go once the exchange they were for ended (irc_server_free_sasl_data). */
static void
sasl_forget_temp(struct irc_server *s)
{
    sasl_forget_secret(&s->sasl.temp_username);
    sasl_forget_secret(&s->sasl.temp_password);
}

void
irc__sasl_init(struct irc_server *s)
{
    irc_sasl_in_init(&s->sasl.in);
    uv_timer_init(s->irc->loop, &s->sasl.timer);
    s->sasl.timer.data = s;
}

void
irc__sasl_close(struct irc_server *s, uv_close_cb cb)
{
    irc__sasl_reset(s);
    irc_sasl_in_fini(&s->sasl.in);
    uv_close((uv_handle_t *)&s->sasl.timer, cb);
}

/* The exchange ends: what it gathered and SCRAM's keys go. */
static void
sasl_end(struct irc_server *s)
{
    uv_timer_stop(&s->sasl.timer);
    s->sasl.running = false;
    s->sasl.step = 0;
    buf_reset(&s->sasl.in.text);
    irc_scram_free(s->sasl.scram);
    s->sasl.scram = NULL;
}

void
irc__sasl_reset(struct irc_server *s)
{
    sasl_end(s);
    sasl_forget_temp(s);
    s->sasl.logged_in = false;
}

bool
irc__sasl_wanted(const struct irc_server *s)
{
    /* As irc_server_sasl_enabled: EXTERNAL needs nothing, the others a username and a
     * password. */
    return sasl_mechanism(s) == SASL_EXTERNAL || (sasl_username(s)[0] && sasl_password(s)[0]);
}

bool
irc__sasl_can_start(const struct irc_server *s)
{
    return irc__sasl_wanted(s) && !s->sasl.logged_in && !s->sasl.running;
}

static void sasl_timeout(uv_timer_t *t);

/* AUTHENTICATE with the mechanism: the exchange starts, bounded by sasl_timeout. */
static void
sasl_begin(struct irc_server *s)
{
    const char *params[] = { sasl_mechanism_names[sasl_mechanism(s)] };

    sasl_end(s);
    s->sasl.running = true;
    irc__server_send(s, "AUTHENTICATE", params, 1);
    uv_timer_start(&s->sasl.timer, sasl_timeout, (uint64_t)s->cfg->sasl_timeout * 1000, 0);
}

bool
irc__sasl_start(struct irc_server *s)
{
    if (!irc__sasl_can_start(s))
        return false;
    sasl_begin(s);
    return true;
}

int
irc__sasl_auth(struct irc_server *s, const char *username, const char *password)
{
    sasl_forget_temp(s);
    if (!username && !irc__sasl_wanted(s))
        return -EINVAL;
    if (!irc__cap_enabled(s, "sasl") && !s->caps.sasl_offered)
        return -ENOTSUP;
    if (username) {
        s->sasl.temp_username = xstrdup(username);
        s->sasl.temp_password = xstrdup(password ? password : "");
    }
    /* Asked again: a new account, or the same after a registration. */
    s->sasl.logged_in = false;
    if (irc__cap_enabled(s, "sasl")) {
        sasl_begin(s);
    } else {
        /* The server asks to authenticate once it ACKs (caps.c starts the exchange). */
        const char *req[] = { "REQ", "sasl" };
        irc__server_send(s, "CAP", req, 2);
    }
    return 0;
}

/* Before the welcome a failure does what sasl_fail says: reconnect, disconnect, or continue
 * (CAP END: registered without an account). Once registered it is only said. */
static void
sasl_failed(struct irc_server *s)
{
    enum irc_sasl_fail fail = s->cfg->sasl_fail;

    sasl_end(s);
    sasl_forget_temp(s);
    if (s->state != IRC_REGISTERING)
        return;
    if (fail == IRC_SASL_FAIL_RECONNECT || fail == IRC_SASL_FAIL_DISCONNECT) {
        irc__server_disconnect(s, NULL, fail == IRC_SASL_FAIL_RECONNECT);
        return;
    }
    const char *end[] = { "END" };
    irc__server_send(s, "CAP", end, 1);
}

static void
sasl_timeout(uv_timer_t *t)
{
    struct irc_server *s = t->data;

    if (s->state != IRC_REGISTERING) {
        sasl_end(s);
        sasl_forget_temp(s);
        return;
    }
    irc__server_print(s, IRC_LOOK_PREFIX_ERROR, NULL, "irc: SASL authentication timeout");
    sasl_failed(s);
}

void
irc__sasl_unavailable(struct irc_server *s)
{
    irc__server_print(s, IRC_LOOK_PREFIX_NETWORK, "irc_cap,log3",
                      "irc: client capability: SASL not supported");
    /* WeeChat's irc.network.sasl_fail_unavailable (on): as a failed authentication. */
    if (s->cfg->sasl_fail != IRC_SASL_FAIL_CONTINUE)
        sasl_failed(s);
}

/* ---- the exchange ---- */

static void
sasl_send_param(const char *param, void *data)
{
    const char *params[] = { param };

    irc__server_send(data, "AUTHENTICATE", params, 1);
}

static void
sasl_send(struct irc_server *s, const void *payload, size_t len)
{
    irc_sasl_out(payload, len, sasl_send_param, s);
}

/* A step that cannot go on: said, and the exchange aborted ("*"): the server answers 906. */
static void
sasl_abort(struct irc_server *s, const char *reason)
{
    const char *params[] = { "*" };

    irc__server_print(s, IRC_LOOK_PREFIX_ERROR, NULL, "irc: SASL error: %s", reason);
    irc__server_send(s, "AUTHENTICATE", params, 1);
}

/* PLAIN: authorization and authentication identity both the username, then the password. */
static void
sasl_plain(struct irc_server *s)
{
    const char *user = sasl_username(s), *pass = sasl_password(s);
    size_t user_len = strlen(user), pass_len = strlen(pass);
    size_t len = 2 * user_len + pass_len + 2;
    char *payload = xmalloc(len);

    memcpy(payload, user, user_len);
    payload[user_len] = '\0';
    memcpy(payload + user_len + 1, user, user_len);
    payload[2 * user_len + 1] = '\0';
    memcpy(payload + 2 * user_len + 2, pass, pass_len);
    sasl_send(s, payload, len);
    tls_cleanse(payload, len);
    free(payload);
}

static void
sasl_scram_first(struct irc_server *s)
{
    unsigned char random[SASL_NONCE_BYTES];
    char nonce[SASL_NONCE_BYTES / 3 * 4 + 1];
    char *first;

    if (tls_random(random, sizeof(random)) < 0) {
        sasl_abort(s, "cryptography error");
        return;
    }
    tls_base64_encode(random, sizeof(random), nonce);
    irc_scram_free(s->sasl.scram);
    s->sasl.scram = irc_scram_new(sasl_username(s), sasl_password(s), nonce);
    first = irc_scram_client_first(s->sasl.scram);
    sasl_send(s, first, strlen(first));
    free(first);
}

/* SCRAM's steps: our first message on "+", our proof on the server's first message, "+"
 * once the server's signature checks out. */
static void
sasl_scram(struct irc_server *s, const char *payload, size_t len)
{
    char err[256];

    switch (s->sasl.step++) {
    case 0:
        sasl_scram_first(s);
        return;
    case 1: {
        char *final = irc_scram_client_final(s->sasl.scram, payload, len, err, sizeof(err));
        if (!final) {
            sasl_abort(s, err);
            return;
        }
        sasl_send(s, final, strlen(final));
        tls_cleanse(final, strlen(final));
        free(final);
        return;
    }
    case 2:
        if (irc_scram_server_final(s->sasl.scram, payload, len, err, sizeof(err)) < 0) {
            sasl_abort(s, err);
            return;
        }
        sasl_send(s, "", 0);
        return;
    default:
        sasl_abort(s, "protocol error");
    }
}

static void
sasl_recv_authenticate(struct irc_server *s, const struct irc_message *m)
{
    char *payload;
    size_t len;
    int rc;

    if (!s->sasl.running)
        return;
    rc = irc_sasl_in_add(&s->sasl.in, m->params[0], &payload, &len);
    if (rc == 0)
        return;
    if (rc < 0) {
        sasl_abort(s, "protocol error");
        return;
    }
    switch (sasl_mechanism(s)) {
    case SASL_PLAIN:
        sasl_plain(s);
        break;
    case SASL_EXTERNAL:
        /* The identity to act as: the username, or "+" for the certificate's own. */
        sasl_send(s, sasl_username(s), strlen(sasl_username(s)));
        break;
    case SASL_SCRAM_SHA_256:
        sasl_scram(s, payload, len);
        break;
    }
    free(payload);
}

/* ---- 900-907 ---- */

static void
sasl_print(struct irc_server *s, const struct irc_message *m, const char *prefix, const char *text)
{
    char *tags = irc__tags(m, m->command, NULL, m->nick, NULL, 3);

    irc__print_line(s->buffer, m, prefix, tags, text);
    free(tags);
}

/* 900: "You are now logged in as acct (nick!user@host)"; "*" for the mask leaves it out. */
static void
sasl_900(struct irc_server *s, const struct irc_message *m)
{
    char *joined = irc_message_params_join(m, 3);
    char *text = core_color_from_irc(joined);
    const char *mask = m->params[1];
    size_t len = strlen(text) + strlen(mask) + 64;
    char *line = xmalloc(len);

    if (strcmp(mask, "*") != 0)
        snprintf(line, len, "%s " IRC_LOOK_DELIM "(" IRC_LOOK_HOST "%s" IRC_LOOK_DELIM ")", text,
                 mask);
    else
        snprintf(line, len, "%s", text);
    sasl_print(s, m, IRC_LOOK_PREFIX_NETWORK, line);
    free(line);
    free(text);
    free(joined);
}

/* The text after our nick (or "*"), as a default numeric. */
static void
sasl_print_numeric(struct irc_server *s, const struct irc_message *m, size_t from)
{
    char *joined = irc_message_params_join(m, m->n_params > from ? from : m->n_params - 1);
    char *text = core_color_from_irc(joined);

    sasl_print(s, m, IRC_LOOK_PREFIX_NETWORK, text);
    free(text);
    free(joined);
}

static void
sasl_recv_numeric(struct irc_server *s, const struct irc_message *m)
{
    const char *c = m->command;

    if (!strcmp(c, "900") && m->n_params >= 4) {
        sasl_900(s, m);
    } else if (!strcmp(c, "901") && m->n_params >= 3) {
        sasl_print_numeric(s, m, 2); /* the mask is left out */
    } else if (!strcmp(c, "903") || !strcmp(c, "907")) {
        sasl_print_numeric(s, m, 1);
        sasl_end(s);
        sasl_forget_temp(s);
        s->sasl.logged_in = true;
        if (s->state == IRC_REGISTERING) {
            const char *end[] = { "END" };
            irc__server_send(s, "CAP", end, 1);
        }
    } else if (!strcmp(c, "902") || !strcmp(c, "904") || !strcmp(c, "905") || !strcmp(c, "906")) {
        sasl_print_numeric(s, m, 1);
        sasl_failed(s);
    } else {
        sasl_print_numeric(s, m, 1);
    }
}

bool
irc__sasl_recv(struct irc_server *s, const struct irc_message *m)
{
    const char *c = m->command;

    /* 900-907; 908 (the mechanisms) is a default numeric. */
    bool numeric = c[0] == '9' && c[1] == '0' && c[2] >= '0' && c[2] <= '7' && !c[3];

    if (m->n_params < 1 || (!numeric && strcmp(c, "AUTHENTICATE") != 0))
        return false;
    if (numeric)
        sasl_recv_numeric(s, m);
    else
        sasl_recv_authenticate(s, m);
    return true;
}
