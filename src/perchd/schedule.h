/* SPDX-License-Identifier: MIT */
/* The inputs the core keeps waiting (/wait, /repeat -interval), run by a timer of perchd's
 * loop when the first is due. */
#ifndef PERCH_PERCHD_SCHEDULE_H
#define PERCH_PERCHD_SCHEDULE_H

struct perchd;

void perchd_schedule_init(struct perchd *d);
/* core_host.schedule_changed: the timer is set for the first entry due, or stopped. */
void perchd_schedule_changed(void *data);
/* Closes the timer (quit, or a start that failed); what waits never runs. */
void perchd_schedule_close(struct perchd *d);

#endif
