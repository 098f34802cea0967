/* SPDX-License-Identifier: MIT */
/*
 * Texts of presence changes as WeeChat's irc plugin prints them (irc-protocol.c and
 * irc-notify.c, default options), colour codes included: account-notify, chghost,
 * setname, INVITE and invite-notify, and MONITOR's online/offline lines. I/O-free; every
 * builder returns a string the caller frees. Colour arguments are codes from look.h or
 * irc_look_nick_color().
 */
#ifndef PERCH_IRC_LOOK_PRESENCE_H
#define PERCH_IRC_LOOK_PRESENCE_H

#include <stdbool.h>

/* ACCOUNT: "N has identified as acct" (the account in its own nick colour), or with
 * account NULL "N has unidentified". */
char *irc_look_account(const char *nick_color, const char *nick, const char *account_color,
                       const char *account);
/* CHGHOST: "N (old@host) has changed host to new@host" (old_host NULL: "()"). */
char *irc_look_chghost(const char *nick_color, const char *nick, const char *old_host,
                       const char *new_host);
/* SETNAME of someone: "N has changed real name to "x""; ours (nick NULL): "Your real name
 * has been set to "x"". */
char *irc_look_setname(const char *nick_color, const char *nick, const char *realname);
/* INVITE to us: "You have been invited to #c by N". */
char *irc_look_invited(const char *channel, const char *nick_color, const char *nick);
/* invite-notify: "N has invited X to #c". */
char *irc_look_invite(const char *nick_color, const char *nick, const char *target_color,
                      const char *target, const char *channel);
/* MONITOR (irc_notify_display_is_on): "notify: N (H) is connected" / "is offline" when the
 * state was not known before (first), else "has connected" / "has quit"; host NULL or "":
 * no parentheses. */
char *irc_look_notify(const char *nick_color, const char *nick, const char *host, bool online,
                      bool first);

/* 354 (WHOX "%cuhsnfdar"): "[#c] N [account] (user@host) status hopcount (Real Name)". */
char *irc_look_whox(const char *channel, const char *nick_color, const char *nick,
                    const char *account, const char *user, const char *host, const char *status,
                    const char *hopcount, const char *realname);

#endif
