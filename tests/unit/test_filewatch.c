/*
 * test_filewatch.c - track_file on inotify: the value at start, a write,
 * a file renamed into place, a removed file (0), and init_file.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "filewatch.h"

#define WAIT_US 2000000ULL

struct seen {
	int calls;
	long value;
};

static void on_change(size_t idx, long value, void *arg)
{
	struct seen *s = arg;

	assert_int_equal(idx, 1);
	s->calls++;
	s->value = value;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static bool run_until(struct loop *l, struct seen *s, int calls)
{
	uint64_t end = loop_now_us() + WAIT_US;

	while (s->calls < calls && loop_now_us() < end)
		loop_run_once(l, 10000);
	return s->calls >= calls;
}

static void test_values_follow_writes_renames_and_removal(void **state)
{
	char dir[] = "/tmp/vipd-filewatch-XXXXXX", path[128], other[128], tmp[128];
	struct seen seen = { 0, 0 };
	struct loop *l;
	struct filewatch *fw;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/prio", dir);
	snprintf(other, sizeof(other), "%s/other", dir);
	snprintf(tmp, sizeof(tmp), "%s/prio.new", dir);
	write_file(path, "5\n");
	l = loop_new();
	fw = filewatch_new(l, on_change, &seen);
	assert_int_equal(filewatch_add(fw, other), 0);
	assert_int_equal(filewatch_add(fw, path), 1);
	assert_int_equal(filewatch_start(fw), 0);
	assert_int_equal(filewatch_value(fw, 1), 5);
	assert_int_equal(filewatch_value(fw, 0), 0); /* missing: 0 */

	write_file(path, "-20\n");
	assert_true(run_until(l, &seen, 1));
	assert_int_equal(seen.value, -20);

	write_file(tmp, "7");
	assert_int_equal(rename(tmp, path), 0);
	assert_true(run_until(l, &seen, 2));
	assert_int_equal(seen.value, 7);

	assert_int_equal(unlink(path), 0);
	assert_true(run_until(l, &seen, 3));
	assert_int_equal(seen.value, 0);

	filewatch_free(fw);
	loop_free(l);
	rmdir(dir);
}

static void test_init_file_creates_or_overwrites(void **state)
{
	char dir[] = "/tmp/vipd-filewatch-XXXXXX", path[128], buf[32] = "";
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/v", dir);
	assert_int_equal(filewatch_init_file(path, 3, false), 0);
	assert_int_equal(filewatch_init_file(path, 9, false), 0); /* exists: kept */
	f = fopen(path, "r");
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	assert_string_equal(buf, "3\n");
	assert_int_equal(filewatch_init_file(path, 9, true), 0);
	f = fopen(path, "r");
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	assert_string_equal(buf, "9\n");
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values_follow_writes_renames_and_removal),
		cmocka_unit_test(test_init_file_creates_or_overwrites),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
