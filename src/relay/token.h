/* SPDX-License-Identifier: MIT */
/*
 * Login tokens (a perch extension): POST /api/token gives an authenticated client a credential
 * "token:HEX" to log in with later instead of its password and TOTP code, so that a web page
 * remembers a login, or reconnects after a restart, without keeping the password or asking for
 * a code again. A token is the time it was issued, a nonce and their HMAC under a key derived
 * from the data dir's secret (token.key) and the relay's password, stored hash and TOTP secret:
 * changing any of these (or the lifetime to 0) revokes every token at once. Nothing is stored
 * per token, so tokens survive restarts and upgrades.
 */
#ifndef PERCH_RELAY_TOKEN_H
#define PERCH_RELAY_TOKEN_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

#define RELAY_TOKEN_HEX_LEN 96 /* issued time (8 bytes), nonce (8), HMAC-SHA256 (32) */

#define RELAY_TOKEN_INVALID "Invalid token"
#define RELAY_TOKEN_EXPIRED "Expired token"

/* Writes a token issued at now into out; *expires gets its end (seconds). 0, or -1 when tokens
 * are off (no secret, or a lifetime of 0). */
int relay_token_issue(const struct relay_config *cfg, int64_t now,
                      char out[RELAY_TOKEN_HEX_LEN + 1], int64_t *expires);
/* NULL when hex is a token of this relay still within the configured lifetime, else
 * RELAY_TOKEN_INVALID (forged, damaged, revoked, or tokens off) or RELAY_TOKEN_EXPIRED. */
const char *relay_token_check(const struct relay_config *cfg, const char *hex, int64_t now);

#endif
