/*
 * checks.h - the running side of tracking: vrrp_script blocks run every
 * interval (never blocking the loop) and track_gateway blocks probed with
 * ICMP echo from inside the daemon (no process per probe). Each check keeps
 * a rise/fall verdict (track.h) and reports when it flips. A vrrp_script
 * that names http_get or tcp_connect (probe.h) runs natively: a
 * non-blocking connection from the daemon itself, no process per run.
 */
#ifndef VIPD_CHECKS_H
#define VIPD_CHECKS_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "loop.h"
#include "probe.h"
#include "script.h"
#include "track.h"

struct check;

/* Called when a check's verdict flips. */
typedef void (*check_changed_cb)(struct check *c, void *arg);

enum check_kind { CHECK_SCRIPT, CHECK_GATEWAY };

struct check {
	enum check_kind kind;
	const char *name;
	const struct cfg_script *script;  /* CHECK_SCRIPT */
	const struct probe_spec *probe;   /* CHECK_SCRIPT run natively, else NULL */
	const struct cfg_gateway *gateway; /* CHECK_GATEWAY */
	struct track_state state;
	struct loop *loop;
	struct loop_timer timer;          /* next run, or the probe's time limit */
	struct script_run *run;           /* script in flight */
	char **argv;
	struct script_opts opts;
	int fd;                           /* gateway: ICMP socket; probe: its connection; -1 when closed */
	struct loop_timer limit;          /* probe: its time limit */
	char *answer;                     /* http_get: what the server said so far */
	size_t answer_len;
	bool connected;                   /* probe: the connection is made */
	size_t request_sent;              /* http_get: bytes of the request written */
	uint64_t probe_runs;              /* native runs, none of which creates a process */
	uint16_t probe_id;
	uint16_t probe_seq;
	bool awaiting;                    /* gateway: probe sent, no answer yet */
	uint64_t sent_us;
	uint64_t runs;
	uint64_t failures;
	uint64_t last_runtime_us;
	bool last_ok;
	char last_error[128];
	check_changed_cb changed;
	void *arg;
};

/*
 * Start a vrrp_script check running as opts (uid/gid); the first run is
 * immediate. Returns 0 or -errno (a script line that cannot be split).
 */
int check_start_script(struct check *c, struct loop *l, const struct cfg_script *s,
		       const struct script_opts *opts, check_changed_cb cb, void *arg);

/* Start a track_gateway check; dev_ifname overrides the config's dev when not NULL. */
int check_start_gateway(struct check *c, struct loop *l, const struct cfg_gateway *g,
			const char *dev_ifname, check_changed_cb cb, void *arg);

/*
 * Begin running a started check. With enable_script_security a script that
 * a non-root user could change is refused: it never runs and stays down.
 */
void check_run(struct check *c, bool enable_script_security);

/* Stop: cancel timers, kill a running script, close sockets. */
void check_stop(struct check *c);

#endif
