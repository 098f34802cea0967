/* SPDX-License-Identifier: MIT */
/*
 * Nick masks as WeeChat's channel commands use them: "*" as the only wildcard, compared as
 * the server folds case ([ ] \ are plain characters, as nicks hold them), and the default
 * ban mask of a nick whose user@host is known. I/O-free.
 */
#ifndef PERCH_IRC_MASKS_H
#define PERCH_IRC_MASKS_H

#include <stdbool.h>

#include "isupport.h"

/* True when name matches mask, where "*" stands for any text (also none). */
bool irc_mask_match(enum irc_casemapping map, const char *mask, const char *name);

/* "*!ident@host" for a nick seen as user@host (ident: the user, or "*" for a user the
 * server could not verify, "~name"): WeeChat's default irc.network.ban_mask_default.
 * NULL without a host. Caller frees. */
char *irc_mask_default_ban(const char *user_host);

#endif
