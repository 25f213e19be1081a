/*
 * explain.h - "vipctl explain INSTANCE": why this node is in its state
 * now and what would change it, in words. Pure: the daemon fills a
 * snapshot (struct explain_input) and gets text back.
 */
#ifndef VIPD_EXPLAIN_H
#define VIPD_EXPLAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipaddr.h"
#include "vrrp.h"

/* One tracked condition and what it does to the priority. */
struct explain_tracker {
	const char *kind;   /* "vrrp_script", "track_gateway", "interface", "process", "file" */
	const char *name;
	bool up;
	int weight;
	bool reverse;
	int delta;          /* its contribution now */
	int delta_flipped;  /* its contribution if it flipped */
	const char *detail; /* why it is down, or NULL */
};

/* The last advert heard from one sender. */
struct explain_peer {
	struct ipaddr addr;
	uint8_t priority;
	uint64_t age_us;  /* how long ago */
	uint64_t run_us;  /* how long it had been advertising without a break by then */
	const char *path; /* how it came: "multicast on eth0", "unicast", ... */
};

struct explain_input {
	const char *name;
	enum vrrp_state state;
	uint64_t since_wall_s; /* last transition, seconds since the epoch; 0 = none */
	const char *reason;    /* of the last transition */
	uint8_t base_priority;
	uint8_t effective_priority;
	const struct explain_tracker *trackers;
	size_t ntrackers;
	const char *const *faults; /* why in FAULT, one phrase each */
	size_t nfaults;
	bool preempt;
	uint64_t preempt_delay_us;
	bool no_preempt;       /* a switchover away from this node holds preemption off */
	bool boosted;          /* a switchover to this node holds its priority at 254 */
	bool maintenance;
	const char *group;     /* sync group name, or NULL */
	struct ipaddr self;    /* our advert source address */
	struct ipaddr master;  /* unset when unknown */
	uint8_t master_priority;
	uint16_t adver_int_cs; /* the master's, for the down interval */
	uint8_t version;       /* VRRP version: v2 does not scale Skew_Time */
	const struct explain_peer *peers;
	size_t npeers;
};

/*
 * Write the explanation into buf (like snprintf: returns the full length,
 * output cut to size - 1).
 */
size_t explain_render(const struct explain_input *in, char *buf, size_t size);

#endif
