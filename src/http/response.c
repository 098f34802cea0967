/* SPDX-License-Identifier: MIT */
/* HTTP/1.1 responses. */
#include "response.h"

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

void
http_response_write(struct buf *out, const struct http_response *resp)
{
    buf_printf(out, "HTTP/1.1 %d %s\r\n", resp->status, http_reason_phrase(resp->status));
    if (resp->extra_headers)
        buf_append_str(out, resp->extra_headers);
    if (!resp->same_origin)
        buf_append_str(out, "Access-Control-Allow-Origin: *\r\n");
    if (resp->status != 304)
        buf_printf(out, "Content-Type: %s\r\n",
                   resp->content_type ? resp->content_type : "application/json; charset=utf-8");
    if (resp->content_encoding)
        buf_printf(out, "Content-Encoding: %s\r\n", resp->content_encoding);
    if (resp->close)
        buf_append_str(out, "Connection: close\r\n");
    if (resp->status == 304) {
        buf_append_str(out, "\r\n");
        return;
    }
    buf_printf(out, "Content-Length: %zu\r\n\r\n", resp->body_len);
    if (!resp->head_only)
        buf_append(out, resp->body, resp->body_len);
}
