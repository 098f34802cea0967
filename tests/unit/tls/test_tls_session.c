/* SPDX-License-Identifier: MIT */
/* TLS sessions over memory: what a failure is reported as, with and without verification. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tls/context.h"
#include "tls/session.h"
#include "unit_test.h"

static char dir[] = "/tmp/perch-tls-test-XXXXXX";
static char cert[64], key[64];

static int
setup(void **state)
{
    char err[256];

    (void)state;
    if (!mkdtemp(dir))
        return -1;
    snprintf(cert, sizeof(cert), "%s/cert.pem", dir);
    snprintf(key, sizeof(key), "%s/key.pem", dir);
    return tls_selfsigned_create(cert, key, "perch-test", err, sizeof(err));
}

static int
teardown(void **state)
{
    (void)state;
    unlink(cert);
    unlink(key);
    rmdir(dir);
    return 0;
}

/* Moves what from has to send into to; returns to's feed result. */
static int
pass(struct tls_session *from, struct tls_session *to)
{
    char *out, plain[4096];
    size_t plain_len;
    size_t len = tls_session_take_output(from, &out);
    int rc = tls_session_feed(to, out, len, plain, sizeof(plain), &plain_len);

    free(out);
    return rc;
}

/* Runs the handshake; returns the client's last result. */
static int
handshake(struct tls_session *client, struct tls_session *server)
{
    int rc = tls_session_start(client);

    for (int i = 0; i < 10 && rc == TLS_OK && !tls_session_handshake_done(client); i++) {
        if (pass(client, server) != TLS_OK)
            break;
        rc = pass(server, client);
    }
    return rc;
}

static void
test_verification_failure_says_certificate_refused(void **state)
{
    char err[256];
    struct tls_context *sctx = tls_context_new_server(cert, key, err, sizeof(err));
    struct tls_context *cctx = tls_context_new_client(NULL, true, err, sizeof(err));
    struct tls_session *server = tls_session_new_server(sctx);
    struct tls_session *client = tls_session_new_client(cctx, "localhost");

    (void)state;
    assert_int_equal(handshake(client, server), TLS_ERROR);
    assert_string_equal(tls_session_error(client), "certificate refused: self-signed certificate");
    tls_session_free(client);
    tls_session_free(server);
    tls_context_unref(cctx);
    tls_context_unref(sctx);
}

/* --insecure: the self-signed certificate is accepted, so a later fault is that fault. */
static void
test_without_verification_a_later_error_is_not_a_certificate_refusal(void **state)
{
    char err[256], plain[64];
    size_t plain_len;
    struct tls_context *sctx = tls_context_new_server(cert, key, err, sizeof(err));
    struct tls_context *cctx = tls_context_new_client(NULL, false, err, sizeof(err));
    struct tls_session *server = tls_session_new_server(sctx);
    struct tls_session *client = tls_session_new_client(cctx, "localhost");
    static const char bad_record[] = "\x17\x03\x03\x00\x20"
                                     "0123456789abcdef0123456789abcdef";

    (void)state;
    assert_int_equal(handshake(client, server), TLS_OK);
    assert_true(tls_session_handshake_done(client));
    assert_int_equal(tls_session_feed(client, bad_record, sizeof(bad_record) - 1, plain,
                                      sizeof(plain), &plain_len),
                     TLS_ERROR);
    assert_null(strstr(tls_session_error(client), "certificate"));
    assert_non_null(strstr(tls_session_error(client), "TLS"));
    tls_session_free(client);
    tls_session_free(server);
    tls_context_unref(cctx);
    tls_context_unref(sctx);
}

/* Ciphertext arriving a byte at a time, and records that decrypt to more than the caller's
 * buffer: what OpenSSL has not read yet is kept by the session, none of it lost. */
static void
test_ciphertext_in_pieces_and_plaintext_past_the_buffer(void **state)
{
    char err[256], plain[1000], *out, msg[5000], got[5000];
    size_t plain_len, len, n_got = 0;
    struct tls_context *sctx = tls_context_new_server(cert, key, err, sizeof(err));
    struct tls_context *cctx = tls_context_new_client(NULL, false, err, sizeof(err));
    struct tls_session *server = tls_session_new_server(sctx);
    struct tls_session *client = tls_session_new_client(cctx, "localhost");

    (void)state;
    assert_int_equal(handshake(client, server), TLS_OK);
    for (size_t i = 0; i < sizeof(msg); i++)
        msg[i] = (char)('a' + i % 26);
    assert_int_equal(tls_session_write(client, msg, sizeof(msg)), TLS_OK);
    len = tls_session_take_output(client, &out);
    assert_true(len > sizeof(msg));
    /* One byte at a time for the first record's header and some of its body. */
    for (size_t i = 0; i < 64; i++) {
        assert_int_equal(tls_session_feed(server, out + i, 1, plain, sizeof(plain), &plain_len),
                         TLS_OK);
        assert_int_equal(plain_len, 0);
    }
    /* The rest at once, read through a buffer smaller than the message. */
    const char *rest = out + 64;
    size_t rest_len = len - 64;
    do {
        assert_int_equal(tls_session_feed(server, rest, rest_len, plain, sizeof(plain), &plain_len),
                         TLS_OK);
        memcpy(got + n_got, plain, plain_len);
        n_got += plain_len;
        rest = NULL;
        rest_len = 0;
    } while (plain_len == sizeof(plain));
    free(out);
    assert_int_equal(n_got, sizeof(msg));
    assert_memory_equal(got, msg, sizeof(msg));
    tls_session_free(client);
    tls_session_free(server);
    tls_context_unref(cctx);
    tls_context_unref(sctx);
}

/* The output is taken whole and the session keeps nothing afterwards; a finished handshake
 * sends a session ticket, for a client that comes back to resume with. */
static void
test_output_is_taken_once(void **state)
{
    char err[256], *out;
    struct tls_context *sctx = tls_context_new_server(cert, key, err, sizeof(err));
    struct tls_context *cctx = tls_context_new_client(NULL, false, err, sizeof(err));
    struct tls_session *server = tls_session_new_server(sctx);
    struct tls_session *client = tls_session_new_client(cctx, "localhost");

    (void)state;
    assert_int_equal(handshake(client, server), TLS_OK);
    assert_int_equal(pass(client, server), TLS_OK); /* the client's Finished */
    assert_true(tls_session_handshake_done(server));
    assert_true(tls_session_take_output(server, &out) > 0); /* the session ticket */
    free(out);
    assert_int_equal(tls_session_write(server, "hello", 5), TLS_OK);
    assert_true(tls_session_take_output(server, &out) > 5);
    free(out);
    assert_int_equal(tls_session_take_output(server, &out), 0);
    assert_null(out);
    tls_session_free(client);
    tls_session_free(server);
    tls_context_unref(cctx);
    tls_context_unref(sctx);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_verification_failure_says_certificate_refused),
        cmocka_unit_test(test_without_verification_a_later_error_is_not_a_certificate_refusal),
        cmocka_unit_test(test_ciphertext_in_pieces_and_plaintext_past_the_buffer),
        cmocka_unit_test(test_output_is_taken_once),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
