/*
 * ah.h - keepalived's IPsec authentication header for VRRPv2 ("auth_type
 * AH"), pure: bytes in, bytes out. On the wire (as keepalived 2.2 sends
 * it): an IPv4 header with protocol 51, then
 *   next header 112, payload length 4, reserved 0,
 *   SPI = the sender's IPv4 address, a sequence number counting from 1,
 *   ICV = the first 12 bytes of HMAC-MD5, keyed with auth_pass, over the
 *         IP header (TOS and checksum zeroed, the fragment field too),
 *         this header with the ICV zeroed, and the VRRP message,
 * then the VRRP message, whose auth type is 2 and auth data zero.
 */
#ifndef VIPD_AH_H
#define VIPD_AH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ipaddr.h"

#define AH_PROTO 51
#define AH_LEN 24
#define AH_ICV_LEN 12
#define AH_IP_TOS 0xc0 /* internetwork control, as keepalived sends */
#define AH_KEY_MAX 8   /* auth_pass */

enum ah_result {
	AH_OK,
	AH_MALFORMED, /* not IPv4, too short, not AH, AH not carrying VRRP */
	AH_BAD_ICV,   /* the key differs, or the packet was changed */
};

/*
 * The whole IPv4 packet for vrrp (vlen bytes) from src to dst, with IP
 * identification ip_id and AH sequence number seq, keyed with key.
 * Returns its length, or -EMSGSIZE when out is too small.
 */
ssize_t ah_encode(const uint8_t *vrrp, size_t vlen, const struct ipaddr *src,
		  const struct ipaddr *dst, uint16_t ip_id, uint32_t seq, const void *key,
		  size_t keylen, uint8_t *out, size_t size);

/*
 * Check a received IPv4 packet (header included) carrying AH: on AH_OK
 * *vrrp and *vlen give the VRRP message in pkt and *seq its sequence
 * number.
 */
enum ah_result ah_verify(const uint8_t *pkt, size_t len, const void *key, size_t keylen,
			 const uint8_t **vrrp, size_t *vlen, uint32_t *seq);

/*
 * A VRRPv2 message's auth type set to AH (mark) or to none (unmark), its
 * checksum fixed: vipd builds and checks adverts with no authentication
 * and AH wraps them.
 */
void ah_vrrp_mark(uint8_t *vrrp, size_t len);
void ah_vrrp_unmark(uint8_t *vrrp, size_t len);

/*
 * Anti-replay: is seq newer than last (the greatest seen from that sender)?
 * A sender that restarted counts from 1 again: a sequence number of 1 is
 * always taken as a restart.
 */
bool ah_seq_fresh(uint32_t last, uint32_t seq);

#endif
