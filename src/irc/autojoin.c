/* SPDX-License-Identifier: MIT */
/*
 * The autojoin value ("#a,#b key" as /join takes it: the channels, then the keys of the
 * first ones) kept as the user joins and parts channels, so that a restart or a new
 * connection joins them again with their keys. I/O-free.
 */
#include "autojoin.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/xalloc.h"

struct autojoin_entry {
    char *channel;
    char *key; /* NULL: none */
};

struct autojoin_list {
    struct autojoin_entry *v;
    size_t n;
};

static void
autojoin_parse(const char *value, struct autojoin_list *l)
{
    char *copy = xstrdup(value ? value : ""), *keys = strchr(copy, ' '), *save = NULL;
    size_t k = 0;

    l->v = NULL;
    l->n = 0;
    if (keys)
        *keys++ = '\0';
    for (char *c = strtok_r(copy, ",", &save); c; c = strtok_r(NULL, ",", &save)) {
        l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
        l->v[l->n++] = (struct autojoin_entry){ .channel = xstrdup(c) };
    }
    save = NULL;
    for (char *key = keys ? strtok_r(keys, ",", &save) : NULL; key && k < l->n;
         key = strtok_r(NULL, ",", &save))
        l->v[k++].key = xstrdup(key);
    free(copy);
}

/* Channels with a key first (IRC pairs keys with the first channels), in their order. */
static char *
autojoin_format(const struct autojoin_list *l)
{
    struct buf chans, keys;
    size_t n = 0;

    buf_init(&chans, (size_t)-1);
    buf_init(&keys, (size_t)-1);
    for (int with_key = 1; with_key >= 0; with_key--) {
        for (size_t i = 0; i < l->n; i++) {
            if ((l->v[i].key != NULL) != with_key)
                continue;
            if (n++)
                buf_append_char(&chans, ',');
            buf_append_str(&chans, l->v[i].channel);
            if (with_key) {
                if (keys.len)
                    buf_append_char(&keys, ',');
                buf_append_str(&keys, l->v[i].key);
            }
        }
    }
    if (keys.len) {
        buf_append_char(&chans, ' ');
        buf_append(&chans, keys.data, keys.len);
    }
    buf_fini(&keys);
    return chans.data ? buf_steal(&chans, NULL) : xstrdup("");
}

static void
autojoin_free(struct autojoin_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].channel);
        free(l->v[i].key);
    }
    free(l->v);
}

static size_t
autojoin_find(const struct autojoin_list *l, const char *channel, enum irc_casemapping map)
{
    for (size_t i = 0; i < l->n; i++) {
        if (irc_casecmp(map, l->v[i].channel, channel) == 0)
            return i;
    }
    return l->n;
}

/* The new value, or NULL when it would not change. */
static char *
autojoin_done(struct autojoin_list *l, const char *value)
{
    char *out = autojoin_format(l);

    autojoin_free(l);
    if (strcmp(out, value ? value : "") == 0) {
        free(out);
        return NULL;
    }
    return out;
}

char *
irc_autojoin_add(const char *value, const char *channel, const char *key, enum irc_casemapping map)
{
    struct autojoin_list l;
    size_t i;

    if (!channel[0] || strpbrk(channel, ", ") || (key && (!key[0] || strpbrk(key, ", "))))
        return NULL;
    autojoin_parse(value, &l);
    i = autojoin_find(&l, channel, map);
    if (i == l.n) {
        l.v = xrealloc(l.v, (l.n + 1) * sizeof(*l.v));
        l.v[l.n++] = (struct autojoin_entry){ .channel = xstrdup(channel) };
    }
    /* A join without a key keeps the one known. */
    if (key) {
        free(l.v[i].key);
        l.v[i].key = xstrdup(key);
    }
    return autojoin_done(&l, value);
}

char *
irc_autojoin_remove(const char *value, const char *channel, enum irc_casemapping map)
{
    struct autojoin_list l;
    size_t i;

    autojoin_parse(value, &l);
    i = autojoin_find(&l, channel, map);
    if (i < l.n) {
        free(l.v[i].channel);
        free(l.v[i].key);
        memmove(l.v + i, l.v + i + 1, (l.n - i - 1) * sizeof(*l.v));
        l.n--;
    }
    return autojoin_done(&l, value);
}

bool
irc_autojoin_has(const char *value, const char *channel, enum irc_casemapping map)
{
    struct autojoin_list l;
    bool found;

    autojoin_parse(value, &l);
    found = autojoin_find(&l, channel, map) < l.n;
    autojoin_free(&l);
    return found;
}

char *
irc_autojoin_merge(const char *value, const char *raw, enum irc_casemapping map)
{
    struct autojoin_list add;
    char *out = xstrdup(value ? value : "");

    autojoin_parse(raw, &add);
    for (size_t i = 0; i < add.n; i++) {
        char *next = irc_autojoin_add(out, add.v[i].channel, add.v[i].key, map);
        if (next) {
            free(out);
            out = next;
        }
    }
    autojoin_free(&add);
    if (strcmp(out, value ? value : "") == 0) {
        free(out);
        return NULL;
    }
    return out;
}

struct autojoin_sort {
    enum irc_casemapping map;
    const char *const *order;
    size_t n_order;
};

/* Where a channel is in the order given: n_order when it is not there. */
static size_t
autojoin_rank(const struct autojoin_sort *sort, const char *channel)
{
    size_t i = 0;

    while (i < sort->n_order && irc_casecmp(sort->map, sort->order[i], channel) != 0)
        i++;
    return i;
}

static int
autojoin_compare(const void *pa, const void *pb, void *data)
{
    const struct autojoin_sort *sort = data;
    const struct autojoin_entry *a = pa, *b = pb;
    size_t ra = autojoin_rank(sort, a->channel), rb = autojoin_rank(sort, b->channel);

    if (ra != rb)
        return ra < rb ? -1 : 1;
    return irc_casecmp(sort->map, a->channel, b->channel);
}

char *
irc_autojoin_sort(const char *value, enum irc_casemapping map, const char *const *order,
                  size_t n_order)
{
    struct autojoin_sort sort = { map, order, n_order };
    struct autojoin_list l;

    autojoin_parse(value, &l);
    qsort_r(l.v, l.n, sizeof(*l.v), autojoin_compare, &sort);
    return autojoin_done(&l, value);
}
