/* SPDX-License-Identifier: MIT */
/* Completion of command names, command arguments, buffer names and nicks; other
 * components supply template items through hooks (irc: channels, servers, nicks). */
#include "completion.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/utf8.h"
#include "base/xalloc.h"
#include "command.h"
#include "core.h"

/* WeeChat's weechat.completion.nick_completer default: after a nick that starts the line. */
#define COMPLETION_NICK_COMPLETER ": "
/* ...and weechat.completion.default_template: what text outside commands completes to. */
#define COMPLETION_DEFAULT_TEMPLATE "%nicks|%irc_channels"

struct core_completion_hook {
    char *name;
    core_completion_cb cb;
    void *data;
};

void
core_completion_hook(struct core *core, const char *name, core_completion_cb cb, void *data)
{
    for (size_t i = 0; i < core->n_completion_hooks; i++) {
        if (strcmp(core->completion_hooks[i].name, name) == 0) {
            core->completion_hooks[i].cb = cb;
            core->completion_hooks[i].data = data;
            return;
        }
    }
    core->completion_hooks = xrealloc(core->completion_hooks, (core->n_completion_hooks + 1) *
                                                                  sizeof(*core->completion_hooks));
    core->completion_hooks[core->n_completion_hooks++] =
        (struct core_completion_hook){ xstrdup(name), cb, data };
}

void
core_completion_unhook(struct core *core, void *data)
{
    for (size_t i = 0; i < core->n_completion_hooks;) {
        if (core->completion_hooks[i].data != data) {
            i++;
            continue;
        }
        free(core->completion_hooks[i].name);
        core->completion_hooks[i] = core->completion_hooks[--core->n_completion_hooks];
    }
}

void
core_completion_hooks_free(struct core *core)
{
    for (size_t i = 0; i < core->n_completion_hooks; i++)
        free(core->completion_hooks[i].name);
    free(core->completion_hooks);
    core->completion_hooks = NULL;
    core->n_completion_hooks = 0;
}

static void
completion_insert(struct core_completion *c, size_t at, char *item)
{
    c->list = xrealloc(c->list, (c->n_list + 1) * sizeof(char *));
    memmove(c->list + at + 1, c->list + at, (c->n_list - at) * sizeof(char *));
    c->list[at] = item;
    c->n_list++;
}

static void
completion_add(struct core_completion *c, const char *word, size_t len, const char *suffix,
               enum core_completion_where where)
{
    size_t slen = strlen(suffix), at;
    char *item = xmalloc(len + slen + 1);

    memcpy(item, word, len);
    memcpy(item + len, suffix, slen + 1);
    for (size_t i = 0; i < c->n_list; i++) {
        if (strcmp(c->list[i], item) != 0)
            continue;
        if (where != CORE_COMPLETION_BEGINNING) {
            free(item);
            return;
        }
        /* A recent speaker moves to the front. */
        if (i < c->n_front)
            c->n_front--;
        else if (i >= c->n_list - c->n_back)
            c->n_back--;
        free(c->list[i]);
        memmove(c->list + i, c->list + i + 1, (c->n_list - i - 1) * sizeof(char *));
        c->n_list--;
        break;
    }
    if (where == CORE_COMPLETION_BEGINNING) {
        completion_insert(c, 0, item);
        c->n_front++;
        c->unsorted = true;
        return;
    }
    if (where == CORE_COMPLETION_END || c->unsorted) {
        completion_insert(c, c->n_list, item);
        c->n_back++;
        c->unsorted = true;
        return;
    }
    at = c->n_front;
    while (at < c->n_list - c->n_back && strcasecmp(c->list[at], item) <= 0)
        at++;
    completion_insert(c, at, item);
}

static void
completion_offer_where(struct core_completion *c, const char *word, size_t len, const char *suffix,
                       bool nocase, enum core_completion_where where)
{
    size_t blen = strlen(c->base_word);

    if (len < blen)
        return;
    if (nocase ? strncasecmp(word, c->base_word, blen) : strncmp(word, c->base_word, blen))
        return;
    completion_add(c, word, len, suffix, where);
}

static void
completion_offer(struct core_completion *c, const char *word, size_t len, const char *suffix,
                 bool nocase)
{
    completion_offer_where(c, word, len, suffix, nocase, CORE_COMPLETION_SORT);
}

void
core_completion_offer(struct core_completion *c, const char *word, bool nick,
                      enum core_completion_where where)
{
    bool line_start = nick && c->position_replace == 0;

    if (!word || !word[0])
        return;
    if (line_start && strncasecmp(word, c->base_word, strlen(c->base_word)) == 0)
        c->add_space = false;
    completion_offer_where(c, word, strlen(word), line_start ? COMPLETION_NICK_COMPLETER : "", nick,
                           where);
}

struct nick_ctx {
    struct core_completion *c;
};

static bool
completion_nick(const struct core_nick *nick, void *data)
{
    struct nick_ctx *ctx = data;

    core_completion_offer(ctx->c, nick->name, true, CORE_COMPLETION_SORT);
    return true;
}

static void
completion_offer_command(const struct core_command *cmd, void *arg)
{
    completion_offer(arg, cmd->name, strlen(cmd->name), "", false);
}

static void
completion_aliases(struct core_completion *c, const struct core *core)
{
    for (size_t i = 0; i < core->n_aliases; i++)
        completion_offer(c, core->aliases[i].name, strlen(core->aliases[i].name), "", false);
}

/* A hooked item of that name (without "%"): true when its provider took it. */
static bool
completion_hooked(struct core_completion *c, const struct core_buffer *buffer, const char *name,
                  size_t len)
{
    const struct core *core = buffer->core;

    for (size_t i = 0; i < core->n_completion_hooks; i++) {
        const struct core_completion_hook *h = &core->completion_hooks[i];
        if (strlen(h->name) == len && strncmp(h->name, name, len) == 0)
            return h->cb(c, buffer, h->data);
    }
    return false;
}

/* One template item: %buffers, %commands, %nicks, a hooked %name, or a literal word. */
static void
completion_item(struct core_completion *c, const struct core_buffer *buffer, const char *tok,
                size_t len)
{
    struct list *pos;

    if (len > 1 && tok[0] == '%' && completion_hooked(c, buffer, tok + 1, len - 1))
        return;
    if (len == 8 && strncmp(tok, "%buffers", 8) == 0) {
        list_for_each (pos, &buffer->core->buffers) {
            const struct core_buffer *b = list_entry(pos, struct core_buffer, link);
            completion_offer(c, b->full_name, strlen(b->full_name), "", false);
        }
    } else if (len == 9 && strncmp(tok, "%commands", 9) == 0) {
        core_command_each(buffer->core, completion_offer_command, c);
        completion_aliases(c, buffer->core);
    } else if (len == 8 && strncmp(tok, "%aliases", 8) == 0) {
        completion_aliases(c, buffer->core);
    } else if (len == 6 && strncmp(tok, "%nicks", 6) == 0) {
        struct nick_ctx ctx = { c };
        if (buffer->nicklist)
            core_nicklist_each_nick(buffer->nicklist_root, completion_nick, &ctx);
    } else if (len && tok[0] != '%') {
        completion_offer(c, tok, len, "", false);
    }
}

/* Candidates named by one template token: items separated by "|". */
static void
completion_template(struct core_completion *c, const struct core_buffer *buffer, const char *tok,
                    size_t len)
{
    for (const char *p = tok; p < tok + len;) {
        const char *bar = memchr(p, '|', (size_t)(tok + len - p));
        size_t wlen = bar ? (size_t)(bar - p) : (size_t)(tok + len - p);
        completion_item(c, buffer, p, wlen);
        p += wlen + 1;
    }
}

/* Token number arg (1-based) of a template alternative [tpl, end); the last repeats. */
static const char *
completion_token(const char *tpl, const char *end, int arg, size_t *len)
{
    const char *space;

    while ((space = memchr(tpl, ' ', (size_t)(end - tpl))) && arg > 1) {
        tpl = space + 1;
        arg--;
    }
    *len = space ? (size_t)(space - tpl) : (size_t)(end - tpl);
    return tpl;
}

/* Whether one of a token's literals ("a|b|%item") is word. */
static bool
completion_token_has_literal(const char *tok, size_t len, const char *word, size_t wlen)
{
    for (const char *p = tok; p < tok + len;) {
        const char *bar = memchr(p, '|', (size_t)(tok + len - p));
        size_t ilen = bar ? (size_t)(bar - p) : (size_t)(tok + len - p);
        if (ilen == wlen && p[0] != '%' && strncmp(p, word, wlen) == 0)
            return true;
        p += ilen + 1;
    }
    return false;
}

/*
 * Argument arg of a template whose alternatives are separated by " || ", as WeeChat
 * picks: the first argument offers the first token of every alternative; later ones
 * take the alternative whose first token names the first argument typed, else the first
 * alternative with an item ("%..."), else every alternative.
 */
static void
completion_alternatives(struct core_completion *c, const struct core_buffer *buffer,
                        const char *tpl, const char *first, int arg)
{
    const char *chosen = NULL, *chosen_end = NULL, *fallback = NULL, *fallback_end = NULL;
    size_t flen = first ? strcspn(first, " ") : 0, tlen;

    for (const char *p = tpl; *p;) {
        const char *bars = strstr(p, " || ");
        const char *end = bars ? bars : p + strlen(p);
        const char *tok = completion_token(p, end, 1, &tlen);
        if (arg == 1) {
            completion_template(c, buffer, tok, tlen);
        } else if (!chosen && completion_token_has_literal(tok, tlen, first, flen)) {
            chosen = p;
            chosen_end = end;
        } else if (!fallback && memchr(p, '%', (size_t)(end - p))) {
            fallback = p;
            fallback_end = end;
        }
        p = bars ? bars + 4 : end;
    }
    if (arg == 1)
        return;
    if (!chosen) {
        chosen = fallback;
        chosen_end = fallback_end;
    }
    if (chosen) {
        const char *tok = completion_token(chosen, chosen_end, arg, &tlen);
        completion_template(c, buffer, tok, tlen);
        return;
    }
    for (const char *p = tpl; *p;) {
        const char *bars = strstr(p, " || ");
        const char *end = bars ? bars : p + strlen(p);
        const char *tok = completion_token(p, end, arg, &tlen);
        completion_template(c, buffer, tok, tlen);
        p = bars ? bars + 4 : end;
    }
}

/*
 * The template that completes a command's arguments. An alias has its own, or one "%%name"
 * names, or else its target command's (the first word of its command), as WeeChat hooks
 * aliases with "%%target".
 */
static const char *
completion_command_template(const struct core_buffer *buffer, const char *name, int depth)
{
    const struct core_alias *a = core_alias_find(buffer->core, name);
    const char *target;
    void *data;

    if (!a) {
        const struct core_command *cmd = core_command_lookup(buffer, name, &data);
        return cmd ? cmd->completion : NULL;
    }
    if (a->completion && strncmp(a->completion, "%%", 2) != 0)
        return a->completion;
    if (depth >= CORE_ALIAS_DEPTH)
        return NULL;
    target = a->completion ? a->completion + 2 : a->command;
    target += target[0] == '/';
    char *word = xstrndup(target, strcspn(target, " ;"));
    const char *tpl = completion_command_template(buffer, word, depth + 1);
    free(word);
    return tpl;
}

static void
completion_command_arg(struct core_completion *c, const struct core_buffer *buffer,
                       const char *text, size_t word_start)
{
    const char *name_end = strchr(text, ' ');
    char *name = xstrndup(text + 1, (size_t)(name_end - text - 1));
    const char *tpl = completion_command_template(buffer, name, 0);
    int arg = 0;

    free(name);
    for (size_t i = 0; i < word_start; i++) {
        if (text[i] != ' ' && (i == 0 || text[i - 1] == ' '))
            arg++;
    }
    c->context = "command_arg";
    if (tpl)
        completion_alternatives(c, buffer, tpl, name_end + strspn(name_end, " "), arg);
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
        out->context = "auto";
        out->base_word = xstrndup(text + start, end - start);
        out->position_replace = (int)start;
        /* WeeChat's weechat.completion.default_template. */
        completion_template(out, buffer, COMPLETION_DEFAULT_TEMPLATE,
                            strlen(COMPLETION_DEFAULT_TEMPLATE));
    }
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
