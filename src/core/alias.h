/* SPDX-License-Identifier: MIT */
/*
 * Command aliases, as WeeChat's alias plugin has them: "/j #chan" runs "/join #chan". A
 * new core starts with WeeChat's default aliases; /alias changes them and the host saves
 * them (core_host.aliases_changed). An alias of a command's name runs instead of the
 * command, as in WeeChat, where aliases are hooked with a higher priority.
 */
#ifndef PERCH_CORE_ALIAS_H
#define PERCH_CORE_ALIAS_H

#include <stdbool.h>
#include <stddef.h>

struct core;
struct core_buffer;
struct pjson;

/* How many aliases a core holds, and how deep one may run another. */
#define CORE_ALIAS_MAX   1000
#define CORE_ALIAS_DEPTH 16
/* The longest command an alias may make of its arguments and local variables. */
#define CORE_ALIAS_EXPANDED_MAX (1024 * 1024)

struct core_alias {
    char *name;       /* without the leading "/" */
    char *command;    /* commands separated by ";", each with or without "/" */
    char *completion; /* its own completion template, or NULL: the target command's */
};

/* WeeChat's default aliases, added to a new core. */
void core_alias_defaults(struct core *core);
/* Adds the default aliases that are missing (/alias missing), calling added (if not NULL)
 * for each in WeeChat's order; returns how many. */
size_t core_alias_add_missing(struct core *core,
                              void (*added)(const struct core_alias *a, void *arg), void *arg);
void core_alias_free_all(struct core *core);

const struct core_alias *core_alias_find(const struct core *core, const char *name);
/* True for a name an alias can have: not empty, no space, no "/". */
bool core_alias_name_is_valid(const char *name);
/* Adds or replaces name (sorted in); returns 0, -EINVAL (bad name or empty command) or
 * -ENOSPC (CORE_ALIAS_MAX). */
int core_alias_set(struct core *core, const char *name, const char *command,
                   const char *completion);
/* Removes name; returns 0 or -ENOENT. */
int core_alias_del(struct core *core, const char *name);
/* Renames an alias; returns 0, -ENOENT, -EEXIST or -EINVAL. */
int core_alias_rename(struct core *core, const char *name, const char *new_name);

/*
 * The alias command text with the user's arguments put in: $1..$9, $-m, $n-, $n-m, $*,
 * $& (quotes escaped), $~ (the last one), "\$" a literal "$". Caller frees; NULL when
 * the result would pass CORE_ALIAS_EXPANDED_MAX.
 */
char *core_alias_replace_args(const char *alias_args, const char *user_args);
/* Runs alias name in buffer with the user's arguments (NULL: none), each of its commands
 * with the buffer's local variables ($nick, $channel, $server...) put in. A circular
 * reference gets WeeChat's error, a command that would be too long an error of its own.
 * Returns 0, or a negative code. */
int core_alias_run(struct core_buffer *buffer, const char *name, const char *user_args);

/* The aliases as a JSON array of {name, command[, completion]}; caller frees. */
struct pjson *core_alias_save(const struct core *core);
/* Replaces the aliases with saved ones; returns how many entries could not be one and were
 * skipped. */
size_t core_alias_load(struct core *core, const struct pjson *saved);

#endif
