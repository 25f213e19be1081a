/*
 * loop.h - the daemon's single-threaded event loop: epoll for descriptors,
 * a binary heap of CLOCK_MONOTONIC timers, signals through signalfd, and
 * child processes reaped on SIGCHLD and reported to their owner.
 */
#ifndef VIPD_LOOP_H
#define VIPD_LOOP_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct loop;
struct loop_timer;

typedef void (*loop_fd_cb)(struct loop *l, int fd, uint32_t events, void *arg);
typedef void (*loop_timer_cb)(struct loop *l, struct loop_timer *t, void *arg);
typedef void (*loop_signal_cb)(struct loop *l, int signo, void *arg);
/* status as from waitpid() */
typedef void (*loop_child_cb)(struct loop *l, pid_t pid, int status, void *arg);

/*
 * Embedded in its owner; the loop never allocates or frees timers. Fields
 * are the loop's: set them only through loop_timer_init/arm/cancel.
 */
struct loop_timer {
	uint64_t deadline_us;
	uint64_t seq;      /* arming order: equal deadlines fire first-armed first */
	size_t heap_index; /* position in the heap; SIZE_MAX when not armed */
	loop_timer_cb cb;
	void *arg;
};

/* Current CLOCK_MONOTONIC time in microseconds. */
uint64_t loop_now_us(void);

struct loop *loop_new(void);
/* Frees the loop; does not close fds or touch timers' owners. */
void loop_free(struct loop *l);

/* Watch fd for EPOLLIN/EPOLLOUT/...; returns 0 or -errno. */
int loop_add_fd(struct loop *l, int fd, uint32_t events, loop_fd_cb cb, void *arg);
int loop_mod_fd(struct loop *l, int fd, uint32_t events);
/*
 * Stops watching; safe to call from within any fd's callback, including
 * fd's own. Call it before close(fd): epoll keys on the open file, so a
 * closed fd whose file lives on elsewhere (a dup, a child) would still
 * report events.
 */
int loop_del_fd(struct loop *l, int fd);

void loop_timer_init(struct loop_timer *t, loop_timer_cb cb, void *arg);
/*
 * (Re)arm at an absolute monotonic deadline; the timer fires once, never
 * before its deadline. O(log n); safe from any callback, including the
 * timer's own. Timers due at the same time fire in deadline order, ties in
 * arming order. A deadline in the past fires on the next timer pass. A
 * timer fires only after the descriptors were polled at or after its
 * deadline, so input that arrived before it is handled first even when a
 * callback ran past it.
 */
void loop_timer_arm(struct loop *l, struct loop_timer *t, uint64_t deadline_us);
void loop_timer_cancel(struct loop *l, struct loop_timer *t);
bool loop_timer_armed(const struct loop_timer *t);

/*
 * Handle signo through signalfd (the signal is blocked for normal delivery).
 * SIGCHLD is taken by the loop itself for child reaping.
 */
int loop_add_signal(struct loop *l, int signo, loop_signal_cb cb, void *arg);

/* Report pid's exit to cb once it is reaped. Returns 0 or -errno. */
int loop_watch_child(struct loop *l, pid_t pid, loop_child_cb cb, void *arg);
/* Forget a child watch (owner going away); the child is still reaped. */
void loop_unwatch_child(struct loop *l, pid_t pid);

/* Run until loop_stop(); returns 0, or -errno on a fatal epoll error. */
int loop_run(struct loop *l);
void loop_stop(struct loop *l);

/*
 * Run one iteration, waiting at most max_wait_us (0: just poll); for tests.
 * Returns 0, or -errno on a fatal epoll error.
 */
int loop_run_once(struct loop *l, uint64_t max_wait_us);

#endif
