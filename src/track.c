/* track.c - rise/fall verdicts and priority weights (see track.h). */
#include "track.h"
#include "vrrp.h"

#define PRIO_MIN 1

void track_init(struct track_state *t, int rise, int fall, bool init_fail)
{
	t->rise = rise < 1 ? 1 : rise;
	t->fall = fall < 1 ? 1 : fall;
	t->up = !init_fail;
	t->streak = 0;
}

bool track_result(struct track_state *t, bool success)
{
	if (success == t->up) {
		t->streak = 0;
		return false;
	}
	t->streak++;
	if (t->streak < (t->up ? t->fall : t->rise))
		return false;
	t->up = success;
	t->streak = 0;
	return true;
}

int track_delta(int weight, bool reverse, bool up)
{
	int w = reverse ? -weight : weight;

	/* A positive weight rewards being up, a negative one punishes being down. */
	if (weight > 0)
		return up ? w : 0;
	if (weight < 0)
		return up ? 0 : w;
	return 0;
}

uint8_t track_priority(uint8_t base, int delta_sum)
{
	int p;

	if (base == VRRP_PRIO_OWNER)
		return base;
	p = (int)base + delta_sum;
	if (p < PRIO_MIN)
		return PRIO_MIN;
	if (p > VRRP_PRIO_MAX_TRACKED)
		return VRRP_PRIO_MAX_TRACKED;
	return (uint8_t)p;
}
