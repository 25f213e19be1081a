/*
 * checks.c - vrrp_script runs and track_gateway ICMP probes on the event
 * loop. Results go through the rise/fall arithmetic in track.c; only a
 * flipped verdict reaches the daemon.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/icmp6.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "checks.h"
#include "log.h"

#define ICMP_ECHO_LEN 16 /* header 8 + 8 bytes of payload */

static void check_report(struct check *c, bool ok)
{
	bool was_up = c->state.up;

	c->runs++;
	c->last_ok = ok;
	if (!ok)
		c->failures++;
	if (!track_result(&c->state, ok))
		return;
	log_notice("%s %s: %s -> %s%s%s", c->kind == CHECK_SCRIPT ? "vrrp_script" : "track_gateway",
		   c->name, was_up ? "up" : "down", c->state.up ? "up" : "down",
		   c->state.up ? "" : ": ", c->state.up ? "" : c->last_error);
	c->changed(c, c->arg);
}

/* ------------------------------------------------------------ native probes */

/*
 * A native check is one non-blocking TCP connection per run: connect,
 * for http_get write the request and read the answer into a bounded
 * buffer, judge it (probe.c), close. The time limit covers the whole run,
 * so a server that accepts and never answers costs one descriptor until
 * then and never the loop's time.
 */

static void probe_close(struct check *c)
{
	loop_timer_cancel(c->loop, &c->limit);
	if (c->fd >= 0) {
		loop_del_fd(c->loop, c->fd);
		close(c->fd);
		c->fd = -1;
	}
}

static void probe_finish(struct check *c, bool ok, const char *why)
{
	bool changed = ok != c->last_ok || strcmp(why, c->last_error) != 0;

	c->last_runtime_us = loop_now_us() - c->sent_us;
	probe_close(c);
	if (ok) {
		c->last_error[0] = '\0';
	} else {
		if (changed)
			log_info("vrrp_script %s failed: %s", c->name, why);
		snprintf(c->last_error, sizeof(c->last_error), "%s", why);
	}
	check_report(c, ok);
}

static void probe_timeout(struct loop *l, struct loop_timer *t, void *arg)
{
	struct check *c = arg;
	char why[96];

	(void)l;
	(void)t;
	snprintf(why, sizeof(why), "no %s within its timeout of %.2f s",
		 c->probe->kind == PROBE_TCP_CONNECT || c->request_sent == 0 ? "connection"
									    : "answer",
		 (double)c->script->timeout_us / 1e6);
	probe_finish(c, false, why);
}

static void probe_read(struct check *c)
{
	char why[sizeof(c->last_error)];
	enum probe_verdict v;
	bool eof = false;
	ssize_t n;

	/* One read per wake-up: a chatty server gets no more of the loop than a quiet one. */
	n = read(c->fd, c->answer + c->answer_len, PROBE_RESPONSE_MAX - c->answer_len);
	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		snprintf(why, sizeof(why), "reading the answer: %s", strerror(errno));
		probe_finish(c, false, why);
		return;
	}
	if (n == 0)
		eof = true;
	c->answer_len += (size_t)n;
	v = probe_http_judge(c->probe, c->answer, c->answer_len, eof,
			     c->answer_len == PROBE_RESPONSE_MAX, why, sizeof(why));
	if (v != PROBE_PENDING)
		probe_finish(c, v == PROBE_UP, why);
}

static size_t probe_request_len(const struct check *c)
{
	char req[PROBE_REQUEST_MAX];

	return probe_http_request(c->probe, req, sizeof(req));
}

static void probe_write(struct check *c)
{
	char req[PROBE_REQUEST_MAX];
	size_t len = probe_http_request(c->probe, req, sizeof(req));
	char why[sizeof(c->last_error)];
	ssize_t n;

	n = send(c->fd, req + c->request_sent, len - c->request_sent, MSG_NOSIGNAL);
	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		snprintf(why, sizeof(why), "sending the request: %s", strerror(errno));
		probe_finish(c, false, why);
		return;
	}
	c->request_sent += (size_t)n;
	if (c->request_sent == len) {
		shutdown(c->fd, SHUT_WR);
		loop_mod_fd(c->loop, c->fd, EPOLLIN);
	}
}

static void probe_ready(struct loop *l, int fd, uint32_t events, void *arg)
{
	struct check *c = arg;
	char why[sizeof(c->last_error)];
	int err = 0;
	socklen_t len = sizeof(err);

	(void)l;
	(void)events;
	if (c->connected) {
		if (c->request_sent < probe_request_len(c))
			probe_write(c);
		else
			probe_read(c);
		return;
	}
	/* Writable for the first time: the connection is made or has failed. */
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	if (err) {
		snprintf(why, sizeof(why), "cannot connect to %s: %s", c->probe->host,
			 strerror(err));
		probe_finish(c, false, why);
		return;
	}
	c->connected = true;
	if (c->probe->kind == PROBE_TCP_CONNECT) {
		probe_finish(c, true, "");
		return;
	}
	probe_write(c);
}

static int probe_connect(struct check *c)
{
	const struct probe_spec *p = c->probe;
	struct sockaddr_storage ss = { 0 };
	socklen_t sslen;
	int one = 1;
	int fd;

	if (p->addr.family == AF_INET6) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = p->addr.v6;
		sin6->sin6_port = htons(p->port);
		sslen = sizeof(*sin6);
	} else {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		sin->sin_addr = p->addr.v4;
		sin->sin_port = htons(p->port);
		sslen = sizeof(*sin);
	}
	fd = socket(p->addr.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, (struct sockaddr *)&ss, sslen) < 0 && errno != EINPROGRESS) {
		int err = -errno;

		close(fd);
		return err;
	}
	/* Even an immediate success is reported through EPOLLOUT: one path for both. */
	if (loop_add_fd(c->loop, fd, EPOLLOUT, probe_ready, c) < 0) {
		int err = -errno;

		close(fd);
		return err ? err : -EIO;
	}
	c->fd = fd;
	return 0;
}

static void probe_tick(struct loop *l, struct loop_timer *t, void *arg)
{
	struct check *c = arg;
	uint64_t now = loop_now_us();
	char why[sizeof(c->last_error)];
	int err;

	loop_timer_arm(l, t, now + c->script->interval_us);
	if (c->fd >= 0)
		return; /* still running: its time limit will end it */
	c->sent_us = now;
	c->answer_len = 0;
	c->request_sent = 0;
	c->connected = false;
	c->probe_runs++;
	err = probe_connect(c);
	if (err < 0) {
		snprintf(why, sizeof(why), "cannot connect to %s: %s", c->probe->host,
			 strerror(-err));
		c->sent_us = loop_now_us();
		probe_finish(c, false, why);
		return;
	}
	loop_timer_arm(l, &c->limit, now + c->script->timeout_us);
}

static int probe_start(struct check *c)
{
	loop_timer_init(&c->timer, probe_tick, c);
	loop_timer_init(&c->limit, probe_timeout, c);
	if (c->probe->kind == PROBE_HTTP_GET) {
		c->answer = malloc(PROBE_RESPONSE_MAX);
		if (!c->answer)
			return -ENOMEM;
	}
	return 0;
}

/* ------------------------------------------------------------------ scripts */

static void script_describe(const struct script_result *res, const struct check *c, char *buf,
			    size_t size)
{
	buf[0] = '\0';
	switch (res->outcome) {
	case SCRIPT_EXITED:
		snprintf(buf, size, "exit status %d", res->exit_status);
		break;
	case SCRIPT_SIGNALED:
		snprintf(buf, size, "killed by signal %d", res->exit_status);
		break;
	case SCRIPT_TIMEOUT:
		snprintf(buf, size, "no answer within its timeout of %.2f s, killed",
			 (double)c->script->timeout_us / 1e6);
		break;
	case SCRIPT_EXEC_FAILED:
		snprintf(buf, size, "cannot execute %s: %s", c->argv[0],
			 strerror(res->exit_status));
		break;
	}
}

static void script_done(const struct script_result *res, void *arg)
{
	struct check *c = arg;
	bool ok = res->outcome == SCRIPT_EXITED && res->exit_status == 0;
	char why[sizeof(c->last_error)];

	c->run = NULL;
	c->last_runtime_us = res->runtime_us;
	if (!ok) {
		script_describe(res, c, why, sizeof(why));
		/* A script that cannot run at all is a configuration problem: say so loudly, once. */
		if (strcmp(why, c->last_error) != 0)
			log_msg(res->outcome == SCRIPT_EXEC_FAILED ? LOG_ERR : LOG_INFO,
				"vrrp_script %s failed: %s", c->name, why);
		snprintf(c->last_error, sizeof(c->last_error), "%s", why);
	} else {
		c->last_error[0] = '\0';
	}
	check_report(c, ok);
}

static void script_tick(struct loop *l, struct loop_timer *t, void *arg)
{
	struct check *c = arg;
	uint64_t now = loop_now_us();

	loop_timer_arm(l, t, now + c->script->interval_us);
	if (c->run)
		return; /* still running: its time limit will end it */
	c->run = script_start(l, c->argv, &c->opts, script_done, c);
	if (!c->run) {
		snprintf(c->last_error, sizeof(c->last_error), "cannot start: %s", strerror(errno));
		log_err("vrrp_script %s: %s", c->name, c->last_error);
		check_report(c, false);
	}
}

static bool script_is_safe(struct check *c)
{
	char why[256];
	int err = script_check_security(c->argv[0], why, sizeof(why));

	if (err == 0)
		return true;
	snprintf(c->last_error, sizeof(c->last_error), "refused by enable_script_security");
	log_err("vrrp_script %s: refusing to run %s: %s (enable_script_security is set; make the script and its directories writable by root only)",
		c->name, c->argv[0], err == -EPERM ? why : strerror(-err));
	return false;
}

int check_start_script(struct check *c, struct loop *l, const struct cfg_script *s,
		       const struct script_opts *opts, check_changed_cb cb, void *arg)
{
	memset(c, 0, sizeof(*c));
	c->kind = CHECK_SCRIPT;
	c->name = s->name;
	c->script = s;
	c->loop = l;
	c->fd = -1;
	c->changed = cb;
	c->arg = arg;
	c->opts = *opts;
	c->opts.timeout_us = s->timeout_us;
	c->opts.log_tag = s->name;
	track_init(&c->state, s->rise, s->fall, s->init_fail);
	if (s->probe.kind != PROBE_NONE) {
		c->probe = &s->probe;
		return probe_start(c);
	}
	loop_timer_init(&c->timer, script_tick, c);
	c->argv = script_split(s->command, NULL);
	if (!c->argv) {
		log_err("vrrp_script %s: cannot split the script line '%s' (unbalanced quote?)",
			s->name, s->command);
		return -EINVAL;
	}
	return 0;
}

/* Separate from start so the daemon can take the initial verdicts into account first. */
static void check_first_run(struct check *c, bool secure)
{
	if (!secure) {
		/* Never run it: the check stays down, whatever init_fail says. */
		bool was_up = c->state.up;

		c->state.up = false;
		c->last_ok = false;
		if (was_up)
			c->changed(c, c->arg);
		return;
	}
	loop_timer_arm(c->loop, &c->timer, loop_now_us());
}

/* ----------------------------------------------------------------- gateways */

static uint16_t inet_csum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)(p[len - 1] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void gateway_send(struct check *c)
{
	const struct cfg_gateway *g = c->gateway;
	uint8_t pkt[ICMP_ECHO_LEN] = { 0 };
	struct sockaddr_storage ss = { 0 };
	socklen_t sslen;
	uint16_t csum;

	c->probe_seq++;
	pkt[0] = g->addr.family == AF_INET6 ? ICMP6_ECHO_REQUEST : ICMP_ECHO;
	pkt[4] = (uint8_t)(c->probe_id >> 8);
	pkt[5] = (uint8_t)c->probe_id;
	pkt[6] = (uint8_t)(c->probe_seq >> 8);
	pkt[7] = (uint8_t)c->probe_seq;
	memcpy(pkt + 8, "vipd-gw", 7);
	if (g->addr.family == AF_INET6) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = g->addr.v6;
		sslen = sizeof(*sin6);
		/* the kernel computes the ICMPv6 checksum */
	} else {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		sin->sin_addr = g->addr.v4;
		sslen = sizeof(*sin);
		csum = inet_csum(pkt, sizeof(pkt));
		pkt[2] = (uint8_t)(csum >> 8);
		pkt[3] = (uint8_t)csum;
	}
	c->sent_us = loop_now_us();
	c->awaiting = true;
	if (sendto(c->fd, pkt, sizeof(pkt), 0, (struct sockaddr *)&ss, sslen) < 0)
		snprintf(c->last_error, sizeof(c->last_error), "cannot send echo request: %s",
			 strerror(errno));
}

static void gateway_tick(struct loop *l, struct loop_timer *t, void *arg)
{
	struct check *c = arg;
	const struct cfg_gateway *g = c->gateway;
	uint64_t now = loop_now_us();
	uint64_t next;

	if (c->awaiting) {
		/* The probe's time limit passed without an answer. */
		c->awaiting = false;
		if (c->last_error[0] == '\0' || strncmp(c->last_error, "cannot", 6) != 0)
			snprintf(c->last_error, sizeof(c->last_error), "no echo reply within %.2f s",
				 (double)g->timeout_us / 1e6);
		check_report(c, false);
		next = c->sent_us + g->interval_us;
		loop_timer_arm(l, t, next > now ? next : now);
		return;
	}
	gateway_send(c);
	loop_timer_arm(l, t, now + (g->timeout_us < g->interval_us ? g->timeout_us : g->interval_us));
}

/* Is this datagram the echo reply to our outstanding probe? */
static bool gateway_is_reply(const struct check *c, const uint8_t *buf, size_t len,
			     const struct sockaddr_storage *from)
{
	const struct cfg_gateway *g = c->gateway;
	const uint8_t *icmp = buf;

	if (g->addr.family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)from;
		size_t ihl;

		if (len < 20 || sin->sin_addr.s_addr != g->addr.v4.s_addr)
			return false;
		ihl = (size_t)(buf[0] & 0x0f) * 4;
		if (len < ihl + 8)
			return false;
		icmp = buf + ihl;
		len -= ihl;
		if (icmp[0] != ICMP_ECHOREPLY)
			return false;
	} else {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)from;

		if (len < 8 || memcmp(&sin6->sin6_addr, &g->addr.v6, sizeof(g->addr.v6)) != 0)
			return false;
		if (icmp[0] != ICMP6_ECHO_REPLY)
			return false;
	}
	return (uint16_t)(icmp[4] << 8 | icmp[5]) == c->probe_id &&
	       (uint16_t)(icmp[6] << 8 | icmp[7]) == c->probe_seq;
}

static void gateway_readable(struct loop *l, int fd, uint32_t events, void *arg)
{
	struct check *c = arg;
	uint8_t buf[1500];

	(void)events;
	for (int i = 0; i < 64; i++) {
		struct sockaddr_storage from;
		socklen_t fromlen = sizeof(from);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fromlen);
		uint64_t next;

		if (n < 0)
			return;
		if (!c->awaiting || !gateway_is_reply(c, buf, (size_t)n, &from))
			continue;
		c->awaiting = false;
		c->last_runtime_us = loop_now_us() - c->sent_us;
		c->last_error[0] = '\0';
		check_report(c, true);
		next = c->sent_us + c->gateway->interval_us;
		loop_timer_arm(l, &c->timer, next);
	}
}

static int gateway_open(struct check *c, const char *dev)
{
	const struct cfg_gateway *g = c->gateway;
	bool v6 = g->addr.family == AF_INET6;
	int fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
			v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP);

	if (fd < 0)
		return -errno;
	if (v6) {
		struct icmp6_filter filter;

		ICMP6_FILTER_SETBLOCKALL(&filter);
		ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &filter);
		setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &filter, sizeof(filter));
	}
	if (dev && dev[0] &&
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, dev, (socklen_t)strlen(dev) + 1) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	c->fd = fd;
	return 0;
}

int check_start_gateway(struct check *c, struct loop *l, const struct cfg_gateway *g,
			const char *dev_ifname, check_changed_cb cb, void *arg)
{
	static uint16_t next_id;
	const char *dev = g->dev[0] ? g->dev : dev_ifname;
	int err;

	memset(c, 0, sizeof(*c));
	c->kind = CHECK_GATEWAY;
	c->name = g->name;
	c->gateway = g;
	c->loop = l;
	c->fd = -1;
	c->changed = cb;
	c->arg = arg;
	c->probe_id = (uint16_t)((unsigned)getpid() * 31u + next_id++);
	track_init(&c->state, g->rise, g->fall, false);
	loop_timer_init(&c->timer, gateway_tick, c);
	err = gateway_open(c, dev);
	if (err < 0) {
		log_err("track_gateway %s: cannot open an ICMP socket%s%s: %s", g->name,
			dev ? " on " : "", dev ? dev : "", strerror(-err));
		return err;
	}
	err = loop_add_fd(l, c->fd, EPOLLIN, gateway_readable, c);
	if (err < 0) {
		close(c->fd);
		c->fd = -1;
		return err;
	}
	return 0;
}

void check_run(struct check *c, bool enable_script_security)
{
	bool secure = true;

	if (c->kind == CHECK_SCRIPT && !c->probe && enable_script_security)
		secure = script_is_safe(c);
	check_first_run(c, secure);
}

void check_stop(struct check *c)
{
	if (!c->loop)
		return;
	loop_timer_cancel(c->loop, &c->timer);
	if (c->probe)
		probe_close(c);
	free(c->answer);
	c->answer = NULL;
	if (c->run) {
		script_cancel(c->loop, c->run);
		c->run = NULL;
	}
	if (c->fd >= 0) {
		loop_del_fd(c->loop, c->fd);
		close(c->fd);
		c->fd = -1;
	}
	script_argv_free(c->argv);
	c->argv = NULL;
	c->loop = NULL;
}
