/* SPDX-License-Identifier: MIT */
/*
 * A channel's modes as WeeChat's irc plugin keeps them: one string such as "+ntk key",
 * modes without an argument first, modes with one at the end with their arguments, list
 * modes (CHANMODES type A) and nick modes (PREFIX) never stored. I/O-free.
 */
#ifndef PERCH_IRC_CHANMODES_H
#define PERCH_IRC_CHANMODES_H

#include <stddef.h>

struct irc_isupport;

/* The CHANMODES type of a mode: 'A' (list), 'B' (always an argument), 'C' (an argument when
 * set), 'D' (none, and any unknown mode); PREFIX modes are 'B'. */
char irc_chanmodes_type(const struct irc_isupport *is, char mode);

/*
 * The modes after a MODE change ("+l-k", its arguments args) or 324 (modes NULL or "")
 * applied to modes (NULL: none). Returns the new string (caller frees), NULL when no mode
 * is left. Missing arguments are tolerated.
 */
char *irc_chanmodes_apply(const struct irc_isupport *is, const char *modes, const char *change,
                          const char *const *args, size_t n_args);

/* The argument of mode in kept modes ("secret" for 'k' in "+ntk secret"), or NULL (caller
 * frees). */
char *irc_chanmodes_arg(const struct irc_isupport *is, const char *modes, char mode);

/* The buffer's "modes" property: "" for none; arguments cut when k is set
 * (irc.look.item_channel_modes_hide_args = "k"). Caller frees. */
char *irc_chanmodes_display(const char *modes);

#endif
