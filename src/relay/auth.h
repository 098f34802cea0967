/* SPDX-License-Identifier: MIT */
/* Credentials: the five formats, hash negotiation, TOTP, and the reference's check order. */
#ifndef PERCH_RELAY_AUTH_H
#define PERCH_RELAY_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"

enum relay_hash_algo {
    RELAY_HASH_PLAIN,
    RELAY_HASH_SHA256,
    RELAY_HASH_SHA512,
    RELAY_HASH_PBKDF2_SHA256,
    RELAY_HASH_PBKDF2_SHA512,
    RELAY_HASH_COUNT,
};

/* The algorithm's name, or -1 from relay_hash_algo_find() for an unknown name. */
const char *relay_hash_algo_name(enum relay_hash_algo algo);
int relay_hash_algo_find(const char *name);
/* Whether the configured patterns (and a stored hash) allow the algorithm. */
bool relay_hash_algo_allowed(const struct relay_config *cfg, enum relay_hash_algo algo);

/*
 * Computes the lower-case hex credential for algo (not plain): SHA over ts ||
 * password, or PBKDF2 with ts as salt. hex needs 129 bytes. Returns 0 or -EINVAL.
 */
int relay_hash_hex(enum relay_hash_algo algo, const char *password, size_t password_len,
                   const char *ts, int iterations, char hex[129]);

/* What the request carries: header values or NULL. */
struct relay_credentials {
    const char *authorization;
    const char *websocket_protocol;
    const char *totp;
};

/*
 * Checks credentials at time now (seconds). Returns NULL when authenticated, else
 * the reference's exact error string ("Missing password", "Invalid TOTP", ...).
 */
const char *relay_auth_check(const struct relay_config *cfg, const struct relay_credentials *cred,
                             int64_t now);

/* True when relay_auth_check() refused a guess: a wrong password or TOTP code was compared
 * (not a missing or malformed credential). Only these count as failed logins. */
bool relay_auth_is_wrong_secret(const char *error);

/* RFC 6238 code check with liboath: code is the decimal text the client sent. */
bool relay_totp_check(const char *secret_base32, const char *code, int window, int64_t now);

/* Stored hash for a password ("pbkdf2+sha512:ITER:SALT_HEX:HASH_HEX"); caller frees. */
char *relay_password_hash_new(const char *password, int iterations);

#endif
