/* SPDX-License-Identifier: MIT */
/* TLS server contexts: certificate and key loading (and reloading), TLS 1.2 minimum. */
#ifndef PERCH_TLS_CONTEXT_H
#define PERCH_TLS_CONTEXT_H

#include <stdbool.h>
#include <stddef.h>

struct tls_context;

/*
 * Loads a PEM certificate chain and private key into a new server context.
 * Returns NULL and writes a reason into err on failure. Sessions hold a
 * reference, so a context replaced by a reload lives until its last session ends.
 */
struct tls_context *tls_context_new_server(const char *cert_file, const char *key_file, char *err,
                                           size_t err_len);
/*
 * A client context, TLS 1.2 minimum. verify: check the server's certificate against the
 * system's CAs (and cafile if given) and the host name; without it nothing is checked
 * (for --insecure, or when the caller pins a fingerprint). NULL with err on failure.
 */
struct tls_context *tls_context_new_client(const char *cafile, bool verify, char *err,
                                           size_t err_len);
/*
 * A client certificate presented to servers that ask for one: pem_file holds the
 * certificate (chain) and its private key, PEM. Returns 0, or -EINVAL with a reason in
 * err (unreadable file, no certificate, a key that is not the certificate's).
 */
int tls_context_use_certificate(struct tls_context *ctx, const char *pem_file, char *err,
                                size_t err_len);
void tls_context_ref(struct tls_context *ctx);
/* Drops a reference; frees at zero. Accepts NULL. */
void tls_context_unref(struct tls_context *ctx);

/*
 * Writes a new self-signed ECDSA P-256 certificate (CN = common_name, valid ten
 * years, SAN localhost/127.0.0.1/::1) and its key (mode 0600) as PEM files.
 * Returns 0, or a negative errno-style code with a reason in err.
 */
int tls_selfsigned_create(const char *cert_file, const char *key_file, const char *common_name,
                          char *err, size_t err_len);

#endif
