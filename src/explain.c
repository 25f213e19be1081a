/*
 * explain.c - an instance's state, priority and prospects in words.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "explain.h"

#define PRIO_MIN 1
#define PRIO_MAX_TRACKED 254

struct out {
	char *buf;
	size_t size;
	size_t len;
};

__attribute__((format(printf, 2, 3))) static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(o->len < o->size ? o->buf + o->len : NULL,
		      o->len < o->size ? o->size - o->len : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n;
}

static int clamp_prio(int p)
{
	return p < PRIO_MIN ? PRIO_MIN : p > PRIO_MAX_TRACKED ? PRIO_MAX_TRACKED : p;
}

/* The best other router heard, or NULL. */
static const struct explain_peer *best_peer(const struct explain_input *in)
{
	const struct explain_peer *best = NULL;

	for (size_t i = 0; i < in->npeers; i++) {
		const struct explain_peer *p = &in->peers[i];

		if (ipaddr_equal(&p->addr, &in->self) || p->priority == VRRP_PRIO_RESIGN)
			continue;
		if (!best || p->priority > best->priority ||
		    (p->priority == best->priority && ipaddr_cmp(&p->addr, &best->addr) > 0))
			best = p;
	}
	return best;
}

static void put_header(struct out *o, const struct explain_input *in)
{
	char when[32] = "";

	if (in->since_wall_s) {
		time_t t = (time_t)in->since_wall_s;
		struct tm tm;

		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", localtime_r(&t, &tm));
	}
	put(o, "%s: %s", in->name, vrrp_state_name(in->state));
	if (when[0])
		put(o, " since %s", when);
	if (in->reason && in->reason[0])
		put(o, " (%s)", in->reason);
	put(o, "\n");
	if (in->maintenance)
		put(o, "maintenance: on (vipctl maintenance off %s ends it)\n", in->name);
	if (in->group)
		put(o, "sync group: %s (tracking can only fault it, never move its priority)\n",
		    in->group);
}

static void put_priority(struct out *o, const struct explain_input *in)
{
	put(o, "priority: configured %u, effective %u", in->base_priority,
	    in->effective_priority);
	if (in->base_priority == VRRP_PRIO_OWNER)
		put(o, " (address owner: tracking never changes it)");
	else if (in->boosted)
		put(o, " (held at 254 by a switchover to this node)");
	put(o, "\n");
	for (size_t i = 0; i < in->ntrackers; i++) {
		const struct explain_tracker *t = &in->trackers[i];
		char w[32];

		snprintf(w, sizeof(w), "weight %d%s", t->weight, t->reverse ? " reverse" : "");
		put(o, "  %s %s: %s, %s: ", t->kind, t->name, t->up ? "up" : "down", w);
		if (t->weight == 0)
			put(o, "%s", t->up ? "no effect while up" : "puts the instance in FAULT");
		else
			put(o, "%+d", t->delta);
		if (!t->up && t->detail && t->detail[0])
			put(o, " (%s)", t->detail);
		put(o, "\n");
	}
	if (!in->ntrackers)
		put(o, "  nothing tracked\n");
}

static void put_faults(struct out *o, const struct explain_input *in)
{
	if (!in->nfaults) {
		put(o, "faults: none\n");
		return;
	}
	put(o, "faults:\n");
	for (size_t i = 0; i < in->nfaults; i++)
		put(o, "  %s\n", in->faults[i]);
}

static void put_rules(struct out *o, const struct explain_input *in)
{
	put(o, "preempt: %s", in->preempt ? "on" : "off (nopreempt)");
	if (in->preempt && in->preempt_delay_us)
		put(o, ", after a delay of %.2f s", in->preempt_delay_us / (double)USEC_PER_SEC);
	if (in->no_preempt)
		put(o, "; held off by a switchover away from this node until the next switchover, restart or reload");
	put(o, "\n");
}

/* "master: 192.0.2.12, priority 100, advertising for 12.30 s" when its adverts were heard. */
static void put_remote_master(struct out *o, const struct explain_input *in)
{
	char a[IPADDR_STRLEN];

	put(o, "master: %s, priority %u", ipaddr_str(&in->master, a, sizeof(a)),
	    in->master_priority);
	for (size_t i = 0; i < in->npeers; i++)
		if (ipaddr_equal(&in->peers[i].addr, &in->master) && in->peers[i].run_us)
			put(o, ", advertising for %.2f s",
			    (in->peers[i].run_us + in->peers[i].age_us) / (double)USEC_PER_SEC);
	put(o, "\n");
}

static void put_master(struct out *o, const struct explain_input *in)
{
	char a[IPADDR_STRLEN];

	if (in->state == VRRP_STATE_MASTER)
		put(o, "master: this node (%s), priority %u\n", ipaddr_str(&in->self, a, sizeof(a)),
		    in->effective_priority);
	else if (!ipaddr_is_unset(&in->master))
		put_remote_master(o, in);
	else
		put(o, "master: none known\n");
	if (!in->npeers) {
		put(o, "adverts heard: none\n");
		return;
	}
	put(o, "last advert heard:\n");
	for (size_t i = 0; i < in->npeers; i++) {
		const struct explain_peer *p = &in->peers[i];

		put(o, "  from %s, priority %u, %.2f s ago%s%s\n", ipaddr_str(&p->addr, a, sizeof(a)),
		    p->priority, p->age_us / (double)USEC_PER_SEC, p->path ? ", " : "",
		    p->path ? p->path : "");
	}
}

/* Would a tracker's flip hand the VIPs over (MASTER) or win them (BACKUP)? */
static void put_tracker_prospects(struct out *o, const struct explain_input *in,
				  const struct explain_peer *rival, int rival_prio)
{
	char a[IPADDR_STRLEN];

	if (in->base_priority == VRRP_PRIO_OWNER || in->group)
		return;
	for (size_t i = 0; i < in->ntrackers; i++) {
		const struct explain_tracker *t = &in->trackers[i];
		int now = in->effective_priority;
		int then = clamp_prio(now - t->delta + t->delta_flipped);
		const char *flip = t->up ? "went down" : "came up";

		if (t->weight == 0) {
			if (t->up && in->state == VRRP_STATE_MASTER)
				put(o, "  - if %s %s went down, this node would go to FAULT and hand over\n",
				    t->kind, t->name);
			continue;
		}
		if (then == now || rival_prio < 0)
			continue;
		if (in->state == VRRP_STATE_MASTER && then < rival_prio)
			put(o, "  - if %s %s %s, the priority would be %d, below %s's %d: it would take over%s\n",
			    t->kind, t->name, flip, then,
			    rival ? ipaddr_str(&rival->addr, a, sizeof(a)) : "the master", rival_prio,
			    " (if it may preempt)");
		else if (in->state == VRRP_STATE_BACKUP && then > rival_prio)
			put(o, "  - if %s %s %s, the priority would be %d, above the master's %d%s\n",
			    t->kind, t->name, flip, then, rival_prio,
			    in->preempt && !in->no_preempt && !in->maintenance
				    ? ": this node would preempt"
				    : ", but this node does not preempt now");
	}
}

static void put_prospects_master(struct out *o, const struct explain_input *in)
{
	const struct explain_peer *best = best_peer(in);
	char a[IPADDR_STRLEN];
	int prio = in->effective_priority;

	if (in->base_priority == VRRP_PRIO_OWNER) {
		put(o, "  - this node owns the addresses (priority 255): nothing takes them over while it advertises\n");
	} else if (best) {
		bool wins_tie = ipaddr_cmp(&best->addr, &in->self) > 0;

		put(o, "  - node %s would become master if its priority %s %d (it is %u)\n",
		    ipaddr_str(&best->addr, a, sizeof(a)), wins_tie ? "reached" : "exceeded", prio,
		    best->priority);
	} else {
		put(o, "  - a backup would become master if its priority exceeded %d\n", prio);
	}
	put(o, "  - the backups take over if this node stops advertising (crash, link down) or goes to FAULT\n");
	put_tracker_prospects(o, in, best, best ? best->priority : -1);
	put(o, "  - vipctl switchover %s hands the addresses to the best backup\n", in->name);
}

static void put_prospects_backup(struct out *o, const struct explain_input *in)
{
	char a[IPADDR_STRLEN];
	uint64_t down_us = vrrp_master_down_us(in->version, in->effective_priority, in->adver_int_cs);

	if (in->maintenance) {
		put(o, "  - in maintenance this node never becomes master: vipctl maintenance off %s\n",
		    in->name);
		return;
	}
	if (ipaddr_is_unset(&in->master)) {
		put(o, "  - no master heard: this node becomes master %.2f s after it last heard one (Master_Down_Interval)\n",
		    down_us / (double)USEC_PER_SEC);
		put_tracker_prospects(o, in, NULL, -1);
		return;
	}
	ipaddr_str(&in->master, a, sizeof(a));
	if (in->preempt && !in->no_preempt) {
		bool wins_tie = ipaddr_cmp(&in->self, &in->master) > 0;

		put(o, "  - this node would become master if its priority %s %u (it is %u)\n",
		    wins_tie ? "reached" : "exceeded", in->master_priority,
		    in->effective_priority);
	} else {
		put(o, "  - this node does not preempt: it takes over only when %s stops advertising or resigns\n",
		    a);
	}
	put(o, "  - it takes over if %s is silent for %.2f s (Master_Down_Interval) or resigns (priority 0)\n",
	    a, down_us / (double)USEC_PER_SEC);
	put_tracker_prospects(o, in, NULL, in->master_priority);
	put(o, "  - vipctl switchover %s takes the addresses over now\n", in->name);
}

size_t explain_render(const struct explain_input *in, char *buf, size_t size)
{
	struct out o = { .buf = buf, .size = size };

	if (size)
		buf[0] = '\0';
	put_header(&o, in);
	put_priority(&o, in);
	put_faults(&o, in);
	put_rules(&o, in);
	put_master(&o, in);
	put(&o, "what would change it:\n");
	switch (in->state) {
	case VRRP_STATE_MASTER:
		put_prospects_master(&o, in);
		break;
	case VRRP_STATE_BACKUP:
		put_prospects_backup(&o, in);
		break;
	case VRRP_STATE_FAULT:
		put(&o, "  - it leaves FAULT when every fault above is cleared, then starts as BACKUP\n");
		break;
	case VRRP_STATE_INIT:
		put(&o, "  - it has not started (or is stopping)\n");
		break;
	}
	return o.len;
}
