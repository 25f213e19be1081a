/*
 * vrrp.h - the per-instance VRRP state machine (RFC 5798 section 6.4, RFC
 * 3768 for version 2) plus keepalived's FAULT state. Pure: an event and the
 * current time go in, the instance is updated, and the actions the daemon
 * must perform come out. No sockets, no clocks, no logging.
 *
 * Time is microseconds on a monotonic clock, supplied by the caller.
 */
#ifndef VIPD_VRRP_H
#define VIPD_VRRP_H

#include <stdbool.h>
#include <stdint.h>

#include "ipaddr.h"
#include "packet.h"
#include "timeunit.h"

#define VRRP_PRIO_RESIGN 0
#define VRRP_PRIO_OWNER 255
#define VRRP_REASON_MAX 160

/* Defaults where the configuration says nothing (RFC 5798 5.2.4, 5.2.7). */
#define VRRP_DEFAULT_PRIORITY 100
#define VRRP_DEFAULT_ADVERT_INT_CS 100
#define VRRP_DEFAULT_VERSION 2 /* keepalived's default, for interop */
/* Tracking never makes a backup look like the address owner. */
#define VRRP_PRIO_MAX_TRACKED 254
#define VRRP_WEIGHT_MAX 253 /* a weight never moves 1 past 254 or 254 below 1 */

enum vrrp_state {
	VRRP_STATE_INIT,
	VRRP_STATE_BACKUP,
	VRRP_STATE_MASTER,
	VRRP_STATE_FAULT,
};

/* "INIT", "BACKUP", "MASTER", "FAULT" (keepalived's words for notify). */
const char *vrrp_state_name(enum vrrp_state s);

/*
 * Why the Master_Down_Timer runs; it decides the reason given when the timer
 * fires and we take over.
 */
enum vrrp_down_cause {
	VRRP_DOWN_STARTUP,       /* nothing heard since start-up */
	VRRP_DOWN_FAULT_CLEARED, /* nothing heard since the fault cleared */
	VRRP_DOWN_SILENCE,       /* the master we accepted went quiet */
	VRRP_DOWN_RESIGNED,      /* the master sent priority 0 */
	VRRP_DOWN_PREEMPT,       /* we ignore a lower-priority master */
	VRRP_DOWN_SELF_RESIGNED, /* nothing heard since we resigned on request */
};

/* What the configuration fixes for an instance. */
struct vrrp_params {
	uint8_t vrid;
	uint8_t version;         /* 2 or 3 */
	sa_family_t family;
	uint8_t priority;        /* configured (base) priority, 1..255 */
	uint16_t adver_int_cs;   /* our Advertisement_Interval */
	bool preempt;
	uint64_t preempt_delay_us; /* 0 = none */
	/*
	 * 0, or a grid (in µs) that Adver_Timer deadlines after the first
	 * advert are rounded down to, so that the timers of many instances
	 * with the same interval expire together and share one wake-up. Only
	 * applied when the interval is at least VRRP_ADVER_ALIGN_MIN_STEPS
	 * grid steps, so an advert is never early by more than 1/that of it.
	 */
	uint64_t adver_align_us;
	bool lower_prio_no_advert;    /* do not answer a lesser master's advert */
	bool higher_prio_send_advert; /* one advert of ours before giving way */
	uint8_t auth_type;       /* v2 only */
	uint8_t auth_data[VRRP_V2_AUTH_LEN];
};

#define VRRP_ADVER_ALIGN_MIN_STEPS 10

struct vrrp_instance {
	struct vrrp_params p;
	struct ipaddr primary;   /* our advert source address (tie-break) */
	enum vrrp_state state;
	uint8_t priority;        /* effective priority, advertised */
	uint16_t master_adver_int_cs; /* learned from the master (v3) */
	struct ipaddr master;    /* current master; ours when MASTER; unset if unknown */
	uint8_t master_priority;
	uint64_t down_deadline_us;  /* Master_Down_Timer; 0 = stopped */
	uint64_t adver_deadline_us; /* Adver_Timer; 0 = stopped */
	uint64_t preempt_hold_us;   /* no preemption before this time (preempt_delay) */
	uint64_t last_master_advert_us; /* when an advert was last accepted; 0 = never */
	uint64_t backup_since_us;   /* when we last entered BACKUP */
	uint64_t main_heard_us;     /* last advert on the main interface (path 0); 0 = never */
	uint64_t master_since_us;   /* when we last became MASTER */
	enum vrrp_down_cause down_cause;
	/*
	 * Operator overrides, set directly by the caller; vrrp_init clears them.
	 * hold_backup (maintenance): never become MASTER, whatever the timers
	 * and priorities say. no_preempt (after a switchover away from us): do
	 * not take over from a lower-priority master while it advertises; its
	 * silence or resignation still makes us take over.
	 */
	bool hold_backup;
	bool no_preempt;
};

/*
 * Advert paths: path 0 is the instance's own interface (multicast or
 * unicast_peer); paths 1.. are the advert_path entries, unicast to the peers
 * listed there. Priority decides the election whatever the path; see
 * vrrp_handle() for identities and ties.
 */
#define VRRP_PATH_MAIN 0

enum vrrp_event_kind {
	VRRP_EV_START,      /* Startup event (RFC 6.4.1) */
	VRRP_EV_TIMER,      /* a deadline has passed (see vrrp_next_deadline) */
	VRRP_EV_ADVERT,     /* a validated advert for this VRID (vrrp_check_advert passed) */
	VRRP_EV_PRIORITY,   /* effective priority changed (tracking) */
	VRRP_EV_FAULT,      /* tracking says: fault (interface down, weight-0 check failed) */
	VRRP_EV_FAULT_CLEAR,
	VRRP_EV_SHUTDOWN,   /* Shutdown event */
	VRRP_EV_RESIGN,     /* on request: a MASTER hands over (priority 0) and stays BACKUP */
	VRRP_EV_TAKEOVER,   /* on request: a BACKUP becomes MASTER now (not when hold_backup) */
};

struct vrrp_event {
	enum vrrp_event_kind kind;
	const struct vrrp_advert *adv; /* VRRP_EV_ADVERT */
	const struct ipaddr *src;      /* VRRP_EV_ADVERT: IP source of the advert */
	unsigned path;                 /* VRRP_EV_ADVERT: VRRP_PATH_MAIN or an advert_path (1..) */
	const struct ipaddr *local;    /* VRRP_EV_ADVERT on a path: our own address on it */
	uint8_t priority;              /* VRRP_EV_PRIORITY: the new effective priority;
					* clamped to 1..254, ignored by an owner */
	const char *cause;             /* FAULT / FAULT_CLEAR / RESIGN / TAKEOVER: why, for
					* the reason text */
};

/* Actions, as bits in vrrp_actions.flags; performed by the caller in this order. */
enum vrrp_action {
	VRRP_ACT_DEL_VIPS = 1u << 0,    /* remove our virtual addresses */
	VRRP_ACT_SEND_RESIGN = 1u << 1, /* send one advert with priority 0 */
	VRRP_ACT_ADD_VIPS = 1u << 2,    /* install our virtual addresses */
	VRRP_ACT_SEND_ADVERT = 1u << 3, /* send one advert with the current priority */
	VRRP_ACT_ANNOUNCE = 1u << 4,    /* start gratuitous ARP / unsolicited NA */
	VRRP_ACT_STATE = 1u << 5,       /* state changed: from/to/reason are set; notify */
	VRRP_ACT_REANNOUNCE = 1u << 6,  /* a lesser master was heard: announce the VIPs again */
};

struct vrrp_actions {
	unsigned flags;
	enum vrrp_state from;
	enum vrrp_state to;
	char reason[VRRP_REASON_MAX]; /* e.g. "no advert from 192.0.2.11 for 3.61 s" */
};

/* Set up an instance in INIT. primary may be NULL or unset until known. */
void vrrp_init(struct vrrp_instance *vi, const struct vrrp_params *p,
	       const struct ipaddr *primary);

/*
 * Feed one event. out is cleared first, then filled with what to do. The
 * caller must rearm its timer to vrrp_next_deadline() afterwards. Events that
 * do not apply in the current state (START once running, FAULT_CLEAR outside
 * FAULT, adverts in INIT or FAULT, an early TIMER) change nothing.
 */
void vrrp_handle(struct vrrp_instance *vi, const struct vrrp_event *ev, uint64_t now_us,
		 struct vrrp_actions *out);

/*
 * Identity and ties across advert paths. An advert is judged the same
 * whatever path brought it: priority first. The master a backup names
 * (vi->master) is the source it was last heard from on the main interface:
 * a path advert of the same priority keeps that name, and names the master
 * by its path address only while none is known. Equal priorities between
 * two masters are decided by the main interface's addresses (RFC 5798
 * 6.4.3) while any advert arrives there; only when the main interface has
 * been silent for Master_Down_Interval (and we have been MASTER that long,
 * so two routers that take over together meet on the main interface
 * first) does a path decide, by comparing
 * the sender's address on that path with ours (ev->local). An equal-priority
 * path advert the main interface decides is ignored, not answered, so two
 * masters never answer each other's answers.
 */

/*
 * Is a path silent: BACKUP, and no advert on it since heard_us (0 = never;
 * then since we entered BACKUP) for Master_Down_Interval? Only for reports:
 * the Master_Down_Timer is reset by an advert on any path.
 */
bool vrrp_path_silent(const struct vrrp_instance *vi, uint64_t heard_us, uint64_t now_us);

/* Earliest armed deadline, or 0 when no timer runs. */
uint64_t vrrp_next_deadline(const struct vrrp_instance *vi);

/*
 * Instance-level receive checks after pkt_decode (RFC 5798 7.1 minus what
 * the codec checked): version, v2 authentication (type, and the password
 * when the type is 1: RFC 2338's simple password, reserved by RFC 3768 but
 * kept for keepalived; the data is ignored otherwise) and interval, owner.
 * Returns PKT_OK or the drop reason.
 */
enum pkt_drop vrrp_check_advert(const struct vrrp_instance *vi, const struct vrrp_advert *adv);

/*
 * Timer arithmetic, in microseconds, for protocol version 2 or 3: Skew_Time
 * and Master_Down_Interval. Version 3 scales Skew_Time by the interval (RFC
 * 5798 6.1), version 2 does not (RFC 3768 6.1: (256 - Priority) / 256 s).
 */
uint64_t vrrp_skew_us(uint8_t version, uint8_t priority, uint16_t adver_int_cs);
uint64_t vrrp_master_down_us(uint8_t version, uint8_t priority, uint16_t adver_int_cs);

/*
 * A reload set our Advertisement_Interval to adver_int_cs. Nothing moves when
 * it is unchanged. Otherwise a version 2 instance, which never learns the
 * interval from adverts, takes it as Master_Adver_Interval too and, in
 * BACKUP, restarts its Master_Down_Timer from now_us with the new interval
 * (its master changes interval with the same reload); a MASTER sends its
 * next advert no later than one new interval from now_us.
 */
void vrrp_set_interval(struct vrrp_instance *vi, uint16_t adver_int_cs, uint64_t now_us);

/*
 * Our advert source address changed (the interface's primary address did):
 * the tie-break of RFC 5798 6.4.3 must compare the address the others see.
 * Returns true when it differed; unset addresses are ignored (the instance
 * goes to FAULT for lack of one).
 */
bool vrrp_set_primary(struct vrrp_instance *vi, const struct ipaddr *primary);

/*
 * Fill an advert to send from the instance (priority 0 when resign). naddr
 * is set to 0 and addrs[] is left untouched: the caller adds the addresses.
 */
void vrrp_fill_advert(const struct vrrp_instance *vi, bool resign, struct vrrp_advert *adv);

#endif
