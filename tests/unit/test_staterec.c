/*
 * test_staterec.c - the state record: what goes in comes out, and a record
 * that is truncated, corrupted, of another format or out of bounds is
 * refused with a reason, never half-used.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "staterec.h"

static struct ipaddr addr(const char *s)
{
	struct ipaddr a;

	memset(&a, 0, sizeof(a));
	if (inet_pton(AF_INET, s, &a.v4) == 1) {
		a.family = AF_INET;
		return a;
	}
	assert_int_equal(inet_pton(AF_INET6, s, &a.v6), 1);
	a.family = AF_INET6;
	return a;
}

static struct ipaddr peers[2];
static struct staterec_vip vips4[3], vips6[1];
static struct staterec_inst insts[2];

/* Two instances: IPv4 v2 with a password, unicast peers and a virtual MAC; IPv6 v3. */
static struct staterec sample(void)
{
	struct staterec r = { .pid = 4242, .flags = 0, .insts = insts, .ninsts = 2 };

	memset(insts, 0, sizeof(insts));
	peers[0] = addr("192.0.2.12");
	peers[1] = addr("192.0.2.13");
	vips4[0] = (struct staterec_vip){ addr("192.0.2.100"), 24, STATEREC_VIP_ADVERTISED, 7 };
	vips4[1] = (struct staterec_vip){ addr("192.0.2.101"), 32, STATEREC_VIP_ADVERTISED, 7 };
	vips4[2] = (struct staterec_vip){ addr("2001:db8::100"), 64, 0, 2 };
	vips6[0] = (struct staterec_vip){ addr("2001:db8::200"), 64, STATEREC_VIP_ADVERTISED, 2 };
	snprintf(insts[0].name, sizeof(insts[0].name), "web");
	insts[0].family = AF_INET;
	insts[0].version = 2;
	insts[0].vrid = 51;
	insts[0].auth_type = 1;
	memcpy(insts[0].auth_data, "secret12", 8);
	insts[0].adver_int_cs = 100;
	insts[0].ifindex = 2;
	insts[0].vmac_ifindex = 7;
	memcpy(insts[0].vmac_mac, "\x00\x00\x5e\x00\x01\x33", 6);
	insts[0].source = addr("192.0.2.11");
	insts[0].peers = peers;
	insts[0].npeers = 2;
	insts[0].vips = vips4;
	insts[0].nvips = 3;
	snprintf(insts[1].name, sizeof(insts[1].name), "web6");
	insts[1].family = AF_INET6;
	insts[1].version = 3;
	insts[1].vrid = 255;
	insts[1].adver_int_cs = 1;
	insts[1].ifindex = 2;
	insts[1].source = addr("fe80::11");
	insts[1].vips = vips6;
	insts[1].nvips = 1;
	return r;
}

static uint8_t *encode(const struct staterec *r, size_t *len)
{
	size_t need = 0;
	uint8_t *buf;

	assert_int_equal(staterec_encode(r, NULL, 0, &need), -ENOSPC);
	assert_true(need > 0);
	buf = malloc(need);
	assert_non_null(buf);
	assert_int_equal(staterec_encode(r, buf, need, NULL), (ssize_t)need);
	*len = need;
	return buf;
}

/* Recompute the trailer after a deliberate change, so only the change is tested. */
static void reseal(uint8_t *buf, size_t len)
{
	uint32_t crc = staterec_crc32(buf, len - 4);

	buf[len - 4] = crc >> 24;
	buf[len - 3] = (crc >> 16) & 0xff;
	buf[len - 2] = (crc >> 8) & 0xff;
	buf[len - 1] = crc & 0xff;
}

static void assert_refused(const uint8_t *buf, size_t len, const char *why_part)
{
	struct staterec out;
	char why[160];

	assert_int_equal(staterec_decode(buf, len, &out, why, sizeof(why)), -EBADMSG);
	assert_null(out.insts);
	assert_int_equal(out.ninsts, 0);
	if (!strstr(why, why_part))
		fail_msg("reason \"%s\" does not mention \"%s\"", why, why_part);
}

static void test_crc32_is_the_ieee_one(void **state)
{
	(void)state;
	assert_int_equal(staterec_crc32((const uint8_t *)"123456789", 9), 0xcbf43926u);
}

static void test_round_trip_keeps_every_field(void **state)
{
	struct staterec r = sample(), out;
	size_t len;
	uint8_t *buf = encode(&r, &len);
	char why[160], a[IPADDR_STRLEN];

	(void)state;
	assert_int_equal(staterec_decode(buf, len, &out, why, sizeof(why)), 0);
	assert_int_equal(out.pid, 4242);
	assert_int_equal(out.flags, 0);
	assert_int_equal(out.ninsts, 2);
	assert_string_equal(out.insts[0].name, "web");
	assert_int_equal(out.insts[0].family, AF_INET);
	assert_int_equal(out.insts[0].version, 2);
	assert_int_equal(out.insts[0].vrid, 51);
	assert_int_equal(out.insts[0].auth_type, 1);
	assert_memory_equal(out.insts[0].auth_data, "secret12", 8);
	assert_int_equal(out.insts[0].adver_int_cs, 100);
	assert_int_equal(out.insts[0].ifindex, 2);
	assert_int_equal(out.insts[0].vmac_ifindex, 7);
	assert_memory_equal(out.insts[0].vmac_mac, "\x00\x00\x5e\x00\x01\x33", 6);
	assert_true(ipaddr_equal(&out.insts[0].source, &insts[0].source));
	assert_int_equal(out.insts[0].npeers, 2);
	assert_string_equal(ipaddr_str(&out.insts[0].peers[1], a, sizeof(a)), "192.0.2.13");
	assert_int_equal(out.insts[0].nvips, 3);
	for (size_t i = 0; i < 3; i++) {
		assert_true(ipaddr_equal(&out.insts[0].vips[i].addr, &vips4[i].addr));
		assert_int_equal(out.insts[0].vips[i].prefix_len, vips4[i].prefix_len);
		assert_int_equal(out.insts[0].vips[i].flags, vips4[i].flags);
		assert_int_equal(out.insts[0].vips[i].ifindex, vips4[i].ifindex);
	}
	assert_string_equal(out.insts[1].name, "web6");
	assert_int_equal(out.insts[1].family, AF_INET6);
	assert_int_equal(out.insts[1].vrid, 255);
	assert_int_equal(out.insts[1].npeers, 0);
	assert_string_equal(ipaddr_str(&out.insts[1].vips[0].addr, a, sizeof(a)), "2001:db8::200");
	staterec_free(&out);
	assert_null(out.insts);
	free(buf);
}

static void test_empty_and_clean_records(void **state)
{
	struct staterec r = { .pid = 7, .flags = STATEREC_CLEAN }, out;
	size_t len;
	uint8_t *buf = encode(&r, &len);
	char why[160];

	(void)state;
	assert_int_equal(staterec_decode(buf, len, &out, why, sizeof(why)), 0);
	assert_int_equal(out.pid, 7);
	assert_int_equal(out.flags, STATEREC_CLEAN);
	assert_int_equal(out.ninsts, 0);
	staterec_free(&out);
	free(buf);
}

static void test_encode_refuses_what_decode_would(void **state)
{
	struct staterec r = sample();
	uint8_t buf[4096];

	(void)state;
	insts[1].vrid = 0;
	assert_int_equal(staterec_encode(&r, buf, sizeof(buf), NULL), -EINVAL);
	r = sample();
	insts[0].peers[0] = addr("2001:db8::1"); /* a peer of the other family */
	assert_int_equal(staterec_encode(&r, buf, sizeof(buf), NULL), -EINVAL);
	r = sample();
	vips4[1].prefix_len = 33;
	assert_int_equal(staterec_encode(&r, buf, sizeof(buf), NULL), -EINVAL);
	r = sample();
	r.ninsts = STATEREC_MAX_INSTS + 1;
	assert_int_equal(staterec_encode(&r, buf, sizeof(buf), NULL), -EINVAL);
}

static void test_every_truncation_is_refused(void **state)
{
	struct staterec r = sample();
	size_t len;
	uint8_t *buf = encode(&r, &len);

	(void)state;
	for (size_t n = 0; n < len; n++) {
		struct staterec out;
		char why[160];

		assert_int_equal(staterec_decode(buf, n, &out, why, sizeof(why)), -EBADMSG);
		assert_null(out.insts);
		assert_true(why[0] != '\0');
	}
	free(buf);
}

/* Any single flipped bit: the checksum (or the header check before it) catches it. */
static void test_every_bit_flip_is_refused(void **state)
{
	struct staterec r = sample();
	size_t len;
	uint8_t *buf = encode(&r, &len);

	(void)state;
	for (size_t i = 0; i < len; i++) {
		for (int bit = 0; bit < 8; bit++) {
			struct staterec out;
			char why[160];

			buf[i] ^= (uint8_t)(1u << bit);
			assert_int_equal(staterec_decode(buf, len, &out, why, sizeof(why)),
					 -EBADMSG);
			assert_null(out.insts);
			buf[i] ^= (uint8_t)(1u << bit);
		}
	}
	free(buf);
}

static void test_header_checks_name_the_problem(void **state)
{
	struct staterec r = sample();
	size_t len;
	uint8_t *buf = encode(&r, &len);

	(void)state;
	buf[0] = 'X';
	assert_refused(buf, len, "not a vipd state record");
	buf[0] = 'V';
	buf[9] = 2; /* format 2 */
	assert_refused(buf, len, "format 2, expected 1");
	buf[9] = 1;
	buf[len - 1] ^= 0xff;
	assert_refused(buf, len, "checksum mismatch");
	buf[len - 1] ^= 0xff;
	assert_refused(buf, len - 1, "says");
	free(buf);
}

/*
 * Validly sealed records with bad contents (as a bug or another program
 * could write them): the bounds and ranges are checked, not just the CRC.
 */
static void test_sealed_nonsense_is_refused(void **state)
{
	struct staterec r = sample();
	size_t len;
	uint8_t *buf = encode(&r, &len);
	/* offsets in the sample: header 28 bytes, then "web" with its length */
	const size_t inst0 = 28, fam = inst0 + 1 + 3, vrid = fam + 2, nvips = fam + 4 + 8 + 2 + 4 +
									  4 + 6 + 5 + 2;

	(void)state;
	buf[fam] = 5;
	reseal(buf, len);
	assert_refused(buf, len, "out of range");
	buf[fam] = 4;
	buf[vrid] = 0;
	reseal(buf, len);
	assert_refused(buf, len, "VRID 0");
	buf[vrid] = 51;
	/* a VIP count far beyond what the record holds: refused before allocating */
	buf[nvips] = 0x00;
	buf[nvips + 1] = 0x0f;
	reseal(buf, len);
	assert_refused(buf, len, "counts larger than the record");
	buf[nvips + 1] = 0x00;
	buf[nvips] = 0xff; /* over STATEREC_MAX_VIPS */
	reseal(buf, len);
	assert_refused(buf, len, "exceed the bounds");
	buf[nvips] = 0;
	reseal(buf, len);
	/* the instance count beyond the bound */
	buf[24] = 0x7f;
	reseal(buf, len);
	assert_refused(buf, len, "instances exceed the bound");
	buf[24] = 0;
	/* one instance fewer than encoded: bytes left over */
	buf[27] = 1;
	reseal(buf, len);
	assert_refused(buf, len, "left over");
	buf[27] = 2;
	reseal(buf, len);
	{
		struct staterec out;
		char why[160];

		assert_int_equal(staterec_decode(buf, len, &out, why, sizeof(why)), 0);
		staterec_free(&out);
	}
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc32_is_the_ieee_one),
		cmocka_unit_test(test_round_trip_keeps_every_field),
		cmocka_unit_test(test_empty_and_clean_records),
		cmocka_unit_test(test_encode_refuses_what_decode_would),
		cmocka_unit_test(test_every_truncation_is_refused),
		cmocka_unit_test(test_every_bit_flip_is_refused),
		cmocka_unit_test(test_header_checks_name_the_problem),
		cmocka_unit_test(test_sealed_nonsense_is_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
