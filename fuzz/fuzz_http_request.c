/* SPDX-License-Identifier: MIT */
/* Fuzzes the HTTP request reader: whole input, then the same input split in two. */
#include <stdint.h>
#include <stdlib.h>

#include "http/request.h"

static bool
on_request(const struct http_request *req, void *data)
{
    (void)http_request_header(req, "Authorization");
    (*(size_t *)data)++;
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t n = 0;
    struct http_reader *r = http_reader_new(1024, 4096, on_request, &n);

    http_reader_feed(r, (const char *)data, size);
    http_reader_free(r);
    r = http_reader_new(1024, 4096, on_request, &n);
    if (http_reader_feed(r, (const char *)data, size / 2) >= 0)
        http_reader_feed(r, (const char *)data + size / 2, size - size / 2);
    http_reader_free(r);
    return 0;
}
