/* test_loop.c - event loop: timers, descriptors, signals, children */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* also set by configure; kept for standalone builds */
#endif
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "loop.h"
#include "timeunit.h"

/* Generous bound for any "wait until it happened" loop in these tests. */
#define WAIT_LIMIT_US (5 * USEC_PER_SEC)

static int setup_loop(void **state)
{
	struct loop *l = loop_new();

	assert_non_null(l);
	*state = l;
	return 0;
}

static int teardown_loop(void **state)
{
	loop_free(*state);
	return 0;
}

/* Run the loop until *flag becomes true, bounded in time. */
static void run_until(struct loop *l, const bool *flag)
{
	uint64_t limit_us = loop_now_us() + WAIT_LIMIT_US;

	while (!*flag && loop_now_us() < limit_us)
		assert_int_equal(loop_run_once(l, 100 * USEC_PER_MSEC), 0);
	assert_true(*flag);
}

/* ---- timers ---- */

#define ORDER_MAX 16

struct order_rec {
	int fired[ORDER_MAX];
	size_t n;
	bool done;
	size_t expect;
};

struct order_timer {
	struct loop_timer t;
	int id;
	struct order_rec *rec;
};

static void order_cb(struct loop *l, struct loop_timer *t, void *arg)
{
	struct order_timer *ot = arg;

	assert_false(loop_timer_armed(t));
	assert_true(ot->rec->n < ORDER_MAX);
	ot->rec->fired[ot->rec->n++] = ot->id;
	if (ot->rec->n == ot->rec->expect)
		ot->rec->done = true;
}

static void test_timers_fire_in_deadline_order_not_arming_order(void **state)
{
	static const unsigned offsets_ms[] = { 5, 1, 4, 2, 3 };
	struct loop *l = *state;
	struct order_rec rec = { .expect = 5 };
	struct order_timer ot[5];
	uint64_t now_us = loop_now_us();

	for (int i = 0; i < 5; i++) {
		ot[i].id = (int)offsets_ms[i];
		ot[i].rec = &rec;
		loop_timer_init(&ot[i].t, order_cb, &ot[i]);
		loop_timer_arm(l, &ot[i].t, now_us + offsets_ms[i] * USEC_PER_MSEC);
		assert_true(loop_timer_armed(&ot[i].t));
	}
	run_until(l, &rec.done);
	assert_int_equal(rec.n, 5);
	for (int i = 0; i < 5; i++)
		assert_int_equal(rec.fired[i], i + 1);
}

static void test_timers_with_equal_deadlines_fire_in_arming_order(void **state)
{
	struct loop *l = *state;
	struct order_rec rec = { .expect = 4 };
	struct order_timer ot[4];
	uint64_t deadline_us = loop_now_us() + USEC_PER_MSEC;

	for (int i = 0; i < 4; i++) {
		ot[i].id = i;
		ot[i].rec = &rec;
		loop_timer_init(&ot[i].t, order_cb, &ot[i]);
	}
	/* arm 2, 0, 3, 1; then re-arm 2 so it moves to the back */
	loop_timer_arm(l, &ot[2].t, deadline_us);
	loop_timer_arm(l, &ot[0].t, deadline_us);
	loop_timer_arm(l, &ot[3].t, deadline_us);
	loop_timer_arm(l, &ot[1].t, deadline_us);
	loop_timer_arm(l, &ot[2].t, deadline_us);
	run_until(l, &rec.done);
	assert_int_equal(rec.fired[0], 0);
	assert_int_equal(rec.fired[1], 3);
	assert_int_equal(rec.fired[2], 1);
	assert_int_equal(rec.fired[3], 2);
}

static void test_cancelled_timer_never_fires(void **state)
{
	struct loop *l = *state;
	struct order_rec rec = { .expect = 1 };
	struct order_timer a = { .id = 1, .rec = &rec }, b = { .id = 2, .rec = &rec };

	loop_timer_init(&a.t, order_cb, &a);
	loop_timer_init(&b.t, order_cb, &b);
	loop_timer_arm(l, &a.t, loop_now_us() + 2 * USEC_PER_MSEC);
	loop_timer_arm(l, &b.t, loop_now_us() + 1 * USEC_PER_MSEC);
	loop_timer_cancel(l, &b.t);
	assert_false(loop_timer_armed(&b.t));
	loop_timer_cancel(l, &b.t); /* cancelling twice is harmless */
	run_until(l, &rec.done);
	assert_int_equal(rec.n, 1);
	assert_int_equal(rec.fired[0], 1);
}

struct periodic {
	struct loop_timer t;
	struct loop_timer *victim; /* cancelled on the first tick */
	int ticks;
	int want;
	bool done;
};

static void periodic_cb(struct loop *l, struct loop_timer *t, void *arg)
{
	struct periodic *p = arg;

	if (p->victim) {
		loop_timer_cancel(l, p->victim);
		p->victim = NULL;
	}
	if (++p->ticks < p->want)
		loop_timer_arm(l, t, t->deadline_us + USEC_PER_MSEC);
	else
		p->done = true;
}

static void fail_cb(struct loop *l, struct loop_timer *t, void *arg)
{
	fail_msg("timer %p should have been cancelled", (void *)t);
}

static void test_callback_rearms_itself_and_cancels_a_timer_due_in_same_pass(void **state)
{
	struct loop *l = *state;
	struct loop_timer victim;
	struct periodic p = { .victim = &victim, .want = 5 };
	/* both already due: they are in the same timer pass, p first */
	uint64_t past_us = loop_now_us() - 1000;

	loop_timer_init(&p.t, periodic_cb, &p);
	loop_timer_init(&victim, fail_cb, NULL);
	loop_timer_arm(l, &p.t, past_us);
	loop_timer_arm(l, &victim, past_us + 1);
	run_until(l, &p.done);
	assert_int_equal(p.ticks, 5);
	assert_false(loop_timer_armed(&victim));
	assert_false(loop_timer_armed(&p.t));
}

struct arm_other {
	struct loop_timer t;
	struct loop_timer *other;
	uint64_t other_deadline_us;
};

static void arm_other_cb(struct loop *l, struct loop_timer *t, void *arg)
{
	struct arm_other *a = arg;

	loop_timer_arm(l, a->other, a->other_deadline_us);
}

static void test_timer_armed_overdue_from_callback_fires_in_same_iteration(void **state)
{
	struct loop *l = *state;
	struct order_rec rec = { .expect = 1 };
	struct order_timer late = { .id = 7, .rec = &rec };
	struct arm_other a;
	uint64_t past_us = loop_now_us() - 1000;

	loop_timer_init(&late.t, order_cb, &late);
	loop_timer_init(&a.t, arm_other_cb, &a);
	a.other = &late.t;
	a.other_deadline_us = past_us;
	loop_timer_arm(l, &a.t, past_us);
	assert_int_equal(loop_run_once(l, 0), 0);
	assert_int_equal(rec.n, 1);
	assert_int_equal(rec.fired[0], 7);
}

/* Many timers, random arm/re-arm/cancel, checked against a plain array. */
#define MODEL_TIMERS 256
#define MODEL_OPS 10000
#define MODEL_CHECK_EVERY 500

struct model {
	struct loop_timer t[MODEL_TIMERS];
	bool armed[MODEL_TIMERS];
	uint64_t deadline_us[MODEL_TIMERS];
	uint64_t armed_order[MODEL_TIMERS];
	size_t fired[MODEL_TIMERS];
	size_t nfired;
};

static void model_cb(struct loop *l, struct loop_timer *t, void *arg)
{
	struct model *m = arg;

	m->fired[m->nfired++] = (size_t)(t - m->t);
}

static int model_cmp_ctx(const struct model *m, size_t a, size_t b)
{
	if (m->deadline_us[a] != m->deadline_us[b])
		return m->deadline_us[a] < m->deadline_us[b] ? -1 : 1;
	return m->armed_order[a] < m->armed_order[b] ? -1 : 1;
}

/* All deadlines are long past, so one loop pass fires every armed timer. */
static void model_check_fire_all(struct loop *l, struct model *m)
{
	size_t expect[MODEL_TIMERS], n = 0;

	for (size_t i = 0; i < MODEL_TIMERS; i++) {
		assert_int_equal(loop_timer_armed(&m->t[i]), m->armed[i]);
		if (m->armed[i])
			expect[n++] = i;
	}
	/* insertion sort: n is small and the order is what is under test */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && model_cmp_ctx(m, expect[j], expect[j - 1]) < 0; j--) {
			size_t tmp = expect[j];

			expect[j] = expect[j - 1];
			expect[j - 1] = tmp;
		}
	m->nfired = 0;
	assert_int_equal(loop_run_once(l, 0), 0);
	assert_int_equal(m->nfired, n);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(m->fired[i], expect[i]);
		m->armed[m->fired[i]] = false;
	}
}

static void test_random_arm_cancel_matches_reference_model(void **state)
{
	struct loop *l = *state;
	struct model *m = calloc(1, sizeof(*m));
	uint64_t order = 0;

	assert_non_null(m);
	srandom(5798);
	for (size_t i = 0; i < MODEL_TIMERS; i++)
		loop_timer_init(&m->t[i], model_cb, m);
	for (int op = 1; op <= MODEL_OPS; op++) {
		size_t i = (size_t)random() % MODEL_TIMERS;

		if (random() % 3 == 0) {
			loop_timer_cancel(l, &m->t[i]);
			m->armed[i] = false;
		} else {
			/* 1..500 us after boot: in the past, with many ties */
			uint64_t d = 1 + (uint64_t)random() % 500;

			loop_timer_arm(l, &m->t[i], d);
			m->armed[i] = true;
			m->deadline_us[i] = d;
			m->armed_order[i] = order++;
		}
		if (op % MODEL_CHECK_EVERY == 0)
			model_check_fire_all(l, m);
	}
	free(m);
}

struct accuracy {
	struct loop_timer t;
	uint64_t fired_us;
	bool done;
};

static void accuracy_cb(struct loop *l, struct loop_timer *t, void *arg)
{
	struct accuracy *a = arg;

	a->fired_us = loop_now_us();
	a->done = true;
}

#define ACCURACY_ROUNDS 20
#define ACCURACY_INTERVAL_US (10 * USEC_PER_MSEC)
#define ACCURACY_MAX_LATE_US (20 * USEC_PER_MSEC)

static void test_10ms_timer_fires_close_to_its_deadline_and_never_early(void **state)
{
	struct loop *l = *state;
	uint64_t worst_us = 0, total_us = 0;

	for (int i = 0; i < ACCURACY_ROUNDS; i++) {
		struct accuracy a = { .done = false };
		uint64_t deadline_us = loop_now_us() + ACCURACY_INTERVAL_US;

		loop_timer_init(&a.t, accuracy_cb, &a);
		loop_timer_arm(l, &a.t, deadline_us);
		/* a long max wait: only the timerfd can wake us on time */
		while (!a.done)
			assert_int_equal(loop_run_once(l, 1000 * USEC_PER_MSEC), 0);
		assert_true(a.fired_us >= deadline_us);
		total_us += a.fired_us - deadline_us;
		if (a.fired_us - deadline_us > worst_us)
			worst_us = a.fired_us - deadline_us;
	}
	print_message("# 10 ms timer: mean %llu us late, worst %llu us\n",
		      (unsigned long long)(total_us / ACCURACY_ROUNDS),
		      (unsigned long long)worst_us);
	assert_true(worst_us < ACCURACY_MAX_LATE_US);
}

/*
 * The timerfd is re-programmed only when the earliest deadline moves
 * earlier; a timer pushed later must still fire at its new deadline, not at
 * the one the timerfd was set for, and one pulled earlier must not wait for
 * the old one.
 */
static void run_accuracy(struct loop *l, struct accuracy *a)
{
	uint64_t limit_us = loop_now_us() + WAIT_LIMIT_US;

	while (!a->done && loop_now_us() < limit_us)
		assert_int_equal(loop_run_once(l, 1000 * USEC_PER_MSEC), 0);
	assert_true(a->done);
}

static void test_timer_pushed_later_fires_at_its_new_deadline(void **state)
{
	struct loop *l = *state;
	struct accuracy a = { .done = false };
	uint64_t deadline_us = loop_now_us() + 10 * USEC_PER_MSEC;

	loop_timer_init(&a.t, accuracy_cb, &a);
	loop_timer_arm(l, &a.t, deadline_us);
	/* program the timerfd for the first deadline */
	assert_int_equal(loop_run_once(l, 0), 0);
	deadline_us += 40 * USEC_PER_MSEC;
	loop_timer_arm(l, &a.t, deadline_us);
	run_accuracy(l, &a);
	assert_true(a.fired_us >= deadline_us);
	assert_true(a.fired_us - deadline_us < ACCURACY_MAX_LATE_US);
}

static void test_timer_pulled_earlier_does_not_wait_for_the_old_deadline(void **state)
{
	struct loop *l = *state;
	struct accuracy a = { .done = false };
	uint64_t start_us = loop_now_us();

	loop_timer_init(&a.t, accuracy_cb, &a);
	loop_timer_arm(l, &a.t, start_us + 2000 * USEC_PER_MSEC);
	assert_int_equal(loop_run_once(l, 0), 0);
	loop_timer_arm(l, &a.t, start_us + 10 * USEC_PER_MSEC);
	run_accuracy(l, &a);
	assert_true(a.fired_us >= start_us + 10 * USEC_PER_MSEC);
	assert_true(a.fired_us - start_us < 10 * USEC_PER_MSEC + ACCURACY_MAX_LATE_US);
}

/*
 * A callback that runs past a timer's deadline: input that arrived before
 * the deadline (written to pipe b during the callback) must be handled
 * before the timer fires, as a backup must read the master's adverts queued
 * during a long VIP removal before its down timer may fire.
 */
struct long_cb {
	struct loop_timer t;
	int a[2], b[2];
	uint64_t deadline_us;
	bool b_seen, fired, b_seen_when_fired;
};

static void long_a_cb(struct loop *l, int fd, uint32_t events, void *arg)
{
	struct long_cb *c = arg;
	char byte;

	assert_int_equal(read(fd, &byte, 1), 1);
	assert_true(loop_now_us() < c->deadline_us);
	assert_int_equal(write(c->b[1], "b", 1), 1);
	while (loop_now_us() < c->deadline_us + 10 * USEC_PER_MSEC)
		; /* busy: past the timer's deadline */
}

static void long_b_cb(struct loop *l, int fd, uint32_t events, void *arg)
{
	struct long_cb *c = arg;
	char byte;

	assert_int_equal(read(fd, &byte, 1), 1);
	c->b_seen = true;
}

static void long_timer_cb(struct loop *l, struct loop_timer *t, void *arg)
{
	struct long_cb *c = arg;

	c->fired = true;
	c->b_seen_when_fired = c->b_seen;
}

static void test_input_before_a_deadline_is_handled_before_the_timer_fires(void **state)
{
	struct loop *l = *state;
	struct long_cb c = { .b_seen = false };
	uint64_t limit_us;

	assert_int_equal(pipe(c.a), 0);
	assert_int_equal(pipe(c.b), 0);
	assert_int_equal(loop_add_fd(l, c.a[0], EPOLLIN, long_a_cb, &c), 0);
	assert_int_equal(loop_add_fd(l, c.b[0], EPOLLIN, long_b_cb, &c), 0);
	c.deadline_us = loop_now_us() + 50 * USEC_PER_MSEC;
	loop_timer_init(&c.t, long_timer_cb, &c);
	loop_timer_arm(l, &c.t, c.deadline_us);
	assert_int_equal(write(c.a[1], "a", 1), 1);
	limit_us = loop_now_us() + WAIT_LIMIT_US;
	while (!c.fired && loop_now_us() < limit_us)
		assert_int_equal(loop_run_once(l, 100 * USEC_PER_MSEC), 0);
	assert_true(c.fired);
	assert_true(c.b_seen_when_fired);
	loop_del_fd(l, c.a[0]);
	loop_del_fd(l, c.b[0]);
	for (int i = 0; i < 2; i++) {
		close(c.a[i]);
		close(c.b[i]);
	}
}

static void stop_cb(struct loop *l, struct loop_timer *t, void *arg)
{
	*(int *)arg += 1;
	loop_stop(l);
}

static void test_loop_run_returns_after_loop_stop(void **state)
{
	struct loop *l = *state;
	struct loop_timer t;
	int calls = 0;

	loop_timer_init(&t, stop_cb, &calls);
	loop_timer_arm(l, &t, loop_now_us() + USEC_PER_MSEC);
	assert_int_equal(loop_run(l), 0);
	assert_int_equal(calls, 1);
}

/* ---- descriptors ---- */

struct pipe_watch {
	int p[2];
	int calls;
	uint32_t events;
	char data[16];
	struct pipe_watch *other; /* deleted from our callback when set */
	bool del_self;
};

static void pipe_open(struct pipe_watch *w)
{
	assert_int_equal(pipe2(w->p, O_CLOEXEC | O_NONBLOCK), 0);
}

static void pipe_close(struct pipe_watch *w)
{
	close(w->p[0]);
	close(w->p[1]);
}

static void pipe_cb(struct loop *l, int fd, uint32_t events, void *arg)
{
	struct pipe_watch *w = arg;
	ssize_t n;

	assert_int_equal(fd, w->p[0]);
	w->calls++;
	w->events = events;
	n = read(fd, w->data, sizeof(w->data) - 1);
	if (n > 0)
		w->data[n] = '\0';
	if (w->other) {
		assert_int_equal(loop_del_fd(l, w->other->p[0]), 0);
		w->other = NULL;
	}
	if (w->del_self)
		assert_int_equal(loop_del_fd(l, fd), 0);
}

static void test_fd_callback_runs_when_pipe_becomes_readable(void **state)
{
	struct loop *l = *state;
	struct pipe_watch w = { .calls = 0 };

	pipe_open(&w);
	assert_int_equal(loop_add_fd(l, w.p[0], EPOLLIN, pipe_cb, &w), 0);
	assert_int_equal(loop_run_once(l, 0), 0);
	assert_int_equal(w.calls, 0);
	assert_int_equal(write(w.p[1], "ping", 4), 4);
	assert_int_equal(loop_run_once(l, 1000 * USEC_PER_MSEC), 0);
	assert_int_equal(w.calls, 1);
	assert_int_equal(w.events, EPOLLIN);
	assert_string_equal(w.data, "ping");
	assert_int_equal(loop_del_fd(l, w.p[0]), 0);
	pipe_close(&w);
}

static void test_fd_add_twice_mod_and_del_unknown_report_errors(void **state)
{
	struct loop *l = *state;
	struct pipe_watch w = { .calls = 0 };

	pipe_open(&w);
	assert_int_equal(loop_add_fd(l, w.p[0], EPOLLIN, pipe_cb, &w), 0);
	assert_int_equal(loop_add_fd(l, w.p[0], EPOLLIN, pipe_cb, &w), -EEXIST);
	assert_int_equal(loop_add_fd(l, -1, EPOLLIN, pipe_cb, &w), -EINVAL);
	assert_int_equal(loop_mod_fd(l, w.p[1], EPOLLOUT), -ENOENT);
	assert_int_equal(loop_del_fd(l, w.p[1]), -ENOENT);
	assert_int_equal(loop_del_fd(l, 100000), -ENOENT);
	assert_int_equal(loop_mod_fd(l, w.p[0], 0), 0);
	assert_int_equal(write(w.p[1], "x", 1), 1);
	assert_int_equal(loop_run_once(l, 20 * USEC_PER_MSEC), 0);
	assert_int_equal(w.calls, 0); /* interest cleared: no callback */
	assert_int_equal(loop_mod_fd(l, w.p[0], EPOLLIN), 0);
	assert_int_equal(loop_run_once(l, 1000 * USEC_PER_MSEC), 0);
	assert_int_equal(w.calls, 1);
	assert_int_equal(loop_del_fd(l, w.p[0]), 0);
	assert_int_equal(loop_del_fd(l, w.p[0]), -ENOENT);
	pipe_close(&w);
}

static void test_fd_deleted_inside_callbacks_of_same_batch_is_not_called(void **state)
{
	struct loop *l = *state;
	struct pipe_watch a = { .del_self = true }, b = { .del_self = true };

	pipe_open(&a);
	pipe_open(&b);
	/* whichever runs first deletes itself and the other */
	a.other = &b;
	b.other = &a;
	assert_int_equal(loop_add_fd(l, a.p[0], EPOLLIN, pipe_cb, &a), 0);
	assert_int_equal(loop_add_fd(l, b.p[0], EPOLLIN, pipe_cb, &b), 0);
	assert_int_equal(write(a.p[1], "a", 1), 1);
	assert_int_equal(write(b.p[1], "b", 1), 1);
	assert_int_equal(loop_run_once(l, 1000 * USEC_PER_MSEC), 0);
	assert_int_equal(a.calls + b.calls, 1);
	assert_int_equal(loop_del_fd(l, a.p[0]), -ENOENT);
	assert_int_equal(loop_del_fd(l, b.p[0]), -ENOENT);
	/* still readable, no longer watched: nothing runs */
	assert_int_equal(loop_run_once(l, 10 * USEC_PER_MSEC), 0);
	assert_int_equal(a.calls + b.calls, 1);
	pipe_close(&a);
	pipe_close(&b);
}

static void test_fd_can_be_added_again_after_delete(void **state)
{
	struct loop *l = *state;
	struct pipe_watch w = { .del_self = true };

	pipe_open(&w);
	assert_int_equal(loop_add_fd(l, w.p[0], EPOLLIN, pipe_cb, &w), 0);
	assert_int_equal(write(w.p[1], "1", 1), 1);
	assert_int_equal(loop_run_once(l, 1000 * USEC_PER_MSEC), 0);
	assert_int_equal(w.calls, 1);
	w.del_self = false;
	assert_int_equal(loop_add_fd(l, w.p[0], EPOLLIN, pipe_cb, &w), 0);
	assert_int_equal(write(w.p[1], "2", 1), 1);
	assert_int_equal(loop_run_once(l, 1000 * USEC_PER_MSEC), 0);
	assert_int_equal(w.calls, 2);
	assert_string_equal(w.data, "2");
	assert_int_equal(loop_del_fd(l, w.p[0]), 0);
	pipe_close(&w);
}

/* ---- signals and children ---- */

struct sig_rec {
	int signo;
	int calls;
	bool done;
};

static void sig_cb(struct loop *l, int signo, void *arg)
{
	struct sig_rec *s = arg;

	s->signo = signo;
	s->calls++;
	s->done = true;
}

static void test_signal_is_delivered_through_signalfd_callback(void **state)
{
	struct loop *l = *state;
	struct sig_rec s = { .signo = 0 };

	assert_int_equal(loop_add_signal(l, SIGUSR1, sig_cb, &s), 0);
	assert_int_equal(loop_add_signal(l, SIGCHLD, sig_cb, &s), -EINVAL);
	assert_int_equal(raise(SIGUSR1), 0);
	run_until(l, &s.done);
	assert_int_equal(s.signo, SIGUSR1);
	assert_int_equal(s.calls, 1);
}

struct child_rec {
	pid_t pid;
	int status;
	int calls;
	bool done;
};

static void child_cb(struct loop *l, pid_t pid, int status, void *arg)
{
	struct child_rec *c = arg;

	c->pid = pid;
	c->status = status;
	c->calls++;
	c->done = true;
}

static pid_t fork_exit(int code)
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0)
		_exit(code);
	return pid;
}

static void test_watched_child_exit_status_is_reported_once(void **state)
{
	struct loop *l = *state;
	struct child_rec c = { .pid = 0 };
	pid_t pid = fork_exit(7);

	assert_int_equal(loop_watch_child(l, pid, child_cb, &c), 0);
	assert_int_equal(loop_watch_child(l, pid, child_cb, &c), -EEXIST);
	run_until(l, &c.done);
	assert_int_equal(c.pid, pid);
	assert_int_equal(c.calls, 1);
	assert_true(WIFEXITED(c.status));
	assert_int_equal(WEXITSTATUS(c.status), 7);
	/* it was reaped */
	assert_int_equal(waitpid(pid, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

static void test_unwatched_children_are_reaped_silently(void **state)
{
	struct loop *l = *state;
	struct child_rec watched = { .pid = 0 };
	pid_t stray = fork_exit(1), forgotten = fork_exit(2), pid;
	siginfo_t si;

	assert_int_equal(loop_watch_child(l, forgotten, child_cb, &watched), 0);
	loop_unwatch_child(l, forgotten);
	/*
	 * Both have exited (zombies, not reaped: WNOWAIT) before the watched
	 * child is forked: the watched child, exiting last, tells us the loop
	 * has seen the others.
	 */
	assert_int_equal(waitid(P_PID, (id_t)stray, &si, WEXITED | WNOWAIT), 0);
	assert_int_equal(waitid(P_PID, (id_t)forgotten, &si, WEXITED | WNOWAIT), 0);
	pid = fork_exit(3);
	assert_int_equal(loop_watch_child(l, pid, child_cb, &watched), 0);
	run_until(l, &watched.done);
	assert_int_equal(watched.pid, pid);
	assert_int_equal(watched.calls, 1);
	assert_int_equal(waitpid(stray, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
	assert_int_equal(waitpid(forgotten, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup_loop, teardown_loop)
		T(test_timers_fire_in_deadline_order_not_arming_order),
		T(test_timers_with_equal_deadlines_fire_in_arming_order),
		T(test_cancelled_timer_never_fires),
		T(test_callback_rearms_itself_and_cancels_a_timer_due_in_same_pass),
		T(test_timer_armed_overdue_from_callback_fires_in_same_iteration),
		T(test_random_arm_cancel_matches_reference_model),
		T(test_10ms_timer_fires_close_to_its_deadline_and_never_early),
		T(test_timer_pushed_later_fires_at_its_new_deadline),
		T(test_timer_pulled_earlier_does_not_wait_for_the_old_deadline),
		T(test_input_before_a_deadline_is_handled_before_the_timer_fires),
		T(test_loop_run_returns_after_loop_stop),
		T(test_fd_callback_runs_when_pipe_becomes_readable),
		T(test_fd_add_twice_mod_and_del_unknown_report_errors),
		T(test_fd_deleted_inside_callbacks_of_same_batch_is_not_called),
		T(test_fd_can_be_added_again_after_delete),
		T(test_signal_is_delivered_through_signalfd_callback),
		T(test_watched_child_exit_status_is_reported_once),
		T(test_unwatched_children_are_reaped_silently),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
