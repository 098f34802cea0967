/* SPDX-License-Identifier: MIT */
/*
 * A channel's list modes (CHANMODES type A: bans, exceptions, invites, quiets) as the server
 * last listed them, with the MODE changes seen since, numbered as WeeChat shows them: the
 * first mask of a list is 1, a new one gets the last number plus one, and numbers do not
 * move when a mask goes, so "/unban 3" names what the user saw as [3]. Bounded. I/O-free.
 */
#ifndef PERCH_IRC_MODELIST_H
#define PERCH_IRC_MODELIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Masks kept per list (more are shown, not kept), and lists per channel. */
#define IRC_MODELIST_ITEMS_MAX 1000
#define IRC_MODELISTS_MAX      16
/* Dates past this many seconds are kept as unknown (0). */
#define IRC_MODELIST_WHEN_MAX 1000000000000000LL
/* Numbers stop there (a billion masks set in one channel): no overflow. */
#define IRC_MODELIST_NUMBER_MAX 1000000000

struct irc_modelist_item {
    int number; /* 1 for the first */
    char *mask;
    char *setter; /* nick!user@host, or NULL */
    int64_t when; /* Unix seconds, 0 when unknown */
};

struct irc_modelist {
    char mode;
    bool receiving; /* a reply came, its end not yet */
    struct irc_modelist_item *items;
    size_t n;
};

struct irc_modelists {
    struct irc_modelist lists[IRC_MODELISTS_MAX];
    size_t n;
};

void irc_modelists_fini(struct irc_modelists *m);
/* The list of a mode, created when missing (NULL when IRC_MODELISTS_MAX are there). */
struct irc_modelist *irc_modelists_get(struct irc_modelists *m, char mode);
struct irc_modelist *irc_modelists_find(struct irc_modelists *m, char mode);

/* A reply of the list (367, 346, 348, 728): the first after the end of the last starts the
 * list anew. Returns the mask's number, or 0 when the list is full (not kept). */
int irc_modelist_received(struct irc_modelist *l, const char *mask, const char *setter,
                          int64_t when);
/* Its end (368, 347, 349, 729): a list that got no reply is empty. */
void irc_modelist_end(struct irc_modelist *l);
/* A MODE change: +mode adds the mask at the end, -mode removes the first equal mask. */
void irc_modelist_add(struct irc_modelist *l, const char *mask, const char *setter, int64_t when);
void irc_modelist_remove(struct irc_modelist *l, const char *mask);
/* An upgrade's restore: a mask with its number, which must be past the last one. False when
 * it is not, or the list is full. */
bool irc_modelist_put(struct irc_modelist *l, int number, const char *mask, const char *setter,
                      int64_t when);
/* The mask numbered number, or NULL. */
const char *irc_modelist_mask(const struct irc_modelist *l, int number);

#endif
