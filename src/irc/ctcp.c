/* SPDX-License-Identifier: MIT */
/* CTCP framing. */
#include "ctcp.h"

#include <string.h>

#include "base/xalloc.h"

bool
irc_ctcp_parse(const char *text, char **command, char **args)
{
    const char *p = text + 1, *end, *space;
    size_t len;

    if (text[0] != '\001' || !text[1] || text[1] == '\001')
        return false;
    end = strchr(p, '\001');
    len = end ? (size_t)(end - p) : strlen(p);
    space = memchr(p, ' ', len);
    *command = xstrndup(p, space ? (size_t)(space - p) : len);
    for (char *c = *command; *c; c++)
        *c = (*c >= 'a' && *c <= 'z') ? (char)(*c - 'a' + 'A') : *c;
    *args = space ? xstrndup(space + 1, len - (size_t)(space + 1 - p)) : xstrdup("");
    return true;
}

int
irc_ctcp_format(struct buf *out, const char *command, const char *args)
{
    if (buf_append_char(out, '\001') < 0 || buf_append_str(out, command) < 0)
        return -1;
    if (args && args[0] && (buf_append_char(out, ' ') < 0 || buf_append_str(out, args) < 0))
        return -1;
    return buf_append_char(out, '\001');
}
