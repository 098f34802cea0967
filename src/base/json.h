/* SPDX-License-Identifier: MIT */
/*
 * The JSON wrapper: building compact documents with members in insertion order and
 * 64-bit integers always printed as integers, and parsing untrusted text with a
 * depth limit. The only file that knows the JSON library.
 */
#ifndef PERCH_BASE_JSON_H
#define PERCH_BASE_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pjson;

/* Builders: each returns a new value owned by the caller until added to a container. */
struct pjson *pjson_object(void);
struct pjson *pjson_array(void);
struct pjson *pjson_string(const char *s);
struct pjson *pjson_int(int64_t v);
struct pjson *pjson_bool(bool v);
struct pjson *pjson_null(void);
/* Deep copy. */
struct pjson *pjson_copy(const struct pjson *v);

/* Container adders: the container takes ownership of the value. */
void pjson_add(struct pjson *obj, const char *key, struct pjson *value);
void pjson_add_str(struct pjson *obj, const char *key, const char *s);
void pjson_add_int(struct pjson *obj, const char *key, int64_t v);
void pjson_add_bool(struct pjson *obj, const char *key, bool v);
void pjson_add_null(struct pjson *obj, const char *key);
void pjson_push(struct pjson *arr, struct pjson *value);

/* Compact text; the caller frees it. *len (if given) gets its length. */
char *pjson_print(const struct pjson *v, size_t *len);
void pjson_free(struct pjson *v);

/*
 * Parses the first JSON value of text[0..len) and ignores what follows it (the
 * reference relay does the same). Rejects nesting deeper than max_depth and text
 * that is not UTF-8. Returns NULL on malformed input.
 */
struct pjson *pjson_parse(const char *text, size_t len, int max_depth);

/* Readers: all accept NULL and then report "absent". */
struct pjson *pjson_get(const struct pjson *obj, const char *key);
bool pjson_is_object(const struct pjson *v);
bool pjson_is_array(const struct pjson *v);
bool pjson_is_string(const struct pjson *v);
bool pjson_is_number(const struct pjson *v);
bool pjson_is_bool(const struct pjson *v);
bool pjson_is_null(const struct pjson *v);
/* Valid while v lives; NULL if v is not a string. */
const char *pjson_str(const struct pjson *v);
double pjson_number(const struct pjson *v);
/* A number within [min, max] as an integer (its fraction dropped), else fallback: absent,
 * not a number, or out of range (casting such a double to an integer is undefined). */
int64_t pjson_integer(const struct pjson *v, int64_t min, int64_t max, int64_t fallback);
/* pjson_integer() over all of int64, 0 for anything else: ids and counts read from text. */
int64_t pjson_int64(const struct pjson *v);
bool pjson_true(const struct pjson *v);
/* Number of elements or members: walks them all, so call it once, not per element. */
size_t pjson_size(const struct pjson *v);
/* The i-th element: walks from the first, so only for small fixed indices. */
struct pjson *pjson_at(const struct pjson *arr, size_t i);
/* Iteration in constant time per step: the first element of an array (or member of an
 * object), then the next one; NULL at the end or when v is neither. */
struct pjson *pjson_first(const struct pjson *v);
struct pjson *pjson_next(const struct pjson *item);
#define pjson_for_each(item, v) \
    for (struct pjson *item = pjson_first(v); item; item = pjson_next(item))

#endif
