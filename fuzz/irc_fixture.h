/* SPDX-License-Identifier: MIT */
/* What the IRC fuzz targets share: timings long enough that no timer fires during a run. */
#ifndef PERCH_FUZZ_IRC_FIXTURE_H
#define PERCH_FUZZ_IRC_FIXTURE_H

#include "irc/irc.h"

extern const struct irc_timing fuzz_irc_timing;

#endif
