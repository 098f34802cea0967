/* SPDX-License-Identifier: MIT */
/* Command aliases: the list, WeeChat's defaults, argument expansion and running. */
#include "alias.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/json.h"
#include "base/utf8.h"
#include "base/xalloc.h"
#include "command.h"
#include "core.h"

/* WeeChat's alias.conf defaults (alias-config.c). */
static const struct {
    const char *name, *command, *completion;
} alias_defaults[] = {
    { "aaway", "allserv /away", NULL },
    { "anick", "allserv /nick", NULL },
    { "beep", "print -beep", NULL },
    { "bye", "quit", NULL },
    { "c", "buffer clear", NULL },
    { "cl", "buffer clear", NULL },
    { "close", "buffer close", NULL },
    { "chat", "dcc chat", NULL },
    { "exit", "quit", NULL },
    { "ig", "ignore", NULL },
    { "j", "join", NULL },
    { "k", "kick", NULL },
    { "kb", "kickban", NULL },
    { "leave", "part", NULL },
    { "m", "msg", NULL },
    { "mub", "unban *", NULL },
    { "msgbuf", "command -buffer $1 * /input send $2-", "%(buffers_plugins_names)" },
    { "n", "names", NULL },
    { "q", "query", NULL },
    { "redraw", "window refresh", NULL },
    { "say", "msg *", NULL },
    { "signoff", "quit", NULL },
    { "t", "topic", NULL },
    { "ub", "unban", NULL },
    { "umode", "mode $nick", NULL },
    { "v", "command core version", NULL },
    { "w", "who", NULL },
    { "wc", "window close", NULL },
    { "wi", "whois", NULL },
    { "wii", "whois $1 $1", NULL },
    { "wm", "window merge", NULL },
    { "ww", "whowas", NULL },
};

#define ALIAS_N_DEFAULTS (sizeof(alias_defaults) / sizeof(alias_defaults[0]))

void
core_alias_defaults(struct core *core)
{
    for (size_t i = 0; i < ALIAS_N_DEFAULTS; i++)
        core_alias_set(core, alias_defaults[i].name, alias_defaults[i].command,
                       alias_defaults[i].completion);
}

size_t
core_alias_add_missing(struct core *core, void (*added)(const struct core_alias *a, void *arg),
                       void *arg)
{
    size_t n = 0;

    for (size_t i = 0; i < ALIAS_N_DEFAULTS; i++) {
        const char *name = alias_defaults[i].name;
        if (core_alias_find(core, name) ||
            core_alias_set(core, name, alias_defaults[i].command, alias_defaults[i].completion) < 0)
            continue;
        n++;
        if (added)
            added(core_alias_find(core, name), arg);
    }
    return n;
}

static void
alias_fini(struct core_alias *a)
{
    free(a->name);
    free(a->command);
    free(a->completion);
}

void
core_alias_free_all(struct core *core)
{
    for (size_t i = 0; i < core->n_aliases; i++)
        alias_fini(&core->aliases[i]);
    free(core->aliases);
    core->aliases = NULL;
    core->n_aliases = 0;
}

/* Where name is, or where it would go (the list is sorted, as WeeChat keeps it). */
static size_t
alias_index(const struct core *core, const char *name, bool *found)
{
    size_t lo = 0, hi = core->n_aliases;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int cmp = strcmp(core->aliases[mid].name, name);
        if (cmp == 0) {
            *found = true;
            return mid;
        }
        if (cmp < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = false;
    return lo;
}

const struct core_alias *
core_alias_find(const struct core *core, const char *name)
{
    bool found;
    size_t i = alias_index(core, name, &found);

    return found ? &core->aliases[i] : NULL;
}

bool
core_alias_name_is_valid(const char *name)
{
    /* Valid UTF-8 too: the store keeps names as JSON text, where two names that differ only
     * in invalid bytes would become one. */
    return name && name[0] && !strchr(name, ' ') && !strchr(name, '/') &&
           utf8_is_valid(name, strlen(name));
}

int
core_alias_set(struct core *core, const char *name, const char *command, const char *completion)
{
    bool found;
    size_t i;

    if (!core_alias_name_is_valid(name) || !command || !command[0])
        return -EINVAL;
    i = alias_index(core, name, &found);
    if (found) {
        alias_fini(&core->aliases[i]);
    } else {
        if (core->n_aliases >= CORE_ALIAS_MAX)
            return -ENOSPC;
        core->aliases = xrealloc(core->aliases, (core->n_aliases + 1) * sizeof(*core->aliases));
        memmove(core->aliases + i + 1, core->aliases + i,
                (core->n_aliases - i) * sizeof(*core->aliases));
        core->n_aliases++;
    }
    core->aliases[i] = (struct core_alias){
        .name = xstrdup(name),
        .command = xstrdup(command),
        .completion = completion ? xstrdup(completion) : NULL,
    };
    return 0;
}

int
core_alias_del(struct core *core, const char *name)
{
    bool found;
    size_t i = alias_index(core, name, &found);

    if (!found)
        return -ENOENT;
    alias_fini(&core->aliases[i]);
    memmove(core->aliases + i, core->aliases + i + 1,
            (core->n_aliases - i - 1) * sizeof(*core->aliases));
    core->n_aliases--;
    return 0;
}

int
core_alias_rename(struct core *core, const char *name, const char *new_name)
{
    const struct core_alias *a = core_alias_find(core, name);
    char *command, *completion;
    int rc;

    if (!a)
        return -ENOENT;
    if (!core_alias_name_is_valid(new_name))
        return -EINVAL;
    if (core_alias_find(core, new_name))
        return -EEXIST;
    command = xstrdup(a->command);
    completion = a->completion ? xstrdup(a->completion) : NULL;
    core_alias_del(core, name);
    rc = core_alias_set(core, new_name, command, completion);
    free(command);
    free(completion);
    return rc;
}

/* The user's arguments, split on spaces as WeeChat splits them (no empty ones). */
struct alias_words {
    char **v;
    int n;
};

static void
alias_words_split(const char *text, struct alias_words *w)
{
    w->v = NULL;
    w->n = 0;
    for (const char *p = text; *p;) {
        size_t len;
        p += strspn(p, " ");
        if (!*p)
            break;
        len = strcspn(p, " ");
        w->v = xrealloc(w->v, (size_t)(w->n + 1) * sizeof(char *));
        w->v[w->n++] = xstrndup(p, len);
        p += len;
    }
}

static void
alias_words_free(struct alias_words *w)
{
    for (int i = 0; i < w->n; i++)
        free(w->v[i]);
    free(w->v);
}

/* An expansion, bounded: an alias of many "$*" must not take all memory. */
struct alias_out {
    struct buf buf;
    bool full; /* CORE_ALIAS_EXPANDED_MAX was reached */
};

static void
out_init(struct alias_out *o)
{
    buf_init(&o->buf, CORE_ALIAS_EXPANDED_MAX);
    o->full = buf_append_str(&o->buf, "") < 0;
}

static void
out_str(struct alias_out *o, const char *s)
{
    if (!o->full && buf_append_str(&o->buf, s) < 0)
        o->full = true;
}

static void
out_char(struct alias_out *o, char c)
{
    if (!o->full && buf_append_char(&o->buf, c) < 0)
        o->full = true;
}

/* The text, or NULL when it would have been longer than the bound. */
static char *
out_steal(struct alias_out *o)
{
    if (o->full) {
        buf_fini(&o->buf);
        return NULL;
    }
    return buf_steal(&o->buf, NULL);
}

/* Words first..last (0-based, last clamped), joined by one space. */
static void
alias_append_words(struct alias_out *out, const struct alias_words *w, int first, int last)
{
    if (last > w->n - 1)
        last = w->n - 1;
    for (int i = first; i <= last; i++) {
        if (i > first)
            out_char(out, ' ');
        out_str(out, w->v[i]);
    }
}

static bool
alias_is_digit(char c)
{
    return c >= '1' && c <= '9';
}

/* Appends what the "$..." at p stands for; returns how many bytes it took (0: not one). */
static size_t
alias_expand_one(struct alias_out *out, const char *p, const char *user_args,
                 const struct alias_words *w)
{
    if (p[1] == '*') {
        out_str(out, user_args);
        return 2;
    }
    if (p[1] == '&') {
        for (const char *q = user_args; *q; q++) {
            if (*q == '"')
                out_char(out, '\\');
            out_char(out, *q);
        }
        return 2;
    }
    if (p[1] == '~') {
        if (w->n > 0)
            out_str(out, w->v[w->n - 1]);
        return 2;
    }
    if (p[1] == '-' && alias_is_digit(p[2])) {
        alias_append_words(out, w, 0, p[2] - '1');
        return 3;
    }
    if (!alias_is_digit(p[1]))
        return 0;
    if (p[2] != '-') {
        if (p[1] - '1' < w->n)
            out_str(out, w->v[p[1] - '1']);
        return 2;
    }
    if (alias_is_digit(p[3])) {
        alias_append_words(out, w, p[1] - '1', p[3] - '1');
        return 4;
    }
    alias_append_words(out, w, p[1] - '1', w->n - 1);
    return 3;
}

char *
core_alias_replace_args(const char *alias_args, const char *user_args)
{
    struct alias_words w;
    struct alias_out out;

    alias_words_split(user_args, &w);
    out_init(&out);
    for (const char *p = alias_args; *p;) {
        size_t used = 0;
        if (p[0] == '\\' && p[1] == '$') {
            out_char(&out, '$');
            used = 2;
        } else if (p[0] == '$') {
            used = alias_expand_one(&out, p, user_args, &w);
        }
        if (used) {
            p += used;
        } else {
            out_char(&out, *p++);
        }
    }
    alias_words_free(&w);
    return out_steal(&out);
}

/*
 * "$name" replaced by the buffer's local variable name when it has one, as WeeChat's
 * buffer_string_replace_local_var does: a name is letters and digits, and a "$" after a
 * backslash stays.
 */
static char *
alias_replace_localvars(const struct core_buffer *buffer, const char *text)
{
    struct alias_out out;

    out_init(&out);
    for (const char *p = text; *p;) {
        if (p[0] == '$' && (p == text || p[-1] != '\\')) {
            size_t len = 0;
            while (isalnum((unsigned char)p[1 + len]))
                len++;
            char *name = xstrndup(p + 1, len);
            const char *value = len ? core_buffer_localvar(buffer, name) : NULL;
            free(name);
            if (value) {
                out_str(&out, value);
                p += 1 + len;
                continue;
            }
        }
        out_char(&out, *p++);
    }
    return out_steal(&out);
}

static bool
alias_is_running(const struct core *core, const char *name)
{
    for (int i = 0; i < core->alias_depth; i++) {
        if (strcmp(core->alias_running[i], name) == 0)
            return true;
    }
    return false;
}

/* The line one command of an alias runs: "/" added if missing; the user's arguments put
 * in, or after the last command when no command asked for them; then the buffer's local
 * variables. NULL when it would be too long. */
static char *
alias_line(const struct core_buffer *buffer, const char *cmd, const char *user_args, bool last,
           bool *replaced)
{
    char *text = core_alias_replace_args(cmd, user_args ? user_args : "");
    char *line = NULL;
    struct alias_out out;

    if (!text)
        return NULL;
    if (strcmp(text, cmd) != 0)
        *replaced = true;
    out_init(&out);
    if (cmd[0] != '/')
        out_char(&out, '/');
    if (last && user_args && !*replaced) {
        out_str(&out, cmd);
        out_char(&out, ' ');
        out_str(&out, user_args);
    } else {
        out_str(&out, text);
    }
    free(text);
    text = out_steal(&out);
    if (text)
        line = alias_replace_localvars(buffer, text);
    free(text);
    return line;
}

/* Each command of the alias in turn, as WeeChat's alias_cb runs them. */
static int
alias_run_commands(struct core_buffer *buffer, const char *name, const char *command,
                   const char *user_args)
{
    size_t n;
    char **cmds = core_command_split_list(command, &n);
    bool replaced = false;
    int rc = 0;

    for (size_t i = 0; i < n && rc == 0; i++) {
        char *line = alias_line(buffer, cmds[i], user_args, i + 1 == n, &replaced);
        if (line) {
            buffer = core_command_input_then(buffer, line);
        } else {
            core_command_error(buffer->core->core_buffer,
                               "alias: error, alias \"%s\" makes a command longer than %d bytes",
                               name, CORE_ALIAS_EXPANDED_MAX);
            rc = -E2BIG;
        }
        free(line);
    }
    for (size_t i = 0; i < n; i++)
        free(cmds[i]);
    free(cmds);
    return rc;
}

int
core_alias_run(struct core_buffer *buffer, const char *name, const char *user_args)
{
    struct core *core = buffer->core;
    const struct core_alias *a = core_alias_find(core, name);
    char *command;
    int rc;

    if (!a)
        return -ENOENT;
    if (alias_is_running(core, name) || core->alias_depth >= CORE_ALIAS_DEPTH) {
        core_command_error(core->core_buffer,
                           "alias: error, circular reference when calling alias \"%s\"", name);
        return -ELOOP;
    }
    /* The alias may be changed or deleted by its own commands: run a copy. */
    command = xstrdup(a->command);
    core->alias_running[core->alias_depth++] = xstrdup(name);
    rc = alias_run_commands(buffer, name, command, user_args);
    free(core->alias_running[--core->alias_depth]);
    free(command);
    return rc;
}

struct pjson *
core_alias_save(const struct core *core)
{
    struct pjson *arr = pjson_array();

    for (size_t i = 0; i < core->n_aliases; i++) {
        const struct core_alias *a = &core->aliases[i];
        struct pjson *o = pjson_object();
        pjson_add_str(o, "name", a->name);
        pjson_add_str(o, "command", a->command);
        if (a->completion)
            pjson_add_str(o, "completion", a->completion);
        pjson_push(arr, o);
    }
    return arr;
}

size_t
core_alias_load(struct core *core, const struct pjson *saved)
{
    size_t skipped = 0;

    core_alias_free_all(core);
    pjson_for_each (item, saved) {
        const char *name = pjson_str(pjson_get(item, "name"));
        const char *command = pjson_str(pjson_get(item, "command"));
        const struct pjson *completion = pjson_get(item, "completion");
        if (!name || !command || (completion && !pjson_is_string(completion)) ||
            core_alias_find(core, name) ||
            core_alias_set(core, name, command, pjson_str(completion)) < 0)
            skipped++;
    }
    return skipped;
}
