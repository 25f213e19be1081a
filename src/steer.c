/*
 * steer.c - maintenance, switchover, explain and the event stream: the
 * daemon's side of the commands that steer it.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "daemon-priv.h"
#include "daemon.h"
#include "evlog.h"
#include "evstream.h"
#include "explain.h"
#include "fault.h"
#include "log.h"
#include "maint.h"
#include "steer.h"
#include "timeunit.h"
#include "syncgroup.h"
#include "track.h"
#include "tracked.h"
#include "trackproc.h"

#define STEER_EVENTS 256           /* events kept for readers that fall behind */
#define SWO_MARGIN_US 500000ULL    /* on top of the protocol's time, for a loaded host */
#define EXPLAIN_MAX 16384
#define EXPLAIN_TRACKERS_MAX 256
#define ANSWER_MAX 512

struct steer {
	struct maint_set maint;
	char maint_path[PATH_MAX];
	struct evlog log;
	struct evstream *stream;
};

__attribute__((format(printf, 1, 2))) static char *answer(const char *fmt, ...)
{
	char *s = malloc(ANSWER_MAX);
	va_list ap;

	if (!s)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(s, ANSWER_MAX, fmt, ap);
	va_end(ap);
	return s;
}

static uint64_t wall_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000ULL + (uint64_t)ts.tv_nsec / 1000;
}

static void event(struct vipd *d, enum evlog_kind kind, const char *subject, const char *from,
		  const char *to, const char *detail)
{
	struct steer *s = d->steer;

	if (!s)
		return;
	evlog_add(&s->log, kind, subject, from, to, detail, wall_us());
	evstream_flush(s->stream);
}

/* ------------------------------------------------------------ set-up */

int steer_start(struct vipd *d, const char *pidfile)
{
	struct steer *s = calloc(1, sizeof(*s));
	int bad = 0, err;

	if (!s)
		return -ENOMEM;
	maint_path_from_pidfile(pidfile, s->maint_path, sizeof(s->maint_path));
	err = maint_load(s->maint_path, &s->maint, &bad);
	if (err == -EINVAL)
		log_err("%s:%d: not an instance name; instances listed before it stay in maintenance, the rest of the file is ignored",
			s->maint_path, bad);
	else if (err < 0)
		log_err("cannot read %s: %s; no instance is in maintenance", s->maint_path,
			strerror(-err));
	for (size_t i = 0; i < s->maint.n; i++) {
		if (!cfg_find_instance(d->cfg, s->maint.names[i]))
			log_warn("%s names %s, which is not configured", s->maint_path,
				 s->maint.names[i]);
		else
			log_notice("%s: in maintenance (%s): it will not become master",
				   s->maint.names[i], s->maint_path);
	}
	if (evlog_init(&s->log, STEER_EVENTS) < 0 || !(s->stream = evstream_new(d->loop, &s->log))) {
		evlog_free(&s->log);
		maint_free(&s->maint);
		free(s);
		return -ENOMEM;
	}
	d->steer = s;
	return 0;
}

void steer_free(struct vipd *d)
{
	struct steer *s = d->steer;

	if (!s)
		return;
	evstream_free(s->stream);
	evlog_free(&s->log);
	maint_free(&s->maint);
	free(s);
	d->steer = NULL;
}

bool steer_in_maintenance(const struct vipd *d, const char *inst)
{
	return d->steer && maint_has(&d->steer->maint, inst);
}

static void swo_timeout(struct loop *l, struct loop_timer *t, void *arg);

void steer_inst_init(struct vipd_instance *in)
{
	in->vrrp.hold_backup = steer_in_maintenance(in->d, in->cfg->name);
	in->vrrp.no_preempt = false;
	in->steer.boosted = false;
	in->steer.swo = STEER_SWO_NONE;
	in->steer.swo_detail[0] = '\0';
	loop_timer_init(&in->steer.swo_timer, swo_timeout, in);
}

void steer_inst_stop(struct vipd_instance *in)
{
	if (in->d && in->d->loop)
		loop_timer_cancel(in->d->loop, &in->steer.swo_timer);
}

uint8_t steer_priority(const struct vipd_instance *in, uint8_t tracked, int delta)
{
	/* Held up only while nothing tracked pulls it down. */
	if (in->steer.boosted && delta >= 0 && in->cfg->priority != VRRP_PRIO_OWNER)
		return STEER_BOOST_PRIORITY;
	return tracked;
}

/* -------------------------------------------------------------- hooks */

static void swo_finish(struct vipd_instance *in, enum steer_switchover to, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void swo_finish(struct vipd_instance *in, enum steer_switchover to, const char *fmt, ...)
{
	va_list ap;

	loop_timer_cancel(in->d->loop, &in->steer.swo_timer);
	va_start(ap, fmt);
	vsnprintf(in->steer.swo_detail, sizeof(in->steer.swo_detail), fmt, ap);
	va_end(ap);
	in->steer.swo = to;
	if (to == STEER_SWO_FAILED) {
		/* Nothing moved: back to the configured behaviour. */
		in->vrrp.no_preempt = false;
		if (in->steer.boosted) {
			in->steer.boosted = false;
			inst_refresh(in);
		}
	}
	log_msg(to == STEER_SWO_DONE ? LOG_NOTICE : LOG_WARNING, "%s: switchover %s: %s",
		in->cfg->name, to == STEER_SWO_DONE ? "done" : "failed", in->steer.swo_detail);
	event(in->d, EVLOG_SWITCHOVER, in->cfg->name, "",
	      to == STEER_SWO_DONE ? "done" : "failed", in->steer.swo_detail);
}

void steer_on_transition(struct vipd_instance *in, const struct vrrp_actions *a)
{
	if (!(a->flags & VRRP_ACT_STATE))
		return;
	event(in->d, EVLOG_STATE, in->cfg->name, vrrp_state_name(a->from), vrrp_state_name(a->to),
	      a->reason);
	if (in->steer.swo == STEER_SWO_RESIGNING && a->to != VRRP_STATE_BACKUP)
		swo_finish(in, STEER_SWO_FAILED, "nobody took over; this node is %s again (%s)",
			   vrrp_state_name(a->to), a->reason);
	else if (in->steer.swo == STEER_SWO_TAKING && a->from == VRRP_STATE_MASTER)
		swo_finish(in, STEER_SWO_FAILED, "this node is %s again: %s",
			   vrrp_state_name(a->to), a->reason);
}

void steer_on_priority(struct vipd_instance *in, uint8_t from, uint8_t to, const char *cause)
{
	char f[8], t[8];

	snprintf(f, sizeof(f), "%u", from);
	snprintf(t, sizeof(t), "%u", to);
	event(in->d, EVLOG_PRIORITY, in->cfg->name, f, t, cause);
}

void steer_on_tracker(struct vipd *d, const char *what, bool up, const char *detail)
{
	event(d, EVLOG_TRACKER, what, up ? "down" : "up", up ? "up" : "down", up ? "" : detail);
}

void steer_on_check(struct vipd *d, const struct check *c)
{
	char what[EVLOG_SUBJECT_MAX];

	snprintf(what, sizeof(what), "%s %s", c->kind == CHECK_SCRIPT ? "vrrp_script" : "track_gateway",
		 c->name);
	steer_on_tracker(d, what, c->state.up, c->last_error);
}

static uint64_t adver_us(const struct vipd_instance *in);

void steer_on_advert(struct vipd_instance *in, const struct ipaddr *src, uint8_t priority,
		     const char *path)
{
	struct steer_peer *slot = NULL, *oldest = &in->steer.peers[0];
	char a[IPADDR_STRLEN];

	for (size_t i = 0; i < STEER_PEERS && !slot; i++) {
		struct steer_peer *p = &in->steer.peers[i];

		if (p->at_us && ipaddr_equal(&p->addr, src))
			slot = p;
		else if (p->at_us < oldest->at_us)
			oldest = p;
	}
	if (!slot || loop_now_us() - slot->at_us > 4 * adver_us(in) || !slot->priority) {
		if (!slot)
			slot = oldest;
		slot->since_us = loop_now_us(); /* a new run of adverts */
	}
	slot->addr = *src;
	slot->priority = priority;
	slot->at_us = loop_now_us();
	snprintf(slot->path, sizeof(slot->path), "%s", path ? path : "");
	if (in->steer.swo == STEER_SWO_RESIGNING && priority != VRRP_PRIO_RESIGN &&
	    in->vrrp.state == VRRP_STATE_BACKUP)
		swo_finish(in, STEER_SWO_DONE, "%s took over (priority %u)",
			   ipaddr_str(src, a, sizeof(a)), priority);
}

void steer_before_advert(struct vipd_instance *in, const struct ipaddr *src, uint8_t priority)
{
	char a[IPADDR_STRLEN];

	if (!in->steer.boosted || priority != STEER_BOOST_PRIORITY ||
	    ipaddr_equal(src, &in->vrrp.primary))
		return;
	in->steer.boosted = false;
	log_notice("%s: %s took the addresses over by switchover; priority back to the tracked one",
		   in->cfg->name, ipaddr_str(src, a, sizeof(a)));
	inst_refresh(in); /* as master: our lower advert goes out before we yield */
}

/* --------------------------------------------------------- switchover */

static uint64_t adver_us(const struct vipd_instance *in)
{
	return in->cfg->advert_int_cs * USEC_PER_CS;
}

static void swo_timeout(struct loop *l, struct loop_timer *t, void *arg)
{
	struct vipd_instance *in = arg;
	struct vrrp_event ev = { .kind = VRRP_EV_TAKEOVER,
				 .cause = "switchover: nobody took over, taking back" };

	(void)l;
	(void)t;
	if (in->steer.swo == STEER_SWO_TAKING) {
		swo_finish(in, STEER_SWO_DONE, "this node is master at priority %u",
			   in->vrrp.priority);
		return;
	}
	if (in->steer.swo != STEER_SWO_RESIGNING)
		return;
	/* Stay master, as asked: no router answered the resignation in time. */
	in->steer.swo = STEER_SWO_NONE;
	in->vrrp.no_preempt = false;
	if (in->vrrp.state == VRRP_STATE_BACKUP && ipaddr_is_unset(&in->vrrp.master))
		inst_event(in, &ev);
	swo_finish(in, STEER_SWO_FAILED, "nobody took over within %.2f s; this node stays %s",
		   (double)(2 * adver_us(in) + SWO_MARGIN_US) / 1e6,
		   vrrp_state_name(in->vrrp.state));
}

static char *switchover_start(struct vipd_instance *in)
{
	struct vrrp_event ev = { .cause = "switchover requested" };
	const char *name = in->cfg->name;
	uint64_t now = loop_now_us();

	if (steer_in_maintenance(in->d, name))
		return answer("error %s is in maintenance: vipctl maintenance off %s first\n", name,
			      name);
	if (in->cfg->priority == VRRP_PRIO_OWNER)
		return answer("error %s owns its addresses (priority 255): no other router may take them\n",
			      name);
	if (in->steer.swo == STEER_SWO_RESIGNING || in->steer.swo == STEER_SWO_TAKING)
		return answer("error %s: a switchover is already under way\n", name);
	if (in->vrrp.state == VRRP_STATE_MASTER) {
		in->steer.boosted = false;
		in->vrrp.no_preempt = true;
		in->steer.swo = STEER_SWO_RESIGNING;
		ev.kind = VRRP_EV_RESIGN;
		inst_event(in, &ev);
		inst_refresh(in); /* without a boost it held */
		loop_timer_arm(in->d->loop, &in->steer.swo_timer,
			       now + 2 * adver_us(in) + SWO_MARGIN_US);
		snprintf(in->steer.swo_detail, sizeof(in->steer.swo_detail),
			 "resigned; waiting for a backup to take over");
	} else if (in->vrrp.state == VRRP_STATE_BACKUP) {
		in->vrrp.no_preempt = false;
		in->steer.boosted = true;
		in->steer.swo = STEER_SWO_TAKING;
		inst_refresh(in); /* priority 254 before the first advert */
		ev.kind = VRRP_EV_TAKEOVER;
		inst_event(in, &ev);
		loop_timer_arm(in->d->loop, &in->steer.swo_timer,
			       now + 3 * adver_us(in) + SWO_MARGIN_US);
		snprintf(in->steer.swo_detail, sizeof(in->steer.swo_detail),
			 "took over at priority %u; waiting for the old master to step down",
			 in->vrrp.priority);
	} else {
		return answer("error %s is %s: there is nothing to switch over\n", name,
			      vrrp_state_name(in->vrrp.state));
	}
	event(in->d, EVLOG_SWITCHOVER, name, "", "requested", in->steer.swo_detail);
	return answer("ok %s: %s\n", name, in->steer.swo_detail);
}

const char *steer_switchover_name(enum steer_switchover s)
{
	switch (s) {
	case STEER_SWO_NONE:
		return "none";
	case STEER_SWO_RESIGNING:
	case STEER_SWO_TAKING:
		return "pending";
	case STEER_SWO_DONE:
		return "done";
	case STEER_SWO_FAILED:
		return "failed";
	}
	return "none";
}

/* ------------------------------------------------------- maintenance */

static int maintenance_set(struct vipd_instance *in, bool on)
{
	struct vipd *d = in->d;
	struct vrrp_event ev = { .kind = VRRP_EV_RESIGN, .cause = "maintenance on" };
	bool was = in->vrrp.hold_backup;

	in->vrrp.hold_backup = on;
	if (was == on)
		return 0;
	if (on) {
		loop_timer_cancel(d->loop, &in->steer.swo_timer);
		in->steer.swo = STEER_SWO_NONE;
		in->steer.boosted = false;
		if (in->vrrp.state == VRRP_STATE_MASTER)
			inst_event(in, &ev);
		inst_refresh(in);
	}
	log_notice("%s: maintenance %s%s", in->cfg->name, on ? "on" : "off",
		   on ? ": it will not become master" : "");
	event(d, EVLOG_MAINTENANCE, in->cfg->name, was ? "on" : "off", on ? "on" : "off", "");
	return 0;
}

static char *maintenance(struct vipd *d, bool on, const char *name)
{
	struct steer *s = d->steer;
	struct maint_set saved = { 0 };
	size_t done = 0;
	int err = 0;

	if (name && !cfg_find_instance(d->cfg, name))
		return answer("error no instance named '%s'\n", name);
	/* Keep the file in step first: what is not saved would not survive a restart. */
	for (size_t i = 0; i < s->maint.n; i++)
		maint_set(&saved, s->maint.names[i], true);
	for (size_t i = 0; i < d->ninsts && !err; i++)
		if (!name || strcmp(d->insts[i].cfg->name, name) == 0)
			err = maint_set(&s->maint, d->insts[i].cfg->name, on);
	if (!err)
		err = maint_save(s->maint_path, &s->maint);
	if (err < 0) {
		maint_clear(&s->maint);
		for (size_t i = 0; i < saved.n; i++)
			maint_set(&s->maint, saved.names[i], true);
		maint_free(&saved);
		return answer("error cannot write %s: %s\n", s->maint_path, strerror(-err));
	}
	maint_free(&saved);
	for (size_t i = 0; i < d->ninsts; i++) {
		if (name && strcmp(d->insts[i].cfg->name, name) != 0)
			continue;
		maintenance_set(&d->insts[i], on);
		done++;
	}
	return answer("ok maintenance %s for %s (%zu instance%s, kept in %s)\n", on ? "on" : "off",
		      name ? name : "every instance", done, done == 1 ? "" : "s", s->maint_path);
}

/* ------------------------------------------------------------ explain */

static const struct check *find_check(const struct vipd *d, enum check_kind kind,
				      const char *name)
{
	for (size_t i = 0; i < d->nchecks; i++)
		if (d->checks[i].kind == kind && d->checks[i].loop &&
		    strcmp(d->checks[i].name, name) == 0)
			return &d->checks[i];
	return NULL;
}

static void add_tracker(struct explain_tracker *t, size_t *n, const char *kind, const char *name,
			bool up, int weight, bool reverse, const char *detail, bool in_group)
{
	if (*n >= EXPLAIN_TRACKERS_MAX)
		return;
	if (in_group)
		weight = 0; /* as the glue: a sync group member's tracking only faults */
	t[*n] = (struct explain_tracker){
		.kind = kind,
		.name = name,
		.up = up,
		.weight = weight,
		.reverse = reverse,
		.delta = track_delta(weight, reverse, up),
		.delta_flipped = track_delta(weight, reverse, !up),
		.detail = detail,
	};
	(*n)++;
}

/* A track_file: its value times the weight (or a fault); it has no single flip. */
static void explain_file(const struct vipd *d, const struct cfg_track_ref *r,
			 struct explain_tracker *t, size_t *n, bool in_group)
{
	static char values[EXPLAIN_TRACKERS_MAX][32];
	const struct cfg_track_file *tf = &d->cfg->tfiles[r->def];
	long value = tracked_file_value(d, r->def);
	int weight = syncgroup_track_weight(in_group, r->weight_set ? r->weight : tf->weight);
	bool reverse = r->weight_set ? r->reverse : tf->reverse;
	bool fault;
	int dw;

	if (*n >= EXPLAIN_TRACKERS_MAX)
		return;
	trackfile_effect(value, weight, reverse, &dw, &fault);
	snprintf(values[*n], sizeof(values[*n]), "reads %ld", value);
	t[*n] = (struct explain_tracker){
		.kind = "track_file",
		.name = tf->name,
		.up = !fault,
		.weight = weight,
		.reverse = reverse,
		.delta = dw,
		.delta_flipped = dw,
		.detail = values[*n],
	};
	(*n)++;
}

static size_t explain_trackers(const struct vipd_instance *in, struct explain_tracker *t)
{
	const struct cfg_instance *c = in->cfg;
	const struct vipd *d = in->d;
	bool grp = in->group != NULL;
	size_t n = 0;

	for (size_t i = 0; i < c->ntrack_scripts; i++) {
		const struct cfg_track_script *ts = &c->track_scripts[i];
		const struct check *chk = find_check(d, CHECK_SCRIPT, ts->name);

		if (chk)
			add_tracker(t, &n, "vrrp_script", ts->name, chk->state.up,
				    ts->weight_set ? ts->weight : ts->script->weight,
				    ts->script->weight_reverse, chk->last_error, grp);
	}
	for (size_t i = 0; i < c->ntrack_gateways; i++) {
		const struct check *chk = find_check(d, CHECK_GATEWAY, c->track_gateways[i]);

		if (chk)
			add_tracker(t, &n, "track_gateway", chk->name, chk->state.up,
				    chk->gateway->weight, false, chk->last_error, grp);
	}
	for (size_t i = 0; i < c->ntrack_processes; i++) {
		const struct cfg_track_ref *r = &c->track_processes[i];
		const struct cfg_track_process *tp = &d->cfg->processes[r->def];
		bool up = tracked_process_up(d, r->def);

		add_tracker(t, &n, "vrrp_track_process", tp->name, up,
			    r->weight_set ? r->weight : tp->weight,
			    r->weight_set ? r->reverse : tp->reverse,
			    up ? NULL : "too few or too many processes", grp);
	}
	for (size_t i = 0; i < c->ntrack_files; i++)
		explain_file(d, &c->track_files[i], t, &n, grp);
	for (size_t i = 0; i < c->ntrack_ifs; i++) {
		const struct vipd_iface *ifc = NULL;

		for (size_t k = 0; k < d->nifaces; k++)
			if (strcmp(d->ifaces[k].name, c->track_ifs[i].name) == 0)
				ifc = &d->ifaces[k];
		add_tracker(t, &n, "interface", c->track_ifs[i].name,
			    ifc && ifc->ifindex > 0 && ifc->up && ifc->running, c->track_ifs[i].weight,
			    false, ifc && ifc->ifindex > 0 ? "no carrier or down" : "does not exist",
			    grp);
	}
	return n;
}

static size_t explain_faults(const struct vipd_instance *in, const char **f, char (*buf)[160])
{
	size_t n = 0;

	if (in->vrrp.state != VRRP_STATE_FAULT && !in->faults)
		return 0;
	if (in->fault.reason != FAULT_REASON_NONE)
		fault_raised(&in->fault, buf[n], sizeof(buf[n]));
	else
		snprintf(buf[n], sizeof(buf[n]), "fault bits 0x%x", in->faults);
	f[n] = buf[n];
	n++;
	if ((in->faults & FAULT_TRACK) && in->fault.reason != FAULT_REASON_TRACK) {
		snprintf(buf[n], sizeof(buf[n]), "%s is down", in->track_down);
		f[n] = buf[n];
		n++;
	}
	if ((in->faults & FAULT_SYNC) && in->fault.reason != FAULT_REASON_SYNC) {
		snprintf(buf[n], sizeof(buf[n]), "sync group %s has a member in FAULT",
			 in->cfg->sync_group);
		f[n] = buf[n];
		n++;
	}
	return n;
}

static char *explain(struct vipd *d, const char *name)
{
	struct explain_tracker *t = calloc(EXPLAIN_TRACKERS_MAX, sizeof(*t));
	struct explain_peer peers[STEER_PEERS];
	const char *faults[3];
	char fbuf[3][160];
	struct vipd_instance *in = NULL;
	struct explain_input x;
	uint64_t now = loop_now_us();
	size_t np = 0;
	char *out;

	for (size_t i = 0; i < d->ninsts && !in; i++)
		if (strcmp(d->insts[i].cfg->name, name) == 0)
			in = &d->insts[i];
	if (!in || !t) {
		free(t);
		return in ? answer("error out of memory\n")
			  : answer("error no instance named '%s'\n", name);
	}
	for (size_t i = 0; i < STEER_PEERS; i++) {
		const struct steer_peer *p = &in->steer.peers[i];

		if (!p->at_us)
			continue;
		peers[np++] = (struct explain_peer){ .addr = p->addr, .priority = p->priority,
						     .age_us = now - p->at_us,
						     .run_us = p->at_us - p->since_us,
						     .path = p->path };
	}
	x = (struct explain_input){
		.name = in->cfg->name,
		.state = in->vrrp.state,
		.since_wall_s = in->stats.last_transition_wall,
		.reason = in->stats.last_reason,
		.base_priority = in->cfg->priority,
		.effective_priority = in->vrrp.priority,
		.trackers = t,
		.ntrackers = explain_trackers(in, t),
		.faults = faults,
		.nfaults = explain_faults(in, faults, fbuf),
		.preempt = in->cfg->preempt,
		.preempt_delay_us = in->cfg->preempt_delay_us,
		.no_preempt = in->vrrp.no_preempt,
		.boosted = in->steer.boosted && in->vrrp.priority == STEER_BOOST_PRIORITY,
		.maintenance = in->vrrp.hold_backup,
		.group = in->group ? in->cfg->sync_group : NULL,
		.self = in->vrrp.primary,
		.master = in->vrrp.master,
		.master_priority = in->vrrp.master_priority,
		.adver_int_cs = in->vrrp.master_adver_int_cs,
		.version = in->vrrp.p.version,
		.peers = peers,
		.npeers = np,
	};
	out = malloc(EXPLAIN_MAX);
	if (out)
		explain_render(&x, out, EXPLAIN_MAX);
	free(t);
	return out;
}

/* ----------------------------------------------------------- commands */

/* The instance a command names, or the only one; NULL with *err set otherwise. */
static struct vipd_instance *pick(struct vipd *d, const char *name, char **err)
{
	if (!name && d->ninsts == 1)
		return &d->insts[0];
	for (size_t i = 0; name && i < d->ninsts; i++)
		if (strcmp(d->insts[i].cfg->name, name) == 0)
			return &d->insts[i];
	if (name)
		*err = answer("error no instance named '%s'\n", name);
	else
		*err = answer("error there are %zu instances: name one\n", d->ninsts);
	return NULL;
}

static char *switchover_status(struct vipd *d, const char *name)
{
	char *err = NULL;
	struct vipd_instance *in = pick(d, name, &err);

	if (!in)
		return err;
	return answer("%s: %s\n", steer_switchover_name(in->steer.swo),
		      in->steer.swo_detail[0] ? in->steer.swo_detail : "no switchover");
}

char *steer_command(struct vipd *d, const char *cmd, int fd, bool *taken)
{
	char verb[32] = "", arg1[80] = "", arg2[80] = "";
	int n = sscanf(cmd, "%31s %79s %79s", verb, arg1, arg2);
	char *err = NULL;
	struct vipd_instance *in;

	*taken = false;
	if (n < 1 || !d->steer)
		return NULL;
	if (strcmp(verb, "events") == 0 || strcmp(verb, "events-json") == 0) {
		int rc = evstream_subscribe(d->steer->stream, fd, strcmp(verb, "events-json") == 0);

		if (rc < 0)
			return answer("error cannot follow events: %s\n",
				      rc == -EBUSY ? "too many readers already" : strerror(-rc));
		*taken = true;
		return answer("%s", "");
	}
	if (strcmp(verb, "maintenance") == 0) {
		if (n < 2 || (strcmp(arg1, "on") != 0 && strcmp(arg1, "off") != 0))
			return answer("error usage: maintenance on|off [INSTANCE]\n");
		return maintenance(d, strcmp(arg1, "on") == 0, n == 3 ? arg2 : NULL);
	}
	if (strcmp(verb, "switchover") == 0) {
		in = pick(d, n >= 2 ? arg1 : NULL, &err);
		return in ? switchover_start(in) : err;
	}
	if (strcmp(verb, "switchover-status") == 0)
		return switchover_status(d, n >= 2 ? arg1 : NULL);
	if (strcmp(verb, "explain") == 0) {
		if (n < 2)
			return answer("error usage: explain INSTANCE\n");
		return explain(d, arg1);
	}
	return NULL;
}

unsigned steer_event_subscribers(const struct vipd *d)
{
	return d->steer ? evstream_subscribers(d->steer->stream) : 0;
}

uint64_t steer_events_lost(const struct vipd *d)
{
	return d->steer ? evstream_lost_total(d->steer->stream) : 0;
}
