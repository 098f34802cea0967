/* SPDX-License-Identifier: MIT */
/*
 * Fuzzes authentication: the input is the lines "Authorization", "Sec-WebSocket-Protocol",
 * "x-weechat-totp" and a POST /api/handshake body (a missing or empty line is an absent
 * header). Each is checked against three configurations: password with TOTP, a stored
 * PBKDF2 hash only, and restricted hash algorithms; the subprotocol carrier is also
 * checked alone, since an Authorization header takes precedence over it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "relay/auth.h"
#include "relay_fixture.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The time every check runs at: seeds carry hashes and TOTP codes valid for it. */
#define FUZZ_NOW 1700000000

static const struct relay_config fuzz_configs[] = {
    {
        .password = (char *)"secret",
        .totp_secret = (char *)"JBSWY3DPEHPK3PXP",
        .hash_algos = (char *)"*",
        .hash_iterations = 2,
        .time_window_s = 5,
        .totp_window = 1,
        .max_json_depth = 8,
    },
    {
        /* PBKDF2-SHA512 of "secret", 2 iterations, salt the 32 hex characters. */
        .password = (char *)"",
        .password_hash = (char *)"pbkdf2+sha512:2:0123456789abcdef0123456789abcdef:"
                                 "0bb47fb4cbf4f8f5f542f30cb76698e4224195cfee01541d20c1f08e211d1ab9"
                                 "392ab5e873ca2664496deecf5163ab44854fcc08c50d665d450a0442a6a341c8",
        .totp_secret = (char *)"",
        .hash_algos = (char *)"*",
        .hash_iterations = 2,
        .time_window_s = 5,
        .max_json_depth = 8,
    },
    {
        .password = (char *)"secret",
        .totp_secret = (char *)"",
        .hash_algos = (char *)" sha*, pbkdf2+sha256,!sha256",
        .hash_iterations = 3,
        .time_window_s = 0,
        .max_json_depth = 8,
    },
};

#define N_CONFIGS (sizeof(fuzz_configs) / sizeof(fuzz_configs[0]))

/* Cuts the next line off *rest (NULL once it ran out); an empty line is NULL. */
static char *
next_line(char **rest)
{
    char *line = *rest, *nl;

    if (!line)
        return NULL;
    nl = strchr(line, '\n');
    if (nl)
        *nl = '\0';
    *rest = nl ? nl + 1 : NULL;
    return *line ? line : NULL;
}

static void
check_credentials(const struct relay_config *cfg, char **lines)
{
    struct relay_credentials cred = {
        .authorization = lines[0],
        .websocket_protocol = lines[1],
        .totp = lines[2],
    };

    (void)relay_auth_check(cfg, &cred, FUZZ_NOW);
    if (cred.authorization && cred.websocket_protocol) {
        cred.authorization = NULL;
        (void)relay_auth_check(cfg, &cred, FUZZ_NOW);
    }
    if (cred.totp && cfg->totp_secret[0])
        (void)relay_totp_check(cfg->totp_secret, cred.totp, cfg->totp_window, FUZZ_NOW);
}

static void
check_handshake(const struct relay_config *cfg, const char *body)
{
    struct pjson *v = body ? pjson_parse(body, strlen(body), cfg->max_json_depth) : NULL;

    (void)relay_fixture_route(cfg, "POST", "/api/handshake", v, false);
    pjson_free(v);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1), *rest = text;
    char *lines[3];

    memcpy(text, data, size);
    text[size] = '\0';
    for (size_t i = 0; i < 3; i++)
        lines[i] = next_line(&rest);
    /* Whatever follows the third line is the handshake body. */
    if (rest && !*rest)
        rest = NULL;
    for (size_t i = 0; i < N_CONFIGS; i++) {
        check_credentials(&fuzz_configs[i], lines);
        check_handshake(&fuzz_configs[i], rest);
    }
    free(text);
    return 0;
}
