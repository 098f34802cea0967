/* SPDX-License-Identifier: MIT */
/* Comma-separated lists as WeeChat's options hold them ("a, b,,c"): blanks around an item
 * dropped, empty items skipped. */
#ifndef PERCH_BASE_STRLIST_H
#define PERCH_BASE_STRLIST_H

#include <stdbool.h>
#include <stddef.h>

/* Calls fn with each item of list (NULL: none) in order, until fn returns false. Returns
 * false when fn stopped the walk, true when every item was seen. */
bool strlist_each(const char *list, bool (*fn)(void *data, const char *item, size_t len),
                  void *data);

#endif
