/* test_script.c - splitting, running, time limits, isolation, notify arguments */
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
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
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
#define NOBODY_ID 65534
#define SAFE_PATH "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* ---- fixtures: a temp dir of scripts, a loop, captured log lines ---- */

static char tmpdir[64];
static struct captured logged;

static int logged_index(const char *s)
{
	return capture_index(&logged, s);
}

/* Assert that s was logged; on failure say what was logged instead. */
static void assert_logged(const char *s)
{
	if (logged_index(s) < 0)
		for (size_t i = 0; i < logged.n && i < 20; i++)
			print_message("# logged[%zu]: %s\n", i, logged.lines[i]);
	assert_true(logged_index(s) >= 0);
}

static size_t logged_with_prefix(const char *prefix, size_t *bytes)
{
	size_t n = 0, len = strlen(prefix);

	if (bytes)
		*bytes = 0;
	for (size_t i = 0; i < logged.n; i++) {
		if (strncmp(logged.lines[i], prefix, len) != 0)
			continue;
		n++;
		if (bytes)
			*bytes += strlen(logged.lines[i]) - len;
	}
	return n;
}

static void path_in_tmp(char *buf, size_t size, const char *name)
{
	snprintf(buf, size, "%s/%s", tmpdir, name);
}

static void write_file(const char *name, const char *text, mode_t mode)
{
	char path[128];
	FILE *f;

	path_in_tmp(path, sizeof(path), name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(path, mode), 0);
}

static char *read_file(const char *name)
{
	static char buf[1024];
	char path[128];
	size_t n;
	FILE *f;

	path_in_tmp(path, sizeof(path), name);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static int group_setup(void **state)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/vipd-test-script-XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	/* orphans of killed scripts come back to us and the loop reaps them */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
		return -1;
	write_file("noexec", "#!/bin/sh\nexit 0\n", 0644);
	write_file("exit3.sh", "#!/bin/sh\nexit 3\n", 0755);
	/* first argument: where to write the rest, one per line */
	write_file("args.sh", "#!/bin/sh\nout=$1\nshift\nprintf '%s\\n' \"$@\" > \"$out\"\n",
		   0755);
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

	assert_non_null(l);
	capture_clear(&logged);
	*state = l;
	return 0;
}

static int teardown_loop(void **state)
{
	loop_free(*state);
	return 0;
}

/* ---- running helpers ---- */

struct run_rec {
	struct script_result res;
	int calls;
	bool done;
};

static void run_done(const struct script_result *res, void *arg)
{
	struct run_rec *r = arg;

	r->res = *res;
	r->calls++;
	r->done = true;
}

static void run_until(struct loop *l, const bool *flag)
{
	uint64_t limit_us = loop_now_us() + WAIT_LIMIT_US;

	while (!*flag && loop_now_us() < limit_us)
		assert_int_equal(loop_run_once(l, 100 * USEC_PER_MSEC), 0);
	assert_true(*flag);
}

static struct script_opts my_opts(uint64_t timeout_us, const char *tag)
{
	struct script_opts o = {
		.uid = getuid(),
		.gid = getgid(),
		.timeout_us = timeout_us,
		.log_tag = tag,
	};
	return o;
}

static struct script_run *start(struct loop *l, const char *const *argv,
				const struct script_opts *o, struct run_rec *rec)
{
	struct script_run *r = script_start(l, (char *const *)argv, o, run_done, rec);

	assert_non_null(r);
	return r;
}

static struct script_result run(struct loop *l, const char *const *argv, const char *tag)
{
	struct script_opts o = my_opts(WAIT_LIMIT_US / 2, tag);
	struct run_rec rec = { .calls = 0 };

	start(l, argv, &o, &rec);
	run_until(l, &rec.done);
	assert_int_equal(rec.calls, 1);
	return rec.res;
}

/* Wait (running the loop, which reaps orphans) until process group pgid is empty. */
static void wait_group_gone(struct loop *l, pid_t pgid)
{
	uint64_t limit_us = loop_now_us() + WAIT_LIMIT_US;

	while (kill(-pgid, 0) == 0 && loop_now_us() < limit_us)
		assert_int_equal(loop_run_once(l, 10 * USEC_PER_MSEC), 0);
	assert_int_equal(kill(-pgid, 0), -1);
	assert_int_equal(errno, ESRCH);
	assert_int_equal(waitpid(pgid, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

/* ---- script_split ---- */

struct split_case {
	const char *line;
	const char *extra[3];
	const char *want[6]; /* NULL-terminated; want[0] NULL: split fails */
};

static const struct split_case split_cases[] = {
	{ "/bin/check", { NULL }, { "/bin/check", NULL } },
	{ "  /bin/check  -x\t 1 ", { NULL }, { "/bin/check", "-x", "1", NULL } },
	{ "/bin/c 'a b' \"c d\"", { NULL }, { "/bin/c", "a b", "c d", NULL } },
	{ "/bin/c 'it''s' x'y z'w", { NULL }, { "/bin/c", "its", "xy zw", NULL } },
	{ "/bin/c a\\ b \\'q\\'", { NULL }, { "/bin/c", "a b", "'q'", NULL } },
	{ "/bin/c \"say \\\"hi\\\"\" 'no\\escape'", { NULL },
	  { "/bin/c", "say \"hi\"", "no\\escape", NULL } },
	{ "/bin/c '' \"\"", { NULL }, { "/bin/c", "", "", NULL } },
	{ "/bin/c end\\", { NULL }, { "/bin/c", "end\\", NULL } },
	{ "/bin/notify 'x y'", { "INSTANCE", "web", NULL },
	  { "/bin/notify", "x y", "INSTANCE", "web", NULL } },
	{ "/bin/c 'open", { NULL }, { NULL } },
	{ "/bin/c \"open", { NULL }, { NULL } },
	{ "/bin/c \"esc\\\"", { NULL }, { NULL } },
	{ "", { NULL }, { NULL } },
	{ " \t ", { "extra", NULL }, { NULL } },
};

static void test_split_follows_keepalived_quoting(void **state)
{
	for (size_t i = 0; i < sizeof(split_cases) / sizeof(split_cases[0]); i++) {
		const struct split_case *c = &split_cases[i];
		char **argv = script_split(c->line, c->extra[0] ? c->extra : NULL);
		size_t n = 0;

		print_message("# split case %zu: [%s]\n", i, c->line);
		if (!c->want[0]) {
			assert_null(argv);
			continue;
		}
		assert_non_null(argv);
		for (; c->want[n]; n++) {
			assert_non_null(argv[n]);
			assert_string_equal(argv[n], c->want[n]);
		}
		assert_null(argv[n]);
		script_argv_free(argv);
	}
}

/* ---- outcomes ---- */

static void test_true_exits_0_and_false_exits_1(void **state)
{
	static const char *const t[] = { "/bin/true", NULL }, *const f[] = { "/bin/false", NULL };
	struct script_result res = run(*state, t, "true");

	assert_int_equal(res.outcome, SCRIPT_EXITED);
	assert_int_equal(res.exit_status, 0);
	res = run(*state, f, "false");
	assert_int_equal(res.outcome, SCRIPT_EXITED);
	assert_int_equal(res.exit_status, 1);
}

static void test_missing_program_is_exec_failed_enoent(void **state)
{
	static const char *const argv[] = { "/nonexistent/vipd-check", NULL };
	struct script_result res = run(*state, argv, "missing");

	assert_int_equal(res.outcome, SCRIPT_EXEC_FAILED);
	assert_int_equal(res.exit_status, ENOENT);
}

static void test_non_executable_file_is_exec_failed_eacces(void **state)
{
	char path[128];
	const char *argv[] = { path, NULL };
	struct script_result res;

	path_in_tmp(path, sizeof(path), "noexec");
	res = run(*state, argv, "noexec");
	assert_int_equal(res.outcome, SCRIPT_EXEC_FAILED);
	assert_int_equal(res.exit_status, EACCES);
}

static void test_script_killed_by_its_own_signal_is_signaled(void **state)
{
	static const char *const argv[] = { "/bin/sh", "-c", "kill -TERM $$", NULL };
	struct script_result res = run(*state, argv, "selfkill");

	assert_int_equal(res.outcome, SCRIPT_SIGNALED);
	assert_int_equal(res.exit_status, SIGTERM);
}

static void test_runtime_is_measured(void **state)
{
	static const char *const argv[] = { "/bin/sleep", "0.1", NULL };
	struct script_result res = run(*state, argv, "sleep");

	assert_int_equal(res.outcome, SCRIPT_EXITED);
	assert_int_equal(res.exit_status, 0);
	assert_true(res.runtime_us >= 100 * USEC_PER_MSEC);
	assert_true(res.runtime_us < 2 * USEC_PER_SEC);
}

static void test_timeout_kills_the_whole_process_group(void **state)
{
	static const char *const argv[] = { "/bin/sh", "-c", "sleep 30 & sleep 30", NULL };
	struct loop *l = *state;
	struct script_opts o = my_opts(200 * USEC_PER_MSEC, "slow");
	struct run_rec rec = { .calls = 0 };
	struct script_run *r = start(l, argv, &o, &rec);
	pid_t pgid = script_pid(r);

	run_until(l, &rec.done);
	assert_int_equal(rec.res.outcome, SCRIPT_TIMEOUT);
	assert_true(rec.res.runtime_us >= 200 * USEC_PER_MSEC);
	assert_true(rec.res.runtime_us < 2 * USEC_PER_SEC);
	wait_group_gone(l, pgid);
}

static void test_background_child_holding_output_does_not_delay_completion(void **state)
{
	static const char *const argv[] = { "/bin/sh", "-c", "sleep 30 & echo started", NULL };
	struct loop *l = *state;
	struct script_opts o = my_opts(20 * USEC_PER_SEC, "bg");
	struct run_rec rec = { .calls = 0 };
	struct script_run *r = start(l, argv, &o, &rec);
	pid_t pgid = script_pid(r);

	run_until(l, &rec.done);
	assert_int_equal(rec.res.outcome, SCRIPT_EXITED);
	assert_int_equal(rec.res.exit_status, 0);
	assert_true(rec.res.runtime_us < 2 * USEC_PER_SEC);
	assert_true(logged_index("bg: started") >= 0);
	/* the background sleep is still there, in the script's group */
	assert_int_equal(kill(-pgid, 0), 0);
	assert_int_equal(kill(-pgid, SIGKILL), 0);
	wait_group_gone(l, pgid);
}

static void test_cancel_kills_the_group_without_calling_back(void **state)
{
	static const char *const argv[] = { "/bin/sh", "-c", "sleep 30 & sleep 30", NULL };
	struct loop *l = *state;
	struct script_opts o = my_opts(0, "cancelled");
	struct run_rec rec = { .calls = 0 };
	struct script_run *r = start(l, argv, &o, &rec);
	pid_t pgid = script_pid(r);

	/* let the shell start its background child */
	for (int i = 0; i < 10; i++)
		assert_int_equal(loop_run_once(l, 10 * USEC_PER_MSEC), 0);
	script_cancel(l, r);
	wait_group_gone(l, pgid);
	assert_int_equal(rec.calls, 0);
}

/* ---- output ---- */

static void test_stdout_and_stderr_lines_are_logged_with_tag(void **state)
{
	static const char *const argv[] = {
		"/bin/sh", "-c", "echo hello; echo world >&2; printf 'crlf\\r\\n'; printf tail", NULL
	};
	struct script_result res = run(*state, argv, "chk");
	int hello = logged_index("chk: hello"), world = logged_index("chk: world");

	assert_int_equal(res.outcome, SCRIPT_EXITED);
	assert_true(hello >= 0);
	assert_true(world > hello);
	assert_true(logged_index("chk: crlf") > world);
	assert_true(logged_index("chk: tail") > world);
	assert_int_equal(logged.levels[hello], LOG_INFO);
	assert_int_equal(logged_with_prefix("chk: ", NULL), 4);
}

static void test_long_line_is_logged_in_pieces(void **state)
{
	static const char *const argv[] = { "/bin/sh", "-c", "head -c 1000 /dev/zero | tr '\\0' a",
					    NULL };
	struct script_result res = run(*state, argv, "long");
	size_t bytes;

	assert_int_equal(res.outcome, SCRIPT_EXITED);
	assert_int_equal(logged_with_prefix("long: ", &bytes), 2);
	assert_int_equal(bytes, 1000);
}

static void test_5mb_of_output_finishes_and_log_is_truncated(void **state)
{
	static const char *const argv[] = {
		"/bin/sh", "-c", "yes 0123456789abcdef | head -c 5000000; echo done", NULL
	};
	struct script_result res = run(*state, argv, "chatty");
	size_t bytes, lines = logged_with_prefix("chatty: ", &bytes);

	assert_int_equal(res.outcome, SCRIPT_EXITED);
	assert_int_equal(res.exit_status, 0);
	assert_true(lines > 100);
	assert_true(lines < 300);
	assert_true(bytes < 4096 + 64);
	assert_int_equal(logged_with_prefix("chatty: output truncated", NULL), 1);
	assert_int_equal(logged_index("chatty: done"), -1);
}

/* ---- isolation ---- */

static void test_environment_is_only_path(void **state)
{
	static const char *const argv[] = { "/usr/bin/env", NULL };
	struct script_result res;

	assert_int_equal(setenv("VIPD_SECRET", "leak", 1), 0);
	res = run(*state, argv, "env");
	unsetenv("VIPD_SECRET");
	assert_int_equal(res.outcome, SCRIPT_EXITED);
	assert_int_equal(logged_with_prefix("env: ", NULL), 1);
	assert_true(logged_index("env: " SAFE_PATH) >= 0);
}

static void test_descriptors_are_not_inherited(void **state)
{
	static const char *const argv[] = { "/bin/ls", "/proc/self/fd", NULL };
	/* a descriptor without close-on-exec, as a careless library might leave */
	int leaky = fcntl(STDERR_FILENO, F_DUPFD, 40);
	struct script_result res;

	assert_true(leaky >= 40);
	res = run(*state, argv, "fds");
	close(leaky);
	assert_int_equal(res.outcome, SCRIPT_EXITED);
	/* 0-2, and 3: the directory ls itself opened to list */
	assert_int_equal(logged_with_prefix("fds: ", NULL), 4);
	assert_true(logged_index("fds: 0") >= 0);
	assert_true(logged_index("fds: 1") >= 0);
	assert_true(logged_index("fds: 2") >= 0);
	assert_true(logged_index("fds: 3") >= 0);
}

static void test_stdin_is_dev_null_and_cwd_is_root(void **state)
{
	static const char *const in[] = { "/bin/readlink", "/proc/self/fd/0", NULL };
	static const char *const cwd[] = { "/bin/pwd", NULL };

	assert_int_equal(run(*state, in, "stdin").exit_status, 0);
	assert_true(logged_index("stdin: /dev/null") >= 0);
	assert_int_equal(chdir(tmpdir), 0);
	assert_int_equal(run(*state, cwd, "cwd").exit_status, 0);
	assert_int_equal(chdir("/"), 0);
	assert_true(logged_index("cwd: /") >= 0);
}

static void test_own_session_and_process_group(void **state)
{
	static const char *const argv[] = { "/bin/sh", "-c", "echo $$ $(cut -d' ' -f5,6 /proc/$$/stat)",
					    NULL };
	struct loop *l = *state;
	struct script_opts o = my_opts(5 * USEC_PER_SEC, "pg");
	struct run_rec rec = { .calls = 0 };
	struct script_run *r = start(l, argv, &o, &rec);
	char want[64];
	pid_t pid = script_pid(r);

	run_until(l, &rec.done);
	snprintf(want, sizeof(want), "pg: %d %d %d", (int)pid, (int)pid, (int)pid);
	assert_true(logged_index(want) >= 0);
}

/*
 * The SigIgn mask the script printed, less glibc's internal signals 32 and
 * 33 (which no program can change, and which sanitizer runtimes ignore).
 */
static unsigned long long sig_ignored_by_user(void)
{
	static const char prefix[] = "sig: SigIgn: ";
	const unsigned long long internal = (1ull << 31) | (1ull << 32);

	for (size_t i = 0; i < logged.n; i++)
		if (strncmp(logged.lines[i], prefix, sizeof(prefix) - 1) == 0)
			return strtoull(logged.lines[i] + sizeof(prefix) - 1, NULL, 16) & ~internal;
	fail_msg("no SigIgn line was logged");
	return ~0ull;
}

static void test_signal_mask_and_dispositions_are_reset(void **state)
{
	static const char *const argv[] = { "/bin/grep", "-E", "^Sig(Blk|Ign)", "/proc/self/status",
					    NULL };
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;
	struct script_result res;

	/* the loop blocks SIGCHLD; ignore SIGPIPE as daemons do */
	assert_int_equal(sigaction(SIGPIPE, &ign, &old), 0);
	res = run(*state, argv, "sig");
	sigaction(SIGPIPE, &old, NULL);
	assert_int_equal(res.outcome, SCRIPT_EXITED);
	assert_logged("sig: SigBlk: 0000000000000000");
	assert_int_equal(sig_ignored_by_user(), 0);
}

static void test_runs_as_the_given_user_and_group(void **state)
{
	static const char *const u[] = { "/usr/bin/id", "-u", NULL }, *const g[] = { "/usr/bin/id", "-G", NULL };
	struct loop *l = *state;
	struct script_opts o = my_opts(5 * USEC_PER_SEC, "id");
	struct run_rec rec = { .calls = 0 };

	if (geteuid() != 0)
		skip();
	o.uid = NOBODY_ID;
	o.gid = NOBODY_ID;
	start(l, u, &o, &rec);
	run_until(l, &rec.done);
	assert_int_equal(rec.res.exit_status, 0);
	rec.done = false;
	start(l, g, &o, &rec);
	run_until(l, &rec.done);
	assert_int_equal(rec.res.exit_status, 0);
	assert_int_equal(logged_with_prefix("id: ", NULL), 2);
	/* both -u and -G print just 65534: nobody's only group is nogroup */
	assert_int_equal(strcmp(logged.lines[0], "id: 65534"), 0);
	assert_int_equal(logged_index("id: 65534"), 0);
	assert_string_equal(logged.lines[logged.n - 1], "id: 65534");
}

/* ---- notify ---- */

static void run_until_notified(struct loop *l)
{
	uint64_t limit_us = loop_now_us() + WAIT_LIMIT_US;

	while (notify_pending() && loop_now_us() < limit_us)
		assert_int_equal(loop_run_once(l, 100 * USEC_PER_MSEC), 0);
	assert_int_equal(notify_pending(), 0);
}

static void test_notify_appends_type_name_state_priority(void **state)
{
	struct loop *l = *state;
	char line[256];
	struct cfg_notify n = { .any = line };
	struct script_opts o = my_opts(5 * USEC_PER_SEC, NULL);

	snprintf(line, sizeof(line), "%s/args.sh %s/notify.out 'first arg'", tmpdir, tmpdir);
	assert_int_equal(notify_run(l, &n, NOTIFY_INSTANCE, "web", NOTIFY_MASTER, 150, &o), 1);
	run_until_notified(l);
	assert_string_equal(read_file("notify.out"), "first arg\nINSTANCE\nweb\nMASTER\n150\n");
	assert_true(logged_index("notify for web exited with status 0") >= 0);

	assert_int_equal(notify_run(l, &n, NOTIFY_GROUP, "G1", NOTIFY_STOP, 0, &o), 1);
	run_until_notified(l);
	assert_string_equal(read_file("notify.out"), "first arg\nGROUP\nG1\nSTOP\n0\n");
}

static void test_notify_state_script_runs_as_written_and_status_is_logged(void **state)
{
	struct loop *l = *state;
	char master[128], any[256];
	struct cfg_notify n = { .master = master, .any = any };
	struct script_opts o = my_opts(5 * USEC_PER_SEC, NULL);
	int idx;

	path_in_tmp(master, sizeof(master), "exit3.sh");
	snprintf(any, sizeof(any), "%s/args.sh %s/notify2.out", tmpdir, tmpdir);
	assert_int_equal(notify_run(l, &n, NOTIFY_INSTANCE, "web", NOTIFY_MASTER, 100, &o), 2);
	/* backup has no script of its own: only "notify" runs */
	assert_int_equal(notify_run(l, &n, NOTIFY_INSTANCE, "web", NOTIFY_BACKUP, 100, &o), 1);
	run_until_notified(l);
	idx = logged_index("notify_master for web exited with status 3");
	assert_true(idx >= 0);
	assert_int_equal(logged.levels[idx], LOG_WARNING);
}

static void test_notify_missing_or_broken_script_is_only_a_log_line(void **state)
{
	struct loop *l = *state;
	struct cfg_notify n = { .fault = "/nonexistent/notify.sh", .stop = "'/bin/true" };
	struct script_opts o = my_opts(5 * USEC_PER_SEC, NULL);
	int idx;

	assert_int_equal(notify_run(l, &n, NOTIFY_INSTANCE, "web", NOTIFY_FAULT, 100, &o), 1);
	run_until_notified(l);
	idx = logged_index("notify_fault for web: cannot run /nonexistent/notify.sh: "
			   "No such file or directory");
	assert_true(idx >= 0);
	assert_int_equal(logged.levels[idx], LOG_ERR);
	assert_int_equal(notify_run(l, &n, NOTIFY_INSTANCE, "web", NOTIFY_STOP, 100, &o), 0);
	assert_int_equal(logged_with_prefix("notify_stop for web: cannot use", NULL), 1);
	assert_int_equal(notify_run(l, NULL, NOTIFY_INSTANCE, "web", NOTIFY_STOP, 100, &o), 0);
}

static void test_notify_output_is_tagged_with_script_role(void **state)
{
	struct loop *l = *state;
	struct cfg_notify n = { .backup = "/bin/echo 'from backup'" };
	struct script_opts o = my_opts(5 * USEC_PER_SEC, "ignored");

	assert_int_equal(notify_run(l, &n, NOTIFY_GROUP, "G1", NOTIFY_BACKUP, 100, &o), 1);
	run_until_notified(l);
	assert_true(logged_index("notify_backup for group G1: from backup") >= 0);
	assert_true(logged_index("notify_backup for group G1 exited with status 0") >= 0);
	assert_int_equal(logged_with_prefix("ignored", NULL), 0);
}

static void test_notify_cancel_all_forgets_running_scripts(void **state)
{
	struct loop *l = *state;
	struct cfg_notify n = { .master = "/bin/sleep 30" };

	assert_int_equal(notify_run(l, &n, NOTIFY_INSTANCE, "web", NOTIFY_MASTER, 100, NULL), 1);
	assert_int_equal(notify_pending(), 1);
	notify_cancel_all(l);
	assert_int_equal(notify_pending(), 0);
	/* the killed child is reaped by the loop, no callback left to run */
	for (int i = 0; i < 10; i++)
		assert_int_equal(loop_run_once(l, 10 * USEC_PER_MSEC), 0);
}

static void test_notify_state_names(void **state)
{
	assert_string_equal(notify_state_name(NOTIFY_MASTER), "MASTER");
	assert_string_equal(notify_state_name(NOTIFY_BACKUP), "BACKUP");
	assert_string_equal(notify_state_name(NOTIFY_FAULT), "FAULT");
	assert_string_equal(notify_state_name(NOTIFY_STOP), "STOP");
}

/* ---- script security ---- */

static void test_security_accepts_system_binary_and_rejects_others(void **state)
{
	char why[256], path[128];

	assert_int_equal(script_check_security("/bin/sh", why, sizeof(why)), 0);
	assert_string_equal(why, "");
	path_in_tmp(path, sizeof(path), "exit3.sh");
	assert_int_equal(script_check_security(path, why, sizeof(why)), -EPERM);
	assert_string_equal(why, "/tmp is writable by everyone");
	assert_int_equal(script_check_security("/nonexistent/x", why, sizeof(why)), -ENOENT);
	assert_int_equal(script_check_security("bin/sh", why, sizeof(why)), -EINVAL);
}

struct secure_case {
	const char *name;
	mode_t mode;
	uid_t uid;
	gid_t gid;
	int want;
	const char *why_suffix; /* after "<dir>/<name> " */
};

static const struct secure_case secure_cases[] = {
	{ "ok", 0755, 0, 0, 0, NULL },
	{ "root-group-writable", 0775, 0, 0, 0, NULL },
	{ "other-group-writable", 0775, 0, 100, -EPERM, "is writable by group 100" },
	{ "world-writable", 0757, 0, 0, -EPERM, "is writable by everyone" },
	{ "not-root", 0755, NOBODY_ID, 0, -EPERM, "is owned by uid 65534, not root" },
};

static void test_security_checks_owner_and_write_bits(void **state)
{
	char dir[] = "/run/vipd-test-sec-XXXXXX", path[128], want[256], why[256], link[128];

	if (geteuid() != 0 || script_check_security("/run", why, sizeof(why)) != 0 ||
	    !mkdtemp(dir))
		skip();
	assert_int_equal(chmod(dir, 0755), 0);
	for (size_t i = 0; i < sizeof(secure_cases) / sizeof(secure_cases[0]); i++) {
		const struct secure_case *c = &secure_cases[i];
		int fd;

		snprintf(path, sizeof(path), "%s/%s", dir, c->name);
		fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
		assert_true(fd >= 0);
		close(fd);
		assert_int_equal(chown(path, c->uid, c->gid), 0);
		assert_int_equal(chmod(path, c->mode), 0);
		print_message("# security case %s\n", c->name);
		assert_int_equal(script_check_security(path, why, sizeof(why)), c->want);
		if (c->why_suffix) {
			snprintf(want, sizeof(want), "%s %s", path, c->why_suffix);
			assert_string_equal(why, want);
		}
	}
	/* a safe link to an unsafe file: the resolved path is checked too */
	snprintf(link, sizeof(link), "%s/link", dir);
	path_in_tmp(path, sizeof(path), "exit3.sh");
	assert_int_equal(symlink(path, link), 0);
	assert_int_equal(script_check_security(link, why, sizeof(why)), -EPERM);
	assert_string_equal(why, "/tmp is writable by everyone");
	/* an unsafe link to a safe file: whoever owns /tmp could repoint it */
	path_in_tmp(link, sizeof(link), "link-to-sh");
	assert_int_equal(symlink("/bin/sh", link), 0);
	assert_int_equal(script_check_security(link, why, sizeof(why)), -EPERM);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	assert_int_equal(system(path), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_follows_keepalived_quoting),
#define T(f) cmocka_unit_test_setup_teardown(f, setup_loop, teardown_loop)
		T(test_true_exits_0_and_false_exits_1),
		T(test_missing_program_is_exec_failed_enoent),
		T(test_non_executable_file_is_exec_failed_eacces),
		T(test_script_killed_by_its_own_signal_is_signaled),
		T(test_runtime_is_measured),
		T(test_timeout_kills_the_whole_process_group),
		T(test_background_child_holding_output_does_not_delay_completion),
		T(test_cancel_kills_the_group_without_calling_back),
		T(test_stdout_and_stderr_lines_are_logged_with_tag),
		T(test_long_line_is_logged_in_pieces),
		T(test_5mb_of_output_finishes_and_log_is_truncated),
		T(test_environment_is_only_path),
		T(test_descriptors_are_not_inherited),
		T(test_stdin_is_dev_null_and_cwd_is_root),
		T(test_own_session_and_process_group),
		T(test_signal_mask_and_dispositions_are_reset),
		T(test_runs_as_the_given_user_and_group),
		T(test_notify_appends_type_name_state_priority),
		T(test_notify_state_script_runs_as_written_and_status_is_logged),
		T(test_notify_missing_or_broken_script_is_only_a_log_line),
		T(test_notify_output_is_tagged_with_script_role),
		T(test_notify_cancel_all_forgets_running_scripts),
		T(test_notify_state_names),
#undef T
		cmocka_unit_test(test_security_accepts_system_binary_and_rejects_others),
		cmocka_unit_test(test_security_checks_owner_and_write_bits),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
