/* SPDX-License-Identifier: MIT */
/* HTTP/1.1 responses. */
#include "response.h"

#include "base/decimal.h"

static const struct {
    int status;
    const char *phrase;
} http_phrases[] = {
    { 101, "Switching Protocols" },
    { 200, "OK" },
    { 204, "No Content" },
    { 304, "Not Modified" },
    { 400, "Bad Request" },
    { 401, "Unauthorized" },
    { 403, "Forbidden" },
    { 404, "Not Found" },
    { 405, "Method Not Allowed" },
    { 408, "Request Timeout" },
    { 413, "Payload Too Large" },
    { 429, "Too Many Requests" },
    { 431, "Request Header Fields Too Large" },
    { 500, "Internal Server Error" },
    { 503, "Service Unavailable" },
};

const char *
http_reason_phrase(int status)
{
    for (size_t i = 0; i < sizeof(http_phrases) / sizeof(http_phrases[0]); i++) {
        if (http_phrases[i].status == status)
            return http_phrases[i].phrase;
    }
    return "Unknown";
}

static void
response_header(struct buf *out, const char *name, const char *value)
{
    buf_append_str(out, name);
    buf_append_str(out, ": ");
    buf_append_str(out, value);
    buf_append_str(out, "\r\n");
}

void
http_response_write(struct buf *out, const struct http_response *resp)
{
    char number[DECIMAL_MAX];

    /* Appended piece by piece: printf's format parsing showed in the cost of a request. The
     * headers fit in 512 bytes but for long extra ones (which grow the buffer as usual). */
    buf_reserve(out, 512 + (resp->head_only ? 0 : resp->body_len));
    buf_append_str(out, "HTTP/1.1 ");
    buf_append(out, number, decimal_i64(resp->status, number));
    buf_append_char(out, ' ');
    buf_append_str(out, http_reason_phrase(resp->status));
    buf_append_str(out, "\r\n");
    if (resp->extra_headers)
        buf_append_str(out, resp->extra_headers);
    if (!resp->same_origin)
        buf_append_str(out, "Access-Control-Allow-Origin: *\r\n");
    if (resp->status != 304)
        response_header(out, "Content-Type",
                        resp->content_type ? resp->content_type
                                           : "application/json; charset=utf-8");
    if (resp->content_encoding)
        response_header(out, "Content-Encoding", resp->content_encoding);
    if (resp->close)
        buf_append_str(out, "Connection: close\r\n");
    if (resp->status == 304) {
        buf_append_str(out, "\r\n");
        return;
    }
    buf_append_str(out, "Content-Length: ");
    buf_append(out, number, decimal_i64((int64_t)resp->body_len, number));
    buf_append_str(out, "\r\n\r\n");
    if (!resp->head_only)
        buf_append(out, resp->body, resp->body_len);
}
