/*
 * track.h - tracking arithmetic, pure: the rise/fall verdict of a check
 * (script, gateway probe, interface) and how verdicts weigh on an
 * instance's priority. keepalived's semantics:
 *   weight W > 0: W is added while the check is up;
 *   weight W < 0: W is added (priority drops) while it is down;
 *   reverse: the sign of the adjustment is flipped;
 *   weight 0: the instance is in FAULT while the check is down.
 */
#ifndef VIPD_TRACK_H
#define VIPD_TRACK_H

#include <stdbool.h>
#include <stdint.h>

struct track_state {
	int rise;   /* consecutive successes that make a down check up */
	int fall;   /* consecutive failures that make an up check down */
	bool up;    /* the verdict in force */
	int streak; /* consecutive results disagreeing with the verdict */
};

/* A check starts up, or down with init_fail. rise and fall below 1 count as 1. */
void track_init(struct track_state *t, int rise, int fall, bool init_fail);

/* Feed one result; returns true when the verdict flipped. */
bool track_result(struct track_state *t, bool success);

/* Priority delta this check contributes in its current verdict. */
int track_delta(int weight, bool reverse, bool up);

/* True when this check puts its instance in FAULT. */
static inline bool track_faults(int weight, bool up)
{
	return weight == 0 && !up;
}

/*
 * Effective priority: base plus the sum of deltas, clamped to 1..254; an
 * address owner (255) is never changed by tracking.
 */
uint8_t track_priority(uint8_t base, int delta_sum);

#endif
