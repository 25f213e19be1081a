/*
 * announce.h - telling the segment where a virtual address now lives:
 * gratuitous ARP for IPv4, unsolicited Neighbor Advertisement for IPv6.
 * Frame builders are pure (and unit-tested); the senders use AF_PACKET.
 */
#ifndef VIPD_ANNOUNCE_H
#define VIPD_ANNOUNCE_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ipaddr.h"

#define ANNOUNCE_GARP_LEN 42    /* Ethernet 14 + ARP 28 */
#define ANNOUNCE_NA_LEN 86      /* Ethernet 14 + IPv6 40 + NA 24 + option 8 */

/*
 * Gratuitous ARP request: broadcast, sender = target = vip, sender MAC mac.
 * Returns the frame length, or -ENOSPC.
 */
ssize_t announce_build_garp(uint8_t *frame, size_t size, const uint8_t mac[6],
			    const struct in_addr *vip);

/*
 * Unsolicited NA to ff02::1 (Ethernet 33:33:00:00:00:01), hop limit 255,
 * Override flag set (Router flag when router), target vip, target
 * link-layer address option mac, source src (link-local), checksummed.
 */
ssize_t announce_build_na(uint8_t *frame, size_t size, const uint8_t mac[6],
			  const struct in6_addr *src, const struct in6_addr *vip, int router);

/* A packet socket for sending frames on ifindex; returns fd or -errno. */
int announce_open(int ifindex);
void announce_close(int fd);

/* Send one frame built above on that socket; 0 or -errno. */
int announce_send(int fd, int ifindex, const uint8_t *frame, size_t len);

#endif
