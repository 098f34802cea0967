/* SPDX-License-Identifier: MIT */
/* The daemon's state, passed down instead of globals. */
#ifndef PERCH_PERCHD_PERCHD_H
#define PERCH_PERCHD_PERCHD_H

#include <stdbool.h>
#include <uv.h>

#include "base/list.h"
#include "config.h"

struct core;
struct perchd_metrics_server;
struct relay;
struct tls_context;

struct perchd {
    uv_loop_t *loop;
    char *dir;
    char *config_path;
    char *tls_listen_override;
    char *plain_listen_override;
    const char *control_command; /* --quit, --reload, --upgrade */
    const char *tool;            /* --check-db, --export-logs, --import-weechat-logs */
    const char *tool_arg;        /* the directory of the last two */
    struct perchd_config cfg;
    struct core *core;
    struct store *store;
    uv_timer_t checkpoint_timer; /* checkpoint.c */
    uv_work_t checkpoint_req;
    bool checkpoint_busy;
    int checkpoint_rc;
    char checkpoint_path[4200];
    uv_timer_t index_timer; /* checkpoint.c: search index upkeep in short steps */
    struct irc *irc;
    struct relay *relay;
    struct perchd_metrics_server *metrics_server; /* [metrics] listen, while open */
    struct tls_context *tls;
    uv_signal_t sig_term;
    uv_signal_t sig_int;
    uv_signal_t sig_hup;
    uv_signal_t sig_usr2;
    uv_pipe_t control;
    bool control_open;
    struct list control_clients; /* accepted control connections */
    bool quitting;
    char exe[4096];             /* the binary on disk, executed again by an upgrade */
    bool restore;               /* started by an upgrade: take the old process's state */
    struct pjson *irc_handover; /* the IRC links the old process handed over, until loaded */
    bool upgrading;
    int upgrade_reply_fd; /* control client waiting for the upgrade's outcome, or -1 */
    int lock_fd;          /* DIR/perchd.lock, held while running (-1 before) */
    uv_timer_t upgrade_timer;
    uv_timer_t retention_timer;      /* a step of the store's retention per tick, when on */
    uv_timer_t schedule_timer;       /* schedule.c: the first input waiting to run */
    bool schedule_on;                /* schedule_timer set up and not closed */
    uint64_t upgrade_deadline;       /* kept connections must have flushed by then */
    uint64_t upgrade_drain_deadline; /* the exec happens by then, whatever is left */
    bool upgrade_draining;           /* past the first deadline */
};

/* Starts the clean shutdown: quit event, goodbyes, bounded wait, exit 0. */
void perchd_quit(void *data, const char *message);
/* Reloads config and certificate; on failure keeps both and returns -1 with err set. */
int perchd_reload(struct perchd *d, char *err, size_t err_len);

/* Creates the data dir, config, certificate and password on first run.
 * Returns 0, or -1 after printing why. */
int perchd_firstrun(struct perchd *d);
/* Loads (or reloads) the config, applying PERCH_PASSWORD and command-line
 * overrides; on failure the running config is kept. Returns 0 or -1. */
int perchd_load_config(struct perchd *d, struct perchd_config *out, char *err, size_t err_len);
/* Reads DIR/token.key into cfg (made on first use); a warning and no tokens when it cannot. */
void perchd_token_key_load(const char *dir, struct relay_config *cfg);

#endif
