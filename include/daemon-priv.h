/*
 * daemon-priv.h - what daemon.c and reload.c share: starting instances
 * and interfaces, and feeding the state machine. Not an interface for
 * anything else; the modules the daemon uses (vips, vmac, tracking, fault,
 * syncgroup) have their own headers.
 */
#ifndef VIPD_DAEMON_PRIV_H
#define VIPD_DAEMON_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "daemon.h"
#include "netlink.h"

/* set-up */

/* Allocate d's interfaces and instances from d->cfg, index them, link sync groups. 0 or -ENOMEM. */
int build_instances(struct vipd *d);

/* Start an instance's state machine (in INIT) and its virtual MAC, with nothing sent yet. */
void inst_init(struct vipd_instance *in);

/* interfaces and their sockets */

/* Re-read the interface from the kernel; open its sockets once it exists, close them when gone. */
void iface_refresh(struct vipd_iface *ifc);

/* Close the interface's advert sockets and its packet socket. */
void iface_close_sockets(struct vipd_iface *ifc);

/*
 * A received VRRP message (msg, len; ip from its IP header) on ifc, or on
 * via's macvlan; ah: it came through keepalived's AH and passed its check.
 */
void vipd_handle_packet(struct vipd_iface *ifc, struct vipd_instance *via, const uint8_t *msg,
			size_t len, const struct pkt_ip *ip, bool ah);

/* Count a dropped advert against in (NULL: the interface), logging the first of each kind. */
void vipd_count_drop(struct vipd_instance *in, struct vipd_iface *ifc, enum pkt_drop why,
		     const struct ipaddr *src);

/* Loop callback for an interface's advert socket (arg: the interface). */
void on_sock_readable(struct loop *l, int fd, uint32_t events, void *arg);

/* Loop callback for a use_vmac instance's macvlan socket (arg: the instance). */
void on_vmac_readable(struct loop *l, int fd, uint32_t events, void *arg);

/* an instance and the state machine */

/* The address the instance's adverts leave from; unset while its interface has none. */
const struct ipaddr *inst_source(const struct vipd_instance *in);

/* Feed one event to the state machine, perform its actions and rearm the timer. */
void inst_event(struct vipd_instance *in, const struct vrrp_event *ev);

/* Arm (or cancel) the instance's timer for the state machine's next deadline. */
void inst_rearm(struct vipd_instance *in);

/* Re-evaluate its interface, tracking and sync group: priority and FAULT follow. */
void inst_refresh(struct vipd_instance *in);

/* Check callback: a verdict flipped, so every instance of d (arg) is refreshed. */
void on_check_changed(struct check *chk, void *arg);

/* vrrp_mcast_group4/6: is another group set (not the standard one)? */
bool vipd_group_custom(const struct vipd_config *cfg, sa_family_t family);

/* The group adverts go to: vrrp_mcast_group4/6, or the standard one. */
const struct ipaddr *vipd_group(const struct vipd_config *cfg, sa_family_t family);

#endif
