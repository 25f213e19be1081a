/*
 * test_trackproc.c - which processes a vrrp_track_process counts, its
 * quorum, and what a track_file's number does to an instance.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "trackproc.h"

#define ARGC(a) (sizeof(a) / sizeof((a)[0]))

static struct trackproc_spec spec(const char *process, char **params, size_t n,
				  enum trackproc_params m)
{
	struct trackproc_spec s = {
		.process = (char *)process, .params = params, .nparams = n, .match = m,
		.quorum = 1, .quorum_max = TRACKPROC_QUORUM_MAX_NONE,
	};

	return s;
}

static void test_name_matches_comm_exactly_not_as_pattern(void **state)
{
	struct trackproc_spec s = spec("nginx", NULL, 0, TRACKPROC_PARAMS_ANY);

	(void)state;
	assert_false(trackproc_uses_cmdline(&s));
	assert_true(trackproc_match(&s, "nginx", NULL, 0));
	assert_false(trackproc_match(&s, "nginx2", NULL, 0));
	assert_false(trackproc_match(&s, "ngin", NULL, 0));
}

static void test_long_name_matches_the_cut_comm(void **state)
{
	struct trackproc_spec s = spec("php-fpm-worker-pool", NULL, 0, TRACKPROC_PARAMS_ANY);

	(void)state;
	assert_true(trackproc_match(&s, "php-fpm-worker-", NULL, 0));
	assert_false(trackproc_match(&s, "php-fpm", NULL, 0));
}

static void test_parameters_match_exactly_by_default(void **state)
{
	char *p[] = { "-g", "daemon off;" };
	struct trackproc_spec s = spec("/usr/sbin/nginx", p, 2, TRACKPROC_PARAMS_EXACT);
	const char *yes[] = { "/usr/sbin/nginx", "-g", "daemon off;" };
	const char *more[] = { "/usr/sbin/nginx", "-g", "daemon off;", "-q" };
	const char *other[] = { "/usr/bin/nginx", "-g", "daemon off;" };

	(void)state;
	assert_true(trackproc_uses_cmdline(&s));
	assert_true(trackproc_match(&s, "nginx", yes, ARGC(yes)));
	assert_false(trackproc_match(&s, "nginx", more, ARGC(more)));
	assert_false(trackproc_match(&s, "nginx", other, ARGC(other)));
	assert_false(trackproc_match(&s, "nginx", NULL, 0));
}

static void test_param_match_without_parameters_means_none(void **state)
{
	struct trackproc_spec s = spec("/bin/sleep", NULL, 0, TRACKPROC_PARAMS_EXACT);
	const char *bare[] = { "/bin/sleep" };
	const char *arg[] = { "/bin/sleep", "10" };

	(void)state;
	assert_true(trackproc_match(&s, "sleep", bare, 1));
	assert_false(trackproc_match(&s, "sleep", arg, 2));
}

static void test_partial_and_initial_parameter_match(void **state)
{
	char *p[] = { "-c", "/etc/hap" };
	struct trackproc_spec partial = spec("haproxy", p, 2, TRACKPROC_PARAMS_PARTIAL);
	struct trackproc_spec initial = spec("haproxy", p, 2, TRACKPROC_PARAMS_INITIAL);
	const char *a[] = { "haproxy", "-c", "/etc/hap", "-x" };
	const char *b[] = { "haproxy", "-c", "/etc/haproxy.cfg" };

	(void)state;
	assert_true(trackproc_match(&partial, "haproxy", a, ARGC(a)));
	assert_false(trackproc_match(&partial, "haproxy", b, ARGC(b)));
	assert_true(trackproc_match(&initial, "haproxy", a, ARGC(a)));
	assert_true(trackproc_match(&initial, "haproxy", b, ARGC(b)));
}

static void test_full_command_compares_argv0(void **state)
{
	struct trackproc_spec s = spec("/usr/sbin/nginx", NULL, 0, TRACKPROC_PARAMS_ANY);
	const char *a[] = { "/usr/sbin/nginx", "-g", "x" };
	const char *b[] = { "nginx: worker process" };

	(void)state;
	s.full_command = true;
	assert_true(trackproc_match(&s, "nginx", a, ARGC(a)));
	assert_false(trackproc_match(&s, "nginx", b, ARGC(b)));
}

static void test_quorum_and_quorum_max(void **state)
{
	struct trackproc_spec s = spec("x", NULL, 0, TRACKPROC_PARAMS_ANY);

	(void)state;
	assert_false(trackproc_quorum(&s, 0));
	assert_true(trackproc_quorum(&s, 5));
	s.quorum = 2;
	s.quorum_max = 3;
	assert_false(trackproc_quorum(&s, 1));
	assert_true(trackproc_quorum(&s, 2));
	assert_true(trackproc_quorum(&s, 3));
	assert_false(trackproc_quorum(&s, 4));
	s.quorum = 0;
	s.quorum_max = 0; /* up only while none runs */
	assert_true(trackproc_quorum(&s, 0));
	assert_false(trackproc_quorum(&s, 1));
}

static void test_split_cmdline(void **state)
{
	char buf[] = "nginx\0-g\0daemon off;\0";
	const char *argv[8];

	(void)state;
	assert_int_equal(trackproc_split_cmdline(buf, sizeof(buf) - 1, argv, 8), 3);
	assert_string_equal(argv[2], "daemon off;");
	assert_int_equal(trackproc_split_cmdline(buf, sizeof(buf) - 1, argv, 2), 2);
}

static void test_trackfile_parse(void **state)
{
	long v;

	(void)state;
	assert_int_equal(trackfile_parse(" 42\n", 4, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(trackfile_parse("-7", 2, &v), 0);
	assert_int_equal(v, -7);
	assert_int_equal(trackfile_parse("", 0, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(trackfile_parse("abc\n", 4, &v), -EINVAL);
	assert_int_equal(v, 0);
}

static void test_trackfile_effect(void **state)
{
	int d;
	bool fault;

	(void)state;
	trackfile_effect(0, 0, false, &d, &fault);
	assert_false(fault);
	trackfile_effect(3, 0, false, &d, &fault);
	assert_true(fault);
	assert_int_equal(d, 0);
	trackfile_effect(5, -10, false, &d, &fault);
	assert_false(fault);
	assert_int_equal(d, -50);
	trackfile_effect(5, -10, true, &d, &fault);
	assert_int_equal(d, 50);
	trackfile_effect(100, 10, false, &d, &fault);
	assert_int_equal(d, 253);
	assert_false(fault);
	trackfile_effect(-254, 1, false, &d, &fault);
	assert_true(fault);
	trackfile_effect(2147483647L * 4, -254, false, &d, &fault);
	assert_true(fault);
	assert_int_equal(d, -253);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name_matches_comm_exactly_not_as_pattern),
		cmocka_unit_test(test_long_name_matches_the_cut_comm),
		cmocka_unit_test(test_parameters_match_exactly_by_default),
		cmocka_unit_test(test_param_match_without_parameters_means_none),
		cmocka_unit_test(test_partial_and_initial_parameter_match),
		cmocka_unit_test(test_full_command_compares_argv0),
		cmocka_unit_test(test_quorum_and_quorum_max),
		cmocka_unit_test(test_split_cmdline),
		cmocka_unit_test(test_trackfile_parse),
		cmocka_unit_test(test_trackfile_effect),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
