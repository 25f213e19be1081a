/*
 * log.c - syslog (daemon facility) or stderr.
 *
 * The log is process-wide by nature (syslog itself is), so its settings are
 * the one piece of module state outside struct vipd. Every message becomes
 * exactly one line: control characters (script output may contain any
 * bytes) are replaced, and a stderr line goes out in a single write so
 * lines from the daemon never interleave mid-way.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* also set by configure; kept for standalone builds */
#endif
#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define LOG_MSG_MAX 2048
#define LOG_IDENT_MAX 64
#define LOG_TRUNC_MARK "..."

static struct {
	enum log_target target;
	int max_level;
	bool syslog_open;
	char ident[LOG_IDENT_MAX]; /* openlog() keeps the pointer */
	log_sink_fn sink;
	void *sink_arg;
} log_state = {
	.target = LOG_TO_STDERR,
	.max_level = LOG_INFO,
	.ident = "vipd",
};

static const char *const log_level_names[] = {
	[LOG_EMERG] = "emerg",	   [LOG_ALERT] = "alert", [LOG_CRIT] = "crit",
	[LOG_ERR] = "error",	   [LOG_WARNING] = "warning",
	[LOG_NOTICE] = "notice",   [LOG_INFO] = "info",	  [LOG_DEBUG] = "debug",
};

void log_init(const char *ident, enum log_target target, int max_level)
{
	log_close();
	snprintf(log_state.ident, sizeof(log_state.ident), "%s", ident ? ident : "vipd");
	log_state.target = target;
	log_state.max_level = max_level;
	if (target == LOG_TO_SYSLOG) {
		openlog(log_state.ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
		log_state.syslog_open = true;
	}
}

void log_set_level(int max_level)
{
	log_state.max_level = max_level;
}

int log_get_level(void)
{
	return log_state.max_level;
}

void log_close(void)
{
	if (log_state.syslog_open)
		closelog();
	log_state.syslog_open = false;
}

void log_set_sink(log_sink_fn sink, void *arg)
{
	log_state.sink = sink;
	log_state.sink_arg = arg;
}

/* One line, whatever the bytes: newlines and other controls become '?'. */
static void log_sanitize(char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\t')
			*s = ' ';
		else if (c < 0x20 || c == 0x7f)
			*s = '?';
	}
}

static void log_to_stderr(int level, const char *msg)
{
	char line[LOG_MSG_MAX + 128];
	struct timeval tv;
	struct tm tm;
	int n;

	gettimeofday(&tv, NULL);
	localtime_r(&tv.tv_sec, &tm);
	n = snprintf(line, sizeof(line), "%04d-%02d-%02d %02d:%02d:%02d.%03ld %s[%ld]: %s: %s\n",
		     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		     (long)tv.tv_usec / 1000, log_state.ident, (long)getpid(),
		     log_level_names[level], msg);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line)) {
		n = sizeof(line) - 1;
		line[n - 1] = '\n';
	}
	/* a short write to a log is not worth retrying; the line is lost either way */
	if (write(STDERR_FILENO, line, (size_t)n) < 0)
		return;
}

void log_msg(int level, const char *fmt, ...)
{
	char msg[LOG_MSG_MAX];
	int saved_errno = errno;
	va_list ap;
	int n;

	if (level < LOG_EMERG || level > LOG_DEBUG)
		level = LOG_ERR;
	if (level > log_state.max_level)
		return;
	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0)
		goto out;
	if ((size_t)n >= sizeof(msg))
		memcpy(msg + sizeof(msg) - sizeof(LOG_TRUNC_MARK), LOG_TRUNC_MARK,
		       sizeof(LOG_TRUNC_MARK));
	log_sanitize(msg);

	if (log_state.sink)
		log_state.sink(level, msg, log_state.sink_arg);
	else if (log_state.target == LOG_TO_SYSLOG)
		syslog(level, "%s", msg);
	else
		log_to_stderr(level, msg);
out:
	/* callers log and then report errno: logging must not clobber it */
	errno = saved_errno;
}
