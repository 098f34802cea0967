/* SPDX-License-Identifier: MIT */
/* Fuzzes the client's HTTP response reader, whole and split in two. */
#include <stdint.h>
#include <stdlib.h>

#include "http/reply.h"

static void
on_reply(const struct http_reply *reply, void *data)
{
    char value[64];

    (void)http_reply_header(reply, "content-length", value, sizeof(value));
    (*(size_t *)data) += reply->body.len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t total = 0;
    struct http_reply_reader *r = http_reply_reader_new(65536, on_reply, &total);

    http_reply_reader_feed(r, (const char *)data, size);
    http_reply_reader_free(r);
    r = http_reply_reader_new(65536, on_reply, &total);
    if (http_reply_reader_feed(r, (const char *)data, size / 2) >= 0)
        http_reply_reader_feed(r, (const char *)data + size / 2, size - size / 2);
    http_reply_reader_free(r);
    return 0;
}
