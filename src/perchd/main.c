/* SPDX-License-Identifier: MIT */
/* perchd: wires the core, the relay and TLS to the event loop; signals and reload. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "base/json.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "checkpoint.h"
#include "control.h"
#include "core/core.h"
#include "irc/irc.h"
#include "metrics.h"
#include "perchd.h"
#include "relay/auth.h"
#include "relay/relay.h"
#include "retention.h"
#include "saved.h"
#include "schedule.h"
#include "store/store.h"
#include "tls/context.h"
#include "tools.h"
#include "upgrade.h"

#ifndef PERCH_VERSION
#define PERCH_VERSION "0.0.0"
#endif

/* The layout help2man turns into the man page: "Usage:"/"or:" lines, then sections. */
static void
usage(FILE *out)
{
    fprintf(
        out,
        "Usage: perchd [OPTION]...\n"
        "  or:  perchd [--dir DIR] --quit | --reload | --upgrade\n"
        "  or:  perchd --hash-password\n"
        "  or:  perchd [--dir DIR] --check-db | --export-logs OUTDIR | --import-weechat-logs INDIR\n"
        "Keeps a chat session (buffers, lines, nicklists, hotlist) and serves it over the\n"
        "WeeChat \"api\" relay protocol: HTTP REST and WebSocket with JSON, over TLS.\n"
        "SIGHUP reloads the config and certificate, SIGUSR2 upgrades in place, SIGTERM and\n"
        "SIGINT stop perchd after it has said goodbye to every client.\n"
        "\n"
        "Options:\n"
        "  --dir DIR                 data dir (default $XDG_DATA_HOME/perch or\n"
        "                            ~/.local/share/perch)\n"
        "  --config FILE             config file (default DIR/perchd.conf, created on first run)\n"
        "  --tls-listen HOST:PORT    HTTPS/WSS listener (overrides the config; \"\" for none)\n"
        "  --plain-listen HOST:PORT  plain HTTP/WS listener (overrides the config)\n"
        "  --quit                    ask the daemon running for DIR to stop; returns once it has\n"
        "  --reload                  ask it to reload its config and certificate\n"
        "  --upgrade                 ask it to upgrade in place, keeping state and plain connections\n"
        "  --hash-password           print a stored hash for [relay] password_hash (the password\n"
        "                            comes from PERCH_PASSWORD or stdin)\n"
        "  --check-db                check DIR/perch.db (SQLite's and the search index's\n"
        "                            integrity); prints ok, or the problems and exits 1\n"
        "  --export-logs OUTDIR      write each history as OUTDIR/NAME.weechatlog in WeeChat's\n"
        "                            logger format (local time, colours stripped)\n"
        "  --import-weechat-logs INDIR\n"
        "                            import INDIR/*.weechatlog (named as WeeChat's default mask,\n"
        "                            irc.libera.#perch.weechatlog) into histories perch does\n"
        "                            not have yet; the three tools refuse to run while perchd\n"
        "                            runs for DIR\n"
        "  --help                    show this help and exit\n"
        "  --version                 show the version and exit\n"
        "\n"
        "Environment:\n"
        "  PERCH_PASSWORD            the relay password (overrides the config file)\n");
}

static char *
default_dir(void)
{
    const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
    char path[4096];

    if (xdg && xdg[0] == '/')
        snprintf(path, sizeof(path), "%s/perch", xdg);
    else
        snprintf(path, sizeof(path), "%s/.local/share/perch", home ? home : ".");
    return xstrdup(path);
}

int
perchd_load_config(struct perchd *d, struct perchd_config *out, char *err, size_t err_len)
{
    struct perchd_config cfg;
    const char *env = getenv("PERCH_PASSWORD");
    enum log_level level;

    if (perchd_config_load(&cfg, d->config_path, d->dir, err, err_len) < 0)
        return -1;
    if (env && env[0]) {
        free(cfg.relay.password);
        cfg.relay.password = xstrdup(env);
    }
    if (d->tls_listen_override) {
        free(cfg.tls_listen);
        cfg.tls_listen = xstrdup(d->tls_listen_override);
    }
    if (d->plain_listen_override) {
        free(cfg.plain_listen);
        cfg.plain_listen = xstrdup(d->plain_listen_override);
    }
    if (!cfg.relay.password[0] && !cfg.relay.password_hash) {
        snprintf(err, err_len, "%s: no password: set [relay] password or PERCH_PASSWORD",
                 d->config_path);
        perchd_config_fini(&cfg);
        return -1;
    }
    log_level_parse(cfg.log_level, &level);
    log_set_level(level);
    if (cfg.relay.token_lifetime_ms)
        perchd_token_key_load(d->dir, &cfg.relay);
    *out = cfg;
    return 0;
}

static int
load_tls(struct perchd *d)
{
    char err[512];
    struct tls_context *tls;

    if (!d->cfg.tls_listen[0])
        return 0;
    tls = tls_context_new_server(d->cfg.tls_cert, d->cfg.tls_key, err, sizeof(err));
    if (!tls) {
        log_error("%s", err);
        return -1;
    }
    tls_context_unref(d->tls);
    d->tls = tls;
    return 0;
}

void
perchd_quit(void *data, const char *message)
{
    struct perchd *d = data;

    if (d->quitting) {
        log_info("already quitting: %s", message ? message : "");
        return;
    }
    d->quitting = true;
    log_info("quitting%s%s", message ? ": " : "", message ? message : "");
    /* Inputs already acknowledged run first (a /quit among them is ignored above). */
    relay_run_pending_inputs(d->relay);
    irc_quit(d->irc, message);
    core_emit_process(d->core, CORE_EVENT_QUIT);
    relay_stop(d->relay);
    perchd_metrics_stop(d, NET_CLOSE_QUIT);
    /* The signal handlers stay (a second SIGTERM must not kill the draining process)
     * but no longer keep the loop running; main() closes them at the end. */
    uv_unref((uv_handle_t *)&d->sig_term);
    uv_unref((uv_handle_t *)&d->sig_int);
    uv_unref((uv_handle_t *)&d->sig_hup);
    uv_unref((uv_handle_t *)&d->sig_usr2);
    uv_close((uv_handle_t *)&d->upgrade_timer, NULL);
    perchd_retention_close(d);
    perchd_schedule_close(d);
    perchd_checkpoint_close(d);
    perchd_control_close(d);
}

/* A reload validates the whole new config and certificate before using either. */
int
perchd_reload(struct perchd *d, char *err, size_t err_len)
{
    struct perchd_config cfg;
    struct tls_context *tls = NULL;
    const char *fixed;

    if (perchd_load_config(d, &cfg, err, err_len) < 0)
        goto refused;
    if (cfg.tls_listen[0] &&
        !(tls = tls_context_new_server(cfg.tls_cert, cfg.tls_key, err, err_len))) {
        perchd_config_fini(&cfg);
        goto refused;
    }
    fixed = perchd_config_fixed_change(&d->cfg, &cfg);
    if (fixed)
        log_warn("reload: a change of %s takes effect at the next start", fixed);
    if (tls) {
        relay_set_tls(d->relay, tls);
        tls_context_unref(d->tls);
        d->tls = tls;
    }
    /* Keep the listeners as they are until a restart. */
    free(cfg.tls_listen);
    free(cfg.plain_listen);
    free(cfg.metrics_listen);
    cfg.tls_listen = d->cfg.tls_listen;
    cfg.plain_listen = d->cfg.plain_listen;
    cfg.metrics_listen = d->cfg.metrics_listen;
    d->cfg.tls_listen = NULL;
    d->cfg.plain_listen = NULL;
    d->cfg.metrics_listen = NULL;
    perchd_config_fini(&d->cfg);
    d->cfg = cfg;
    relay_set_config(d->relay, &d->cfg.relay);
    perchd_metrics_apply(d);
    d->cfg.irc.close_grace_ms = d->cfg.relay.close_grace_ms;
    if (d->irc) {
        irc_set_timing(d->irc, &d->cfg.irc);
        irc_reload_defs(d->irc, d->cfg.irc_networks, d->cfg.n_irc_networks);
    }
    d->core->max_lines = (size_t)d->cfg.max_lines;
    perchd_retention_apply(d);
    log_info("reloaded %s", d->config_path);
    return 0;
refused:
    log_error("reload refused, keeping the running config: %s", err);
    return -1;
}

static void
on_signal(uv_signal_t *sig, int signum)
{
    struct perchd *d = sig->data;

    char err[512];

    if (signum == SIGHUP)
        perchd_reload(d, err, sizeof(err));
    else if (signum == SIGUSR2)
        perchd_upgrade(d, -1, err, sizeof(err));
    else
        perchd_quit(d, signum == SIGTERM ? "SIGTERM" : "SIGINT");
}

static int
perchd_reload_cmd(void *data, char *msg, size_t msg_len)
{
    struct perchd *d = data;

    if (perchd_reload(d, msg, msg_len) < 0)
        return -1;
    snprintf(msg, msg_len, "%s", d->config_path);
    return 0;
}

static int
perchd_upgrade_cmd(void *data, char *err, size_t err_len)
{
    return perchd_upgrade(data, -1, err, err_len);
}

/* The state comes first: an upgrade's from the old process, else the store's (loaded at
 * open); then the store takes it as it is. */
static int
perchd_restore(struct perchd *d)
{
    char err[512];

    if (d->restore) {
        if (perchd_upgrade_restore(d, err, sizeof(err)) < 0) {
            log_error("upgrade: %s", err);
            return -1;
        }
    } else {
        perchd_upgrade_check_leftover(d);
    }
    if (store_attach(d->store, err, sizeof(err)) < 0) {
        log_error("%s", err);
        return -1;
    }
    return 0;
}

/* Listening comes last (an upgrade's listeners were taken over already): until the loop
 * runs, connections wait in the backlog, and a slow start must not let them pile up. */
static int
perchd_listen(struct perchd *d)
{
    char err[512];

    if (d->restore)
        return 0;
    if (d->cfg.tls_listen[0] &&
        relay_listen(d->relay, d->cfg.tls_listen, d->tls, err, sizeof(err)) < 0) {
        log_error("%s", err);
        return -1;
    }
    if (d->cfg.plain_listen[0] &&
        relay_listen(d->relay, d->cfg.plain_listen, NULL, err, sizeof(err)) < 0) {
        log_error("%s", err);
        return -1;
    }
    return 0;
}

static int
store_commit_op(void *data)
{
    struct perchd *d = data;
    int rc = store_commit(d->store);

    perchd_index_kick(d);
    return rc;
}

static bool
store_lost_op(void *data, int64_t buffer_id, int64_t line_id)
{
    return store_line_lost(((struct perchd *)data)->store, buffer_id, line_id);
}

static void
store_forget_lost_op(void *data)
{
    store_forget_lost(((struct perchd *)data)->store);
}

static const char *
store_error_op(void *data)
{
    return store_error(((struct perchd *)data)->store);
}

static void
perchd_presence(void *data, bool attached)
{
    struct perchd *d = data;

    irc_set_clients_attached(d->irc, attached);
}

static void
perchd_start_irc(struct perchd *d)
{
    d->cfg.irc.close_grace_ms = d->cfg.relay.close_grace_ms;
    d->irc = irc_new(d->loop, d->core, &d->cfg.irc);
    irc_set_handover(d->irc, d->irc_handover);
    pjson_free(d->irc_handover);
    d->irc_handover = NULL;
    perchd_load_irc(d);
    irc_set_changed_cb(d->irc, perchd_save_irc, d);
    relay_set_presence_cb(d->relay, perchd_presence, d);
    irc_set_clients_attached(d->irc, relay_clients_attached(d->relay));
}

/* History first: the store follows the core before the relay does, and a plain start
 * takes the stored buffers (an upgrade takes the old process's memory instead). */
static int
perchd_open_store(struct perchd *d)
{
    char path[4200], err[600];

    snprintf(path, sizeof(path), "%s/perch.db", d->dir);
    d->store = store_open(path, err, sizeof(err));
    if (!d->store || (!d->restore && store_load(d->store, d->core, err, sizeof(err)) < 0)) {
        log_error("%s", err);
        return -1;
    }
    store_follow(d->store, d->core);
    return 0;
}

static int
perchd_start(struct perchd *d)
{
    char err[512] = "";
    struct core_host host = {
        .quit = perchd_quit,
        .upgrade = perchd_upgrade_cmd,
        .reload = perchd_reload_cmd,
        .aliases_changed = perchd_save_aliases,
        .schedule_changed = perchd_schedule_changed,
        .data = d,
    };

    if (perchd_control_listen(d, err, sizeof(err)) < 0) {
        log_error("%s", err);
        return -1;
    }
    if (load_tls(d) < 0)
        return -1;
    d->core = core_new((size_t)d->cfg.max_lines, PERCH_VERSION);
    core_set_host(d->core, &host);
    if (perchd_open_store(d) < 0)
        return -1;
    perchd_load_aliases(d);
    d->relay = relay_new(d->loop, d->core, &d->cfg.relay, PERCH_VERSION);
    struct relay_store_ops store_ops = {
        .commit = store_commit_op,
        .lost = store_lost_op,
        .forget_lost = store_forget_lost_op,
        .error = store_error_op,
        .data = d,
    };
    relay_set_store(d->relay, &store_ops);
    uv_timer_init(d->loop, &d->upgrade_timer);
    d->upgrade_timer.data = d;
    perchd_retention_init(d);
    perchd_schedule_init(d);
    /* Handlers before the listeners: once an upgrade's clients hear upgrade_ended, a
     * SIGTERM must find a daemon that says goodbye, not one that dies of it. */
    uv_signal_t *sigs[] = { &d->sig_term, &d->sig_int, &d->sig_hup, &d->sig_usr2 };
    int nums[] = { SIGTERM, SIGINT, SIGHUP, SIGUSR2 };
    for (int i = 0; i < 4; i++) {
        uv_signal_init(d->loop, sigs[i]);
        sigs[i]->data = d;
        uv_signal_start(sigs[i], on_signal, nums[i]);
    }
    if (perchd_restore(d) < 0)
        goto fail;
    perchd_retention_apply(d);
    perchd_checkpoint_start(d);
    /* Networks once everything is restored: their buffers join the restored ones. */
    perchd_start_irc(d);
    perchd_metrics_apply(d);
    /* After an upgrade the state is here and the old process gone: a metrics port taken
     * meanwhile is logged, not worth ending the daemon for. */
    if (perchd_listen(d) < 0 || (perchd_metrics_listen(d) < 0 && !d->restore)) {
        irc_quit(d->irc, NULL);
        goto fail;
    }
    log_info("perchd %s ready (data dir %s)", PERCH_VERSION, d->dir);
    return 0;
fail:
    for (int i = 0; i < 4; i++)
        uv_close((uv_handle_t *)sigs[i], NULL);
    uv_close((uv_handle_t *)&d->upgrade_timer, NULL);
    perchd_retention_close(d);
    perchd_schedule_close(d);
    perchd_checkpoint_close(d);
    return -1;
}

static void
ignore_signal(int signum)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = SIG_IGN;
    sigaction(signum, &sa, NULL);
}

static int
hash_password(void)
{
    const char *env = getenv("PERCH_PASSWORD");
    char line[1024];
    char *hash;

    if (!env) {
        if (!fgets(line, sizeof(line), stdin)) {
            fprintf(stderr, "perchd: no password on stdin\n");
            return 1;
        }
        line[strcspn(line, "\r\n")] = '\0';
        env = line;
    }
    if (!env[0]) {
        fprintf(stderr, "perchd: empty password\n");
        return 1;
    }
    hash = relay_password_hash_new(env, 100000);
    if (!hash)
        return 1;
    printf("%s\n", hash);
    free(hash);
    return 0;
}

static int
parse_args(struct perchd *d, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "dir", required_argument, NULL, 'd' },
        { "config", required_argument, NULL, 'c' },
        { "tls-listen", required_argument, NULL, 't' },
        { "plain-listen", required_argument, NULL, 'p' },
        { "hash-password", no_argument, NULL, 'H' },
        { "quit", no_argument, NULL, 'Q' },
        { "reload", no_argument, NULL, 'R' },
        { "upgrade", no_argument, NULL, 'U' },
        { "restore", no_argument, NULL, 'S' },
        { "check-db", no_argument, NULL, 'K' },
        { "export-logs", required_argument, NULL, 'E' },
        { "import-weechat-logs", required_argument, NULL, 'I' },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    int c;

    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'd':
            free(d->dir);
            d->dir = xstrdup(optarg);
            break;
        case 'c':
            free(d->config_path);
            d->config_path = xstrdup(optarg);
            break;
        case 't':
            d->tls_listen_override = optarg;
            break;
        case 'p':
            d->plain_listen_override = optarg;
            break;
        case 'H':
            exit(hash_password());
        case 'Q':
            d->control_command = "quit";
            break;
        case 'R':
            d->control_command = "reload";
            break;
        case 'U':
            d->control_command = "upgrade";
            break;
        case 'S':
            d->restore = true;
            break;
        case 'K':
        case 'E':
        case 'I':
            d->tool = c == 'K' ? "check-db" : c == 'E' ? "export-logs" : "import-weechat-logs";
            d->tool_arg = optarg;
            break;
        case 'h':
            usage(stdout);
            exit(0);
        case 'V':
            printf("perchd %s\n", PERCH_VERSION);
            exit(0);
        default:
            usage(stderr);
            return -1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "perchd: unexpected argument \"%s\"\n", argv[optind]);
        return -1;
    }
    if (d->tool && d->control_command) {
        fprintf(stderr, "perchd: --%s and --%s cannot go together\n", d->tool, d->control_command);
        return -1;
    }
    return 0;
}

/* Every connection is a descriptor: take the whole hard limit the system grants, so that
 * max_clients, the unauthenticated budget and the connections closing all fit. */
static void
raise_fd_limit(void)
{
    struct rlimit rl;

    if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur >= rl.rlim_max)
        return;
    rl.rlim_cur = rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
        log_warn("cannot raise the descriptor limit: %s", strerror(errno));
}

int
main(int argc, char **argv)
{
    struct perchd d = { 0 };
    char path[4096];
    int rc = 1;

    if (parse_args(&d, argc, argv) < 0)
        return 2;
    if (!d.dir)
        d.dir = default_dir();
    if (d.tool) {
        rc = perchd_tools_run(d.dir, d.tool, d.tool_arg);
        free(d.dir);
        free(d.config_path);
        return rc;
    }
    if (d.control_command) {
        rc = perchd_control_run(d.dir, d.control_command);
        free(d.dir);
        free(d.config_path);
        return rc;
    }
    if (!d.config_path) {
        snprintf(path, sizeof(path), "%s/perchd.conf", d.dir);
        d.config_path = xstrdup(path);
    }
    /* Writes to a closed socket must fail with EPIPE, not kill the daemon. */
    ignore_signal(SIGPIPE);
    raise_fd_limit();
    d.upgrade_reply_fd = -1;
    d.lock_fd = -1;
    /* The path, not the inode: an upgrade runs whatever binary is there by then. */
    ssize_t n = readlink("/proc/self/exe", d.exe, sizeof(d.exe) - 1);
    d.exe[n > 0 ? n : 0] = '\0';
    if (n > 10 && strcmp(d.exe + n - 10, " (deleted)") == 0)
        d.exe[n - 10] = '\0';
    d.loop = uv_default_loop();
    if (perchd_firstrun(&d) < 0)
        goto out;
    if (perchd_start(&d) < 0) {
        if (d.relay)
            relay_stop(d.relay);
        perchd_metrics_stop(&d, NET_CLOSE_QUIT);
        perchd_control_close(&d);
        goto out;
    }
    uv_run(d.loop, UV_RUN_DEFAULT);
    uv_close((uv_handle_t *)&d.sig_term, NULL);
    uv_close((uv_handle_t *)&d.sig_int, NULL);
    uv_close((uv_handle_t *)&d.sig_hup, NULL);
    uv_close((uv_handle_t *)&d.sig_usr2, NULL);
    /* Exiting already: a late SIGTERM must not turn exit 0 into a kill (closing the
     * handles above gave the signals their default action back). */
    ignore_signal(SIGTERM);
    ignore_signal(SIGINT);
    log_info("stopped");
    rc = 0;
out:
    relay_free(d.relay);
    uv_run(d.loop, UV_RUN_NOWAIT);
    irc_free(d.irc);
    pjson_free(d.irc_handover);
    store_close(d.store);
    core_free(d.core);
    tls_context_unref(d.tls);
    if (d.lock_fd >= 0)
        close(d.lock_fd);
    perchd_config_fini(&d.cfg);
    uv_loop_close(d.loop);
    free(d.dir);
    free(d.config_path);
    return rc;
}
