/* SPDX-License-Identifier: MIT */
/* User input: commands ("/name args") dispatched through one table, text to buffers. */
#ifndef PERCH_CORE_COMMAND_H
#define PERCH_CORE_COMMAND_H

#include <stdbool.h>
#include <stddef.h>

struct core;
struct core_buffer;

/* Arguments split on spaces; eol[i] is the rest of the line from argv[i]. */
struct core_args {
    int argc;
    char **argv;
    const char **eol;
    void *data; /* a registered command's data (core_command_register), else NULL */
};

typedef int (*core_command_cb)(struct core_buffer *buffer, const struct core_args *args);

struct core_command {
    const char *name;
    const char *synopsis;
    const char *description;
    /* Completion of argument i: "a|b|c" literals, %buffers, %commands, %nicks,
     * tokens separated by spaces; the last token repeats. */
    const char *completion;
    core_command_cb run;
};

/* Runs text typed in buffer: "/cmd args" runs a command, "//text" sends "/text",
 * anything else goes to the buffer's input callback. Errors are printed in the
 * buffer. Returns 0, or a negative code when the input was refused. */
int core_command_input(struct core_buffer *buffer, const char *text);
/* Runs text as core_command_input does and returns the buffer to run what follows in:
 * buffer, or the core buffer if the input closed it (WeeChat goes on in the buffer that
 * became current). */
struct core_buffer *core_command_input_then(struct core_buffer *buffer, const char *text);
/* True for input that may stop or replace the process (/quit, /upgrade, an alias such as
 * /bye, /command core quit...): whoever sent it gets its answer first. */
bool core_command_ends_process(const struct core *core, const char *text);

/* How deep commands may run commands, and how long the nested ones may be in all. */
#define CORE_COMMAND_DEPTH        32
#define CORE_COMMAND_NESTED_BYTES (1024 * 1024)

/* What /command calls the core's own commands. */
#define CORE_COMMAND_PLUGIN "core"

const struct core_command *core_command_find(const char *name);
/* Adds the commands of another component (plugin "irc"): cmds ends with a NULL name and
 * outlives the core; their callbacks find data in args->data. The core's own names come
 * first. */
void core_command_register(struct core *core, const char *plugin, const struct core_command *cmds,
                           void *data);
/* True for "core" and the plugin of a registered set. */
bool core_command_plugin_known(const struct core *core, const char *plugin);
/* Runs "/name args" (the "/" may be left out) with plugin's commands only, no alias
 * (/command core|irc ...); plugin NULL runs it as typed. Errors as core_command_input. */
int core_command_run_plugin(struct core_buffer *buffer, const char *plugin, const char *text);
/* What "/name" runs in buffer (aliases aside): the command of the buffer's plugin, else the
 * core's, else another registered one (*data: its set's data); NULL if none. */
const struct core_command *core_command_lookup(const struct core_buffer *buffer, const char *name,
                                               void **data);
/* Calls cb for every command, the core's first. */
void core_command_each(const struct core *core,
                       void (*cb)(const struct core_command *cmd, void *arg), void *arg);

/* Commands separated by ";" ("\;" is a literal one), each left-trimmed, the empty ones
 * dropped, as WeeChat's string_split_command; *n gets how many. Free each and the array. */
char **core_command_split_list(const char *text, size_t *n);

/* Prints an error line (prefix "=!=") in buffer. */
void core_command_error(struct core_buffer *buffer, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* WeeChat's answer to an action or argument it does not know:
 * Error with command "/LINE" (help on command: /help NAME). */
void core_command_error_usage(struct core_buffer *buffer, const struct core_args *args);
/* WeeChat's answer to missing arguments; option is the sub-command ("set") or "". */
void core_command_error_few_args(struct core_buffer *buffer, const struct core_args *args,
                                 const char *option);
/* One line for something WeeChat does that means nothing in perchd, and why. */
void core_command_no_effect(struct core_buffer *buffer, const char *what, const char *why);
/* Does nothing and succeeds: for WeeChat actions about merged buffers, which perchd
 * never has, so there is never anything to switch or zoom (WeeChat is silent too). */
int core_command_nothing_to_do(struct core_buffer *buffer, const struct core_args *args);
/* Prints an informational line in buffer. */
void core_command_info(struct core_buffer *buffer, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The commands, one file per family. */
int core_cmd_buffer(struct core_buffer *buffer, const struct core_args *args);
int core_cmd_alias(struct core_buffer *buffer, const struct core_args *args);
int core_cmd_command(struct core_buffer *buffer, const struct core_args *args);
int core_cmd_window(struct core_buffer *buffer, const struct core_args *args);
int core_cmd_uptime(struct core_buffer *buffer, const struct core_args *args);
int core_cmd_reload(struct core_buffer *buffer, const struct core_args *args);
int core_cmd_save(struct core_buffer *buffer, const struct core_args *args);
int core_cmd_version(struct core_buffer *buffer, const struct core_args *args);
/* /buffer set PROPERTY [VALUE] (argv[2] the property). */
int core_cmd_buffer_set(struct core_buffer *buffer, const struct core_args *args);
/* /buffer get PROPERTY (cmd_buffer_get.c). */
int core_cmd_buffer_get(struct core_buffer *buffer, const struct core_args *args);
int core_cmd_help(struct core_buffer *buffer, const struct core_args *args);
int core_cmd_hotlist(struct core_buffer *buffer, const struct core_args *args);
int core_cmd_input(struct core_buffer *buffer, const struct core_args *args);
int core_cmd_mute(struct core_buffer *buffer, const struct core_args *args);
int core_cmd_repeat(struct core_buffer *buffer, const struct core_args *args);
int core_cmd_wait(struct core_buffer *buffer, const struct core_args *args);
int core_cmd_nicklist(struct core_buffer *buffer, const struct core_args *args);
int core_cmd_print(struct core_buffer *buffer, const struct core_args *args);
int core_cmd_upgrade(struct core_buffer *buffer, const struct core_args *args);
int core_cmd_quit(struct core_buffer *buffer, const struct core_args *args);
/* /search [-buffer name] text (cmd_search.c): matches go to the buffer perch.search. */
int core_cmd_search(struct core_buffer *buffer, const struct core_args *args);

/* Finds a buffer by full name, id or number (what users type after /buffer). */
struct core_buffer *core_command_buffer_arg(struct core *core, const char *arg);

#endif
