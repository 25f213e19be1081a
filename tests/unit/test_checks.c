/*
 * Native checks on the event loop against servers in this process on
 * loopback: verdicts, reasons, time limits, and that a silent server never
 * holds up the loop. Everything runs on one loop, the servers included.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "checks.h"
#include "log.h"
#include "logcapture.h"

#define TICK_US 10000

enum server_mode { SERVE_ANSWER, SERVE_SILENT };

struct server {
	int lfd;
	uint16_t port;
	enum server_mode mode;
	const char *answer;
	int clients[64];
	size_t nclients;
	size_t accepted;
	char req[1024];
	size_t reqlen;
	struct loop *loop;
};

struct fixture {
	struct loop *loop;
	struct server srv;
	struct cfg_script script;
	struct check check;
	int flips;
	struct captured log;
};

static void client_readable(struct loop *l, int fd, uint32_t events, void *arg)
{
	struct server *s = arg;
	ssize_t n;

	(void)events;
	n = read(fd, s->req + s->reqlen, sizeof(s->req) - 1 - s->reqlen);
	if (n > 0)
		s->reqlen += (size_t)n;
	s->req[s->reqlen] = '\0';
	if (n > 0 && !strstr(s->req, "\r\n\r\n"))
		return;
	if (n > 0 && s->answer)
		assert_int_equal(write(fd, s->answer, strlen(s->answer)), (ssize_t)strlen(s->answer));
	loop_del_fd(l, fd);
	close(fd);
	for (size_t i = 0; i < s->nclients; i++)
		if (s->clients[i] == fd)
			s->clients[i] = -1;
}

static void server_accept(struct loop *l, int fd, uint32_t events, void *arg)
{
	struct server *s = arg;
	int c = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

	(void)events;
	if (c < 0)
		return;
	s->accepted++;
	assert_true(s->nclients < sizeof(s->clients) / sizeof(s->clients[0]));
	s->clients[s->nclients++] = c;
	if (s->mode == SERVE_ANSWER) {
		s->reqlen = 0;
		assert_int_equal(loop_add_fd(l, c, EPOLLIN, client_readable, s), 0);
	}
}

static int server_open(struct server *s, struct loop *l, int family)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t len = family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
	int fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	ss.ss_family = (sa_family_t)family;
	if (family == AF_INET6)
		((struct sockaddr_in6 *)&ss)->sin6_addr = in6addr_loopback;
	else
		((struct sockaddr_in *)&ss)->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, 16) < 0 ||
	    getsockname(fd, (struct sockaddr *)&ss, &len) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	s->port = ntohs(family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
					   : ((struct sockaddr_in *)&ss)->sin_port);
	s->lfd = fd;
	s->loop = l;
	return loop_add_fd(l, fd, EPOLLIN, server_accept, s);
}

static void server_close(struct server *s)
{
	for (size_t i = 0; i < s->nclients; i++) {
		if (s->clients[i] < 0)
			continue;
		loop_del_fd(s->loop, s->clients[i]);
		close(s->clients[i]);
	}
	if (s->lfd >= 0) {
		loop_del_fd(s->loop, s->lfd);
		close(s->lfd);
	}
	s->lfd = -1;
	s->nclients = 0;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->loop = loop_new();
	assert_non_null(f->loop);
	f->srv.lfd = -1;
	log_set_sink(capture_sink, &f->log);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	check_stop(&f->check);
	server_close(&f->srv);
	loop_free(f->loop);
	log_set_sink(NULL, NULL);
	capture_clear(&f->log);
	free(f->log.lines);
	free(f->log.levels);
	free(f);
	return 0;
}

static void on_changed(struct check *c, void *arg)
{
	struct fixture *f = arg;

	(void)c;
	f->flips++;
}

/* A check of host:PORT/path (the test server's port) with rise 1, fall 1, every 50 ms, time limit timeout_ms. */
static void start(struct fixture *f, const char *host, const char *path, bool init_fail,
		  int timeout_ms)
{
	struct script_opts opts = { 0 };
	char err[160];
	char target[128];

	snprintf(f->script.name, sizeof(f->script.name), "chk_native");
	f->script.interval_us = 50000;
	f->script.timeout_us = (uint64_t)timeout_ms * 1000;
	f->script.rise = 1;
	f->script.fall = 1;
	f->script.init_fail = init_fail;
	snprintf(target, sizeof(target), "%s:%u%s", host, f->srv.port, path);
	if (strncmp(target, "http://", 7) == 0)
		assert_int_equal(probe_parse_http_url(target, &f->script.probe, err, sizeof(err)),
				 0);
	else
		assert_int_equal(probe_parse_tcp(target, &f->script.probe, err, sizeof(err)), 0);
	assert_int_equal(check_start_script(&f->check, f->loop, &f->script, &opts, on_changed, f),
			 0);
	check_run(&f->check, true);
}

/* Run the loop until the check has flipped `flips` times or max_ms passed. */
static void run_until_flips(struct fixture *f, int flips, int max_ms)
{
	uint64_t end = loop_now_us() + (uint64_t)max_ms * 1000;

	while (f->flips < flips && loop_now_us() < end)
		assert_int_equal(loop_run_once(f->loop, TICK_US), 0);
}

static void run_for(struct fixture *f, int ms)
{
	uint64_t end = loop_now_us() + (uint64_t)ms * 1000;

	while (loop_now_us() < end)
		assert_int_equal(loop_run_once(f->loop, TICK_US), 0);
}

static void test_tcp_connect_to_a_listening_port_is_up(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(server_open(&f->srv, f->loop, AF_INET), 0);
	f->srv.mode = SERVE_SILENT;
	start(f, "127.0.0.1", "", true, 500);
	run_until_flips(f, 1, 2000);
	assert_true(f->check.state.up);
	assert_true(f->srv.accepted >= 1);
	assert_int_equal(f->check.fd, -1); /* nothing left open once judged */
}

static void test_tcp_connect_refused_is_down_with_the_reason(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(server_open(&f->srv, f->loop, AF_INET), 0);
	server_close(&f->srv); /* the port is now closed */
	start(f, "127.0.0.1", "", false, 500);
	run_until_flips(f, 1, 2000);
	assert_false(f->check.state.up);
	assert_non_null(strstr(f->check.last_error, "Connection refused"));
	assert_non_null(strstr(f->check.last_error, "127.0.0.1:"));
}

static void test_http_get_answered_200_is_up(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(server_open(&f->srv, f->loop, AF_INET), 0);
	f->srv.answer = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
	start(f, "http://127.0.0.1", "/healthz", true, 500);
	run_until_flips(f, 1, 2000);
	assert_true(f->check.state.up);
	assert_non_null(strstr(f->srv.req, "GET /healthz HTTP/1.0\r\n"));
}

static void test_http_get_answered_503_is_down_naming_the_status(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(server_open(&f->srv, f->loop, AF_INET), 0);
	f->srv.answer = "HTTP/1.1 503 Service Unavailable\r\n\r\n";
	start(f, "http://127.0.0.1", "/", false, 500);
	run_until_flips(f, 1, 2000);
	assert_false(f->check.state.up);
	assert_string_equal(f->check.last_error, "status 503");
	assert_true(capture_index(&f->log, "vrrp_script chk_native: up -> down: status 503") >= 0);
}

static void test_http_get_body_text_is_looked_for(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(server_open(&f->srv, f->loop, AF_INET), 0);
	f->srv.answer = "HTTP/1.1 200 OK\r\n\r\nstarting";
	strcpy(f->script.probe.body_contains, "ready");
	start(f, "http://127.0.0.1", "/", false, 500);
	run_until_flips(f, 1, 2000);
	assert_false(f->check.state.up);
	assert_non_null(strstr(f->check.last_error, "does not contain \"ready\""));
}

static void test_http_get_over_ipv6_loopback(void **state)
{
	struct fixture *f = *state;

	if (server_open(&f->srv, f->loop, AF_INET6) < 0)
		skip();
	f->srv.answer = "HTTP/1.0 204 No Content\r\n\r\n";
	start(f, "http://[::1]", "/", true, 500);
	run_until_flips(f, 1, 2000);
	assert_true(f->check.state.up);
}

struct ticker {
	struct loop_timer t;
	uint64_t last_us;
	uint64_t max_gap_us;
	int fired;
};

static void ticker_fire(struct loop *l, struct loop_timer *t, void *arg)
{
	struct ticker *k = arg;
	uint64_t now = loop_now_us();

	if (k->last_us && now - k->last_us > k->max_gap_us)
		k->max_gap_us = now - k->last_us;
	k->last_us = now;
	k->fired++;
	loop_timer_arm(l, t, now + TICK_US);
}

static void test_silent_server_times_out_without_holding_the_loop(void **state)
{
	struct fixture *f = *state;
	struct ticker k = { 0 };
	uint64_t t0;

	assert_int_equal(server_open(&f->srv, f->loop, AF_INET), 0);
	f->srv.mode = SERVE_SILENT; /* accepts, never reads, never answers */
	loop_timer_init(&k.t, ticker_fire, &k);
	loop_timer_arm(f->loop, &k.t, loop_now_us());
	t0 = loop_now_us();
	start(f, "http://127.0.0.1", "/", false, 200);
	run_until_flips(f, 1, 3000);
	assert_false(f->check.state.up);
	assert_true(loop_now_us() - t0 >= 200000);
	assert_non_null(strstr(f->check.last_error, "no answer within its timeout of 0.20 s"));
	/* the 10 ms timer kept firing while the check waited */
	assert_true(k.fired >= 10);
	print_message("longest gap between 10 ms timers: %llu us\n",
		      (unsigned long long)k.max_gap_us);
	assert_true(k.max_gap_us < 100000);
	loop_timer_cancel(f->loop, &k.t);
}

static void test_a_run_still_in_flight_is_not_doubled(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(server_open(&f->srv, f->loop, AF_INET), 0);
	f->srv.mode = SERVE_SILENT;
	/* interval 50 ms, time limit 300 ms: ticks during a run start nothing */
	start(f, "http://127.0.0.1", "/", false, 300);
	run_for(f, 250);
	assert_int_equal(f->srv.accepted, 1);
	assert_int_equal(f->check.probe_runs, 1);
}

static void test_stop_closes_a_connection_in_flight(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(server_open(&f->srv, f->loop, AF_INET), 0);
	f->srv.mode = SERVE_SILENT;
	start(f, "http://127.0.0.1", "/", false, 1000);
	run_for(f, 60);
	assert_true(f->check.fd >= 0);
	check_stop(&f->check);
	assert_int_equal(f->check.fd, -1);
	assert_false(loop_timer_armed(&f->check.limit));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_tcp_connect_to_a_listening_port_is_up, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_tcp_connect_refused_is_down_with_the_reason,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_http_get_answered_200_is_up, setup, teardown),
		cmocka_unit_test_setup_teardown(test_http_get_answered_503_is_down_naming_the_status,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_http_get_body_text_is_looked_for, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_http_get_over_ipv6_loopback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_silent_server_times_out_without_holding_the_loop,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_run_still_in_flight_is_not_doubled, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_stop_closes_a_connection_in_flight, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
