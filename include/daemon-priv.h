/*
 * daemon-priv.h - what daemon.c, vips.c and reload.c share. Not an
 * interface for anything else: these work on the daemon's own structures.
 */
#ifndef VIPD_DAEMON_PRIV_H
#define VIPD_DAEMON_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "daemon.h"
#include "netlink.h"

/* set-up */
int check_users(const struct vipd_config *cfg, char *msg, size_t size);
int resolve_script_user(struct vipd *d);
int build_instances(struct vipd *d);
int checks_start(struct vipd *d);
void inst_init(struct vipd_instance *in);

/* interfaces and their sockets */
void iface_refresh(struct vipd_iface *ifc);
void iface_close_sockets(struct vipd_iface *ifc);
void on_sock_readable(struct loop *l, int fd, uint32_t events, void *arg);

/* an instance and the state machine */
const struct ipaddr *inst_source(const struct vipd_instance *in);
void inst_event(struct vipd_instance *in, const struct vrrp_event *ev);
void inst_rearm(struct vipd_instance *in);
void inst_refresh(struct vipd_instance *in);

/* its addresses and announcements (vips.c) */
int vip_ifindex(struct vipd_instance *in, const struct cfg_vip *v);
const char *vip_label(const struct vipd_instance *in, const struct cfg_vip *v, int ifindex);
struct netlink_addr *vips_list(struct vipd_instance *in, size_t *n);
void vips_apply_list(struct vipd_instance *in, const struct netlink_addr *addrs, size_t n,
		     bool add);
void vips_install(struct vipd_instance *in);
void vips_announce(struct vipd_instance *in);
void vips_install_carry(struct vipd_instance *in, struct vipd_instance *old);
void vips_readd_one(struct vipd_instance *in, const struct cfg_vip *v);
void vips_remove(struct vipd_instance *in);
void vips_stop(struct vipd_instance *in);
void vips_timers_init(struct vipd_instance *in);
void vips_remove_stale(struct vipd *d, struct vipd_instance *const *carried);
int vips_index(struct vipd *d);
bool vips_is_ours(const struct vipd *d, const struct ipaddr *a);
void announce_burst(struct vipd_instance *in, unsigned repeat, const struct netlink_addr *only,
		    size_t n);

/* its virtual MAC */
void vmac_setup(struct vipd_instance *in);
void vmac_close(struct vipd_instance *in);
void vmac_remove(struct vipd_instance *in);
void on_vmac_readable(struct loop *l, int fd, uint32_t events, void *arg);

#endif
