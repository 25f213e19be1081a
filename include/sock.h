/*
 * sock.h - raw IPPROTO_VRRP sockets, one per (interface, family). Multicast
 * (224.0.0.18 / ff02::12) or unicast to configured peers; TTL/hop limit 255
 * on send, received TTL/hop limit and arrival interface reported.
 */
#ifndef VIPD_SOCK_H
#define VIPD_SOCK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ipaddr.h"
#include "packet.h"

struct vrrp_sock;

/*
 * Open a raw socket for protocol 112 on interface ifname (ifindex) and
 * family. With join_multicast, joins the VRRP group on that interface and
 * sets the multicast interface; multicast loop is off. The socket is bound
 * to the device so it sees only that interface's traffic. Returns 0 or
 * -errno.
 */
int sock_open(sa_family_t family, const char *ifname, int ifindex, int join_multicast,
	      struct vrrp_sock **out);
/*
 * Also join group (vrrp_mcast_group4/6 other than the standard one) on the
 * socket's interface. Returns 0 or -errno.
 */
int sock_join(struct vrrp_sock *s, const struct ipaddr *group);
void sock_close(struct vrrp_sock *s);
int sock_fd(const struct vrrp_sock *s);

/* Send one VRRP message from src to dst (multicast group or a peer). */
int sock_send(struct vrrp_sock *s, const struct ipaddr *src, const struct ipaddr *dst,
	      const uint8_t *msg, size_t len);

/*
 * sock_recv reads this many packets from the kernel at once and buffers
 * them: read until -EAGAIN, or a multiple of it per wake-up, so that none
 * is left in the buffer while the kernel's queue is empty (epoll would not
 * report the socket again until another packet came).
 */
#define SOCK_RX_BATCH 16

/*
 * Receive one packet. On success returns the VRRP message length, with the
 * message copied to buf (IPv4 header stripped), ip filled (src, dst, TTL or
 * hop limit) and *ifindex the arrival interface. Returns -EAGAIN when
 * nothing is pending, PKT_DROP_IP_HEADER (or, for IPv6, missing ancillary
 * data) as -EBADMSG, -EMSGSIZE for a datagram larger than any VRRP packet
 * (truncated) or larger than size, or -errno.
 */
ssize_t sock_recv(struct vrrp_sock *s, uint8_t *buf, size_t size, struct pkt_ip *ip,
		  int *ifindex);

#endif
