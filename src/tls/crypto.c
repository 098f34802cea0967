/* SPDX-License-Identifier: MIT */
/* Hashes, HMAC, PBKDF2, base64, randomness and constant-time compares. */
#include "crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <pthread.h>

/* OpenSSL 3 looks a digest up by name each time one of EVP_sha512() and its kind is used;
 * fetched once, a password check per request skips that search (a tenth of its cost). Once
 * for the process, as PBKDF2 also runs on the thread pool; the digests live until exit. */
static EVP_MD *crypto_fetched[3];
static pthread_once_t crypto_fetch_once = PTHREAD_ONCE_INIT;

static void
crypto_fetch_digests(void)
{
    crypto_fetched[TLS_HASH_SHA1] = EVP_MD_fetch(NULL, "SHA1", NULL);
    crypto_fetched[TLS_HASH_SHA256] = EVP_MD_fetch(NULL, "SHA256", NULL);
    crypto_fetched[TLS_HASH_SHA512] = EVP_MD_fetch(NULL, "SHA512", NULL);
}

static const EVP_MD *
crypto_md(enum tls_hash_alg alg)
{
    pthread_once(&crypto_fetch_once, crypto_fetch_digests);
    if (crypto_fetched[alg])
        return crypto_fetched[alg];
    return alg == TLS_HASH_SHA1 ? EVP_sha1() : alg == TLS_HASH_SHA256 ? EVP_sha256() : EVP_sha512();
}

int
tls_hash(enum tls_hash_alg alg, const void *a, size_t a_len, const void *b, size_t b_len,
         unsigned char out[TLS_HASH_MAX])
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    unsigned int len = 0;
    int ok = ctx && EVP_DigestInit_ex(ctx, crypto_md(alg), NULL) &&
             EVP_DigestUpdate(ctx, a, a_len) && (!b || EVP_DigestUpdate(ctx, b, b_len)) &&
             EVP_DigestFinal_ex(ctx, out, &len);

    EVP_MD_CTX_free(ctx);
    return ok ? (int)len : -1;
}

int
tls_hmac(enum tls_hash_alg alg, const void *key, size_t key_len, const void *data, size_t len,
         unsigned char out[TLS_HASH_MAX])
{
    unsigned int out_len = 0;

    if (!HMAC(crypto_md(alg), key, (int)key_len, data, len, out, &out_len))
        return -1;
    return (int)out_len;
}

int
tls_pbkdf2(enum tls_hash_alg alg, const void *password, size_t password_len, const void *salt,
           size_t salt_len, int iterations, unsigned char out[TLS_HASH_MAX])
{
    const EVP_MD *md = crypto_md(alg);
    int len = EVP_MD_get_size(md);

    if (iterations < 1 || !PKCS5_PBKDF2_HMAC(password, (int)password_len, salt, (int)salt_len,
                                             iterations, md, len, out))
        return -1;
    return len;
}

size_t
tls_base64_encode(const void *in, size_t len, char *out)
{
    return (size_t)EVP_EncodeBlock((unsigned char *)out, in, (int)len);
}

int
tls_base64_decode(const char *in, size_t len, unsigned char *out)
{
    int n, pad = 0;

    if (len % 4)
        return -1;
    n = EVP_DecodeBlock(out, (const unsigned char *)in, (int)len);
    if (n < 0)
        return -1;
    while (len > 0 && in[len - 1] == '=' && pad < 2) {
        pad++;
        len--;
    }
    return n - pad;
}

int
tls_random(void *buf, size_t len)
{
    return RAND_bytes(buf, (int)len) == 1 ? 0 : -1;
}

bool
tls_memeq(const void *a, const void *b, size_t len)
{
    return CRYPTO_memcmp(a, b, len) == 0;
}

bool
tls_secret_eq(const void *a, size_t a_len, const void *b, size_t b_len)
{
    unsigned char da[TLS_HASH_MAX], db[TLS_HASH_MAX];
    bool equal;

    /* A length check first would tell an attacker the password's length. */
    if (tls_hash(TLS_HASH_SHA512, a, a_len, NULL, 0, da) < 0 ||
        tls_hash(TLS_HASH_SHA512, b, b_len, NULL, 0, db) < 0)
        return false;
    equal = CRYPTO_memcmp(da, db, sizeof(da)) == 0;
    OPENSSL_cleanse(da, sizeof(da));
    OPENSSL_cleanse(db, sizeof(db));
    return equal;
}

void
tls_cleanse(void *p, size_t len)
{
    OPENSSL_cleanse(p, len);
}
