/*
 * vrouting.c - virtual_routes and virtual_rules on master transitions (see
 * vrouting.h).
 */
#include <errno.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <string.h>

#include "daemon.h"
#include "log.h"
#include "routes.h"
#include "vrouting.h"

static bool any_routes(const struct vipd_config *cfg)
{
	for (size_t i = 0; i < cfg->ninstances; i++)
		if (cfg->instances[i].nroutes || cfg->instances[i].nrules)
			return true;
	return false;
}

int vrouting_open(struct vipd *d)
{
	int err;

	if (d->routes || !any_routes(d->cfg))
		return 0;
	err = routes_open(&d->routes);
	if (err < 0)
		log_err("cannot open rtnetlink for virtual_routes: %s", strerror(-err));
	return err;
}

void vrouting_close(struct vipd *d)
{
	routes_close(d->routes);
	d->routes = NULL;
}

/* The interface a route leaves by: its dev, else the instance's for a direct route. */
static int route_ifindex(const struct vipd_instance *in, const struct vroute *r, bool *ok)
{
	*ok = true;
	if (r->dev[0]) {
		int idx = (int)if_nametoindex(r->dev);

		*ok = idx > 0;
		return idx;
	}
	if (r->type == RTN_UNICAST && r->nvia == 0)
		return in->iface ? in->iface->ifindex : 0;
	return 0;
}

static void route_apply(struct vipd_instance *in, const struct cfg_instance *c,
			const struct vroute *r, bool add)
{
	char buf[160];
	bool ok;
	int idx = route_ifindex(in, r, &ok), err;

	if (!in->d->routes)
		return;
	if (!ok) {
		log_err("%s: virtual route %s: interface %s does not exist", c->name,
			vroute_str(r, buf, sizeof(buf)), r->dev);
		return;
	}
	err = routes_route(in->d->routes, r, idx, add);
	if (err == -EEXIST && add)
		err = 0;
	if (err < 0 && !add && (err == -ESRCH || err == -ENOENT))
		err = 0; /* already gone */
	if (err < 0)
		log_err("%s: cannot %s virtual route %s: %s", c->name, add ? "add" : "remove",
			vroute_str(r, buf, sizeof(buf)), strerror(-err));
	else
		log_info("%s: virtual route %s %s", c->name, vroute_str(r, buf, sizeof(buf)),
			 add ? "added" : "removed");
}

static void rule_apply(struct vipd_instance *in, const struct cfg_instance *c,
		       const struct vrule *r, bool add)
{
	char buf[160];
	int err;

	if (!in->d->routes)
		return;
	err = routes_rule(in->d->routes, r, add);
	if (err == -EEXIST && add)
		err = 0;
	if (err < 0 && !add && (err == -ENOENT || err == -ESRCH))
		err = 0;
	if (err < 0)
		log_err("%s: cannot %s virtual rule %s: %s", c->name, add ? "add" : "remove",
			vrule_str(r, buf, sizeof(buf)), strerror(-err));
	else
		log_info("%s: virtual rule %s %s", c->name, vrule_str(r, buf, sizeof(buf)),
			 add ? "added" : "removed");
}

void vrouting_install(struct vipd_instance *in)
{
	const struct cfg_instance *c = in->cfg;

	if (in->routes_installed || (!c->nroutes && !c->nrules))
		return;
	/* Rules first: a route in another table is only reached through them. */
	for (size_t i = 0; i < c->nrules; i++)
		rule_apply(in, c, &c->rules[i].r, true);
	for (size_t i = 0; i < c->nroutes; i++)
		route_apply(in, c, &c->routes[i].r, true);
	in->routes_installed = true;
}

void vrouting_remove(struct vipd_instance *in)
{
	const struct cfg_instance *c = in->cfg;

	if (!in->routes_installed)
		return;
	for (size_t i = c->nroutes; i-- > 0;)
		route_apply(in, c, &c->routes[i].r, false);
	for (size_t i = c->nrules; i-- > 0;)
		rule_apply(in, c, &c->rules[i].r, false);
	in->routes_installed = false;
}

static bool has_route(const struct cfg_instance *c, const struct vroute *r)
{
	for (size_t i = 0; i < c->nroutes; i++)
		if (vroute_equal(&c->routes[i].r, r))
			return true;
	return false;
}

static bool has_rule(const struct cfg_instance *c, const struct vrule *r)
{
	for (size_t i = 0; i < c->nrules; i++)
		if (vrule_equal(&c->rules[i].r, r))
			return true;
	return false;
}

void vrouting_carry(struct vipd_instance *in, struct vipd_instance *old)
{
	const struct cfg_instance *oc = old->cfg, *nc = in->cfg;

	in->routes_installed = false;
	if (!old->routes_installed)
		return;
	/* Only the difference: routes in both configurations stay in place. */
	for (size_t i = 0; i < oc->nroutes; i++)
		if (!has_route(nc, &oc->routes[i].r))
			route_apply(old, oc, &oc->routes[i].r, false);
	for (size_t i = 0; i < oc->nrules; i++)
		if (!has_rule(nc, &oc->rules[i].r))
			rule_apply(old, oc, &oc->rules[i].r, false);
	old->routes_installed = false;
	for (size_t i = 0; i < nc->nrules; i++)
		if (!has_rule(oc, &nc->rules[i].r))
			rule_apply(in, nc, &nc->rules[i].r, true);
	for (size_t i = 0; i < nc->nroutes; i++)
		if (!has_route(oc, &nc->routes[i].r))
			route_apply(in, nc, &nc->routes[i].r, true);
	in->routes_installed = true;
}
