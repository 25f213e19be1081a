/*
 * test_procwatch.c - vrrp_track_process on real process events: a process
 * already running is found by the start-up scan, one started later by its
 * exec event, one that exits by its exit event, and terminate_delay holds
 * the verdict back. Needs root (the process connector); skipped otherwise.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "loop.h"
#include "procwatch.h"

#define WAIT_US 3000000ULL

struct seen {
	int calls;
	bool up;
	uint64_t at_us;
};

static void on_change(size_t idx, bool up, void *arg)
{
	struct seen *s = arg;

	assert_int_equal(idx, 0);
	s->calls++;
	s->up = up;
	s->at_us = loop_now_us();
}

/* A sleep with an argument no other process has. */
static pid_t start_sleeper(const char *tag)
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		execl("/bin/sleep", "/bin/sleep", tag, (char *)NULL);
		_exit(127);
	}
	return pid;
}

static void stop_sleeper(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static bool run_until(struct loop *l, struct seen *s, int calls)
{
	uint64_t end = loop_now_us() + WAIT_US;

	while (s->calls < calls && loop_now_us() < end)
		loop_run_once(l, 10000);
	return s->calls >= calls;
}

struct fixture {
	struct loop *loop;
	struct procwatch *pw;
	struct seen seen;
	struct trackproc_spec spec;
	char tag[32];
	char *params[1];
};

static struct fixture *setup(uint64_t terminate_delay_us, bool pre_start, pid_t *pre)
{
	struct fixture *f = calloc(1, sizeof(*f));
	int rc;

	assert_non_null(f);
	/* Seconds enough for the test, few enough that a failed run leaves nothing long-lived. */
	snprintf(f->tag, sizeof(f->tag), "%d.%03d", 20 + (int)(getpid() % 10), rand() % 1000);
	f->params[0] = f->tag;
	f->spec.process = "/bin/sleep";
	f->spec.params = f->params;
	f->spec.nparams = 1;
	f->spec.match = TRACKPROC_PARAMS_EXACT;
	f->spec.quorum = 1;
	f->spec.quorum_max = TRACKPROC_QUORUM_MAX_NONE;
	if (pre_start)
		*pre = start_sleeper(f->tag);
	f->loop = loop_new();
	f->pw = procwatch_new(f->loop, on_change, &f->seen);
	assert_int_equal(procwatch_add(f->pw, &f->spec, 0, terminate_delay_us), 0);
	if (pre_start)
		usleep(100000); /* let it exec before the scan */
	rc = procwatch_start(f->pw, -1);
	if (rc == -EPERM || rc == -EACCES || rc == -EPROTONOSUPPORT) {
		if (pre_start)
			stop_sleeper(*pre);
		procwatch_free(f->pw);
		loop_free(f->loop);
		free(f);
		return NULL;
	}
	assert_int_equal(rc, 0);
	return f;
}

static void teardown(struct fixture *f)
{
	procwatch_free(f->pw);
	loop_free(f->loop);
	free(f);
}

static void test_exec_then_exit_flip_the_verdict(void **state)
{
	struct fixture *f = setup(0, false, NULL);
	uint64_t t0;
	pid_t pid;

	(void)state;
	if (!f)
		skip();
	assert_false(procwatch_up(f->pw, 0));
	pid = start_sleeper(f->tag);
	assert_true(run_until(f->loop, &f->seen, 1));
	assert_true(f->seen.up);
	assert_int_equal(procwatch_count(f->pw, 0), 1);
	t0 = loop_now_us();
	stop_sleeper(pid);
	assert_true(run_until(f->loop, &f->seen, 2));
	assert_false(f->seen.up);
	assert_int_equal(procwatch_count(f->pw, 0), 0);
	print_message("    exit reported %llu us after the kill\n",
		      (unsigned long long)(f->seen.at_us - t0));
	assert_true(procwatch_events(f->pw) > 0);
	teardown(f);
}

static void test_scan_finds_a_running_process(void **state)
{
	pid_t pid = 0;
	struct fixture *f = setup(0, true, &pid);

	(void)state;
	if (!f)
		skip();
	assert_true(procwatch_up(f->pw, 0));
	assert_int_equal(procwatch_count(f->pw, 0), 1);
	stop_sleeper(pid);
	assert_true(run_until(f->loop, &f->seen, 1));
	assert_false(f->seen.up);
	teardown(f);
}

static void test_terminate_delay_holds_the_verdict(void **state)
{
	pid_t pid = 0;
	struct fixture *f = setup(300000, true, &pid);
	uint64_t t0;

	(void)state;
	if (!f)
		skip();
	assert_true(procwatch_up(f->pw, 0));
	t0 = loop_now_us();
	stop_sleeper(pid);
	assert_true(run_until(f->loop, &f->seen, 1));
	assert_false(f->seen.up);
	assert_true(f->seen.at_us - t0 >= 300000);
	teardown(f);
}

static void test_terminate_delay_forgets_a_quick_restart(void **state)
{
	pid_t pid = 0, again;
	struct fixture *f = setup(500000, true, &pid);
	uint64_t end;

	(void)state;
	if (!f)
		skip();
	stop_sleeper(pid);
	again = start_sleeper(f->tag);
	end = loop_now_us() + 800000;
	while (loop_now_us() < end)
		loop_run_once(f->loop, 10000);
	assert_int_equal(f->seen.calls, 0);
	assert_true(procwatch_up(f->pw, 0));
	stop_sleeper(again);
	teardown(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exec_then_exit_flip_the_verdict),
		cmocka_unit_test(test_scan_finds_a_running_process),
		cmocka_unit_test(test_terminate_delay_holds_the_verdict),
		cmocka_unit_test(test_terminate_delay_forgets_a_quick_restart),
	};

	srand((unsigned)getpid());
	return cmocka_run_group_tests(tests, NULL, NULL);
}
