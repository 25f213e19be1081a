/* The event ring: order, readers' cursors, lost events, line formats. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "evlog.h"

/* 2026-11-30T05:42:25.000123Z */
#define WALL 1796017345000123ULL

static void add_n(struct evlog *log, int n)
{
	char detail[32];

	for (int i = 0; i < n; i++) {
		snprintf(detail, sizeof(detail), "event %d", i);
		evlog_add(log, EVLOG_PRIORITY, "web", "150", "90", detail, WALL);
	}
}

static void test_reader_sees_events_in_order_then_nothing(void **state)
{
	struct evlog log;
	uint64_t cur, lost;
	const struct evlog_entry *e;

	(void)state;
	assert_int_equal(evlog_init(&log, 8), 0);
	cur = evlog_end(&log);
	add_n(&log, 3);
	for (uint64_t want = 1; want <= 3; want++) {
		e = evlog_next(&log, &cur, &lost);
		assert_non_null(e);
		assert_int_equal(e->seq, want);
		assert_int_equal(lost, 0);
	}
	assert_null(evlog_next(&log, &cur, &lost));
	add_n(&log, 1);
	e = evlog_next(&log, &cur, &lost);
	assert_non_null(e);
	assert_int_equal(e->seq, 4);
	evlog_free(&log);
}

static void test_new_reader_sees_only_what_comes_next(void **state)
{
	struct evlog log;
	uint64_t cur, lost;

	(void)state;
	assert_int_equal(evlog_init(&log, 8), 0);
	add_n(&log, 5);
	cur = evlog_end(&log);
	assert_null(evlog_next(&log, &cur, &lost));
	evlog_free(&log);
}

static void test_overtaken_reader_is_told_how_many_it_lost(void **state)
{
	struct evlog log;
	uint64_t cur, lost;
	const struct evlog_entry *e;

	(void)state;
	assert_int_equal(evlog_init(&log, 4), 0);
	cur = evlog_end(&log);
	add_n(&log, 10); /* 1..10; the ring keeps 7..10 */
	e = evlog_next(&log, &cur, &lost);
	assert_non_null(e);
	assert_int_equal(lost, 6);
	assert_int_equal(e->seq, 7);
	assert_string_equal(e->detail, "event 6");
	e = evlog_next(&log, &cur, &lost);
	assert_int_equal(lost, 0);
	assert_int_equal(e->seq, 8);
	evlog_free(&log);
}

static void test_text_line(void **state)
{
	struct evlog_entry e = { .seq = 17, .wall_us = WALL, .kind = EVLOG_STATE };
	char buf[EVLOG_LINE_MAX];
	size_t n;

	(void)state;
	strcpy(e.subject, "web");
	strcpy(e.from, "BACKUP");
	strcpy(e.to, "MASTER");
	strcpy(e.detail, "master 192.0.2.11 resigned (priority 0)");
	n = evlog_format(&e, false, buf, sizeof(buf));
	assert_int_equal(n, strlen(buf));
	assert_string_equal(buf, "2026-11-30T05:42:25.000123Z 17 state web BACKUP -> MASTER: "
				 "master 192.0.2.11 resigned (priority 0)\n");
}

static void test_json_line_escapes(void **state)
{
	struct evlog_entry e = { .seq = 3, .wall_us = WALL, .kind = EVLOG_TRACKER };
	char buf[EVLOG_LINE_MAX];

	(void)state;
	strcpy(e.subject, "vrrp_script chk_nginx");
	strcpy(e.from, "up");
	strcpy(e.to, "down");
	strcpy(e.detail, "body does not contain \"ok\"");
	evlog_format(&e, true, buf, sizeof(buf));
	assert_string_equal(buf, "{\"seq\":3,\"time\":\"2026-11-30T05:42:25.000123Z\",\"kind\":"
				 "\"tracker\",\"subject\":\"vrrp_script chk_nginx\",\"from\":\"up\","
				 "\"to\":\"down\",\"detail\":\"body does not contain \\\"ok\\\"\"}\n");
}

static void test_lost_lines(void **state)
{
	char buf[128];

	(void)state;
	evlog_format_lost(42, false, buf, sizeof(buf));
	assert_non_null(strstr(buf, "lost 42 events"));
	evlog_format_lost(42, true, buf, sizeof(buf));
	assert_string_equal(buf, "{\"kind\":\"lost\",\"count\":42}\n");
}

static void test_short_buffer_reports_the_full_length(void **state)
{
	struct evlog_entry e = { .seq = 1, .wall_us = WALL, .kind = EVLOG_MAINTENANCE };
	char big[EVLOG_LINE_MAX], small[10];

	(void)state;
	strcpy(e.subject, "web");
	strcpy(e.from, "off");
	strcpy(e.to, "on");
	assert_int_equal(evlog_format(&e, true, small, sizeof(small)),
			 evlog_format(&e, true, big, sizeof(big)));
	assert_int_equal(strlen(small), sizeof(small) - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reader_sees_events_in_order_then_nothing),
		cmocka_unit_test(test_new_reader_sees_only_what_comes_next),
		cmocka_unit_test(test_overtaken_reader_is_told_how_many_it_lost),
		cmocka_unit_test(test_text_line),
		cmocka_unit_test(test_json_line_escapes),
		cmocka_unit_test(test_lost_lines),
		cmocka_unit_test(test_short_buffer_reports_the_full_length),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
