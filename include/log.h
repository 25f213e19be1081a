/* log.h - syslog (daemon facility) or stderr, with levels */
#ifndef VIPD_LOG_H
#define VIPD_LOG_H

#include <stdbool.h>
#include <syslog.h>

enum log_target { LOG_TO_SYSLOG, LOG_TO_STDERR };

/*
 * ident: program name for syslog and prefixes; max_level: LOG_INFO normally,
 * LOG_DEBUG with -D. Safe to call again (re-opens).
 */
void log_init(const char *ident, enum log_target target, int max_level);
void log_set_level(int max_level);
int log_get_level(void);
void log_close(void);

/*
 * Send messages (after the level filter) to sink instead of syslog/stderr;
 * sink NULL restores normal output. For tests that check what was logged.
 */
typedef void (*log_sink_fn)(int level, const char *msg, void *arg);
void log_set_sink(log_sink_fn sink, void *arg);

/* level is a syslog level (LOG_ERR, LOG_WARNING, LOG_NOTICE, LOG_INFO, LOG_DEBUG). */
void log_msg(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_err(...) log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARNING, __VA_ARGS__)
#define log_notice(...) log_msg(LOG_NOTICE, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
