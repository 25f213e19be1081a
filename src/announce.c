/*
 * announce.c - gratuitous ARP and unsolicited Neighbor Advertisement frames,
 * built byte by byte (pure, so tests compare them exactly) and sent whole on
 * an AF_PACKET socket so that the Ethernet header is ours.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <sys/socket.h>

#include "announce.h"

#define ARP_HW_ETHER 1
#define ARP_PROTO_IPV4 0x0800
#define ARP_OP_REQUEST 1

#define IPV6_NEXT_ICMPV6 58
#define IPV6_HOP_LIMIT_ND 255 /* RFC 4861 7.1.2: receivers drop anything else */

#define ICMPV6_NA_TYPE 136
#define ICMPV6_NA_LEN 24
#define NA_FLAG_ROUTER 0x80
#define NA_FLAG_OVERRIDE 0x20
#define ND_OPT_TARGET_LLADDR 2
#define ND_OPT_TLLA_LEN 8 /* type, length (in 8-byte units), MAC */

static const uint8_t eth_broadcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
/* RFC 2464 7: 33:33 followed by the low 32 bits of ff02::1 */
static const uint8_t eth_all_nodes[ETH_ALEN] = { 0x33, 0x33, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t ip6_all_nodes[16] = { 0xff, 0x02, [15] = 0x01 };

static uint8_t *put_u16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
	return p + 2;
}

static uint8_t *put_bytes(uint8_t *p, const void *src, size_t len)
{
	memcpy(p, src, len);
	return p + len;
}

static uint8_t *put_eth(uint8_t *p, const uint8_t dst[6], const uint8_t src[6], uint16_t type)
{
	p = put_bytes(p, dst, ETH_ALEN);
	p = put_bytes(p, src, ETH_ALEN);
	return put_u16(p, type);
}

ssize_t announce_build_garp(uint8_t *frame, size_t size, const uint8_t mac[6],
			    const struct in_addr *vip)
{
	static const uint8_t zero_mac[ETH_ALEN];
	uint8_t *p = frame;

	if (size < ANNOUNCE_GARP_LEN)
		return -ENOSPC;

	p = put_eth(p, eth_broadcast, mac, ETH_P_ARP);
	p = put_u16(p, ARP_HW_ETHER);
	p = put_u16(p, ARP_PROTO_IPV4);
	*p++ = ETH_ALEN;
	*p++ = sizeof(*vip);
	/*
	 * A request rather than a reply: every stack updates an existing
	 * neighbour entry from a request's sender fields, and some ignore
	 * unsolicited replies.
	 */
	p = put_u16(p, ARP_OP_REQUEST);
	p = put_bytes(p, mac, ETH_ALEN);
	p = put_bytes(p, vip, sizeof(*vip));
	p = put_bytes(p, zero_mac, ETH_ALEN);
	p = put_bytes(p, vip, sizeof(*vip));
	return p - frame;
}

static uint32_t sum16(uint32_t sum, const uint8_t *p, size_t len)
{
	for (; len > 1; p += 2, len -= 2)
		sum += (uint32_t)p[0] << 8 | p[1];
	if (len)
		sum += (uint32_t)p[0] << 8;
	return sum;
}

/* RFC 4443 2.3: the checksum covers the RFC 8200 8.1 pseudo-header too. */
static uint16_t icmp6_checksum(const struct in6_addr *src, const uint8_t *dst,
			       const uint8_t *icmp, size_t len)
{
	uint32_t sum = 0;

	sum = sum16(sum, src->s6_addr, 16);
	sum = sum16(sum, dst, 16);
	sum += len;
	sum += IPV6_NEXT_ICMPV6;
	sum = sum16(sum, icmp, len);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

static uint8_t *put_ipv6(uint8_t *p, const struct in6_addr *src, const uint8_t *dst,
			 uint16_t payload_len)
{
	*p++ = 0x60; /* version 6, traffic class and flow label 0 */
	*p++ = 0;
	*p++ = 0;
	*p++ = 0;
	p = put_u16(p, payload_len);
	*p++ = IPV6_NEXT_ICMPV6;
	*p++ = IPV6_HOP_LIMIT_ND;
	p = put_bytes(p, src, 16);
	return put_bytes(p, dst, 16);
}

ssize_t announce_build_na(uint8_t *frame, size_t size, const uint8_t mac[6],
			  const struct in6_addr *src, const struct in6_addr *vip, int router)
{
	const uint16_t icmp_len = ICMPV6_NA_LEN + ND_OPT_TLLA_LEN;
	uint8_t *icmp;
	uint8_t *p = frame;

	if (size < ANNOUNCE_NA_LEN)
		return -ENOSPC;

	p = put_eth(p, eth_all_nodes, mac, ETH_P_IPV6);
	p = put_ipv6(p, src, ip6_all_nodes, icmp_len);

	icmp = p;
	*p++ = ICMPV6_NA_TYPE;
	*p++ = 0;        /* code */
	p = put_u16(p, 0); /* checksum, filled below */
	/* RFC 4861 4.4: unsolicited, so Solicited is clear; Override moves caches */
	*p++ = NA_FLAG_OVERRIDE | (router ? NA_FLAG_ROUTER : 0);
	*p++ = 0;
	*p++ = 0;
	*p++ = 0;
	p = put_bytes(p, vip, 16);
	*p++ = ND_OPT_TARGET_LLADDR;
	*p++ = ND_OPT_TLLA_LEN / 8;
	p = put_bytes(p, mac, ETH_ALEN);

	put_u16(icmp + 2, icmp6_checksum(src, ip6_all_nodes, icmp, icmp_len));
	return p - frame;
}

int announce_open(int ifindex)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_ifindex = ifindex,
		/* protocol 0: this socket only sends, it never queues received frames */
		.sll_protocol = 0,
	};
	int fd;

	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

void announce_close(int fd)
{
	if (fd >= 0)
		close(fd);
}

int announce_send(int fd, int ifindex, const uint8_t *frame, size_t len)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_ifindex = ifindex,
		.sll_halen = ETH_ALEN,
	};
	ssize_t n;

	if (len < ETH_HLEN)
		return -EINVAL;
	/* The frame carries its own header; the address only names the port. */
	memcpy(&sll.sll_protocol, frame + 2 * ETH_ALEN, sizeof(sll.sll_protocol));
	memcpy(sll.sll_addr, frame, ETH_ALEN);

	n = sendto(fd, frame, len, 0, (struct sockaddr *)&sll, sizeof(sll));
	if (n < 0)
		return -errno;
	if ((size_t)n != len)
		return -EIO;
	return 0;
}
