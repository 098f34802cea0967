/* SPDX-License-Identifier: MIT */
/* TOTP (RFC 6238) through liboath; the number of digits is the code's length. */
#include <liboath/oath.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"

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
    rc = oath_totp_validate(secret, secret_len, (time_t)now, OATH_TOTP_DEFAULT_TIME_STEP_SIZE, 0,
                            (size_t)(window < 0 ? 0 : window), code);
    free(secret);
    return rc >= 0;
}
