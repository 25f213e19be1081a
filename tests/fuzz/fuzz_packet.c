/*
 * libFuzzer target: everything the receive path does with untrusted bytes.
 * The input is taken as an IPv4 packet, an IPv6 packet and a bare VRRP
 * message with each family's addresses; whatever decodes is encoded again
 * and must decode to the same advert.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "packet.h"

static void roundtrip(const struct vrrp_advert *adv, const struct pkt_ip *ip)
{
	uint8_t buf[VRRP_MAX_MSG_LEN];
	struct vrrp_advert again;
	struct pkt_ip rip = *ip;
	ssize_t len = pkt_encode(adv, ip, buf, sizeof(buf));

	if (len < 0)
		return; /* e.g. a legacy checksum advert re-encoded for a multicast dst */
	rip.ttl = VRRP_TTL;
	if (pkt_decode(buf, (size_t)len, &rip, &again) != PKT_OK)
		abort();
	if (again.vrid != adv->vrid || again.priority != adv->priority ||
	    again.naddr != adv->naddr || again.interval_cs != adv->interval_cs)
		abort();
}

static void decode(const uint8_t *msg, size_t len, const struct pkt_ip *ip)
{
	struct vrrp_advert adv;

	if (pkt_decode(msg, len, ip, &adv) == PKT_OK)
		roundtrip(&adv, ip);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pkt_ip ip;
	const uint8_t *msg;
	size_t len;

	if (pkt_parse_ipv4(data, size, &ip, &msg, &len) == PKT_OK)
		decode(msg, len, &ip);
	if (pkt_parse_ipv6(data, size, &ip, &msg, &len) == PKT_OK)
		decode(msg, len, &ip);

	memset(&ip, 0, sizeof(ip));
	ip.ttl = VRRP_TTL;
	ipaddr_parse("192.0.2.11", &ip.src, NULL);
	ipaddr_parse("224.0.0.18", &ip.dst, NULL);
	decode(data, size, &ip);
	ipaddr_parse("fe80::1", &ip.src, NULL);
	ipaddr_parse("ff02::12", &ip.dst, NULL);
	decode(data, size, &ip);
	return 0;
}
