/* SPDX-License-Identifier: MIT */
/*
 * The server side of the TLS floors (floor_tls_session, floor_tls_server): an OpenSSL server
 * context set as perchd's (src/tls/context.c), with a new self-signed ECDSA P-256
 * certificate as perchd makes on its first run.
 */
#ifndef BENCH_FLOOR_TLS_CTX_H
#define BENCH_FLOOR_TLS_CTX_H

#include <openssl/ssl.h>

/* Prints "<prog>: what" and OpenSSL's errors to stderr, and exits with 1. */
_Noreturn void floor_fail(const char *prog, const char *what);

/* TLS 1.2 and later, AES-128-GCM first, no renegotiation, buffers released when idle, no
 * session cache, one stateless ticket per connection; groups are OpenSSL's default list, as
 * perchd's. Exits on failure. */
SSL_CTX *floor_server_ctx(const char *prog);

#endif
