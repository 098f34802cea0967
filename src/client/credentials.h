/* SPDX-License-Identifier: MIT */
/* Client credentials: the strongest algorithm both sides allow, never plain when a hash works. */
#ifndef PERCH_CLIENT_CREDENTIALS_H
#define PERCH_CLIENT_CREDENTIALS_H

#include <stddef.h>
#include <stdint.h>

/* The most PBKDF2 iterations a relay may ask for (WeeChat's password_hash_iterations allows
 * no more): a relay asking for more would make perch spin. */
#define CLIENT_HASH_ITERATIONS_MAX 1000000

/* The value of an Authorization header for algo ("plain", "sha256", ..., "pbkdf2+sha512")
 * at time now: "Basic base64(...)". Returns 0, or -1 for an unknown algorithm. */
int client_credentials(const char *algo, const char *password, int iterations, int64_t now,
                       char *out, size_t out_len);

#endif
