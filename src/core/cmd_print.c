/* SPDX-License-Identifier: MIT */
/* /print: text into a buffer, optionally a new one, with tags, date and y. */
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
    bool beep; /* -beep: nothing to print */
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

static int
print_parse(struct core_buffer *buffer, const struct core_args *args, struct print_opts *o)
{
    int i;

    for (i = 1; i < args->argc && args->argv[i][0] == '-'; i++) {
        const char *opt = args->argv[i];
        bool has_value = i + 1 < args->argc;
        if (strcmp(opt, "-beep") == 0) {
            /* WeeChat rings its terminal and prints nothing; perchd has no terminal. */
            o->beep = true;
            return 0;
        } else if (strcmp(opt, "-free") == 0) {
            o->free_type = true;
        } else if (strcmp(opt, "-escape") == 0) {
            o->escape = true;
        } else if (strcmp(opt, "-core") == 0) {
            o->target = buffer->core->core_buffer;
        } else if (strcmp(opt, "-buffer") == 0 && has_value) {
            o->target = core_command_buffer_arg(buffer->core, args->argv[++i]);
            if (!o->target) {
                core_command_error(buffer, "print: buffer \"%s\" not found", args->argv[i]);
                return -ENOENT;
            }
        } else if (strcmp(opt, "-newbuffer") == 0 && has_value) {
            o->newbuffer = args->argv[++i];
        } else if (strcmp(opt, "-tags") == 0 && has_value) {
            o->tags = args->argv[++i];
        } else if (strcmp(opt, "-y") == 0 && has_value) {
            char *end;
            long y = strtol(args->argv[++i], &end, 10);
            if (*end || y < 0 || y > 1000000) {
                core_command_error(buffer, "print: invalid line number \"%s\"", args->argv[i]);
                return -EINVAL;
            }
            o->y = (int)y;
        } else if (strcmp(opt, "-date") == 0 && has_value) {
            if (print_parse_date(args->argv[++i], &o->date_us) < 0) {
                core_command_error(buffer, "print: invalid date \"%s\"", args->argv[i]);
                return -EINVAL;
            }
        } else if (strcmp(opt, "-") == 0 || strcmp(opt, "--") == 0) {
            i++;
            break;
        } else {
            core_command_error(buffer, "print: invalid option \"%s\" (see /help print)", opt);
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

int
core_cmd_print(struct core_buffer *buffer, const struct core_args *args)
{
    struct print_opts o = { .target = buffer, .y = -1 };
    struct core_line_spec spec = { .y = -1 };
    char *text, *colored, *tab;

    if (print_parse(buffer, args, &o) < 0)
        return -EINVAL;
    if (o.beep)
        return 0;
    if (o.newbuffer && !(o.target = print_newbuffer(buffer, &o)))
        return -EINVAL;
    if (o.newbuffer && !o.text[0])
        return 0;
    text = o.escape ? print_unescape(o.text) : xstrdup(o.text);
    colored = core_color_from_irc(text);
    tab = strchr(colored, '\t');
    if (tab) {
        *tab = '\0';
        spec.prefix = colored;
        spec.message = tab + 1;
    } else {
        spec.message = colored;
    }
    spec.tags = o.tags;
    spec.date_us = o.date_us;
    spec.y = o.y;
    core_buffer_print(o.target, &spec);
    free(colored);
    free(text);
    return 0;
}
