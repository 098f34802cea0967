/* SPDX-License-Identifier: MIT */
/*
 * Fuzzes what a server sends, through everything that handles it: the line reader,
 * the parser, registration, CAP, SASL (AUTHENTICATE, 900-907), ISUPPORT, channels and nicklists,
 * modes, numerics, CTCP, display and highlights, STS, on a network of a real core (no socket:
 * what perchd would answer is dropped). Each input is one session from the connection on;
 * an odd-sized one plays a TLS link (STS reads sts's duration), an even-sized one a plain
 * link (STS reads its port); every other size has a /list waiting for its replies.
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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_irc f;
    struct irc_server_config *cfg;
    struct irc_server *s;
    char err[256];

    fuzz_irc_start(&f);
    cfg = irc_server_config_new("fuzz", err, sizeof(err));
    if (!cfg || irc_server_config_set(cfg, "addresses", "irc.invalid/6667", err, sizeof(err)) < 0 ||
        irc_server_config_set(cfg, "nicks", "perchy,perchy_", err, sizeof(err)) < 0 ||
        irc_server_config_set(cfg, "autojoin", "#perch", err, sizeof(err)) < 0 ||
        /* A notify list: MONITOR and ISON answers about it are said. */
        irc_server_config_set(cfg, "notify", "bob,alice away", err, sizeof(err)) < 0 ||
        /* SASL on: sasl's ACK starts the exchange, AUTHENTICATE and 90x follow it. */
        irc_server_config_set(cfg, "sasl_mechanism", "scram-sha-256", err, sizeof(err)) < 0 ||
        irc_server_config_set(cfg, "sasl_username", "perchy", err, sizeof(err)) < 0 ||
        irc_server_config_set(cfg, "sasl_password", "fuzz", err, sizeof(err)) < 0 ||
        irc_server_config_set(cfg, "sasl_fail", "continue", err, sizeof(err)) < 0)
        abort();
    cfg->tls = (size & 1) != 0;
    s = irc__server_new(f.irc, cfg);
    irc__sts_target(s);
    /* Every other size: a /list waits for its replies (321, 322, 323 go to its buffer). */
    if (size & 2) {
        s->state = IRC_CONNECTED;
        core_command_input(s->buffer, "/list");
    }
    s->state = IRC_REGISTERING;
    irc__server_read(s, (const char *)data, size);
    /* What the input left must save and read back (an upgrade, the store). */
    fuzz_core_check_state(f.core);
    irc__server_remove(s, "done");
    fuzz_irc_finish(&f);
    return 0;
}
