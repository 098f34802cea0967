/* SPDX-License-Identifier: MIT */
/*
 * IRC messages (RFC 1459 / 2812 with IRCv3 message-tags): parsing a received line into
 * tags, source, command and parameters, formatting one to send, and splitting text at
 * the server's byte limit on UTF-8 character boundaries. No I/O.
 */
#ifndef PERCH_IRC_MESSAGE_H
#define PERCH_IRC_MESSAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"

/* The tag section a server sends, '@' and the space after it included (IRCv3 message-tags). */
#define IRC_TAGS_MAX_BYTES 8191
/* The tags a client may send, '@' and the space included: the server adds its own to the
 * rest of the 8191 bytes (IRCv3 message-tags, "Size limit"). */
#define IRC_CLIENT_TAGS_MAX_BYTES 4094
/* The rest of a line, CR LF included (RFC 1459 2.3). */
#define IRC_LINE_MAX 512
/* Parameters a message may carry; more are joined into the last (RFC 2812 2.3.1). */
#define IRC_PARAMS_MAX 15

struct irc_tag {
    char *key;      /* with its '+' (client tag) and vendor prefix */
    char *value;    /* unescaped; "" when the tag had no value */
    bool has_value; /* "key=" (even empty) rather than "key": WeeChat's line tags differ */
};

struct irc_message {
    struct irc_tag *tags;
    size_t n_tags;
    char *source; /* "nick!user@host", a server name, or NULL */
    char *nick;   /* the source split up: nick (or server name), user and host, or NULL */
    char *user;
    char *host;
    char *command; /* upper case; numerics as their three digits */
    char *params[IRC_PARAMS_MAX];
    size_t n_params;
    bool ignored;           /* set by the receiver: /ignore matches it, nothing of it is shown */
    const char *batch_type; /* set by the receiver: the type of the known batch it came in */
};

/*
 * Parses one line without its CR LF. Bytes are kept as they came (invalid UTF-8
 * included: showing it is the caller's business). Returns 0, or -EINVAL when there is
 * no command, a NUL, CR or LF inside, or a command that is neither letters nor three
 * digits; msg is then empty.
 */
int irc_message_parse(const char *line, size_t len, struct irc_message *msg);
void irc_message_fini(struct irc_message *msg);
/* Parameters from..end joined with spaces ("" when none), as WeeChat's
 * irc_protocol_string_params gives the text of numerics and notices. Caller frees. */
char *irc_message_params_join(const struct irc_message *m, size_t from);
/* The unescaped value of a tag, NULL when the message does not carry it. */
const char *irc_message_tag(const struct irc_message *msg, const char *key);

/* Tag value escaping both ways (IRCv3: \: ; \s space \\ \ \r CR \n LF). */
char *irc_tag_unescape(const char *value, size_t len);
int irc_tag_escape(struct buf *out, const char *value);
/* Whether key is a tag name one may send: ['+'][vendor '/']name, letters, digits, '-' (and '.'
 * in the vendor). */
bool irc_tag_key_is_valid(const char *key);

/*
 * Appends one message ready to send, CR LF included: optional tags (escaped; a NULL or ""
 * value sends the key alone), the command and its parameters, the last with ':' when it
 * needs one. Returns -EINVAL (out unchanged) when any part holds NUL, CR or LF, a tag key
 * is not valid, a parameter before the last is empty, starts with ':' or holds a space, or
 * the tags (IRC_CLIENT_TAGS_MAX_BYTES) or the rest (IRC_LINE_MAX) pass their limits.
 */
int irc_message_format(struct buf *out, const struct irc_tag *tags, size_t n_tags,
                       const char *command, const char *const *params, size_t n_params);

/*
 * The length of the first piece of text that fits in max bytes (max >= 4): all of it
 * when it fits, else cut at the last space in the piece's second half (the space goes
 * with neither piece), or on a UTF-8 character boundary. *next is where the next piece
 * starts.
 */
size_t irc_split_text(const char *text, size_t len, size_t max, size_t *next);

#endif
