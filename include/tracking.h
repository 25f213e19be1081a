/*
 * tracking.h - an instance's tracking in the daemon: starting the checks
 * (checks.h) that some instance tracks, and adding up what its tracked
 * scripts, gateways, processes and files (tracked.h) and interfaces say
 * (the arithmetic is track.h's, the sync-group rule syncgroup.h's).
 */
#ifndef VIPD_TRACKING_H
#define VIPD_TRACKING_H

#include <stdbool.h>

#include "checks.h"

struct vipd;
struct vipd_instance;

/*
 * Start every check some instance tracks (unreferenced ones never run, as
 * in keepalived); changed is called with d when a verdict flips. 0, or
 * -errno when out of memory or a script's user does not exist (logged).
 */
int tracking_start(struct vipd *d, check_changed_cb changed);

/*
 * Weights and weight-0 faults of every tracked script, gateway, process,
 * file and interface of in: FAULT_TRACK or 0, *delta the sum of the weights in
 * force; in->track_cause and in->track_down say what moved or faulted it.
 */
unsigned tracking_sum(struct vipd_instance *in, int *delta);

struct cfg_instance;
struct cfg_track_ref;

/*
 * Whether track_file entry r of instance c puts it in FAULT now (with the
 * sync-group rule applied); *value is what the file reads. For reports:
 * tracking_sum() decides with the same arithmetic.
 */
bool tracking_file_faults(const struct vipd *d, const struct cfg_instance *c,
			  const struct cfg_track_ref *r, long *value);

#endif /* VIPD_TRACKING_H */
