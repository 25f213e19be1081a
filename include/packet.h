/*
 * packet.h - VRRP advertisement codec (RFC 5798 VRRPv3 for IPv4 and IPv6,
 * RFC 3768 VRRPv2). Pure: bytes in, structures out, and back. Everything
 * inside the structures is in host byte order.
 */
#ifndef VIPD_PACKET_H
#define VIPD_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ipaddr.h"

#define VRRP_PROTO 112
#define VRRP_TTL 255
#define VRRP_TYPE_ADVERT 1
#define VRRP_HDR_LEN 8
#define VRRP_MAX_ADDRS 255
#define VRRP_V2_AUTH_LEN 8
#define VRRP_V3_MAX_ADVER_INT_CS 4095 /* 12 bits of centiseconds */
#define VRRP_V2_MAX_ADVER_INT_S 255
#define VRRP_MCAST_V4 "224.0.0.18"
#define VRRP_MCAST_V6 "ff02::12"
/* Largest VRRP message: header, 255 IPv6 addresses. */
#define VRRP_MAX_MSG_LEN (VRRP_HDR_LEN + VRRP_MAX_ADDRS * 16)
/* Largest IPv4 packet we ever parse (header with options + message). */
#define VRRP_MAX_PKT_LEN (60 + VRRP_MAX_MSG_LEN)

enum vrrp_auth_type {
	VRRP_AUTH_NONE = 0,
	VRRP_AUTH_PASS = 1,
	VRRP_AUTH_AH = 2, /* RFC 2338; obsolete, never accepted */
};

/* One decoded advertisement. */
struct vrrp_advert {
	uint8_t version;      /* 2 or 3 */
	uint8_t vrid;         /* 1..255 */
	uint8_t priority;     /* 0 resign, 1..254, 255 owner */
	uint8_t naddr;        /* entries used in addrs[] */
	uint16_t interval_cs; /* v3 Max Adver Int; v2 Adver Int x 100 */
	uint8_t auth_type;    /* v2 only, enum vrrp_auth_type */
	uint8_t auth_data[VRRP_V2_AUTH_LEN]; /* v2 only, zero padded */
	bool legacy_checksum; /* v3/IPv4 unicast checksummed against 224.0.0.18 */
	sa_family_t family;   /* family of addrs[] */
	struct ipaddr addrs[VRRP_MAX_ADDRS];
};

/* What the IP layer tells us about a packet (or will be told, on send). */
struct pkt_ip {
	struct ipaddr src;
	struct ipaddr dst;
	uint8_t ttl; /* TTL or hop limit */
};

/*
 * Why a packet was dropped. The codec returns the first group; the rest are
 * decided by the receiver against an instance (see vrrp_check_advert) and
 * share the enum so that one counter array covers every reason.
 */
enum pkt_drop {
	PKT_OK = 0,
	PKT_DROP_IP_HEADER,     /* IP header malformed, or not protocol 112 */
	PKT_DROP_TTL,           /* TTL / hop limit not 255 */
	PKT_DROP_TOO_SHORT,     /* shorter than the fixed header */
	PKT_DROP_VERSION,       /* version neither 2 nor 3, or v2 over IPv6 */
	PKT_DROP_TYPE,          /* type not advertisement */
	PKT_DROP_LENGTH,        /* length disagrees with the address count */
	PKT_DROP_CHECKSUM,
	PKT_DROP_INTERVAL_ZERO,
	PKT_DROP_AUTH_TYPE,     /* v2 auth type not 0 or 1 */
	/* decided against the receiving instance */
	PKT_DROP_UNKNOWN_VRID,  /* no instance for this VRID on the interface */
	PKT_DROP_VERSION_MISMATCH,
	PKT_DROP_AUTH_MISMATCH,
	PKT_DROP_INTERVAL_MISMATCH, /* v2: interval differs from ours */
	PKT_DROP_OWNER,         /* we own the address (priority 255) */
	PKT_DROP_NOT_PEER,      /* unicast: source not a configured peer */
	PKT_DROP_COUNT
};

/*
 * Stable snake_case name, used in logs and metrics: ok, bad_ip_header,
 * bad_ttl, too_short, bad_version, bad_type, bad_length, bad_checksum,
 * zero_interval, bad_auth_type, unknown_vrid, version_mismatch,
 * auth_mismatch, interval_mismatch, address_owner, not_peer (in enum
 * order); "invalid" for a value outside the enum.
 */
const char *pkt_drop_name(enum pkt_drop reason);
/* Human sentence fragment ("TTL is not 255"). */
const char *pkt_drop_text(enum pkt_drop reason);

/*
 * Message length for this version, family and address count (v2 includes
 * the 8 bytes of authentication data); 0 for a combination that does not
 * exist (v2 over IPv6, unknown version or family).
 */
size_t pkt_msg_len(uint8_t version, sa_family_t family, uint8_t naddr);

/*
 * Parse an IPv4 header as a raw socket or a capture hands it over: checks
 * version, header length (options allowed), total length (bytes beyond it
 * are link padding and ignored), not a fragment, and protocol 112; fills ip
 * (TTL included) and points msg and msg_len at the VRRP message. Returns
 * PKT_OK or PKT_DROP_IP_HEADER.
 */
enum pkt_drop pkt_parse_ipv4(const uint8_t *buf, size_t len, struct pkt_ip *ip,
			     const uint8_t **msg, size_t *msg_len);

/*
 * The same for an IPv6 packet (captures only; raw IPv6 sockets strip the
 * header). Skips hop-by-hop, routing and destination options headers; a
 * fragment header or any other next header than 112 is PKT_DROP_IP_HEADER.
 * The hop limit goes into ip->ttl.
 */
enum pkt_drop pkt_parse_ipv6(const uint8_t *buf, size_t len, struct pkt_ip *ip,
			     const uint8_t **msg, size_t *msg_len);

/*
 * Decode and validate a VRRP message. ip gives source and destination (for
 * the checksum pseudo-header) and the TTL/hop limit received. The address
 * family of ip decides how addresses are read; src and dst of another or
 * mixed family give PKT_DROP_IP_HEADER. Checks, in order, returning the
 * first failure: TTL (PKT_DROP_TTL), length >= 8 (TOO_SHORT), version 3, or
 * 2 over IPv4 (VERSION), type (TYPE), length == pkt_msg_len() for the
 * address count (LENGTH), checksum (CHECKSUM), interval != 0
 * (INTERVAL_ZERO), v2 auth type 0 or 1 (AUTH_TYPE). A v3/IPv4 advert to a
 * unicast destination whose checksum only matches with 224.0.0.18 as the
 * pseudo-header destination (keepalived < 1.3.6) is accepted with
 * adv->legacy_checksum set. VRID 0 is not rejected here: no instance has
 * it, so the receiver counts it as PKT_DROP_UNKNOWN_VRID.
 * Returns PKT_OK and fills all of adv (unused addrs[] zeroed; auth fields
 * zero for v3), or the reason, leaving adv untouched.
 */
enum pkt_drop pkt_decode(const uint8_t *msg, size_t len, const struct pkt_ip *ip,
			 struct vrrp_advert *adv);

/*
 * Encode adv into buf, computing the checksum for the addresses in ip.
 * Returns the message length, or -EINVAL (inconsistent advert: VRID 0, bad
 * version for the family, adv->family differing from ip's or an address's,
 * v3 interval outside 1..4095 cs, v2 interval not a whole number of seconds
 * in 1..255, v2 auth type other than none or PASS) or -ENOSPC (buf too
 * small). v2 auth data is written as zeros for auth none. With
 * adv->legacy_checksum, a v3/IPv4 unicast advert is checksummed against
 * 224.0.0.18 for peers running keepalived < 1.3.6.
 */
ssize_t pkt_encode(const struct vrrp_advert *adv, const struct pkt_ip *ip, uint8_t *buf,
		   size_t size);

/*
 * Internet checksum (RFC 1071) over a VRRP message for the given version
 * and pseudo-header addresses; the checksum field is treated as zero. v3
 * sums the IPv4 (src, dst, 0, 112, length) or RFC 2460 IPv6 pseudo-header
 * first, by src's family; v2 sums the message only and src/dst may be NULL.
 * The result is in host order: store it big-endian at bytes 6-7.
 */
uint16_t pkt_checksum(const uint8_t *msg, size_t len, uint8_t version, const struct ipaddr *src,
		      const struct ipaddr *dst);

#endif
