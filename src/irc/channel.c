/* SPDX-License-Identifier: MIT */
/* Channels and private conversations: buffers, nicks, nicklists. */
#include "channel.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autojoin.h"
#include "base/xalloc.h"
#include "chanmodes.h"
#include "core/core.h"
#include "internal.h"
#include "prefix.h"

/* The indexes order names by rfc1459's folding, the coarsest casemapping: the names equal by
 * the server's own mapping, whichever it is and even after a 005 changed it, sit together. */
static int
channel_fold_cmp(const char *a, const char *b)
{
    return irc_casecmp(IRC_CASEMAPPING_RFC1459, a, b);
}

static int
channel_same_name(const char *a, const char *b, const void *server)
{
    return irc_casecmp(((const struct irc_server *)server)->isupport.casemapping, a, b);
}

static const char *
channel_name(const void *channel)
{
    return ((const struct irc_channel *)channel)->name;
}

static const char *
channel_nick_name(const void *nick)
{
    return ((const struct irc_nick *)nick)->name;
}

static const char *
channel_speaker_name(const void *speaker)
{
    return ((const struct irc_speaker *)speaker)->nick;
}

static const char *
channel_join_filtered_name(const void *join)
{
    return ((const struct irc_join_filtered *)join)->nick;
}

void
irc_channel_index_init(struct name_index *index)
{
    name_index_init(index, channel_name, channel_fold_cmp);
}

struct irc_channel *
irc_channel_find(struct irc_server *s, const char *name)
{
    return name_index_find(&s->channel_index, name, channel_same_name, s);
}

void
irc_channel_attach(struct irc_channel *c)
{
    list_append(&c->server->channels, &c->link);
    name_index_insert(&c->server->channel_index, c);
}

static void
channel_input(struct core_buffer *buffer, const char *text, void *data)
{
    (void)buffer;
    irc__channel_say(data, text);
}

static void
channel_set_buffer(struct irc_channel *c)
{
    struct irc_server *s = c->server;
    struct core *core = s->irc->core;
    char name[600], full[620];
    int err;

    snprintf(name, sizeof(name), "%s.%s", s->cfg->name, c->name);
    snprintf(full, sizeof(full), "irc.%s", name);
    c->buffer = core_buffer_by_full_name(core, full);
    if (!c->buffer)
        c->buffer = core_buffer_open(core, "irc", name, CORE_BUFFER_FORMATTED, &err);
    if (!c->buffer)
        return;
    core_buffer_set_short_name(c->buffer, c->name);
    core_buffer_set_localvar(c->buffer, "type", c->type == IRC_CHANNEL ? "channel" : "private");
    core_buffer_set_localvar(c->buffer, "server", s->cfg->name);
    core_buffer_set_localvar(c->buffer, "channel", c->name);
    if (s->nick)
        core_buffer_set_localvar(c->buffer, "nick", s->nick);
    /* New buffers copy our host and away message, as irc_channel_create_buffer does. */
    if (s->host)
        core_buffer_set_localvar(c->buffer, "host", s->host);
    if (s->away_message)
        core_buffer_set_localvar(c->buffer, "away", s->away_message);
    irc__server_lag_localvar(s, c->buffer);
    if (c->type == IRC_CHANNEL) {
        core_buffer_set_nicklist(c->buffer, true);
        core_buffer_set_nicklist_display_groups(c->buffer, false);
    }
    core_buffer_set_input_cb(c->buffer, channel_input, c);
    core_buffer_highlight_defaults(c->buffer, "$nick", IRC_HIGHLIGHT_TAGS);
    irc_channel_update_prompt(c);
}

int
irc_channel_private_rename(struct irc_channel *c, const char *nick)
{
    char name[600];
    int rc;

    if (c->type == IRC_CHANNEL || !c->buffer)
        return -EINVAL;
    snprintf(name, sizeof(name), "%s.%s", c->server->cfg->name, nick);
    rc = core_buffer_set_name(c->buffer, name);
    if (rc < 0)
        return rc;
    name_index_remove(&c->server->channel_index, c);
    free(c->name);
    c->name = xstrdup(nick);
    name_index_insert(&c->server->channel_index, c);
    core_buffer_set_short_name(c->buffer, nick);
    core_buffer_set_localvar(c->buffer, "channel", nick);
    return 0;
}

struct irc_channel *
irc_channel_open(struct irc_server *s, const char *name, enum irc_channel_type type)
{
    struct irc_channel *c = irc_channel_find(s, name);

    if (c) {
        if (!c->buffer)
            channel_set_buffer(c);
        return c;
    }
    c = irc_channel_new(s, name, type);
    irc_channel_attach(c);
    channel_set_buffer(c);
    if (type == IRC_PRIVATE)
        irc__monitor_sync(s);
    return c;
}

struct irc_channel *
irc_channel_new(struct irc_server *s, const char *name, enum irc_channel_type type)
{
    struct irc_channel *c = xcalloc(1, sizeof(*c));

    c->server = s;
    c->type = type;
    c->name = xstrdup(name);
    list_init(&c->nicks);
    list_init(&c->speakers);
    list_init(&c->joins_filtered);
    name_index_init(&c->nick_index, channel_nick_name, channel_fold_cmp);
    name_index_init(&c->speaker_index, channel_speaker_name, channel_fold_cmp);
    name_index_init(&c->join_filtered_index, channel_join_filtered_name, channel_fold_cmp);
    return c;
}

static void
channel_nick_free(struct irc_nick *n)
{
    free(n->name);
    free(n->host);
    free(n->account);
    free(n->realname);
    free(n);
}

void
irc_channel_nicks_clear(struct irc_channel *c)
{
    while (!list_is_empty(&c->nicks)) {
        struct irc_nick *n = list_entry(c->nicks.next, struct irc_nick, link);
        list_remove(&n->link);
        channel_nick_free(n);
    }
    name_index_clear(&c->nick_index);
    /* No nicks: no modes shown, no prefix in the prompt (WeeChat's nicklist emptied). */
    c->names_done = false;
    c->got_324 = false;
    if (c->buffer) {
        core_buffer_set_modes(c->buffer, "");
        irc_channel_update_prompt(c);
    }
    if (!c->buffer || !c->buffer->nicklist_root)
        return;
    while (!list_is_empty(&c->buffer->nicklist_root->groups))
        core_nicklist_remove_group(c->buffer, list_entry(c->buffer->nicklist_root->groups.next,
                                                         struct core_nick_group, link));
}

static void
channel_join_filtered_free(struct irc_channel *c, struct irc_join_filtered *j)
{
    name_index_remove(&c->join_filtered_index, j);
    list_remove(&j->link);
    free(j->nick);
    free(j);
}

static struct irc_join_filtered *
channel_join_filtered_find(struct irc_channel *c, const char *nick)
{
    return name_index_find(&c->join_filtered_index, nick, channel_same_name, c->server);
}

void
irc_channel_join_filtered_add(struct irc_channel *c, const char *nick, int64_t now, int64_t line)
{
    struct irc_join_filtered *j = channel_join_filtered_find(c, nick);

    if (j)
        channel_join_filtered_free(c, j);
    while (c->join_filtered_index.n >= IRC_SPEAKERS_MAX)
        channel_join_filtered_free(
            c, list_entry(c->joins_filtered.prev, struct irc_join_filtered, link));
    j = xcalloc(1, sizeof(*j));
    j->nick = xstrdup(nick);
    j->at = now;
    if (line >= 0)
        j->lines[j->n_lines++] = line;
    list_insert_before(c->joins_filtered.next, &j->link);
    name_index_insert(&c->join_filtered_index, j);
}

void
irc_channel_join_filtered_rename(struct irc_channel *c, const char *old, const char *new_name,
                                 int64_t line)
{
    struct irc_join_filtered *j = channel_join_filtered_find(c, old);

    if (!j)
        return;
    name_index_remove(&c->join_filtered_index, j);
    free(j->nick);
    j->nick = xstrdup(new_name);
    name_index_insert(&c->join_filtered_index, j);
    if (line >= 0 && j->n_lines < IRC_JOIN_FILTERED_LINES)
        j->lines[j->n_lines++] = line;
}

void
irc_channel_join_filtered_remove(struct irc_channel *c, const char *nick)
{
    struct irc_join_filtered *j = channel_join_filtered_find(c, nick ? nick : "");

    if (j)
        channel_join_filtered_free(c, j);
}

/* The tags of a line without irc_smart_filter, comma-separated; caller frees. */
static char *
channel_tags_unfiltered(const struct core_line *line)
{
    size_t len = 1, used = 0;
    char *out;

    for (size_t i = 0; i < line->n_tags; i++)
        len += strlen(line->tags[i]) + 1;
    out = xmalloc(len);
    out[0] = '\0';
    for (size_t i = 0; i < line->n_tags; i++) {
        if (strcmp(line->tags[i], "irc_smart_filter") == 0)
            continue;
        used += (size_t)snprintf(out + used, len - used, "%s%s", used ? "," : "", line->tags[i]);
    }
    return out;
}

void
irc_channel_join_filtered_unmask(struct irc_channel *c, const char *nick, int64_t now)
{
    struct irc_join_filtered *j = channel_join_filtered_find(c, nick ? nick : "");

    if (!j)
        return;
    for (size_t i = 0; c->buffer && now - j->at <= IRC_SMART_FILTER_JOIN_UNMASK_S && i < j->n_lines;
         i++) {
        const struct core_line *line = core_buffer_line_by_id(c->buffer, j->lines[i]);
        bool filtered = false;
        for (size_t t = 0; line && t < line->n_tags; t++)
            filtered = filtered || strcmp(line->tags[t], "irc_smart_filter") == 0;
        if (!filtered)
            continue;
        char *tags = channel_tags_unfiltered(line);
        core_buffer_set_line_tags(c->buffer, j->lines[i], tags);
        free(tags);
    }
    channel_join_filtered_free(c, j);
}

static void channel_speaker_free(struct irc_channel *c, struct irc_speaker *sp);

void
irc_channel_free(struct irc_channel *c)
{
    irc_channel_nicks_clear(c);
    if (c->buffer)
        core_buffer_set_input_cb(c->buffer, NULL, NULL);
    /* The indexes empty at once, not by one memmove per entry freed. */
    name_index_clear(&c->speaker_index);
    name_index_clear(&c->join_filtered_index);
    while (!list_is_empty(&c->speakers))
        channel_speaker_free(c, list_entry(c->speakers.next, struct irc_speaker, link));
    while (!list_is_empty(&c->joins_filtered))
        channel_join_filtered_free(
            c, list_entry(c->joins_filtered.next, struct irc_join_filtered, link));
    name_index_fini(&c->nick_index);
    name_index_fini(&c->speaker_index);
    name_index_fini(&c->join_filtered_index);
    irc__catchup_channel_fini(c);
    irc_modelists_fini(&c->modelists);
    name_index_remove(&c->server->channel_index, c);
    list_remove(&c->link);
    free(c->name);
    free(c->key);
    free(c->modes);
    free(c->topic);
    free(c);
}

struct irc_nick *
irc_channel_nick_find(struct irc_channel *c, const char *name)
{
    return name_index_find(&c->nick_index, name, channel_same_name, c->server);
}

void
irc_channel_nick_attach(struct irc_channel *c, struct irc_nick *n)
{
    list_append(&c->nicks, &n->link);
    name_index_insert(&c->nick_index, n);
}

/* The groups of a channel's nicklist: "000|o", "001|v", ... then "999|...". */
static struct core_nick_group *
channel_group(struct irc_channel *c, char mode)
{
    const struct irc_isupport *is = &c->server->isupport;
    int rank = mode ? irc_isupport_prefix_rank(is, mode) : -1;
    char name[16];
    struct core_nick_group *g;

    if (list_is_empty(&c->buffer->nicklist_root->groups)) {
        for (size_t i = 0; is->prefix_modes[i]; i++) {
            snprintf(name, sizeof(name), "%03zu|%c", i, is->prefix_modes[i]);
            core_nicklist_add_group(c->buffer, NULL, name, "weechat.color.nicklist_group", true);
        }
        core_nicklist_add_group(c->buffer, NULL, "999|...", "weechat.color.nicklist_group", true);
    }
    if (rank >= 0)
        snprintf(name, sizeof(name), "%03d|%c", rank, mode);
    else
        snprintf(name, sizeof(name), "999|...");
    g = core_nicklist_find_group(c->buffer->nicklist_root, name);
    return g;
}

/* irc_nick_get_color_for_nicklist with irc.look.color_nicks_in_nicklist off (default). */
static const char *
channel_nick_color(const struct irc_nick *n)
{
    return n->away ? "weechat.color.nicklist_away" : "bar_fg";
}

/* The nick's entry in the nicklist, put back in the group of its highest mode. */
static void
channel_nicklist_put(struct irc_channel *c, struct irc_nick *n)
{
    const struct irc_isupport *is = &c->server->isupport;
    struct core_nick *old;
    char mode = n->prefixes[0] ? irc_isupport_prefix_mode(is, n->prefixes[0]) : 0;
    char prefix[2] = { n->prefixes[0] ? n->prefixes[0] : ' ', '\0' };

    if (c->type != IRC_CHANNEL || !c->buffer)
        return;
    old = core_nicklist_find_nick(c->buffer->nicklist_root, n->name);
    if (old)
        core_nicklist_remove_nick(c->buffer, old);
    core_nicklist_add_nick(c->buffer, channel_group(c, mode), n->name, channel_nick_color(n),
                           prefix, irc_prefix_mode_color(mode), true);
}

void
irc_channel_nick_set_away(struct irc_channel *c, struct irc_nick *n, bool away)
{
    struct core_nick *cn;

    if (n->away == away)
        return;
    n->away = away;
    /* Only the colour changes: the entry stays where it is (no remove and add). */
    if (c->type == IRC_CHANNEL && c->buffer && c->buffer->nicklist_root &&
        (cn = core_nicklist_find_nick(c->buffer->nicklist_root, n->name)))
        core_nicklist_change_nick(c->buffer, cn, channel_nick_color(n), NULL, NULL, cn->visible);
}

void
irc_channel_nick_set_text(char **field, const char *value)
{
    char *copy = value ? xstrdup(value) : NULL;

    free(*field);
    *field = copy;
}

static void
channel_add_prefix(const struct irc_isupport *is, char *prefixes, char p)
{
    char sorted[33];
    size_t n = 0;

    if (strchr(prefixes, p))
        return;
    for (size_t i = 0; is->prefix_chars[i] && n < sizeof(sorted) - 1; i++) {
        if (is->prefix_chars[i] == p || strchr(prefixes, is->prefix_chars[i]))
            sorted[n++] = is->prefix_chars[i];
    }
    sorted[n] = '\0';
    memcpy(prefixes, sorted, n + 1);
}

struct irc_nick *
irc_channel_nick_add(struct irc_channel *c, const char *name, const char *host)
{
    const struct irc_isupport *is = &c->server->isupport;
    char prefixes[33] = "";
    struct irc_nick *n;

    while (name[0] && strchr(is->prefix_chars, name[0]))
        channel_add_prefix(is, prefixes, *name++);
    if (!name[0])
        return NULL;
    n = irc_channel_nick_find(c, name);
    if (!n) {
        n = xcalloc(1, sizeof(*n));
        n->name = xstrdup(name);
        irc_channel_nick_attach(c, n);
    }
    for (const char *p = prefixes; *p; p++)
        channel_add_prefix(is, n->prefixes, *p);
    if (host) {
        free(n->host);
        n->host = xstrdup(host);
    }
    channel_nicklist_put(c, n);
    return n;
}

void
irc_channel_nick_remove(struct irc_channel *c, const char *name)
{
    struct irc_nick *n = irc_channel_nick_find(c, name);
    struct core_nick *cn;

    if (!n)
        return;
    if (c->buffer && (cn = core_nicklist_find_nick(c->buffer->nicklist_root, n->name)))
        core_nicklist_remove_nick(c->buffer, cn);
    name_index_remove(&c->nick_index, n);
    list_remove(&n->link);
    channel_nick_free(n);
}

void
irc_channel_nick_rename(struct irc_channel *c, const char *old, const char *new_name)
{
    struct irc_nick *n = irc_channel_nick_find(c, old);
    struct core_nick *cn;

    if (!n)
        return;
    if (c->buffer && (cn = core_nicklist_find_nick(c->buffer->nicklist_root, n->name)))
        core_nicklist_remove_nick(c->buffer, cn);
    name_index_remove(&c->nick_index, n);
    free(n->name);
    n->name = xstrdup(new_name);
    name_index_insert(&c->nick_index, n);
    channel_nicklist_put(c, n);
    if (irc_casecmp(c->server->isupport.casemapping, n->name,
                    c->server->nick ? c->server->nick : "") == 0)
        irc_channel_update_prompt(c);
}

void
irc_channel_nick_mode(struct irc_channel *c, const char *name, char mode, bool give)
{
    const struct irc_isupport *is = &c->server->isupport;
    struct irc_nick *n = irc_channel_nick_find(c, name);
    char p = irc_isupport_mode_prefix(is, mode);

    if (!n || !p)
        return;
    if (give) {
        channel_add_prefix(is, n->prefixes, p);
    } else {
        char *at = strchr(n->prefixes, p);
        if (at)
            memmove(at, at + 1, strlen(at));
    }
    channel_nicklist_put(c, n);
    if (irc_casecmp(c->server->isupport.casemapping, n->name,
                    c->server->nick ? c->server->nick : "") == 0)
        irc_channel_update_prompt(c);
}

void
irc_channel_autojoin(struct irc_channel *c, bool joined)
{
    struct irc_server *s = c->server;
    enum irc_casemapping map = s->isupport.casemapping;
    char *value = joined ? irc_autojoin_add(s->cfg->autojoin, c->name, c->key, map)
                         : irc_autojoin_remove(s->cfg->autojoin, c->name, map);

    if (!value)
        return;
    free(s->cfg->autojoin);
    s->cfg->autojoin = value;
    irc__changed(s->irc);
}

void
irc_channel_set_modes(struct irc_channel *c, const char *modes)
{
    char *shown;
    char *copy = modes && modes[0] ? xstrdup(modes) : NULL;

    free(c->modes);
    c->modes = copy; /* modes may be c->modes itself */
    if (c->type != IRC_CHANNEL)
        return;
    /* The key, as the channel's modes give it: joined again with it. */
    char *key = irc_chanmodes_arg(&c->server->isupport, c->modes, 'k');
    if (key && (!c->key || strcmp(key, c->key) != 0)) {
        free(c->key);
        c->key = key;
        if (c->joined)
            irc_channel_autojoin(c, true);
    } else {
        free(key);
    }
    if (!c->buffer)
        return;
    shown = irc_channel_has_nicks(c) ? irc_chanmodes_display(c->modes) : xstrdup("");
    core_buffer_set_modes(c->buffer, shown);
    free(shown);
}

struct irc_modelist *
irc_channel_modelist(struct irc_channel *c, char mode)
{
    if (c->type != IRC_CHANNEL || irc_chanmodes_type(&c->server->isupport, mode) != 'A')
        return NULL;
    return irc_modelists_get(&c->modelists, mode);
}

bool
irc_channel_has_nicks(const struct irc_channel *c)
{
    return !list_is_empty(&c->nicks);
}

void
irc_channel_update_prompt(struct irc_channel *c)
{
    struct irc_server *s = c->server;
    struct irc_nick *me = NULL;
    char *prompt;

    if (!c->buffer)
        return;
    if (c->type == IRC_CHANNEL && s->nick)
        me = irc_channel_nick_find(c, s->nick);
    prompt = irc_prefix_input_prompt(&s->isupport, me ? me->prefixes : NULL, s->nick, s->usermodes);
    core_buffer_set_input_prompt(c->buffer, prompt);
    free(prompt);
}

static struct irc_speaker *
channel_speaker_find(struct irc_channel *c, const char *nick)
{
    return name_index_find(&c->speaker_index, nick, channel_same_name, c->server);
}

static void
channel_speaker_set_nick(struct irc_channel *c, struct irc_speaker *sp, const char *nick)
{
    name_index_remove(&c->speaker_index, sp);
    free(sp->nick);
    sp->nick = xstrdup(nick);
    name_index_insert(&c->speaker_index, sp);
}

static void
channel_speaker_free(struct irc_channel *c, struct irc_speaker *sp)
{
    name_index_remove(&c->speaker_index, sp);
    list_remove(&sp->link);
    free(sp->nick);
    free(sp);
}

void
irc_channel_set_topic(struct irc_channel *c, const char *topic)
{
    free(c->topic);
    c->topic = topic && topic[0] ? xstrdup(topic) : NULL;
}

void
irc_channel_speaking(struct irc_channel *c, const char *nick, int64_t now)
{
    struct irc_speaker *sp = channel_speaker_find(c, nick);

    /* Newest first: one who spoke again moves to the head, under the name just used. */
    if (sp) {
        if (strcmp(sp->nick, nick) != 0)
            channel_speaker_set_nick(c, sp, nick);
        sp->at = now;
        list_remove(&sp->link);
        list_insert_before(c->speakers.next, &sp->link);
        return;
    }
    /* The oldest, at the tail, go past the bound. */
    while (c->speaker_index.n >= IRC_SPEAKERS_MAX)
        channel_speaker_free(c, list_entry(c->speakers.prev, struct irc_speaker, link));
    sp = xcalloc(1, sizeof(*sp));
    sp->nick = xstrdup(nick);
    sp->at = now;
    list_insert_before(c->speakers.next, &sp->link);
    name_index_insert(&c->speaker_index, sp);
}

bool
irc_channel_speaker_restore(struct irc_channel *c, const char *nick, int64_t at)
{
    struct irc_speaker *sp;

    if (c->speaker_index.n >= IRC_SPEAKERS_MAX || channel_speaker_find(c, nick))
        return false;
    sp = xcalloc(1, sizeof(*sp));
    sp->nick = xstrdup(nick);
    sp->at = at;
    list_append(&c->speakers, &sp->link);
    name_index_insert(&c->speaker_index, sp);
    return true;
}

bool
irc_channel_spoke_recently(struct irc_channel *c, const char *nick, int64_t now)
{
    struct irc_speaker *sp = channel_speaker_find(c, nick ? nick : "");

    return sp && now - sp->at < IRC_SMART_FILTER_DELAY_S;
}

void
irc_channel_speaker_rename(struct irc_channel *c, const char *old, const char *new_name)
{
    struct irc_speaker *sp = channel_speaker_find(c, old);

    if (sp)
        channel_speaker_set_nick(c, sp, new_name);
}
