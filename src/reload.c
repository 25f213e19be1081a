/*
 * reload.c - SIGHUP: move a running daemon to a new configuration without
 * disturbing what did not change. An instance that keeps its name,
 * interface, VRID, family, version and owner role carries its state,
 * timers, counters, sockets and VIPs over; the rest resign or start.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

#include "daemon-priv.h"
#include "daemon.h"
#include "log.h"
#include "loop.h"
#include "notify.h"
#include "privs.h"
#include "reload.h"
#include "sock.h"
#include "state.h"
#include "tracked.h"
#include "tracking.h"
#include "vrouting.h"
#include "vips.h"
#include "vmac.h"

/* Same instance for a reload: what identifies it on the wire and its owner role. */
static struct vipd_instance *old_match(struct vipd_instance *olds, size_t n,
				       const struct cfg_instance *c)
{
	for (size_t i = 0; i < n; i++) {
		const struct cfg_instance *o = olds[i].cfg;

		if (strcmp(o->name, c->name) == 0 && strcmp(o->interface, c->interface) == 0 &&
		    o->vrid == c->vrid && o->family == c->family && o->version == c->version &&
		    (o->priority == VRRP_PRIO_OWNER) == (c->priority == VRRP_PRIO_OWNER))
			return &olds[i];
	}
	return NULL;
}

static void inst_resign(struct vipd_instance *in)
{
	struct vrrp_event ev = { .kind = VRRP_EV_SHUTDOWN };
	const struct cfg_instance *c = in->cfg;

	if (in->vrrp.state == VRRP_STATE_INIT && !in->vips.installed) {
		vips_stop(in);
		return;
	}
	inst_event(in, &ev);
	vrouting_remove(in);
	if (in->vips.installed)
		vips_remove(in);
	loop_timer_cancel(in->d->loop, &in->timer);
	notify_run(in->d->loop, &c->notify, NOTIFY_INSTANCE, c->name, NOTIFY_STOP,
		   in->vrrp.priority, &in->d->script_opts);
	vmac_remove(in);
}

/* Hand an interface's kernel state and sockets over to its successor. */
static void iface_carry(struct vipd_iface *ifc, struct vipd_iface *old)
{
	struct loop *l = ifc->d->loop;

	ifc->ifindex = old->ifindex;
	ifc->up = old->up;
	ifc->running = old->running;
	memcpy(ifc->mac, old->mac, sizeof(ifc->mac));
	ifc->primary4 = old->primary4;
	ifc->primary6 = old->primary6;
	memcpy(ifc->drops, old->drops, sizeof(ifc->drops));
	ifc->packet_fd = old->packet_fd;
	old->packet_fd = -1;
	ifc->sock4 = old->sock4;
	ifc->sock6 = old->sock6;
	old->sock4 = old->sock6 = NULL;
	if (ifc->sock4) {
		loop_del_fd(l, sock_fd(ifc->sock4));
		loop_add_fd(l, sock_fd(ifc->sock4), EPOLLIN, on_sock_readable, ifc);
	}
	if (ifc->sock6) {
		loop_del_fd(l, sock_fd(ifc->sock6));
		loop_add_fd(l, sock_fd(ifc->sock6), EPOLLIN, on_sock_readable, ifc);
	}
}

/*
 * Keep an unchanged instance's state across a reload: the election goes on
 * as if nothing happened (no transition, no GARP). Settings that may change
 * in place (priority, interval, preempt, authentication, VIPs, tracking,
 * notify scripts) take effect now.
 */
static void inst_carry(struct vipd_instance *in, struct vipd_instance *old)
{
	const struct cfg_instance *c = in->cfg;
	struct loop *l = in->d->loop;

	in->vrrp = old->vrrp;
	steer_inst_init(in); /* a reload ends a switchover's hold; maintenance stays */
	memcpy(in->steer.peers, old->steer.peers, sizeof(in->steer.peers));
	in->vrrp.p.priority = c->priority;
	/* A v2 backup learns no interval from adverts: it must take the new one. */
	vrrp_set_interval(&in->vrrp, c->advert_int_cs, loop_now_us());
	in->vrrp.p.preempt = c->preempt;
	in->vrrp.p.preempt_delay_us = c->preempt_delay_us;
	in->vrrp.p.lower_prio_no_advert = c->lower_prio_no_advert;
	in->vrrp.p.higher_prio_send_advert = c->higher_prio_send_advert;
	in->vrrp.p.auth_type = c->auth_type;
	memset(in->vrrp.p.auth_data, 0, sizeof(in->vrrp.p.auth_data));
	memcpy(in->vrrp.p.auth_data, c->auth_pass, strnlen(c->auth_pass, VRRP_V2_AUTH_LEN));
	vrrp_set_primary(&in->vrrp, inst_source(in));
	in->faults = old->faults;
	in->fault = old->fault;
	in->weight_sum = old->weight_sum;
	memcpy(in->track_cause, old->track_cause, sizeof(in->track_cause));
	memcpy(in->track_down, old->track_down, sizeof(in->track_down));
	in->stats = old->stats;
	in->ah_seq_out = old->ah_seq_out;
	in->ah_seq_in = old->ah_seq_in;
	in->ah_ip_id = old->ah_ip_id;
	/* A path that stays (same interface) keeps what was heard on it. */
	for (size_t k = 0; k < in->npaths; k++)
		for (size_t j = 0; j < old->npaths; j++)
			if (strcmp(in->paths[k].iface->name, old->paths[j].iface->name) == 0) {
				in->paths[k].heard_us = old->paths[j].heard_us;
				in->paths[k].sent_ok = old->paths[j].sent_ok;
				in->paths[k].warned = old->paths[j].warned;
			}
	bool vmac_kept = vmac_carry(in, old, on_vmac_readable);

	vips_carry(in, old);
	vrouting_carry(in, old);
	loop_timer_cancel(l, &old->timer);
	inst_rearm(in);
	if (!vmac_kept && old->cfg->use_vmac)
		vmac_remove(old);
}

/* A check that survives a reload keeps its verdict, so tracking does not flap. */
static void checks_carry(struct vipd *d, struct check *olds, size_t n)
{
	for (size_t i = 0; i < d->nchecks; i++) {
		struct check *c = &d->checks[i];

		for (size_t k = 0; k < n; k++) {
			if (olds[k].kind != c->kind || strcmp(olds[k].name, c->name) != 0)
				continue;
			c->state.up = olds[k].state.up;
			c->runs = olds[k].runs;
			c->failures = olds[k].failures;
			c->last_runtime_us = olds[k].last_runtime_us;
			memcpy(c->last_error, olds[k].last_error, sizeof(c->last_error));
		}
	}
}

static void old_free(struct vipd *old)
{
	for (size_t i = 0; i < old->nchecks; i++)
		check_stop(&old->checks[i]);
	for (size_t i = 0; i < old->ninsts; i++) {
		loop_timer_cancel(old->loop, &old->insts[i].timer);
		steer_inst_stop(&old->insts[i]);
		vips_free(&old->insts[i]);
		vmac_close(&old->insts[i]);
	}
	for (size_t i = 0; i < old->nifaces; i++)
		iface_close_sockets(&old->ifaces[i]);
	free(old->checks);
	free(old->ifaces);
	free(old->insts);
	free(old->groups);
	free(old->vip_set);
	cfg_free(old->cfg);
}

int vipd_reload(struct vipd *d, struct vipd_config *cfg, char *msg, size_t size)
{
	struct vrrp_event start = { .kind = VRRP_EV_START };
	struct vipd old = *d;
	struct vipd_instance **from;
	size_t kept = 0, added = 0, removed = 0;
	int err;

	err = privs_check_users(cfg, msg, size);
	if (err < 0) {
		size_t len = strlen(msg);

		snprintf(msg + len, size - len, "; keeping the running configuration");
		log_err("%s", msg);
		cfg_free(cfg);
		return err;
	}
	d->cfg = cfg;
	d->ifaces = NULL;
	d->insts = NULL;
	d->checks = NULL;
	d->groups = NULL;
	d->vip_set = NULL;
	d->nvip_set = 0;
	d->nifaces = d->ninsts = d->nchecks = d->ngroups = 0;
	err = build_instances(d);
	from = calloc(d->ninsts + 1, sizeof(*from));
	if (err < 0 || !from) {
		free(d->ifaces);
		free(d->insts);
		free(d->groups);
		free(d->vip_set);
		free(from);
		*d = old;
		snprintf(msg, size, "out of memory; keeping the running configuration");
		return -ENOMEM;
	}
	if (privs_script_user(d->cfg, &d->script_opts) < 0) {
		/* privs_check_users found the users; only the lookup itself can fail here */
		log_err("keeping the previous script user");
		d->script_opts = old.script_opts;
		d->script_opts.timeout_us = cfg->global.notify_timeout_us;
	}
	for (size_t g = 0; g < d->ngroups; g++)
		for (size_t k = 0; k < old.ngroups; k++)
			if (strcmp(d->groups[g].cfg->name, old.groups[k].cfg->name) == 0)
				d->groups[g].notified = old.groups[k].notified;
	for (size_t i = 0; i < d->ninsts; i++) {
		from[i] = old_match(old.insts, old.ninsts, d->insts[i].cfg);
		if (from[i])
			from[i]->d = NULL; /* taken */
	}
	/* Removed (or re-identified) instances resign while their sockets still exist. */
	for (size_t i = 0; i < old.ninsts; i++) {
		if (!old.insts[i].d)
			continue;
		log_notice("%s: removed from the configuration; resigning", old.insts[i].cfg->name);
		inst_resign(&old.insts[i]);
		removed++;
	}
	for (size_t i = 0; i < old.ninsts; i++)
		old.insts[i].d = d;
	for (size_t i = 0; i < d->nifaces; i++) {
		for (size_t k = 0; k < old.nifaces; k++)
			if (strcmp(old.ifaces[k].name, d->ifaces[i].name) == 0)
				iface_carry(&d->ifaces[i], &old.ifaces[k]);
		iface_refresh(&d->ifaces[i]);
	}
	for (size_t i = 0; i < old.nchecks; i++)
		check_stop(&old.checks[i]);
	tracking_start(d, on_check_changed);
	checks_carry(d, old.checks, old.nchecks);
	if (tracked_reload(d) < 0)
		log_err("out of memory watching processes and files; they count as down");
	vrouting_open(d);
	for (size_t i = 0; i < d->ninsts; i++) {
		if (from[i]) {
			inst_carry(&d->insts[i], from[i]);
			kept++;
		} else {
			inst_init(&d->insts[i]);
			added++;
		}
	}
	vips_remove_stale(d, from);
	for (size_t i = 0; i < d->ninsts; i++)
		inst_refresh(&d->insts[i]);
	for (size_t i = 0; i < d->ninsts; i++)
		if (!from[i] && d->insts[i].faults == 0 && d->insts[i].vrrp.state == VRRP_STATE_INIT)
			inst_event(&d->insts[i], &start);
	for (size_t i = 0; i < d->nchecks; i++)
		check_run(&d->checks[i], cfg->global.enable_script_security);
	state_save(d, false);
	free(from);
	old_free(&old);
	snprintf(msg, size, "reloaded: %zu instance%s kept, %zu added, %zu removed", kept,
		 kept == 1 ? "" : "s", added, removed);
	log_notice("%s", msg);
	return 0;
}

