/* test_notify.c - one instance's notify scripts run in the order of its transitions */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* also set by configure; kept for standalone builds */
#endif
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cmocka.h>

#include "logcapture.h"

#include "log.h"
#include "loop.h"
#include "notify.h"
#include "script.h"

#define USEC_PER_MSEC 1000ULL
#define USEC_PER_SEC 1000000ULL
#define WAIT_LIMIT_US (10 * USEC_PER_SEC)
#define CMD_MAX 256
/* notify.c's limits, as the user sees them */
#define QUEUE_MAX 16
#define STOP_WAIT_US (2 * USEC_PER_SEC)

/* ---- fixtures: a temp dir, a loop, captured log lines ---- */

static char tmpdir[64];
static struct captured logged;

static int logged_index(const char *s)
{
	return capture_index(&logged, s);
}

/* Assert that s was logged at level; on failure say what was logged instead. */
static void assert_logged_at(const char *s, int level)
{
	int i = logged_index(s);

	if (i < 0)
		for (size_t k = 0; k < logged.n && k < 40; k++)
			print_message("# logged[%zu]: %s\n", k, logged.lines[k]);
	assert_true(i >= 0);
	assert_int_equal(logged.levels[i], level);
}

static size_t logged_count(const char *s)
{
	size_t n = 0;

	for (size_t i = 0; i < logged.n; i++)
		n += strcmp(logged.lines[i], s) == 0;
	return n;
}

/* "/bin/sh -c '<sleep>echo WORD >>TMP/out' sh": appends WORD to out. */
static void append_cmd(char *buf, const char *sleep_s, const char *word)
{
	snprintf(buf, CMD_MAX, "/bin/sh -c '%s%s%secho %s >>%s/out' sh", sleep_s ? "sleep " : "",
		 sleep_s ? sleep_s : "", sleep_s ? "; " : "", word, tmpdir);
}

static char *read_out(void)
{
	static char buf[1024];
	char path[128];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/out", tmpdir);
	f = fopen(path, "r");
	if (!f)
		return "";
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static struct script_opts opts(void)
{
	return (struct script_opts){ .uid = getuid(), .gid = getgid(),
				     .timeout_us = WAIT_LIMIT_US * 3 };
}

static void run_until_pending(struct loop *l, unsigned n)
{
	uint64_t limit_us = loop_now_us() + WAIT_LIMIT_US;

	while (notify_pending() > n && loop_now_us() < limit_us)
		assert_int_equal(loop_run_once(l, 100 * USEC_PER_MSEC), 0);
	assert_int_equal(notify_pending(), n);
}

static int group_setup(void **state)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/vipd-test-notify-XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	/* orphans of killed scripts come back to us and the loop reaps them */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
		return -1;
	log_set_sink(capture_sink, &logged);
	log_set_level(LOG_DEBUG);
	return 0;
}

static int group_teardown(void **state)
{
	char cmd[128];

	log_set_sink(NULL, NULL);
	capture_clear(&logged);
	free(logged.lines);
	free(logged.levels);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static int setup_loop(void **state)
{
	struct loop *l = loop_new();
	char path[128];

	assert_non_null(l);
	capture_clear(&logged);
	snprintf(path, sizeof(path), "%s/out", tmpdir);
	unlink(path);
	*state = l;
	return 0;
}

static int teardown_loop(void **state)
{
	notify_cancel_all(*state);
	loop_free(*state);
	return 0;
}

/* ---- order ---- */

static void test_next_transition_waits_until_the_previous_scripts_have_ended(void **state)
{
	struct loop *l = *state;
	char master[CMD_MAX], backup[CMD_MAX], fault[CMD_MAX];
	struct cfg_notify n = { .master = master, .backup = backup, .fault = fault };
	struct script_opts o = opts();

	append_cmd(master, "0.3", "master");
	append_cmd(backup, NULL, "backup");
	append_cmd(fault, NULL, "fault");
	assert_int_equal(notify_run(l, &n, NOTIFY_INSTANCE, "web", NOTIFY_MASTER, 100, &o), 1);
	assert_int_equal(notify_run(l, &n, NOTIFY_INSTANCE, "web", NOTIFY_BACKUP, 100, &o), 1);
	assert_int_equal(notify_run(l, &n, NOTIFY_INSTANCE, "web", NOTIFY_FAULT, 100, &o), 1);
	/* the waiting ones count: shutdown waits for them too */
	assert_int_equal(notify_pending(), 3);
	run_until_pending(l, 0);
	assert_string_equal(read_out(), "master\nbackup\nfault\n");
	assert_logged_at("notify for web: BACKUP waits for the scripts of MASTER (0 already waiting)",
			 LOG_DEBUG);
	assert_logged_at("notify for web: FAULT waits for the scripts of MASTER (1 already waiting)",
			 LOG_DEBUG);
}

static void test_scripts_of_one_transition_run_side_by_side(void **state)
{
	struct loop *l = *state;
	char master[CMD_MAX], any[CMD_MAX];
	struct cfg_notify n = { .master = master, .any = any };
	struct script_opts o = opts();

	/* notify_master succeeds only if "notify" runs while it waits */
	snprintf(master, sizeof(master),
		 "/bin/sh -c 'i=0; while [ ! -e %s/any ] && [ $i -lt 50 ]; do sleep 0.1; "
		 "i=$((i+1)); done; test -e %s/any' sh",
		 tmpdir, tmpdir);
	snprintf(any, sizeof(any), "/bin/sh -c 'touch %s/any' sh", tmpdir);
	assert_int_equal(notify_run(l, &n, NOTIFY_INSTANCE, "web", NOTIFY_MASTER, 100, &o), 2);
	run_until_pending(l, 0);
	assert_logged_at("notify_master for web exited with status 0", LOG_INFO);
}

static void test_other_instances_and_groups_do_not_wait(void **state)
{
	struct loop *l = *state;
	char backup[CMD_MAX];
	struct cfg_notify slow = { .master = "/bin/sleep 30" };
	struct cfg_notify n = { .backup = backup };
	struct script_opts o = opts();

	append_cmd(backup, NULL, "backup");
	assert_int_equal(notify_run(l, &slow, NOTIFY_INSTANCE, "web", NOTIFY_MASTER, 100, &o), 1);
	assert_int_equal(notify_run(l, &n, NOTIFY_INSTANCE, "db", NOTIFY_BACKUP, 100, &o), 1);
	assert_int_equal(notify_run(l, &n, NOTIFY_GROUP, "web", NOTIFY_BACKUP, 0, &o), 1);
	run_until_pending(l, 1);
	assert_string_equal(read_out(), "backup\nbackup\n");
	assert_int_equal(logged_count("notify_master for web: still running at shutdown, killed"),
			 0);
	notify_cancel_all(l);
	assert_logged_at("notify_master for web: still running at shutdown, killed", LOG_WARNING);
	assert_int_equal(notify_pending(), 0);
}

static void test_waiting_scripts_keep_their_command_when_the_config_goes(void **state)
{
	struct loop *l = *state;
	char master[CMD_MAX], backup[CMD_MAX];
	struct cfg_notify n = { .master = master, .backup = backup };
	struct script_opts o = opts();

	append_cmd(master, "0.2", "master");
	append_cmd(backup, NULL, "backup");
	assert_int_equal(notify_run(l, &n, NOTIFY_INSTANCE, "web", NOTIFY_MASTER, 100, &o), 1);
	assert_int_equal(notify_run(l, &n, NOTIFY_INSTANCE, "web", NOTIFY_BACKUP, 100, &o), 1);
	/* a reload frees the old configuration while BACKUP still waits */
	memset(backup, '\'', sizeof(backup) - 1);
	memset(master, '\'', sizeof(master) - 1);
	run_until_pending(l, 0);
	assert_string_equal(read_out(), "master\nbackup\n");
}

/* ---- bounds ---- */

static void test_full_queue_drops_the_oldest_waiting_transition_not_the_running_one(void **state)
{
	struct loop *l = *state;
	struct cfg_notify n = { .master = "/bin/sleep 30", .backup = "/bin/true",
				.fault = "/bin/true" };
	struct script_opts o = opts();

	assert_int_equal(notify_run(l, &n, NOTIFY_INSTANCE, "web", NOTIFY_MASTER, 100, &o), 1);
	assert_int_equal(notify_run(l, &n, NOTIFY_INSTANCE, "web", NOTIFY_BACKUP, 100, &o), 1);
	for (int i = 1; i < QUEUE_MAX; i++)
		assert_int_equal(notify_run(l, &n, NOTIFY_INSTANCE, "web", NOTIFY_FAULT, 100, &o),
				 1);
	assert_int_equal(notify_pending(), 1 + QUEUE_MAX);
	assert_int_equal(logged_count("notify for web: 16 transitions already waiting; dropping "
				      "the oldest waiting one, BACKUP"),
			 0);
	assert_int_equal(notify_run(l, &n, NOTIFY_INSTANCE, "web", NOTIFY_FAULT, 100, &o), 1);
	assert_int_equal(notify_pending(), 1 + QUEUE_MAX);
	assert_logged_at("notify for web: 16 transitions already waiting; dropping the oldest "
			 "waiting one, BACKUP",
			 LOG_WARNING);
	notify_cancel_all(l);
	assert_logged_at("notify_master for web: still running at shutdown, killed", LOG_WARNING);
	assert_int_equal(logged_count("notify for web: FAULT never ran: shutdown"), QUEUE_MAX);
	assert_int_equal(notify_pending(), 0);
}

static void test_stop_kills_a_hung_script_ahead_of_it_and_still_runs(void **state)
{
	struct loop *l = *state;
	char backup[CMD_MAX], stop[CMD_MAX];
	struct cfg_notify n = { .master = "/bin/sleep 30", .backup = backup, .stop = stop };
	struct script_opts o = opts();
	uint64_t t0_us = loop_now_us(), took_us;

	append_cmd(backup, NULL, "backup");
	append_cmd(stop, NULL, "stop");
	assert_int_equal(notify_run(l, &n, NOTIFY_INSTANCE, "web", NOTIFY_MASTER, 100, &o), 1);
	assert_int_equal(notify_run(l, &n, NOTIFY_INSTANCE, "web", NOTIFY_BACKUP, 100, &o), 1);
	assert_int_equal(notify_run(l, &n, NOTIFY_INSTANCE, "web", NOTIFY_STOP, 100, &o), 1);
	run_until_pending(l, 0);
	took_us = loop_now_us() - t0_us;
	assert_true(took_us >= STOP_WAIT_US);
	/* inside the daemon's 5 s shutdown grace */
	assert_true(took_us < 5 * USEC_PER_SEC);
	assert_string_equal(read_out(), "stop\n");
	assert_logged_at("notify_master for web: still running 2000 ms after the instance "
			 "stopped; killed so that notify_stop can run",
			 LOG_WARNING);
	assert_logged_at("notify for web: BACKUP skipped, the instance has stopped", LOG_WARNING);
}

static void test_stop_after_prompt_scripts_kills_nothing(void **state)
{
	struct loop *l = *state;
	char master[CMD_MAX], stop[CMD_MAX];
	struct cfg_notify n = { .master = master, .stop = stop };
	struct script_opts o = opts();

	append_cmd(master, "0.2", "master");
	append_cmd(stop, NULL, "stop");
	assert_int_equal(notify_run(l, &n, NOTIFY_INSTANCE, "web", NOTIFY_MASTER, 100, &o), 1);
	assert_int_equal(notify_run(l, &n, NOTIFY_INSTANCE, "web", NOTIFY_STOP, 100, &o), 1);
	run_until_pending(l, 0);
	assert_string_equal(read_out(), "master\nstop\n");
	for (size_t i = 0; i < logged.n; i++)
		assert_int_not_equal(logged.levels[i], LOG_WARNING);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup_loop, teardown_loop)
		T(test_next_transition_waits_until_the_previous_scripts_have_ended),
		T(test_scripts_of_one_transition_run_side_by_side),
		T(test_other_instances_and_groups_do_not_wait),
		T(test_waiting_scripts_keep_their_command_when_the_config_goes),
		T(test_full_queue_drops_the_oldest_waiting_transition_not_the_running_one),
		T(test_stop_kills_a_hung_script_ahead_of_it_and_still_runs),
		T(test_stop_after_prompt_scripts_kills_nothing),
#undef T
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
