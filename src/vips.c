/*
 * vips.c - an instance's virtual addresses: putting them on the interface
 * and taking them off (rtnetlink), removing those a crashed run left, and
 * announcing them with gratuitous ARP and unsolicited NA.
 */

#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "announce.h"
#include "daemon.h"
#include "log.h"
#include "loop.h"
#include "netlink.h"
#include "vips.h"
#include "vmac.h"

/*
 * A large install goes in steps of about VIPS_STEP_BUDGET_US of kernel time
 * before the loop runs again. The kernel takes milliseconds per IPv6
 * address once thousands are on an interface (the cost grows with their
 * number); done in one go, 10 000 VIPs kept the adverts from going out for
 * half a minute, and a backup took over meanwhile. The netlink batches are
 * sized from how long the last one took, between 1 and VIPS_CHUNK_MAX
 * addresses, starting at VIPS_CHUNK_START.
 */
#define VIPS_STEP_BUDGET_US 5000ULL
#define VIPS_CHUNK_START 32
#define VIPS_CHUNK_MAX 512
/*
 * An install still going after this long also announces what is in at each
 * step, so that the first VIPs do not wait for the last; every install ends
 * with the usual announcement sequence for all of them.
 */
#define VIPS_ANNOUNCE_EARLY_US 100000ULL

/* ---------------------------------------------------------------- addresses */

/* Interface a VIP lives on: its own "dev", or the instance's interface. */
int vips_ifindex(struct vipd_instance *in, const struct cfg_vip *v)
{
	struct netlink_link link;

	if (v->dev[0] == '\0' || strcmp(v->dev, in->iface->name) == 0)
		return in->cfg->use_vmac ? in->vmac.ifindex : in->iface->ifindex;
	if (netlink_link_by_name(in->d->nl, v->dev, &link) < 0)
		return 0;
	return link.ifindex;
}

/*
 * The kernel wants a label to start with the name of the interface it is on;
 * with use_vmac the VIPs move to the macvlan, where an "eth0:0" label cannot
 * go (vmac_setup warns about it once).
 */
const char *vips_label(const struct vipd_instance *in, const struct cfg_vip *v, int ifindex)
{
	if (!v->label[0])
		return NULL;
	if (in->cfg->use_vmac && ifindex == in->vmac.ifindex &&
	    strncmp(v->label, in->vmac.name, strlen(in->vmac.name)) != 0)
		return NULL;
	return v->label;
}

/*
 * Build the netlink requests for every VIP of the instance (advertised and
 * excluded). Returns how many were filled; VIPs on a missing interface are
 * logged and skipped.
 */
static bool vip_request(struct vipd_instance *in, const struct cfg_vip *v,
			struct netlink_addr *out)
{
	int ifindex = vips_ifindex(in, v);
	char buf[IPADDR_STRLEN];

	if (ifindex <= 0) {
		log_err("%s: cannot place VIP %s: interface %s does not exist", in->cfg->name,
			ipaddr_str(&v->addr, buf, sizeof(buf)), v->dev[0] ? v->dev : in->iface->name);
		return false;
	}
	*out = (struct netlink_addr){
		.ifindex = ifindex,
		.addr = v->addr,
		.prefix_len = v->prefix_len,
		.label = vips_label(in, v, ifindex),
		.scope = v->scope,
		.nodad = v->addr.family == AF_INET6,
	};
	return true;
}

static size_t vips_collect(struct vipd_instance *in, struct netlink_addr *out)
{
	const struct cfg_instance *c = in->cfg;
	size_t n = 0;

	for (size_t pass = 0; pass < 2; pass++) {
		const struct cfg_vip *list = pass ? c->vips_excluded : c->vips;
		size_t count = pass ? c->nvips_excluded : c->nvips;

		for (size_t i = 0; i < count; i++)
			if (vip_request(in, &list[i], &out[n]))
				n++;
	}
	return n;
}

/* Add or remove addresses in one netlink batch, logging each failure. */
static void vips_batch(struct vipd_instance *in, const struct netlink_addr *addrs, size_t n,
		       bool add)
{
	const char *name = in->cfg->name;
	int *errs;

	if (n == 0)
		return;
	errs = calloc(n, sizeof(*errs));
	if (!errs) {
		log_err("%s: out of memory while %s VIPs", name, add ? "adding" : "removing");
		return;
	}
	if (add)
		netlink_addrs_add(in->d->nl, addrs, n, errs);
	else
		netlink_addrs_del(in->d->nl, addrs, n, errs);
	for (size_t i = 0; i < n; i++) {
		char buf[IPADDR_STRLEN];

		if (errs[i] == 0)
			continue;
		log_err("%s: cannot %s VIP %s/%u: %s", name, add ? "add" : "remove",
			ipaddr_str(&addrs[i].addr, buf, sizeof(buf)), addrs[i].prefix_len,
			strerror(-errs[i]));
	}
	free(errs);
}

bool vips_owned(const struct vipd_instance *in, const struct ipaddr *a)
{
	for (size_t i = 0; i < in->vips.nowned; i++)
		if (ipaddr_equal(&in->vips.owned[i], a))
			return true;
	return false;
}

/* Removing: the list without the owner's own addresses (a copy, or NULL on no memory). */
static struct netlink_addr *vips_not_owned(const struct vipd_instance *in,
					   const struct netlink_addr *addrs, size_t *n)
{
	struct netlink_addr *out = calloc(*n + 1, sizeof(*out));
	size_t k = 0;

	if (!out)
		return NULL;
	for (size_t i = 0; i < *n; i++)
		if (!vips_owned(in, &addrs[i].addr))
			out[k++] = addrs[i];
	*n = k;
	return out;
}

static void vips_apply_list(struct vipd_instance *in, const struct netlink_addr *addrs, size_t n,
		     bool add)
{
	struct netlink_addr *kept = NULL;

	if (!add && in->vips.nowned) {
		kept = vips_not_owned(in, addrs, &n);
		if (!kept) {
			log_err("%s: out of memory while removing VIPs", in->cfg->name);
			return;
		}
		addrs = kept;
	}
	if (n > 0) {
		vips_batch(in, addrs, n, add);
		log_info("%s: %s %zu VIP%s", in->cfg->name, add ? "installed" : "removed", n,
			 n == 1 ? "" : "s");
	}
	free(kept);
}

/* Every VIP of the instance as netlink requests; *n gets the count. NULL on no memory. */
static struct netlink_addr *vips_list(struct vipd_instance *in, size_t *n)
{
	const struct cfg_instance *c = in->cfg;
	struct netlink_addr *addrs = calloc(c->nvips + c->nvips_excluded + 1, sizeof(*addrs));

	*n = addrs ? vips_collect(in, addrs) : 0;
	return addrs;
}

static bool vip_listed(const struct ipaddr *a, const struct netlink_addr *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ipaddr_equal(&list[i].addr, a))
			return true;
	return false;
}

/* A VIP of a starting instance, as the stale check lists them. */
struct stale_vip {
	struct vipd_instance *in;
	const struct cfg_vip *v;
};

/*
 * Every VIP (advertised and excluded) of the starting instances whose
 * interface exists: carried[i] set means d->insts[i] was carried over by a
 * reload and is skipped. Returns the count, or -ENOMEM.
 */
static ssize_t stale_collect(struct vipd *d, struct vipd_instance *const *carried,
			     struct netlink_addr **addrs, struct stale_vip **who)
{
	size_t max = 1, n = 0;

	for (size_t i = 0; i < d->ninsts; i++)
		max += d->insts[i].cfg->nvips + d->insts[i].cfg->nvips_excluded;
	*addrs = calloc(max, sizeof(**addrs));
	*who = calloc(max, sizeof(**who));
	if (!*addrs || !*who)
		return -ENOMEM;
	for (size_t i = 0; i < d->ninsts; i++) {
		struct vipd_instance *in = &d->insts[i];
		const struct cfg_instance *c = in->cfg;

		if ((carried && carried[i]) || in->iface->ifindex <= 0)
			continue;
		for (size_t pass = 0; pass < 2; pass++) {
			const struct cfg_vip *list = pass ? c->vips_excluded : c->vips;
			size_t count = pass ? c->nvips_excluded : c->nvips;

			for (size_t k = 0; k < count; k++) {
				int ifindex = vips_ifindex(in, &list[k]);

				if (ifindex <= 0)
					continue;
				(*addrs)[n] = (struct netlink_addr){ .ifindex = ifindex,
								     .addr = list[k].addr,
								     .prefix_len = list[k].prefix_len };
				(*who)[n++] = (struct stale_vip){ .in = in, .v = &list[k] };
			}
		}
	}
	return (ssize_t)n;
}

/*
 * The address owner (RFC 5798: priority 255) holds its virtual addresses as
 * real interface addresses. One that is already there when the owner starts
 * is taken for the host's own: kept now and never removed (on a fault, a
 * shutdown or a reload). Returns false when it cannot be recorded.
 */
static bool stale_owner_keeps(struct vipd_instance *in, const struct netlink_addr *a,
			      const char *dev)
{
	struct ipaddr *owned;
	char buf[IPADDR_STRLEN];

	if (in->cfg->priority != VRRP_PRIO_OWNER)
		return false;
	owned = realloc(in->vips.owned, (in->vips.nowned + 1) * sizeof(*owned));
	if (!owned)
		return false;
	in->vips.owned = owned;
	in->vips.owned[in->vips.nowned++] = a->addr;
	log_notice("%s: VIP %s/%u is already an address of %s and the instance owns it (priority 255): keeping it as the host's own; vipd will not remove it",
		   in->cfg->name, ipaddr_str(&a->addr, buf, sizeof(buf)), a->prefix_len, dev);
	return true;
}

/*
 * Keep the entries of addrs that are present (and their owners in who),
 * saying for each that it is there. Returns how many are left. An address
 * owner's are not stale (stale_owner_keeps).
 */
static size_t stale_keep_present(struct netlink_addr *addrs, struct stale_vip *who,
				 const bool *present, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		struct vipd_instance *in = who[i].in;
		const char *dev = who[i].v->dev[0] ? who[i].v->dev : in->iface->name;
		char buf[IPADDR_STRLEN];

		if (!present[i] || stale_owner_keeps(in, &addrs[i], dev))
			continue;
		log_warn("%s: VIP %s/%u was already present on %s (left by an earlier run?); removing it before the election",
			 in->cfg->name, ipaddr_str(&addrs[i].addr, buf, sizeof(buf)),
			 addrs[i].prefix_len, dev);
		addrs[k] = addrs[i];
		who[k++] = who[i];
	}
	return k;
}

/*
 * VIPs of our configuration already on an interface when an instance starts
 * were left by a run that did not stop cleanly: remove them before any
 * election so a backup never answers for an address it does not own. One
 * address dump answers for every starting instance (a dump per VIP made
 * start-up quadratic in the number of VIPs). carried: see stale_collect;
 * NULL when every instance is starting.
 */
void vips_remove_stale(struct vipd *d, struct vipd_instance *const *carried)
{
	struct netlink_addr *addrs;
	struct stale_vip *who;
	bool *present = NULL;
	int *errs = NULL;
	ssize_t n = stale_collect(d, carried, &addrs, &who);
	int err = (int)n;

	if (n > 0) {
		present = calloc((size_t)n, sizeof(*present));
		errs = calloc((size_t)n, sizeof(*errs));
		err = present && errs ? netlink_addrs_present(d->nl, addrs, (size_t)n, present)
				      : -ENOMEM;
	}
	if (err < 0) {
		log_warn("cannot look for VIPs left by an earlier run: %s", strerror(-err));
		goto out;
	}
	n = (ssize_t)stale_keep_present(addrs, who, present, (size_t)n);
	netlink_addrs_del(d->nl, addrs, (size_t)n, errs);
	for (ssize_t i = 0; i < n; i++) {
		char buf[IPADDR_STRLEN];

		if (errs[i])
			log_err("%s: cannot remove stale VIP %s: %s", who[i].in->cfg->name,
				ipaddr_str(&addrs[i].addr, buf, sizeof(buf)), strerror(-errs[i]));
	}
out:
	free(addrs);
	free(who);
	free(present);
	free(errs);
}

/* ----------------------------------------------------------------- our VIPs */

static int addr_cmp(const void *a, const void *b)
{
	return ipaddr_cmp(a, b);
}

/* Collect every configured VIP into d->vip_set, sorted. 0 or -ENOMEM. */
int vips_index(struct vipd *d)
{
	size_t max = 0, n = 0;

	for (size_t i = 0; i < d->ninsts; i++)
		max += d->insts[i].cfg->nvips + d->insts[i].cfg->nvips_excluded;
	d->vip_set = calloc(max + 1, sizeof(*d->vip_set));
	if (!d->vip_set)
		return -ENOMEM;
	for (size_t i = 0; i < d->ninsts; i++) {
		const struct cfg_instance *c = d->insts[i].cfg;

		for (size_t k = 0; k < c->nvips; k++)
			d->vip_set[n++] = c->vips[k].addr;
		for (size_t k = 0; k < c->nvips_excluded; k++)
			d->vip_set[n++] = c->vips_excluded[k].addr;
	}
	qsort(d->vip_set, n, sizeof(*d->vip_set), addr_cmp);
	d->nvip_set = n;
	return 0;
}

bool vips_is_ours(const struct vipd *d, const struct ipaddr *a)
{
	return d->nvip_set &&
	       bsearch(a, d->vip_set, d->nvip_set, sizeof(*d->vip_set), addr_cmp) != NULL;
}

/* --------------------------------------------------------------- announcing */

/* The announcing end: the interface, or the virtual MAC's macvlan with use_vmac. */
static int announce_fd(struct vipd_instance *in, int *ifindex, const uint8_t **mac)
{
	struct vipd_iface *ifc = in->iface;
	int *fd = &ifc->packet_fd;

	*ifindex = ifc->ifindex;
	*mac = ifc->mac;
	if (in->cfg->use_vmac) {
		fd = &in->vmac.packet_fd;
		*ifindex = in->vmac.ifindex;
		*mac = in->vmac.mac;
	}
	if (*fd < 0 && *ifindex > 0) {
		*fd = announce_open(*ifindex);
		if (*fd < 0) {
			log_err("%s: cannot open a packet socket for gratuitous ARP: %s",
				in->cfg->name, strerror(-*fd));
			*fd = -1;
		}
	}
	return *fd;
}

/*
 * Does the interface forward IPv6 (net.ipv6.conf.IFACE.forwarding)? Then
 * the host is a router there, and so is the virtual router it stands for:
 * RFC 5798 6.4.1 / 6.4.2 have a new master's Neighbor Advertisements set
 * the Router flag, and a host that uses the VIP as its default router drops
 * it from its list on an NA without the flag (RFC 4861 7.2.5). keepalived
 * decides the same way. Unreadable counts as not forwarding.
 */
static bool iface_forwards_ipv6(const struct vipd_iface *ifc)
{
	char path[64 + IF_NAMESIZE];
	FILE *f;
	int c;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/forwarding", ifc->name);
	f = fopen(path, "re");
	if (!f)
		return false;
	c = fgetc(f);
	fclose(f);
	return c != EOF && c != '0';
}

/* One gratuitous ARP (IPv4) or unsolicited NA (IPv6, router: Router flag) for a. */
static void announce_one(const struct vipd_iface *ifc, int fd, int ifindex, const uint8_t *mac,
			 const struct ipaddr *a, bool router)
{
	uint8_t frame[ANNOUNCE_NA_LEN];
	ssize_t len;

	if (a->family == AF_INET)
		len = announce_build_garp(frame, sizeof(frame), mac, &a->v4);
	else if (!ipaddr_is_unset(&ifc->primary6))
		len = announce_build_na(frame, sizeof(frame), mac, &ifc->primary6.v6, &a->v6,
					router);
	else
		return;
	if (len > 0)
		announce_send(fd, ifindex, frame, (size_t)len);
}

/*
 * Announce the instance's VIPs repeat times; with only (n entries) just
 * those addresses (a reload that added some).
 */
static void vips_announce_burst(struct vipd_instance *in, unsigned repeat, const struct netlink_addr *only,
		    size_t n)
{
	const struct cfg_instance *c = in->cfg;
	struct vipd_iface *ifc = in->iface;
	const uint8_t *mac;
	int ifindex, fd = announce_fd(in, &ifindex, &mac);
	bool router;

	if (fd < 0)
		return;
	router = iface_forwards_ipv6(ifc);
	for (unsigned r = 0; r < repeat; r++) {
		for (size_t pass = 0; pass < 2; pass++) {
			const struct cfg_vip *list = pass ? c->vips_excluded : c->vips;
			size_t count = pass ? c->nvips_excluded : c->nvips;

			for (size_t i = 0; i < count; i++) {
				if (list[i].dev[0] && strcmp(list[i].dev, ifc->name) != 0)
					continue; /* announced only on the instance interface */
				if (only && !vip_listed(&list[i].addr, only, n))
					continue;
				announce_one(ifc, fd, ifindex, mac, &list[i].addr, router);
			}
		}
	}
}

/* Announce the addresses just installed that live on the announcing end. */
static void announce_installed(struct vipd_instance *in, const struct netlink_addr *addrs,
			       size_t n)
{
	const uint8_t *mac;
	int ifindex, fd = announce_fd(in, &ifindex, &mac);
	bool router = iface_forwards_ipv6(in->iface);

	for (size_t i = 0; fd >= 0 && i < n; i++)
		if (addrs[i].ifindex == ifindex)
			announce_one(in->iface, fd, ifindex, mac, &addrs[i].addr, router);
}

/* garp_interval (gna_interval for IPv6): the pause between rounds of a burst. */
static uint64_t burst_interval_us(const struct cfg_instance *c)
{
	return c->family == AF_INET6 ? c->gna_interval_us : c->garp_interval_us;
}

static void on_burst_timer(struct loop *l, struct loop_timer *t, void *arg)
{
	struct vipd_instance *in = arg;

	if (in->vrrp.state != VRRP_STATE_MASTER || in->vips.burst_left == 0) {
		in->vips.burst_left = 0;
		return;
	}
	vips_announce_burst(in, 1, NULL, 0);
	if (--in->vips.burst_left)
		loop_timer_arm(l, t, loop_now_us() + burst_interval_us(in->cfg));
}

/* repeat rounds of announcements, paced by garp_interval when it is set. */
static void announce_paced(struct vipd_instance *in, unsigned repeat)
{
	uint64_t pause = burst_interval_us(in->cfg);

	if (pause == 0 || repeat <= 1) {
		vips_announce_burst(in, repeat, NULL, 0);
		return;
	}
	vips_announce_burst(in, 1, NULL, 0);
	in->vips.burst_left = repeat - 1;
	loop_timer_arm(in->d->loop, &in->vips.burst_timer, loop_now_us() + pause);
}

static void on_garp_timer(struct loop *l, struct loop_timer *t, void *arg)
{
	struct vipd_instance *in = arg;
	const struct cfg_instance *c = in->cfg;

	(void)t;
	if (in->vrrp.state != VRRP_STATE_MASTER || !in->iface->running) {
		in->vips.garp_phase = VIPS_GARP_IDLE;
		return;
	}
	if (in->vips.garp_phase == VIPS_GARP_DELAYED) {
		announce_paced(in, c->garp_master_repeat);
		log_debug("%s: sent delayed gratuitous ARP burst", c->name);
	} else {
		announce_paced(in, c->garp_master_refresh_repeat);
	}
	if (c->garp_master_refresh_us) {
		in->vips.garp_phase = VIPS_GARP_REFRESH;
		loop_timer_arm(l, &in->vips.garp_timer, loop_now_us() + c->garp_master_refresh_us);
	} else {
		in->vips.garp_phase = VIPS_GARP_IDLE;
	}
}

/* Becoming master: a burst now, another after garp_master_delay, then refreshes. */
static void announce_start(struct vipd_instance *in)
{
	const struct cfg_instance *c = in->cfg;
	uint64_t now = loop_now_us();

	announce_paced(in, c->garp_master_repeat);
	if (c->garp_master_delay_us) {
		in->vips.garp_phase = VIPS_GARP_DELAYED;
		loop_timer_arm(in->d->loop, &in->vips.garp_timer, now + c->garp_master_delay_us);
	} else if (c->garp_master_refresh_us) {
		in->vips.garp_phase = VIPS_GARP_REFRESH;
		loop_timer_arm(in->d->loop, &in->vips.garp_timer, now + c->garp_master_refresh_us);
	}
}

static void on_lower_timer(struct loop *l, struct loop_timer *t, void *arg)
{
	struct vipd_instance *in = arg;

	(void)l;
	(void)t;
	if (in->vrrp.state == VRRP_STATE_MASTER && !in->vips.install && in->iface->running)
		announce_paced(in, in->cfg->garp_lower_prio_repeat);
}

/*
 * A lesser master was heard (a split brain healing, or a backup that does
 * not hear us): its gratuitous ARPs may have moved the segment's traffic to
 * it, and it is about to drop the addresses. garp_lower_prio_repeat rounds
 * now and a second set after garp_lower_prio_delay, as keepalived does. At
 * most one burst per half Advertisement_Interval, whatever floods us with
 * adverts; the second set is not pushed back by later ones.
 */
void vips_reannounce(struct vipd_instance *in)
{
	const struct cfg_instance *c = in->cfg;
	uint64_t now = loop_now_us();
	uint64_t gap_us = c->advert_int_cs * USEC_PER_CS / 2;

	if (c->garp_lower_prio_repeat == 0 || in->vips.install || !in->vips.installed ||
	    !in->iface->running)
		return;
	if (in->vips.lower_announced_us && now - in->vips.lower_announced_us < gap_us)
		return;
	in->vips.lower_announced_us = now;
	announce_paced(in, c->garp_lower_prio_repeat);
	log_debug("%s: re-announced its VIPs to a lower-priority master", c->name);
	if (c->garp_lower_prio_delay_us && !loop_timer_armed(&in->vips.lower_timer))
		loop_timer_arm(in->d->loop, &in->vips.lower_timer,
			       now + c->garp_lower_prio_delay_us);
}

/* --------------------------------------------------------------- installing */

static void install_drop(struct vipd_instance *in)
{
	loop_timer_cancel(in->d->loop, &in->vips.install_timer);
	free(in->vips.install);
	in->vips.install = NULL;
	in->vips.install_n = in->vips.install_done = in->vips.install_announced = 0;
	in->vips.announce_deferred = false;
}

/* The next batch's size: what the last one suggests fits in the budget. */
static size_t install_chunk(size_t n, uint64_t took_us)
{
	uint64_t want = took_us ? n * VIPS_STEP_BUDGET_US / took_us : VIPS_CHUNK_MAX;

	if (want < 1)
		return 1;
	return want > VIPS_CHUNK_MAX ? VIPS_CHUNK_MAX : (size_t)want;
}

/*
 * One step of the install: batches until the budget is spent. Returns true
 * when every VIP is in. Once the install has gone on for a while, each step
 * announces what is in, so traffic for those moves without waiting for the
 * rest.
 */
static bool install_step(struct vipd_instance *in)
{
	uint64_t start_us = loop_now_us(), now_us = start_us;

	do {
		size_t n = in->vips.install_n - in->vips.install_done;
		uint64_t batch_us = now_us;

		if (n > in->vips.install_chunk)
			n = in->vips.install_chunk;
		vips_batch(in, in->vips.install + in->vips.install_done, n, true);
		in->vips.install_done += n;
		now_us = loop_now_us();
		in->vips.install_chunk = install_chunk(n, now_us - batch_us);
	} while (in->vips.install_done < in->vips.install_n && now_us - start_us < VIPS_STEP_BUDGET_US);
	in->vips.install_steps++;
	if (in->vips.install_done == in->vips.install_n)
		return true;
	if (now_us - in->vips.install_start_us >= VIPS_ANNOUNCE_EARLY_US) {
		announce_installed(in, in->vips.install + in->vips.install_announced,
				   in->vips.install_done - in->vips.install_announced);
		in->vips.install_announced = in->vips.install_done;
	}
	return false;
}

static void install_complete(struct vipd_instance *in)
{
	const char *name = in->cfg->name;
	size_t n = in->vips.install_n;
	bool announce = in->vips.announce_deferred;

	if (in->vips.install_steps > 1)
		log_info("%s: installed %zu VIPs in %llu ms (%u steps)", name, n,
			 (unsigned long long)((loop_now_us() - in->vips.install_start_us) / 1000),
			 in->vips.install_steps);
	else
		log_info("%s: installed %zu VIP%s", name, n, n == 1 ? "" : "s");
	install_drop(in);
	if (announce)
		announce_start(in);
}

static void on_install_timer(struct loop *l, struct loop_timer *t, void *arg)
{
	struct vipd_instance *in = arg;

	if (install_step(in))
		install_complete(in);
	else
		loop_timer_arm(l, t, loop_now_us());
}

/*
 * Becoming master: put every VIP on its interface. Small lists go in at
 * once; a large one in steps between which the loop runs (the adverts keep
 * their rhythm). vips_installed is set from the start, so giving up
 * mastership in between removes what is in.
 */
void vips_install(struct vipd_instance *in)
{
	size_t n;
	struct netlink_addr *addrs;

	if (in->vips.install)
		return;
	addrs = vips_list(in, &n);
	if (!addrs) {
		log_err("%s: out of memory while adding VIPs", in->cfg->name);
		return;
	}
	in->vips.installed = true;
	in->vips.install = addrs;
	in->vips.install_n = n;
	in->vips.install_done = 0;
	in->vips.install_announced = 0;
	in->vips.install_steps = 0;
	in->vips.install_chunk = VIPS_CHUNK_START;
	in->vips.install_start_us = loop_now_us();
	if (install_step(in))
		install_complete(in);
	else
		loop_timer_arm(in->d->loop, &in->vips.install_timer, loop_now_us());
}

/* The addresses of a netlink request list, sorted, for bsearch. NULL on no memory. */
static struct ipaddr *addrs_sorted(const struct netlink_addr *list, size_t n)
{
	struct ipaddr *set = calloc(n + 1, sizeof(*set));

	if (!set)
		return NULL;
	for (size_t i = 0; i < n; i++)
		set[i] = list[i].addr;
	qsort(set, n, sizeof(*set), addr_cmp);
	return set;
}

static bool in_set(const struct ipaddr *a, const struct ipaddr *set, size_t n)
{
	return n && bsearch(a, set, n, sizeof(*set), addr_cmp) != NULL;
}

/*
 * A reload while old was installing: in's list goes on in steps from where
 * old was, so the reload does not stall the adverts. VIPs old put in that
 * the new configuration drops come off; those it keeps go first in the new
 * list and count as done, so giving up later removes them too.
 */
static void vips_install_carry(struct vipd_instance *in, struct vipd_instance *old)
{
	size_t n, kept = 0, ndel = 0, done = old->vips.install_done;
	struct netlink_addr *addrs = vips_list(in, &n);
	struct ipaddr *was = addrs_sorted(old->vips.install, done);
	struct ipaddr *now = addrs ? addrs_sorted(addrs, n) : NULL;

	if (!addrs || !was || !now) {
		log_err("%s: out of memory while carrying the VIP install over", in->cfg->name);
		goto out;
	}
	for (size_t i = 0; i < done; i++)
		if (!in_set(&old->vips.install[i].addr, now, n))
			old->vips.install[ndel++] = old->vips.install[i]; /* old's list is dropped next */
	vips_apply_list(in, old->vips.install, ndel, false);
	for (size_t i = 0; i < n; i++) {
		if (in_set(&addrs[i].addr, was, done)) {
			struct netlink_addr t = addrs[kept];

			addrs[kept++] = addrs[i];
			addrs[i] = t;
		}
	}
	in->vips.installed = true;
	in->vips.install = addrs;
	addrs = NULL;
	in->vips.install_n = n;
	in->vips.install_done = kept;
	in->vips.install_announced = 0;
	in->vips.install_steps = old->vips.install_steps;
	in->vips.install_chunk = old->vips.install_chunk;
	in->vips.install_start_us = old->vips.install_start_us;
	in->vips.announce_deferred = old->vips.announce_deferred;
	if (in->vips.install_done == in->vips.install_n)
		install_complete(in);
	else
		loop_timer_arm(in->d->loop, &in->vips.install_timer, loop_now_us());
out:
	free(addrs);
	free(was);
	free(now);
}

/*
 * Put one VIP back (someone removed it behind our back). One an install
 * has not reached yet goes in with it; its event is an old one.
 */
void vips_readd_one(struct vipd_instance *in, const struct cfg_vip *v)
{
	struct netlink_addr na;

	if (in->vips.install) {
		bool done = false;

		for (size_t i = 0; i < in->vips.install_done && !done; i++)
			done = ipaddr_equal(&in->vips.install[i].addr, &v->addr);
		if (!done)
			return;
	}
	if (vip_request(in, v, &na))
		vips_apply_list(in, &na, 1, true);
}

/* Announcing stops; an install in progress is abandoned. No netlink. */
void vips_stop(struct vipd_instance *in)
{
	loop_timer_cancel(in->d->loop, &in->vips.garp_timer);
	loop_timer_cancel(in->d->loop, &in->vips.burst_timer);
	loop_timer_cancel(in->d->loop, &in->vips.lower_timer);
	in->vips.garp_phase = VIPS_GARP_IDLE;
	in->vips.burst_left = 0;
	install_drop(in);
}

void vips_free(struct vipd_instance *in)
{
	vips_stop(in);
	free(in->vips.owned);
	in->vips.owned = NULL;
	in->vips.nowned = 0;
}

/* Giving mastership up: stop announcing, take off what is installed. */
void vips_remove(struct vipd_instance *in)
{
	size_t n;
	struct netlink_addr *addrs;

	if (in->vips.install) {
		/* only what the interrupted install put in */
		vips_apply_list(in, in->vips.install, in->vips.install_done, false);
		vips_stop(in);
		in->vips.installed = false;
		return;
	}
	vips_stop(in);
	addrs = vips_list(in, &n);
	if (!addrs) {
		log_err("%s: out of memory while removing VIPs", in->cfg->name);
		return;
	}
	vips_apply_list(in, addrs, n, false);
	in->vips.installed = false;
	free(addrs);
}

/* The announcements of a new master; after the last VIP when it is still going in. */
void vips_announce(struct vipd_instance *in)
{
	if (in->vips.install)
		in->vips.announce_deferred = true;
	else
		announce_start(in);
}

void vips_timers_init(struct vipd_instance *in)
{
	loop_timer_init(&in->vips.garp_timer, on_garp_timer, in);
	loop_timer_init(&in->vips.burst_timer, on_burst_timer, in);
	loop_timer_init(&in->vips.lower_timer, on_lower_timer, in);
	loop_timer_init(&in->vips.install_timer, on_install_timer, in);
}

/* Order of VIP requests by interface, prefix length and address: one VIP is one key. */
static int vip_key_cmp(const void *a, const void *b)
{
	const struct netlink_addr *x = a, *y = b;

	if (x->ifindex != y->ifindex)
		return x->ifindex < y->ifindex ? -1 : 1;
	if (x->prefix_len != y->prefix_len)
		return x->prefix_len < y->prefix_len ? -1 : 1;
	return ipaddr_cmp(&x->addr, &y->addr);
}

/* A sorted copy of a request list, for vip_in(). NULL on no memory. */
static struct netlink_addr *vips_sorted(const struct netlink_addr *list, size_t n)
{
	struct netlink_addr *set = calloc(n + 1, sizeof(*set));

	if (!set)
		return NULL;
	memcpy(set, list, n * sizeof(*set));
	qsort(set, n, sizeof(*set), vip_key_cmp);
	return set;
}

static bool vip_in(const struct netlink_addr *a, const struct netlink_addr *set, size_t n)
{
	return n && bsearch(a, set, n, sizeof(*set), vip_key_cmp) != NULL;
}

/*
 * Reload of an instance that holds its VIPs: remove the ones no longer
 * configured, add the new ones and announce just those (the others have not
 * moved: no gratuitous ARP for them). Lookups go through sorted copies, so a
 * reload of thousands of VIPs costs n log n, not n squared, with the adverts
 * waiting.
 */
static void vips_update(struct vipd_instance *in, struct vipd_instance *old)
{
	size_t nold, nnew, ndel = 0, nadd = 0;
	struct netlink_addr *a = vips_list(old, &nold);
	struct netlink_addr *b = vips_list(in, &nnew);
	struct netlink_addr *sa = a ? vips_sorted(a, nold) : NULL;
	struct netlink_addr *sb = b ? vips_sorted(b, nnew) : NULL;
	struct netlink_addr *del = calloc(nold + 1, sizeof(*del));
	struct netlink_addr *add = calloc(nnew + 1, sizeof(*add));

	if (sa && sb && del && add) {
		for (size_t i = 0; i < nold; i++)
			if (!vip_in(&a[i], sb, nnew))
				del[ndel++] = a[i];
		for (size_t i = 0; i < nnew; i++)
			if (!vip_in(&b[i], sa, nold))
				add[nadd++] = b[i];
		vips_apply_list(in, del, ndel, false);
		vips_apply_list(in, add, nadd, true);
		if (nadd && in->vrrp.state == VRRP_STATE_MASTER && in->iface->ifindex > 0)
			vips_announce_burst(in, in->cfg->garp_master_repeat, add, nadd);
	} else {
		log_err("%s: out of memory while updating VIPs", in->cfg->name);
	}
	free(a);
	free(b);
	free(sa);
	free(sb);
	free(del);
	free(add);
}

void vips_carry(struct vipd_instance *in, struct vipd_instance *old)
{
	struct loop *l = in->d->loop;

	in->vips.owned = old->vips.owned; /* before any VIP comes off below */
	in->vips.nowned = old->vips.nowned;
	old->vips.owned = NULL;
	old->vips.nowned = 0;
	in->vips.installed = old->vips.installed;
	in->vips.garp_phase = old->vips.garp_phase;
	if (loop_timer_armed(&old->vips.garp_timer))
		loop_timer_arm(l, &in->vips.garp_timer, old->vips.garp_timer.deadline_us);
	in->vips.burst_left = old->vips.burst_left;
	if (loop_timer_armed(&old->vips.burst_timer))
		loop_timer_arm(l, &in->vips.burst_timer, old->vips.burst_timer.deadline_us);
	in->vips.lower_announced_us = old->vips.lower_announced_us;
	if (loop_timer_armed(&old->vips.lower_timer))
		loop_timer_arm(l, &in->vips.lower_timer, old->vips.lower_timer.deadline_us);
	if (old->vips.install)
		vips_install_carry(in, old); /* goes on in steps, with the new list */
	else if (in->vips.installed)
		vips_update(in, old);
	vips_stop(old);
}
