/* SPDX-License-Identifier: MIT */
/* Levelled logging to stderr; the level is checked before any formatting. */
#ifndef PERCH_BASE_LOG_H
#define PERCH_BASE_LOG_H

enum log_level {
    LOG_LEVEL_ERROR,
    LOG_LEVEL_WARN,
    LOG_LEVEL_INFO,
    LOG_LEVEL_DEBUG,
};

void log_set_level(enum log_level level);
/* The name on each line ("perchd" unless set). */
void log_set_program(const char *name);
enum log_level log_get_level(void);
/* Returns 0 and sets *level for "error", "warn", "info" or "debug"; -EINVAL otherwise. */
int log_level_parse(const char *name, enum log_level *level);
void log_write(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_at(lvl, ...)                   \
    do {                                   \
        if ((lvl) <= log_get_level())      \
            log_write((lvl), __VA_ARGS__); \
    } while (0)
#define log_error(...) log_at(LOG_LEVEL_ERROR, __VA_ARGS__)
#define log_warn(...)  log_at(LOG_LEVEL_WARN, __VA_ARGS__)
#define log_info(...)  log_at(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_debug(...) log_at(LOG_LEVEL_DEBUG, __VA_ARGS__)

#endif
