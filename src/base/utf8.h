/* SPDX-License-Identifier: MIT */
/* UTF-8 validation and repair at the edges where text enters perch. */
#ifndef PERCH_BASE_UTF8_H
#define PERCH_BASE_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True when s[0..len) is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates). */
bool utf8_is_valid(const char *s, size_t len);
/* Returns a NUL-terminated copy (caller frees) with each invalid byte replaced by U+FFFD. */
char *utf8_repair(const char *s, size_t len);
/* Number of code points in the first len bytes (invalid bytes count one each). */
size_t utf8_char_count(const char *s, size_t len);
/* Byte offset of the n-th code point, or len if the text is shorter. */
size_t utf8_char_offset(const char *s, size_t len, size_t n);

/* The code point at s[0..len) (len >= 1) in *cp; returns the bytes it takes: an invalid
 * byte takes 1 and reads as U+FFFD. */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);

#endif
