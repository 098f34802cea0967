/* SPDX-License-Identifier: MIT */
/*
 * Fuzzes the HTTP request reader as the relay drives it: pipelined requests with
 * Content-Length and chunked bodies, under generous and tight header/body limits,
 * fed whole and in small pieces with the reader stopped after every other request
 * (as after a WebSocket upgrade) and resumed. Fed whole or in pieces, the reader must
 * produce the same requests and the same error. Each request's target is split,
 * and its body compressed as the response would be for its Accept-Encoding, then
 * decompressed and compared; its Accept header is matched as GET /metrics does.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "base/buf.h"
#include "http/accept.h"
#include "http/compress.h"
#include "http/request.h"
#include "http/response.h"
#include "http/url.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct run {
    size_t max_header_bytes;
    size_t max_body_bytes;
    size_t chunk;      /* bytes per feed; 0 = all at once */
    bool stop_halfway; /* the callback stops the reader after every other request */
    size_t n_requests;
    struct buf transcript; /* every request as read, then the final result */
};

static void
check_decompressed(enum http_encoding enc, const struct buf *packed, const struct buf *body)
{
    size_t cap = body->len + 1;
    unsigned char *out = malloc(cap);
    size_t out_len = 0;

    if (enc == HTTP_ENCODING_ZSTD) {
        out_len = ZSTD_decompress(out, cap, packed->data, packed->len);
        if (ZSTD_isError(out_len))
            abort();
    } else {
        z_stream zs = { 0 };
        /* 15 + 32: a zlib or a gzip wrapper, detected from the header. */
        if (inflateInit2(&zs, 15 + 32) != Z_OK)
            abort();
        zs.next_in = (unsigned char *)packed->data;
        zs.avail_in = (uInt)packed->len;
        zs.next_out = out;
        zs.avail_out = (uInt)cap;
        if (inflate(&zs, Z_FINISH) != Z_STREAM_END)
            abort();
        out_len = zs.total_out;
        inflateEnd(&zs);
    }
    if (out_len != body->len || (out_len && memcmp(out, body->data, out_len) != 0))
        abort();
    free(out);
}

/* GET /metrics picks its format from Accept: a quality is -1 or 0..1000. */
static void
check_accept(const char *accept)
{
    static const char *const types[] = { "application/openmetrics-text", "text/plain",
                                         "application/json" };

    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        int q = http_accept_quality(accept, types[i]);
        if (q < -1 || q > 1000)
            abort();
    }
}

/* What the relay does with a request's parts: split the target, answer (compressed). */
static void
use_request(const struct http_request *req)
{
    const char *accept = http_request_header(req, "Accept-Encoding");
    enum http_encoding enc = http_encoding_pick(accept);
    struct http_response resp = { .status = 200 };
    struct http_url url;
    struct buf packed, out;

    http_url_parse(req->target, &url);
    http_url_fini(&url);
    check_accept(http_request_header(req, "Accept"));
    buf_init(&packed, (size_t)-1);
    if (http_compress(enc, 1 + (int)(req->body.len % 100), req->body.data ? req->body.data : "",
                      req->body.len, &packed) < 0)
        abort();
    if (enc != HTTP_ENCODING_IDENTITY)
        check_decompressed(enc, &packed, &req->body);
    resp.content_encoding = http_encoding_name(enc);
    resp.body = packed.data;
    resp.body_len = packed.len;
    resp.close = !req->keep_alive;
    buf_init(&out, (size_t)-1);
    http_response_write(&out, &resp);
    buf_fini(&out);
    buf_fini(&packed);
}

static bool
on_request(const struct http_request *req, void *data)
{
    struct run *r = data;
    struct buf *t = &r->transcript;

    if (req->body.len > r->max_body_bytes)
        abort();
    buf_printf(t, "%s %s up=%d ka=%d\n", req->method, req->target, req->upgrade, req->keep_alive);
    for (size_t i = 0; i < req->n_headers; i++) {
        const char *value, *name = http_request_header_at(req, i, &value);

        buf_printf(t, "%s: %s\n", name, value);
    }
    buf_printf(t, "body %zu\n", req->body.len);
    buf_append(t, req->body.data, req->body.len);
    use_request(req);
    r->n_requests++;
    return !(r->stop_halfway && r->n_requests % 2 == 1);
}

/* Feeds data as the relay's connection does: on, past stops, until all is read. */
static void
run_reader(struct run *r, const uint8_t *data, size_t size)
{
    struct http_reader *reader =
        http_reader_new(r->max_header_bytes, r->max_body_bytes, on_request, r);
    size_t off = 0;
    long rc = 0;

    buf_init(&r->transcript, (size_t)-1);
    while (off < size) {
        size_t len = r->chunk && r->chunk < size - off ? r->chunk : size - off;
        rc = http_reader_feed(reader, (const char *)data + off, len);
        if (rc < 0)
            break;
        if ((size_t)rc > len)
            abort();
        off += (size_t)rc;
    }
    buf_printf(&r->transcript, "end %ld in_request=%d\n", rc < 0 ? rc : 0,
               http_reader_in_request(reader));
    http_reader_free(reader);
}

static void
check_same(const struct run *a, const struct run *b)
{
    if (a->transcript.len != b->transcript.len ||
        (a->transcript.len && memcmp(a->transcript.data, b->transcript.data, a->transcript.len)))
        abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The piece size comes from the input so that every split point gets tried. */
    size_t chunk = size ? 1 + data[size - 1] % 16 : 1;
    struct run whole = { .max_header_bytes = 8192, .max_body_bytes = 65536 };
    struct run pieces = { .max_header_bytes = 8192, .max_body_bytes = 65536, .chunk = chunk };
    struct run stopped = { .max_header_bytes = 8192,
                           .max_body_bytes = 65536,
                           .stop_halfway = true };
    struct run tight = { .max_header_bytes = 256, .max_body_bytes = 64, .chunk = chunk };

    run_reader(&whole, data, size);
    run_reader(&pieces, data, size);
    run_reader(&stopped, data, size);
    run_reader(&tight, data, size);
    check_same(&whole, &pieces);
    check_same(&whole, &stopped);
    buf_fini(&whole.transcript);
    buf_fini(&pieces.transcript);
    buf_fini(&stopped.transcript);
    buf_fini(&tight.transcript);
    return 0;
}
