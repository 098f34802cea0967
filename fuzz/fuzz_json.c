/* SPDX-License-Identifier: MIT */
/*
 * Fuzzes JSON request bodies: parsing under the depth limit, printing (which must be
 * stable: what perch prints parses back to the same text), every reader, and the
 * body given to each resource that takes one, over a small core; an input command
 * the body carries (POST /api/input) runs through the core's command dispatch. The
 * input's bytes as a string must also come out of the streaming writer (base/jsonw.c)
 * exactly as the tree prints them: escapes and UTF-8 repair alike.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/json.h"
#include "base/jsonw.h"
#include "relay_fixture.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAX_DEPTH 32

/* Reads every value the way handlers do; returns how many values were seen. */
static size_t
walk(const struct pjson *v)
{
    size_t n = 1;

    (void)pjson_is_bool(v);
    (void)pjson_true(v);
    (void)pjson_is_null(v);
    (void)pjson_number(v);
    if (pjson_integer(v, -5, 5, 7) != 7 && !pjson_is_number(v))
        abort();
    (void)pjson_integer(v, INT64_MIN, INT64_MAX, 0);
    (void)pjson_str(v);
    if (pjson_is_object(v) || pjson_is_array(v)) {
        for (size_t i = 0; i < pjson_size(v); i++)
            n += walk(pjson_at(v, i));
    }
    return n;
}

/* Printing then parsing then printing again gives the same text. */
static void
check_print_stable(const struct pjson *v)
{
    size_t len, len2;
    char *text = pjson_print(v, &len);
    struct pjson *again = pjson_parse(text, len, FUZZ_MAX_DEPTH + 1);
    char *text2;

    if (!again)
        abort();
    text2 = pjson_print(again, &len2);
    if (len != len2 || memcmp(text, text2, len) != 0)
        abort();
    free(text2);
    pjson_free(again);
    free(text);
}

static void
route_as_body(const struct pjson *body)
{
    static const char *const targets[] = {
        "/api/handshake", "/api/input", "/api/completion", "/api/ping", "/api/sync",
    };

    for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
        (void)relay_fixture_route(relay_fixture_config(), "POST", targets[i], body, i == 4);
    }
}

/* Any bytes (up to a NUL, as C strings end) as a string value and as a member name. */
static void
check_writer_matches(const uint8_t *data, size_t size)
{
    char *s = strndup((const char *)data, size);
    struct pjson *o = pjson_object();
    struct buf out;
    struct jsonw w;
    size_t len;
    char *expected;

    pjson_add_str(o, s, s);
    expected = pjson_print(o, &len);
    buf_init(&out, (size_t)-1);
    jsonw_init(&w, &out);
    jsonw_object_begin(&w);
    jsonw_member_str(&w, s, s);
    jsonw_object_end(&w);
    if (out.len != len || memcmp(out.data, expected, len) != 0)
        abort();
    buf_fini(&out);
    free(expected);
    pjson_free(o);
    free(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pjson *v = pjson_parse((const char *)data, size, FUZZ_MAX_DEPTH);
    struct pjson *copy;

    check_writer_matches(data, size);
    /* A shallower limit must refuse what it cannot parse, never crash. */
    pjson_free(pjson_parse((const char *)data, size, 2));
    if (!v)
        return 0;
    (void)walk(v);
    check_print_stable(v);
    copy = pjson_copy(v);
    check_print_stable(copy);
    pjson_free(copy);
    route_as_body(v);
    pjson_free(v);
    return 0;
}
