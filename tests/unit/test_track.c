/* Tracking arithmetic: rise/fall verdicts, weights, priority clamping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "track.h"

static void test_check_starts_up_unless_init_fail(void **state)
{
	struct track_state t;

	(void)state;
	track_init(&t, 2, 3, false);
	assert_true(t.up);
	track_init(&t, 2, 3, true);
	assert_false(t.up);
}

static void test_up_check_goes_down_after_fall_consecutive_failures(void **state)
{
	struct track_state t;

	(void)state;
	track_init(&t, 2, 3, false);
	assert_false(track_result(&t, false));
	assert_false(track_result(&t, false));
	assert_true(t.up);
	assert_true(track_result(&t, false));
	assert_false(t.up);
}

static void test_success_in_between_resets_the_fall_count(void **state)
{
	struct track_state t;

	(void)state;
	track_init(&t, 1, 2, false);
	assert_false(track_result(&t, false));
	assert_false(track_result(&t, true));
	assert_false(track_result(&t, false));
	assert_true(t.up);
	assert_true(track_result(&t, false));
	assert_false(t.up);
}

static void test_down_check_comes_up_after_rise_consecutive_successes(void **state)
{
	struct track_state t;

	(void)state;
	track_init(&t, 3, 1, true);
	assert_false(track_result(&t, true));
	assert_false(track_result(&t, true));
	assert_false(track_result(&t, false)); /* breaks the run */
	assert_false(track_result(&t, true));
	assert_false(track_result(&t, true));
	assert_true(track_result(&t, true));
	assert_true(t.up);
}

static void test_rise_and_fall_below_one_count_as_one(void **state)
{
	struct track_state t;

	(void)state;
	track_init(&t, 0, -4, false);
	assert_true(track_result(&t, false));
	assert_true(track_result(&t, true));
}

static void test_repeated_agreeing_results_never_flip(void **state)
{
	struct track_state t;

	(void)state;
	track_init(&t, 1, 1, false);
	for (int i = 0; i < 100; i++)
		assert_false(track_result(&t, true));
	assert_true(t.up);
}

struct delta_case {
	int weight;
	bool reverse;
	bool up;
	int delta;
};

static void test_weight_deltas_follow_keepalived(void **state)
{
	static const struct delta_case cases[] = {
		{ 20, false, true, 20 },   { 20, false, false, 0 },
		{ -20, false, true, 0 },   { -20, false, false, -20 },
		{ 20, true, true, -20 },   { 20, true, false, 0 },
		{ -20, true, true, 0 },    { -20, true, false, 20 },
		{ 0, false, true, 0 },     { 0, false, false, 0 },
		{ 253, false, true, 253 }, { -253, false, false, -253 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct delta_case *c = &cases[i];

		assert_int_equal(track_delta(c->weight, c->reverse, c->up), c->delta);
	}
}

static void test_only_weight_zero_down_faults(void **state)
{
	(void)state;
	assert_true(track_faults(0, false));
	assert_false(track_faults(0, true));
	assert_false(track_faults(-10, false));
	assert_false(track_faults(10, false));
}

static void test_priority_is_clamped_to_1_254(void **state)
{
	(void)state;
	assert_int_equal(track_priority(100, 0), 100);
	assert_int_equal(track_priority(100, -30), 70);
	assert_int_equal(track_priority(100, 50), 150);
	assert_int_equal(track_priority(100, -100), 1);
	assert_int_equal(track_priority(100, -500), 1);
	assert_int_equal(track_priority(200, 100), 254);
	assert_int_equal(track_priority(254, 1), 254);
	assert_int_equal(track_priority(1, 0), 1);
}

static void test_owner_priority_is_never_changed(void **state)
{
	(void)state;
	assert_int_equal(track_priority(255, -100), 255);
	assert_int_equal(track_priority(255, 10), 255);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_starts_up_unless_init_fail),
		cmocka_unit_test(test_up_check_goes_down_after_fall_consecutive_failures),
		cmocka_unit_test(test_success_in_between_resets_the_fall_count),
		cmocka_unit_test(test_down_check_comes_up_after_rise_consecutive_successes),
		cmocka_unit_test(test_rise_and_fall_below_one_count_as_one),
		cmocka_unit_test(test_repeated_agreeing_results_never_flip),
		cmocka_unit_test(test_weight_deltas_follow_keepalived),
		cmocka_unit_test(test_only_weight_zero_down_faults),
		cmocka_unit_test(test_priority_is_clamped_to_1_254),
		cmocka_unit_test(test_owner_priority_is_never_changed),
	};

	return cmocka_run_group_tests_name("track", tests, NULL, NULL);
}
