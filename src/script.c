/*
 * script.c - run track and notify scripts without blocking the daemon.
 *
 * A run is: a child in its own session and process group, as the script
 * user, with a clean environment and nothing inherited but stdin
 * (/dev/null) and stdout/stderr (one pipe back to us). Its output is read
 * through the loop and logged line by line; the run is over when the child
 * is reaped, not when the pipe closes, so a background process holding
 * the pipe cannot stall it. If exec (or any step before it) fails, the
 * child reports errno through a close-on-exec pipe, so the caller sees
 * SCRIPT_EXEC_FAILED with the reason rather than an exit status of 127.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* also set by configure; kept for standalone builds */
#endif
#include "script.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "loop.h"

#define SCRIPT_TAG_MAX 64
/* A longer output line is logged in pieces of this size. */
#define SCRIPT_LINE_MAX 512
/* Output logged per run; the rest is read and dropped. */
#define SCRIPT_LOG_CAP_BYTES 4096
#define SCRIPT_READ_CHUNK 4096
/* Reads per wake-up, so one chatty script cannot monopolise the loop. */
#define SCRIPT_READS_PER_WAKE 16
/* Without close_range(), mark at most this many fds close-on-exec. */
#define SCRIPT_FD_SWEEP_MAX 65536
#define SCRIPT_PATH "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* Which step of the child's set-up failed. */
enum script_stage {
	STAGE_SETSID,
	STAGE_SIGNALS,
	STAGE_STDIO,
	STAGE_CHDIR,
	STAGE_GROUPS,
	STAGE_SETGID,
	STAGE_SETUID,
	STAGE_FDS,
	STAGE_EXEC,
};

static const char *const script_stage_names[] = {
	[STAGE_SETSID] = "setsid",	 [STAGE_SIGNALS] = "signal reset",
	[STAGE_STDIO] = "stdio set-up",	 [STAGE_CHDIR] = "chdir /",
	[STAGE_GROUPS] = "setgroups",	 [STAGE_SETGID] = "setgid",
	[STAGE_SETUID] = "setuid",	 [STAGE_FDS] = "closing descriptors",
	[STAGE_EXEC] = "exec",
};

/* What a child that could not exec writes to the error pipe. */
struct script_exec_error {
	int stage;
	int err;
};

struct script_run {
	struct loop *l;
	pid_t pid;
	int out_fd; /* our end of the child's stdout+stderr; -1 once closed */
	int err_fd; /* our end of the exec-error pipe */
	uint64_t start_us;
	struct loop_timer timeout;
	bool timed_out;
	script_done_cb cb;
	void *arg;
	size_t line_len;
	size_t logged_bytes;
	bool truncated;
	char tag[SCRIPT_TAG_MAX];
	char line[SCRIPT_LINE_MAX];
};

/* ---------------------------------------------------------------- splitting */

static bool split_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Copy one word starting at *pp into w; returns false on an unterminated quote. */
static bool split_word(const char **pp, char *w)
{
	const char *p = *pp;

	while (*p && !split_space(*p)) {
		if (*p == '\\') {
			p++;
			*w++ = *p ? *p++ : '\\';
		} else if (*p == '\'') {
			for (p++; *p && *p != '\''; p++)
				*w++ = *p;
			if (!*p)
				return false;
			p++;
		} else if (*p == '"') {
			for (p++; *p && *p != '"'; p++) {
				if (*p == '\\' && p[1])
					p++;
				*w++ = *p;
			}
			if (!*p)
				return false;
			p++;
		} else {
			*w++ = *p++;
		}
	}
	*w = '\0';
	*pp = p;
	return true;
}

void script_argv_free(char **argv)
{
	if (!argv)
		return;
	for (char **a = argv; *a; a++)
		free(*a);
	free(argv);
}

static size_t split_count_extra(const char *const *extra)
{
	size_t n = 0;

	while (extra && extra[n])
		n++;
	return n;
}

char **script_split(const char *line, const char *const *extra)
{
	/* a line of n bytes has at most n/2+1 words, none longer than n */
	size_t len = strlen(line), max_words = len / 2 + 1, nextra = split_count_extra(extra);
	char **argv = calloc(max_words + nextra + 1, sizeof(*argv));
	char *word = malloc(len + 1);
	size_t n = 0;

	if (!argv || !word)
		goto fail;
	for (const char *p = line;;) {
		while (split_space(*p))
			p++;
		if (!*p)
			break;
		if (!split_word(&p, word))
			goto fail;
		argv[n] = strdup(word);
		if (!argv[n++])
			goto fail;
	}
	if (n == 0)
		goto fail;
	for (size_t i = 0; i < nextra; i++) {
		argv[n] = strdup(extra[i]);
		if (!argv[n++])
			goto fail;
	}
	free(word);
	return argv;
fail:
	free(word);
	script_argv_free(argv);
	return NULL;
}

/* ---------------------------------------------------------------- the child */

static void __attribute__((noreturn)) child_fail(int err_fd, enum script_stage stage)
{
	struct script_exec_error e = { .stage = stage, .err = errno };

	/* nothing more can be done if even this fails: the exit status remains */
	if (write(err_fd, &e, sizeof(e)) < 0)
		_exit(127);
	_exit(127);
}

/* Keep fd out of 0..2 so that dup2 onto stdio cannot clobber it. */
static int fd_above_stdio(int fd)
{
	return fd > STDERR_FILENO ? fd : fcntl(fd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
}

static int child_stdio(int out_w, int *err_w)
{
	int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);

	*err_w = fd_above_stdio(*err_w);
	out_w = fd_above_stdio(out_w);
	devnull = devnull < 0 ? devnull : fd_above_stdio(devnull);
	if (*err_w < 0 || out_w < 0 || devnull < 0)
		return -1;
	if (dup2(devnull, STDIN_FILENO) < 0 || dup2(out_w, STDOUT_FILENO) < 0 ||
	    dup2(out_w, STDERR_FILENO) < 0)
		return -1;
	return 0;
}

static int child_signals(void)
{
	struct sigaction sa = { .sa_handler = SIG_DFL };
	sigset_t none;

	/* SIGKILL, SIGSTOP and libc's internal signals refuse; that is fine */
	for (int sig = 1; sig < _NSIG; sig++)
		sigaction(sig, &sa, NULL);
	sigemptyset(&none);
	return sigprocmask(SIG_SETMASK, &none, NULL);
}

static enum script_stage child_credentials(uid_t uid, gid_t gid)
{
	struct passwd *pw;

	if (getuid() == uid && geteuid() == uid && getgid() == gid && getegid() == gid)
		return STAGE_EXEC;
	pw = getpwuid(uid);
	if (pw ? initgroups(pw->pw_name, gid) < 0 : setgroups(1, &gid) < 0)
		return STAGE_GROUPS;
	if (setresgid(gid, gid, gid) < 0)
		return STAGE_SETGID;
	if (setresuid(uid, uid, uid) < 0)
		return STAGE_SETUID;
	return STAGE_EXEC;
}

/* Everything >= 3 closes at exec; the error pipe thus stays open until then. */
static int child_cloexec_all(void)
{
	long max_fd;

	if (close_range(STDERR_FILENO + 1, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
		return 0;
	max_fd = sysconf(_SC_OPEN_MAX);
	if (max_fd < 0 || max_fd > SCRIPT_FD_SWEEP_MAX)
		max_fd = SCRIPT_FD_SWEEP_MAX;
	for (int fd = STDERR_FILENO + 1; fd < max_fd; fd++)
		fcntl(fd, F_SETFD, FD_CLOEXEC);
	return 0;
}

static void __attribute__((noreturn))
child_exec(char *const argv[], const struct script_opts *o, int out_w, int err_w)
{
	char *const envp[] = { SCRIPT_PATH, NULL };
	enum script_stage stage;

	if (setsid() < 0)
		child_fail(err_w, STAGE_SETSID);
	if (child_signals() < 0)
		child_fail(err_w, STAGE_SIGNALS);
	if (child_stdio(out_w, &err_w) < 0)
		child_fail(err_w, STAGE_STDIO);
	if (chdir("/") < 0)
		child_fail(err_w, STAGE_CHDIR);
	stage = child_credentials(o->uid, o->gid);
	if (stage != STAGE_EXEC)
		child_fail(err_w, stage);
	if (child_cloexec_all() < 0)
		child_fail(err_w, STAGE_FDS);
	execve(argv[0], argv, envp);
	child_fail(err_w, STAGE_EXEC);
}

/* ------------------------------------------------------------------- output */

static void out_emit_line(struct script_run *r)
{
	size_t len = r->line_len;

	r->line_len = 0;
	if (len && r->line[len - 1] == '\r')
		len--;
	if (r->truncated)
		return;
	if (r->logged_bytes + len > SCRIPT_LOG_CAP_BYTES) {
		r->truncated = true;
		log_info("%s: output truncated after %zu bytes", r->tag, r->logged_bytes);
		return;
	}
	r->logged_bytes += len + 1;
	log_info("%s: %.*s", r->tag, (int)len, r->line);
}

static void out_feed(struct script_run *r, const char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (buf[i] == '\n') {
			out_emit_line(r);
			continue;
		}
		r->line[r->line_len++] = buf[i];
		if (r->line_len == sizeof(r->line))
			out_emit_line(r);
	}
}

/* Read what is there, at most max_reads times; returns true at EOF or error. */
static bool out_drain(struct script_run *r, int max_reads)
{
	char buf[SCRIPT_READ_CHUNK];

	while (max_reads-- > 0) {
		ssize_t n = read(r->out_fd, buf, sizeof(buf));

		if (n > 0)
			out_feed(r, buf, (size_t)n);
		else if (n == 0)
			return true;
		else if (errno == EAGAIN)
			return false;
		else if (errno != EINTR)
			return true;
	}
	return false;
}

static void out_close(struct script_run *r, bool flush)
{
	if (r->out_fd < 0)
		return;
	loop_del_fd(r->l, r->out_fd);
	close(r->out_fd);
	r->out_fd = -1;
	if (flush && r->line_len)
		out_emit_line(r);
}

static void out_readable(struct loop *l, int fd, uint32_t events, void *arg)
{
	struct script_run *r = arg;

	if (out_drain(r, SCRIPT_READS_PER_WAKE))
		out_close(r, true);
}

/* ------------------------------------------------------------------ the run */

static void run_kill(struct script_run *r)
{
	kill(-r->pid, SIGKILL);
	/* the child may not have reached setsid() yet */
	kill(r->pid, SIGKILL);
}

static void run_free(struct script_run *r)
{
	out_close(r, false);
	loop_timer_cancel(r->l, &r->timeout);
	if (r->err_fd >= 0)
		close(r->err_fd);
	free(r);
}

static void run_timeout(struct loop *l, struct loop_timer *t, void *arg)
{
	struct script_run *r = arg;

	r->timed_out = true;
	run_kill(r);
}

static void run_result(struct script_run *r, int status, struct script_result *res)
{
	struct script_exec_error e;

	if (read(r->err_fd, &e, sizeof(e)) == (ssize_t)sizeof(e)) {
		res->outcome = SCRIPT_EXEC_FAILED;
		res->exit_status = e.err;
		if (e.stage != STAGE_EXEC && e.stage >= 0 && e.stage <= STAGE_EXEC)
			log_warn("%s: %s failed before exec: %s", r->tag,
				 script_stage_names[e.stage], strerror(e.err));
	} else if (r->timed_out && WIFSIGNALED(status)) {
		res->outcome = SCRIPT_TIMEOUT;
		res->exit_status = WTERMSIG(status);
	} else if (WIFSIGNALED(status)) {
		res->outcome = SCRIPT_SIGNALED;
		res->exit_status = WTERMSIG(status);
	} else {
		res->outcome = SCRIPT_EXITED;
		res->exit_status = WEXITSTATUS(status);
	}
}

static void run_reaped(struct loop *l, pid_t pid, int status, void *arg)
{
	struct script_run *r = arg;
	struct script_result res = { .runtime_us = loop_now_us() - r->start_us };

	/* what the child wrote before exiting is in the pipe: log it first */
	if (r->out_fd >= 0)
		out_drain(r, SCRIPT_READS_PER_WAKE);
	out_close(r, true);
	loop_timer_cancel(l, &r->timeout);
	run_result(r, status, &res);
	r->cb(&res, r->arg);
	run_free(r);
}

static int run_pipes(int out[2], int err[2])
{
	out[0] = out[1] = err[0] = err[1] = -1;
	if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0)
		return -1;
	/* only our ends: the script's stdout stays blocking */
	if (fcntl(out[0], F_SETFL, O_NONBLOCK) < 0 || fcntl(err[0], F_SETFL, O_NONBLOCK) < 0)
		return -1;
	return 0;
}

static void close_fds(int *fds, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (fds[i] >= 0)
			close(fds[i]);
		fds[i] = -1;
	}
}

/* Hook the forked child into the loop; on failure the child is killed. */
static int run_watch(struct script_run *r, uint64_t timeout_us)
{
	int err = loop_add_fd(r->l, r->out_fd, EPOLLIN, out_readable, r);

	if (!err)
		err = loop_watch_child(r->l, r->pid, run_reaped, r);
	if (err) {
		/* the loop reaps the unwatched child */
		run_kill(r);
		return err;
	}
	if (timeout_us)
		loop_timer_arm(r->l, &r->timeout, r->start_us + timeout_us);
	return 0;
}

struct script_run *script_start(struct loop *l, char *const argv[], const struct script_opts *o,
				script_done_cb cb, void *arg)
{
	struct script_run *r;
	int out[2], err[2], e;

	if (!argv || !argv[0] || !o || !cb) {
		errno = EINVAL;
		return NULL;
	}
	r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->l = l;
	r->cb = cb;
	r->arg = arg;
	r->out_fd = r->err_fd = -1;
	loop_timer_init(&r->timeout, run_timeout, r);
	snprintf(r->tag, sizeof(r->tag), "%s", o->log_tag ? o->log_tag : argv[0]);
	if (run_pipes(out, err) < 0)
		goto fail;
	r->start_us = loop_now_us();
	r->pid = fork();
	if (r->pid < 0)
		goto fail;
	if (r->pid == 0)
		child_exec(argv, o, out[1], err[1]);
	close(out[1]);
	close(err[1]);
	r->out_fd = out[0];
	r->err_fd = err[0];
	e = run_watch(r, o->timeout_us);
	if (e) {
		run_free(r);
		errno = -e;
		return NULL;
	}
	return r;
fail:
	e = errno;
	close_fds(out, 2);
	close_fds(err, 2);
	free(r);
	errno = e;
	return NULL;
}

void script_cancel(struct loop *l, struct script_run *r)
{
	if (!r)
		return;
	run_kill(r);
	/* the loop still reaps it, silently */
	loop_unwatch_child(l, r->pid);
	run_free(r);
}

pid_t script_pid(const struct script_run *r)
{
	return r->pid;
}

/* ----------------------------------------------------------------- security */

/* A file or directory only root can change: root's, writable by no one else. */
static int secure_one(const char *path, char *why, size_t why_size)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		int err = errno;

		snprintf(why, why_size, "%s: %s", path, strerror(err));
		return -err;
	}
	if (st.st_uid != 0) {
		snprintf(why, why_size, "%s is owned by uid %u, not root", path,
			 (unsigned)st.st_uid);
		return -EPERM;
	}
	if (st.st_mode & S_IWOTH) {
		snprintf(why, why_size, "%s is writable by everyone", path);
		return -EPERM;
	}
	if ((st.st_mode & S_IWGRP) && st.st_gid != 0) {
		snprintf(why, why_size, "%s is writable by group %u", path, (unsigned)st.st_gid);
		return -EPERM;
	}
	return 0;
}

/* Check path and every directory above it, from the root down. */
static int secure_chain(const char *path, char *why, size_t why_size)
{
	char *p = strdup(path);
	int err = -ENOMEM;

	if (!p)
		goto out;
	err = secure_one("/", why, why_size);
	for (char *slash = strchr(p + 1, '/'); !err && slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		err = secure_one(p, why, why_size);
		*slash = '/';
	}
	if (!err)
		err = secure_one(p, why, why_size);
out:
	free(p);
	return err;
}

int script_check_security(const char *path, char *why, size_t why_size)
{
	char *real;
	int err;

	if (why_size)
		why[0] = '\0';
	if (path[0] != '/') {
		snprintf(why, why_size, "%s is not an absolute path", path);
		return -EINVAL;
	}
	/* the path as written: whoever can change a directory on it can swap a symlink */
	err = secure_chain(path, why, why_size);
	if (err)
		return err;
	real = realpath(path, NULL);
	if (!real) {
		err = -errno;
		snprintf(why, why_size, "%s: %s", path, strerror(-err));
		return err;
	}
	if (strcmp(real, path) != 0)
		err = secure_chain(real, why, why_size);
	free(real);
	return err;
}
