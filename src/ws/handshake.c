/* SPDX-License-Identifier: MIT */
/* The WebSocket opening handshake. */
#include "handshake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/xalloc.h"
#include "tls/crypto.h"

#define WS_GUID "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

void
ws_accept_key(const char *key, char out[WS_ACCEPT_LEN])
{
    unsigned char digest[TLS_HASH_MAX];
    int len = tls_hash(TLS_HASH_SHA1, key, strlen(key), WS_GUID, strlen(WS_GUID), digest);

    tls_base64_encode(digest, len > 0 ? (size_t)len : 0, out);
}

static char *
handshake_trim(char *s)
{
    char *end;

    while (*s == ' ' || *s == '\t')
        s++;
    end = s + strlen(s);
    while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
        *--end = '\0';
    return s;
}

/* Parses a window-bits value ("" when absent); returns the bits or -1. */
static int
handshake_bits(const char *value, int fallback)
{
    char *end;
    long v;

    if (!value)
        return fallback;
    if (*value == '"')
        value++;
    v = strtol(value, &end, 10);
    if (end == value || (*end && !(*end == '"' && !end[1])) || v < 8 || v > 15)
        return -1;
    return (int)v;
}

/* Fills params from one offer ("permessage-deflate; a; b=1"); false to decline it. */
static bool
handshake_offer(char *offer, struct ws_deflate_params *p, char *resp, size_t resp_len)
{
    char *save = NULL, *tok = strtok_r(offer, ";", &save);
    bool seen_snct = false, seen_cnct = false, seen_smwb = false, seen_cmwb = false;
    int smwb = 15, cmwb = 15;

    if (!tok || strcmp(handshake_trim(tok), "permessage-deflate") != 0)
        return false;
    while ((tok = strtok_r(NULL, ";", &save))) {
        char *name = handshake_trim(tok), *value = strchr(name, '=');
        if (value) {
            *value++ = '\0';
            name = handshake_trim(name);
            value = handshake_trim(value);
        }
        if (strcmp(name, "server_no_context_takeover") == 0 && !seen_snct && !value) {
            seen_snct = true;
        } else if (strcmp(name, "client_no_context_takeover") == 0 && !seen_cnct && !value) {
            seen_cnct = true;
        } else if (strcmp(name, "server_max_window_bits") == 0 && !seen_smwb) {
            seen_smwb = true;
            smwb = handshake_bits(value ? value : "", -1);
            if (!value || smwb < 9)
                return false;
        } else if (strcmp(name, "client_max_window_bits") == 0 && !seen_cmwb) {
            seen_cmwb = true;
            cmwb = handshake_bits(value, 15);
            if (cmwb < 0)
                return false;
        } else {
            return false;
        }
    }
    p->enabled = true;
    p->server_no_context_takeover = seen_snct;
    p->client_no_context_takeover = seen_cnct;
    p->server_max_window_bits = smwb;
    p->client_max_window_bits = cmwb;
    snprintf(resp, resp_len, "permessage-deflate%s%s",
             seen_snct ? "; server_no_context_takeover" : "",
             seen_cnct ? "; client_no_context_takeover" : "");
    if (seen_smwb)
        snprintf(resp + strlen(resp), resp_len - strlen(resp), "; server_max_window_bits=%d", smwb);
    if (seen_cmwb)
        snprintf(resp + strlen(resp), resp_len - strlen(resp), "; client_max_window_bits=%d", cmwb);
    return true;
}

void
ws_deflate_negotiate(const char *offers, struct ws_deflate_params *params, char *response,
                     size_t response_len)
{
    char *copy, *save = NULL;

    memset(params, 0, sizeof(*params));
    response[0] = '\0';
    if (!offers)
        return;
    copy = xstrdup(offers);
    for (char *offer = strtok_r(copy, ",", &save); offer; offer = strtok_r(NULL, ",", &save)) {
        if (handshake_offer(offer, params, response, response_len))
            break;
    }
    free(copy);
}
