/* SPDX-License-Identifier: MIT */
/* The JSON wrapper around cJSON: compact, ordered, integer-exact output. */
#include "json.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"
#include "xalloc.h"

/* struct pjson is never defined: it is a cJSON seen through an opaque name. */
#define CJ(v)  ((cJSON *)(v))
#define CCJ(v) ((const cJSON *)(v))
#define PJ(v)  ((struct pjson *)(v))

static struct pjson *
pjson_checked(cJSON *v)
{
    if (!v) {
        fprintf(stderr, "perch: out of memory (json)\n");
        abort();
    }
    return PJ(v);
}

struct pjson *
pjson_object(void)
{
    return pjson_checked(cJSON_CreateObject());
}

struct pjson *
pjson_array(void)
{
    return pjson_checked(cJSON_CreateArray());
}

/* Everything perch prints is JSON text, UTF-8 by definition (RFC 8259 8.1), and much
 * of it goes in WebSocket text frames, which a client fails on bad UTF-8: strings
 * that carry other bytes (a percent-decoded path, a truncated message) are repaired. */
struct pjson *
pjson_string(const char *s)
{
    char *repaired;
    cJSON *v;

    if (!s)
        s = "";
    if (utf8_is_valid(s, strlen(s)))
        return pjson_checked(cJSON_CreateString(s));
    repaired = utf8_repair(s, strlen(s));
    v = cJSON_CreateString(repaired);
    free(repaired);
    return pjson_checked(v);
}

/* cJSON keeps numbers as doubles and prints large ones in exponent form; ids
 * must stay exact integers, so they are stored as raw number text. */
struct pjson *
pjson_int(int64_t v)
{
    char text[24];

    snprintf(text, sizeof(text), "%" PRId64, v);
    return pjson_checked(cJSON_CreateRaw(text));
}

struct pjson *
pjson_bool(bool v)
{
    return pjson_checked(cJSON_CreateBool(v));
}

struct pjson *
pjson_null(void)
{
    return pjson_checked(cJSON_CreateNull());
}

struct pjson *
pjson_copy(const struct pjson *v)
{
    return pjson_checked(cJSON_Duplicate(CCJ(v), 1));
}

void
pjson_add(struct pjson *obj, const char *key, struct pjson *value)
{
    char *repaired;

    if (utf8_is_valid(key, strlen(key))) {
        cJSON_AddItemToObject(CJ(obj), key, CJ(value));
        return;
    }
    repaired = utf8_repair(key, strlen(key));
    cJSON_AddItemToObject(CJ(obj), repaired, CJ(value));
    free(repaired);
}

void
pjson_add_str(struct pjson *obj, const char *key, const char *s)
{
    pjson_add(obj, key, pjson_string(s));
}

void
pjson_add_int(struct pjson *obj, const char *key, int64_t v)
{
    pjson_add(obj, key, pjson_int(v));
}

void
pjson_add_bool(struct pjson *obj, const char *key, bool v)
{
    pjson_add(obj, key, pjson_bool(v));
}

void
pjson_add_null(struct pjson *obj, const char *key)
{
    pjson_add(obj, key, pjson_null());
}

void
pjson_push(struct pjson *arr, struct pjson *value)
{
    cJSON_AddItemToArray(CJ(arr), CJ(value));
}

char *
pjson_print(const struct pjson *v, size_t *len)
{
    char *text = cJSON_PrintUnformatted(CCJ(v));

    if (!text) {
        fprintf(stderr, "perch: out of memory (json print)\n");
        abort();
    }
    if (len)
        *len = strlen(text);
    return text;
}

void
pjson_free(struct pjson *v)
{
    cJSON_Delete(CJ(v));
}

/* Measures nesting of the first value without parsing it, so that hostile input
 * cannot drive the parser's recursion past max_depth. */
static bool
pjson_depth_ok(const char *text, size_t len, int max_depth)
{
    int depth = 0;
    bool in_string = false;

    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (in_string) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            if (++depth > max_depth)
                return false;
        } else if (c == '}' || c == ']') {
            if (--depth <= 0)
                return true;
        }
    }
    return true;
}

struct pjson *
pjson_parse(const char *text, size_t len, int max_depth)
{
    /* JSON text is UTF-8 (RFC 8259 8.1); other bytes would come back out in answers. */
    if (!text || len == 0 || !pjson_depth_ok(text, len, max_depth) || !utf8_is_valid(text, len))
        return NULL;
    return PJ(cJSON_ParseWithLength(text, len));
}

struct pjson *
pjson_get(const struct pjson *obj, const char *key)
{
    if (!cJSON_IsObject(CCJ(obj)))
        return NULL;
    return PJ(cJSON_GetObjectItemCaseSensitive(CCJ(obj), key));
}

bool
pjson_is_object(const struct pjson *v)
{
    return cJSON_IsObject(CCJ(v));
}

bool
pjson_is_array(const struct pjson *v)
{
    return cJSON_IsArray(CCJ(v));
}

bool
pjson_is_string(const struct pjson *v)
{
    return cJSON_IsString(CCJ(v));
}

bool
pjson_is_number(const struct pjson *v)
{
    return cJSON_IsNumber(CCJ(v));
}

bool
pjson_is_bool(const struct pjson *v)
{
    return cJSON_IsBool(CCJ(v));
}

bool
pjson_is_null(const struct pjson *v)
{
    return cJSON_IsNull(CCJ(v));
}

const char *
pjson_str(const struct pjson *v)
{
    return cJSON_IsString(CCJ(v)) ? CCJ(v)->valuestring : NULL;
}

double
pjson_number(const struct pjson *v)
{
    return cJSON_IsNumber(CCJ(v)) ? CCJ(v)->valuedouble : 0.0;
}

int64_t
pjson_integer(const struct pjson *v, int64_t min, int64_t max, int64_t fallback)
{
    double d = pjson_number(v);
    int64_t i;

    /* The cast only once the double is inside int64's range (NaN fails both tests). */
    if (!cJSON_IsNumber(CCJ(v)) || !(d >= -9.2e18 && d <= 9.2e18))
        return fallback;
    i = (int64_t)d;
    return i >= min && i <= max ? i : fallback;
}

int64_t
pjson_int64(const struct pjson *v)
{
    return pjson_integer(v, INT64_MIN, INT64_MAX, 0);
}

bool
pjson_true(const struct pjson *v)
{
    return cJSON_IsTrue(CCJ(v));
}

size_t
pjson_size(const struct pjson *v)
{
    return cJSON_IsArray(CCJ(v)) || cJSON_IsObject(CCJ(v)) ? (size_t)cJSON_GetArraySize(CCJ(v)) : 0;
}

struct pjson *
pjson_at(const struct pjson *arr, size_t i)
{
    return PJ(cJSON_GetArrayItem(CCJ(arr), (int)i));
}

struct pjson *
pjson_first(const struct pjson *v)
{
    return cJSON_IsArray(CCJ(v)) || cJSON_IsObject(CCJ(v)) ? PJ(CCJ(v)->child) : NULL;
}

struct pjson *
pjson_next(const struct pjson *item)
{
    return item ? PJ(CCJ(item)->next) : NULL;
}
