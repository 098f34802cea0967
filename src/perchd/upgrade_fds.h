/* SPDX-License-Identifier: MIT */
/* The descriptors an upgrade state names (the lock, the control client, the relay's listeners
 * and connections, the IRC links kept), checked before anything takes one. */
#ifndef PERCH_PERCHD_UPGRADE_FDS_H
#define PERCH_PERCHD_UPGRADE_FDS_H

#include <stddef.h>

struct pjson;

/* Each descriptor state names must be named once: two owners of one socket would read each
 * other's bytes, and the first to close it would close the other's (or a later one). 0, or
 * -1 with the descriptor named twice in err. */
int perchd_upgrade_check_fds(const struct pjson *state, char *err, size_t err_len);

#endif
