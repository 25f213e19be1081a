/* FAULT reasons and their words: what is reported, raised and cleared. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fault.h"

static const struct fault_facts facts = {
	.interface = "eth0",
	.admin_up = false,
	.family = AF_INET,
	.vmac = "vrrp.51",
	.tracked = "vrrp_script chk_nginx",
	.group = "web",
};

/* One row per reason: the bits and facts that lead to it, and both texts. */
static const struct {
	unsigned faults;
	bool admin_up;
	sa_family_t family;
	enum fault_reason reason;
	const char *raised, *cleared;
} cases[] = {
	{ FAULT_NO_IFACE, false, AF_INET, FAULT_REASON_NO_IFACE, "interface eth0 does not exist",
	  "interface eth0 exists again" },
	{ FAULT_LINK, false, AF_INET, FAULT_REASON_LINK_DOWN, "interface eth0 is down",
	  "interface eth0 is up again" },
	{ FAULT_LINK, true, AF_INET, FAULT_REASON_NO_CARRIER, "interface eth0 is without carrier",
	  "interface eth0 has its carrier again" },
	{ FAULT_NO_ADDR, false, AF_INET, FAULT_REASON_NO_ADDR4,
	  "interface eth0 has no IPv4 address to send adverts from",
	  "interface eth0 has an address to send adverts from again" },
	{ FAULT_NO_ADDR, false, AF_INET6, FAULT_REASON_NO_ADDR6,
	  "interface eth0 has no link-local IPv6 address to send adverts from",
	  "interface eth0 has an address to send adverts from again" },
	{ FAULT_VMAC, false, AF_INET, FAULT_REASON_VMAC,
	  "virtual MAC interface vrrp.51 could not be created",
	  "virtual MAC interface vrrp.51 exists now" },
	{ FAULT_TRACK, false, AF_INET, FAULT_REASON_TRACK, "vrrp_script chk_nginx is down",
	  "vrrp_script chk_nginx is up again" },
	{ FAULT_SYNC, false, AF_INET, FAULT_REASON_SYNC, "sync group web has a member in FAULT",
	  "sync group web has no member in FAULT any more" },
};

static void test_each_fault_is_worded_when_raised_and_when_cleared(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fault_facts f = facts;
		struct fault_cause c;
		char buf[FAULT_TEXT_MAX];

		f.admin_up = cases[i].admin_up;
		f.family = cases[i].family;
		fault_cause_of(cases[i].faults, &f, &c);
		assert_int_equal(c.reason, cases[i].reason);
		assert_string_equal(fault_raised(&c, buf, sizeof(buf)), cases[i].raised);
		assert_string_equal(fault_cleared(&c, buf, sizeof(buf)), cases[i].cleared);
	}
}

static void test_every_reason_has_words_in_both_directions(void **state)
{
	(void)state;
	for (int r = FAULT_REASON_NO_IFACE; r < FAULT_REASON_COUNT; r++) {
		struct fault_cause c = { .reason = (enum fault_reason)r };
		char raised[FAULT_TEXT_MAX], cleared[FAULT_TEXT_MAX];

		strcpy(c.subject, "x");
		fault_raised(&c, raised, sizeof(raised));
		fault_cleared(&c, cleared, sizeof(cleared));
		assert_non_null(strstr(raised, "x"));
		assert_non_null(strstr(cleared, "x"));
		assert_true(strlen(raised) > 1);
		assert_true(strlen(cleared) > 1);
		assert_string_not_equal(raised, cleared);
	}
}

static void test_first_reason_in_order_is_the_one_reported(void **state)
{
	struct fault_cause c;

	(void)state;
	fault_cause_of(FAULT_SYNC | FAULT_TRACK | FAULT_VMAC | FAULT_NO_ADDR | FAULT_LINK |
			       FAULT_NO_IFACE,
		       &facts, &c);
	assert_int_equal(c.reason, FAULT_REASON_NO_IFACE);
	fault_cause_of(FAULT_SYNC | FAULT_TRACK | FAULT_VMAC | FAULT_NO_ADDR | FAULT_LINK, &facts,
		       &c);
	assert_int_equal(c.reason, FAULT_REASON_LINK_DOWN);
	fault_cause_of(FAULT_SYNC | FAULT_TRACK | FAULT_VMAC | FAULT_NO_ADDR, &facts, &c);
	assert_int_equal(c.reason, FAULT_REASON_NO_ADDR4);
	fault_cause_of(FAULT_SYNC | FAULT_TRACK | FAULT_VMAC, &facts, &c);
	assert_int_equal(c.reason, FAULT_REASON_VMAC);
	fault_cause_of(FAULT_SYNC | FAULT_TRACK, &facts, &c);
	assert_int_equal(c.reason, FAULT_REASON_TRACK);
	assert_string_equal(c.subject, "vrrp_script chk_nginx");
}

static void test_unknown_cause_has_plain_words_both_ways(void **state)
{
	struct fault_cause c;
	char buf[FAULT_TEXT_MAX];

	(void)state;
	memset(&c, 0, sizeof(c)); /* no recorded cause: never an empty or dangling phrase */
	assert_string_equal(fault_raised(&c, buf, sizeof(buf)), "cause not recorded");
	assert_string_equal(fault_cleared(&c, buf, sizeof(buf)), "cause not recorded");
}

static void test_long_subject_is_cut_not_overrun(void **state)
{
	struct fault_facts f = facts;
	struct fault_cause c;
	char name[200], buf[32];

	(void)state;
	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	f.tracked = name;
	fault_cause_of(FAULT_TRACK, &f, &c);
	assert_int_equal(strlen(c.subject), FAULT_SUBJECT_MAX - 1);
	fault_raised(&c, buf, sizeof(buf));
	assert_int_equal(strlen(buf), sizeof(buf) - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_fault_is_worded_when_raised_and_when_cleared),
		cmocka_unit_test(test_every_reason_has_words_in_both_directions),
		cmocka_unit_test(test_first_reason_in_order_is_the_one_reported),
		cmocka_unit_test(test_unknown_cause_has_plain_words_both_ways),
		cmocka_unit_test(test_long_subject_is_cut_not_overrun),
	};

	return cmocka_run_group_tests_name("fault", tests, NULL, NULL);
}
