/* SPDX-License-Identifier: MIT */
/* Completion of command names, command arguments, buffer names and nicks. */
#include "completion.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/utf8.h"
#include "base/xalloc.h"
#include "command.h"
#include "core.h"

static void
completion_add(struct core_completion *c, const char *word, size_t len, const char *suffix)
{
    size_t slen = strlen(suffix);
    char *item = xmalloc(len + slen + 1);

    for (size_t i = 0; i < c->n_list; i++) {
        if (strncmp(c->list[i], word, len) == 0 && strcmp(c->list[i] + len, suffix) == 0) {
            free(item);
            return;
        }
    }
    memcpy(item, word, len);
    memcpy(item + len, suffix, slen + 1);
    c->list = xrealloc(c->list, (c->n_list + 1) * sizeof(char *));
    c->list[c->n_list++] = item;
}

static void
completion_offer(struct core_completion *c, const char *word, size_t len, const char *suffix,
                 bool nocase)
{
    size_t blen = strlen(c->base_word);

    if (len < blen)
        return;
    if (nocase ? strncasecmp(word, c->base_word, blen) : strncmp(word, c->base_word, blen))
        return;
    completion_add(c, word, len, suffix);
}

struct nick_ctx {
    struct core_completion *c;
    const char *suffix;
};

static bool
completion_nick(const struct core_nick *nick, void *data)
{
    struct nick_ctx *ctx = data;

    completion_offer(ctx->c, nick->name, strlen(nick->name), ctx->suffix, true);
    return true;
}

static int
completion_cmp(const void *a, const void *b)
{
    return strcasecmp(*(char *const *)a, *(char *const *)b);
}

static void
completion_offer_command(const struct core_command *cmd, void *arg)
{
    completion_offer(arg, cmd->name, strlen(cmd->name), "", false);
}

/* Candidates named by one template token ("a|b", %buffers, %commands, %nicks). */
static void
completion_template(struct core_completion *c, const struct core_buffer *buffer, const char *tok,
                    size_t len)
{
    struct list *pos;

    if (len == 8 && strncmp(tok, "%buffers", 8) == 0) {
        list_for_each (pos, &buffer->core->buffers) {
            const struct core_buffer *b = list_entry(pos, struct core_buffer, link);
            completion_offer(c, b->full_name, strlen(b->full_name), "", false);
        }
    } else if (len == 9 && strncmp(tok, "%commands", 9) == 0) {
        core_command_each(buffer->core, completion_offer_command, c);
    } else if (len == 6 && strncmp(tok, "%nicks", 6) == 0) {
        struct nick_ctx ctx = { c, "" };
        core_nicklist_each_nick(buffer->nicklist_root, completion_nick, &ctx);
    } else {
        for (const char *p = tok; p < tok + len;) {
            const char *bar = memchr(p, '|', (size_t)(tok + len - p));
            size_t wlen = bar ? (size_t)(bar - p) : (size_t)(tok + len - p);
            completion_offer(c, p, wlen, "", false);
            p += wlen + 1;
        }
    }
}

/* The template token for argument number arg (1-based); the last one repeats. */
static void
completion_args(struct core_completion *c, const struct core_buffer *buffer,
                const struct core_command *cmd, int arg)
{
    const char *tok = cmd->completion, *end;

    while (*tok) {
        end = strchr(tok, ' ');
        if (arg == 1 || !end) {
            completion_template(c, buffer, tok, end ? (size_t)(end - tok) : strlen(tok));
            return;
        }
        tok = end + 1;
        arg--;
    }
}

static void
completion_command_arg(struct core_completion *c, const struct core_buffer *buffer,
                       const char *text, size_t word_start)
{
    const char *name_end = strchr(text, ' ');
    char *name = xstrndup(text + 1, (size_t)(name_end - text - 1));
    void *data;
    const struct core_command *cmd = core_command_lookup(buffer->core, name, &data);
    int arg = 0;

    free(name);
    for (size_t i = 0; i < word_start; i++) {
        if (text[i] != ' ' && (i == 0 || text[i - 1] == ' '))
            arg++;
    }
    c->context = "command_arg";
    if (cmd)
        completion_args(c, buffer, cmd, arg);
}

void
core_completion_run(const struct core_buffer *buffer, const char *text, long position,
                    struct core_completion *out)
{
    size_t len = strlen(text);
    size_t end = position < 0 ? len : utf8_char_offset(text, len, (size_t)position);
    size_t start = end;

    memset(out, 0, sizeof(*out));
    while (start > 0 && text[start - 1] != ' ')
        start--;
    out->add_space = true;
    if (text[0] == '/' && text[1] != '/' && start == 0) {
        out->context = "command";
        out->base_word = xstrndup(text + 1, end > 0 ? end - 1 : 0);
        out->position_replace = 1;
        completion_template(out, buffer, "%commands", 9);
    } else if (text[0] == '/' && text[1] != '/') {
        out->base_word = xstrndup(text + start, end - start);
        out->position_replace = (int)start;
        completion_command_arg(out, buffer, text, start);
    } else {
        struct nick_ctx ctx = { out, start == 0 ? ": " : "" };
        out->context = "auto";
        out->base_word = xstrndup(text + start, end - start);
        out->position_replace = (int)start;
        /* At the start of a line a nick gets the ": " suffix in the word itself. */
        out->add_space = start != 0;
        if (buffer->nicklist)
            core_nicklist_each_nick(buffer->nicklist_root, completion_nick, &ctx);
        if (out->n_list == 0)
            out->add_space = true;
    }
    if (out->n_list > 1)
        qsort(out->list, out->n_list, sizeof(char *), completion_cmp);
}

void
core_completion_fini(struct core_completion *c)
{
    for (size_t i = 0; i < c->n_list; i++)
        free(c->list[i]);
    free(c->list);
    free(c->base_word);
    memset(c, 0, sizeof(*c));
}
