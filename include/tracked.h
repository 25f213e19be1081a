/*
 * tracked.h - vrrp_track_process and track_file in the running daemon:
 * the blocks some instance tracks are watched (procwatch.h, filewatch.h)
 * and every change re-evaluates the instances' priorities and faults.
 */
#ifndef VIPD_TRACKED_H
#define VIPD_TRACKED_H

#include <stdbool.h>
#include <stddef.h>

struct vipd;

/*
 * Start watching what d->cfg's instances track. Needs the privileges of
 * start-up (the process connector's socket is opened in the initial
 * network namespace). Returns 0 or -ENOMEM; a watch that cannot start is
 * logged and its blocks stay down.
 */
int tracked_start(struct vipd *d);

/* The namespace vipd left for net_namespace (an open descriptor), or -1. */
void tracked_set_origin_netns(int fd);

/* After a reload: the blocks of the new d->cfg, on the same sockets. */
int tracked_reload(struct vipd *d);

void tracked_free(struct vipd *d);

/* The verdict of vrrp_track_process number def of d->cfg. */
bool tracked_process_up(const struct vipd *d, size_t def);

/* The value of track_file number def of d->cfg. */
long tracked_file_value(const struct vipd *d, size_t def);

/* Whether that block is watched (some instance tracks it); for reports. */
bool tracked_process_watched(const struct vipd *d, size_t def);
bool tracked_file_watched(const struct vipd *d, size_t def);

/* How many processes vrrp_track_process number def counts now. */
size_t tracked_process_count(const struct vipd *d, size_t def);

#endif
