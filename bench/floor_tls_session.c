/* SPDX-License-Identifier: MIT */
/*
 * The physical floors of a TLS client: what an idle OpenSSL server session holds after a
 * TLS 1.3 handshake (ECDSA P-256 certificate, X25519), and the server's CPU for that full
 * handshake: the least any server using OpenSSL as perchd asks it to can keep and spend per
 * TLS client. The server context is configured as perchd's (src/tls/context.c). N server
 * sessions on memory BIOs, as perchd's, each taken through a full handshake with a client
 * session in this process (freed right after) and one small exchange each way, then left
 * idle. Reports the RSS growth per session (what perchd's figure is measured by), the heap
 * bytes in use per session (malloc's own count) and the CPU time of the server side's
 * OpenSSL calls per session (this thread's clock around each of them only, so the client's
 * half of the handshake is not counted).
 *
 *   floor_tls_session [--sessions N]
 *   prints "floor_tls_session sessions=N rss_kib_per_session=X heap_kib_per_session=Y
 *           handshake_us=Z"
 */
#include <getopt.h>
#include <malloc.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "floor_tls_ctx.h"

#define PROG "floor_tls_session"

/* CPU seconds spent in the server side's OpenSSL calls since the last reset. */
static double server_cpu_s;

static double
thread_cpu_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs a statement of the server side, adding its CPU time to server_cpu_s. */
#define SERVER_TIMED(stmt)                    \
    do {                                      \
        double t0_ = thread_cpu_s();          \
        stmt;                                 \
        server_cpu_s += thread_cpu_s() - t0_; \
    } while (0)

static long
rss_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kib = -1;

    while (f != NULL && fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, "VmRSS:", 6) == 0)
            kib = strtol(line + 6, NULL, 10);
    }
    if (f != NULL)
        fclose(f);
    return kib;
}

/* The client as the load generators': TLS 1.3 and X25519 only, no verification, no reuse. */
static SSL_CTX *
make_client_ctx(void)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());

    if (ctx == NULL || !SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION) ||
        !SSL_CTX_set1_groups_list(ctx, "X25519"))
        floor_fail(PROG, "cannot make the client context");
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
    return ctx;
}

static SSL *
new_session(SSL_CTX *ctx, bool server)
{
    SSL *ssl = SSL_new(ctx);
    BIO *rbio = BIO_new(BIO_s_mem());
    BIO *wbio = BIO_new(BIO_s_mem());

    if (ssl == NULL || rbio == NULL || wbio == NULL)
        floor_fail(PROG, "cannot make a session");
    BIO_set_mem_eof_return(rbio, -1);
    BIO_set_mem_eof_return(wbio, -1);
    SSL_set_bio(ssl, rbio, wbio);
    if (server)
        SSL_set_accept_state(ssl);
    else
        SSL_set_connect_state(ssl);
    return ssl;
}

/* Moves what one side wrote to the other side's input. */
static void
pump(SSL *from, SSL *to)
{
    char buf[16384];
    int n;

    while ((n = BIO_read(SSL_get_wbio(from), buf, sizeof buf)) > 0) {
        if (BIO_write(SSL_get_rbio(to), buf, n) != n)
            floor_fail(PROG, "BIO_write");
    }
}

/* A full handshake between a new server session (returned, idle) and a throw-away client,
 * then a small request and answer, as a WebSocket upgrade would have. The server's calls
 * are timed. */
static SSL *
handshake_one(SSL_CTX *sctx, SSL_CTX *cctx)
{
    SSL *s;
    SSL *c = new_session(cctx, false);
    char msg[200], buf[256];
    int got = 0, put = 0;

    SERVER_TIMED(s = new_session(sctx, true));
    memset(msg, 'a', sizeof msg);
    for (int i = 0; i < 20 && !(SSL_is_init_finished(s) && SSL_is_init_finished(c)); i++) {
        SSL_do_handshake(c);
        pump(c, s);
        SERVER_TIMED(SSL_do_handshake(s));
        pump(s, c);
    }
    if (!SSL_is_init_finished(s) || !SSL_is_init_finished(c) || SSL_version(s) != TLS1_3_VERSION)
        floor_fail(PROG, "TLS 1.3 handshake did not finish");
    if (SSL_write(c, msg, sizeof msg) != sizeof msg)
        floor_fail(PROG, "client write");
    pump(c, s);
    SERVER_TIMED(got = SSL_read(s, buf, sizeof buf); put = SSL_write(s, msg, sizeof msg));
    if (got != sizeof msg || put != sizeof msg)
        floor_fail(PROG, "server exchange");
    pump(s, c);
    if (SSL_read(c, buf, sizeof buf) != sizeof msg)
        floor_fail(PROG, "client read");
    /* The server's last read left nothing pending: its buffers are released. */
    SERVER_TIMED(SSL_read(s, buf, sizeof buf));
    SSL_free(c);
    ERR_clear_error();
    return s;
}

int
main(int argc, char **argv)
{
    static const struct option opts[] = {
        { "sessions", required_argument, NULL, 'n' },
        { NULL, 0, NULL, 0 },
    };
    int n = 1000, o;

    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (o != 'n')
            exit(2);
        n = (int)strtol(optarg, NULL, 10);
    }
    if (n <= 0) {
        fprintf(stderr, "usage: floor_tls_session [--sessions N]\n");
        return 2;
    }
    SSL_CTX *sctx = floor_server_ctx(PROG);
    SSL_CTX *cctx = make_client_ctx();
    SSL **sessions = calloc((size_t)n, sizeof *sessions);
    /* One session first, so that what OpenSSL sets up once is not counted per session. */
    SSL_free(handshake_one(sctx, cctx));
    server_cpu_s = 0;
    long rss0 = rss_kib();
    size_t heap0 = mallinfo2().uordblks;
    for (int i = 0; i < n; i++)
        sessions[i] = handshake_one(sctx, cctx);
    long rss1 = rss_kib();
    size_t heap1 = mallinfo2().uordblks;
    printf("floor_tls_session sessions=%d rss_kib_per_session=%.2f heap_kib_per_session=%.2f "
           "handshake_us=%.1f\n",
           n, (double)(rss1 - rss0) / n, ((double)heap1 - (double)heap0) / 1024.0 / n,
           server_cpu_s * 1e6 / n);
    for (int i = 0; i < n; i++)
        SSL_free(sessions[i]);
    free(sessions);
    SSL_CTX_free(sctx);
    SSL_CTX_free(cctx);
    return 0;
}
