/* SPDX-License-Identifier: MIT */
/*
 * Fuzzes request targets: splitting and percent-decoding, then every resource the
 * target can name, routed with each method over a small core (path parameters,
 * query parameters such as lines=, colors=, nicks=, and the encoders they drive).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/url.h"
#include "relay_fixture.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_url(const char *target, size_t len)
{
    struct http_url url;
    char *decoded = http_url_decode(target, len);

    /* Decoding only ever shrinks. */
    if (strlen(decoded) > len)
        abort();
    free(decoded);
    http_url_parse(target, &url);
    if (url.n_segments > HTTP_URL_MAX_SEGMENTS || url.n_params > HTTP_URL_MAX_PARAMS ||
        url.n_segments > url.n_segments_seen)
        abort();
    (void)http_url_param(&url, "lines");
    http_url_fini(&url);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const methods[] = { "GET", "POST", "OPTIONS", "DELETE" };
    char *target = malloc(size + 1);

    memcpy(target, data, size);
    target[size] = '\0';
    check_url(target, strlen(target));
    for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
        (void)relay_fixture_route(relay_fixture_config(), methods[i], target, NULL, false);
    (void)relay_fixture_route(relay_fixture_config(), "POST", target, NULL, true);
    free(target);
    return 0;
}
