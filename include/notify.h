/*
 * notify.h - notify scripts on state changes, with keepalived's arguments:
 * notify_master/backup/fault/stop run as written; "notify" gets
 * TYPE NAME STATE PRIORITY appended (TYPE is INSTANCE or GROUP, STATE is
 * MASTER, BACKUP, FAULT or STOP).
 */
#ifndef VIPD_NOTIFY_H
#define VIPD_NOTIFY_H

#include <stdint.h>

#include "config.h"
#include "script.h"

struct loop;

enum notify_kind { NOTIFY_INSTANCE, NOTIFY_GROUP };

/* What a notify is about: "MASTER", "BACKUP", "FAULT", or "STOP". */
enum notify_state { NOTIFY_MASTER, NOTIFY_BACKUP, NOTIFY_FAULT, NOTIFY_STOP };

const char *notify_state_name(enum notify_state s);

/*
 * Run the scripts configured in n for state s: the state's own script and
 * "notify", side by side. Runs asynchronously; each script's outcome is
 * logged ("notify_master for web exited with status 3"); a script that
 * cannot be parsed or started is a log line, never an error for the caller.
 * opts gives user, group and time limit (NULL: the daemon's own ids, 30 s);
 * opts->log_tag is not used: output lines are tagged with the script's
 * role, "notify_master for web: ...".
 *
 * Runs of one (kind, name) are ordered: while an earlier state's scripts
 * are still running, these wait (with copies of n's commands, so the
 * configuration may be freed) and start when those have all ended. At
 * most 16 states wait; then the oldest waiting one is dropped, with a
 * warning. A waiting STOP gives the scripts ahead of it 2 s, then kills
 * them and skips the states waiting before it. Returns how many scripts
 * were started or queued.
 */
int notify_run(struct loop *l, const struct cfg_notify *n, enum notify_kind kind,
	       const char *name, enum notify_state s, uint8_t priority,
	       const struct script_opts *opts);

/*
 * Also hand every state change given to notify_run to fn (the notify
 * FIFOs), in the order of the calls, scripts or not. NULL: none.
 */
typedef void (*notify_sink_fn)(enum notify_kind kind, const char *name, enum notify_state s,
			       uint8_t priority, void *arg);
void notify_set_sink(notify_sink_fn fn, void *arg);

/* Notify scripts started and not finished yet, or waiting, over all loops. */
unsigned notify_pending(void);

/*
 * Kill and forget every run started on l, and drop those waiting (teardown,
 * after giving them a bounded time to finish: notify_stop scripts deserve
 * to complete).
 */
void notify_cancel_all(struct loop *l);

#endif
