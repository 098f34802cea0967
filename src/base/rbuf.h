/* SPDX-License-Identifier: MIT */
/*
 * Reference-counted bytes: one encoded event, frame or answer body shared by every queue
 * that sends it, freed when the last one lets go. Single-threaded (the loop's).
 */
#ifndef PERCH_BASE_RBUF_H
#define PERCH_BASE_RBUF_H

#include <stddef.h>

#include "buf.h"

struct rbuf {
    unsigned refs;
    size_t len;
    const char *data; /* len bytes, inside the block below */
    char *block;      /* what free() takes */
};

/* A copy of data[0..len), with one reference (the caller's). */
struct rbuf *rbuf_new(const void *data, size_t len);
/* Takes b's bytes without copying them: the rbuf holds b->data[skip..b->len), b is left empty.
 * One reference (the caller's). */
struct rbuf *rbuf_from_buf(struct buf *b, size_t skip);
/* Another reference to r; returns r. */
struct rbuf *rbuf_ref(struct rbuf *r);
/* Drops one reference; the last one frees. Accepts NULL. */
void rbuf_unref(struct rbuf *r);

#endif
