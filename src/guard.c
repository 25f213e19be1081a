/*
 * guard.c - vipd's parent process: runs the worker, and when it dies without
 * cleaning up, resigns for it and removes its addresses (see guard.h).
 *
 * Kept small on purpose: no event loop, no configuration, no scripts. It
 * polls a signalfd and a pipe from the worker, and its only input is the
 * state record, which it validates like any packet from the network.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "guard.h"
#include "log.h"
#include "netlink.h"
#include "packet.h"
#include "sock.h"
#include "staterec.h"
#include "vrrp.h"

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static uint64_t mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* ------------------------------------------------------------- cleanup */

static int read_record(const char *path, uint8_t **buf, size_t *len)
{
	struct stat st;
	size_t off = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	*buf = NULL;
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    st.st_size <= 0 || (uint64_t)st.st_size > STATEREC_MAX_BYTES) {
		close(fd);
		return -EBADMSG;
	}
	*len = (size_t)st.st_size;
	*buf = malloc(*len);
	if (!*buf) {
		close(fd);
		return -ENOMEM;
	}
	while (off < *len) {
		ssize_t n = read(fd, *buf + off, *len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	close(fd);
	if (off != *len) {
		free(*buf);
		*buf = NULL;
		return -EIO;
	}
	return 0;
}

/* One priority-0 advert per destination, from the recorded source address. */
static void resign(const struct staterec_inst *in)
{
	static const char *const mcast[] = { VRRP_MCAST_V4, VRRP_MCAST_V6 };
	struct vrrp_instance vi;
	struct vrrp_params p = {
		.vrid = in->vrid,
		.version = in->version,
		.family = in->family,
		.priority = 1,
		.adver_int_cs = in->adver_int_cs,
		.auth_type = in->auth_type,
	};
	struct vrrp_advert adv;
	struct pkt_ip ip = { .ttl = VRRP_TTL, .src = in->source };
	struct vrrp_sock *s = NULL;
	uint8_t msg[VRRP_MAX_MSG_LEN];
	char ifname[IF_NAMESIZE];
	size_t ndst = in->npeers ? in->npeers : 1;
	int err;

	memcpy(p.auth_data, in->auth_data, sizeof(p.auth_data));
	vrrp_init(&vi, &p, &in->source);
	vrrp_fill_advert(&vi, true, &adv);
	for (size_t i = 0; i < in->nvips && adv.naddr < VRRP_MAX_ADDRS; i++)
		if ((in->vips[i].flags & STATEREC_VIP_ADVERTISED) &&
		    in->vips[i].addr.family == in->family)
			adv.addrs[adv.naddr++] = in->vips[i].addr;
	if (!if_indextoname((unsigned)in->ifindex, ifname)) {
		log_err("guard: %s: interface %d is gone; cannot resign", in->name, in->ifindex);
		return;
	}
	err = sock_open(in->family, ifname, in->ifindex, 0, &s);
	if (err < 0) {
		log_err("guard: %s: cannot open a VRRP socket on %s: %s", in->name, ifname,
			strerror(-err));
		return;
	}
	for (size_t i = 0; i < ndst; i++) {
		ssize_t len;

		if (in->npeers)
			ip.dst = in->peers[i];
		else
			ipaddr_parse(mcast[in->family == AF_INET6], &ip.dst, NULL);
		len = pkt_encode(&adv, &ip, msg, sizeof(msg));
		err = len < 0 ? (int)len : sock_send(s, &ip.src, &ip.dst, msg, (size_t)len);
		if (err < 0)
			log_err("guard: %s: sending the priority-0 advert on %s failed: %s", in->name,
				ifname, strerror(-err));
	}
	sock_close(s);
}

/* The VIPs of the record that the kernel has; *n gets their number. */
static struct netlink_addr *present_vips(struct netlink *nl, const struct staterec_inst *in,
					 size_t *n)
{
	struct netlink_addr *a = calloc(in->nvips + 1, sizeof(*a));
	bool *present = calloc(in->nvips + 1, sizeof(*present));
	size_t k = 0;

	*n = 0;
	if (!a || !present) {
		free(a);
		free(present);
		return NULL;
	}
	for (size_t i = 0; i < in->nvips; i++)
		a[i] = (struct netlink_addr){ .ifindex = in->vips[i].ifindex,
					      .addr = in->vips[i].addr,
					      .prefix_len = in->vips[i].prefix_len };
	if (netlink_addrs_present(nl, a, in->nvips, present) == 0)
		for (size_t i = 0; i < in->nvips; i++)
			if (present[i])
				a[k++] = a[i];
	free(present);
	*n = k;
	return a;
}

static void remove_vips(struct netlink *nl, const struct staterec_inst *in,
			const struct netlink_addr *a, size_t n)
{
	int *errs = calloc(n + 1, sizeof(*errs));

	if (!errs)
		return;
	netlink_addrs_del(nl, a, n, errs);
	for (size_t i = 0; i < n; i++) {
		char buf[IPADDR_STRLEN];

		if (errs[i])
			log_err("guard: %s: cannot remove VIP %s: %s", in->name,
				ipaddr_str(&a[i].addr, buf, sizeof(buf)), strerror(-errs[i]));
	}
	free(errs);
}

/* The macvlan, if the interface with that index still has the virtual MAC. */
static void remove_vmac(struct netlink *nl, const struct staterec_inst *in)
{
	struct netlink_link link;
	int err;

	if (in->vmac_ifindex <= 0 || netlink_link_by_index(nl, in->vmac_ifindex, &link) < 0)
		return;
	if (memcmp(link.mac, in->vmac_mac, sizeof(link.mac)) != 0) {
		log_warn("guard: %s: interface %d (%s) is not its virtual MAC interface any more; leaving it",
			 in->name, in->vmac_ifindex, link.name);
		return;
	}
	err = netlink_link_del(nl, in->vmac_ifindex);
	if (err < 0)
		log_err("guard: %s: cannot remove %s: %s", in->name, link.name, strerror(-err));
	else
		log_notice("guard: %s: removed its virtual MAC interface %s", in->name, link.name);
}

int guard_cleanup(const char *path, int pid, bool kill_first)
{
	struct staterec r;
	struct netlink *nl = NULL;
	struct netlink_addr **held = NULL;
	size_t *nheld = NULL;
	uint8_t *buf;
	size_t len = 0;
	char why[160];
	int err, resigned = 0;
	uint64_t start_us = mono_us();

	err = read_record(path, &buf, &len);
	if (err < 0) {
		log_err("guard: cannot read the state record %s: %s; the next daemon removes what is left",
			path, err == -EBADMSG ? "not a regular file of ours" : strerror(-err));
		return err;
	}
	err = staterec_decode(buf, len, &r, why, sizeof(why));
	free(buf);
	if (err < 0) {
		log_err("guard: state record %s is invalid (%s); ignoring it, the next daemon removes what is left",
			path, err == -EBADMSG ? why : strerror(-err));
		return err;
	}
	if (r.pid != (uint32_t)pid || (r.flags & STATEREC_CLEAN)) {
		log_info("guard: state record %s is %s; nothing to clean up", path,
			 r.flags & STATEREC_CLEAN ? "from a clean stop" : "not from that daemon");
		bool clean = r.flags & STATEREC_CLEAN;

		staterec_free(&r);
		return clean ? -ECANCELED : 0;
	}
	/* It is dying (or broken): make sure it does before acting for it. */
	if (kill_first)
		kill(pid, SIGKILL);
	held = calloc(r.ninsts + 1, sizeof(*held));
	nheld = calloc(r.ninsts + 1, sizeof(*nheld));
	err = held && nheld ? netlink_open(&nl) : -ENOMEM;
	if (err < 0) {
		log_err("guard: cannot open rtnetlink: %s", strerror(-err));
		goto out;
	}
	/*
	 * Resign first for every instance that still has a VIP in the kernel,
	 * so that the backups take over after Skew_Time; the VIPs come off
	 * after (the backups wait at least that long).
	 */
	for (size_t i = 0; i < r.ninsts; i++) {
		held[i] = present_vips(nl, &r.insts[i], &nheld[i]);
		if (nheld[i] || r.insts[i].nvips == 0) {
			resign(&r.insts[i]);
			resigned++;
		}
	}
	for (size_t i = 0; i < r.ninsts; i++) {
		if (held[i] && nheld[i])
			remove_vips(nl, &r.insts[i], held[i], nheld[i]);
		remove_vmac(nl, &r.insts[i]);
		log_notice("guard: %s: %s, removed %zu VIP%s", r.insts[i].name,
			   nheld[i] || !r.insts[i].nvips ? "sent a priority-0 advert" : "held no VIP",
			   nheld[i], nheld[i] == 1 ? "" : "s");
	}
	log_notice("guard: cleaned up after daemon %d in %.1f ms (%d instance%s resigned)", pid,
		   (mono_us() - start_us) / 1000.0, resigned, resigned == 1 ? "" : "s");
out:
	for (size_t i = 0; held && i < r.ninsts; i++)
		free(held[i]);
	free(held);
	free(nheld);
	netlink_close(nl);
	staterec_free(&r);
	return err < 0 ? err : resigned;
}

/* ------------------------------------------------------------- workers */

struct guard {
	const struct guard_opts *o;
	pid_t child;
	/*
	 * Read end of a pipe: a byte once the worker is up, end of file as
	 * soon as it dies. The kernel tells the parent of a death only once
	 * the dead process's descriptors are released, which takes
	 * milliseconds (packet sockets wait for an RCU grace period); the
	 * worker keeps its end at a high descriptor number, released first.
	 */
	int ready_fd;
	bool ready;             /* this worker said it is up */
	bool cleaned;           /* ... and was cleaned up after at end of file */
	bool ever_ready;
	bool stopping;
	unsigned restarts;
	char last_death[64];
	uint64_t started_ms;
	uint64_t backoff_ms;
	uint64_t restart_at_ms; /* 0: none pending */
};

static pid_t spawn(struct guard *g, const sigset_t *orig)
{
	char arg[128];
	size_t argc = 0;
	char **argv;
	int fds[2];
	pid_t pid;

	while (g->o->argv[argc])
		argc++;
	argv = calloc(argc + 2, sizeof(*argv));
	if (!argv || pipe2(fds, O_CLOEXEC) < 0) {
		free(argv);
		return -1;
	}
	snprintf(arg, sizeof(arg), "--worker=%d,%d,%d,%u,%s", g->o->pidfd, fds[1], (int)getpid(),
		 g->restarts, g->last_death);
	memcpy(argv, g->o->argv, argc * sizeof(*argv));
	argv[argc] = arg;
	pid = fork();
	if (pid == 0) {
		/* Only the pid file and the pipe's write end go across exec. */
		fcntl(g->o->pidfd, F_SETFD, 0);
		fcntl(fds[1], F_SETFD, 0);
		sigprocmask(SIG_SETMASK, orig, NULL);
		execv("/proc/self/exe", argv);
		log_err("guard: cannot run the daemon: %s", strerror(errno));
		_exit(127);
	}
	free(argv);
	close(fds[1]);
	if (pid < 0) {
		close(fds[0]);
		return -1;
	}
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	g->ready_fd = fds[0];
	g->ready = g->cleaned = false;
	g->child = pid;
	g->started_ms = mono_ms();
	return pid;
}

static void describe(int status, char *buf, size_t size)
{
	if (WIFSIGNALED(status))
		snprintf(buf, size, "killed by signal %d (%s)", WTERMSIG(status),
			 strsignal(WTERMSIG(status)));
	else
		snprintf(buf, size, "exited with status %d", WEXITSTATUS(status));
}

/* The worker is gone: returns the guard's exit status, or -1 to go on. */
static int reap(struct guard *g, int status)
{
	char what[64];
	uint8_t b;
	uint64_t ran_ms = mono_ms() - g->started_ms;

	if (g->ready_fd >= 0) {
		g->ready = g->ready || read(g->ready_fd, &b, 1) == 1;
		close(g->ready_fd);
		g->ready_fd = -1;
	}
	g->ever_ready = g->ever_ready || g->ready;
	describe(status, what, sizeof(what));
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		log_info("guard: daemon %d stopped cleanly", (int)g->child);
		g->child = 0;
		return 0;
	}
	if (WIFEXITED(status) && !g->ever_ready) {
		/* Never got going (configuration, pid file, ...): it said why. */
		log_err("guard: daemon %d %s while starting; not restarting it", (int)g->child,
			what);
		g->child = 0;
		return WEXITSTATUS(status);
	}
	if (g->cleaned) {
		log_err("guard: daemon %d %s after %.1f s", (int)g->child, what, ran_ms / 1000.0);
	} else {
		log_err("guard: daemon %d %s after %.1f s; resigning for it", (int)g->child, what,
			ran_ms / 1000.0);
		guard_cleanup(g->o->state_path, (int)g->child, false);
	}
	/* vipctl finds nobody until the next one is up. */
	if (ftruncate(g->o->pidfd, 0) < 0)
		log_warn("guard: cannot empty the pid file: %s", strerror(errno));
	g->child = 0;
	snprintf(g->last_death, sizeof(g->last_death), "%s", what);
	if (g->stopping)
		return 1;
	if (ran_ms >= GUARD_STABLE_MS || !g->backoff_ms)
		g->backoff_ms = GUARD_BACKOFF_MIN_MS;
	else if (g->backoff_ms < GUARD_BACKOFF_MAX_MS)
		g->backoff_ms = g->backoff_ms * 2 > GUARD_BACKOFF_MAX_MS ? GUARD_BACKOFF_MAX_MS
									 : g->backoff_ms * 2;
	g->restart_at_ms = mono_ms() + g->backoff_ms;
	log_notice("guard: starting a new daemon in %.1f s", g->backoff_ms / 1000.0);
	return -1;
}

/* The worker's end of the pipe: a byte when it is up, end of file when it dies. */
static void on_pipe(struct guard *g)
{
	uint8_t b[16];
	ssize_t n = read(g->ready_fd, b, sizeof(b));

	if (n > 0) {
		g->ready = true;
		return;
	}
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	close(g->ready_fd);
	g->ready_fd = -1;
	/* Before it was up, its exit status says more; wait for it. */
	if (!g->ready || !g->child)
		return;
	if (guard_cleanup(g->o->state_path, (int)g->child, true) == -ECANCELED)
		return; /* a clean stop: it removed everything itself */
	log_err("guard: daemon %d is gone without cleaning up; resigned for it", (int)g->child);
	g->cleaned = true;
}

/* A signal for the guard; returns the exit status, or -1 to go on. */
static int on_signal(struct guard *g, int sig)
{
	int status, rc = -1;
	pid_t pid;

	switch (sig) {
	case SIGTERM:
	case SIGINT:
		g->stopping = true;
		if (!g->child)
			return 0;
		/* fall through */
	case SIGHUP:
	case SIGUSR1:
		if (g->child)
			kill(g->child, sig);
		break;
	case SIGCHLD:
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
			if (pid == g->child)
				rc = reap(g, status);
		if (rc < 0 && g->stopping && !g->child)
			rc = 0;
		break;
	}
	return rc;
}

int guard_run(const struct guard_opts *o)
{
	struct guard g = { .o = o, .ready_fd = -1 };
	sigset_t set, orig;
	int rc = -1, sfd;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, &orig);
	sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0 || spawn(&g, &orig) < 0) {
		log_err("guard: cannot start the daemon: %s", strerror(errno));
		return 1;
	}
	while (rc < 0) {
		struct pollfd p[2] = { { .fd = sfd, .events = POLLIN },
				       { .fd = g.ready_fd, .events = POLLIN } };
		struct signalfd_siginfo si;
		int timeout = -1;

		if (g.restart_at_ms) {
			uint64_t now = mono_ms();

			timeout = g.restart_at_ms > now ? (int)(g.restart_at_ms - now) : 0;
		}
		if (poll(p, 2, timeout) < 0 && errno != EINTR) {
			log_err("guard: poll: %s", strerror(errno));
			break;
		}
		if (g.restart_at_ms && mono_ms() >= g.restart_at_ms) {
			g.restart_at_ms = 0;
			g.restarts++;
			if (spawn(&g, &orig) < 0) {
				log_err("guard: cannot start the daemon: %s", strerror(errno));
				g.backoff_ms = GUARD_BACKOFF_MAX_MS;
				g.restart_at_ms = mono_ms() + g.backoff_ms;
			} else {
				log_notice("guard: started daemon %d (restart %u)", (int)g.child,
					   g.restarts);
			}
			continue;
		}
		if (p[1].fd >= 0 && (p[1].revents & (POLLIN | POLLHUP | POLLERR)))
			on_pipe(&g);
		while (rc < 0 && read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
			rc = on_signal(&g, (int)si.ssi_signo);
	}
	if (g.ready_fd >= 0)
		close(g.ready_fd);
	close(sfd);
	return rc < 0 ? 1 : rc;
}
