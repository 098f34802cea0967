/* SPDX-License-Identifier: MIT */
/* SASL payloads to and from AUTHENTICATE parameters: base64 in parts of 400 bytes. */
#include "sasl_wire.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "tls/crypto.h"

void
irc_sasl_in_init(struct irc_sasl_in *in)
{
    buf_init(&in->text, IRC_SASL_IN_MAX);
}

void
irc_sasl_in_fini(struct irc_sasl_in *in)
{
    buf_fini(&in->text);
}

static int
sasl_in_decode(struct irc_sasl_in *in, char **out, size_t *out_len)
{
    size_t len = in->text.len;
    char *bytes = xmalloc(len / 4 * 3 + 1);
    int n = len ? tls_base64_decode(in->text.data, len, (unsigned char *)bytes) : 0;

    buf_reset(&in->text);
    if (n < 0) {
        free(bytes);
        return -1;
    }
    bytes[n] = '\0';
    *out = bytes;
    *out_len = (size_t)n;
    return 1;
}

int
irc_sasl_in_add(struct irc_sasl_in *in, const char *param, char **out, size_t *out_len)
{
    size_t len = strlen(param);

    /* "+" is an empty part: the whole payload is what came before it. */
    if (strcmp(param, "+") == 0)
        return sasl_in_decode(in, out, out_len);
    if (len > IRC_SASL_CHUNK || buf_append(&in->text, param, len) < 0) {
        buf_reset(&in->text);
        return -1;
    }
    return len == IRC_SASL_CHUNK ? 0 : sasl_in_decode(in, out, out_len);
}

void
irc_sasl_out(const void *payload, size_t len, irc_sasl_param_cb cb, void *data)
{
    size_t text_len = (len + 2) / 3 * 4;
    char *text = xmalloc(text_len + 1);
    char part[IRC_SASL_CHUNK + 1];
    size_t at = 0;

    tls_base64_encode(payload, len, text);
    while (text_len - at >= IRC_SASL_CHUNK) {
        memcpy(part, text + at, IRC_SASL_CHUNK);
        part[IRC_SASL_CHUNK] = '\0';
        cb(part, data);
        at += IRC_SASL_CHUNK;
    }
    /* The rest, or "+" when nothing is left: after a 400-byte part it tells the end. */
    cb(at < text_len ? text + at : "+", data);
    tls_cleanse(part, sizeof(part));
    tls_cleanse(text, text_len);
    free(text);
}
