/* The maintenance set and its state file. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "maint.h"

static void test_on_and_off_by_name(void **state)
{
	struct maint_set m = { 0 };

	(void)state;
	assert_false(maint_has(&m, "web"));
	assert_int_equal(maint_set(&m, "web", true), 0);
	assert_int_equal(maint_set(&m, "db", true), 0);
	assert_int_equal(maint_set(&m, "web", true), 0); /* twice is once */
	assert_int_equal(m.n, 2);
	assert_true(maint_has(&m, "web"));
	assert_int_equal(maint_set(&m, "web", false), 0);
	assert_false(maint_has(&m, "web"));
	assert_true(maint_has(&m, "db"));
	assert_int_equal(maint_set(&m, "nothere", false), 0);
	assert_int_equal(m.n, 1);
	maint_free(&m);
}

static void test_bad_names_are_refused(void **state)
{
	struct maint_set m = { 0 };
	char big[MAINT_NAME_MAX + 1];

	(void)state;
	assert_int_equal(maint_set(&m, "", true), -EINVAL);
	assert_int_equal(maint_set(&m, "a b", true), -EINVAL);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(maint_set(&m, big, true), -EINVAL);
	assert_int_equal(m.n, 0);
	maint_free(&m);
}

static void test_text_round_trips(void **state)
{
	struct maint_set m = { 0 }, back = { 0 };
	char *text;

	(void)state;
	maint_set(&m, "web", true);
	maint_set(&m, "VI_DB", true);
	text = maint_format(&m);
	assert_non_null(text);
	assert_int_equal(text[0], '#');
	assert_int_equal(maint_parse(text, &back, NULL), 0);
	assert_int_equal(back.n, 2);
	assert_true(maint_has(&back, "web"));
	assert_true(maint_has(&back, "VI_DB"));
	free(text);
	maint_free(&m);
	maint_free(&back);
}

static void test_parse_skips_comments_blanks_and_trims(void **state)
{
	struct maint_set m = { 0 };
	int bad = 0;

	(void)state;
	assert_int_equal(maint_parse("# c\n\n  web \t\r\n#db\nmail", &m, &bad), 0);
	assert_int_equal(m.n, 2);
	assert_true(maint_has(&m, "web"));
	assert_true(maint_has(&m, "mail"));
	assert_false(maint_has(&m, "db"));
	assert_int_equal(maint_parse("web\nthis has blanks\n", &m, &bad), -EINVAL);
	assert_int_equal(bad, 2);
	maint_free(&m);
}

static void test_path_follows_the_pid_file(void **state)
{
	char p[256];

	(void)state;
	maint_path_from_pidfile("/run/vipd/vipd.pid", p, sizeof(p));
	assert_string_equal(p, "/run/vipd/vipd.maintenance");
	maint_path_from_pidfile("/tmp/n1", p, sizeof(p));
	assert_string_equal(p, "/tmp/n1.maintenance");
}

static void test_file_save_load_and_empty_removes_it(void **state)
{
	char dir[] = "/tmp/test_maint.XXXXXX";
	char path[256];
	struct maint_set m = { 0 }, back = { 0 };
	struct stat st;
	int bad = 0;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/vipd.maintenance", dir);
	assert_int_equal(maint_load(path, &back, &bad), 0); /* no file: nothing in maintenance */
	assert_int_equal(back.n, 0);
	maint_set(&m, "web", true);
	assert_int_equal(maint_save(path, &m), 0);
	assert_int_equal(maint_load(path, &back, &bad), 0);
	assert_true(maint_has(&back, "web"));
	maint_set(&m, "web", false);
	assert_int_equal(maint_save(path, &m), 0);
	assert_int_equal(stat(path, &st), -1);
	assert_int_equal(maint_load(path, &back, &bad), 0);
	assert_int_equal(back.n, 0);
	maint_free(&m);
	maint_free(&back);
	assert_int_equal(rmdir(dir), 0); /* no temporary file left behind */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_on_and_off_by_name),
		cmocka_unit_test(test_bad_names_are_refused),
		cmocka_unit_test(test_text_round_trips),
		cmocka_unit_test(test_parse_skips_comments_blanks_and_trims),
		cmocka_unit_test(test_path_follows_the_pid_file),
		cmocka_unit_test(test_file_save_load_and_empty_removes_it),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
