/* SPDX-License-Identifier: MIT */
/*
 * The value of the IRCv3 sts capability ("port=6697", "duration=300,preload"): a
 * comma-separated list of keys, each with an optional "=value". What a value means depends
 * on the link it came on: on a plain link only port counts (an upgrade policy), on a TLS
 * link only duration (a persistence policy); other keys are ignored. No I/O.
 */
#ifndef PERCH_IRC_STS_VALUE_H
#define PERCH_IRC_STS_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The longest duration taken (about 68 years); a longer one is invalid. */
#define IRC_STS_DURATION_MAX 2147483647u

struct irc_sts_value {
    int port;          /* plain link: the TLS port to reconnect to (1-65535) */
    uint32_t duration; /* TLS link: seconds the policy lasts; 0 removes it */
    bool preload;      /* seen, and ignored: perch has no preload list */
};

/*
 * Reads value (NUL-terminated) as received on a TLS link (tls) or a plain one. 0 with out
 * filled; -ENOENT when the key that matters on that link is missing; -EINVAL when it is
 * malformed or given twice. On errors, why says it in a few words ("port is missing").
 */
int irc_sts_value_parse(const char *value, bool tls, struct irc_sts_value *out, char *why,
                        size_t why_len);

#endif
