/* SPDX-License-Identifier: MIT */
/* Client credentials (reference §4.2). */
#include "credentials.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hex.h"
#include "base/xalloc.h"
#include "tls/crypto.h"

int
client_credentials(const char *algo, const char *password, int iterations, int64_t now, char *out,
                   size_t out_len)
{
    unsigned char digest[TLS_HASH_MAX];
    char ts[24], hex[2 * TLS_HASH_MAX + 1], text[1200], *b64;
    int len = -1;

    snprintf(ts, sizeof(ts), "%lld", (long long)now);
    if (strcmp(algo, "plain") == 0) {
        snprintf(text, sizeof(text), "plain:%s", password);
        len = 0;
    } else if (strcmp(algo, "sha256") == 0 || strcmp(algo, "sha512") == 0) {
        len = tls_hash(algo[3] == '2' ? TLS_HASH_SHA256 : TLS_HASH_SHA512, ts, strlen(ts), password,
                       strlen(password), digest);
        hex_encode(digest, (size_t)len, hex);
        snprintf(text, sizeof(text), "hash:%s:%s:%s", algo, ts, hex);
    } else if (strcmp(algo, "pbkdf2+sha256") == 0 || strcmp(algo, "pbkdf2+sha512") == 0) {
        len = tls_pbkdf2(algo[10] == '2' ? TLS_HASH_SHA256 : TLS_HASH_SHA512, password,
                         strlen(password), ts, strlen(ts), iterations, digest);
        hex_encode(digest, (size_t)len, hex);
        snprintf(text, sizeof(text), "hash:%s:%s:%d:%s", algo, ts, iterations, hex);
    }
    if (len < 0)
        return -1;
    b64 = xmalloc(strlen(text) * 4 / 3 + 8);
    tls_base64_encode(text, strlen(text), b64);
    snprintf(out, out_len, "Basic %s", b64);
    tls_cleanse(text, sizeof(text));
    free(b64);
    return 0;
}
