/* SPDX-License-Identifier: MIT */
/* Fuzzes request-target splitting and percent-decoding. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/compress.h"
#include "http/url.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    struct http_url url;

    memcpy(text, data, size);
    text[size] = '\0';
    http_url_parse(text, &url);
    (void)http_url_param(&url, "lines");
    http_url_fini(&url);
    (void)http_encoding_pick(text);
    free(text);
    return 0;
}
