/* SPDX-License-Identifier: MIT */
/*
 * Fuzzes what /connect reads besides a network's name: an IRC URL
 * (irc[s]://nick:password@host:port/#channels) and a "-option=value" argument. A URL
 * becomes a valid network (a name, one address, its port in range) or is refused with a
 * one-line reason; an argument sets its option or changes nothing.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "irc/server_config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_refused(const char *err)
{
    if (!err[0] || strchr(err, '\n'))
        abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = xstrndup((const char *)data, size), err[256];
    struct irc_server_config *c;

    err[0] = '\0';
    c = irc_server_config_from_url(text, err, sizeof(err));
    if (!c) {
        check_refused(err);
        c = irc_server_config_new("fuzz", err, sizeof(err));
    } else if (!c->name[0] || c->n_addresses != 1 || c->addresses[0].port < 1 ||
               c->addresses[0].port > 65535) {
        abort();
    }
    /* The same text as an option argument: set, or refused with nothing changed. */
    char *nicks = xstrdup(c->nicks);
    bool tls = c->tls;
    err[0] = '\0';
    if (irc_server_config_apply_arg(c, text, err, sizeof(err)) < 0) {
        check_refused(err);
        if (strcmp(nicks, c->nicks) != 0 || tls != c->tls)
            abort();
    }
    free(nicks);
    irc_server_config_free(c);
    free(text);
    return 0;
}
