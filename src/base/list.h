/* SPDX-License-Identifier: MIT */
/* Intrusive circular doubly-linked lists (the one list type in perch). */
#ifndef PERCH_BASE_LIST_H
#define PERCH_BASE_LIST_H

#include <stdbool.h>
#include <stddef.h>

struct list {
    struct list *prev;
    struct list *next;
};

#define list_entry(ptr, type, member) ((type *)((char *)(ptr)-offsetof(type, member)))
#define list_for_each(pos, head)      for ((pos) = (head)->next; (pos) != (head); (pos) = (pos)->next)
#define list_for_each_safe(pos, tmp, head)                           \
    for ((pos) = (head)->next, (tmp) = (pos)->next; (pos) != (head); \
         (pos) = (tmp), (tmp) = (pos)->next)

static inline void
list_init(struct list *l)
{
    l->prev = l;
    l->next = l;
}

static inline bool
list_is_empty(const struct list *l)
{
    return l->next == l;
}

/* Inserts item before pos (at the tail when pos is the head). */
static inline void
list_insert_before(struct list *pos, struct list *item)
{
    item->prev = pos->prev;
    item->next = pos;
    pos->prev->next = item;
    pos->prev = item;
}

static inline void
list_append(struct list *head, struct list *item)
{
    list_insert_before(head, item);
}

static inline void
list_remove(struct list *item)
{
    item->prev->next = item->next;
    item->next->prev = item->prev;
    list_init(item);
}

#endif
