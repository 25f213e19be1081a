/*
 * steer.h - what an operator does to a running daemon and follows live:
 * maintenance (kept in a file beside the pid file), switchover in both
 * directions, explain, and the event stream. The glue calls the steer_on_*
 * hooks where things happen; the control socket hands the commands to
 * steer_command.
 */
#ifndef VIPD_STEER_H
#define VIPD_STEER_H

#include <stdbool.h>
#include <stdint.h>

#include "ipaddr.h"
#include "loop.h"
#include "vrrp.h"

struct vipd;
struct vipd_instance;
struct check;

#define STEER_PEERS 4 /* last adverts remembered per instance, by sender */
#define STEER_BOOST_PRIORITY 254 /* a switchover to this node: the highest non-owner priority */
#define STEER_PATH_MAX 32

enum steer_switchover {
	STEER_SWO_NONE,
	STEER_SWO_RESIGNING,  /* resigned; waiting for another router to advertise as master */
	STEER_SWO_TAKING,     /* took over; waiting for the old master to stay quiet */
	STEER_SWO_DONE,
	STEER_SWO_FAILED,
};

/* The last advert heard from one sender. */
struct steer_peer {
	struct ipaddr addr;
	uint8_t priority;
	uint64_t at_us;              /* monotonic; 0 = slot unused */
	uint64_t since_us;           /* first advert of its current run (no long silence) */
	char path[STEER_PATH_MAX];   /* "multicast eth0", "unicast eth0", "vmac vrrp.51" */
};

/* Per instance, embedded in struct vipd_instance. */
struct steer_inst {
	bool boosted;                /* a switchover to this node holds its priority up */
	enum steer_switchover swo;
	struct loop_timer swo_timer; /* the switchover's bound */
	char swo_detail[160];
	struct steer_peer peers[STEER_PEERS];
};

/*
 * Set up for a daemon whose pid file is pidfile: read the maintenance
 * file beside it, make the event ring. Returns 0 or -errno (logged).
 */
int steer_start(struct vipd *d, const char *pidfile);
void steer_free(struct vipd *d);

/* After vrrp_init or a reload's carry-over: apply maintenance, drop switchover leftovers. */
void steer_inst_init(struct vipd_instance *in);
void steer_inst_stop(struct vipd_instance *in);

/* The effective priority, given the tracked one and the sum of tracking deltas. */
uint8_t steer_priority(const struct vipd_instance *in, uint8_t tracked, int delta);

/* Hooks: a state change, a priority change, a tracker flip, an advert accepted. */
void steer_on_transition(struct vipd_instance *in, const struct vrrp_actions *a);
void steer_on_priority(struct vipd_instance *in, uint8_t from, uint8_t to, const char *cause);
void steer_on_check(struct vipd *d, const struct check *c);
void steer_on_tracker(struct vipd *d, const char *what, bool up, const char *detail);
void steer_on_advert(struct vipd_instance *in, const struct ipaddr *src, uint8_t priority,
		     const char *path);

/*
 * Before an accepted advert goes to the state machine: another router
 * advertising the switchover priority means an operator switched over to
 * it, which ends this node's hold on that priority.
 */
void steer_before_advert(struct vipd_instance *in, const struct ipaddr *src, uint8_t priority);

/* Is this instance in maintenance? */
bool steer_in_maintenance(const struct vipd *d, const char *inst);

/*
 * A control command: "maintenance on|off [I]", "switchover [I]",
 * "switchover-status [I]", "explain I", "events", "events-json".
 * Returns a malloc'd answer ("ok ..."/"error ..." or text), NULL when cmd
 * is none of these. For events the connection fd is taken (*taken set,
 * the caller must not close it) and "" is returned.
 */
char *steer_command(struct vipd *d, const char *cmd, int fd, bool *taken);

/* For status, JSON and metrics. */
const char *steer_switchover_name(enum steer_switchover s);
unsigned steer_event_subscribers(const struct vipd *d);
uint64_t steer_events_lost(const struct vipd *d);

#endif
