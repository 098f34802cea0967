/* SPDX-License-Identifier: MIT */
/*
 * /list as WeeChat 4 has it: the server's channels (322 replies) gathered in a free buffer
 * "irc.list_NAME", one line each ("#channel   users  topic"), sorted and filtered by what
 * is typed in it (words, n:, t:, u:N, u:>N, u:<N, s:fields, $ to refresh, j to join, q to
 * close), with a selected line moved by /list -up, -down and -go. "/list -raw regex" prints
 * the replies in the server buffer instead, channels whose names match only.
 */
#include <errno.h>
#include <limits.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/utf8.h"
#include "base/xalloc.h"
#include "core/color.h"
#include "core/command.h"
#include "core/core.h"
#include "internal.h"
#include "look.h"
#include "masks.h"
#include "message.h"

/* irc.look.list_buffer_sort's default: case-insensitive on the name without its prefix. */
#define LIST_SORT_DEFAULT "~name2"
/* irc.color.list_buffer_line_selected (white) on list_buffer_line_selected_bg (24). */
#define LIST_SELECTED "\x19*16~@00024"
/* A list bigger than any network's (Libera has about 60,000 channels). */
#define LIST_MAX 1000000

struct irc_list_channel {
    char *name;
    const char *name2; /* the name without its leading type characters ("##a": "a") */
    int users;
    char *topic; /* formatting removed */
};

struct irc_list {
    struct core_buffer *buffer;
    struct irc_list_channel *channels; /* as received */
    size_t n_channels, cap;
    size_t *shown; /* indexes of the channels shown, filtered and sorted */
    size_t n_shown;
    size_t selected;
    int name_width; /* the widest name on screen */
    char *filter;   /* NULL: every channel */
    char *sort;
    bool receiving; /* a LIST is answered: its 322 replies are ours */
    bool restart;   /* the next reply replaces the channels (shown until then) */
    regex_t *regex; /* /list -raw: the channels printed in the server buffer */
};

static void
list_channels_clear(struct irc_list *l)
{
    for (size_t i = 0; i < l->n_channels; i++) {
        free(l->channels[i].name);
        free(l->channels[i].topic);
    }
    l->n_channels = 0;
    l->n_shown = 0;
    l->name_width = 0;
}

static void
list_regex_free(struct irc_list *l)
{
    if (l->regex)
        regfree(l->regex);
    free(l->regex);
    l->regex = NULL;
}

static struct irc_list *
list_of(struct irc_server *s)
{
    if (!s->list) {
        s->list = xcalloc(1, sizeof(*s->list));
        s->list->sort = xstrdup(LIST_SORT_DEFAULT);
    }
    return s->list;
}

/* The columns a name takes: one per character (wide characters are rare in names). */
static int
list_width(const char *name)
{
    size_t n = utf8_char_count(name, strlen(name));

    return n > 4096 ? 4096 : (int)n;
}

/* ---- filter and sort ---- */

/* irc_list_string_match: a mask with "*" matches the whole string, else it is looked for
 * inside it; case ignored. */
static bool
list_match(const char *text, const char *mask)
{
    if (strchr(mask, '*'))
        return irc_mask_match(IRC_CASEMAPPING_ASCII, mask, text);
    return strcasestr(text, mask) != NULL;
}

static bool
list_parse_int(const char *text, int *out)
{
    char *end;
    long v = strtol(text, &end, 10);

    if (!text[0] || *end || v < INT_MIN || v > INT_MAX)
        return false;
    *out = (int)v;
    return true;
}

static bool
list_wanted(const struct irc_list *l, const struct irc_list_channel *c)
{
    const char *f = l->filter;
    int n;

    if (!f)
        return true;
    if (strncmp(f, "n:", 2) == 0)
        return list_match(c->name, f + 2);
    if (strncmp(f, "t:", 2) == 0)
        return list_match(c->topic, f + 2);
    if (strncmp(f, "u:>", 3) == 0)
        return list_parse_int(f + 3, &n) && c->users > n;
    if (strncmp(f, "u:<", 3) == 0)
        return list_parse_int(f + 3, &n) && c->users < n;
    if (strncmp(f, "u:", 2) == 0)
        return list_parse_int(f + 2, &n) && c->users >= n;
    /* "c:" takes WeeChat's evaluated conditions, which perchd has not: nothing matches. */
    if (strncmp(f, "c:", 2) == 0)
        return false;
    return list_match(c->name, f) || list_match(c->topic, f);
}

enum list_field {
    FIELD_NAME,
    FIELD_NAME2,
    FIELD_USERS,
    FIELD_TOPIC
};

/* One field of the sort: "-" before it reverses, "~" ignores case. */
struct list_key {
    enum list_field field;
    int reverse;
    bool sensitive;
};

#define LIST_KEYS_MAX 8

struct list_sort {
    const struct irc_list *l;
    struct list_key keys[LIST_KEYS_MAX];
    size_t n_keys;
};

/* "-users,~name2" as keys; unknown fields are left out (WeeChat compares them as equal). */
static void
list_sort_parse(const char *sort, struct list_sort *out)
{
    static const char *const names[] = { "name", "name2", "users", "topic" };
    char *copy = xstrdup(sort), *save = NULL;

    out->n_keys = 0;
    for (char *f = strtok_r(copy, ",", &save); f && out->n_keys < LIST_KEYS_MAX;
         f = strtok_r(NULL, ",", &save)) {
        struct list_key k = { .reverse = 1, .sensitive = true };
        for (f += strspn(f, " "); *f == '-' || *f == '~'; f++) {
            if (*f == '-')
                k.reverse = -k.reverse;
            else
                k.sensitive = !k.sensitive;
        }
        f[strcspn(f, " ")] = '\0';
        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
            if (strcmp(f, names[i]) == 0) {
                k.field = (enum list_field)i;
                out->keys[out->n_keys++] = k;
            }
        }
    }
    free(copy);
}

static const char *
list_text(const struct irc_list_channel *c, enum list_field field)
{
    return field == FIELD_NAME ? c->name : field == FIELD_NAME2 ? c->name2 : c->topic;
}

static int
list_compare(const void *pa, const void *pb, void *data)
{
    const struct list_sort *sort = data;
    size_t ia = *(const size_t *)pa, ib = *(const size_t *)pb;
    const struct irc_list_channel *a = &sort->l->channels[ia], *b = &sort->l->channels[ib];

    for (size_t i = 0; i < sort->n_keys; i++) {
        const struct list_key *k = &sort->keys[i];
        int rc;
        if (k->field == FIELD_USERS) {
            rc = (a->users > b->users) - (a->users < b->users);
        } else {
            const char *x = list_text(a, k->field), *y = list_text(b, k->field);
            rc = k->sensitive ? strcmp(x, y) : strcasecmp(x, y);
            rc = (rc > 0) - (rc < 0);
        }
        if (rc)
            return k->reverse * rc;
    }
    /* Equal: in the order they came. */
    return (ia > ib) - (ia < ib);
}

static void
list_filter(struct irc_list *l)
{
    struct list_sort sort = { .l = l };

    l->shown = xrealloc(l->shown, (l->n_channels ? l->n_channels : 1) * sizeof(*l->shown));
    l->n_shown = 0;
    for (size_t i = 0; i < l->n_channels; i++) {
        if (list_wanted(l, &l->channels[i]))
            l->shown[l->n_shown++] = i;
    }
    list_sort_parse(l->sort, &sort);
    qsort_r(l->shown, l->n_shown, sizeof(*l->shown), list_compare, &sort);
}

/* ---- the buffer ---- */

static void
list_title(struct irc_list *l)
{
    char title[8192];

    snprintf(title, sizeof(title),
             "%zu channels (total: %zu) | Filter: %s | Sort: %s | Keys: ctrl+j=join channel | "
             "Input: $=refresh, s:x,y=sort, words=filter, *=reset filter, q=close buffer",
             l->n_shown, l->n_channels, l->filter ? l->filter : "*", l->sort);
    core_buffer_set_title(l->buffer, title);
}

static void
list_print_y(struct irc_list *l, int y, const char *text)
{
    struct core_line_spec spec = { .prefix = "", .message = text, .tags = "", .y = y };

    core_buffer_print(l->buffer, &spec);
}

/* irc_list_display_line: "#name<spaces> %7d  topic", the selected line in its colours. */
static void
list_show_line(struct irc_list *l, size_t line)
{
    const struct irc_list_channel *c;
    struct buf text;
    int pad;

    if (line >= l->n_shown || line > INT_MAX)
        return;
    c = &l->channels[l->shown[line]];
    pad = l->name_width - list_width(c->name);
    buf_init(&text, SIZE_MAX);
    buf_printf(&text, "%s%s%*s %7d  %s", line == l->selected ? LIST_SELECTED : "", c->name,
               pad > 0 ? pad : 0, "", c->users, c->topic);
    list_print_y(l, (int)line, text.data);
    buf_fini(&text);
}

static void
list_refresh(struct irc_list *l)
{
    if (!l->buffer)
        return;
    core_buffer_clear(l->buffer);
    l->selected = 0;
    if (l->n_channels == 0)
        list_print_y(l, 1, "Empty list of channels, try \"$\" to refresh list");
    for (size_t i = 0; i < l->n_shown; i++)
        list_show_line(l, i);
    list_title(l);
}

static void
list_select(struct irc_list *l, size_t line)
{
    size_t old = l->selected;

    if (line >= l->n_shown || line == old)
        return;
    l->selected = line;
    list_show_line(l, old);
    list_show_line(l, line);
}

static void
list_set_filter(struct irc_list *l, const char *filter)
{
    free(l->filter);
    l->filter = filter && strcmp(filter, "*") != 0 ? xstrdup(filter) : NULL;
    if (l->buffer)
        core_buffer_set_localvar(l->buffer, "filter", l->filter ? l->filter : "*");
}

static void
list_join_selected(struct irc_server *s)
{
    struct irc_list *l = s->list;
    char command[1024];

    if (!l || l->selected >= l->n_shown)
        return;
    snprintf(command, sizeof(command), "/join %s", l->channels[l->shown[l->selected]].name);
    core_command_input(l->buffer, command);
}

/* irc_list_buffer_input_data: what is typed in the list buffer. */
static void
list_input(struct core_buffer *buffer, const char *text, void *data)
{
    struct irc_server *s = data;
    struct irc_list *l = s->list;
    static const char *const actions[][2] = {
        { "<<", "/list -go 0" }, { ">>", "/list -go end" }, { "<", "/list -left" },
        { ">", "/list -right" }, { "$", "/list" },
    };

    if (strcmp(text, "q") == 0) {
        core_buffer_close(buffer);
        return;
    }
    if (strcmp(text, "j") == 0) {
        list_join_selected(s);
        return;
    }
    for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++) {
        if (strcmp(text, actions[i][0]) == 0) {
            core_command_input(buffer, actions[i][1]);
            return;
        }
    }
    if (strncmp(text, "s:", 2) == 0) {
        free(l->sort);
        l->sort = xstrdup(text[2] ? text + 2 : LIST_SORT_DEFAULT);
    } else {
        while (*text == ' ')
            text++;
        if (!*text)
            return;
        list_set_filter(l, text);
    }
    list_filter(l);
    list_refresh(l);
}

/* The list buffer, opened (or taken back after a restart) with WeeChat's properties. */
static struct core_buffer *
list_buffer(struct irc_server *s)
{
    static const char *const keys[][2] = {
        { "up", "/list -up" },           { "down", "/list -down" }, { "meta-home", "/list -go 0" },
        { "meta-end", "/list -go end" }, { "f11", "/list -left" },  { "f12", "/list -right" },
        { "ctrl-j", "/list -join" },
    };
    struct irc_list *l = list_of(s);
    char name[300];
    int err;

    if (l->buffer)
        return l->buffer;
    snprintf(name, sizeof(name), "list_%s", s->cfg->name);
    l->buffer = core_buffer_open(s->irc->core, "irc", name, CORE_BUFFER_FREE, &err);
    if (!l->buffer) {
        char full[310];
        snprintf(full, sizeof(full), "irc.%s", name);
        l->buffer = core_buffer_by_full_name(s->irc->core, full);
    }
    if (!l->buffer)
        return NULL;
    core_buffer_set_type(l->buffer, CORE_BUFFER_FREE);
    core_buffer_set_localvar(l->buffer, "type", "list");
    core_buffer_set_localvar(l->buffer, "server", s->cfg->name);
    core_buffer_set_localvar(l->buffer, "channel", s->cfg->name);
    core_buffer_set_localvar(l->buffer, "no_log", "1");
    core_buffer_set_localvar(l->buffer, "filter", l->filter ? l->filter : "*");
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        core_buffer_set_key(l->buffer, keys[i][0], keys[i][1]);
    core_buffer_set_input_cb(l->buffer, list_input, s);
    return l->buffer;
}

/* ---- the server's replies ---- */

bool
irc__list_321(struct irc_server *s, const struct irc_message *m)
{
    (void)m;
    return s->list && s->list->receiving;
}

bool
irc__list_322(struct irc_server *s, const struct irc_message *m)
{
    struct irc_list *l = s->list;
    struct irc_list_channel *c;
    char *decoded;
    int users;

    if (!l)
        return false;
    if (!l->receiving)
        return l->regex && regexec(l->regex, m->params[1], 0, NULL, 0) != 0;
    if (l->restart)
        list_channels_clear(l);
    l->restart = false;
    if (l->n_channels >= LIST_MAX)
        return true;
    if (l->n_channels == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->channels = xrealloc(l->channels, l->cap * sizeof(*l->channels));
    }
    c = &l->channels[l->n_channels++];
    c->name = xstrdup(m->params[1]);
    c->name2 = c->name + 1;
    while (*c->name2 && *c->name2 == c->name[0])
        c->name2++;
    c->users = list_parse_int(m->params[2], &users) ? users : 0;
    /* irc.look.list_buffer_topic_strip_colors: the topic without its formatting. */
    decoded = core_color_from_irc(m->n_params > 3 ? m->params[3] : "");
    c->topic = core_color_convert(decoded, CORE_COLOR_STRIP);
    free(decoded);
    int width = list_width(c->name);
    if (width > l->name_width)
        l->name_width = width;
    return true;
}

bool
irc__list_323(struct irc_server *s, const struct irc_message *m)
{
    struct irc_list *l = s->list;

    (void)m;
    if (!l || !l->receiving)
        return false;
    if (l->restart)
        list_channels_clear(l);
    l->receiving = l->restart = false;
    list_filter(l);
    list_refresh(l);
    return true;
}

void
irc__list_link_lost(struct irc_server *s)
{
    if (s->list)
        s->list->receiving = false;
}

void
irc__list_buffer_closing(struct irc *irc, const struct core_buffer *buffer)
{
    struct list *pos;

    list_for_each (pos, &irc->servers) {
        struct irc_server *s = list_entry(pos, struct irc_server, link);
        /* A LIST still answered keeps its replies out of the server buffer. */
        if (s->list && s->list->buffer == buffer) {
            s->list->buffer = NULL;
            list_channels_clear(s->list);
        }
    }
}

void
irc__list_adopt(struct irc_server *s)
{
    char full[310];

    snprintf(full, sizeof(full), "irc.list_%s", s->cfg->name);
    if (!core_buffer_by_full_name(s->irc->core, full) || !list_buffer(s))
        return;
    list_filter(s->list);
    list_refresh(s->list);
}

void
irc__list_close(struct irc_server *s)
{
    if (s->list && s->list->buffer)
        core_buffer_close(s->list->buffer);
}

void
irc__list_renamed(struct irc_server *s)
{
    char name[300];

    if (!s->list || !s->list->buffer)
        return;
    snprintf(name, sizeof(name), "list_%s", s->cfg->name);
    core_buffer_set_name(s->list->buffer, name);
    core_buffer_set_localvar(s->list->buffer, "server", s->cfg->name);
    core_buffer_set_localvar(s->list->buffer, "channel", s->cfg->name);
}

void
irc__list_free(struct irc_server *s)
{
    struct irc_list *l = s->list;

    if (!l)
        return;
    s->list = NULL;
    if (l->buffer)
        core_buffer_set_input_cb(l->buffer, NULL, NULL);
    list_channels_clear(l);
    list_regex_free(l);
    free(l->channels);
    free(l->shown);
    free(l->filter);
    free(l->sort);
    free(l);
}

/* ---- /list ---- */

static int
list_move(struct core_buffer *buffer, const struct core_args *args, struct irc_server *s)
{
    struct irc_list *l = s ? s->list : NULL;
    const char *what = args->argv[1];
    const char *arg = args->argc > 2 ? args->argv[2] : NULL;
    int n = 1;

    if (!l || !l->buffer)
        return 0;
    if (strcmp(what, "-join") == 0) {
        list_join_selected(s);
        return 0;
    }
    if (strcmp(what, "-left") == 0 || strcmp(what, "-right") == 0)
        return 0; /* a scroll of the screen: clients scroll themselves */
    if (strcmp(what, "-go") == 0) {
        if (!arg) {
            core_command_error_usage(buffer, args);
            return -EINVAL;
        }
        if (strcmp(arg, "end") == 0) {
            if (l->n_shown)
                list_select(l, l->n_shown - 1);
            return 0;
        }
        if (!list_parse_int(arg, &n) || n < 0) {
            core_command_error_usage(buffer, args);
            return -EINVAL;
        }
        list_select(l, l->n_shown && (size_t)n >= l->n_shown ? l->n_shown - 1 : (size_t)n);
        return 0;
    }
    if (arg && (!list_parse_int(arg, &n) || n < 1))
        n = 1;
    if (strcmp(what, "-up") == 0)
        list_select(l, l->selected > (size_t)n ? l->selected - (size_t)n : 0);
    else if (l->n_shown)
        list_select(l, l->selected + (size_t)n < l->n_shown ? l->selected + (size_t)n
                                                            : l->n_shown - 1);
    return 0;
}

static bool
list_is_move(const char *arg)
{
    static const char *const moves[] = { "-up", "-down", "-go", "-left", "-right", "-join" };

    for (size_t i = 0; i < sizeof(moves) / sizeof(moves[0]); i++) {
        if (strcmp(arg, moves[i]) == 0)
            return true;
    }
    return false;
}

/* "/list [-server S] [channel[,channel] [target]] [-raw regex]", and the list buffer's
 * moves: -up, -down [n], -go n|end, -join, -left, -right. */
int
irc__cmd_list(struct core_buffer *buffer, const struct core_args *args)
{
    struct irc *irc = args->data;
    struct irc_server *s = irc__buffer_server(irc, buffer);
    const char *channels = NULL, *target = NULL, *raw = NULL;
    regex_t *regex = NULL;

    if (args->argc > 1 && list_is_move(args->argv[1]))
        return list_move(buffer, args, s);
    /* A file written where perchd runs, named by a remote client: not done. */
    if (args->argc > 1 && strcmp(args->argv[1], "-export") == 0) {
        core_command_error(buffer, "irc: /list -export is not available in perchd: the channels "
                                   "are in the list buffer");
        return -EPERM;
    }
    for (int i = 1; i < args->argc; i++) {
        if (strcmp(args->argv[i], "-server") == 0) {
            if (i + 1 >= args->argc || !(s = irc__server_find(irc, args->argv[i + 1]))) {
                core_command_error_usage(buffer, args);
                return -EINVAL;
            }
            i++;
        } else if (strcmp(args->argv[i], "-raw") == 0) {
            if (i + 1 >= args->argc) {
                core_command_error_usage(buffer, args);
                return -EINVAL;
            }
            raw = args->eol[i + 1];
            break;
        } else if (!channels) {
            channels = args->argv[i];
        } else if (!target) {
            target = args->argv[i];
        } else {
            core_command_error_usage(buffer, args);
            return -EINVAL;
        }
    }
    if (!irc__cmd_ready(buffer, "list", s))
        return -ENOTCONN;
    if (raw) {
        regex = xcalloc(1, sizeof(*regex));
        int rc = regcomp(regex, strcmp(raw, "*") == 0 ? ".*" : raw,
                         REG_EXTENDED | REG_ICASE | REG_NOSUB);
        if (rc != 0) {
            char why[256];
            regerror(rc, regex, why, sizeof(why));
            free(regex);
            core_command_error(buffer, "irc: error in regular expression \"%s\": %s", raw, why);
            return -EINVAL;
        }
    }
    struct irc_list *l = list_of(s);
    list_regex_free(l);
    l->regex = regex;
    l->receiving = !raw;
    l->restart = true;
    if (!raw && !list_buffer(s))
        return -ENOMEM;
    const char *params[] = { channels, target };
    return irc__server_send_labeled(s, IRC_LABEL_USER, "LIST", params,
                                    target     ? 2
                                    : channels ? 1
                                               : 0) < 0
               ? -EINVAL
               : 0;
}
