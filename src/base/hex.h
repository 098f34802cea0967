/* SPDX-License-Identifier: MIT */
/* Hexadecimal text of binary data and back (digests in credentials, fingerprints, keys). */
#ifndef PERCH_BASE_HEX_H
#define PERCH_BASE_HEX_H

#include <stddef.h>

/* Writes 2 * len hex digits and a NUL into out (2 * len + 1 bytes). */
void hex_encode(const void *bin, size_t len, char *out);
/* The value of a hex digit (either case), or -1. */
int hex_digit_value(char c);
/* Reads len hex digits (either case) into len / 2 bytes at out. Returns len / 2, or -1 for an
 * odd length or a character that is not a hex digit (out then partly written). */
int hex_decode(const char *hex, size_t len, void *out);

#endif
