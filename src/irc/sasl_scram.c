/* SPDX-License-Identifier: MIT */
/* SCRAM-SHA-256's client: messages built and checked, keys from PBKDF2 and HMAC. */
#include "sasl_scram.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/xalloc.h"
#include "tls/crypto.h"

#define SCRAM_HASH    TLS_HASH_SHA256
#define SCRAM_MSG_MAX 4096
#define SCRAM_GS2_B64 "biws" /* "n,,": no channel binding, no authorization identity */
#define SCRAM_KEY_LEN 32

struct irc_scram {
    char *username; /* escaped as a saslname */
    char *password;
    char *nonce;
    char *client_first_bare;
    char *auth_message;
    unsigned char salted[TLS_HASH_MAX];
    bool has_salted;
};

/* RFC 5802 saslname: '=' and ',' are escaped. */
static char *
scram_escape(const char *name)
{
    struct buf out;

    buf_init(&out, strlen(name) * 3 + 1);
    for (const char *p = name; *p; p++) {
        if (*p == '=')
            buf_append_str(&out, "=3D");
        else if (*p == ',')
            buf_append_str(&out, "=2C");
        else
            buf_append_char(&out, *p);
    }
    buf_append(&out, "", 0);
    return buf_steal(&out, NULL);
}

struct irc_scram *
irc_scram_new(const char *username, const char *password, const char *nonce)
{
    struct irc_scram *sc = xcalloc(1, sizeof(*sc));

    sc->username = scram_escape(username);
    sc->password = xstrdup(password);
    sc->nonce = xstrdup(nonce);
    return sc;
}

static void
scram_free_secret(char *s)
{
    if (s) {
        tls_cleanse(s, strlen(s));
        free(s);
    }
}

void
irc_scram_free(struct irc_scram *sc)
{
    if (!sc)
        return;
    scram_free_secret(sc->password);
    scram_free_secret(sc->auth_message);
    free(sc->username);
    free(sc->nonce);
    free(sc->client_first_bare);
    tls_cleanse(sc->salted, sizeof(sc->salted));
    free(sc);
}

char *
irc_scram_client_first(struct irc_scram *sc)
{
    struct buf out;

    free(sc->client_first_bare);
    buf_init(&out, SCRAM_MSG_MAX);
    buf_printf(&out, "n=%s,r=%s", sc->username, sc->nonce);
    sc->client_first_bare = buf_steal(&out, NULL);
    buf_init(&out, SCRAM_MSG_MAX);
    buf_printf(&out, "n,,%s", sc->client_first_bare);
    return buf_steal(&out, NULL);
}

/* The value of attribute key ("r", "s"...) in "a=1,b=2" and its length, or NULL. */
static const char *
scram_attr(const char *msg, size_t len, char key, size_t *value_len)
{
    for (size_t at = 0; at < len;) {
        const char *part = msg + at;
        const char *comma = memchr(part, ',', len - at);
        size_t part_len = comma ? (size_t)(comma - part) : len - at;
        if (part_len >= 2 && part[0] == key && part[1] == '=') {
            *value_len = part_len - 2;
            return part + 2;
        }
        at += part_len + 1;
    }
    return NULL;
}

/* A message must be text: no NUL inside, not too long. */
static bool
scram_msg_ok(const char *msg, size_t len, char *err, size_t err_len)
{
    if (len == 0 || len > SCRAM_MSG_MAX || memchr(msg, '\0', len)) {
        snprintf(err, err_len, "protocol error");
        return false;
    }
    return true;
}

/* The server's e= (error) attribute, as the reason: true when there is one. */
static bool
scram_server_error(const char *msg, size_t len, char *err, size_t err_len)
{
    size_t n;
    const char *e = scram_attr(msg, len, 'e', &n);

    if (e)
        snprintf(err, err_len, "%.*s", (int)n, e);
    return e != NULL;
}

static int
scram_iterations(const char *text, size_t len)
{
    long v = 0;

    if (len == 0 || len > 7)
        return -1;
    for (size_t i = 0; i < len; i++) {
        if (text[i] < '0' || text[i] > '9')
            return -1;
        v = v * 10 + (text[i] - '0');
    }
    return v >= 1 && v <= IRC_SCRAM_ITERATIONS_MAX ? (int)v : -1;
}

/* SaltedPassword := Hi(password, salt, i), from the server's s= and i=. */
static int
scram_salt_password(struct irc_scram *sc, const char *msg, size_t len, char *err, size_t err_len)
{
    size_t salt_b64_len, iter_len;
    const char *salt_b64 = scram_attr(msg, len, 's', &salt_b64_len);
    const char *iter = scram_attr(msg, len, 'i', &iter_len);
    unsigned char salt[SCRAM_MSG_MAX];
    int salt_len, iterations;

    if (!salt_b64 || !iter) {
        snprintf(err, err_len, "protocol error");
        return -1;
    }
    salt_len = salt_b64_len ? tls_base64_decode(salt_b64, salt_b64_len, salt) : -1;
    if (salt_len <= 0) {
        snprintf(err, err_len, "base64 decode error");
        return -1;
    }
    iterations = scram_iterations(iter, iter_len);
    if (iterations < 0) {
        snprintf(err, err_len, "invalid iteration count (1 to %d)", IRC_SCRAM_ITERATIONS_MAX);
        return -1;
    }
    if (tls_pbkdf2(SCRAM_HASH, sc->password, strlen(sc->password), salt, (size_t)salt_len,
                   iterations, sc->salted) != SCRAM_KEY_LEN) {
        snprintf(err, err_len, "cryptography error");
        return -1;
    }
    sc->has_salted = true;
    return 0;
}

/* ClientProof := ClientKey XOR HMAC(H(ClientKey), AuthMessage), base64 into out. */
static int
scram_proof(const struct irc_scram *sc, char *out)
{
    unsigned char client_key[TLS_HASH_MAX] = { 0 }, stored_key[TLS_HASH_MAX] = { 0 };
    unsigned char sig[TLS_HASH_MAX] = { 0 };
    int ok =
        tls_hmac(SCRAM_HASH, sc->salted, SCRAM_KEY_LEN, "Client Key", 10, client_key) ==
            SCRAM_KEY_LEN &&
        tls_hash(SCRAM_HASH, client_key, SCRAM_KEY_LEN, NULL, 0, stored_key) == SCRAM_KEY_LEN &&
        tls_hmac(SCRAM_HASH, stored_key, SCRAM_KEY_LEN, sc->auth_message, strlen(sc->auth_message),
                 sig) == SCRAM_KEY_LEN;

    for (int i = 0; i < SCRAM_KEY_LEN; i++)
        client_key[i] ^= sig[i];
    if (ok)
        tls_base64_encode(client_key, SCRAM_KEY_LEN, out);
    tls_cleanse(client_key, sizeof(client_key));
    tls_cleanse(stored_key, sizeof(stored_key));
    return ok ? 0 : -1;
}

char *
irc_scram_client_final(struct irc_scram *sc, const char *server_first, size_t len, char *err,
                       size_t err_len)
{
    size_t nonce_len, our_len = strlen(sc->nonce);
    const char *nonce;
    char proof[TLS_HASH_MAX * 2];
    struct buf out;

    if (!scram_msg_ok(server_first, len, err, err_len) ||
        scram_server_error(server_first, len, err, err_len))
        return NULL;
    if (!sc->client_first_bare || (len >= 2 && server_first[0] == 'm' && server_first[1] == '=')) {
        snprintf(err, err_len, "protocol error");
        return NULL;
    }
    /* The server's nonce extends ours: otherwise it may replay another exchange. */
    nonce = scram_attr(server_first, len, 'r', &nonce_len);
    if (!nonce || nonce_len <= our_len || memcmp(nonce, sc->nonce, our_len) != 0) {
        snprintf(err, err_len, "the server's nonce does not extend ours");
        return NULL;
    }
    if (scram_salt_password(sc, server_first, len, err, err_len) < 0)
        return NULL;
    scram_free_secret(sc->auth_message);
    buf_init(&out, 3 * SCRAM_MSG_MAX);
    buf_printf(&out, "%s,%.*s,c=" SCRAM_GS2_B64 ",r=%.*s", sc->client_first_bare, (int)len,
               server_first, (int)nonce_len, nonce);
    sc->auth_message = buf_steal(&out, NULL);
    if (scram_proof(sc, proof) < 0) {
        snprintf(err, err_len, "cryptography error");
        return NULL;
    }
    buf_init(&out, 2 * SCRAM_MSG_MAX);
    buf_printf(&out, "c=" SCRAM_GS2_B64 ",r=%.*s,p=%s", (int)nonce_len, nonce, proof);
    return buf_steal(&out, NULL);
}

int
irc_scram_server_final(struct irc_scram *sc, const char *server_final, size_t len, char *err,
                       size_t err_len)
{
    unsigned char server_key[TLS_HASH_MAX], expected[TLS_HASH_MAX], got[SCRAM_MSG_MAX];
    size_t v_len;
    const char *v;
    int got_len;
    bool same;

    if (!scram_msg_ok(server_final, len, err, err_len) ||
        scram_server_error(server_final, len, err, err_len))
        return -1;
    v = scram_attr(server_final, len, 'v', &v_len);
    if (!v || !sc->has_salted || !sc->auth_message) {
        snprintf(err, err_len, "protocol error");
        return -1;
    }
    got_len = v_len ? tls_base64_decode(v, v_len, got) : -1;
    /* ServerSignature := HMAC(HMAC(SaltedPassword, "Server Key"), AuthMessage) */
    same = got_len == SCRAM_KEY_LEN &&
           tls_hmac(SCRAM_HASH, sc->salted, SCRAM_KEY_LEN, "Server Key", 10, server_key) ==
               SCRAM_KEY_LEN &&
           tls_hmac(SCRAM_HASH, server_key, SCRAM_KEY_LEN, sc->auth_message,
                    strlen(sc->auth_message), expected) == SCRAM_KEY_LEN &&
           tls_memeq(got, expected, SCRAM_KEY_LEN);
    tls_cleanse(server_key, sizeof(server_key));
    if (!same) {
        snprintf(err, err_len, "unable to validate server signature");
        return -1;
    }
    return 0;
}
