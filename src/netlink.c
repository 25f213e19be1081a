/*
 * netlink.c - rtnetlink through libnl-route-3: link and address look-ups,
 * batched VIP add/delete, and a monitor for link and address changes.
 *
 * Two sockets: a blocking request socket (look-ups, dumps, batches) and a
 * non-blocking monitor socket subscribed to multicast groups. Keeping them
 * apart means a reply never lands among events and vice versa.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netlink.h"

#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netlink/errno.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/object.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/macvlan.h>
#include <netlink/socket.h>

/*
 * Requests per sendmsg in a batch. The kernel queues every ACK on our
 * socket before we read any, so a chunk's ACKs must fit the receive buffer
 * (an ACK costs about 1 KiB of buffer).
 */
#define NETLINK_BATCH_CHUNK 64
#define NETLINK_REQ_RCVBUF_BYTES (1024 * 1024)
/* A burst of events (1000 VIPs added by us) must not overrun the monitor. */
#define NETLINK_MON_RCVBUF_BYTES (8 * 1024 * 1024)
#define NETLINK_DUMP_TRIES 3
#define NETLINK_PENDING 1 /* batch slot not yet acknowledged */

struct netlink {
	struct nl_sock *req;
	struct nl_sock *mon;
	/* valid only while netlink_monitor_read runs */
	netlink_event_cb ev_cb;
	void *ev_arg;
};

/* libnl's NLE_* codes as negative errno values, for callers of this module. */
static int errno_from_nlerr(int nlerr)
{
	switch (nlerr < 0 ? -nlerr : nlerr) {
	case NLE_SUCCESS:
		return 0;
	case NLE_INTR:
		return -EINTR;
	case NLE_BAD_SOCK:
		return -EBADF;
	case NLE_AGAIN:
		return -EAGAIN;
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_EXIST:
		return -EEXIST;
	case NLE_INVAL:
		return -EINVAL;
	case NLE_RANGE:
		return -ERANGE;
	case NLE_MSGSIZE:
		return -EMSGSIZE;
	case NLE_OPNOTSUPP:
	case NLE_MSGTYPE_NOSUPPORT:
		return -EOPNOTSUPP;
	case NLE_AF_NOSUPPORT:
		return -EAFNOSUPPORT;
	case NLE_OBJ_NOTFOUND:
		return -ENOENT;
	case NLE_NOADDR:
		return -EADDRNOTAVAIL;
	case NLE_NOACCESS:
		return -EACCES;
	case NLE_PERM:
		return -EPERM;
	case NLE_BUSY:
		return -EBUSY;
	case NLE_NODEV:
		return -ENODEV;
	case NLE_PROTO_MISMATCH:
		return -EPROTONOSUPPORT;
	case NLE_DUMP_INTR:
		return -EAGAIN; /* the dump raced a change: try again */
	case NLE_SEQ_MISMATCH:
	case NLE_MSG_OVERFLOW:
	case NLE_MSG_TRUNC:
	case NLE_MSG_TOOSHORT:
	case NLE_PARSE_ERR:
	case NLE_NOATTR:
	case NLE_MISSING_ATTR:
		return -EBADMSG;
	default:
		return -EIO;
	}
}

/* Large receive buffers without needing net.core.rmem_max raised (we are root). */
static void set_rcvbuf(struct nl_sock *sk, int bytes)
{
	int fd = nl_socket_get_fd(sk);

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof(bytes)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes));
}

static int req_socket_open(struct nl_sock **out)
{
	struct nl_sock *sk;
	int one = 1;
	int err;

	sk = nl_socket_alloc();
	if (!sk)
		return -ENOMEM;
	err = nl_connect(sk, NETLINK_ROUTE);
	if (err < 0) {
		nl_socket_free(sk);
		return errno_from_nlerr(err);
	}
	set_rcvbuf(sk, NETLINK_REQ_RCVBUF_BYTES);
	/* Error ACKs without a copy of the request: smaller, so more fit. */
	setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	*out = sk;
	return 0;
}

static int mon_valid(struct nl_msg *msg, void *arg);

static int mon_socket_open(struct netlink *nl)
{
	struct nl_sock *sk;
	int err;

	sk = nl_socket_alloc();
	if (!sk)
		return -ENOMEM;
	/* Events are not replies: they carry no sequence we could expect. */
	nl_socket_disable_seq_check(sk);
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, mon_valid, nl);
	err = nl_connect(sk, NETLINK_ROUTE);
	if (err < 0)
		goto fail;
	err = nl_socket_add_memberships(sk, RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR,
					RTNLGRP_IPV6_IFADDR, 0);
	if (err < 0)
		goto fail;
	err = nl_socket_set_nonblocking(sk);
	if (err < 0)
		goto fail;
	set_rcvbuf(sk, NETLINK_MON_RCVBUF_BYTES);
	nl->mon = sk;
	return 0;
fail:
	nl_socket_free(sk);
	return errno_from_nlerr(err);
}

int netlink_open(struct netlink **out)
{
	struct netlink *nl;
	int err;

	nl = calloc(1, sizeof(*nl));
	if (!nl)
		return -ENOMEM;
	err = req_socket_open(&nl->req);
	if (err)
		goto fail;
	err = mon_socket_open(nl);
	if (err)
		goto fail;
	*out = nl;
	return 0;
fail:
	netlink_close(nl);
	return err;
}

void netlink_close(struct netlink *nl)
{
	if (!nl)
		return;
	if (nl->req)
		nl_socket_free(nl->req);
	if (nl->mon)
		nl_socket_free(nl->mon);
	free(nl);
}

/* -------------------------------------------------------------------- links */

static void link_fill(struct rtnl_link *link, struct netlink_link *out)
{
	struct nl_addr *mac = rtnl_link_get_addr(link);
	const char *name = rtnl_link_get_name(link);
	unsigned flags = rtnl_link_get_flags(link);

	memset(out, 0, sizeof(*out));
	out->ifindex = rtnl_link_get_ifindex(link);
	if (name)
		snprintf(out->name, sizeof(out->name), "%s", name);
	out->up = flags & IFF_UP;
	out->running = flags & IFF_RUNNING;
	if (mac && nl_addr_get_len(mac) == sizeof(out->mac))
		memcpy(out->mac, nl_addr_get_binary_addr(mac), sizeof(out->mac));
	out->mtu = rtnl_link_get_mtu(link);
}

static int link_get(struct netlink *nl, int ifindex, const char *name, struct netlink_link *out)
{
	struct rtnl_link *link = NULL;
	int err;

	err = rtnl_link_get_kernel(nl->req, ifindex, name, &link);
	if (err < 0) {
		err = errno_from_nlerr(err);
		/* the kernel's ENODEV arrives as "object not found" */
		return err == -ENOENT ? -ENODEV : err;
	}
	link_fill(link, out);
	rtnl_link_put(link);
	return 0;
}

int netlink_link_by_name(struct netlink *nl, const char *name, struct netlink_link *out)
{
	if (!name || !*name || strlen(name) >= IF_NAMESIZE)
		return -ENODEV;
	return link_get(nl, 0, name, out);
}

int netlink_link_by_index(struct netlink *nl, int ifindex, struct netlink_link *out)
{
	if (ifindex <= 0)
		return -ENODEV;
	return link_get(nl, ifindex, NULL, out);
}

/* ---------------------------------------------------- virtual MAC (macvlan) */

int netlink_macvlan_add(struct netlink *nl, int parent_ifindex, const char *name,
			const uint8_t mac[6], struct netlink_link *out)
{
	struct rtnl_link *link = rtnl_link_macvlan_alloc();
	struct nl_addr *addr = NULL;
	int err;

	if (!link)
		return -ENOMEM;
	addr = nl_addr_build(AF_LLC, mac, 6);
	if (!addr) {
		err = -ENOMEM;
		goto out;
	}
	rtnl_link_set_link(link, parent_ifindex);
	rtnl_link_set_name(link, name);
	rtnl_link_set_addr(link, addr);
	rtnl_link_set_flags(link, IFF_UP);
	/* private: the virtual router talks to the wire, not to other macvlans */
	rtnl_link_macvlan_set_mode(link, rtnl_link_macvlan_str2mode("private"));
	err = rtnl_link_add(nl->req, link, NLM_F_CREATE | NLM_F_EXCL);
	err = err < 0 ? errno_from_nlerr(err) : 0;
	if (err == 0 || err == -EEXIST)
		err = netlink_link_by_name(nl, name, out);
out:
	nl_addr_put(addr);
	rtnl_link_put(link);
	return err;
}

int netlink_link_del(struct netlink *nl, int ifindex)
{
	struct rtnl_link *link = rtnl_link_alloc();
	int err;

	if (!link)
		return -ENOMEM;
	rtnl_link_set_ifindex(link, ifindex);
	err = rtnl_link_delete(nl->req, link);
	rtnl_link_put(link);
	err = err < 0 ? errno_from_nlerr(err) : 0;
	return err == -ENOENT || err == -ENODEV ? 0 : err;
}

/* --------------------------------------------------------- address look-ups */

/* The address proper (IFA_LOCAL for IPv4, IFA_ADDRESS for IPv6, as libnl reads it). */
static bool rtaddr_local(struct rtnl_addr *ra, struct ipaddr *out)
{
	struct nl_addr *local = rtnl_addr_get_local(ra);
	int family;

	if (!local)
		return false;
	family = nl_addr_get_family(local);
	if (!((family == AF_INET && nl_addr_get_len(local) == 4) ||
	      (family == AF_INET6 && nl_addr_get_len(local) == 16)))
		return false;
	ipaddr_set(out, family, nl_addr_get_binary_addr(local));
	return true;
}

static int addr_dump(struct netlink *nl, struct nl_cache **cache)
{
	int err = 0;
	int i;

	for (i = 0; i < NETLINK_DUMP_TRIES; i++) {
		err = rtnl_addr_alloc_cache(nl->req, cache);
		if (err != -NLE_DUMP_INTR)
			break;
	}
	return errno_from_nlerr(err);
}

/* Is this the address VRRP sources its adverts from? (see netlink_primary_addr) */
static bool addr_is_primary(struct rtnl_addr *ra, const struct ipaddr *ip)
{
	unsigned flags = rtnl_addr_get_flags(ra);

	if (ip->family == AF_INET)
		return !(flags & IFA_F_SECONDARY);
	/* a tentative address cannot be used as a source yet */
	return IN6_IS_ADDR_LINKLOCAL(&ip->v6) && !(flags & (IFA_F_TENTATIVE | IFA_F_DADFAILED));
}

int netlink_primary_addr(struct netlink *nl, int ifindex, sa_family_t family,
			 struct ipaddr *out)
{
	struct nl_cache *cache;
	struct nl_object *obj;
	int err;

	err = addr_dump(nl, &cache);
	if (err)
		return err;
	err = -EADDRNOTAVAIL;
	for (obj = nl_cache_get_first(cache); obj; obj = nl_cache_get_next(obj)) {
		struct rtnl_addr *ra = (struct rtnl_addr *)obj;
		struct ipaddr ip;

		if (rtnl_addr_get_ifindex(ra) != ifindex || rtnl_addr_get_family(ra) != family)
			continue;
		if (!rtaddr_local(ra, &ip) || !addr_is_primary(ra, &ip))
			continue;
		*out = ip;
		err = 0;
		break;
	}
	nl_cache_free(cache);
	return err;
}

/* ifindex 0 means any interface. */
static int addr_find(struct netlink *nl, int ifindex, const struct ipaddr *addr)
{
	struct nl_cache *cache;
	struct nl_object *obj;
	int err;

	err = addr_dump(nl, &cache);
	if (err)
		return err;
	err = 0;
	for (obj = nl_cache_get_first(cache); obj; obj = nl_cache_get_next(obj)) {
		struct rtnl_addr *ra = (struct rtnl_addr *)obj;
		struct ipaddr ip;

		if (ifindex && rtnl_addr_get_ifindex(ra) != ifindex)
			continue;
		if (rtaddr_local(ra, &ip) && ipaddr_equal(&ip, addr)) {
			err = 1;
			break;
		}
	}
	nl_cache_free(cache);
	return err;
}

int netlink_has_addr(struct netlink *nl, int ifindex, const struct ipaddr *addr)
{
	if (ifindex <= 0)
		return -ENODEV;
	return addr_find(nl, ifindex, addr);
}

int netlink_addr_is_local(struct netlink *nl, const struct ipaddr *addr)
{
	return addr_find(nl, 0, addr);
}

/* One configured address of the namespace, as netlink_addrs_present sorts them. */
struct addr_key {
	int ifindex;
	struct ipaddr addr;
};

static int addr_key_cmp(const void *a, const void *b)
{
	const struct addr_key *x = a, *y = b;

	if (x->ifindex != y->ifindex)
		return x->ifindex < y->ifindex ? -1 : 1;
	return ipaddr_cmp(&x->addr, &y->addr);
}

/* The dump's addresses, sorted for look-ups; *n gets the count. */
static int addr_keys(struct nl_cache *cache, struct addr_key **out, size_t *n)
{
	struct nl_object *obj;
	struct addr_key *keys = calloc((size_t)nl_cache_nitems(cache) + 1, sizeof(*keys));

	if (!keys)
		return -ENOMEM;
	*n = 0;
	for (obj = nl_cache_get_first(cache); obj; obj = nl_cache_get_next(obj)) {
		struct rtnl_addr *ra = (struct rtnl_addr *)obj;

		if (!rtaddr_local(ra, &keys[*n].addr))
			continue;
		keys[*n].ifindex = rtnl_addr_get_ifindex(ra);
		(*n)++;
	}
	qsort(keys, *n, sizeof(*keys), addr_key_cmp);
	*out = keys;
	return 0;
}

int netlink_addrs_present(struct netlink *nl, const struct netlink_addr *addrs, size_t n,
			  bool *present)
{
	struct nl_cache *cache;
	struct addr_key *keys = NULL;
	size_t nkeys = 0;
	int err;

	if (n == 0)
		return 0;
	err = addr_dump(nl, &cache);
	if (err)
		return err;
	err = addr_keys(cache, &keys, &nkeys);
	nl_cache_free(cache);
	if (err)
		return err;
	for (size_t i = 0; i < n; i++) {
		struct addr_key k = { .ifindex = addrs[i].ifindex, .addr = addrs[i].addr };

		present[i] = addrs[i].ifindex > 0 &&
			     bsearch(&k, keys, nkeys, sizeof(*keys), addr_key_cmp) != NULL;
	}
	free(keys);
	return 0;
}

/* -------------------------------------------------- batched address changes */

enum batch_op { BATCH_ADD, BATCH_DEL };

/* One chunk in flight: slot i was sent as sequence number seq[i]. */
struct batch {
	uint32_t seq[NETLINK_BATCH_CHUNK];
	size_t n;
	size_t pending; /* sent and not yet answered */
	int *res;
};

static int addr_build_msg(const struct netlink_addr *na, enum batch_op op, struct nl_msg **msg)
{
	struct rtnl_addr *ra;
	struct nl_addr *local;
	int err;

	if (na->addr.family != AF_INET && na->addr.family != AF_INET6)
		return -EAFNOSUPPORT;
	if (na->prefix_len > ipaddr_len(&na->addr) * 8)
		return -EINVAL;
	ra = rtnl_addr_alloc();
	local = nl_addr_build(na->addr.family, ipaddr_bytes(&na->addr), ipaddr_len(&na->addr));
	if (!ra || !local) {
		err = -NLE_NOMEM;
		goto out;
	}
	nl_addr_set_prefixlen(local, na->prefix_len);
	rtnl_addr_set_ifindex(ra, na->ifindex);
	err = rtnl_addr_set_local(ra, local);
	if (err < 0)
		goto out;
	rtnl_addr_set_prefixlen(ra, na->prefix_len);
	if (op == BATCH_DEL) {
		/*
		 * Only address and prefix: the kernel would also match a
		 * label, and a relabelled VIP must still go.
		 */
		err = rtnl_addr_build_delete_request(ra, 0, msg);
		goto out;
	}
	/* IPv6 addresses have no labels; IPv4 labels are what ifconfig shows */
	if (na->label && *na->label && na->addr.family == AF_INET) {
		err = rtnl_addr_set_label(ra, na->label);
		if (err < 0)
			goto out;
	}
	rtnl_addr_set_scope(ra, na->scope);
	if (na->nodad && na->addr.family == AF_INET6)
		rtnl_addr_set_flags(ra, IFA_F_NODAD);
	err = rtnl_addr_build_add_request(ra, NLM_F_REPLACE, msg);
out:
	nl_addr_put(local);
	rtnl_addr_put(ra);
	return err < 0 ? errno_from_nlerr(err) : 0;
}

static void batch_settle(struct batch *b, uint32_t seq, int err)
{
	size_t i;

	for (i = 0; i < b->n; i++) {
		if (b->seq[i] != seq || b->res[i] != NETLINK_PENDING)
			continue; /* another request's, or a duplicate */
		b->res[i] = err;
		b->pending--;
		return;
	}
}

static int batch_seq_any(struct nl_msg *msg, void *arg)
{
	return NL_OK; /* batch_settle matches replies to requests itself */
}

static int batch_ack(struct nl_msg *msg, void *arg)
{
	batch_settle(arg, nlmsg_hdr(msg)->nlmsg_seq, 0);
	return NL_OK;
}

static int batch_err(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	/* e->error is already a negative errno: no libnl translation */
	batch_settle(arg, e->msg.nlmsg_seq, e->error);
	return NL_SKIP;
}

/*
 * Append each request of the chunk to one buffer so that the kernel gets
 * them all in a single sendmsg. A request that cannot be built gets its
 * error at once and is left out; the others still go.
 */
static int batch_send(struct netlink *nl, struct batch *b, const struct netlink_addr *addrs,
		      enum batch_op op)
{
	struct nl_msg *msgs[NETLINK_BATCH_CHUNK] = { NULL };
	size_t len = 0, off = 0, i;
	char *buf = NULL;
	int err = 0;

	for (i = 0; i < b->n; i++) {
		b->res[i] = addr_build_msg(&addrs[i], op, &msgs[i]);
		if (b->res[i])
			continue;
		nl_complete_msg(nl->req, msgs[i]);
		b->seq[i] = nlmsg_hdr(msgs[i])->nlmsg_seq;
		b->res[i] = NETLINK_PENDING;
		b->pending++;
		len += NLMSG_ALIGN(nlmsg_hdr(msgs[i])->nlmsg_len);
	}
	if (!b->pending)
		goto out;
	buf = calloc(1, len);
	if (!buf) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < b->n; i++) {
		if (!msgs[i])
			continue;
		memcpy(buf + off, nlmsg_hdr(msgs[i]), nlmsg_hdr(msgs[i])->nlmsg_len);
		off += NLMSG_ALIGN(nlmsg_hdr(msgs[i])->nlmsg_len);
	}
	err = nl_sendto(nl->req, buf, len);
	err = err < 0 ? errno_from_nlerr(err) : 0;
out:
	for (i = 0; i < b->n; i++)
		nlmsg_free(msgs[i]);
	free(buf);
	return err;
}

static int batch_collect(struct netlink *nl, struct batch *b)
{
	struct nl_cb *cb;
	int err = 0;

	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb)
		return -ENOMEM;
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, batch_seq_any, NULL);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, batch_ack, b);
	nl_cb_err(cb, NL_CB_CUSTOM, batch_err, b);
	while (b->pending) {
		err = nl_recvmsgs_report(nl->req, cb);
		if (err <= 0) {
			/* 0: nothing arrived though the kernel always answers */
			err = err ? errno_from_nlerr(err) : -EIO;
			break;
		}
		err = 0;
	}
	nl_cb_put(cb);
	return err;
}

/*
 * After a failed chunk, answers may still be queued (or lost) and libnl's
 * expected sequence number is off: start over on a fresh socket.
 */
static int req_socket_reset(struct netlink *nl)
{
	struct nl_sock *sk;
	int err;

	err = req_socket_open(&sk);
	if (err)
		return err;
	nl_socket_free(nl->req);
	nl->req = sk;
	return 0;
}

static int batch_chunk(struct netlink *nl, const struct netlink_addr *addrs, size_t n,
		       enum batch_op op, int *res)
{
	struct batch b = { .n = n, .res = res };
	size_t i;
	int err;

	err = batch_send(nl, &b, addrs, op);
	if (!err)
		err = batch_collect(nl, &b);
	if (err) {
		for (i = 0; i < n; i++)
			if (res[i] == NETLINK_PENDING)
				res[i] = err;
		req_socket_reset(nl);
	}
	return err;
}

/* What the caller wants done is already true. */
static int batch_benign(int err, enum batch_op op)
{
	if (op == BATCH_ADD && err == -EEXIST)
		return 0;
	/* deleting: the address, or the whole device, is already gone */
	if (op == BATCH_DEL &&
	    (err == -EADDRNOTAVAIL || err == -ENOENT || err == -ESRCH || err == -ENODEV))
		return 0;
	return err;
}

static int addrs_batch(struct netlink *nl, const struct netlink_addr *addrs, size_t n,
		       int *errs, enum batch_op op)
{
	int res[NETLINK_BATCH_CHUNK];
	int first = 0;
	size_t done, i, k;

	for (done = 0; done < n; done += k) {
		k = n - done < NETLINK_BATCH_CHUNK ? n - done : NETLINK_BATCH_CHUNK;
		batch_chunk(nl, addrs + done, k, op, res);
		for (i = 0; i < k; i++) {
			int err = batch_benign(res[i], op);

			if (errs)
				errs[done + i] = err;
			if (err && !first)
				first = err;
		}
	}
	return first;
}

int netlink_addrs_add(struct netlink *nl, const struct netlink_addr *addrs, size_t n, int *errs)
{
	return addrs_batch(nl, addrs, n, errs, BATCH_ADD);
}

int netlink_addrs_del(struct netlink *nl, const struct netlink_addr *addrs, size_t n, int *errs)
{
	return addrs_batch(nl, addrs, n, errs, BATCH_DEL);
}

/* ------------------------------------------------------------------ monitor */

static void mon_link(struct netlink *nl, struct rtnl_link *link, int msgtype)
{
	struct netlink_event ev = {
		.kind = msgtype == RTM_DELLINK ? NETLINK_EV_LINK_DEL : NETLINK_EV_LINK,
	};

	link_fill(link, &ev.link);
	ev.ifindex = ev.link.ifindex;
	nl->ev_cb(&ev, nl->ev_arg);
}

static void mon_addr(struct netlink *nl, struct rtnl_addr *ra, int msgtype)
{
	struct netlink_event ev = {
		.kind = msgtype == RTM_DELADDR ? NETLINK_EV_ADDR_DEL : NETLINK_EV_ADDR_NEW,
	};

	if (!rtaddr_local(ra, &ev.addr))
		return;
	ev.ifindex = rtnl_addr_get_ifindex(ra);
	ev.prefix_len = rtnl_addr_get_prefixlen(ra);
	ev.addr_flags = rtnl_addr_get_flags(ra);
	nl->ev_cb(&ev, nl->ev_arg);
}

static void mon_object(struct nl_object *obj, void *arg)
{
	int msgtype = nl_object_get_msgtype(obj);

	switch (msgtype) {
	case RTM_NEWLINK:
	case RTM_DELLINK:
		mon_link(arg, (struct rtnl_link *)obj, msgtype);
		break;
	case RTM_NEWADDR:
	case RTM_DELADDR:
		mon_addr(arg, (struct rtnl_addr *)obj, msgtype);
		break;
	}
}

static int mon_valid(struct nl_msg *msg, void *arg)
{
	/* a message libnl cannot parse is skipped, the rest still count */
	nl_msg_parse(msg, mon_object, arg);
	return NL_OK;
}

int netlink_monitor_fd(struct netlink *nl)
{
	return nl_socket_get_fd(nl->mon);
}

int netlink_monitor_read(struct netlink *nl, netlink_event_cb cb, void *arg)
{
	struct nl_cb *handlers = nl_socket_get_cb(nl->mon);
	int err;

	if (!handlers)
		return -ENOMEM;
	nl->ev_cb = cb;
	nl->ev_arg = arg;
	do {
		err = nl_recvmsgs_report(nl->mon, handlers);
	} while (err > 0);
	nl_cb_put(handlers);
	nl->ev_cb = NULL;
	nl->ev_arg = NULL;
	if (err == -NLE_NOMEM)
		return -ENOBUFS; /* libnl reports the kernel's overrun as NLE_NOMEM */
	return err == -NLE_AGAIN ? 0 : errno_from_nlerr(err);
}
