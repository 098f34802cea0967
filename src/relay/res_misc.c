/* SPDX-License-Identifier: MIT */
/* The small resources: handshake, version, hotlist, ping, sync (reference §5, §6) and token. */
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "base/json.h"
#include "base/jsonw.h"
#include "base/timefmt.h"
#include "encode.h"
#include "internal.h"
#include "tls/crypto.h"
#include "token.h"

void
relay__res_handshake(struct relay *relay, const struct relay_request *req,
                     struct relay_response *resp)
{
    const struct pjson *algos = pjson_get(req->body, "password_hash_algo");
    int best = -1;

    if (req->body && !pjson_is_object(req->body)) {
        relay_response_error(resp, 400, "Bad request");
        return;
    }
    if (algos && !pjson_is_array(algos)) {
        relay_response_error(resp, 400, "Invalid hash algorithm");
        return;
    }
    /* Five algorithms exist: a longer list is not a client's honest offer. */
    if (pjson_size(algos) > RELAY_HASH_ALGOS_MAX) {
        relay_response_error(resp, 400, "Bad request: too many hash algorithms (max: %d)",
                             RELAY_HASH_ALGOS_MAX);
        return;
    }
    pjson_for_each (item, algos) {
        const char *name = pjson_str(item);
        int algo;
        if (!name) {
            relay_response_error(resp, 400, "Invalid hash algorithm");
            return;
        }
        algo = relay_hash_algo_find(name);
        if (algo < 0) {
            relay_response_error(resp, 400, "Hash algorithm \"%s\" not found", name);
            return;
        }
        if (algo > best && relay_hash_algo_allowed(relay->cfg, (enum relay_hash_algo)algo))
            best = algo;
    }
    resp->status = 200;
    resp->body_type = "handshake";
    resp->body = pjson_object();
    if (best >= 0) {
        pjson_add_str(resp->body, "password_hash_algo", relay_hash_algo_name(best));
        relay__login_ahead_start(relay, (enum relay_hash_algo)best);
    } else
        pjson_add_null(resp->body, "password_hash_algo");
    pjson_add_int(resp->body, "password_hash_iterations", relay->cfg->hash_iterations);
    pjson_add_bool(resp->body, "totp", relay->cfg->totp_secret[0] != '\0');
}

/* "1.2.3" -> (1 << 24) + (2 << 16) + (3 << 8), the reference's encoding. */
static long
version_number(const char *version)
{
    int major = 0, minor = 0, patch = 0;

    sscanf(version, "%d.%d.%d", &major, &minor, &patch);
    return ((long)major << 24) + ((long)minor << 16) + ((long)patch << 8);
}

/* The same for every client until the config changes: kept (cache.c). */
void
relay__res_version(struct relay *relay, const struct relay_request *req,
                   struct relay_response *resp)
{
    if (relay__cache_get(relay, req->target, resp))
        return;
    resp->status = 200;
    resp->body_type = "version";
    resp->body = pjson_object();
    pjson_add_str(resp->body, "weechat_version", relay->version);
    pjson_add_str(resp->body, "weechat_version_git", "");
    pjson_add_int(resp->body, "weechat_version_number", version_number(relay->version));
    /* Clients compare the string exactly (WeeChat's /remote), so it is configured;
     * its number is (major << 16) + (minor << 8) + patch: 0.4.1 is 1025, 0.6.0 1536. */
    pjson_add_str(resp->body, "relay_api_version", relay->cfg->api_version);
    pjson_add_int(resp->body, "relay_api_version_number",
                  version_number(relay->cfg->api_version) >> 8);
    relay_response_body(resp);
    relay__cache_put(relay, req->target, resp);
}

void
relay__res_hotlist(struct relay *relay, const struct relay_request *req,
                   struct relay_response *resp)
{
    struct buf text;
    struct jsonw w;

    (void)req;
    buf_init(&text, (size_t)-1);
    jsonw_init(&w, &text);
    relay_encode_hotlist(&w, relay->core);
    relay_response_text(resp, "hotlist", &text);
}

void
relay__res_ping(struct relay *relay, const struct relay_request *req, struct relay_response *resp)
{
    const char *data = pjson_str(pjson_get(req->body, "data"));

    (void)relay;
    if (req->body && !pjson_is_object(req->body)) {
        relay_response_error(resp, 400, "Bad request");
        return;
    }
    if (!data) {
        resp->status = 204;
        return;
    }
    resp->status = 200;
    resp->body_type = "ping";
    resp->body = pjson_object();
    pjson_add_str(resp->body, "data", data);
}

/* A login token for later logins (a perch extension, token.h). */
void
relay__res_token(struct relay *relay, const struct relay_request *req, struct relay_response *resp)
{
    char token[RELAY_TOKEN_HEX_LEN + 1];
    int64_t expires;

    (void)req;
    if (relay_token_issue(relay->cfg, timefmt_now_s(), token, &expires) < 0) {
        relay_response_error(resp, 403, "Login tokens are disabled");
        return;
    }
    resp->status = 200;
    resp->body_type = "token";
    resp->body = pjson_object();
    pjson_add_str(resp->body, "token", token);
    pjson_add_int(resp->body, "expires", expires);
    tls_cleanse(token, sizeof(token));
}

/* perchd runs no scripts; clients that list them get an empty list. */
void
relay__res_scripts(struct relay *relay, const struct relay_request *req,
                   struct relay_response *resp)
{
    (void)relay;
    (void)req;
    resp->status = 200;
    resp->body_type = "scripts";
    resp->body = pjson_array();
}

static void
sync_flag(const struct pjson *body, const char *key, bool *flag)
{
    const struct pjson *v = pjson_get(body, key);

    /* Wrongly typed fields are ignored, as the reference does. */
    if (pjson_is_bool(v))
        *flag = pjson_true(v);
}

void
relay__res_sync(struct relay *relay, const struct relay_request *req, struct relay_response *resp)
{
    const char *colors = pjson_str(pjson_get(req->body, "colors"));
    enum core_color_mode mode = CORE_COLOR_ANSI;

    (void)relay;
    if (!req->is_websocket) {
        relay_response_error(resp, 403,
                             "Sync resource is available only with a websocket connection");
        return;
    }
    /* Every call starts from the defaults: options are not incremental. */
    resp->has_sync = true;
    resp->sync_enabled = true;
    resp->sync_nicks = true;
    resp->sync_input = true;
    sync_flag(req->body, "sync", &resp->sync_enabled);
    sync_flag(req->body, "nicks", &resp->sync_nicks);
    sync_flag(req->body, "input", &resp->sync_input);
    if (colors && core_color_mode_parse(colors, &mode) < 0)
        mode = CORE_COLOR_ANSI;
    resp->sync_colors = (int)mode;
    resp->status = 204;
}
