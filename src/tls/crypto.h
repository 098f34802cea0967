/* SPDX-License-Identifier: MIT */
/* Hashes, HMAC, PBKDF2, base64, randomness and constant-time compares: OpenSSL's, behind one
 * header. */
#ifndef PERCH_TLS_CRYPTO_H
#define PERCH_TLS_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>

enum tls_hash_alg {
    TLS_HASH_SHA1,
    TLS_HASH_SHA256,
    TLS_HASH_SHA512,
};

#define TLS_HASH_MAX 64

/* Digest of a || b (b may be NULL). Returns the digest length, or -1. */
int tls_hash(enum tls_hash_alg alg, const void *a, size_t a_len, const void *b, size_t b_len,
             unsigned char out[TLS_HASH_MAX]);
/* HMAC of data under key. Returns the digest length, or -1. */
int tls_hmac(enum tls_hash_alg alg, const void *key, size_t key_len, const void *data, size_t len,
             unsigned char out[TLS_HASH_MAX]);
/* PBKDF2-HMAC with the digest's own output length. Returns that length, or -1. */
int tls_pbkdf2(enum tls_hash_alg alg, const void *password, size_t password_len, const void *salt,
               size_t salt_len, int iterations, unsigned char out[TLS_HASH_MAX]);
/* Standard base64 with padding; out needs 4 * ceil(len / 3) + 1 bytes. Returns the text length. */
size_t tls_base64_encode(const void *in, size_t len, char *out);
/* Decodes padded standard base64 (len a multiple of 4); out needs len / 4 * 3 bytes.
 * Returns the decoded length (padding removed), or -1. */
int tls_base64_decode(const char *in, size_t len, unsigned char *out);
/* Cryptographically strong random bytes. Returns 0 or -1. */
int tls_random(void *buf, size_t len);
/* Compares len bytes in constant time (CRYPTO_memcmp). */
bool tls_memeq(const void *a, const void *b, size_t len);
/* Compares two secrets of any lengths in constant time, leaking neither their contents nor
 * whether their lengths differ (both are hashed, then the digests compared). */
bool tls_secret_eq(const void *a, size_t a_len, const void *b, size_t b_len);
/* Overwrites memory that held a secret. */
void tls_cleanse(void *p, size_t len);

#endif
