/* SPDX-License-Identifier: MIT */
/*
 * BATCH from a server (IRCv3 batch): lines tagged with an open batch wait for its end, then
 * each is handled as if it came then, with its batch's tags and an irc_batch_type_<type>
 * line tag, as WeeChat's irc plugin does it. What a type does at its end is its entry in
 * batch_types; a type not listed is replayed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "internal.h"
#include "message.h"

/* Each held line handled in order, as the server sent it, with the batch's tags added. */
static void
batch_replay(struct irc_server *s, const struct irc_batch *b)
{
    for (size_t i = 0; i < b->n_lines; i++) {
        struct irc_message m;
        if (irc_batch_message(b, i, &m) < 0)
            continue;
        m.batch_type = irc_batch_type(b);
        irc__server_handle(s, &m, b->lines[i]);
        irc_message_fini(&m);
    }
}

/* The replies to one of our labeled commands: shown, then the label is done. */
static void
batch_end_labeled(struct irc_server *s, const struct irc_batch *b)
{
    batch_replay(s, b);
    irc_labels_done(&s->labels, irc_message_tag(&b->start, "label"));
}

/* netsplit and netjoin: one line per buffer (netsplit.c). */
static const struct {
    const char *type;
    void (*end)(struct irc_server *s, const struct irc_batch *b);
} batch_types[] = {
    { "netsplit", irc__netsplit_end },
    { "netjoin", irc__netjoin_end },
    { "labeled-response", batch_end_labeled },
    { "chathistory", irc__catchup_batch_end },
};

static void
batch_ready(const struct irc_batch *b, void *data)
{
    struct irc_server *s = data;
    const char *type = irc_batch_type(b);

    for (size_t i = 0; i < sizeof(batch_types) / sizeof(batch_types[0]); i++) {
        if (strcmp(batch_types[i].type, type) == 0) {
            batch_types[i].end(s, b);
            return;
        }
    }
    /* Unknown types: their lines as usual (irc.look: nothing hides them). */
    batch_replay(s, b);
}

void
irc__batch_recv(struct irc_server *s, const struct irc_message *m)
{
    const char *ref = m->params[0];

    /* Without the capability a BATCH means nothing (WeeChat ignores it too). */
    if (!irc__cap_enabled(s, "batch"))
        return;
    if (ref[0] == '+')
        irc_batches_start(&s->batches, m);
    else if (ref[0] == '-')
        irc_batches_end(&s->batches, ref + 1, batch_ready, s);
}

bool
irc__batch_hold(struct irc_server *s, const struct irc_message *m, const char *line, size_t len)
{
    return irc__cap_enabled(s, "batch") && irc_batches_hold(&s->batches, m, line, len);
}

void
irc__batch_flush(struct irc_server *s)
{
    irc_batches_flush(&s->batches, batch_ready, s);
}
