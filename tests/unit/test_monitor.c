/*
 * test_monitor.c - vipdump's election watcher, driven by adverts with fake
 * capture times. One second is 1000000 us; an interval of 100 cs with
 * priority 150 gives a master down interval of 3 s + 106/256 s = 3414062 us.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "monitor.h"

#define S(x) ((uint64_t)(x) * 1000000)
#define VRID 51

struct fixture {
	struct mon m;
};

static int setup(void **state)
{
	static struct fixture f;

	mon_init(&f.m);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	mon_release(&f->m);
	return 0;
}

static struct ipaddr addr(const char *s)
{
	struct ipaddr a;

	memset(&a, 0, sizeof(a));
	if (strchr(s, ':')) {
		a.family = AF_INET6;
		assert_int_equal(inet_pton(AF_INET6, s, &a.v6), 1);
	} else {
		a.family = AF_INET;
		assert_int_equal(inet_pton(AF_INET, s, &a.v4), 1);
	}
	return a;
}

static struct vrrp_advert advert(uint8_t vrid, uint8_t prio, uint16_t interval_cs,
				 const char *vip)
{
	struct vrrp_advert adv;

	memset(&adv, 0, sizeof(adv));
	adv.version = 3;
	adv.vrid = vrid;
	adv.priority = prio;
	adv.interval_cs = interval_cs;
	adv.family = AF_INET;
	adv.naddr = 1;
	adv.addrs[0] = addr(vip);
	return adv;
}

/* Feed one advert at time t and bring the monitor to t; returns its problems. */
static int feed_adv(struct mon *m, uint64_t t, const char *src, const struct vrrp_advert *adv,
		    unsigned defects)
{
	struct mon_obs obs = { .now_us = t, .src = addr(src), .defects = defects, .adv = adv };
	int r;

	mon_update(m, t);
	r = mon_advert(m, &obs);
	mon_update(m, t);
	return r;
}

static int feed(struct mon *m, uint64_t t, const char *src, uint8_t prio)
{
	struct vrrp_advert adv = advert(VRID, prio, 100, "192.0.2.254");

	return feed_adv(m, t, src, &adv, 0);
}

static struct mon_vrid *vrid51(struct mon *m)
{
	struct mon_vrid *v = m->vrids[VRID][0];

	assert_non_null(v);
	return v;
}

static void assert_master(struct mon *m, const char *src, uint8_t prio)
{
	const struct mon_router *r = mon_master(vrid51(m));
	struct ipaddr a = addr(src);

	assert_non_null(r);
	assert_true(ipaddr_equal(&r->src, &a));
	assert_int_equal(r->adv.priority, prio);
}

static void test_single_master_is_healthy(void **state)
{
	struct mon *m = &((struct fixture *)*state)->m;

	for (int i = 0; i < 10; i++)
		assert_int_equal(feed(m, S(i), "192.0.2.11", 150), 0);
	mon_update(m, S(9) + 500000);
	assert_int_equal(m->nvrids, 1);
	assert_master(m, "192.0.2.11", 150);
	assert_int_equal(vrid51(m)->alarms, 0);
	assert_int_equal(vrid51(m)->seen_alarms, 0);
	assert_int_equal(vrid51(m)->changes, MON_CHG_NEW | MON_CHG_MASTER);
	assert_int_equal(vrid51(m)->adverts, 10);
	assert_true(mon_rate(vrid51(m)) > 0.999 && mon_rate(vrid51(m)) < 1.001);
	assert_int_equal(mon_verdict(m), MON_OK);
}

static void test_split_brain_raised_when_two_sources_keep_advertising(void **state)
{
	struct mon *m = &((struct fixture *)*state)->m;
	struct ipaddr a = addr("192.0.2.11"), b = addr("192.0.2.12");
	struct mon_vrid *v;

	feed(m, S(0), "192.0.2.11", 150);
	feed(m, S(0) + 500000, "192.0.2.12", 100);
	assert_int_equal(vrid51(m)->alarms & MON_P_SPLIT_BRAIN, 0);
	feed(m, S(1), "192.0.2.11", 150);
	feed(m, S(1) + 500000, "192.0.2.12", 100);
	assert_int_equal(vrid51(m)->alarms & MON_P_SPLIT_BRAIN, 0);
	feed(m, S(2), "192.0.2.11", 150);
	v = vrid51(m);
	assert_int_equal(v->alarms, MON_P_SPLIT_BRAIN);
	assert_true(v->changes & MON_CHG_ALARMS);
	assert_true(ipaddr_equal(&v->split[0], &a));
	assert_true(ipaddr_equal(&v->split[1], &b));
	assert_int_equal(v->split_prio[0], 150);
	assert_int_equal(v->split_prio[1], 100);
	/* The higher priority one is shown as master. */
	assert_master(m, "192.0.2.11", 150);
	assert_int_equal(mon_verdict(m), MON_CRITICAL);
}

static void test_split_brain_cleared_when_one_source_stops(void **state)
{
	struct mon *m = &((struct fixture *)*state)->m;
	int t;

	for (t = 0; t < 4; t++) {
		feed(m, S(t), "192.0.2.11", 150);
		feed(m, S(t) + 500000, "192.0.2.12", 100);
	}
	assert_int_equal(vrid51(m)->alarms, MON_P_SPLIT_BRAIN);
	/* .12 goes quiet at 3.5 s; its down interval at prio 100 is 3609375 us. */
	for (; t < 12; t++)
		feed(m, S(t), "192.0.2.11", 150);
	assert_int_equal(vrid51(m)->alarms, 0);
	assert_int_equal(vrid51(m)->seen_alarms, MON_P_SPLIT_BRAIN);
	assert_int_equal(vrid51(m)->raised, MON_P_SPLIT_BRAIN);
	assert_int_equal(vrid51(m)->cleared, MON_P_SPLIT_BRAIN);
	assert_master(m, "192.0.2.11", 150);
	/* Once seen, the verdict over the window stays critical. */
	assert_int_equal(mon_verdict(m), MON_CRITICAL);
}

static void test_split_brain_lasts_until_the_stopped_source_ages_out(void **state)
{
	struct mon *m = &((struct fixture *)*state)->m;

	for (int t = 0; t < 3; t++) {
		feed(m, S(t), "192.0.2.11", 150);
		feed(m, S(t) + 500000, "192.0.2.12", 100);
	}
	/* last .12 advert at 2.5 s: still live at 6.1 s, gone at 6.2 s */
	feed(m, S(6) + 100000, "192.0.2.11", 150);
	assert_int_equal(vrid51(m)->alarms, MON_P_SPLIT_BRAIN);
	feed(m, S(6) + 200000, "192.0.2.11", 150);
	assert_int_equal(vrid51(m)->alarms, 0);
}

static void test_split_brain_names_the_better_router_first(void **state)
{
	struct mon *m = &((struct fixture *)*state)->m;
	struct ipaddr a = addr("192.0.2.11"), b = addr("192.0.2.12");

	for (int t = 0; t < 3; t++) {
		feed(m, S(t), "192.0.2.12", 100);
		feed(m, S(t) + 500000, "192.0.2.11", 150);
	}
	assert_int_equal(vrid51(m)->alarms, MON_P_SPLIT_BRAIN);
	assert_true(ipaddr_equal(&vrid51(m)->split[0], &a));
	assert_true(ipaddr_equal(&vrid51(m)->split[1], &b));
	assert_int_equal(vrid51(m)->split_prio[0], 150);
}

static void test_preemption_by_higher_priority_is_not_split_brain(void **state)
{
	struct mon *m = &((struct fixture *)*state)->m;

	for (int t = 0; t < 5; t++)
		feed(m, S(t), "192.0.2.12", 100);
	/* .11 preempts at 5.0 s; .12's timer fires once more before it hears .11 */
	feed(m, S(5), "192.0.2.11", 150);
	feed(m, S(5) + 1000, "192.0.2.12", 100);
	for (int t = 6; t < 15; t++) {
		feed(m, S(t), "192.0.2.11", 150);
		assert_int_equal(vrid51(m)->alarms, 0);
	}
	assert_master(m, "192.0.2.11", 150);
	assert_int_equal(vrid51(m)->seen_alarms, 0);
	assert_int_equal(mon_verdict(m), MON_OK);
}

static void test_priority_zero_resign_is_not_an_alarm(void **state)
{
	struct mon *m = &((struct fixture *)*state)->m;
	int t;

	for (t = 0; t < 3; t++)
		feed(m, S(t), "192.0.2.11", 150);
	/* graceful shutdown: priority 0, the backup takes over after Skew_Time */
	assert_int_equal(feed(m, S(3), "192.0.2.11", 0), 0);
	assert_master(m, "192.0.2.11", 0);
	feed(m, S(3) + 610000, "192.0.2.12", 100);
	assert_master(m, "192.0.2.12", 100);
	assert_true(vrid51(m)->changes & MON_CHG_MASTER);
	for (t = 4; t < 10; t++)
		feed(m, S(t) + 610000, "192.0.2.12", 100);
	assert_int_equal(vrid51(m)->seen_alarms, 0);
	assert_int_equal(vrid51(m)->nrouters, 2);
	assert_int_equal(mon_verdict(m), MON_OK);
}

static void test_resigning_master_interleaved_is_not_split_brain(void **state)
{
	struct mon *m = &((struct fixture *)*state)->m;

	for (int t = 0; t < 6; t++) {
		feed(m, S(t), "192.0.2.11", 150);
		feed(m, S(t) + 500000, "192.0.2.12", 0);
	}
	assert_int_equal(vrid51(m)->seen_alarms, 0);
}

static void test_address_list_mismatch_tags_advert_and_raises_warning(void **state)
{
	struct mon *m = &((struct fixture *)*state)->m;
	struct vrrp_advert a = advert(VRID, 100, 100, "192.0.2.254");
	struct vrrp_advert b = advert(VRID, 150, 100, "192.0.2.253");

	assert_int_equal(feed_adv(m, S(0), "192.0.2.12", &a, 0), 0);
	assert_int_equal(feed_adv(m, S(1), "192.0.2.11", &b, 0), MON_P_ADDRS);
	assert_int_equal(vrid51(m)->alarms, MON_P_ADDRS);
	assert_int_equal(mon_verdict(m), MON_WARNING);
}

static void test_same_addresses_in_another_order_agree(void **state)
{
	struct mon *m = &((struct fixture *)*state)->m;
	struct vrrp_advert a = advert(VRID, 100, 100, "192.0.2.254");
	struct vrrp_advert b = advert(VRID, 150, 100, "192.0.2.253");

	a.addrs[1] = addr("192.0.2.253");
	b.addrs[1] = addr("192.0.2.254");
	a.naddr = b.naddr = 2;
	feed_adv(m, S(0), "192.0.2.12", &a, 0);
	assert_int_equal(feed_adv(m, S(1), "192.0.2.11", &b, 0), 0);
	assert_int_equal(mon_verdict(m), MON_OK);
}

static void test_interval_mismatch_raises_warning(void **state)
{
	struct mon *m = &((struct fixture *)*state)->m;
	struct vrrp_advert a = advert(VRID, 100, 100, "192.0.2.254");
	struct vrrp_advert b = advert(VRID, 150, 200, "192.0.2.254");

	feed_adv(m, S(0), "192.0.2.12", &a, 0);
	assert_int_equal(feed_adv(m, S(1), "192.0.2.11", &b, 0), MON_P_INTERVAL);
	assert_int_equal(vrid51(m)->alarms, MON_P_INTERVAL);
	assert_int_equal(mon_verdict(m), MON_WARNING);
}

static void test_version_mismatch_raises_warning_only(void **state)
{
	struct mon *m = &((struct fixture *)*state)->m;
	struct vrrp_advert a = advert(VRID, 100, 100, "192.0.2.254");
	struct vrrp_advert b = advert(VRID, 150, 200, "192.0.2.253");

	b.version = 2;
	feed_adv(m, S(0), "192.0.2.12", &a, 0);
	assert_int_equal(feed_adv(m, S(1), "192.0.2.11", &b, 0), MON_P_VERSION);
}

static void test_v2_auth_mismatch_raises_warning(void **state)
{
	struct mon *m = &((struct fixture *)*state)->m;
	struct vrrp_advert a = advert(VRID, 100, 100, "192.0.2.254");
	struct vrrp_advert b = a;

	a.version = b.version = 2;
	a.auth_type = b.auth_type = VRRP_AUTH_PASS;
	memcpy(a.auth_data, "secret\0\0", 8);
	memcpy(b.auth_data, "secreT\0\0", 8);
	b.priority = 150;
	feed_adv(m, S(0), "192.0.2.12", &a, 0);
	assert_int_equal(feed_adv(m, S(1), "192.0.2.11", &b, 0), MON_P_AUTH);
	assert_int_equal(vrid51(m)->alarms, MON_P_AUTH);
}

static void test_silence_after_three_intervals_plus_skew(void **state)
{
	struct mon *m = &((struct fixture *)*state)->m;
	uint64_t down_us = mon_down_interval_us(3, 100, 150);

	assert_int_equal(down_us, 3414062);
	feed(m, S(0), "192.0.2.11", 150);
	vrid51(m)->changes = 0;
	mon_update(m, down_us);
	assert_int_equal(vrid51(m)->alarms, 0);
	assert_int_equal(vrid51(m)->changes, 0);
	mon_update(m, down_us + 1);
	assert_int_equal(vrid51(m)->alarms, MON_P_SILENT);
	assert_int_equal(vrid51(m)->changes, MON_CHG_ALARMS);
	assert_int_equal(vrid51(m)->raised, MON_P_SILENT);
	assert_int_equal(vrid51(m)->cleared, 0);
	/* the last master is still the one shown */
	assert_master(m, "192.0.2.11", 150);
	assert_int_equal(mon_verdict(m), MON_CRITICAL);
	/* adverts again: silence cleared */
	feed(m, S(5), "192.0.2.11", 150);
	assert_int_equal(vrid51(m)->alarms, 0);
}

static void test_down_interval_matches_rfc_example(void **state)
{
	(void)state;
	/* VRRP notes: priority 100, 1 s -> 3.609 s; 10 ms -> 36.09 ms */
	assert_int_equal(mon_down_interval_us(3, 100, 100), 3609375);
	assert_int_equal(mon_down_interval_us(3, 1, 100), 36093);
	assert_int_equal(mon_down_interval_us(3, 100, 255), 3003906);
	/* RFC 3768: the v2 skew is (256 - priority) / 256 s at any interval */
	assert_int_equal(mon_down_interval_us(2, 100, 100), 3609375);
	assert_int_equal(mon_down_interval_us(2, 500, 100), 15609375);
	assert_int_equal(mon_down_interval_us(3, 500, 100), 18046875);
}

/* A v2 master at 5 s is silent after 15.61 s (RFC 3768), not 18.05 s. */
static void test_v2_silence_uses_unscaled_skew(void **state)
{
	struct mon *m = &((struct fixture *)*state)->m;
	struct vrrp_advert adv = advert(VRID, 100, 500, "192.0.2.254");
	uint64_t down_us = 15 * 1000000ULL + 609375;

	adv.version = 2;
	feed_adv(m, S(0), "192.0.2.11", &adv, 0);
	mon_update(m, down_us);
	assert_int_equal(vrid51(m)->alarms, 0);
	mon_update(m, down_us + 1);
	assert_int_equal(vrid51(m)->alarms, MON_P_SILENT);
}

static void test_wire_defects_are_returned_counted_and_warn(void **state)
{
	struct mon *m = &((struct fixture *)*state)->m;
	struct vrrp_advert a = advert(VRID, 150, 100, "192.0.2.254");
	struct mon_vrid *v;

	assert_int_equal(feed_adv(m, S(0), "192.0.2.11", &a, MON_P_TTL), MON_P_TTL);
	assert_int_equal(feed_adv(m, S(1), "192.0.2.11", &a, MON_P_CHECKSUM), MON_P_CHECKSUM);
	assert_int_equal(feed_adv(m, S(2), "192.0.2.11", &a, 0), 0);
	v = vrid51(m);
	assert_int_equal(v->bad_ttl, 1);
	assert_int_equal(v->bad_checksum, 1);
	assert_int_equal(v->bad_length, 0);
	assert_int_equal(v->alarms, MON_P_TTL | MON_P_CHECKSUM);
	assert_int_equal(mon_verdict(m), MON_WARNING);
}

static void test_no_adverts_at_all_is_critical(void **state)
{
	struct mon *m = &((struct fixture *)*state)->m;

	mon_update(m, S(3));
	assert_int_equal(mon_verdict(m), MON_CRITICAL);
	assert_null(mon_next(m, NULL));
}

static void test_malformed_packet_alone_warns(void **state)
{
	struct mon *m = &((struct fixture *)*state)->m;

	feed(m, S(0), "192.0.2.11", 150);
	mon_malformed(m);
	assert_int_equal(m->malformed, 1);
	assert_int_equal(mon_verdict(m), MON_WARNING);
}

static void test_verdict_names_and_exit_codes(void **state)
{
	(void)state;
	assert_int_equal(MON_OK, 0);
	assert_int_equal(MON_WARNING, 1);
	assert_int_equal(MON_CRITICAL, 2);
	assert_int_equal(MON_UNKNOWN, 3);
	assert_string_equal(mon_verdict_name(MON_OK), "OK");
	assert_string_equal(mon_verdict_name(MON_WARNING), "WARNING");
	assert_string_equal(mon_verdict_name(MON_CRITICAL), "CRITICAL");
	assert_string_equal(mon_verdict_name(MON_UNKNOWN), "UNKNOWN");
}

static void test_problem_names(void **state)
{
	(void)state;
	assert_string_equal(mon_problem_name(MON_P_TTL), "bad_ttl");
	assert_string_equal(mon_problem_name(MON_P_SPLIT_BRAIN), "split_brain");
	assert_string_equal(mon_problem_name(MON_P_SILENT), "silent");
	assert_string_equal(mon_problem_text(MON_P_ADDRS), "address lists differ between routers");
	assert_null(mon_problem_name(MON_P_TTL | MON_P_CHECKSUM));
	assert_null(mon_problem_name(1u << MON_P_COUNT_BITS));
}

static void test_vrids_iterate_by_number_ipv4_first(void **state)
{
	struct mon *m = &((struct fixture *)*state)->m;
	struct vrrp_advert a = advert(52, 100, 100, "192.0.2.254");
	struct vrrp_advert b = advert(7, 100, 100, "192.0.2.253");
	struct vrrp_advert c = advert(52, 100, 100, "192.0.2.253");
	struct mon_vrid *v;

	c.family = AF_INET6;
	c.addrs[0] = addr("2001:db8::1");
	feed_adv(m, S(0), "fe80::1", &c, 0);
	feed_adv(m, S(0), "192.0.2.11", &a, 0);
	feed_adv(m, S(0), "192.0.2.11", &b, 0);
	v = mon_next(m, NULL);
	assert_int_equal(v->vrid, 7);
	v = mon_next(m, v);
	assert_int_equal(v->vrid, 52);
	assert_int_equal(v->family, AF_INET);
	v = mon_next(m, v);
	assert_int_equal(v->vrid, 52);
	assert_int_equal(v->family, AF_INET6);
	assert_null(mon_next(m, v));
	assert_int_equal(m->nvrids, 3);
}

static void test_router_table_full_replaces_longest_silent(void **state)
{
	struct mon *m = &((struct fixture *)*state)->m;
	char src[32];

	for (int i = 0; i < MON_MAX_ROUTERS + 2; i++) {
		snprintf(src, sizeof(src), "192.0.2.%d", 20 + i);
		feed(m, S(10 * i), src, 100);
	}
	assert_int_equal(vrid51(m)->nrouters, MON_MAX_ROUTERS);
	assert_master(m, "192.0.2.29", 100);
	assert_int_equal(vrid51(m)->seen_alarms & MON_P_SPLIT_BRAIN, 0);
}

static void test_advert_without_vrid_is_refused(void **state)
{
	struct mon *m = &((struct fixture *)*state)->m;
	struct vrrp_advert a = advert(0, 100, 100, "192.0.2.254");
	struct mon_obs obs = { .now_us = 0, .src = addr("192.0.2.11"), .adv = &a };

	assert_int_equal(mon_advert(m, &obs), -EINVAL);
	obs.adv = NULL;
	assert_int_equal(mon_advert(m, &obs), -EINVAL);
	assert_int_equal(m->adverts, 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_single_master_is_healthy),
		T(test_split_brain_raised_when_two_sources_keep_advertising),
		T(test_split_brain_cleared_when_one_source_stops),
		T(test_split_brain_lasts_until_the_stopped_source_ages_out),
		T(test_split_brain_names_the_better_router_first),
		T(test_preemption_by_higher_priority_is_not_split_brain),
		T(test_priority_zero_resign_is_not_an_alarm),
		T(test_resigning_master_interleaved_is_not_split_brain),
		T(test_address_list_mismatch_tags_advert_and_raises_warning),
		T(test_same_addresses_in_another_order_agree),
		T(test_interval_mismatch_raises_warning),
		T(test_version_mismatch_raises_warning_only),
		T(test_v2_auth_mismatch_raises_warning),
		T(test_silence_after_three_intervals_plus_skew),
		T(test_down_interval_matches_rfc_example),
		T(test_v2_silence_uses_unscaled_skew),
		T(test_wire_defects_are_returned_counted_and_warn),
		T(test_no_adverts_at_all_is_critical),
		T(test_malformed_packet_alone_warns),
		T(test_verdict_names_and_exit_codes),
		T(test_problem_names),
		T(test_vrids_iterate_by_number_ipv4_first),
		T(test_router_table_full_replaces_longest_silent),
		T(test_advert_without_vrid_is_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
