/* SPDX-License-Identifier: MIT */
/*
 * labeled-response on a link: our commands go with a label when the server offers it (and
 * batch, which it needs for replies of several lines), and each reply is matched to its
 * command: a single message, a labeled-response batch (recv_batch.c), or an ACK when there
 * was nothing to say. Replies are shown as usual, each once; ACK shows nothing.
 */
#include <string.h>

#include "base/buf.h"
#include "internal.h"
#include "label.h"
#include "message.h"

static bool
labeled_enabled(const struct irc_server *s)
{
    return s->state == IRC_CONNECTED && irc__cap_enabled(s, "labeled-response") &&
           irc__cap_enabled(s, "batch");
}

int
irc__server_send_labeled(struct irc_server *s, enum irc_label_kind kind, const char *command,
                         const char *const *params, size_t n_params)
{
    char label[IRC_LABEL_LEN];
    int rc;

    if (!labeled_enabled(s))
        return irc__server_send(s, command, params, n_params);
    irc_labels_add(&s->labels, kind, label);
    struct irc_tag tag = { (char *)"label", label, true };
    rc = irc__server_send_tagged(s, &tag, 1, command, params, n_params);
    if (rc < 0)
        irc_labels_done(&s->labels, label);
    return rc < 0 ? rc : 1;
}

int
irc__server_send_raw_labeled(struct irc_server *s, enum irc_label_kind kind, const char *line)
{
    char label[IRC_LABEL_LEN];
    struct buf tagged;
    int rc;

    if (!labeled_enabled(s))
        return irc__server_send_raw(s, line);
    irc_labels_add(&s->labels, kind, label);
    buf_init(&tagged, IRC_READ_MAX);
    rc = buf_printf(&tagged, "@label=%s %s", label, line);
    if (rc == 0)
        rc = irc__server_send_raw(s, tagged.data);
    buf_fini(&tagged);
    if (rc < 0)
        irc_labels_done(&s->labels, label);
    return rc < 0 ? rc : 1;
}

enum irc_label_kind
irc__label_kind(struct irc_server *s, const struct irc_message *m)
{
    return irc_labels_kind(&s->labels, irc_message_tag(m, "label"));
}

void
irc__label_after(struct irc_server *s, const struct irc_message *m)
{
    const char *label = irc_message_tag(m, "label");

    /* A labeled-response batch carries the label on: done at its end (recv_batch.c). */
    if (!label || strcmp(m->command, "BATCH") == 0 || m->batch_type)
        return;
    irc_labels_done(&s->labels, label);
}
