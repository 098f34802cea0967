/* SPDX-License-Identifier: MIT */
/* SASL's pieces without a server: SCRAM-SHA-256 against RFC 7677's example exchange, and the
 * AUTHENTICATE framing (base64 in 400-byte parts, "+") both ways. */
#include <stdlib.h>
#include <string.h>

#include "irc/sasl_scram.h"
#include "irc/sasl_wire.h"
#include "unit_test.h"

/* RFC 7677, section 3: user "user", password "pencil". */
#define RFC_NONCE "rOprNGfwEbeRWgbNEkqO"
#define RFC_SERVER_FIRST \
    "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"
#define RFC_CLIENT_FINAL                                           \
    "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0," \
    "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="
#define RFC_SERVER_FINAL "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="

static struct irc_scram *
scram_after_first(const char *server_first, char **final, char *err, size_t err_len)
{
    struct irc_scram *sc = irc_scram_new("user", "pencil", RFC_NONCE);

    free(irc_scram_client_first(sc));
    *final = irc_scram_client_final(sc, server_first, strlen(server_first), err, err_len);
    return sc;
}

static void
test_scram_rfc7677_exchange(void **state)
{
    struct irc_scram *sc = irc_scram_new("user", "pencil", RFC_NONCE);
    char err[128] = "", *first, *final;

    (void)state;
    first = irc_scram_client_first(sc);
    assert_string_equal(first, "n,,n=user,r=" RFC_NONCE);
    final =
        irc_scram_client_final(sc, RFC_SERVER_FIRST, strlen(RFC_SERVER_FIRST), err, sizeof(err));
    assert_non_null(final);
    assert_string_equal(final, RFC_CLIENT_FINAL);
    assert_int_equal(
        irc_scram_server_final(sc, RFC_SERVER_FINAL, strlen(RFC_SERVER_FINAL), err, sizeof(err)),
        0);
    free(first);
    free(final);
    irc_scram_free(sc);
}

static void
test_scram_wrong_server_signature_is_refused(void **state)
{
    char err[128] = "", *final;
    struct irc_scram *sc = scram_after_first(RFC_SERVER_FIRST, &final, err, sizeof(err));
    const char *forged = "v=7rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

    (void)state;
    assert_non_null(final);
    assert_int_equal(irc_scram_server_final(sc, forged, strlen(forged), err, sizeof(err)), -1);
    assert_string_equal(err, "unable to validate server signature");
    assert_int_equal(irc_scram_server_final(sc, "v=", 2, err, sizeof(err)), -1);
    assert_int_equal(irc_scram_server_final(sc, "e=invalid-proof", 15, err, sizeof(err)), -1);
    assert_string_equal(err, "invalid-proof");
    free(final);
    irc_scram_free(sc);
}

static void
test_scram_bad_server_first_is_refused(void **state)
{
    static const char *const bad[] = {
        /* a nonce that is not ours extended */
        "r=XOprNGfwEbeRWgbNEkqO%hvY,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
        "r=rOprNGfwEbeRWgbNEkqO,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
        /* iterations out of range or not a number */
        "r=rOprNGfwEbeRWgbNEkqOx,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=0",
        "r=rOprNGfwEbeRWgbNEkqOx,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=9999999",
        "r=rOprNGfwEbeRWgbNEkqOx,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=12a",
        /* salt missing or not base64 */
        "r=rOprNGfwEbeRWgbNEkqOx,i=4096",
        "r=rOprNGfwEbeRWgbNEkqOx,s=W22Z*,i=4096",
        /* a mandatory extension, an error */
        "m=ext,r=rOprNGfwEbeRWgbNEkqOx,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
        "e=unknown-user",
        "",
    };

    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char err[128] = "", *final;
        struct irc_scram *sc = scram_after_first(bad[i], &final, err, sizeof(err));
        assert_null(final);
        assert_true(err[0] != '\0');
        /* Without a proof sent, no server signature is accepted. */
        assert_int_equal(
            irc_scram_server_final(sc, RFC_SERVER_FINAL, strlen(RFC_SERVER_FINAL), err, 128), -1);
        irc_scram_free(sc);
    }
}

static void
test_scram_username_is_escaped(void **state)
{
    struct irc_scram *sc = irc_scram_new("a=b,c", "p", "nonce");
    char *first = irc_scram_client_first(sc);

    (void)state;
    assert_string_equal(first, "n,,n=a=3Db=2Cc,r=nonce");
    free(first);
    irc_scram_free(sc);
}

struct params {
    char *all[8];
    size_t n;
};

static void
collect(const char *param, void *data)
{
    struct params *p = data;

    assert_true(p->n < 8);
    p->all[p->n++] = strdup(param);
}

static void
params_free(struct params *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->all[i]);
    p->n = 0;
}

/* Sends payload out, then feeds the parameters back in: the same bytes come out. */
static void
roundtrip(const char *payload, size_t len, struct params *p)
{
    struct irc_sasl_in in;
    char *out = NULL;
    size_t out_len = 0;

    irc_sasl_out(payload, len, collect, p);
    irc_sasl_in_init(&in);
    for (size_t i = 0; i < p->n; i++)
        assert_int_equal(irc_sasl_in_add(&in, p->all[i], &out, &out_len), i + 1 == p->n);
    assert_int_equal(out_len, len);
    assert_memory_equal(out, payload, len);
    free(out);
    irc_sasl_in_fini(&in);
}

static void
test_wire_parts_of_400_and_plus(void **state)
{
    char payload[700];
    struct params p = { 0 };

    (void)state;
    memset(payload, 'x', sizeof(payload));
    roundtrip("", 0, &p);
    assert_int_equal(p.n, 1);
    assert_string_equal(p.all[0], "+");
    params_free(&p);
    roundtrip("\0user\0pencil", 12, &p);
    assert_int_equal(p.n, 1);
    assert_string_equal(p.all[0], "AHVzZXIAcGVuY2ls");
    params_free(&p);
    /* 300 bytes are exactly 400 in base64: a "+" says there is no more. */
    roundtrip(payload, 300, &p);
    assert_int_equal(p.n, 2);
    assert_int_equal(strlen(p.all[0]), 400);
    assert_string_equal(p.all[1], "+");
    params_free(&p);
    roundtrip(payload, 700, &p);
    assert_int_equal(p.n, 3);
    assert_int_equal(strlen(p.all[1]), 400);
    assert_int_equal(strlen(p.all[2]), (700 + 2) / 3 * 4 - 800);
    params_free(&p);
}

static void
test_wire_malformed_input_starts_over(void **state)
{
    struct irc_sasl_in in;
    char part[IRC_SASL_CHUNK + 2], *out = NULL;
    size_t out_len;

    (void)state;
    irc_sasl_in_init(&in);
    memset(part, 'A', sizeof(part) - 1);
    part[sizeof(part) - 1] = '\0';
    assert_int_equal(irc_sasl_in_add(&in, part, &out, &out_len), -1);  /* 401 bytes */
    assert_int_equal(irc_sasl_in_add(&in, "abc", &out, &out_len), -1); /* not base64 */
    assert_int_equal(irc_sasl_in_add(&in, "ab*=", &out, &out_len), -1);
    part[IRC_SASL_CHUNK] = '\0';
    for (size_t i = 0; i < IRC_SASL_IN_MAX / IRC_SASL_CHUNK; i++)
        assert_int_equal(irc_sasl_in_add(&in, part, &out, &out_len), 0);
    assert_int_equal(irc_sasl_in_add(&in, part, &out, &out_len), -1); /* too long */
    assert_int_equal(irc_sasl_in_add(&in, "K3Jl", &out, &out_len), 1);
    assert_int_equal(out_len, 3);
    assert_string_equal(out, "+re");
    free(out);
    irc_sasl_in_fini(&in);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scram_rfc7677_exchange),
        cmocka_unit_test(test_scram_wrong_server_signature_is_refused),
        cmocka_unit_test(test_scram_bad_server_first_is_refused),
        cmocka_unit_test(test_scram_username_is_escaped),
        cmocka_unit_test(test_wire_parts_of_400_and_plus),
        cmocka_unit_test(test_wire_malformed_input_starts_over),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
