/* SPDX-License-Identifier: MIT */
/* Unmasked text frames built once, shareable between clients. */
#include "frame.h"

#include <string.h>

#include "base/rbuf.h"

size_t
ws_frame_header(uint8_t out[WS_FRAME_HEADER_MAX], bool compressed, size_t len)
{
    /* FIN, RSV1 for a compressed message (RFC 7692 6), opcode 1: text. */
    out[0] = (uint8_t)(0x81 | (compressed ? 0x40 : 0));
    if (len < 126) {
        out[1] = (uint8_t)len;
        return 2;
    }
    if (len <= 0xffff) {
        out[1] = 126;
        out[2] = (uint8_t)(len >> 8);
        out[3] = (uint8_t)len;
        return 4;
    }
    out[1] = 127;
    for (int i = 0; i < 8; i++)
        out[2 + i] = (uint8_t)((uint64_t)len >> (56 - 8 * i));
    return 10;
}

void
ws_frame_begin(struct buf *b)
{
    static const char room[WS_FRAME_HEADER_MAX] = { 0 };

    buf_append(b, room, sizeof(room));
}

struct rbuf *
ws_frame_end(struct buf *b, const char **payload, size_t *len)
{
    size_t n = b->len - WS_FRAME_HEADER_MAX;
    uint8_t head[WS_FRAME_HEADER_MAX];
    size_t head_len = ws_frame_header(head, false, n);
    size_t skip = WS_FRAME_HEADER_MAX - head_len;
    struct rbuf *frame;

    memcpy(b->data + skip, head, head_len);
    frame = rbuf_from_buf(b, skip);
    if (payload)
        *payload = frame->data + head_len;
    if (len)
        *len = n;
    return frame;
}
