/*
 * ah.c - keepalived's AH for VRRPv2 (see ah.h).
 */
#include <errno.h>
#include <string.h>

#include "ah.h"
#include "md5.h"

#define IPV4_HDR_LEN 20
#define IPV4_TTL 255
#define VRRP_PROTO 112
#define AH_PAYLOAD_LEN ((AH_LEN / 4) - 2) /* RFC 4302: in 32-bit words, minus 2 */

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint16_t ip_csum(const uint8_t *h, size_t len)
{
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)h[i] << 8 | h[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* The ICV over ip (mutable fields zeroed), ah (ICV zeroed) and vrrp. */
static void icv(const uint8_t *ip, size_t iplen, const uint8_t *ah, const uint8_t *vrrp,
		size_t vlen, const void *key, size_t keylen, uint8_t out[AH_ICV_LEN])
{
	uint8_t iph[60], ahz[AH_LEN], mac[MD5_DIGEST_LEN];
	const void *pieces[3] = { iph, ahz, vrrp };
	size_t lens[3] = { iplen, AH_LEN, vlen };

	memcpy(iph, ip, iplen);
	iph[1] = 0;                /* TOS */
	iph[6] = iph[7] = 0;       /* flags and fragment offset */
	iph[10] = iph[11] = 0;     /* checksum */
	memcpy(ahz, ah, AH_LEN);
	memset(ahz + AH_LEN - AH_ICV_LEN, 0, AH_ICV_LEN);
	hmac_md5(key, keylen > AH_KEY_MAX ? AH_KEY_MAX : keylen, pieces, lens, 3, mac);
	memcpy(out, mac, AH_ICV_LEN);
}

ssize_t ah_encode(const uint8_t *vrrp, size_t vlen, const struct ipaddr *src,
		  const struct ipaddr *dst, uint16_t ip_id, uint32_t seq, const void *key,
		  size_t keylen, uint8_t *out, size_t size)
{
	size_t total = IPV4_HDR_LEN + AH_LEN + vlen;
	uint8_t *ip = out, *ah = out + IPV4_HDR_LEN;

	if (total > size || total > 0xffff || src->family != AF_INET || dst->family != AF_INET)
		return -EMSGSIZE;
	memset(out, 0, IPV4_HDR_LEN + AH_LEN);
	ip[0] = 0x45;
	ip[1] = AH_IP_TOS;
	put16(ip + 2, (uint16_t)total);
	put16(ip + 4, ip_id);
	ip[8] = IPV4_TTL;
	ip[9] = AH_PROTO;
	memcpy(ip + 12, &src->v4, 4);
	memcpy(ip + 16, &dst->v4, 4);
	ah[0] = VRRP_PROTO;
	ah[1] = AH_PAYLOAD_LEN;
	memcpy(ah + 4, &src->v4, 4); /* SPI: the sender's address, as keepalived */
	put32(ah + 8, seq);
	memcpy(out + IPV4_HDR_LEN + AH_LEN, vrrp, vlen);
	icv(ip, IPV4_HDR_LEN, ah, vrrp, vlen, key, keylen, ah + AH_LEN - AH_ICV_LEN);
	put16(ip + 10, ip_csum(ip, IPV4_HDR_LEN));
	return (ssize_t)total;
}

enum ah_result ah_verify(const uint8_t *pkt, size_t len, const void *key, size_t keylen,
			 const uint8_t **vrrp, size_t *vlen, uint32_t *seq)
{
	size_t iplen, ahlen;
	const uint8_t *ah;
	uint8_t want[AH_ICV_LEN];
	uint8_t diff = 0;

	if (len < IPV4_HDR_LEN || (pkt[0] >> 4) != 4)
		return AH_MALFORMED;
	iplen = (size_t)(pkt[0] & 0x0f) * 4;
	if (iplen < IPV4_HDR_LEN || len < iplen + AH_LEN || pkt[9] != AH_PROTO)
		return AH_MALFORMED;
	ah = pkt + iplen;
	ahlen = ((size_t)ah[1] + 2) * 4;
	if (ah[0] != VRRP_PROTO || ahlen != AH_LEN)
		return AH_MALFORMED;
	icv(pkt, iplen, ah, ah + AH_LEN, len - iplen - AH_LEN, key, keylen, want);
	/* Compared in constant time: the ICV is a secret's fingerprint. */
	for (size_t i = 0; i < AH_ICV_LEN; i++)
		diff |= (uint8_t)(want[i] ^ ah[AH_LEN - AH_ICV_LEN + i]);
	if (diff)
		return AH_BAD_ICV;
	*vrrp = ah + AH_LEN;
	*vlen = len - iplen - AH_LEN;
	*seq = get32(ah + 8);
	return AH_OK;
}

#define VRRP_AUTH_TYPE_AT 4
#define VRRP_CSUM_AT 6
#define VRRP_AUTH_AH_TYPE 2

static void vrrp_set_auth(uint8_t *vrrp, size_t len, uint8_t type)
{
	uint16_t sum;

	if (len < 8)
		return;
	vrrp[VRRP_AUTH_TYPE_AT] = type;
	vrrp[VRRP_CSUM_AT] = vrrp[VRRP_CSUM_AT + 1] = 0;
	sum = ip_csum(vrrp, len & ~(size_t)1);
	if (len & 1) { /* an odd last byte counts as its word's high half */
		uint32_t s = (uint16_t)~sum + ((uint32_t)vrrp[len - 1] << 8);

		s = (s & 0xffff) + (s >> 16);
		sum = (uint16_t)~s;
	}
	put16(vrrp + VRRP_CSUM_AT, sum);
}

void ah_vrrp_mark(uint8_t *vrrp, size_t len)
{
	vrrp_set_auth(vrrp, len, VRRP_AUTH_AH_TYPE);
}

void ah_vrrp_unmark(uint8_t *vrrp, size_t len)
{
	vrrp_set_auth(vrrp, len, 0);
}

bool ah_seq_fresh(uint32_t last, uint32_t seq)
{
	return seq == 1 || seq > last;
}
