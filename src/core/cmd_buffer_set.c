/* SPDX-License-Identifier: MIT */
/* /buffer set PROPERTY [VALUE]: WeeChat's buffer properties, one table. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/timefmt.h"
#include "base/xalloc.h"
#include "command.h"
#include "core.h"
#include "hotlist.h"

/* The whole text is a decimal int (WeeChat's util_parse_int). */
static bool
set_parse_int(const char *text, int *v)
{
    char *end;
    long n;

    errno = 0;
    n = strtol(text, &end, 10);
    if (errno || end == text || *end || n < INT_MIN || n > INT_MAX)
        return false;
    *v = (int)n;
    return true;
}

/* WeeChat takes any integer (non-zero = on); "on"/"off" and "true"/"false" too. */
static bool
set_parse_bool(const char *text, bool *v)
{
    int n;

    if (strcmp(text, "on") == 0 || strcmp(text, "true") == 0)
        *v = true;
    else if (strcmp(text, "off") == 0 || strcmp(text, "false") == 0)
        *v = false;
    else if (set_parse_int(text, &n))
        *v = n != 0;
    else
        return false;
    return true;
}

static int
set_invalid(struct core_buffer *buffer, const char *prop, const char *value)
{
    core_command_error(buffer, "buffer: invalid value \"%s\" for property \"%s\"", value, prop);
    return -EINVAL;
}

/* hotlist -1 removes the buffer from the hotlist; 0..3 adds a line of that priority
 * (above 3 counts as 3, as in WeeChat). */
static int
set_hotlist(struct core_buffer *b, const char *prop, const char *value)
{
    int n;

    if (strcmp(value, "-") == 0 || strcmp(value, "+") == 0) {
        core_command_no_effect(b, "Pausing the hotlist", "every buffer always counts");
        return 0;
    }
    if (!set_parse_int(value, &n))
        return set_invalid(b, prop, value);
    if (n < 0)
        core_hotlist_remove(b->core, b);
    else
        core_hotlist_add(b->core, b, n > 3 ? 3 : n, timefmt_now_us());
    return 0;
}

static int
set_unread(struct core_buffer *b, const char *prop, const char *value)
{
    return core_buffer_set_unread(b, value) < 0 ? set_invalid(b, prop, value) : 0;
}

static int
set_notify(struct core_buffer *b, const char *prop, const char *value)
{
    enum core_buffer_notify notify = CORE_BUFFER_NOTIFY_ALL;

    /* "-1" and "reset" go back to the default, as in WeeChat. */
    if (strcmp(value, "-1") != 0 && strcmp(value, "reset") != 0 &&
        core_buffer_notify_parse(value, &notify) < 0)
        return set_invalid(b, prop, value);
    core_buffer_set_notify(b, notify);
    return 0;
}

static int
set_number(struct core_buffer *b, const char *prop, const char *value)
{
    int n;

    if (!set_parse_int(value, &n) || n < 1)
        return set_invalid(b, prop, value);
    core_buffer_move(b, n);
    return 0;
}

static int
set_name(struct core_buffer *b, const char *prop, const char *value)
{
    int rc = core_buffer_set_name(b, value);

    if (rc == -EEXIST)
        core_command_error(b, "buffer: name \"%s\" is already used", value);
    else if (rc < 0)
        return set_invalid(b, prop, value);
    return rc;
}

static int
set_type(struct core_buffer *b, const char *prop, const char *value)
{
    if (strcmp(value, "formatted") == 0)
        core_buffer_set_type(b, CORE_BUFFER_FORMATTED);
    else if (strcmp(value, "free") == 0)
        core_buffer_set_type(b, CORE_BUFFER_FREE);
    else
        return set_invalid(b, prop, value);
    return 0;
}

static int
set_string(struct core_buffer *b, const char *prop, const char *value)
{
    if (strcmp(prop, "title") == 0)
        core_buffer_set_title(b, value);
    else if (strcmp(prop, "short_name") == 0)
        core_buffer_set_short_name(b, value);
    else if (strcmp(prop, "modes") == 0)
        core_buffer_set_modes(b, value);
    else if (strcmp(prop, "input_prompt") == 0)
        core_buffer_set_input_prompt(b, value);
    else
        core_buffer_set_input(b, value, -1);
    return 0;
}

static int
set_input_pos(struct core_buffer *b, const char *prop, const char *value)
{
    int n;

    if (!set_parse_int(value, &n) || n < 0)
        return set_invalid(b, prop, value);
    core_buffer_set_input(b, b->input, n);
    return 0;
}

static int
set_flag(struct core_buffer *b, const char *prop, const char *value)
{
    static const struct {
        const char *name;
        void (*set)(struct core_buffer *, bool);
    } flags[] = {
        { "hidden", core_buffer_set_hidden },
        { "time_for_each_line", core_buffer_set_time_displayed },
        { "nicklist", core_buffer_set_nicklist },
        { "nicklist_case_sensitive", core_buffer_set_nicklist_case_sensitive },
        { "nicklist_display_groups", core_buffer_set_nicklist_display_groups },
        { "input_multiline", core_buffer_set_input_multiline },
    };

    bool on;

    if (!set_parse_bool(value, &on))
        return set_invalid(b, prop, value);
    for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
        if (strcmp(prop, flags[i].name) == 0)
            flags[i].set(b, on);
    }
    return 0;
}

static int
set_localvar(struct core_buffer *b, const char *prop, const char *value)
{
    bool del = strncmp(prop, "localvar_del_", 13) == 0;

    if (core_buffer_set_localvar(b, prop + 13, del ? NULL : value) < 0) {
        core_command_error(b, "buffer: local variable \"%s\" is read-only", prop + 13);
        return -EPERM;
    }
    return 0;
}

static int
set_key(struct core_buffer *b, const char *prop, const char *value)
{
    if (strncmp(prop, "key_bind_", 9) == 0)
        core_buffer_set_key(b, prop + 9, value);
    else
        (void)core_buffer_unset_key(b, prop + 11);
    return 0;
}

/* highlight_words (and _add, _del), highlight_tags, highlight_tags_restrict and
 * hotlist_max_level_nicks (and _add, _del): they change what the next lines highlight. */
static int
set_highlight(struct core_buffer *b, const char *prop, const char *value)
{
    struct core_highlight *h = &b->highlight;

    if (strcmp(prop, "highlight_words") == 0)
        core_highlight_set_text(&h->words, value);
    else if (strcmp(prop, "highlight_words_add") == 0)
        core_highlight_add_words(h, value);
    else if (strcmp(prop, "highlight_words_del") == 0)
        core_highlight_del_words(h, value);
    else if (strcmp(prop, "highlight_tags") == 0)
        core_highlight_set_text(&h->tags, value);
    else if (strcmp(prop, "highlight_tags_restrict") == 0)
        core_highlight_set_text(&h->tags_restrict, value);
    else if (strcmp(prop, "hotlist_max_level_nicks") == 0)
        core_highlight_set_nick_levels(h, value);
    else if (strcmp(prop, "hotlist_max_level_nicks_add") == 0)
        core_highlight_add_nick_levels(h, value);
    else
        core_highlight_del_nick_levels(h, value);
    core_emit(b->core, CORE_EVENT_BUFFER_HIGHLIGHT_CHANGED, b);
    return 0;
}

/* highlight_regex and highlight_disable_regex: one that does not compile is an error and
 * leaves the buffer as it was (WeeChat drops the old one silently). */
static int
set_highlight_regex(struct core_buffer *b, const char *prop, const char *value)
{
    struct core_highlight_regex *r =
        strcmp(prop, "highlight_regex") == 0 ? &b->highlight.regex : &b->highlight.disable_regex;
    char why[128];

    if (core_highlight_set_regex(r, value, why, sizeof(why)) < 0) {
        core_command_error(b, "buffer: invalid regular expression \"%s\" for property \"%s\": %s",
                           value, prop, why);
        return -EINVAL;
    }
    core_emit(b->core, CORE_EVENT_BUFFER_HIGHLIGHT_CHANGED, b);
    return 0;
}

/* Properties that WeeChat has and a daemon without windows, filters or scripts
 * cannot honour: one line says so. */
static int
set_no_effect(struct core_buffer *b, const char *prop, const char *value)
{
    char what[96];

    (void)value;
    snprintf(what, sizeof(what), "Buffer property \"%s\"", prop);
    core_command_no_effect(b, what, "it has no windows, filters nor scripts");
    return 0;
}

typedef int (*set_fn)(struct core_buffer *b, const char *prop, const char *value);

static const struct set_property {
    const char *name;
    bool is_prefix; /* name is a prefix followed by a non-empty key */
    set_fn set;
} set_properties[] = {
    { "hotlist", false, set_hotlist },
    { "hotlist_conditions", false, set_hotlist },
    { "unread", false, set_unread },
    { "notify", false, set_notify },
    { "number", false, set_number },
    { "name", false, set_name },
    { "type", false, set_type },
    { "title", false, set_string },
    { "short_name", false, set_string },
    { "modes", false, set_string },
    { "input_prompt", false, set_string },
    { "input", false, set_string },
    { "input_pos", false, set_input_pos },
    { "hidden", false, set_flag },
    { "time_for_each_line", false, set_flag },
    { "nicklist", false, set_flag },
    { "nicklist_case_sensitive", false, set_flag },
    { "nicklist_display_groups", false, set_flag },
    { "input_multiline", false, set_flag },
    { "localvar_set_", true, set_localvar },
    { "localvar_del_", true, set_localvar },
    { "key_bind_", true, set_key },
    { "key_unbind_", true, set_key },
    { "display", false, set_no_effect },
    { "print_hooks_enabled", false, set_no_effect },
    { "day_change", false, set_no_effect },
    { "clear", false, set_no_effect },
    { "filter", false, set_no_effect },
    { "completion_freeze", false, set_no_effect },
    { "input_get_any_user_data", false, set_no_effect },
    { "input_get_unknown_commands", false, set_no_effect },
    { "input_get_empty", false, set_no_effect },
    { "highlight_words", false, set_highlight },
    { "highlight_words_add", false, set_highlight },
    { "highlight_words_del", false, set_highlight },
    { "highlight_disable_regex", false, set_highlight_regex },
    { "highlight_regex", false, set_highlight_regex },
    { "highlight_tags_restrict", false, set_highlight },
    { "highlight_tags", false, set_highlight },
    { "hotlist_max_level_nicks", false, set_highlight },
    { "hotlist_max_level_nicks_add", false, set_highlight },
    { "hotlist_max_level_nicks_del", false, set_highlight },
};

static const struct set_property *
set_property_find(const char *prop)
{
    for (size_t i = 0; i < sizeof(set_properties) / sizeof(set_properties[0]); i++) {
        const struct set_property *p = &set_properties[i];
        size_t len = strlen(p->name);
        if (p->is_prefix ? strncmp(prop, p->name, len) == 0 && prop[len]
                         : strcmp(prop, p->name) == 0)
            return p;
    }
    return NULL;
}

/* WeeChat strips one pair of matching quotes around the value. */
static char *
set_unquote(const char *value)
{
    size_t len = strlen(value);

    if (len >= 2 && (value[0] == '"' || value[0] == '\'') && value[len - 1] == value[0])
        return xstrndup(value + 1, len - 2);
    return xstrdup(value);
}

int
core_cmd_buffer_set(struct core_buffer *buffer, const struct core_args *args)
{
    const struct set_property *p;
    char *value;
    int rc;

    if (args->argc < 3) {
        core_command_error_few_args(buffer, args, "set");
        return -EINVAL;
    }
    p = set_property_find(args->argv[2]);
    if (!p) {
        core_command_error_usage(buffer, args);
        return -EINVAL;
    }
    value = set_unquote(args->argc > 3 ? args->eol[3] : "");
    rc = p->set(buffer, args->argv[2], value);
    free(value);
    return rc;
}
