/* SPDX-License-Identifier: MIT */
/* TLS server contexts. */
#include "context.h"

#include <errno.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/xalloc.h"
#include "internal.h"

void
tls__error_string(char *err, size_t err_len, const char *what)
{
    unsigned long code = ERR_get_error();
    char reason[256];

    if (code)
        ERR_error_string_n(code, reason, sizeof(reason));
    else
        snprintf(reason, sizeof(reason), "unknown error");
    snprintf(err, err_len, "%s: %s", what, reason);
    ERR_clear_error();
}

/* An encrypted key is refused: OpenSSL would otherwise ask for its passphrase on the
 * terminal (a reload would wait there), and a daemon has none. data, when set, is a bool
 * told that a passphrase was asked for. */
static int
context_no_passphrase(char *buf, int size, int rwflag, void *data)
{
    (void)buf;
    (void)size;
    (void)rwflag;
    if (data)
        *(bool *)data = true;
    return 0;
}

/* Why the server's key was refused, in plain words for the two cases users meet. */
static void
context_key_error(char *err, size_t err_len, const char *key_file, bool encrypted)
{
    unsigned long code = ERR_peek_last_error();

    if (encrypted) {
        snprintf(err, err_len,
                 "%s: the key is encrypted, and perchd has no passphrase to give it (write it "
                 "without one: openssl pkey -in KEY -out NEWKEY)",
                 key_file);
        ERR_clear_error();
    } else if (ERR_GET_LIB(code) == ERR_LIB_X509 &&
               ERR_GET_REASON(code) == X509_R_KEY_VALUES_MISMATCH) {
        snprintf(err, err_len, "%s: this key is not the certificate's: they do not match",
                 key_file);
        ERR_clear_error();
    } else {
        tls__error_string(err, err_len, key_file);
    }
}

struct tls_context *
tls_context_new_server(const char *cert_file, const char *key_file, char *err, size_t err_len)
{
    bool encrypted = false;
    SSL_CTX *ssl_ctx;
    struct tls_context *ctx;

    ERR_clear_error();
    ssl_ctx = SSL_CTX_new(TLS_server_method());
    if (!ssl_ctx) {
        tls__error_string(err, err_len, "cannot create TLS context");
        return NULL;
    }
    SSL_CTX_set_min_proto_version(ssl_ctx, TLS1_2_VERSION);
    SSL_CTX_set_options(ssl_ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
    /* TLS 1.3 suites, AES-128 first (as Go and BoringSSL): its SHA-256 key schedule runs on
     * the SHA extensions most CPUs have, where SHA-384's does not. */
    SSL_CTX_set_ciphersuites(ssl_ctx, "TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256:"
                                      "TLS_AES_256_GCM_SHA384");
    /* Idle connections are the common case: give their record buffers back (busy ones keep
     * them, tls_session_keep_buffers). The chain is the certificate file's: this context has
     * no trust store to complete it from, so OpenSSL need not try at every handshake. */
    SSL_CTX_set_mode(ssl_ctx, SSL_MODE_RELEASE_BUFFERS | SSL_MODE_NO_AUTO_CHAIN);
    /* A client that reconnects resumes with a ticket and skips the certificate and its
     * signature. Tickets are stateless (nothing is cached here), sealed with keys OpenSSL
     * makes for this context: a reload or a restart makes earlier tickets fall back to a
     * full handshake. One ticket per connection: each costs an encryption. */
    SSL_CTX_set_session_cache_mode(ssl_ctx, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_num_tickets(ssl_ctx, 1);
    if (SSL_CTX_use_certificate_chain_file(ssl_ctx, cert_file) != 1) {
        tls__error_string(err, err_len, cert_file);
        goto fail;
    }
    SSL_CTX_set_default_passwd_cb(ssl_ctx, context_no_passphrase);
    SSL_CTX_set_default_passwd_cb_userdata(ssl_ctx, &encrypted);
    if (SSL_CTX_use_PrivateKey_file(ssl_ctx, key_file, SSL_FILETYPE_PEM) != 1) {
        context_key_error(err, err_len, key_file, encrypted);
        goto fail;
    }
    SSL_CTX_set_default_passwd_cb_userdata(ssl_ctx, NULL);
    if (SSL_CTX_check_private_key(ssl_ctx) != 1) {
        tls__error_string(err, err_len, "certificate and key do not match");
        goto fail;
    }
    ctx = xcalloc(1, sizeof(*ctx));
    ctx->ssl_ctx = ssl_ctx;
    ctx->refs = 1;
    return ctx;
fail:
    SSL_CTX_free(ssl_ctx);
    return NULL;
}

struct tls_context *
tls_context_new_client(const char *cafile, bool verify, char *err, size_t err_len)
{
    SSL_CTX *ssl_ctx;
    struct tls_context *ctx;

    ERR_clear_error();
    ssl_ctx = SSL_CTX_new(TLS_client_method());
    if (!ssl_ctx) {
        tls__error_string(err, err_len, "cannot create TLS context");
        return NULL;
    }
    SSL_CTX_set_min_proto_version(ssl_ctx, TLS1_2_VERSION);
    SSL_CTX_set_verify(ssl_ctx, verify ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, NULL);
    if (verify && SSL_CTX_set_default_verify_paths(ssl_ctx) != 1) {
        tls__error_string(err, err_len, "system certificates");
        goto fail;
    }
    if (cafile && SSL_CTX_load_verify_locations(ssl_ctx, cafile, NULL) != 1) {
        tls__error_string(err, err_len, cafile);
        goto fail;
    }
    ctx = xcalloc(1, sizeof(*ctx));
    ctx->ssl_ctx = ssl_ctx;
    ctx->refs = 1;
    ctx->verify = verify;
    return ctx;
fail:
    SSL_CTX_free(ssl_ctx);
    return NULL;
}

int
tls_context_use_certificate(struct tls_context *ctx, const char *pem_file, char *err,
                            size_t err_len)
{
    ERR_clear_error();
    SSL_CTX_set_default_passwd_cb(ctx->ssl_ctx, context_no_passphrase);
    if (SSL_CTX_use_certificate_chain_file(ctx->ssl_ctx, pem_file) != 1) {
        tls__error_string(err, err_len, "certificate");
        return -EINVAL;
    }
    if (SSL_CTX_use_PrivateKey_file(ctx->ssl_ctx, pem_file, SSL_FILETYPE_PEM) != 1) {
        tls__error_string(err, err_len, "private key");
        return -EINVAL;
    }
    if (SSL_CTX_check_private_key(ctx->ssl_ctx) != 1) {
        tls__error_string(err, err_len, "the key does not match the certificate");
        return -EINVAL;
    }
    return 0;
}

void
tls_context_ref(struct tls_context *ctx)
{
    ctx->refs++;
}

void
tls_context_unref(struct tls_context *ctx)
{
    if (!ctx || --ctx->refs > 0)
        return;
    SSL_CTX_free(ctx->ssl_ctx);
    free(ctx);
}
