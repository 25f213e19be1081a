/*
 * evstream.c - event subscribers on the control socket.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "evstream.h"
#include "loop.h"

/* Lines waiting for the socket; small, so that a stuck reader falls behind the ring. */
#define SUB_BUF 4096

struct sub {
	struct evstream *es;
	int fd; /* -1 when the slot is free */
	bool json;
	bool want_out; /* EPOLLOUT requested */
	uint64_t cursor;
	char buf[SUB_BUF];
	size_t len, off;
};

struct evstream {
	struct loop *loop;
	struct evlog *log;
	struct sub subs[EVSTREAM_MAX_SUBSCRIBERS];
	uint64_t lost_total;
};

static void sub_drop(struct sub *s)
{
	if (s->fd < 0)
		return;
	loop_del_fd(s->es->loop, s->fd);
	close(s->fd);
	s->fd = -1;
}

/* Move whole lines from the ring into the buffer while they fit. */
static void sub_fill(struct sub *s)
{
	struct evstream *es = s->es;

	if (s->off == s->len)
		s->off = s->len = 0;
	for (;;) {
		char lost_line[128], line[EVLOG_LINE_MAX];
		uint64_t cursor = s->cursor, lost;
		const struct evlog_entry *e = evlog_next(es->log, &cursor, &lost);
		size_t room = SUB_BUF - s->len, ln = 0, n = 0;

		if (lost)
			ln = evlog_format_lost(lost, s->json, lost_line, sizeof(lost_line));
		if (e) {
			n = evlog_format(e, s->json, line, sizeof(line));
			if (n >= sizeof(line)) { /* cut, but still one line */
				n = sizeof(line) - 1;
				line[n - 1] = '\n';
			}
		}
		if (ln + n >= room) {
			/* No room for the event: say what was lost now, the event later. */
			if (lost && ln < room) {
				memcpy(s->buf + s->len, lost_line, ln);
				s->len += ln;
				es->lost_total += lost;
				s->cursor = e ? cursor - 1 : cursor;
			}
			return;
		}
		memcpy(s->buf + s->len, lost_line, ln);
		memcpy(s->buf + s->len + ln, line, n);
		s->len += ln + n;
		es->lost_total += lost;
		s->cursor = cursor;
		if (!e)
			return;
	}
}

static void sub_write(struct sub *s)
{
	for (;;) {
		ssize_t n;

		sub_fill(s);
		if (s->off == s->len)
			break;
		n = send(s->fd, s->buf + s->off, s->len - s->off, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0) {
			sub_drop(s);
			return;
		}
		s->off += (size_t)n;
	}
	/* Wait for room only while something is waiting for it. */
	if ((s->off < s->len) != s->want_out) {
		s->want_out = s->off < s->len;
		loop_mod_fd(s->es->loop, s->fd, s->want_out ? EPOLLOUT : 0);
	}
}

static void sub_ready(struct loop *l, int fd, uint32_t events, void *arg)
{
	struct sub *s = arg;

	(void)l;
	(void)fd;
	if (events & (EPOLLHUP | EPOLLERR)) {
		sub_drop(s);
		return;
	}
	sub_write(s);
}

struct evstream *evstream_new(struct loop *l, struct evlog *log)
{
	struct evstream *es = calloc(1, sizeof(*es));

	if (!es)
		return NULL;
	es->loop = l;
	es->log = log;
	for (size_t i = 0; i < EVSTREAM_MAX_SUBSCRIBERS; i++) {
		es->subs[i].fd = -1;
		es->subs[i].es = es;
	}
	return es;
}

int evstream_subscribe(struct evstream *es, int fd, bool json)
{
	struct sub *s = NULL;
	int sndbuf = SUB_BUF;
	int flags, err;

	for (size_t i = 0; i < EVSTREAM_MAX_SUBSCRIBERS && !s; i++)
		if (es->subs[i].fd < 0)
			s = &es->subs[i];
	if (!s)
		return -EBUSY;
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
		return -errno;
	/*
	 * A small socket buffer: a reader that stops reading falls behind the
	 * ring soon and is told so, rather than getting stale lines much later.
	 */
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	/* Nothing is read from the reader; its going away shows as EPOLLHUP. */
	err = loop_add_fd(es->loop, fd, 0, sub_ready, s);
	if (err < 0)
		return err;
	s->fd = fd;
	s->json = json;
	s->want_out = false;
	s->len = s->off = 0;
	s->cursor = evlog_end(es->log);
	return 0;
}

void evstream_flush(struct evstream *es)
{
	for (size_t i = 0; i < EVSTREAM_MAX_SUBSCRIBERS; i++)
		if (es->subs[i].fd >= 0 && !es->subs[i].want_out)
			sub_write(&es->subs[i]);
}

unsigned evstream_subscribers(const struct evstream *es)
{
	unsigned n = 0;

	for (size_t i = 0; i < EVSTREAM_MAX_SUBSCRIBERS; i++)
		n += es->subs[i].fd >= 0;
	return n;
}

uint64_t evstream_lost_total(const struct evstream *es)
{
	return es->lost_total;
}

void evstream_free(struct evstream *es)
{
	if (!es)
		return;
	for (size_t i = 0; i < EVSTREAM_MAX_SUBSCRIBERS; i++)
		sub_drop(&es->subs[i]);
	free(es);
}
