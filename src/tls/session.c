/* SPDX-License-Identifier: MIT */
/* One TLS session on memory BIOs. */
#include "session.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hex.h"
#include "base/xalloc.h"
#include "internal.h"

struct tls_session {
    SSL *ssl;
    BIO *rbio; /* network -> OpenSSL */
    BIO *wbio; /* OpenSSL -> network */
    struct tls_context *ctx;
    bool shutdown_sent;
    bool dead;
    char error[256];
};

/* A session on memory BIOs, in neither role yet. */
static struct tls_session *
session_new(struct tls_context *ctx)
{
    struct tls_session *s = xcalloc(1, sizeof(*s));

    s->ssl = SSL_new(ctx->ssl_ctx);
    s->rbio = BIO_new(BIO_s_mem());
    s->wbio = BIO_new(BIO_s_mem());
    if (!s->ssl || !s->rbio || !s->wbio)
        abort(); /* out of memory, as xalloc does */
    /* An empty memory BIO must read as "retry", not as EOF. */
    BIO_set_mem_eof_return(s->rbio, -1);
    BIO_set_mem_eof_return(s->wbio, -1);
    SSL_set_bio(s->ssl, s->rbio, s->wbio);
    s->ctx = ctx;
    tls_context_ref(ctx);
    return s;
}

struct tls_session *
tls_session_new_server(struct tls_context *ctx)
{
    struct tls_session *s = session_new(ctx);

    SSL_set_accept_state(s->ssl);
    return s;
}

static int session_fail(struct tls_session *s, int ssl_err);

struct tls_session *
tls_session_new_client(struct tls_context *ctx, const char *host)
{
    struct tls_session *s = session_new(ctx);
    struct in6_addr addr6;
    struct in_addr addr4;
    bool is_ip = inet_pton(AF_INET, host, &addr4) == 1 || inet_pton(AF_INET6, host, &addr6) == 1;

    SSL_set_connect_state(s->ssl);
    if (!is_ip)
        SSL_ctrl(s->ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                 (void *)(uintptr_t)host); /* SSL_set_tlsext_host_name() without its const cast */
    if (ctx->verify) {
        X509_VERIFY_PARAM *param = SSL_get0_param(s->ssl);
        if (is_ip)
            X509_VERIFY_PARAM_set1_ip_asc(param, host);
        else
            SSL_set1_host(s->ssl, host);
    }
    return s;
}

int
tls_session_start(struct tls_session *s)
{
    ERR_clear_error();
    int rc = SSL_do_handshake(s->ssl);
    if (rc == 1)
        return TLS_OK;
    int err = SSL_get_error(s->ssl, rc);
    if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE)
        return TLS_OK;
    return session_fail(s, err);
}

const char *
tls_session_version_name(const struct tls_session *s)
{
    switch (s ? SSL_version(s->ssl) : 0) {
    case TLS1_3_VERSION:
        return "TLS1.3";
    case TLS1_2_VERSION:
        return "TLS1.2";
    case TLS1_1_VERSION:
        return "TLS1.1";
    case TLS1_VERSION:
        return "TLS1.0";
    default:
        return "?";
    }
}

bool
tls_session_peer_sha256(const struct tls_session *s, unsigned char out[32])
{
    X509 *cert = SSL_get0_peer_certificate(s->ssl);
    unsigned int len = 0;

    return cert && X509_digest(cert, EVP_sha256(), out, &len) == 1 && len == 32;
}

bool
tls_session_peer_matches(const struct tls_session *s, const char *fingerprint)
{
    unsigned char digest[32];
    char hex[65];
    size_t n = 0;

    if (!s || !tls_session_peer_sha256(s, digest))
        return false;
    hex_encode(digest, sizeof(digest), hex);
    for (const char *p = fingerprint; *p; p++) {
        if (*p == ':')
            continue;
        if (n >= 64 || tolower((unsigned char)*p) != hex[n])
            return false;
        n++;
    }
    return n == 64;
}

void
tls_session_free(struct tls_session *s)
{
    if (!s)
        return;
    SSL_free(s->ssl); /* frees both BIOs */
    tls_context_unref(s->ctx);
    free(s);
}

static int
session_fail(struct tls_session *s, int ssl_err)
{
    unsigned long code = ERR_peek_error();

    s->dead = true;
    /* OpenSSL records a verification result even when told not to verify (--insecure,
     * pinning): it is the reason only when it was asked for. */
    long verify = SSL_get_verify_result(s->ssl);
    if (verify != X509_V_OK && !SSL_is_server(s->ssl) &&
        (SSL_get_verify_mode(s->ssl) & SSL_VERIFY_PEER)) {
        snprintf(s->error, sizeof(s->error), "certificate refused: %s",
                 X509_verify_cert_error_string(verify));
        ERR_clear_error();
        return TLS_ERROR;
    }
    if (code)
        tls__error_string(s->error, sizeof(s->error), "TLS");
    else
        snprintf(s->error, sizeof(s->error), "TLS: error %d", ssl_err);
    return TLS_ERROR;
}

int
tls_session_feed(struct tls_session *s, const void *cipher, size_t len, char *plain,
                 size_t plain_cap, size_t *plain_len)
{
    *plain_len = 0;
    if (s->dead)
        return TLS_ERROR;
    if (len && BIO_write(s->rbio, cipher, (int)len) != (int)len)
        return session_fail(s, 0);
    while (*plain_len < plain_cap) {
        size_t got = 0;
        ERR_clear_error();
        int ok = SSL_read_ex(s->ssl, plain + *plain_len, plain_cap - *plain_len, &got);
        if (ok) {
            *plain_len += got;
            continue;
        }
        int err = SSL_get_error(s->ssl, 0);
        if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE)
            return TLS_OK;
        if (err == SSL_ERROR_ZERO_RETURN)
            return TLS_PEER_CLOSED;
        return session_fail(s, err);
    }
    return TLS_OK;
}

int
tls_session_write(struct tls_session *s, const void *plain, size_t len)
{
    size_t done = 0;

    if (s->dead || s->shutdown_sent)
        return TLS_ERROR;
    while (done < len) {
        size_t wrote = 0;
        ERR_clear_error();
        if (!SSL_write_ex(s->ssl, (const char *)plain + done, len - done, &wrote))
            return session_fail(s, SSL_get_error(s->ssl, 0));
        done += wrote;
    }
    return TLS_OK;
}

void
tls_session_shutdown(struct tls_session *s)
{
    if (s->shutdown_sent || s->dead)
        return;
    s->shutdown_sent = true;
    /* Only meaningful once the handshake finished; before, there is nothing to close. */
    if (!SSL_is_init_finished(s->ssl))
        return;
    ERR_clear_error();
    SSL_shutdown(s->ssl);
    ERR_clear_error();
}

size_t
tls_session_take_output(struct tls_session *s, char **out)
{
    size_t len = BIO_ctrl_pending(s->wbio);

    *out = NULL;
    if (!len)
        return 0;
    *out = xmalloc(len);
    if (BIO_read(s->wbio, *out, (int)len) != (int)len)
        abort();
    return len;
}

bool
tls_session_handshake_done(const struct tls_session *s)
{
    return SSL_is_init_finished(s->ssl);
}

const char *
tls_session_error(const struct tls_session *s)
{
    return s->error[0] ? s->error : "TLS: no error";
}
