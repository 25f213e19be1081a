/*
 * vmac.h - use_vmac: the macvlan that carries an instance's VIPs under the
 * virtual router MAC of RFC 5798 7.3, with the sysctls that make the
 * parent and the macvlan answer ARP correctly. The instance owns one
 * struct vmac; only this module changes it.
 */
#ifndef VIPD_VMAC_H
#define VIPD_VMAC_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include "loop.h"

struct vipd_instance;
struct vrrp_sock;

struct vmac {
	int ifindex;             /* 0 while the macvlan does not exist */
	char name[IF_NAMESIZE];  /* vmac_xmit_base or "vrrp.VRID" / "vrrp6.VRID" */
	uint8_t mac[6];
	struct vrrp_sock *sock;  /* IPv4 adverts leave from the virtual MAC */
	int packet_fd;           /* GARP / NA from the virtual MAC; -1 when closed */
};

/* Name the instance's macvlan (from its configuration) with nothing open. */
void vmac_init(struct vipd_instance *in);

/*
 * Create (or adopt) the macvlan when the instance has use_vmac and its
 * interface exists; adverts its socket receives go to on_readable with the
 * instance as argument. Failures are logged; vmac.ifindex stays 0.
 */
void vmac_setup(struct vipd_instance *in, loop_fd_cb on_readable);

/* Close the macvlan's sockets; the link itself stays. */
void vmac_close(struct vipd_instance *in);

/* Close the sockets and delete the macvlan link. */
void vmac_remove(struct vipd_instance *in);

/*
 * Reload: hand old's macvlan and sockets to in when both use the same one
 * (true), else set in's up afresh (false; old's is then in's caller's to
 * remove).
 */
bool vmac_carry(struct vipd_instance *in, struct vipd_instance *old, loop_fd_cb on_readable);

#endif /* VIPD_VMAC_H */
