/*
 * Event subscribers over a socketpair on a real loop: order, a reader that
 * does not read (the daemon goes on; the reader is told what it lost), and
 * a reader that goes away.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "evstream.h"
#include "loop.h"

struct fixture {
	struct loop *loop;
	struct evlog log;
	struct evstream *es;
	int reader; /* our end */
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	int sv[2];

	assert_non_null(f);
	f->loop = loop_new();
	assert_non_null(f->loop);
	assert_int_equal(evlog_init(&f->log, 64), 0);
	f->es = evstream_new(f->loop, &f->log);
	assert_non_null(f->es);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	assert_int_equal(evstream_subscribe(f->es, sv[0], false), 0);
	f->reader = sv[1];
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	evstream_free(f->es);
	evlog_free(&f->log);
	loop_free(f->loop);
	if (f->reader >= 0)
		close(f->reader);
	free(f);
	return 0;
}

static void add(struct fixture *f, int i)
{
	char detail[32];

	snprintf(detail, sizeof(detail), "n=%d", i);
	evlog_add(&f->log, EVLOG_PRIORITY, "web", "150", "90", detail, 0);
	evstream_flush(f->es);
}

/* Everything the reader can get within ms milliseconds of loop and reads. */
static char *drain(struct fixture *f, int ms)
{
	size_t cap = 1 << 20, len = 0;
	char *buf = malloc(cap);
	uint64_t end = loop_now_us() + (uint64_t)ms * 1000;

	assert_non_null(buf);
	while (loop_now_us() < end) {
		ssize_t n;

		loop_run_once(f->loop, 1000);
		while ((n = recv(f->reader, buf + len, cap - 1 - len, MSG_DONTWAIT)) > 0)
			len += (size_t)n;
	}
	buf[len] = '\0';
	return buf;
}

static void test_lines_arrive_in_order(void **state)
{
	struct fixture *f = *state;
	char *out, *p;

	for (int i = 0; i < 10; i++)
		add(f, i);
	out = drain(f, 50);
	p = out;
	for (int i = 0; i < 10; i++) {
		char want[64];

		snprintf(want, sizeof(want), " %d priority web 150 -> 90: n=%d\n", i + 1, i);
		p = strstr(p, want);
		if (!p)
			fail_msg("line %d missing or out of order in:\n%s", i, out);
	}
	assert_null(strstr(out, "lost"));
	free(out);
}

static void test_a_reader_that_does_not_read_loses_events_and_is_told(void **state)
{
	struct fixture *f = *state;
	int small = 1024;
	char *out, *lost, *last;
	uint64_t t0, took;

	setsockopt(f->reader, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	/* 5000 events against a ring of 64 while nobody reads: the daemon never waits */
	t0 = loop_now_us();
	for (int i = 0; i < 5000; i++) {
		add(f, i);
		loop_run_once(f->loop, 0);
	}
	took = loop_now_us() - t0;
	print_message("5000 events with a stuck reader took %llu us\n", (unsigned long long)took);
	assert_true(took < 2000000);
	out = drain(f, 100);
	lost = strstr(out, "lost ");
	assert_non_null(lost);
	assert_true(evstream_lost_total(f->es) > 0);
	/* after the gap it resumes and ends with the newest event */
	last = strstr(out, "n=4999\n");
	assert_non_null(last);
	assert_true(last > lost);
	free(out);
}

static void test_a_reader_that_goes_away_is_dropped(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(evstream_subscribers(f->es), 1);
	close(f->reader);
	f->reader = -1;
	add(f, 1);
	for (int i = 0; i < 10 && evstream_subscribers(f->es); i++)
		loop_run_once(f->loop, 1000);
	assert_int_equal(evstream_subscribers(f->es), 0);
}

static void test_too_many_subscribers_are_refused(void **state)
{
	struct fixture *f = *state;
	int fds[2 * EVSTREAM_MAX_SUBSCRIBERS];
	int refused = 0;

	for (int i = 0; i < EVSTREAM_MAX_SUBSCRIBERS; i++) {
		assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, &fds[2 * i]), 0);
		if (evstream_subscribe(f->es, fds[2 * i], true) == -EBUSY) {
			refused++;
			close(fds[2 * i]);
		}
	}
	assert_int_equal(refused, 1); /* the fixture holds one slot */
	for (int i = 0; i < EVSTREAM_MAX_SUBSCRIBERS; i++)
		close(fds[2 * i + 1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_lines_arrive_in_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_reader_that_does_not_read_loses_events_and_is_told,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_reader_that_goes_away_is_dropped, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_too_many_subscribers_are_refused, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
