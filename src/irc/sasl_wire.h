/* SPDX-License-Identifier: MIT */
/*
 * SASL's AUTHENTICATE framing (IRCv3 sasl-3.1): a payload travels base64-encoded in
 * parameters of at most 400 bytes; one of exactly 400 says more follows, and "+" stands
 * for an empty one (an empty payload, or the end after a last 400-byte part). I/O-free.
 */
#ifndef PERCH_IRC_SASL_WIRE_H
#define PERCH_IRC_SASL_WIRE_H

#include <stddef.h>

#include "base/buf.h"

#define IRC_SASL_CHUNK 400
/* The base64 text of one payload from the server at most (SCRAM's messages are far less). */
#define IRC_SASL_IN_MAX 8192

/* One payload from the server, being gathered. */
struct irc_sasl_in {
    struct buf text;
};

void irc_sasl_in_init(struct irc_sasl_in *in);
void irc_sasl_in_fini(struct irc_sasl_in *in);
/* Adds one AUTHENTICATE parameter. Returns 1 when the payload is whole: its bytes in *out
 * (NUL-terminated, caller frees) and *out_len; 0 when more parameters must come; -1 when
 * it is malformed (not base64, a part over 400 bytes, a payload over IRC_SASL_IN_MAX).
 * After 1 or -1 the next parameter starts a new payload. */
int irc_sasl_in_add(struct irc_sasl_in *in, const char *param, char **out, size_t *out_len);

/* Calls cb with each AUTHENTICATE parameter that carries payload, in order. */
typedef void (*irc_sasl_param_cb)(const char *param, void *data);
void irc_sasl_out(const void *payload, size_t len, irc_sasl_param_cb cb, void *data);

#endif
