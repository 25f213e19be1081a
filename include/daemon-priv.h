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

/* its virtual MAC */
void on_vmac_readable(struct loop *l, int fd, uint32_t events, void *arg);

#endif
