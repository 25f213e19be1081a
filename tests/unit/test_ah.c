/*
 * test_ah.c - MD5 and HMAC-MD5 against their RFCs' test vectors, and
 * keepalived's AH for VRRPv2 against packets keepalived 2.2.7 sent
 * (tests/data/keepalived-v2-ah.hex, auth_pass "secret").
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ah.h"
#include "md5.h"

#define HEX_FILE TEST_DATADIR "/keepalived-v2-ah.hex"
#define PKT_MAX 128
#define NPKTS 4

static size_t unhex(const char *s, uint8_t *out, size_t size)
{
	size_t n = 0;

	while (s[0] && s[1] && s[0] != '\n' && n < size) {
		unsigned v;

		sscanf(s, "%2x", &v);
		out[n++] = (uint8_t)v;
		s += 2;
	}
	return n;
}

static size_t load(uint8_t pkts[NPKTS][PKT_MAX], size_t *lens)
{
	FILE *f = fopen(HEX_FILE, "r");
	char line[512];
	size_t n = 0;

	assert_non_null(f);
	while (n < NPKTS && fgets(line, sizeof(line), f)) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		lens[n] = unhex(line, pkts[n], PKT_MAX);
		n++;
	}
	fclose(f);
	return n;
}

static void hex_eq(const uint8_t *b, size_t n, const char *want)
{
	char got[2 * MD5_DIGEST_LEN + 1];

	for (size_t i = 0; i < n; i++)
		sprintf(got + 2 * i, "%02x", b[i]);
	assert_string_equal(got, want);
}

static void test_md5_rfc1321_vectors(void **state)
{
	static const struct {
		const char *in, *out;
	} v[] = {
		{ "", "d41d8cd98f00b204e9800998ecf8427e" },
		{ "abc", "900150983cd24fb0d6963f7d28e17f72" },
		{ "message digest", "f96b697d7cb7938d525a2f31aaf161d0" },
		{ "12345678901234567890123456789012345678901234567890123456789012345678901234567890",
		  "57edf4a22be3c955ac49da2e2107b67a" },
	};
	uint8_t d[MD5_DIGEST_LEN];
	struct md5 m;

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		md5_init(&m);
		md5_update(&m, v[i].in, strlen(v[i].in));
		md5_final(&m, d);
		hex_eq(d, sizeof(d), v[i].out);
	}
}

static void test_hmac_md5_rfc2202_vectors(void **state)
{
	uint8_t key[16], d[MD5_DIGEST_LEN];
	const void *p[1];
	size_t l[1];

	(void)state;
	memset(key, 0x0b, sizeof(key));
	p[0] = "Hi There";
	l[0] = 8;
	hmac_md5(key, sizeof(key), p, l, 1, d);
	hex_eq(d, sizeof(d), "9294727a3638bb1c13f48ef8158bfc9d");
	p[0] = "what do ya want for nothing?";
	l[0] = 28;
	hmac_md5("Jefe", 4, p, l, 1, d);
	hex_eq(d, sizeof(d), "750c783e6ab0b503eaa86e310a5db738");
}

static void test_keepalived_ah_packets_verify_with_their_key(void **state)
{
	uint8_t pkts[NPKTS][PKT_MAX];
	size_t lens[NPKTS], vlen;
	const uint8_t *vrrp;
	uint32_t seq;

	(void)state;
	assert_int_equal(load(pkts, lens), NPKTS);
	for (size_t i = 0; i < NPKTS; i++) {
		assert_int_equal(ah_verify(pkts[i], lens[i], "secret", 6, &vrrp, &vlen, &seq), AH_OK);
		assert_int_equal(seq, i + 1);
		assert_int_equal(vlen, 20);
		assert_int_equal(vrrp[0], 0x21); /* VRRPv2 advert */
		assert_int_equal(vrrp[4], 2);    /* auth type AH */
	}
}

static void test_wrong_key_or_changed_packet_fails(void **state)
{
	uint8_t pkts[NPKTS][PKT_MAX];
	size_t lens[NPKTS], vlen;
	const uint8_t *vrrp;
	uint32_t seq;

	(void)state;
	load(pkts, lens);
	assert_int_equal(ah_verify(pkts[0], lens[0], "secreT", 6, &vrrp, &vlen, &seq), AH_BAD_ICV);
	pkts[0][lens[0] - 9] ^= 1; /* the priority */
	assert_int_equal(ah_verify(pkts[0], lens[0], "secret", 6, &vrrp, &vlen, &seq), AH_BAD_ICV);
	assert_int_equal(ah_verify(pkts[1], 30, "secret", 6, &vrrp, &vlen, &seq), AH_MALFORMED);
	pkts[1][9] = 112; /* not AH */
	assert_int_equal(ah_verify(pkts[1], lens[1], "secret", 6, &vrrp, &vlen, &seq), AH_MALFORMED);
}

static void test_encode_is_byte_for_byte_keepalived(void **state)
{
	uint8_t pkts[NPKTS][PKT_MAX], out[PKT_MAX];
	size_t lens[NPKTS];
	struct ipaddr src, dst;
	ssize_t n;

	(void)state;
	load(pkts, lens);
	ipaddr_parse("192.0.2.11", &src, NULL);
	ipaddr_parse("224.0.0.18", &dst, NULL);
	for (size_t i = 0; i < NPKTS; i++) {
		uint16_t id = (uint16_t)(pkts[i][4] << 8 | pkts[i][5]);

		n = ah_encode(pkts[i] + 44, lens[i] - 44, &src, &dst, id, (uint32_t)i + 1, "secret", 6,
			      out, sizeof(out));
		assert_int_equal(n, lens[i]);
		assert_memory_equal(out, pkts[i], lens[i]);
	}
}

static void test_unmark_then_mark_gives_keepalived_message_back(void **state)
{
	uint8_t pkts[NPKTS][PKT_MAX], msg[64];
	size_t lens[NPKTS], vlen;

	(void)state;
	load(pkts, lens);
	vlen = lens[0] - 44;
	memcpy(msg, pkts[0] + 44, vlen);
	ah_vrrp_unmark(msg, vlen);
	assert_int_equal(msg[4], 0);
	assert_int_not_equal(memcmp(msg, pkts[0] + 44, vlen), 0);
	ah_vrrp_mark(msg, vlen);
	assert_memory_equal(msg, pkts[0] + 44, vlen);
}

static void test_sequence_numbers(void **state)
{
	(void)state;
	assert_true(ah_seq_fresh(0, 1));
	assert_true(ah_seq_fresh(5, 6));
	assert_false(ah_seq_fresh(5, 5));
	assert_false(ah_seq_fresh(5, 3));
	assert_true(ah_seq_fresh(500, 1)); /* the sender restarted */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_md5_rfc1321_vectors),
		cmocka_unit_test(test_hmac_md5_rfc2202_vectors),
		cmocka_unit_test(test_keepalived_ah_packets_verify_with_their_key),
		cmocka_unit_test(test_wrong_key_or_changed_packet_fails),
		cmocka_unit_test(test_encode_is_byte_for_byte_keepalived),
		cmocka_unit_test(test_unmark_then_mark_gives_keepalived_message_back),
		cmocka_unit_test(test_sequence_numbers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
