/* SPDX-License-Identifier: MIT */
#include "modelist.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

static void
modelist_clear(struct irc_modelist *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].mask);
        free(l->items[i].setter);
    }
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

void
irc_modelists_fini(struct irc_modelists *m)
{
    for (size_t i = 0; i < m->n; i++)
        modelist_clear(&m->lists[i]);
    m->n = 0;
}

struct irc_modelist *
irc_modelists_find(struct irc_modelists *m, char mode)
{
    for (size_t i = 0; i < m->n; i++) {
        if (m->lists[i].mode == mode)
            return &m->lists[i];
    }
    return NULL;
}

struct irc_modelist *
irc_modelists_get(struct irc_modelists *m, char mode)
{
    struct irc_modelist *l = irc_modelists_find(m, mode);

    if (l || m->n == IRC_MODELISTS_MAX)
        return l;
    l = &m->lists[m->n++];
    memset(l, 0, sizeof(*l));
    l->mode = mode;
    return l;
}

bool
irc_modelist_put(struct irc_modelist *l, int number, const char *mask, const char *setter,
                 int64_t when)
{
    struct irc_modelist_item *it;

    if (l->n == IRC_MODELIST_ITEMS_MAX || number < 1 || number > IRC_MODELIST_NUMBER_MAX ||
        (l->n && number <= l->items[l->n - 1].number))
        return false;
    l->items = xrealloc(l->items, (l->n + 1) * sizeof(*l->items));
    it = &l->items[l->n];
    it->number = number;
    it->mask = xstrdup(mask);
    it->setter = setter && setter[0] ? xstrdup(setter) : NULL;
    /* A date no clock gives is none: what an upgrade carries stays what was kept. */
    it->when = when >= 0 && when <= IRC_MODELIST_WHEN_MAX ? when : 0;
    l->n++;
    return true;
}

/* Appends a mask after the last number; 0 when full. */
static int
modelist_append(struct irc_modelist *l, const char *mask, const char *setter, int64_t when)
{
    int number = l->n ? l->items[l->n - 1].number + 1 : 1;

    return irc_modelist_put(l, number, mask, setter, when) ? number : 0;
}

int
irc_modelist_received(struct irc_modelist *l, const char *mask, const char *setter, int64_t when)
{
    if (!l->receiving)
        modelist_clear(l);
    l->receiving = true;
    return modelist_append(l, mask, setter, when);
}

void
irc_modelist_end(struct irc_modelist *l)
{
    if (!l->receiving)
        modelist_clear(l);
    l->receiving = false;
}

void
irc_modelist_add(struct irc_modelist *l, const char *mask, const char *setter, int64_t when)
{
    modelist_append(l, mask, setter, when);
}

void
irc_modelist_remove(struct irc_modelist *l, const char *mask)
{
    for (size_t i = 0; i < l->n; i++) {
        if (strcmp(l->items[i].mask, mask) == 0) {
            free(l->items[i].mask);
            free(l->items[i].setter);
            memmove(&l->items[i], &l->items[i + 1], (l->n - i - 1) * sizeof(*l->items));
            l->n--;
            return;
        }
    }
}

const char *
irc_modelist_mask(const struct irc_modelist *l, int number)
{
    for (size_t i = 0; l && i < l->n; i++) {
        if (l->items[i].number == number)
            return l->items[i].mask;
    }
    return NULL;
}
