/* SPDX-License-Identifier: MIT */
/*
 * What a server says about itself in RPL_ISUPPORT (005): the tokens as sent, and the
 * ones perch acts on (mode prefixes, channel types, case mapping, limits), with the
 * defaults RFC 1459 implies until the server says otherwise.
 */
#ifndef PERCH_IRC_ISUPPORT_H
#define PERCH_IRC_ISUPPORT_H

#include <stdbool.h>
#include <stddef.h>

struct irc_message;

enum irc_casemapping {
    IRC_CASEMAPPING_RFC1459, /* A-Z [ ] \ ~ fold to a-z { } | ^ (the default) */
    IRC_CASEMAPPING_STRICT_RFC1459,
    IRC_CASEMAPPING_ASCII,
};

struct irc_isupport {
    char **keys; /* every token, as sent (values unescaped) */
    char **values;
    size_t n;
    /* PREFIX=(modes)chars, highest rank first: "ov" and "@+" by default. */
    char prefix_modes[32];
    char prefix_chars[32];
    char chantypes[32];
    enum irc_casemapping casemapping;
    int linelen; /* LINELEN, or 512 */
    int modes;   /* MODES: changes with an argument per MODE line, 1 to 128 (4 unsaid) */
};

/* WeeChat's figures: a MODES without a number (no limit) counts as the default. */
#define IRC_MODES_DEFAULT 4
#define IRC_MODES_MAX     128

void irc_isupport_init(struct irc_isupport *is);
void irc_isupport_fini(struct irc_isupport *is);
/* Applies the tokens of one 005 message (params between the nick and the last). */
void irc_isupport_apply(struct irc_isupport *is, const struct irc_message *m);
/* Sets one token to a value already unescaped (as kept in values: an upgrade carries them). */
void irc_isupport_put(struct irc_isupport *is, const char *key, const char *value);
/* The value of a token ("" for a token without one), NULL when not announced. */
const char *irc_isupport_get(const struct irc_isupport *is, const char *key);

/* The mode a prefix character stands for ('@' -> 'o'), or 0. */
char irc_isupport_prefix_mode(const struct irc_isupport *is, char prefix);
/* The prefix character of a mode ('o' -> '@'), or 0. */
char irc_isupport_mode_prefix(const struct irc_isupport *is, char mode);
/* The rank of a mode or prefix (0 = highest), or -1. */
int irc_isupport_prefix_rank(const struct irc_isupport *is, char mode_or_prefix);
/* True when name starts with one of the channel types. */
bool irc_isupport_is_channel(const struct irc_isupport *is, const char *name);
/* The channel a message to target is for: target itself, or the channel of "@#c" (*status
 * set); NULL for a nick. */
const char *irc_isupport_target_channel(const struct irc_isupport *is, const char *target,
                                        bool *status);

/* Comparison of nicks and channel names as the server folds case. */
int irc_casecmp(enum irc_casemapping map, const char *a, const char *b);
char irc_tolower(enum irc_casemapping map, char c);

#endif
