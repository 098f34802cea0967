/* SPDX-License-Identifier: MIT */
/* Names shared between tls/ files only. */
#ifndef PERCH_TLS_INTERNAL_H
#define PERCH_TLS_INTERNAL_H

#include <openssl/ssl.h>
#include <stdbool.h>

#include "context.h"

struct tls_context {
    SSL_CTX *ssl_ctx;
    int refs;
    bool verify; /* client: check the peer's certificate and name */
};

/* The first queued OpenSSL error as text (the queue is cleared). */
void tls__error_string(char *err, size_t err_len, const char *what);

#endif
