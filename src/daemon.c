/*
 * daemon.c - wiring: sockets, netlink and timers in; the state machine's
 * actions out. Every decision about the protocol is vrrp.c's, about faults
 * fault.c's and about sync groups syncgroup.c's; this file moves bytes and
 * events between the kernel and them. VIPs are vips.c's, the virtual MAC
 * vmac.c's, tracking tracking.c's.
 */

#include <errno.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "announce.h"
#include "ctlpath.h"
#include "daemon.h"
#include "daemon-priv.h"
#include "ahsock.h"
#include "fifos.h"
#include "log.h"
#include "netlink.h"
#include "notify.h"
#include "privs.h"
#include "sock.h"
#include "state.h"
#include "steer.h"
#include "syncgroup.h"
#include "tracked.h"
#include "tracking.h"
#include "vrouting.h"
#include "vips.h"
#include "vmac.h"

/* Per-advert work is bounded: at most this many packets per wake-up per socket. */
#define RECV_BATCH 64
_Static_assert(RECV_BATCH % SOCK_RX_BATCH == 0, "a wake-up must not strand buffered packets");


/* ------------------------------------------------------------------- lookup */

struct vipd_iface *vipd_iface_by_name(struct vipd *d, const char *name)
{
	for (size_t i = 0; i < d->nifaces; i++)
		if (strcmp(d->ifaces[i].name, name) == 0)
			return &d->ifaces[i];
	return NULL;
}

static struct vipd_iface *iface_by_index(struct vipd *d, int ifindex)
{
	for (size_t i = 0; i < d->nifaces; i++)
		if (d->ifaces[i].ifindex == ifindex && ifindex > 0)
			return &d->ifaces[i];
	return NULL;
}

/* The instance on ifc for a received packet's family and VRID; NULL when none. */
static struct vipd_instance *inst_by_vrid(const struct vipd_iface *ifc, sa_family_t family,
					  uint8_t vrid)
{
	if (family != AF_INET && family != AF_INET6)
		return NULL;
	return ifc->by_vrid[family == AF_INET6][vrid];
}

const struct ipaddr *inst_source(const struct vipd_instance *in)
{
	if (in->cfg->unicast_src.family != AF_UNSPEC)
		return &in->cfg->unicast_src;
	return in->cfg->family == AF_INET6 ? &in->iface->primary6 : &in->iface->primary4;
}

/* ------------------------------------------------------------------ adverts */

/* Is vrrp_mcast_group4/6 set to another group than the standard one? */
bool vipd_group_custom(const struct vipd_config *cfg, sa_family_t family)
{
	return (family == AF_INET6 ? cfg->global.mcast_group6 : cfg->global.mcast_group4).family !=
	       AF_UNSPEC;
}

/* The group adverts go to: vrrp_mcast_group4/6, or the standard one. */
const struct ipaddr *vipd_group(const struct vipd_config *cfg, sa_family_t family)
{
	static struct ipaddr std4, std6;

	if (vipd_group_custom(cfg, family))
		return family == AF_INET6 ? &cfg->global.mcast_group6 : &cfg->global.mcast_group4;
	if (std4.family == AF_UNSPEC) {
		ipaddr_parse(VRRP_MCAST_V4, &std4, NULL);
		ipaddr_parse(VRRP_MCAST_V6, &std6, NULL);
	}
	return family == AF_INET6 ? &std6 : &std4;
}

/*
 * Send one advert along path k: the instance's interface (the group, or its
 * unicast peers) or an advert_path (unicast to the peers listed there).
 * Returns whether it left for every destination.
 */
static bool send_on_path(struct vipd_instance *in, size_t k, const struct vrrp_advert *adv,
			 bool resign)
{
	const struct cfg_instance *c = in->cfg;
	struct vipd_iface *ifc = in->paths[k].iface;
	const struct cfg_advert_path *path = in->paths[k].cfg;
	struct vrrp_sock *s = c->family == AF_INET6 ? ifc->sock6 : ifc->sock4;
	const struct ipaddr *peers = path ? path->peers : c->unicast_peers;
	size_t npeers = path ? path->npeers : c->nunicast_peers;
	uint8_t msg[VRRP_MAX_MSG_LEN];
	struct pkt_ip ip = { .ttl = VRRP_TTL };
	bool ok = true;

	if (!path && in->vmac.sock)
		s = in->vmac.sock;
	ip.src = path ? *(c->family == AF_INET6 ? &ifc->primary6 : &ifc->primary4) :
			*inst_source(in);
	if (!s || ipaddr_is_unset(&ip.src))
		return false;
	if (!ifc->up || !ifc->running) {
		log_debug("%s: not sending %sadvert: %s is down", c->name, resign ? "priority-0 " : "",
			  ifc->name);
		return false;
	}
	for (size_t i = 0; i < (npeers ? npeers : 1); i++) {
		ssize_t len;
		int err;

		if (npeers)
			ip.dst = peers[i];
		else
			ip.dst = *vipd_group(in->d->cfg, c->family);
		len = pkt_encode(adv, &ip, msg, sizeof(msg));
		if (len < 0) {
			log_err("%s: cannot encode advert: %s", c->name, strerror((int)-len));
			return false;
		}
		/* The configuration refuses advert_path with AH: only the main interface has it. */
		if (c->auth_ah)
			err = ahsock_send(in, msg, (size_t)len, &ip.src, &ip.dst);
		else
			err = sock_send(s, &ip.src, &ip.dst, msg, (size_t)len);
		if (err < 0) {
			char buf[IPADDR_STRLEN];

			log_warn("%s: sending advert to %s on %s failed: %s", c->name,
				 ipaddr_str(&ip.dst, buf, sizeof(buf)), ifc->name, strerror(-err));
			ok = false;
			continue;
		}
		in->stats.adverts_sent++;
	}
	return ok;
}

/* One advert on the instance's interface and along each of its advert paths. */
static void send_advert(struct vipd_instance *in, bool resign)
{
	const struct cfg_instance *c = in->cfg;
	struct vrrp_advert adv;
	char via[VIPD_PATHS_MAX * (IF_NAMESIZE + 2)] = "";
	size_t off = 0;

	vrrp_fill_advert(&in->vrrp, resign, &adv);
	for (size_t i = 0; i < c->nvips && adv.naddr < VRRP_MAX_ADDRS; i++)
		if (c->vips[i].addr.family == c->family)
			adv.addrs[adv.naddr++] = c->vips[i].addr;
	for (size_t k = 0; k < in->npaths; k++) {
		struct vipd_path *path = &in->paths[k];
		int n;

		path->sent_ok = send_on_path(in, k, &adv, resign);
		if (!path->sent_ok || off >= sizeof(via))
			continue;
		n = snprintf(via + off, sizeof(via) - off, "%s%s", off ? ", " : "", path->iface->name);
		if (n > 0)
			off += (size_t)n;
	}
	if (!resign)
		return;
	if (!off)
		log_warn("%s: could not send the priority-0 advert on any path", c->name);
	else if (in->npaths > 1)
		log_info("%s: sent priority-0 advert (resigning) via %s", c->name, via);
	else
		log_info("%s: sent priority-0 advert (resigning)", c->name);
}

void vipd_count_drop(struct vipd_instance *in, struct vipd_iface *ifc, enum pkt_drop why,
		     const struct ipaddr *src)
{
	char buf[IPADDR_STRLEN];
	bool first;

	if (!in) {
		ifc->drops[why]++;
		log_debug("%s: dropped advert from %s: %s", ifc->name,
			  ipaddr_str(src, buf, sizeof(buf)), pkt_drop_text(why));
		return;
	}
	in->stats.drops[why]++;
	first = !(in->stats.drop_logged & (1ull << why));
	in->stats.drop_logged |= 1ull << why;
	/* The first drop of each kind is worth a warning: it is usually why two nodes are both MASTER. */
	log_msg(first ? LOG_WARNING : LOG_DEBUG, "%s: dropped advert from %s: %s%s", in->cfg->name,
		ipaddr_str(src, buf, sizeof(buf)), pkt_drop_text(why),
		first ? " (further drops of this kind are counted, not logged)" : "");
}

static bool is_peer(const struct ipaddr *peers, size_t npeers, const struct ipaddr *src)
{
	for (size_t i = 0; i < npeers; i++)
		if (ipaddr_equal(&peers[i], src))
			return true;
	return false;
}

static uint32_t addr_list_hash(const struct vrrp_advert *adv)
{
	uint32_t h = 2166136261u; /* FNV-1a, only to notice a change */

	for (size_t i = 0; i < adv->naddr; i++) {
		const uint8_t *b = ipaddr_bytes(&adv->addrs[i]);

		for (size_t k = 0; k < ipaddr_len(&adv->addrs[i]); k++)
			h = (h ^ b[k]) * 16777619u;
	}
	return h ? h : 1;
}

/* RFC 5798 7.1: a differing address list is logged (once per change) but the advert is used. */
static void check_addr_list(struct vipd_instance *in, const struct vrrp_advert *adv,
			    const struct ipaddr *src)
{
	const struct cfg_instance *c = in->cfg;
	size_t ours = 0;
	bool same = true;
	uint32_t h;
	char buf[IPADDR_STRLEN];

	for (size_t i = 0; i < c->nvips; i++) {
		bool found = false;

		if (c->vips[i].addr.family != adv->family)
			continue;
		ours++;
		for (size_t k = 0; k < adv->naddr && !found; k++)
			found = ipaddr_equal(&adv->addrs[k], &c->vips[i].addr);
		same = same && found;
	}
	if (same && ours == adv->naddr) {
		in->stats.addr_list_hash = 0;
		return;
	}
	h = addr_list_hash(adv);
	if (h == in->stats.addr_list_hash)
		return;
	in->stats.addr_list_hash = h;
	log_warn("%s: advert from %s lists %u address%s that differ from our %zu configured VIP%s (check both configurations)",
		 c->name, ipaddr_str(src, buf, sizeof(buf)), adv->naddr, adv->naddr == 1 ? "" : "es",
		 ours, ours == 1 ? "" : "s");
}

static bool is_own_address(const struct vipd_iface *ifc, const struct ipaddr *src)
{
	return ipaddr_equal(src, &ifc->primary4) || ipaddr_equal(src, &ifc->primary6);
}

/* Multicast adverts for a use_vmac instance arrive on its macvlan, not here. */
static bool vmac_receives(const struct vipd_instance *in)
{
	return in->vmac.sock && in->cfg->nunicast_peers == 0;
}

/* Which of in's paths runs over ifc: 0 for its own interface, -1 for none. */
static int path_of(const struct vipd_instance *in, const struct vipd_iface *ifc)
{
	for (size_t k = 0; k < in->npaths; k++)
		if (in->paths[k].iface == ifc)
			return (int)k;
	return -1;
}

/* "3.6": microseconds as seconds with one decimal. */
static const char *secs1(uint64_t us, char *buf, size_t size)
{
	uint64_t ds = (us + 50000) / 100000;

	snprintf(buf, size, "%llu.%llu", (unsigned long long)(ds / 10), (unsigned long long)(ds % 10));
	return buf;
}

/*
 * An advert from the master arrived on path k: say when it is the only way
 * the master's adverts still arrive, and when a silent path carries them
 * again. Never a takeover: any path keeps the Master_Down_Timer reset.
 */
static void path_watch(struct vipd_instance *in, size_t k, const struct vrrp_advert *adv)
{
	uint64_t now = loop_now_us();
	const struct vrrp_instance *vi = &in->vrrp;
	char who[IPADDR_STRLEN], carrying[VIPD_PATHS_MAX * (IF_NAMESIZE + 2)] = "", secs[32];
	size_t off = 0;
	bool any = false;

	in->paths[k].heard_us = now;
	ipaddr_str(&vi->master, who, sizeof(who));
	if (in->paths[k].warned) {
		in->paths[k].warned = false;
		log_notice("%s: adverts from %s arrive via %s again", in->cfg->name, who,
			   in->paths[k].iface->name);
	}
	if (vi->state != VRRP_STATE_BACKUP || adv->priority == VRRP_PRIO_RESIGN || in->npaths < 2)
		return;
	for (size_t q = 0; q < in->npaths; q++)
		any = any || (!in->paths[q].warned && vrrp_path_silent(vi, in->paths[q].heard_us, now));
	if (!any)
		return;
	for (size_t q = 0; q < in->npaths; q++) {
		int n;

		if (vrrp_path_silent(vi, in->paths[q].heard_us, now))
			continue;
		n = snprintf(carrying + off, sizeof(carrying) - off, "%s%s", off ? ", " : "",
			     in->paths[q].iface->name);
		if (n > 0 && (size_t)n < sizeof(carrying) - off)
			off += (size_t)n;
	}
	for (size_t q = 0; q < in->npaths; q++) {
		struct vipd_path *p = &in->paths[q];
		uint64_t since = p->heard_us > vi->backup_since_us ? p->heard_us : vi->backup_since_us;

		if (p->warned || !vrrp_path_silent(vi, p->heard_us, now))
			continue;
		p->warned = true;
		log_warn("%s: adverts from %s arrive only via %s; %s silent for %s s", in->cfg->name,
			 who, carrying, p->iface->name, secs1(now - since, secs, sizeof(secs)));
	}
}

/*
 * One received packet. via is the use_vmac instance whose macvlan socket it
 * came from, or NULL when it came from the interface's own socket.
 */
void vipd_handle_packet(struct vipd_iface *ifc, struct vipd_instance *via, const uint8_t *msg,
			size_t len, const struct pkt_ip *ip, bool ah)
{
	struct vrrp_advert adv;
	struct vipd_instance *in;
	enum pkt_drop why;
	int pathno;
	struct vrrp_event ev = { .kind = VRRP_EV_ADVERT, .adv = &adv, .src = &ip->src };
	char path[STEER_PATH_MAX];

	if (is_own_address(ifc, &ip->src))
		return;
	/*
	 * The kernel hands a multicast frame sourced from a virtual MAC that is
	 * also local (the peer's master, with use_vmac) only to our macvlan, and
	 * others to every macvlan as well as the parent: each advert must be
	 * taken from exactly one of them.
	 */
	if (len >= 2) {
		in = inst_by_vrid(ifc, ip->src.family, msg[1]);
		if (via ? in != via : in && in->iface == ifc && vmac_receives(in))
			return;
	}
	why = pkt_decode(msg, len, ip, &adv);
	if (why != PKT_OK) {
		/* Attribute the drop to an instance when the VRID byte is there. */
		in = len >= 2 ? inst_by_vrid(ifc, ip->src.family, msg[1]) : NULL;
		vipd_count_drop(in, ifc, why, &ip->src);
		return;
	}
	in = inst_by_vrid(ifc, ip->src.family, adv.vrid);
	if (!in) {
		vipd_count_drop(NULL, ifc, PKT_DROP_UNKNOWN_VRID, &ip->src);
		return;
	}
	/* An auth_type AH instance hears adverts only through AH (ahsock.c), and only it does. */
	if (in->cfg->auth_ah != ah) {
		vipd_count_drop(in, ifc, PKT_DROP_AUTH_MISMATCH, &ip->src);
		return;
	}
	pathno = path_of(in, ifc);
	if (pathno < 0) {
		vipd_count_drop(NULL, ifc, PKT_DROP_UNKNOWN_VRID, &ip->src);
		return;
	}
	/* Only the peers listed for a path are heard on it, as with unicast_peer. */
	if (pathno > 0 ? !is_peer(in->paths[pathno].cfg->peers, in->paths[pathno].cfg->npeers,
				  &ip->src) :
		       in->cfg->nunicast_peers &&
			       !is_peer(in->cfg->unicast_peers, in->cfg->nunicast_peers, &ip->src)) {
		vipd_count_drop(in, ifc, PKT_DROP_NOT_PEER, &ip->src);
		return;
	}
	why = vrrp_check_advert(&in->vrrp, &adv);
	if (why != PKT_OK) {
		vipd_count_drop(in, ifc, why, &ip->src);
		return;
	}
	in->stats.adverts_received++;
	check_addr_list(in, &adv, &ip->src);
	if (log_get_level() >= LOG_DEBUG) {
		char buf[IPADDR_STRLEN];

		log_debug("%s: advert from %s on %s prio %u int %u cs", in->cfg->name,
			  ipaddr_str(&ip->src, buf, sizeof(buf)), ifc->name, adv.priority,
			  adv.interval_cs);
	}
	ev.path = (unsigned)pathno;
	ev.local = ip->src.family == AF_INET6 ? &ifc->primary6 : &ifc->primary4;
	steer_before_advert(in, &ip->src, adv.priority);
	inst_event(in, &ev);
	snprintf(path, sizeof(path), "%s %s",
		 via ? "vmac" : ipaddr_is_multicast(&ip->dst) ? "multicast" : "unicast",
		 via ? in->vmac.name : ifc->name);
	steer_on_advert(in, &ip->src, adv.priority, path);
	path_watch(in, (size_t)pathno, &adv);
}

/* Registered with the interface as arg; the fd tells which family's socket woke us. */
void on_sock_readable(struct loop *l, int fd, uint32_t events, void *arg)
{
	struct vipd_iface *ifc = arg;
	struct vrrp_sock *s = ifc->sock4 && sock_fd(ifc->sock4) == fd ? ifc->sock4 : ifc->sock6;
	uint8_t buf[VRRP_MAX_PKT_LEN];

	(void)l;
	(void)events;
	for (int i = 0; i < RECV_BATCH; i++) {
		struct pkt_ip ip;
		int ifindex = 0;
		ssize_t n = sock_recv(s, buf, sizeof(buf), &ip, &ifindex);

		if (n == -EAGAIN || n == -EWOULDBLOCK)
			break;
		if (n == -EBADMSG) {
			ifc->drops[PKT_DROP_IP_HEADER]++;
			continue;
		}
		if (n == -EMSGSIZE) {
			/* Larger than any VRRP message can be: a drop like any other. */
			ifc->drops[PKT_DROP_LENGTH]++;
			log_debug("%s: dropped a packet longer than any advert", ifc->name);
			continue;
		}
		if (n < 0) {
			log_warn("%s: receive error: %s", ifc->name, strerror((int)-n));
			break;
		}
		vipd_handle_packet(ifc, NULL, buf, (size_t)n, &ip, false);
	}
}

/* Adverts arriving on a use_vmac instance's macvlan (registered by vmac_setup). */
void on_vmac_readable(struct loop *l, int fd, uint32_t events, void *arg)
{
	struct vipd_instance *in = arg;
	uint8_t buf[VRRP_MAX_PKT_LEN];

	(void)l;
	(void)fd;
	(void)events;
	for (int i = 0; i < RECV_BATCH; i++) {
		struct pkt_ip ip;
		int ifindex;
		ssize_t n = sock_recv(in->vmac.sock, buf, sizeof(buf), &ip, &ifindex);

		if (n == -EAGAIN)
			break;
		if (n >= 0 && vmac_receives(in))
			vipd_handle_packet(in->iface, in, buf, (size_t)n, &ip, false);
	}
}

/* -------------------------------------------------------------- the machine */

static enum notify_state notify_state_of(enum vrrp_state s)
{
	switch (s) {
	case VRRP_STATE_MASTER:
		return NOTIFY_MASTER;
	case VRRP_STATE_BACKUP:
		return NOTIFY_BACKUP;
	case VRRP_STATE_FAULT:
		return NOTIFY_FAULT;
	case VRRP_STATE_INIT:
		break;
	}
	return NOTIFY_STOP;
}

/*
 * A sync group's own notify scripts run when all its members have reached
 * the same state (keepalived's group notify; "notify" gets GROUP NAME STATE).
 */
static void group_notify(struct vipd_instance *in)
{
	struct vipd_group *g = in->group;
	enum vrrp_state s = in->vrrp.state;
	size_t n = 1, nsame = 1;

	if (!g)
		return;
	for (struct vipd_instance *m = in->group_next; m != in; m = m->group_next, n++)
		nsame += m->vrrp.state == s;
	if (!syncgroup_notify_due(s, nsame, n, g->notified))
		return;
	g->notified = s;
	log_notice("sync group %s: all members %s", g->cfg->name, vrrp_state_name(s));
	notify_run(in->d->loop, &g->cfg->notify, NOTIFY_GROUP, g->cfg->name, notify_state_of(s), 0,
		   &in->d->script_opts);
}

static void perform(struct vipd_instance *in, const struct vrrp_actions *a)
{
	const struct cfg_instance *c = in->cfg;

	/*
	 * Resigning: the priority-0 advert goes before the VIPs come off. A
	 * backup waits at least Skew_Time before taking them, far longer
	 * than one VIP's removal, while thousands take the kernel seconds to
	 * remove and would hold up a graceful failover that long.
	 */
	if (a->flags & VRRP_ACT_SEND_RESIGN)
		send_advert(in, true);
	if (a->flags & VRRP_ACT_DEL_VIPS) {
		vrouting_remove(in);
		vips_remove(in);
		state_save(in->d, false);
	}
	/*
	 * RFC 5798 6.4.2: the new master's advert goes first, so the old one
	 * and the backups hear of it before the VIPs' netlink round trip (which
	 * waits on the kernel's rtnl lock); the VIPs are then in place before
	 * the gratuitous ARPs move the traffic.
	 */
	if (a->flags & VRRP_ACT_SEND_ADVERT)
		send_advert(in, false);
	if (a->flags & VRRP_ACT_ADD_VIPS) {
		/* Listed before the first VIP goes in: a crash in between is covered. */
		state_save(in->d, false);
		vips_install(in);
		vrouting_install(in);
	}
	if (a->flags & VRRP_ACT_ANNOUNCE)
		vips_announce(in);
	if (a->flags & VRRP_ACT_REANNOUNCE)
		vips_reannounce(in);
	if (a->flags & VRRP_ACT_STATE) {
		for (size_t k = 0; k < in->npaths; k++)
			in->paths[k].warned = false;
		in->stats.transitions++;
		in->stats.last_transition_wall = (uint64_t)time(NULL);
		snprintf(in->stats.last_reason, sizeof(in->stats.last_reason), "%s", a->reason);
		log_notice("%s: %s -> %s: %s", c->name, vrrp_state_name(a->from),
			   vrrp_state_name(a->to), a->reason);
		/* INIT is reached only on shutdown; notify_stop is run there. */
		if (a->to != VRRP_STATE_INIT) {
			notify_run(in->d->loop, &c->notify, NOTIFY_INSTANCE, c->name,
				   notify_state_of(a->to), in->vrrp.priority, &in->d->script_opts);
			group_notify(in);
		}
	}
}

void inst_event(struct vipd_instance *in, const struct vrrp_event *ev)
{
	struct vrrp_actions a;

	vrrp_handle(&in->vrrp, ev, loop_now_us(), &a);
	perform(in, &a);
	inst_rearm(in);
	steer_on_transition(in, &a);
}

static void on_inst_timer(struct loop *l, struct loop_timer *t, void *arg)
{
	struct vrrp_event ev = { .kind = VRRP_EV_TIMER };

	(void)l;
	(void)t;
	inst_event(arg, &ev);
}

void inst_rearm(struct vipd_instance *in)
{
	uint64_t deadline = vrrp_next_deadline(&in->vrrp);

	if (deadline)
		loop_timer_arm(in->d->loop, &in->timer, deadline);
	else
		loop_timer_cancel(in->d->loop, &in->timer);
}

/* Enter or leave FAULT when the set of reasons becomes non-empty or empty. */
static void inst_apply_faults(struct vipd_instance *in, unsigned faults)
{
	char cause[FAULT_TEXT_MAX];
	struct vrrp_event ev = { .cause = cause };

	in->faults = faults;
	if (in->d->stopping)
		return;
	if (faults && in->vrrp.state != VRRP_STATE_FAULT) {
		struct fault_facts f = {
			.interface = in->iface->name,
			.admin_up = in->iface->up,
			.family = in->cfg->family,
			.vmac = in->vmac.name,
			.tracked = in->track_down,
			.group = in->cfg->sync_group,
		};

		ev.kind = VRRP_EV_FAULT;
		fault_cause_of(faults, &f, &in->fault);
		fault_raised(&in->fault, cause, sizeof(cause));
		inst_event(in, &ev);
	} else if (!faults && in->vrrp.state == VRRP_STATE_FAULT) {
		ev.kind = VRRP_EV_FAULT_CLEAR;
		fault_cleared(&in->fault, cause, sizeof(cause));
		in->vrrp.primary = *inst_source(in);
		inst_event(in, &ev);
	}
}

/* Reasons that belong to the instance itself, from its interface. */
static unsigned iface_faults(const struct vipd_instance *in)
{
	const struct vipd_iface *ifc = in->iface;

	if (ifc->ifindex <= 0)
		return FAULT_NO_IFACE;
	if (!ifc->up || !ifc->running)
		return FAULT_LINK;
	if (ipaddr_is_unset(inst_source(in)))
		return FAULT_NO_ADDR;
	if (in->cfg->use_vmac && in->vmac.ifindex <= 0)
		return FAULT_VMAC;
	return 0;
}

/*
 * A sync group moves together into FAULT: a member with no fault of its own
 * is held in FAULT while another member has one.
 */
static void group_apply(struct vipd_instance *in)
{
	struct vipd_instance *m = in;
	size_t nfaulty = 0;

	if (!in->group) {
		inst_apply_faults(in, in->faults);
		return;
	}
	do {
		nfaulty += syncgroup_own_faults(m->faults) != 0;
		m = m->group_next;
	} while (m != in);
	do {
		inst_apply_faults(m, syncgroup_member_faults(m->faults, nfaulty));
		m = m->group_next;
	} while (m != in);
}

/*
 * The interface's primary address, which adverts leave from, changed while
 * another address remained (no fault): the tie-break between equal
 * priorities must compare the address the peers see (RFC 5798 6.4.3).
 */
static void inst_follow_source(struct vipd_instance *in)
{
	char was[IPADDR_STRLEN], now[IPADDR_STRLEN];
	struct ipaddr old = in->vrrp.primary;

	if (!vrrp_set_primary(&in->vrrp, inst_source(in)) || ipaddr_is_unset(&old))
		return;
	log_notice("%s: adverts now leave from %s (was %s); equal-priority elections compare it",
		   in->cfg->name, ipaddr_str(&in->vrrp.primary, now, sizeof(now)),
		   ipaddr_str(&old, was, sizeof(was)));
}

/*
 * Re-evaluate everything that decides the instance's priority and FAULT:
 * its interface, its tracked checks, its sync group.
 */
void inst_refresh(struct vipd_instance *in)
{
	int delta;
	unsigned track = tracking_sum(in, &delta);
	uint8_t prio = steer_priority(in, track_priority(in->cfg->priority, delta), delta);
	uint8_t was = in->vrrp.priority;

	if (in->d->stopping)
		return;
	inst_follow_source(in);
	if (prio != in->vrrp.priority) {
		struct vrrp_event ev = { .kind = VRRP_EV_PRIORITY, .priority = prio,
					 .cause = in->track_cause };

		log_notice("%s: priority %u -> %u: %s", in->cfg->name, in->vrrp.priority, prio,
			   in->track_cause);
		in->weight_sum = delta;
		inst_event(in, &ev);
		steer_on_priority(in, was, in->vrrp.priority, in->track_cause);
	}
	in->faults = (in->faults & FAULT_SYNC) | iface_faults(in) | track;
	group_apply(in);
}

static bool inst_tracks(const struct vipd_instance *in, const struct check *chk)
{
	const struct cfg_instance *c = in->cfg;

	for (size_t i = 0; chk->kind == CHECK_SCRIPT && i < c->ntrack_scripts; i++)
		if (strcmp(c->track_scripts[i].name, chk->name) == 0)
			return true;
	for (size_t i = 0; chk->kind == CHECK_GATEWAY && i < c->ntrack_gateways; i++)
		if (strcmp(c->track_gateways[i], chk->name) == 0)
			return true;
	return false;
}

/* A check flipped: every instance re-reads what it tracks. */
void on_check_changed(struct check *chk, void *arg)
{
	struct vipd *d = arg;
	const char *kind = chk->kind == CHECK_SCRIPT ? "vrrp_script" : "track_gateway";

	steer_on_check(d, chk);
	/* The cause of a change in either direction, before tracking adds its own. */
	for (size_t i = 0; i < d->ninsts; i++)
		if (inst_tracks(&d->insts[i], chk))
			snprintf(d->insts[i].track_cause, sizeof(d->insts[i].track_cause),
				 "%s %s is %s", kind, chk->name, chk->state.up ? "up" : "down");
	for (size_t i = 0; i < d->ninsts; i++)
		inst_refresh(&d->insts[i]);
}

/* Does any configured script run as root? */
bool vipd_scripts_as_root(const struct vipd *d)
{
	if (d->script_opts.uid == 0 && cfg_has_scripts(d->cfg))
		return true;
	for (size_t i = 0; i < d->nchecks; i++)
		if (d->checks[i].kind == CHECK_SCRIPT && !d->checks[i].probe &&
		    d->checks[i].opts.uid == 0)
			return true;
	return false;
}

/* ------------------------------------------------------------------- kernel */

void iface_close_sockets(struct vipd_iface *ifc)
{
	struct vipd *d = ifc->d;

	if (ifc->sock4) {
		loop_del_fd(d->loop, sock_fd(ifc->sock4));
		sock_close(ifc->sock4);
		ifc->sock4 = NULL;
	}
	if (ifc->sock6) {
		loop_del_fd(d->loop, sock_fd(ifc->sock6));
		sock_close(ifc->sock6);
		ifc->sock6 = NULL;
	}
	if (ifc->packet_fd >= 0) {
		announce_close(ifc->packet_fd);
		ifc->packet_fd = -1;
	}
	ahsock_close(ifc);
}

static bool iface_wants(const struct vipd *d, const struct vipd_iface *ifc, sa_family_t family,
			bool *multicast)
{
	bool any = false;

	*multicast = false;
	for (size_t i = 0; i < d->ninsts; i++) {
		const struct vipd_instance *in = &d->insts[i];

		if (in->cfg->family != family)
			continue;
		if (in->iface != ifc) {
			/* An advert path: unicast only. */
			any = any || path_of(in, ifc) > 0;
			continue;
		}
		any = true;
		if (in->cfg->nunicast_peers == 0)
			*multicast = true;
	}
	return any;
}

static int iface_open_socket(struct vipd_iface *ifc, sa_family_t family)
{
	struct vrrp_sock **slot = family == AF_INET6 ? &ifc->sock6 : &ifc->sock4;
	bool multicast;
	int err;

	if (*slot || !iface_wants(ifc->d, ifc, family, &multicast))
		return 0;
	err = sock_open(family, ifc->name, ifc->ifindex, multicast, slot);
	if (err < 0) {
		log_err("%s: cannot open VRRP %s socket: %s", ifc->name,
			family == AF_INET6 ? "IPv6" : "IPv4", strerror(-err));
		return err;
	}
	if (multicast && vipd_group_custom(ifc->d->cfg, family) &&
	    (err = sock_join(*slot, vipd_group(ifc->d->cfg, family))) < 0)
		log_err("%s: cannot join %s: %s", ifc->name, family == AF_INET6 ?
			"vrrp_mcast_group6" : "vrrp_mcast_group4", strerror(-err));
	err = loop_add_fd(ifc->d->loop, sock_fd(*slot), EPOLLIN, on_sock_readable, ifc);
	if (err < 0) {
		sock_close(*slot);
		*slot = NULL;
	}
	return err;
}

/* Read the interface's state from the kernel; opens sockets when it exists. */
static void iface_read(struct vipd_iface *ifc);

static bool iface_usable(const struct vipd_iface *ifc)
{
	return ifc->ifindex > 0 && ifc->up && ifc->running;
}

/* An interface that came or went is a tracker change for vipctl events. */
static void iface_report(struct vipd_iface *ifc, bool was)
{
	char what[IF_NAMESIZE + 16];

	if (iface_usable(ifc) == was)
		return;
	snprintf(what, sizeof(what), "interface %s", ifc->name);
	steer_on_tracker(ifc->d, what, !was,
			 ifc->ifindex <= 0 ? "does not exist" : !ifc->up ? "down" : "no carrier");
}

void iface_refresh(struct vipd_iface *ifc)
{
	bool was = iface_usable(ifc);

	iface_read(ifc);
	iface_report(ifc, was);
}

static void iface_read(struct vipd_iface *ifc)
{
	struct netlink_link link;
	int err = netlink_link_by_name(ifc->d->nl, ifc->name, &link);

	if (err < 0) {
		if (ifc->ifindex > 0 || err != -ENODEV)
			log_warn("interface %s: %s", ifc->name,
				 err == -ENODEV ? "gone" : strerror(-err));
		iface_close_sockets(ifc);
		ifc->ifindex = 0;
		ifc->up = ifc->running = false;
		memset(&ifc->primary4, 0, sizeof(ifc->primary4));
		memset(&ifc->primary6, 0, sizeof(ifc->primary6));
		return;
	}
	if (ifc->ifindex != link.ifindex)
		iface_close_sockets(ifc); /* recreated: new index, new sockets */
	ifc->ifindex = link.ifindex;
	ifc->up = link.up;
	ifc->running = link.running;
	memcpy(ifc->mac, link.mac, sizeof(ifc->mac));
	if (netlink_primary_addr(ifc->d->nl, ifc->ifindex, AF_INET, &ifc->primary4) < 0)
		memset(&ifc->primary4, 0, sizeof(ifc->primary4));
	if (netlink_primary_addr(ifc->d->nl, ifc->ifindex, AF_INET6, &ifc->primary6) < 0)
		memset(&ifc->primary6, 0, sizeof(ifc->primary6));
	iface_open_socket(ifc, AF_INET);
	iface_open_socket(ifc, AF_INET6);
	ahsock_open(ifc);
}

/* A VIP of ours vanished while we are master (someone ran "ip addr del"): put it back. */
static void check_vip_removed(struct vipd *d, const struct netlink_event *ev)
{
	for (size_t i = 0; i < d->ninsts; i++) {
		struct vipd_instance *in = &d->insts[i];
		const struct cfg_instance *c = in->cfg;
		char buf[IPADDR_STRLEN];

		if (in->vrrp.state != VRRP_STATE_MASTER || !in->vips.installed)
			continue;
		for (size_t k = 0; k < c->nvips; k++) {
			if (!ipaddr_equal(&c->vips[k].addr, &ev->addr))
				continue;
			log_warn("%s: VIP %s was removed from the interface by someone else; adding it back",
				 c->name, ipaddr_str(&ev->addr, buf, sizeof(buf)));
			vips_readd_one(in, &c->vips[k]);
			return;
		}
	}
}

/*
 * Events only mark interfaces; they are re-read once per wake-up, after the
 * whole batch (installing 1000 VIPs brings 1000 address events, and
 * re-reading the interface for each would cost a dump of every address).
 */
static bool primary_unaffected(const struct vipd_iface *ifc, const struct ipaddr *a)
{
	const struct ipaddr *p = a->family == AF_INET6 ? &ifc->primary6 : &ifc->primary4;

	return !ipaddr_is_unset(p) && !ipaddr_equal(p, a);
}

static void on_netlink_event(const struct netlink_event *ev, void *arg)
{
	struct vipd *d = arg;
	struct vipd_iface *ifc;

	switch (ev->kind) {
	case NETLINK_EV_LINK:
	case NETLINK_EV_LINK_DEL:
		ifc = iface_by_index(d, ev->link.ifindex);
		if (!ifc)
			ifc = vipd_iface_by_name(d, ev->link.name);
		if (ifc)
			ifc->dirty = true;
		break;
	case NETLINK_EV_ADDR_NEW:
	case NETLINK_EV_ADDR_DEL:
		ifc = iface_by_index(d, ev->ifindex);
		/*
		 * Our own VIPs coming and going do not change the interface's
		 * primary address (unless it has none, or the VIP is it): a
		 * large install would otherwise re-read it after every step.
		 */
		if (ifc && !(vips_is_ours(d, &ev->addr) && primary_unaffected(ifc, &ev->addr)))
			ifc->dirty = true;
		if (ev->kind == NETLINK_EV_ADDR_DEL && !d->stopping)
			check_vip_removed(d, ev);
		break;
	}
}

static void on_netlink_readable(struct loop *l, int fd, uint32_t events, void *arg)
{
	struct vipd *d = arg;
	bool changed = false;
	int err;

	(void)l;
	(void)fd;
	(void)events;
	err = netlink_monitor_read(d->nl, on_netlink_event, d);
	if (err == -ENOBUFS) {
		/* Events were lost: re-read every interface we care about. */
		log_warn("netlink: event queue overran; re-reading interface state");
		for (size_t i = 0; i < d->nifaces; i++)
			d->ifaces[i].dirty = true;
	} else if (err < 0) {
		log_err("netlink: %s", strerror(-err));
	}
	for (size_t i = 0; i < d->nifaces; i++) {
		struct vipd_iface *ifc = &d->ifaces[i];

		if (!ifc->dirty)
			continue;
		ifc->dirty = false;
		changed = true;
		iface_refresh(ifc);
		for (size_t k = 0; k < d->ninsts; k++)
			if (d->insts[k].iface == ifc && !d->stopping)
				vmac_setup(&d->insts[k], on_vmac_readable); /* a recreated parent took the macvlan along */
	}
	if (changed)
		for (size_t k = 0; k < d->ninsts; k++)
			inst_refresh(&d->insts[k]);
}

/* ------------------------------------------------------------------- set-up */

const struct vipd_inst_snapshot *vipd_inst_snapshot(const struct vipd_instance *in,
						    struct vipd_inst_snapshot *snap)
{
	snap->cfg = in->cfg;
	snap->vrrp = in->vrrp;
	snap->faults = in->faults;
	snap->vips_installed = in->vips.installed;
	snap->stats = in->stats;
	snap->switchover = in->steer.swo;
	snap->now_us = loop_now_us();
	snap->npaths = in->npaths;
	for (size_t k = 0; k < in->npaths; k++) {
		const struct vipd_path *p = &in->paths[k];
		struct vipd_path_snapshot *ps = &snap->paths[k];

		snprintf(ps->name, sizeof(ps->name), "%s", p->iface->name);
		ps->main = k == 0;
		ps->link_up = p->iface->ifindex > 0 && p->iface->up && p->iface->running;
		ps->heard_us = p->heard_us;
		ps->peers = p->cfg ? p->cfg->peers : NULL;
		ps->npeers = p->cfg ? p->cfg->npeers : 0;
		if (in->vrrp.state == VRRP_STATE_BACKUP)
			ps->carries = p->heard_us &&
				      !vrrp_path_silent(&in->vrrp, p->heard_us, snap->now_us);
		else if (in->vrrp.state == VRRP_STATE_MASTER)
			ps->carries = ps->link_up && p->sent_ok;
		else
			ps->carries = false;
	}
	return snap;
}

static struct vipd_iface *iface_add(struct vipd *d, const char *name)
{
	struct vipd_iface *ifc = vipd_iface_by_name(d, name);

	if (ifc)
		return ifc;
	ifc = &d->ifaces[d->nifaces++];
	snprintf(ifc->name, sizeof(ifc->name), "%s", name);
	ifc->packet_fd = -1;
	ifc->ah_fd = -1;
	ifc->d = d;
	return ifc;
}

/* Link the members of each sync group into a ring. */
static int build_groups(struct vipd *d)
{
	d->groups = calloc(d->cfg->ngroups + 1, sizeof(*d->groups));
	if (!d->groups)
		return -ENOMEM;
	d->ngroups = d->cfg->ngroups;
	for (size_t g = 0; g < d->cfg->ngroups; g++) {
		const struct cfg_sync_group *grp = &d->cfg->groups[g];
		struct vipd_instance *first = NULL, *prev = NULL;

		d->groups[g].cfg = grp;
		d->groups[g].notified = VRRP_STATE_INIT;
		for (size_t i = 0; i < d->ninsts; i++) {
			struct vipd_instance *in = &d->insts[i];

			if (strcmp(in->cfg->sync_group, grp->name) != 0)
				continue;
			in->group = &d->groups[g];
			if (in->cfg->ntrack_scripts || in->cfg->ntrack_ifs ||
			    in->cfg->ntrack_gateways || in->cfg->ntrack_processes ||
			    in->cfg->ntrack_files)
				log_info("%s: in sync group %s, tracked failures put the whole group in FAULT (weights do not apply)",
					 in->cfg->name, grp->name);
			if (prev)
				prev->group_next = in;
			else
				first = in;
			prev = in;
		}
		if (prev)
			prev->group_next = first;
	}
	return 0;
}

/*
 * Fill each interface's table of its instances by family and VRID (see
 * struct vipd_iface). The configuration refuses two instances with one key;
 * were there two anyway, the first one wins, as a scan of the list would.
 */
static void index_instances(struct vipd *d)
{
	for (size_t i = 0; i < d->ninsts; i++) {
		struct vipd_instance *in = &d->insts[i];
		sa_family_t family = in->cfg->family;
		struct vipd_instance **slot;

		if (family != AF_INET && family != AF_INET6)
			continue;
		slot = &in->iface->by_vrid[family == AF_INET6][in->cfg->vrid];
		if (!*slot)
			*slot = in;
	}
	/* Then advert paths, which never take an instance's own interface's slot. */
	for (size_t i = 0; i < d->ninsts; i++) {
		struct vipd_instance *in = &d->insts[i];
		sa_family_t family = in->cfg->family;

		if (family != AF_INET && family != AF_INET6)
			continue;
		for (size_t k = 1; k < in->npaths; k++) {
			struct vipd_instance **slot =
				&in->paths[k].iface->by_vrid[family == AF_INET6][in->cfg->vrid];

			if (!*slot)
				*slot = in;
		}
	}
}

/* Every interface an instance runs on or tracks, and the instances themselves. */
int build_instances(struct vipd *d)
{
	const struct vipd_config *cfg = d->cfg;
	size_t nif = 1;

	for (size_t i = 0; i < cfg->ninstances; i++)
		nif += 1 + cfg->instances[i].ntrack_ifs + cfg->instances[i].npaths;
	d->ifaces = calloc(nif, sizeof(*d->ifaces));
	d->insts = calloc(cfg->ninstances + 1, sizeof(*d->insts));
	if (!d->ifaces || !d->insts)
		return -ENOMEM;
	for (size_t i = 0; i < cfg->ninstances; i++) {
		struct cfg_instance *c = &cfg->instances[i];
		struct vipd_instance *in = &d->insts[d->ninsts++];

		in->cfg = c;
		in->iface = iface_add(d, c->interface);
		in->d = d;
		in->paths[0].iface = in->iface;
		in->npaths = 1;
		for (size_t k = 0; k < c->npaths && in->npaths < VIPD_PATHS_MAX; k++) {
			in->paths[in->npaths].iface = iface_add(d, c->paths[k].interface);
			in->paths[in->npaths++].cfg = &c->paths[k];
		}
		vmac_init(in);
		loop_timer_init(&in->timer, on_inst_timer, in);
		vips_timers_init(in);
		for (size_t k = 0; k < c->ntrack_ifs; k++)
			iface_add(d, c->track_ifs[k].name);
	}
	index_instances(d);
	if (vips_index(d) < 0)
		return -ENOMEM;
	return build_groups(d);
}

void inst_init(struct vipd_instance *in)
{
	const struct cfg_instance *c = in->cfg;
	struct vrrp_params p = {
		.vrid = c->vrid,
		.version = c->version,
		.family = c->family,
		.priority = c->priority,
		.adver_int_cs = c->advert_int_cs,
		.preempt = c->preempt,
		.preempt_delay_us = c->preempt_delay_us,
		/*
		 * 1 ms: 255 instances at 10 ms then wake the daemon at most
		 * 10 times per interval instead of once per instance.
		 */
		.adver_align_us = 1000,
		.lower_prio_no_advert = c->lower_prio_no_advert,
		.higher_prio_send_advert = c->higher_prio_send_advert,
		.auth_type = c->auth_type,
	};

	memcpy(p.auth_data, c->auth_pass, strnlen(c->auth_pass, sizeof(p.auth_data)));
	vrrp_init(&in->vrrp, &p, inst_source(in));
	steer_inst_init(in);
	vmac_setup(in, on_vmac_readable);
}

/* vrrp_startup_delay is over: the instances start as they would have at once. */
static void on_startup_delay(struct loop *l, struct loop_timer *t, void *arg)
{
	struct vrrp_event start = { .kind = VRRP_EV_START };
	struct vipd *d = arg;

	log_notice("vrrp_startup_delay over: starting the instances");
	for (size_t i = 0; i < d->ninsts; i++)
		if (d->insts[i].faults == 0 && d->insts[i].vrrp.state == VRRP_STATE_INIT)
			inst_event(&d->insts[i], &start);
}

int vipd_start(struct vipd *d, struct loop *l, struct vipd_config *cfg)
{
	struct vrrp_event start = { .kind = VRRP_EV_START };
	int err;

	d->loop = l;
	d->cfg = cfg;
	loop_timer_init(&d->startup, on_startup_delay, d);
	err = steer_start(d, d->pidfile ? d->pidfile : CTL_DEFAULT_PIDFILE);
	if (err < 0)
		return err;
	err = netlink_open(&d->nl);
	if (err < 0) {
		log_err("cannot open rtnetlink: %s", strerror(-err));
		return err;
	}
	err = loop_add_fd(l, netlink_monitor_fd(d->nl), EPOLLIN, on_netlink_readable, d);
	if (err < 0)
		return err;
	err = privs_script_user(d->cfg, &d->script_opts);
	if (err < 0)
		return err;
	err = build_instances(d);
	if (err < 0)
		return err;
	for (size_t i = 0; i < d->nifaces; i++) {
		iface_refresh(&d->ifaces[i]);
		if (d->ifaces[i].ifindex <= 0)
			log_err("interface %s does not exist; instances using or tracking it stay in FAULT until it appears",
				d->ifaces[i].name);
	}
	for (size_t i = 0; i < d->ninsts; i++)
		inst_init(&d->insts[i]);
	vips_remove_stale(d, NULL);
	err = tracking_start(d, on_check_changed);
	if (err < 0)
		return err;
	err = tracked_start(d);
	if (err < 0)
		return err;
	vrouting_open(d);
	fifos_start(d);
	/* Initial verdicts first (init_fail, links), so the first advert carries them. */
	for (size_t i = 0; i < d->ninsts; i++)
		inst_refresh(&d->insts[i]);
	if (cfg->global.startup_delay_us) {
		log_notice("vrrp_startup_delay: instances start in %.2f s",
			   (double)cfg->global.startup_delay_us / 1e6);
		loop_timer_arm(l, &d->startup, loop_now_us() + cfg->global.startup_delay_us);
	} else {
		for (size_t i = 0; i < d->ninsts; i++)
			if (d->insts[i].faults == 0 && d->insts[i].vrrp.state == VRRP_STATE_INIT)
				inst_event(&d->insts[i], &start);
	}
	for (size_t i = 0; i < d->nchecks; i++)
		check_run(&d->checks[i], cfg->global.enable_script_security);
	/* The first record also tells the guard that this daemon got going. */
	state_save(d, false);
	return 0;
}


void vipd_shutdown(struct vipd *d)
{
	d->stopping = true;
	for (size_t i = 0; i < d->nchecks; i++)
		check_stop(&d->checks[i]);
	for (size_t i = 0; i < d->ninsts; i++) {
		struct vipd_instance *in = &d->insts[i];
		struct vrrp_event ev = { .kind = VRRP_EV_SHUTDOWN };
		const struct cfg_instance *c = in->cfg;

		if (in->vrrp.state == VRRP_STATE_INIT && !in->vips.installed)
			continue;
		inst_event(in, &ev);
		vrouting_remove(in);
		if (in->vips.installed)
			vips_remove(in);
		notify_run(d->loop, &c->notify, NOTIFY_INSTANCE, c->name, NOTIFY_STOP,
			   in->vrrp.priority, &d->script_opts);
	}
	for (size_t g = 0; g < d->ngroups; g++)
		if (d->groups[g].notified != VRRP_STATE_INIT)
			notify_run(d->loop, &d->groups[g].cfg->notify, NOTIFY_GROUP,
				   d->groups[g].cfg->name, NOTIFY_STOP, 0, &d->script_opts);
	for (size_t i = 0; i < d->ninsts; i++)
		vmac_remove(&d->insts[i]);
	state_save(d, true);
}

void vipd_free(struct vipd *d)
{
	for (size_t i = 0; i < d->nchecks; i++)
		check_stop(&d->checks[i]);
	free(d->checks);
	tracked_free(d);
	vrouting_close(d);
	fifos_stop(d);
	if (d->loop)
		loop_timer_cancel(d->loop, &d->startup);
	for (size_t i = 0; i < d->ninsts; i++) {
		loop_timer_cancel(d->loop, &d->insts[i].timer);
		steer_inst_stop(&d->insts[i]);
		vips_free(&d->insts[i]);
		vmac_close(&d->insts[i]);
	}
	for (size_t i = 0; i < d->nifaces; i++)
		iface_close_sockets(&d->ifaces[i]);
	steer_free(d);
	if (d->nl) {
		loop_del_fd(d->loop, netlink_monitor_fd(d->nl));
		netlink_close(d->nl);
	}
	free(d->ifaces);
	free(d->insts);
	free(d->groups);
	free(d->vip_set);
	cfg_free(d->cfg);
	memset(d, 0, sizeof(*d));
}
