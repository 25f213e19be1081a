/*
 * guard.h - the small parent process that outlives a crashed daemon.
 *
 * vipd starts as the guard: it takes the pid file's lock, keeps only
 * CAP_NET_ADMIN and CAP_NET_RAW, and runs the daemon proper (the worker) as
 * its child by executing vipd again. When the worker dies without cleaning
 * up (a signal such as SIGKILL, SIGSEGV or SIGABRT, or a non-zero exit), the
 * guard reads the state record the worker kept (staterec.h), checks it and
 * the kernel's addresses, sends a priority-0 advert for every instance the
 * worker held the VIPs of, removes those VIPs and virtual-MAC interfaces,
 * and starts a new worker after a back-off. It never reads the dead
 * process's memory. SIGTERM, SIGINT, SIGHUP and SIGUSR1 are passed on to the
 * worker; when the worker stops cleanly, the guard exits with it.
 */
#ifndef VIPD_GUARD_H
#define VIPD_GUARD_H

#include <stdbool.h>

/* First restart after this, doubling per crash up to the maximum. */
#define GUARD_BACKOFF_MIN_MS 100
#define GUARD_BACKOFF_MAX_MS 30000
/* A worker that ran this long starts the back-off afresh. */
#define GUARD_STABLE_MS 60000

struct guard_opts {
	char *const *argv;      /* vipd's own command line; the worker gets --worker added */
	const char *pidfile;    /* emptied when a worker dies, removed at the end */
	int pidfd;              /* the pid file, locked; every worker inherits it */
	const char *state_path; /* the state record */
};

/* Run workers until one stops cleanly or the guard is told to stop; the exit status. */
int guard_run(const struct guard_opts *o);

/*
 * Resign and clean up after worker pid from the record at path (logged);
 * with kill_first, SIGKILL it first (it is not reaped yet). Returns the
 * number of instances resigned, -ECANCELED when the record says the worker
 * stopped cleanly, or -errno when the record is missing or invalid (nothing
 * is done then).
 */
int guard_cleanup(const char *path, int pid, bool kill_first);

#endif
