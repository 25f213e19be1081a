/*
 * vipd.c - the daemon's entry point: options, configuration check, pid file,
 * daemonizing, signals. Everything else is daemon.c's.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "ctl.h"
#include "ctlpath.h"
#include "daemon.h"
#include "guard.h"
#include "log.h"
#include "loop.h"
#include "netns.h"
#include "notify.h"
#include "privs.h"
#include "reload.h"
#include "tracked.h"

#define DEFAULT_CONFIG SYSCONFDIR "/vipd.conf"
#define DEFAULT_PIDFILE CTL_DEFAULT_PIDFILE
/* How long a stopping daemon waits for notify_stop scripts before exiting. */
#define STOP_GRACE_US (5 * 1000000ull)
#define STOP_POLL_US 20000ull

struct options {
	const char *config;
	const char *pidfile;
	const char *socket; /* NULL: next to the pid file */
	char socket_buf[4096];
	bool foreground;
	bool log_console;
	bool detail;
	bool config_test;
	bool no_guard;
	/* --worker: run by the guard (guard.h) */
	bool worker;
	int worker_pidfd;
	int worker_readyfd;
	int guard_pid;
	unsigned restarts;
	char last_death[64];
	char state_buf[4096];
	struct cfg_opts cfg_opts;
	const char *status_group; /* NULL: the control socket is root's alone */
	gid_t status_gid;
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: vipd [OPTION]...\n"
		"VRRP daemon: keeps virtual IP addresses on one healthy host of a group.\n"
		"\n"
		"  -f, --use-file FILE   configuration file (default %s)\n"
		"  -t, --config-test     check the configuration, print problems, exit 0 or 1\n"
		"  -i, --config-id ID    keep the configuration's @ID lines (default: the host\n"
		"                        name up to its first '.')\n"
		"  -n, --dont-fork       stay in the foreground\n"
		"  -l, --log-console     log to standard error instead of syslog\n"
		"  -D, --log-detail      log in detail (every advert, every drop)\n"
		"  -p, --pid FILE        pid file (default %s)\n"
		"  -S, --socket PATH     control socket (default: the pid file's name with .sock,\n"
		"                        %s)\n"
		"      --no-guard        run without the guard process that resigns and restarts\n"
		"                        vipd when it dies (for debuggers and valgrind)\n"
		"  -G, --status-group GROUP  let GROUP read status and metrics on the control\n"
		"                        socket (vipctl status, vipctl metrics), not reload\n"
		"  -h, --help            this help\n"
		"  -v, --version         print the version\n"
		"\n"
		"See vipd(8) and vipd.conf(5).\n",
		DEFAULT_CONFIG, DEFAULT_PIDFILE, CTL_DEFAULT_SOCKET);
}

/* The state record lives next to the pid file: "X.pid" -> "X.state". */
static void state_from_pidfile(const char *pidfile, char *out, size_t size)
{
	size_t len = strlen(pidfile);

	if (len > 4 && strcmp(pidfile + len - 4, ".pid") == 0)
		snprintf(out, size, "%.*s.state", (int)(len - 4), pidfile);
	else
		snprintf(out, size, "%s.state", pidfile);
}

static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "use-file", required_argument, NULL, 'f' },
		{ "config-test", no_argument, NULL, 't' },
		{ "config-id", required_argument, NULL, 'i' },
		{ "dont-fork", no_argument, NULL, 'n' },
		{ "log-console", no_argument, NULL, 'l' },
		{ "log-detail", no_argument, NULL, 'D' },
		{ "pid", required_argument, NULL, 'p' },
		{ "socket", required_argument, NULL, 'S' },
		{ "no-guard", no_argument, NULL, 'G' + 256 },
		{ "worker", required_argument, NULL, 'W' + 256 },
		{ "status-group", required_argument, NULL, 'G' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*o = (struct options){ .config = DEFAULT_CONFIG, .pidfile = DEFAULT_PIDFILE };
	while ((c = getopt_long(argc, argv, "f:ti:nlDp:S:G:hv", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			o->config = optarg;
			break;
		case 't':
			o->config_test = true;
			break;
		case 'i':
			o->cfg_opts.config_id = optarg;
			break;
		case 'n':
			o->foreground = true;
			break;
		case 'l':
			o->log_console = true;
			break;
		case 'D':
			o->detail = true;
			break;
		case 'p':
			o->pidfile = optarg;
			break;
		case 'S':
			o->socket = optarg;
			break;
		case 'G' + 256:
			o->no_guard = true;
			break;
		case 'W' + 256: {
			int n = 0;

			if (sscanf(optarg, "%d,%d,%d,%u,%n", &o->worker_pidfd, &o->worker_readyfd,
				   &o->guard_pid, &o->restarts, &n) != 4 || n <= 0) {
				fprintf(stderr, "vipd: --worker is for vipd's own use\n");
				return -1;
			}
			snprintf(o->last_death, sizeof(o->last_death), "%s", optarg + n);
			o->worker = true;
			break;
		}
		case 'G':
			o->status_group = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case 'v':
			printf("vipd %s\n", PACKAGE_VERSION);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "vipd: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return -1;
	}
	if (!o->socket) {
		ctl_socket_from_pidfile(o->pidfile, o->socket_buf, sizeof(o->socket_buf));
		o->socket = o->socket_buf;
	}
	state_from_pidfile(o->pidfile, o->state_buf, sizeof(o->state_buf));
	return 0;
}

/*
 * Load the configuration. Every warning and error goes to the log (whose
 * level already says which it is), or to out as "file:line:col: error: msg"
 * when checking with -t. NULL on error, with *nerrors set.
 */
static struct vipd_config *load_config(const char *path, const struct cfg_opts *opts, FILE *out,
				       size_t *nerrors)
{
	struct cfg_result res;
	struct vipd_config *cfg;

	cfg_load_file_opts(path, opts, &res);
	for (size_t i = 0; i < res.ndiags; i++) {
		const struct cfg_diag *dg = &res.diags[i];
		char buf[1024];

		if (out)
			fprintf(out, "%s\n", cfg_diag_format(dg, buf, sizeof(buf)));
		else if (dg->line)
			log_msg(dg->level == CFG_ERROR ? LOG_ERR : LOG_WARNING, "%s:%d:%d: %s",
				dg->file, dg->line, dg->column, dg->msg);
		else
			log_msg(dg->level == CFG_ERROR ? LOG_ERR : LOG_WARNING, "%s: %s", dg->file,
				dg->msg);
	}
	cfg = res.config;
	*nerrors = res.nerrors;
	res.config = NULL;
	cfg_result_free(&res);
	return cfg;
}

static int config_test(const char *path, const struct cfg_opts *opts)
{
	size_t nerrors;
	struct vipd_config *cfg = load_config(path, opts, stderr, &nerrors);

	if (!cfg) {
		fprintf(stderr, "%s: %zu error%s\n", path, nerrors, nerrors == 1 ? "" : "s");
		return 1;
	}
	printf("%s: configuration OK: %zu instance%s, %zu script%s, %zu sync group%s\n", path,
	       cfg->ninstances, cfg->ninstances == 1 ? "" : "s", cfg->nscripts,
	       cfg->nscripts == 1 ? "" : "s", cfg->ngroups, cfg->ngroups == 1 ? "" : "s");
	cfg_free(cfg);
	return 0;
}

/*
 * A group name or number to a gid. Names are looked up in a child process,
 * so NSS modules never map into the daemon. 0 or -1 with a message.
 */
static int resolve_group(const char *name, gid_t *gid)
{
	char *end;
	uintmax_t n;
	int fds[2], status;
	ssize_t got;
	pid_t pid;

	errno = 0;
	n = strtoumax(name, &end, 10);
	if (*name && !*end) {
		if (errno || n >= (gid_t)-1) {
			fprintf(stderr, "vipd: --status-group %s: not a valid group number\n", name);
			return -1;
		}
		*gid = (gid_t)n;
		return 0;
	}
	if (pipe2(fds, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		struct group *gr = getgrnam(name);

		if (gr && write(fds[1], &gr->gr_gid, sizeof(gr->gr_gid)) == sizeof(gr->gr_gid))
			_exit(0);
		_exit(1);
	}
	close(fds[1]);
	do
		got = read(fds[0], gid, sizeof(*gid));
	while (got < 0 && errno == EINTR);
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (got != (ssize_t)sizeof(*gid)) {
		fprintf(stderr, "vipd: --status-group %s: no such group\n", name);
		return -1;
	}
	return 0;
}

/* Create the pid file's directory when it is ours to create (/run/vipd). */
static void make_pid_dir(const char *pidfile)
{
	char dir[4096];
	char *slash;

	snprintf(dir, sizeof(dir), "%s", pidfile);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return;
	*slash = '\0';
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		log_warn("cannot create %s: %s", dir, strerror(errno));
}

/*
 * Take the pid file with an exclusive lock held for the daemon's lifetime,
 * so a second vipd with the same pid file refuses to start. Returns the
 * descriptor or -1.
 */
static int pidfile_lock(const char *path)
{
	char buf[32];
	int fd;

	make_pid_dir(path);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		log_err("cannot open pid file %s: %s", path, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		ssize_t n = read(fd, buf, sizeof(buf) - 1);

		buf[n > 0 ? n : 0] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		log_err("another vipd is already running (pid %s, pid file %s)",
			buf[0] ? buf : "unknown", path);
		close(fd);
		return -1;
	}
	return fd;
}

static int pidfile_write(int fd)
{
	char buf[32];
	int len = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());

	if (ftruncate(fd, 0) < 0 || pwrite(fd, buf, (size_t)len, 0) != len)
		return -1;
	return 0;
}

/* Detach: the parent returns only once the child holds the pid file lock. */
static int daemonize(void)
{
	pid_t pid = fork();
	int fd;

	if (pid < 0)
		return -1;
	if (pid > 0)
		_exit(0);
	if (setsid() < 0)
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid > 0)
		_exit(0);
	if (chdir("/") < 0)
		return -1;
	umask(022);
	fd = open("/dev/null", O_RDWR);
	if (fd < 0)
		return -1;
	dup2(fd, STDIN_FILENO);
	dup2(fd, STDOUT_FILENO);
	dup2(fd, STDERR_FILENO);
	if (fd > STDERR_FILENO)
		close(fd);
	return 0;
}

/*
 * Tell systemd (Type=notify) what we are doing; a no-op outside systemd.
 * The protocol is one datagram to $NOTIFY_SOCKET.
 */
static void sd_notify_state(const char *state)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	size_t len;
	int fd;

	if (!path || (path[0] != '/' && path[0] != '@'))
		return;
	len = strlen(path);
	if (len >= sizeof(sun.sun_path))
		return;
	memcpy(sun.sun_path, path, len);
	if (path[0] == '@')
		sun.sun_path[0] = '\0'; /* abstract namespace */
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	sendto(fd, state, strlen(state), MSG_NOSIGNAL, (struct sockaddr *)&sun,
	       (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len));
	close(fd);
}

struct run {
	struct vipd d;
	struct loop *loop;
	struct loop_timer grace;
	uint64_t grace_end_us;
	struct ctl *ctl;
	const char *config_path;
	int guard_pid; /* 0 without a guard */
	const struct cfg_opts *cfg_opts; /* the same -i on every reload */
};

/* Stopping: exit once every notify script has finished, or the grace time is over. */
static void on_grace_poll(struct loop *l, struct loop_timer *t, void *arg)
{
	struct run *r = arg;

	if (notify_pending() == 0 || loop_now_us() >= r->grace_end_us) {
		if (notify_pending())
			log_warn("%u notify script%s still running after %.0f s; stopping them",
				 notify_pending(), notify_pending() == 1 ? "" : "s",
				 STOP_GRACE_US / 1e6);
		loop_stop(l);
		return;
	}
	loop_timer_arm(l, t, loop_now_us() + STOP_POLL_US);
}

static void on_stop_signal(struct loop *l, int signo, void *arg)
{
	struct run *r = arg;

	if (r->d.stopping) {
		log_notice("%s again: exiting now", strsignal(signo));
		loop_stop(l);
		return;
	}
	if (r->guard_pid && getppid() != r->guard_pid)
		log_notice("the guard process %d is gone: resigning and removing virtual addresses (the service manager restarts vipd)",
			   r->guard_pid);
	else
		log_notice("%s: resigning and removing virtual addresses", strsignal(signo));
	sd_notify_state("STOPPING=1");
	vipd_shutdown(&r->d);
	/* Let notify_stop scripts finish (and their output be logged) before we go. */
	r->grace_end_us = loop_now_us() + STOP_GRACE_US;
	loop_timer_arm(l, &r->grace, loop_now_us());
}

/*
 * Everything that needs full root (pid file, control socket, first sockets)
 * is done: keep only the capabilities vipd and its scripts need. Scripts
 * that run as root would lose what they may rely on, so then nothing is
 * dropped and the log says how to change that.
 */
static void drop_privileges(const struct vipd *d)
{
	char caps[128];
	int err;

	if (vipd_scripts_as_root(d)) {
		log_notice("scripts run as root, so vipd keeps root's capabilities (set script_user to an unprivileged user to let vipd drop them)");
		return;
	}
	err = privs_drop(true);
	if (err < 0) {
		log_warn("cannot drop capabilities: %s", strerror(-err));
		return;
	}
	log_info("running with capabilities %s", privs_describe(caps, sizeof(caps)));
}

/* Re-read the configuration; a broken one is reported and the running one kept. */
static int run_reload(void *arg, char *msg, size_t size)
{
	struct run *r = arg;
	struct vipd_config *cfg;
	size_t nerrors;
	int err;

	if (r->d.stopping) {
		snprintf(msg, size, "stopping; not reloading");
		return -EBUSY;
	}
	sd_notify_state("RELOADING=1");
	log_notice("reloading %s", r->config_path);
	cfg = load_config(r->config_path, r->cfg_opts, NULL, &nerrors);
	if (!cfg) {
		snprintf(msg, size, "%s has %zu error%s (see the log); keeping the running configuration",
			 r->config_path, nerrors, nerrors == 1 ? "" : "s");
		log_err("%s", msg);
		sd_notify_state("READY=1");
		return -EINVAL;
	}
	if (strcmp(cfg->global.net_namespace, r->d.cfg->global.net_namespace) != 0)
		log_warn("net_namespace: a change takes effect when vipd is restarted; it stays in "
			 "%s", r->d.cfg->global.net_namespace[0] ? r->d.cfg->global.net_namespace :
			 "the namespace it was started in");
	if (!ipaddr_equal(&cfg->global.mcast_group4, &r->d.cfg->global.mcast_group4) ||
	    !ipaddr_equal(&cfg->global.mcast_group6, &r->d.cfg->global.mcast_group6))
		log_warn("vrrp_mcast_group4/6: a change takes effect when vipd is restarted");
	err = vipd_reload(&r->d, cfg, msg, size);
	sd_notify_state("READY=1");
	return err;
}

static void on_hup(struct loop *l, int signo, void *arg)
{
	char msg[256];

	(void)l;
	(void)signo;
	run_reload(arg, msg, sizeof(msg));
}

/* SIGUSR1: the full state into the log, one line at a time. */
static void on_usr1(struct loop *l, int signo, void *arg)
{
	struct run *r = arg;
	char *dump = ctl_render(&r->d, "dump");
	char *save = NULL;

	(void)l;
	(void)signo;
	if (!dump)
		return;
	for (char *line = strtok_r(dump, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		log_notice("dump: %s", line);
	free(dump);
}

#define ORIGIN_NETNS_ENV "VIPD_ORIGIN_NETNS_FD"

/*
 * net_namespace: enter it, keeping the namespace left open (for the
 * kernel's process events, tracked.h) and across exec, so that a worker
 * the guard starts finds it through ORIGIN_NETNS_ENV. 0 or -errno.
 */
static int enter_net_namespace(const struct vipd_config *cfg, int *origin)
{
	const char *name = cfg->global.net_namespace;
	char num[16];
	int err;

	*origin = -1;
	if (!name[0])
		return 0;
	err = netns_enter(name, origin);
	if (err < 0) {
		log_err("net_namespace %s: cannot enter /run/netns/%s: %s; not started", name, name,
			strerror(-err));
		return err;
	}
	log_notice("running in network namespace %s", name);
	if (*origin >= 0) {
		fcntl(*origin, F_SETFD, 0);
		snprintf(num, sizeof(num), "%d", *origin);
		setenv(ORIGIN_NETNS_ENV, num, 1);
	}
	return 0;
}

/* A worker: the namespace its guard left, or -1; not passed on to scripts. */
static int inherited_origin_netns(void)
{
	const char *v = getenv(ORIGIN_NETNS_ENV);
	struct stat st;
	int fd;

	if (!v)
		return -1;
	fd = atoi(v);
	unsetenv(ORIGIN_NETNS_ENV);
	if (fd < 3 || fstat(fd, &st) < 0)
		return -1;
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	return fd;
}

/* The guard's part: the pid file's lock, then workers until one stops cleanly. */
static int run_guard(const struct options *o, char **argv, int pidfd)
{
	struct guard_opts go = {
		.argv = argv,
		.pidfile = o->pidfile,
		.pidfd = pidfd,
		.state_path = o->state_buf,
	};
	char caps[128];
	int err, rc;

	err = privs_guard();
	if (err < 0)
		log_warn("guard: cannot drop capabilities: %s", strerror(-err));
	else
		log_info("guard: running with capabilities %s", privs_describe(caps, sizeof(caps)));
	rc = guard_run(&go);
	unlink(o->state_buf);
	unlink(o->pidfile);
	close(pidfd);
	return rc;
}

/*
 * The worker learns that the guard died from SIGTERM (PR_SET_PDEATHSIG):
 * nothing would clean up after it any more, so it resigns and stops.
 */
static void watch_guard(struct run *r, const struct options *o)
{
	r->guard_pid = o->guard_pid;
	prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0);
	if (getppid() != o->guard_pid)
		raise(SIGTERM);
}

/*
 * The pipe to the guard moves to the highest descriptor we may have: when
 * this process dies, the kernel releases its files from the highest down,
 * and the guard hears of the death when this one goes, before the sockets'
 * slow release. Returns the descriptor.
 */
static int guard_pipe_high(int fd)
{
	struct rlimit rl;
	int top = 1023, hi;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    rl.rlim_cur > 64)
		top = rl.rlim_cur - 1 < 65535 ? (int)rl.rlim_cur - 1 : 65535;
	hi = fcntl(fd, F_DUPFD_CLOEXEC, top);
	if (hi < 0)
		hi = fcntl(fd, F_DUPFD_CLOEXEC, 64);
	if (hi < 0)
		return fd;
	close(fd);
	return hi;
}

/* Tell the guard that this worker got going; the pipe stays open until we die. */
static void tell_guard_ready(const struct options *o, int fd)
{
	if (!o->worker || fd < 0)
		return;
	if (write(fd, "R", 1) != 1)
		log_warn("cannot tell the guard that the daemon is up: %s", strerror(errno));
}

static int run_daemon(const struct options *o, char **argv)
{
	static const int stop_signals[] = { SIGTERM, SIGINT };
	struct run r = { 0 };
	struct vipd_config *cfg;
	size_t nerrors;
	int pidfd, readyfd = -1, err, rc = 1, origin_netns = -1;

	cfg = load_config(o->config, &o->cfg_opts, NULL, &nerrors);
	if (!cfg) {
		log_err("%s: %zu error%s; not started", o->config, nerrors, nerrors == 1 ? "" : "s");
		return 1;
	}
	if (cfg->ninstances == 0 && !o->worker)
		log_warn("%s: no vrrp_instance configured; nothing to do but wait", o->config);
	if (o->worker) {
		pidfd = o->worker_pidfd;
		fcntl(pidfd, F_SETFD, FD_CLOEXEC);
		fcntl(o->worker_readyfd, F_SETFD, FD_CLOEXEC);
		readyfd = guard_pipe_high(o->worker_readyfd);
		origin_netns = inherited_origin_netns();
	} else {
		if (!o->foreground && daemonize() < 0) {
			log_err("cannot daemonize: %s", strerror(errno));
			cfg_free(cfg);
			return 1;
		}
		pidfd = pidfile_lock(o->pidfile);
		if (pidfd < 0) {
			cfg_free(cfg);
			return 1;
		}
		/* Before the guard: it and its workers live in the namespace. */
		if (enter_net_namespace(cfg, &origin_netns) < 0) {
			cfg_free(cfg);
			unlink(o->pidfile);
			close(pidfd);
			return 1;
		}
		if (!o->no_guard) {
			cfg_free(cfg);
			return run_guard(o, argv, pidfd);
		}
	}
	pidfile_write(pidfd);
	tracked_set_origin_netns(origin_netns);
	signal(SIGPIPE, SIG_IGN);
	/* Adverts at 10 ms intervals want timers that fire on time, not within 50 us slack. */
	prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);

	r.loop = loop_new();
	if (!r.loop) {
		log_err("cannot create the event loop: %s", strerror(errno));
		cfg_free(cfg);
		goto out;
	}
	loop_timer_init(&r.grace, on_grace_poll, &r);
	r.config_path = o->config;
	r.cfg_opts = &o->cfg_opts;
	for (size_t i = 0; i < sizeof(stop_signals) / sizeof(stop_signals[0]); i++)
		loop_add_signal(r.loop, stop_signals[i], on_stop_signal, &r);
	loop_add_signal(r.loop, SIGHUP, on_hup, &r);
	loop_add_signal(r.loop, SIGUSR1, on_usr1, &r);
	if (o->worker) {
		watch_guard(&r, o);
		r.d.state_path = o->state_buf;
		r.d.guarded = true;
		r.d.restarts = o->restarts;
		snprintf(r.d.last_death, sizeof(r.d.last_death), "%s", o->last_death);
	}

	log_notice("vipd %s starting with %s (%zu instance%s)%s", PACKAGE_VERSION, o->config,
		   cfg->ninstances, cfg->ninstances == 1 ? "" : "s",
		   o->restarts ? " after a restart by the guard" : "");
	r.d.pidfile = o->pidfile;
	err = vipd_start(&r.d, r.loop, cfg); /* takes cfg */
	if (err < 0) {
		log_err("start-up failed: %s", strerror(-err));
		vipd_shutdown(&r.d);
		goto out;
	}
	err = ctl_open(r.loop, o->socket, &r.d, run_reload, &r, &r.ctl);
	if (err < 0)
		log_err("control socket %s: %s; vipctl will not reach this daemon", o->socket,
			strerror(-err));
	else if (o->status_group && (err = ctl_allow_group(r.ctl, o->status_gid)) < 0)
		log_err("control socket %s: cannot open it to group %s: %s; only root may use it",
			o->socket, o->status_group, strerror(-err));
	drop_privileges(&r.d);
	sd_notify_state("READY=1");
	tell_guard_ready(o, readyfd);
	err = loop_run(r.loop);
	if (err < 0) {
		log_err("event loop failed: %s; resigning", strerror(-err));
		if (!r.d.stopping)
			vipd_shutdown(&r.d);
		goto out;
	}
	log_notice("stopped");
	rc = 0;
out:
	if (r.loop) {
		ctl_close(r.ctl);
		notify_cancel_all(r.loop);
		loop_timer_cancel(r.loop, &r.grace);
		vipd_free(&r.d);
		loop_free(r.loop);
	}
	/* A worker's pid file is the guard's to remove. */
	if (!o->worker)
		unlink(o->pidfile);
	close(pidfd);
	if (readyfd >= 0)
		close(readyfd);
	if (origin_netns >= 0)
		close(origin_netns);
	return rc;
}

int main(int argc, char **argv)
{
	struct options o;
	int rc;

	if (parse_options(argc, argv, &o) < 0)
		return 2;
	/* ${_RANDOM} differs from run to run, as keepalived's does. */
	o.cfg_opts.random_seed = (uint32_t)time(NULL) ^ (uint32_t)getpid();
	if (o.status_group && resolve_group(o.status_group, &o.status_gid) < 0)
		return 2;
	if (o.config_test) {
		log_init("vipd", LOG_TO_STDERR, LOG_INFO);
		rc = config_test(o.config, &o.cfg_opts);
		log_close();
		return rc;
	}
	log_init("vipd", o.log_console ? LOG_TO_STDERR : LOG_TO_SYSLOG,
		 o.detail ? LOG_DEBUG : LOG_INFO);
	rc = run_daemon(&o, argv);
	log_close();
	return rc;
}
