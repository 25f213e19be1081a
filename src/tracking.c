/*
 * tracking.c - what an instance tracks, added up: the checks that run for
 * it and the weights and faults of its tracked scripts, gateways,
 * processes, files and interfaces (see tracking.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "log.h"
#include "privs.h"
#include "syncgroup.h"
#include "track.h"
#include "tracked.h"
#include "tracking.h"

int tracking_start(struct vipd *d, check_changed_cb changed)
{
	const struct vipd_config *cfg = d->cfg;

	d->checks = calloc(cfg->nscripts + cfg->ngateways + 1, sizeof(*d->checks));
	if (!d->checks)
		return -ENOMEM;
	for (size_t s = 0; s < cfg->nscripts; s++) {
		bool used = false;

		for (size_t i = 0; i < cfg->ninstances && !used; i++)
			for (size_t k = 0; k < cfg->instances[i].ntrack_scripts && !used; k++)
				used = cfg->instances[i].track_scripts[k].script == &cfg->scripts[s];
		if (!used) {
			log_warn("vrrp_script %s is not tracked by any instance; it will not run",
				 cfg->scripts[s].name);
			continue;
		}
		struct script_opts opts = d->script_opts;
		const struct cfg_script *sc = &cfg->scripts[s];

		if (sc->user[0] && privs_lookup_user(sc->user, sc->group, &opts.uid, &opts.gid) < 0) {
			log_err("vrrp_script %s: user %s%s%s does not exist", sc->name, sc->user,
				sc->group[0] ? " " : "", sc->group);
			return -ENOENT;
		}
		if (check_start_script(&d->checks[d->nchecks], d->loop, sc, &opts,
				       changed, d) == 0)
			d->nchecks++;
	}
	for (size_t g = 0; g < cfg->ngateways; g++) {
		const char *dev = NULL;

		for (size_t i = 0; i < cfg->ninstances && !dev; i++)
			for (size_t k = 0; k < cfg->instances[i].ntrack_gateways && !dev; k++)
				if (strcmp(cfg->instances[i].track_gateways[k],
					   cfg->gateways[g].name) == 0)
					dev = cfg->instances[i].interface;
		if (!dev)
			continue;
		if (check_start_gateway(&d->checks[d->nchecks], d->loop, &cfg->gateways[g], dev,
					changed, d) == 0)
			d->nchecks++;
	}
	return 0;
}

static struct check *check_by_name(struct vipd *d, enum check_kind kind, const char *name)
{
	for (size_t i = 0; i < d->nchecks; i++)
		if (d->checks[i].kind == kind && d->checks[i].loop &&
		    strcmp(d->checks[i].name, name) == 0)
			return &d->checks[i];
	return NULL;
}

/* Add one tracked condition's effect to the running totals. */
static void track_add(struct vipd_instance *in, int weight, bool reverse, bool up,
		      const char *what, int *delta, unsigned *faults)
{
	int dw;

	/*
	 * As in keepalived, a sync group member's tracking only ever means
	 * FAULT: a weight that moved one member alone would split the group.
	 */
	weight = syncgroup_track_weight(in->group != NULL, weight);
	dw = track_delta(weight, reverse, up);

	*delta += dw;
	if (track_faults(weight, up) && !*faults) {
		*faults = FAULT_TRACK;
		snprintf(in->track_down, sizeof(in->track_down), "%s", what);
		snprintf(in->track_cause, sizeof(in->track_cause), "%s is down", what);
	} else if (dw && !*faults) {
		snprintf(in->track_cause, sizeof(in->track_cause), "%s is %s", what,
			 up ? "up" : "down");
	}
}

/* A track_file entry of c: its value, and what it adds or whether it faults. */
static long file_effect(const struct vipd *d, const struct cfg_instance *c,
			const struct cfg_track_ref *r, int *delta, bool *fault)
{
	const struct cfg_track_file *tf = &d->cfg->tfiles[r->def];
	long value = tracked_file_value(d, r->def);
	int weight = r->weight_set ? r->weight : tf->weight;
	bool reverse = r->weight_set ? r->reverse : tf->reverse;
	bool in_group = c->sync_group[0] != '\0';

	reverse = syncgroup_track_reverse(in_group, weight, reverse);
	weight = syncgroup_track_weight(in_group, weight);
	trackfile_effect(value, weight, reverse, delta, fault);
	return value;
}

bool tracking_file_faults(const struct vipd *d, const struct cfg_instance *c,
			  const struct cfg_track_ref *r, long *value)
{
	bool fault;
	int dw;

	*value = file_effect(d, c, r, &dw, &fault);
	return fault;
}

/* A track_file's effect: its value times the weight, or a fault. */
static void track_add_file(struct vipd_instance *in, const struct cfg_track_ref *r, int *delta,
			   unsigned *faults)
{
	const struct cfg_track_file *tf = &in->d->cfg->tfiles[r->def];
	bool fault;
	int dw;
	long value = file_effect(in->d, in->cfg, r, &dw, &fault);

	*delta += dw;
	if (fault && !*faults) {
		*faults = FAULT_TRACK;
		snprintf(in->track_down, sizeof(in->track_down), "track_file %s", tf->name);
		snprintf(in->track_cause, sizeof(in->track_cause), "track_file %s reads %ld",
			 tf->name, value);
	} else if (dw && !*faults) {
		snprintf(in->track_cause, sizeof(in->track_cause), "track_file %s reads %ld",
			 tf->name, value);
	}
}

/* vrrp_track_process verdicts, weighed like scripts. */
static void track_add_processes(struct vipd_instance *in, int *delta, unsigned *faults)
{
	const struct cfg_instance *c = in->cfg;
	struct vipd *d = in->d;
	char what[96];

	for (size_t i = 0; i < c->ntrack_processes; i++) {
		const struct cfg_track_ref *r = &c->track_processes[i];
		const struct cfg_track_process *tp = &d->cfg->processes[r->def];
		int w = r->weight_set ? r->weight : tp->weight;
		bool rev = r->weight_set ? r->reverse : tp->reverse;
		bool up = tracked_process_up(d, r->def);

		/* keepalived: "weight 0 reverse" is a fault while the quorum is there. */
		if (w == 0 && rev) {
			up = !up;
			rev = false;
		}
		snprintf(what, sizeof(what), "vrrp_track_process %s", tp->name);
		track_add(in, w, rev, up, what, delta, faults);
	}
}

unsigned tracking_sum(struct vipd_instance *in, int *delta)
{
	const struct cfg_instance *c = in->cfg;
	struct vipd *d = in->d;
	unsigned faults = 0;
	char what[96];

	*delta = 0;
	for (size_t i = 0; i < c->ntrack_scripts; i++) {
		const struct cfg_track_script *ts = &c->track_scripts[i];
		struct check *chk = check_by_name(d, CHECK_SCRIPT, ts->name);
		int w = ts->weight_set ? ts->weight : ts->script->weight;

		if (!chk)
			continue;
		snprintf(what, sizeof(what), "vrrp_script %s", ts->name);
		track_add(in, w, ts->script->weight_reverse, chk->state.up, what, delta, &faults);
	}
	for (size_t i = 0; i < c->ntrack_gateways; i++) {
		struct check *chk = check_by_name(d, CHECK_GATEWAY, c->track_gateways[i]);

		if (!chk)
			continue;
		snprintf(what, sizeof(what), "track_gateway %s", chk->name);
		track_add(in, chk->gateway->weight, false, chk->state.up, what, delta, &faults);
	}
	track_add_processes(in, delta, &faults);
	for (size_t i = 0; i < c->ntrack_files; i++)
		track_add_file(in, &c->track_files[i], delta, &faults);
	for (size_t i = 0; i < c->ntrack_ifs; i++) {
		const struct cfg_track_if *ti = &c->track_ifs[i];
		const struct vipd_iface *ifc = vipd_iface_by_name(d, ti->name);
		bool up = ifc && ifc->ifindex > 0 && ifc->up && ifc->running;

		snprintf(what, sizeof(what), "tracked interface %s", ti->name);
		track_add(in, ti->weight, false, up, what, delta, &faults);
	}
	return faults;
}
