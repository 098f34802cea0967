/* SPDX-License-Identifier: MIT */
/* CTCP: a PRIVMSG or NOTICE text framed by \001 ("\001VERSION\001", "\001ACTION waves\001"). */
#ifndef PERCH_IRC_CTCP_H
#define PERCH_IRC_CTCP_H

#include <stdbool.h>

#include "base/buf.h"

/* Splits a CTCP text: *command (upper case, caller frees) and *args (caller frees, "" when
 * none). The closing \001 may be missing, as many clients send. False for plain text. */
bool irc_ctcp_parse(const char *text, char **command, char **args);
/* Appends "\001COMMAND ARGS\001" (args may be NULL or ""). */
int irc_ctcp_format(struct buf *out, const char *command, const char *args);

#endif
