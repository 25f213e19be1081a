/* Native checks, the pure half: targets, the request, the verdict on an answer. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "probe.h"

static void test_http_url_with_ipv4_and_path(void **state)
{
	struct probe_spec s = { 0 };
	char err[160];
	char ip[IPADDR_STRLEN];

	(void)state;
	assert_int_equal(probe_parse_http_url("http://127.0.0.1/healthz", &s, err, sizeof(err)), 0);
	assert_int_equal(s.kind, PROBE_HTTP_GET);
	assert_string_equal(ipaddr_str(&s.addr, ip, sizeof(ip)), "127.0.0.1");
	assert_int_equal(s.port, 80);
	assert_string_equal(s.host, "127.0.0.1");
	assert_string_equal(s.path, "/healthz");
}

static void test_http_url_with_ipv6_literal_and_port(void **state)
{
	struct probe_spec s = { 0 };
	char err[160];
	char ip[IPADDR_STRLEN];

	(void)state;
	assert_int_equal(probe_parse_http_url("http://[2001:db8::1]:8080/a?b=c#frag", &s, err,
					      sizeof(err)),
			 0);
	assert_int_equal(s.addr.family, AF_INET6);
	assert_string_equal(ipaddr_str(&s.addr, ip, sizeof(ip)), "2001:db8::1");
	assert_int_equal(s.port, 8080);
	assert_string_equal(s.host, "[2001:db8::1]:8080");
	assert_string_equal(s.path, "/a?b=c");
}

static void test_http_url_without_path_asks_for_root(void **state)
{
	struct probe_spec s = { 0 };
	char err[160];

	(void)state;
	assert_int_equal(probe_parse_http_url("HTTP://192.0.2.1:81", &s, err, sizeof(err)), 0);
	assert_string_equal(s.path, "/");
	assert_int_equal(s.port, 81);
	assert_int_equal(probe_parse_http_url("http://192.0.2.1?x=1", &s, err, sizeof(err)), 0);
	assert_string_equal(s.path, "/?x=1");
}

struct bad_target {
	const char *text;
	bool tcp;
	const char *says;
};

static const struct bad_target bad_targets[] = {
	{ "https://127.0.0.1/", false, "https is not supported" },
	{ "ftp://127.0.0.1/", false, "expected a URL starting with http://" },
	{ "127.0.0.1/healthz", false, "expected a URL starting with http://" },
	{ "http://localhost/", false, "names are not resolved" },
	{ "http://2001:db8::1/", false, "IPv6 goes in brackets" },
	{ "http://[2001:db8::1/", false, "missing ']'" },
	{ "http://[192.0.2.1]/", false, "is not an IPv6 address" },
	{ "http://127.0.0.1:0/", false, "from 1 to 65535" },
	{ "http://127.0.0.1:65536/", false, "from 1 to 65535" },
	{ "http://127.0.0.1:http/", false, "from 1 to 65535" },
	{ "http://user@127.0.0.1/", false, "user names" },
	{ "http:///x", false, "no address" },
	{ "http://127.0.0.1/a b", false, "%-encoded" },
	{ "127.0.0.1", true, "missing ':PORT'" },
	{ "[2001:db8::1]", true, "missing ':PORT'" },
	{ "[2001:db8::1]5432", true, "expected ':PORT' after ']'" },
	{ "db.example:5432", true, "is not an IPv4 address" },
	{ "127.0.0.1:99999", true, "from 1 to 65535" },
};

static void test_bad_targets_are_refused_with_a_reason(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_targets) / sizeof(bad_targets[0]); i++) {
		const struct bad_target *b = &bad_targets[i];
		struct probe_spec s = { 0 };
		char err[200] = "";
		int rc = b->tcp ? probe_parse_tcp(b->text, &s, err, sizeof(err))
				: probe_parse_http_url(b->text, &s, err, sizeof(err));

		if (rc != -EINVAL || !strstr(err, b->says))
			fail_msg("'%s': rc %d, message '%s', expected one saying '%s'", b->text, rc,
				 err, b->says);
		assert_int_equal(s.kind, PROBE_NONE);
	}
}

static void test_tcp_target_ipv4_and_ipv6(void **state)
{
	struct probe_spec s = { 0 };
	char err[160];
	char ip[IPADDR_STRLEN];

	(void)state;
	assert_int_equal(probe_parse_tcp("127.0.0.1:5432", &s, err, sizeof(err)), 0);
	assert_int_equal(s.kind, PROBE_TCP_CONNECT);
	assert_int_equal(s.port, 5432);
	assert_int_equal(probe_parse_tcp("[2001:db8::5]:22", &s, err, sizeof(err)), 0);
	assert_string_equal(ipaddr_str(&s.addr, ip, sizeof(ip)), "2001:db8::5");
	assert_int_equal(s.port, 22);
}

static void test_status_and_body_text_options(void **state)
{
	struct probe_spec s = { 0 };
	char err[160];
	char big[PROBE_BODY_TEXT_MAX + 1];

	(void)state;
	assert_int_equal(probe_parse_status("204", &s, err, sizeof(err)), 0);
	assert_int_equal(s.status, 204);
	assert_int_equal(probe_parse_status("99", &s, err, sizeof(err)), -EINVAL);
	assert_int_equal(probe_parse_status("600", &s, err, sizeof(err)), -EINVAL);
	assert_int_equal(probe_parse_status("20x", &s, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "'20x'"));
	assert_int_equal(probe_set_body_contains("ok", &s, err, sizeof(err)), 0);
	assert_string_equal(s.body_contains, "ok");
	assert_int_equal(probe_set_body_contains("", &s, err, sizeof(err)), -EINVAL);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(probe_set_body_contains(big, &s, err, sizeof(err)), -EINVAL);
}

static void test_request_is_http10_get_with_host_and_close(void **state)
{
	struct probe_spec s = { 0 };
	char err[160];
	char req[PROBE_REQUEST_MAX];
	size_t n;

	(void)state;
	assert_int_equal(probe_parse_http_url("http://[2001:db8::1]:8080/healthz", &s, err,
					      sizeof(err)),
			 0);
	n = probe_http_request(&s, req, sizeof(req));
	assert_true(n > 0);
	assert_int_equal(n, strlen(req));
	assert_memory_equal(req, "GET /healthz HTTP/1.0\r\nHost: [2001:db8::1]:8080\r\n", 49);
	assert_non_null(strstr(req, "Connection: close\r\n"));
	assert_string_equal(req + n - 4, "\r\n\r\n");
	assert_int_equal(probe_http_request(&s, req, 20), 0);
}

struct answer_case {
	const char *name;
	int status;        /* the spec's "status N", 0 = 2xx/3xx */
	const char *body;  /* the spec's body_contains, NULL = none */
	const char *answer;
	bool eof;
	bool full;
	enum probe_verdict verdict;
	const char *why; /* part of the reason */
};

static const struct answer_case answers[] = {
	{ "200 is up", 0, NULL, "HTTP/1.1 200 OK\r\n", false, false, PROBE_UP, "status 200" },
	{ "302 is up", 0, NULL, "HTTP/1.0 302 Found\r\nLocation: /\r\n", false, false, PROBE_UP,
	  "status 302" },
	{ "404 is down", 0, NULL, "HTTP/1.1 404 Not Found\r\n", false, false, PROBE_DOWN,
	  "status 404" },
	{ "503 is down", 0, NULL, "HTTP/1.1 503 Service Unavailable\r\n\r\n", true, false,
	  PROBE_DOWN, "status 503" },
	{ "status line without reason", 0, NULL, "HTTP/1.1 204\r\n", false, false, PROBE_UP,
	  "status 204" },
	{ "partial status line waits", 0, NULL, "HTTP/1.1 20", false, false, PROBE_PENDING, "" },
	{ "nothing yet waits", 0, NULL, "", false, false, PROBE_PENDING, "" },
	{ "closed without answer", 0, NULL, "", true, false, PROBE_DOWN, "without an answer" },
	{ "closed in the status line", 0, NULL, "HTTP/1.1 200", true, false, PROBE_DOWN,
	  "cut short" },
	{ "not http", 0, NULL, "SSH-2.0-OpenSSH_9.2\r\n", false, false, PROBE_DOWN,
	  "not an HTTP answer: \"SSH-2.0-OpenSSH_9.2\"" },
	{ "not http and no newline at eof", 0, NULL, "\x01\x02garbage", true, false, PROBE_DOWN,
	  "not an HTTP answer" },
	{ "bad status digits", 0, NULL, "HTTP/1.1 2x0 OK\r\n", false, false, PROBE_DOWN,
	  "not an HTTP answer" },
	{ "four-digit status", 0, NULL, "HTTP/1.1 2000 OK\r\n", false, false, PROBE_DOWN,
	  "not an HTTP answer" },
	{ "exact status wanted and got", 204, NULL, "HTTP/1.1 204 No Content\r\n", false, false,
	  PROBE_UP, "status 204" },
	{ "exact status wanted, other 2xx", 200, NULL, "HTTP/1.1 204 No Content\r\n", false, false,
	  PROBE_DOWN, "status 204, expected 200" },
	{ "exact status may be an error code", 503, NULL, "HTTP/1.1 503 Busy\r\n", false, false,
	  PROBE_UP, "status 503" },
	{ "body text found", 0, "ready", "HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\nis ready",
	  false, false, PROBE_UP, "body contains" },
	{ "body text found with bare newlines", 0, "ready", "HTTP/1.0 200 OK\nX: y\n\nready\n",
	  false, false, PROBE_UP, "body contains" },
	{ "body text in a header does not count", 0, "ready",
	  "HTTP/1.1 200 OK\r\nX-State: ready\r\n\r\nnot yet", true, false, PROBE_DOWN,
	  "does not contain \"ready\"" },
	{ "body text missing at eof", 0, "ready", "HTTP/1.1 200 OK\r\n\r\nstarting", true, false,
	  PROBE_DOWN, "does not contain" },
	{ "body text missing, content-length reached", 0, "ready",
	  "HTTP/1.1 200 OK\r\ncontent-length:  8\r\n\r\nstarting", false, false, PROBE_DOWN,
	  "does not contain" },
	{ "body text not yet, more to come", 0, "ready",
	  "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nstarting", false, false, PROBE_PENDING,
	  "" },
	{ "headers not finished wait", 0, "ready", "HTTP/1.1 200 OK\r\nServer: x\r\n", false, false,
	  PROBE_PENDING, "" },
	{ "headers never end", 0, "ready", "HTTP/1.1 200 OK\r\nServer: x\r\n", true, false,
	  PROBE_DOWN, "headers never ended" },
	{ "buffer full without the text", 0, "ready", "HTTP/1.1 200 OK\r\n\r\naaaa", false, true,
	  PROBE_DOWN, "in its first bytes" },
	{ "bad status with body text", 0, "ready", "HTTP/1.1 500 Oops\r\n\r\nready", true, false,
	  PROBE_DOWN, "status 500" },
};

static void test_answers_are_judged_as_the_table_says(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(answers) / sizeof(answers[0]); i++) {
		const struct answer_case *a = &answers[i];
		struct probe_spec s = { .kind = PROBE_HTTP_GET, .status = a->status };
		char why[200];
		enum probe_verdict v;

		if (a->body)
			strcpy(s.body_contains, a->body);
		v = probe_http_judge(&s, a->answer, strlen(a->answer), a->eof, a->full, why,
				     sizeof(why));
		if (v != a->verdict || !strstr(why, a->why))
			fail_msg("%s: verdict %d (%s), expected %d with '%s'", a->name, v, why,
				 a->verdict, a->why);
	}
}

static void test_judging_byte_by_byte_agrees_with_judging_at_once(void **state)
{
	static const char answer[] = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nready";
	struct probe_spec s = { .kind = PROBE_HTTP_GET };
	size_t len = strlen(answer);

	(void)state;
	strcpy(s.body_contains, "ready");
	for (size_t n = 0; n < len; n++)
		assert_int_equal(probe_http_judge(&s, answer, n, false, false, NULL, 0),
				 PROBE_PENDING);
	assert_int_equal(probe_http_judge(&s, answer, len, false, false, NULL, 0), PROBE_UP);
}

static void test_describe_names_kind_and_target(void **state)
{
	struct probe_spec s = { 0 };
	char err[160], buf[PROBE_HOST_MAX + PROBE_PATH_MAX + 32];

	(void)state;
	assert_int_equal(probe_parse_http_url("http://127.0.0.1/healthz", &s, err, sizeof(err)), 0);
	assert_string_equal(probe_describe(&s, buf, sizeof(buf)),
			    "http_get http://127.0.0.1/healthz");
	assert_int_equal(probe_parse_tcp("[2001:db8::1]:5432", &s, err, sizeof(err)), 0);
	assert_string_equal(probe_describe(&s, buf, sizeof(buf)), "tcp_connect [2001:db8::1]:5432");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_http_url_with_ipv4_and_path),
		cmocka_unit_test(test_http_url_with_ipv6_literal_and_port),
		cmocka_unit_test(test_http_url_without_path_asks_for_root),
		cmocka_unit_test(test_bad_targets_are_refused_with_a_reason),
		cmocka_unit_test(test_tcp_target_ipv4_and_ipv6),
		cmocka_unit_test(test_status_and_body_text_options),
		cmocka_unit_test(test_request_is_http10_get_with_host_and_close),
		cmocka_unit_test(test_answers_are_judged_as_the_table_says),
		cmocka_unit_test(test_judging_byte_by_byte_agrees_with_judging_at_once),
		cmocka_unit_test(test_describe_names_kind_and_target),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
