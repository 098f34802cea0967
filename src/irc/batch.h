/* SPDX-License-Identifier: MIT */
/*
 * IRCv3 batches of one link (BATCH +ref type params ... BATCH -ref): which are open, the
 * lines that came tagged batch=ref, held until their batch and its parents have ended, as
 * WeeChat's irc-batch.c holds them. Bounded; no I/O, no display.
 */
#ifndef PERCH_IRC_BATCH_H
#define PERCH_IRC_BATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "base/list.h"
#include "message.h"

/* Open batches at most; a BATCH + past this is not tracked (its lines come at once). */
#define IRC_BATCHES_MAX 64
/* Bytes of held lines at most, all batches together; past this a line comes at once. */
#define IRC_BATCH_BYTES_MAX (4u * 1024 * 1024)

struct irc_batch {
    struct list link;
    struct irc_message start; /* the BATCH line: params[0] "+ref", [1] type, the rest */
    const char *ref;          /* into start */
    const char *parent;       /* the batch tag of the BATCH line (nested), or NULL */
    char **lines;             /* held, as they came */
    size_t n_lines;
    size_t bytes;
    bool ended;
    bool processed;
};

struct irc_batches {
    struct list open; /* struct irc_batch, in start order */
    size_t n_open;
    size_t bytes;
};

void irc_batches_init(struct irc_batches *bs);
/* Forgets every batch and what it held (a link that ended). */
void irc_batches_fini(struct irc_batches *bs);

/*
 * BATCH +ref type [params...] (m is that line; its tags are copied). Returns 0, -EINVAL
 * when it is not a start with a reference and a type, -EEXIST when the reference is open
 * already, -ENOSPC past IRC_BATCHES_MAX.
 */
int irc_batches_start(struct irc_batches *bs, const struct irc_message *m);

/*
 * A line that is not a BATCH and carries batch=ref of an open batch is kept (copied) for
 * later: true. False when it comes at once (no such batch, or the bytes limit reached).
 */
bool irc_batches_hold(struct irc_batches *bs, const struct irc_message *m, const char *line,
                      size_t len);

/* The open batch ref, or NULL. */
struct irc_batch *irc_batches_find(struct irc_batches *bs, const char *ref);

/*
 * BATCH -ref: the batch has ended. Each ended batch whose parent is gone or done is given
 * to ready_cb (parents before their children, then in start order), then all of them are
 * freed. ready_cb may look batches up but must not start or end any. Nothing happens for
 * an unknown ref.
 */
typedef void (*irc_batch_ready_cb)(const struct irc_batch *b, void *data);
void irc_batches_end(struct irc_batches *bs, const char *ref, irc_batch_ready_cb ready_cb,
                     void *data);

/* Every open batch as if it had ended (a link handed over by an upgrade keeps nothing). */
void irc_batches_flush(struct irc_batches *bs, irc_batch_ready_cb ready_cb, void *data);

/* The type of batch b ("netsplit", "chathistory", ...). */
const char *irc_batch_type(const struct irc_batch *b);

/*
 * Held line i of b parsed into m, with the tags of the BATCH line it lacks added after its
 * own (WeeChat: irc_tag_add_tags_to_message), so a line without time takes the batch's.
 * Returns 0 or -EINVAL (m empty). The caller finis m.
 */
int irc_batch_message(const struct irc_batch *b, size_t i, struct irc_message *m);

#endif
