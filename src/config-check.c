/*
 * config-check.c - the checks that need the whole configuration (names referring
 * to each other, duplicate VRIDs, advert_int against the version) and the
 * defaults from global_defs, run after parsing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config-check.h"
#include "config-track.h"
#include "config-stmt.h"
#include "packet.h"


/*
 * Every named block starts with its name[CFG_NAME_MAX] and has a where:
 * one sorted index serves duplicate detection and look-ups for all.
 */
struct named {
	const char *name;
	size_t i;
	const struct cfg_where *where;
};

struct named_set {
	struct named *v;
	size_t n;
};

static int named_cmp(const void *a, const void *b)
{
	const struct named *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->i > y->i) - (x->i < y->i);
}

static bool named_index(struct parser *p, struct named_set *s, const void *base, size_t n,
			size_t stride, size_t where_off)
{
	s->n = 0;
	s->v = n ? calloc(n, sizeof(*s->v)) : NULL;
	if (n && !s->v) {
		cfg_oom(p, NULL);
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		const char *e = (const char *)base + i * stride;

		s->v[i] = (struct named){ e, i, (const struct cfg_where *)(e + where_off) };
	}
	s->n = n;
	if (n > 1)
		qsort(s->v, n, sizeof(*s->v), named_cmp);
	return true;
}

/* The first definition of name (the lowest index among equals), or NULL. */
static const struct named *named_find(const struct named_set *s, const char *name)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(s->v[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->n && strcmp(s->v[lo].name, name) == 0 ? &s->v[lo] : NULL;
}

static void named_duplicates(struct parser *p, const struct named_set *s, const char *what)
{
	size_t first = 0;

	for (size_t k = 1; k < s->n && !p->stopped; k++) {
		const struct named *f = &s->v[first], *dup = &s->v[k];

		if (strcmp(f->name, dup->name) != 0) {
			first = k;
			continue;
		}
		cfg_err(p, dup->where, "%s %s is already defined at %s:%d", what, dup->name,
		    f->where->file, f->where->line);
	}
}

/* "did you mean" among the names of a set, for unknown references. */
static const char *named_suggest(const struct named_set *s, const char *word)
{
	return s->n ? cfg_suggest(word, &s->v[0].name, s->n, sizeof(s->v[0])) : NULL;
}

static void unknown_ref(struct parser *p, const struct cfg_where *at, const char *kw,
			const char *block, const char *name, const struct named_set *s)
{
	const char *hint;

	if (p->stopped)
		return; /* nothing more is reported: spare the search */
	hint = named_suggest(s, name);

	if (hint)
		cfg_err(p, at, "%s: no %s named '%s'; did you mean '%s'?", kw, block, name, hint);
	else
		cfg_err(p, at, "%s: no %s named '%s'", kw, block, name);
}

struct sets {
	struct named_set inst, script, gw, group;
};

static void check_scripts(struct parser *p)
{
	for (size_t i = 0; i < p->cfg->nscripts; i++) {
		struct cfg_script *s = &p->cfg->scripts[i];

		if (!s->command && s->probe.kind == PROBE_NONE)
			cfg_err(p, &s->where,
				"vrrp_script %s: no 'script' line (the command to run) and no native check (http_get or tcp_connect)",
				s->name);
		if (s->command && s->probe.kind != PROBE_NONE)
			cfg_err(p, &s->where,
				"vrrp_script %s: both a 'script' line and %s; keep one of them", s->name,
				s->probe.kind == PROBE_HTTP_GET ? "http_get" : "tcp_connect");
		if (s->probe.kind != PROBE_HTTP_GET && (s->probe.status || s->probe.body_contains[0]))
			cfg_err(p, &s->where,
				"vrrp_script %s: 'status' and 'body_contains' need an http_get line",
				s->name);
		if (!s->interval_us)
			s->interval_us = DEFAULT_SCRIPT_INTERVAL_US;
		if (!s->timeout_us)
			s->timeout_us = s->interval_us;
		if (!s->rise)
			s->rise = 1;
		if (!s->fall)
			s->fall = 1;
	}
}

static void check_gateways(struct parser *p)
{
	for (size_t i = 0; i < p->cfg->ngateways; i++) {
		struct cfg_gateway *g = &p->cfg->gateways[i];

		if (g->addr.family == AF_UNSPEC)
			cfg_err(p, &g->where, "track_gateway %s: no 'address' (the gateway to check)",
			    g->name);
		if (!g->interval_us)
			g->interval_us = DEFAULT_GATEWAY_INTERVAL_US;
		if (!g->timeout_us)
			g->timeout_us = DEFAULT_GATEWAY_TIMEOUT_US;
		if (!g->rise)
			g->rise = 1;
		if (!g->fall)
			g->fall = 1;
	}
}

/* The advertised addresses are of one family; it is the instance's. */
static void inst_family(struct parser *p, struct cfg_instance *in)
{
	in->family = AF_INET;
	if (in->nvips)
		in->family = in->vips[0].addr.family;
	else if (in->unicast_src.family != AF_UNSPEC)
		in->family = in->unicast_src.family;
	for (size_t i = 1; i < in->nvips; i++) {
		const struct cfg_vip *v = &in->vips[i];
		char a[IPADDR_STRLEN], b[IPADDR_STRLEN];

		if (v->addr.family == in->family)
			continue;
		cfg_err(p, &v->where,
		    "virtual_ipaddress: %s is %s but %s (line %d) is %s; one instance advertises "
		    "one family (use virtual_ipaddress_excluded or a second instance)",
		    ipaddr_str(&v->addr, a, sizeof(a)),
		    ipaddr_family_name(v->addr.family), ipaddr_str(&in->vips[0].addr, b, sizeof(b)),
		    in->vips[0].where.line, ipaddr_family_name(in->family));
	}
}

static const struct cfg_where *at_or(const struct cfg_where *w, const struct cfg_instance *in)
{
	return w->file ? w : &in->where;
}

static void inst_version(struct parser *p, struct cfg_instance *in, struct inst_extra *x)
{
	char buf[32];
	long long us;

	if (!x->version_set)
		in->version = in->family == AF_INET6 ? 3 : p->cfg->global.vrrp_version;
	else if (in->version == 2 && in->family == AF_INET6)
		cfg_err(p, &x->version, "version: VRRP version 2 is IPv4 only; use version 3 for %s's "
				    "IPv6 addresses", in->name);
	if (!in->advert_int_cs)
		in->advert_int_cs = VRRP_DEFAULT_ADVERT_INT_CS;
	us = (long long)in->advert_int_cs * USEC_PER_CS;
	if (in->version == 2 && in->advert_int_cs % CS_PER_SEC)
		cfg_err(p, at_or(&x->advert_int, in), "advert_int: VRRP version 2 needs whole seconds "
						   "from 1 to 255, got %s",
		    val_fmt_seconds(us, buf, sizeof(buf)));
	if (in->version == 3 && in->advert_int_cs > VRRP_V3_MAX_ADVER_INT_CS)
		cfg_err(p, at_or(&x->advert_int, in), "advert_int: VRRP version 3 allows 0.01 to 40.95 "
						   "seconds, got %s",
		    val_fmt_seconds(us, buf, sizeof(buf)));
	if (in->version == 3 && in->auth_ah) {
		cfg_warn(p, &x->auth, "authentication: VRRP version 3 has no authentication; AH "
				  "ignored (as keepalived does)");
		in->auth_ah = false;
		memset(in->auth_pass, 0, sizeof(in->auth_pass));
	}
	if (in->version == 3 && in->auth_type != VRRP_AUTH_NONE) {
		cfg_warn(p, &x->auth, "authentication: VRRP version 3 has no authentication; ignored "
				  "(as keepalived does)");
		in->auth_type = VRRP_AUTH_NONE;
		memset(in->auth_pass, 0, sizeof(in->auth_pass));
	}
}

static void inst_unicast(struct parser *p, struct cfg_instance *in, struct inst_extra *x)
{
	char a[IPADDR_STRLEN];

	if (in->unicast_src.family != AF_UNSPEC && in->unicast_src.family != in->family)
		cfg_err(p, &x->unicast_src,
		    "unicast_src_ip: %s is %s but the instance's virtual addresses are %s",
		    ipaddr_str(&in->unicast_src, a, sizeof(a)), ipaddr_family_name(in->unicast_src.family),
		    ipaddr_family_name(in->family));
	for (size_t i = 0; i < in->nunicast_peers; i++)
		if (in->unicast_peers[i].family != in->family)
			cfg_err(p, &x->unicast_peer,
			    "unicast_peer: %s is %s but the instance's virtual addresses are %s",
			    ipaddr_str(&in->unicast_peers[i], a, sizeof(a)),
			    ipaddr_family_name(in->unicast_peers[i].family), ipaddr_family_name(in->family));
}

/* advert_path: another interface than the instance's, peers of its family. */
static void inst_paths(struct parser *p, struct cfg_instance *in)
{
	char a[IPADDR_STRLEN];

	/* AH is one security association on the instance's interface. */
	if (in->npaths && in->auth_ah)
		cfg_err(p, &in->paths[0].where, "advert_path: not available with auth_type AH (adverts "
					      "on a path would travel without it); use auth_type PASS "
					      "or none");
	for (size_t i = 0; i < in->npaths; i++) {
		const struct cfg_advert_path *path = &in->paths[i];

		if (strcmp(path->interface, in->interface) == 0)
			cfg_err(p, &path->where, "advert_path: %s is the instance's own interface; a "
					     "path must be another link to the peers", path->interface);
		for (size_t k = 0; k < path->npeers; k++)
			if (path->peers[k].family != in->family)
				cfg_err(p, &path->where,
				    "advert_path: %s: peer %s is %s but the instance's virtual addresses are %s",
				    path->interface, ipaddr_str(&path->peers[k], a, sizeof(a)),
				    ipaddr_family_name(path->peers[k].family),
				    ipaddr_family_name(in->family));
	}
}

/* The kernel names an IPv4 alias after its device: "eth0:web" on eth0. */
static void inst_labels(struct parser *p, struct cfg_instance *in, const struct cfg_vip *v,
			size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *dev = v[i].dev[0] ? v[i].dev : in->interface;

		if (v[i].label[0] && dev[0] && strncmp(v[i].label, dev, strlen(dev)) != 0)
			cfg_err(p, &v[i].where, "label: %s must start with the interface name %s "
					    "(for example %s:1)", v[i].label, dev, dev);
	}
}

static void resolve_scripts(struct parser *p, struct cfg_track_script *ts, size_t n,
			    const struct sets *s)
{
	for (size_t i = 0; i < n; i++) {
		struct cfg_track_script *t = &ts[i];
		const struct named *f = named_find(&s->script, t->name);

		if (f)
			t->script = &p->cfg->scripts[f->i];
		else
			unknown_ref(p, &t->where, "track_script", "vrrp_script", t->name,
				    &s->script);
	}
}

static void inst_defaults(const struct cfg_global *g, struct cfg_instance *in)
{
	if (in->garp_master_delay_us == UNSET_US)
		in->garp_master_delay_us = g->garp_master_delay_us;
	if (in->garp_master_repeat == UNSET_COUNT)
		in->garp_master_repeat = g->garp_master_repeat;
	if (in->garp_master_refresh_us == UNSET_US)
		in->garp_master_refresh_us = g->garp_master_refresh_us;
	if (in->garp_master_refresh_repeat == UNSET_COUNT)
		in->garp_master_refresh_repeat = g->garp_master_refresh_repeat;
	if (in->garp_interval_us == UNSET_US)
		in->garp_interval_us = g->garp_interval_us;
	if (in->gna_interval_us == UNSET_US)
		in->gna_interval_us = g->gna_interval_us;
	/* As keepalived: unset, the lower-priority burst is the master's one. */
	if (in->garp_lower_prio_delay_us == UNSET_US)
		in->garp_lower_prio_delay_us = g->garp_lower_prio_delay_us != UNSET_US
						       ? g->garp_lower_prio_delay_us
						       : in->garp_master_delay_us;
	if (in->garp_lower_prio_repeat == UNSET_COUNT)
		in->garp_lower_prio_repeat = g->garp_lower_prio_repeat != UNSET_COUNT
						     ? g->garp_lower_prio_repeat
						     : in->garp_master_repeat;
	if (in->lower_prio_no_advert == UNSET_COUNT)
		in->lower_prio_no_advert = g->lower_prio_no_advert == 1;
	if (in->higher_prio_send_advert == UNSET_COUNT)
		in->higher_prio_send_advert = g->higher_prio_send_advert == 1;
}

static void check_instance(struct parser *p, size_t i, const struct sets *s)
{
	struct cfg_instance *in = &p->cfg->instances[i];
	struct inst_extra *x = &p->iextra[i];

	if (!in->interface[0])
		cfg_err(p, &in->where, "vrrp_instance %s: no 'interface' (the interface to run "
				   "VRRP on)", in->name);
	if (!in->vrid)
		cfg_err(p, &in->where, "vrrp_instance %s: no 'virtual_router_id' (1 to 255, the same "
				   "on every router of the group)", in->name);
	if (!in->preempt && in->initial_state == CFG_STATE_MASTER) {
		cfg_warn(p, &in->where, "vrrp_instance %s: nopreempt only works with state BACKUP "
				    "(as in keepalived); this instance preempts", in->name);
		in->preempt = true;
	}
	if (!in->nvips)
		cfg_warn(p, &in->where, "vrrp_instance %s: no virtual_ipaddress; its adverts carry no "
				    "address", in->name);
	inst_family(p, in);
	inst_version(p, in, x);
	inst_unicast(p, in, x);
	inst_paths(p, in);
	inst_labels(p, in, in->vips, in->nvips);
	inst_labels(p, in, in->vips_excluded, in->nvips_excluded);
	resolve_scripts(p, in->track_scripts, in->ntrack_scripts, s);
	inst_defaults(&p->cfg->global, in);
}

/* Two instances with one VRID on one interface and family would be one router. */
struct vrid_key {
	const struct cfg_instance *in;
};

static int vrid_key_cmp(const void *a, const void *b)
{
	const struct cfg_instance *x = ((const struct vrid_key *)a)->in;
	const struct cfg_instance *y = ((const struct vrid_key *)b)->in;
	int c = strcmp(x->interface, y->interface);

	if (c)
		return c;
	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	if (x->vrid != y->vrid)
		return x->vrid < y->vrid ? -1 : 1;
	return (x > y) - (x < y);
}

static void check_vrid_clash(struct parser *p)
{
	size_t n = p->cfg->ninstances;
	struct vrid_key *k = n ? calloc(n, sizeof(*k)) : NULL;

	if (n < 2 || !k) {
		free(k);
		return;
	}
	for (size_t i = 0; i < n; i++)
		k[i].in = &p->cfg->instances[i];
	qsort(k, n, sizeof(*k), vrid_key_cmp);
	for (size_t i = 1; i < n && !p->stopped; i++) {
		const struct cfg_instance *a = k[i - 1].in, *b = k[i].in;

		if (!b->vrid || !b->interface[0] || strcmp(a->interface, b->interface) ||
		    a->family != b->family || a->vrid != b->vrid)
			continue;
		cfg_err(p, &b->where, "vrrp_instance %s: virtual_router_id %u on %s (%s) is already "
				  "used by vrrp_instance %s at line %d", b->name, b->vrid,
		    b->interface, ipaddr_family_name(b->family), a->name, a->where.line);
	}
	free(k);
}

/*
 * An advert arriving on an interface belongs to the instance running there
 * with its VRID, or to the one that has the interface as an advert_path:
 * never two of them.
 */
static void check_path_clash(struct parser *p)
{
	const struct vipd_config *cfg = p->cfg;

	for (size_t i = 0; i < cfg->ninstances && !p->stopped; i++) {
		const struct cfg_instance *a = &cfg->instances[i];

		for (size_t k = 0; k < a->npaths; k++) {
			const char *ifname = a->paths[k].interface;

			for (size_t j = 0; j < cfg->ninstances; j++) {
				const struct cfg_instance *b = &cfg->instances[j];
				bool clash = strcmp(b->interface, ifname) == 0;

				if (j == i || b->vrid != a->vrid || b->family != a->family)
					continue;
				for (size_t m = 0; m < b->npaths && !clash; m++)
					clash = j < i && strcmp(b->paths[m].interface, ifname) == 0;
				if (clash)
					cfg_err(p, &a->paths[k].where,
					    "advert_path: virtual_router_id %u on %s (%s) is already used "
					    "by vrrp_instance %s at line %d", a->vrid, ifname,
					    ipaddr_family_name(a->family), b->name, b->where.line);
			}
		}
	}
}

static void resolve_member(struct parser *p, const struct ref *r, const struct sets *s)
{
	struct cfg_sync_group *g = &p->cfg->groups[r->owner];
	const char *name = g->members[r->idx];
	const struct named *f = named_find(&s->inst, name);
	struct cfg_instance *in;

	if (!f) {
		unknown_ref(p, &r->at, "group", "vrrp_instance", name, &s->inst);
		return;
	}
	in = &p->cfg->instances[f->i];
	if (in->sync_group[0] && strcmp(in->sync_group, g->name) != 0) {
		cfg_err(p, &r->at, "group: %s is already in vrrp_sync_group %s (an instance belongs "
			       "to one group)", name, in->sync_group);
		return;
	}
	memcpy(in->sync_group, g->name, sizeof(in->sync_group));
}

static void resolve_refs(struct parser *p, const struct sets *s)
{
	for (size_t i = 0; i < p->nrefs && !p->stopped; i++) {
		const struct ref *r = &p->refs[i];

		if (r->kind == REF_GROUP_MEMBER) {
			resolve_member(p, r, s);
		} else {
			const char *name = p->cfg->instances[r->owner].track_gateways[r->idx];

			if (!named_find(&s->gw, name))
				unknown_ref(p, &r->at, "track_gateway", "track_gateway block", name,
					    &s->gw);
		}
	}
	for (size_t i = 0; i < p->cfg->ngroups; i++) {
		const struct cfg_sync_group *g = &p->cfg->groups[i];

		if (g->nmembers < 2)
			cfg_warn(p, &g->where, "vrrp_sync_group %s has %zu instance%s; a group "
					   "synchronises two or more", g->name, g->nmembers,
			     g->nmembers == 1 ? "" : "s");
	}
}

/*
 * Append a group's tracking list (nsrc elements of size bytes, each
 * starting with its name) to a member's, skipping the names the member
 * tracks already: in a group both entries could only mean FAULT.
 */
static void merge_list(struct parser *p, const struct cfg_where *at, void **dst, size_t *ndst,
		       const void *src, size_t nsrc, size_t size)
{
	for (size_t i = 0; i < nsrc && !p->stopped; i++) {
		const char *e = (const char *)src + i * size;
		bool have = false;
		char *grown;

		for (size_t k = 0; k < *ndst && !have; k++)
			have = strcmp((const char *)*dst + k * size, e) == 0;
		if (have)
			continue;
		grown = cfg_arr_grow(p, at, *dst, *ndst, size);
		if (!grown)
			return;
		*dst = grown;
		memcpy(grown + (*ndst)++ * size, e, size);
	}
}

#define MERGE(p, in, g, list, n)                                                       \
	merge_list(p, &(in)->where, (void **)&(in)->list, &(in)->n, (g)->list, (g)->n, \
		   sizeof(*(g)->list))

/* A sync group's own trackers, followed by each of its members. */
static void merge_group_tracks(struct parser *p, const struct sets *s)
{
	struct vipd_config *c = p->cfg;

	for (size_t i = 0; i < c->ninstances && !p->stopped; i++) {
		struct cfg_instance *in = &c->instances[i];
		const struct named *f = in->sync_group[0] ? named_find(&s->group, in->sync_group)
							  : NULL;
		const struct cfg_sync_group *g = f ? &c->groups[f->i] : NULL;

		if (!g)
			continue;
		MERGE(p, in, g, track_ifs, ntrack_ifs);
		MERGE(p, in, g, track_scripts, ntrack_scripts);
		MERGE(p, in, g, track_processes, ntrack_processes);
		MERGE(p, in, g, track_files, ntrack_files);
	}
}

static void global_defaults(struct cfg_global *g)
{
	if (g->garp_master_delay_us == UNSET_US)
		g->garp_master_delay_us = DEFAULT_GARP_DELAY_US;
	if (g->garp_master_repeat == UNSET_COUNT)
		g->garp_master_repeat = DEFAULT_GARP_REPEAT;
	if (g->garp_master_refresh_us == UNSET_US)
		g->garp_master_refresh_us = 0;
	if (g->garp_master_refresh_repeat == UNSET_COUNT)
		g->garp_master_refresh_repeat = DEFAULT_GARP_REFRESH_REPEAT;
	if (g->garp_interval_us == UNSET_US)
		g->garp_interval_us = 0;
	if (g->gna_interval_us == UNSET_US)
		g->gna_interval_us = 0;
	if (!g->notify_timeout_us)
		g->notify_timeout_us = CFG_DEFAULT_NOTIFY_TIMEOUT_US;
}

void cfg_check_all(struct parser *p)
{
	struct vipd_config *c = p->cfg;
	struct sets s;

	memset(&s, 0, sizeof(s));
	global_defaults(&c->global);
	if (!named_index(p, &s.inst, c->instances, c->ninstances, sizeof(*c->instances),
			 offsetof(struct cfg_instance, where)) ||
	    !named_index(p, &s.script, c->scripts, c->nscripts, sizeof(*c->scripts),
			 offsetof(struct cfg_script, where)) ||
	    !named_index(p, &s.gw, c->gateways, c->ngateways, sizeof(*c->gateways),
			 offsetof(struct cfg_gateway, where)) ||
	    !named_index(p, &s.group, c->groups, c->ngroups, sizeof(*c->groups),
			 offsetof(struct cfg_sync_group, where)))
		goto out;
	named_duplicates(p, &s.script, "vrrp_script");
	named_duplicates(p, &s.gw, "track_gateway");
	named_duplicates(p, &s.inst, "vrrp_instance");
	named_duplicates(p, &s.group, "vrrp_sync_group");
	check_scripts(p);
	check_gateways(p);
	cfg_check_tracks(p);
	for (size_t i = 0; i < c->ninstances && !p->stopped; i++)
		check_instance(p, i, &s);
	for (size_t i = 0; i < c->ngroups && !p->stopped; i++)
		resolve_scripts(p, c->groups[i].track_scripts, c->groups[i].ntrack_scripts, &s);
	check_vrid_clash(p);
	check_path_clash(p);
	resolve_refs(p, &s);
	merge_group_tracks(p, &s);
out:
	free(s.inst.v);
	free(s.script.v);
	free(s.gw.v);
	free(s.group.v);
}
