/*
 * vmac.c - use_vmac: the macvlan with the virtual router MAC (see vmac.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>

#include "announce.h"
#include "daemon.h"
#include "daemon-priv.h"
#include "log.h"
#include "netlink.h"
#include "sock.h"
#include "vips.h"
#include "vmac.h"

/* RFC 5798 7.3: 00-00-5E-00-01-{VRID} for IPv4, 00-00-5E-00-02-{VRID} for IPv6. */
static void vmac_address(const struct cfg_instance *c, uint8_t mac[6])
{
	mac[0] = 0x00;
	mac[1] = 0x00;
	mac[2] = 0x5e;
	mac[3] = 0x00;
	mac[4] = c->family == AF_INET6 ? 0x02 : 0x01;
	mac[5] = c->vrid;
}

static void vmac_sysctl_set(const char *family, const char *ifname, const char *key, const char *val)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/sys/net/%s/conf/%s/%s", family, ifname, key);
	f = fopen(path, "we");
	if (!f || fputs(val, f) < 0 || fclose(f) != 0) {
		log_warn("cannot set %s to %s: %s", path, val, strerror(errno));
		if (f)
			fclose(f);
	}
}

void vmac_close(struct vipd_instance *in)
{
	if (in->vmac.sock) {
		loop_del_fd(in->d->loop, sock_fd(in->vmac.sock));
		sock_close(in->vmac.sock);
		in->vmac.sock = NULL;
	}
	if (in->vmac.packet_fd >= 0) {
		announce_close(in->vmac.packet_fd);
		in->vmac.packet_fd = -1;
	}
}

/* A VMAC socket that cannot join vrrp_mcast_group4 still sends: say so, carry on. */
static bool log_vmac_join_failed(const struct vipd_instance *in)
{
	log_err("%s: %s cannot join vrrp_mcast_group4; adverts to it are not received there",
		in->cfg->name, in->vmac.name);
	return true;
}

/*
 * Create (or adopt) the macvlan with the virtual MAC on the instance's
 * interface. The parent must not answer ARP for the VIPs with its own MAC
 * (arp_ignore/arp_announce); the macvlan must accept what it sends itself.
 */
void vmac_setup(struct vipd_instance *in, loop_fd_cb on_readable)
{
	const struct cfg_instance *c = in->cfg;
	struct netlink_link link;
	int err;

	if (!c->use_vmac || in->iface->ifindex <= 0)
		return;
	if (in->vmac.ifindex > 0 && netlink_link_by_index(in->d->nl, in->vmac.ifindex, &link) == 0)
		return;
	vmac_close(in);
	in->vmac.ifindex = 0;
	vmac_address(c, in->vmac.mac);
	err = netlink_macvlan_add(in->d->nl, in->iface->ifindex, in->vmac.name, in->vmac.mac,
				  &link);
	if (err < 0) {
		log_err("%s: cannot create virtual MAC interface %s on %s: %s", c->name,
			in->vmac.name, in->iface->name, strerror(-err));
		return;
	}
	in->vmac.ifindex = link.ifindex;
	for (size_t i = 0; i < c->nvips; i++)
		if (vips_ifindex(in, &c->vips[i]) == in->vmac.ifindex &&
		    c->vips[i].label[0] && !vips_label(in, &c->vips[i], in->vmac.ifindex))
			log_warn("%s: label %s of a VIP is not used: with use_vmac the VIPs live on %s",
				 c->name, c->vips[i].label, in->vmac.name);
	vmac_sysctl_set("ipv4", in->iface->name, "arp_ignore", "1");
	vmac_sysctl_set("ipv4", in->iface->name, "arp_announce", "2");
	vmac_sysctl_set("ipv4", in->vmac.name, "arp_ignore", "1");
	vmac_sysctl_set("ipv4", in->vmac.name, "accept_local", "1");
	vmac_sysctl_set("ipv4", in->vmac.name, "rp_filter", "0");
	/* IPv6 adverts must come from a link-local address of the sending
	 * interface, so they keep leaving from the parent. */
	if (c->family == AF_INET &&
	    sock_open(AF_INET, in->vmac.name, in->vmac.ifindex, c->nunicast_peers == 0,
		      &in->vmac.sock) == 0 &&
	    (c->nunicast_peers || !vipd_group_custom(in->d->cfg, AF_INET) ||
	     sock_join(in->vmac.sock, vipd_group(in->d->cfg, AF_INET)) == 0 ||
	     log_vmac_join_failed(in)) &&
	    loop_add_fd(in->d->loop, sock_fd(in->vmac.sock), EPOLLIN, on_readable, in) < 0) {
		sock_close(in->vmac.sock);
		in->vmac.sock = NULL;
	}
	log_info("%s: virtual MAC %02x:%02x:%02x:%02x:%02x:%02x on %s (index %d)", c->name,
		 in->vmac.mac[0], in->vmac.mac[1], in->vmac.mac[2], in->vmac.mac[3],
		 in->vmac.mac[4], in->vmac.mac[5], in->vmac.name, in->vmac.ifindex);
}

void vmac_remove(struct vipd_instance *in)
{
	vmac_close(in);
	if (in->vmac.ifindex > 0) {
		int err = netlink_link_del(in->d->nl, in->vmac.ifindex);

		if (err < 0)
			log_warn("%s: cannot remove %s: %s", in->cfg->name, in->vmac.name,
				 strerror(-err));
		in->vmac.ifindex = 0;
	}
}


void vmac_init(struct vipd_instance *in)
{
	const struct cfg_instance *c = in->cfg;

	in->vmac.packet_fd = -1;
	if (c->vmac_name[0])
		snprintf(in->vmac.name, sizeof(in->vmac.name), "%s", c->vmac_name);
	else
		snprintf(in->vmac.name, sizeof(in->vmac.name), "vrrp%s.%u",
			 c->family == AF_INET6 ? "6" : "", c->vrid);
}

bool vmac_carry(struct vipd_instance *in, struct vipd_instance *old, loop_fd_cb on_readable)
{
	struct loop *l = in->d->loop;
	bool kept = in->cfg->use_vmac && old->cfg->use_vmac &&
		    strcmp(in->vmac.name, old->vmac.name) == 0;

	if (!kept) {
		vmac_setup(in, on_readable);
		return false;
	}
	in->vmac = old->vmac;
	old->vmac.packet_fd = -1;
	old->vmac.sock = NULL;
	if (in->vmac.sock) {
		loop_del_fd(l, sock_fd(in->vmac.sock));
		loop_add_fd(l, sock_fd(in->vmac.sock), EPOLLIN, on_readable, in);
	}
	return true;
}
