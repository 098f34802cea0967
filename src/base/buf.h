/* SPDX-License-Identifier: MIT */
/* A growable byte buffer with a hard maximum size, always NUL-terminated. */
#ifndef PERCH_BASE_BUF_H
#define PERCH_BASE_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct buf {
    char *data; /* NUL-terminated after data[len]; NULL until first append */
    size_t len;
    size_t cap;
    size_t max; /* appends that would pass this fail with -ENOBUFS */
};

void buf_init(struct buf *b, size_t max);
void buf_fini(struct buf *b);
void buf_reset(struct buf *b);
/* Return 0, or -ENOBUFS when the result would exceed b->max (b unchanged). */
int buf_append(struct buf *b, const void *data, size_t len);
/* Makes room for extra more bytes at once (one allocation instead of several doublings). */
int buf_reserve(struct buf *b, size_t extra);
int buf_append_str(struct buf *b, const char *s);
int buf_append_char(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hands the bytes to the caller (free() them) and leaves b empty. */
char *buf_steal(struct buf *b, size_t *len);

#endif
