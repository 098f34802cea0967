/* SPDX-License-Identifier: MIT */
/* Query string parameters shared by resources: counts and ids, each refused with a 400
 * naming the parameter. */
#include <errno.h>
#include <stdlib.h>

#include "http/url.h"
#include "internal.h"

int
relay__count_param(const struct relay_request *req, const char *name, long *v,
                   struct relay_response *resp)
{
    const char *text = http_url_param(&req->url, name);
    char *end;
    long value;

    if (!text)
        return 0;
    /* The whole value must be a base-10 long (leading blanks and a sign allowed). */
    errno = 0;
    value = strtol(text, &end, 10);
    if (!text[0] || errno || end == text || *end) {
        relay_response_error(resp, 400, "Invalid query string parameter \"%s\"", name);
        return -EINVAL;
    }
    *v = value;
    return 1;
}

int
relay__id_param(const struct relay_request *req, const char *name, int64_t *id,
                struct relay_response *resp)
{
    const char *text = http_url_param(&req->url, name);
    char *end;
    long long v;

    *id = -1;
    if (!text)
        return 0;
    errno = 0;
    v = strtoll(text, &end, 10);
    if (!text[0] || *end || errno || v < 0) {
        relay_response_error(resp, 400, "Invalid query string parameter \"%s\"", name);
        return -EINVAL;
    }
    *id = v;
    return 0;
}
