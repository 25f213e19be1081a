/* "vipctl explain": the words for each situation. */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "explain.h"

static struct ipaddr ip(const char *s)
{
	struct ipaddr a;

	assert_int_equal(ipaddr_parse(s, &a, NULL), 0);
	return a;
}

static char out[8192];

static void render(const struct explain_input *in)
{
	size_t n = explain_render(in, out, sizeof(out));

	assert_int_equal(n, strlen(out));
}

static void assert_says(const char *text)
{
	if (!strstr(out, text))
		fail_msg("expected \"%s\" in:\n%s", text, out);
}

static void assert_not_says(const char *text)
{
	if (strstr(out, text))
		fail_msg("did not expect \"%s\" in:\n%s", text, out);
}

static struct explain_input master_with_backup(struct explain_tracker *t, struct explain_peer *p)
{
	struct explain_input in = {
		.name = "web",
		.state = VRRP_STATE_MASTER,
		.reason = "no advert received for 3.61 s since start-up",
		.base_priority = 150,
		.effective_priority = 150,
		.trackers = t,
		.ntrackers = 1,
		.preempt = true,
		.self = ip("192.0.2.11"),
		.adver_int_cs = 100,
		.version = 3,
		.peers = p,
		.npeers = 1,
	};

	*t = (struct explain_tracker){ .kind = "vrrp_script", .name = "chk_nginx", .up = true,
				       .weight = -60, .delta = 0, .delta_flipped = -60 };
	*p = (struct explain_peer){ .addr = ip("192.0.2.12"), .priority = 100, .age_us = 350000,
				    .path = "multicast on eth0" };
	return in;
}

static void test_master_names_the_backup_and_the_priority_it_must_beat(void **state)
{
	struct explain_tracker t;
	struct explain_peer p;
	struct explain_input in = master_with_backup(&t, &p);

	(void)state;
	render(&in);
	assert_says("web: MASTER (no advert received for 3.61 s since start-up)\n");
	assert_says("priority: configured 150, effective 150\n");
	assert_says("master: this node (192.0.2.11), priority 150\n");
	assert_says("  from 192.0.2.12, priority 100, 0.35 s ago, multicast on eth0\n");
	/* .12 wins a tie on address: reaching 150 is enough */
	assert_says("node 192.0.2.12 would become master if its priority reached 150 (it is 100)");
	assert_says("if vrrp_script chk_nginx went down, the priority would be 90, below 192.0.2.12's 100");
	in.self = ip("192.0.2.13");
	render(&in);
	assert_says("node 192.0.2.12 would become master if its priority exceeded 150");
}

static void test_the_tracker_that_lowered_the_priority_is_named(void **state)
{
	struct explain_tracker t;
	struct explain_peer p;
	struct explain_input in = master_with_backup(&t, &p);

	(void)state;
	t.up = false;
	t.delta = -60;
	t.delta_flipped = 0;
	t.detail = "cannot connect to 127.0.0.1: Connection refused";
	in.state = VRRP_STATE_BACKUP;
	in.effective_priority = 90;
	in.master = p.addr;
	in.master_priority = 100;
	render(&in);
	assert_says("priority: configured 150, effective 90\n");
	assert_says("  vrrp_script chk_nginx: down, weight -60: -60 (cannot connect to 127.0.0.1: Connection refused)\n");
	assert_says("master: 192.0.2.12, priority 100\n");
	p.run_us = 12000000;
	render(&in);
	assert_says("master: 192.0.2.12, priority 100, advertising for 12.35 s\n");
	assert_says("this node would become master if its priority exceeded 100 (it is 90)");
	assert_says("if vrrp_script chk_nginx came up, the priority would be 150, above the master's 100: this node would preempt");
}

static void test_backup_without_preempt_waits_for_silence(void **state)
{
	struct explain_tracker t;
	struct explain_peer p;
	struct explain_input in = master_with_backup(&t, &p);

	(void)state;
	in.state = VRRP_STATE_BACKUP;
	in.master = p.addr;
	in.master_priority = 100;
	in.no_preempt = true;
	render(&in);
	assert_says("held off by a switchover away from this node");
	assert_says("this node does not preempt: it takes over only when 192.0.2.12 stops advertising or resigns");
	assert_says("silent for 3.41 s (Master_Down_Interval)");
	assert_not_says("would become master if its priority");
}

static void test_maintenance_says_it_never_becomes_master(void **state)
{
	struct explain_tracker t;
	struct explain_peer p;
	struct explain_input in = master_with_backup(&t, &p);

	(void)state;
	in.state = VRRP_STATE_BACKUP;
	in.maintenance = true;
	in.master = p.addr;
	in.master_priority = 100;
	render(&in);
	assert_says("maintenance: on (vipctl maintenance off web ends it)\n");
	assert_says("in maintenance this node never becomes master");
	assert_not_says("this node would preempt");
}

static void test_fault_lists_every_fault(void **state)
{
	static const char *const faults[] = { "interface eth0 has no carrier",
					      "vrrp_script chk_db is down" };
	struct explain_tracker t;
	struct explain_peer p;
	struct explain_input in = master_with_backup(&t, &p);

	(void)state;
	in.state = VRRP_STATE_FAULT;
	in.faults = faults;
	in.nfaults = 2;
	render(&in);
	assert_says("faults:\n  interface eth0 has no carrier\n  vrrp_script chk_db is down\n");
	assert_says("leaves FAULT when every fault above is cleared");
}

static void test_weight_zero_tracker_would_fault_the_master(void **state)
{
	struct explain_tracker t;
	struct explain_peer p;
	struct explain_input in = master_with_backup(&t, &p);

	(void)state;
	t.weight = 0;
	t.delta_flipped = 0;
	render(&in);
	assert_says("vrrp_script chk_nginx: up, weight 0: no effect while up");
	assert_says("if vrrp_script chk_nginx went down, this node would go to FAULT and hand over");
}

static void test_cut_output_reports_the_full_length(void **state)
{
	struct explain_tracker t;
	struct explain_peer p;
	struct explain_input in = master_with_backup(&t, &p);
	char small[16];
	size_t full;

	(void)state;
	render(&in);
	full = strlen(out);
	assert_int_equal(explain_render(&in, small, sizeof(small)), full);
	assert_int_equal(strlen(small), sizeof(small) - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_master_names_the_backup_and_the_priority_it_must_beat),
		cmocka_unit_test(test_the_tracker_that_lowered_the_priority_is_named),
		cmocka_unit_test(test_backup_without_preempt_waits_for_silence),
		cmocka_unit_test(test_maintenance_says_it_never_becomes_master),
		cmocka_unit_test(test_fault_lists_every_fault),
		cmocka_unit_test(test_weight_zero_tracker_would_fault_the_master),
		cmocka_unit_test(test_cut_output_reports_the_full_length),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
