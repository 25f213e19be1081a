/*
 * vrrp.c - the per-instance VRRP state machine (RFC 5798 section 6, RFC 3768
 * for version 2) with keepalived's FAULT state and preempt_delay.
 *
 * Every entry point takes the current time from the caller and reports what
 * to do in struct vrrp_actions; nothing here touches the network, a clock or
 * a log, so each transition can be tested to the microsecond.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "vrrp.h"

#define SKEW_DIVISOR 256

const char *vrrp_state_name(enum vrrp_state s)
{
	switch (s) {
	case VRRP_STATE_INIT:
		return "INIT";
	case VRRP_STATE_BACKUP:
		return "BACKUP";
	case VRRP_STATE_MASTER:
		return "MASTER";
	case VRRP_STATE_FAULT:
		return "FAULT";
	}
	return "UNKNOWN";
}

/*
 * Skew_Time. RFC 5798 6.1 (v3) scales it by the interval:
 * ((256 - Priority) * Master_Adver_Interval) / 256. RFC 3768 6.1 (v2) does
 * not: (256 - Priority) / 256 of a second, whatever advert_int is. They
 * agree only at 1 s. Scaling to microseconds before dividing keeps the
 * fraction of a centisecond (priority 100 at 1 s gives 609375 us, not
 * 600000).
 */
uint64_t vrrp_skew_us(uint8_t version, uint8_t priority, uint16_t adver_int_cs)
{
	uint64_t scale_us = version == 2 ? USEC_PER_SEC : adver_int_cs * USEC_PER_CS;

	return ((SKEW_DIVISOR - priority) * scale_us) / SKEW_DIVISOR;
}

/*
 * Master_Down_Interval = 3 * Master_Adver_Interval + Skew_Time (RFC 5798
 * 6.1; RFC 3768 6.1 with its own Advertisement_Interval and Skew_Time).
 */
uint64_t vrrp_master_down_us(uint8_t version, uint8_t priority, uint16_t adver_int_cs)
{
	return 3 * adver_int_cs * USEC_PER_CS + vrrp_skew_us(version, priority, adver_int_cs);
}

void vrrp_init(struct vrrp_instance *vi, const struct vrrp_params *p,
	       const struct ipaddr *primary)
{
	memset(vi, 0, sizeof(*vi));
	vi->p = *p;
	if (primary)
		vi->primary = *primary;
	else
		vi->primary.family = AF_UNSPEC;
	vi->master.family = AF_UNSPEC;
	vi->state = VRRP_STATE_INIT;
	vi->priority = p->priority;
	vi->master_adver_int_cs = p->adver_int_cs;
}

uint64_t vrrp_next_deadline(const struct vrrp_instance *vi)
{
	uint64_t down = vi->down_deadline_us;
	uint64_t adver = vi->adver_deadline_us;

	if (!down)
		return adver;
	if (!adver)
		return down;
	return down < adver ? down : adver;
}

static bool vrrp_is_owner(const struct vrrp_instance *vi)
{
	return vi->p.priority == VRRP_PRIO_OWNER;
}

static uint64_t vrrp_adver_interval_us(const struct vrrp_instance *vi)
{
	return vi->p.adver_int_cs * USEC_PER_CS;
}

/*
 * When the advert after one sent (or due) at base_us is due: one interval
 * later, rounded down to the alignment grid if there is one. Rounding down
 * keeps every gap at or below the interval the backups time us by.
 */
static uint64_t vrrp_adver_due(const struct vrrp_instance *vi, uint64_t base_us)
{
	uint64_t interval_us = vrrp_adver_interval_us(vi);
	uint64_t grid_us = vi->p.adver_align_us;
	uint64_t due_us = base_us + interval_us;

	if (grid_us && interval_us >= grid_us * VRRP_ADVER_ALIGN_MIN_STEPS)
		due_us -= due_us % grid_us;
	return due_us;
}

static void vrrp_clear_master(struct vrrp_instance *vi)
{
	memset(&vi->master, 0, sizeof(vi->master));
	vi->master.family = AF_UNSPEC;
	vi->master_priority = 0;
}

/* Record a state change; the reason is what notify scripts and logs show. */
static void vrrp_set_state(struct vrrp_instance *vi, enum vrrp_state to,
			   struct vrrp_actions *out, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void vrrp_set_state(struct vrrp_instance *vi, enum vrrp_state to,
			   struct vrrp_actions *out, const char *fmt, ...)
{
	va_list ap;

	out->flags |= VRRP_ACT_STATE;
	out->from = vi->state;
	out->to = to;
	vi->state = to;
	va_start(ap, fmt);
	vsnprintf(out->reason, sizeof(out->reason), fmt, ap);
	va_end(ap);
}

/* "3.61": microseconds as seconds, rounded to two decimals, without floats. */
static const char *vrrp_secs_str(uint64_t us, char *buf, size_t size)
{
	uint64_t cs = (us + USEC_PER_CS / 2) / USEC_PER_CS;

	snprintf(buf, size, "%llu.%02llu", (unsigned long long)(cs / 100),
		 (unsigned long long)(cs % 100));
	return buf;
}

/* RFC 5798 6.4.1 / 6.4.2: become MASTER. The reason is already formatted. */
static void vrrp_become_master(struct vrrp_instance *vi, uint64_t now_us,
			       struct vrrp_actions *out, const char *reason)
{
	out->flags |= VRRP_ACT_SEND_ADVERT | VRRP_ACT_ADD_VIPS | VRRP_ACT_ANNOUNCE;
	vi->down_deadline_us = 0;
	vi->adver_deadline_us = vrrp_adver_due(vi, now_us);
	vi->master_since_us = now_us;
	vi->master = vi->primary;
	vi->master_priority = vi->priority;
	vrrp_set_state(vi, VRRP_STATE_MASTER, out, "%s", reason);
}

/* Arm the Master_Down_Timer from the Master_Adver_Interval we know. */
static void vrrp_arm_down(struct vrrp_instance *vi, uint64_t now_us)
{
	vi->down_deadline_us =
		now_us + vrrp_master_down_us(vi->p.version, vi->priority, vi->master_adver_int_cs);
}

/*
 * Enter BACKUP knowing no master: at start-up (RFC 5798 6.4.1) and when a
 * fault clears. preempt_delay starts counting here.
 */
static void vrrp_enter_fresh_backup(struct vrrp_instance *vi, uint64_t now_us,
				    enum vrrp_down_cause cause)
{
	vi->master_adver_int_cs = vi->p.adver_int_cs;
	vi->adver_deadline_us = 0;
	vrrp_arm_down(vi, now_us);
	vi->preempt_hold_us = now_us + vi->p.preempt_delay_us;
	vi->backup_since_us = now_us;
	vi->last_master_advert_us = 0;
	vi->down_cause = cause;
	vrrp_clear_master(vi);
}

static void vrrp_on_start(struct vrrp_instance *vi, uint64_t now_us, struct vrrp_actions *out)
{
	if (vi->state != VRRP_STATE_INIT)
		return;
	if (vrrp_is_owner(vi) && !vi->hold_backup) {
		vrrp_become_master(vi, now_us, out, "address owner (priority 255)");
		return;
	}
	vrrp_enter_fresh_backup(vi, now_us, VRRP_DOWN_STARTUP);
	vrrp_set_state(vi, VRRP_STATE_BACKUP, out, "start-up");
}

/* Why the Master_Down_Timer fired, in words. */
static void vrrp_takeover_reason(const struct vrrp_instance *vi, uint64_t now_us, char *buf,
				 size_t size)
{
	char addr[IPADDR_STRLEN], secs[32];

	ipaddr_str(&vi->master, addr, sizeof(addr));
	switch (vi->down_cause) {
	case VRRP_DOWN_STARTUP:
	case VRRP_DOWN_FAULT_CLEARED:
	case VRRP_DOWN_SELF_RESIGNED:
		snprintf(buf, size, "no advert received for %s s since %s",
			 vrrp_secs_str(now_us - vi->backup_since_us, secs, sizeof(secs)),
			 vi->down_cause == VRRP_DOWN_STARTUP	     ? "start-up"
			 : vi->down_cause == VRRP_DOWN_FAULT_CLEARED ? "fault cleared"
								     : "we resigned");
		break;
	case VRRP_DOWN_SILENCE:
		snprintf(buf, size, "no advert from %s for %s s", addr,
			 vrrp_secs_str(now_us - vi->last_master_advert_us, secs, sizeof(secs)));
		break;
	case VRRP_DOWN_RESIGNED:
		snprintf(buf, size, "master %s resigned (priority 0)", addr);
		break;
	case VRRP_DOWN_PREEMPT:
		snprintf(buf, size, "preempting lower-priority master %s (priority %u < %u)", addr,
			 vi->master_priority, vi->priority);
		break;
	}
}

static void vrrp_on_timer(struct vrrp_instance *vi, uint64_t now_us, struct vrrp_actions *out)
{
	char reason[VRRP_REASON_MAX];
	uint64_t next_us;

	if (vi->state == VRRP_STATE_BACKUP && vi->down_deadline_us &&
	    now_us >= vi->down_deadline_us) {
		if (vi->hold_backup) {
			/* In maintenance: keep waiting, so that leaving it resumes the race. */
			vrrp_arm_down(vi, now_us);
			return;
		}
		/* RFC 5798 6.4.2: Master_Down_Timer fired. */
		vrrp_takeover_reason(vi, now_us, reason, sizeof(reason));
		vrrp_become_master(vi, now_us, out, reason);
		return;
	}
	if (vi->state != VRRP_STATE_MASTER || !vi->adver_deadline_us ||
	    now_us < vi->adver_deadline_us)
		return;
	/*
	 * RFC 5798 6.4.3: Adver_Timer fired. Step from the deadline, not from
	 * now, so that a late wake-up does not shift every later advert; after
	 * a long stall, restart from now rather than sending a burst.
	 */
	out->flags |= VRRP_ACT_SEND_ADVERT;
	next_us = vrrp_adver_due(vi, vi->adver_deadline_us);
	if (next_us <= now_us)
		next_us = vrrp_adver_due(vi, now_us);
	vi->adver_deadline_us = next_us;
}

/*
 * Name the sender as the master. An advert on a path carries the sender's
 * path address: it keeps the name learned on the main interface when the
 * priority is the one that master had.
 */
static void vrrp_name_master(struct vrrp_instance *vi, const struct vrrp_event *ev)
{
	if (ev->path != VRRP_PATH_MAIN && !ipaddr_is_unset(&vi->master) &&
	    !ipaddr_equal(&vi->master, &vi->primary) && vi->master_priority == ev->adv->priority)
		return;
	vi->master = *ev->src;
	vi->master_priority = ev->adv->priority;
}

/* Accept the sender as our master: learn its interval, re-arm the down timer. */
static void vrrp_accept_master(struct vrrp_instance *vi, const struct vrrp_event *ev,
			       uint64_t now_us)
{
	/* v3 learns Master_Adver_Interval; v2 intervals must match ours. */
	if (vi->p.version == 3)
		vi->master_adver_int_cs = ev->adv->interval_cs;
	vrrp_name_master(vi, ev);
	vi->last_master_advert_us = now_us;
	vi->down_cause = VRRP_DOWN_SILENCE;
	vrrp_arm_down(vi, now_us);
}

/* RFC 5798 6.4.2: an advert while BACKUP. */
static void vrrp_backup_advert(struct vrrp_instance *vi, const struct vrrp_event *ev,
			       uint64_t now_us)
{
	const struct vrrp_advert *adv = ev->adv;

	if (adv->priority == VRRP_PRIO_RESIGN) {
		/* The master leaves: take over after Skew_Time, best first. */
		if (ev->path == VRRP_PATH_MAIN || ipaddr_is_unset(&vi->master))
			vi->master = *ev->src;
		vi->master_priority = adv->priority;
		vi->down_cause = VRRP_DOWN_RESIGNED;
		vi->down_deadline_us =
			now_us + vrrp_skew_us(vi->p.version, vi->priority,
					      vi->master_adver_int_cs);
		return;
	}
	if (!vi->p.preempt || vi->no_preempt || adv->priority >= vi->priority ||
	    now_us < vi->preempt_hold_us) {
		vrrp_accept_master(vi, ev, now_us);
		return;
	}
	/*
	 * A lower-priority master while we may preempt: let the down timer
	 * run out. Remember who it is so that the takeover says so.
	 */
	vrrp_name_master(vi, ev);
	vi->down_cause = VRRP_DOWN_PREEMPT;
}

enum vrrp_verdict { VRRP_WE_WIN, VRRP_THEY_WIN, VRRP_NOT_HERE };

/*
 * RFC 5798 6.4.3: does this advert beat us while we are MASTER? Priority
 * decides on every path; a tie on a path is left to the main interface
 * while it carries adverts (vrrp.h).
 */
static enum vrrp_verdict vrrp_advert_wins(const struct vrrp_instance *vi,
					  const struct vrrp_event *ev, uint64_t now_us)
{
	const struct ipaddr *ours = &vi->primary;

	if (ev->adv->priority != vi->priority)
		return ev->adv->priority > vi->priority ? VRRP_THEY_WIN : VRRP_WE_WIN;
	if (ev->path != VRRP_PATH_MAIN) {
		uint64_t quiet_us =
			vrrp_master_down_us(vi->p.version, vi->priority, vi->master_adver_int_cs);
		uint64_t since_us = vi->main_heard_us > vi->master_since_us ? vi->main_heard_us :
									       vi->master_since_us;

		if (now_us - since_us < quiet_us)
			return VRRP_NOT_HERE;
		if (!ev->local || ipaddr_is_unset(ev->local))
			return VRRP_NOT_HERE;
		ours = ev->local;
	}
	return ipaddr_cmp(ev->src, ours) > 0 ? VRRP_THEY_WIN : VRRP_WE_WIN;
}

/* RFC 5798 6.4.3: an advert while MASTER. */
static void vrrp_master_advert(struct vrrp_instance *vi, const struct vrrp_event *ev,
			       uint64_t now_us, struct vrrp_actions *out)
{
	char addr[IPADDR_STRLEN];
	uint8_t prio = ev->adv->priority;

	if (prio == VRRP_PRIO_RESIGN) {
		/* Another master resigned: make sure backups hear us at once. */
		out->flags |= VRRP_ACT_SEND_ADVERT;
		vi->adver_deadline_us = vrrp_adver_due(vi, now_us);
		return;
	}
	switch (vrrp_advert_wins(vi, ev, now_us)) {
	case VRRP_NOT_HERE:
		return;
	case VRRP_WE_WIN:
		/*
		 * A lesser master (typically after a partition heals): answer
		 * now so it steps down without waiting for our timer, and keep
		 * our own rhythm. Its gratuitous ARPs may have taken the
		 * segment's traffic: take it back.
		 */
		out->flags |= VRRP_ACT_REANNOUNCE;
		if (!vi->p.lower_prio_no_advert)
			out->flags |= VRRP_ACT_SEND_ADVERT;
		return;
	case VRRP_THEY_WIN:
		break;
	}
	out->flags |= VRRP_ACT_DEL_VIPS;
	/* So that the winner, hearing a lesser master, re-announces its VIPs. */
	if (vi->p.higher_prio_send_advert)
		out->flags |= VRRP_ACT_SEND_ADVERT;
	vi->adver_deadline_us = 0;
	ipaddr_str(ev->src, addr, sizeof(addr));
	if (prio > vi->priority)
		vrrp_set_state(vi, VRRP_STATE_BACKUP, out, "higher priority %u advert from %s",
			       prio, addr);
	else
		vrrp_set_state(vi, VRRP_STATE_BACKUP, out,
			       "equal priority %u and greater address %s", prio, addr);
	vi->backup_since_us = now_us;
	vrrp_clear_master(vi);
	vrrp_accept_master(vi, ev, now_us);
}

static void vrrp_on_advert(struct vrrp_instance *vi, const struct vrrp_event *ev,
			   uint64_t now_us, struct vrrp_actions *out)
{
	/* INIT and FAULT take no part in the election. */
	if (vi->state != VRRP_STATE_BACKUP && vi->state != VRRP_STATE_MASTER)
		return;
	if (ev->path == VRRP_PATH_MAIN)
		vi->main_heard_us = now_us;
	if (vi->state == VRRP_STATE_BACKUP)
		vrrp_backup_advert(vi, ev, now_us);
	else if (vi->state == VRRP_STATE_MASTER)
		vrrp_master_advert(vi, ev, now_us, out);
}

/*
 * Tracking changed our effective priority. The owner always stays at 255;
 * others stay within 1..254 so that we never advertise a resignation or
 * claim ownership by accident.
 */
static void vrrp_on_priority(struct vrrp_instance *vi, uint8_t priority,
			     struct vrrp_actions *out)
{
	if (vrrp_is_owner(vi))
		return;
	if (priority == VRRP_PRIO_RESIGN)
		priority = 1;
	else if (priority == VRRP_PRIO_OWNER)
		priority = VRRP_PRIO_OWNER - 1;
	vi->priority = priority;
	/* Backups learn the change from the next advert; send it now. */
	if (vi->state == VRRP_STATE_MASTER)
		out->flags |= VRRP_ACT_SEND_ADVERT;
}

static void vrrp_stop_timers(struct vrrp_instance *vi)
{
	vi->down_deadline_us = 0;
	vi->adver_deadline_us = 0;
}

static void vrrp_on_fault(struct vrrp_instance *vi, const char *cause,
			  struct vrrp_actions *out)
{
	if (vi->state == VRRP_STATE_FAULT)
		return;
	/* Hand over at once instead of making the backups wait. */
	if (vi->state == VRRP_STATE_MASTER)
		out->flags |= VRRP_ACT_SEND_RESIGN | VRRP_ACT_DEL_VIPS;
	vrrp_stop_timers(vi);
	vrrp_clear_master(vi);
	vrrp_set_state(vi, VRRP_STATE_FAULT, out, "fault: %s", cause ? cause : "unknown");
}

static void vrrp_on_fault_clear(struct vrrp_instance *vi, const char *cause, uint64_t now_us,
				struct vrrp_actions *out)
{
	char reason[VRRP_REASON_MAX];

	if (vi->state != VRRP_STATE_FAULT)
		return;
	snprintf(reason, sizeof(reason), "fault cleared: %s", cause ? cause : "unknown");
	if (vrrp_is_owner(vi) && !vi->hold_backup) {
		vrrp_become_master(vi, now_us, out, reason);
		return;
	}
	vrrp_enter_fresh_backup(vi, now_us, VRRP_DOWN_FAULT_CLEARED);
	vrrp_set_state(vi, VRRP_STATE_BACKUP, out, "%s", reason);
}

/* RFC 5798 6.4.2 / 6.4.3: Shutdown event. */
static void vrrp_on_shutdown(struct vrrp_instance *vi, struct vrrp_actions *out)
{
	if (vi->state == VRRP_STATE_INIT)
		return;
	if (vi->state == VRRP_STATE_MASTER)
		out->flags |= VRRP_ACT_SEND_RESIGN | VRRP_ACT_DEL_VIPS;
	vrrp_stop_timers(vi);
	vrrp_clear_master(vi);
	vrrp_set_state(vi, VRRP_STATE_INIT, out, "shutdown");
}

/*
 * An operator hands the virtual router to another router: resign as at
 * shutdown (RFC 5798 6.4.3: priority 0, so the best backup takes over
 * after its Skew_Time) but stay in BACKUP, ready to take over again.
 */
static void vrrp_on_resign(struct vrrp_instance *vi, const char *cause, uint64_t now_us,
			   struct vrrp_actions *out)
{
	if (vi->state != VRRP_STATE_MASTER)
		return;
	out->flags |= VRRP_ACT_SEND_RESIGN | VRRP_ACT_DEL_VIPS;
	vrrp_enter_fresh_backup(vi, now_us, VRRP_DOWN_SELF_RESIGNED);
	vi->preempt_hold_us = 0;
	vrrp_set_state(vi, VRRP_STATE_BACKUP, out, "%s", cause ? cause : "resigned on request");
}

/* An operator takes the virtual router over from this BACKUP now. */
static void vrrp_on_takeover(struct vrrp_instance *vi, const char *cause, uint64_t now_us,
			     struct vrrp_actions *out)
{
	if (vi->state != VRRP_STATE_BACKUP || vi->hold_backup)
		return;
	vrrp_become_master(vi, now_us, out, cause ? cause : "taken over on request");
}

void vrrp_handle(struct vrrp_instance *vi, const struct vrrp_event *ev, uint64_t now_us,
		 struct vrrp_actions *out)
{
	memset(out, 0, sizeof(*out));
	out->from = vi->state;
	out->to = vi->state;

	switch (ev->kind) {
	case VRRP_EV_START:
		vrrp_on_start(vi, now_us, out);
		break;
	case VRRP_EV_TIMER:
		vrrp_on_timer(vi, now_us, out);
		break;
	case VRRP_EV_ADVERT:
		vrrp_on_advert(vi, ev, now_us, out);
		break;
	case VRRP_EV_PRIORITY:
		vrrp_on_priority(vi, ev->priority, out);
		break;
	case VRRP_EV_FAULT:
		vrrp_on_fault(vi, ev->cause, out);
		break;
	case VRRP_EV_FAULT_CLEAR:
		vrrp_on_fault_clear(vi, ev->cause, now_us, out);
		break;
	case VRRP_EV_SHUTDOWN:
		vrrp_on_shutdown(vi, out);
		break;
	case VRRP_EV_RESIGN:
		vrrp_on_resign(vi, ev->cause, now_us, out);
		break;
	case VRRP_EV_TAKEOVER:
		vrrp_on_takeover(vi, ev->cause, now_us, out);
		break;
	}
}

void vrrp_set_interval(struct vrrp_instance *vi, uint16_t adver_int_cs, uint64_t now_us)
{
	uint64_t due_us;

	if (adver_int_cs == vi->p.adver_int_cs)
		return;
	vi->p.adver_int_cs = adver_int_cs;
	if (vi->p.version == 2)
		vi->master_adver_int_cs = adver_int_cs;
	if (vi->state == VRRP_STATE_BACKUP && vi->p.version == 2 && vi->down_deadline_us &&
	    vi->down_cause != VRRP_DOWN_RESIGNED)
		vrrp_arm_down(vi, now_us);
	if (vi->state == VRRP_STATE_MASTER && vi->adver_deadline_us) {
		due_us = vrrp_adver_due(vi, now_us);
		if (due_us < vi->adver_deadline_us)
			vi->adver_deadline_us = due_us;
	}
}

bool vrrp_set_primary(struct vrrp_instance *vi, const struct ipaddr *primary)
{
	if (ipaddr_is_unset(primary) || ipaddr_equal(primary, &vi->primary))
		return false;
	vi->primary = *primary;
	/* As MASTER we are the master we know of. */
	if (vi->state == VRRP_STATE_MASTER)
		vi->master = *primary;
	return true;
}

bool vrrp_path_silent(const struct vrrp_instance *vi, uint64_t heard_us, uint64_t now_us)
{
	uint64_t since_us = heard_us > vi->backup_since_us ? heard_us : vi->backup_since_us;

	if (vi->state != VRRP_STATE_BACKUP)
		return false;
	return now_us - since_us >=
	       vrrp_master_down_us(vi->p.version, vi->priority, vi->master_adver_int_cs);
}

enum pkt_drop vrrp_check_advert(const struct vrrp_instance *vi, const struct vrrp_advert *adv)
{
	if (adv->version != vi->p.version)
		return PKT_DROP_VERSION_MISMATCH;
	if (vi->p.version == 2) {
		if (adv->auth_type != vi->p.auth_type)
			return PKT_DROP_AUTH_MISMATCH;
		/*
		 * RFC 3768 5.3.6 reserves types 1 and 2 and has receivers
		 * ignore the data. Checking a type-1 password is RFC 2338's
		 * simple text authentication, kept for keepalived's
		 * auth_type PASS; the data of type 0 is ignored.
		 */
		if (adv->auth_type == VRRP_AUTH_PASS &&
		    memcmp(adv->auth_data, vi->p.auth_data, VRRP_V2_AUTH_LEN) != 0)
			return PKT_DROP_AUTH_MISMATCH;
		/* RFC 3768 7.1: v2 routers do not adapt to another interval. */
		if (adv->interval_cs != vi->p.adver_int_cs)
			return PKT_DROP_INTERVAL_MISMATCH;
	}
	/* RFC 5798 7.1: the address owner discards adverts for its VRID. */
	if (vrrp_is_owner(vi))
		return PKT_DROP_OWNER;
	return PKT_OK;
}

void vrrp_fill_advert(const struct vrrp_instance *vi, bool resign, struct vrrp_advert *adv)
{
	adv->version = vi->p.version;
	adv->vrid = vi->p.vrid;
	adv->priority = resign ? VRRP_PRIO_RESIGN : vi->priority;
	adv->naddr = 0;
	adv->interval_cs = vi->p.adver_int_cs;
	adv->legacy_checksum = false;
	adv->family = vi->p.family;
	if (vi->p.version == 2) {
		adv->auth_type = vi->p.auth_type;
		memcpy(adv->auth_data, vi->p.auth_data, VRRP_V2_AUTH_LEN);
	} else {
		adv->auth_type = VRRP_AUTH_NONE;
		memset(adv->auth_data, 0, VRRP_V2_AUTH_LEN);
	}
}
