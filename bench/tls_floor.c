/* SPDX-License-Identifier: MIT */
/*
 * The TLS floor: what OpenSSL alone costs a server per connection, with nothing of perch
 * around it. N server sessions (ECDSA P-256 certificate, TLS 1.3, X25519, buffers released)
 * go through a handshake with a client over memory BIOs and exchange one record each way;
 * the clients are freed, the servers kept. Prints the heap bytes per idle server session
 * (malloc statistics) and the server's CPU time per full handshake (its calls only).
 *
 * Reproduce: ninja -C build bench/tls_floor && build/bench/tls_floor [N]
 */
#include <malloc.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double floor_server_seconds;

static double
floor_cpu_now(void)
{
    struct timespec t;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Resident set size in bytes, as perchd's figures are measured. */
static double
floor_rss_bytes(void)
{
    long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");

    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
            resident = 0;
        fclose(f);
    }
    return (double)resident * 4096;
}

/* Moves what one side wrote to the other side's input. */
static void
floor_pump(BIO *from, BIO *to)
{
    char buf[16384];
    int n;

    while ((n = BIO_read(from, buf, sizeof(buf))) > 0)
        BIO_write(to, buf, n);
}

static BIO *
floor_bio(void)
{
    BIO *b = BIO_new(BIO_s_mem());

    BIO_set_mem_eof_return(b, -1);
    return b;
}

static SSL_CTX *
floor_server_ctx(void)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    EVP_PKEY *key = EVP_EC_gen("P-256");
    X509 *cert = X509_new();

    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), 0);
    X509_gmtime_adj(X509_getm_notAfter(cert), 86400);
    X509_set_pubkey(cert, key);
    X509_NAME_add_entry_by_txt(X509_get_subject_name(cert), "CN", MBSTRING_ASC,
                               (const unsigned char *)"floor", -1, -1, 0);
    X509_set_issuer_name(cert, X509_get_subject_name(cert));
    X509_sign(cert, key, EVP_sha256());
    SSL_CTX_use_certificate(ctx, cert);
    SSL_CTX_use_PrivateKey(ctx, key);
    SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_num_tickets(ctx, 0);
    X509_free(cert);
    EVP_PKEY_free(key);
    return ctx;
}

/* Runs a server call, counting its CPU time. */
#define FLOOR_SERVER(call)                             \
    do {                                               \
        double t0_ = floor_cpu_now();                  \
        call;                                          \
        floor_server_seconds += floor_cpu_now() - t0_; \
    } while (0)

/* One handshake and one record each way; returns the idle server session. */
static SSL *
floor_session(SSL_CTX *sctx, SSL_CTX *cctx)
{
    SSL *c = SSL_new(cctx), *s;
    BIO *c_in = floor_bio(), *c_out = floor_bio(), *s_in = floor_bio(), *s_out = floor_bio();
    char buf[64];

    FLOOR_SERVER(s = SSL_new(sctx));
    SSL_set_bio(c, c_in, c_out);
    SSL_set_bio(s, s_in, s_out);
    SSL_set_connect_state(c);
    SSL_set_accept_state(s);
    for (int i = 0; i < 4 && !(SSL_is_init_finished(c) && SSL_is_init_finished(s)); i++) {
        SSL_do_handshake(c);
        floor_pump(c_out, s_in);
        FLOOR_SERVER(SSL_do_handshake(s));
        floor_pump(s_out, c_in);
    }
    if (!SSL_is_init_finished(s) || SSL_version(s) != TLS1_3_VERSION) {
        fprintf(stderr, "tls_floor: handshake failed\n");
        exit(1);
    }
    SSL_write(c, "ping", 4);
    floor_pump(c_out, s_in);
    FLOOR_SERVER(SSL_read(s, buf, sizeof(buf)); SSL_write(s, "pong", 4));
    floor_pump(s_out, c_in);
    SSL_read(c, buf, sizeof(buf));
    SSL_free(c);
    return s;
}

int
main(int argc, char **argv)
{
    int n = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 1000;
    SSL_CTX *sctx = floor_server_ctx(), *cctx = SSL_CTX_new(TLS_client_method());
    SSL **kept = calloc((size_t)(n > 0 ? n : 1), sizeof(*kept));
    struct mallinfo2 before, after;
    double rss_before, rss_after;

    if (n <= 0 || !kept)
        return 2;
    SSL_free(floor_session(sctx, cctx)); /* OpenSSL's lazily made tables are not per session */
    floor_server_seconds = 0;
    before = mallinfo2();
    rss_before = floor_rss_bytes();
    for (int i = 0; i < n; i++)
        kept[i] = floor_session(sctx, cctx);
    after = mallinfo2();
    rss_after = floor_rss_bytes();
    printf("TLS floor (OpenSSL %s alone, %d sessions):\n", OpenSSL_version(OPENSSL_VERSION), n);
    printf("  heap per idle TLS 1.3 server session, buffers released: %.2f kB\n",
           (double)(after.uordblks - before.uordblks) / n / 1000);
    printf("  resident memory per idle session: %.2f kB\n", (rss_after - rss_before) / n / 1000);
    printf("  server CPU per full handshake (ECDSA P-256, X25519): %.0f us\n",
           floor_server_seconds * 1e6 / n);
    for (int i = 0; i < n; i++)
        SSL_free(kept[i]);
    free(kept);
    SSL_CTX_free(sctx);
    SSL_CTX_free(cctx);
    return 0;
}
