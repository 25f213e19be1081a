/*
 * vips.h - an instance's virtual addresses: putting them on the interface
 * and taking them off (rtnetlink, in steps when there are many), removing
 * those a crashed run left, and announcing them (gratuitous ARP, unsolicited
 * NA) when the instance becomes master. Each instance owns one struct
 * vips_state; only vips.c changes it.
 */
#ifndef VIPD_VIPS_H
#define VIPD_VIPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "ipaddr.h"
#include "loop.h"

struct vipd;
struct vipd_instance;
struct netlink_addr;

/* Where the announcements of a master stand (garp_master_delay, _refresh). */
enum vips_garp_phase {
	VIPS_GARP_IDLE,    /* nothing scheduled */
	VIPS_GARP_DELAYED, /* waiting for the burst garp_master_delay after becoming master */
	VIPS_GARP_REFRESH, /* repeating every garp_master_refresh */
};

struct vips_state {
	bool installed;                /* set from the start of an install to its removal */
	struct loop_timer garp_timer;  /* delayed / refresh announcements */
	enum vips_garp_phase garp_phase;
	struct loop_timer burst_timer; /* the next round of a burst paced by garp_interval */
	unsigned burst_left;           /* rounds of the current burst still to send */
	struct loop_timer lower_timer; /* garp_lower_prio_delay's second set */
	uint64_t lower_announced_us;   /* last re-announcement to a lesser master; 0 = none */
	/* an install too large for one go, NULL when none */
	struct netlink_addr *install;
	size_t install_n, install_done;
	size_t install_announced;      /* announced before the install completed */
	size_t install_chunk;          /* addresses in the next netlink batch */
	unsigned install_steps;
	uint64_t install_start_us;
	struct loop_timer install_timer;
	bool announce_deferred;        /* announce once the install is complete */
	/*
	 * An address owner's (priority 255) VIPs that were already on the
	 * interface when it started: the host's own addresses, never removed.
	 */
	struct ipaddr *owned;
	size_t nowned;
};

/* Set up the instance's timers; nothing installed, nothing scheduled. */
void vips_timers_init(struct vipd_instance *in);

/* The interface a VIP lives on: its own "dev", the macvlan with use_vmac, or the instance's. */
int vips_ifindex(struct vipd_instance *in, const struct cfg_vip *v);

/* The VIP's label when the kernel accepts it on ifindex, else NULL. */
const char *vips_label(const struct vipd_instance *in, const struct cfg_vip *v, int ifindex);

/* Becoming master: put every VIP on (in steps when many); failures are logged. */
void vips_install(struct vipd_instance *in);

/* The announcements of a new master; after the last VIP when it is still going in. */
void vips_announce(struct vipd_instance *in);

/*
 * A lesser master was heard: announce the VIPs again (garp_lower_prio_repeat,
 * a second set after garp_lower_prio_delay), at most once per half advert
 * interval.
 */
void vips_reannounce(struct vipd_instance *in);

/* Put one VIP back (someone removed it behind our back). */
void vips_readd_one(struct vipd_instance *in, const struct cfg_vip *v);

/* Giving mastership up: stop announcing, take off what is installed. */
void vips_remove(struct vipd_instance *in);

/* Announcing stops; an install in progress is abandoned. No netlink. */
void vips_stop(struct vipd_instance *in);

/*
 * Is a one of the address owner's own addresses (on the interface before it
 * started)? vipd never removes those, and the state record leaves them out
 * so that the guard does not either.
 */
bool vips_owned(const struct vipd_instance *in, const struct ipaddr *a);

/* Teardown: vips_stop, and free what the instance still holds. No netlink. */
void vips_free(struct vipd_instance *in);

/*
 * Reload: in takes over old's VIPs and announcements. VIPs the new
 * configuration drops come off, new ones go on (and only they are
 * announced); an install in progress goes on with the new list. old is
 * stopped.
 */
void vips_carry(struct vipd_instance *in, struct vipd_instance *old);

/*
 * Remove addresses a previous run left on the interfaces: configured VIPs of
 * instances that are not master. carried: instances that keep their state
 * across a reload (their VIPs stay), NULL at start-up.
 */
void vips_remove_stale(struct vipd *d, struct vipd_instance *const *carried);

/* Collect every configured VIP into d->vip_set, sorted. 0 or -ENOMEM. */
int vips_index(struct vipd *d);

/* Is a a configured VIP (of any instance)? */
bool vips_is_ours(const struct vipd *d, const struct ipaddr *a);

#endif /* VIPD_VIPS_H */
