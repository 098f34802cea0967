/* SPDX-License-Identifier: MIT */
/* perchd's maintenance tools: --check-db, --export-logs, --import-weechat-logs. */
#ifndef PERCH_PERCHD_TOOLS_H
#define PERCH_PERCHD_TOOLS_H

/* Runs tool name on the data dir (arg: its directory, if it takes one) while holding the
 * data dir lock: refused while a daemon runs there. Reports on stdout, failures on
 * stderr. Returns the exit status: 0, or 1. */
int perchd_tools_run(const char *dir, const char *name, const char *arg);

#endif
