/* SPDX-License-Identifier: MIT */
/* Logging in: the failed-login throttle, the credentials (PBKDF2 off the loop, login_async.c),
 * then a place among max_clients. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "base/log.h"
#include "base/timefmt.h"
#include "base/xalloc.h"
#include "http/request.h"
#include "internal.h"
#include "net/conn.h"
#include "throttle.h"
#include "tls/crypto.h"

/* 429 with the wait in whole seconds, rounded up (RFC 9110 10.2.3). */
static void
login_refuse_blocked(struct relay__client *c, uint64_t blocked_ms)
{
    char retry_after[64];

    snprintf(retry_after, sizeof(retry_after), "Retry-After: %" PRIu64 "\r\n",
             (blocked_ms + 999) / 1000);
    log_debug("conn %llu: login refused, address blocked for %" PRIu64 " ms more",
              (unsigned long long)net_conn_id(c->conn), blocked_ms);
    relay__client_refuse(c, 429, "Too many failed logins", retry_after, NET_CLOSE_THROTTLED);
}

static void
login_failed(struct relay__client *c, const char *error, uint64_t now)
{
    uint64_t delay = 0;

    c->relay->metrics.auth_failures++;
    log_info("conn %llu: authentication failed from %s: %s",
             (unsigned long long)net_conn_id(c->conn), net_conn_peer_name(c->conn), error);
    /* A missing or malformed credential guesses nothing: only wrong secrets count. */
    if (relay_auth_is_wrong_secret(error))
        delay = relay_throttle_fail(c->relay->throttle, &c->peer, now);
    if (delay)
        relay__client_hold_answer(c, error, delay);
    else
        relay__client_send_error(c, 401, error, NET_CLOSE_AUTH_FAILED);
}

/* A keep-alive client sends the same clear password with every request: once it proved it on
 * this connection, byte-equal credentials under the same configuration are not checked again
 * (two SHA-512 digests per request). Codes and timed credentials are checked every time. */
static bool
login_known(const struct relay__client *c, const struct relay_credentials *cred)
{
    size_t len;

    if (!c->auth_known || c->auth_known_generation != c->relay->cfg_generation ||
        !cred->authorization || cred->totp || cred->websocket_protocol ||
        c->relay->cfg->totp_secret[0])
        return false;
    len = strlen(c->auth_known);
    return strlen(cred->authorization) == len && tls_memeq(c->auth_known, cred->authorization, len);
}

static void
login_remember(struct relay__client *c, const struct relay_credentials *cred)
{
    relay__client_forget_login(c);
    if (!relay_auth_is_lasting(c->relay->cfg, cred))
        return;
    c->auth_known = xstrdup(cred->authorization);
    c->auth_known_generation = c->relay->cfg_generation;
}

void
relay__client_forget_login(struct relay__client *c)
{
    if (!c->auth_known)
        return;
    tls_cleanse(c->auth_known, strlen(c->auth_known));
    free(c->auth_known);
    c->auth_known = NULL;
}

enum relay__login
relay__client_login(struct relay__client *c, const struct http_request *hreq)
{
    struct relay *relay = c->relay;
    uint64_t now = uv_now(relay->loop);
    uint64_t blocked = relay_throttle_check(relay->throttle, &c->peer, now);
    struct relay_credentials cred = {
        .authorization = http_request_header(hreq, "Authorization"),
        .websocket_protocol = http_request_header(hreq, "Sec-WebSocket-Protocol"),
        .totp = http_request_header(hreq, "x-weechat-totp"),
    };
    struct relay_auth_derivation *deriv = NULL;
    const char *error = c->auth_error;
    bool decided = c->auth_decided;

    c->auth_decided = false;
    c->auth_error = NULL;
    /* Blocked: the credentials are not even looked at, so right or wrong tells nothing. A
     * verdict computed off the loop is dropped too: the block may have come meanwhile. */
    if (blocked) {
        login_refuse_blocked(c, blocked);
        return RELAY_LOGIN_REFUSED;
    }
    if (!decided && login_known(c, &cred))
        return RELAY_LOGIN_OK; /* admitted already: no second place among max_clients */
    if (!decided)
        error = relay_auth_begin(relay->cfg, &cred, timefmt_now_s(), &deriv);
    if (deriv && relay__login_ahead_decide(relay, deriv)) {
        error = relay_auth_verdict(deriv);
        relay_auth_derivation_free(deriv);
    } else if (deriv) {
        relay__login_job_start(c, deriv);
        return RELAY_LOGIN_PENDING;
    }
    if (error) {
        login_failed(c, error, now);
        return RELAY_LOGIN_REFUSED;
    }
    relay_throttle_success(relay->throttle, &c->peer);
    if (!relay__admission_promote(c)) {
        relay__client_send_error(c, 503, "Too many clients", NET_CLOSE_TOO_MANY);
        return RELAY_LOGIN_REFUSED;
    }
    login_remember(c, &cred);
    return RELAY_LOGIN_OK;
}
