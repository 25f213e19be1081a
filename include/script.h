/*
 * script.h - running external programs (track scripts, notify scripts)
 * without ever blocking the daemon: fork/exec in a new process group, as a
 * given user, clean environment, no inherited descriptors, output captured
 * line by line into the log, killed (the whole group) at the time limit.
 */
#ifndef VIPD_SCRIPT_H
#define VIPD_SCRIPT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct loop;
struct script_run;

enum script_outcome {
	SCRIPT_EXITED,   /* exit_status valid */
	SCRIPT_SIGNALED, /* killed by a signal it did not get from us */
	SCRIPT_TIMEOUT,  /* we killed it at its time limit */
	SCRIPT_EXEC_FAILED, /* could not be executed (missing, not executable, ...) */
};

struct script_result {
	enum script_outcome outcome;
	int exit_status; /* SCRIPT_EXITED: status; SCRIPT_SIGNALED: signal; EXEC_FAILED: errno */
	uint64_t runtime_us;
};

/*
 * Called once when the run is over: when the child has been reaped, even if
 * something it left in the background still holds its output pipe. The
 * script_run is freed after it returns.
 */
typedef void (*script_done_cb)(const struct script_result *res, void *arg);

struct script_opts {
	uid_t uid;
	gid_t gid;
	uint64_t timeout_us; /* 0 = no limit */
	const char *log_tag; /* prefix of the logged output lines, e.g. "chk_nginx" */
};

/*
 * Split a keepalived script line ("/usr/bin/check --x 'a b'") into argv:
 * whitespace separates, single and double quotes group, backslash escapes.
 * Inside single quotes everything is literal; inside double quotes a
 * backslash escapes the next character; quoted and unquoted pieces next to
 * each other form one word ('' is an empty word); a backslash at the very
 * end stands for itself. extra (NULL-terminated, may be NULL) are appended.
 * Returns a NULL-terminated array to free with script_argv_free, or NULL on
 * an unterminated quote, no words, or no memory.
 */
char **script_split(const char *line, const char *const *extra);
void script_argv_free(char **argv);

/*
 * Start argv[0] (a path; no PATH search) with argv. Returns a handle (used
 * only for script_cancel) or NULL with errno set when fork itself failed;
 * exec failures are reported through cb as SCRIPT_EXEC_FAILED.
 */
struct script_run *script_start(struct loop *l, char *const argv[], const struct script_opts *o,
				script_done_cb cb, void *arg);

/*
 * Kill the run's process group now; cb is not called and r is freed. Not
 * for use from r's own done callback (r is already finishing there).
 */
void script_cancel(struct loop *l, struct script_run *r);

/* The run's process id, which is also its process group id. */
pid_t script_pid(const struct script_run *r);

/*
 * With enable_script_security: refuse a script that a non-root user could
 * change (the file or any directory on its path writable by others than
 * root). Returns 0, or -EPERM with why[] explaining, or -errno.
 */
int script_check_security(const char *path, char *why, size_t why_size);

#endif
