/* SPDX-License-Identifier: MIT */
/* Login tokens: issued time and nonce under an HMAC whose key revokes them all (token.h). */
#include "token.h"

#include <string.h>

#include "base/buf.h"
#include "base/hex.h"
#include "tls/crypto.h"

#define TOKEN_BODY 16 /* issued time and nonce */
#define TOKEN_MAC  32
/* A token issued this far ahead of our clock (another process's clock, a step back) is
 * still taken. */
#define TOKEN_CLOCK_SLACK_S 60

static bool
token_enabled(const struct relay_config *cfg)
{
    return cfg->token_key_set && cfg->token_lifetime_ms > 0;
}

/* HMAC(HMAC(secret, what the relay's credentials are), body): other credentials, other keys. */
static int
token_mac(const struct relay_config *cfg, const unsigned char body[TOKEN_BODY],
          unsigned char mac[TLS_HASH_MAX])
{
    struct buf what;
    unsigned char key[TLS_HASH_MAX];
    int rc;

    buf_init(&what, 1 << 20);
    buf_append_str(&what, "perch login token 1");
    buf_append(&what, "", 1);
    buf_append_str(&what, cfg->password);
    buf_append(&what, "", 1);
    buf_append_str(&what, cfg->password_hash ? cfg->password_hash : "");
    buf_append(&what, "", 1);
    buf_append_str(&what, cfg->totp_secret);
    rc = tls_hmac(TLS_HASH_SHA256, cfg->token_key, sizeof(cfg->token_key), what.data, what.len,
                  key) == TOKEN_MAC &&
                 tls_hmac(TLS_HASH_SHA256, key, TOKEN_MAC, body, TOKEN_BODY, mac) == TOKEN_MAC
             ? 0
             : -1;
    tls_cleanse(what.data, what.len);
    buf_fini(&what);
    tls_cleanse(key, sizeof(key));
    return rc;
}

static void
token_put_u64(unsigned char *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8)
        p[i] = (unsigned char)v;
}

static uint64_t
token_get_u64(const unsigned char *p)
{
    uint64_t v = 0;

    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}

int
relay_token_issue(const struct relay_config *cfg, int64_t now, char out[RELAY_TOKEN_HEX_LEN + 1],
                  int64_t *expires)
{
    unsigned char raw[TOKEN_BODY + TLS_HASH_MAX];

    if (!token_enabled(cfg) || now < 0)
        return -1;
    token_put_u64(raw, (uint64_t)now);
    if (tls_random(raw + 8, 8) < 0 || token_mac(cfg, raw, raw + TOKEN_BODY) < 0)
        return -1;
    hex_encode(raw, TOKEN_BODY + TOKEN_MAC, out);
    *expires = now + (int64_t)(cfg->token_lifetime_ms / 1000);
    return 0;
}

const char *
relay_token_check(const struct relay_config *cfg, const char *hex, int64_t now)
{
    unsigned char raw[TOKEN_BODY + TOKEN_MAC], mac[TLS_HASH_MAX];
    bool genuine;

    if (!token_enabled(cfg) || strlen(hex) != RELAY_TOKEN_HEX_LEN ||
        hex_decode(hex, RELAY_TOKEN_HEX_LEN, raw) < 0)
        return RELAY_TOKEN_INVALID;
    genuine = token_mac(cfg, raw, mac) == 0 && tls_memeq(mac, raw + TOKEN_BODY, TOKEN_MAC);
    tls_cleanse(mac, sizeof(mac));
    if (!genuine)
        return RELAY_TOKEN_INVALID;
    /* Judged by the lifetime configured now: shortening it shortens every token's. */
    int64_t issued = (int64_t)token_get_u64(raw);
    if (issued > now + TOKEN_CLOCK_SLACK_S)
        return RELAY_TOKEN_INVALID;
    if ((uint64_t)(now - issued) * 1000 >= cfg->token_lifetime_ms)
        return RELAY_TOKEN_EXPIRED;
    return NULL;
}
