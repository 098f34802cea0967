/* SPDX-License-Identifier: MIT */
/* Lower-case hexadecimal text of binary data (digests in credentials and fingerprints). */
#ifndef PERCH_BASE_HEX_H
#define PERCH_BASE_HEX_H

#include <stddef.h>

/* Writes 2 * len hex digits and a NUL into out (2 * len + 1 bytes). */
void hex_encode(const void *bin, size_t len, char *out);

#endif
