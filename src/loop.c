/*
 * loop.c - single-threaded event loop.
 *
 * Descriptors go through epoll. Timers live in a binary min-heap ordered by
 * (deadline, arming sequence); the earliest deadline is programmed into a
 * CLOCK_MONOTONIC timerfd with an absolute expiry, so a 10 ms advert timer
 * wakes the loop within microseconds instead of epoll's millisecond
 * rounding. Signals arrive through a signalfd; SIGCHLD is consumed here to
 * reap children and hand their status to whoever watches that pid.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* also set by configure; kept for standalone builds */
#endif
#include "loop.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "timeunit.h"

#define LOOP_MAX_EVENTS 64
#define LOOP_CHILD_BUCKETS 64
#define LOOP_SIGINFO_BATCH 16
/* Fires per timer pass beyond the heap size, so a callback re-arming in the past cannot livelock. */
#define LOOP_TIMER_PASS_MIN 64

struct loop_fd {
	int fd;
	bool dead; /* deleted; freed at the end of the iteration */
	loop_fd_cb cb;
	void *arg;
	struct loop_fd *next_dead;
};

struct loop_child {
	pid_t pid;
	loop_child_cb cb;
	void *arg;
	struct loop_child *next;
};

struct loop_sig {
	loop_signal_cb cb;
	void *arg;
};

struct loop {
	int epfd;
	int timerfd;
	int sigfd;
	bool stop;

	struct loop_fd **fds; /* indexed by fd number */
	size_t nfds;
	struct loop_fd *dead; /* deleted registrations awaiting free */

	struct loop_timer **heap;
	size_t nheap;
	size_t heap_cap;
	uint64_t next_seq;
	uint64_t timerfd_deadline_us; /* what the timerfd is set to; UINT64_MAX = disarmed */

	sigset_t sigmask;
	struct loop_sig sigs[_NSIG];
	struct loop_child *children[LOOP_CHILD_BUCKETS];
};

uint64_t loop_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * USEC_PER_SEC + (uint64_t)ts.tv_nsec / NSEC_PER_USEC;
}

/* --------------------------------------------------------------- timer heap */

static bool timer_before(const struct loop_timer *a, const struct loop_timer *b)
{
	if (a->deadline_us != b->deadline_us)
		return a->deadline_us < b->deadline_us;
	return a->seq < b->seq;
}

static void heap_place(struct loop *l, size_t i, struct loop_timer *t)
{
	l->heap[i] = t;
	t->heap_index = i;
}

static void heap_sift_up(struct loop *l, size_t i)
{
	struct loop_timer *t = l->heap[i];

	while (i > 0) {
		size_t parent = (i - 1) / 2;

		if (!timer_before(t, l->heap[parent]))
			break;
		heap_place(l, i, l->heap[parent]);
		i = parent;
	}
	heap_place(l, i, t);
}

static void heap_sift_down(struct loop *l, size_t i)
{
	struct loop_timer *t = l->heap[i];

	for (;;) {
		size_t child = 2 * i + 1;

		if (child >= l->nheap)
			break;
		if (child + 1 < l->nheap && timer_before(l->heap[child + 1], l->heap[child]))
			child++;
		if (!timer_before(l->heap[child], t))
			break;
		heap_place(l, i, l->heap[child]);
		i = child;
	}
	heap_place(l, i, t);
}

static void heap_remove(struct loop *l, struct loop_timer *t)
{
	size_t i = t->heap_index;
	struct loop_timer *last = l->heap[--l->nheap];

	t->heap_index = SIZE_MAX;
	if (last == t)
		return;
	heap_place(l, i, last);
	if (i > 0 && timer_before(last, l->heap[(i - 1) / 2]))
		heap_sift_up(l, i);
	else
		heap_sift_down(l, i);
}

static void heap_grow(struct loop *l)
{
	size_t cap = l->heap_cap ? 2 * l->heap_cap : 64;
	struct loop_timer **heap = realloc(l->heap, cap * sizeof(*heap));

	/*
	 * loop_timer_arm cannot fail by contract: a daemon that can no longer
	 * keep its protocol timers must not limp on silently.
	 */
	if (!heap) {
		fputs("vipd: out of memory growing the timer heap\n", stderr);
		abort();
	}
	l->heap = heap;
	l->heap_cap = cap;
}

void loop_timer_init(struct loop_timer *t, loop_timer_cb cb, void *arg)
{
	t->deadline_us = 0;
	t->seq = 0;
	t->heap_index = SIZE_MAX;
	t->cb = cb;
	t->arg = arg;
}

bool loop_timer_armed(const struct loop_timer *t)
{
	return t->heap_index != SIZE_MAX;
}

void loop_timer_cancel(struct loop *l, struct loop_timer *t)
{
	if (loop_timer_armed(t))
		heap_remove(l, t);
}

void loop_timer_arm(struct loop *l, struct loop_timer *t, uint64_t deadline_us)
{
	loop_timer_cancel(l, t);
	if (l->nheap == l->heap_cap)
		heap_grow(l);
	t->deadline_us = deadline_us;
	t->seq = l->next_seq++;
	heap_place(l, l->nheap++, t);
	heap_sift_up(l, t->heap_index);
}

/*
 * Make sure the timerfd fires no later than the earliest deadline. It is
 * re-programmed only when that deadline moved earlier: one that moved later
 * (a backup's Master_Down_Timer pushed back by every advert it hears) costs
 * at most one early wake-up, after which the timerfd is set again, instead
 * of a timerfd_settime() per advert. An empty heap leaves a pending expiry
 * in place for the same reason.
 */
static int timerfd_sync(struct loop *l)
{
	uint64_t want = l->nheap ? l->heap[0]->deadline_us : UINT64_MAX;
	struct itimerspec its = { 0 };

	if (want >= l->timerfd_deadline_us)
		return 0;
	its.it_value.tv_sec = (time_t)(want / USEC_PER_SEC);
	its.it_value.tv_nsec = (long)(want % USEC_PER_SEC * NSEC_PER_USEC);
	/* an all-zero it_value would disarm instead of firing at once */
	if (its.it_value.tv_sec == 0 && its.it_value.tv_nsec == 0)
		its.it_value.tv_nsec = 1;
	if (timerfd_settime(l->timerfd, TFD_TIMER_ABSTIME, &its, NULL) < 0)
		return -errno;
	l->timerfd_deadline_us = want;
	return 0;
}

/*
 * Fire every timer due when the loop last woke (woke_us), earliest first.
 * One that fell due later, while callbacks ran, waits for the next pass,
 * after the descriptors have been polled again: input that came before a
 * deadline is handled before the timer fires, however long a callback took
 * (a backup that spent seconds removing thousands of VIPs must read the
 * master's queued adverts before its Master_Down_Timer can fire). A timer a
 * callback arms before woke_us is overdue and fires in this pass too, up to
 * a bound that keeps descriptors from being starved.
 */
static void timers_run(struct loop *l, uint64_t woke_us)
{
	uint64_t now_us = woke_us;
	size_t budget = l->nheap * 2 + LOOP_TIMER_PASS_MIN;

	while (l->nheap && l->heap[0]->deadline_us <= now_us && budget--) {
		struct loop_timer *t = l->heap[0];

		heap_remove(l, t);
		t->cb(l, t, t->arg);
	}
}

static void timerfd_readable(struct loop *l, int fd, uint32_t events, void *arg)
{
	uint64_t expirations;

	/* only clears readiness; due timers are found by comparing deadlines */
	if (read(fd, &expirations, sizeof(expirations)) < 0 && errno != EAGAIN)
		fprintf(stderr, "vipd: timerfd read: %s\n", strerror(errno));
	/* a one-shot timerfd that expired is disarmed */
	l->timerfd_deadline_us = UINT64_MAX;
}

/* -------------------------------------------------------------- descriptors */

static int fds_reserve(struct loop *l, int fd)
{
	size_t n = l->nfds ? l->nfds : 64;
	struct loop_fd **fds;

	if ((size_t)fd < l->nfds)
		return 0;
	while (n <= (size_t)fd)
		n *= 2;
	fds = realloc(l->fds, n * sizeof(*fds));
	if (!fds)
		return -ENOMEM;
	memset(fds + l->nfds, 0, (n - l->nfds) * sizeof(*fds));
	l->fds = fds;
	l->nfds = n;
	return 0;
}

int loop_add_fd(struct loop *l, int fd, uint32_t events, loop_fd_cb cb, void *arg)
{
	struct epoll_event ev = { .events = events };
	struct loop_fd *reg;
	int err;

	if (fd < 0 || !cb)
		return -EINVAL;
	err = fds_reserve(l, fd);
	if (err)
		return err;
	if (l->fds[fd])
		return -EEXIST;
	reg = calloc(1, sizeof(*reg));
	if (!reg)
		return -ENOMEM;
	reg->fd = fd;
	reg->cb = cb;
	reg->arg = arg;
	ev.data.ptr = reg;
	if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		err = -errno;
		free(reg);
		return err;
	}
	l->fds[fd] = reg;
	return 0;
}

static struct loop_fd *fd_lookup(struct loop *l, int fd)
{
	if (fd < 0 || (size_t)fd >= l->nfds)
		return NULL;
	return l->fds[fd];
}

int loop_mod_fd(struct loop *l, int fd, uint32_t events)
{
	struct loop_fd *reg = fd_lookup(l, fd);
	struct epoll_event ev = { .events = events };

	if (!reg)
		return -ENOENT;
	ev.data.ptr = reg;
	if (epoll_ctl(l->epfd, EPOLL_CTL_MOD, fd, &ev) < 0)
		return -errno;
	return 0;
}

int loop_del_fd(struct loop *l, int fd)
{
	struct loop_fd *reg = fd_lookup(l, fd);

	if (!reg)
		return -ENOENT;
	/* EBADF: the owner closed it first, which already removed it from epoll */
	epoll_ctl(l->epfd, EPOLL_CTL_DEL, fd, NULL);
	l->fds[fd] = NULL;
	/* events for it may still sit in this iteration's batch: free later */
	reg->dead = true;
	reg->next_dead = l->dead;
	l->dead = reg;
	return 0;
}

static void fds_free_dead(struct loop *l)
{
	while (l->dead) {
		struct loop_fd *reg = l->dead;

		l->dead = reg->next_dead;
		free(reg);
	}
}

/* ----------------------------------------------------------------- children */

static struct loop_child **child_slot(struct loop *l, pid_t pid)
{
	struct loop_child **p = &l->children[(unsigned)pid % LOOP_CHILD_BUCKETS];

	while (*p && (*p)->pid != pid)
		p = &(*p)->next;
	return p;
}

int loop_watch_child(struct loop *l, pid_t pid, loop_child_cb cb, void *arg)
{
	struct loop_child **p = child_slot(l, pid);
	struct loop_child *c;

	if (pid <= 0 || !cb)
		return -EINVAL;
	if (*p)
		return -EEXIST;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->pid = pid;
	c->cb = cb;
	c->arg = arg;
	*p = c;
	return 0;
}

void loop_unwatch_child(struct loop *l, pid_t pid)
{
	struct loop_child **p = child_slot(l, pid);
	struct loop_child *c = *p;

	if (!c)
		return;
	*p = c->next;
	free(c);
}

/* Reap every exited child; unwatched ones (e.g. orphans we inherit) silently. */
static void children_reap(struct loop *l)
{
	for (;;) {
		struct loop_child **p, *c;
		int status;
		pid_t pid = waitpid(-1, &status, WNOHANG);

		if (pid < 0 && errno == EINTR)
			continue;
		if (pid <= 0)
			return;
		p = child_slot(l, pid);
		c = *p;
		if (!c)
			continue;
		*p = c->next;
		c->cb(l, pid, status, c->arg);
		free(c);
	}
}

/* ------------------------------------------------------------------ signals */

static void sigfd_readable(struct loop *l, int fd, uint32_t events, void *arg)
{
	struct signalfd_siginfo si[LOOP_SIGINFO_BATCH];
	bool reap = false;
	ssize_t n;

	while ((n = read(fd, si, sizeof(si))) > 0) {
		for (size_t i = 0; i < (size_t)n / sizeof(si[0]); i++) {
			unsigned signo = si[i].ssi_signo;

			if (signo == SIGCHLD)
				reap = true;
			else if (signo < _NSIG && l->sigs[signo].cb)
				l->sigs[signo].cb(l, (int)signo, l->sigs[signo].arg);
		}
	}
	/* SIGCHLDs coalesce, so one reaping sweep covers however many arrived */
	if (reap)
		children_reap(l);
}

static int sig_block(struct loop *l, int signo)
{
	sigset_t one;

	sigemptyset(&one);
	sigaddset(&one, signo);
	if (sigprocmask(SIG_BLOCK, &one, NULL) < 0)
		return -errno;
	sigaddset(&l->sigmask, signo);
	if (signalfd(l->sigfd, &l->sigmask, 0) < 0)
		return -errno;
	return 0;
}

int loop_add_signal(struct loop *l, int signo, loop_signal_cb cb, void *arg)
{
	if (signo <= 0 || signo >= _NSIG || signo == SIGCHLD || signo == SIGKILL ||
	    signo == SIGSTOP || !cb)
		return -EINVAL;
	l->sigs[signo].cb = cb;
	l->sigs[signo].arg = arg;
	return sig_block(l, signo);
}

/* --------------------------------------------------------------- life cycle */

static int loop_open_fds(struct loop *l)
{
	sigset_t chld;

	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (l->epfd < 0)
		return -errno;
	l->timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (l->timerfd < 0)
		return -errno;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &chld, NULL) < 0)
		return -errno;
	l->sigmask = chld;
	l->sigfd = signalfd(-1, &l->sigmask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (l->sigfd < 0)
		return -errno;
	if (loop_add_fd(l, l->timerfd, EPOLLIN, timerfd_readable, NULL) < 0)
		return -errno;
	return loop_add_fd(l, l->sigfd, EPOLLIN, sigfd_readable, NULL);
}

struct loop *loop_new(void)
{
	struct loop *l = calloc(1, sizeof(*l));
	int err;

	if (!l)
		return NULL;
	l->epfd = l->timerfd = l->sigfd = -1;
	l->timerfd_deadline_us = UINT64_MAX;
	err = loop_open_fds(l);
	if (err < 0) {
		loop_free(l);
		errno = -err;
		return NULL;
	}
	return l;
}

void loop_free(struct loop *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->nfds; i++)
		free(l->fds[i]);
	free(l->fds);
	fds_free_dead(l);
	for (size_t i = 0; i < LOOP_CHILD_BUCKETS; i++) {
		while (l->children[i]) {
			struct loop_child *c = l->children[i];

			l->children[i] = c->next;
			free(c);
		}
	}
	free(l->heap);
	if (l->sigfd >= 0)
		close(l->sigfd);
	if (l->timerfd >= 0)
		close(l->timerfd);
	if (l->epfd >= 0)
		close(l->epfd);
	free(l);
}

/* ------------------------------------------------------------------ running */

static int wait_ms(struct loop *l, uint64_t max_wait_us)
{
	if (l->nheap && l->heap[0]->deadline_us <= loop_now_us())
		return 0;
	if (max_wait_us == UINT64_MAX)
		return -1; /* the timerfd wakes us for the next timer */
	if (max_wait_us / USEC_PER_MSEC >= INT_MAX)
		return INT_MAX;
	return (int)((max_wait_us + USEC_PER_MSEC - 1) / USEC_PER_MSEC);
}

static int loop_iterate(struct loop *l, uint64_t max_wait_us)
{
	struct epoll_event ev[LOOP_MAX_EVENTS];
	uint64_t woke_us;
	int n, err;

	err = timerfd_sync(l);
	if (err)
		return err;
	n = epoll_wait(l->epfd, ev, LOOP_MAX_EVENTS, wait_ms(l, max_wait_us));
	if (n < 0) {
		if (errno == EINTR)
			return 0;
		return -errno;
	}
	woke_us = loop_now_us();
	for (int i = 0; i < n; i++) {
		struct loop_fd *reg = ev[i].data.ptr;

		if (!reg->dead)
			reg->cb(l, reg->fd, ev[i].events, reg->arg);
	}
	timers_run(l, woke_us);
	fds_free_dead(l);
	return 0;
}

int loop_run_once(struct loop *l, uint64_t max_wait_us)
{
	return loop_iterate(l, max_wait_us);
}

int loop_run(struct loop *l)
{
	l->stop = false;
	while (!l->stop) {
		int err = loop_iterate(l, UINT64_MAX);

		if (err)
			return err;
	}
	return 0;
}

void loop_stop(struct loop *l)
{
	l->stop = true;
}
