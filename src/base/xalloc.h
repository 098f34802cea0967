/* SPDX-License-Identifier: MIT */
/* Allocation helpers that abort on out-of-memory, so callers never check. */
#ifndef PERCH_BASE_XALLOC_H
#define PERCH_BASE_XALLOC_H

#include <stddef.h>

/* Each returns memory the caller frees with free(); none ever returns NULL. */
void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
/* Copies len bytes of s and NUL-terminates the copy. */
char *xstrndup(const char *s, size_t len);

#endif
