/*
 * trackproc.h - vrrp_track_process and vrrp_track_file, the pure parts:
 * which running process a vrrp_track_process block counts, whether the
 * count makes a quorum, and what the number read from a track_file does
 * to an instance. keepalived 2.2's meaning; no /proc, no files, no clocks.
 */
#ifndef VIPD_TRACKPROC_H
#define VIPD_TRACKPROC_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

/* How a process's arguments are compared with the configured ones. */
enum trackproc_params {
	TRACKPROC_PARAMS_ANY,     /* no parameters configured, no param_match */
	TRACKPROC_PARAMS_EXACT,   /* the same arguments, no more */
	TRACKPROC_PARAMS_PARTIAL, /* "param_match partial": the first N are these */
	TRACKPROC_PARAMS_INITIAL, /* "param_match initial": as partial, and the last
				   * configured one may be the start of the process's */
};

#define TRACKPROC_COMM_MAX 15 /* the kernel's TASK_COMM_LEN less the NUL */
#define TRACKPROC_QUORUM_MAX_NONE UINT_MAX

/* What one vrrp_track_process block looks for. */
struct trackproc_spec {
	char *process;    /* the name, or argv[0] when the command line is matched */
	char **params;
	size_t nparams;
	enum trackproc_params match;
	bool full_command;
	unsigned quorum;     /* at least this many; default 1 */
	unsigned quorum_max; /* at most; TRACKPROC_QUORUM_MAX_NONE by default */
};

/* Does matching need /proc/PID/cmdline (else comm is enough)? */
bool trackproc_uses_cmdline(const struct trackproc_spec *s);

/*
 * Does the process with this comm (its name, at most 15 bytes) and
 * command line (argv, argc; may be NULL/0 when not needed) count?
 */
bool trackproc_match(const struct trackproc_spec *s, const char *comm, const char *const *argv,
		     size_t argc);

/* Is count processes within quorum .. quorum_max? */
bool trackproc_quorum(const struct trackproc_spec *s, size_t count);

/*
 * Split the contents of /proc/PID/cmdline (NUL-separated) into argv, at
 * most max entries, pointing into buf. Returns the count.
 */
size_t trackproc_split_cmdline(char *buf, size_t len, const char **argv, size_t max);

/* ------------------------------------------------------- track_file */

#define TRACKFILE_WEIGHT_MAX 254

/*
 * The number in a track file's text: an optional sign and decimal
 * digits, blanks around; an empty file is 0. Returns 0, or -EINVAL when
 * the text is not a number (*value is then 0).
 */
int trackfile_parse(const char *text, size_t len, long *value);

/*
 * What value does to an instance tracking the file with weight (and
 * reverse): with weight 0 a non-zero value is a fault; otherwise the
 * product value * weight (negated with reverse) is the priority change,
 * and a product below -253 is a fault. *delta is clamped to -253..253.
 */
void trackfile_effect(long value, int weight, bool reverse, int *delta, bool *fault);

#endif
