/*
 * procwatch.c - vrrp_track_process on the kernel's process events (see
 * procwatch.h).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "procwatch.h"

#define CMDLINE_MAX 4096
#define ARGV_MAX 64
#define RECV_BUF 8192
#define RCVBUF_BYTES (1 << 20) /* a fork storm must not overflow the socket */

struct pw_block {
	const struct trackproc_spec *spec;
	uint64_t fork_delay_us;
	uint64_t terminate_delay_us;
	pid_t *pids;
	size_t npids, cap;
	bool up;
	struct loop_timer delay;
	struct procwatch *pw;
};

struct procwatch {
	struct loop *loop;
	int fd;
	struct pw_block **blocks;
	size_t nblocks;
	bool need_cmdline;
	uint64_t events;
	procwatch_cb cb;
	void *arg;
};

/* ------------------------------------------------------------ pid sets */

static bool set_has(const struct pw_block *b, pid_t pid)
{
	for (size_t i = 0; i < b->npids; i++)
		if (b->pids[i] == pid)
			return true;
	return false;
}

static bool set_add(struct pw_block *b, pid_t pid)
{
	if (set_has(b, pid))
		return false;
	if (b->npids == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 8;
		pid_t *p = realloc(b->pids, cap * sizeof(*p));

		if (!p)
			return false; /* counted low: the verdict errs towards down */
		b->pids = p;
		b->cap = cap;
	}
	b->pids[b->npids++] = pid;
	return true;
}

static bool set_del(struct pw_block *b, pid_t pid)
{
	for (size_t i = 0; i < b->npids; i++) {
		if (b->pids[i] == pid) {
			b->pids[i] = b->pids[--b->npids];
			return true;
		}
	}
	return false;
}

/* ------------------------------------------------------------- verdict */

static size_t block_index(const struct procwatch *pw, const struct pw_block *b)
{
	for (size_t i = 0; i < pw->nblocks; i++)
		if (pw->blocks[i] == b)
			return i;
	return 0;
}

static void verdict_timer(struct loop *l, struct loop_timer *t, void *arg)
{
	struct pw_block *b = arg;
	bool ok = trackproc_quorum(b->spec, b->npids);

	if (ok == b->up)
		return;
	b->up = ok;
	b->pw->cb(block_index(b->pw, b), ok, b->pw->arg);
}

/* The count of b changed: report now, or after its delay. */
static void reevaluate(struct procwatch *pw, struct pw_block *b)
{
	bool ok = trackproc_quorum(b->spec, b->npids);
	uint64_t delay;

	if (ok == b->up) {
		loop_timer_cancel(pw->loop, &b->delay);
		return;
	}
	delay = ok ? b->fork_delay_us : b->terminate_delay_us;
	if (delay == 0) {
		loop_timer_cancel(pw->loop, &b->delay);
		b->up = ok;
		pw->cb(block_index(pw, b), ok, pw->arg);
		return;
	}
	if (!loop_timer_armed(&b->delay))
		loop_timer_arm(pw->loop, &b->delay, loop_now_us() + delay);
}

/* --------------------------------------------------------- /proc reads */

/* A process's name (and command line when needed); false when it is gone. */
static bool proc_read(const struct procwatch *pw, pid_t pid, char *comm, size_t comm_size,
		      char *cmd, size_t *cmdlen)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, comm, comm_size - 1);
	close(fd);
	if (n <= 0)
		return false;
	comm[n] = '\0';
	comm[strcspn(comm, "\n")] = '\0';
	*cmdlen = 0;
	if (!pw->need_cmdline)
		return true;
	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, cmd, CMDLINE_MAX);
	close(fd);
	if (n < 0)
		return false;
	*cmdlen = (size_t)n;
	return true;
}

/*
 * (Re)decide pid for every block: after exec, a name change, or in the
 * scan. A process that vanished meanwhile is dropped.
 */
static void proc_check(struct procwatch *pw, pid_t pid, bool report)
{
	char comm[32], *cmd = NULL;
	const char *argv[ARGV_MAX];
	size_t cmdlen = 0, argc = 0;
	bool alive;

	if (pw->need_cmdline && !(cmd = malloc(CMDLINE_MAX)))
		return;
	alive = proc_read(pw, pid, comm, sizeof(comm), cmd, &cmdlen);
	if (alive && cmdlen > 0)
		argc = trackproc_split_cmdline(cmd, cmdlen, argv, ARGV_MAX);
	for (size_t i = 0; i < pw->nblocks; i++) {
		struct pw_block *b = pw->blocks[i];
		bool match = alive && trackproc_match(b->spec, comm, argv, argc);
		bool changed = match ? set_add(b, pid) : set_del(b, pid);

		if (changed && report)
			reevaluate(pw, b);
	}
	free(cmd);
}

static void proc_gone(struct procwatch *pw, pid_t pid)
{
	for (size_t i = 0; i < pw->nblocks; i++)
		if (set_del(pw->blocks[i], pid))
			reevaluate(pw, pw->blocks[i]);
}

/* A new process starts as a copy of its parent: it counts where the parent does. */
static void proc_forked(struct procwatch *pw, pid_t parent, pid_t child)
{
	for (size_t i = 0; i < pw->nblocks; i++) {
		struct pw_block *b = pw->blocks[i];

		if (set_has(b, parent) && set_add(b, child))
			reevaluate(pw, b);
	}
}

/* Every process now: at start, and when events were lost. */
static void proc_scan(struct procwatch *pw, bool report)
{
	DIR *d = opendir("/proc");
	struct dirent *e;

	if (!d) {
		log_err("track_process: cannot read /proc: %s", strerror(errno));
		return;
	}
	/* Forget what is not there any more; what is there is re-added below. */
	for (size_t i = 0; i < pw->nblocks; i++) {
		struct pw_block *b = pw->blocks[i];

		for (size_t k = b->npids; k-- > 0;) {
			char path[32];

			snprintf(path, sizeof(path), "/proc/%d", (int)b->pids[k]);
			if (access(path, F_OK) != 0)
				b->pids[k] = b->pids[--b->npids];
		}
	}
	while ((e = readdir(d))) {
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		proc_check(pw, (pid_t)atoi(e->d_name), false);
	}
	closedir(d);
	for (size_t i = 0; i < pw->nblocks && report; i++)
		reevaluate(pw, pw->blocks[i]);
}

/* ------------------------------------------------------------ connector */

static void handle_event(struct procwatch *pw, const struct proc_event *ev)
{
	pw->events++;
	switch (ev->what) {
	case PROC_EVENT_FORK:
		/* A new thread is not a new process. */
		if (ev->event_data.fork.child_pid == ev->event_data.fork.child_tgid)
			proc_forked(pw, ev->event_data.fork.parent_tgid,
				    ev->event_data.fork.child_tgid);
		break;
	case PROC_EVENT_EXEC:
		proc_check(pw, ev->event_data.exec.process_tgid, true);
		break;
	case PROC_EVENT_COMM:
		if (ev->event_data.comm.process_pid == ev->event_data.comm.process_tgid)
			proc_check(pw, ev->event_data.comm.process_tgid, true);
		break;
	case PROC_EVENT_EXIT:
		if (ev->event_data.exit.process_pid == ev->event_data.exit.process_tgid)
			proc_gone(pw, ev->event_data.exit.process_tgid);
		break;
	default:
		break;
	}
}

static void on_readable(struct loop *l, int fd, uint32_t events, void *arg)
{
	struct procwatch *pw = arg;
	char buf[RECV_BUF] __attribute__((aligned(NLMSG_ALIGNTO)));

	for (int round = 0; round < 64; round++) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *h;

		if (n < 0 && errno == ENOBUFS) {
			/* Events were dropped: what we know may be stale. Look again. */
			log_warn("track_process: process events were lost; rescanning /proc");
			proc_scan(pw, true);
			continue;
		}
		if (n <= 0)
			return;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
			struct cn_msg *cn = NLMSG_DATA(h);
			struct proc_event ev;

			if (h->nlmsg_type == NLMSG_ERROR || h->nlmsg_type == NLMSG_NOOP)
				continue;
			if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*cn)) ||
			    cn->len > h->nlmsg_len - NLMSG_LENGTH(sizeof(*cn)))
				continue;
			if (cn->id.idx != CN_IDX_PROC || cn->id.val != CN_VAL_PROC)
				continue;
			/* The event follows a 20-byte header: copy it out to align it. */
			memset(&ev, 0, sizeof(ev));
			memcpy(&ev, cn->data, cn->len < sizeof(ev) ? cn->len : sizeof(ev));
			handle_event(pw, &ev);
		}
	}
}

/*
 * The connector's socket, in the initial network namespace: the kernel
 * sends process events there only. origin, when given, is that namespace
 * (vipd left it for net_namespace); else init's is tried.
 */
static int open_socket(int origin)
{
	int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	int init = origin >= 0 ? dup(origin) : open("/proc/1/ns/net", O_RDONLY | O_CLOEXEC);
	struct stat a, b;
	bool switched = false;
	int fd, err = 0;

	if (self >= 0 && init >= 0 && fstat(self, &a) == 0 && fstat(init, &b) == 0 &&
	    (a.st_ino != b.st_ino || a.st_dev != b.st_dev)) {
		if (setns(init, CLONE_NEWNET) == 0)
			switched = true;
		else
			log_warn("track_process: cannot enter the initial network namespace "
				 "(%s): process events may not arrive", strerror(errno));
	}
	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_CONNECTOR);
	if (fd < 0)
		err = -errno;
	if (switched && setns(self, CLONE_NEWNET) != 0) {
		/* Staying in the wrong namespace would be far worse than no events. */
		log_err("track_process: cannot return to vipd's network namespace: %s",
			strerror(errno));
		abort();
	}
	if (self >= 0)
		close(self);
	if (init >= 0)
		close(init);
	return fd >= 0 ? fd : err;
}

static int listen_events(int fd)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = CN_IDX_PROC };
	struct {
		struct nlmsghdr nl;
		struct cn_msg cn;
		enum proc_cn_mcast_op op;
	} __attribute__((packed)) msg;
	int size = RCVBUF_BYTES;

	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	memset(&msg, 0, sizeof(msg));
	msg.nl.nlmsg_len = sizeof(msg);
	msg.nl.nlmsg_type = NLMSG_DONE;
	msg.cn.id.idx = CN_IDX_PROC;
	msg.cn.id.val = CN_VAL_PROC;
	msg.cn.len = sizeof(msg.op);
	msg.op = PROC_CN_MCAST_LISTEN;
	if (send(fd, &msg, sizeof(msg), 0) < 0)
		return -errno;
	return 0;
}

/* -------------------------------------------------------------- public */

struct procwatch *procwatch_new(struct loop *l, procwatch_cb cb, void *arg)
{
	struct procwatch *pw = calloc(1, sizeof(*pw));

	if (!pw)
		return NULL;
	pw->loop = l;
	pw->fd = -1;
	pw->cb = cb;
	pw->arg = arg;
	return pw;
}

int procwatch_add(struct procwatch *pw, const struct trackproc_spec *spec,
		  uint64_t fork_delay_us, uint64_t terminate_delay_us)
{
	struct pw_block **bs = realloc(pw->blocks, (pw->nblocks + 1) * sizeof(*bs));
	struct pw_block *b;

	if (!bs)
		return -ENOMEM;
	pw->blocks = bs;
	b = calloc(1, sizeof(*b));
	if (!b)
		return -ENOMEM;
	b->spec = spec;
	b->fork_delay_us = fork_delay_us;
	b->terminate_delay_us = terminate_delay_us;
	b->pw = pw;
	loop_timer_init(&b->delay, verdict_timer, b);
	if (trackproc_uses_cmdline(spec))
		pw->need_cmdline = true;
	pw->blocks[pw->nblocks] = b;
	return (int)pw->nblocks++;
}

int procwatch_start(struct procwatch *pw, int origin_netns)
{
	int fd = open_socket(origin_netns), rc;

	if (fd < 0)
		return fd;
	rc = listen_events(fd);
	if (rc == 0)
		rc = loop_add_fd(pw->loop, fd, EPOLLIN, on_readable, pw);
	if (rc < 0) {
		close(fd);
		return rc;
	}
	pw->fd = fd;
	/* Listening first, then scanning: nothing starting in between is missed. */
	procwatch_rescan(pw);
	return 0;
}

static void blocks_free(struct procwatch *pw)
{
	for (size_t i = 0; i < pw->nblocks; i++) {
		loop_timer_cancel(pw->loop, &pw->blocks[i]->delay);
		free(pw->blocks[i]->pids);
		free(pw->blocks[i]);
	}
	free(pw->blocks);
	pw->blocks = NULL;
	pw->nblocks = 0;
	pw->need_cmdline = false;
}

void procwatch_clear(struct procwatch *pw)
{
	blocks_free(pw);
}

void procwatch_rescan(struct procwatch *pw)
{
	proc_scan(pw, false);
	for (size_t i = 0; i < pw->nblocks; i++)
		pw->blocks[i]->up = trackproc_quorum(pw->blocks[i]->spec, pw->blocks[i]->npids);
}

bool procwatch_started(const struct procwatch *pw)
{
	return pw->fd >= 0;
}

bool procwatch_up(const struct procwatch *pw, size_t idx)
{
	return idx < pw->nblocks && pw->blocks[idx]->up;
}

size_t procwatch_count(const struct procwatch *pw, size_t idx)
{
	return idx < pw->nblocks ? pw->blocks[idx]->npids : 0;
}

uint64_t procwatch_events(const struct procwatch *pw)
{
	return pw->events;
}

void procwatch_free(struct procwatch *pw)
{
	if (!pw)
		return;
	if (pw->fd >= 0) {
		loop_del_fd(pw->loop, pw->fd);
		close(pw->fd);
	}
	blocks_free(pw);
	free(pw);
}
