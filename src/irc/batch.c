/* SPDX-License-Identifier: MIT */
/* IRCv3 batches: open ones, their held lines, and the order they are handed out in. */
#include "batch.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

void
irc_batches_init(struct irc_batches *bs)
{
    list_init(&bs->open);
    bs->n_open = 0;
    bs->bytes = 0;
}

static void
batch_free(struct irc_batches *bs, struct irc_batch *b)
{
    list_remove(&b->link);
    bs->n_open--;
    bs->bytes -= b->bytes;
    for (size_t i = 0; i < b->n_lines; i++)
        free(b->lines[i]);
    free(b->lines);
    irc_message_fini(&b->start);
    free(b);
}

void
irc_batches_fini(struct irc_batches *bs)
{
    while (!list_is_empty(&bs->open))
        batch_free(bs, list_entry(bs->open.next, struct irc_batch, link));
}

struct irc_batch *
irc_batches_find(struct irc_batches *bs, const char *ref)
{
    struct list *pos;

    if (!ref)
        return NULL;
    list_for_each (pos, &bs->open) {
        struct irc_batch *b = list_entry(pos, struct irc_batch, link);
        if (strcmp(b->ref, ref) == 0)
            return b;
    }
    return NULL;
}

static void
batch_copy_message(struct irc_message *to, const struct irc_message *from)
{
    memset(to, 0, sizeof(*to));
    to->tags = xcalloc(from->n_tags ? from->n_tags : 1, sizeof(*to->tags));
    for (size_t i = 0; i < from->n_tags; i++) {
        to->tags[i].key = xstrdup(from->tags[i].key);
        to->tags[i].value = xstrdup(from->tags[i].value);
        to->tags[i].has_value = from->tags[i].has_value;
    }
    to->n_tags = from->n_tags;
    to->command = xstrdup(from->command);
    for (size_t i = 0; i < from->n_params; i++)
        to->params[i] = xstrdup(from->params[i]);
    to->n_params = from->n_params;
}

int
irc_batches_start(struct irc_batches *bs, const struct irc_message *m)
{
    struct irc_batch *b;

    if (strcmp(m->command, "BATCH") != 0 || m->n_params < 2 || m->params[0][0] != '+' ||
        !m->params[0][1] || !m->params[1][0])
        return -EINVAL;
    if (irc_batches_find(bs, m->params[0] + 1))
        return -EEXIST;
    if (bs->n_open >= IRC_BATCHES_MAX)
        return -ENOSPC;
    b = xcalloc(1, sizeof(*b));
    batch_copy_message(&b->start, m);
    b->ref = b->start.params[0] + 1;
    b->parent = irc_message_tag(&b->start, "batch");
    list_append(&bs->open, &b->link);
    bs->n_open++;
    return 0;
}

bool
irc_batches_hold(struct irc_batches *bs, const struct irc_message *m, const char *line, size_t len)
{
    struct irc_batch *b = irc_batches_find(bs, irc_message_tag(m, "batch"));

    /* A BATCH line is never held: it opens or closes one (nested ones name their parent). */
    if (!b || strcmp(m->command, "BATCH") == 0)
        return false;
    if (bs->bytes + len > IRC_BATCH_BYTES_MAX)
        return false;
    b->lines = xrealloc(b->lines, (b->n_lines + 1) * sizeof(*b->lines));
    b->lines[b->n_lines++] = xstrndup(line, len);
    b->bytes += len;
    bs->bytes += len;
    return true;
}

const char *
irc_batch_type(const struct irc_batch *b)
{
    return b->start.params[1];
}

/* Ended, not handed out yet, and its parent (if still open) handed out already. */
static bool
batch_is_ready(struct irc_batches *bs, const struct irc_batch *b)
{
    const struct irc_batch *parent = irc_batches_find(bs, b->parent);

    return b->ended && !b->processed && (!parent || parent->processed);
}

/* Hands out every ended batch that is ready, round after round (a parent's end may release
 * children that ended before it), then frees them. */
static void
batches_release(struct irc_batches *bs, irc_batch_ready_cb ready_cb, void *data)
{
    struct list *pos, *tmp;
    bool more = true;

    while (more) {
        more = false;
        list_for_each (pos, &bs->open) {
            struct irc_batch *r = list_entry(pos, struct irc_batch, link);
            if (!batch_is_ready(bs, r))
                continue;
            ready_cb(r, data);
            r->processed = true;
            more = true;
        }
    }
    list_for_each_safe (pos, tmp, &bs->open) {
        struct irc_batch *r = list_entry(pos, struct irc_batch, link);
        if (r->processed)
            batch_free(bs, r);
    }
}

void
irc_batches_end(struct irc_batches *bs, const char *ref, irc_batch_ready_cb ready_cb, void *data)
{
    struct irc_batch *b = irc_batches_find(bs, ref);

    if (!b)
        return;
    b->ended = true;
    batches_release(bs, ready_cb, data);
}

void
irc_batches_flush(struct irc_batches *bs, irc_batch_ready_cb ready_cb, void *data)
{
    struct list *pos;

    list_for_each (pos, &bs->open)
        list_entry(pos, struct irc_batch, link)->ended = true;
    batches_release(bs, ready_cb, data);
}

int
irc_batch_message(const struct irc_batch *b, size_t i, struct irc_message *m)
{
    if (i >= b->n_lines || irc_message_parse(b->lines[i], strlen(b->lines[i]), m) < 0)
        return -EINVAL;
    for (size_t t = 0; t < b->start.n_tags; t++) {
        const struct irc_tag *tag = &b->start.tags[t];
        bool has = false;
        for (size_t k = 0; k < m->n_tags && !has; k++)
            has = strcmp(m->tags[k].key, tag->key) == 0;
        if (has)
            continue;
        m->tags = xrealloc(m->tags, (m->n_tags + 1) * sizeof(*m->tags));
        m->tags[m->n_tags].key = xstrdup(tag->key);
        m->tags[m->n_tags].value = xstrdup(tag->value);
        m->tags[m->n_tags].has_value = tag->has_value;
        m->n_tags++;
    }
    return 0;
}
