/* test_jsonstr.c - JSON string literals: escaping and snprintf-like truncation */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "jsonstr.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define SENTINEL 'X'

struct quote_case {
	const char *in;
	const char *out;
};

static const struct quote_case quote_cases[] = {
	{ "", "\"\"" },
	{ "eth0", "\"eth0\"" },
	{ "192.0.2.100", "\"192.0.2.100\"" },
	{ "say \"hi\"", "\"say \\\"hi\\\"\"" },
	{ "C:\\vrrp", "\"C:\\\\vrrp\"" },
	{ "\\\"", "\"\\\\\\\"\"" },
	{ "line1\nline2", "\"line1\\u000aline2\"" },
	{ "\t\r\b\f", "\"\\u0009\\u000d\\u0008\\u000c\"" },
	{ "\x01\x1f", "\"\\u0001\\u001f\"" },
	{ "up\x1b[0m", "\"up\\u001b[0m\"" },
	/* not control characters in JSON's sense: they pass */
	{ " ~/\x7f", "\" ~/\x7f\"" },
	/* UTF-8 passes byte for byte, whatever its length */
	{ "caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x94\x91", "\"caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x94\x91\"" },
	/* so do bytes that are not valid UTF-8: nothing is invented */
	{ "\xff\xc3", "\"\xff\xc3\"" },
};

static void test_quote_escapes_quotes_backslashes_and_control_chars_only(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(quote_cases); i++) {
		const struct quote_case *c = &quote_cases[i];
		char buf[128];
		size_t n;

		memset(buf, SENTINEL, sizeof(buf));
		n = json_quote(buf, sizeof(buf), c->in);
		if (strcmp(buf, c->out) != 0 || n != strlen(c->out))
			fail_msg("case %zu: got %s (%zu), want %s (%zu)", i, buf, n, c->out,
				 strlen(c->out));
	}
}

struct cut_case {
	const char *in;
	size_t size;
	const char *out; /* what buf holds; NULL: nothing written at all */
	size_t ret;
};

static const struct cut_case cut_cases[] = {
	{ "abc", 0, NULL, 5 },
	{ "abc", 1, "", 5 },
	{ "abc", 2, "\"", 5 },
	{ "abc", 5, "\"abc", 5 },
	{ "abc", 6, "\"abc\"", 5 },
	/* cut inside an escape: bytes, as snprintf would */
	{ "a\nb", 4, "\"a\\", 10 },
	{ "a\nb", 8, "\"a\\u000", 10 },
	{ "a\nb", 11, "\"a\\u000ab\"", 10 },
	{ "\"", 3, "\"\\", 4 },
	/* and inside a UTF-8 sequence */
	{ "\xc3\xa9", 3, "\"\xc3", 4 },
};

static void test_quote_truncates_like_snprintf_and_writes_nothing_past_size(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cut_cases); i++) {
		const struct cut_case *c = &cut_cases[i];
		char buf[32];
		size_t n, k;

		memset(buf, SENTINEL, sizeof(buf));
		n = json_quote(buf, c->size, c->in);
		if (n != c->ret)
			fail_msg("case %zu: returned %zu, want %zu", i, n, c->ret);
		if (c->out && strcmp(buf, c->out) != 0)
			fail_msg("case %zu: got %s, want %s", i, buf, c->out);
		for (k = c->size; k < sizeof(buf); k++) {
			if (buf[k] != SENTINEL)
				fail_msg("case %zu: byte %zu written past size %zu", i, k, c->size);
		}
	}
}

static void test_quote_with_null_buffer_measures_the_literal(void **state)
{
	(void)state;
	assert_int_equal(json_quote(NULL, 0, ""), 2);
	assert_int_equal(json_quote(NULL, 0, "a\x01\"\\"), 13);
}

/*
 * Every byte value, checked against the rule both callers implemented by
 * hand before sharing this helper, so their output did not change.
 */
static void test_quote_matches_the_former_per_byte_rule_for_every_byte(void **state)
{
	(void)state;
	for (unsigned c = 1; c < 256; c++) {
		char in[2] = { (char)c, '\0' };
		char want[16], got[16];

		if (c == '"' || c == '\\')
			snprintf(want, sizeof(want), "\"\\%c\"", c);
		else if (c < 0x20)
			snprintf(want, sizeof(want), "\"\\u%04x\"", c);
		else
			snprintf(want, sizeof(want), "\"%c\"", c);
		json_quote(got, sizeof(got), in);
		assert_string_equal(got, want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quote_escapes_quotes_backslashes_and_control_chars_only),
		cmocka_unit_test(test_quote_truncates_like_snprintf_and_writes_nothing_past_size),
		cmocka_unit_test(test_quote_with_null_buffer_measures_the_literal),
		cmocka_unit_test(test_quote_matches_the_former_per_byte_rule_for_every_byte),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
