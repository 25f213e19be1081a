/*
 * notify.c - notify scripts on state changes, keepalived-compatible.
 *
 * notify_master/backup/fault/stop run as written; "notify" gets
 * TYPE NAME STATE PRIORITY appended. Every run is asynchronous and its end
 * is only ever a log line: a broken notify script must not disturb VRRP.
 *
 * The scripts of one instance (and, separately, of one sync group) run in
 * the order of its transitions: a script that starts a service on MASTER
 * and one that stops it on FAULT must not overtake each other, or the
 * service ends up running on a node that is not master. So each instance
 * has a queue: one transition's scripts (its own and "notify") run side by
 * side, the next transition's wait until they have all ended. Queues are
 * module state, like the log's, so that teardown can find and free them.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* also set by configure; kept for standalone builds */
#endif
#include "notify.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "loop.h"
#include "timeunit.h"

#define NOTIFY_WHAT_MAX 16
#define NOTIFY_PATH_MAX 256
#define NOTIFY_TAG_MAX 128
#define NOTIFY_ABOUT_MAX (CFG_NAME_MAX + 16)
/* Transitions waiting behind the running one; more is a flapping instance. */
#define NOTIFY_QUEUE_MAX 16
/*
 * How long a STOP waits for the scripts ahead of it before they are
 * killed: well inside the daemon's 5 s shutdown grace, so that notify_stop
 * itself still gets to run when an older script hangs.
 */
#define NOTIFY_STOP_WAIT_US (2 * USEC_PER_SEC)
#define NOTIFY_SCRIPTS_PER_JOB 2 /* the state's own, then "notify" */

struct notify_queue;

/* One script of a transition: prepared when queued, running once started. */
struct notify_script {
	char what[NOTIFY_WHAT_MAX]; /* "notify_master", "notify", ... */
	char **argv;
	struct script_run *run; /* non-NULL while running */
	struct notify_queue *q;
};

/* One transition's scripts; copied so that a reload may free the config. */
struct notify_job {
	enum notify_state state;
	struct script_opts opts;
	unsigned nscripts;
	struct notify_script s[NOTIFY_SCRIPTS_PER_JOB];
};

/* One instance's (or group's) transitions: the running one, then the waiting. */
struct notify_queue {
	struct loop *l;
	enum notify_kind kind;
	char name[CFG_NAME_MAX];
	char about[NOTIFY_ABOUT_MAX]; /* "web" or "group web" */
	struct notify_job *cur;       /* running; NULL when idle */
	unsigned running;             /* cur's scripts not ended yet */
	struct notify_job *waiting[NOTIFY_QUEUE_MAX]; /* ring, oldest at first */
	unsigned first, nwaiting;
	struct loop_timer stop_wait; /* a waiting STOP's limit on cur */
	struct notify_queue *next;
	struct notify_queue **pprev;
};

static struct notify_queue *notify_queues;

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

/* --------------------------------------------------------------------- jobs */

static void job_free(struct notify_job *j)
{
	if (!j)
		return;
	for (unsigned i = 0; i < j->nscripts; i++)
		script_argv_free(j->s[i].argv);
	free(j);
}

/* Add one script to j; a line that cannot be split is logged and skipped. */
static void job_add(struct notify_job *j, const char *what, const char *about, const char *cmd,
		    const char *const *extra)
{
	struct notify_script *s = &j->s[j->nscripts];

	s->argv = script_split(cmd, extra);
	if (!s->argv) {
		log_err("%s for %s: cannot use '%s': unterminated quote, empty command or no memory",
			what, about, cmd);
		return;
	}
	snprintf(s->what, sizeof(s->what), "%s", what);
	j->nscripts++;
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

/* The scripts n has for state s, or NULL when there are none. */
static struct notify_job *job_new(const struct cfg_notify *n, enum notify_kind kind,
				  const char *name, const char *about, enum notify_state s,
				  uint8_t priority, const struct script_opts *opts)
{
	struct notify_job *j = calloc(1, sizeof(*j));
	const char *what, *cmd = notify_state_cmd(n, s, &what);

	if (!j) {
		log_err("notify for %s: %s: %s", about, notify_state_name(s), strerror(ENOMEM));
		return NULL;
	}
	j->state = s;
	j->opts = *opts;
	j->opts.log_tag = NULL;
	if (cmd && *cmd)
		job_add(j, what, about, cmd, NULL);
	if (n->any && *n->any) {
		char prio[4];
		const char *extra[] = { notify_kind_name(kind), name, notify_state_name(s), prio,
					NULL };

		snprintf(prio, sizeof(prio), "%u", (unsigned)priority);
		job_add(j, "notify", about, n->any, extra);
	}
	if (!j->nscripts) {
		free(j);
		return NULL;
	}
	return j;
}

/* ------------------------------------------------------------------- queues */

static void queue_stop_wait(struct loop *l, struct loop_timer *t, void *arg);

static struct notify_queue *queue_get(struct loop *l, enum notify_kind kind, const char *name)
{
	struct notify_queue *q;

	for (q = notify_queues; q; q = q->next)
		if (q->l == l && q->kind == kind && !strncmp(q->name, name, sizeof(q->name) - 1))
			return q;
	q = calloc(1, sizeof(*q));
	if (!q)
		return NULL;
	q->l = l;
	q->kind = kind;
	snprintf(q->name, sizeof(q->name), "%s", name);
	snprintf(q->about, sizeof(q->about), "%s%s", kind == NOTIFY_GROUP ? "group " : "", name);
	loop_timer_init(&q->stop_wait, queue_stop_wait, q);
	q->next = notify_queues;
	if (q->next)
		q->next->pprev = &q->next;
	q->pprev = &notify_queues;
	notify_queues = q;
	return q;
}

static void queue_free(struct notify_queue *q)
{
	loop_timer_cancel(q->l, &q->stop_wait);
	*q->pprev = q->next;
	if (q->next)
		q->next->pprev = q->pprev;
	job_free(q->cur);
	for (unsigned i = 0; i < q->nwaiting; i++)
		job_free(q->waiting[(q->first + i) % NOTIFY_QUEUE_MAX]);
	free(q);
}

static struct notify_job *queue_pop(struct notify_queue *q)
{
	struct notify_job *j = q->waiting[q->first];

	q->first = (q->first + 1) % NOTIFY_QUEUE_MAX;
	q->nwaiting--;
	return j;
}

static struct notify_job *queue_at(const struct notify_queue *q, unsigned i)
{
	return q->waiting[(q->first + i) % NOTIFY_QUEUE_MAX];
}

static void queue_push(struct notify_queue *q, struct notify_job *j)
{
	if (q->nwaiting == NOTIFY_QUEUE_MAX) {
		struct notify_job *old = queue_pop(q);

		log_warn("notify for %s: %u transitions already waiting; dropping the oldest "
			 "waiting one, %s", q->about, NOTIFY_QUEUE_MAX,
			 notify_state_name(old->state));
		job_free(old);
	}
	q->waiting[(q->first + q->nwaiting) % NOTIFY_QUEUE_MAX] = j;
	q->nwaiting++;
}

static bool queue_has_stop(const struct notify_queue *q)
{
	for (unsigned i = 0; i < q->nwaiting; i++)
		if (queue_at(q, i)->state == NOTIFY_STOP)
			return true;
	return false;
}

/* A waiting STOP bounds how long the running scripts may still take. */
static void queue_arm_stop_wait(struct notify_queue *q)
{
	if (q->cur && queue_has_stop(q) && !loop_timer_armed(&q->stop_wait))
		loop_timer_arm(q->l, &q->stop_wait, loop_now_us() + NOTIFY_STOP_WAIT_US);
}

static void notify_done(const struct script_result *res, void *arg);

/* Start j's scripts; returns how many run. */
static unsigned job_start(struct notify_queue *q, struct notify_job *j)
{
	char tag[NOTIFY_TAG_MAX];
	unsigned started = 0;

	for (unsigned i = 0; i < j->nscripts; i++) {
		struct notify_script *s = &j->s[i];

		s->q = q;
		/* the script's output says which script it came from */
		snprintf(tag, sizeof(tag), "%s for %s", s->what, q->about);
		j->opts.log_tag = tag;
		log_debug("%s for %s: running %s", s->what, q->about, s->argv[0]);
		s->run = script_start(q->l, s->argv, &j->opts, notify_done, s);
		if (!s->run) {
			log_err("%s for %s: cannot start %s: %s", s->what, q->about, s->argv[0],
				strerror(errno));
			continue;
		}
		started++;
	}
	j->opts.log_tag = NULL;
	return started;
}

/* Start the next waiting transition when nothing runs; free an idle queue. */
static void queue_advance(struct notify_queue *q)
{
	while (!q->cur && q->nwaiting) {
		struct notify_job *j = queue_pop(q);

		if (j->state == NOTIFY_STOP)
			loop_timer_cancel(q->l, &q->stop_wait);
		q->running = job_start(q, j);
		if (q->running)
			q->cur = j;
		else
			job_free(j);
	}
	if (!q->cur) {
		queue_free(q);
		return;
	}
	queue_arm_stop_wait(q);
}

/*
 * A STOP has waited long enough: the instance is going away (shutdown or
 * reload), so what runs ahead of it is stale; kill it, skip any transition
 * still waiting before the STOP, and let notify_stop run.
 */
static void queue_stop_wait(struct loop *l, struct loop_timer *t, void *arg)
{
	struct notify_queue *q = arg;

	if (q->cur) {
		for (unsigned i = 0; i < q->cur->nscripts; i++) {
			struct notify_script *s = &q->cur->s[i];

			if (!s->run)
				continue;
			log_warn("%s for %s: still running %" PRIu64 " ms after the instance "
				 "stopped; killed so that notify_stop can run", s->what, q->about,
				 (uint64_t)(NOTIFY_STOP_WAIT_US / USEC_PER_MSEC));
			script_cancel(l, s->run);
			s->run = NULL;
		}
		job_free(q->cur);
		q->cur = NULL;
		q->running = 0;
	}
	while (q->nwaiting && queue_at(q, 0)->state != NOTIFY_STOP) {
		struct notify_job *j = queue_pop(q);

		log_warn("notify for %s: %s skipped, the instance has stopped", q->about,
			 notify_state_name(j->state));
		job_free(j);
	}
	queue_advance(q);
}

static void notify_log_result(const struct notify_script *s, const struct script_result *res)
{
	const char *about = s->q->about;

	switch (res->outcome) {
	case SCRIPT_EXITED:
		log_msg(res->exit_status ? LOG_WARNING : LOG_INFO,
			"%s for %s exited with status %d", s->what, about, res->exit_status);
		break;
	case SCRIPT_SIGNALED:
		log_warn("%s for %s was killed by signal %d (%s)", s->what, about,
			 res->exit_status, strsignal(res->exit_status));
		break;
	case SCRIPT_TIMEOUT:
		log_warn("%s for %s timed out after %" PRIu64 " ms and was killed", s->what, about,
			 res->runtime_us / USEC_PER_MSEC);
		break;
	case SCRIPT_EXEC_FAILED:
		log_err("%s for %s: cannot run %s: %s", s->what, about, s->argv[0],
			strerror(res->exit_status));
		break;
	}
}

static void notify_done(const struct script_result *res, void *arg)
{
	struct notify_script *s = arg;
	struct notify_queue *q = s->q;

	notify_log_result(s, res);
	s->run = NULL;
	if (--q->running)
		return;
	job_free(q->cur);
	q->cur = NULL;
	queue_advance(q);
}

static notify_sink_fn sink;
static void *sink_arg;

void notify_set_sink(notify_sink_fn fn, void *arg)
{
	sink = fn;
	sink_arg = arg;
}

int notify_run(struct loop *l, const struct cfg_notify *n, enum notify_kind kind,
	       const char *name, enum notify_state s, uint8_t priority,
	       const struct script_opts *opts)
{
	struct script_opts defaults = {
		.uid = getuid(),
		.gid = getgid(),
		.timeout_us = CFG_DEFAULT_NOTIFY_TIMEOUT_US,
	};
	char about[NOTIFY_ABOUT_MAX];
	struct notify_queue *q;
	struct notify_job *j;
	int nscripts;

	if (sink)
		sink(kind, name, s, priority, sink_arg);
	if (!n)
		return 0;
	snprintf(about, sizeof(about), "%s%s", kind == NOTIFY_GROUP ? "group " : "", name);
	j = job_new(n, kind, name, about, s, priority, opts ? opts : &defaults);
	if (!j)
		return 0;
	nscripts = (int)j->nscripts;
	q = queue_get(l, kind, name);
	if (!q) {
		log_err("notify for %s: %s: %s", about, notify_state_name(s), strerror(ENOMEM));
		job_free(j);
		return 0;
	}
	if (q->cur)
		log_debug("notify for %s: %s waits for the scripts of %s (%u already waiting)",
			  about, notify_state_name(s), notify_state_name(q->cur->state),
			  q->nwaiting);
	queue_push(q, j);
	if (q->cur)
		queue_arm_stop_wait(q);
	else
		queue_advance(q);
	return nscripts;
}

unsigned notify_pending(void)
{
	unsigned n = 0;

	for (const struct notify_queue *q = notify_queues; q; q = q->next) {
		n += q->running;
		for (unsigned i = 0; i < q->nwaiting; i++)
			n += queue_at(q, i)->nscripts;
	}
	return n;
}

void notify_cancel_all(struct loop *l)
{
	struct notify_queue *q = notify_queues, *next;

	for (; q; q = next) {
		next = q->next;
		if (q->l != l)
			continue;
		for (unsigned i = 0; q->cur && i < q->cur->nscripts; i++) {
			struct notify_script *s = &q->cur->s[i];

			if (!s->run)
				continue;
			log_warn("%s for %s: still running at shutdown, killed", s->what, q->about);
			script_cancel(l, s->run);
			s->run = NULL;
		}
		for (unsigned i = 0; i < q->nwaiting; i++)
			log_warn("notify for %s: %s never ran: shutdown", q->about,
				 notify_state_name(queue_at(q, i)->state));
		queue_free(q);
	}
}
