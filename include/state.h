/*
 * state.h - the daemon's side of the state record (staterec.h): which
 * instances hold, or are putting in, their virtual addresses, kept in a
 * file next to the pid file for the guard (guard.h) to clean up from if
 * this process dies without doing it itself.
 */
#ifndef VIPD_STATE_H
#define VIPD_STATE_H

#include <stdbool.h>

struct vipd;

/*
 * Rewrite the record at d->state_path (atomically, by rename) from the
 * instances that hold or are putting in their VIPs; clean marks the final
 * one of a clean stop (nothing held). A no-op without a guard
 * (d->state_path NULL); a failure is logged.
 */
void state_save(struct vipd *d, bool clean);

#endif /* VIPD_STATE_H */
