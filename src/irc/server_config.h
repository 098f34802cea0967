/* SPDX-License-Identifier: MIT */
/*
 * A network's settings, as /server add and /set irc.server.NAME.OPTION give them: the
 * addresses to try in turn, TLS, identity, SASL, autojoin.
 * Saved as JSON with the rest of the state; secrets are never shown back.
 */
#ifndef PERCH_IRC_SERVER_CONFIG_H
#define PERCH_IRC_SERVER_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

struct pjson;

/* What a failed SASL authentication does (WeeChat's sasl_fail). */
enum irc_sasl_fail {
    IRC_SASL_FAIL_CONTINUE,
    IRC_SASL_FAIL_RECONNECT,
    IRC_SASL_FAIL_DISCONNECT,
};

struct irc_address {
    char *host;
    int port;
};

struct irc_server_config {
    char *name;
    struct irc_address *addresses;
    size_t n_addresses;
    bool tls;
    bool tls_verify;
    char *password;
    char *nicks; /* comma-separated, tried in turn */
    char *username;
    char *realname;
    char *sasl_mechanism; /* plain, external, scram-sha-256; "" is plain (WeeChat's default) */
    char *sasl_username;
    char *sasl_password;
    enum irc_sasl_fail sasl_fail;
    int sasl_timeout; /* seconds */
    char *tls_cert;
    char *tls_fingerprint; /* SHA-256 hex, colons allowed */
    bool autoconnect;
    char *autojoin; /* "#a,#b key" as /join takes it */
    char *notify;   /* the notify list, as WeeChat keeps it: "alice,bob away" */
};

/* The options /set irc.server.NAME.OPTION knows, NULL-terminated. */
extern const char *const irc_server_options[];

/* A network named name (letters, digits, "-", "_", "."), with the defaults. NULL and a
 * reason in err for a bad name. */
struct irc_server_config *irc_server_config_new(const char *name, char *err, size_t err_len);
void irc_server_config_free(struct irc_server_config *c);
/* "host[/port][,host2[/port]]..."; "[::1]/6697" for IPv6. The default port is 6697 with
 * TLS and 6667 without. 0, or -1 with a reason in err (nothing changed). */
int irc_server_config_set_addresses(struct irc_server_config *c, const char *text, char *err,
                                    size_t err_len);
/* Sets one option from text ("on"/"off" for booleans, "" to empty a string). 0, or -1
 * with a reason in err (nothing changed). */
int irc_server_config_set(struct irc_server_config *c, const char *option, const char *value,
                          char *err, size_t err_len);
/* The value as /server listfull shows it: secrets as "********" when set. Caller frees. */
char *irc_server_config_show(const struct irc_server_config *c, const char *option);
/* Parses the arguments of "/server add NAME ADDRESSES [-tls|-notls] [-option=value]...":
 * argv[0] is the name. NULL with a reason in err. */
struct irc_server_config *irc_server_config_from_args(int argc, char *const *argv, char *err,
                                                      size_t err_len);

/* server_url.c: a network from an IRC URL, as WeeChat's /connect reads one:
 * irc[6][s]://[nick[:password]@]host[:port][/#chan[,#chan2...]], named after its host,
 * TLS for ircs (port 6697, else 6667), nicks "N,N2,...,N5", the channels ("#" added when
 * missing) joined, autoconnect on. NULL with a reason in err. */
struct irc_server_config *irc_server_config_from_url(const char *url, char *err, size_t err_len);
/* One /connect option argument: "-option=value", "-option" (on) or "-nooption" (off). 0, or
 * -1 with a reason in err (nothing changed). */
int irc_server_config_apply_arg(struct irc_server_config *c, const char *arg, char *err,
                                size_t err_len);

struct pjson *irc_server_config_save(const struct irc_server_config *c);
/* NULL when the saved object is not a valid network. */
struct irc_server_config *irc_server_config_load(const struct pjson *saved);

#endif
