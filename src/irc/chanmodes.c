/* SPDX-License-Identifier: MIT */
/* Channel modes kept as WeeChat keeps them ("+ntl 50"), updated by 324 and MODE. */
#include "chanmodes.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/xalloc.h"
#include "isupport.h"

/* Without 005 CHANMODES, WeeChat assumes "beI,k,l" (IRC_SERVER_DEFAULT_CHANMODES). */
#define CHANMODES_DEFAULT "beI,k,l"

/* Arguments of a mode string are at most this many (a longer tail is dropped). */
#define CHANMODES_ARGS_MAX 64

char
irc_chanmodes_type(const struct irc_isupport *is, char mode)
{
    const char *chanmodes = irc_isupport_get(is, "CHANMODES");
    char type = 'A';

    if (!mode || irc_isupport_prefix_rank(is, mode) >= 0)
        return 'B';
    if (!chanmodes || !chanmodes[0])
        chanmodes = CHANMODES_DEFAULT;
    for (const char *p = chanmodes; *p; p++) {
        if (*p == ',') {
            if (type == 'D')
                return 'D';
            type++;
        } else if (*p == mode) {
            return type;
        }
    }
    return 'D';
}

/* Splits "+ntk key" into its letters and up to CHANMODES_ARGS_MAX arguments (in place). */
static size_t
chanmodes_split(char *copy, char **letters, char **argv)
{
    size_t n = 0;
    char *p = strchr(copy, ' ');

    *letters = copy;
    if (!p)
        return 0;
    *p++ = '\0';
    while (*p && n < CHANMODES_ARGS_MAX) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        argv[n++] = p;
        p += strcspn(p, " ");
        if (*p)
            *p++ = '\0';
    }
    return n;
}

char *
irc_chanmodes_arg(const struct irc_isupport *is, const char *modes, char mode)
{
    char *copy = xstrdup(modes ? modes : ""), *letters, *argv[CHANMODES_ARGS_MAX], *found = NULL;
    size_t argc = chanmodes_split(copy, &letters, argv), cur = 0;

    for (const char *p = letters; *p && !found; p++) {
        if (*p == '+' || *p == '-' || irc_chanmodes_type(is, *p) == 'D')
            continue;
        if (cur >= argc)
            break;
        if (*p == mode)
            found = xstrdup(argv[cur]);
        cur++;
    }
    free(copy);
    return found;
}

static void
chanmodes_add_arg(struct buf *args, const char *arg)
{
    if (args->len)
        buf_append_char(args, ' ');
    buf_append_str(args, arg);
}

/* One change on the kept string, as irc_mode_channel_update does it: a mode already there
 * stays in place (with its new argument) or goes; a new one goes at the front without an
 * argument, at the end with one. */
static char *
chanmodes_update(const struct irc_isupport *is, const char *modes, char flag, char mode,
                 const char *arg)
{
    char *copy = xstrdup(modes && modes[0] ? modes : "+"), *letters, *argv[CHANMODES_ARGS_MAX];
    size_t argc = chanmodes_split(copy, &letters, argv), cur = 0;
    struct buf out, args;
    bool found = false;

    buf_init(&out, 4096);
    buf_init(&args, 4096);
    for (const char *p = letters; *p; p++) {
        if (*p == '+' || *p == '-') {
            buf_append_char(&out, *p);
            continue;
        }
        const char *own = NULL;
        if (irc_chanmodes_type(is, *p) != 'D' && cur < argc)
            own = argv[cur++];
        if (*p != mode || found) {
            buf_append_char(&out, *p);
            if (own)
                chanmodes_add_arg(&args, own);
            continue;
        }
        found = true;
        if (flag == '+') {
            buf_append_char(&out, *p);
            if (arg)
                chanmodes_add_arg(&args, arg);
        }
    }
    if (!found && flag == '+') {
        if (arg) {
            buf_append_char(&out, mode);
            chanmodes_add_arg(&args, arg);
        } else {
            char *s = buf_steal(&out, NULL);
            size_t plus = strspn(s, "+");
            buf_append(&out, s, plus);
            buf_append_char(&out, mode);
            buf_append_str(&out, s + plus);
            free(s);
        }
    }
    if (args.len) {
        buf_append_char(&out, ' ');
        buf_append(&out, args.data, args.len);
    }
    buf_fini(&args);
    free(copy);
    return buf_steal(&out, NULL);
}

char *
irc_chanmodes_apply(const struct irc_isupport *is, const char *modes, const char *change,
                    const char *const *args, size_t n_args)
{
    char *cur = xstrdup(modes ? modes : "");
    size_t next = 0;
    char flag = '+';

    for (const char *p = change ? change : ""; *p && *p != ' '; p++) {
        if (*p == '+' || *p == '-') {
            flag = *p;
            continue;
        }
        char type = irc_chanmodes_type(is, *p);
        const char *arg = NULL;
        if ((type == 'A' || type == 'B' || (type == 'C' && flag == '+')) && next < n_args)
            arg = args[next++];
        if (arg && arg[0] == ':')
            arg++;
        /* List modes and nick modes are not channel state. */
        if (type == 'A' || irc_isupport_prefix_rank(is, *p) >= 0)
            continue;
        char *updated = chanmodes_update(is, cur, flag, *p, arg);
        free(cur);
        cur = updated;
    }
    if (!cur[0] || strcmp(cur, "+") == 0) {
        free(cur);
        return NULL;
    }
    return cur;
}

char *
irc_chanmodes_display(const char *modes)
{
    const char *space;

    if (!modes || !modes[0] || strcmp(modes, "+") == 0)
        return xstrdup("");
    space = strchr(modes, ' ');
    /* Any hidden letter among the modes cuts every argument. */
    if (space && memchr(modes, 'k', (size_t)(space - modes)))
        return xstrndup(modes, (size_t)(space - modes));
    return xstrdup(modes);
}
