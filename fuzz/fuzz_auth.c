/* SPDX-License-Identifier: MIT */
/* Fuzzes credential checking: the input is "Authorization\nSec-WebSocket-Protocol\nTOTP". */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "relay/auth.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct relay_config cfg = {
        .password = (char *)"secret",
        .totp_secret = (char *)"JBSWY3DPEHPK3PXP",
        .hash_algos = (char *)"*",
        .hash_iterations = 2,
        .time_window_s = 5,
    };
    char *text = malloc(size + 1);
    char *parts[3] = { text, NULL, NULL };
    struct relay_credentials cred;

    memcpy(text, data, size);
    text[size] = '\0';
    for (int i = 1; i < 3 && parts[i - 1]; i++) {
        char *nl = strchr(parts[i - 1], '\n');
        if (nl) {
            *nl = '\0';
            parts[i] = nl + 1;
        }
    }
    cred.authorization = parts[0];
    cred.websocket_protocol = parts[1];
    cred.totp = parts[2];
    (void)relay_auth_check(&cfg, &cred, 1700000000);
    cfg.totp_secret = (char *)"";
    cred.totp = NULL;
    (void)relay_auth_check(&cfg, &cred, 1700000000);
    cfg.totp_secret = (char *)"JBSWY3DPEHPK3PXP";
    free(text);
    return 0;
}
