/* SPDX-License-Identifier: MIT */
/* Credentials: formats, computations and the reference's check order (§4). */
#include "auth.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/hex.h"
#include "base/xalloc.h"
#include "http/request.h"
#include "tls/crypto.h"
#include "token.h"

#define AUTH_MISSING_PASSWORD "Missing password"
#define AUTH_INVALID_PASSWORD "Invalid password"
#define AUTH_MISSING_TOTP     "Missing TOTP"
#define AUTH_INVALID_TOTP     "Invalid TOTP"
#define AUTH_INVALID_ALGO     "Invalid hash algorithm (not found or not supported)"
#define AUTH_INVALID_TS       "Invalid timestamp"
#define AUTH_INVALID_ITER     "Invalid number of iterations"

#define AUTH_BEARER_PREFIX "base64url.bearer.authorization.weechat."
/* perch's extension: the TOTP code as a subprotocol item, since a browser's WebSocket cannot
 * send x-weechat-totp. Never echoed back: the upgrade answers only "api.weechat". */
#define AUTH_TOTP_PREFIX "totp.perch."

static const char *const auth_algo_names[RELAY_HASH_COUNT] = {
    [RELAY_HASH_PLAIN] = "plain",
    [RELAY_HASH_SHA256] = "sha256",
    [RELAY_HASH_SHA512] = "sha512",
    [RELAY_HASH_PBKDF2_SHA256] = "pbkdf2+sha256",
    [RELAY_HASH_PBKDF2_SHA512] = "pbkdf2+sha512",
};

const char *
relay_hash_algo_name(enum relay_hash_algo algo)
{
    return (unsigned)algo < RELAY_HASH_COUNT ? auth_algo_names[algo] : NULL;
}

int
relay_hash_algo_find(const char *name)
{
    for (int i = 0; i < RELAY_HASH_COUNT; i++) {
        if (strcmp(auth_algo_names[i], name) == 0)
            return i;
    }
    return -1;
}

/* WeeChat-style pattern list: a name is allowed when some pattern matches it and
 * no "!pattern" does. */
static bool
auth_patterns_match(const char *patterns, const char *name)
{
    bool matched = false;
    const char *p = patterns;

    while (*p) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char pat[128];
        while (len && *p == ' ')
            p++, len--;
        if (len && len < sizeof(pat)) {
            bool neg = *p == '!';
            memcpy(pat, p + neg, len - neg);
            pat[len - neg] = '\0';
            if (fnmatch(pat, name, 0) == 0) {
                if (neg)
                    return false;
                matched = true;
            }
        }
        p += len + (end ? 1 : 0);
    }
    return matched;
}

bool
relay_hash_algo_allowed(const struct relay_config *cfg, enum relay_hash_algo algo)
{
    /* With only a stored hash, the server cannot recompute hashed credentials. */
    if (!cfg->password[0] && algo != RELAY_HASH_PLAIN)
        return false;
    return auth_patterns_match(cfg->hash_algos, auth_algo_names[algo]);
}

int
relay_hash_hex(enum relay_hash_algo algo, const char *password, size_t password_len, const char *ts,
               int iterations, char hex[129])
{
    unsigned char out[TLS_HASH_MAX];
    enum tls_hash_alg h = (algo == RELAY_HASH_SHA256 || algo == RELAY_HASH_PBKDF2_SHA256)
                              ? TLS_HASH_SHA256
                              : TLS_HASH_SHA512;
    int len;

    if (algo == RELAY_HASH_SHA256 || algo == RELAY_HASH_SHA512)
        len = tls_hash(h, ts, strlen(ts), password, password_len, out);
    else if (algo == RELAY_HASH_PBKDF2_SHA256 || algo == RELAY_HASH_PBKDF2_SHA512)
        len = tls_pbkdf2(h, password, password_len, ts, strlen(ts), iterations, out);
    else
        return -EINVAL;
    if (len < 0)
        return -EINVAL;
    hex_encode(out, (size_t)len, hex);
    return 0;
}

/* Lenient base64: decodes up to the first character outside the alphabet, padding
 * optional (the reference's decoder behaves the same). url selects base64url. */
static char *
auth_base64_decode(const char *in, bool url)
{
    size_t n = 0, len = strlen(in);
    char *clean = xmalloc(len + 4);
    unsigned char *out;
    int out_len;

    for (; n < len; n++) {
        char c = in[n];
        if (url && c == '-')
            c = '+';
        else if (url && c == '_')
            c = '/';
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '+' || c == '/'))
            break;
        clean[n] = c;
    }
    if (n % 4 == 1)
        n--;
    while (n % 4)
        clean[n++] = '=';
    out = xmalloc(n / 4 * 3 + 1);
    out_len = tls_base64_decode(clean, n, out);
    free(clean);
    if (out_len < 0) {
        free(out);
        return NULL;
    }
    out[out_len] = '\0';
    return (char *)out;
}

/* The decoded "user:password" text from either carrier, or NULL. */
static char *
auth_decode_carrier(const struct relay_credentials *cred)
{
    const char *p;
    size_t len;

    if (cred->authorization) {
        p = cred->authorization;
        if (strncasecmp(p, "basic", 5) != 0 || (p[5] != ' ' && p[5] != '\0'))
            return NULL;
        for (p += 5; *p == ' '; p++)
            ;
        return auth_base64_decode(p, false);
    }
    p = http_list_item(cred->websocket_protocol, AUTH_BEARER_PREFIX, false, &len);
    if (!p)
        return NULL;
    char *item = xstrndup(p, len);
    char *decoded = auth_base64_decode(item, true);
    free(item);
    return decoded;
}

static bool
auth_parse_long(const char *s, long long *v)
{
    char *end;

    if (!*s)
        return false;
    errno = 0;
    *v = strtoll(s, &end, 10);
    return !errno && !*end;
}

/* Constant-time, case-insensitive comparison of hex text. Only the length of what the client
 * sent is compared early: the expected length is public (the digest size). */
static bool
auth_hex_equal(const char *expected, const char *got)
{
    size_t len = strlen(expected);
    char lower[129];

    if (strlen(got) != len || len >= sizeof(lower))
        return false;
    for (size_t i = 0; i < len; i++)
        lower[i] = (got[i] >= 'A' && got[i] <= 'F') ? (char)(got[i] - 'A' + 'a') : got[i];
    return tls_memeq(expected, lower, len);
}

/*
 * The work a PBKDF2 credential needs, with copies of everything it reads: it may run on
 * another thread while the configuration is reloaded.
 */
struct relay_auth_derivation {
    enum relay_hash_algo algo;
    int iterations;
    char *password; /* the clear password: the configured one, or the one the client sent */
    size_t password_len;
    char *salt;    /* the client's timestamp text, or the stored hash's salt */
    char *against; /* the hex the derived key must equal: the client's, the stored one, or
                    * NULL for a key derived ahead of the login that will use it */
    char hex[129]; /* the derived key, once derived */
    bool derived;
    bool matched;
};

static struct relay_auth_derivation *
auth_derivation_new(enum relay_hash_algo algo, int iterations, const char *password,
                    const char *salt, const char *against)
{
    struct relay_auth_derivation *d = xcalloc(1, sizeof(*d));

    d->algo = algo;
    d->iterations = iterations;
    d->password = xstrdup(password);
    d->password_len = strlen(password);
    d->salt = xstrdup(salt);
    d->against = against ? xstrdup(against) : NULL;
    return d;
}

void
relay_auth_derivation_free(struct relay_auth_derivation *d)
{
    if (!d)
        return;
    /* Within the time window a client's hash is as good as the password; a stored one
     * is worth a brute force. */
    tls_cleanse(d->password, d->password_len);
    if (d->against)
        tls_cleanse(d->against, strlen(d->against));
    tls_cleanse(d->hex, sizeof(d->hex));
    free(d->password);
    free(d->salt);
    free(d->against);
    free(d);
}

void
relay_auth_derive(struct relay_auth_derivation *d)
{
    d->derived =
        relay_hash_hex(d->algo, d->password, d->password_len, d->salt, d->iterations, d->hex) == 0;
    d->matched = d->derived && d->against && auth_hex_equal(d->hex, d->against);
}

struct relay_auth_derivation *
relay_auth_ahead_new(const struct relay_config *cfg, enum relay_hash_algo algo, int64_t now)
{
    char ts[24];

    if ((algo != RELAY_HASH_PBKDF2_SHA256 && algo != RELAY_HASH_PBKDF2_SHA512) ||
        !cfg->password[0] || !relay_hash_algo_allowed(cfg, algo))
        return NULL;
    snprintf(ts, sizeof(ts), "%lld", (long long)now);
    return auth_derivation_new(algo, cfg->hash_iterations, cfg->password, ts, NULL);
}

bool
relay_auth_same_input(const struct relay_auth_derivation *a, const struct relay_auth_derivation *b)
{
    return a->algo == b->algo && a->iterations == b->iterations && strcmp(a->salt, b->salt) == 0 &&
           a->password_len == b->password_len &&
           tls_memeq(a->password, b->password, a->password_len);
}

bool
relay_auth_use_ahead(struct relay_auth_derivation *d, const struct relay_auth_derivation *ahead)
{
    if (!ahead->derived || !relay_auth_same_input(d, ahead))
        return false;
    memcpy(d->hex, ahead->hex, sizeof(d->hex));
    d->matched = d->against && auth_hex_equal(d->hex, d->against);
    d->derived = true;
    return true;
}

const char *
relay_auth_verdict(const struct relay_auth_derivation *d)
{
    return d->derived && d->matched ? NULL : AUTH_INVALID_PASSWORD;
}

/* A stored "pbkdf2+sha512:ITER:SALT_HEX:HASH_HEX" to check a clear password against: the
 * derivation, or NULL when the stored hash is unusable. */
static struct relay_auth_derivation *
auth_stored_hash_begin(const char *stored, const char *password)
{
    char algo[32], salt[129], hash[129];
    int iterations;

    if (sscanf(stored, "%31[^:]:%d:%128[0-9a-f]:%128[0-9a-f]", algo, &iterations, salt, hash) != 4)
        return NULL;
    int a = relay_hash_algo_find(algo);
    if (a != RELAY_HASH_PBKDF2_SHA256 && a != RELAY_HASH_PBKDF2_SHA512)
        return NULL;
    return auth_derivation_new((enum relay_hash_algo)a, iterations, password, salt, hash);
}

static const char *
auth_check_plain(const struct relay_config *cfg, const char *password,
                 struct relay_auth_derivation **deriv)
{
    if (!relay_hash_algo_allowed(cfg, RELAY_HASH_PLAIN))
        return AUTH_INVALID_ALGO;
    if (cfg->password[0])
        return tls_secret_eq(cfg->password, strlen(cfg->password), password, strlen(password))
                   ? NULL
                   : AUTH_INVALID_PASSWORD;
    *deriv = auth_stored_hash_begin(cfg->password_hash, password);
    return *deriv ? NULL : AUTH_INVALID_PASSWORD;
}

static const char *
auth_check_hash(const struct relay_config *cfg, char *rest, int64_t now,
                struct relay_auth_derivation **deriv)
{
    char *fields[3] = { NULL, NULL, NULL };
    char *colon = strchr(rest, ':');
    int algo, n = 0;
    long long ts, iterations;
    char hex[129];

    if (!colon)
        return AUTH_INVALID_PASSWORD;
    *colon = '\0';
    algo = relay_hash_algo_find(rest);
    if (algo <= RELAY_HASH_PLAIN || !relay_hash_algo_allowed(cfg, (enum relay_hash_algo)algo))
        return AUTH_INVALID_ALGO;
    bool pbkdf2 = algo == RELAY_HASH_PBKDF2_SHA256 || algo == RELAY_HASH_PBKDF2_SHA512;
    for (char *p = colon + 1; p && n < (pbkdf2 ? 3 : 2); n++) {
        fields[n] = p;
        p = strchr(p, ':');
        if (p && n < (pbkdf2 ? 2 : 1))
            *p++ = '\0';
        else
            p = NULL;
    }
    if (n < (pbkdf2 ? 3 : 2))
        return pbkdf2 && n == 2 ? AUTH_INVALID_ITER : AUTH_INVALID_TS;
    if (pbkdf2 && (!auth_parse_long(fields[1], &iterations) || iterations != cfg->hash_iterations))
        return AUTH_INVALID_ITER;
    if (!auth_parse_long(fields[0], &ts) || ts < now - cfg->time_window_s ||
        ts > now + cfg->time_window_s)
        return AUTH_INVALID_TS;
    if (pbkdf2) {
        *deriv = auth_derivation_new((enum relay_hash_algo)algo, cfg->hash_iterations,
                                     cfg->password, fields[0], fields[2]);
        return NULL;
    }
    if (relay_hash_hex((enum relay_hash_algo)algo, cfg->password, strlen(cfg->password), fields[0],
                       cfg->hash_iterations, hex) < 0)
        return AUTH_INVALID_PASSWORD;
    bool equal = auth_hex_equal(hex, fields[1]);
    /* Within the time window the expected credential is as good as the password. */
    tls_cleanse(hex, sizeof(hex));
    return equal ? NULL : AUTH_INVALID_PASSWORD;
}

static const char *
auth_check_totp(const struct relay_config *cfg, const char *totp, int64_t now)
{
    long long code;

    if (totp && (!auth_parse_long(totp, &code) || code < 0 || code > 999999))
        return AUTH_INVALID_TOTP;
    if (cfg->totp_secret[0]) {
        if (!totp || !*totp)
            return AUTH_MISSING_TOTP;
        if (!relay_totp_check(cfg->totp_secret, totp, cfg->totp_window, now))
            return AUTH_INVALID_TOTP;
    } else if (totp && *totp) {
        return AUTH_INVALID_TOTP;
    }
    return NULL;
}

const char *
relay_auth_begin(const struct relay_config *cfg, const struct relay_credentials *cred, int64_t now,
                 struct relay_auth_derivation **deriv)
{
    const char *totp = cred->totp;
    char *totp_item = NULL, *decoded;
    const char *error;
    size_t len;

    *deriv = NULL;
    /* A login token (token.h) stands for the password and the TOTP code it was issued after. */
    decoded = auth_decode_carrier(cred);
    if (decoded && strncmp(decoded, "token:", 6) == 0) {
        error = relay_token_check(cfg, decoded + 6, now);
        tls_cleanse(decoded, strlen(decoded));
        free(decoded);
        return error;
    }
    /* The header wins; without it, the subprotocol item follows exactly its rules. */
    if (!totp) {
        const char *item = http_list_item(cred->websocket_protocol, AUTH_TOTP_PREFIX, false, &len);
        if (item)
            totp = totp_item = xstrndup(item, len);
    }
    error = auth_check_totp(cfg, totp, now);
    free(totp_item);
    /* perchd never runs without a password: an empty one refuses everything. */
    if (!error && !cfg->password[0] && !cfg->password_hash)
        error = AUTH_INVALID_PASSWORD;
    if (!error && !decoded)
        error = AUTH_MISSING_PASSWORD;
    if (error) {
        if (decoded)
            tls_cleanse(decoded, strlen(decoded));
        free(decoded);
        return error;
    }
    if (strncmp(decoded, "plain:", 6) == 0)
        error = auth_check_plain(cfg, decoded + 6, deriv);
    else if (strncmp(decoded, "hash:", 5) == 0)
        error = auth_check_hash(cfg, decoded + 5, now, deriv);
    else
        error = AUTH_INVALID_PASSWORD;
    tls_cleanse(decoded, strlen(decoded));
    free(decoded);
    return error;
}

bool
relay_auth_is_lasting(const struct relay_config *cfg, const struct relay_credentials *cred)
{
    char *decoded;
    bool lasting;

    if (!cred->authorization || cred->totp || cred->websocket_protocol || cfg->totp_secret[0])
        return false;
    decoded = auth_decode_carrier(cred);
    lasting = decoded && strncmp(decoded, "plain:", 6) == 0;
    if (decoded)
        tls_cleanse(decoded, strlen(decoded));
    free(decoded);
    return lasting;
}

const char *
relay_auth_check(const struct relay_config *cfg, const struct relay_credentials *cred, int64_t now)
{
    struct relay_auth_derivation *deriv;
    const char *error = relay_auth_begin(cfg, cred, now, &deriv);

    if (deriv) {
        relay_auth_derive(deriv);
        error = relay_auth_verdict(deriv);
        relay_auth_derivation_free(deriv);
    }
    return error;
}

bool
relay_auth_is_wrong_secret(const char *error)
{
    return error &&
           (strcmp(error, AUTH_INVALID_PASSWORD) == 0 || strcmp(error, AUTH_INVALID_TOTP) == 0 ||
            strcmp(error, RELAY_TOKEN_INVALID) == 0);
}

char *
relay_password_hash_new(const char *password, int iterations)
{
    unsigned char salt_bin[16];
    char salt[33], hex[129], *out;
    size_t len;

    if (tls_random(salt_bin, sizeof(salt_bin)) < 0)
        return NULL;
    hex_encode(salt_bin, sizeof(salt_bin), salt);
    if (relay_hash_hex(RELAY_HASH_PBKDF2_SHA512, password, strlen(password), salt, iterations,
                       hex) < 0)
        return NULL;
    len = strlen(hex) + strlen(salt) + 48;
    out = xmalloc(len);
    snprintf(out, len, "pbkdf2+sha512:%d:%s:%s", iterations, salt, hex);
    return out;
}
