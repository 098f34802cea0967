/* SPDX-License-Identifier: MIT */
/* Upgrade in place: save, hand descriptors over execve, restore. */
#include "upgrade.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/json.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "control.h"
#include "core/core.h"
#include "core/state.h"
#include "irc/irc.h"
#include "lock.h"
#include "metrics.h"
#include "perchd.h"
#include "relay/relay.h"
#include "tls/context.h"
#include "upgrade_fds.h"

#define UPGRADE_STATE_FILE "upgrade.state"
/* Answers still being sent at the deadline finish in this process, with the goodbye
 * after them, for at most this many more close graces (each also bounded by progress). */
#define UPGRADE_DRAIN_GRACES 10

static void
upgrade_state_path(const struct perchd *d, char *out, size_t len)
{
    snprintf(out, len, "%s/%s", d->dir, UPGRADE_STATE_FILE);
}

static void
upgrade_reply(int fd, const char *text)
{
    if (fd < 0)
        return;
    if (write(fd, text, strlen(text)) < 0)
        log_warn("upgrade: cannot answer the control client: %s", strerror(errno));
}

static int
upgrade_write_state(struct perchd *d, const char *path)
{
    struct pjson *state = pjson_object();
    char tmp[4300], *text;
    size_t len;
    int fd, rc = -1;

    pjson_add_int(state, "version", 1);
    pjson_add_int(state, "reply_fd", d->upgrade_reply_fd);
    pjson_add_int(state, "lock_fd", d->lock_fd);
    pjson_add(state, "core", core_state_save(d->core));
    pjson_add(state, "relay", relay_save(d->relay));
    pjson_add(state, "irc", irc_upgrade_save(d->irc));
    text = pjson_print(state, &len);
    pjson_free(state);
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd >= 0 && write(fd, text, len) == (ssize_t)len && fsync(fd) == 0)
        rc = rename(tmp, path);
    if (fd >= 0)
        close(fd);
    free(text);
    return rc;
}

static void
upgrade_set_cloexec(const int *fds, size_t n, bool on)
{
    for (size_t i = 0; i < n; i++) {
        int flags = fcntl(fds[i], F_GETFD);
        if (flags >= 0)
            fcntl(fds[i], F_SETFD, on ? flags | FD_CLOEXEC : flags & ~FD_CLOEXEC);
    }
}

static void
upgrade_exec(struct perchd *d)
{
    char path[4200], msg[600];
    const char *argv[16];
    int *fds, argc = 0;
    size_t n_fds;

    upgrade_state_path(d, path, sizeof(path));
    /* Everything shown so far is stored before the state is taken. */
    relay_flush(d->relay);
    fds = relay_save_fds(d->relay, 2 + irc_upgrade_kept(d->irc), &n_fds);
    n_fds += irc_upgrade_fds(d->irc, fds + n_fds);
    if (d->upgrade_reply_fd >= 0)
        fds[n_fds++] = d->upgrade_reply_fd;
    if (d->lock_fd >= 0)
        fds[n_fds++] = d->lock_fd;
    if (upgrade_write_state(d, path) < 0) {
        snprintf(msg, sizeof(msg), "cannot write %.300s: %s", path, strerror(errno));
        goto fail;
    }
    argv[argc++] = d->exe;
    argv[argc++] = "--dir";
    argv[argc++] = d->dir;
    argv[argc++] = "--config";
    argv[argc++] = d->config_path;
    if (d->tls_listen_override) {
        argv[argc++] = "--tls-listen";
        argv[argc++] = d->tls_listen_override;
    }
    if (d->plain_listen_override) {
        argv[argc++] = "--plain-listen";
        argv[argc++] = d->plain_listen_override;
    }
    argv[argc++] = "--restore";
    argv[argc] = NULL;
    log_info("upgrade: executing %s with %zu connections and listeners", d->exe, n_fds);
    upgrade_set_cloexec(fds, n_fds, false);
    execv(d->exe, (char *const *)(uintptr_t)argv);
    snprintf(msg, sizeof(msg), "exec %.300s: %s", d->exe, strerror(errno));
    upgrade_set_cloexec(fds, n_fds, true);
    unlink(path);
fail:
    free(fds);
    /* Nothing is lost: this process goes on serving what it kept. */
    log_error("upgrade failed, perchd keeps running: %s", msg);
    char reply[700];
    snprintf(reply, sizeof(reply), "error: %s\n", msg);
    upgrade_reply(d->upgrade_reply_fd, reply);
    perchd_control_release(d, d->upgrade_reply_fd);
    d->upgrade_reply_fd = -1;
    d->upgrading = false;
    relay_upgrade_abort(d->relay);
    perchd_metrics_listen(d);
    irc_resume(d->irc);
    core_emit_process(d->core, CORE_EVENT_UPGRADE_ENDED);
}

static void
upgrade_poll(uv_timer_t *timer)
{
    struct perchd *d = timer->data;
    uint64_t now = uv_now(d->loop);

    if (!relay_upgrade_ready(d->relay, irc_upgrade_kept(d->irc)) || !irc_upgrade_ready(d->irc)) {
        if (now < d->upgrade_deadline)
            return;
        /* A kept connection still sending would cross mid-answer: it ends here instead,
         * its answer complete and its goodbye after it. */
        if (!d->upgrade_draining) {
            size_t n = relay_upgrade_close_unflushed(d->relay);
            n += irc_upgrade_close_unflushed(d->irc);
            d->upgrade_draining = true;
            if (n)
                log_info("upgrade: %zu connections still receiving end here first", n);
        }
        if (now < d->upgrade_drain_deadline)
            return;
        log_warn("upgrade: going ahead with connections still closing");
    }
    uv_timer_stop(timer);
    upgrade_exec(d);
}

/* The new process starts from the config and certificate on disk: refuse to exec into
 * one that would not start, as a reload refuses them. */
static int
upgrade_check_config(struct perchd *d, char *err, size_t err_len)
{
    struct perchd_config cfg;
    struct tls_context *tls = NULL;
    char why[400];

    if (perchd_load_config(d, &cfg, why, sizeof(why)) < 0) {
        snprintf(err, err_len, "the new process would not start: %s", why);
        return -1;
    }
    if (cfg.tls_listen[0] &&
        !(tls = tls_context_new_server(cfg.tls_cert, cfg.tls_key, why, sizeof(why)))) {
        snprintf(err, err_len, "the new process would not start: %s", why);
        perchd_config_fini(&cfg);
        return -1;
    }
    tls_context_unref(tls);
    perchd_config_fini(&cfg);
    return 0;
}

int
perchd_upgrade(struct perchd *d, int reply_fd, char *err, size_t err_len)
{
    if (d->quitting || d->upgrading) {
        snprintf(err, err_len, "perchd is already %s", d->quitting ? "quitting" : "upgrading");
        return -1;
    }
    if (access(d->exe, X_OK) < 0) {
        snprintf(err, err_len, "cannot execute %s: %s", d->exe, strerror(errno));
        log_error("upgrade refused: %s", err);
        return -1;
    }
    if (upgrade_check_config(d, err, err_len) < 0) {
        log_error("upgrade refused: %s", err);
        return -1;
    }
    log_info("upgrade: starting");
    d->upgrading = true;
    /* Inputs already acknowledged run before the state is taken. */
    relay_run_pending_inputs(d->relay);
    d->upgrade_reply_fd = reply_fd;
    core_emit_process(d->core, CORE_EVENT_UPGRADE);
    relay_upgrade_prepare(d->relay);
    /* The metrics listener does not cross: the new process opens it again. */
    perchd_metrics_stop(d, NET_CLOSE_UPGRADE);
    /* Plain registered IRC links cross with their state; the others end with QUIT (and
     * close_notify), the new process connects them again. */
    irc_suspend(d->irc, "perchd upgrading");
    d->upgrade_deadline = uv_now(d->loop) + d->cfg.relay.close_grace_ms + 500;
    d->upgrade_drain_deadline =
        d->upgrade_deadline + UPGRADE_DRAIN_GRACES * d->cfg.relay.close_grace_ms;
    d->upgrade_draining = false;
    uv_timer_start(&d->upgrade_timer, upgrade_poll, 10, 10);
    return 0;
}

/* The old process handed its data dir lock over; a state from a perchd without one
 * means taking it now. */
static int
upgrade_take_lock(struct perchd *d, const struct pjson *state, char *err, size_t err_len)
{
    int fd = (int)pjson_integer(pjson_get(state, "lock_fd"), -1, INT_MAX, -1);

    d->lock_fd = perchd_lock_adopt(d->dir, fd, err, err_len);
    if (d->lock_fd < 0)
        return -1;
    perchd_lock_set_inherited(d->lock_fd, false);
    return 0;
}

/* "ok" to the control client that asked for the upgrade, if the state names its socket:
 * any other descriptor is left alone (it could be a file this process writes, or the
 * journal's socket on stdout). */
static void
upgrade_answer(struct perchd *d, const struct pjson *state)
{
    int fd = (int)pjson_integer(pjson_get(state, "reply_fd"), -1, INT_MAX, -1);

    if (fd < 0)
        return;
    if (!perchd_control_is_client(d->dir, fd)) {
        log_warn("upgrade: descriptor %d is not a control client's socket: no answer sent", fd);
        return;
    }
    upgrade_reply(fd, "ok\n");
    close(fd);
}

int
perchd_upgrade_restore(struct perchd *d, char *err, size_t err_len)
{
    char path[4200], why[200];
    struct pjson *state = NULL;
    char *text = NULL;
    size_t len = 0;
    FILE *f;
    int rc = -1;

    upgrade_state_path(d, path, sizeof(path));
    f = fopen(path, "re");
    if (!f) {
        snprintf(err, err_len, "%s: %s", path, strerror(errno));
        return -1;
    }
    text = xmalloc(64);
    for (size_t cap = 64, n; (n = fread(text + len, 1, cap - len, f)) > 0;) {
        len += n;
        if (len == cap)
            text = xrealloc(text, cap *= 2);
    }
    fclose(f);
    state = pjson_parse(text, len, 4096);
    if (!state) {
        snprintf(err, err_len, "%s: not a valid upgrade state (the file is kept)", path);
        goto out;
    }
    if (perchd_upgrade_check_fds(state, why, sizeof(why)) < 0) {
        snprintf(err, err_len, "%s: not a valid upgrade state: %s (the file is kept)", path, why);
        goto out;
    }
    /* The lock first: nothing is taken over by a second daemon for the same data dir. */
    if (upgrade_take_lock(d, state, err, err_len) < 0)
        goto out;
    if (core_state_restore(d->core, pjson_get(state, "core")) < 0) {
        snprintf(err, err_len, "%s: not a valid upgrade state (the file is kept)", path);
        goto out;
    }
    if (relay_restore(d->relay, pjson_get(state, "relay"), d->tls, err, err_len) < 0)
        goto out;
    /* The networks come later, from the store: their links are adopted then. */
    if (pjson_is_object(pjson_get(state, "irc")))
        d->irc_handover = pjson_copy(pjson_get(state, "irc"));
    else
        log_info("upgrade: the state names no IRC links: networks connect again");
    upgrade_answer(d, state);
    /* Only a state fully taken over goes; anything less keeps it for a look. */
    unlink(path);
    core_emit_process(d->core, CORE_EVENT_UPGRADE_ENDED);
    log_info("upgrade: done, state restored");
    rc = 0;
out:
    pjson_free(state);
    free(text);
    return rc;
}

void
perchd_upgrade_check_leftover(struct perchd *d)
{
    char path[4200];

    upgrade_state_path(d, path, sizeof(path));
    if (access(path, F_OK) == 0)
        log_warn("%s is left from an upgrade that did not finish; this start does not use it "
                 "and keeps it (its buffers and lines are not restored)",
                 path);
}
