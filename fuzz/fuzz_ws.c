/* SPDX-License-Identifier: MIT */
/* Fuzzes the WebSocket session: frames from a client, with and without permessage-deflate;
 * the first byte picks the extension offer that is negotiated. */
#include <stdint.h>
#include <stdlib.h>

#include "ws/handshake.h"
#include "ws/session.h"

static void
on_message(void *data, const char *msg, size_t len)
{
    (void)msg;
    *(size_t *)data += len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const offers[] = {
        NULL, "permessage-deflate",
        "permessage-deflate; client_no_context_takeover; server_max_window_bits=9",
        "permessage-deflate; client_max_window_bits=8"
    };
    static const struct ws_session_cbs cbs = { .on_message = on_message };
    struct ws_deflate_params params;
    char response[256];
    size_t total = 0;
    struct buf out;

    if (size == 0)
        return 0;
    ws_deflate_negotiate(offers[data[0] % 4], &params, response, sizeof(response));
    struct ws_session *s = ws_session_new(&cbs, &total, &params, 1, 65536);
    buf_init(&out, 1 << 22);
    /* Split in two feeds to exercise partial frames. */
    if (ws_session_feed(s, (const char *)data + 1, (size - 1) / 2) == 0)
        ws_session_feed(s, (const char *)data + 1 + (size - 1) / 2, size - 1 - (size - 1) / 2);
    ws_session_send_text(s, "{}", 2);
    ws_session_take_output(s, &out);
    buf_fini(&out);
    ws_session_free(s);
    return 0;
}
