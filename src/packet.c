/*
 * packet.c - VRRP advertisement codec: RFC 5798 (VRRPv3, IPv4 and IPv6) and
 * RFC 3768 (VRRPv2). Pure: no sockets, no clocks, no logging. Multi-byte
 * fields are converted at this boundary; callers only see host order.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "packet.h"
#include "timeunit.h"

#define IPV4_MIN_HDR_LEN 20
#define IPV4_FRAG_MASK 0x3fff /* MF flag and fragment offset */
#define IPV6_HDR_LEN 40
#define IPV6_EXT_UNIT 8
#define IPV6_NH_HOPOPTS 0
#define IPV6_NH_ROUTING 43
#define IPV6_NH_DSTOPTS 60
#define VRRP_CSUM_OFFSET 6
#define VRRP_V3_INTERVAL_MASK 0x0fff
#define VRRP_MCAST_V4_HOST 0xe0000012u /* 224.0.0.18 */

static const char *const pkt_drop_names[PKT_DROP_COUNT] = {
	[PKT_OK] = "ok",
	[PKT_DROP_IP_HEADER] = "bad_ip_header",
	[PKT_DROP_TTL] = "bad_ttl",
	[PKT_DROP_TOO_SHORT] = "too_short",
	[PKT_DROP_VERSION] = "bad_version",
	[PKT_DROP_TYPE] = "bad_type",
	[PKT_DROP_LENGTH] = "bad_length",
	[PKT_DROP_CHECKSUM] = "bad_checksum",
	[PKT_DROP_INTERVAL_ZERO] = "zero_interval",
	[PKT_DROP_AUTH_TYPE] = "bad_auth_type",
	[PKT_DROP_UNKNOWN_VRID] = "unknown_vrid",
	[PKT_DROP_VERSION_MISMATCH] = "version_mismatch",
	[PKT_DROP_AUTH_MISMATCH] = "auth_mismatch",
	[PKT_DROP_INTERVAL_MISMATCH] = "interval_mismatch",
	[PKT_DROP_OWNER] = "address_owner",
	[PKT_DROP_NOT_PEER] = "not_peer",
};

static const char *const pkt_drop_texts[PKT_DROP_COUNT] = {
	[PKT_OK] = "accepted",
	[PKT_DROP_IP_HEADER] = "IP header is malformed or the protocol is not 112",
	[PKT_DROP_TTL] = "TTL or hop limit is not 255",
	[PKT_DROP_TOO_SHORT] = "shorter than the 8-byte VRRP header",
	[PKT_DROP_VERSION] = "VRRP version is neither 2 nor 3, or version 2 over IPv6",
	[PKT_DROP_TYPE] = "VRRP type is not advertisement",
	[PKT_DROP_LENGTH] = "length does not match the address count",
	[PKT_DROP_CHECKSUM] = "checksum is wrong",
	[PKT_DROP_INTERVAL_ZERO] = "advertisement interval is zero",
	[PKT_DROP_AUTH_TYPE] = "authentication type is neither none nor simple password",
	[PKT_DROP_UNKNOWN_VRID] = "no instance with this VRID on the interface",
	[PKT_DROP_VERSION_MISMATCH] = "VRRP version differs from the instance's",
	[PKT_DROP_AUTH_MISMATCH] = "authentication differs from the instance's",
	[PKT_DROP_INTERVAL_MISMATCH] = "advertisement interval differs from the instance's",
	[PKT_DROP_OWNER] = "we own the virtual addresses (priority 255)",
	[PKT_DROP_NOT_PEER] = "source is not a configured unicast peer",
};

const char *pkt_drop_name(enum pkt_drop reason)
{
	if ((unsigned int)reason >= PKT_DROP_COUNT || !pkt_drop_names[reason])
		return "invalid";
	return pkt_drop_names[reason];
}

const char *pkt_drop_text(enum pkt_drop reason)
{
	if ((unsigned int)reason >= PKT_DROP_COUNT || !pkt_drop_texts[reason])
		return "invalid drop reason";
	return pkt_drop_texts[reason];
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

size_t pkt_msg_len(uint8_t version, sa_family_t family, uint8_t naddr)
{
	size_t alen;

	if (family == AF_INET)
		alen = sizeof(struct in_addr);
	else if (family == AF_INET6)
		alen = sizeof(struct in6_addr);
	else
		return 0;

	if (version == 3)
		return VRRP_HDR_LEN + naddr * alen;
	if (version == 2 && family == AF_INET)
		return VRRP_HDR_LEN + naddr * alen + VRRP_V2_AUTH_LEN;
	return 0;
}

/* RFC 1071: 16-bit big-endian words; an odd tail byte is padded with zero. */
static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += get16(p + i);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/*
 * VRRPv3 sums a pseudo-header first: RFC 2460 8.1 for IPv6; for IPv4 the
 * TCP/UDP-style one (src, dst, zero, protocol, 16-bit length), which is
 * what keepalived and FRR send. VRRPv2 (RFC 3768 5.3.8) has none.
 */
static uint32_t csum_pseudo(uint8_t version, const struct ipaddr *src,
			    const struct ipaddr *dst, size_t len)
{
	size_t alen;
	uint32_t sum;

	if (version != 3 || !src || !dst)
		return 0;
	alen = ipaddr_len(src);
	if (alen == 0)
		return 0;
	sum = csum_add(0, ipaddr_bytes(src), alen);
	sum = csum_add(sum, ipaddr_bytes(dst), alen);
	sum += VRRP_PROTO;
	if (src->family == AF_INET6)
		sum += (uint32_t)(len >> 16);
	return sum + (uint32_t)(len & 0xffff);
}

uint16_t pkt_checksum(const uint8_t *msg, size_t len, uint8_t version, const struct ipaddr *src,
		      const struct ipaddr *dst)
{
	uint32_t sum = csum_pseudo(version, src, dst, len);

	/* Skip the checksum field itself rather than copying the message. */
	if (len <= VRRP_CSUM_OFFSET) {
		sum = csum_add(sum, msg, len);
	} else {
		sum = csum_add(sum, msg, VRRP_CSUM_OFFSET);
		if (len > VRRP_CSUM_OFFSET + 2)
			sum = csum_add(sum, msg + VRRP_CSUM_OFFSET + 2,
				       len - VRRP_CSUM_OFFSET - 2);
	}
	return (uint16_t)~csum_fold(sum);
}

/* Summing a message including its checksum gives all ones when it is right
 * (and so accepts both encodings of a zero sum, 0x0000 and 0xffff). */
static bool csum_verify(const uint8_t *msg, size_t len, uint8_t version,
			const struct ipaddr *src, const struct ipaddr *dst)
{
	return csum_fold(csum_add(csum_pseudo(version, src, dst, len), msg, len)) == 0xffff;
}

static void vrrp_mcast_v4(struct ipaddr *a)
{
	uint32_t be = htonl(VRRP_MCAST_V4_HOST);

	ipaddr_set(a, AF_INET, &be);
}

/*
 * keepalived before 1.3.6 checksummed unicast v3/IPv4 adverts as if sent to
 * 224.0.0.18 (its old_unicast_checksum option); accept those, flagged.
 */
static enum pkt_drop pkt_check_csum(const uint8_t *msg, size_t len, uint8_t version,
				    const struct pkt_ip *ip, bool *legacy)
{
	struct ipaddr mcast;

	*legacy = false;
	if (csum_verify(msg, len, version, &ip->src, &ip->dst))
		return PKT_OK;
	if (version != 3 || ip->dst.family != AF_INET || ipaddr_is_multicast(&ip->dst))
		return PKT_DROP_CHECKSUM;
	vrrp_mcast_v4(&mcast);
	if (!csum_verify(msg, len, version, &ip->src, &mcast))
		return PKT_DROP_CHECKSUM;
	*legacy = true;
	return PKT_OK;
}

static void pkt_fill(const uint8_t *msg, sa_family_t family, uint8_t version, uint16_t interval_cs,
		     bool legacy, struct vrrp_advert *adv)
{
	size_t alen = family == AF_INET ? sizeof(struct in_addr) : sizeof(struct in6_addr);
	const uint8_t *p = msg + VRRP_HDR_LEN;
	unsigned int i;

	memset(adv, 0, sizeof(*adv));
	adv->version = version;
	adv->vrid = msg[1];
	adv->priority = msg[2];
	adv->naddr = msg[3];
	adv->interval_cs = interval_cs;
	adv->legacy_checksum = legacy;
	adv->family = family;
	for (i = 0; i < adv->naddr; i++, p += alen)
		ipaddr_set(&adv->addrs[i], family, p);
	if (version == 2) {
		adv->auth_type = msg[4];
		memcpy(adv->auth_data, p, VRRP_V2_AUTH_LEN);
	}
}

enum pkt_drop pkt_decode(const uint8_t *msg, size_t len, const struct pkt_ip *ip,
			 struct vrrp_advert *adv)
{
	sa_family_t family = ip->src.family;
	uint16_t interval_cs;
	uint8_t version;
	bool legacy;
	enum pkt_drop ret;

	if ((family != AF_INET && family != AF_INET6) || ip->dst.family != family)
		return PKT_DROP_IP_HEADER;
	/* RFC 5798 7.1: a TTL below 255 means the advert crossed a router. */
	if (ip->ttl != VRRP_TTL)
		return PKT_DROP_TTL;
	if (len < VRRP_HDR_LEN)
		return PKT_DROP_TOO_SHORT;
	version = msg[0] >> 4;
	if (version != 3 && !(version == 2 && family == AF_INET))
		return PKT_DROP_VERSION;
	if ((msg[0] & 0x0f) != VRRP_TYPE_ADVERT)
		return PKT_DROP_TYPE;
	if (len != pkt_msg_len(version, family, msg[3]))
		return PKT_DROP_LENGTH;
	ret = pkt_check_csum(msg, len, version, ip, &legacy);
	if (ret != PKT_OK)
		return ret;
	/* v3: the 4 reserved bits are ignored on receipt (RFC 5798 5.2.6). */
	if (version == 3)
		interval_cs = get16(msg + 4) & VRRP_V3_INTERVAL_MASK;
	else
		interval_cs = (uint16_t)(msg[5] * CS_PER_SEC);
	if (interval_cs == 0)
		return PKT_DROP_INTERVAL_ZERO;
	/*
	 * RFC 3768 5.3.6 keeps types 1 and 2 only as reserved values from RFC
	 * 2338. Type 1 (RFC 2338's simple text password) stays for keepalived's
	 * auth_type PASS. Type 2 (IP Authentication Header) is refused here: an
	 * AH advert reaches the codec only once ahsock.c has checked and
	 * unwrapped it, with the type reset to 0.
	 */
	if (version == 2 && msg[4] != VRRP_AUTH_NONE && msg[4] != VRRP_AUTH_PASS)
		return PKT_DROP_AUTH_TYPE;
	/*
	 * RFC 5798 5.2.5 puts the minimum address count at 1, but that binds
	 * the sender. An advert with none is accepted: its priority and
	 * interval are all the election uses (the list is only compared and
	 * logged), and dropping it would make a master that lists no address
	 * silent to us, so that we would take over while it still holds them.
	 */
	pkt_fill(msg, family, version, interval_cs, legacy, adv);
	return PKT_OK;
}

static int pkt_check_encodable(const struct vrrp_advert *adv, const struct pkt_ip *ip)
{
	unsigned int i;

	if (adv->vrid == 0)
		return -EINVAL;
	if (adv->family != ip->src.family || adv->family != ip->dst.family)
		return -EINVAL;
	if (pkt_msg_len(adv->version, adv->family, adv->naddr) == 0)
		return -EINVAL;
	for (i = 0; i < adv->naddr; i++)
		if (adv->addrs[i].family != adv->family)
			return -EINVAL;
	if (adv->version == 3)
		return adv->interval_cs >= 1 && adv->interval_cs <= VRRP_V3_MAX_ADVER_INT_CS ?
			       0 : -EINVAL;
	/* v2 carries whole seconds: refuse rather than round. */
	if (adv->interval_cs == 0 || adv->interval_cs % CS_PER_SEC != 0 ||
	    adv->interval_cs / CS_PER_SEC > VRRP_V2_MAX_ADVER_INT_S)
		return -EINVAL;
	if (adv->auth_type != VRRP_AUTH_NONE && adv->auth_type != VRRP_AUTH_PASS)
		return -EINVAL;
	return 0;
}

ssize_t pkt_encode(const struct vrrp_advert *adv, const struct pkt_ip *ip, uint8_t *buf,
		   size_t size)
{
	size_t alen = adv->family == AF_INET ? sizeof(struct in_addr) : sizeof(struct in6_addr);
	const struct ipaddr *csum_dst = &ip->dst;
	struct ipaddr mcast;
	uint8_t *p = buf + VRRP_HDR_LEN;
	size_t len;
	unsigned int i;
	int ret;

	ret = pkt_check_encodable(adv, ip);
	if (ret < 0)
		return ret;
	len = pkt_msg_len(adv->version, adv->family, adv->naddr);
	if (size < len)
		return -ENOSPC;

	buf[0] = (uint8_t)(adv->version << 4 | VRRP_TYPE_ADVERT);
	buf[1] = adv->vrid;
	buf[2] = adv->priority;
	buf[3] = adv->naddr;
	if (adv->version == 3) {
		put16(buf + 4, adv->interval_cs);
	} else {
		buf[4] = adv->auth_type;
		buf[5] = (uint8_t)(adv->interval_cs / CS_PER_SEC);
	}
	put16(buf + VRRP_CSUM_OFFSET, 0);
	for (i = 0; i < adv->naddr; i++, p += alen)
		memcpy(p, ipaddr_bytes(&adv->addrs[i]), alen);
	if (adv->version == 2) {
		if (adv->auth_type == VRRP_AUTH_PASS)
			memcpy(p, adv->auth_data, VRRP_V2_AUTH_LEN);
		else
			memset(p, 0, VRRP_V2_AUTH_LEN);
	}

	/* Talking to a peer that still has keepalived's old unicast checksum. */
	if (adv->legacy_checksum && adv->version == 3 && adv->family == AF_INET &&
	    !ipaddr_is_multicast(&ip->dst)) {
		vrrp_mcast_v4(&mcast);
		csum_dst = &mcast;
	}
	put16(buf + VRRP_CSUM_OFFSET,
	      pkt_checksum(buf, len, adv->version, &ip->src, csum_dst));
	return (ssize_t)len;
}

/*
 * The IPv4 header checksum is not verified: the kernel did on receive, and
 * local-delivery option processing may legitimately rewrite the header.
 */
enum pkt_drop pkt_parse_ipv4(const uint8_t *buf, size_t len, struct pkt_ip *ip,
			     const uint8_t **msg, size_t *msg_len)
{
	size_t hdr_len, total_len;

	if (len < IPV4_MIN_HDR_LEN || buf[0] >> 4 != 4)
		return PKT_DROP_IP_HEADER;
	hdr_len = (size_t)(buf[0] & 0x0f) * 4;
	total_len = get16(buf + 2);
	if (hdr_len < IPV4_MIN_HDR_LEN || hdr_len > total_len || total_len > len)
		return PKT_DROP_IP_HEADER;
	/* A lone fragment cannot be checked; the kernel reassembles for us. */
	if (get16(buf + 6) & IPV4_FRAG_MASK)
		return PKT_DROP_IP_HEADER;
	if (buf[9] != VRRP_PROTO)
		return PKT_DROP_IP_HEADER;

	ipaddr_set(&ip->src, AF_INET, buf + 12);
	ipaddr_set(&ip->dst, AF_INET, buf + 16);
	ip->ttl = buf[8];
	/* Bytes past the total length are link-layer padding. */
	*msg = buf + hdr_len;
	*msg_len = total_len - hdr_len;
	return PKT_OK;
}

static bool ipv6_is_skippable(uint8_t next_header)
{
	return next_header == IPV6_NH_HOPOPTS || next_header == IPV6_NH_ROUTING ||
	       next_header == IPV6_NH_DSTOPTS;
}

enum pkt_drop pkt_parse_ipv6(const uint8_t *buf, size_t len, struct pkt_ip *ip,
			     const uint8_t **msg, size_t *msg_len)
{
	size_t off = IPV6_HDR_LEN, end;
	uint8_t nh;

	if (len < IPV6_HDR_LEN || buf[0] >> 4 != 6)
		return PKT_DROP_IP_HEADER;
	end = IPV6_HDR_LEN + get16(buf + 4);
	if (end > len)
		return PKT_DROP_IP_HEADER;

	/* Each extension header is at least 8 bytes, so this ends by 'end'. */
	nh = buf[6];
	while (ipv6_is_skippable(nh)) {
		size_t ext_len;

		if (end - off < IPV6_EXT_UNIT)
			return PKT_DROP_IP_HEADER;
		ext_len = ((size_t)buf[off + 1] + 1) * IPV6_EXT_UNIT;
		if (end - off < ext_len)
			return PKT_DROP_IP_HEADER;
		nh = buf[off];
		off += ext_len;
	}
	/* Fragment headers (and anything else) end up here too. */
	if (nh != VRRP_PROTO)
		return PKT_DROP_IP_HEADER;

	ipaddr_set(&ip->src, AF_INET6, buf + 8);
	ipaddr_set(&ip->dst, AF_INET6, buf + 24);
	ip->ttl = buf[7];
	*msg = buf + off;
	*msg_len = end - off;
	return PKT_OK;
}
