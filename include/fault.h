/*
 * fault.h - why an instance is in FAULT, and the words for it. Pure: the
 * daemon says which conditions hold; this module picks the one to report
 * and words both directions from one table, so the message when a fault
 * clears always matches the one when it was raised.
 */
#ifndef VIPD_FAULT_H
#define VIPD_FAULT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

/* Why an instance is in FAULT: any set bit keeps it there. */
enum fault_bit {
	FAULT_NO_IFACE = 1u << 0, /* interface missing */
	FAULT_LINK = 1u << 1,     /* interface admin down or no carrier */
	FAULT_NO_ADDR = 1u << 2,  /* no source address for adverts */
	FAULT_TRACK = 1u << 3,    /* a weight-0 tracked check or interface is down */
	FAULT_SYNC = 1u << 4,     /* another member of its sync group is in FAULT */
	FAULT_VMAC = 1u << 5,     /* use_vmac and the macvlan could not be made */
};

/* The one condition a FAULT is reported for. */
enum fault_reason {
	FAULT_REASON_NONE, /* not recorded */
	FAULT_REASON_NO_IFACE,
	FAULT_REASON_LINK_DOWN,
	FAULT_REASON_NO_CARRIER,
	FAULT_REASON_NO_ADDR4,
	FAULT_REASON_NO_ADDR6,
	FAULT_REASON_VMAC,
	FAULT_REASON_TRACK,
	FAULT_REASON_SYNC,
	FAULT_REASON_COUNT
};

#define FAULT_SUBJECT_MAX 96 /* "vrrp_script NAME", "tracked interface NAME", ... */
#define FAULT_TEXT_MAX 176

/* A reason and what it is about (an interface, a tracked check, a sync group). */
struct fault_cause {
	enum fault_reason reason;
	char subject[FAULT_SUBJECT_MAX];
};

/* What the daemon knows about an instance when it enters FAULT. */
struct fault_facts {
	const char *interface; /* the instance's interface */
	bool admin_up;         /* with FAULT_LINK: up without carrier (true) or down */
	sa_family_t family;    /* the instance's: which source address is missing */
	const char *vmac;      /* its macvlan's name */
	const char *tracked;   /* what tracking found down ("vrrp_script chk") */
	const char *group;     /* its sync group */
};

/*
 * The cause reported for a non-empty set of fault bits: the first of
 * NO_IFACE, LINK, NO_ADDR, VMAC, TRACK, SYNC that is set (SYNC when none is).
 */
void fault_cause_of(unsigned faults, const struct fault_facts *f, struct fault_cause *out);

/* "interface eth0 is down"; returns buf. */
const char *fault_raised(const struct fault_cause *c, char *buf, size_t size);

/* The same fault ending: "interface eth0 is up again"; returns buf. */
const char *fault_cleared(const struct fault_cause *c, char *buf, size_t size);

#endif /* VIPD_FAULT_H */
