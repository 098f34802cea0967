/* SPDX-License-Identifier: MIT */
/*
 * IRCv3 labeled-response: the labels of the commands we sent and are still waiting on, each
 * with what kind of command it was, so that a reply (one message, a labeled-response batch
 * or an ACK) is matched to its cause. Bounded: past IRC_LABELS_MAX the oldest is forgotten.
 * No I/O.
 */
#ifndef PERCH_IRC_LABEL_H
#define PERCH_IRC_LABEL_H

#include <stddef.h>

#include "base/list.h"

#define IRC_LABELS_MAX 64
/* "p" and a counter: short, ours, never reused on a link. */
#define IRC_LABEL_LEN 16

enum irc_label_kind {
    IRC_LABEL_NONE = 0, /* not one of ours (or forgotten) */
    IRC_LABEL_USER,     /* a command the user gave: its replies shown as usual */
    IRC_LABEL_REGAIN,   /* our ISON for the first nick: its answer is not shown */
};

struct irc_labels {
    struct list pending; /* oldest first */
    size_t n_pending;
    unsigned long next;
};

void irc_labels_init(struct irc_labels *ls);
void irc_labels_fini(struct irc_labels *ls);
/* A new label for a command of this kind, written to out (IRC_LABEL_LEN bytes). */
void irc_labels_add(struct irc_labels *ls, enum irc_label_kind kind, char out[IRC_LABEL_LEN]);
/* What label stands for (IRC_LABEL_NONE when it is not pending). */
enum irc_label_kind irc_labels_kind(struct irc_labels *ls, const char *label);
/* The reply to label is complete: forgotten. */
void irc_labels_done(struct irc_labels *ls, const char *label);

#endif
