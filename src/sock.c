/*
 * sock.c - raw IPPROTO_VRRP sockets, one per (interface, family).
 *
 * The socket is bound to its device and never to an address: a raw socket
 * bound to an address only sees packets sent to that address, and VRRP needs
 * both the multicast group and unicast peers. The source address is chosen
 * per packet with IP_PKTINFO / IPV6_PKTINFO instead.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* struct in6_pktinfo (RFC 3542) */
#endif
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "sock.h"

/* Enough for a burst of adverts from many instances at 10 ms intervals. */
#define SOCK_RCVBUF_BYTES (256 * 1024)

/*
 * Packets are read SOCK_RX_BATCH at a time with recvmmsg() and handed out
 * one by one. A short batch means the queue was empty: the next call says
 * so without asking the kernel again (epoll is level-triggered, so whatever
 * arrives meanwhile wakes the loop again). A backup hearing 255 instances
 * at 10 ms made two recvmsg() calls per advert before, the second only to
 * learn that nothing more was queued.
 */
struct sock_rx_slot {
	uint8_t pkt[VRRP_MAX_PKT_LEN];
	struct sockaddr_in6 from;
	struct iovec iov;
};

union sock_cmsg_buf {
	char v4[CMSG_SPACE(sizeof(struct in_pktinfo))];
	char v6[CMSG_SPACE(sizeof(struct in6_pktinfo)) + CMSG_SPACE(sizeof(int))];
	struct cmsghdr align;
};

struct sock_rx {
	struct mmsghdr mm[SOCK_RX_BATCH];
	union sock_cmsg_buf cbuf[SOCK_RX_BATCH];
	struct sock_rx_slot slot[SOCK_RX_BATCH];
	unsigned n;       /* messages in the batch */
	unsigned next;    /* the next one to hand out */
	bool drained;     /* the batch was short: the queue is empty */
};

struct vrrp_sock {
	int fd;
	sa_family_t family;
	int ifindex;
	struct sock_rx *rx; /* allocated on the first receive */
};

static int setopt_int(int fd, int level, int name, int value)
{
	if (setsockopt(fd, level, name, &value, sizeof(value)) < 0)
		return -errno;
	return 0;
}

static int sock_set_rcvbuf(int fd)
{
	/* FORCE ignores net.core.rmem_max, which is often below what we want. */
	if (setopt_int(fd, SOL_SOCKET, SO_RCVBUFFORCE, SOCK_RCVBUF_BYTES) == 0)
		return 0;
	return setopt_int(fd, SOL_SOCKET, SO_RCVBUF, SOCK_RCVBUF_BYTES);
}

static int sock_setup_v4(int fd, int ifindex, int join_multicast)
{
	struct ip_mreqn mreq = { .imr_ifindex = ifindex };
	int err;

	if ((err = setopt_int(fd, IPPROTO_IP, IP_MULTICAST_TTL, VRRP_TTL)) ||
	    (err = setopt_int(fd, IPPROTO_IP, IP_TTL, VRRP_TTL)) ||
	    (err = setopt_int(fd, IPPROTO_IP, IP_MULTICAST_LOOP, 0)) ||
	    /* else every group joined by any socket on the host is delivered */
	    (err = setopt_int(fd, IPPROTO_IP, IP_MULTICAST_ALL, 0)) ||
	    (err = setopt_int(fd, IPPROTO_IP, IP_PKTINFO, 1)))
		return err;
	if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mreq, sizeof(mreq)) < 0)
		return -errno;
	if (!join_multicast)
		return 0;
	if (inet_pton(AF_INET, VRRP_MCAST_V4, &mreq.imr_multiaddr) != 1)
		return -EINVAL;
	if (setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq, sizeof(mreq)) < 0)
		return -errno;
	return 0;
}

static int sock_setup_v6(int fd, int ifindex, int join_multicast)
{
	struct ipv6_mreq mreq = { .ipv6mr_interface = ifindex };
	int err;

	/*
	 * No IPV6_CHECKSUM: the codec computes the VRRP checksum, and the
	 * kernel would otherwise overwrite (send) or verify (receive) it.
	 */
	if ((err = setopt_int(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, VRRP_TTL)) ||
	    (err = setopt_int(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, VRRP_TTL)) ||
	    (err = setopt_int(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, 0)) ||
	    (err = setopt_int(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, ifindex)) ||
	    (err = setopt_int(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1)) ||
	    (err = setopt_int(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1)))
		return err;
#ifdef IPV6_MULTICAST_ALL
	if ((err = setopt_int(fd, IPPROTO_IPV6, IPV6_MULTICAST_ALL, 0)))
		return err;
#endif
	if (!join_multicast)
		return 0;
	if (inet_pton(AF_INET6, VRRP_MCAST_V6, &mreq.ipv6mr_multiaddr) != 1)
		return -EINVAL;
	if (setsockopt(fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &mreq, sizeof(mreq)) < 0)
		return -errno;
	return 0;
}

int sock_open(sa_family_t family, const char *ifname, int ifindex, int join_multicast,
	      struct vrrp_sock **out)
{
	struct vrrp_sock *s;
	int err;

	if (family != AF_INET && family != AF_INET6)
		return -EAFNOSUPPORT;
	if (!ifname || strlen(ifname) >= IF_NAMESIZE || ifindex <= 0)
		return -EINVAL;

	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->family = family;
	s->ifindex = ifindex;
	s->fd = socket(family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, VRRP_PROTO);
	if (s->fd < 0) {
		err = -errno;
		goto fail;
	}
	if (setsockopt(s->fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, strlen(ifname) + 1) < 0) {
		err = -errno;
		goto fail;
	}
	err = sock_set_rcvbuf(s->fd);
	if (err)
		goto fail;
	if (family == AF_INET)
		err = sock_setup_v4(s->fd, ifindex, join_multicast);
	else
		err = sock_setup_v6(s->fd, ifindex, join_multicast);
	if (err)
		goto fail;
	*out = s;
	return 0;
fail:
	sock_close(s);
	return err;
}

int sock_join(struct vrrp_sock *s, const struct ipaddr *group)
{
	if (group->family != s->family)
		return -EAFNOSUPPORT;
	if (group->family == AF_INET) {
		struct ip_mreqn mreq = { .imr_multiaddr = group->v4, .imr_ifindex = s->ifindex };

		if (setsockopt(s->fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq, sizeof(mreq)) < 0)
			return -errno;
	} else {
		struct ipv6_mreq mreq = { .ipv6mr_multiaddr = group->v6,
					  .ipv6mr_interface = (unsigned)s->ifindex };

		if (setsockopt(s->fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &mreq, sizeof(mreq)) < 0)
			return -errno;
	}
	return 0;
}

void sock_close(struct vrrp_sock *s)
{
	if (!s)
		return;
	if (s->fd >= 0)
		close(s->fd);
	free(s->rx);
	free(s);
}

int sock_fd(const struct vrrp_sock *s)
{
	return s->fd;
}

/* Control buffer large enough for either family's pktinfo and hop limit. */
static void sock_fill_pktinfo(const struct vrrp_sock *s, const struct ipaddr *src,
			      struct msghdr *mh, union sock_cmsg_buf *cbuf)
{
	struct cmsghdr *cm;

	memset(cbuf, 0, sizeof(*cbuf));
	mh->msg_control = cbuf;
	cm = (struct cmsghdr *)cbuf;
	if (s->family == AF_INET) {
		struct in_pktinfo pi = { .ipi_ifindex = s->ifindex, .ipi_spec_dst = src->v4 };

		mh->msg_controllen = CMSG_SPACE(sizeof(pi));
		cm->cmsg_level = IPPROTO_IP;
		cm->cmsg_type = IP_PKTINFO;
		cm->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
	} else {
		struct in6_pktinfo pi = { .ipi6_addr = src->v6, .ipi6_ifindex = s->ifindex };

		mh->msg_controllen = CMSG_SPACE(sizeof(pi));
		cm->cmsg_level = IPPROTO_IPV6;
		cm->cmsg_type = IPV6_PKTINFO;
		cm->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
	}
}

int sock_send(struct vrrp_sock *s, const struct ipaddr *src, const struct ipaddr *dst,
	      const uint8_t *msg, size_t len)
{
	union {
		struct sockaddr_in v4;
		struct sockaddr_in6 v6;
	} to;
	struct iovec iov = { .iov_base = (void *)msg, .iov_len = len };
	struct msghdr mh = { .msg_name = &to, .msg_iov = &iov, .msg_iovlen = 1 };
	union sock_cmsg_buf cbuf;
	ssize_t n;

	if (src->family != s->family || dst->family != s->family)
		return -EAFNOSUPPORT;

	memset(&to, 0, sizeof(to));
	if (s->family == AF_INET) {
		to.v4.sin_family = AF_INET;
		to.v4.sin_addr = dst->v4;
		mh.msg_namelen = sizeof(to.v4);
	} else {
		to.v6.sin6_family = AF_INET6;
		to.v6.sin6_addr = dst->v6;
		/* ff02::12 and link-local peers need the interface as scope */
		if (IN6_IS_ADDR_MC_LINKLOCAL(&dst->v6) || IN6_IS_ADDR_LINKLOCAL(&dst->v6))
			to.v6.sin6_scope_id = s->ifindex;
		mh.msg_namelen = sizeof(to.v6);
	}
	sock_fill_pktinfo(s, src, &mh, &cbuf);

	n = sendmsg(s->fd, &mh, MSG_DONTWAIT);
	if (n < 0)
		return -errno;
	if ((size_t)n != len)
		return -EIO;
	return 0;
}

/* IPv4: the raw socket hands over the IP header; the codec parses it. */
static ssize_t sock_finish_v4(const uint8_t *pkt, size_t len, struct msghdr *mh,
			      uint8_t *buf, size_t size, struct pkt_ip *ip, int *ifindex)
{
	const uint8_t *msg;
	size_t msg_len;
	struct cmsghdr *cm;

	if (pkt_parse_ipv4(pkt, len, ip, &msg, &msg_len) != PKT_OK)
		return -EBADMSG;
	*ifindex = 0;
	for (cm = CMSG_FIRSTHDR(mh); cm; cm = CMSG_NXTHDR(mh, cm)) {
		struct in_pktinfo pi;

		if (cm->cmsg_level != IPPROTO_IP || cm->cmsg_type != IP_PKTINFO)
			continue;
		memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
		*ifindex = pi.ipi_ifindex;
	}
	if (msg_len > size)
		return -EMSGSIZE;
	memcpy(buf, msg, msg_len);
	return msg_len;
}

/* IPv6: the header is gone; addresses and hop limit come from ancillary data. */
static ssize_t sock_finish_v6(const uint8_t *pkt, size_t len, struct msghdr *mh,
			      const struct sockaddr_in6 *from, uint8_t *buf, size_t size,
			      struct pkt_ip *ip, int *ifindex)
{
	struct cmsghdr *cm;

	memset(ip, 0, sizeof(*ip));
	ipaddr_set(&ip->src, AF_INET6, &from->sin6_addr);
	ip->dst.family = AF_UNSPEC;
	/* without a hop-limit cmsg, ttl stays 0 and the packet is dropped as bad TTL */
	*ifindex = 0;
	for (cm = CMSG_FIRSTHDR(mh); cm; cm = CMSG_NXTHDR(mh, cm)) {
		if (cm->cmsg_level != IPPROTO_IPV6)
			continue;
		if (cm->cmsg_type == IPV6_HOPLIMIT) {
			int hops;

			memcpy(&hops, CMSG_DATA(cm), sizeof(hops));
			ip->ttl = hops;
		} else if (cm->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi;

			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			ipaddr_set(&ip->dst, AF_INET6, &pi.ipi6_addr);
			*ifindex = pi.ipi6_ifindex;
		}
	}
	if (ip->dst.family != AF_INET6)
		return -EBADMSG; /* no destination: the checksum cannot be verified */
	if (len > size)
		return -EMSGSIZE;
	memcpy(buf, pkt, len);
	return len;
}

/* Read the next batch. Returns how many came, 0 when none, or -errno. */
static int sock_rx_fill(struct vrrp_sock *s)
{
	struct sock_rx *rx = s->rx;
	int n;

	for (unsigned i = 0; i < SOCK_RX_BATCH; i++) {
		struct sock_rx_slot *sl = &rx->slot[i];

		sl->iov = (struct iovec){ .iov_base = sl->pkt, .iov_len = sizeof(sl->pkt) };
		rx->mm[i].msg_hdr = (struct msghdr){
			.msg_name = &sl->from,
			.msg_namelen = sizeof(sl->from),
			.msg_iov = &sl->iov,
			.msg_iovlen = 1,
			.msg_control = &rx->cbuf[i],
			.msg_controllen = sizeof(rx->cbuf[i]),
		};
	}
	n = recvmmsg(s->fd, rx->mm, SOCK_RX_BATCH, MSG_DONTWAIT, NULL);
	if (n < 0)
		return errno == EWOULDBLOCK ? 0 : -errno;
	rx->n = (unsigned)n;
	rx->next = 0;
	rx->drained = n < SOCK_RX_BATCH;
	return n;
}

ssize_t sock_recv(struct vrrp_sock *s, uint8_t *buf, size_t size, struct pkt_ip *ip,
		  int *ifindex)
{
	struct sock_rx *rx = s->rx;
	struct msghdr *mh;
	struct sock_rx_slot *sl;
	size_t len;

	if (!rx) {
		rx = s->rx = calloc(1, sizeof(*rx));
		if (!rx)
			return -ENOMEM;
	}
	if (rx->next == rx->n) {
		int n;

		if (rx->drained) {
			rx->drained = false;
			return -EAGAIN;
		}
		n = sock_rx_fill(s);
		if (n <= 0)
			return n ? n : -EAGAIN;
	}
	mh = &rx->mm[rx->next].msg_hdr;
	len = rx->mm[rx->next].msg_len;
	sl = &rx->slot[rx->next++];
	/* Anything larger than the largest VRRP packet is not one of ours. */
	if (mh->msg_flags & (MSG_TRUNC | MSG_CTRUNC))
		return -EMSGSIZE;
	if (s->family == AF_INET)
		return sock_finish_v4(sl->pkt, len, mh, buf, size, ip, ifindex);
	return sock_finish_v6(sl->pkt, len, mh, &sl->from, buf, size, ip, ifindex);
}
