/*
 * seen.c - what vipdump saw: a captured frame taken down to the VRRP
 * advert in it, decoded as vipd would, with every defect named (see seen.h).
 */
#include <string.h>

#include <pcap/dlt.h>

#include "monitor.h"
#include "seen.h"

#define ETH_HDR_LEN 14
#define VLAN_TAG_LEN 4
#define SLL_HDR_LEN 16
#define SLL2_HDR_LEN 20
#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_IPV6 0x86dd
#define ETHERTYPE_VLAN 0x8100
#define ETHERTYPE_QINQ 0x88a8
#define MAX_VLAN_TAGS 2
#define IPV4_MIN_HDR 20
#define IPV6_HDR 40
#define IPV6_NEXT_HEADER_OFF 6

static uint16_t seen_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

const uint8_t *seen_link_payload(int dlt, const uint8_t *pkt, size_t len, size_t *ip_len)
{
	size_t off;
	uint16_t type;

	switch (dlt) {
	case DLT_EN10MB:
		off = ETH_HDR_LEN;
		break;
	case DLT_LINUX_SLL:
		off = SLL_HDR_LEN;
		break;
	case DLT_LINUX_SLL2:
		off = SLL2_HDR_LEN;
		break;
	default: /* raw IP */
		*ip_len = len;
		return len ? pkt : NULL;
	}
	if (len < off)
		return NULL;
	type = seen_get16(pkt + (dlt == DLT_LINUX_SLL2 ? 0 : off - 2));
	for (int i = 0; i < MAX_VLAN_TAGS && (type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ);
	     i++) {
		if (len < off + VLAN_TAG_LEN)
			return NULL;
		type = seen_get16(pkt + off + 2);
		off += VLAN_TAG_LEN;
	}
	if (type != ETHERTYPE_IPV4 && type != ETHERTYPE_IPV6)
		return NULL;
	*ip_len = len - off;
	return pkt + off;
}

/*
 * Decode as vipd would, but say everything that is wrong rather than only
 * the first thing: the advert is decoded as if TTL were 255, trailing bytes
 * were absent and the checksum right, and each of those is a defect tag.
 */
static enum pkt_drop seen_decode_lenient(const uint8_t *msg, size_t len, const struct pkt_ip *ip,
					 struct vrrp_advert *adv, unsigned *defects)
{
	static uint8_t fixed[VRRP_MAX_MSG_LEN];
	struct pkt_ip ip255 = *ip;
	enum pkt_drop r;

	*defects = ip->ttl != VRRP_TTL ? MON_P_TTL : 0;
	ip255.ttl = VRRP_TTL;
	r = pkt_decode(msg, len, &ip255, adv);
	if (r == PKT_DROP_LENGTH) {
		size_t want = pkt_msg_len(msg[0] >> 4, ip->src.family, msg[3]);

		if (want && want < len) {
			*defects |= MON_P_LENGTH;
			len = want;
			r = pkt_decode(msg, len, &ip255, adv);
		}
	}
	if (r == PKT_DROP_CHECKSUM && len <= sizeof(fixed)) {
		uint16_t sum;

		memcpy(fixed, msg, len);
		sum = pkt_checksum(fixed, len, fixed[0] >> 4, &ip->src, &ip->dst);
		fixed[6] = (uint8_t)(sum >> 8);
		fixed[7] = (uint8_t)sum;
		r = pkt_decode(fixed, len, &ip255, adv);
		if (r == PKT_OK)
			*defects |= MON_P_CHECKSUM;
	}
	return r;
}

bool seen_decode(const uint8_t *buf, size_t len, struct seen_pkt *s)
{
	const uint8_t *msg = NULL;
	size_t msg_len = 0;

	s->vrid = -1;
	s->have_ip = false;
	if (!len)
		return false;
	if (buf[0] >> 4 == 4) {
		if (len >= IPV4_MIN_HDR && buf[9] != VRRP_PROTO)
			return false;
		s->drop = pkt_parse_ipv4(buf, len, &s->ip, &msg, &msg_len);
	} else if (buf[0] >> 4 == 6) {
		s->drop = pkt_parse_ipv6(buf, len, &s->ip, &msg, &msg_len);
		/* Captured for its extension headers, but not VRRP after all. */
		if (s->drop != PKT_OK && (len < IPV6_HDR || buf[IPV6_NEXT_HEADER_OFF] != VRRP_PROTO))
			return false;
	} else {
		return false;
	}
	if (s->drop != PKT_OK)
		return true;
	s->have_ip = true;
	if (msg_len >= 2)
		s->vrid = msg[1];
	s->drop = seen_decode_lenient(msg, msg_len, &s->ip, &s->adv, &s->defects);
	return true;
}
