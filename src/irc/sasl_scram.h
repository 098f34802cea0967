/* SPDX-License-Identifier: MIT */
/*
 * The client side of SCRAM-SHA-256 (RFC 5802, RFC 7677) without channel binding ("n,,"):
 * the client's first message, the proof for the server's first message, and the check of
 * the server's signature. I/O-free: messages in and out as text, not base64.
 */
#ifndef PERCH_IRC_SASL_SCRAM_H
#define PERCH_IRC_SASL_SCRAM_H

#include <stddef.h>

/* PBKDF2 runs on the event loop: a server asking for more iterations is refused. */
#define IRC_SCRAM_ITERATIONS_MAX 1000000

struct irc_scram;

/* An exchange for username and password (copied; the password is not normalized with
 * SASLprep) with the client nonce (printable ASCII without ','; the caller makes it from
 * random bytes). */
struct irc_scram *irc_scram_new(const char *username, const char *password, const char *nonce);
/* Overwrites the secrets and frees; NULL is fine. */
void irc_scram_free(struct irc_scram *sc);
/* "n,,n=user,r=nonce" (caller frees). */
char *irc_scram_client_first(struct irc_scram *sc);
/* The server's first message in, the client's final message (caller frees) out. NULL with
 * a reason in err: the server's e= error, a nonce that does not extend ours, a bad salt,
 * an iteration count out of 1..IRC_SCRAM_ITERATIONS_MAX, a mandatory extension. */
char *irc_scram_client_final(struct irc_scram *sc, const char *server_first, size_t len, char *err,
                             size_t err_len);
/* The server's final message: 0 when its signature proves it knows the password, -1 with a
 * reason in err otherwise (or the server's e= error). */
int irc_scram_server_final(struct irc_scram *sc, const char *server_final, size_t len, char *err,
                           size_t err_len);

#endif
