/* test_ipaddr.c - address parsing, printing and ordering */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "ipaddr.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static struct ipaddr addr(const char *s)
{
	struct ipaddr a;

	memset(&a, 0, sizeof(a));
	if (s && ipaddr_parse(s, &a, NULL) < 0)
		fail_msg("test address %s does not parse", s);
	return a;
}

struct parse_case {
	const char *text;
	bool want_prefix;  /* pass a prefix_len pointer */
	int ret;
	sa_family_t family;
	uint8_t prefix_len;
	const char *canonical;
};

static const struct parse_case parse_cases[] = {
	{ "192.0.2.1", false, 0, AF_INET, 0, "192.0.2.1" },
	{ "192.0.2.1", true, 0, AF_INET, 32, "192.0.2.1" },
	{ "192.0.2.254/24", true, 0, AF_INET, 24, "192.0.2.254" },
	{ "0.0.0.0/0", true, 0, AF_INET, 0, "0.0.0.0" },
	{ "203.0.113.9/32", true, 0, AF_INET, 32, "203.0.113.9" },
	{ "2001:db8::1", false, 0, AF_INET6, 0, "2001:db8::1" },
	{ "2001:DB8:0:0::254/64", true, 0, AF_INET6, 64, "2001:db8::254" },
	{ "fe80::11", true, 0, AF_INET6, 128, "fe80::11" },
	{ "::/128", true, 0, AF_INET6, 128, "::" },
	{ "2001:db8::1/007", true, 0, AF_INET6, 7, "2001:db8::1" },
	/* rejected */
	{ .text = "192.0.2.1/24", .want_prefix = false, .ret = -EINVAL },  /* prefix where none is wanted */
	{ .text = "192.0.2.1/33", .want_prefix = true, .ret = -EINVAL },
	{ .text = "2001:db8::1/129", .want_prefix = true, .ret = -EINVAL },
	{ .text = "192.0.2.1/", .want_prefix = true, .ret = -EINVAL },
	{ .text = "192.0.2.1/-1", .want_prefix = true, .ret = -EINVAL },
	{ .text = "192.0.2.1/+8", .want_prefix = true, .ret = -EINVAL },
	{ .text = "192.0.2.1/ 8", .want_prefix = true, .ret = -EINVAL },
	{ .text = "192.0.2.1/8 ", .want_prefix = true, .ret = -EINVAL },
	{ .text = "192.0.2.1/0x8", .want_prefix = true, .ret = -EINVAL },
	{ .text = "192.0.2.1/0024", .want_prefix = true, .ret = -EINVAL },
	{ .text = "192.0.2.1/24/24", .want_prefix = true, .ret = -EINVAL },
	{ .text = "", .want_prefix = true, .ret = -EINVAL },
	{ .text = "/24", .want_prefix = true, .ret = -EINVAL },
	{ .text = "192.0.2", .want_prefix = false, .ret = -EINVAL },
	{ .text = "192.0.2.256", .want_prefix = false, .ret = -EINVAL },
	{ .text = " 192.0.2.1", .want_prefix = false, .ret = -EINVAL },
	{ .text = "2001:db8::g", .want_prefix = false, .ret = -EINVAL },
	{ .text = "fe80::1%eth0", .want_prefix = false, .ret = -EINVAL },
	{ .text = "eth0", .want_prefix = false, .ret = -EINVAL },
	{ .text = "0000:0000:0000:0000:0000:0000:0000:0000:1", .want_prefix = false, .ret = -EINVAL }, /* too long */
};

static void test_parse_accepts_addresses_and_prefixes_and_rejects_the_rest(void **state)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(parse_cases); i++) {
		const struct parse_case *c = &parse_cases[i];
		const struct ipaddr before = addr("198.51.100.77");
		struct ipaddr a = before;
		uint8_t prefix = 99;
		char buf[IPADDR_STRLEN];
		int ret = ipaddr_parse(c->text, &a, c->want_prefix ? &prefix : NULL);

		if (ret != c->ret)
			fail_msg("\"%s\": returned %d, want %d", c->text, ret, c->ret);
		if (ret < 0) {
			/* A failed parse must leave the output alone. */
			if (!ipaddr_equal(&a, &before) || prefix != 99)
				fail_msg("\"%s\": failed parse changed the output", c->text);
			continue;
		}
		if (a.family != c->family)
			fail_msg("\"%s\": family %d, want %d", c->text, a.family, c->family);
		if (c->want_prefix && prefix != c->prefix_len)
			fail_msg("\"%s\": prefix %u, want %u", c->text, prefix, c->prefix_len);
		if (strcmp(ipaddr_str(&a, buf, sizeof(buf)), c->canonical) != 0)
			fail_msg("\"%s\": prints as %s, want %s", c->text, buf, c->canonical);
	}
}

static void test_set_fills_bytes_and_length_by_family(void **state)
{
	const uint8_t v4[4] = { 192, 0, 2, 11 };
	const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x54 };
	struct ipaddr a;
	char buf[IPADDR_STRLEN];

	ipaddr_set(&a, AF_INET, v4);
	assert_int_equal(a.family, AF_INET);
	assert_int_equal(ipaddr_len(&a), 4);
	assert_memory_equal(ipaddr_bytes(&a), v4, 4);
	assert_string_equal(ipaddr_str(&a, buf, sizeof(buf)), "192.0.2.11");

	ipaddr_set(&a, AF_INET6, v6);
	assert_int_equal(a.family, AF_INET6);
	assert_int_equal(ipaddr_len(&a), 16);
	assert_memory_equal(ipaddr_bytes(&a), v6, 16);
	assert_string_equal(ipaddr_str(&a, buf, sizeof(buf)), "2001:db8::54");
}

static void test_set_with_unknown_family_leaves_address_unset(void **state)
{
	const uint8_t v4[4] = { 192, 0, 2, 11 };
	struct ipaddr a = addr("192.0.2.1");
	char buf[IPADDR_STRLEN];

	ipaddr_set(&a, AF_UNIX, v4);
	assert_true(ipaddr_is_unset(&a));
	assert_int_equal(a.family, AF_UNSPEC);
	assert_int_equal(ipaddr_len(&a), 0);
	assert_string_equal(ipaddr_str(&a, buf, sizeof(buf)), "unset");
}

static void test_str_reports_a_buffer_too_small_without_overflowing(void **state)
{
	struct ipaddr a = addr("2001:db8:1:2:3:4:5:6");
	char buf[8];

	memset(buf, 'x', sizeof(buf));
	assert_string_equal(ipaddr_str(&a, buf, sizeof(buf)), "?");
	/* size 0: nothing written at all */
	assert_ptr_equal(ipaddr_str(&a, buf + 4, 0), buf + 4);
	assert_int_equal(buf[4], 'x');
}

struct cmp_case {
	const char *a, *b; /* NULL = unset */
	int sign;
};

static const struct cmp_case cmp_cases[] = {
	{ "192.0.2.9", "192.0.2.10", -1 },
	{ "192.0.2.10", "192.0.2.9", 1 },
	{ "192.0.2.200", "192.0.2.20", 1 },   /* numeric, not textual */
	{ "9.255.255.255", "10.0.0.0", -1 },
	{ "192.0.2.11", "192.0.2.11", 0 },
	{ "2001:db8::1", "2001:db8::100", -1 },
	{ "2001:db8::ff00", "2001:db8::1:0", -1 },
	{ "fe80::2", "fe80::2", 0 },
	{ "255.255.255.255", "::", -1 },      /* IPv4 orders before IPv6 */
	{ "::", "0.0.0.0", 1 },
	{ NULL, "0.0.0.0", -1 },              /* unset orders first */
	{ NULL, NULL, 0 },
};

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

static void test_cmp_orders_as_unsigned_network_order_numbers(void **state)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cmp_cases); i++) {
		const struct cmp_case *c = &cmp_cases[i];
		struct ipaddr a = addr(c->a), b = addr(c->b);

		if (sign(ipaddr_cmp(&a, &b)) != c->sign)
			fail_msg("cmp(%s, %s) sign %d, want %d", c->a, c->b,
				 sign(ipaddr_cmp(&a, &b)), c->sign);
		if (sign(ipaddr_cmp(&b, &a)) != -c->sign)
			fail_msg("cmp(%s, %s) not antisymmetric", c->b, c->a);
		if (ipaddr_equal(&a, &b) != (c->sign == 0))
			fail_msg("equal(%s, %s) disagrees with cmp", c->a, c->b);
	}
}

static void test_equal_ignores_bytes_beyond_the_family_length(void **state)
{
	struct ipaddr a = addr("192.0.2.1"), b = addr("192.0.2.1");

	/* Stale bytes of a previous IPv6 value must not matter. */
	b.v6.s6_addr[12] = 0xab;
	assert_true(ipaddr_equal(&a, &b));
}

struct class_case {
	const char *text;
	bool multicast;
	bool linklocal6;
};

static const struct class_case class_cases[] = {
	{ "224.0.0.18", true, false },
	{ "239.255.255.255", true, false },
	{ "223.255.255.255", false, false },
	{ "240.0.0.1", false, false },
	{ "192.0.2.12", false, false },
	{ "169.254.1.1", false, false },
	{ "ff02::12", true, false },
	{ "ff05::1", true, false },
	{ "fe80::11", false, true },
	{ "febf:ffff::1", false, true },
	{ "fec0::1", false, false },
	{ "2001:db8::254", false, false },
	{ NULL, false, false },
};

static void test_multicast_and_linklocal_classification(void **state)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(class_cases); i++) {
		const struct class_case *c = &class_cases[i];
		struct ipaddr a = addr(c->text);

		if (ipaddr_is_multicast(&a) != c->multicast)
			fail_msg("%s: multicast %d, want %d", c->text, !c->multicast, c->multicast);
		if (ipaddr_is_linklocal6(&a) != c->linklocal6)
			fail_msg("%s: link-local %d, want %d", c->text, !c->linklocal6,
				 c->linklocal6);
		if (ipaddr_is_unset(&a) != (c->text == NULL))
			fail_msg("%s: unset is wrong", c->text);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_accepts_addresses_and_prefixes_and_rejects_the_rest),
		cmocka_unit_test(test_set_fills_bytes_and_length_by_family),
		cmocka_unit_test(test_set_with_unknown_family_leaves_address_unset),
		cmocka_unit_test(test_str_reports_a_buffer_too_small_without_overflowing),
		cmocka_unit_test(test_cmp_orders_as_unsigned_network_order_numbers),
		cmocka_unit_test(test_equal_ignores_bytes_beyond_the_family_length),
		cmocka_unit_test(test_multicast_and_linklocal_classification),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
