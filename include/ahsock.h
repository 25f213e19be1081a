/*
 * ahsock.h - the running side of auth_type AH: one raw socket for IPsec
 * AH (protocol 51) per interface that has an AH instance. It sends the
 * adverts of those instances wrapped in AH (ah.h; the IP header is vipd's
 * own), and receives AH packets, checks their ICV with the instance's key
 * and their sequence number, and hands the VRRP message on. A packet with
 * a wrong key, or replayed, is a counted drop (auth_mismatch).
 */
#ifndef VIPD_AHSOCK_H
#define VIPD_AHSOCK_H

#include <stddef.h>
#include <stdint.h>

#include "ipaddr.h"

struct vipd_iface;
struct vipd_instance;

/* Open ifc's AH socket when one of its instances uses AH and it exists. */
void ahsock_open(struct vipd_iface *ifc);
void ahsock_close(struct vipd_iface *ifc);

/* Send in's advert msg (built with no authentication) in AH. 0 or -errno. */
int ahsock_send(struct vipd_instance *in, uint8_t *msg, size_t len, const struct ipaddr *src,
		const struct ipaddr *dst);

#endif
