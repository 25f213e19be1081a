/*
 * seen.h - what vipdump saw: a captured frame taken down to the VRRP
 * advert in it. The advert is decoded with vipd's own codec, but leniently:
 * a wrong TTL, trailing bytes or a bad checksum are noted as defects
 * (MON_P_*) and the advert is still shown. Pure: bytes in, a struct out.
 */
#ifndef VIPD_SEEN_H
#define VIPD_SEEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "packet.h"

/* One VRRP packet as decoded for display and monitoring. */
struct seen_pkt {
	uint64_t wall_us;
	struct pkt_ip ip;
	bool have_ip;
	enum pkt_drop drop;
	int vrid; /* -1 when the message is too short to say */
	unsigned defects;
	struct vrrp_advert adv;
};

/*
 * Skip the link-layer header of a frame of type dlt (Ethernet with up to
 * two VLAN tags, Linux cooked v1/v2, or raw IP): the IP packet and its
 * length, or NULL when it is not IPv4 or IPv6.
 */
const uint8_t *seen_link_payload(int dlt, const uint8_t *pkt, size_t len, size_t *ip_len);

/*
 * Decode an IP packet into s: the drop reason (PKT_OK when the advert is
 * good apart from its defects), the VRID when there is one, the defects.
 * Returns false for packets that are not VRRP at all (nothing to say).
 */
bool seen_decode(const uint8_t *buf, size_t len, struct seen_pkt *s);

#endif /* VIPD_SEEN_H */
