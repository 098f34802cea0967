/* SPDX-License-Identifier: MIT */
/* Command dispatch: the table, argument splitting, and text sent to buffers. */
#include "command.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alias.h"
#include "base/buf.h"
#include "base/xalloc.h"
#include "color.h"
#include "core.h"

static const struct core_command core_commands[] = {
    { "alias",
      "list [name] | add|addreplace name command[;command...] | addcompletion|addreplacecompletion completion name command[;command...] | del name|mask... | rename name new_name | missing",
      "list, add or remove command aliases, as WeeChat's alias plugin (its defaults: /j is /join, /q /query, /close /buffer close...); in the command, $1..$9 $-m $n- $n-m $* $& $~ are the arguments, $var a local variable of the buffer ($nick, $channel, $server); without any, the arguments follow the last command",
      "list|add|addreplace|addcompletion|addreplacecompletion|del|rename|missing %aliases",
      core_cmd_alias },
    { "buffer",
      "list | add [-free] name | close [name] | clear [name|-all] | rename name | move number | hide [name] | unhide [name] | notify [level] | set property [value] | get property | setvar name [value] | delvar name | listvar [name] | retag line_id [tags]",
      "manage buffers (name: full name, id or number); properties as WeeChat's: hotlist, unread, notify, title, hidden, number, name, short_name, type, modes, time_for_each_line, nicklist*, input*, localvar_set_X, localvar_del_X, key_bind_X, key_unbind_X, highlight_*, hotlist_max_level_nicks*; get shows one",
      "list|add|close|clear|rename|move|hide|unhide|notify|set|get|setvar|delvar|listvar|retag %buffers",
      core_cmd_buffer },
    { "command", "[-buffer name] plugin command | -s command[;command...]",
      "run a command of one plugin (\"core\", \"irc\"; \"*\": as typed, aliases too), in another buffer with -buffer; -s runs several, separated by \";\"",
      "-buffer|-s|core|irc|* %buffers", core_cmd_command },
    { "help", "[command]", "list commands, or show help for one", "%commands", core_cmd_help },
    { "hotlist",
      "add [low|message|private|highlight] | clear [mask|lowest|highest] | remove [name] | restore [-all]",
      "change the hotlist (mask: 1 low + 2 message + 4 private + 8 highlight)",
      "add|clear|remove|restore low|message|private|highlight|lowest|highest|-all",
      core_cmd_hotlist },
    { "input",
      "insert text | send text | return | set_unread | set_unread_current_buffer | delete_* | move_* | transpose_chars",
      "act on the input line of the buffer, as WeeChat's /input",
      "insert|send|return|split_return|set_unread|set_unread_current_buffer|delete_previous_char|delete_next_char|delete_previous_word|delete_next_word|delete_beginning_of_line|delete_end_of_line|delete_line|delete_input|transpose_chars|move_beginning_of_line|move_end_of_line|move_previous_char|move_next_char|move_previous_word|move_next_word",
      core_cmd_input },
    { "mute", "[-core | -current | -buffer name] command",
      "run a command without printing what it prints: in formatted buffers (all of them by default), the core buffer (-core), this one (-current) or the one named",
      "-core|-current|-buffer|-all %buffers", core_cmd_mute },
    { "nicklist",
      "add_group name [color [parent]] | add_nick group nick [prefix [prefix_color [color]]] | change_nick nick prefix prefix_color [color] | remove_nick nick | remove_group name",
      "change the nicklist of the buffer (group \"root\" is the top)",
      "add_group|add_nick|change_nick|remove_nick|remove_group %nicks", core_cmd_nicklist },
    { "print",
      "[-buffer name | -newbuffer name [-free] | -core | -current] [-y line] [-escape] [-date date] [-tags t1,t2] [-action|-error|-join|-network|-quit] text | -stdout|-stderr text | -beep",
      "print text (\"prefix\\tmessage\") in a buffer, with the prefix of an action, error, join, network message or quit; -stdout, -stderr: to perchd's own output; IRC formatting codes become colours",
      "-buffer|-newbuffer|-free|-core|-current|-y|-escape|-date|-tags|-action|-error|-join|-network|-quit|-stdout|-stderr|-beep %buffers",
      core_cmd_print },
    { "quit", "[message]", "stop perchd", "", core_cmd_quit },
    { "reload", "", "reload perchd's config file and certificate, as SIGHUP does", "",
      core_cmd_reload },
    { "repeat", "[-interval delay[unit]] count command",
      "run a command (or send text) count times, at once or every delay (unit: us, ms, s (default), m, h); in it, ${repeat_count}, ${repeat_index}, ${repeat_index0}, ${repeat_revindex}, ${repeat_revindex0}, ${repeat_first} and ${repeat_last} are replaced (perch has no /eval: nothing else is)",
      "-interval %commands", core_cmd_repeat },
    { "save", "", "nothing to do: perchd stores what commands change as it changes", "",
      core_cmd_save },
    { "search", "[-buffer name] text",
      "search the stored history of every buffer (closed and cleared ones too; name: full name, id or number) with SQLite FTS5 syntax: words, \"a phrase\", prefix*, AND, OR, NOT, NEAR(); the newest 100 matches go to the buffer perch.search, emptied first, the newest last, each with its buffer and date (UTC)",
      "-buffer %buffers", core_cmd_search },
    { "upgrade", "", "run the perchd binary on disk again, keeping state and plain connections", "",
      core_cmd_upgrade },
    { "uptime", "[-o|-ol]",
      "show how long perchd has been running (across upgrades); -o, -ol: say it in the buffer",
      "-o|-ol", core_cmd_uptime },
    { "version", "[-o|-ol]",
      "show perchd's version (in an IRC buffer /version asks the server, as in WeeChat: /command core version); -o, -ol: say it in the buffer",
      "-o|-ol", core_cmd_version },
    { "wait", "number[unit] command",
      "run a command (or send text) in this buffer later (unit: us, ms, s (default), m, h); what waits is lost if perchd restarts or upgrades",
      "1|3|10|1m %commands", core_cmd_wait },
    { "window", "[...]", "WeeChat's windows: the clients' own, nothing to do in perchd", "",
      core_cmd_window },
    { NULL, NULL, NULL, NULL, NULL },
};

const struct core_command *
core_command_find(const char *name)
{
    for (const struct core_command *c = core_commands; c->name; c++) {
        if (strcmp(c->name, name) == 0)
            return c;
    }
    return NULL;
}

void
core_command_register(struct core *core, const char *plugin, const struct core_command *cmds,
                      void *data)
{
    core->command_sets =
        xrealloc(core->command_sets, (core->n_command_sets + 1) * sizeof(*core->command_sets));
    core->command_sets[core->n_command_sets++] = (struct core_command_set){ plugin, cmds, data };
}

bool
core_command_plugin_known(const struct core *core, const char *plugin)
{
    if (strcmp(plugin, CORE_COMMAND_PLUGIN) == 0)
        return true;
    for (size_t i = 0; i < core->n_command_sets; i++) {
        if (strcmp(core->command_sets[i].plugin, plugin) == 0)
            return true;
    }
    return false;
}

/* name among the commands of one registered plugin (NULL: any). */
static const struct core_command *
command_in_sets(const struct core *core, const char *plugin, const char *name, void **data)
{
    for (size_t i = 0; i < core->n_command_sets; i++) {
        if (plugin && strcmp(core->command_sets[i].plugin, plugin) != 0)
            continue;
        for (const struct core_command *c = core->command_sets[i].commands; c->name; c++) {
            if (strcmp(c->name, name) == 0) {
                *data = core->command_sets[i].data;
                return c;
            }
        }
    }
    return NULL;
}

/*
 * A command by name among plugin's ("core": the core's own). With plugin NULL, in WeeChat's
 * order: the command of the buffer's own plugin first (/version in an IRC buffer is the
 * IRC one), then the core's, then any other.
 */
static const struct core_command *
command_lookup_in(const struct core_buffer *buffer, const char *plugin, const char *name,
                  void **data)
{
    const struct core_command *cmd = NULL;

    *data = NULL;
    if (plugin && strcmp(plugin, CORE_COMMAND_PLUGIN) == 0)
        return core_command_find(name);
    if (plugin)
        return command_in_sets(buffer->core, plugin, name, data);
    cmd = command_in_sets(buffer->core, buffer->plugin, name, data);
    if (!cmd)
        cmd = core_command_find(name);
    if (!cmd)
        cmd = command_in_sets(buffer->core, NULL, name, data);
    return cmd;
}

const struct core_command *
core_command_lookup(const struct core_buffer *buffer, const char *name, void **data)
{
    return command_lookup_in(buffer, NULL, name, data);
}

void
core_command_each(const struct core *core, void (*cb)(const struct core_command *cmd, void *arg),
                  void *arg)
{
    for (const struct core_command *c = core_commands; c->name; c++)
        cb(c, arg);
    for (size_t i = 0; i < core->n_command_sets; i++) {
        for (const struct core_command *c = core->command_sets[i].commands; c->name; c++)
            cb(c, arg);
    }
}

static void
command_printv(struct core_buffer *buffer, const char *prefix, const char *fmt, va_list ap)
{
    char text[1024];
    struct core_line_spec spec = { .prefix = prefix, .message = text, .tags = "no_log", .y = -1 };

    vsnprintf(text, sizeof(text), fmt, ap);
    core_buffer_print(buffer, &spec);
}

void
core_command_error(struct core_buffer *buffer, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    command_printv(buffer, CORE_PREFIX_ERROR, fmt, ap);
    va_end(ap);
}

void
core_command_error_usage(struct core_buffer *buffer, const struct core_args *args)
{
    core_command_error(buffer, "Error with command \"/%s\" (help on command: /help %s)",
                       args->eol[0], args->argv[0]);
}

void
core_command_error_few_args(struct core_buffer *buffer, const struct core_args *args,
                            const char *option)
{
    core_command_error(buffer,
                       "Too few arguments for command \"/%s%s%s\" (help on command: /help %s)",
                       args->argv[0], option[0] ? " " : "", option, args->argv[0]);
}

void
core_command_no_effect(struct core_buffer *buffer, const char *what, const char *why)
{
    core_command_info(buffer, "%s has no effect in perchd: %s", what, why);
}

int
core_command_nothing_to_do(struct core_buffer *buffer, const struct core_args *args)
{
    (void)buffer;
    (void)args;
    return 0;
}

void
core_command_info(struct core_buffer *buffer, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    command_printv(buffer, "", fmt, ap);
    va_end(ap);
}

static void
command_split(const char *line, struct core_args *args)
{
    const char *p = line;

    args->argc = 0;
    args->argv = NULL;
    args->eol = NULL;
    args->data = NULL;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        const char *end = strchr(p, ' ');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        args->argv = xrealloc(args->argv, (size_t)(args->argc + 1) * sizeof(char *));
        args->eol = xrealloc(args->eol, (size_t)(args->argc + 1) * sizeof(char *));
        args->argv[args->argc] = xstrndup(p, len);
        args->eol[args->argc] = p;
        args->argc++;
        p += len;
    }
}

static void
command_args_free(struct core_args *args)
{
    for (int i = 0; i < args->argc; i++)
        free(args->argv[i]);
    free(args->argv);
    free(args->eol);
}

/* Runs "name args" (without the "/"): an alias first, as WeeChat hooks aliases above
 * commands, unless plugin names whose commands only may run. */
static int
command_dispatch(struct core_buffer *buffer, const char *line, const char *plugin)
{
    struct core_args args;
    const struct core_command *cmd = NULL;
    int rc;

    command_split(line, &args);
    if (args.argc && !plugin && core_alias_find(buffer->core, args.argv[0])) {
        rc = core_alias_run(buffer, args.argv[0], args.argc > 1 ? args.eol[1] : NULL);
        command_args_free(&args);
        return rc;
    }
    if (args.argc)
        cmd = command_lookup_in(buffer, plugin, args.argv[0], &args.data);
    if (!cmd) {
        core_command_error(buffer, "Unknown command \"%s\" (type /help for help)",
                           args.argc ? args.argv[0] : "");
        command_args_free(&args);
        return -ENOENT;
    }
    rc = cmd->run(buffer, &args);
    command_args_free(&args);
    return rc;
}

/*
 * command_dispatch, bounded: commands run by commands (/command, /input send, aliases,
 * /allchan...) nest at most CORE_COMMAND_DEPTH deep and CORE_COMMAND_NESTED_BYTES long in
 * all, so that a line of "/input send /input send ..." can neither exhaust the stack nor
 * split its whole length again at every level.
 */
static int
command_run(struct core_buffer *buffer, const char *line, const char *plugin)
{
    struct core *core = buffer->core;
    size_t len = strlen(line);
    int rc;

    if (core->command_depth >= CORE_COMMAND_DEPTH ||
        (core->command_depth > 0 && len > CORE_COMMAND_NESTED_BYTES - core->command_nested)) {
        int name_len = (int)strcspn(line, " ");
        core_command_error(core->core_buffer, "Too many calls to command \"%.*s\" (looping)",
                           name_len > 64 ? 64 : name_len, line);
        return -ELOOP;
    }
    if (core->command_depth++ > 0)
        core->command_nested += len;
    rc = command_dispatch(buffer, line, plugin);
    if (--core->command_depth > 0)
        core->command_nested -= len;
    return rc;
}

char **
core_command_split_list(const char *command, size_t *n)
{
    char **v = NULL;
    struct buf cur;

    *n = 0;
    buf_init(&cur, SIZE_MAX);
    for (const char *p = command;; p++) {
        if (*p == ';' && p > command && p[-1] == '\\') {
            cur.data[cur.len - 1] = ';'; /* the backslash gives way to it */
            continue;
        }
        if (*p && *p != ';') {
            buf_append_char(&cur, *p);
            continue;
        }
        buf_append_str(&cur, "");
        const char *start = cur.data + strspn(cur.data, " ");
        if (*start) {
            v = xrealloc(v, (*n + 1) * sizeof(char *));
            v[(*n)++] = xstrdup(start);
        }
        buf_reset(&cur);
        if (!*p)
            break;
    }
    buf_fini(&cur);
    return v;
}

/* True for "quit" or "upgrade", with or without its "/". */
static bool
command_word_ends(const char *word, size_t len)
{
    if (len && word[0] == '/') {
        word++;
        len--;
    }
    return (len == 4 && strncmp(word, "quit", 4) == 0) ||
           (len == 7 && strncmp(word, "upgrade", 7) == 0);
}

/* True when one of the words of text (separated by spaces or ";") names /quit or /upgrade
 * or is made with "$". */
static bool
command_words_may_end(const char *text)
{
    for (const char *p = text; *p;) {
        p += strspn(p, " ;");
        size_t len = strcspn(p, " ;");
        if (command_word_ends(p, len) || memchr(p, '$', len))
            return true;
        p += len;
    }
    return false;
}

/*
 * Whether "name args" (without "/") may end the process: /quit, /upgrade, an alias that
 * leads to them, or a command that runs the commands it is given (/command, /input send,
 * /allchan, /mute, /repeat...) with them among its words. When unsure (an alias builds its
 * command with "$"), yes: such input only runs after its answer.
 */
static bool
command_may_end(const struct core *core, const char *line, int depth)
{
    static const char *const runners[] = { "command", "input", "allchan", "allpv",
                                           "allserv", "mute",  "repeat" };
    size_t len = strcspn(line, " ");
    const char *rest = line + len;
    const struct core_alias *alias;

    if (command_word_ends(line, len))
        return true;
    for (size_t i = 0; i < sizeof(runners) / sizeof(runners[0]); i++) {
        if (len == strlen(runners[i]) && strncmp(line, runners[i], len) == 0)
            return command_words_may_end(rest);
    }
    char *name = xstrndup(line, len);
    alias = core_alias_find(core, name);
    free(name);
    if (!alias)
        return false;
    if (depth >= CORE_ALIAS_DEPTH || command_words_may_end(rest))
        return true;
    size_t n;
    char **cmds = core_command_split_list(alias->command, &n);
    bool ends = false;
    for (size_t i = 0; i < n; i++) {
        const char *cmd = cmds[i] + (cmds[i][0] == '/');
        ends = ends || strchr(cmd, '$') || command_may_end(core, cmd, depth + 1);
        free(cmds[i]);
    }
    free(cmds);
    return ends;
}

bool
core_command_ends_process(const struct core *core, const char *text)
{
    if (text[0] != '/' || text[1] == '/')
        return false;
    return command_may_end(core, text + 1, 0);
}

int
core_command_run_plugin(struct core_buffer *buffer, const char *plugin, const char *text)
{
    return command_run(buffer, text[0] == '/' ? text + 1 : text, plugin);
}

int
core_command_input(struct core_buffer *buffer, const char *text)
{
    if (text[0] == '/' && text[1] != '/')
        return command_run(buffer, text + 1, NULL);
    if (text[0] == '/')
        text++;
    if (!buffer->input_cb) {
        core_command_error(buffer, "You can not write text in this buffer");
        return -EPERM;
    }
    buffer->input_cb(buffer, text, buffer->input_data);
    return 0;
}

struct core_buffer *
core_command_input_then(struct core_buffer *buffer, const char *text)
{
    struct core *core = buffer->core;
    int64_t id = buffer->id;

    core_command_input(buffer, text);
    buffer = core_buffer_by_id(core, id);
    return buffer ? buffer : core->core_buffer;
}

struct core_buffer *
core_command_buffer_arg(struct core *core, const char *arg)
{
    struct core_buffer *b = core_buffer_search(core, arg);
    struct list *pos;
    char *end;
    long number;

    if (b)
        return b;
    number = strtol(arg, &end, 10);
    if (*arg && !*end) {
        list_for_each (pos, &core->buffers) {
            b = list_entry(pos, struct core_buffer, link);
            if (b->number == number)
                return b;
        }
    }
    return NULL;
}
