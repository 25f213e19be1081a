/*
 * syncgroup.h - the rules of a vrrp_sync_group (keepalived's semantics):
 * its members go into FAULT together, tracking means FAULT rather than a
 * weight, and the group's notify scripts run once all members agree. Pure:
 * the daemon walks its members and counts; these functions decide.
 */
#ifndef VIPD_SYNCGROUP_H
#define VIPD_SYNCGROUP_H

#include <stdbool.h>
#include <stddef.h>

#include "vrrp.h"

/* The faults a member has of its own, apart from being held by its group. */
unsigned syncgroup_own_faults(unsigned faults);

/*
 * The faults a member runs with, given how many members of its group
 * (itself included) have a fault of their own: its own, plus FAULT_SYNC
 * while another member has one. Being held (FAULT_SYNC) does not spread.
 */
unsigned syncgroup_member_faults(unsigned faults, size_t nfaulty);

/*
 * The weight a tracked condition applies: its own outside a group, none in
 * one (a weight that moved one member alone would split the group; a
 * tracked failure still means FAULT).
 */
int syncgroup_track_weight(bool in_group, int weight);

/*
 * Whether a tracked condition's "reverse" still applies: always outside a
 * group; in one only with weight 0 ("weight 0 reverse": FAULT while the
 * condition is up), since a reversed weight that no longer applies would
 * otherwise turn into a FAULT on the opposite condition.
 */
bool syncgroup_track_reverse(bool in_group, int weight, bool reverse);

/*
 * Whether the group's notify scripts are due for state: all nmembers
 * members (nin_state of them) are in it, it is not INIT, and the scripts
 * last ran for another state.
 */
bool syncgroup_notify_due(enum vrrp_state state, size_t nin_state, size_t nmembers,
			  enum vrrp_state notified);

#endif /* VIPD_SYNCGROUP_H */
