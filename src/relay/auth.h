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

/* What the request carries: header values or NULL. Without a totp header, a "totp.perch.CODE"
 * item of websocket_protocol carries the code (browsers cannot send headers). */
struct relay_credentials {
    const char *authorization;
    const char *websocket_protocol;
    const char *totp;
};

/* Whether the request's Authorization header carries a clear password ("plain:"), a credential
 * that holds as long as the configuration does: no timestamp, no token, no TOTP code. */
bool relay_auth_is_lasting(const struct relay_config *cfg, const struct relay_credentials *cred);

/*
 * Checks credentials at time now (seconds), PBKDF2 included, on the calling thread. Returns
 * NULL when authenticated, else the reference's exact error string ("Missing password",
 * "Invalid TOTP", ...).
 */
const char *relay_auth_check(const struct relay_config *cfg, const struct relay_credentials *cred,
                             int64_t now);

/*
 * The same check in two steps, for a caller that keeps PBKDF2 (milliseconds of CPU by design)
 * off its event loop. relay_auth_begin() does everything cheap: TOTP, formats, timestamps,
 * SHA hashes, clear passwords. It returns the error as relay_auth_check() would, with *deriv
 * NULL; or NULL with *deriv NULL when authenticated; or NULL with *deriv set when a PBKDF2
 * derivation decides. The caller then owns *deriv: relay_auth_derive() it, read
 * relay_auth_verdict(), and free it with relay_auth_derivation_free().
 */
struct relay_auth_derivation;
const char *relay_auth_begin(const struct relay_config *cfg, const struct relay_credentials *cred,
                             int64_t now, struct relay_auth_derivation **deriv);
/* Runs the derivation. It reads and writes only deriv (its own copies of the password, salt
 * and expected hash; no globals, no configuration), so it may run on any thread. */
void relay_auth_derive(struct relay_auth_derivation *deriv);
/* After relay_auth_derive(): NULL when the credential matched, else "Invalid password" (also
 * when it was never derived). */
const char *relay_auth_verdict(const struct relay_auth_derivation *deriv);
/*
 * A key derived ahead of the login that will need it: the configured password's, salted with
 * the time now, as a client hashes it right after the handshake. Derived while the client
 * derives its own, it halves the wait of a PBKDF2 login. NULL when no derivation applies (not
 * a PBKDF2 algorithm, or only a stored hash is configured). Run it with relay_auth_derive().
 */
struct relay_auth_derivation *relay_auth_ahead_new(const struct relay_config *cfg,
                                                   enum relay_hash_algo algo, int64_t now);
/* True when both derive the same key (algorithm, iterations, salt and password). */
bool relay_auth_same_input(const struct relay_auth_derivation *a,
                           const struct relay_auth_derivation *b);
/* Decides d with ahead's key when ahead is derived from the same input (true); else false and
 * d is unchanged. */
bool relay_auth_use_ahead(struct relay_auth_derivation *d,
                          const struct relay_auth_derivation *ahead);
/* Wipes the secrets it holds. Accepts NULL. */
void relay_auth_derivation_free(struct relay_auth_derivation *deriv);

/* True when relay_auth_check() refused a guess: a wrong password or TOTP code was compared
 * (not a missing or malformed credential). Only these count as failed logins. */
bool relay_auth_is_wrong_secret(const char *error);

/* RFC 6238 code check with liboath: code is the decimal text the client sent. */
bool relay_totp_check(const char *secret_base32, const char *code, int window, int64_t now);

/* Stored hash for a password ("pbkdf2+sha512:ITER:SALT_HEX:HASH_HEX"); caller frees. */
char *relay_password_hash_new(const char *password, int iterations);

#endif
