/* SPDX-License-Identifier: MIT */
/* Settings commands change, kept in the store as JSON (saved.h). */
#include "saved.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/log.h"
#include "core/core.h"
#include "irc/irc.h"
#include "perchd.h"
#include "store/store.h"

#define SAVED_NETWORKS "irc_networks"
#define SAVED_IGNORES  "irc_ignores"
#define SAVED_STS      "irc_sts"
#define SAVED_ALIASES  "core_aliases"

/* Writes value (freed) under key. */
static void
saved_put(struct perchd *d, const char *key, struct pjson *value)
{
    char *text = pjson_print(value, NULL);

    store_meta_put(d->store, key, text);
    free(text);
    pjson_free(value);
}

/* The document under key (caller frees), or NULL; *found tells a missing one from one that
 * does not parse. */
static struct pjson *
saved_get(struct perchd *d, const char *key, bool *found)
{
    char *text = store_meta_get(d->store, key);
    struct pjson *value = text ? pjson_parse(text, strlen(text), 16) : NULL;

    if (found)
        *found = text != NULL;
    free(text);
    return value;
}

void
perchd_save_irc(void *data)
{
    struct perchd *d = data;

    saved_put(d, SAVED_NETWORKS, irc_save(d->irc));
    saved_put(d, SAVED_IGNORES, irc_save_ignores(d->irc));
    saved_put(d, SAVED_STS, irc_save_sts(d->irc));
}

void
perchd_save_aliases(void *data)
{
    struct perchd *d = data;

    saved_put(d, SAVED_ALIASES, core_alias_save(d->core));
}

void
perchd_load_aliases(struct perchd *d)
{
    bool found;
    struct pjson *saved = saved_get(d, SAVED_ALIASES, &found);

    if (found && !pjson_is_array(saved))
        log_warn("the saved aliases are not valid: the default ones are used");
    else if (saved && core_alias_load(d->core, saved) > 0)
        log_warn("some saved aliases are not valid, skipped");
    pjson_free(saved);
}

void
perchd_load_irc(struct perchd *d)
{
    struct pjson *saved = saved_get(d, SAVED_STS, NULL);

    if (saved)
        irc_load_sts(d->irc, saved);
    pjson_free(saved);
    /* A missing save is no network; even then, links an upgrade handed over are settled
     * there. */
    saved = saved_get(d, SAVED_NETWORKS, NULL);
    irc_load(d->irc, saved, d->cfg.irc_networks, d->cfg.n_irc_networks);
    pjson_free(saved);
    saved = saved_get(d, SAVED_IGNORES, NULL);
    if (saved)
        irc_load_ignores(d->irc, saved);
    pjson_free(saved);
}
