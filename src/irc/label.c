/* SPDX-License-Identifier: MIT */
/* Labels of our commands waiting for their replies. */
#include "label.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

struct label {
    struct list link;
    char id[IRC_LABEL_LEN];
    enum irc_label_kind kind;
};

void
irc_labels_init(struct irc_labels *ls)
{
    list_init(&ls->pending);
    ls->n_pending = 0;
    ls->next = 0;
}

static void
label_free(struct irc_labels *ls, struct label *l)
{
    list_remove(&l->link);
    ls->n_pending--;
    free(l);
}

void
irc_labels_fini(struct irc_labels *ls)
{
    while (!list_is_empty(&ls->pending))
        label_free(ls, list_entry(ls->pending.next, struct label, link));
}

void
irc_labels_add(struct irc_labels *ls, enum irc_label_kind kind, char out[IRC_LABEL_LEN])
{
    struct label *l;

    /* A server that never answers some labels must not make the list grow. */
    if (ls->n_pending >= IRC_LABELS_MAX)
        label_free(ls, list_entry(ls->pending.next, struct label, link));
    l = xcalloc(1, sizeof(*l));
    snprintf(l->id, sizeof(l->id), "p%lu", ++ls->next);
    l->kind = kind;
    list_append(&ls->pending, &l->link);
    ls->n_pending++;
    memcpy(out, l->id, IRC_LABEL_LEN);
}

static struct label *
label_find(struct irc_labels *ls, const char *id)
{
    struct list *pos;

    if (!id)
        return NULL;
    list_for_each (pos, &ls->pending) {
        struct label *l = list_entry(pos, struct label, link);
        if (strcmp(l->id, id) == 0)
            return l;
    }
    return NULL;
}

enum irc_label_kind
irc_labels_kind(struct irc_labels *ls, const char *label)
{
    const struct label *l = label_find(ls, label);

    return l ? l->kind : IRC_LABEL_NONE;
}

void
irc_labels_done(struct irc_labels *ls, const char *label)
{
    struct label *l = label_find(ls, label);

    if (l)
        label_free(ls, l);
}
