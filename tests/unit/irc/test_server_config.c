/* SPDX-License-Identifier: MIT */
/* A network's settings: /server add arguments, options, what is shown, saving. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "irc/server_config.h"
#include "unit_test.h"

static struct irc_server_config *
add(const char *line, char *err, size_t err_len)
{
    char *copy = strdup(line), *argv[32], *save = NULL;
    int argc = 0;
    struct irc_server_config *c;

    for (char *t = strtok_r(copy, " ", &save); t && argc < 32; t = strtok_r(NULL, " ", &save))
        argv[argc++] = t;
    c = irc_server_config_from_args(argc, argv, err, err_len);
    free(copy);
    return c;
}

static void
test_add_and_defaults(void **state)
{
    char err[256];
    struct irc_server_config *c;
    char *shown;

    (void)state;
    c = add("libera irc.libera.chat,[2001:db8::1]/6697 -password=s3cret -nicks=me,me_ "
            "-autojoin=#a,#b key1 -autoconnect",
            err, sizeof(err));
    assert_non_null(c);
    assert_string_equal(c->name, "libera");
    assert_int_equal(c->n_addresses, 2);
    assert_string_equal(c->addresses[0].host, "irc.libera.chat");
    assert_int_equal(c->addresses[0].port, 0);
    assert_string_equal(c->addresses[1].host, "2001:db8::1");
    assert_int_equal(c->addresses[1].port, 6697);
    assert_true(c->tls);
    assert_true(c->tls_verify);
    assert_true(c->autoconnect);
    assert_string_equal(c->nicks, "me,me_");
    assert_string_equal(c->autojoin, "#a,#b key1");
    /* Secrets are never shown back. */
    shown = irc_server_config_show(c, "password");
    assert_string_equal(shown, "********");
    free(shown);
    shown = irc_server_config_show(c, "addresses");
    assert_string_equal(shown, "irc.libera.chat,[2001:db8::1]/6697");
    free(shown);
    irc_server_config_free(c);

    /* Port 6667 named explicitly means plain, unless -tls says otherwise. */
    c = add("test 127.0.0.1/6667", err, sizeof(err));
    assert_false(c->tls);
    irc_server_config_free(c);
    c = add("test 127.0.0.1/6667 -tls", err, sizeof(err));
    assert_true(c->tls);
    irc_server_config_free(c);
    c = add("test 127.0.0.1/7000 -notls", err, sizeof(err));
    assert_false(c->tls);
    irc_server_config_free(c);
}

static void
test_bad_arguments(void **state)
{
    static const char *const bad[] = {
        "bad/name host",
        "net",
        "net host/0",
        "net host/99999",
        "net [::1",
        "net host -x=1",
        "net host -tls_verify=maybe",
        "net host -sasl_mechanism=digest",
        "net host -sasl_fail=retry",
        "net host -sasl_timeout=0",
        "net host -sasl_timeout=3601",
        "net host -sasl_timeout=5s",
        "net host -sasl_timeout=",
        "net host -tls_fingerprint=abc",
        "net host extra",
        "net host -nicks=",
    };
    char err[256];

    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        err[0] = '\0';
        assert_null(add(bad[i], err, sizeof(err)));
        assert_true(err[0] != '\0');
    }
}

static void
test_set_and_save_round_trip(void **state)
{
    char err[256];
    struct irc_server_config *c = add("oftc irc.oftc.net/6697", err, sizeof(err)), *back;
    struct pjson *saved;

    (void)state;
    assert_int_equal(irc_server_config_set(c, "sasl_mechanism", "scram-sha-256", err, sizeof(err)),
                     0);
    assert_int_equal(irc_server_config_set(c, "sasl_password", "pw", err, sizeof(err)), 0);
    /* WeeChat's defaults: reconnect on failure, 15 s to finish. */
    assert_int_equal(c->sasl_fail, IRC_SASL_FAIL_RECONNECT);
    assert_int_equal(c->sasl_timeout, 15);
    assert_int_equal(irc_server_config_set(c, "sasl_fail", "disconnect", err, sizeof(err)), 0);
    assert_int_equal(irc_server_config_set(c, "sasl_timeout", "2", err, sizeof(err)), 0);
    assert_int_equal(irc_server_config_set(c, "sasl_timeout", "-1", err, sizeof(err)), -1);
    assert_int_equal(c->sasl_timeout, 2);
    assert_int_equal(irc_server_config_set(c, "tls_verify", "off", err, sizeof(err)), 0);
    assert_int_equal(irc_server_config_set(c, "realname", "Some One", err, sizeof(err)), 0);
    /* Nothing changes on a refused value; line breaks never get in. */
    assert_int_equal(irc_server_config_set(c, "realname", "a\r\nQUIT", err, sizeof(err)), -1);
    assert_int_equal(irc_server_config_set(c, "addresses", "", err, sizeof(err)), -1);
    assert_int_equal(c->n_addresses, 1);
    assert_int_equal(irc_server_config_set(c, "nope", "x", err, sizeof(err)), -1);
    saved = irc_server_config_save(c);
    back = irc_server_config_load(saved);
    assert_non_null(back);
    for (const char *const *opt = irc_server_options; *opt; opt++) {
        char *a = irc_server_config_show(c, *opt), *b = irc_server_config_show(back, *opt);
        assert_string_equal(a, b);
        free(a);
        free(b);
    }
    assert_string_equal(back->sasl_password, "pw");
    assert_int_equal(back->sasl_fail, IRC_SASL_FAIL_DISCONNECT);
    assert_int_equal(back->sasl_timeout, 2);
    pjson_free(saved);
    irc_server_config_free(back);
    irc_server_config_free(c);
}

/* /connect's URLs, as WeeChat's irc_server_alloc_with_url reads them. */
static void
test_irc_urls(void **state)
{
    char err[256];
    struct irc_server_config *c;

    (void)state;
    c = irc_server_config_from_url("ircs://bob:pw@irc.example.org/#a,#b", err, sizeof(err));
    assert_non_null(c);
    assert_string_equal(c->name, "irc.example.org");
    assert_int_equal(c->n_addresses, 1);
    assert_string_equal(c->addresses[0].host, "irc.example.org");
    assert_int_equal(c->addresses[0].port, 6697);
    assert_true(c->tls);
    assert_true(c->autoconnect);
    assert_string_equal(c->nicks, "bob,bob2,bob3,bob4,bob5");
    assert_string_equal(c->password, "pw");
    assert_string_equal(c->autojoin, "#a,#b");
    irc_server_config_free(c);
    /* Plain with its port; a channel without its "#"; IPv6 in brackets. */
    c = irc_server_config_from_url("irc://irc.example.org:7000//chan", err, sizeof(err));
    assert_non_null(c);
    assert_false(c->tls);
    assert_int_equal(c->addresses[0].port, 7000);
    assert_string_equal(c->autojoin, "#chan");
    irc_server_config_free(c);
    c = irc_server_config_from_url("IRC6://[::1]", err, sizeof(err));
    assert_null(c); /* "::1" is no network name */
    c = irc_server_config_from_url("irc://h.example", err, sizeof(err));
    assert_non_null(c);
    assert_int_equal(c->addresses[0].port, 6667);
    irc_server_config_free(c);
    /* Not IRC's, nothing after the scheme, a bad port, a bad channel list. */
    const char *bad[] = {
        "http://h", "irc://",         "irc://h:99999",  "irc://[h",   "ircx://h",
        "irc://@/", "irc://h/#a\r\n", "irc://h:6667,x", "irc://h:+1", "irc://\nh"
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        err[0] = '\0';
        assert_null(irc_server_config_from_url(bad[i], err, sizeof(err)));
        assert_true(err[0]);
    }
}

/* /connect's option arguments: "-x=v", "-x" (on) and "-nox" (off). */
static void
test_connect_option_arguments(void **state)
{
    char err[256];
    struct irc_server_config *c = irc_server_config_new("n", err, sizeof(err));

    (void)state;
    assert_int_equal(irc_server_config_apply_arg(c, "-notls", err, sizeof(err)), 0);
    assert_false(c->tls);
    assert_int_equal(irc_server_config_apply_arg(c, "-tls", err, sizeof(err)), 0);
    assert_true(c->tls);
    assert_int_equal(irc_server_config_apply_arg(c, "-nicks=a,b", err, sizeof(err)), 0);
    assert_string_equal(c->nicks, "a,b");
    assert_int_equal(irc_server_config_apply_arg(c, "-noautoconnect", err, sizeof(err)), 0);
    assert_false(c->autoconnect);
    assert_int_equal(irc_server_config_apply_arg(c, "-nope", err, sizeof(err)), -1);
    assert_int_equal(irc_server_config_apply_arg(c, "-no", err, sizeof(err)), -1);
    assert_int_equal(irc_server_config_apply_arg(c, "-tls=maybe", err, sizeof(err)), -1);
    assert_int_equal(irc_server_config_apply_arg(c, "-nonicks=x", err, sizeof(err)), -1);
    assert_int_equal(irc_server_config_apply_arg(c, "nicks=x", err, sizeof(err)), -1);
    assert_true(c->tls);
    assert_string_equal(c->nicks, "a,b");
    irc_server_config_free(c);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_and_defaults),         cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_set_and_save_round_trip),  cmocka_unit_test(test_irc_urls),
        cmocka_unit_test(test_connect_option_arguments),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
