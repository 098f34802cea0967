/* SPDX-License-Identifier: MIT */
/* POST /api/input and POST /api/completion (reference §6.5, §6.6). */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/json.h"
#include "base/xalloc.h"
#include "core/completion.h"
#include "core/core.h"
#include "internal.h"

/* The target buffer: buffer_name if a string, else buffer_id if a number, else the
 * core buffer (the reference's fallback, wrong types included). */
static struct core_buffer *
input_buffer(struct relay *relay, const struct pjson *body, struct relay_response *resp)
{
    const struct pjson *name = pjson_get(body, "buffer_name");
    const struct pjson *id = pjson_get(body, "buffer_id");
    struct core_buffer *b;

    if (pjson_is_string(name)) {
        b = core_buffer_by_full_name(relay->core, pjson_str(name));
        if (!pjson_str(name)[0])
            b = relay->core->core_buffer;
        if (!b)
            relay_response_error(resp, 404, "Buffer \"%s\" not found", pjson_str(name));
        return b;
    }
    if (pjson_is_number(id)) {
        double v = trunc(pjson_number(id));
        bool in_range = v >= -9e18 && v <= 9e18;
        b = in_range ? core_buffer_by_id(relay->core, (int64_t)v) : NULL;
        if (!b && in_range)
            relay_response_error(resp, 404, "Buffer \"%lld\" not found", (long long)v);
        else if (!b)
            /* Casting a number past int64 to an integer is undefined behaviour. */
            relay_response_error(resp, 404, "Buffer \"%.0f\" not found", v);
        return b;
    }
    return relay->core->core_buffer;
}

void
relay__res_input(struct relay *relay, const struct relay_request *req, struct relay_response *resp)
{
    const char *command = pjson_str(pjson_get(req->body, "command"));
    struct core_buffer *b;

    if (!pjson_is_object(req->body) || !command) {
        relay_response_error(resp, 400, "Bad request");
        return;
    }
    b = input_buffer(relay, req->body, resp);
    if (!b)
        return;
    resp->status = 204;
    resp->input_buffer_id = b->id;
    resp->input_command = xstrdup(command);
}

void
relay__res_completion(struct relay *relay, const struct relay_request *req,
                      struct relay_response *resp)
{
    const char *command = pjson_str(pjson_get(req->body, "command"));
    const struct pjson *position = pjson_get(req->body, "position");
    struct core_completion c;
    struct core_buffer *b;
    struct pjson *list;

    if (!pjson_is_object(req->body) || !command || (position && !pjson_is_number(position))) {
        relay_response_error(resp, 400, "Bad request");
        return;
    }
    b = input_buffer(relay, req->body, resp);
    if (!b)
        return;
    double pos = position ? pjson_number(position) : -1;
    core_completion_run(b, command, pos < 0 || pos > 1e9 ? -1 : (long)pos, &c);
    resp->status = 200;
    resp->body_type = "completion";
    resp->body = pjson_object();
    pjson_add_str(resp->body, "context", c.context);
    pjson_add_str(resp->body, "base_word", c.base_word);
    pjson_add_int(resp->body, "position_replace", c.position_replace);
    pjson_add_bool(resp->body, "add_space", c.add_space);
    list = pjson_array();
    for (size_t i = 0; i < c.n_list; i++)
        pjson_push(list, pjson_string(c.list[i]));
    pjson_add(resp->body, "list", list);
    core_completion_fini(&c);
}
