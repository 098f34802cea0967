/* SPDX-License-Identifier: MIT */
/* A network's autojoin value kept as channels are joined and parted (autojoin.c). */
#ifndef PERCH_IRC_AUTOJOIN_H
#define PERCH_IRC_AUTOJOIN_H

#include <stdbool.h>
#include <stddef.h>

#include "isupport.h"

/* value with channel in it (its key set when key is not NULL); value with channel taken
 * out. Each returns the new value (caller frees), or NULL when it is unchanged (or the
 * channel or key cannot be written in an autojoin value). */
char *irc_autojoin_add(const char *value, const char *channel, const char *key,
                       enum irc_casemapping map);
char *irc_autojoin_remove(const char *value, const char *channel, enum irc_casemapping map);
/* value with each channel (and key) of raw ("#a,#b keya" as /join takes it) in it; NULL when
 * unchanged. */
char *irc_autojoin_merge(const char *value, const char *raw, enum irc_casemapping map);
/* value sorted: the channels of order first, in that order, then the others by name (case
 * folded as map says); NULL when unchanged. */
char *irc_autojoin_sort(const char *value, enum irc_casemapping map, const char *const *order,
                        size_t n_order);
/* channel is in value. */
bool irc_autojoin_has(const char *value, const char *channel, enum irc_casemapping map);

#endif
