/*
 * test_packet.c - the VRRP codec against hand-checked vectors, adverts
 * captured from keepalived 2.2.7 (tests/data, see README.md there), and one
 * table row per rejection reason.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "packet.h"

#ifndef TEST_DATADIR
#define TEST_DATADIR "tests/data"
#endif

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define HEX_LINE_MAX (2 * VRRP_MAX_PKT_LEN + 2)

/* The worked example of VRRP-NOTES.md: keepalived 2.2.7, vrid 51, prio 150. */
#define WORKED_MSG "31 33 96 01 00 64 d2 cd c0 00 02 fe"

/* ---- helpers ---- */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Hex digits (spaces and a trailing newline allowed) into buf; returns length. */
static size_t unhex(const char *hex, uint8_t *buf, size_t size)
{
	size_t n = 0;
	int hi = -1;

	for (; *hex; hex++) {
		int v = hexval(*hex);

		if (v < 0) {
			if (*hex != ' ' && *hex != '\n')
				fail_msg("bad hex character '%c'", *hex);
			continue;
		}
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n >= size)
			fail_msg("hex longer than %zu bytes", size);
		buf[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	if (hi >= 0)
		fail_msg("odd number of hex digits");
	return n;
}

static struct ipaddr addr(const char *s)
{
	struct ipaddr a;

	memset(&a, 0, sizeof(a));
	if (s && ipaddr_parse(s, &a, NULL) < 0)
		fail_msg("test address %s does not parse", s);
	return a;
}

static struct pkt_ip mkip(const char *src, const char *dst, uint8_t ttl)
{
	struct pkt_ip ip = { .src = addr(src), .dst = addr(dst), .ttl = ttl };

	return ip;
}

static void assert_addr(const struct ipaddr *a, const char *want)
{
	char buf[IPADDR_STRLEN];

	ipaddr_str(a, buf, sizeof(buf));
	if (strcmp(buf, want) != 0)
		fail_msg("address %s, want %s", buf, want);
}

/* Recompute and store the checksum after a test edits a message. */
static void fix_checksum(uint8_t *msg, size_t len, const struct pkt_ip *ip)
{
	uint16_t sum = pkt_checksum(msg, len, msg[0] >> 4, &ip->src, &ip->dst);

	msg[6] = (uint8_t)(sum >> 8);
	msg[7] = (uint8_t)sum;
}

static struct vrrp_advert *advert_new(uint8_t version, sa_family_t family, uint8_t naddr)
{
	struct vrrp_advert *adv = calloc(1, sizeof(*adv));
	unsigned int i;

	assert_non_null(adv);
	adv->version = version;
	adv->vrid = 51;
	adv->priority = 150;
	adv->naddr = naddr;
	adv->interval_cs = 100;
	adv->family = family;
	for (i = 0; i < naddr; i++) {
		uint8_t b[16] = { 0 };

		if (family == AF_INET) {
			b[0] = 192, b[1] = 0, b[2] = 2, b[3] = (uint8_t)i;
		} else {
			b[0] = 0x20, b[1] = 0x01, b[2] = 0x0d, b[3] = 0xb8;
			b[14] = (uint8_t)(i >> 8), b[15] = (uint8_t)i;
		}
		ipaddr_set(&adv->addrs[i], family, b);
	}
	return adv;
}

/* ---- hand-checked vectors ---- */

/*
 * By hand: pseudo-header c000+020b+e000+0012+0070+000c = 0x1a299, message
 * (checksum zeroed) 3133+9601+0064+c000+02fe = 0x18a96; together 0x32d2f,
 * folded 0x2d32, complemented 0xd2cd. The message alone folds to 0x8a97,
 * complemented 0x7568.
 */
static void test_worked_example_checksum_uses_the_ipv4_pseudo_header(void **state)
{
	uint8_t msg[16];
	size_t len = unhex(WORKED_MSG, msg, sizeof(msg));
	struct pkt_ip ip = mkip("192.0.2.11", "224.0.0.18", 255);

	assert_int_equal(pkt_checksum(msg, len, 3, &ip.src, &ip.dst), 0xd2cd);
	/* The same bytes summed without a pseudo-header, as v2 does. */
	assert_int_equal(pkt_checksum(msg, len, 2, NULL, NULL), 0x7568);
	/* The stored checksum does not feed into the sum. */
	msg[6] = 0x12, msg[7] = 0x34;
	assert_int_equal(pkt_checksum(msg, len, 3, &ip.src, &ip.dst), 0xd2cd);
}

static void test_worked_example_decodes_to_keepalived_fields(void **state)
{
	uint8_t msg[16];
	size_t len = unhex(WORKED_MSG, msg, sizeof(msg));
	struct pkt_ip ip = mkip("192.0.2.11", "224.0.0.18", 255);
	struct vrrp_advert *adv = calloc(1, sizeof(*adv));

	assert_int_equal(pkt_decode(msg, len, &ip, adv), PKT_OK);
	assert_int_equal(adv->version, 3);
	assert_int_equal(adv->vrid, 51);
	assert_int_equal(adv->priority, 150);
	assert_int_equal(adv->naddr, 1);
	assert_int_equal(adv->interval_cs, 100);
	assert_int_equal(adv->auth_type, 0);
	assert_false(adv->legacy_checksum);
	assert_int_equal(adv->family, AF_INET);
	assert_addr(&adv->addrs[0], "192.0.2.254");
	assert_true(ipaddr_is_unset(&adv->addrs[1]));
	free(adv);
}

static void test_worked_example_encodes_byte_for_byte(void **state)
{
	uint8_t want[16], buf[VRRP_MAX_MSG_LEN];
	size_t len = unhex(WORKED_MSG, want, sizeof(want));
	struct pkt_ip ip = mkip("192.0.2.11", "224.0.0.18", 255);
	struct vrrp_advert *adv = advert_new(3, AF_INET, 1);

	adv->addrs[0] = addr("192.0.2.254");
	assert_int_equal(pkt_encode(adv, &ip, buf, sizeof(buf)), (ssize_t)len);
	assert_memory_equal(buf, want, len);
	free(adv);
}

/*
 * v2 by hand (keepalived 2.2.7, no auth): 2133+9601+0001+c000+02fe and four
 * zero words = 0x17a33, folded 0x7a34, complemented 0x85cb.
 */
static void test_v2_checksum_covers_the_message_only(void **state)
{
	uint8_t msg[32];
	size_t len = unhex("21 33 96 01 00 01 00 00 c0 00 02 fe 00 00 00 00 00 00 00 00",
			   msg, sizeof(msg));
	struct pkt_ip ip = mkip("192.0.2.11", "224.0.0.18", 255);

	assert_int_equal(pkt_checksum(msg, len, 2, &ip.src, &ip.dst), 0x85cb);
	assert_int_equal(pkt_checksum(msg, len, 2, NULL, NULL), 0x85cb);
}

/* RFC 1071 pads an odd tail byte with zero; short inputs must not overrun. */
static void test_checksum_of_odd_and_short_lengths(void **state)
{
	const uint8_t odd[] = { 0x01, 0x02, 0x03 };
	const uint8_t nine[] = { 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0x01 };
	const struct ipaddr unset = { .family = AF_UNSPEC };

	assert_int_equal(pkt_checksum(odd, sizeof(odd), 2, NULL, NULL), 0xfbfd);
	/* checksum field skipped, tail byte 0x01 counts as 0x0100 */
	assert_int_equal(pkt_checksum(nine, sizeof(nine), 2, NULL, NULL), 0xfeff);
	assert_int_equal(pkt_checksum(nine, 7, 2, NULL, NULL), 0xffff);
	/* v3 without addresses, or with unset ones, has no pseudo-header to add */
	assert_int_equal(pkt_checksum(odd, sizeof(odd), 3, NULL, NULL), 0xfbfd);
	assert_int_equal(pkt_checksum(odd, sizeof(odd), 3, &unset, &unset), 0xfbfd);
}

/*
 * IPv6 pseudo-header (RFC 2460 8.1) by hand for fe80::11 -> ff02::12, VRRP
 * length 24: fe80+0011+ff02+0012+0018+0070 = 0x1fe2d; message 3133+9601+
 * 0064+2001+0db8+0254 = 0xf7a5; total 0x2f5d2, folded 0xf5d4, complemented
 * 0x0a2b. keepalived has the kernel compute it (IPV6_CHECKSUM); its captured
 * advert for 2001:db8::254 carries the same 0x0a2b.
 */
static void test_ipv6_checksum_uses_the_rfc2460_pseudo_header(void **state)
{
	uint8_t msg[32];
	size_t len = unhex("31 33 96 01 00 64 00 00 20 01 0d b8 00 00 00 00"
			   "00 00 00 00 00 00 02 54", msg, sizeof(msg));
	struct pkt_ip ip = mkip("fe80::11", "ff02::12", 255);

	assert_int_equal(len, 24);
	assert_int_equal(pkt_checksum(msg, len, 3, &ip.src, &ip.dst), 0x0a2b);
}

/* ---- round trips ---- */

struct roundtrip_case {
	const char *name;
	uint8_t version;
	sa_family_t family;
	uint8_t naddr;
	uint16_t interval_cs;
	uint8_t priority;
	uint8_t auth_type;
	const char *auth;
	const char *src, *dst;
};

static const struct roundtrip_case roundtrip_cases[] = {
	{ "roundtrip: v3 ipv4 multicast, one address", 3, AF_INET, 1, 100, 150, 0, NULL,
	  "192.0.2.11", "224.0.0.18" },
	{ "roundtrip: v3 ipv4 unicast, minimum interval 1 cs", 3, AF_INET, 2, 1, 1, 0, NULL,
	  "192.0.2.11", "192.0.2.12" },
	{ "roundtrip: v3 ipv4, maximum interval 4095 cs, owner", 3, AF_INET, 3, 4095, 255, 0,
	  NULL, "192.0.2.11", "224.0.0.18" },
	{ "roundtrip: v3 ipv4, 255 addresses", 3, AF_INET, 255, 100, 100, 0, NULL,
	  "192.0.2.11", "224.0.0.18" },
	{ "roundtrip: v3 ipv4, no addresses, resigning", 3, AF_INET, 0, 100, 0, 0, NULL,
	  "192.0.2.11", "224.0.0.18" },
	{ "roundtrip: v3 ipv6 multicast, one address", 3, AF_INET6, 1, 100, 150, 0, NULL,
	  "fe80::11", "ff02::12" },
	{ "roundtrip: v3 ipv6 unicast, 255 addresses", 3, AF_INET6, 255, 25, 200, 0, NULL,
	  "2001:db8::11", "2001:db8::12" },
	{ "roundtrip: v2 auth none", 2, AF_INET, 1, 100, 150, VRRP_AUTH_NONE, NULL,
	  "192.0.2.11", "224.0.0.18" },
	{ "roundtrip: v2 auth PASS, 8-byte password", 2, AF_INET, 2, 300, 100, VRRP_AUTH_PASS,
	  "12345678", "192.0.2.11", "224.0.0.18" },
	{ "roundtrip: v2 auth PASS, short password, maximum 255 s", 2, AF_INET, 1, 25500, 50,
	  VRRP_AUTH_PASS, "secret", "192.0.2.11", "224.0.0.18" },
	{ "roundtrip: v2 auth none, 255 addresses", 2, AF_INET, 255, 100, 254, VRRP_AUTH_NONE,
	  NULL, "192.0.2.11", "224.0.0.18" },
};

static void test_roundtrip(void **state)
{
	const struct roundtrip_case *c = *state;
	struct vrrp_advert *in = advert_new(c->version, c->family, c->naddr);
	struct vrrp_advert *out = calloc(1, sizeof(*out));
	struct pkt_ip ip = mkip(c->src, c->dst, 255);
	uint8_t buf[VRRP_MAX_MSG_LEN];
	size_t want_len = pkt_msg_len(c->version, c->family, c->naddr);
	unsigned int i;

	in->interval_cs = c->interval_cs;
	in->priority = c->priority;
	in->auth_type = c->auth_type;
	if (c->auth)
		memcpy(in->auth_data, c->auth, strlen(c->auth));
	assert_int_equal(pkt_encode(in, &ip, buf, sizeof(buf)), (ssize_t)want_len);
	assert_int_equal(pkt_decode(buf, want_len, &ip, out), PKT_OK);

	assert_int_equal(out->version, c->version);
	assert_int_equal(out->vrid, 51);
	assert_int_equal(out->priority, c->priority);
	assert_int_equal(out->naddr, c->naddr);
	assert_int_equal(out->interval_cs, c->interval_cs);
	assert_int_equal(out->auth_type, c->auth_type);
	assert_memory_equal(out->auth_data, in->auth_data, VRRP_V2_AUTH_LEN);
	assert_false(out->legacy_checksum);
	assert_int_equal(out->family, c->family);
	for (i = 0; i < c->naddr; i++)
		assert_true(ipaddr_equal(&out->addrs[i], &in->addrs[i]));
	free(in);
	free(out);
}

static void test_encode_v2_auth_none_writes_zero_auth_data(void **state)
{
	struct vrrp_advert *adv = advert_new(2, AF_INET, 1);
	struct pkt_ip ip = mkip("192.0.2.11", "224.0.0.18", 255);
	uint8_t buf[64];
	const uint8_t zero[VRRP_V2_AUTH_LEN] = { 0 };

	memcpy(adv->auth_data, "leftover", VRRP_V2_AUTH_LEN);
	assert_int_equal(pkt_encode(adv, &ip, buf, sizeof(buf)), 20);
	assert_memory_equal(buf + 12, zero, VRRP_V2_AUTH_LEN);
	assert_int_equal(buf[4], VRRP_AUTH_NONE);
	assert_int_equal(buf[5], 1);
	free(adv);
}

/* ---- keepalived < 1.3.6 unicast checksum ---- */

/* The worked example's checksum (against 224.0.0.18) sent to a unicast peer. */
static void test_unicast_advert_with_multicast_checksum_is_accepted_as_legacy(void **state)
{
	uint8_t msg[16];
	size_t len = unhex(WORKED_MSG, msg, sizeof(msg));
	struct pkt_ip ip = mkip("192.0.2.11", "192.0.2.12", 255);
	struct vrrp_advert *adv = calloc(1, sizeof(*adv));

	assert_int_equal(pkt_decode(msg, len, &ip, adv), PKT_OK);
	assert_true(adv->legacy_checksum);
	assert_int_equal(adv->priority, 150);
	free(adv);
}

static void test_unicast_advert_with_correct_checksum_is_not_legacy(void **state)
{
	uint8_t msg[16];
	size_t len = unhex("31 33 96 01 00 64 f0 d3 c0 00 02 fe", msg, sizeof(msg));
	struct pkt_ip ip = mkip("192.0.2.11", "192.0.2.12", 255);
	struct vrrp_advert *adv = calloc(1, sizeof(*adv));

	assert_int_equal(pkt_decode(msg, len, &ip, adv), PKT_OK);
	assert_false(adv->legacy_checksum);
	free(adv);
}

static void test_encode_with_legacy_checksum_matches_old_keepalived(void **state)
{
	uint8_t want[16], buf[64];
	size_t len = unhex(WORKED_MSG, want, sizeof(want));
	struct pkt_ip uni = mkip("192.0.2.11", "192.0.2.12", 255);
	struct pkt_ip mc = mkip("192.0.2.11", "224.0.0.18", 255);
	struct vrrp_advert *adv = advert_new(3, AF_INET, 1);
	struct vrrp_advert *out = calloc(1, sizeof(*out));

	adv->addrs[0] = addr("192.0.2.254");
	adv->legacy_checksum = true;
	assert_int_equal(pkt_encode(adv, &uni, buf, sizeof(buf)), (ssize_t)len);
	assert_memory_equal(buf, want, len);
	assert_int_equal(pkt_decode(buf, len, &uni, out), PKT_OK);
	assert_true(out->legacy_checksum);
	/* Multicast adverts are the same either way. */
	assert_int_equal(pkt_encode(adv, &mc, buf, sizeof(buf)), (ssize_t)len);
	assert_memory_equal(buf, want, len);
	assert_int_equal(pkt_decode(buf, len, &mc, out), PKT_OK);
	assert_false(out->legacy_checksum);
	free(adv);
	free(out);
}

/* ---- rejections: one row per reason and edge ---- */

struct drop_case {
	const char *name;
	const char *src, *dst;
	uint8_t ttl;
	const char *hex;
	bool fix_csum; /* make the checksum right so a later check is reached */
	enum pkt_drop want;
};

#define V4 "192.0.2.11", "224.0.0.18"
#define V4U "192.0.2.11", "192.0.2.12"
#define V6 "fe80::11", "ff02::12"
#define V6ADDR "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 02 54"
#define V2AUTH "73 65 63 72 65 74 00 00"

static const struct drop_case drop_cases[] = {
	/* what the IP layer reports */
	{ "drop: unset source address -> bad_ip_header", NULL, "224.0.0.18", 255, WORKED_MSG,
	  false, PKT_DROP_IP_HEADER },
	{ "drop: mixed address families -> bad_ip_header", "fe80::11", "224.0.0.18", 255,
	  WORKED_MSG, false, PKT_DROP_IP_HEADER },
	{ "drop: ttl 254 -> bad_ttl", V4, 254, WORKED_MSG, false, PKT_DROP_TTL },
	{ "drop: ttl 1 -> bad_ttl", V4, 1, WORKED_MSG, false, PKT_DROP_TTL },
	{ "drop: ipv6 hop limit 64 -> bad_ttl", V6, 64,
	  "31 33 96 01 00 64 0a 2b " V6ADDR, false, PKT_DROP_TTL },
	{ "drop: ttl checked before length -> bad_ttl", V4, 0, "31", false, PKT_DROP_TTL },
	/* lengths */
	{ "drop: empty message -> too_short", V4, 255, "", false, PKT_DROP_TOO_SHORT },
	{ "drop: 7 bytes -> too_short", V4, 255, "31 33 96 01 00 64 d2", false,
	  PKT_DROP_TOO_SHORT },
	/* version and type */
	{ "drop: version 1 -> bad_version", V4, 255, "11 33 96 01 00 64 d2 cd c0 00 02 fe",
	  true, PKT_DROP_VERSION },
	{ "drop: version 4 -> bad_version", V4, 255, "41 33 96 01 00 64 d2 cd c0 00 02 fe",
	  true, PKT_DROP_VERSION },
	{ "drop: version 0 -> bad_version", V4, 255, "01 33 96 01 00 64 d2 cd c0 00 02 fe",
	  true, PKT_DROP_VERSION },
	{ "drop: version 15 -> bad_version", V4, 255, "f1 33 96 01 00 64 d2 cd c0 00 02 fe",
	  true, PKT_DROP_VERSION },
	{ "drop: version 2 over ipv6 -> bad_version", V6, 255,
	  "21 33 96 01 01 01 00 00 " V6ADDR V2AUTH, true, PKT_DROP_VERSION },
	{ "drop: type 0 -> bad_type", V4, 255, "30 33 96 01 00 64 d2 cd c0 00 02 fe", true,
	  PKT_DROP_TYPE },
	{ "drop: type 2 -> bad_type", V4, 255, "32 33 96 01 00 64 d2 cd c0 00 02 fe", true,
	  PKT_DROP_TYPE },
	{ "drop: v2 type 15 -> bad_type", V4, 255, "2f 33 96 01 00 01 00 00 c0 00 02 fe" V2AUTH,
	  true, PKT_DROP_TYPE },
	{ "drop: version checked before type -> bad_version", V4, 255,
	  "50 33 96 01 00 64 d2 cd c0 00 02 fe", true, PKT_DROP_VERSION },
	/* count against length */
	{ "drop: count 2 with one address -> bad_length", V4, 255,
	  "31 33 96 02 00 64 00 00 c0 00 02 fe", true, PKT_DROP_LENGTH },
	{ "drop: count 1 with no address -> bad_length", V4, 255, "31 33 96 01 00 64 00 00",
	  true, PKT_DROP_LENGTH },
	{ "drop: count 0 with one address -> bad_length", V4, 255,
	  "31 33 96 00 00 64 00 00 c0 00 02 fe", true, PKT_DROP_LENGTH },
	{ "drop: trailing byte -> bad_length", V4, 255, "31 33 96 01 00 64 00 00 c0 00 02 fe 00",
	  true, PKT_DROP_LENGTH },
	{ "drop: truncated address -> bad_length", V4, 255, "31 33 96 01 00 64 00 00 c0 00 02",
	  true, PKT_DROP_LENGTH },
	{ "drop: count 255 with no addresses -> bad_length", V4, 255,
	  "31 33 96 ff 00 64 00 00", true, PKT_DROP_LENGTH },
	{ "drop: ipv6 count 1 with a 4-byte address -> bad_length", V6, 255, WORKED_MSG, true,
	  PKT_DROP_LENGTH },
	{ "drop: v2 without auth data -> bad_length", V4, 255, "21 33 96 01 00 01 00 00 c0 00 02 fe",
	  true, PKT_DROP_LENGTH },
	{ "drop: v2 with 4 bytes of auth data -> bad_length", V4, 255,
	  "21 33 96 01 00 01 00 00 c0 00 02 fe 00 00 00 00", true, PKT_DROP_LENGTH },
	/* checksum */
	{ "drop: v3 ipv4 checksum off by one -> bad_checksum", V4, 255,
	  "31 33 96 01 00 64 d2 ce c0 00 02 fe", false, PKT_DROP_CHECKSUM },
	{ "drop: v3 ipv4 checksum without pseudo-header -> bad_checksum", V4, 255,
	  "31 33 96 01 00 64 75 68 c0 00 02 fe", false, PKT_DROP_CHECKSUM },
	{ "drop: v3 ipv4 from another source -> bad_checksum", "192.0.2.13", "224.0.0.18", 255,
	  WORKED_MSG, false, PKT_DROP_CHECKSUM },
	{ "drop: v3 unicast, neither checksum matches -> bad_checksum", V4U, 255,
	  "31 33 96 01 00 64 d2 ce c0 00 02 fe", false, PKT_DROP_CHECKSUM },
	{ "drop: v3 ipv6 wrong checksum -> bad_checksum", V6, 255,
	  "31 33 96 01 00 64 0a 2c " V6ADDR, false, PKT_DROP_CHECKSUM },
	{ "drop: v3 ipv6 unicast, no legacy tolerance -> bad_checksum", "fe80::11", "fe80::12",
	  255, "31 33 96 01 00 64 0a 2b " V6ADDR, false, PKT_DROP_CHECKSUM },
	{ "drop: v2 with a v3-style pseudo-header checksum -> bad_checksum", V4, 255,
	  "21 33 96 01 00 01 e3 28 c0 00 02 fe 00 00 00 00 00 00 00 00", false,
	  PKT_DROP_CHECKSUM },
	{ "drop: v2 password corrupted -> bad_checksum", V4, 255,
	  "21 33 96 01 01 01 48 7f c0 00 02 fe 73 65 63 72 65 74 00 01", false,
	  PKT_DROP_CHECKSUM },
	{ "drop: length checked before checksum -> bad_length", V4, 255,
	  "31 33 96 02 00 64 d2 ce c0 00 02 fe", false, PKT_DROP_LENGTH },
	/* interval */
	{ "drop: v3 interval 0 -> zero_interval", V4, 255, "31 33 96 01 00 00 00 00 c0 00 02 fe",
	  true, PKT_DROP_INTERVAL_ZERO },
	{ "drop: v3 interval 0 under reserved bits -> zero_interval", V4, 255,
	  "31 33 96 01 f0 00 00 00 c0 00 02 fe", true, PKT_DROP_INTERVAL_ZERO },
	{ "drop: v2 interval 0 -> zero_interval", V4, 255,
	  "21 33 96 01 00 00 00 00 c0 00 02 fe 00 00 00 00 00 00 00 00", true,
	  PKT_DROP_INTERVAL_ZERO },
	{ "drop: checksum checked before interval -> bad_checksum", V4, 255,
	  "31 33 96 01 00 00 00 00 c0 00 02 fe", false, PKT_DROP_CHECKSUM },
	/* v2 authentication type */
	{ "drop: v2 auth type 2 (AH) -> bad_auth_type", V4, 255,
	  "21 33 96 01 02 01 00 00 c0 00 02 fe 00 00 00 00 00 00 00 00", true,
	  PKT_DROP_AUTH_TYPE },
	{ "drop: v2 auth type 255 -> bad_auth_type", V4, 255,
	  "21 33 96 01 ff 01 00 00 c0 00 02 fe 00 00 00 00 00 00 00 00", true,
	  PKT_DROP_AUTH_TYPE },
	{ "drop: interval checked before auth type -> zero_interval", V4, 255,
	  "21 33 96 01 02 00 00 00 c0 00 02 fe 00 00 00 00 00 00 00 00", true,
	  PKT_DROP_INTERVAL_ZERO },
	/* accepted edges */
	{ "accept: v3 reserved bits set are ignored", V4, 255,
	  "31 33 96 01 f0 64 00 00 c0 00 02 fe", true, PKT_OK },
	{ "accept: vrid 0 is left to the receiver (unknown_vrid)", V4, 255,
	  "31 00 96 01 00 64 00 00 c0 00 02 fe", true, PKT_OK },
	{ "accept: no addresses", V4, 255, "31 33 96 00 00 64 00 00", true, PKT_OK },
	{ "accept: v3 auth-type byte position is just interval bits", V4, 255,
	  "31 33 96 01 02 00 00 00 c0 00 02 fe", true, PKT_OK },
};

static void test_drop(void **state)
{
	const struct drop_case *c = *state;
	struct pkt_ip ip = mkip(c->src, c->dst, c->ttl);
	struct vrrp_advert *adv = calloc(1, sizeof(*adv));
	uint8_t msg[VRRP_MAX_MSG_LEN];
	size_t len = unhex(c->hex, msg, sizeof(msg));
	enum pkt_drop got;

	assert_non_null(adv);
	if (c->fix_csum)
		fix_checksum(msg, len, &ip);
	adv->vrid = 77; /* sentinel: a drop must leave adv alone */
	got = pkt_decode(msg, len, &ip, adv);
	if (got != c->want)
		fail_msg("got %s, want %s", pkt_drop_name(got), pkt_drop_name(c->want));
	if (got != PKT_OK)
		assert_int_equal(adv->vrid, 77);
	free(adv);
}

/* Every prefix of a valid message is rejected: too short, then length. */
static void test_truncation_at_every_byte_is_rejected(void **state)
{
	static const struct {
		const char *src, *dst, *hex;
	} msgs[] = {
		{ V4, WORKED_MSG },
		{ V6, "31 33 96 01 00 64 0a 2b " V6ADDR },
		{ V4, "21 33 96 01 01 01 48 7f c0 00 02 fe " V2AUTH },
	};
	struct vrrp_advert *adv = calloc(1, sizeof(*adv));
	size_t i, cut;

	for (i = 0; i < ARRAY_SIZE(msgs); i++) {
		struct pkt_ip ip = mkip(msgs[i].src, msgs[i].dst, 255);
		uint8_t msg[64];
		size_t len = unhex(msgs[i].hex, msg, sizeof(msg));

		assert_int_equal(pkt_decode(msg, len, &ip, adv), PKT_OK);
		for (cut = 0; cut < len; cut++) {
			enum pkt_drop want = cut < VRRP_HDR_LEN ? PKT_DROP_TOO_SHORT :
								  PKT_DROP_LENGTH;
			enum pkt_drop got = pkt_decode(msg, cut, &ip, adv);

			if (got != want)
				fail_msg("message %zu cut to %zu: got %s, want %s", i, cut,
					 pkt_drop_name(got), pkt_drop_name(want));
		}
	}
	free(adv);
}

static void test_count_255_needs_exactly_255_addresses(void **state)
{
	struct vrrp_advert *adv = advert_new(3, AF_INET6, 255);
	struct pkt_ip ip = mkip(V6, 255);
	uint8_t buf[VRRP_MAX_MSG_LEN];
	ssize_t len = pkt_encode(adv, &ip, buf, sizeof(buf));

	assert_int_equal(len, VRRP_MAX_MSG_LEN);
	assert_int_equal(pkt_decode(buf, (size_t)len, &ip, adv), PKT_OK);
	assert_int_equal(adv->naddr, 255);
	assert_addr(&adv->addrs[254], "2001:db8::fe");
	assert_int_equal(pkt_decode(buf, (size_t)len - 16, &ip, adv), PKT_DROP_LENGTH);
	free(adv);
}

/* ---- encode errors ---- */

#define ADDR_UNSET (-1)

struct encode_case {
	const char *name;
	uint8_t version;
	sa_family_t family;
	uint16_t interval_cs;
	uint8_t auth_type;
	uint8_t vrid;
	const char *src, *dst;
	int addr_family; /* family of addrs[0]; 0 = the advert's, ADDR_UNSET = none */
	size_t size;     /* 0 = plenty */
	ssize_t want;
};

static const struct encode_case encode_cases[] = {
	{ "encode: v2 over ipv6 -> EINVAL", 2, AF_INET6, 100, 0, 51, V6, 0, 0, -EINVAL },
	{ "encode: v2 interval 150 cs -> EINVAL", 2, AF_INET, 150, 0, 51, V4, 0, 0, -EINVAL },
	{ "encode: v2 interval 99 cs -> EINVAL", 2, AF_INET, 99, 0, 51, V4, 0, 0, -EINVAL },
	{ "encode: v2 interval 256 s -> EINVAL", 2, AF_INET, 25600, 0, 51, V4, 0, 0, -EINVAL },
	{ "encode: v2 interval 0 -> EINVAL", 2, AF_INET, 0, 0, 51, V4, 0, 0, -EINVAL },
	{ "encode: v2 auth AH -> EINVAL", 2, AF_INET, 100, VRRP_AUTH_AH, 51, V4, 0, 0, -EINVAL },
	{ "encode: v3 interval 0 -> EINVAL", 3, AF_INET, 0, 0, 51, V4, 0, 0, -EINVAL },
	{ "encode: v3 interval 4096 cs -> EINVAL", 3, AF_INET, 4096, 0, 51, V4, 0, 0, -EINVAL },
	{ "encode: v3 ipv6 interval 65535 cs -> EINVAL", 3, AF_INET6, 65535, 0, 51, V6, 0, 0,
	  -EINVAL },
	{ "encode: version 1 -> EINVAL", 1, AF_INET, 100, 0, 51, V4, 0, 0, -EINVAL },
	{ "encode: version 4 -> EINVAL", 4, AF_INET, 100, 0, 51, V4, 0, 0, -EINVAL },
	{ "encode: vrid 0 -> EINVAL", 3, AF_INET, 100, 0, 0, V4, 0, 0, -EINVAL },
	{ "encode: ipv4 advert, ipv6 header -> EINVAL", 3, AF_INET, 100, 0, 51, V6, 0, 0,
	  -EINVAL },
	{ "encode: ipv4 advert, ipv6 destination -> EINVAL", 3, AF_INET, 100, 0, 51,
	  "192.0.2.11", "ff02::12", 0, 0, -EINVAL },
	{ "encode: ipv6 address in an ipv4 advert -> EINVAL", 3, AF_INET, 100, 0, 51, V4,
	  AF_INET6, 0, -EINVAL },
	{ "encode: unset address -> EINVAL", 3, AF_INET6, 100, 0, 51, V6, ADDR_UNSET, 0,
	  -EINVAL },
	{ "encode: unset family -> EINVAL", 3, AF_UNSPEC, 100, 0, 51, NULL, NULL, 0, 0,
	  -EINVAL },
	{ "encode: buffer one byte short -> ENOSPC", 3, AF_INET, 100, 0, 51, V4, 0, 11,
	  -ENOSPC },
	{ "encode: v2 buffer one byte short -> ENOSPC", 2, AF_INET, 100, 0, 51, V4, 0, 19,
	  -ENOSPC },
	{ "encode: buffer exactly long enough", 3, AF_INET6, 100, 0, 51, V6, 0, 24, 24 },
	{ "encode: v2 interval 255 s", 2, AF_INET, 25500, 1, 51, V4, 0, 0, 20 },
	{ "encode: v3 interval 4095 cs", 3, AF_INET, 4095, 0, 51, V4, 0, 0, 12 },
	{ "encode: v3 interval 1 cs", 3, AF_INET, 1, 0, 255, V4, 0, 0, 12 },
};

static void test_encode(void **state)
{
	const struct encode_case *c = *state;
	struct vrrp_advert *adv = advert_new(c->version, c->family == AF_UNSPEC ? AF_INET : c->family,
					     1);
	struct pkt_ip ip = mkip(c->src, c->dst, 255);
	uint8_t buf[VRRP_MAX_MSG_LEN];
	uint8_t any[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1 };
	ssize_t got;

	adv->family = c->family;
	adv->interval_cs = c->interval_cs;
	adv->auth_type = c->auth_type;
	adv->vrid = c->vrid;
	if (c->addr_family == ADDR_UNSET)
		memset(&adv->addrs[0], 0, sizeof(adv->addrs[0]));
	else if (c->addr_family)
		ipaddr_set(&adv->addrs[0], (sa_family_t)c->addr_family, any);
	got = pkt_encode(adv, &ip, buf, c->size ? c->size : sizeof(buf));
	if (got != c->want)
		fail_msg("got %zd, want %zd", got, c->want);
	free(adv);
}

/* ---- IP headers ---- */

/* keepalived 2.2.7's first v3 advert as captured: IPv4 header + message. */
#define CAP_V4 "45c0002000010000ff70188fc000020be000001231339601" "0064d2cdc00002fe"
#define CAP_V6 "6c016c9b001870fffe800000000000000000000000000011" \
	       "ff020000000000000000000000000012313396010064" "0a2b" \
	       "20010db8000000000000000000000254"

struct ip_case {
	const char *name;
	const char *hex;
	enum pkt_drop want;
	size_t msg_off;  /* where the VRRP message starts */
	size_t msg_len;
	uint8_t ttl;
};

static const struct ip_case ipv4_cases[] = {
	{ "ipv4: captured advert", CAP_V4, PKT_OK, 20, 12, 255 },
	{ "ipv4: ethernet padding after total length is ignored",
	  CAP_V4 "0000000000000000000000000000", PKT_OK, 20, 12, 255 },
	{ "ipv4: router alert option (ihl 6)",
	  "46c0002400010000ff701887c000020be000001294040000"
	  "31339601" "0064d2cdc00002fe", PKT_OK, 24, 12, 255 },
	{ "ipv4: 40 bytes of options (ihl 15)",
	  "4fc0004800010000fe701887c000020be0000012"
	  "0101010101010101010101010101010101010101"
	  "0101010101010101010101010101010101010100"
	  "313396010064d2cdc00002fe", PKT_OK, 60, 12, 254 },
	{ "ipv4: 19 bytes -> bad_ip_header", "45c0002000010000ff701887c000020be00000",
	  PKT_DROP_IP_HEADER, 0, 0, 0 },
	{ "ipv4: version 6 -> bad_ip_header", "65c0002000010000ff70188fc000020be000001231339601"
	  "0064d2cdc00002fe", PKT_DROP_IP_HEADER, 0, 0, 0 },
	{ "ipv4: ihl 4 -> bad_ip_header", "44c0002000010000ff70188fc000020be000001231339601"
	  "0064d2cdc00002fe", PKT_DROP_IP_HEADER, 0, 0, 0 },
	{ "ipv4: options beyond total length -> bad_ip_header",
	  "4fc0002000010000ff70188fc000020be000001231339601" "0064d2cdc00002fe",
	  PKT_DROP_IP_HEADER, 0, 0, 0 },
	{ "ipv4: total length beyond buffer -> bad_ip_header",
	  "45c0002100010000ff70188fc000020be000001231339601" "0064d2cdc00002fe",
	  PKT_DROP_IP_HEADER, 0, 0, 0 },
	{ "ipv4: more-fragments flag -> bad_ip_header",
	  "45c0002000012000ff70188fc000020be000001231339601" "0064d2cdc00002fe",
	  PKT_DROP_IP_HEADER, 0, 0, 0 },
	{ "ipv4: fragment offset -> bad_ip_header",
	  "45c0002000010001ff70188fc000020be000001231339601" "0064d2cdc00002fe",
	  PKT_DROP_IP_HEADER, 0, 0, 0 },
	{ "ipv4: don't-fragment flag is fine",
	  "45c0002000014000ff70188fc000020be000001231339601" "0064d2cdc00002fe", PKT_OK, 20, 12,
	  255 },
	{ "ipv4: udp -> bad_ip_header",
	  "45c0002000010000ff11188fc000020be000001231339601" "0064d2cdc00002fe",
	  PKT_DROP_IP_HEADER, 0, 0, 0 },
};

/* Hop-by-hop with router alert (MLD style), 8 bytes */
#define HBH_RA "3a00050200000100"

static const struct ip_case ipv6_cases[] = {
	{ "ipv6: captured advert", CAP_V6, PKT_OK, 40, 24, 255 },
	{ "ipv6: padding after payload length is ignored", CAP_V6 "0000", PKT_OK, 40, 24, 255 },
	{ "ipv6: hop-by-hop header is skipped",
	  "6c016c9b002000fffe800000000000000000000000000011"
	  "ff020000000000000000000000000012" "7000050200000100"
	  "3133960100640a2b20010db8000000000000000000000254", PKT_OK, 48, 24, 255 },
	{ "ipv6: hop-by-hop, routing and 16-byte destination options are skipped",
	  "6c016c9b003800fffe800000000000000000000000000011"
	  "ff020000000000000000000000000012" "2b00050200000100" "3c00000000000000"
	  "7001010400000000" "0000000000000000"
	  "3133960100640a2b20010db8000000000000000000000254", PKT_OK, 72, 24, 255 },
	{ "ipv6: hop limit 64 is reported, not judged",
	  "6c016c9b00187040fe800000000000000000000000000011"
	  "ff020000000000000000000000000012" "3133960100640a2b20010db8000000000000000000000254",
	  PKT_OK, 40, 24, 64 },
	{ "ipv6: 39 bytes -> bad_ip_header",
	  "6c016c9b001870fffe800000000000000000000000000011ff0200000000000000000000000000",
	  PKT_DROP_IP_HEADER, 0, 0, 0 },
	{ "ipv6: version 4 -> bad_ip_header",
	  "4c016c9b001870fffe800000000000000000000000000011"
	  "ff020000000000000000000000000012" "3133960100640a2b20010db8000000000000000000000254",
	  PKT_DROP_IP_HEADER, 0, 0, 0 },
	{ "ipv6: payload length beyond buffer -> bad_ip_header",
	  "6c016c9b001970fffe800000000000000000000000000011"
	  "ff020000000000000000000000000012" "3133960100640a2b20010db8000000000000000000000254",
	  PKT_DROP_IP_HEADER, 0, 0, 0 },
	{ "ipv6: extension header cut short -> bad_ip_header",
	  "6c016c9b000400fffe800000000000000000000000000011"
	  "ff020000000000000000000000000012" "70000502", PKT_DROP_IP_HEADER, 0, 0, 0 },
	{ "ipv6: extension length beyond payload -> bad_ip_header",
	  "6c016c9b000800fffe800000000000000000000000000011"
	  "ff020000000000000000000000000012" "7001050200000100", PKT_DROP_IP_HEADER, 0, 0, 0 },
	{ "ipv6: fragment header -> bad_ip_header",
	  "6c016c9b00202cfffe800000000000000000000000000011"
	  "ff020000000000000000000000000012" "7000000100000001"
	  "3133960100640a2b20010db8000000000000000000000254", PKT_DROP_IP_HEADER, 0, 0, 0 },
	{ "ipv6: icmpv6 after hop-by-hop -> bad_ip_header",
	  "6c016c9b000800fffe800000000000000000000000000011"
	  "ff020000000000000000000000000012" HBH_RA, PKT_DROP_IP_HEADER, 0, 0, 0 },
};

static void check_ip_case(const struct ip_case *c, sa_family_t family)
{
	uint8_t buf[VRRP_MAX_PKT_LEN];
	size_t len = unhex(c->hex, buf, sizeof(buf));
	struct pkt_ip ip;
	const uint8_t *msg = NULL;
	size_t msg_len = 0;
	struct vrrp_advert *adv;
	enum pkt_drop got;

	memset(&ip, 0, sizeof(ip));
	got = family == AF_INET ? pkt_parse_ipv4(buf, len, &ip, &msg, &msg_len) :
				  pkt_parse_ipv6(buf, len, &ip, &msg, &msg_len);
	if (got != c->want)
		fail_msg("got %s, want %s", pkt_drop_name(got), pkt_drop_name(c->want));
	if (got != PKT_OK)
		return;
	assert_ptr_equal(msg, buf + c->msg_off);
	assert_int_equal(msg_len, c->msg_len);
	assert_int_equal(ip.ttl, c->ttl);
	assert_addr(&ip.src, family == AF_INET ? "192.0.2.11" : "fe80::11");
	assert_addr(&ip.dst, family == AF_INET ? "224.0.0.18" : "ff02::12");
	/* and the message found is the advert, checksum included */
	ip.ttl = 255;
	adv = calloc(1, sizeof(*adv));
	assert_int_equal(pkt_decode(msg, msg_len, &ip, adv), PKT_OK);
	assert_int_equal(adv->vrid, 51);
	free(adv);
}

static void test_parse_ipv4(void **state)
{
	check_ip_case(*state, AF_INET);
}

static void test_parse_ipv6(void **state)
{
	check_ip_case(*state, AF_INET6);
}

/* ---- names and lengths ---- */

static const char *const want_names[PKT_DROP_COUNT] = {
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

static void test_drop_names_are_stable_and_texts_distinct(void **state)
{
	int i, j;

	for (i = 0; i < PKT_DROP_COUNT; i++) {
		assert_non_null(want_names[i]);
		assert_string_equal(pkt_drop_name((enum pkt_drop)i), want_names[i]);
		assert_true(strlen(pkt_drop_text((enum pkt_drop)i)) > 5);
		for (j = 0; j < i; j++)
			assert_string_not_equal(pkt_drop_text((enum pkt_drop)i),
						pkt_drop_text((enum pkt_drop)j));
	}
	assert_string_equal(pkt_drop_name(PKT_DROP_COUNT), "invalid");
	assert_string_equal(pkt_drop_name((enum pkt_drop)-1), "invalid");
	assert_string_equal(pkt_drop_text(PKT_DROP_COUNT), "invalid drop reason");
	assert_string_equal(pkt_drop_text(PKT_DROP_TTL), "TTL or hop limit is not 255");
}

static void test_msg_len_by_version_family_and_count(void **state)
{
	assert_int_equal(pkt_msg_len(3, AF_INET, 1), 12);
	assert_int_equal(pkt_msg_len(3, AF_INET, 0), 8);
	assert_int_equal(pkt_msg_len(3, AF_INET6, 1), 24);
	assert_int_equal(pkt_msg_len(3, AF_INET6, 255), VRRP_MAX_MSG_LEN);
	assert_int_equal(pkt_msg_len(2, AF_INET, 1), 20);
	assert_int_equal(pkt_msg_len(2, AF_INET, 255), 8 + 255 * 4 + 8);
	assert_int_equal(pkt_msg_len(2, AF_INET6, 1), 0);
	assert_int_equal(pkt_msg_len(4, AF_INET, 1), 0);
	assert_int_equal(pkt_msg_len(3, AF_UNSPEC, 1), 0);
}

/* ---- adverts captured from keepalived 2.2.7 (tests/data/README.md) ---- */

struct capture_case {
	const char *name;
	const char *file;
	uint8_t version;
	sa_family_t family;
	const char *src, *dst, *vip;
	uint8_t auth_type;
	const char *auth;
};

static const struct capture_case capture_cases[] = {
	{ "keepalived: v3 ipv4 multicast", "keepalived-v3-ipv4.hex", 3, AF_INET, V4,
	  "192.0.2.254", 0, NULL },
	{ "keepalived: v3 ipv6 multicast", "keepalived-v3-ipv6.hex", 3, AF_INET6, V6,
	  "2001:db8::254", 0, NULL },
	{ "keepalived: v2 no auth", "keepalived-v2-noauth.hex", 2, AF_INET, V4, "192.0.2.254",
	  VRRP_AUTH_NONE, "" },
	{ "keepalived: v2 auth PASS secret", "keepalived-v2-pass.hex", 2, AF_INET, V4,
	  "192.0.2.254", VRRP_AUTH_PASS, "secret" },
	{ "keepalived: v3 unicast peer", "keepalived-v3-unicast.hex", 3, AF_INET, V4U,
	  "192.0.2.254", 0, NULL },
};

/* The capture holds 3 adverts at priority 150, then the resign advert. */
#define CAPTURE_ADVERTS 3

static void check_captured_packet(const struct capture_case *c, const uint8_t *pkt, size_t len,
				  uint8_t want_priority)
{
	struct vrrp_advert *adv = calloc(1, sizeof(*adv));
	uint8_t auth[VRRP_V2_AUTH_LEN] = { 0 };
	uint8_t buf[VRRP_MAX_MSG_LEN];
	const uint8_t *msg;
	size_t msg_len;
	struct pkt_ip ip;

	assert_int_equal(c->family == AF_INET ? pkt_parse_ipv4(pkt, len, &ip, &msg, &msg_len) :
						pkt_parse_ipv6(pkt, len, &ip, &msg, &msg_len),
			 PKT_OK);
	assert_int_equal(ip.ttl, 255);
	assert_addr(&ip.src, c->src);
	assert_addr(&ip.dst, c->dst);
	assert_int_equal(pkt_decode(msg, msg_len, &ip, adv), PKT_OK);
	assert_int_equal(adv->version, c->version);
	assert_int_equal(adv->vrid, 51);
	assert_int_equal(adv->priority, want_priority);
	assert_int_equal(adv->naddr, 1);
	assert_int_equal(adv->interval_cs, 100);
	assert_int_equal(adv->family, c->family);
	assert_false(adv->legacy_checksum);
	assert_addr(&adv->addrs[0], c->vip);
	assert_int_equal(adv->auth_type, c->auth_type);
	if (c->auth)
		memcpy(auth, c->auth, strlen(c->auth));
	assert_memory_equal(adv->auth_data, auth, VRRP_V2_AUTH_LEN);

	/* What we send for the same advert is byte-identical. */
	assert_int_equal(pkt_encode(adv, &ip, buf, sizeof(buf)), (ssize_t)msg_len);
	assert_memory_equal(buf, msg, msg_len);
	free(adv);
}

static void test_capture(void **state)
{
	const struct capture_case *c = *state;
	char path[512], line[HEX_LINE_MAX];
	uint8_t pkt[VRRP_MAX_PKT_LEN];
	unsigned int n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", TEST_DATADIR, c->file);
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s", path);
	while (fgets(line, sizeof(line), f)) {
		size_t len = unhex(line, pkt, sizeof(pkt));

		check_captured_packet(c, pkt, len, n < CAPTURE_ADVERTS ? 150 : 0);
		n++;
	}
	fclose(f);
	assert_int_equal(n, CAPTURE_ADVERTS + 1);
}

/* ---- the test list: fixed tests plus one per table row ---- */

#define MAX_TESTS 256

struct test_list {
	struct CMUnitTest t[MAX_TESTS];
	size_t n;
};

static void add(struct test_list *l, const char *name, CMUnitTestFunction fn, const void *arg)
{
	if (l->n >= MAX_TESTS)
		abort();
	l->t[l->n++] = (struct CMUnitTest){ .name = name, .test_func = fn,
					    .initial_state = (void *)arg };
}

#define ADD(l, fn) add(l, #fn, fn, NULL)
#define ADD_ROWS(l, table, fn)                                           \
	do {                                                             \
		size_t i_;                                               \
		for (i_ = 0; i_ < ARRAY_SIZE(table); i_++)               \
			add(l, (table)[i_].name, fn, &(table)[i_]);      \
	} while (0)

int main(void)
{
	static struct test_list l;

	ADD(&l, test_worked_example_checksum_uses_the_ipv4_pseudo_header);
	ADD(&l, test_worked_example_decodes_to_keepalived_fields);
	ADD(&l, test_worked_example_encodes_byte_for_byte);
	ADD(&l, test_v2_checksum_covers_the_message_only);
	ADD(&l, test_checksum_of_odd_and_short_lengths);
	ADD(&l, test_ipv6_checksum_uses_the_rfc2460_pseudo_header);
	ADD(&l, test_encode_v2_auth_none_writes_zero_auth_data);
	ADD(&l, test_unicast_advert_with_multicast_checksum_is_accepted_as_legacy);
	ADD(&l, test_unicast_advert_with_correct_checksum_is_not_legacy);
	ADD(&l, test_encode_with_legacy_checksum_matches_old_keepalived);
	ADD(&l, test_truncation_at_every_byte_is_rejected);
	ADD(&l, test_count_255_needs_exactly_255_addresses);
	ADD(&l, test_drop_names_are_stable_and_texts_distinct);
	ADD(&l, test_msg_len_by_version_family_and_count);
	ADD_ROWS(&l, roundtrip_cases, test_roundtrip);
	ADD_ROWS(&l, drop_cases, test_drop);
	ADD_ROWS(&l, encode_cases, test_encode);
	ADD_ROWS(&l, ipv4_cases, test_parse_ipv4);
	ADD_ROWS(&l, ipv6_cases, test_parse_ipv6);
	ADD_ROWS(&l, capture_cases, test_capture);

	return _cmocka_run_group_tests("test_packet", l.t, l.n, NULL, NULL);
}
