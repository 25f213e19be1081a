/* Sync group rules: FAULT together, tracking as FAULT, notify on agreement. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fault.h"
#include "syncgroup.h"
#include "trackproc.h"

/* Apply the rule to a whole group, as the daemon does. */
static void apply(unsigned *faults, size_t n)
{
	size_t nfaulty = 0;

	for (size_t i = 0; i < n; i++)
		nfaulty += syncgroup_own_faults(faults[i]) != 0;
	for (size_t i = 0; i < n; i++)
		faults[i] = syncgroup_member_faults(faults[i], nfaulty);
}

static void test_member_without_fault_is_held_while_another_has_one(void **state)
{
	unsigned f[3] = { FAULT_LINK, 0, 0 };

	(void)state;
	apply(f, 3);
	assert_int_equal(f[0], FAULT_LINK);
	assert_int_equal(f[1], FAULT_SYNC);
	assert_int_equal(f[2], FAULT_SYNC);
}

static void test_faulty_member_is_not_held_by_its_own_fault(void **state)
{
	unsigned f[2] = { FAULT_TRACK, 0 };

	(void)state;
	apply(f, 2);
	assert_int_equal(f[0] & FAULT_SYNC, 0);
}

static void test_two_faulty_members_hold_each_other(void **state)
{
	unsigned f[2] = { FAULT_TRACK, FAULT_LINK };

	(void)state;
	apply(f, 2);
	assert_int_equal(f[0], FAULT_TRACK | FAULT_SYNC);
	assert_int_equal(f[1], FAULT_LINK | FAULT_SYNC);
}

static void test_group_leaves_fault_when_the_last_own_fault_clears(void **state)
{
	unsigned f[3] = { FAULT_LINK, 0, 0 };

	(void)state;
	apply(f, 3);
	f[0] = 0; /* its link came back */
	apply(f, 3);
	assert_int_equal(f[0], 0);
	assert_int_equal(f[1], 0);
	assert_int_equal(f[2], 0);
}

static void test_being_held_does_not_spread(void **state)
{
	unsigned f[2] = { FAULT_SYNC, FAULT_SYNC };

	(void)state;
	apply(f, 2);
	assert_int_equal(f[0], 0);
	assert_int_equal(f[1], 0);
}

static void test_tracking_weights_do_not_apply_in_a_group(void **state)
{
	(void)state;
	assert_int_equal(syncgroup_track_weight(true, 50), 0);
	assert_int_equal(syncgroup_track_weight(true, -20), 0);
	assert_int_equal(syncgroup_track_weight(false, 50), 50);
	assert_int_equal(syncgroup_track_weight(false, -20), -20);
}

/* In a group a track file faults on a non-zero value whatever its weight. */
static void file_in_group(long value, int weight, bool reverse, bool *fault)
{
	int delta;

	trackfile_effect(value, syncgroup_track_weight(true, weight),
			 syncgroup_track_reverse(true, weight, reverse), &delta, fault);
	assert_int_equal(delta, 0);
}

static void test_a_track_file_in_a_group_faults_on_non_zero_whatever_its_weight(void **state)
{
	bool fault;

	(void)state;
	file_in_group(3, -10, true, &fault);
	assert_true(fault);
	file_in_group(0, -10, true, &fault);
	assert_false(fault);
	file_in_group(-1, 5, false, &fault);
	assert_true(fault);
	/* weight 0 reverse keeps its meaning: FAULT while the file reads 0. */
	file_in_group(0, 0, true, &fault);
	assert_true(fault);
	file_in_group(2, 0, true, &fault);
	assert_false(fault);
	assert_true(syncgroup_track_reverse(false, -10, true));
}

static void test_group_notifies_once_all_members_agree(void **state)
{
	(void)state;
	assert_false(syncgroup_notify_due(VRRP_STATE_MASTER, 1, 2, VRRP_STATE_INIT));
	assert_true(syncgroup_notify_due(VRRP_STATE_MASTER, 2, 2, VRRP_STATE_INIT));
	assert_true(syncgroup_notify_due(VRRP_STATE_FAULT, 2, 2, VRRP_STATE_MASTER));
}

static void test_group_does_not_notify_the_same_state_twice(void **state)
{
	(void)state;
	assert_false(syncgroup_notify_due(VRRP_STATE_BACKUP, 3, 3, VRRP_STATE_BACKUP));
}

static void test_group_never_notifies_init(void **state)
{
	(void)state;
	assert_false(syncgroup_notify_due(VRRP_STATE_INIT, 2, 2, VRRP_STATE_MASTER));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_member_without_fault_is_held_while_another_has_one),
		cmocka_unit_test(test_faulty_member_is_not_held_by_its_own_fault),
		cmocka_unit_test(test_two_faulty_members_hold_each_other),
		cmocka_unit_test(test_group_leaves_fault_when_the_last_own_fault_clears),
		cmocka_unit_test(test_being_held_does_not_spread),
		cmocka_unit_test(test_tracking_weights_do_not_apply_in_a_group),
		cmocka_unit_test(test_a_track_file_in_a_group_faults_on_non_zero_whatever_its_weight),
		cmocka_unit_test(test_group_notifies_once_all_members_agree),
		cmocka_unit_test(test_group_does_not_notify_the_same_state_twice),
		cmocka_unit_test(test_group_never_notifies_init),
	};

	return cmocka_run_group_tests_name("syncgroup", tests, NULL, NULL);
}
