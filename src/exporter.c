/*
 * exporter.c - "vipctl metrics --listen ADDR:PORT": a small HTTP server
 * that answers GET /metrics with the daemon's metrics, read from the
 * control socket at each scrape. It needs no privilege beyond reading the
 * control socket, which a vipd started with --status-group opens to that
 * group: run it as an unprivileged user in the group.
 *
 * One connection at a time, each bounded by a short timeout: Prometheus
 * scrapes rarely and a stuck client costs at most a few seconds.
 */
#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "exporter.h"

#define REQUEST_MAX 8192
#define IO_TIMEOUT_S 3
#define METRICS_MAX (16u << 20)

struct buf {
	char *s;
	size_t len;
	size_t cap;
};

static bool buf_add(struct buf *b, const void *data, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 65536;
		char *s;

		while (cap < b->len + n + 1)
			cap *= 2;
		s = realloc(b->s, cap);
		if (!s)
			return false;
		b->s = s;
		b->cap = cap;
	}
	memcpy(b->s + b->len, data, n);
	b->len += n;
	b->s[b->len] = '\0';
	return true;
}

static void set_timeouts(int fd)
{
	struct timeval tv = { .tv_sec = IO_TIMEOUT_S };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

/*
 * The daemon's metrics into b. Returns true, or false with the reason in
 * err (the daemon is not running, the socket refused us, ...).
 */
static bool fetch_metrics(const char *path, struct buf *b, char *err, size_t errsize)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char chunk[65536];
	ssize_t n;
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		snprintf(err, errsize, "socket path too long: %s", path);
		return false;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errsize, "socket: %s", strerror(errno));
		return false;
	}
	set_timeouts(fd);
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		snprintf(err, errsize, "cannot connect to %s: %s%s", path, strerror(errno),
			 errno == EACCES ? " (is this user in vipd's --status-group?)" : "");
		close(fd);
		return false;
	}
	if (write(fd, "metrics\n", 8) != 8) {
		snprintf(err, errsize, "write to %s: %s", path, strerror(errno));
		close(fd);
		return false;
	}
	shutdown(fd, SHUT_WR);
	while ((n = read(fd, chunk, sizeof(chunk))) > 0) {
		if (b->len + (size_t)n > METRICS_MAX || !buf_add(b, chunk, (size_t)n)) {
			snprintf(err, errsize, "answer from %s too large", path);
			close(fd);
			return false;
		}
	}
	close(fd);
	if (n < 0) {
		snprintf(err, errsize, "read from %s: %s", path, strerror(errno));
		return false;
	}
	if (b->len == 0) {
		snprintf(err, errsize, "vipd closed %s without answering", path);
		return false;
	}
	if (b->len >= 6 && memcmp(b->s, "error ", 6) == 0) {
		snprintf(err, errsize, "vipd refused: %.*s", (int)strcspn(b->s + 6, "\n"), b->s + 6);
		return false;
	}
	return true;
}

static void write_all(int fd, const char *s, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, s, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		s += n;
		len -= (size_t)n;
	}
}

static void respond(int fd, const char *status, const char *type, const char *body, size_t len,
		    bool head)
{
	char hdr[256];
	int n = snprintf(hdr, sizeof(hdr),
			 "HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
			 "Connection: close\r\n\r\n",
			 status, type, len);

	write_all(fd, hdr, (size_t)n);
	if (!head)
		write_all(fd, body, len);
}

static const char up_help[] =
	"# HELP vipd_up 1 when the exporter could read vipd's metrics, 0 when vipd did not "
	"answer.\n# TYPE vipd_up gauge\n";

static void serve(int fd, const char *sock)
{
	static const char text[] = "text/plain; charset=utf-8";
	char req[REQUEST_MAX + 1], method[16], target[256], err[512], line[64];
	struct buf b = { 0 };
	size_t len = 0;
	bool head;

	while (len < REQUEST_MAX) {
		ssize_t n = read(fd, req + len, REQUEST_MAX - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		req[len] = '\0';
		if (strstr(req, "\r\n\r\n") || strstr(req, "\n\n"))
			break;
	}
	req[len] = '\0';
	if (sscanf(req, "%15s %255s", method, target) != 2) {
		respond(fd, "400 Bad Request", text, "bad request\n", 12, false);
		return;
	}
	head = strcmp(method, "HEAD") == 0;
	if (!head && strcmp(method, "GET") != 0) {
		respond(fd, "405 Method Not Allowed", text, "GET or HEAD only\n", 17, false);
		return;
	}
	target[strcspn(target, "?")] = '\0';
	if (strcmp(target, "/") == 0) {
		static const char page[] = "vipd metrics exporter: see /metrics\n";

		respond(fd, "200 OK", text, page, sizeof(page) - 1, head);
		return;
	}
	if (strcmp(target, "/metrics") != 0) {
		respond(fd, "404 Not Found", text, "not found: try /metrics\n", 24, head);
		return;
	}
	if (fetch_metrics(sock, &b, err, sizeof(err))) {
		snprintf(line, sizeof(line), "vipd_up 1\n");
	} else {
		fprintf(stderr, "vipctl: scrape: %s\n", err);
		b.len = 0;
		snprintf(line, sizeof(line), "vipd_up 0\n");
	}
	if (!buf_add(&b, up_help, sizeof(up_help) - 1) || !buf_add(&b, line, strlen(line))) {
		respond(fd, "500 Internal Server Error", text, "out of memory\n", 14, head);
	} else {
		respond(fd, "200 OK", "text/plain; version=0.0.4; charset=utf-8", b.s, b.len,
			head);
	}
	free(b.s);
}

/* "ADDR:PORT", "[V6ADDR]:PORT" or ":PORT" (every address). */
static int open_listener(const char *spec)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_PASSIVE | AI_NUMERICSERV };
	struct addrinfo *res, *ai;
	char host[256];
	const char *colon = strrchr(spec, ':'), *port;
	size_t hlen;
	int fd = -1, rc, one = 1;

	if (!colon || !colon[1]) {
		fprintf(stderr, "vipctl: --listen %s: expected ADDR:PORT, [ADDR]:PORT or :PORT\n",
			spec);
		return -1;
	}
	port = colon + 1;
	hlen = (size_t)(colon - spec);
	if (hlen >= 2 && spec[0] == '[' && spec[hlen - 1] == ']') {
		spec++;
		hlen -= 2;
	}
	if (hlen >= sizeof(host)) {
		fprintf(stderr, "vipctl: --listen: address too long\n");
		return -1;
	}
	memcpy(host, spec, hlen);
	host[hlen] = '\0';
	rc = getaddrinfo(hlen ? host : NULL, port, &hints, &res);
	if (rc != 0) {
		fprintf(stderr, "vipctl: --listen %s:%s: %s\n", host, port, gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		if (fd < 0)
			continue;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 16) == 0)
			break;
		rc = errno;
		close(fd);
		fd = -1;
		errno = rc;
	}
	if (fd < 0)
		fprintf(stderr, "vipctl: --listen %s: %s\n", *host ? host : "(any)", strerror(errno));
	freeaddrinfo(res);
	return fd;
}

int exporter_run(const char *listen_spec, const char *sock)
{
	int lfd = open_listener(listen_spec);

	if (lfd < 0)
		return 2;
	signal(SIGPIPE, SIG_IGN);
	fprintf(stderr, "vipctl: serving http://%s/metrics from %s\n", listen_spec, sock);
	for (;;) {
		int cfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);

		if (cfd < 0) {
			if (errno == EINTR || errno == ECONNABORTED || errno == EMFILE ||
			    errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
				if (errno != EINTR && errno != ECONNABORTED)
					sleep(1); /* out of resources: do not spin */
				continue;
			}
			fprintf(stderr, "vipctl: accept: %s\n", strerror(errno));
			close(lfd);
			return 3;
		}
		set_timeouts(cfd);
		serve(cfd, sock);
		close(cfd);
	}
}
