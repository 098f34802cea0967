/* SPDX-License-Identifier: MIT */
/* TOTP (RFC 6238) through liboath; the number of digits is the code's length. */
#include <liboath/oath.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "tls/crypto.h"

/* liboath's own validation compares codes with strcmp, which stops at the first differing
 * digit; its callback variant lets the comparison run in constant time instead. The code
 * lengths are equal by construction (digits is the client's code length). */
static int
totp_compare(void *handle, const char *expected)
{
    const char *code = handle;
    size_t len = strlen(code);

    return strlen(expected) == len && tls_memeq(expected, code, len) ? 0 : 1;
}

bool
relay_totp_check(const char *secret_base32, const char *code, int window, int64_t now)
{
    static bool initialised;
    char *secret = NULL;
    size_t secret_len = 0;
    size_t digits = strlen(code);
    int rc;

    if (!initialised) {
        if (oath_init() != OATH_OK)
            return false;
        initialised = true;
    }
    if (digits < 4 || digits > 10)
        return false;
    if (oath_base32_decode(secret_base32, strlen(secret_base32), &secret, &secret_len) != OATH_OK)
        return false;
    rc = oath_totp_validate_callback(
        secret, secret_len, (time_t)now, OATH_TOTP_DEFAULT_TIME_STEP_SIZE, 0, (unsigned)digits,
        (size_t)(window < 0 ? 0 : window), totp_compare, (void *)(uintptr_t)code);
    tls_cleanse(secret, secret_len);
    free(secret);
    return rc >= 0;
}
