/*
 * syncgroup.c - the rules of a sync group (see syncgroup.h).
 */
#include "fault.h"
#include "syncgroup.h"

unsigned syncgroup_own_faults(unsigned faults)
{
	return faults & ~(unsigned)FAULT_SYNC;
}

unsigned syncgroup_member_faults(unsigned faults, size_t nfaulty)
{
	unsigned own = syncgroup_own_faults(faults);
	size_t others = nfaulty - (own && nfaulty ? 1 : 0);

	return own | (others ? FAULT_SYNC : 0);
}

int syncgroup_track_weight(bool in_group, int weight)
{
	return in_group ? 0 : weight;
}

bool syncgroup_track_reverse(bool in_group, int weight, bool reverse)
{
	return reverse && (!in_group || weight == 0);
}

bool syncgroup_notify_due(enum vrrp_state state, size_t nin_state, size_t nmembers,
			  enum vrrp_state notified)
{
	return state != VRRP_STATE_INIT && nin_state == nmembers && notified != state;
}
