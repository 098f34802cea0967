/* SPDX-License-Identifier: MIT */
/*
 * One TLS session on memory BIOs: ciphertext in and out as bytes, plaintext in
 * and out as bytes, close_notify both ways. No I/O: net/ moves the bytes.
 */
#ifndef PERCH_TLS_SESSION_H
#define PERCH_TLS_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "context.h"

struct tls_session;

enum tls_result {
    TLS_OK = 0,
    TLS_ERROR = -1,       /* protocol error: the session is dead */
    TLS_PEER_CLOSED = -2, /* the peer sent close_notify */
};

/* A server session holding a reference to ctx. */
struct tls_session *tls_session_new_server(struct tls_context *ctx);
/* A client session for host (SNI and, when the context verifies, the name checked).
 * tls_session_start() then produces the ClientHello. */
struct tls_session *tls_session_new_client(struct tls_context *ctx, const char *host);
int tls_session_start(struct tls_session *s);
/* The protocol in use as GnuTLS names it ("TLS1.3", "TLS1.2"), "?" before the handshake. */
const char *tls_session_version_name(const struct tls_session *s);
/* SHA-256 of the peer's certificate (DER); false when there is none. */
bool tls_session_peer_sha256(const struct tls_session *s, unsigned char out[32]);
/* True when the peer's certificate has this SHA-256 fingerprint (64 hex digits, any case,
 * colons allowed): pinning instead of verification. */
bool tls_session_peer_matches(const struct tls_session *s, const char *fingerprint);
void tls_session_free(struct tls_session *s);
/* Whether OpenSSL's record buffers (16 kB each way) stay between records (keep), or go back
 * as soon as they are empty, as the context sets for every session. */
void tls_session_keep_buffers(struct tls_session *s, bool keep);

/*
 * Feeds ciphertext from the network, then decrypts what it can into plain
 * (appending at most plain_cap bytes, *plain_len set). Returns TLS_OK,
 * TLS_PEER_CLOSED or TLS_ERROR (reason in tls_session_error()). Handshake bytes
 * to send may be waiting afterwards: see tls_session_take_output().
 */
int tls_session_feed(struct tls_session *s, const void *cipher, size_t len, char *plain,
                     size_t plain_cap, size_t *plain_len);
/* Encrypts plaintext (only after the handshake). Returns TLS_OK or TLS_ERROR. */
int tls_session_write(struct tls_session *s, const void *plain, size_t len);
/* Queues close_notify. Idempotent. */
void tls_session_shutdown(struct tls_session *s);
/* Moves pending ciphertext out; *out (malloc'd, caller frees) may be NULL when len is 0. */
size_t tls_session_take_output(struct tls_session *s, char **out);
bool tls_session_handshake_done(const struct tls_session *s);
const char *tls_session_error(const struct tls_session *s);

#endif
