/* SPDX-License-Identifier: MIT */
/* perch: the client. One-shot commands over the relay's REST API. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "base/json.h"
#include "base/log.h"
#include "base/timefmt.h"
#include "base/xalloc.h"
#include "client/tui/tui.h"
#include "credentials.h"
#include "http.h"
#include "live.h"
#include "tls/context.h"

#ifndef PERCH_VERSION
#define PERCH_VERSION "0.0.0"
#endif

struct perch {
    bool plain;
    bool has_stdin; /* fd 0 was open when perch started */
    const char *buffer;
    uint64_t ping_timeout_ms;
    uint64_t backoff_min_ms;
    uint64_t backoff_max_ms;
    char algo[32];
    int iterations;
    const char *cafile;
    const char *fingerprint;
    const char *password_file;
    bool insecure;
    long n_lines;
    char *args[4];
    int n_args;
    uv_loop_t *loop;
    struct client_url url;
    struct client_target target;
    char password[512];
    char totp[16];
    bool totp_used_env; /* the environment's code is used once: later ones are asked */
    bool in_tui;
    char auth[1024];
};

/* The layout help2man turns into the man page: "Usage:"/"or:" lines, then sections. */
static void
usage(FILE *out)
{
    fprintf(out,
            "Usage: perch [OPTION]... URL\n"
            "  or:  perch --plain [OPTION]... URL\n"
            "  or:  perch buffers [OPTION]... URL\n"
            "  or:  perch lines [OPTION]... URL BUFFER [-n N]\n"
            "  or:  perch send [OPTION]... URL BUFFER TEXT\n"
            "The client of the WeeChat \"api\" relay protocol (perchd, or any relay of it): a\n"
            "terminal UI, a line mode (--plain: lines and status on stdout, stdin lines sent as\n"
            "input), or one-shot commands that exit 0 on success and 1 with a message otherwise.\n"
            "URL: https://HOST[:PORT] (certificate verified by default) or http://HOST[:PORT];\n"
            "the port defaults to 9000. Options may come anywhere on the line.\n"
            "\n"
            "Options:\n"
            "  --cafile FILE          trust the certificates in FILE\n"
            "  --fingerprint SHA256   accept only the certificate with this SHA-256 fingerprint\n"
            "  --insecure             do not verify the certificate\n"
            "  --password-file FILE   read the password from FILE\n"
            "  --buffer NAME          line mode: where stdin lines go (default core.weechat)\n"
            "  --ping-timeout S       silence from the relay past S seconds is a fault (30)\n"
            "  --backoff-min S        first wait before reconnecting after a fault (1)\n"
            "  --backoff-max S        longest wait between reconnections (60)\n"
            "  -n N                   lines: how many of the newest lines (50)\n"
            "  --help                 show this help and exit\n"
            "  --version              show the version and exit\n"
            "\n"
            "Environment:\n"
            "  PERCH_PASSWORD         the password (else --password-file, else a prompt; never\n"
            "                         the command line)\n"
            "  PERCH_TOTP             the second-factor code when the relay asks for one (else\n"
            "                         a prompt)\n");
}

static int
fail(const char *fmt, const char *arg)
{
    fprintf(stderr, "perch: ");
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    return 1;
}

static int
read_password(struct perch *p)
{
    const char *env = getenv("PERCH_PASSWORD");
    FILE *f;

    if (env) {
        snprintf(p->password, sizeof(p->password), "%s", env);
        return 0;
    }
    f = p->password_file ? fopen(p->password_file, "re") : fopen("/dev/tty", "r+e");
    if (!f)
        return fail("no password: set PERCH_PASSWORD or use --password-file%s", "");
    struct termios old, quiet;
    bool tty = !p->password_file && tcgetattr(fileno(f), &old) == 0;
    if (tty) {
        fputs("password: ", f);
        fflush(f);
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(fileno(f), TCSAFLUSH, &quiet);
    }
    if (!fgets(p->password, sizeof(p->password), f))
        p->password[0] = '\0';
    if (tty) {
        tcsetattr(fileno(f), TCSAFLUSH, &old);
        fputc('\n', f);
    }
    fclose(f);
    p->password[strcspn(p->password, "\r\n")] = '\0';
    return p->password[0] ? 0 : fail("empty password%s", "");
}

/* The relay wants a second factor: PERCH_TOTP, or a prompt on the terminal. */
static int
read_totp(struct perch *p)
{
    const char *env = p->totp_used_env ? NULL : getenv("PERCH_TOTP");
    FILE *tty;

    p->totp[0] = '\0';
    p->totp_used_env = p->totp_used_env || env;
    if (env) {
        snprintf(p->totp, sizeof(p->totp), "%s", env);
    } else if ((tty = fopen("/dev/tty", "r+e"))) {
        fputs("TOTP code: ", tty);
        fflush(tty);
        if (!fgets(p->totp, sizeof(p->totp), tty))
            p->totp[0] = '\0';
        fclose(tty);
        p->totp[strcspn(p->totp, "\r\n")] = '\0';
    }
    if (!p->totp[0])
        return fail("the relay asks for a TOTP code: set PERCH_TOTP%s", "");
    p->target.totp = p->totp;
    return 0;
}

/* POST /api/handshake, then credentials with the strongest algorithm offered back. */
static int
authenticate(struct perch *p)
{
    static const char offer[] =
        "{\"password_hash_algo\":[\"plain\",\"sha256\",\"sha512\",\"pbkdf2+sha256\",\"pbkdf2+sha512\"]}";
    struct client_http_result res;
    struct pjson *hs = NULL;
    int rc = 1;

    if (client_http(p->loop, &p->target, "POST", "/api/handshake", NULL, offer, &res) < 0) {
        fprintf(stderr, "perch: cannot reach %s:%d: %s\n", p->url.host, p->url.port, res.error);
        goto out;
    }
    hs = pjson_parse(res.body.data, res.body.len, 16);
    const char *algo = pjson_str(pjson_get(hs, "password_hash_algo"));
    if (res.status != 200 || !algo) {
        fail("the relay accepts none of perch's password hash algorithms%s", "");
        goto out;
    }
    /* The handshake is the relay's word: any number may come, only a sane one is used. */
    p->iterations = (int)pjson_integer(pjson_get(hs, "password_hash_iterations"), 1,
                                       CLIENT_HASH_ITERATIONS_MAX, 0);
    if (strncmp(algo, "pbkdf2", 6) == 0 && p->iterations == 0) {
        char max[16];
        snprintf(max, sizeof(max), "%d", CLIENT_HASH_ITERATIONS_MAX);
        fail("the relay asks for no valid number of password hash iterations (perch accepts 1 "
             "to %s)",
             max);
        goto out;
    }
    if (read_password(p))
        goto out;
    if (pjson_true(pjson_get(hs, "totp")) && read_totp(p))
        goto out;
    snprintf(p->algo, sizeof(p->algo), "%s", algo);
    if (client_credentials(algo, p->password, p->iterations, timefmt_now_s(), p->auth,
                           sizeof(p->auth)) < 0) {
        fail("unknown password hash algorithm \"%s\"", algo);
        goto out;
    }
    rc = 0;
out:
    pjson_free(hs);
    client_http_result_fini(&res);
    return rc;
}

/* Runs a request; on success *json holds the parsed body (NULL for 204). */
static int
call(struct perch *p, const char *method, const char *path, const char *body, struct pjson **json)
{
    struct client_http_result res;
    int rc = 1;

    *json = NULL;
    if (client_http(p->loop, &p->target, method, path, p->auth, body, &res) < 0) {
        fprintf(stderr, "perch: %s %s: %s\n", method, path, res.error);
    } else {
        *json = res.body.len ? pjson_parse(res.body.data, res.body.len, 256) : NULL;
        const char *error = pjson_str(pjson_get(*json, "error"));
        if (res.status == 401)
            fprintf(stderr, "perch: authentication failed: %s\n", error ? error : "");
        else if (res.status >= 300)
            fprintf(stderr, "perch: %s\n", error ? error : "request refused");
        else
            rc = 0;
    }
    if (rc) {
        pjson_free(*json);
        *json = NULL;
    }
    client_http_result_fini(&res);
    return rc;
}

static void
url_encode(const char *in, char *out, size_t len)
{
    size_t o = 0;

    for (const unsigned char *s = (const unsigned char *)in; *s && o + 4 < len; s++) {
        if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
            strchr("-._~", *s))
            out[o++] = (char)*s;
        else
            o += (size_t)snprintf(out + o, len - o, "%%%02X", *s);
    }
    out[o] = '\0';
}

static int
cmd_buffers(struct perch *p)
{
    struct pjson *arr;

    if (call(p, "GET", "/api/buffers", NULL, &arr))
        return 1;
    pjson_for_each (b, arr) {
        const char *name = pjson_str(pjson_get(b, "name"));
        printf("%lld %s\n", (long long)pjson_integer(pjson_get(b, "number"), INT_MIN, INT_MAX, 0),
               name ? name : "");
    }
    pjson_free(arr);
    return 0;
}

static int
cmd_lines(struct perch *p)
{
    char name[1024], path[1200];
    struct pjson *arr;

    url_encode(p->args[2], name, sizeof(name));
    snprintf(path, sizeof(path), "/api/buffers/%s/lines?lines=-%ld&colors=strip", name, p->n_lines);
    if (call(p, "GET", path, NULL, &arr))
        return 1;
    pjson_for_each (l, arr) {
        const char *prefix = pjson_str(pjson_get(l, "prefix"));
        printf("%.19s %s%s%s\n", pjson_str(pjson_get(l, "date")), prefix ? prefix : "",
               prefix && prefix[0] ? " " : "", pjson_str(pjson_get(l, "message")));
    }
    pjson_free(arr);
    return 0;
}

static int
cmd_send(struct perch *p)
{
    struct pjson *body = pjson_object(), *resp;
    char *text;
    int rc;

    pjson_add_str(body, "buffer_name", p->args[2]);
    pjson_add_str(body, "command", p->args[3]);
    text = pjson_print(body, NULL);
    rc = call(p, "POST", "/api/input", text, &resp);
    pjson_free(resp);
    pjson_free(body);
    free(text);
    return rc;
}

/* A reconnect needs a fresh code: ask on the terminal (curses steps aside meanwhile). */
static const char *
totp_again(void *data)
{
    struct perch *p = data;
    int rc;

    if (p->in_tui)
        client_tui_pause();
    rc = read_totp(p);
    if (p->in_tui)
        client_tui_resume();
    return rc == 0 ? p->totp : NULL;
}

/* What the connection engine needs from the command line and the handshake. */
static struct live_opts
live_options(struct perch *p)
{
    return (struct live_opts){
        .totp_again = totp_again,
        .totp_data = p,
        .target = &p->target,
        .algo = p->algo,
        .iterations = p->iterations,
        .password = p->password,
        .buffer = p->buffer,
        .ping_timeout_ms = p->ping_timeout_ms,
        .backoff_min_ms = p->backoff_min_ms,
        .backoff_max_ms =
            p->backoff_max_ms > p->backoff_min_ms ? p->backoff_max_ms : p->backoff_min_ms,
    };
}

static int
cmd_plain(struct perch *p)
{
    struct live_opts o = live_options(p);

    o.view = &client_plain_view;
    o.read_stdin = p->has_stdin;
    o.sync_colors = "strip";
    return client_live_run(p->loop, &o);
}

static int
cmd_tui(struct perch *p)
{
    struct live_opts o = live_options(p);

    p->in_tui = true;
    return client_tui_run(p->loop, &o);
}

/*
 * A closed standard descriptor would be taken by perch's next open(): a socket perch would
 * then read its input from, or print into. /dev/null takes each one's place. Returns
 * whether stdin was open.
 */
static bool
hold_std_fds(void)
{
    bool had_stdin = !(fcntl(STDIN_FILENO, F_GETFD) < 0 && errno == EBADF);

    for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++) {
        if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
            continue;
        /* open() takes the lowest free number: fd itself, as those below are open. */
        int null = open("/dev/null", O_RDWR); /* no O_CLOEXEC: it is stdio now */
        if (null >= 0 && null != fd)
            close(null);
    }
    return had_stdin;
}

static int
parse_args(struct perch *p, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "cafile", required_argument, NULL, 'c' },
        { "fingerprint", required_argument, NULL, 'f' },
        { "insecure", no_argument, NULL, 'k' },
        { "password-file", required_argument, NULL, 'p' },
        { "plain", no_argument, NULL, 'P' },
        { "buffer", required_argument, NULL, 'b' },
        { "ping-timeout", required_argument, NULL, 't' },
        { "backoff-min", required_argument, NULL, 'm' },
        { "backoff-max", required_argument, NULL, 'M' },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    int c;
    char *end;

    p->n_lines = 50;
    p->buffer = "core.weechat";
    p->ping_timeout_ms = 30000;
    p->backoff_min_ms = 1000;
    p->backoff_max_ms = 60000;
    while ((c = getopt_long(argc, argv, "-n:", longopts, NULL)) != -1) {
        switch (c) {
        case 1:
            if (p->n_args == 4)
                return fail("too many arguments (see --help)%s", "");
            p->args[p->n_args++] = optarg;
            break;
        case 'c':
            p->cafile = optarg;
            break;
        case 'f':
            p->fingerprint = optarg;
            break;
        case 'k':
            p->insecure = true;
            break;
        case 'p':
            p->password_file = optarg;
            break;
        case 'n':
            p->n_lines = strtol(optarg, &end, 10);
            if (*end || p->n_lines < 1 || p->n_lines > 1000000)
                return fail("invalid line count \"%s\"", optarg);
            break;
        case 'P':
            p->plain = true;
            break;
        case 'b':
            p->buffer = optarg;
            break;
        case 't':
        case 'm':
        case 'M': {
            double v = strtod(optarg, &end);
            if (*end || v <= 0 || v > 86400)
                return fail("invalid number of seconds \"%s\"", optarg);
            uint64_t ms = (uint64_t)(v * 1000);
            if (c == 't')
                p->ping_timeout_ms = ms;
            else if (c == 'm')
                p->backoff_min_ms = ms;
            else
                p->backoff_max_ms = ms;
            break;
        }
        case 'h':
            usage(stdout);
            exit(0);
        case 'V':
            printf("perch %s\n", PERCH_VERSION);
            exit(0);
        default:
            usage(stderr);
            return 2;
        }
    }
    return 0;
}

int
main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int n_args;
        int (*run)(struct perch *);
    } commands[] = { { "buffers", 2, cmd_buffers },
                     { "lines", 3, cmd_lines },
                     { "send", 4, cmd_send },
                     { "--plain", 1, cmd_plain },
                     { "--tui", 1, cmd_tui } };
    struct perch p = { .has_stdin = hold_std_fds() };
    char err[512];
    int rc = parse_args(&p, argc, argv);

    /* A relay that vanished makes writes fail with EPIPE instead of killing perch. */
    struct sigaction ignore = { .sa_handler = SIG_IGN };
    sigaction(SIGPIPE, &ignore, NULL);
    /* perch reports errors itself, once; the network layer's notes stay quiet. */
    log_set_program("perch");
    log_set_level(LOG_LEVEL_ERROR);

    if (rc)
        return rc;
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        /* --plain URL: the URL is the only argument. */
        const char *name = p.plain                                     ? "--plain"
                           : p.n_args == 1 && strstr(p.args[0], "://") ? "--tui"
                           : p.n_args                                  ? p.args[0]
                                                                       : "";
        if (strcmp(name, commands[i].name) != 0)
            continue;
        if (p.n_args != commands[i].n_args) {
            usage(stderr);
            return 2;
        }
        if (client_url_parse(p.args[commands[i].n_args == 1 ? 0 : 1], &p.url, err, sizeof(err)) < 0)
            return fail("%s", err);
        if (p.url.tls) {
            p.target.tls =
                tls_context_new_client(p.cafile, !p.insecure && !p.fingerprint, err, sizeof(err));
            if (!p.target.tls)
                return fail("%s", err);
        }
        p.target.url = &p.url;
        p.target.fingerprint = p.fingerprint;
        p.loop = uv_default_loop();
        rc = authenticate(&p);
        if (rc == 0)
            rc = commands[i].run(&p);
        tls_context_unref(p.target.tls);
        uv_loop_close(p.loop);
        return rc;
    }
    usage(stderr);
    return 2;
}
