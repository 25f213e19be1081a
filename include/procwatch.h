/*
 * procwatch.h - the running side of vrrp_track_process: one scan of /proc
 * at start, then the kernel's process events (the netlink process
 * connector: fork, exec, comm change, exit), never polling. Each tracked
 * block keeps the set of matching process IDs; a change of its quorum
 * verdict is reported, after fork_delay (gained) or terminate_delay (lost)
 * when those are set.
 *
 * The process connector only sends to sockets of the initial network
 * namespace, so the socket is opened there when vipd runs in another one
 * (this needs CAP_SYS_ADMIN: call procwatch_start before dropping it, and
 * a handle on that namespace: vipd's own from before net_namespace, or
 * /proc/1/ns/net).
 */
#ifndef VIPD_PROCWATCH_H
#define VIPD_PROCWATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "loop.h"
#include "trackproc.h"

struct procwatch;

/* Called when block idx's verdict flips; up is the new one. */
typedef void (*procwatch_cb)(size_t idx, bool up, void *arg);

struct procwatch *procwatch_new(struct loop *l, procwatch_cb cb, void *arg);

/*
 * Track spec (borrowed: it must outlive the watch); returns its index, or
 * -ENOMEM.
 */
int procwatch_add(struct procwatch *pw, const struct trackproc_spec *spec,
		  uint64_t fork_delay_us, uint64_t terminate_delay_us);

/*
 * Open the connector socket, listen, then scan /proc: afterwards
 * procwatch_up() gives each block's verdict. origin_netns (or -1) is the
 * initial network namespace when vipd left it itself. Returns 0 or
 * -errno (the caller decides whether the blocks then stay down).
 */
int procwatch_start(struct procwatch *pw, int origin_netns);

/*
 * For a reload: forget every block (procwatch_add the new ones), keeping
 * the socket, which vipd may no longer have the right to open; then
 * procwatch_rescan() counts afresh.
 */
void procwatch_clear(struct procwatch *pw);
void procwatch_rescan(struct procwatch *pw);

/* Is the socket open (procwatch_start succeeded)? */
bool procwatch_started(const struct procwatch *pw);

bool procwatch_up(const struct procwatch *pw, size_t idx);
size_t procwatch_count(const struct procwatch *pw, size_t idx);
uint64_t procwatch_events(const struct procwatch *pw); /* connector messages handled */

void procwatch_free(struct procwatch *pw);

#endif
