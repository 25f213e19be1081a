/*
 * nfifo.c - notify FIFOs (see nfifo.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "nfifo.h"

#define LINE_MAX_LEN 192

struct nfifo {
	struct loop *loop;
	char *path;
	int fd;
	bool created;
	struct script_run *script;
	uint64_t dropped;
};

static void script_ended(const struct script_result *res, void *arg)
{
	struct nfifo *f = arg;

	f->script = NULL;
	log_warn("notify FIFO %s: its script ended (%s %d); lines stay in the FIFO until "
		 "something reads it", f->path, res->outcome == SCRIPT_EXITED ? "status" :
		 res->outcome == SCRIPT_EXEC_FAILED ? "cannot run, error" : "signal",
		 res->exit_status);
}

static int start_script(struct nfifo *f, const char *script, const struct script_opts *opts)
{
	const char *extra[] = { f->path, NULL };
	char **argv = script_split(script, extra);
	struct script_opts o = *opts;

	if (!argv)
		return -EINVAL;
	o.timeout_us = 0; /* it runs as long as vipd does */
	o.log_tag = "notify_fifo_script";
	f->script = script_start(f->loop, argv, &o, script_ended, f);
	script_argv_free(argv);
	return f->script ? 0 : -errno;
}

int nfifo_open(struct loop *l, const char *path, uid_t uid, gid_t gid, const char *script,
	       const struct script_opts *opts, struct nfifo **out)
{
	struct nfifo *f = calloc(1, sizeof(*f));
	struct stat st;
	int err;

	if (!f || !(f->path = strdup(path))) {
		free(f);
		return -ENOMEM;
	}
	f->loop = l;
	f->fd = -1;
	if (mkfifo(path, 0600) == 0)
		f->created = true;
	else if (errno != EEXIST)
		goto fail_errno;
	if (stat(path, &st) < 0)
		goto fail_errno;
	if (!S_ISFIFO(st.st_mode)) {
		err = -EEXIST;
		goto fail;
	}
	if (f->created && (uid != (uid_t)-1 || gid != (gid_t)-1) && chown(path, uid, gid) < 0)
		log_warn("notify FIFO %s: cannot give it to %d:%d: %s", path, (int)uid, (int)gid,
			 strerror(errno));
	/* Read-write: opening never waits for a reader, and a reader gone is no SIGPIPE. */
	f->fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (f->fd < 0)
		goto fail_errno;
	if (script && (err = start_script(f, script, opts)) < 0) {
		log_err("notify FIFO %s: cannot start its script %s: %s", path, script,
			strerror(-err));
	}
	*out = f;
	return 0;
fail_errno:
	err = -errno;
fail:
	if (f->created)
		unlink(path);
	free(f->path);
	free(f);
	return err;
}

void nfifo_write(struct nfifo *f, enum notify_kind kind, const char *name,
		 enum notify_state s, uint8_t priority)
{
	char line[LINE_MAX_LEN];
	int len;
	ssize_t n;

	if (!f || f->fd < 0)
		return;
	len = snprintf(line, sizeof(line), "%s \"%s\" %s %u\n",
		       kind == NOTIFY_GROUP ? "GROUP" : "INSTANCE", name, notify_state_name(s),
		       priority);
	if (len <= 0 || (size_t)len >= sizeof(line))
		return;
	/* One write of at most PIPE_BUF bytes: a whole line or nothing. */
	n = write(f->fd, line, (size_t)len);
	if (n == len)
		return;
	if (f->dropped++ == 0)
		log_warn("notify FIFO %s: nobody reads it fast enough; dropping lines (%s)",
			 f->path, n < 0 ? strerror(errno) : "short write");
}

uint64_t nfifo_dropped(const struct nfifo *f)
{
	return f ? f->dropped : 0;
}

void nfifo_close(struct nfifo *f)
{
	if (!f)
		return;
	if (f->fd >= 0)
		close(f->fd);
	script_cancel(f->loop, f->script);
	if (f->created)
		unlink(f->path);
	free(f->path);
	free(f);
}
