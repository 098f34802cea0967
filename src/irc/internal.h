/* SPDX-License-Identifier: MIT */
/* Names shared between irc/ files only. */
#ifndef PERCH_IRC_INTERNAL_H
#define PERCH_IRC_INTERNAL_H

#include <uv.h>

#include "base/backoff.h"
#include "base/list.h"
#include "base/name_index.h"
#include "batch.h"
#include "flood.h"
#include "irc.h"
#include "isupport.h"
#include "label.h"
#include "monitor_set.h"
#include "reader.h"
#include "sasl_wire.h"
#include "server_config.h"
#include "sts_policy.h"

struct addrinfo;
struct core_buffer;
struct irc_channel;
struct irc_message;
struct net_conn;
struct irc_scram;
struct pjson;
struct tls_context;

/* A link up this long is stable: the next loss starts the backoff from the beginning. */
#define IRC_STABLE_MS 30000

/* Lines waiting for the flood bucket at most (a paste of more is cut, and said so). */
#define IRC_QUEUE_MAX 5000

/* Lines longer than this (tags and text) are cut: IRCv3 tags plus a 512-byte rest. */
#define IRC_READ_MAX (8191 + 1 + 512)

enum irc_server_state {
    IRC_DISCONNECTED,
    IRC_RESOLVING,
    IRC_CONNECTING, /* TCP and TLS */
    IRC_REGISTERING,
    IRC_CONNECTED,
};

/* The capabilities enabled (caps.c): a bit per entry of its table. */
struct irc_caps {
    char *offered; /* CAP LS's lines gathered, until the last */
    char *listed;  /* the same for CAP LIST (/cap) */
    unsigned enabled;
    bool sasl_offered; /* the server offers sasl (CAP LS, NEW and DEL): /auth may ask for it */
};

/* A SASL exchange (sasl.c). */
struct irc_sasl {
    bool running;          /* AUTHENTICATE sent, no 90x ending it yet */
    bool logged_in;        /* 903 or 907 on this link: not asked again on CAP NEW */
    int step;              /* SCRAM's: the server messages answered */
    struct irc_sasl_in in; /* the server's AUTHENTICATE parts, until whole */
    struct irc_scram *scram;
    uv_timer_t timer;    /* sasl_timeout */
    char *temp_username; /* /auth's credentials, instead of the sasl_* options until the */
    char *temp_password; /* exchange ends */
};

/* A nick of the notify list with "-away": what our WHOISes found (notify_away.c). */
struct irc_away_watch {
    char *nick;
    char *message; /* its away message; NULL: here, or not known yet */
    bool asked;    /* our WHOIS went, its 318 (or 401) not come yet */
    char *seen;    /* the 301 of the reply coming in, or NULL */
};

struct irc_server {
    struct list link;
    struct irc *irc;
    struct irc_server_config *cfg;
    enum irc_server_state state;
    struct net_conn *conn;
    struct irc_reader reader;
    struct core_buffer *buffer; /* irc.server.NAME */
    char *nick;                 /* ours, once the server accepted it */
    char *usermodes;            /* our user modes without '+' ("Zi"), or NULL */
    char *host;                 /* our user@host once seen (kept after a disconnect) */
    char *away_message;         /* while away */
    size_t nick_index;          /* which of cfg->nicks we try */
    int nick_alternate;         /* -1: cfg->nicks still tried; else the number in the first */
    struct irc_isupport isupport;
    struct irc_caps caps;
    struct irc_sasl sasl;
    size_t address_index;
    bool link_tls;          /* this attempt's transport: the network's, or TLS by an STS policy */
    int link_port;          /* this attempt's port */
    bool link_sts;          /* TLS because of an STS policy (the network is plain) */
    bool sts_reconnect;     /* closing a plain link to connect again with TLS at once (sts.c) */
    size_t hosts_tried;     /* addresses of cfg tried since the last welcome or wait */
    struct addrinfo *addrs; /* what the current host resolved to... */
    struct addrinfo *addr;  /* ...and the one being tried: each in turn on failure */
    uv_getaddrinfo_t resolve;
    bool resolving;
    uv_timer_t timer;       /* reconnect wait, connect timeout, or our ping */
    uv_timer_t flood_timer; /* the next queued line may go */
    int handles_closed;     /* timer, flood_timer, sasl.timer: freed with the last */
    struct backoff backoff;
    uint64_t last_read_ms;
    uint64_t ping_sent_ms; /* 0: none unanswered */
    int64_t lag_ms;        /* the last PING's answer time */
    uint64_t last_ping_ms; /* when our last PING went, answered or not */
    uint64_t connected_ms; /* when the welcome came, until the backoff is reset */
    bool wanted;           /* the user wants it connected: reconnect after a loss */
    bool nojoin;           /* /connect -nojoin: this connection joins no channel */
    bool removing;         /* /server del: freed once closed */
    bool resume;           /* connected before an upgrade that failed */
    bool held;             /* an upgrade hands this link over: reading paused, timers stopped */
    struct irc_flood flood;
    struct irc_flood ctcp_flood; /* CTCP answers: a few, then one every few seconds */
    char **queue;                /* lines waiting for the flood bucket */
    size_t n_queue;
    bool queue_full_said;
    uint64_t regain_next_ms;         /* when the next ISON for our first nick goes */
    unsigned ison_pending;           /* our ISONs not answered yet: their 303s are not shown */
    bool regain_off;                 /* the user chose a nick: no regain until the next link */
    bool away_by_user;               /* /away: auto_away leaves it alone */
    int64_t away_since;              /* when /away made us away (s), 0: it did not */
    bool away_auto;                  /* set away because no client is attached */
    struct irc_monitor_set monitor;  /* what we asked the server to MONITOR (monitor.c) */
    struct list channels;            /* struct irc_channel: channels and private conversations */
    struct name_index channel_index; /* the same by name: a message finds its own among hundreds */
    struct irc_batches batches;      /* IRCv3 batches open on this link (recv_batch.c) */
    struct irc_labels labels;        /* our labeled commands waiting for replies (labeled.c) */
    struct irc_list *list;           /* /list's channels and buffer (list.c), or NULL */
    struct irc_monitor_set notify_ison; /* the notify list as our ISONs found it (no MONITOR) */
    struct irc_away_watch *away_watch;  /* the notify list's "-away" nicks (notify_away.c) */
    size_t n_away_watch;
    uint64_t away_next_ms; /* when they are asked again */
};

struct irc {
    uv_loop_t *loop;
    struct core *core;
    struct irc_timing timing;
    struct tls_context *tls_verify; /* system CAs, host name checked */
    struct tls_context *tls_insecure;
    struct list servers; /* struct irc_server */
    void (*changed_cb)(void *data);
    void *changed_data;
    bool quitting;
    void *sub; /* core events: buffers the user closes */
    bool clients_attached;
    struct list ignores; /* struct irc_ignore (ignore.c), in /ignore list order */
    size_t n_ignores;
    struct pjson *handover;      /* the links an upgrade handed over, until irc_load took them */
    struct irc_sts_policies sts; /* by host: plain networks there connect with TLS (sts.c) */
};

/* server.c */
struct irc_server *irc__server_new(struct irc *irc, struct irc_server_config *cfg);
struct irc_server *irc__server_find(const struct irc *irc, const char *name);
/* The link's timer runs within ms (sooner if it was due sooner): connected links only. */
void irc__server_timer_within(struct irc_server *s, uint64_t ms);
void irc__server_connect(struct irc_server *s);
/* Bytes from the server: each complete line handled (the fuzz target feeds it too). */
void irc__server_read(struct irc_server *s, const char *data, size_t len);
/* The welcome (001) came: the link is up, with nick. */
void irc__server_registered(struct irc_server *s, const char *nick);
/* Sends QUIT (when registered) and closes; wanted: reconnect afterwards. */
void irc__server_disconnect(struct irc_server *s, const char *reason, bool reconnect);
/* /server rename: the name, and the buffers' names and local variables. 0 or -1 with err. */
int irc__server_rename(struct irc_server *s, const char *name, char *err, size_t err_len);
/* Disconnects (QUIT reason) and frees once the link is closed. */
void irc__server_remove(struct irc_server *s, const char *reason);
/* One message from the server, or from a batch that ended: handled and shown. */
void irc__server_handle(struct irc_server *s, struct irc_message *m, const char *raw);
/* Queues one raw line (CR LF added); refused (-EINVAL) with CR, LF or NUL inside. */
int irc__server_send_raw(struct irc_server *s, const char *line);
/* The lines waiting for the flood control dropped (/server deloutq, a link's end). */
void irc__server_queue_clear(struct irc_server *s);
/* Formats and queues a message (with tags: client tags, labels; see irc_message_format). */
int irc__server_send(struct irc_server *s, const char *command, const char *const *params,
                     size_t n_params);
struct irc_tag;
int irc__server_send_tagged(struct irc_server *s, const struct irc_tag *tags, size_t n_tags,
                            const char *command, const char *const *params, size_t n_params);
/* A line in the server's buffer. */
void irc__server_print(struct irc_server *s, const char *prefix, const char *tags, const char *fmt,
                       ...) __attribute__((format(printf, 4, 5)));
void irc__changed(struct irc *irc);
/* The flood control from [irc] anti_flood and anti_flood_burst, full again. */
void irc__server_flood_reset(struct irc_server *s);

/* The nick of the network's list at index, into out: empty entries skipped (as WeeChat's
 * split collapses ",,") and blanks around each dropped. False ("" in out) past its end. */
bool irc__server_nick_of_list(const struct irc_server *s, size_t index, char *out, size_t out_len);

/* The first of the network's nicks (the one registered with, regained with ISON), into out. */
void irc__server_first_nick(const struct irc_server *s, char *out, size_t out_len);

/* Our nick changed (NICK from us): the server and every buffer of it know. */
void irc__server_registered_nick(struct irc_server *s, const char *nick);
/* The same without watching nicks again: the nick tried while registering. */
void irc__server_set_nick(struct irc_server *s, const char *nick);

/* server.c, upgrade hand-over: a plain registered link can cross the exec; holding it pauses
 * its reading and timers (the kernel keeps what comes meanwhile), releasing it (a failed
 * exec) goes on as before; adopting puts a handed-over connection back, registered, without
 * a byte sent (the flood queue goes on). */
bool irc__server_can_hand_over(const struct irc_server *s);
void irc__server_hold(struct irc_server *s);
void irc__server_release(struct irc_server *s);
void irc__server_adopt(struct irc_server *s, struct net_conn *conn);

/* handover.c: in irc_load, the network's state handed over by an upgrade, if any. True when
 * the network is taken care of (its link adopted, or connecting again because its state
 * was bad); false when it starts as usual (its channels, if any, marked to be rejoined). */
bool irc__handover_take(struct irc_server *s);
/* After irc_load: a handed-over link of no saved network ends (QUIT); the state goes. */
void irc__handover_done(struct irc *irc);

/* irc.look.highlight_tags_restrict: only messages and notices highlight in IRC buffers. */
#define IRC_HIGHLIGHT_TAGS "irc_privmsg,irc_notice"

/* display.c: WeeChat's tag list for a line (caller frees), and printing with the
 * message's server-time. */
char *irc__tags(const struct irc_message *m, const char *command, const char *extra,
                const char *nick, const char *host, int log_level);
void irc__print(struct core_buffer *b, const struct irc_message *m, const char *prefix,
                const char *tags, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Returns the printed line's id, or -1 when nothing was printed. */
int64_t irc__print_line(struct core_buffer *b, const struct irc_message *m, const char *prefix,
                        const char *tags, const char *text);
/* "user@host" of the message's source (caller frees), or NULL. */
char *irc__source_host(const struct irc_message *m);
/* A line about received message m: tagged irc_COMMAND, extra, its source's nick_ and host_,
 * logN. Returns its id, or -1. */
int64_t irc__print_from(struct core_buffer *b, const struct irc_message *m, const char *command,
                        const char *extra, int log_level, const char *prefix, const char *text);
/* True when nick is ours (as the server folds case). */
bool irc__is_me(const struct irc_server *s, const char *nick);
/* A nick's colour code as irc_nick_color_for_msg gives it (ours: chat_nick_self), into out
 * (IRC_LOOK_COLOR_MAX bytes). */
void irc__nick_color(const struct irc_server *s, const char *nick, char *out);

/* recv.c: a received command's handler, run when the message has min_params or more. */
struct irc__handler {
    const char *command;
    void (*run)(struct irc_server *s, const struct irc_message *m);
    size_t min_params;
};

#define IRC__HANDLERS(table) (table), (sizeof(table) / sizeof((table)[0]))
/* The entry of table (n of them) for command, or NULL. */
const struct irc__handler *irc__handler_find(const struct irc__handler *table, size_t n,
                                             const char *command);
/* m's handler run (true) when table has one and m its parameters; else false. */
bool irc__dispatch(const struct irc__handler *table, size_t n, struct irc_server *s,
                   const struct irc_message *m);

/* recv_chat.c: channels and conversations; false when the message is not theirs. */
bool irc__recv_chat(struct irc_server *s, const struct irc_message *m);
/* recv_msg.c: PRIVMSG and NOTICE (actions and CTCP too). */
void irc__recv_privmsg(struct irc_server *s, const struct irc_message *m);
void irc__recv_notice(struct irc_server *s, const struct irc_message *m);

/* recv_batch.c: BATCH from the server (with the batch capability); a line of an open batch
 * is held (true) until the batch ends, then handled with irc__server_handle. */
void irc__batch_recv(struct irc_server *s, const struct irc_message *m);
bool irc__batch_hold(struct irc_server *s, const struct irc_message *m, const char *line,
                     size_t len);
/* Every open batch handled now, as if ended (before an upgrade hands the link over). */
void irc__batch_flush(struct irc_server *s);

/* labeled.c: labeled-response. A command sent with a label when the capability allows it
 * (1), else as usual (0), or an error (< 0); what kind of command a reply answers; after a
 * message was handled, its label is done unless a batch carries on with it. */
int irc__server_send_labeled(struct irc_server *s, enum irc_label_kind kind, const char *command,
                             const char *const *params, size_t n_params);
/* The same for a line the user wrote ("COMMAND args" as typed). */
int irc__server_send_raw_labeled(struct irc_server *s, enum irc_label_kind kind, const char *line);
enum irc_label_kind irc__label_kind(struct irc_server *s, const struct irc_message *m);
void irc__label_after(struct irc_server *s, const struct irc_message *m);

/* presence.c: AWAY, ACCOUNT, CHGHOST, SETNAME, INVITE, then WHO replies and MONITOR
 * numerics; false when the message is none of them. */
bool irc__recv_presence(struct irc_server *s, const struct irc_message *m);

/* who.c: after the first names of a channel, a WHO whose replies are not shown (with
 * away-notify or account-notify), else away states and accounts forgotten; 352, 354, 315. */
void irc__who_check(struct irc_channel *c);
bool irc__recv_who(struct irc_server *s, const struct irc_message *m);

/* monitor.c: how many nicks the server lets us MONITOR (0: no MONITOR); the monitored
 * nicks brought in line with our first nick and the private buffers (call it when either
 * changes); forgotten at a disconnection; 730 to 734. */
size_t irc__monitor_limit(const struct irc_server *s);
void irc__monitor_sync(struct irc_server *s);
void irc__monitor_reset(struct irc_server *s);
bool irc__recv_monitor(struct irc_server *s, const struct irc_message *m);

/* say.c: text typed in a channel or private buffer becomes PRIVMSGs, shown once. */
void irc__channel_say(struct irc_channel *c, const char *text);
/* Sends text to target (split at the server's limit), each piece shown by irc__show_sent
 * unless echo-message will show it. */
void irc__say(struct irc_server *s, const char *target, const char *text, bool action);
/* What we sent ("privmsg" or "notice"; action: a CTCP ACTION) as WeeChat's
 * irc_input_user_message_display shows it: in the buffer of target's channel ("@#c" too) or
 * private conversation when open, else in the server buffer; with the target named
 * ("Msg(me) -> T: text", "Notice(me) -> T: text", "Action -> T: me text") unless it is a
 * message or action in the target's own buffer. */
void irc__show_sent(struct irc_server *s, const char *command, bool action, const char *target,
                    const char *text);
/* Our CTCP query (m: its echo, or NULL): "CTCP query to T: TYPE args", where
 * irc__show_sent would show it. */
void irc__ctcp_sent(struct irc_server *s, const struct irc_message *m, const char *target,
                    const char *type, const char *args);

/* Joins again the channels we were in when the link was lost. */
void irc__rejoin(struct irc_server *s);

/* recv.c: what the server sends. */
void irc__recv(struct irc_server *s, const struct irc_message *m, const char *raw);
/* The registration: CAP LS, PASS, NICK, USER. */
void irc__register(struct irc_server *s);

/* ignore.c: whether /ignore hides a message (never ours); /ignore; the list freed. */
bool irc__ignored(const struct irc_server *s, const struct irc_message *m);
struct core_args;
int irc__cmd_ignore(struct core_buffer *buffer, const struct core_args *args);
void irc__ignores_free(struct irc *irc);

/* caps.c: CAP from the server; whether a capability is enabled; forgotten at a
 * disconnection; the enabled ones as a list (an upgrade carries it) and back. */
void irc__caps_recv(struct irc_server *s, const struct irc_message *m);
bool irc__cap_enabled(const struct irc_server *s, const char *cap);
void irc__caps_reset(struct irc_server *s);
char *irc__caps_enabled_list(const struct irc_server *s);
void irc__caps_enable_list(struct irc_server *s, const char *list);

/* sasl.c: the timer made and closed with the server (cb: server.c's close callback);
 * whether the settings ask for SASL, and whether it may start now (not logged in, no
 * exchange under way); the start once the server ACKed sasl (false: not started, ending
 * the negotiation is the caller's); AUTHENTICATE and 900-907 from the server (false: not
 * one of them); the state
 * forgotten at a disconnection; sasl not offered although wanted (sasl_fail applies). */
void irc__sasl_init(struct irc_server *s);
void irc__sasl_close(struct irc_server *s, uv_close_cb cb);
bool irc__sasl_wanted(const struct irc_server *s);
bool irc__sasl_can_start(const struct irc_server *s);
bool irc__sasl_start(struct irc_server *s);
/* /auth: authenticate now, as username with password when given (else with the sasl_*
 * options): at once when sasl is enabled, else once the server ACKs "CAP REQ sasl". -EINVAL
 * without credentials, -ENOTSUP when the server does not offer sasl. */
int irc__sasl_auth(struct irc_server *s, const char *username, const char *password);
bool irc__sasl_recv(struct irc_server *s, const struct irc_message *m);
void irc__sasl_reset(struct irc_server *s);
void irc__sasl_unavailable(struct irc_server *s);

/* sts.c: IRCv3 Strict Transport Security. The transport of the next attempt to the current
 * address (link_tls, link_port: the network's, or TLS to the port of an STS policy for its
 * host, said); the sts capability in CAP LS or CAP NEW's list (true when the plain link is
 * being closed to come back with TLS at once: ask for nothing); CAP DEL of sts (the policy
 * stays); a link ended (established: past the TLS handshake), which reschedules its
 * policy's expiry; before /quit, the same for every live TLS link. */
void irc__sts_target(struct irc_server *s);
bool irc__sts_offered(struct irc_server *s, const char *list);
void irc__sts_withdrawn(struct irc_server *s);
void irc__sts_link_ended(struct irc_server *s, bool established);
void irc__sts_quit(struct irc *irc);

/* completion.c: the completion items of IRC buffers. */
void irc__completion_register(struct irc *irc);

/* recv_numeric.c: numerics with a form of their own; false when not one of them. Shared with
 * recv_replies.c: a line (text, freed here) with the network prefix in b or the server buffer;
 * WHOIS's "[N] text (param)". */
bool irc__recv_numeric(struct irc_server *s, const struct irc_message *m);
void irc__num_print(struct irc_server *s, struct core_buffer *b, const struct irc_message *m,
                    char *text);
void irc__num_whois_text(struct irc_server *s, const struct irc_message *m);
/* recv_replies.c: the server's answers to questions (/version, /ison, /list, /knock...) and
 * WALLOPS; false when m is none of them. */
bool irc__recv_reply(struct irc_server *s, const struct irc_message *m);
void irc__recv_wallops(struct irc_server *s, const struct irc_message *m);

/* commands.c: the commands; the network of a buffer (NULL: none); a command's network
 * checked as WeeChat's IRC_COMMAND_CHECK_SERVER does (NULL: missing or not connected, an
 * error said in buffer). */
void irc__commands_register(struct irc *irc);
struct irc_server *irc__buffer_server(struct irc *irc, const struct core_buffer *buffer);
struct irc_server *irc__cmd_ready(struct core_buffer *buffer, const char *command,
                                  struct irc_server *s);
/* commands_chat.c */
struct core_args;
/* The connected network of a command: "-server NAME" first, else the buffer's; *first is
 * the index of the first argument after those. NULL (an error said) when there is none. */
struct irc_server *irc__cmd_connected_server(struct core_buffer *buffer,
                                             const struct core_args *args, int *first);
/* The channel or private conversation of the buffer, when it is one. */
struct irc_channel *irc__cmd_buffer_channel(struct irc_server *s, struct core_buffer *buffer);
/* The channel a command acts on: its first argument when it names one, else the buffer's
 * channel. *next is the index after it. NULL (an error said, what naming the command) when
 * there is none. */
const char *irc__cmd_target_channel(struct irc_server *s, struct core_buffer *buffer,
                                    const struct core_args *args, int first, int *next,
                                    const char *what);
int irc__cmd_join(struct core_buffer *buffer, const struct core_args *args);
int irc__cmd_part(struct core_buffer *buffer, const struct core_args *args);
int irc__cmd_msg(struct core_buffer *buffer, const struct core_args *args);
int irc__cmd_query(struct core_buffer *buffer, const struct core_args *args);
int irc__cmd_me(struct core_buffer *buffer, const struct core_args *args);
int irc__cmd_action(struct core_buffer *buffer, const struct core_args *args);
int irc__cmd_nick(struct core_buffer *buffer, const struct core_args *args);
int irc__cmd_topic(struct core_buffer *buffer, const struct core_args *args);
int irc__cmd_notice(struct core_buffer *buffer, const struct core_args *args);
int irc__cmd_ctcp(struct core_buffer *buffer, const struct core_args *args);
int irc__cmd_wallchops(struct core_buffer *buffer, const struct core_args *args);
int irc__cmd_whois(struct core_buffer *buffer, const struct core_args *args);
int irc__cmd_who(struct core_buffer *buffer, const struct core_args *args);
int irc__cmd_invite(struct core_buffer *buffer, const struct core_args *args);
int irc__cmd_cycle(struct core_buffer *buffer, const struct core_args *args);
int irc__cmd_away(struct core_buffer *buffer, const struct core_args *args);
int irc__cmd_mode(struct core_buffer *buffer, const struct core_args *args);
int irc__cmd_samode(struct core_buffer *buffer, const struct core_args *args);
/* names.c: NAMES replies and /names. */
void irc__recv_353(struct irc_server *s, const struct irc_message *m);
void irc__recv_366(struct irc_server *s, const struct irc_message *m);
int irc__cmd_names(struct core_buffer *buffer, const struct core_args *args);
/* notify.c: /notify and the notify list: its nicks (free them with irc__notify_nicks_free),
 * whether a nick is in it, and our ISON's answer (online: the nicks listed). */
int irc__cmd_notify(struct core_buffer *buffer, const struct core_args *args);
size_t irc__notify_nicks(const struct irc_server *s, char ***out);
void irc__notify_nicks_free(char **nicks, size_t n);
bool irc__notify_has(const struct irc_server *s, const char *nick);
void irc__notify_ison(struct irc_server *s, const char *online);
/* The nicks of the notify list marked "away" (free them with irc__notify_nicks_free). */
size_t irc__notify_away_nicks(const struct irc_server *s, char ***out);
/* notify_away.c: the "-away" nicks asked by WHOIS (nick, or NULL: all of them) now and every
 * [irc] notify_whois_interval (tick: returns when next); their replies consumed (true) and
 * their away changes said; the watches following the list (sync); a lost link's questions
 * forgotten; all freed. */
void irc__notify_away_sync(struct irc_server *s);
void irc__notify_away_check(struct irc_server *s, const char *nick);
uint64_t irc__notify_away_tick(struct irc_server *s, uint64_t now);
bool irc__notify_away_recv(struct irc_server *s, const struct irc_message *m);
void irc__notify_away_link_lost(struct irc_server *s);
void irc__notify_away_free(struct irc_server *s);
/* The away message a "-away" nick was last seen with (NULL: here, or unknown). */
const char *irc__notify_away_message(const struct irc_server *s, const char *nick);
/* After an upgrade: what a watched nick's watch held (a nick not watched: ignored). */
void irc__notify_away_restore(struct irc_server *s, const char *nick, const char *message,
                              bool asked, const char *seen);
/* monitor.c: "notify: N (H) is connected" (first: the first news of N), "has quit"... */
void irc__monitor_say(struct irc_server *s, const char *nick, const char *host, bool online,
                      bool first);
/* server.c: whether our first nick is wanted back (another holds it, nick regain is on and
 * the user did not pick a nick); our ISON now (the notify list, and nick regain), on a server
 * without MONITOR, when the notify list has nicks. */
bool irc__regain_wanted(const struct irc_server *s, const char *first);
void irc__server_presence_now(struct irc_server *s);
/* commands_autojoin.c: /autojoin add|addraw|del|apply|sort|join. */
int irc__cmd_autojoin(struct core_buffer *buffer, const struct core_args *args);
/* list.c: /list and its buffer "irc.list_NAME". Replies 321, 322 and 323 that a /list asked
 * for are its own (true: not printed); a link lost ends the answer; the buffer closed; the
 * network deleted (/server del closes its buffer), renamed, or freed. */
int irc__cmd_list(struct core_buffer *buffer, const struct core_args *args);
bool irc__list_321(struct irc_server *s, const struct irc_message *m);
bool irc__list_322(struct irc_server *s, const struct irc_message *m);
bool irc__list_323(struct irc_server *s, const struct irc_message *m);
void irc__list_link_lost(struct irc_server *s);
void irc__list_buffer_closing(struct irc *irc, const struct core_buffer *buffer);
void irc__list_close(struct irc_server *s);
/* A list buffer kept from before a restart or an upgrade: taken back, empty until "$". */
void irc__list_adopt(struct irc_server *s);
void irc__list_renamed(struct irc_server *s);
void irc__list_free(struct irc_server *s);
/* commands_all.c: /allchan, /allpv, /allserv; text with $nick, $channel and $server
 * replaced by our nick, the channel (or "") and the network's name (caller frees). */
void irc__commands_all_register(struct irc *irc);
char *irc__replace_vars(const struct irc_server *s, const char *channel, const char *text);
/* commands_server.c: questions to the server and operator commands (/motd, /oper...). */
void irc__commands_server_register(struct irc *irc);
/* commands_modes.c */
int irc__cmd_op(struct core_buffer *buffer, const struct core_args *args);
int irc__cmd_halfop(struct core_buffer *buffer, const struct core_args *args);
int irc__cmd_voice(struct core_buffer *buffer, const struct core_args *args);
int irc__cmd_ban(struct core_buffer *buffer, const struct core_args *args);
int irc__cmd_quiet(struct core_buffer *buffer, const struct core_args *args);
int irc__cmd_kick(struct core_buffer *buffer, const struct core_args *args);
int irc__cmd_remove(struct core_buffer *buffer, const struct core_args *args);
/* Away while no client is attached (and not away by /away), back when one is. */
void irc__server_auto_away(struct irc_server *s);
/* Our away message (NULL: back): the "away" local variable of every buffer of it. */
void irc__server_set_away(struct irc_server *s, const char *message);
/* The input_prompt of the server buffer and of every channel and private buffer. */
void irc__server_update_prompts(struct irc_server *s);
/* Our user@host (own JOIN, NICK, CHGHOST): the "host" local variable of every buffer. */
void irc__server_set_host(struct irc_server *s, const char *host);
/* Our user modes after a MODE change ("+i-w"), or all of them (221, reset). */
void irc__server_set_usermodes(struct irc_server *s, const char *change, bool reset);
/* Our PING was answered: the lag is measured and shown. */
void irc__server_pong(struct irc_server *s);
/* The "lag" local variable of a buffer: set when the lag reaches 500 ms, else deleted. */
void irc__server_lag_localvar(const struct irc_server *s, struct core_buffer *buffer);
/* server_state.c: a local variable on the server buffer and every channel and private
 * buffer of it (NULL deletes it); the lag measured (shown once it reaches 500 ms); the title
 * and tls_version once registered. */
void irc__server_set_localvar_all(struct irc_server *s, const char *key, const char *value);
void irc__server_set_lag(struct irc_server *s, int64_t lag_ms);
void irc__server_set_title_and_tls(struct irc_server *s);
/* The numeric address of the server the link is connected to ("" when unknown). */
void irc__server_peer_ip(const struct irc_server *s, char *ip, size_t ip_len);

/* catchup.c: what a buffer missed, from draft/chathistory. */
struct irc_batch;
/* Asks for what c missed since its last stored message (a channel at our JOIN). */
void irc__catchup_start(struct irc_server *s, struct irc_channel *c);
/* The same for every private buffer (once the welcome burst ended). */
void irc__catchup_privates(struct irc_server *s);
/* A live message for a buffer whose catch-up is awaited is kept for later: true. */
bool irc__catchup_hold(struct irc_server *s, const struct irc_message *m, const char *raw);
/* A chathistory batch ended: its lines shown (not those shown already), then the held. */
void irc__catchup_batch_end(struct irc_server *s, const struct irc_batch *b);
/* Every awaited catch-up given up (a FAIL CHATHISTORY, the link lost): held lines shown. */
void irc__catchup_release_all(struct irc_server *s);
/* The channel goes: what it held goes too. */
void irc__catchup_channel_fini(struct irc_channel *c);
/* Catch-ups awaited past catchup_timeout given up (held lines shown); ms until the next
 * one's, or UINT64_MAX. */
uint64_t irc__catchup_expire(struct irc_server *s, uint64_t now);

/* netsplit.c: a netsplit or netjoin batch ended: one line per buffer, nicklists changed. */
void irc__netsplit_end(struct irc_server *s, const struct irc_batch *b);
void irc__netjoin_end(struct irc_server *s, const struct irc_batch *b);

#endif
