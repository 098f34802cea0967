/* SPDX-License-Identifier: MIT */
/* Timings of the IRC fuzz targets (highlights on "perch" and "alert"). */
#include "irc_fixture.h"

const struct irc_timing fuzz_irc_timing = {
    .connect_timeout_ms = 60000,
    .ping_interval_ms = 60000,
    .ping_timeout_ms = 60000,
    .reconnect_first_ms = 1000,
    .reconnect_max_ms = 60000,
    .close_grace_ms = 0,
    .highlight_words = "perch,alert",
    .auto_away = "",
    .anti_flood_ms = 2000,
    .anti_flood_burst = 5,
    .nick_regain_ms = 60000,
    .catchup_max = 100,
    .catchup_timeout_ms = 10000,
};
