/* SPDX-License-Identifier: MIT */
/*
 * IRC networks for perchd: their settings, connections and buffers, and the commands
 * that manage them (/server, /connect, /disconnect, /reconnect, /quote). The core shows
 * what happens; the process that hosts it saves the networks (irc_save) and restores
 * them at start (irc_load).
 */
#ifndef PERCH_IRC_IRC_H
#define PERCH_IRC_IRC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

struct core;
struct pjson;
struct irc;

/* A network defined in the config file ([irc.server.NAME]): its options as written. */
struct irc_network_def {
    char *name;
    char **options;
    char **values;
    size_t n_options;
};

/* Checks a definition as a whole (name, each option, at least an address). 0, or -1
 * with a reason in err. */
int irc_network_def_check(const struct irc_network_def *def, char *err, size_t err_len);

struct irc_timing {
    uint64_t connect_timeout_ms; /* TCP + TLS + registration */
    uint64_t ping_interval_ms;   /* our PING when the server is silent this long */
    uint64_t ping_timeout_ms;    /* no answer: the link is dead */
    uint64_t reconnect_first_ms; /* backoff: the cap of the first retry (which may be at once) */
    uint64_t reconnect_max_ms;   /* backoff: the cap never passes this */
    uint64_t close_grace_ms;     /* after QUIT, the server's close is awaited this long */
    char *highlight_words;       /* comma-separated words that highlight, besides our nick */
    char *auto_away;             /* away message while no client is attached ("": never) */
    uint64_t anti_flood_ms;      /* outgoing: one line per this many ms after a burst; 0: none */
    int anti_flood_burst;        /* outgoing: lines that may go at once */
    uint64_t nick_regain_ms;     /* ISON for the first of nicks this often while we have
                                    another; 0: never */
    uint64_t notify_whois_ms;    /* /notify -away: their WHOIS this often; 0: never */
    int catchup_max;             /* draft/chathistory: lines fetched per buffer; 0: none */
    uint64_t catchup_timeout_ms; /* live lines wait for a catch-up at most this long */
};

struct irc *irc_new(uv_loop_t *loop, struct core *core, const struct irc_timing *timing);
/* New settings (reload); the strings are copied. */
void irc_set_timing(struct irc *irc, const struct irc_timing *timing);
/* Whether a client is attached: without one, every network is set away (auto_away). */
void irc_set_clients_attached(struct irc *irc, bool attached);
/* Called when the networks' settings change (to save them). */
void irc_set_changed_cb(struct irc *irc, void (*cb)(void *data), void *data);
/* Every network's settings (caller frees) / networks from saved settings and from the
 * config file's definitions: a network both saved and defined takes the options the file
 * gives over the saved ones (the file wins, option by option); one only defined is
 * created. Autoconnect ones and those connected when saved connect. */
struct pjson *irc_save(const struct irc *irc);
void irc_load(struct irc *irc, const struct pjson *saved, const struct irc_network_def *defs,
              size_t n_defs);
/* A reload's [irc.server.NAME] sections: the file's options over each network's (used
 * from its next connection), and networks new in the file created (and connected when
 * autoconnect). A network whose section was removed stays: /server del deletes it. */
void irc_reload_defs(struct irc *irc, const struct irc_network_def *defs, size_t n_defs);
/* The /ignore list (caller frees) / the list from saved entries (invalid ones skipped). */
struct pjson *irc_save_ignores(const struct irc *irc);
void irc_load_ignores(struct irc *irc, const struct pjson *saved);
/* The IRCv3 STS persistence policies (caller frees) / restored from saved ones (expired or
 * invalid entries dropped); restore them before irc_load, whose networks connect at once. */
struct pjson *irc_save_sts(const struct irc *irc);
void irc_load_sts(struct irc *irc, const struct pjson *saved);
/* Before an upgrade: plain registered links are held for the new process (reading paused,
 * nothing closed); every other link ends with QUIT :message and close_notify... */
void irc_suspend(struct irc *irc, const char *message);
/* ...and after a failed one, the held links go on and the others connect again. */
void irc_resume(struct irc *irc);
/* The held links whose connections cross the exec (counted among live connections). */
size_t irc_upgrade_kept(const struct irc *irc);
/* True when every held link has handed its queued bytes to the kernel. */
bool irc_upgrade_ready(const struct irc *irc);
/* Held links still sending end instead (QUIT), to connect again in the new process. */
size_t irc_upgrade_close_unflushed(struct irc *irc);
/* The held links' descriptors, written to fds (room for irc_upgrade_kept()); their number. */
size_t irc_upgrade_fds(const struct irc *irc, int *fds);
/* The state the new process needs (caller frees): every network's channels, and the whole
 * state of each held link. Same links as irc_upgrade_fds(). */
struct pjson *irc_upgrade_save(const struct irc *irc);
/* In the new process, before irc_load: the state irc_upgrade_save() wrote (copied; NULL:
 * none). irc_load adopts the links in it, and connects the others again. */
void irc_set_handover(struct irc *irc, const struct pjson *state);
/* Link states (links.c): "disconnected", "resolving", "connecting", "registering",
 * "connected" for 0 to 4, NULL past the last. */
const char *irc_link_state_name(size_t state);
/* Calls cb with each network's name and link state (an irc_link_state_name() index), in
 * /server list order; cb must not change the networks. */
void irc_each_link(const struct irc *irc, void (*cb)(void *data, const char *network, size_t state),
                   void *data);
/* Sends QUIT :message to every connected network and closes the links cleanly. */
void irc_quit(struct irc *irc, const char *message);
/* Frees once the links are closed (after irc_quit and the loop ran). */
void irc_free(struct irc *irc);

#endif
