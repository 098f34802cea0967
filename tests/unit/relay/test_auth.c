/* SPDX-License-Identifier: MIT */
/* Credentials: the reference's worked example, every format, every error string, TOTP. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "relay/auth.h"
#include "tls/crypto.h"
#include "unit_test.h"

#define TS  "1700000000"
#define NOW 1700000000

static struct relay_config cfg = {
    .password = (char *)"secret",
    .password_hash = NULL,
    .totp_secret = (char *)"",
    .hash_algos = (char *)"*",
    .api_version = (char *)"0.4.1",
    .hash_iterations = 100000,
    .time_window_s = 5,
};

static void
test_worked_example_hashes(void **state)
{
    char hex[129];

    (void)state;
    relay_hash_hex(RELAY_HASH_SHA256, "secret", 6, TS, 0, hex);
    assert_string_equal(hex, "0097dc146dfa5a8cadebac725e75c4e7800366597c7674eb36e8734b2f7fdc02");
    relay_hash_hex(RELAY_HASH_SHA512, "secret", 6, TS, 0, hex);
    assert_string_equal(hex, "928eb1cf2415aeaed89eea2f4ee140b536e3c2c05a594d2722e3a084b870c7eb"
                             "1ae73b80bec61e4dc3998c198311e40facae06cc73b17629350ada89b082b694");
    relay_hash_hex(RELAY_HASH_PBKDF2_SHA256, "secret", 6, TS, 100000, hex);
    assert_string_equal(hex, "af36f8d27f92e8e5ccd27e9f527d36170106237e6a704555849a00b55f8e8f7a");
    relay_hash_hex(RELAY_HASH_PBKDF2_SHA512, "secret", 6, TS, 100000, hex);
    assert_string_equal(hex, "a6eb5fafe07c6133ef55b02dd8768240e2882d51300a90803bef4a5c955b7bc1"
                             "91ba036110e329c96f801a91cb7766262ad7cafd3e9a8a785380b4582510f3d3");
}

/* Authorization header for a credential text. */
static const char *
basic(const char *credential)
{
    static char header[512];
    char b64[400];

    tls_base64_encode(credential, strlen(credential), b64);
    snprintf(header, sizeof(header), "Basic %s", b64);
    return header;
}

static const char *
check(const char *credential, int64_t now)
{
    struct relay_credentials cred = { .authorization = basic(credential) };

    return relay_auth_check(&cfg, &cred, now);
}

static void
test_every_credential_format_accepted(void **state)
{
    (void)state;
    assert_null(check("plain:secret", NOW));
    assert_null(check("hash:sha256:" TS
                      ":0097dc146dfa5a8cadebac725e75c4e7800366597c7674eb36e8734b2f7fdc02",
                      NOW));
    assert_null(check(
        "hash:sha512:" TS
        ":928EB1CF2415AEAED89EEA2F4EE140B536E3C2C05A594D2722E3A084B870C7EB1AE73B80BEC61E4DC3998C198311E40FACAE06CC73B17629350ADA89B082B694",
        NOW));
    assert_null(check("hash:pbkdf2+sha256:" TS
                      ":100000:AF36F8D27F92E8E5CCD27E9F527D36170106237E6A704555849A00B55F8E8F7A",
                      NOW + 5));
    assert_null(check(
        "hash:pbkdf2+sha512:" TS
        ":100000:a6eb5fafe07c6133ef55b02dd8768240e2882d51300a90803bef4a5c955b7bc191ba036110e329c96f801a91cb7766262ad7cafd3e9a8a785380b4582510f3d3",
        NOW - 5));
}

static void
test_error_strings_in_reference_order(void **state)
{
    struct relay_credentials cred = { 0 };

    (void)state;
    assert_string_equal(relay_auth_check(&cfg, &cred, NOW), "Missing password");
    cred.authorization = "Bearer abc";
    assert_string_equal(relay_auth_check(&cfg, &cred, NOW), "Missing password");
    assert_string_equal(check("plain:wrong", NOW), "Invalid password");
    assert_string_equal(check("foo:bar", NOW), "Invalid password");
    assert_string_equal(check("hash:sha256", NOW), "Invalid password");
    assert_string_equal(check("hash:md5:1:00", NOW),
                        "Invalid hash algorithm (not found or not supported)");
    assert_string_equal(check("hash:plain:secret", NOW),
                        "Invalid hash algorithm (not found or not supported)");
    assert_string_equal(check("hash:sha256:" TS ":00", NOW + 6), "Invalid timestamp");
    assert_string_equal(check("hash:sha256:abc:00", NOW), "Invalid timestamp");
    assert_string_equal(check("hash:sha256:" TS ":00", NOW), "Invalid password");
    assert_string_equal(check("hash:pbkdf2+sha256:1:1000:00", NOW), "Invalid number of iterations");
    assert_string_equal(check("hash:pbkdf2+sha256:1:100000:00", NOW), "Invalid timestamp");
    cred.authorization = "Basic cGxhaW46c2VjcmV0";
    cred.totp = "123456";
    assert_string_equal(relay_auth_check(&cfg, &cred, NOW), "Invalid TOTP");
    cred.totp = "abc";
    assert_string_equal(relay_auth_check(&cfg, &cred, NOW), "Invalid TOTP");
}

static void
test_basic_scheme_and_base64_leniency(void **state)
{
    struct relay_credentials cred = { .authorization = "basic   cGxhaW46c2VjcmV0" };

    (void)state;
    assert_null(relay_auth_check(&cfg, &cred, NOW));
    /* Padding optional, decoding stops at the first character outside the alphabet. */
    cred.authorization = "Basic cGxhaW46c2VjcmV0!!!garbage";
    assert_null(relay_auth_check(&cfg, &cred, NOW));
}

static void
test_websocket_protocol_bearer(void **state)
{
    struct relay_credentials cred = {
        .websocket_protocol =
            "api.weechat, base64url.bearer.authorization.weechat.cGxhaW46c2VjcmV0",
    };

    (void)state;
    assert_null(relay_auth_check(&cfg, &cred, NOW));
    cred.websocket_protocol = "api.weechat";
    assert_string_equal(relay_auth_check(&cfg, &cred, NOW), "Missing password");
}

static void
test_algorithm_patterns(void **state)
{
    struct relay_config c = cfg;

    (void)state;
    c.hash_algos = (char *)"pbkdf2+*,!pbkdf2+sha256";
    assert_false(relay_hash_algo_allowed(&c, RELAY_HASH_PLAIN));
    assert_false(relay_hash_algo_allowed(&c, RELAY_HASH_PBKDF2_SHA256));
    assert_true(relay_hash_algo_allowed(&c, RELAY_HASH_PBKDF2_SHA512));
    struct relay_credentials cred = { .authorization = basic("plain:secret") };
    assert_string_equal(relay_auth_check(&c, &cred, NOW),
                        "Invalid hash algorithm (not found or not supported)");
}

static void
test_totp_reference_example_and_window(void **state)
{
    struct relay_config c = cfg;
    struct relay_credentials cred = { .authorization = "Basic cGxhaW46c2VjcmV0" };

    (void)state;
    assert_true(relay_totp_check("JBSWY3DPEHPK3PXP", "324550", 0, NOW));
    assert_false(relay_totp_check("JBSWY3DPEHPK3PXP", "324550", 0, NOW + 30));
    assert_true(relay_totp_check("JBSWY3DPEHPK3PXP", "324550", 1, NOW + 30));
    c.totp_secret = (char *)"JBSWY3DPEHPK3PXP";
    assert_string_equal(relay_auth_check(&c, &cred, NOW), "Missing TOTP");
    cred.totp = "000000";
    assert_string_equal(relay_auth_check(&c, &cred, NOW), "Invalid TOTP");
    cred.totp = "324550";
    assert_null(relay_auth_check(&c, &cred, NOW));
    /* TOTP is checked before the password. */
    cred.authorization = "Basic cGxhaW46d3Jvbmc=";
    assert_string_equal(relay_auth_check(&c, &cred, NOW), "Invalid password");
    cred.totp = "1234567";
    assert_string_equal(relay_auth_check(&c, &cred, NOW), "Invalid TOTP");
}

static void
test_stored_hash_checks_plain_only(void **state)
{
    struct relay_config c = cfg;
    char *hash = relay_password_hash_new("secret", 1000);

    (void)state;
    c.password = (char *)"";
    c.password_hash = hash;
    assert_null(check("plain:secret", NOW) ? "x" : NULL); /* cfg unchanged */
    struct relay_credentials cred = { .authorization = basic("plain:secret") };
    assert_null(relay_auth_check(&c, &cred, NOW));
    cred.authorization = basic("plain:nope");
    assert_string_equal(relay_auth_check(&c, &cred, NOW), "Invalid password");
    assert_false(relay_hash_algo_allowed(&c, RELAY_HASH_SHA256));
    free(hash);
}

static void
test_secret_compare_any_lengths(void **state)
{
    (void)state;
    assert_true(tls_secret_eq("secret", 6, "secret", 6));
    assert_false(tls_secret_eq("secret", 6, "secreT", 6));
    assert_false(tls_secret_eq("secret", 6, "secret!", 7));
    assert_false(tls_secret_eq("secret", 6, "", 0));
    /* A password that is a prefix of the right one is refused too. */
    assert_string_equal(check("plain:secre", NOW), "Invalid password");
    assert_string_equal(check("plain:secret2", NOW), "Invalid password");
}

static void
test_only_wrong_secrets_count_as_failed_logins(void **state)
{
    struct relay_credentials none = { 0 };

    (void)state;
    assert_true(relay_auth_is_wrong_secret(check("plain:wrong", NOW)));
    assert_true(relay_auth_is_wrong_secret("Invalid TOTP"));
    assert_false(relay_auth_is_wrong_secret(relay_auth_check(&cfg, &none, NOW)));
    assert_false(relay_auth_is_wrong_secret(check("hash:sha256:abc:00", NOW)));
    assert_false(relay_auth_is_wrong_secret("Missing TOTP"));
    assert_false(relay_auth_is_wrong_secret(NULL));
}

#define PBKDF2_SHA512_TS                                                                           \
    "hash:pbkdf2+sha512:" TS ":100000:a6eb5fafe07c6133ef55b02dd8768240e2882d51300a90803bef4a5c955" \
    "b7bc191ba036110e329c96f801a91cb7766262ad7cafd3e9a8a785380b4582510f3d3"

/* relay_auth_begin() on a credential text: the error, and the derivation it left (or NULL). */
static const char *
begin(const struct relay_config *c, const char *credential, struct relay_auth_derivation **deriv)
{
    struct relay_credentials cred = { .authorization = basic(credential) };

    return relay_auth_begin(c, &cred, NOW, deriv);
}

static void
test_begin_defers_only_pbkdf2(void **state)
{
    struct relay_auth_derivation *deriv;

    (void)state;
    /* Cheap checks answer at once. */
    assert_null(begin(&cfg, "plain:secret", &deriv));
    assert_null(deriv);
    assert_string_equal(begin(&cfg, "plain:wrong", &deriv), "Invalid password");
    assert_null(deriv);
    assert_null(begin(
        &cfg, "hash:sha256:" TS ":0097dc146dfa5a8cadebac725e75c4e7800366597c7674eb36e8734b2f7fdc02",
        &deriv));
    assert_null(deriv);
    assert_string_equal(begin(&cfg, "hash:pbkdf2+sha512:" TS ":1000:00", &deriv),
                        "Invalid number of iterations");
    assert_null(deriv);
    assert_string_equal(begin(&cfg, "hash:pbkdf2+sha512:1:100000:00", &deriv), "Invalid timestamp");
    assert_null(deriv);
    /* A well-formed PBKDF2 credential is left to the derivation, right or wrong. */
    assert_null(begin(&cfg, PBKDF2_SHA512_TS, &deriv));
    assert_non_null(deriv);
    assert_string_equal(relay_auth_verdict(deriv), "Invalid password"); /* not derived yet */
    relay_auth_derive(deriv);
    assert_null(relay_auth_verdict(deriv));
    relay_auth_derivation_free(deriv);
    assert_null(begin(&cfg, "hash:pbkdf2+sha512:" TS ":100000:00", &deriv));
    assert_non_null(deriv);
    relay_auth_derive(deriv);
    assert_string_equal(relay_auth_verdict(deriv), "Invalid password");
    assert_true(relay_auth_is_wrong_secret(relay_auth_verdict(deriv)));
    relay_auth_derivation_free(deriv);
    relay_auth_derivation_free(NULL);
}

static void
test_begin_checks_totp_before_deferring(void **state)
{
    struct relay_config c = cfg;
    struct relay_credentials cred = { .authorization = basic(PBKDF2_SHA512_TS), .totp = "000000" };
    struct relay_auth_derivation *deriv;

    (void)state;
    c.totp_secret = (char *)"JBSWY3DPEHPK3PXP";
    assert_string_equal(relay_auth_begin(&c, &cred, NOW, &deriv), "Invalid TOTP");
    assert_null(deriv);
    cred.totp = "324550";
    assert_null(relay_auth_begin(&c, &cred, NOW, &deriv));
    assert_non_null(deriv);
    relay_auth_derivation_free(deriv);
}

static void
test_derivation_keeps_its_own_copies(void **state)
{
    struct relay_config c = cfg;
    char password[] = "secret", header[512];
    struct relay_credentials cred = { .authorization = header };
    struct relay_auth_derivation *deriv;

    (void)state;
    c.password = password;
    snprintf(header, sizeof(header), "%s", basic(PBKDF2_SHA512_TS));
    assert_null(relay_auth_begin(&c, &cred, NOW, &deriv));
    /* A reload replaces the configuration, and the request is gone, meanwhile. */
    memset(password, 'x', strlen(password));
    memset(header, 0, sizeof(header));
    relay_auth_derive(deriv);
    assert_null(relay_auth_verdict(deriv));
    relay_auth_derivation_free(deriv);
}

static void
test_stored_hash_is_derived_against_its_salt(void **state)
{
    struct relay_config c = cfg;
    char *hash = relay_password_hash_new("secret", 1000);
    struct relay_auth_derivation *deriv;

    (void)state;
    c.password = (char *)"";
    c.password_hash = hash;
    assert_null(begin(&c, "plain:secret", &deriv));
    assert_non_null(deriv);
    relay_auth_derive(deriv);
    assert_null(relay_auth_verdict(deriv));
    relay_auth_derivation_free(deriv);
    assert_null(begin(&c, "plain:nope", &deriv));
    relay_auth_derive(deriv);
    assert_string_equal(relay_auth_verdict(deriv), "Invalid password");
    relay_auth_derivation_free(deriv);
    /* A stored hash that cannot be used refuses at once. */
    c.password_hash = (char *)"md5:1000:00:00";
    assert_string_equal(begin(&c, "plain:secret", &deriv), "Invalid password");
    assert_null(deriv);
    free(hash);
}

static void
derive_thread(void *arg)
{
    relay_auth_derive(arg);
}

static void
test_derive_runs_on_another_thread(void **state)
{
    struct relay_auth_derivation *right, *wrong;
    uv_thread_t a, b;

    (void)state;
    assert_null(begin(&cfg, PBKDF2_SHA512_TS, &right));
    assert_null(begin(&cfg, "hash:pbkdf2+sha512:" TS ":100000:00", &wrong));
    assert_int_equal(uv_thread_create(&a, derive_thread, right), 0);
    assert_int_equal(uv_thread_create(&b, derive_thread, wrong), 0);
    uv_thread_join(&a);
    uv_thread_join(&b);
    assert_null(relay_auth_verdict(right));
    assert_string_equal(relay_auth_verdict(wrong), "Invalid password");
    relay_auth_derivation_free(right);
    relay_auth_derivation_free(wrong);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_worked_example_hashes),
        cmocka_unit_test(test_every_credential_format_accepted),
        cmocka_unit_test(test_error_strings_in_reference_order),
        cmocka_unit_test(test_basic_scheme_and_base64_leniency),
        cmocka_unit_test(test_websocket_protocol_bearer),
        cmocka_unit_test(test_algorithm_patterns),
        cmocka_unit_test(test_totp_reference_example_and_window),
        cmocka_unit_test(test_stored_hash_checks_plain_only),
        cmocka_unit_test(test_secret_compare_any_lengths),
        cmocka_unit_test(test_only_wrong_secrets_count_as_failed_logins),
        cmocka_unit_test(test_begin_defers_only_pbkdf2),
        cmocka_unit_test(test_begin_checks_totp_before_deferring),
        cmocka_unit_test(test_derivation_keeps_its_own_copies),
        cmocka_unit_test(test_stored_hash_is_derived_against_its_salt),
        cmocka_unit_test(test_derive_runs_on_another_thread),
    };

    return cmocka_run_group_tests_name("auth", tests, NULL, NULL);
}
