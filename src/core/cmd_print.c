/* SPDX-License-Identifier: MIT */
/* /print: text into a buffer, optionally a new one, with tags, date, y and a prefix, or to
 * perchd's own output. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/timefmt.h"
#include "base/xalloc.h"
#include "color.h"
#include "command.h"
#include "core.h"

struct print_opts {
    struct core_buffer *target;
    const char *newbuffer;
    bool free_type;
    bool escape;
    bool beep;          /* -beep: nothing to print */
    FILE *out;          /* -stdout, -stderr: the text goes there instead */
    const char *prefix; /* -action, -error...: the prefix, the text not split */
    int y;
    const char *tags;
    int64_t date_us;
    const char *text;
};

/* The last second a date may name: 9999-12-31T23:59:59Z (dates print as 4-digit years). */
#define PRINT_DATE_MAX_S 253402300799LL

/* "-N"/"+N" seconds from now, "@EPOCH", "EPOCH" or an ISO 8601 UTC date; anything
 * outside 1970..9999 is refused rather than stored as a malformed date. */
static int
print_parse_date(const char *s, int64_t *us)
{
    char *end;
    long long v;

    if (*s == '-' || *s == '+') {
        errno = 0;
        v = strtoll(s, &end, 10);
        if (errno || *end || end == s || v < -PRINT_DATE_MAX_S || v > PRINT_DATE_MAX_S)
            return -EINVAL;
        *us = timefmt_now_us() + v * 1000000LL;
        return *us > 0 && *us <= PRINT_DATE_MAX_S * 1000000LL ? 0 : -EINVAL;
    }
    if (*s >= '0' && *s <= '9' && !strchr(s, '-')) {
        char epoch[32];
        /* A bare number is "@NUMBER", whose range timefmt checks; 0 would mean "now". */
        if ((size_t)snprintf(epoch, sizeof(epoch), "@%s", s) >= sizeof(epoch) ||
            timefmt_parse(epoch, us) < 0)
            return -EINVAL;
        return *us > 0 ? 0 : -EINVAL;
    }
    return timefmt_parse(s, us);
}

/* Expands \t \n \\ \e \xHH when -escape is given. */
static char *
print_unescape(const char *s)
{
    struct buf out;

    buf_init(&out, (size_t)-1);
    for (; *s; s++) {
        if (*s != '\\' || !s[1]) {
            buf_append_char(&out, *s);
            continue;
        }
        s++;
        if (*s == 't')
            buf_append_char(&out, '\t');
        else if (*s == 'n')
            buf_append_char(&out, '\n');
        else if (*s == 'e')
            buf_append_char(&out, '\x1b');
        else if (*s == 'x' && s[1] && s[2] && strchr("0123456789abcdefABCDEF", s[1]) &&
                 strchr("0123456789abcdefABCDEF", s[2])) {
            char hex[3] = { s[1], s[2], 0 };
            buf_append_char(&out, (char)strtol(hex, NULL, 16));
            s += 2;
        } else
            buf_append_char(&out, *s);
    }
    return buf_steal(&out, NULL);
}

/* The prefixes of -action, -error, -join, -network and -quit. */
static const struct {
    const char *option;
    const char *prefix;
} print_prefixes[] = {
    { "-action", CORE_PREFIX_ACTION }, { "-error", CORE_PREFIX_ERROR },
    { "-join", CORE_PREFIX_JOIN },     { "-network", CORE_PREFIX_NETWORK },
    { "-quit", CORE_PREFIX_QUIT },
};

/* One option at argv[*i] (its value, if any, after it); false when it is not valid. */
static bool
print_option(struct core_buffer *buffer, const struct core_args *args, int *i, struct print_opts *o)
{
    const char *opt = args->argv[*i];
    const char *value = *i + 1 < args->argc ? args->argv[*i + 1] : NULL;
    char *end;

    for (size_t k = 0; k < sizeof(print_prefixes) / sizeof(print_prefixes[0]); k++) {
        if (strcmp(opt, print_prefixes[k].option) == 0) {
            o->prefix = print_prefixes[k].prefix;
            return true;
        }
    }
    if (strcmp(opt, "-free") == 0)
        o->free_type = true;
    else if (strcmp(opt, "-escape") == 0)
        o->escape = true;
    else if (strcmp(opt, "-core") == 0)
        o->target = buffer->core->core_buffer;
    /* perchd has no windows: the current buffer is the one the command runs in, shown
     * by the clients that choose to. */
    else if (strcmp(opt, "-current") == 0)
        o->target = buffer;
    else if (strcmp(opt, "-switch") == 0)
        ;
    else if (strcmp(opt, "-stdout") == 0)
        o->out = stdout;
    else if (strcmp(opt, "-stderr") == 0)
        o->out = stderr;
    else if (!value)
        return false;
    else if (strcmp(opt, "-buffer") == 0)
        return (o->target = core_command_buffer_arg(buffer->core, args->argv[++*i])) != NULL;
    else if (strcmp(opt, "-newbuffer") == 0)
        o->newbuffer = args->argv[++*i];
    else if (strcmp(opt, "-tags") == 0)
        o->tags = args->argv[++*i];
    else if (strcmp(opt, "-y") == 0) {
        long y = strtol(args->argv[++*i], &end, 10);
        if (*end || end == args->argv[*i] || y < 0 || y > 1000000)
            return false;
        o->y = (int)y;
    } else if (strcmp(opt, "-date") == 0)
        return print_parse_date(args->argv[++*i], &o->date_us) == 0;
    else
        return false;
    return true;
}

/* WeeChat's options; a wrong one (or a buffer not found) is WeeChat's usage error. */
static int
print_parse(struct core_buffer *buffer, const struct core_args *args, struct print_opts *o)
{
    int i;

    for (i = 1; i < args->argc && args->argv[i][0] == '-'; i++) {
        if (strcmp(args->argv[i], "-beep") == 0) {
            /* WeeChat rings its terminal and prints nothing; perchd has no terminal. */
            o->beep = true;
            return 0;
        }
        if (strcmp(args->argv[i], "-") == 0 || strcmp(args->argv[i], "--") == 0) {
            i++;
            break;
        }
        if (!print_option(buffer, args, &i, o)) {
            core_command_error_usage(buffer, args);
            return -EINVAL;
        }
    }
    o->text = i < args->argc ? args->eol[i] : "";
    /* A leading backslash protects text that starts with "-". */
    if (o->text[0] == '\\' && o->text[1] == '-')
        o->text++;
    return 0;
}

static struct core_buffer *
print_newbuffer(struct core_buffer *buffer, const struct print_opts *o)
{
    char full[512];
    struct core_buffer *b;
    int err;

    snprintf(full, sizeof(full), "core.%s", o->newbuffer);
    b = core_buffer_by_full_name(buffer->core, full);
    if (b)
        return b;
    b = core_buffer_open(buffer->core, "core", o->newbuffer,
                         o->free_type ? CORE_BUFFER_FREE : CORE_BUFFER_FORMATTED, &err);
    if (!b)
        core_command_error(buffer, "print: cannot create buffer \"%s\": %s", o->newbuffer,
                           err == -EEXIST ? "name already used" : "invalid name");
    return b;
}

/* WeeChat splits prefix and message at the first backslash and "t" typed (two characters);
 * a real tab (what clients send in JSON) splits too. Returns the message. */
static char *
print_split(char *text, const char **prefix)
{
    char *typed = strstr(text, "\\t"), *tab = strchr(text, '\t');

    if (typed && (!tab || typed < tab)) {
        memmove(typed + 1, typed + 2, strlen(typed + 2) + 1);
        tab = typed;
    }
    if (!tab)
        return text;
    *tab = '\0';
    *prefix = text;
    return tab + 1;
}

int
core_cmd_print(struct core_buffer *buffer, const struct core_args *args)
{
    struct print_opts o = { .target = buffer, .y = -1 };
    struct core_line_spec spec = { .y = -1 };
    char *text, *colored;

    if (print_parse(buffer, args, &o) < 0)
        return -EINVAL;
    if (o.beep)
        return 0;
    if (o.out) {
        /* As WeeChat: to the process's own output, escapes converted. */
        text = print_unescape(o.text);
        fputs(text, o.out);
        fflush(o.out);
        free(text);
        return 0;
    }
    if (o.newbuffer && !(o.target = print_newbuffer(buffer, &o)))
        return -EINVAL;
    if (o.newbuffer && !o.text[0])
        return 0;
    text = o.escape ? print_unescape(o.text) : xstrdup(o.text);
    colored = core_color_from_irc(text);
    spec.prefix = o.prefix;
    spec.message = o.prefix ? colored : print_split(colored, &spec.prefix);
    spec.tags = o.tags;
    spec.date_us = o.date_us;
    spec.y = o.y;
    core_buffer_print(o.target, &spec);
    free(colored);
    free(text);
    return 0;
}
