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

#include "base/buf.h"
#include "base/hex.h"
#include "base/xalloc.h"
#include "internal.h"

/*
 * The session's BIO reads the ciphertext being fed where it lies and writes into a buffer
 * that net/ takes whole: OpenSSL's memory BIOs would keep, per connection, buffers as large
 * as the largest read and the largest answer for as long as it lives.
 */
struct tls_session {
    SSL *ssl;
    struct tls_context *ctx;
    const char *in; /* ciphertext fed, not read by OpenSSL yet */
    size_t in_len;
    struct buf kept; /* ciphertext left over by a feed (held while plaintext is delivered) */
    struct buf out;  /* ciphertext to send */
    char *error;     /* NULL until the session fails */
    bool shutdown_sent;
    bool dead;
};

/* SSL_get_error() reads this thread's error queue, which must be empty before each call:
 * peeking is cheaper than clearing all of its slots, and it is almost always empty. */
static void
session_clear_errors(void)
{
    if (ERR_peek_error() != 0)
        ERR_clear_error();
}

static int
session_bio_read(BIO *bio, char *data, size_t len, size_t *done)
{
    struct tls_session *s = BIO_get_data(bio);
    size_t n = len < s->in_len ? len : s->in_len;

    BIO_clear_retry_flags(bio);
    if (n == 0) {
        /* Nothing more now: "retry", never EOF (the peer's EOF comes from net/). */
        BIO_set_retry_read(bio);
        *done = 0;
        return 0;
    }
    memcpy(data, s->in, n);
    s->in += n;
    s->in_len -= n;
    *done = n;
    return 1;
}

static int
session_bio_write(BIO *bio, const char *data, size_t len, size_t *done)
{
    struct tls_session *s = BIO_get_data(bio);

    BIO_clear_retry_flags(bio);
    buf_append(&s->out, data, len); /* no maximum: net/ bounds what waits */
    *done = len;
    return 1;
}

static long
session_bio_ctrl(BIO *bio, int cmd, long num, void *ptr)
{
    (void)bio;
    (void)num;
    (void)ptr;
    return cmd == BIO_CTRL_FLUSH ? 1 : 0;
}

static int
session_bio_create(BIO *bio)
{
    BIO_set_init(bio, 1);
    return 1;
}

/* One BIO method for the process (OpenSSL keeps it until exit). */
static BIO_METHOD *
session_bio_method(void)
{
    static BIO_METHOD *method;

    if (method)
        return method;
    method = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "perch session");
    if (!method || !BIO_meth_set_read_ex(method, session_bio_read) ||
        !BIO_meth_set_write_ex(method, session_bio_write) ||
        !BIO_meth_set_ctrl(method, session_bio_ctrl) ||
        !BIO_meth_set_create(method, session_bio_create))
        abort(); /* out of memory */
    return method;
}

/* A session on its own BIO, in neither role yet. */
static struct tls_session *
session_new(struct tls_context *ctx)
{
    struct tls_session *s = xcalloc(1, sizeof(*s));
    BIO *bio;

    s->ssl = SSL_new(ctx->ssl_ctx);
    bio = BIO_new(session_bio_method());
    if (!s->ssl || !bio)
        abort(); /* out of memory, as xalloc does */
    BIO_set_data(bio, s);
    /* The same BIO both ways: SSL_set_bio() then takes the one reference. */
    SSL_set_bio(s->ssl, bio, bio);
    buf_init(&s->kept, (size_t)-1);
    buf_init(&s->out, (size_t)-1);
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
    SSL_free(s->ssl); /* frees the BIO */
    tls_context_unref(s->ctx);
    buf_fini(&s->kept);
    buf_fini(&s->out);
    free(s->error);
    free(s);
}

static int
session_fail(struct tls_session *s, int ssl_err)
{
    unsigned long code = ERR_peek_error();
    char error[256];

    s->dead = true;
    /* OpenSSL records a verification result even when told not to verify (--insecure,
     * pinning): it is the reason only when it was asked for. */
    long verify = SSL_get_verify_result(s->ssl);
    if (verify != X509_V_OK && !SSL_is_server(s->ssl) &&
        (SSL_get_verify_mode(s->ssl) & SSL_VERIFY_PEER)) {
        snprintf(error, sizeof(error), "certificate refused: %s",
                 X509_verify_cert_error_string(verify));
        ERR_clear_error();
    } else if (code) {
        tls__error_string(error, sizeof(error), "TLS");
    } else {
        snprintf(error, sizeof(error), "TLS: error %d", ssl_err);
    }
    free(s->error);
    s->error = xstrdup(error);
    return TLS_ERROR;
}

/* Points the BIO at the ciphertext to read: what an earlier feed left, then cipher. */
static void
session_set_input(struct tls_session *s, const void *cipher, size_t len)
{
    if (s->kept.len) {
        buf_append(&s->kept, cipher, len);
        s->in = s->kept.data;
        s->in_len = s->kept.len;
    } else {
        s->in = cipher;
        s->in_len = len;
    }
}

/* Keeps what OpenSSL did not read: the caller's bytes are its own again after the feed. */
static void
session_keep_input(struct tls_session *s)
{
    struct buf rest;

    if (s->in_len == 0) {
        buf_fini(&s->kept);
    } else if (s->in != s->kept.data) {
        buf_reset(&s->kept);
        buf_append(&s->kept, s->in, s->in_len);
    } else if (s->in_len != s->kept.len) {
        buf_init(&rest, (size_t)-1);
        buf_append(&rest, s->in, s->in_len);
        buf_fini(&s->kept);
        s->kept = rest;
    }
    s->in = NULL;
    s->in_len = 0;
}

/* Decrypts into plain while there is something to read. An SSL_read() with nothing to read
 * would allocate the 16 kB read buffer that SSL_MODE_RELEASE_BUFFERS gave back, and keep it
 * while the connection idles: it is called only when bytes wait, in the BIO or in OpenSSL. */
static int
session_read(struct tls_session *s, char *plain, size_t plain_cap, size_t *plain_len)
{
    while (*plain_len < plain_cap && (s->in_len || SSL_has_pending(s->ssl))) {
        size_t got = 0;
        session_clear_errors();
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
tls_session_feed(struct tls_session *s, const void *cipher, size_t len, char *plain,
                 size_t plain_cap, size_t *plain_len)
{
    int rc;

    *plain_len = 0;
    if (s->dead)
        return TLS_ERROR;
    session_set_input(s, cipher, len);
    rc = session_read(s, plain, plain_cap, plain_len);
    session_keep_input(s);
    return rc;
}

void
tls_session_keep_buffers(struct tls_session *s, bool keep)
{
    if (keep) {
        SSL_clear_mode(s->ssl, SSL_MODE_RELEASE_BUFFERS);
        return;
    }
    SSL_set_mode(s->ssl, SSL_MODE_RELEASE_BUFFERS);
    /* Buffers still holding bytes stay; the mode frees them once empty. */
    SSL_free_buffers(s->ssl);
}

int
tls_session_write(struct tls_session *s, const void *plain, size_t len)
{
    size_t done = 0;

    if (s->dead || s->shutdown_sent)
        return TLS_ERROR;
    while (done < len) {
        size_t wrote = 0;
        session_clear_errors();
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
    size_t len = 0;

    *out = s->out.len ? buf_steal(&s->out, &len) : NULL;
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
    return s->error ? s->error : "TLS: no error";
}
