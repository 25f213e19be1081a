/*
 * test_vrrp.c - the VRRP state machine driven by a fake clock: every
 * transition with its exact actions, deadlines and reason text, the timer
 * arithmetic, the per-instance receive checks, and two instances talking
 * over a fake wire.
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vrrp.h"

/* An arbitrary monotonic start time, far from 0 (0 means "timer stopped"). */
#define T0 1000000000ULL
#define CS 10000ULL     /* microseconds per centisecond */
#define SEC 1000000ULL  /* microseconds per second */
/* priority 100, 100 cs */
#define SKEW_100 609375ULL
#define DOWN_100 3609375ULL

#define OUR_ADDR "192.0.2.10"
#define PEER_LOW "192.0.2.9"
#define PEER_HIGH "192.0.2.11"

#define BECOME_MASTER \
	(VRRP_ACT_SEND_ADVERT | VRRP_ACT_ADD_VIPS | VRRP_ACT_ANNOUNCE | VRRP_ACT_STATE)

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

static struct vrrp_params params(uint8_t version, uint8_t prio, bool preempt, uint64_t delay_us)
{
	struct vrrp_params p;

	memset(&p, 0, sizeof(p));
	p.vrid = 51;
	p.version = version;
	p.family = AF_INET;
	p.priority = prio;
	p.adver_int_cs = 100;
	p.preempt = preempt;
	p.preempt_delay_us = delay_us;
	return p;
}

static void setup_instance(struct vrrp_instance *vi, uint8_t prio, bool preempt,
			   uint64_t delay_us)
{
	struct vrrp_params p = params(3, prio, preempt, delay_us);
	struct ipaddr primary = addr(OUR_ADDR);

	vrrp_init(vi, &p, &primary);
}

static unsigned ev_simple(struct vrrp_instance *vi, enum vrrp_event_kind kind, uint64_t now_us,
			  struct vrrp_actions *out)
{
	struct vrrp_event ev = { .kind = kind };

	vrrp_handle(vi, &ev, now_us, out);
	return out->flags;
}

static unsigned ev_cause(struct vrrp_instance *vi, enum vrrp_event_kind kind, const char *cause,
			 uint64_t now_us, struct vrrp_actions *out)
{
	struct vrrp_event ev = { .kind = kind, .cause = cause };

	vrrp_handle(vi, &ev, now_us, out);
	return out->flags;
}

static unsigned ev_priority(struct vrrp_instance *vi, uint8_t prio, uint64_t now_us,
			    struct vrrp_actions *out)
{
	struct vrrp_event ev = { .kind = VRRP_EV_PRIORITY, .priority = prio, .cause = "track" };

	vrrp_handle(vi, &ev, now_us, out);
	return out->flags;
}

static unsigned ev_advert(struct vrrp_instance *vi, const char *src, uint8_t prio,
			  uint16_t interval_cs, uint64_t now_us, struct vrrp_actions *out)
{
	static struct vrrp_advert adv; /* large; the tests are single-threaded */
	struct ipaddr from = addr(src);
	struct vrrp_event ev = { .kind = VRRP_EV_ADVERT, .adv = &adv, .src = &from };

	memset(&adv, 0, sizeof(adv));
	adv.version = vi->p.version;
	adv.vrid = vi->p.vrid;
	adv.priority = prio;
	adv.interval_cs = interval_cs;
	adv.family = from.family;
	vrrp_handle(vi, &ev, now_us, out);
	return out->flags;
}

/* An advert that came by advert path `path`, where our own address is `local`. */
static unsigned ev_path_advert(struct vrrp_instance *vi, unsigned path, const char *src,
			       const char *local, uint8_t prio, uint64_t now_us,
			       struct vrrp_actions *out)
{
	static struct vrrp_advert adv;
	struct ipaddr from = addr(src), mine = addr(local);
	struct vrrp_event ev = { .kind = VRRP_EV_ADVERT, .adv = &adv, .src = &from, .path = path,
				 .local = &mine };

	memset(&adv, 0, sizeof(adv));
	adv.version = vi->p.version;
	adv.vrid = vi->p.vrid;
	adv.priority = prio;
	adv.interval_cs = 100;
	adv.family = from.family;
	vrrp_handle(vi, &ev, now_us, out);
	return out->flags;
}

static void assert_transition(const struct vrrp_actions *out, enum vrrp_state from,
			      enum vrrp_state to, const char *reason)
{
	assert_true(out->flags & VRRP_ACT_STATE);
	assert_int_equal(out->from, from);
	assert_int_equal(out->to, to);
	assert_string_equal(out->reason, reason);
}

static void start_backup(struct vrrp_instance *vi, uint8_t prio, bool preempt, uint64_t delay_us)
{
	struct vrrp_actions out;

	setup_instance(vi, prio, preempt, delay_us);
	assert_int_equal(ev_simple(vi, VRRP_EV_START, T0, &out), VRRP_ACT_STATE);
	assert_int_equal(vi->state, VRRP_STATE_BACKUP);
}

/* A prio-100 instance that won the election at T0 + DOWN_100. */
static void start_master(struct vrrp_instance *vi)
{
	struct vrrp_actions out;

	start_backup(vi, 100, true, 0);
	assert_int_equal(ev_simple(vi, VRRP_EV_TIMER, T0 + DOWN_100, &out), BECOME_MASTER);
	assert_int_equal(vi->state, VRRP_STATE_MASTER);
}

/* ---- names and arithmetic ---- */

static void test_state_names_match_keepalived_words(void **state)
{
	assert_string_equal(vrrp_state_name(VRRP_STATE_INIT), "INIT");
	assert_string_equal(vrrp_state_name(VRRP_STATE_BACKUP), "BACKUP");
	assert_string_equal(vrrp_state_name(VRRP_STATE_MASTER), "MASTER");
	assert_string_equal(vrrp_state_name(VRRP_STATE_FAULT), "FAULT");
	assert_string_equal(vrrp_state_name((enum vrrp_state)42), "UNKNOWN");
}

/*
 * Expected values straight from the formulas, in microseconds, truncated:
 * v3 (RFC 5798 6.1) skew = (256 - prio) * interval / 256; v2 (RFC 3768
 * 6.1) skew = (256 - prio) / 256 s; down = 3 * interval + skew.
 */
static void test_skew_and_master_down_interval_table(void **state)
{
	static const struct {
		uint8_t version;
		uint8_t prio;
		uint16_t interval_cs;
		uint64_t skew_us;
		uint64_t down_us;
	} cases[] = {
		{ 3, 1, 1, 9960, 39960 },
		{ 3, 1, 100, 996093, 3996093 },
		{ 3, 1, 4095, 40790039, 163640039 },
		{ 3, 100, 1, 6093, 36093 },
		{ 3, 100, 100, 609375, 3609375 },
		{ 3, 100, 500, 3046875, 18046875 },
		{ 3, 100, 4095, 24953906, 147803906 },
		{ 3, 254, 1, 78, 30078 },
		{ 3, 254, 100, 7812, 3007812 },
		{ 3, 254, 4095, 319921, 123169921 },
		{ 3, 255, 1, 39, 30039 },
		{ 3, 255, 100, 3906, 3003906 },
		{ 3, 255, 4095, 159960, 123009960 },
		/* v2: the skew stays below a second whatever the interval */
		{ 2, 1, 100, 996093, 3996093 },
		{ 2, 1, 500, 996093, 15996093 },
		{ 2, 100, 100, 609375, 3609375 },
		{ 2, 100, 200, 609375, 6609375 },
		{ 2, 100, 500, 609375, 15609375 },
		{ 2, 200, 500, 218750, 15218750 },
		{ 2, 254, 500, 7812, 15007812 },
		{ 2, 254, 25500, 7812, 765007812 },
		{ 2, 255, 1000, 3906, 30003906 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(vrrp_skew_us(cases[i].version, cases[i].prio,
					      cases[i].interval_cs),
				 cases[i].skew_us);
		assert_int_equal(vrrp_master_down_us(cases[i].version, cases[i].prio,
						     cases[i].interval_cs),
				 cases[i].down_us);
	}
}

static void test_next_deadline_is_earliest_armed_timer(void **state)
{
	struct vrrp_instance vi;

	setup_instance(&vi, 100, true, 0);
	assert_int_equal(vrrp_next_deadline(&vi), 0);
	vi.down_deadline_us = 500;
	assert_int_equal(vrrp_next_deadline(&vi), 500);
	vi.adver_deadline_us = 300;
	assert_int_equal(vrrp_next_deadline(&vi), 300);
	vi.adver_deadline_us = 700;
	assert_int_equal(vrrp_next_deadline(&vi), 500);
	vi.down_deadline_us = 0;
	assert_int_equal(vrrp_next_deadline(&vi), 700);
}

static void test_init_without_primary_leaves_it_unset(void **state)
{
	struct vrrp_params p = params(3, 100, true, 0);
	struct vrrp_instance vi;

	vrrp_init(&vi, &p, NULL);
	assert_int_equal(vi.primary.family, AF_UNSPEC);
	assert_int_equal(vi.master.family, AF_UNSPEC);
	assert_int_equal(vi.state, VRRP_STATE_INIT);
	assert_int_equal(vi.priority, 100);
	assert_int_equal(vi.master_adver_int_cs, 100);
}

/* ---- start-up ---- */

static void test_start_enters_backup_with_down_timer_and_preempt_hold(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions out;

	setup_instance(&vi, 100, true, 30 * SEC);
	assert_int_equal(ev_simple(&vi, VRRP_EV_START, T0, &out), VRRP_ACT_STATE);
	assert_transition(&out, VRRP_STATE_INIT, VRRP_STATE_BACKUP, "start-up");
	assert_int_equal(vi.down_deadline_us, T0 + DOWN_100);
	assert_int_equal(vi.adver_deadline_us, 0);
	assert_int_equal(vi.preempt_hold_us, T0 + 30 * SEC);
	assert_int_equal(vi.master_adver_int_cs, 100);
	assert_int_equal(vrrp_next_deadline(&vi), T0 + DOWN_100);
}

static void test_owner_starts_as_master_at_once(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions out;

	setup_instance(&vi, 255, true, 0);
	assert_int_equal(ev_simple(&vi, VRRP_EV_START, T0, &out), BECOME_MASTER);
	assert_transition(&out, VRRP_STATE_INIT, VRRP_STATE_MASTER, "address owner (priority 255)");
	assert_int_equal(vi.adver_deadline_us, T0 + SEC);
	assert_int_equal(vi.down_deadline_us, 0);
	assert_true(ipaddr_cmp(&vi.master, &vi.primary) == 0);
	assert_int_equal(vi.master_priority, 255);
}

static void test_start_is_ignored_once_running(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions out;

	start_backup(&vi, 100, true, 0);
	assert_int_equal(ev_simple(&vi, VRRP_EV_START, T0 + SEC, &out), 0);
	assert_int_equal(out.from, VRRP_STATE_BACKUP);
	assert_int_equal(out.to, VRRP_STATE_BACKUP);
	assert_int_equal(vi.down_deadline_us, T0 + DOWN_100);
}

/* ---- BACKUP ---- */

static void test_backup_takes_over_when_nothing_heard_since_start_up(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions out;

	start_backup(&vi, 100, true, 0);
	assert_int_equal(ev_simple(&vi, VRRP_EV_TIMER, T0 + DOWN_100 - 1, &out), 0);
	assert_int_equal(vi.state, VRRP_STATE_BACKUP);
	assert_int_equal(ev_simple(&vi, VRRP_EV_TIMER, T0 + DOWN_100, &out), BECOME_MASTER);
	assert_transition(&out, VRRP_STATE_BACKUP, VRRP_STATE_MASTER,
			  "no advert received for 3.61 s since start-up");
	assert_int_equal(vi.adver_deadline_us, T0 + DOWN_100 + SEC);
	assert_int_equal(vi.down_deadline_us, 0);
	assert_true(ipaddr_cmp(&vi.master, &vi.primary) == 0);
}

static void test_backup_takes_over_when_master_falls_silent(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions out;
	uint64_t heard = T0 + 2 * SEC;

	start_backup(&vi, 100, true, 0);
	assert_int_equal(ev_advert(&vi, PEER_HIGH, 150, 100, heard, &out), 0);
	assert_int_equal(vi.down_deadline_us, heard + DOWN_100);
	assert_int_equal(vi.last_master_advert_us, heard);
	assert_int_equal(vi.master_priority, 150);
	assert_int_equal(ev_simple(&vi, VRRP_EV_TIMER, heard + DOWN_100, &out), BECOME_MASTER);
	assert_transition(&out, VRRP_STATE_BACKUP, VRRP_STATE_MASTER,
			  "no advert from 192.0.2.11 for 3.61 s");
}

static void test_backup_learns_master_adver_interval_for_down_timer(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions out;

	start_backup(&vi, 100, true, 0);
	ev_advert(&vi, PEER_HIGH, 150, 200, T0 + SEC, &out);
	assert_int_equal(vi.master_adver_int_cs, 200);
	/* 3 x 2 s + (156 x 2 s) / 256 */
	assert_int_equal(vi.down_deadline_us, T0 + SEC + 6 * SEC + 1218750);
	ev_advert(&vi, PEER_HIGH, 150, 5, T0 + 2 * SEC, &out);
	assert_int_equal(vi.master_adver_int_cs, 5);
	assert_int_equal(vi.down_deadline_us, T0 + 2 * SEC + vrrp_master_down_us(3, 100, 5));
	/* Our own advert interval is unchanged. */
	assert_int_equal(vi.p.adver_int_cs, 100);
}

static void test_backup_takes_over_after_skew_when_master_resigns(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions out;
	uint64_t now = T0 + SEC;

	start_backup(&vi, 100, true, 0);
	ev_advert(&vi, PEER_HIGH, 150, 100, now, &out);
	now += 500000;
	assert_int_equal(ev_advert(&vi, PEER_HIGH, 0, 100, now, &out), 0);
	assert_int_equal(vi.down_deadline_us, now + SKEW_100);
	assert_int_equal(ev_simple(&vi, VRRP_EV_TIMER, now + SKEW_100, &out), BECOME_MASTER);
	assert_transition(&out, VRRP_STATE_BACKUP, VRRP_STATE_MASTER,
			  "master 192.0.2.11 resigned (priority 0)");
}

static void test_backup_accepts_equal_priority_master_while_preempting(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions out;

	start_backup(&vi, 100, true, 0);
	ev_advert(&vi, PEER_LOW, 100, 100, T0 + SEC, &out);
	assert_int_equal(vi.down_deadline_us, T0 + SEC + DOWN_100);
	assert_int_equal(vi.down_cause, VRRP_DOWN_SILENCE);
}

static void test_backup_preempts_lower_priority_master_after_down_interval(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions out;

	start_backup(&vi, 150, true, 0);
	/* Lower adverts are ignored: the start-up down timer keeps running. */
	for (uint64_t t = T0 + SEC / 2; t < T0 + 3 * SEC; t += SEC)
		assert_int_equal(ev_advert(&vi, PEER_HIGH, 100, 100, t, &out), 0);
	assert_int_equal(vi.down_deadline_us, T0 + vrrp_master_down_us(3, 150, 100));
	assert_int_equal(vi.last_master_advert_us, 0);
	assert_int_equal(ev_simple(&vi, VRRP_EV_TIMER, T0 + 3414062, &out), BECOME_MASTER);
	assert_transition(&out, VRRP_STATE_BACKUP, VRRP_STATE_MASTER,
			  "preempting lower-priority master 192.0.2.11 (priority 100 < 150)");
}

static void test_backup_nopreempt_keeps_lower_priority_master(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions out;
	uint64_t t;

	start_backup(&vi, 150, false, 0);
	for (t = T0 + SEC / 2; t < T0 + 20 * SEC; t += SEC) {
		assert_int_equal(ev_advert(&vi, PEER_HIGH, 100, 100, t, &out), 0);
		assert_int_equal(ev_simple(&vi, VRRP_EV_TIMER, t + SEC - 1, &out), 0);
	}
	assert_int_equal(vi.state, VRRP_STATE_BACKUP);
	assert_int_equal(vi.down_deadline_us, t - SEC + vrrp_master_down_us(3, 150, 100));
	assert_int_equal(vi.master_priority, 100);
}

static void test_backup_preempt_delay_holds_then_preempts(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions out;
	uint64_t hold = T0 + 10 * SEC, t;

	start_backup(&vi, 150, true, 10 * SEC);
	/* Within the hold window the lower master is accepted. */
	for (t = T0 + SEC / 2; t < hold; t += SEC) {
		ev_advert(&vi, PEER_HIGH, 100, 100, t, &out);
		assert_int_equal(vi.down_deadline_us, t + 3414062);
		assert_int_equal(ev_simple(&vi, VRRP_EV_TIMER, t + SEC - 1, &out), 0);
	}
	/* The last microsecond of the window still counts... */
	ev_advert(&vi, PEER_HIGH, 100, 100, hold - 1, &out);
	assert_int_equal(vi.down_deadline_us, hold - 1 + 3414062);
	/* ...from its end, lower adverts no longer re-arm the timer. */
	for (t = hold; t < hold + 3 * SEC; t += SEC)
		assert_int_equal(ev_advert(&vi, PEER_HIGH, 100, 100, t, &out), 0);
	assert_int_equal(vi.down_deadline_us, hold - 1 + 3414062);
	assert_int_equal(ev_simple(&vi, VRRP_EV_TIMER, hold - 1 + 3414062, &out), BECOME_MASTER);
	assert_transition(&out, VRRP_STATE_BACKUP, VRRP_STATE_MASTER,
			  "preempting lower-priority master 192.0.2.11 (priority 100 < 150)");
}

static void test_backup_skew_follows_effective_priority(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions out;

	start_backup(&vi, 100, true, 0);
	assert_int_equal(ev_priority(&vi, 120, T0, &out), 0);
	assert_int_equal(vi.priority, 120);
	ev_advert(&vi, PEER_HIGH, 200, 100, T0 + SEC, &out);
	assert_int_equal(vi.down_deadline_us, T0 + SEC + 3 * SEC + 531250);
	ev_advert(&vi, PEER_HIGH, 0, 100, T0 + 2 * SEC, &out);
	assert_int_equal(vi.down_deadline_us, T0 + 2 * SEC + 531250);
}

/* ---- MASTER ---- */

static void test_master_steps_down_to_higher_priority_advert(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions out;
	uint64_t now = T0 + 5 * SEC;

	start_master(&vi);
	assert_int_equal(ev_advert(&vi, PEER_LOW, 150, 200, now, &out),
			 VRRP_ACT_DEL_VIPS | VRRP_ACT_STATE);
	assert_transition(&out, VRRP_STATE_MASTER, VRRP_STATE_BACKUP,
			  "higher priority 150 advert from 192.0.2.9");
	assert_int_equal(vi.adver_deadline_us, 0);
	assert_int_equal(vi.master_adver_int_cs, 200);
	assert_int_equal(vi.down_deadline_us, now + vrrp_master_down_us(3, 100, 200));
	assert_int_equal(vi.last_master_advert_us, now);
	/* If that master then goes quiet, we say so. */
	now = vi.down_deadline_us;
	assert_int_equal(ev_simple(&vi, VRRP_EV_TIMER, now, &out), BECOME_MASTER);
	assert_string_equal(out.reason, "no advert from 192.0.2.9 for 7.22 s");
}

static void test_master_steps_down_to_equal_priority_greater_address(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions out;
	uint64_t now = T0 + 5 * SEC;

	start_master(&vi);
	assert_int_equal(ev_advert(&vi, PEER_HIGH, 100, 100, now, &out),
			 VRRP_ACT_DEL_VIPS | VRRP_ACT_STATE);
	assert_transition(&out, VRRP_STATE_MASTER, VRRP_STATE_BACKUP,
			  "equal priority 100 and greater address 192.0.2.11");
	assert_int_equal(vi.down_deadline_us, now + DOWN_100);
	assert_int_equal(vi.adver_deadline_us, 0);
}

static void test_master_answers_equal_priority_lower_address_without_rearming(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions out;
	uint64_t deadline;

	start_master(&vi);
	deadline = vi.adver_deadline_us;
	assert_int_equal(ev_advert(&vi, PEER_LOW, 100, 100, T0 + 4 * SEC, &out),
			 VRRP_ACT_SEND_ADVERT | VRRP_ACT_REANNOUNCE);
	assert_int_equal(vi.state, VRRP_STATE_MASTER);
	assert_int_equal(vi.adver_deadline_us, deadline);
}

static void test_master_answers_lower_priority_advert_without_rearming(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions out;
	uint64_t deadline;

	start_master(&vi);
	deadline = vi.adver_deadline_us;
	assert_int_equal(ev_advert(&vi, PEER_HIGH, 99, 100, T0 + 4 * SEC, &out),
			 VRRP_ACT_SEND_ADVERT | VRRP_ACT_REANNOUNCE);
	assert_int_equal(vi.state, VRRP_STATE_MASTER);
	assert_int_equal(vi.adver_deadline_us, deadline);
	assert_int_equal(vi.down_deadline_us, 0);
}

/* keepalived's lower_prio_no_advert: re-announce, but send no advert. */
static void test_master_lower_prio_no_advert_only_reannounces(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions out;

	start_master(&vi);
	vi.p.lower_prio_no_advert = true;
	assert_int_equal(ev_advert(&vi, PEER_HIGH, 99, 100, T0 + 4 * SEC, &out),
			 VRRP_ACT_REANNOUNCE);
	assert_int_equal(vi.state, VRRP_STATE_MASTER);
}

/* keepalived's higher_prio_send_advert: one advert of ours while giving way. */
static void test_master_higher_prio_send_advert_advertises_while_stepping_down(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions out;

	start_master(&vi);
	vi.p.higher_prio_send_advert = true;
	assert_int_equal(ev_advert(&vi, PEER_LOW, 150, 100, T0 + 4 * SEC, &out),
			 VRRP_ACT_DEL_VIPS | VRRP_ACT_SEND_ADVERT | VRRP_ACT_STATE);
	assert_int_equal(vi.state, VRRP_STATE_BACKUP);
	assert_int_equal(vi.priority, 100);
}

static void test_master_answers_resign_at_once_and_rearms(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions out;
	uint64_t now = T0 + 4 * SEC + 123;

	start_master(&vi);
	assert_int_equal(ev_advert(&vi, PEER_HIGH, 0, 100, now, &out), VRRP_ACT_SEND_ADVERT);
	assert_int_equal(vi.state, VRRP_STATE_MASTER);
	assert_int_equal(vi.adver_deadline_us, now + SEC);
}

static void test_master_ipv6_tie_break_compares_addresses(void **state)
{
	struct vrrp_params p = params(3, 100, true, 0);
	struct ipaddr primary = addr("fe80::10");
	struct vrrp_instance vi;
	struct vrrp_actions out;

	p.family = AF_INET6;
	vrrp_init(&vi, &p, &primary);
	ev_simple(&vi, VRRP_EV_START, T0, &out);
	ev_simple(&vi, VRRP_EV_TIMER, T0 + DOWN_100, &out);
	assert_int_equal(ev_advert(&vi, "fe80::9", 100, 100, T0 + 4 * SEC, &out),
			 VRRP_ACT_SEND_ADVERT | VRRP_ACT_REANNOUNCE);
	assert_int_equal(ev_advert(&vi, "fe80::1:0", 100, 100, T0 + 5 * SEC, &out),
			 VRRP_ACT_DEL_VIPS | VRRP_ACT_STATE);
	assert_string_equal(out.reason, "equal priority 100 and greater address fe80::1:0");
}

static void test_master_adver_timer_does_not_drift_over_1000_ticks(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions out;
	uint64_t first;

	start_master(&vi);
	first = vi.adver_deadline_us;
	assert_int_equal(first, T0 + DOWN_100 + SEC);
	for (uint64_t k = 0; k < 1000; k++) {
		uint64_t due = first + k * SEC;
		/* Wake up late by a varying amount, never a whole interval. */
		uint64_t late = (k * 7919) % 900000;

		assert_int_equal(vrrp_next_deadline(&vi), due);
		assert_int_equal(ev_simple(&vi, VRRP_EV_TIMER, due + late, &out),
				 VRRP_ACT_SEND_ADVERT);
		assert_int_equal(vi.adver_deadline_us, due + SEC);
	}
}

static void test_master_adver_timer_restarts_from_now_after_a_stall(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions out;
	uint64_t due, now;

	start_master(&vi);
	due = vi.adver_deadline_us;
	assert_int_equal(ev_simple(&vi, VRRP_EV_TIMER, due - 1, &out), 0);
	assert_int_equal(vi.adver_deadline_us, due);
	/* Exactly one interval late: the stepped deadline would be now. */
	now = due + SEC;
	assert_int_equal(ev_simple(&vi, VRRP_EV_TIMER, now, &out), VRRP_ACT_SEND_ADVERT);
	assert_int_equal(vi.adver_deadline_us, now + SEC);
	now = vi.adver_deadline_us + 5 * SEC + 17;
	assert_int_equal(ev_simple(&vi, VRRP_EV_TIMER, now, &out), VRRP_ACT_SEND_ADVERT);
	assert_int_equal(vi.adver_deadline_us, now + SEC);
}

/* A 10 ms (1 cs) master with an alignment grid of grid_us. */
static void start_aligned_master(struct vrrp_instance *vi, uint64_t grid_us)
{
	struct vrrp_params p = params(3, 100, true, 0);
	struct ipaddr primary = addr(OUR_ADDR);
	struct vrrp_actions out;

	p.adver_int_cs = 1;
	p.adver_align_us = grid_us;
	vrrp_init(vi, &p, &primary);
	assert_int_equal(ev_simple(vi, VRRP_EV_START, T0, &out), VRRP_ACT_STATE);
	/* become master 377 us after the down timer, off the grid */
	assert_int_equal(ev_simple(vi, VRRP_EV_TIMER, vi->down_deadline_us + 377, &out),
			 BECOME_MASTER);
}

static void test_master_adver_timer_is_aligned_down_to_grid_after_first_advert(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions out;
	uint64_t elected, due;

	start_aligned_master(&vi, 1000);
	elected = T0 + vrrp_master_down_us(3, 100, 1) + 377;
	/* never later than one interval after the first advert, on the grid */
	due = vi.adver_deadline_us;
	assert_int_equal(due % 1000, 0);
	assert_true(due <= elected + CS);
	assert_true(due > elected + CS - 1000);
	/* then exact 10 ms steps, staying on the grid */
	for (int k = 0; k < 100; k++) {
		assert_int_equal(ev_simple(&vi, VRRP_EV_TIMER, due + 250, &out),
				 VRRP_ACT_SEND_ADVERT);
		assert_int_equal(vi.adver_deadline_us, due + CS);
		due = vi.adver_deadline_us;
	}
	/* a stall restarts from now, rounded down to the grid */
	assert_int_equal(ev_simple(&vi, VRRP_EV_TIMER, due + 3 * CS + 421, &out),
			 VRRP_ACT_SEND_ADVERT);
	assert_int_equal(vi.adver_deadline_us, due + 4 * CS);
}

static void test_master_adver_timer_is_not_aligned_to_a_coarse_grid(void **state)
{
	struct vrrp_instance vi;

	/* 10 ms is only 5 steps of 2 ms: aligning could cut an interval by 20 % */
	start_aligned_master(&vi, 2000);
	assert_int_equal(vi.adver_deadline_us, T0 + vrrp_master_down_us(3, 100, 1) + 377 + CS);
}

/* ---- priority changes ---- */

static void test_priority_change_as_master_advertises_at_once(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions out;
	struct vrrp_advert adv;
	uint64_t deadline;

	start_master(&vi);
	deadline = vi.adver_deadline_us;
	assert_int_equal(ev_priority(&vi, 80, T0 + 4 * SEC, &out), VRRP_ACT_SEND_ADVERT);
	assert_int_equal(vi.priority, 80);
	assert_int_equal(vi.p.priority, 100);
	assert_int_equal(vi.adver_deadline_us, deadline);
	vrrp_fill_advert(&vi, false, &adv);
	assert_int_equal(adv.priority, 80);
}

static void test_priority_change_is_clamped_for_non_owners(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions out;

	start_backup(&vi, 100, true, 0);
	assert_int_equal(ev_priority(&vi, 0, T0, &out), 0);
	assert_int_equal(vi.priority, 1);
	assert_int_equal(ev_priority(&vi, 255, T0, &out), 0);
	assert_int_equal(vi.priority, 254);
	assert_int_equal(ev_priority(&vi, 254, T0, &out), 0);
	assert_int_equal(vi.priority, 254);
}

static void test_owner_priority_never_changes(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions out;

	setup_instance(&vi, 255, true, 0);
	ev_simple(&vi, VRRP_EV_START, T0, &out);
	assert_int_equal(ev_priority(&vi, 50, T0 + SEC, &out), 0);
	assert_int_equal(vi.priority, 255);
}

/* ---- FAULT ---- */

static void test_fault_from_each_state(void **state)
{
	static const struct {
		enum vrrp_state from;
		unsigned flags;
	} cases[] = {
		{ VRRP_STATE_INIT, VRRP_ACT_STATE },
		{ VRRP_STATE_BACKUP, VRRP_ACT_STATE },
		{ VRRP_STATE_MASTER, VRRP_ACT_SEND_RESIGN | VRRP_ACT_DEL_VIPS | VRRP_ACT_STATE },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vrrp_instance vi;
		struct vrrp_actions out;

		if (cases[i].from == VRRP_STATE_MASTER)
			start_master(&vi);
		else if (cases[i].from == VRRP_STATE_BACKUP)
			start_backup(&vi, 100, true, 0);
		else
			setup_instance(&vi, 100, true, 0);
		assert_int_equal(ev_cause(&vi, VRRP_EV_FAULT, "eth0 down", T0 + 5 * SEC, &out),
				 cases[i].flags);
		assert_transition(&out, cases[i].from, VRRP_STATE_FAULT, "fault: eth0 down");
		assert_int_equal(vrrp_next_deadline(&vi), 0);
		assert_int_equal(vi.master.family, AF_UNSPEC);
	}
}

static void test_fault_without_cause_and_repeated_fault(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions out;

	start_backup(&vi, 100, true, 0);
	assert_int_equal(ev_cause(&vi, VRRP_EV_FAULT, NULL, T0, &out), VRRP_ACT_STATE);
	assert_string_equal(out.reason, "fault: unknown");
	assert_int_equal(ev_cause(&vi, VRRP_EV_FAULT, "again", T0, &out), 0);
	assert_int_equal(ev_cause(&vi, VRRP_EV_FAULT_CLEAR, NULL, T0, &out), VRRP_ACT_STATE);
	assert_string_equal(out.reason, "fault cleared: unknown");
}

static void test_adverts_and_timers_are_ignored_in_fault_and_init(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions out;

	setup_instance(&vi, 100, true, 0);
	assert_int_equal(ev_advert(&vi, PEER_HIGH, 150, 100, T0, &out), 0);
	assert_int_equal(ev_advert(&vi, PEER_HIGH, 0, 100, T0, &out), 0);
	assert_int_equal(ev_simple(&vi, VRRP_EV_TIMER, T0, &out), 0);
	assert_int_equal(vi.state, VRRP_STATE_INIT);
	ev_cause(&vi, VRRP_EV_FAULT, "link", T0, &out);
	assert_int_equal(ev_advert(&vi, PEER_HIGH, 150, 100, T0, &out), 0);
	assert_int_equal(ev_advert(&vi, PEER_HIGH, 50, 100, T0, &out), 0);
	assert_int_equal(ev_simple(&vi, VRRP_EV_TIMER, T0 + 100 * SEC, &out), 0);
	assert_int_equal(vi.state, VRRP_STATE_FAULT);
	assert_int_equal(vi.master.family, AF_UNSPEC);
	assert_int_equal(vrrp_next_deadline(&vi), 0);
}

static void test_fault_clear_returns_to_backup_with_fresh_preempt_hold(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions out;
	uint64_t now = T0 + 60 * SEC;

	start_master(&vi);
	ev_cause(&vi, VRRP_EV_FAULT, "eth0 down", T0 + 10 * SEC, &out);
	vi.master_adver_int_cs = 7; /* stale learned value must be forgotten */
	vi.p.preempt_delay_us = 5 * SEC;
	assert_int_equal(ev_cause(&vi, VRRP_EV_FAULT_CLEAR, "eth0 up", now, &out),
			 VRRP_ACT_STATE);
	assert_transition(&out, VRRP_STATE_FAULT, VRRP_STATE_BACKUP, "fault cleared: eth0 up");
	assert_int_equal(vi.master_adver_int_cs, 100);
	assert_int_equal(vi.down_deadline_us, now + DOWN_100);
	assert_int_equal(vi.preempt_hold_us, now + 5 * SEC);
	assert_int_equal(vi.adver_deadline_us, 0);
	assert_int_equal(ev_simple(&vi, VRRP_EV_TIMER, now + DOWN_100, &out), BECOME_MASTER);
	assert_string_equal(out.reason, "no advert received for 3.61 s since fault cleared");
}

static void test_fault_clear_makes_owner_master(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions out;

	setup_instance(&vi, 255, true, 0);
	ev_simple(&vi, VRRP_EV_START, T0, &out);
	assert_int_equal(ev_cause(&vi, VRRP_EV_FAULT, "eth0 down", T0 + SEC, &out),
			 VRRP_ACT_SEND_RESIGN | VRRP_ACT_DEL_VIPS | VRRP_ACT_STATE);
	assert_int_equal(ev_cause(&vi, VRRP_EV_FAULT_CLEAR, "eth0 up", T0 + 2 * SEC, &out),
			 BECOME_MASTER);
	assert_transition(&out, VRRP_STATE_FAULT, VRRP_STATE_MASTER, "fault cleared: eth0 up");
	assert_int_equal(vi.adver_deadline_us, T0 + 3 * SEC);
}

static void test_fault_clear_is_ignored_outside_fault(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions out;

	start_backup(&vi, 100, true, 0);
	assert_int_equal(ev_cause(&vi, VRRP_EV_FAULT_CLEAR, "x", T0 + SEC, &out), 0);
	assert_int_equal(vi.state, VRRP_STATE_BACKUP);
	assert_int_equal(vi.down_deadline_us, T0 + DOWN_100);
}

/* ---- SHUTDOWN ---- */

static void test_shutdown_from_each_state(void **state)
{
	static const struct {
		enum vrrp_state from;
		unsigned flags;
	} cases[] = {
		{ VRRP_STATE_INIT, 0 },
		{ VRRP_STATE_BACKUP, VRRP_ACT_STATE },
		{ VRRP_STATE_MASTER, VRRP_ACT_SEND_RESIGN | VRRP_ACT_DEL_VIPS | VRRP_ACT_STATE },
		{ VRRP_STATE_FAULT, VRRP_ACT_STATE },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vrrp_instance vi;
		struct vrrp_actions out;

		if (cases[i].from == VRRP_STATE_INIT) {
			setup_instance(&vi, 100, true, 0);
		} else if (cases[i].from == VRRP_STATE_MASTER) {
			start_master(&vi);
		} else {
			start_backup(&vi, 100, true, 0);
			if (cases[i].from == VRRP_STATE_FAULT)
				ev_cause(&vi, VRRP_EV_FAULT, "x", T0, &out);
		}
		assert_int_equal(vi.state, cases[i].from);
		assert_int_equal(ev_simple(&vi, VRRP_EV_SHUTDOWN, T0 + 9 * SEC, &out),
				 cases[i].flags);
		assert_int_equal(vi.state, VRRP_STATE_INIT);
		assert_int_equal(vrrp_next_deadline(&vi), 0);
		if (cases[i].flags)
			assert_transition(&out, cases[i].from, VRRP_STATE_INIT, "shutdown");
	}
}

static void test_restart_after_shutdown_starts_afresh(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions out;
	uint64_t now = T0 + 100 * SEC;

	start_master(&vi);
	ev_simple(&vi, VRRP_EV_SHUTDOWN, T0 + 9 * SEC, &out);
	assert_int_equal(ev_simple(&vi, VRRP_EV_START, now, &out), VRRP_ACT_STATE);
	assert_transition(&out, VRRP_STATE_INIT, VRRP_STATE_BACKUP, "start-up");
	assert_int_equal(vi.down_deadline_us, now + DOWN_100);
}

/* ---- VRRPv2 ---- */

static void test_v2_down_interval_is_3_609375_s_and_not_learned(void **state)
{
	struct vrrp_params p = params(2, 100, true, 0);
	struct ipaddr primary = addr(OUR_ADDR);
	struct vrrp_instance vi;
	struct vrrp_actions out;

	vrrp_init(&vi, &p, &primary);
	ev_simple(&vi, VRRP_EV_START, T0, &out);
	assert_int_equal(vi.down_deadline_us, T0 + 3609375);
	/* v2 keeps its own interval even if an advert carried another. */
	ev_advert(&vi, PEER_HIGH, 150, 300, T0 + SEC, &out);
	assert_int_equal(vi.master_adver_int_cs, 100);
	assert_int_equal(vi.down_deadline_us, T0 + SEC + 3609375);
	/* Stepping down as master does not learn either. */
	ev_simple(&vi, VRRP_EV_TIMER, vi.down_deadline_us, &out);
	assert_int_equal(vi.state, VRRP_STATE_MASTER);
	ev_advert(&vi, PEER_HIGH, 150, 300, T0 + 10 * SEC, &out);
	assert_int_equal(vi.state, VRRP_STATE_BACKUP);
	assert_int_equal(vi.master_adver_int_cs, 100);
	assert_int_equal(vi.down_deadline_us, T0 + 10 * SEC + 3609375);
}

/* A v2 instance at advert_int 5 s, priority 100, started at T0. */
static void start_v2_backup_5s(struct vrrp_instance *vi)
{
	struct vrrp_params p = params(2, 100, true, 0);
	struct ipaddr primary = addr(OUR_ADDR);
	struct vrrp_actions out;

	p.adver_int_cs = 500;
	vrrp_init(vi, &p, &primary);
	ev_simple(vi, VRRP_EV_START, T0, &out);
}

static void test_v2_at_5_s_times_out_after_15_609375_s(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions out;

	start_v2_backup_5s(&vi);
	assert_int_equal(vi.down_deadline_us, T0 + 15609375);
	ev_advert(&vi, PEER_HIGH, 150, 500, T0 + SEC, &out);
	assert_int_equal(vi.down_deadline_us, T0 + SEC + 15609375);
	assert_int_equal(ev_simple(&vi, VRRP_EV_TIMER, T0 + SEC + 15609375 - 1, &out), 0);
	assert_int_equal(ev_simple(&vi, VRRP_EV_TIMER, T0 + SEC + 15609375, &out), BECOME_MASTER);
	assert_string_equal(out.reason, "no advert from 192.0.2.11 for 15.61 s");
}

static void test_v2_at_5_s_takes_over_0_609375_s_after_resignation(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions out;

	start_v2_backup_5s(&vi);
	ev_advert(&vi, PEER_HIGH, 150, 500, T0 + SEC, &out);
	ev_advert(&vi, PEER_HIGH, 0, 500, T0 + 2 * SEC, &out);
	assert_int_equal(vi.down_deadline_us, T0 + 2 * SEC + SKEW_100);
	assert_int_equal(ev_simple(&vi, VRRP_EV_TIMER, T0 + 2 * SEC + SKEW_100, &out),
			 BECOME_MASTER);
	assert_string_equal(out.reason, "master 192.0.2.11 resigned (priority 0)");
}

static void test_v2_backup_reloaded_to_longer_interval_waits_for_the_new_one(void **state)
{
	struct vrrp_params p = params(2, 100, true, 0);
	struct ipaddr primary = addr(OUR_ADDR);
	struct vrrp_instance vi;
	struct vrrp_actions out;
	uint64_t reload_at = T0 + 2 * SEC + 300000;

	vrrp_init(&vi, &p, &primary);
	ev_simple(&vi, VRRP_EV_START, T0, &out);
	ev_advert(&vi, PEER_HIGH, 150, 100, T0 + 2 * SEC, &out);
	vrrp_set_interval(&vi, 500, reload_at);
	assert_int_equal(vi.p.adver_int_cs, 500);
	assert_int_equal(vi.master_adver_int_cs, 500);
	assert_int_equal(vi.down_deadline_us, reload_at + 15609375);
	/* The master's first advert at 5 s comes after the old 3.61 s. */
	assert_int_equal(ev_simple(&vi, VRRP_EV_TIMER, T0 + 2 * SEC + DOWN_100, &out), 0);
	assert_int_equal(ev_advert(&vi, PEER_HIGH, 150, 500, reload_at + 5 * SEC, &out), 0);
	assert_int_equal(vi.state, VRRP_STATE_BACKUP);
	assert_int_equal(vi.down_deadline_us, reload_at + 5 * SEC + 15609375);
	/* A reload that leaves the interval alone moves nothing. */
	vrrp_set_interval(&vi, 500, reload_at + 6 * SEC);
	assert_int_equal(vi.down_deadline_us, reload_at + 5 * SEC + 15609375);
}

static void test_v3_backup_reload_keeps_the_learned_interval(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions out;

	start_backup(&vi, 100, true, 0);
	ev_advert(&vi, PEER_HIGH, 150, 200, T0 + SEC, &out);
	vrrp_set_interval(&vi, 500, T0 + 2 * SEC);
	assert_int_equal(vi.p.adver_int_cs, 500);
	assert_int_equal(vi.master_adver_int_cs, 200);
	assert_int_equal(vi.down_deadline_us, T0 + SEC + vrrp_master_down_us(3, 100, 200));
}

static void test_master_reloaded_to_shorter_interval_adverts_within_it(void **state)
{
	struct vrrp_instance vi;
	uint64_t elected = T0 + DOWN_100, next;

	start_master(&vi);
	vi.p.adver_int_cs = 500;
	vi.adver_deadline_us = elected + 5 * SEC;
	vrrp_set_interval(&vi, 100, elected + SEC);
	assert_int_equal(vi.adver_deadline_us, elected + 2 * SEC);
	/* Longer: the advert already due keeps its time. */
	next = vi.adver_deadline_us;
	vrrp_set_interval(&vi, 500, elected + SEC + 1);
	assert_int_equal(vi.adver_deadline_us, next);
}

/* ---- receive checks and advert filling ---- */

static void test_check_advert_reasons(void **state)
{
	static const struct {
		const char *name;
		uint8_t our_version, our_prio, our_auth;
		const char *our_pass;
		uint8_t version, auth;
		const char *pass;
		uint16_t interval_cs;
		enum pkt_drop want;
	} cases[] = {
		{ "v3 ok", 3, 100, 0, "", 3, 0, "", 100, PKT_OK },
		{ "v3 other interval ok", 3, 100, 0, "", 3, 0, "", 250, PKT_OK },
		{ "v2 advert to v3", 3, 100, 0, "", 2, 0, "", 100, PKT_DROP_VERSION_MISMATCH },
		{ "v3 advert to v2", 2, 100, 0, "", 3, 0, "", 100, PKT_DROP_VERSION_MISMATCH },
		{ "v2 ok no auth", 2, 100, 0, "", 2, 0, "", 100, PKT_OK },
		{ "v2 no auth ignores data", 2, 100, 0, "", 2, 0, "junk", 100, PKT_OK },
		{ "v2 ok password", 2, 100, 1, "secret", 2, 1, "secret", 100, PKT_OK },
		{ "v2 auth type", 2, 100, 1, "secret", 2, 0, "", 100, PKT_DROP_AUTH_MISMATCH },
		{ "v2 password", 2, 100, 1, "secret", 2, 1, "secreT", 100,
		  PKT_DROP_AUTH_MISMATCH },
		{ "v2 interval", 2, 100, 0, "", 2, 0, "", 200, PKT_DROP_INTERVAL_MISMATCH },
		{ "v3 owner", 3, 255, 0, "", 3, 0, "", 100, PKT_DROP_OWNER },
		{ "v2 owner", 2, 255, 0, "", 2, 0, "", 100, PKT_DROP_OWNER },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vrrp_params p = params(cases[i].our_version, cases[i].our_prio, true, 0);
		struct ipaddr primary = addr(OUR_ADDR);
		static struct vrrp_advert adv;
		struct vrrp_instance vi;
		enum pkt_drop got;

		p.auth_type = cases[i].our_auth;
		memcpy(p.auth_data, cases[i].our_pass, strlen(cases[i].our_pass));
		vrrp_init(&vi, &p, &primary);
		memset(&adv, 0, sizeof(adv));
		adv.version = cases[i].version;
		adv.vrid = 51;
		adv.priority = 100;
		adv.interval_cs = cases[i].interval_cs;
		adv.auth_type = cases[i].auth;
		memcpy(adv.auth_data, cases[i].pass, strlen(cases[i].pass));
		got = vrrp_check_advert(&vi, &adv);
		if (got != cases[i].want)
			print_message("case \"%s\"\n", cases[i].name);
		assert_int_equal(got, cases[i].want);
	}
}

static void test_fill_advert_v3_and_resign(void **state)
{
	static struct vrrp_advert adv;
	struct vrrp_instance vi;

	start_backup(&vi, 100, true, 0);
	vi.priority = 90;
	memset(&adv, 0xa5, sizeof(adv));
	vrrp_fill_advert(&vi, false, &adv);
	assert_int_equal(adv.version, 3);
	assert_int_equal(adv.vrid, 51);
	assert_int_equal(adv.priority, 90);
	assert_int_equal(adv.naddr, 0);
	assert_int_equal(adv.interval_cs, 100);
	assert_int_equal(adv.auth_type, VRRP_AUTH_NONE);
	assert_memory_equal(adv.auth_data, "\0\0\0\0\0\0\0\0", VRRP_V2_AUTH_LEN);
	assert_false(adv.legacy_checksum);
	assert_int_equal(adv.family, AF_INET);
	vrrp_fill_advert(&vi, true, &adv);
	assert_int_equal(adv.priority, 0);
}

static void test_fill_advert_v2_carries_auth(void **state)
{
	struct vrrp_params p = params(2, 200, true, 0);
	struct ipaddr primary = addr(OUR_ADDR);
	static struct vrrp_advert adv;
	struct vrrp_instance vi;

	p.adver_int_cs = 300;
	p.auth_type = VRRP_AUTH_PASS;
	memcpy(p.auth_data, "pass\0\0\0\0", VRRP_V2_AUTH_LEN);
	vrrp_init(&vi, &p, &primary);
	vrrp_fill_advert(&vi, false, &adv);
	assert_int_equal(adv.version, 2);
	assert_int_equal(adv.priority, 200);
	assert_int_equal(adv.interval_cs, 300);
	assert_int_equal(adv.auth_type, VRRP_AUTH_PASS);
	assert_memory_equal(adv.auth_data, "pass\0\0\0\0", VRRP_V2_AUTH_LEN);
}

/* ---- two instances on a fake wire ---- */

#define SIM_NODES 2
#define SIM_QUEUE 16
#define SIM_WIRE_DELAY_US 150
#define SIM_MAX_STEPS 100000

struct sim_msg {
	bool used;
	int to;
	uint64_t at_us;
	struct ipaddr src;
	struct vrrp_advert adv;
};

struct sim {
	struct vrrp_instance node[SIM_NODES];
	uint64_t start_at_us[SIM_NODES];
	bool started[SIM_NODES];
	bool silenced[SIM_NODES]; /* its adverts are lost */
	unsigned transitions[SIM_NODES];
	uint64_t became_master_us[SIM_NODES];
	uint64_t last_heard_us[SIM_NODES]; /* last advert delivered to the node */
	char reason[SIM_NODES][VRRP_REASON_MAX];
	uint64_t now_us;
	struct sim_msg q[SIM_QUEUE];
};

static void sim_send(struct sim *s, int from, bool resign)
{
	if (s->silenced[from])
		return;
	for (int i = 0; i < SIM_QUEUE; i++) {
		struct sim_msg *m = &s->q[i];

		if (m->used)
			continue;
		m->used = true;
		m->to = 1 - from;
		m->at_us = s->now_us + SIM_WIRE_DELAY_US;
		m->src = s->node[from].primary;
		vrrp_fill_advert(&s->node[from], resign, &m->adv);
		return;
	}
	fail_msg("wire queue full");
}

/* What the daemon's glue would do with the actions (in bit order). */
static void sim_apply(struct sim *s, int n, const struct vrrp_actions *out)
{
	if (out->flags & VRRP_ACT_SEND_RESIGN)
		sim_send(s, n, true);
	if (out->flags & VRRP_ACT_SEND_ADVERT)
		sim_send(s, n, false);
	if (out->flags & VRRP_ACT_STATE) {
		s->transitions[n]++;
		strcpy(s->reason[n], out->reason);
		if (out->to == VRRP_STATE_MASTER)
			s->became_master_us[n] = s->now_us;
	}
}

static void sim_deliver(struct sim *s, struct sim_msg *m)
{
	struct vrrp_event ev = { .kind = VRRP_EV_ADVERT, .adv = &m->adv, .src = &m->src };
	struct vrrp_actions out;

	m->used = false;
	if (vrrp_check_advert(&s->node[m->to], &m->adv) != PKT_OK)
		return;
	s->last_heard_us[m->to] = s->now_us;
	vrrp_handle(&s->node[m->to], &ev, s->now_us, &out);
	sim_apply(s, m->to, &out);
}

static uint64_t sim_next_time(const struct sim *s)
{
	uint64_t t = UINT64_MAX;

	for (int n = 0; n < SIM_NODES; n++) {
		uint64_t d = s->started[n] ? vrrp_next_deadline(&s->node[n]) : s->start_at_us[n];

		if (d && d < t)
			t = d;
	}
	for (int i = 0; i < SIM_QUEUE; i++)
		if (s->q[i].used && s->q[i].at_us < t)
			t = s->q[i].at_us;
	return t;
}

/* Advance the fake clock event by event until end_us. */
static void sim_run(struct sim *s, uint64_t end_us)
{
	struct vrrp_event start = { .kind = VRRP_EV_START };
	struct vrrp_event timer = { .kind = VRRP_EV_TIMER };
	struct vrrp_actions out;

	for (int steps = 0; steps < SIM_MAX_STEPS; steps++) {
		uint64_t t = sim_next_time(s);

		if (t > end_us) {
			s->now_us = end_us;
			return;
		}
		s->now_us = t;
		for (int i = 0; i < SIM_QUEUE; i++)
			if (s->q[i].used && s->q[i].at_us == t)
				sim_deliver(s, &s->q[i]);
		for (int n = 0; n < SIM_NODES; n++) {
			const struct vrrp_event *ev = NULL;

			if (!s->started[n] && s->start_at_us[n] == t) {
				s->started[n] = true;
				ev = &start;
			} else if (s->started[n] && vrrp_next_deadline(&s->node[n]) == t) {
				ev = &timer;
			}
			if (!ev)
				continue;
			vrrp_handle(&s->node[n], ev, t, &out);
			sim_apply(s, n, &out);
		}
	}
	fail_msg("simulation did not settle within %d steps", SIM_MAX_STEPS);
}

static struct sim *sim_new(uint8_t prio_a, uint8_t prio_b, uint64_t start_b_us)
{
	struct sim *s = test_calloc(1, sizeof(*s));
	struct vrrp_params pa = params(3, prio_a, true, 0);
	struct vrrp_params pb = params(3, prio_b, true, 0);
	struct ipaddr a = addr("192.0.2.11"), b = addr("192.0.2.12");

	vrrp_init(&s->node[0], &pa, &a);
	vrrp_init(&s->node[1], &pb, &b);
	s->start_at_us[0] = T0;
	s->start_at_us[1] = start_b_us;
	return s;
}

static int sim_masters(const struct sim *s)
{
	int n = 0;

	for (int i = 0; i < SIM_NODES; i++)
		n += s->node[i].state == VRRP_STATE_MASTER;
	return n;
}

static void test_two_equal_instances_elect_greater_address_and_fail_over(void **state)
{
	struct sim *s = sim_new(100, 100, T0);
	uint64_t silenced_at;

	sim_run(s, T0 + 10 * SEC);
	assert_int_equal(sim_masters(s), 1);
	assert_int_equal(s->node[1].state, VRRP_STATE_MASTER);
	assert_int_equal(s->node[0].state, VRRP_STATE_BACKUP);
	/* Both timed out together; the smaller address stepped down once. */
	assert_int_equal(s->transitions[0], 3);
	assert_int_equal(s->transitions[1], 2);
	assert_string_equal(s->reason[0], "equal priority 100 and greater address 192.0.2.12");
	/* And it stays that way. */
	sim_run(s, T0 + 60 * SEC);
	assert_int_equal(s->transitions[0], 3);
	assert_int_equal(s->transitions[1], 2);

	/* Silence the master: the backup takes over one down interval later. */
	silenced_at = s->now_us;
	s->silenced[1] = true;
	sim_run(s, silenced_at + 10 * SEC);
	assert_int_equal(s->node[0].state, VRRP_STATE_MASTER);
	assert_int_equal(s->became_master_us[0], s->last_heard_us[0] + DOWN_100);
	assert_true(s->became_master_us[0] - silenced_at <= DOWN_100);
	assert_string_equal(s->reason[0], "no advert from 192.0.2.12 for 3.61 s");
	test_free(s);
}

static void test_two_instances_higher_priority_late_starter_preempts(void **state)
{
	struct sim *s = sim_new(100, 150, T0 + 5 * SEC);

	sim_run(s, T0 + 5 * SEC - 1);
	assert_int_equal(s->node[0].state, VRRP_STATE_MASTER);
	sim_run(s, T0 + 30 * SEC);
	assert_int_equal(sim_masters(s), 1);
	assert_int_equal(s->node[1].state, VRRP_STATE_MASTER);
	assert_int_equal(s->became_master_us[1], T0 + 5 * SEC + vrrp_master_down_us(3, 150, 100));
	assert_string_equal(s->reason[1],
			    "preempting lower-priority master 192.0.2.11 (priority 100 < 150)");
	assert_string_equal(s->reason[0], "higher priority 150 advert from 192.0.2.12");

	/* The new master shuts down: its resignation hands over after Skew_Time. */
	{
		struct vrrp_event ev = { .kind = VRRP_EV_SHUTDOWN };
		struct vrrp_actions out;
		uint64_t resign_at = s->now_us;

		vrrp_handle(&s->node[1], &ev, resign_at, &out);
		sim_apply(s, 1, &out);
		sim_run(s, resign_at + 10 * SEC);
		assert_int_equal(s->node[0].state, VRRP_STATE_MASTER);
		assert_int_equal(s->became_master_us[0],
				 resign_at + SIM_WIRE_DELAY_US + SKEW_100);
		assert_string_equal(s->reason[0], "master 192.0.2.12 resigned (priority 0)");
	}
	test_free(s);
}

/* ---- operator overrides: switchover and maintenance ---- */

static void test_resign_on_request_hands_over_and_stays_backup(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions out;
	uint64_t now = T0 + DOWN_100 + 5 * SEC;

	start_master(&vi);
	assert_int_equal(ev_cause(&vi, VRRP_EV_RESIGN, "switchover requested", now, &out),
			 VRRP_ACT_SEND_RESIGN | VRRP_ACT_DEL_VIPS | VRRP_ACT_STATE);
	assert_transition(&out, VRRP_STATE_MASTER, VRRP_STATE_BACKUP, "switchover requested");
	assert_int_equal(vi.adver_deadline_us, 0);
	assert_int_equal(vi.down_deadline_us, now + DOWN_100);
	assert_true(ipaddr_is_unset(&vi.master));
}

static void test_resigned_router_takes_over_again_when_nobody_else_does(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions out;
	uint64_t now = T0 + DOWN_100 + 5 * SEC;

	start_master(&vi);
	ev_cause(&vi, VRRP_EV_RESIGN, "switchover requested", now, &out);
	assert_int_equal(ev_simple(&vi, VRRP_EV_TIMER, now + DOWN_100, &out), BECOME_MASTER);
	assert_transition(&out, VRRP_STATE_BACKUP, VRRP_STATE_MASTER,
			  "no advert received for 3.61 s since we resigned");
}

static void test_resign_and_takeover_do_nothing_in_the_wrong_state(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions out;

	start_backup(&vi, 100, true, 0);
	assert_int_equal(ev_cause(&vi, VRRP_EV_RESIGN, "x", T0 + 1, &out), 0);
	assert_int_equal(vi.state, VRRP_STATE_BACKUP);
	start_master(&vi);
	assert_int_equal(ev_cause(&vi, VRRP_EV_TAKEOVER, "x", T0 + DOWN_100 + 1, &out), 0);
	assert_int_equal(vi.state, VRRP_STATE_MASTER);
}

static void test_no_preempt_keeps_a_lower_priority_master_until_it_goes_quiet(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions out;
	uint64_t t = T0 + SEC;

	start_backup(&vi, 150, true, 0);
	vi.no_preempt = true;
	assert_int_equal(ev_advert(&vi, PEER_LOW, 100, 100, t, &out), 0);
	assert_int_equal(vi.down_cause, VRRP_DOWN_SILENCE);
	assert_int_equal(vi.master_priority, 100);
	/* its adverts keep us BACKUP ... */
	for (int i = 1; i <= 5; i++) {
		t += SEC;
		assert_int_equal(ev_advert(&vi, PEER_LOW, 100, 100, t, &out), 0);
		assert_int_equal(ev_simple(&vi, VRRP_EV_TIMER, t + SEC / 2, &out), 0);
	}
	/* ... and its silence makes us take over */
	assert_int_equal(ev_simple(&vi, VRRP_EV_TIMER, vi.down_deadline_us, &out), BECOME_MASTER);
	assert_transition(&out, VRRP_STATE_BACKUP, VRRP_STATE_MASTER,
			  "no advert from " PEER_LOW " for 3.41 s");
}

static void test_without_no_preempt_the_same_advert_is_preempted(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions out;

	start_backup(&vi, 150, true, 0);
	ev_advert(&vi, PEER_LOW, 100, 100, T0 + SEC, &out);
	assert_int_equal(vi.down_cause, VRRP_DOWN_PREEMPT);
}

static void test_takeover_on_request_makes_a_backup_master_now(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions out;

	start_backup(&vi, 100, true, 0);
	ev_advert(&vi, PEER_HIGH, 150, 100, T0 + SEC, &out);
	assert_int_equal(ev_cause(&vi, VRRP_EV_TAKEOVER, "switchover requested", T0 + 2 * SEC,
				  &out),
			 BECOME_MASTER);
	assert_transition(&out, VRRP_STATE_BACKUP, VRRP_STATE_MASTER, "switchover requested");
	assert_int_equal(vi.adver_deadline_us, T0 + 3 * SEC);
}

static void test_hold_backup_never_becomes_master_until_released(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions out;

	setup_instance(&vi, 100, true, 0);
	vi.hold_backup = true;
	ev_simple(&vi, VRRP_EV_START, T0, &out);
	assert_int_equal(vi.state, VRRP_STATE_BACKUP);
	assert_int_equal(ev_simple(&vi, VRRP_EV_TIMER, T0 + DOWN_100, &out), 0);
	assert_int_equal(vi.state, VRRP_STATE_BACKUP);
	assert_int_equal(vi.down_deadline_us, T0 + 2 * DOWN_100);
	assert_int_equal(ev_cause(&vi, VRRP_EV_TAKEOVER, "x", T0 + DOWN_100 + 1, &out), 0);
	/* a master that resigns does not lure us either */
	ev_advert(&vi, PEER_LOW, 0, 100, T0 + DOWN_100 + 2, &out);
	assert_int_equal(ev_simple(&vi, VRRP_EV_TIMER, vi.down_deadline_us, &out), 0);
	assert_int_equal(vi.state, VRRP_STATE_BACKUP);
	vi.hold_backup = false;
	assert_int_equal(ev_simple(&vi, VRRP_EV_TIMER, vi.down_deadline_us, &out), BECOME_MASTER);
}

static void test_hold_backup_keeps_even_the_address_owner_backup(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions out;

	setup_instance(&vi, 255, true, 0);
	vi.hold_backup = true;
	assert_int_equal(ev_simple(&vi, VRRP_EV_START, T0, &out), VRRP_ACT_STATE);
	assert_int_equal(vi.state, VRRP_STATE_BACKUP);
	ev_cause(&vi, VRRP_EV_FAULT, "link", T0 + 1, &out);
	assert_int_equal(ev_cause(&vi, VRRP_EV_FAULT_CLEAR, "link", T0 + 2, &out), VRRP_ACT_STATE);
	assert_int_equal(vi.state, VRRP_STATE_BACKUP);
}

/* ---- the advert source address changes ---- */

static void test_primary_change_moves_the_tie_break(void **state)
{
	struct ipaddr lower = addr("192.0.2.8");
	struct vrrp_instance vi;
	struct vrrp_actions out;

	start_master(&vi);
	/* 192.0.2.9 loses against 192.0.2.10 ... */
	ev_advert(&vi, PEER_LOW, 100, 100, T0 + 4 * SEC, &out);
	assert_int_equal(vi.state, VRRP_STATE_MASTER);
	assert_false(vrrp_set_primary(&vi, &vi.primary));
	assert_true(vrrp_set_primary(&vi, &lower));
	assert_true(ipaddr_equal(&vi.master, &lower));
	/* ... but wins against the 192.0.2.8 our adverts now come from. */
	ev_advert(&vi, PEER_LOW, 100, 100, T0 + 5 * SEC, &out);
	assert_int_equal(vi.state, VRRP_STATE_BACKUP);
	assert_string_equal(out.reason, "equal priority 100 and greater address 192.0.2.9");
}

static void test_unset_primary_is_ignored(void **state)
{
	struct ipaddr unset = { .family = AF_UNSPEC };
	struct ipaddr ours = addr(OUR_ADDR);
	struct vrrp_instance vi;

	start_master(&vi);
	assert_false(vrrp_set_primary(&vi, &unset));
	assert_true(ipaddr_equal(&vi.primary, &ours));
}

/*
 * Equal priorities; the winner's address changes to one below the loser's
 * and a partition makes both master. Once healed, one master remains and
 * the wire goes quiet: no yielding in turn, no advert ping-pong.
 */
static void test_two_equal_instances_agree_after_winner_primary_changes(void **state)
{
	struct sim *s = sim_new(100, 100, T0);
	struct ipaddr lower = addr("192.0.2.5");
	unsigned before[SIM_NODES];

	sim_run(s, T0 + 10 * SEC);
	assert_int_equal(s->node[1].state, VRRP_STATE_MASTER);
	assert_true(vrrp_set_primary(&s->node[1], &lower));
	s->silenced[0] = s->silenced[1] = true;
	sim_run(s, s->now_us + 10 * SEC);
	assert_int_equal(sim_masters(s), 2);
	s->silenced[0] = s->silenced[1] = false;
	sim_run(s, s->now_us + 5 * SEC);
	assert_int_equal(sim_masters(s), 1);
	assert_int_equal(s->node[0].state, VRRP_STATE_MASTER);
	assert_string_equal(s->reason[1], "equal priority 100 and greater address 192.0.2.11");
	memcpy(before, s->transitions, sizeof(before));
	sim_run(s, s->now_us + 60 * SEC);
	assert_memory_equal(before, s->transitions, sizeof(before));
	test_free(s);
}

/*
 * A v2 pair at 1 s reloaded to 5 s (both within 100 ms): no transition
 * while the backup waits for the master's first advert at the new rhythm.
 */
static void test_v2_pair_reloaded_to_5_s_keeps_its_master(void **state)
{
	struct sim *s = sim_new(150, 100, T0);
	unsigned before[SIM_NODES];
	struct vrrp_params p = params(2, 150, true, 0);
	struct ipaddr a = addr("192.0.2.11"), b = addr("192.0.2.12");

	vrrp_init(&s->node[0], &p, &a);
	p.priority = 100;
	vrrp_init(&s->node[1], &p, &b);
	sim_run(s, T0 + 20 * SEC);
	assert_int_equal(s->node[0].state, VRRP_STATE_MASTER);
	assert_int_equal(s->node[1].state, VRRP_STATE_BACKUP);
	memcpy(before, s->transitions, sizeof(before));
	vrrp_set_interval(&s->node[0], 500, s->now_us);
	sim_run(s, s->now_us + 100000);
	vrrp_set_interval(&s->node[1], 500, s->now_us);
	sim_run(s, s->now_us + 60 * SEC);
	assert_memory_equal(before, s->transitions, sizeof(before));
	assert_int_equal(s->node[1].master_adver_int_cs, 500);
	test_free(s);
}

/* ------------------------------------------------------------ advert paths */

#define PATH_OURS "198.51.100.10"
#define PATH_PEER_LOW "198.51.100.9"
#define PATH_PEER_HIGH "198.51.100.11"

static void test_path_advert_resets_down_timer_and_keeps_main_identity(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions out;
	struct ipaddr main_addr = addr(PEER_HIGH);
	uint64_t now = T0 + SEC;

	start_backup(&vi, 100, true, 0);
	ev_advert(&vi, PEER_HIGH, 150, 100, now, &out);
	/* The main interface falls silent; the path alone keeps the master. */
	for (int i = 1; i <= 10; i++) {
		now = T0 + SEC + (uint64_t)i * SEC;
		assert_int_equal(ev_path_advert(&vi, 1, PATH_PEER_LOW, PATH_OURS, 150, now, &out), 0);
		assert_int_equal(vi.down_deadline_us, now + DOWN_100);
		assert_int_equal(ev_simple(&vi, VRRP_EV_TIMER, now + SEC - 1, &out), 0);
	}
	assert_int_equal(vi.state, VRRP_STATE_BACKUP);
	assert_true(ipaddr_equal(&vi.master, &main_addr));
	/* Silence on every path: the timer fires, naming the main identity. */
	assert_int_equal(ev_simple(&vi, VRRP_EV_TIMER, now + DOWN_100, &out), BECOME_MASTER);
	assert_string_equal(out.reason, "no advert from 192.0.2.11 for 3.61 s");
}

static void test_path_advert_names_master_by_path_address_until_main_heard(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions out;
	struct ipaddr path = addr(PATH_PEER_HIGH), main_addr = addr(PEER_HIGH);

	start_backup(&vi, 100, true, 0);
	ev_path_advert(&vi, 1, PATH_PEER_HIGH, PATH_OURS, 150, T0 + SEC, &out);
	assert_true(ipaddr_equal(&vi.master, &path));
	ev_advert(&vi, PEER_HIGH, 150, 100, T0 + SEC + 10, &out);
	assert_true(ipaddr_equal(&vi.master, &main_addr));
	ev_path_advert(&vi, 1, PATH_PEER_HIGH, PATH_OURS, 150, T0 + 2 * SEC, &out);
	assert_true(ipaddr_equal(&vi.master, &main_addr));
	/* A new priority is another master, or this one changed: named as heard. */
	ev_path_advert(&vi, 1, PATH_PEER_HIGH, PATH_OURS, 140, T0 + 3 * SEC, &out);
	assert_true(ipaddr_equal(&vi.master, &path));
	assert_int_equal(vi.master_priority, 140);
}

static void test_path_resignation_takes_over_after_skew(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions out;
	uint64_t now = T0 + SEC;

	start_backup(&vi, 100, true, 0);
	ev_advert(&vi, PEER_HIGH, 150, 100, now, &out);
	now += 300000;
	assert_int_equal(ev_path_advert(&vi, 1, PATH_PEER_HIGH, PATH_OURS, 0, now, &out), 0);
	assert_int_equal(vi.down_deadline_us, now + SKEW_100);
	assert_int_equal(ev_simple(&vi, VRRP_EV_TIMER, now + SKEW_100, &out), BECOME_MASTER);
	assert_string_equal(out.reason, "master 192.0.2.11 resigned (priority 0)");
}

static void test_master_steps_down_to_higher_priority_path_advert(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions out;

	start_master(&vi);
	/* A higher priority wins on any path, even one with a lower address. */
	assert_int_equal(ev_path_advert(&vi, 2, PATH_PEER_LOW, PATH_OURS, 150, T0 + 5 * SEC, &out),
			 VRRP_ACT_DEL_VIPS | VRRP_ACT_STATE);
	assert_transition(&out, VRRP_STATE_MASTER, VRRP_STATE_BACKUP,
			  "higher priority 150 advert from 198.51.100.9");
}

static void test_master_answers_lower_priority_path_advert(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions out;

	start_master(&vi);
	assert_int_equal(ev_path_advert(&vi, 1, PATH_PEER_HIGH, PATH_OURS, 50, T0 + 5 * SEC, &out),
			 VRRP_ACT_SEND_ADVERT | VRRP_ACT_REANNOUNCE);
	assert_int_equal(vi.state, VRRP_STATE_MASTER);
}

static void test_path_tie_is_left_to_main_interface_while_it_carries_adverts(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions out;
	uint64_t now = T0 + 5 * SEC;

	start_master(&vi);
	/* On the main interface we win (lower peer address) and answer. */
	assert_int_equal(ev_advert(&vi, PEER_LOW, 100, 100, now, &out),
			 VRRP_ACT_SEND_ADVERT | VRRP_ACT_REANNOUNCE);
	/* On the path the same peer has the greater address: ignored, not answered. */
	assert_int_equal(ev_path_advert(&vi, 1, PATH_PEER_HIGH, PATH_OURS, 100, now + 10, &out), 0);
	assert_int_equal(vi.state, VRRP_STATE_MASTER);
	assert_int_equal(ev_path_advert(&vi, 1, PATH_PEER_HIGH, PATH_OURS, 100,
					now + DOWN_100 - 1, &out), 0);
	/* Main silent for Master_Down_Interval: the path's addresses decide. */
	assert_int_equal(ev_path_advert(&vi, 1, PATH_PEER_HIGH, PATH_OURS, 100, now + DOWN_100,
					&out), VRRP_ACT_DEL_VIPS | VRRP_ACT_STATE);
	assert_transition(&out, VRRP_STATE_MASTER, VRRP_STATE_BACKUP,
			  "equal priority 100 and greater address 198.51.100.11");
}

static void test_path_tie_without_main_compares_path_addresses(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions out;

	start_master(&vi); /* at T0 + DOWN_100 */
	/*
	 * Never heard on main. Just after taking over, the tie waits for the
	 * main interface (both routers may have taken over together)...
	 */
	assert_int_equal(ev_path_advert(&vi, 1, PATH_PEER_HIGH, PATH_OURS, 100,
					T0 + 2 * DOWN_100 - 1, &out), 0);
	assert_int_equal(vi.state, VRRP_STATE_MASTER);
	/* ...then a lower path address is answered, as on main... */
	assert_int_equal(ev_path_advert(&vi, 1, PATH_PEER_LOW, PATH_OURS, 100, T0 + 2 * DOWN_100,
					&out), VRRP_ACT_SEND_ADVERT | VRRP_ACT_REANNOUNCE);
	assert_int_equal(vi.state, VRRP_STATE_MASTER);
	/* ...and a greater one wins. */
	assert_int_equal(ev_path_advert(&vi, 1, PATH_PEER_HIGH, PATH_OURS, 100, T0 + 2 * DOWN_100,
					&out), VRRP_ACT_DEL_VIPS | VRRP_ACT_STATE);
}

static void test_path_silence_is_judged_against_master_down_interval(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions out;
	uint64_t heard = T0 + 2 * SEC;

	start_backup(&vi, 100, true, 0);
	/* Never heard: counted from entering BACKUP. */
	assert_false(vrrp_path_silent(&vi, 0, T0 + DOWN_100 - 1));
	assert_true(vrrp_path_silent(&vi, 0, T0 + DOWN_100));
	ev_advert(&vi, PEER_HIGH, 150, 100, heard, &out);
	assert_false(vrrp_path_silent(&vi, heard, heard + DOWN_100 - 1));
	assert_true(vrrp_path_silent(&vi, heard, heard + DOWN_100));
	/* Masters and faulty instances have no silent paths. */
	vi.state = VRRP_STATE_MASTER;
	assert_false(vrrp_path_silent(&vi, 0, heard + 100 * SEC));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state_names_match_keepalived_words),
		cmocka_unit_test(test_skew_and_master_down_interval_table),
		cmocka_unit_test(test_next_deadline_is_earliest_armed_timer),
		cmocka_unit_test(test_init_without_primary_leaves_it_unset),
		cmocka_unit_test(test_start_enters_backup_with_down_timer_and_preempt_hold),
		cmocka_unit_test(test_owner_starts_as_master_at_once),
		cmocka_unit_test(test_start_is_ignored_once_running),
		cmocka_unit_test(test_backup_takes_over_when_nothing_heard_since_start_up),
		cmocka_unit_test(test_backup_takes_over_when_master_falls_silent),
		cmocka_unit_test(test_backup_learns_master_adver_interval_for_down_timer),
		cmocka_unit_test(test_backup_takes_over_after_skew_when_master_resigns),
		cmocka_unit_test(test_backup_accepts_equal_priority_master_while_preempting),
		cmocka_unit_test(test_backup_preempts_lower_priority_master_after_down_interval),
		cmocka_unit_test(test_backup_nopreempt_keeps_lower_priority_master),
		cmocka_unit_test(test_backup_preempt_delay_holds_then_preempts),
		cmocka_unit_test(test_backup_skew_follows_effective_priority),
		cmocka_unit_test(test_master_steps_down_to_higher_priority_advert),
		cmocka_unit_test(test_master_steps_down_to_equal_priority_greater_address),
		cmocka_unit_test(test_master_answers_equal_priority_lower_address_without_rearming),
		cmocka_unit_test(test_master_answers_lower_priority_advert_without_rearming),
		cmocka_unit_test(test_master_lower_prio_no_advert_only_reannounces),
		cmocka_unit_test(test_master_higher_prio_send_advert_advertises_while_stepping_down),
		cmocka_unit_test(test_master_answers_resign_at_once_and_rearms),
		cmocka_unit_test(test_master_ipv6_tie_break_compares_addresses),
		cmocka_unit_test(test_master_adver_timer_does_not_drift_over_1000_ticks),
		cmocka_unit_test(test_master_adver_timer_restarts_from_now_after_a_stall),
		cmocka_unit_test(test_master_adver_timer_is_aligned_down_to_grid_after_first_advert),
		cmocka_unit_test(test_master_adver_timer_is_not_aligned_to_a_coarse_grid),
		cmocka_unit_test(test_priority_change_as_master_advertises_at_once),
		cmocka_unit_test(test_priority_change_is_clamped_for_non_owners),
		cmocka_unit_test(test_owner_priority_never_changes),
		cmocka_unit_test(test_fault_from_each_state),
		cmocka_unit_test(test_fault_without_cause_and_repeated_fault),
		cmocka_unit_test(test_adverts_and_timers_are_ignored_in_fault_and_init),
		cmocka_unit_test(test_fault_clear_returns_to_backup_with_fresh_preempt_hold),
		cmocka_unit_test(test_fault_clear_makes_owner_master),
		cmocka_unit_test(test_fault_clear_is_ignored_outside_fault),
		cmocka_unit_test(test_shutdown_from_each_state),
		cmocka_unit_test(test_restart_after_shutdown_starts_afresh),
		cmocka_unit_test(test_v2_down_interval_is_3_609375_s_and_not_learned),
		cmocka_unit_test(test_v2_at_5_s_times_out_after_15_609375_s),
		cmocka_unit_test(test_v2_at_5_s_takes_over_0_609375_s_after_resignation),
		cmocka_unit_test(test_v2_backup_reloaded_to_longer_interval_waits_for_the_new_one),
		cmocka_unit_test(test_v3_backup_reload_keeps_the_learned_interval),
		cmocka_unit_test(test_master_reloaded_to_shorter_interval_adverts_within_it),
		cmocka_unit_test(test_check_advert_reasons),
		cmocka_unit_test(test_fill_advert_v3_and_resign),
		cmocka_unit_test(test_fill_advert_v2_carries_auth),
		cmocka_unit_test(test_two_equal_instances_elect_greater_address_and_fail_over),
		cmocka_unit_test(test_two_instances_higher_priority_late_starter_preempts),
		cmocka_unit_test(test_resign_on_request_hands_over_and_stays_backup),
		cmocka_unit_test(test_resigned_router_takes_over_again_when_nobody_else_does),
		cmocka_unit_test(test_resign_and_takeover_do_nothing_in_the_wrong_state),
		cmocka_unit_test(test_no_preempt_keeps_a_lower_priority_master_until_it_goes_quiet),
		cmocka_unit_test(test_without_no_preempt_the_same_advert_is_preempted),
		cmocka_unit_test(test_takeover_on_request_makes_a_backup_master_now),
		cmocka_unit_test(test_hold_backup_never_becomes_master_until_released),
		cmocka_unit_test(test_hold_backup_keeps_even_the_address_owner_backup),
		cmocka_unit_test(test_primary_change_moves_the_tie_break),
		cmocka_unit_test(test_unset_primary_is_ignored),
		cmocka_unit_test(test_two_equal_instances_agree_after_winner_primary_changes),
		cmocka_unit_test(test_v2_pair_reloaded_to_5_s_keeps_its_master),
		cmocka_unit_test(test_path_advert_resets_down_timer_and_keeps_main_identity),
		cmocka_unit_test(test_path_advert_names_master_by_path_address_until_main_heard),
		cmocka_unit_test(test_path_resignation_takes_over_after_skew),
		cmocka_unit_test(test_master_steps_down_to_higher_priority_path_advert),
		cmocka_unit_test(test_master_answers_lower_priority_path_advert),
		cmocka_unit_test(test_path_tie_is_left_to_main_interface_while_it_carries_adverts),
		cmocka_unit_test(test_path_tie_without_main_compares_path_addresses),
		cmocka_unit_test(test_path_silence_is_judged_against_master_down_interval),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
