/*
 * notify.c - notify scripts on state changes, keepalived-compatible.
 *
 * notify_master/backup/fault/stop run as written; "notify" gets
 * TYPE NAME STATE PRIORITY appended. Every run is asynchronous and its end
 * is only ever a log line: a broken notify script must not disturb VRRP.
 * Runs in flight are kept on a list (module state, like the log's) so that
 * teardown can wait for or cancel them and free everything.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* also set by configure; kept for standalone builds */
#endif
#include "notify.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "loop.h"

#define NOTIFY_WHAT_MAX 16
#define NOTIFY_PATH_MAX 256
#define NOTIFY_TAG_MAX 128
#define NOTIFY_DEFAULT_TIMEOUT_US (30ULL * 1000000)
#define USEC_PER_MSEC 1000

struct notify_ctx {
	struct loop *l;
	struct script_run *run;
	char what[NOTIFY_WHAT_MAX]; /* "notify_master", "notify", ... */
	char about[CFG_NAME_MAX + 16]; /* "web" or "group web" */
	char path[NOTIFY_PATH_MAX];
	struct notify_ctx *next;
	struct notify_ctx **pprev;
};

static struct notify_ctx *notify_runs;

const char *notify_state_name(enum notify_state s)
{
	switch (s) {
	case NOTIFY_MASTER:
		return "MASTER";
	case NOTIFY_BACKUP:
		return "BACKUP";
	case NOTIFY_FAULT:
		return "FAULT";
	case NOTIFY_STOP:
		return "STOP";
	}
	return "UNKNOWN";
}

static const char *notify_kind_name(enum notify_kind kind)
{
	return kind == NOTIFY_GROUP ? "GROUP" : "INSTANCE";
}

static void ctx_link(struct notify_ctx *c)
{
	c->next = notify_runs;
	if (c->next)
		c->next->pprev = &c->next;
	c->pprev = &notify_runs;
	notify_runs = c;
}

static void ctx_unlink(struct notify_ctx *c)
{
	*c->pprev = c->next;
	if (c->next)
		c->next->pprev = c->pprev;
}

static void notify_done(const struct script_result *res, void *arg)
{
	struct notify_ctx *c = arg;

	switch (res->outcome) {
	case SCRIPT_EXITED:
		log_msg(res->exit_status ? LOG_WARNING : LOG_INFO,
			"%s for %s exited with status %d", c->what, c->about, res->exit_status);
		break;
	case SCRIPT_SIGNALED:
		log_warn("%s for %s was killed by signal %d (%s)", c->what, c->about,
			 res->exit_status, strsignal(res->exit_status));
		break;
	case SCRIPT_TIMEOUT:
		log_warn("%s for %s timed out after %" PRIu64 " ms and was killed", c->what,
			 c->about, res->runtime_us / USEC_PER_MSEC);
		break;
	case SCRIPT_EXEC_FAILED:
		log_err("%s for %s: cannot run %s: %s", c->what, c->about, c->path,
			strerror(res->exit_status));
		break;
	}
	ctx_unlink(c);
	free(c);
}

/* Start one script; returns 1 when it runs, 0 after logging why not. */
static int notify_start(struct loop *l, const char *what, const char *about, const char *cmd,
			const char *const *extra, const struct script_opts *opts)
{
	char tag[NOTIFY_TAG_MAX];
	struct script_opts o = *opts;
	struct notify_ctx *c = calloc(1, sizeof(*c));
	char **argv = script_split(cmd, extra);
	int started = 0;

	if (!argv || !c) {
		log_err("%s for %s: cannot use '%s': %s", what, about, cmd,
			c ? "unterminated quote or empty command" : strerror(ENOMEM));
		goto out;
	}
	c->l = l;
	snprintf(c->what, sizeof(c->what), "%s", what);
	snprintf(c->about, sizeof(c->about), "%s", about);
	snprintf(c->path, sizeof(c->path), "%s", argv[0]);
	/* the script's output says which script it came from */
	snprintf(tag, sizeof(tag), "%s for %s", what, about);
	o.log_tag = tag;
	log_debug("%s for %s: running %s", what, about, cmd);
	c->run = script_start(l, argv, &o, notify_done, c);
	if (!c->run) {
		log_err("%s for %s: cannot start %s: %s", what, about, argv[0], strerror(errno));
		goto out;
	}
	ctx_link(c);
	c = NULL;
	started = 1;
out:
	free(c);
	script_argv_free(argv);
	return started;
}

static const char *notify_state_cmd(const struct cfg_notify *n, enum notify_state s,
				    const char **what)
{
	switch (s) {
	case NOTIFY_MASTER:
		*what = "notify_master";
		return n->master;
	case NOTIFY_BACKUP:
		*what = "notify_backup";
		return n->backup;
	case NOTIFY_FAULT:
		*what = "notify_fault";
		return n->fault;
	case NOTIFY_STOP:
		*what = "notify_stop";
		return n->stop;
	}
	return NULL;
}

int notify_run(struct loop *l, const struct cfg_notify *n, enum notify_kind kind,
	       const char *name, enum notify_state s, uint8_t priority,
	       const struct script_opts *opts)
{
	struct script_opts defaults = {
		.uid = getuid(),
		.gid = getgid(),
		.timeout_us = NOTIFY_DEFAULT_TIMEOUT_US,
	};
	char about[CFG_NAME_MAX + 16], prio[4];
	const char *what, *cmd;
	int started = 0;

	if (!n)
		return 0;
	if (!opts)
		opts = &defaults;
	snprintf(about, sizeof(about), "%s%s", kind == NOTIFY_GROUP ? "group " : "", name);
	cmd = notify_state_cmd(n, s, &what);
	if (cmd && *cmd)
		started += notify_start(l, what, about, cmd, NULL, opts);
	if (n->any && *n->any) {
		const char *extra[] = { notify_kind_name(kind), name, notify_state_name(s), prio,
					NULL };

		snprintf(prio, sizeof(prio), "%u", (unsigned)priority);
		started += notify_start(l, "notify", about, n->any, extra, opts);
	}
	return started;
}

unsigned notify_pending(void)
{
	unsigned n = 0;

	for (struct notify_ctx *c = notify_runs; c; c = c->next)
		n++;
	return n;
}

void notify_cancel_all(struct loop *l)
{
	struct notify_ctx *c = notify_runs, *next;

	for (; c; c = next) {
		next = c->next;
		if (c->l != l)
			continue;
		log_warn("%s for %s: still running at shutdown, killed", c->what, c->about);
		script_cancel(l, c->run);
		ctx_unlink(c);
		free(c);
	}
}
