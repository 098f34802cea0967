/* SPDX-License-Identifier: MIT */
/* Names shared between relay/ files only. */
#ifndef PERCH_RELAY_INTERNAL_H
#define PERCH_RELAY_INTERNAL_H

#include <uv.h>

#include "auth.h"
#include "base/buf.h"
#include "base/list.h"
#include "config.h"
#include "core/color.h"
#include "metrics.h"
#include "peer.h"
#include "relay.h"
#include "router.h"

/* Work one request may cause: requests in a WebSocket batch, entries in the
 * handshake's password_hash_algo list. Beyond them the answer is 400. */
#define RELAY_BATCH_MAX      1000
#define RELAY_HASH_ALGOS_MAX 64

/* PBKDF2 logins derived at once on libuv's thread pool (login_async.c); the others wait in
 * arrival order. Two leave the loop a core on a small server and the pool free workers. */
#define RELAY_AUTH_JOBS_MAX 2
/* Bytes read behind a request whose login is under way: reading pauses at once, so one read
 * (64 KiB) is all that can come. */
#define RELAY_AUTH_STASH_MAX (128u << 10)

/* Answers kept for clients asking the same thing (cache.c): slots, and the largest body kept. */
#define RELAY_CACHE_ENTRIES  8
#define RELAY_CACHE_BODY_MAX (512u << 10)

struct core_buffer;
struct http_request;
struct http_response;
struct rbuf;
struct net_listener;
struct relay__auth_job;
struct relay__login_ahead;
struct relay_auth_derivation;
struct ws_answer;
struct ws_session;

struct relay__cached {
    char *target; /* NULL: a free slot */
    const char *body_type;
    struct rbuf *body;
};

struct relay {
    uv_loop_t *loop;
    struct core *core;
    const struct relay_config *cfg;
    uint64_t cfg_generation; /* counts relay_set_config(): a password proved before is stale */
    struct net_listener *listeners[4];
    size_t n_listeners;
    struct list clients; /* struct relay__client */
    size_t n_clients;    /* all of them, closing ones excluded */
    struct list unauth;  /* the clients not authenticated yet, oldest first */
    size_t n_unauth;
    size_t n_authed; /* what max_clients limits */
    bool unauth_full_logged;
    struct relay_throttle *throttle;
    struct list auth_waiting;         /* struct relay__auth_job, oldest first */
    size_t n_auth_running;            /* jobs on the thread pool, their clients gone or not */
    struct relay__login_ahead *ahead; /* the key the last handshake's client will send */
    struct list pending_inputs;       /* struct relay__input, run after responses are sent */
    uv_timer_t input_timer;
    bool stopping;
    const char *version;
    void *event_sub; /* core event subscription for sync fan-out */
    struct relay_store_ops store;
    /* Events encoded but not sent yet: they go after the commit that stores them. */
    struct list pending_events; /* struct relay__pending_event */
    uint64_t event_seq;         /* the last event's number */
    struct rbuf **gather;       /* one client's frames of a flush (sync.c) */
    size_t cap_gather;
    struct relay__cached cache[RELAY_CACHE_ENTRIES];
    size_t n_cached, cache_next;
    uv_prepare_t flush_prepare; /* end of an iteration: timers' events */
    uv_check_t flush_check;     /* end of an iteration: I/O's events */
    bool flushing;
    int handles_open;    /* while relay_free() closes them */
    size_t n_websockets; /* authenticated WebSocket clients */
    void (*presence_cb)(void *data, bool attached);
    void *presence_data;
    struct relay_metrics metrics; /* metrics.c */
    relay_metrics_cb metrics_cb;  /* GET /metrics is served while set */
    void *metrics_data;
};

enum relay__mode {
    RELAY_MODE_HTTP,
    RELAY_MODE_WEBSOCKET,
};

enum relay__timer {
    RELAY_TIMER_IDLE,         /* HTTP: between requests */
    RELAY_TIMER_IDLE_BUFFERS, /* HTTP: between requests, TLS buffers still kept */
    RELAY_TIMER_REQUEST,      /* HTTP: a request (or the TLS handshake) is under way */
    RELAY_TIMER_WS_IDLE,      /* WebSocket: ping when it fires */
    RELAY_TIMER_WS_PING,      /* WebSocket: a ping is unanswered */
    RELAY_TIMER_HELD,         /* HTTP: a failed login's answer waits (relay/throttle.h) */
};

/* What POST /api/sync asked for (reference §6.8). */
struct relay__sync {
    uint64_t since; /* events numbered after this one are for the client */
    bool enabled;
    bool nicks;
    bool input;
    enum core_color_mode colors;
};

struct relay__client {
    struct list link;
    struct relay *relay;
    struct net_conn *conn; /* NULL once closing started */
    struct http_reader *reader;
    struct ws_session *ws; /* WebSocket mode only */
    enum relay__mode mode;
    enum relay__timer timer;
    struct relay__sync sync;
    struct list unauth_link;   /* in relay->unauth until authenticated */
    struct relay_peer peer;    /* where it connects from */
    bool authenticated;        /* once: a request or the WebSocket opening carried credentials */
    uint64_t auth_deadline_ms; /* loop time by which it must have authenticated */
    const char *held_error;    /* a 401 held back by the failed-login delay */
    /* A PBKDF2 login under way or waiting: its request stays in the stopped reader, reading
     * pauses, and the client is freed only once the job has ended. */
    struct relay__auth_job *auth_job;
    const struct http_request *auth_request; /* that request */
    struct buf auth_stash;                   /* bytes read behind it, fed once it is answered */
    bool auth_decided;                       /* the job ended: auth_error is its verdict */
    const char *auth_error;
    /* The Authorization header whose clear password this connection proved, under
     * auth_known_generation of the configuration: the same bytes again need no check. */
    char *auth_known;
    uint64_t auth_known_generation;
    bool first_request_done;
    bool buffers_kept;         /* HTTP over TLS: record buffers kept between requests */
    bool busy;                 /* inside a callback: freeing waits */
    bool ws_feeding;           /* inside the WebSocket parser: frames are flushed after it */
    struct ws_answer *answers; /* answers of the message being handled (websocket.c) */
    size_t n_answers, cap_answers;
    struct rbuf **out; /* WebSocket frames waiting for the next flush, in order; NULL if none */
    size_t n_out, cap_out;
};

/* A WebSocket gives its TLS record buffers back whenever they are empty (client.c). */
void relay__client_release_buffers(struct relay__client *c);
/* Drops the password this connection proved (login.c): once a WebSocket, it sends none again. */
void relay__client_forget_login(struct relay__client *c);
/* Code that may close a client holds it: a close then frees it only at release. */
void relay__client_hold(struct relay__client *c);
void relay__client_release(struct relay__client *c);
/* Arms the connection timer for a state, with the configured delay. */
void relay__client_arm_timer(struct relay__client *c, enum relay__timer timer);
/* Writes a JSON error response and closes (HTTP). */
void relay__client_send_error(struct relay__client *c, int status, const char *message, int reason);
/* The same with extra "Name: value\r\n" header lines (or NULL). */
void relay__client_refuse(struct relay__client *c, int status, const char *message,
                          const char *extra_headers, int reason);
/* Answers a failed login with its 401 after delay_ms (meanwhile input is ignored); the answer
 * also goes out if the connection is closed earlier for any other reason. */
void relay__client_hold_answer(struct relay__client *c, const char *error, uint64_t delay_ms);
/* Ends a client that did not authenticate in time or lost its place, with the goodbye its
 * state calls for: a held 401 goes out, a half-received request gets 408, else just the
 * closing path (which closes a connection that never spoke at once). */
void relay__client_expire(struct relay__client *c, int reason);

enum relay__login {
    RELAY_LOGIN_OK,      /* the request may proceed */
    RELAY_LOGIN_REFUSED, /* the client got its answer (429, 401 now or later, 503), is closing */
    RELAY_LOGIN_PENDING, /* a PBKDF2 check runs off the loop: c->auth_job is set */
};

/* Logging in (login.c): checks the throttle, then the request's credentials, counts the result
 * and moves the client out of the unauthenticated budget. A credential that needs PBKDF2 is
 * checked off the loop (PENDING); relay__client_login_done() then dispatches the same request
 * again, and this call, finding the verdict recorded on the client, re-checks the throttle and
 * uses the verdict instead of checking again. */
enum relay__login relay__client_login(struct relay__client *c, const struct http_request *hreq);
/* The login job ended (on the loop), its verdict recorded on c (or none when it was skipped):
 * dispatches the waiting request again, then the bytes read behind it, and resumes reading.
 * Frees c when its connection closed meanwhile. */
void relay__client_login_done(struct relay__client *c);

/* PBKDF2 logins off the loop (login_async.c). */
/* Queues deriv's check for c (taking deriv) and sets c->auth_job; never calls back before
 * returning. Its end calls relay__client_login_done(). */
void relay__login_job_start(struct relay__client *c, struct relay_auth_derivation *deriv);
/* The client's connection closed: a waiting job is dropped (c->auth_job cleared); a running
 * one cannot be, and its end frees the client. */
void relay__login_job_cancel(struct relay__client *c);
/* A handshake chose algo: derives the key its client will send, when one at a time allows. */
void relay__login_ahead_start(struct relay *relay, enum relay_hash_algo algo);
/* Decides deriv (true) with the key derived ahead, when it is derived and the same. */
bool relay__login_ahead_decide(struct relay *relay, struct relay_auth_derivation *deriv);
/* The relay goes: a derivation still running frees itself when it ends. */
void relay__login_ahead_fini(struct relay *relay);

/* The unauthenticated budget (admission.c). */
/* Counts a new client as not authenticated and gives it its deadline; makes room first by
 * expiring the oldest client of its own address group when that group is full, and the
 * oldest of the largest group when the whole budget is. */
void relay__admission_enter(struct relay__client *c, uint64_t auth_timeout_ms);
/* The client authenticated: it now counts against max_clients. False (nothing changed) when
 * max_clients authenticated clients are already there. */
bool relay__admission_promote(struct relay__client *c);
/* An authenticated client taken over after an upgrade (counted even past max_clients). */
void relay__admission_adopt_authenticated(struct relay__client *c);
/* The client is closing: it leaves whichever count it was in. */
void relay__admission_leave(struct relay__client *c);

/* WebSocket transport (websocket.c). */
/* Answers a "GET /api" first request: validates, authenticates, sends 101 and switches the
 * client to WebSocket mode; or refuses and closes. */
void relay__ws_open(struct relay__client *c, const struct http_request *hreq);
void relay__ws_feed(struct relay__client *c, const char *data, size_t len);
void relay__ws_timer(struct relay__client *c);
/* Sends a goodbye close frame (code) before the connection's closing path. */
void relay__ws_goodbye(struct relay__client *c, uint16_t code, const char *reason);
/* Frames a text message for c and queues it; flushes at once unless c's input is being read
 * (its end flushes). */
void relay__ws_send(struct relay__client *c, const char *text, size_t len);
/* Writes in one call c's queued frames, then extra[0..n_extra) (shared frames: the caller
 * keeps its references), then the control frames the session has ready (unless c's input is
 * being read). */
void relay__ws_flush(struct relay__client *c, struct rbuf *const *extra, size_t n_extra);
/* Lets go of frames never sent (the client is freed). */
void relay__ws_drop_queue(struct relay__client *c);

/* Answers kept for the next client asking the same (cache.c). */
/* Fills resp with the answer kept for target; false when none. */
bool relay__cache_get(struct relay *relay, const char *target, struct relay_response *resp);
/* Keeps resp's answer (a 200 with a text body) for target. */
void relay__cache_put(struct relay *relay, const char *target, const struct relay_response *resp);
/* Drops every answer kept (the state changed). */
void relay__cache_clear(struct relay *relay);

/* Metrics (metrics.c). */
struct http_url;
/* Counts what a write to the client carried and its write queue's new size. */
void relay__metrics_sent(struct relay__client *c, size_t n_messages, size_t len);
void relay__metrics_closed(struct relay *relay, enum net_close_reason reason);
/* True for GET /metrics while it is served. */
bool relay__metrics_owns(const struct relay *relay, const struct http_url *url);
/* Answers it: the relay's credentials, then the exposition in the format Accept prefers. */
void relay__metrics_answer(struct relay__client *c, const struct http_request *hreq);
/* Writes a complete HTTP response (client.c); close ends the connection after it. */
void relay__client_send_http(struct relay__client *c, struct http_response *resp, bool close);

/* Sync fan-out (sync.c). */
void relay__sync_init(struct relay *relay);
void relay__sync_fini(struct relay *relay);

/* Handlers: one per resource. */
void relay__res_handshake(struct relay *relay, const struct relay_request *req,
                          struct relay_response *resp);
void relay__res_version(struct relay *relay, const struct relay_request *req,
                        struct relay_response *resp);
void relay__res_buffers(struct relay *relay, const struct relay_request *req,
                        struct relay_response *resp);
void relay__res_hotlist(struct relay *relay, const struct relay_request *req,
                        struct relay_response *resp);
void relay__res_input(struct relay *relay, const struct relay_request *req,
                      struct relay_response *resp);
void relay__res_completion(struct relay *relay, const struct relay_request *req,
                           struct relay_response *resp);
void relay__res_ping(struct relay *relay, const struct relay_request *req,
                     struct relay_response *resp);
void relay__res_scripts(struct relay *relay, const struct relay_request *req,
                        struct relay_response *resp);
void relay__res_sync(struct relay *relay, const struct relay_request *req,
                     struct relay_response *resp);
void relay__res_token(struct relay *relay, const struct relay_request *req,
                      struct relay_response *resp);

/* After routing, before answering: runs the request's input now (unless it ends or
 * replaces the process: that waits for relay__queue_input), then commits; an input whose
 * lines could not be stored gets a 503 instead of its 204. */
void relay__settle(struct relay *relay, struct relay_response *resp);
/* The parts of relay__settle: runs the request's input now (true) unless it ends the
 * process; commits (0 or -1); turns an answer into the 503 of a failed commit. */
bool relay__run_input(struct relay *relay, struct relay_response *resp);
int relay__commit(struct relay *relay);
void relay__store_failed(struct relay *relay, struct relay_response *resp);
/* GET /api/search (res_search.c): full-text search of the stored history. */
void relay__res_search(struct relay *relay, const struct relay_request *req,
                       struct relay_response *resp);
/* params.c: an id parameter: absent (*id = -1, 0), a non-negative integer (0), or
 * anything else: a 400 in resp and -EINVAL. */
int relay__id_param(const struct relay_request *req, const char *name, int64_t *id,
                    struct relay_response *resp);
/* A count parameter: absent (*v untouched, 0), a base-10 long (1), or anything else: a
 * 400 in resp and -EINVAL. */
int relay__count_param(const struct relay_request *req, const char *name, long *v,
                       struct relay_response *resp);
/* GET /api/buffers/{b}/lines (res_lines.c): memory, then the stored history. */
struct relay_buffer_opts;
void relay__res_lines(struct core_buffer *b, const struct relay_request *req,
                      const struct relay_buffer_opts *opts, struct relay_response *resp);
/* GET /api/buffers/{b}/lines/{id}; id -1 when the text is not an id. */
void relay__res_line(const struct core_buffer *b, int64_t id, const char *id_text,
                     const char *buffer_text, const struct relay_buffer_opts *opts,
                     struct relay_response *resp);
/* Queues the response's input (if any) to run on the next loop turn. */
void relay__queue_input(struct relay *relay, struct relay_response *resp);
/* Sends the pending events (sync.c); relay_flush() commits first. */
void relay__sync_flush(struct relay *relay);
/* The end-of-iteration handles' callbacks: relay_flush(). */
void relay__flush_prepare_cb(uv_prepare_t *handle);
void relay__flush_check_cb(uv_check_t *handle);
/* A WebSocket client arrived (+1) or left (-1): the presence callback hears of the
 * first arrival and the last departure. */
void relay__presence(struct relay *relay, int delta);
/* The listeners' accept callback. */
void relay__accept_cb(struct net_conn *conn, void *data);
/* Puts an adopted client (after an upgrade) back in WebSocket mode, without deflate. */
void relay__ws_adopt(struct relay__client *c);
/* Accepts a connection as an HTTP client, not authenticated yet. */
void relay__client_accept(struct relay *relay, struct net_conn *conn);
/* Takes over a connection kept across an upgrade, authenticated or with the time it had
 * left to authenticate. Returns the client, or NULL when it was refused. */
struct relay__client *relay__client_adopt(struct relay *relay, struct net_conn *conn,
                                          bool authenticated, uint64_t auth_left_ms);
void relay__client_close_all(struct relay *relay, int reason);

#endif
