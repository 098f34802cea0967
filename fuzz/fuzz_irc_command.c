/* SPDX-License-Identifier: MIT */
/*
 * Fuzzes what a user types: each line of the input runs as input of one buffer of a
 * registered network (its server buffer, a channel with nicks, a private buffer, its /list
 * buffer, or the core buffer, chosen by the line's first byte), through the core's commands
 * and the irc ones (/msg, /mode, /op, /ban, /unban 1-2, /kick, /ignore, /server, /set, /close,
 * ...). Buffers are looked up again for every line: a command may close or rename them. What perchd
 * would send is dropped (no socket). Lines that would open a connection (any "connect") are
 * skipped, so that a run never touches the network; so are lines with a "$", with which an
 * alias could put "connect" together (fuzz_alias fuzzes aliases without IRC).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/command.h"
#include "core/core.h"
#include "core_check.h"
#include "irc/internal.h"
#include "irc/irc.h"
#include "irc/server_config.h"
#include "irc_fixture.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The server's side of a registration: a channel with nicks of every rank and a ban list, a
 * query. */
static const char welcome[] =
    ":irc.test 001 perchy :Welcome\r\n"
    ":irc.test 005 perchy CHANTYPES=# PREFIX=(ohv)@%+ CHANMODES=beIq,k,l,imnpst MODES=4 "
    "NICKLEN=30 :are supported\r\n"
    ":perchy!u@perch.test JOIN #perch\r\n"
    ":irc.test 332 perchy #perch :the topic\r\n"
    ":irc.test 353 perchy = #perch :@perchy @alice +bob carol\r\n"
    ":irc.test 366 perchy #perch :End of /NAMES list\r\n"
    ":irc.test 367 perchy #perch a!*@* alice!a@alice.test 1700000000\r\n"
    ":irc.test 367 perchy #perch b!*@* alice\r\n"
    ":irc.test 368 perchy #perch :End of Channel Ban List\r\n"
    ":alice!a@alice.test PRIVMSG #perch :perchy: hello\r\n"
    ":dave!d@dave.test PRIVMSG perchy :hi in private\r\n";

/* The answer to the /list run once registered: the list buffer has channels to sort. */
static const char list_replies[] = ":irc.test 321 perchy Channel :Users Name\r\n"
                                   ":irc.test 322 perchy #perch 3 :the topic\r\n"
                                   ":irc.test 322 perchy ##b 12 :\002bold\002 words\r\n"
                                   ":irc.test 322 perchy #c x\r\n"
                                   ":irc.test 323 perchy :End of /LIST\r\n";

static const char *const buffer_names[] = { "core.weechat", "irc.server.fuzz", "irc.fuzz.#perch",
                                            "irc.fuzz.dave", "irc.list_fuzz" };

static struct irc_server *
fuzz_network(struct irc *irc)
{
    struct irc_server_config *cfg;
    struct irc_server *s;
    char err[256];

    cfg = irc_server_config_new("fuzz", err, sizeof(err));
    if (!cfg || irc_server_config_set(cfg, "addresses", "irc.invalid/6667", err, sizeof(err)) < 0 ||
        irc_server_config_set(cfg, "nicks", "perchy,perchy_", err, sizeof(err)) < 0)
        abort();
    s = irc__server_new(irc, cfg);
    s->state = IRC_REGISTERING;
    irc__server_read(s, welcome, sizeof(welcome) - 1);
    core_command_input(s->buffer, "/list");
    irc__server_read(s, list_replies, sizeof(list_replies) - 1);
    return s;
}

/* One typed line; its first byte picks the buffer (the core's when the one picked is
 * gone or renamed: /buffer rename may rename even the core's). */
static void
run_line(struct core *core, const char *line, size_t len)
{
    size_t n_names = sizeof(buffer_names) / sizeof(buffer_names[0]);
    struct core_buffer *b;
    char *text;

    if (len == 0)
        return;
    b = core_buffer_by_full_name(core, buffer_names[(unsigned char)line[0] % n_names]);
    if (!b)
        b = core->core_buffer;
    text = strndup(line + 1, len - 1);
    if (!strcasestr(text, "connect") && !strchr(text, '$'))
        core_command_input(b, text);
    free(text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data, *end = p + size;
    struct fuzz_irc f;

    fuzz_irc_start(&f);
    if (fuzz_network(f.irc)->state != IRC_CONNECTED)
        abort();
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        run_line(f.core, p, len);
        /* What /wait and /repeat -interval left runs as if due (one step each). */
        core_schedule_run(f.core, INT64_MAX);
        p += len + 1;
    }
    /* What the input left must save and read back (an upgrade, the store). */
    fuzz_core_check_state(f.core);
    irc_quit(f.irc, "done");
    fuzz_irc_finish(&f);
    return 0;
}
