/* SPDX-License-Identifier: MIT */
/* Reference-counted bytes. */
#include "rbuf.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

struct rbuf *
rbuf_new(const void *data, size_t len)
{
    struct rbuf *r = xmalloc(sizeof(*r));

    r->refs = 1;
    r->len = len;
    r->block = xmalloc(len ? len : 1);
    if (len)
        memcpy(r->block, data, len);
    r->data = r->block;
    return r;
}

struct rbuf *
rbuf_from_buf(struct buf *b, size_t skip)
{
    struct rbuf *r = xmalloc(sizeof(*r));
    size_t len;

    r->refs = 1;
    r->block = buf_steal(b, &len);
    r->data = r->block + skip;
    r->len = len - skip;
    return r;
}

struct rbuf *
rbuf_ref(struct rbuf *r)
{
    r->refs++;
    return r;
}

void
rbuf_unref(struct rbuf *r)
{
    if (!r || --r->refs > 0)
        return;
    free(r->block);
    free(r);
}
