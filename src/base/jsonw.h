/* SPDX-License-Identifier: MIT */
/*
 * A streaming JSON writer: values appended to one buffer as they come, no tree of nodes.
 * Its text is byte for byte what base/json.c prints for the same document (compact,
 * members in the order written, cJSON's escapes, integers exact, strings that are not
 * UTF-8 repaired), so that either may produce any answer.
 */
#ifndef PERCH_BASE_JSONW_H
#define PERCH_BASE_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* Containers nest at most this deep (the encoders' documents are shallow). */
#define JSONW_DEPTH_MAX 64

struct jsonw {
    struct buf *out;
    uint64_t has_items; /* bit d: the container at depth d has an element already */
    int depth;
    bool after_key; /* the next value is a member's: no comma before it */
};

/* Writes into out (appending; out keeps ownership of its bytes). */
void jsonw_init(struct jsonw *w, struct buf *out);
void jsonw_object_begin(struct jsonw *w);
void jsonw_object_end(struct jsonw *w);
void jsonw_array_begin(struct jsonw *w);
void jsonw_array_end(struct jsonw *w);
/* A member's name; its value is the next thing written. */
void jsonw_key(struct jsonw *w, const char *key);
/* A string value (NULL writes ""). */
void jsonw_str(struct jsonw *w, const char *s);
void jsonw_strn(struct jsonw *w, const char *s, size_t len);
void jsonw_int(struct jsonw *w, int64_t v);
void jsonw_bool(struct jsonw *w, bool v);
void jsonw_null(struct jsonw *w);
/* A value already written as JSON text (trusted: copied as it is). */
void jsonw_raw(struct jsonw *w, const char *json, size_t len);

/* Members: the key, then the value. */
void jsonw_member_str(struct jsonw *w, const char *key, const char *s);
void jsonw_member_int(struct jsonw *w, const char *key, int64_t v);
void jsonw_member_bool(struct jsonw *w, const char *key, bool v);
void jsonw_member_null(struct jsonw *w, const char *key);

#endif
