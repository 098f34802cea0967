/* SPDX-License-Identifier: MIT */
/*
 * Fuzzes IRC lines from a server: parsing, and the properties the rest of perchd relies on
 * (a parsed message formats back into one line that parses to the same command,
 * parameters and tags, within the size limits; tag values survive escaping; text
 * splitting never cuts a character).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "irc/message.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_round_trip(const struct irc_message *m)
{
    struct buf out;
    struct irc_message again;

    buf_init(&out, 1 << 16);
    /* Refused when a middle parameter cannot be sent as one, or the line is too long. */
    if (irc_message_format(&out, m->tags, m->n_tags, m->command, (const char *const *)m->params,
                           m->n_params) == 0) {
        if (out.len < 2 || irc_message_parse(out.data, out.len - 2, &again) != 0)
            abort();
        if (strcmp(again.command, m->command) != 0 || again.n_params != m->n_params)
            abort();
        for (size_t i = 0; i < m->n_params; i++) {
            if (strcmp(again.params[i], m->params[i]) != 0)
                abort();
        }
        /* Tags come back with their values (escaping both ways), within the client limit. */
        if (again.n_tags != m->n_tags)
            abort();
        for (size_t i = 0; i < m->n_tags; i++) {
            if (strcmp(again.tags[i].key, m->tags[i].key) != 0 ||
                strcmp(again.tags[i].value, m->tags[i].value) != 0 ||
                !irc_tag_key_is_valid(again.tags[i].key))
                abort();
        }
        if (m->n_tags && (size_t)(strchr(out.data, ' ') - out.data) + 1 > IRC_CLIENT_TAGS_MAX_BYTES)
            abort();
        irc_message_fini(&again);
    }
    buf_fini(&out);
}

static void
check_split(const char *text, size_t len)
{
    size_t pos = 0, next;

    while (pos < len) {
        size_t n = irc_split_text(text + pos, len - pos, 40, &next);
        if (n > 40 || next == 0 || next > len - pos)
            abort();
        pos += next;
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct irc_message m;
    char *line = malloc(size + 1);

    memcpy(line, data, size);
    line[size] = '\0';
    if (irc_message_parse(line, size, &m) == 0) {
        (void)irc_message_tag(&m, "time");
        check_round_trip(&m);
        irc_message_fini(&m);
    }
    check_split(line, size);
    free(line);
    return 0;
}
