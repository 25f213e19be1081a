/*
 * test_announce.c - gratuitous ARP and unsolicited NA frames, byte for byte.
 *
 * The expected frames were written out field by field from RFC 826 and
 * RFC 4861 4.4; the NA checksums were computed separately and confirmed by
 * tshark ("[Checksum Status: Good]") on a capture of these exact frames.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "announce.h"

static const uint8_t test_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

/* 192.0.2.254 announced from 52:54:00:12:34:56 */
static const uint8_t garp_expected[ANNOUNCE_GARP_LEN] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, /* Ethernet broadcast */
	0x52, 0x54, 0x00, 0x12, 0x34, 0x56, /* source: our MAC */
	0x08, 0x06,                         /* ARP */
	0x00, 0x01,                         /* hardware: Ethernet */
	0x08, 0x00,                         /* protocol: IPv4 */
	0x06, 0x04,                         /* address lengths */
	0x00, 0x01,                         /* request */
	0x52, 0x54, 0x00, 0x12, 0x34, 0x56, /* sender MAC */
	0xc0, 0x00, 0x02, 0xfe,             /* sender IP: the VIP */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* target MAC: unknown */
	0xc0, 0x00, 0x02, 0xfe,             /* target IP: the VIP */
};

/* 2001:db8::254 announced from fe80::5054:ff:fe12:3456, Override only */
static const uint8_t na_expected[ANNOUNCE_NA_LEN] = {
	0x33, 0x33, 0x00, 0x00, 0x00, 0x01, /* all-nodes multicast MAC */
	0x52, 0x54, 0x00, 0x12, 0x34, 0x56,
	0x86, 0xdd, /* IPv6 */
	0x60, 0x00, 0x00, 0x00, /* version 6 */
	0x00, 0x20,             /* payload: 24 + 8 */
	0x3a,                   /* ICMPv6 */
	0xff,                   /* hop limit 255 */
	0xfe, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* fe80::5054:ff:fe12:3456 */
	0x50, 0x54, 0x00, 0xff, 0xfe, 0x12, 0x34, 0x56,
	0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* ff02::1 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x88, 0x00,             /* type 136, code 0 */
	0x1d, 0x99,             /* checksum */
	0x20, 0x00, 0x00, 0x00, /* Override */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, /* target 2001:db8::254 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x54,
	0x02, 0x01,             /* target link-layer address, 8 bytes */
	0x52, 0x54, 0x00, 0x12, 0x34, 0x56,
};

static void na_addrs(struct in6_addr *src, struct in6_addr *vip)
{
	assert_int_equal(inet_pton(AF_INET6, "fe80::5054:ff:fe12:3456", src), 1);
	assert_int_equal(inet_pton(AF_INET6, "2001:db8::254", vip), 1);
}

static void test_garp_is_broadcast_request_with_vip_as_sender_and_target(void **state)
{
	uint8_t frame[64];
	struct in_addr vip;
	ssize_t len;

	(void)state;
	assert_int_equal(inet_pton(AF_INET, "192.0.2.254", &vip), 1);
	memset(frame, 0xaa, sizeof(frame));
	len = announce_build_garp(frame, sizeof(frame), test_mac, &vip);
	assert_int_equal(len, ANNOUNCE_GARP_LEN);
	assert_memory_equal(frame, garp_expected, ANNOUNCE_GARP_LEN);
	/* nothing written past the frame */
	assert_int_equal(frame[ANNOUNCE_GARP_LEN], 0xaa);
}

static void test_garp_refuses_short_buffer(void **state)
{
	uint8_t frame[ANNOUNCE_GARP_LEN - 1];
	struct in_addr vip = { 0 };

	(void)state;
	assert_int_equal(announce_build_garp(frame, sizeof(frame), test_mac, &vip), -ENOSPC);
}

static void test_na_is_unsolicited_override_to_all_nodes_with_checksum(void **state)
{
	struct in6_addr src, vip;
	uint8_t frame[128];
	ssize_t len;

	(void)state;
	na_addrs(&src, &vip);
	memset(frame, 0xaa, sizeof(frame));
	len = announce_build_na(frame, sizeof(frame), test_mac, &src, &vip, 0);
	assert_int_equal(len, ANNOUNCE_NA_LEN);
	assert_memory_equal(frame, na_expected, ANNOUNCE_NA_LEN);
	assert_int_equal(frame[ANNOUNCE_NA_LEN], 0xaa);
}

static void test_na_router_sets_router_flag_and_adjusts_checksum(void **state)
{
	uint8_t expected[ANNOUNCE_NA_LEN];
	struct in6_addr src, vip;
	uint8_t frame[ANNOUNCE_NA_LEN];

	(void)state;
	na_addrs(&src, &vip);
	memcpy(expected, na_expected, sizeof(expected));
	expected[56] = 0x9d; /* checksum with the Router bit counted */
	expected[57] = 0x98;
	expected[58] = 0xa0; /* Router | Override */
	assert_int_equal(announce_build_na(frame, sizeof(frame), test_mac, &src, &vip, 1),
			 ANNOUNCE_NA_LEN);
	assert_memory_equal(frame, expected, ANNOUNCE_NA_LEN);
}

static void test_na_refuses_short_buffer(void **state)
{
	uint8_t frame[ANNOUNCE_NA_LEN - 1];
	struct in6_addr src, vip;

	(void)state;
	na_addrs(&src, &vip);
	assert_int_equal(announce_build_na(frame, sizeof(frame), test_mac, &src, &vip, 0),
			 -ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_garp_is_broadcast_request_with_vip_as_sender_and_target),
		cmocka_unit_test(test_garp_refuses_short_buffer),
		cmocka_unit_test(test_na_is_unsolicited_override_to_all_nodes_with_checksum),
		cmocka_unit_test(test_na_router_sets_router_flag_and_adjusts_checksum),
		cmocka_unit_test(test_na_refuses_short_buffer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
