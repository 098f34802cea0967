/* SPDX-License-Identifier: MIT */
/* The networks' link states as others may read them (perchd's metrics). */
#include "internal.h"
#include "irc.h"
#include "server_config.h"

static const char *const irc_link_state_names[] = {
    [IRC_DISCONNECTED] = "disconnected", [IRC_RESOLVING] = "resolving",
    [IRC_CONNECTING] = "connecting",     [IRC_REGISTERING] = "registering",
    [IRC_CONNECTED] = "connected",
};

const char *
irc_link_state_name(size_t state)
{
    return state < sizeof(irc_link_state_names) / sizeof(irc_link_state_names[0])
               ? irc_link_state_names[state]
               : NULL;
}

void
irc_each_link(const struct irc *irc, void (*cb)(void *data, const char *network, size_t state),
              void *data)
{
    struct list *pos;

    list_for_each (pos, &irc->servers) {
        const struct irc_server *s = list_entry(pos, struct irc_server, link);
        cb(data, s->cfg->name, (size_t)s->state);
    }
}
