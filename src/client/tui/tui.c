/* SPDX-License-Identifier: MIT */
/* The terminal UI: model fed by the connection engine, drawn with ncursesw. */
#include "tui.h"

#include <curses.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "base/json.h"
#include "base/utf8.h"
#include "base/xalloc.h"
#include "paint.h"

#define TUI_LIST_WIDTH  22
#define TUI_NICKS_WIDTH 16
#define TUI_MAX_LINES   2000
#define TUI_HISTORY     100

struct tui_nick {
    int64_t id;
    char *text; /* prefix and name */
};

struct tui_buffer {
    int64_t id;
    int number;
    char *name;
    char *title;
    char **lines; /* "prefix\tmessage" with WeeChat colour codes */
    size_t n_lines;
    int unread;
    bool highlight;
    struct tui_nick *nicks;
    size_t n_nicks;
};

struct tui {
    uv_loop_t *loop;
    struct live *live;
    struct tui_buffer *buffers;
    size_t n_buffers;
    size_t current;
    char input[4096];
    size_t cursor; /* byte offset */
    char *history[TUI_HISTORY];
    int n_history;
    int history_pos;
    int scroll; /* lines up from the bottom */
    char status[256];
    uv_poll_t keys;
    bool escape; /* the previous key was ESC (Alt+key) */
};

/* ---- model ---- */

static struct tui_buffer *
tui_find(struct tui *t, int64_t id)
{
    for (size_t i = 0; i < t->n_buffers; i++) {
        if (t->buffers[i].id == id)
            return &t->buffers[i];
    }
    return NULL;
}

static void
tui_set(char **field, const char *value)
{
    free(*field);
    *field = xstrdup(value ? value : "");
}

/* What the relay sent is untrusted: texts may be missing, numbers anything (pjson_integer). */
static const char *
tui_text(const struct pjson *v)
{
    return pjson_str(v) ? pjson_str(v) : "";
}

static void
tui_nicks_from(struct tui_buffer *b, const struct pjson *group)
{
    const struct pjson *nicks = pjson_get(group, "nicks"), *groups = pjson_get(group, "groups");

    pjson_for_each (n, nicks) {
        char text[128];
        snprintf(text, sizeof(text), "%s%s", tui_text(pjson_get(n, "prefix")),
                 tui_text(pjson_get(n, "name")));
        b->nicks = xrealloc(b->nicks, (b->n_nicks + 1) * sizeof(*b->nicks));
        b->nicks[b->n_nicks].id = pjson_int64(pjson_get(n, "id"));
        b->nicks[b->n_nicks++].text = xstrdup(text);
    }
    pjson_for_each (child, groups)
        tui_nicks_from(b, child);
}

static void
tui_nicks_clear(struct tui_buffer *b)
{
    for (size_t i = 0; i < b->n_nicks; i++)
        free(b->nicks[i].text);
    free(b->nicks);
    b->nicks = NULL;
    b->n_nicks = 0;
}

static int
tui_cmp_number(const void *a, const void *b)
{
    int na = ((const struct tui_buffer *)a)->number, nb = ((const struct tui_buffer *)b)->number;

    return (na > nb) - (na < nb);
}

static void
tui_on_buffer(void *data, const struct pjson *buffer, bool is_new)
{
    struct tui *t = data;
    int64_t id = pjson_int64(pjson_get(buffer, "id"));
    int64_t current = t->n_buffers ? t->buffers[t->current].id : 0;
    struct tui_buffer *b = tui_find(t, id);

    (void)is_new;
    if (!b) {
        t->buffers = xrealloc(t->buffers, (t->n_buffers + 1) * sizeof(*t->buffers));
        b = &t->buffers[t->n_buffers++];
        memset(b, 0, sizeof(*b));
        b->id = id;
    }
    b->number = (int)pjson_integer(pjson_get(buffer, "number"), INT_MIN, INT_MAX, 0);
    tui_set(&b->name, pjson_str(pjson_get(buffer, "name")));
    tui_set(&b->title, pjson_str(pjson_get(buffer, "title")));
    if (pjson_get(buffer, "nicklist_root")) {
        tui_nicks_clear(b);
        tui_nicks_from(b, pjson_get(buffer, "nicklist_root"));
    }
    qsort(t->buffers, t->n_buffers, sizeof(*t->buffers), tui_cmp_number);
    b = tui_find(t, current);
    t->current = b ? (size_t)(b - t->buffers) : 0;
}

static void
tui_on_closed(void *data, int64_t buffer_id, const char *name)
{
    struct tui *t = data;
    struct tui_buffer *b = tui_find(t, buffer_id);

    (void)name;
    if (!b)
        return;
    for (size_t i = 0; i < b->n_lines; i++)
        free(b->lines[i]);
    free(b->lines);
    tui_nicks_clear(b);
    free(b->name);
    free(b->title);
    size_t idx = (size_t)(b - t->buffers);
    memmove(b, b + 1, (t->n_buffers - idx - 1) * sizeof(*b));
    t->n_buffers--;
    if (t->current >= t->n_buffers)
        t->current = t->n_buffers ? t->n_buffers - 1 : 0;
}

static void
tui_on_line(void *data, int64_t buffer_id, const char *name, const struct pjson *line)
{
    struct tui *t = data;
    struct tui_buffer *b = tui_find(t, buffer_id);
    const char *prefix = pjson_str(pjson_get(line, "prefix"));
    const char *message = pjson_str(pjson_get(line, "message"));
    char *text;
    size_t len;

    (void)name;
    if (!b)
        return;
    len = strlen(prefix ? prefix : "") + strlen(message ? message : "") + 2;
    text = xmalloc(len);
    snprintf(text, len, "%s\t%s", prefix ? prefix : "", message ? message : "");
    if (b->n_lines == TUI_MAX_LINES) {
        free(b->lines[0]);
        memmove(b->lines, b->lines + 1, (b->n_lines - 1) * sizeof(char *));
        b->n_lines--;
    }
    b->lines = xrealloc(b->lines, (b->n_lines + 1) * sizeof(char *));
    b->lines[b->n_lines++] = text;
    if (t->n_buffers && b != &t->buffers[t->current] &&
        pjson_int64(pjson_get(line, "notify_level")) >= 1) {
        b->unread++;
        b->highlight = b->highlight || pjson_true(pjson_get(line, "highlight"));
    }
}

static void
tui_on_status(void *data, const char *text)
{
    struct tui *t = data;

    snprintf(t->status, sizeof(t->status), "%s", text);
}

/* Completion answers replace the word being completed (reference §6.6). */
static void
tui_complete(struct tui *t, const struct pjson *body)
{
    const char *word = pjson_str(pjson_first(pjson_get(body, "list")));
    double at_value = pjson_number(pjson_get(body, "position_replace"));
    bool space = pjson_true(pjson_get(body, "add_space"));
    char done[4096];
    size_t at, len;

    /* The relay's answer is untrusted: a word and a position inside the input. */
    if (!word || !(at_value >= 0) || at_value > (double)t->cursor)
        return;
    at = (size_t)at_value;
    snprintf(done, sizeof(done), "%.*s%s%s%s", (int)at, t->input, word, space ? " " : "",
             t->input + t->cursor);
    snprintf(t->input, sizeof(t->input), "%s", done);
    len = strlen(t->input);
    t->cursor = at + strlen(word) + (space ? 1 : 0);
    if (t->cursor > len)
        t->cursor = len;
}

static void
tui_on_message(void *data, const struct pjson *msg)
{
    struct tui *t = data;
    const char *event = pjson_str(pjson_get(msg, "event_name"));
    const char *id = pjson_str(pjson_get(msg, "request_id"));
    struct tui_buffer *b = tui_find(t, pjson_int64(pjson_get(msg, "buffer_id")));

    if (id && strcmp(id, "completion") == 0) {
        tui_complete(t, pjson_get(msg, "body"));
        return;
    }
    if (!event || !b)
        return;
    if (strcmp(event, "nicklist_nick_added") == 0 && pjson_is_object(pjson_get(msg, "body"))) {
        struct tui_buffer one = { 0 };
        struct pjson *group = pjson_object(), *nicks = pjson_array();
        pjson_push(nicks, pjson_copy(pjson_get(msg, "body")));
        pjson_add(group, "nicks", nicks);
        tui_nicks_from(&one, group);
        b->nicks = xrealloc(b->nicks, (b->n_nicks + 1) * sizeof(*b->nicks));
        b->nicks[b->n_nicks++] = one.nicks[0];
        free(one.nicks);
        pjson_free(group);
    } else if (strcmp(event, "nicklist_nick_removing") == 0) {
        int64_t nid = pjson_int64(pjson_get(pjson_get(msg, "body"), "id"));
        for (size_t i = 0; i < b->n_nicks; i++) {
            if (b->nicks[i].id == nid) {
                free(b->nicks[i].text);
                b->nicks[i] = b->nicks[--b->n_nicks];
                break;
            }
        }
    }
}

static void tui_draw(struct tui *t);

static void
tui_on_started(void *data, struct live *live)
{
    struct tui *t = data;

    t->live = live;
}

/* ---- drawing ---- */

static void
tui_draw_list(struct tui *t, int top, int height)
{
    for (size_t i = 0; i < t->n_buffers && (int)i < height; i++) {
        const struct tui_buffer *b = &t->buffers[i];
        char text[128];
        snprintf(text, sizeof(text), "%d.%s", b->number, b->name);
        if (b->unread)
            snprintf(text + strlen(text), sizeof(text) - strlen(text), " (%d%s)", b->unread,
                     b->highlight ? "!" : "");
        if (i == t->current)
            attron(A_REVERSE);
        mvaddnstr(top + (int)i, 0, text, TUI_LIST_WIDTH - 1);
        attroff(A_REVERSE);
    }
}

static void
tui_draw_chat(struct tui_buffer *b, int top, int left, int height, int width, int scroll)
{
    int last = (int)b->n_lines - 1 - scroll;

    for (int row = height - 1; row >= 0 && last >= 0; row--, last--) {
        const char *line = b->lines[last];
        const char *tab = strchr(line, '\t');
        char prefix[256];
        snprintf(prefix, sizeof(prefix), "%.*s", tab ? (int)(tab - line) : 0, line);
        int used = client_tui_paint(top + row, left, 12, prefix, A_NORMAL);
        mvaddch(top + row, left + used, ' ');
        mvaddch(top + row, left + 12, '|');
        client_tui_paint(top + row, left + 14, width - 14, tab ? tab + 1 : line, A_NORMAL);
    }
}

static void
tui_draw(struct tui *t)
{
    int h, w;
    struct tui_buffer *b = t->n_buffers ? &t->buffers[t->current] : NULL;

    getmaxyx(stdscr, h, w);
    erase();
    if (h < 5 || w < 40) {
        mvaddstr(0, 0, "terminal too small");
        refresh();
        return;
    }
    int nicks_w = b && b->n_nicks ? TUI_NICKS_WIDTH : 0;
    int chat_w = w - TUI_LIST_WIDTH - nicks_w;
    attron(A_REVERSE);
    mvhline(0, 0, ' ', w);
    client_tui_paint(0, 0, w, b ? b->title : "", A_REVERSE);
    attron(A_REVERSE);
    mvhline(h - 2, 0, ' ', w);
    char status[400];
    snprintf(status, sizeof(status), "[%s] %s%s", b ? b->name : "-", t->status,
             t->scroll ? " [scrolled]" : "");
    mvaddnstr(h - 2, 0, status, w);
    attroff(A_REVERSE);
    tui_draw_list(t, 1, h - 3);
    mvvline(1, TUI_LIST_WIDTH - 1, ACS_VLINE, h - 3);
    if (b) {
        tui_draw_chat(b, 1, TUI_LIST_WIDTH, h - 3, chat_w, t->scroll);
        for (size_t i = 0; nicks_w && i < b->n_nicks && (int)i < h - 3; i++)
            mvaddnstr(1 + (int)i, w - nicks_w + 1, b->nicks[i].text, nicks_w - 1);
        if (nicks_w)
            mvvline(1, w - nicks_w, ACS_VLINE, h - 3);
    }
    /* The input line: the cursor after the text before it, in columns. */
    mvaddnstr(h - 1, 0, t->input, w - 1);
    char before[4096];
    snprintf(before, sizeof(before), "%.*s", (int)t->cursor, t->input);
    size_t cols = utf8_char_count(before, strlen(before));
    move(h - 1, (int)(cols < (size_t)w ? cols : (size_t)w - 1));
    refresh();
}

/* ---- keys ---- */

static void
tui_switch(struct tui *t, size_t index)
{
    if (index >= t->n_buffers)
        return;
    t->current = index;
    t->scroll = 0;
    t->buffers[index].unread = 0;
    t->buffers[index].highlight = false;
}

static bool
tui_local_command(struct tui *t, const char *text)
{
    if (strncmp(text, "/buffer ", 8) != 0)
        return false;
    const char *arg = text + 8;
    for (size_t i = 0; i < t->n_buffers; i++) {
        char number[16];
        snprintf(number, sizeof(number), "%d", t->buffers[i].number);
        if (strcmp(arg, t->buffers[i].name) == 0 || strcmp(arg, number) == 0) {
            tui_switch(t, i);
            return true;
        }
    }
    return false;
}

static void
tui_enter(struct tui *t)
{
    if (!t->input[0] || !t->n_buffers)
        return;
    if (t->n_history == TUI_HISTORY) {
        free(t->history[0]);
        memmove(t->history, t->history + 1, (TUI_HISTORY - 1) * sizeof(char *));
        t->n_history--;
    }
    t->history[t->n_history++] = xstrdup(t->input);
    t->history_pos = t->n_history;
    if (!tui_local_command(t, t->input) && t->live)
        client_live_input(t->live, t->buffers[t->current].name, t->input);
    t->input[0] = '\0';
    t->cursor = 0;
    t->scroll = 0;
}

static void
tui_tab(struct tui *t)
{
    struct pjson *req = pjson_object(), *body = pjson_object();
    char *json;

    if (!t->live || !t->n_buffers)
        return;
    pjson_add_str(req, "request", "POST /api/completion");
    pjson_add_str(req, "request_id", "completion");
    pjson_add_int(body, "buffer_id", t->buffers[t->current].id);
    pjson_add_str(body, "command", t->input);
    pjson_add_int(body, "position", (int64_t)utf8_char_count(t->input, t->cursor));
    pjson_add(req, "body", body);
    json = pjson_print(req, NULL);
    client_live_request(t->live, json);
    free(json);
    pjson_free(req);
}

static void
tui_history(struct tui *t, int delta)
{
    int pos = t->history_pos + delta;

    if (pos < 0 || pos > t->n_history)
        return;
    t->history_pos = pos;
    snprintf(t->input, sizeof(t->input), "%s", pos < t->n_history ? t->history[pos] : "");
    t->cursor = strlen(t->input);
}

/* Moves the cursor one character left or right. */
static void
tui_step(struct tui *t, int dir)
{
    if (dir < 0) {
        while (t->cursor > 0 && ((unsigned char)t->input[--t->cursor] & 0xC0) == 0x80)
            ;
    } else if (t->input[t->cursor]) {
        t->cursor++;
        while (((unsigned char)t->input[t->cursor] & 0xC0) == 0x80)
            t->cursor++;
    }
}

static void
tui_delete(struct tui *t, size_t from, size_t to)
{
    memmove(t->input + from, t->input + to, strlen(t->input + to) + 1);
    t->cursor = from;
}

static void
tui_insert(struct tui *t, wint_t ch)
{
    char mb[MB_LEN_MAX];
    mbstate_t st;
    size_t n, len = strlen(t->input);

    memset(&st, 0, sizeof(st));
    n = wcrtomb(mb, (wchar_t)ch, &st);
    if (n == (size_t)-1 || len + n >= sizeof(t->input))
        return;
    memmove(t->input + t->cursor + n, t->input + t->cursor, len - t->cursor + 1);
    memcpy(t->input + t->cursor, mb, n);
    t->cursor += n;
}

static void
tui_key(struct tui *t, int kind, wint_t ch)
{
    const char *name = kind == KEY_CODE_YES ? keyname((int)ch) : NULL;

    if (t->escape) {
        t->escape = false;
        if (kind == OK && ch >= '1' && ch <= '9') {
            tui_switch(t, (size_t)(ch - '1'));
            return;
        }
        if (kind == KEY_CODE_YES && (ch == KEY_LEFT || ch == KEY_RIGHT)) {
            tui_switch(t, ch == KEY_LEFT ? (t->current ? t->current - 1 : 0) : t->current + 1);
            return;
        }
    }
    if (name && (strcmp(name, "kLFT3") == 0 || strcmp(name, "kRIT3") == 0)) {
        tui_switch(t, name[1] == 'L' ? (t->current ? t->current - 1 : 0) : t->current + 1);
        return;
    }
    if (kind == KEY_CODE_YES) {
        size_t len = strlen(t->input);
        switch (ch) {
        case KEY_LEFT:
            tui_step(t, -1);
            break;
        case KEY_RIGHT:
            tui_step(t, 1);
            break;
        case KEY_HOME:
            t->cursor = 0;
            break;
        case KEY_END:
            t->cursor = len;
            break;
        case KEY_BACKSPACE:
            if (t->cursor) {
                size_t end = t->cursor;
                tui_step(t, -1);
                tui_delete(t, t->cursor, end);
            }
            break;
        case KEY_DC:
            if (t->cursor < len) {
                size_t start = t->cursor;
                tui_step(t, 1);
                tui_delete(t, start, t->cursor);
            }
            break;
        case KEY_UP:
            tui_history(t, -1);
            break;
        case KEY_DOWN:
            tui_history(t, 1);
            break;
        case KEY_PPAGE:
            t->scroll += 10;
            break;
        case KEY_NPAGE:
            t->scroll = t->scroll > 10 ? t->scroll - 10 : 0;
            break;
        default:
            break;
        }
        return;
    }
    switch (ch) {
    case 27:
        t->escape = true;
        break;
    case '\n':
    case '\r':
        tui_enter(t);
        break;
    case '\t':
        tui_tab(t);
        break;
    case 127:
    case 8:
        tui_key(t, KEY_CODE_YES, KEY_BACKSPACE);
        break;
    case 1: /* ctrl-a */
        t->cursor = 0;
        break;
    case 5: /* ctrl-e */
        t->cursor = strlen(t->input);
        break;
    case 11: /* ctrl-k */
        t->input[t->cursor] = '\0';
        break;
    case 21: /* ctrl-u */
        tui_delete(t, 0, t->cursor);
        break;
    default:
        if (ch >= 0x20)
            tui_insert(t, ch);
    }
}

static void
tui_on_keys(uv_poll_t *poll, int status, int events)
{
    struct tui *t = poll->data;
    wint_t ch;
    int kind;

    (void)status;
    (void)events;
    while ((kind = get_wch(&ch)) != ERR) {
        if (kind == KEY_CODE_YES && ch == KEY_RESIZE)
            continue;
        tui_key(t, kind, ch);
    }
    if (t->scroll && t->n_buffers && t->scroll > (int)t->buffers[t->current].n_lines)
        t->scroll = (int)t->buffers[t->current].n_lines;
}

/* Redraws after every loop turn that did something. */
static void
tui_on_check(uv_check_t *check)
{
    tui_draw(check->data);
}

int
client_tui_run(uv_loop_t *loop, struct live_opts *opts)
{
    struct tui t = { .loop = loop };
    struct live_view view = {
        .status = tui_on_status,
        .line = tui_on_line,
        .buffer = tui_on_buffer,
        .buffer_closed = tui_on_closed,
        .message = tui_on_message,
        .started = tui_on_started,
        .data = &t,
    };
    uv_check_t check;
    int rc;

    setlocale(LC_ALL, "");
    initscr();
    cbreak(); /* Ctrl-C stays a signal: perch then ends its connection cleanly */
    noecho();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    set_escdelay(25);
    if (has_colors()) {
        start_color();
        use_default_colors();
    }
    snprintf(t.status, sizeof(t.status), "connecting");
    opts->view = &view;
    opts->read_stdin = false;
    opts->sync_colors = "weechat";
    opts->sync_nicks = true;
    uv_poll_init(loop, &t.keys, 0);
    t.keys.data = &t;
    uv_poll_start(&t.keys, UV_READABLE, tui_on_keys);
    uv_check_init(loop, &check);
    check.data = &t;
    uv_check_start(&check, tui_on_check);
    uv_unref((uv_handle_t *)&check);
    uv_unref((uv_handle_t *)&t.keys);
    rc = client_live_run(loop, opts);
    uv_close((uv_handle_t *)&t.keys, NULL);
    uv_close((uv_handle_t *)&check, NULL);
    uv_run(loop, UV_RUN_NOWAIT);
    endwin();
    while (t.n_buffers)
        tui_on_closed(&t, t.buffers[0].id, NULL);
    free(t.buffers);
    for (int i = 0; i < t.n_history; i++)
        free(t.history[i]);
    return rc;
}

void
client_tui_pause(void)
{
    def_prog_mode();
    endwin();
}

void
client_tui_resume(void)
{
    reset_prog_mode();
    refresh();
}
