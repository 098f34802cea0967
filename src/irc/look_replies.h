/* SPDX-License-Identifier: MIT */
/*
 * Texts of the server's answers to questions (/version, /ison, /list, /knock...) and of
 * WALLOPS, as WeeChat's irc plugin prints them (irc-protocol.c, default options), colour
 * codes included. I/O-free; every builder returns a string the caller frees. Colour
 * arguments are codes from look.h or irc_look_nick_color(); text from the server has its
 * IRC formatting turned into WeeChat's.
 */
#ifndef PERCH_IRC_LOOK_REPLIES_H
#define PERCH_IRC_LOOK_REPLIES_H

/* irc_protocol_nick_address: "N (address)", or "N" alone when there is no address or it
 * is the nick; "" without a nick. */
char *irc_look_nick_address(const char *nick_color, const char *nick, const char *address);
/* 008: "Server notice mask for N: +cC". */
char *irc_look_snomask(const char *nick_color, const char *nick, const char *mask);
/* 303: "Users online: a b". */
char *irc_look_users_online(const char *nicks);
/* 327: "[N] host ip (Real Name)" (realname NULL or "": no parentheses). */
char *irc_look_whois_host(const char *nick_color, const char *nick, const char *host,
                          const char *ip, const char *realname);
/* 350: "[N] (hostmask, ip) text", each of hostmask and ip NULL when unknown ("*"). */
char *irc_look_whois_gateway(const char *nick_color, const char *nick, const char *hostmask,
                             const char *ip, const char *text);
/* 344 on a channel: "Channel reop #c: host". */
char *irc_look_reop(const char *channel, const char *host);
/* 345, KNOCK's 711-714: "#c: text". */
char *irc_look_channel_says(const char *channel, const char *text);
/* 351: "version server (comments)" (comments NULL or "": none). */
char *irc_look_version(const char *version, const char *server, const char *comments);
/* 438: "text (nick => new)", or "nick new" without a text. */
char *irc_look_nick_refused(const char *nick, const char *new_nick, const char *text);
/* 710: "N (address) has asked for an invite", or N's own words instead of the last part. */
char *irc_look_knock(const char *nick_address, const char *message);
/* WALLOPS: "Wallops from N (address): text". */
char *irc_look_wallops(const char *nick_address, const char *text);
/* 973-975: "mode: text" (text NULL or "": the mode alone). */
char *irc_look_mode_reason(const char *mode, const char *text);
/* 321 (/list's header): "Channel Users Name". */
char *irc_look_list_start(const char *first, const char *rest);
/* 322: "#c(42): topic" (topic NULL or "": no colon). */
char *irc_look_list_item(const char *channel, const char *users, const char *topic);

#endif
